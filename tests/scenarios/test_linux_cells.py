# SPDX-License-Identifier: GPL-2.0-only
"""Real guests in cells (issue 10): Debian's arm64 kernel with the busybox
initramfs (tests/scenarios/linux.py), and Debian's U-Boot for qemu_arm64,
unmodified.

- configs/qemu-virt/linux-two-plus-one.dts: two Linux cells (2 + 1 vCPUs)
  boot at once beside a bare-metal heartbeat cell; each sees only its own
  CPUs, memory and timer interrupts; poweroff and reboot act on one cell.
- One Linux cell with 1, 2 and 3 vCPUs, all online, and its reset-to-marker
  time next to the same kernel booted bare with the same CPU count, both
  under -icount shift=0,sleep=off (virtual time: deterministic, and not
  disturbed by the host's load).
- U-Boot in a cell reaches its prompt and answers.

Boots are the bare -kernel path (scripts/qemu-run --kernel, -device loader);
the U-Boot path of the same layout is `make run` (tests/scenarios/test_image.py).
"""

import re
import subprocess
import time

import pytest

import cells
import linux
import linux_guest
from conftest import SCENARIOS
from qemu import REPO
from test_linux_bare import expected_online, subsystem_complaints

LAYOUT = REPO / "configs" / "qemu-virt" / "linux-two-plus-one.dts"
UBOOT_BIN = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
MiB = 1 << 20
# MemTotal is the cell's RAM less what the kernel keeps before the page
# allocator starts (its image, the memmap, early allocations): 33.5 MiB of
# 256 MiB and 39.8 MiB of 512 MiB measured with Debian's 6.12 cloud kernel.
KERNEL_RESERVATION = 48 * MiB
# Issue 10: reset to marker in a cell is at most this times the bare time.
MAX_SLOWDOWN = 1.15
ESCAPE = "\x1d"  # Ctrl-], then the cell's index (docs/console.md)


# --- booting layouts with Linux ---------------------------------------------

def _fdt_window(dtb, node, prop):
    try:
        out = subprocess.run(["fdtget", "-t", "x", str(dtb), node, prop], check=True,
                             capture_output=True, text=True).stdout.split()
    except subprocess.CalledProcessError:
        return None
    words = [int(w, 16) for w in out]
    return words[0] << 32 | words[1]


def boot_linux_layout(qemu, layout, *, icount=False, smp=4, fail_on=linux.LINUX_FATAL + "|" +
                      cells.CELL_FATAL, linux_labels=None, cpu=None, machine_opts=None,
                      **guests):
    """Boot LAYOUT (a .dts path) with -kernel: Debian's kernel and the
    initramfs into the kernel and initrd windows of every cell in
    linux_labels (default: every cell with an initrd window), test guests
    {label: name} into the others'. Returns the Machine, .started set."""
    image, initrd = linux.guests()
    dtb = cells.compile_layout(layout)
    extra = ["-append", f"bulkhead.layout={cells.LAYOUT_ADDR:#x}",
             "-device", f"loader,file={dtb},addr={cells.LAYOUT_ADDR:#x},force-raw=on"]
    for node, label, kaddr, _ in cells.kernel_windows(dtb):
        iaddr = _fdt_window(dtb, node, "initrd")
        if label in guests:
            files = [(cells.guest(guests[label]), kaddr)]
        elif iaddr is not None and (linux_labels is None or label in linux_labels):
            files = [(image, kaddr), (initrd, iaddr)]
        else:
            continue
        extra += [a for path, addr in files
                  for a in ("-device", f"loader,file={path},addr={addr:#x},force-raw=on")]
    con = qemu.boot_kernel(cells.HYP, smp=smp, gic=3, icount=icount, cpu=cpu,
                           machine_opts=machine_opts, extra=extra, fail_on=fail_on)
    con.started = time.monotonic()
    return con


def single_linux_layout(nr_vcpus, mem=512 * MiB):
    """A layout with one Linux cell of NR_VCPUS vCPUs (CPUs 1..N) and MEM of
    RAM, written into build/scenarios/layouts/; the other CPUs stay idle in
    the hypervisor. Command line and windows as in linux-two-plus-one."""
    dts = SCENARIOS / "layouts" / f"linux-smp{nr_vcpus}.dts"
    text = linux_guest.text(range(1, nr_vcpus + 1), mem, bootargs=linux.BOOTARGS)
    dts.parent.mkdir(parents=True, exist_ok=True)
    if not dts.exists() or dts.read_text() != text:
        dts.write_text(text)
    return dts


# --- one cell's console on the shared line ------------------------------------

def send_slowly(con, text, chunk=16, pause=0.07):
    """Type TEXT in chunks: a cell's receive FIFO holds 64 bytes (docs/console.md).
    (The pause was 20 ms and pexpect's own 50 ms before each send() until 2026-11-25.)"""
    for i in range(0, len(text), chunk):
        con.send(text[i:i + chunk])
        time.sleep(pause)


def focus(con, index, label):
    """Ctrl-] INDEX: keyboard input goes to cell LABEL."""
    con.send(ESCAPE + str(index))
    con.expect(rf"console: input goes to cell {re.escape(label)} ", timeout=5)


_serial = 0


def show_irqs(con, label):
    """The hypervisor shell's view of cell LABEL's interrupts and console, into
    the log (also when the cell stopped answering); whether the shell answered."""
    con.send(ESCAPE + "h")
    send_slowly(con, f"irqs {label}\nlist\n")
    try:
        con.expect(r"shell: id label", timeout=5)
        return True
    except AssertionError:
        print("the hypervisor shell did not answer either")
        return False


def cell_shell(con, label, command, timeout=30):
    """Run COMMAND in cell LABEL's shell (the focused one); return its output:
    the cell's lines between the echoed command and the end tag, prefix cut."""
    __tracebackhide__ = True
    global _serial
    _serial += 1
    tag = f"@@END{_serial}@@"
    typed = f'{command}; echo "@@END""{_serial}@@ $?"'
    send_slowly(con, typed + "\n")
    try:
        m = con.expect(rf"\[{re.escape(label)}\] {re.escape(tag)} (\d+)\r*\n", timeout=timeout)
    except AssertionError:
        show_irqs(con, label)
        raise
    log = con.log()
    end = log.rfind(f"[{label}] {tag} ")
    start = log.rfind(typed, 0, end)
    start = log.find("\n", start) + 1
    out = cells.live_cell_lines(log[start:end], label)
    assert int(m.group(1)) == 0, f"[{label}] `{command}` exited with {m.group(1)}:\n" + \
        "\n".join(out)
    return "\n".join(out)


def cell_ready(con, label, timeout):
    """Wait for cell LABEL's /init marker; its Ready (host_seconds from QEMU start)."""
    __tracebackhide__ = True
    m = con.expect(rf"\[{re.escape(label)}\] " + linux.MARKER.pattern, timeout=timeout)
    ready = linux.parse_ready(m.group(0))
    ready.host_seconds = time.monotonic() - con.started
    return ready


def timer_counts(interrupts, nr_cpus):
    """Per-CPU counts of the arch_timer line of /proc/interrupts."""
    for line in interrupts.splitlines():
        if "arch_timer" in line:
            fields = line.split()
            return [int(n) for n in fields[1:1 + nr_cpus]]
    raise AssertionError(f"no arch_timer line in /proc/interrupts:\n{interrupts}")


def check_linux_cell(con, label, nr_cpus, mem_bytes):
    """The issue's checks of one Linux cell through its console."""
    __tracebackhide__ = True
    count = cell_shell(con, label, "grep -c ^processor /proc/cpuinfo")
    assert count.strip() == str(nr_cpus), \
        f"[{label}] /proc/cpuinfo lists {count!r} processors; the cell has {nr_cpus}"
    online = cell_shell(con, label, "cat /sys/devices/system/cpu/online")
    assert online.strip() == expected_online(nr_cpus), f"[{label}] online CPUs: {online!r}"

    meminfo = cell_shell(con, label, "grep MemTotal /proc/meminfo")
    kb = int(re.search(r"MemTotal:\s+(\d+) kB", meminfo).group(1))
    assert mem_bytes - KERNEL_RESERVATION <= kb * 1024 <= mem_bytes, \
        (f"[{label}] MemTotal {kb} kB; the cell has {mem_bytes // 1024} kB "
         f"(less at most {KERNEL_RESERVATION // MiB} MiB kept by the kernel)")

    interrupts = cell_shell(con, label, "cat /proc/interrupts")
    ticks = timer_counts(interrupts, nr_cpus)
    assert len(ticks) == nr_cpus and all(ticks), \
        f"[{label}] arch_timer interrupts per CPU: {ticks}\n{interrupts}"

    dmesg = cell_shell(con, label, "dmesg", timeout=30)
    lines, complaints = subsystem_complaints(dmesg)
    assert lines, f"[{label}] dmesg has no GIC/PSCI/timer line at all"
    assert not complaints, f"[{label}] GIC/PSCI/timer complaints in dmesg:\n" + \
        "\n".join(complaints)
    print(f"[{label}] {nr_cpus} CPU(s) online ({online.strip()}), MemTotal {kb} kB of "
          f"{mem_bytes // 1024} kB, arch_timer {ticks}, {len(lines)} GIC/PSCI/timer lines, "
          f"no complaint")


# --- the tests ---------------------------------------------------------------

@pytest.mark.timeout(150)
def test_two_linux_cells_boot_at_once_and_power_off_and_reboot_alone(qemu):
    con = boot_linux_layout(qemu, LAYOUT, bare="heartbeat")
    ready = {}
    while len(ready) < 2:
        m = con.expect(r"\[(linux[12])\] " + linux.MARKER.pattern, timeout=90)
        r = linux.parse_ready(m.group(0))
        r.host_seconds = time.monotonic() - con.started
        ready[m.group(1)] = r
    for label, r in ready.items():
        print(f"[{label}] marker: cpus={r.cpus}, reset->marker {r.reset_to_marker:.2f} s "
              f"(counter; both cells and the heartbeat at once, no icount), "
              f"host {r.host_seconds:.1f} s")
    assert ready["linux2"].cpus == 2 and ready["linux1"].cpus == 1, ready

    # Input starts with cell 0 (linux2).
    check_linux_cell(con, "linux2", 2, 256 * MiB)
    focus(con, 1, "linux1")
    check_linux_cell(con, "linux1", 1, 256 * MiB)
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")

    # poweroff -f in linux1 stops linux1 only.
    send_slowly(con, "poweroff -f\n")
    con.expect(r"\[bulkhead\] cell linux1: stopped", timeout=30)
    beat = cells.heartbeats(con.log(), "bare")[-1]
    focus(con, 0, "linux2")
    assert cell_shell(con, "linux2", "echo still-$((6 * 7))").strip() == "still-42"
    cells.expect_heartbeat(con, "bare", beat + 2, timeout=10)

    # reboot -f in linux2 boots it again to the marker.
    send_slowly(con, "reboot -f\n")
    con.expect(r"\[bulkhead\] cell linux2: restarting", timeout=15)
    again = cell_ready(con, "linux2", timeout=90)
    assert again.cpus == 2
    assert cell_shell(con, "linux2", "cat /sys/devices/system/cpu/online").strip() == "0-1"
    assert "[linux1]" not in con.log()[con.log().rfind("cell linux1: stopped"):], \
        "linux1 printed after it was powered off"
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")
    # What it passed of the initrd window is the same every boot: said once, not per restart.
    assert len(re.findall(r"cell linux2: initrd: \d+ KiB of its", con.log())) == 1




# Reset to marker under icount still varies run to run with several CPUs (3 CPUs
# bare: 1.37-1.53 s over three runs): QEMU's round-robin between vCPUs is not
# fully deterministic. Each attempt boots bare and in a cell again; the ratio
# is of the fastest of each, the bound is never loosened. The first attempt's
# bare boot is test_linux_bare's, the same kernel and options, when it ran
# before (3-6 s saved per CPU count).
BOOT_ATTEMPTS = 3


def boot_in_cell(qemu, nr_vcpus):
    """One boot of the single-cell layout: (its Ready, online CPUs); closed after."""
    con = boot_linux_layout(qemu, single_linux_layout(nr_vcpus), icount=True)
    cell = cell_ready(con, "linux", timeout=60)
    online = cell_shell(con, "linux", "cat /sys/devices/system/cpu/online")
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")
    _assert_told_the_archive_not_the_window(con.log())
    con.close()
    return cell, online


def _assert_told_the_archive_not_the_window(log):
    """The initramfs sits in a 4 MiB window; the kernel is told the archive,
    in whole pages, at least one past its last byte (stepping over 3 MiB of
    zeros cost 0.05-0.12 s of boot), and unpacks all of it: gzip's last
    bytes can be zeros of its own. Linux frees the pages it was told of."""
    size = linux.guests()[1].stat().st_size
    told = re.search(r"cell linux: initrd: (\d+) KiB of its 4096 KiB window passed", log)
    assert told, "the hypervisor did not say how much of the initrd window it passed"
    told = int(told.group(1))
    assert size + 4096 <= told * 1024 < size + 2 * 4096, (size, told)
    assert "Initramfs unpacking failed" not in log
    assert f"Freeing initrd memory: {told}K" in log, \
        re.findall(r"Freeing initrd memory: \d+K", log)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("nr_vcpus", [1, 3])  # 2: test_two_linux_cells..., test_direct
def test_linux_cell_brings_every_vcpu_online_and_boots_nearly_as_fast_as_bare(qemu, nr_vcpus):
    bares, cells_ = linux.bare_baselines_so_far(nr_vcpus, icount=True, mem="512M"), []
    for attempt in range(1, BOOT_ATTEMPTS + 1):
        if attempt > 1 or not bares:
            bares.append(linux.bare_baseline(qemu, nr_vcpus, icount=True, mem="512M"))
        cell, online = boot_in_cell(qemu, nr_vcpus)
        cells_.append(cell)
        assert cell.cpus == nr_vcpus
        assert online.strip() == expected_online(nr_vcpus), f"online CPUs: {online!r}"
        base = min(b.reset_to_marker for b in bares)
        best = min(c.reset_to_marker for c in cells_)
        ratio = best / base
        print(f"\n[{nr_vcpus} vCPU(s), 512 MiB, icount, attempt {attempt}] reset->marker: "
              f"cell {cell.reset_to_marker:.3f} s, bare {bares[-1].reset_to_marker:.3f} s; "
              f"fastest {best:.3f} / {base:.3f} = {ratio:.3f} (limit {MAX_SLOWDOWN})")
        if ratio <= MAX_SLOWDOWN:
            break
    assert ratio <= MAX_SLOWDOWN, \
        (f"{nr_vcpus} vCPU(s): reset->marker in a cell {[round(c.reset_to_marker, 3) for c in cells_]}"
         f" s, bare {[round(b.reset_to_marker, 3) for b in bares]} s: fastest {ratio:.2f}x > "
         f"{MAX_SLOWDOWN}x")


@pytest.mark.timeout(120)
def test_linux_cell_on_cpu_max_uses_sve_pointer_authentication_and_mops(qemu):
    """QEMU's "max" CPU has SVE (up to 2048-bit vectors), pointer
    authentication and the memory copy and set instructions: a Linux cell
    finds and enables each, at the longest vector length, and nothing it does
    traps to the hypervisor (docs/traps.md). Before, its first SVE access
    stopped the cell ("cannot emulate EC 0x19"). The machine has MTE
    (mte=on), which a cell is not given: the ID registers hide it, and the
    kernel boots without it. Before, it saw MTE and died in mte_cpu_setup()
    on the trapped GCR_EL1 ("Oops - Undefined instruction")."""
    con = boot_linux_layout(qemu, single_linux_layout(2), cpu="max", machine_opts="mte=on")
    cell = cell_ready(con, "linux", timeout=90)
    assert cell.cpus == 2
    # One word per line: the console wraps /proc/cpuinfo's long Features line.
    words = set(cell_shell(con, "linux", "tr ' ' '\\n' </proc/cpuinfo | sort -u").split())
    missing = {"sve", "sve2", "paca", "pacg", "mops"} - words
    assert not missing, f"/proc/cpuinfo lacks {sorted(missing)}"
    assert not {"mte", "mte3"} & words, "MTE is advertised to the cell"
    assert re.search(r"\[linux\] [^\n]*SVE: maximum available vector length 256 bytes",
                     con.log()), "SVE vector lengths are capped"
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


UBOOT_LAYOUT = """/dts-v1/;
/*
 * Debian's U-Boot for qemu_arm64 in a cell, as a raw binary. It reads its
 * device tree at the start of RAM (board_fdt_blob_setup on qemu-arm), so
 * dtb-offset = 0 and the binary goes 2 MiB up; it relocates itself. It reads
 * its environment from the flash bank at 0x04000000 without asking the
 * device tree, so 256 KiB of RAM stand in for it there (zeroed: "bad CRC,
 * using default environment").
 */
/ {
	bulkhead {
		compatible = "bulkhead,layout-v1";
		hypervisor-memory = <0x0 0x40000000 0x0 0x01000000>;
		cell@0 {
			label = "uboot";
			cpus = <0x1>;
			memory = <0x0 0x40000000 0x0 0x80000000 0x0 0x04000000
				  0x0 0x04000000 0x0 0x84000000 0x0 0x00040000>;
			console = "virtual";
			kernel = <0x0 0x60000000 0x0 0x00200000>;
			kernel-format = "raw";
			dtb-offset = <0x0>;
			entry-offset = <0x200000>;
			on-fault = "stop";
		};
		cell@1 {
			label = "bare";
			cpus = <0x0>;
			memory = <0x0 0x40000000 0x0 0x44000000 0x0 0x04000000>;
			console = "virtual";
			kernel = <0x0 0x68000000 0x0 0x00100000>;
			on-fault = "stop";
		};
	};
};
"""


@pytest.mark.timeout(60)
def test_uboot_reaches_its_prompt_in_a_cell_and_answers(qemu):
    dts = SCENARIOS / "layouts" / "uboot-guest.dts"
    dts.parent.mkdir(parents=True, exist_ok=True)
    if not dts.exists() or dts.read_text() != UBOOT_LAYOUT:
        dts.write_text(UBOOT_LAYOUT)
    dtb = cells.compile_layout(dts)
    con = cells.boot_bare(qemu, dtb, bare="heartbeat",
                          loads=[(UBOOT_BIN, cells.layout_cells(dtb)["uboot"][0])])
    con.expect(r"\[uboot\] U-Boot 20\d\d", timeout=20)
    # Stop autoboot with a key, as a user would. The focused cell's unfinished
    # line (the countdown) shows only once a key is typed (docs/console.md), so
    # the key goes in as the countdown starts: U-Boot finds it waiting.
    con.expect(r"\[uboot\] Net: [^\r\n]*\r*\n", timeout=20)
    con.send(" ")
    con.expect(r"\[uboot\] Hit any key to stop autoboot:  \d", timeout=20)
    con.expect(r"=> ", timeout=20)
    assert "scanning bus" not in con.log(), "the key did not stop autoboot"
    send_slowly(con, "echo hello-from-uboot\n")
    con.expect(r"\[uboot\] hello-from-uboot\r*\n", timeout=10)
    send_slowly(con, "version\n")
    con.expect(r"\[uboot\] U-Boot 20\d\d\.\d\d", timeout=10)
    con.expect(r"\[uboot\] => ", timeout=10)
    assert cells.heartbeats(con.log(), "bare"), "the neighbour cell never beat"
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")
