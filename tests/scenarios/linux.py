# SPDX-License-Identifier: GPL-2.0-only
"""Real Linux guests: Debian's arm64 kernel and a busybox initramfs.

    image, initrd = linux.guests()                  # fetched and built once, cached
    con = linux.boot_bare(qemu, smp=2, icount=True)  # QEMU virt at EL1, no hypervisor
    ready = linux.wait_ready(con)                   # the /init marker, parsed
    out = linux.shell(con, "cat /sys/devices/system/cpu/online")
    linux.poweroff(con)

    base = linux.bare_baseline(qemu, smp=2)         # reset-to-marker time, bare

scripts/fetch-guests downloads the kernel and busybox into .cache/guests (no
network after the first run; without network a test fails and says so);
scripts/mkinitramfs builds build/scenarios/linux/initrd.cpio.gz from them.
The initramfs's /init prints

    BULKHEAD-LINUX-READY cpus=2 mem=483520kB uptime=2.84 cntvct=228904988 cntfrq=62500000

and then runs a shell with the prompt PROMPT. cntvct is the virtual counter
at that moment: ticks since reset (CNTVOFF = 0), so cntvct/cntfrq is the
time from reset to the marker, bare or in a cell, in QEMU's virtual time
(deterministic under -icount shift=0,sleep=off).
"""

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import linux_guest

from conftest import BUILD, LOGS
from qemu import REPO, Machine

CACHE = Path(os.environ.get("BULKHEAD_CACHE", REPO / ".cache")) / "guests"
INITRD = BUILD / "scenarios" / "linux" / "initrd.cpio.gz"

# The same command line bare and in a cell (configs/qemu-virt/linux-two-plus-one.dts),
# so their boot times compare.
BOOTARGS = linux_guest.BOOTARGS
PROMPT = "bulkhead-sh# "
MARKER = re.compile(r"BULKHEAD-LINUX-READY cpus=(\d+) mem=(\d+)kB uptime=([\d.]+) "
                    r"cntvct=(\d+|\?) cntfrq=(\d+|\?)(?:\[ *\d+\.\d+\] [^\n]*)?\r*\n")
# (The line end is part of it: pexpect matches as output arrives, and a
# number cut by the end of what arrived so far must not match. A kernel
# message may land on the console between the number and the line end
# ("cntfrq=62500000[    1.376799] hrtimer: interrupt took 19941952 ns"):
# the number ends at its "[".)
# Nothing useful follows these: fail the expect() at once.
LINUX_FATAL = r"Kernel panic - not syncing[^\n]*|\[bulkhead\] ERROR: (boot stopped|panic):"

_guests = None


def guests():
    """(Image, initrd) paths: linux_guest.prepare() (fetched and built once,
    cached). Fails the test, with the scripts' message, if the guests cannot be
    had (no network, no cache)."""
    global _guests
    if not _guests:
        try:
            _guests = linux_guest.prepare(CACHE, INITRD)
        except RuntimeError as e:
            pytest.fail(str(e), pytrace=False)
    return _guests


def bare_command(smp, *, mem="512M", gic=3, cpu="cortex-a53", icount=False,
                 bootargs=BOOTARGS, extra=()):
    """QEMU argv booting the kernel and initramfs directly on `virt` at EL1
    (virtualization=off: no hypervisor, the baseline a cell is compared with)."""
    image, initrd = guests()
    # dtb-randomness=off: no kaslr-seed/rng-seed, as in a cell's generated DT
    # (so no KASLR either); runs repeat and compare with cells.
    cmd = ["qemu-system-aarch64", "-M", f"virt,gic-version={gic},dtb-randomness=off",
           "-cpu", cpu,
           "-smp", str(smp), "-m", mem, "-nographic", "-no-reboot"]
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    return cmd + ["-kernel", str(image), "-initrd", str(initrd), "-append", bootargs] + \
        list(extra)


def boot_bare(qemu, smp, *, fail_on=LINUX_FATAL, **opts):
    """Start Linux bare (see bare_command) under the `qemu` fixture, which kills
    it when the test ends; returns the Machine."""
    cmd = bare_command(smp, **opts)
    suffix = f"-{len(qemu.machines) + 1}" if qemu.machines else ""
    machine = Machine(cmd, LOGS / f"{qemu.name}{suffix}.log", qemu.deadline, fail_on)
    machine.started = time.monotonic()
    qemu.machines.append(machine)
    return machine


@dataclass
class Ready:
    """What /init's marker line said."""
    cpus: int
    mem_kb: int
    uptime: float  # s, the kernel's own clock (starts after early boot)
    reset_to_marker: float | None  # s of virtual time since reset (cntvct / cntfrq)
    host_seconds: float | None = None  # wall clock from QEMU start, if known


def parse_ready(text):
    """The Ready of the first marker line in `text` (a cell's "[label] ..." line
    too), or None."""
    m = MARKER.search(text)
    if not m:
        return None
    cnt, frq = m.group(4), m.group(5)
    since_reset = int(cnt) / int(frq) if cnt != "?" and frq != "?" else None
    return Ready(int(m.group(1)), int(m.group(2)), float(m.group(3)), since_reset)


def wait_ready(con, timeout=30, prompt=True):
    """Wait for /init's marker (and the first prompt); return its Ready."""
    __tracebackhide__ = True
    m = con.expect(MARKER.pattern, timeout=timeout)
    ready = parse_ready(m.group(0))
    started = getattr(con, "started", None)
    if started is not None:
        ready.host_seconds = time.monotonic() - started
    if prompt:
        con.expect(re.escape(PROMPT), timeout=10)
    return ready


_serial = 0


def shell(con, command, timeout=10):
    """Run `command` in the console shell; return its output (lines between
    the echoed command and the next prompt, CR removed). Fails if the command
    exits non-zero."""
    __tracebackhide__ = True
    global _serial
    _serial += 1
    # The echo of the typed line shows "@@END"N"@@", the output "@@ENDN@@":
    # only the output matches.
    tag = f"@@END{_serial}@@"
    con.send(f'{command}; echo "@@END""{_serial}@@ $?"\n')
    m = con.expect(re.escape(tag) + r" (\d+)\r*\n", timeout=timeout)
    status = int(m.group(1))
    con.expect(re.escape(PROMPT), timeout=timeout)
    log = con.log()
    end = log.rfind(tag + " ")
    start = log.rfind(f'"@@END""{_serial}@@ $?"', 0, end)
    start = log.find("\n", start) + 1
    out = log[start:end]
    assert status == 0, f"`{command}` exited with {status}:\n{out}"
    return out.rstrip("\n")


def poweroff(con, timeout=10):
    """`poweroff -f` and wait for QEMU to exit (PSCI SYSTEM_OFF)."""
    __tracebackhide__ = True
    con.send("poweroff -f\n")
    con.expect(r"reboot: Power down", timeout=timeout)
    end = time.monotonic() + timeout
    while con.running() and time.monotonic() < end:
        time.sleep(0.05)
    assert not con.running(), f"QEMU still running {timeout} s after poweroff -f"


# Every bare_baseline() of this test run, by (smp, icount, mem, gic): a later
# test compares with one an earlier test booted instead of booting it again.
_baselines = {}


def bare_baseline(qemu, smp, *, icount=True, mem="512M", gic=3, timeout=30):
    """Boot the kernel bare with `smp` CPUs, return its Ready (reset_to_marker:
    virtual seconds from reset to the marker; host_seconds: wall clock) and
    power it off. The figure a cell's boot is compared with."""
    con = boot_bare(qemu, smp, icount=icount, mem=mem, gic=gic)
    ready = wait_ready(con, timeout=timeout)
    poweroff(con)
    _baselines.setdefault((smp, icount, mem, gic), []).append(ready)
    return ready


def bare_baselines_so_far(smp, *, icount=True, mem="512M", gic=3):
    """The Ready of every bare_baseline() with these options so far in this run."""
    return list(_baselines.get((smp, icount, mem, gic), []))
