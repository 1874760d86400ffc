# SPDX-License-Identifier: GPL-2.0-only
"""Foundation scenarios: the hypervisor boots through U-Boot at EL2, finds the
platform, brings every CPU online, and an unexpected exception parks only the
CPU that took it."""

import re
import subprocess

import pytest

import cells
from conftest import BUILD, SCENARIOS
from qemu import ConsoleTimeout, qemu_command
from test_bulkhead_check import add_cpus

HYP = BUILD / "hyp" / "bulkhead.bin"
HYP_TESTFAULT = BUILD / "hyp-testfault" / "bulkhead.bin"

# Through U-Boot with bootdelay 0 the hypervisor prints its first line about
# 0.5 s after QEMU starts (2.5 s with U-Boot's stock 2 s bootdelay).
BOOT_TIMEOUT = 20


def expect_clean_boot(con, smp):
    con.expect(r"\[bulkhead\] Bulkhead \S+ booting at EL2 on CPU 0 \(MPIDR 0x0\)",
               timeout=BOOT_TIMEOUT)
    con.expect(rf"\[bulkhead\] smp: {smp} of {smp} CPUs online")
    con.expect(rf"\[bulkhead\] gic: IPI self-test: {smp} of {smp} CPUs answered")
    con.expect(r"\[bulkhead\] boot complete")


def machine(gic, smp, cpu):
    return pytest.param(gic, smp, cpu, id=f"gic{gic}-smp{smp}-{cpu}")


@pytest.mark.parametrize("gic, smp, cpu", [
    machine(3, 4, "cortex-a53"),
    machine(2, 4, "cortex-a53"),
    machine(3, 1, "cortex-a53"),
    machine(3, 8, "cortex-a57"),
    machine(2, 8, "cortex-a57"),
])
def test_boots_at_el2_with_every_cpu_online(qemu, gic, smp, cpu):
    con = qemu.boot(HYP, gic=gic, smp=smp, cpu=cpu)
    expect_clean_boot(con, smp)
    con.expect_not(r"ERROR")


@pytest.mark.timeout(30)
def test_a_quiet_console_reports_where_each_cpu_is(qemu):
    """When an expectation times out, the harness asks QEMU's monitor where
    each CPU is and names the hypervisor's functions: idle, CPU 0 waits for an
    interrupt in its shell loop and the others are parked waiting for CPU_ON."""
    con = qemu.boot_kernel(HYP, smp=4, gic=3)
    con.expect(r"bulkhead> ", timeout=BOOT_TIMEOUT)
    with pytest.raises(ConsoleTimeout) as failed:
        con.expect(r"printed by nobody\r*\n", timeout=1)
    report = str(failed.value)
    assert "not seen within 1 s" in report, report
    assert "CPU#0 EL2h PC 0x" in report and " in arch_cpu_wait_irq, " in report, report
    for cpu in range(1, 4):
        assert re.search(rf"CPU#{cpu} EL2h PC 0x[0-9a-f]+ in arch_cpu_park, ", report), report
    # The console is back on the serial port: the shell gets what is typed next.
    con.send("list\r")
    con.expect(r"shell: id label", timeout=5)


def test_platform_is_described(qemu):
    con = qemu.boot(HYP, gic=3, smp=4)
    con.expect(r"\[bulkhead\] platform: 2048 MiB RAM in 1 range\(s\): "
               r"0x40000000-0xbfffffff", timeout=BOOT_TIMEOUT)
    con.expect(r"\[bulkhead\] platform: 4 CPUs, PSCI (\d+\.\d+ )?via smc, GICv3 "
               r"\(dist 0x8000000, redist 0x80a0000\), timer \d+ Hz")
    con.expect(r"\[bulkhead\] platform: SMMUv3 at 0x9050000")
    con.expect(r"\[bulkhead\] boot complete")
    for cpu in range(1, 4):
        assert f"[bulkhead] cpu{cpu}: online at EL2 (MPIDR 0x{cpu:x})" in con.log(), \
            f"cpu{cpu} did not report 'online at EL2 (MPIDR 0x{cpu:x})'"
    con.expect_not(r"ERROR")


# smp4: CPU 1 reads CPU 2's stack where CPU 2 runs on it, in CPU 2's window: no
# other CPU's map holds it (docs/traps.md, "What EL2 maps"), so the read faults at
# the last level of CPU 1's own window tables (level 3, or 2 if the image put the
# two stacks in different 2 MiB blocks). smp1: CPU 0 reads under an empty root entry.
@pytest.mark.parametrize("smp, faulting, what, levels", [
    (4, 1, "cpu2's stack", "23"), (1, 0, "an unmapped VA", "0")], ids=["smp4", "smp1"])
def test_unexpected_exception_parks_only_that_cpu(qemu, smp, faulting, what, levels):
    con = qemu.boot(HYP_TESTFAULT, gic=3, smp=smp)
    expect_clean_boot(con, smp)
    m = con.expect(rf"\[bulkhead\] test-fault: cpu{faulting} reading {what} at (0x[0-9a-f]+)\r*\n")
    va = int(m.group(1), 16)
    if smp > 1:
        assert va >> 47 == 1, f"{va:#x} is not in a CPU's window"
    con.expect(rf"\[bulkhead\] ERROR: unexpected exception on CPU {faulting}: "
               r"synchronous, from EL2 \(SP_EL2\)")
    # DFSC 0x04 + level: a translation fault at that level.
    dfscs = "".join(str(4 + int(level)) for level in levels)
    m = con.expect(rf"\[bulkhead\] ERROR:   ESR_EL2 0x9600000([{dfscs}]): EC 0x25 "
                   r"\(data abort, same EL\) IL 1 ISS 0x\1\r*\n")
    dfsc = int(m.group(1))
    con.expect(rf"\[bulkhead\] ERROR:   data abort: DFSC 0x0{dfsc} "
               rf"\(translation fault, level {dfsc - 4}\), WnR 0")
    con.expect(rf"\[bulkhead\] ERROR:   ELR_EL2 0x[0-9a-f]+ FAR_EL2 {va:#x} "
               r"SPSR_EL2 0x[0-9a-f]+\r*\n")
    con.expect(rf"\[bulkhead\] ERROR: CPU {faulting} parked; the other CPUs run on")
    if smp > 1:
        # CPU 0 reports after the fault: only the faulting CPU stopped.
        con.expect(r"\[bulkhead\] test-fault: cpu0 still running")


# A runaway recursion at EL2 (bulkhead.test-fault=el2-stack: CPU 1 calls
# itself until its stack is used up; alone, CPU 0 on its boot stack) faults
# just below the stack, where nothing is mapped (CPU 1's own window; the
# guard page under the boot stack); the report comes from the CPU's fault
# stack above it, names the overflow, and only that CPU parks. Before the
# fault stack, the exception's own frame faulted again below the stack, for
# ever: a silent hang; before the guard, the boot stack ran into other BSS.
@pytest.mark.timeout(40)
@pytest.mark.parametrize("smp, cpu", [(4, 1), (1, 0)], ids=["smp4", "smp1"])
def test_a_cpu_that_uses_up_its_el2_stack_is_reported_and_parked(qemu, smp, cpu):
    con = qemu.boot_kernel(HYP_TESTFAULT, gic=3, smp=smp,
                           extra=["-append", "bulkhead.test-fault=el2-stack"])
    expect_clean_boot(con, smp)
    con.expect(rf"\[bulkhead\] test-fault: cpu{cpu} recursing until its stack is used up")
    con.expect(rf"\[bulkhead\] ERROR: unexpected exception on CPU {cpu}: "
               r"synchronous, from EL2 \(SP_EL2\)")
    con.expect(r"\[bulkhead\] ERROR:   ESR_EL2 0x9600004[67]: EC 0x25 \(data abort, same EL\)")
    m = con.expect(rf"\[bulkhead\] ERROR:   EL2 stack overflow: CPU {cpu} used up its 16 KiB "
                   r"stack at (0x[0-9a-f]+)-(0x[0-9a-f]+) \(SP (0x[0-9a-f]+)\)\r*\n")
    lo, hi, sp = (int(g, 16) for g in m.groups())
    # CPU 1's stack is in its window (2^47 + PA); the boot stack in the identity map.
    assert hi - lo == 16384 and lo >> 47 == (1 if cpu else 0), f"{lo:#x}-{hi:#x}"
    assert lo - 16384 <= sp < lo + 512, f"SP {sp:#x} is not at the bottom of {lo:#x}"
    m = con.expect(r"\[bulkhead\] ERROR:   ELR_EL2 0x[0-9a-f]+ FAR_EL2 (0x[0-9a-f]+) ")
    assert lo - 4096 <= int(m.group(1), 16) < lo, f"FAR {m.group(1)} is not just below the stack"
    con.expect(rf"\[bulkhead\] ERROR: CPU {cpu} parked; the other CPUs run on")
    if smp > 1:
        con.expect(r"\[bulkhead\] test-fault: cpu0 still running")


# A fault after the MMU is on but before the console is (the test build's
# bulkhead.test-fault=early-abort: CPU 0 reads an unmapped VA before it reads
# the board's tree): the report comes on the fallback UART (stdout-path's),
# after the lines logged before it. Until 2026-11-24 every line stayed in the
# console's early buffer, and the boot ended without a word.
@pytest.mark.timeout(30)
def test_a_fault_before_the_console_is_up_is_reported(qemu):
    # The boot's stop is expected: its "ERROR: boot stopped:" must not end the expect()
    # that waits for its whole line (it did on 2026-11-25, the line's end not yet read).
    con = qemu.boot_kernel(HYP_TESTFAULT, gic=3, smp=1, fail_on=r"\[bulkhead\] ERROR: panic:",
                           extra=["-append", "bulkhead.test-fault=early-abort"])
    con.expect(r"\[bulkhead\] Bulkhead \S+ booting at EL2 on CPU 0", timeout=BOOT_TIMEOUT)
    con.expect(r"\[bulkhead\] test-fault: early-abort\r*\n")
    con.expect(r"\[bulkhead\] test-fault: cpu0 reading an unmapped VA at 0xff8000000000 in the "
               r"boot, before platform_discover\(\)")
    con.expect(r"\[bulkhead\] ERROR: unexpected exception on CPU 0: synchronous, from EL2 "
               r"\(SP_EL2\)")
    con.expect(r"\[bulkhead\] ERROR:   ESR_EL2 0x96000004: EC 0x25 \(data abort, same EL\)")
    con.expect(r"\[bulkhead\] ERROR:   ELR_EL2 0x[0-9a-f]+ FAR_EL2 0xff8000000000 ")
    con.expect(r"\[bulkhead\] ERROR: boot stopped: a hypervisor fault on CPU 0 before the boot "
               r"was done \(above\): no cell runs")


# A CPU whose GIC cannot be set up (the test build fails CPU 1's on purpose:
# bulkhead.test-fault=gic-cpu1) is not online: it says why and parks, the
# count leaves it out, and the cell naming it (beta: CPUs 0x1-0x3) is refused
# alone. alpha, on CPU 0, starts and runs. Bound to CPU 1, beta would never
# have started: CPU 1 cannot take the kick that starts it.
@pytest.mark.timeout(40)
def test_cpu_whose_gic_fails_is_not_online_and_only_its_cell_is_refused(qemu):
    why = "its GIC redistributor or CPU interface could not be set up"
    con = cells.boot_bare(qemu, "two-cells", hyp=HYP_TESTFAULT,
                          bootargs="bulkhead.test-fault=gic-cpu1",
                          alpha="heartbeat", beta="heartbeat")
    con.expect(r"\[bulkhead\] ERROR: gic: cpu1: test-fault: its GIC set-up fails on purpose",
               timeout=BOOT_TIMEOUT)
    con.expect(rf"\[bulkhead\] ERROR: cpu1 \(MPIDR 0x1\): {why} \(-5\): parked, not "
               r"online; no cell can use it")
    con.expect(r"\[bulkhead\] smp: 3 of 4 CPUs online")
    con.expect(r"\[bulkhead\] gic: IPI self-test: 3 of 3 CPUs answered")
    con.expect(rf"\[bulkhead\] ERROR: cell beta: CPU 0x1 is not online \({why}\): the cell "
               r"is refused, the other cells are built without it")
    con.expect(r"\[bulkhead\] cell alpha: starting \(boot #1\)")
    cells.expect_heartbeat(con, "alpha", 3)
    log = con.log()
    assert "cpu1: online at EL2" not in log, "cpu1 said it was online"
    assert "cell beta: starting" not in log and not cells.cell_lines(log, "beta"), \
        "the refused cell beta started"
    con.expect_not(r"\[bulkhead\] ERROR: cell beta: CPU 0x[23] ")


# A fault name the test build does not know is said, and the default taken.
# Until 2026-11-24 its "%.*s" (lib/printf.c has no '*') read the name's length
# as the next argument and the boot took an EL2 data abort in the message.
@pytest.mark.timeout(30)
def test_an_unknown_test_fault_name_is_reported(qemu):
    con = cells.boot_bare(qemu, "two-cells", hyp=HYP_TESTFAULT,
                          bootargs="bulkhead.test-fault=no-such-fault",
                          alpha="heartbeat", beta="heartbeat")
    con.expect(r"ERROR: test-fault: /chosen: bootargs: bulkhead.test-fault=no-such-fault: no "
               r"such fault \(el2-abort, [^)]*\); taking el2-abort", timeout=BOOT_TIMEOUT)
    con.expect(r"test-fault: el2-abort", timeout=5)
    assert "unexpected exception on CPU 0" not in con.log()


# A CPU with a smaller physical address range than the boot CPU (the test
# build's CPU 1 says 32 bits: bulkhead.test-fault=parange-cpu1; cortex-a53 has
# 40) could not use the stage 2 every cell is built with: it parks, and the
# cell naming it is refused, as for a GIC that fails. Before, it came online
# and would have written VTCR_EL2 = 0 for beta, whose first fetch faulted.
@pytest.mark.timeout(40)
def test_cpu_with_a_smaller_pa_range_is_not_online_and_only_its_cell_is_refused(qemu):
    why = ("its physical address range is smaller than the boot CPU's, for which every cell's "
           "stage 2 is built")
    con = cells.boot_bare(qemu, "two-cells", hyp=HYP_TESTFAULT,
                          bootargs="bulkhead.test-fault=parange-cpu1",
                          alpha="heartbeat", beta="heartbeat")
    con.expect(rf"\[bulkhead\] ERROR: cpu1 \(MPIDR 0x1\): {why} \(32 bits, the boot CPU's 40\): "
               r"parked, not online; no cell can use it", timeout=BOOT_TIMEOUT)
    con.expect(r"\[bulkhead\] smp: 3 of 4 CPUs online")
    con.expect(rf"\[bulkhead\] ERROR: cell beta: CPU 0x1 is not online \({why}\): the cell "
               r"is refused, the other cells are built without it")
    cells.expect_heartbeat_from_boot(con, "alpha", 2)  # alpha is built, not yet loaded
    assert "cell beta: starting" not in con.log(), "the refused cell beta started"


def virt_dtb_with_two_redistributor_regions(path):
    """QEMU virt's own DTB (-smp 4, GICv3, as cells.boot_bare() runs it), its
    one GICR region cut in two as a two-socket board gives them: CPUs 0-1 in
    the first (whose last redistributor has no GICR_TYPER.Last: the walk ends
    at the region's end), CPUs 2-3 in the second."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = qemu_command(kernel=cells.HYP, smp=4, gic=3, machine_opts=f"dumpdtb={path}")
    subprocess.run(cmd, check=True, capture_output=True, timeout=30)
    node = "/intc@8000000"
    for prop, value in (("reg", "0 8000000 0 10000 0 80a0000 0 40000 0 80e0000 0 f20000"),
                        ("#redistributor-regions", "2")):
        subprocess.run(["fdtput", "-t", "x", str(path), node, prop] + value.split(),
                       check=True, capture_output=True)
    return path


def two_cells_split_at_the_second_region(path):
    """configs/qemu-virt/two-cells with alpha on CPUs 0-1, the first
    redistributor region's, and beta on CPUs 2-3, the second's (its own
    two-cells gives beta CPUs 1-3, its boot vCPU on CPU 1, in the first)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cells.compile_layout("two-cells").read_bytes())
    for node, cpus in (("/bulkhead/cell@0", "0 1"), ("/bulkhead/cell@1", "2 3")):
        subprocess.run(["fdtput", "-t", "x", str(path), node, "cpus"] + cpus.split(),
                       check=True, capture_output=True)
    return path


# A board with two GICR regions (#redistributor-regions = 2): the CPUs whose
# redistributors are in the second one come online, and a cell on them runs:
# beta, on CPUs 2-3, beats on CPU 2 (its timer's PPI through CPU 2's
# redistributor) and starts its second vCPU on CPU 3 (CPU_ON wakes CPU 3 by
# an SGI through its redistributor). Until 2026-11-25 beta had CPUs 1-3 and
# ran the heartbeat guest on CPU 1 alone: no vCPU ran in the second region.
# The beats are counted from the boot: 5 s for beat 3 after the self-test's
# line left 1.8 s for the cells' load, which a loaded host can take (with QEMU
# given a fifth of a CPU, 4 boots in 10 failed so; none of 10 with these).
@pytest.mark.timeout(40)
def test_cpus_in_a_second_redistributor_region_come_online(qemu):
    dtb = virt_dtb_with_two_redistributor_regions(SCENARIOS / "dtbs" / "virt-two-gicr.dtb")
    layout = two_cells_split_at_the_second_region(SCENARIOS / "layouts" / "two-cells-2+2.dtb")
    con = cells.boot_bare(qemu, layout, qemu_args=["-dtb", str(dtb)],
                          alpha="heartbeat", beta="smp_report")
    con.expect(r"\[bulkhead\] gic: GICv3, \d+ interrupt lines \(SPIs 32-\d+\), 4 redistributors in 2 "
               r"regions\r*\n", timeout=BOOT_TIMEOUT)
    con.expect(r"\[bulkhead\] smp: 4 of 4 CPUs online")
    con.expect(r"\[bulkhead\] gic: IPI self-test: 4 of 4 CPUs answered")
    cells.expect_heartbeat_from_boot(con, "alpha", 3)
    cells.expect_heartbeat_from_boot(con, "beta", 3)
    assert re.search(r'cell "beta" \(/bulkhead/cell@1\)\r*\n\[bulkhead\]   CPUs: 0x2 0x3\r*\n',
                     con.log()), "beta is not on CPUs 2-3"
    beta = cells.cell_lines(con.log(), "beta")
    for line in ("boot vCPU MPIDR 0x80000000", "CPU_ON(1) = 0", "cpu 1 up, MPIDR 0x80000001",
                 "secondaries started: 1"):
        assert line in beta, f"beta (CPUs 2-3) did not print {line!r}: {beta}"
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


# A GICv2 targets 8 CPU interfaces (QEMU refuses -smp 9 with one): QEMU's own
# GICv2 DTB with cpu@4..cpu@8 added, 9 CPUs, stops the boot at discovery,
# which says why, as bulkhead-check does (test_bulkhead_check.py).
@pytest.mark.timeout(40)
def test_a_gicv2_board_with_nine_cpus_stops_the_boot_at_discovery(qemu):
    dtb = SCENARIOS / "dtbs" / "virt-gicv2-9-cpus.dtb"
    dtb.parent.mkdir(parents=True, exist_ok=True)
    cmd = qemu_command(kernel=cells.HYP, smp=4, gic=2, machine_opts=f"dumpdtb={dtb}")
    subprocess.run(cmd, check=True, capture_output=True, timeout=30)
    add_cpus(dtb, 4, 8)
    con = cells.boot_bare(qemu, "two-cells", gic=2, qemu_args=["-dtb", str(dtb)], fail_on=None,
                          alpha="heartbeat", beta="heartbeat")
    con.expect(r"\[bulkhead\] ERROR: platform: /intc@8000000: compatible: a GICv2 with 9 CPUs "
               r"in /cpus: it targets at most 8 CPU interfaces \(GICD_ITARGETSR and "
               r"GICD_SGIR's CPUTargetList have a bit for each, 8 in all\)\r*\n",
               timeout=BOOT_TIMEOUT)
    con.expect(r"\[bulkhead\] ERROR: boot stopped: the board device tree lacks what Bulkhead "
               r"needs \(errors above\)")
    assert "[alpha]" not in con.log() and "cell alpha" not in con.log(), con.log()


def test_stock_uboot_environment_boots_without_typing(qemu):
    # As `make run` does: U-Boot's own environment (bootdelay 2 s), no key sent.
    con = qemu.boot(HYP, gic=3, smp=4, bootdelay=None)
    con.expect(r"Hit any key to stop autoboot", timeout=BOOT_TIMEOUT)
    expect_clean_boot(con, 4)
    con.expect_not(r"ERROR")
