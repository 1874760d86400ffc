# SPDX-License-Identifier: GPL-2.0-only
"""Boot Bulkhead with a partition layout and test guests in its cells.

    con = cells.boot_bare(qemu, "two-cells", alpha="smp_report", beta="canary")
    con = cells.boot_uboot(qemu, "two-cells", alpha="smp_report", beta="smp_report")

A layout is a name in tests/scenarios/layouts/ or a path to a .dts; it is
compiled with dtc into build/scenarios/layouts/. Guests are names of
tests/guests/*.c, built once per run into build/guests/*.bin. Each is loaded
into the kernel window its cell's layout names, and the layout DTB to
LAYOUT_ADDR, which the kernel command line passes as bulkhead.layout=...:

- bare: QEMU -kernel bulkhead.bin, -append, -device loader (fastest);
- U-Boot: scripts/mkbootcmd writes the boot.cmd, scripts/mkdisk the disk that
  U-Boot's distro boot runs it from (boots like a board).

Also helpers to read cell console lines ("[label] text") out of a log.
"""

import re
import subprocess
import sys
import time
from pathlib import Path

from conftest import BUILD, FATAL, SCENARIOS
from qemu import REPO, make_disk, require_delimited

sys.path.insert(0, str(REPO / "scripts"))
import layout_dtb  # noqa: E402  (scripts/layout_dtb.py)

HYP = BUILD / "hyp" / "bulkhead.bin"
GUESTS = BUILD / "guests"
LAYOUT_SRC = Path(__file__).resolve().parent / "layouts"
MKBOOTCMD = REPO / "scripts" / "mkbootcmd"
# Where the layout DTB goes: outside every scenario cell's memory and kernel
# window, and outside hypervisor-memory (0x40000000-0x40ffffff).
LAYOUT_ADDR = 0x5F000000
# Ends any expect() at once: the hypervisor gave up, or a guest took an
# exception it did not expect (tests/guests/lib/exceptions.c).
CELL_FATAL = FATAL + r"|\] UNEXPECTED EXCEPTION"
# tests/guests/heartbeat.c beats on its timer, which runs on the host's clock:
# beat N comes N s after the cell enters its guest, on a loaded host too.
HEARTBEAT_S = 1
# Bare -kernel, QEMU's start to the cells' entry: ~0.2 s, most of it the boot
# CPU scrubbing and loading each cell, which a loaded host stretches (TCG runs
# it on the host's CPU). 0.35-1.7 s on 2 cores at load 8 (make -j2 and 4 busy
# loops, 25 boots); 1.6-3.7 s with QEMU given a quarter of a CPU. The suite's
# budget for it is test_cells.py's BARE_TIMEOUT.
BARE_START_TIMEOUT = 10

_guests_built = False


def build_guests():
    """make -f tests/guests/guests.mk, once per test run."""
    global _guests_built
    if not _guests_built:
        subprocess.run(["make", "-s", "-f", "tests/guests/guests.mk", f"BUILD={BUILD}", "all"],
                       cwd=REPO, check=True, timeout=300)
        _guests_built = True


def guest(name):
    """Path of build/guests/NAME.bin, built if needed."""
    build_guests()
    path = GUESTS / f"{name}.bin"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no guest tests/guests/{name}.c")
    return path


def compile_layout(layout, out_dir=None):
    """Compile LAYOUT (a name in tests/scenarios/layouts/ or a .dts path) into
    build/scenarios/layouts/ (or out_dir); rebuilt only when the source is newer.
    A .dtb path is returned as it is."""
    src = Path(layout)
    if src.suffix == ".dtb":
        return src
    if src.suffix != ".dts":
        src = LAYOUT_SRC / f"{layout}.dts"
    out = Path(out_dir or SCENARIOS / "layouts") / f"{src.stem}.dtb"
    if not out.exists() or out.stat().st_mtime < src.stat().st_mtime:
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(out), str(src)],
                       check=True, capture_output=True, text=True)
    return out


def kernel_windows(dtb):
    """[(node, label or None, kernel_addr, kernel_size)] of every cell@N of a
    compiled layout that has a readable kernel window, in node order."""
    out = []
    try:
        nodes = layout_dtb.cell_nodes(dtb)
    except LookupError:
        return out  # a broken layout: the hypervisor must say so, not us
    for node in nodes:
        try:
            addr, size = layout_dtb.window(dtb, node, "kernel")
        except LookupError:
            continue
        try:
            label = layout_dtb.label(dtb, node)
        except LookupError:
            label = None
        out.append((node, label, addr, size))
    return out


def layout_cells(dtb):
    """{label: (kernel_addr, kernel_size)} of every cell@N of a compiled layout."""
    return {label: (addr, size) for _, label, addr, size in kernel_windows(dtb)
            if label is not None}


def _guest_files(dtb, guests):
    """[(label, path, window addr)] for guests={label: guest name}."""
    cells = layout_cells(dtb)
    files = []
    for label, name in guests.items():
        if label not in cells:
            raise ValueError(f"{dtb.name}: no cell labelled {label!r} (cells: {sorted(cells)})")
        path = guest(name)
        addr, size = cells[label]
        assert path.stat().st_size <= size, f"{path} does not fit {label}'s kernel window"
        files.append((label, path, addr))
    return files


def boot_bare(qemu, layout, *, smp=4, gic=3, fail_on=CELL_FATAL, loads=(), qemu_args=(),
              iommu=None, icount=False, cpu=None, machine_opts=None, hyp=HYP, bootargs="",
              layout_addr=LAYOUT_ADDR, **guests):
    """Boot bulkhead.bin with QEMU's -kernel, LAYOUT and guests {label: name}
    put in place by -device loader (plus loads: [(file, addr)] as they are).
    qemu_args: more QEMU arguments (devices); iommu: "none" for a board
    without the SMMU (scripts/qemu-run --iommu); icount: virtual time follows
    instructions (-icount shift=0,sleep=off), so timings do not depend on the
    host's load (an int: shift=N, 2^N ns an instruction, less host time for
    the same virtual time); cpu: QEMU's CPU model (default scripts/qemu-run's,
    cortex-a53); machine_opts: more options of QEMU's virt machine ("mte=on");
    hyp: the hypervisor image (the test-fault build's); bootargs: more of the
    kernel command line ("bulkhead.test-fault=gic-cpu1"); layout_addr: where the
    layout DTB goes (a layout whose cells take LAYOUT_ADDR: its load plan's).
    Returns the Machine."""
    dtb = compile_layout(layout)
    extra = ["-append", f"bulkhead.layout={layout_addr:#x} {bootargs}".rstrip(),
             "-device", f"loader,file={dtb},addr={layout_addr:#x},force-raw=on"]
    for path, addr in [(p, a) for _, p, a in _guest_files(dtb, guests)] + list(loads):
        extra += ["-device", f"loader,file={path},addr={addr:#x},force-raw=on"]
    return qemu.boot_kernel(hyp, smp=smp, gic=gic, iommu=iommu, icount=icount, cpu=cpu,
                            machine_opts=machine_opts, extra=extra + list(qemu_args),
                            fail_on=fail_on)


def _with_firmware(cmd, firmware):
    """CMD with the U-Boot commands FIRMWARE first, as a boot.cmd beside it; rewritten
    only when that changes it, so that the disk is not rebuilt for nothing."""
    out = cmd.with_name("boot.cmd")
    text = "".join(f"{c}\n" for c in firmware) + cmd.read_text()
    if not out.exists() or out.read_text() != text:
        out.write_text(text)
    return out


def boot_uboot(qemu, layout, *, smp=4, gic=3, fail_on=CELL_FATAL, qemu_args=(), firmware=(),
               **guests):
    """Boot through U-Boot like a board: a disk with boot.scr (from
    scripts/mkbootcmd), bulkhead.bin, the layout DTB and the guests.
    firmware: U-Boot commands boot.scr runs first, what firmware did before
    the hypervisor (state it leaves in devices)."""
    dtb = compile_layout(layout)
    files = _guest_files(dtb, guests)
    out = SCENARIOS / "cells" / "-".join([dtb.stem] + [f"{l}_{g}" for l, g in guests.items()] +
                                         (["firmware"] if firmware else []))
    cmd = out / ("layout.cmd" if firmware else "boot.cmd")
    subprocess.run([str(MKBOOTCMD), "--layout-addr", hex(LAYOUT_ADDR), str(dtb), str(cmd)] +
                   [f"{label}={path}" for label, path, _ in files],
                   check=True, capture_output=True, text=True)
    if firmware:
        cmd = _with_firmware(cmd, firmware)
    disk_files = [f"{HYP}:bulkhead.bin", str(dtb)] + sorted({str(p) for _, p, _ in files})
    disk = make_disk(out / "disk.img", disk_files, boot_cmd=cmd)
    return qemu.start(disk=disk, smp=smp, gic=gic, bootdelay=0, fail_on=fail_on,
                      extra=list(qemu_args))


# --- reading the console ----------------------------------------------------

def cell_lines(log, label):
    """The text of every console line cell LABEL printed, in order."""
    return re.findall(rf"^\[{re.escape(label)}\] (.*)$", log, re.MULTILINE)


def live_cell_lines(log, label):
    """cell_lines() of a live cell (one with the keyboard): its unfinished line,
    cut by another's whole line, is shown again whole after it (docs/console.md),
    so a line of LABEL that another's line follows and LABEL's next line starts
    with was that cut: only the line shown again is kept. An empty line is never
    such a cut (nothing unfinished is shown); a whole line that is the start of
    the next one with another's line between (`1`, then `10`) reads as one: the
    console's bytes do not tell them apart, so keep such outputs distinct."""
    out, cut = [], False
    for line in log.splitlines():
        m = re.match(rf"\[{re.escape(label)}\] (.*)$", line)
        if not m:
            cut = bool(out)
            continue
        if cut and out[-1] and m.group(1).startswith(out[-1]):
            out[-1] = m.group(1)
        else:
            out.append(m.group(1))
        cut = False
    return out


def results_of(log, label):
    """{name: (PASS|FAIL, detail)} of the TEST lines cell LABEL printed. A
    cell that restarts prints its checks once per boot: a name that failed in
    any of them stays FAIL (with that line's detail), whatever later boots say."""
    out = {}
    for line in cell_lines(log, label):
        m = re.match(r"TEST (\S+) (PASS|FAIL)(.*)$", line)
        if m and out.get(m.group(1), ("",))[0] != "FAIL":
            out[m.group(1)] = (m.group(2), m.group(3).strip())
    return out


def assert_all_pass(results, label, names=()):
    """Every check in RESULTS (results_of()) passed, and every one of NAMES reported."""
    __tracebackhide__ = True
    failed = {n: d for n, (r, d) in results.items() if r != "PASS"}
    assert not failed, f"[{label}] failed checks: {failed}"
    missing = set(names) - set(results)
    assert not missing, f"[{label}] never reported: {sorted(missing)}"


def heartbeats(log, label):
    """Heartbeat numbers cell LABEL printed, in order."""
    return [int(n) for n in re.findall(rf"^\[{re.escape(label)}\] heartbeat (\d+)$(?=\n)", log,
                                       re.MULTILINE)]


def expect_heartbeat(con, label, at_least, timeout=5):
    """Wait until cell LABEL prints a heartbeat numbered >= at_least. A miss
    says this wait's own timeout and the last beat (an expect() on each beat
    said what was left of it, "0.99 s")."""
    __tracebackhide__ = True
    end = time.monotonic() + timeout
    while True:
        beats = heartbeats(con.log(), label)
        if beats and beats[-1] >= at_least:
            return beats[-1]
        left = end - time.monotonic()
        if left <= 0:
            raise con.timed_out(f"[{label}] heartbeat {at_least} not seen within {timeout} s "
                                f"(last: {beats[-1] if beats else 'none'})")
        con.poll(rf"\[{re.escape(label)}\] heartbeat \d+\r*\n", timeout=left)


def expect_heartbeat_from_boot(con, label, at_least):
    """expect_heartbeat() from a line the boot prints before it loads the cell
    (bare -kernel): the cell's start, then a second a beat."""
    __tracebackhide__ = True
    return expect_heartbeat(con, label, at_least,
                            timeout=BARE_START_TIMEOUT + at_least * HEARTBEAT_S)


def expect_all(con, regexes, timeout):
    """Wait until every regex has appeared, in any order (cells run in parallel)."""
    __tracebackhide__ = True
    deadline = time.monotonic() + timeout
    left = list(regexes)
    for r in left:
        require_delimited(r)  # joined below, only the last one's end would be seen
    while left:
        m = con.expect("|".join(f"({r})" for r in left),
                       timeout=max(0.1, deadline - time.monotonic()))
        left = [r for r in left if not re.fullmatch(r, m.group(0))]


def expect_no_cell_started(con, timeout=5):
    """No cell started, nor will (a refused layout): the boot CPU starts the
    cells, each with its "cell X: starting" line, before it turns the console's
    input on (boot/main.c, boot_cells() then console_input_start()), which says
    where input goes; with no cell built, nothing starts one later. So that
    line ends the wait, not a silence of a fixed time. The console's fail_on
    (a panic, a stopped boot), QEMU's exit and the test's deadline fail as
    they would in expect()."""
    __tracebackhide__ = True
    con.expect(r"\[bulkhead\] console: input goes to [^\n]*\n", timeout=timeout)
    con.expect_not(r"\[bulkhead\] cell \S+: starting")


def expect_halted(con, label, beating):
    """LABEL's on-fault halt-system powers the board off: its halt line, then
    QEMU exits within 5 s, and cell BEATING beats no more after the line."""
    __tracebackhide__ = True
    line = f"{label}: halting the system, as its layout asks"
    con.expect(rf"\[bulkhead\] ERROR: {line}\r*\n", timeout=5)
    deadline = time.monotonic() + 5
    while con.running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not con.running(), "QEMU still runs 5 s after the halt line"
    tail = con.log().split(line, 1)[1]
    assert f"[{beating}] heartbeat" not in tail, tail
