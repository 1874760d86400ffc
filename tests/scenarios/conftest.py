# SPDX-License-Identifier: GPL-2.0-only
"""pytest fixtures for QEMU scenarios.

    def test_something(qemu):
        con = qemu.boot(HYP, gic=3, smp=4)      # through U-Boot from a disk image
        con.expect(r"boot complete", timeout=10)
        con.expect_not(r"ERROR")

Every machine a test boots is killed when the test ends, passes or fails.
Each test has a hard time limit (default 60 s; @pytest.mark.timeout(S) to
change it): expectations stop at it, and SIGALRM ends the test a little later
if anything else hangs. Console logs go to build/scenarios/logs/<test>.log.
Environment: BULKHEAD_BUILD (default build) names the build directory.
"""

import os
import re
import signal
import time
from pathlib import Path

import pytest

from qemu import REPO, Machine, make_disk, qemu_command

BUILD = (REPO / os.environ.get("BULKHEAD_BUILD", "build")).resolve()
SCENARIOS = BUILD / "scenarios"
LOGS = SCENARIOS / "logs"
DEFAULT_TEST_TIMEOUT = 60  # seconds
ALARM_GRACE = 10  # seconds after the deadline before SIGALRM interrupts the test
# Lines after which the hypervisor prints nothing useful: expect() fails at once
# instead of waiting out its timeout (see boot/main.c and lib/log.c).
FATAL = r"\[bulkhead\] ERROR: (boot stopped|panic):"


def pytest_configure(config):
    config.addinivalue_line("markers", "timeout(seconds): hard time limit of a scenario")
    # A SIGTERM (CI cancelling the job) unwinds like Ctrl-C so fixtures kill QEMU.
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


class TestTimeout(BaseException):
    """Raised by SIGALRM when a test outlives its limit (BaseException, so no
    `except Exception` in a test swallows it)."""


def _log_name(nodeid):
    name = nodeid.split("::", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")


class Machines:
    """The `qemu` fixture: boots machines for one test and kills them all after."""

    def __init__(self, nodeid, time_limit):
        self.name = _log_name(nodeid)
        self.deadline = time.monotonic() + time_limit
        self.machines = []

    def disk(self, image, *more_files):
        """A boot disk with `image` as bulkhead.bin (plus `more_files`), built
        once per image into build/scenarios/<image's folder>/disk.img."""
        image = Path(image)
        variant = image.parent.name
        return make_disk(SCENARIOS / variant / "disk.img",
                         [f"{image}:bulkhead.bin"] + [str(f) for f in more_files])

    def boot(self, image, *, gic=3, smp=4, cpu="cortex-a53", iommu=None, mem=None,
             icount=False, bootdelay=0, extra=(), fail_on=FATAL):
        """Boot hypervisor `image` through U-Boot from a disk image; return the
        Machine. bootdelay=0 skips U-Boot's 2 s wait (see scripts/qemu-run)."""
        disk = self.disk(image)
        return self.start(disk=disk, gic=gic, smp=smp, cpu=cpu, iommu=iommu, mem=mem,
                          icount=icount, bootdelay=bootdelay, extra=list(extra),
                          fail_on=fail_on)

    def boot_kernel(self, image, fail_on=FATAL, **opts):
        """Boot `image` with QEMU's bare -kernel (no U-Boot)."""
        return self.start(kernel=image, fail_on=fail_on, **opts)

    def start(self, fail_on=FATAL, **opts):
        """Start QEMU with scripts/qemu-run options `opts`."""
        cmd = qemu_command(**opts)
        suffix = f"-{len(self.machines) + 1}" if self.machines else ""
        machine = Machine(cmd, LOGS / f"{self.name}{suffix}.log", self.deadline, fail_on)
        self.machines.append(machine)
        return machine

    def close(self):
        for machine in self.machines:
            machine.close()


@pytest.fixture
def qemu(request):
    marker = request.node.get_closest_marker("timeout")
    limit = marker.args[0] if marker else DEFAULT_TEST_TIMEOUT
    machines = Machines(request.node.nodeid, limit)

    def on_alarm(signum, frame):
        raise TestTimeout(f"{request.node.nodeid} exceeded its {limit} s limit")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(limit) + ALARM_GRACE)
    try:
        yield machines
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        machines.close()
