# SPDX-License-Identifier: GPL-2.0-only
"""The bare-metal Linux baseline: Debian's arm64 kernel and the busybox
initramfs boot on QEMU virt at EL1 with no hypervisor, bring up every CPU,
answer on the console and power off. The same kernel, initramfs and command
line later boot in cells (issue 10), and their reset-to-marker times are
compared with the ones measured here (linux.bare_baseline).

The first run downloads the guests (scripts/fetch-guests); without network
and without a cache the tests fail and say so.
"""

import re
import subprocess

import pytest

import linux
from qemu import REPO

# Boot messages of the subsystems a cell emulates or passes through.
SUBSYSTEMS = r"gic|psci|timer"
# What counts as a complaint in those lines. Words, not substrings, so that
# e.g. "Timer migration: ..." or an address with "fail" in a symbol name does
# not count, while "WARNING:", "failed to ...", "error -22" do.
COMPLAINT = re.compile(r"\b(warn\w*|errors?|fail\w*|broken|bug|invalid|timed? ?out|"
                       r"unable|can'?t|cannot|not (found|supported|responding))\b",
                       re.IGNORECASE)


def subsystem_complaints(dmesg):
    """(lines about the GIC, PSCI and timers, the complaining ones among them)."""
    lines = [l for l in dmesg.splitlines() if re.search(SUBSYSTEMS, l, re.IGNORECASE)]
    return lines, [l for l in lines if COMPLAINT.search(l)]


def expected_online(n):
    return "0" if n == 1 else f"0-{n - 1}"


@pytest.mark.timeout(45)
@pytest.mark.parametrize("smp", [1, 2, 3])
def test_linux_boots_bare_with_every_cpu_online(qemu, smp):
    con = linux.boot_bare(qemu, smp)
    ready = linux.wait_ready(con, timeout=30)
    assert ready.cpus == smp, f"marker says cpus={ready.cpus}, QEMU has {smp}"

    online = linux.shell(con, "cat /sys/devices/system/cpu/online")
    assert online.strip() == expected_online(smp), f"online CPUs: {online!r}"
    count = linux.shell(con, "grep -c processor /proc/cpuinfo")
    assert count.strip() == str(smp), f"/proc/cpuinfo lists {count!r} processors"

    dmesg = linux.shell(con, "dmesg")
    lines, complaints = subsystem_complaints(dmesg)
    print(f"\n[smp={smp}] {len(lines)} GIC/PSCI/timer lines, host {ready.host_seconds:.2f} s "
          f"to the marker; complaints:", *complaints or ["none"], sep="\n  ")
    assert lines, "dmesg has no GIC/PSCI/timer line at all: is dmesg empty?"
    assert not complaints, "GIC/PSCI/timer complaints in dmesg:\n" + "\n".join(complaints)

    linux.poweroff(con)


# icount runs every vCPU on one host thread: 3-4 s per boot here, whatever N.
@pytest.mark.timeout(60)
@pytest.mark.parametrize("smp", [1, 2, 3])
def test_bare_boot_time_is_measured_in_virtual_time(qemu, smp):
    ready = linux.bare_baseline(qemu, smp, icount=True)
    print(f"\n[bare smp={smp} icount] reset->marker {ready.reset_to_marker:.3f} s virtual, "
          f"kernel uptime {ready.uptime:.2f} s, host {ready.host_seconds:.2f} s")
    assert ready.cpus == smp
    assert ready.reset_to_marker is not None, "the marker has no counter reading (cntvct=?)"
    # The counter starts at reset, the kernel's clock later: reset-to-marker is
    # the larger, and both are plausible boot times.
    assert ready.uptime <= ready.reset_to_marker < 60, ready


def test_layout_boots_linux_with_the_baseline_command_line():
    """The Linux cells of linux-two-plus-one use linux.BOOTARGS, so their boot
    times compare with the bare baseline."""
    dts = REPO / "configs" / "qemu-virt" / "linux-two-plus-one.dts"
    found = re.findall(r'bootargs\s*=\s*"([^"]*)"', dts.read_text())
    assert found, f"{dts}: no bootargs"
    assert set(found) == {linux.BOOTARGS}, f"{dts}: bootargs {found} != {linux.BOOTARGS!r}"
