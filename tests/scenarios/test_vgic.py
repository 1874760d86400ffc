# SPDX-License-Identifier: GPL-2.0-only
"""The virtual GIC (docs/vgic.md): timers forwarded as hardware-linked
interrupts, SGIs inside a cell and never outside it, SPIs of other cells out
of reach, a passed-through device interrupt delivered, and a cell flooding
itself with SGIs unable to delay another cell's timer or to reach its CPU.

Every test runs on QEMU's GICv3 and GICv2 (gic-version=3 / 2), bare -kernel,
with the two-cells layout: alpha on CPU 0, beta on CPUs 1-3 with the PL031.
Guests: tests/guests/vgic_*.c.
"""

import re

import pytest

import cells
from test_lifecycle import enter_shell, shell, shell_stats

GICS = [3, 2]
TIMEOUT = 10  # a cell's whole test takes 1-3 s after boot


def assert_passed(log, label, names):
    results = cells.results_of(log, label)
    cells.assert_all_pass(results, label, names)
    return results


def observer_beats(log, label):
    """[(beat, unexpected)] of a vgic_observer / vgic_sgi heartbeat."""
    return [(int(b), int(u)) for b, u in re.findall(
        rf"^\[{re.escape(label)}\] heartbeat (\d+) unexpected (\d+)$", log, re.MULTILINE)]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("gic", GICS)
def test_virtual_and_physical_timers_tick_on_every_vcpu(qemu, gic):
    """Both EL1 timers of every vCPU of both cells, 50 each in a 500 ms
    window. Under -icount: without it, on a host with fewer free cores than
    beta's busy vCPU threads, QEMU deschedules the thread whose turn it is at
    beta's vGIC lock while the others spin through their time slices; beta's
    three vCPUs, whose timers expire together, then spent 60-570 ms an exit
    at EL2 and took a timer every 200-300 ms, both at once, until the window
    was gone (count=0,0 to 46,46; about 1 run in 150 on GICv2 at a host load
    of 3-4, 1 in 12 with two more busy loops; docs/vgic.md, "Known limits").
    Virtual time follows instructions under icount, not the host's
    scheduling: 0 failures in 600 runs at the same loads."""
    con = cells.boot_bare(qemu, "two-cells", gic=gic, icount=True, alpha="vgic_timer",
                          beta="vgic_timer")
    cells.expect_all(con, [r"\[alpha\] TEST vgic_timer (PASS|FAIL)",
                           r"\[beta\] TEST vgic_timer (PASS|FAIL)"], timeout=TIMEOUT)
    log = con.log()

    alpha = assert_passed(log, "alpha", ["timer_vcpu0", "vgic_timer"])
    beta = assert_passed(log, "beta", ["timer_vcpu0", "timer_vcpu1", "timer_vcpu2",
                                       "vgic_timer"])
    for label, res in (("alpha", alpha), ("beta", beta)):
        for name, (_, detail) in sorted(res.items()):
            if name.startswith("timer_vcpu"):
                print(f"GICv{gic} {label} {name}: {detail}")
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


@pytest.mark.timeout(30)
def test_every_register_survives_the_interrupts_taken_for_the_guest(qemu):
    """alpha's virtual timer fires every 50 us while x1-x30 hold values of
    their own (tests/guests/irq_regs.c): each interrupt is taken at EL2 and
    injected, and the IRQ vector saves only what its C may change
    (arch/arm64/vectors.S): every register comes back as it was. GICv3 only:
    the guest never traps while it spins, and QEMU's GICv2 signals a timer
    deactivated through GICV again only at a trapped WFI (docs/vgic.md), so
    there it takes one or two interrupts."""
    # Virtual time follows instructions: a loaded host neither starves the
    # spin (a 50 us timer that catches up on every missed period) nor moves
    # the count.
    con = cells.boot_bare(qemu, "two-cells", gic=3, icount=True, alpha="irq_regs",
                          beta="heartbeat")
    con.expect(r"\[alpha\] TEST irq_regs (PASS|FAIL)", timeout=TIMEOUT)
    assert_passed(con.log(), "alpha", ["irq_regs"])
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


def check_cpu_off_inside_a_handler(qemu, layout, gic):
    """beta's vCPU 1 turns itself off inside its timer's handler, 4 times;
    each CPU_ON finds its timer delivered again."""
    con = cells.boot_bare(qemu, layout, gic=gic, alpha="heartbeat", beta="vgic_cpu_off")
    con.expect(r"\[beta\] TEST vgic_cpu_off (PASS|FAIL)", timeout=TIMEOUT)
    log = con.log()
    assert_passed(log, "beta", ["vgic_cpu_off"])
    rounds = re.findall(r"^\[beta\] round (\d): timer (\w+)", log, re.MULTILINE)
    assert rounds == [(str(n), "taken") for n in range(4)], rounds
    cells.expect_heartbeat(con, "alpha", 2)
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


@pytest.mark.timeout(30)
@pytest.mark.parametrize("gic", GICS)
def test_a_vcpu_turned_off_inside_its_timers_handler_gets_its_timer_again(qemu, gic):
    check_cpu_off_inside_a_handler(qemu, "two-cells", gic)


def check_unrouted_spi_goes_nowhere(qemu, layout):
    """beta routes its RTC SPI, pending, to an affinity it has no vCPU at,
    then to vCPU 0: taken only then, once."""
    con = cells.boot_bare(qemu, layout, gic=3, alpha="heartbeat", beta="vgic_unrouted")
    con.expect(r"\[beta\] TEST vgic_unrouted (PASS|FAIL)", timeout=TIMEOUT)
    log = con.log()
    assert "[beta] unrouted 0 routed 1 other 0" in log
    assert_passed(log, "beta", ["vgic_unrouted"])
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


@pytest.mark.timeout(30)
def test_an_spi_routed_to_no_vcpu_of_the_cell_is_delivered_nowhere(qemu):
    check_unrouted_spi_goes_nowhere(qemu, "two-cells")


def check_sgis_stay_in_the_cell(qemu, layout, gic):
    """beta (3 vCPUs) runs vgic_sgi, alpha vgic_observer counts what it never asked for."""
    con = cells.boot_bare(qemu, layout, gic=gic, alpha="vgic_observer", beta="vgic_sgi")
    con.expect(r"\[beta\] TEST vgic_sgi (PASS|FAIL)", timeout=TIMEOUT)
    # alpha beats on for a while after beta's last SGI.
    beat = observer_beats(con.log(), "alpha")
    last = beat[-1][0] if beat else 0
    con.expect(rf"\[alpha\] heartbeat {last + 3} unexpected \d+\r*\n", timeout=3)
    log = con.log()

    assert_passed(log, "beta", ["sgi_targeted", "sgi_self", "sgi_broadcast", "vgic_sgi"])
    beats = observer_beats(log, "alpha")
    assert beats, "alpha printed no heartbeat"
    bad = [(b, u) for b, u in beats if u]
    assert not bad, f"alpha took interrupts it never asked for: {bad[:5]}"
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


@pytest.mark.timeout(30)
@pytest.mark.parametrize("gic", GICS)
def test_sgis_reach_their_vcpus_and_never_another_cell(qemu, gic):
    check_sgis_stay_in_the_cell(qemu, "two-cells", gic)


def check_foreign_spi_untouchable(qemu, layout, gic, attacker, owner):
    """ATTACKER runs vgic_foreign against INTID 34, the RTC of OWNER (vgic_rtc),
    whose alarm must come after the attack all the same."""
    con = cells.boot_bare(qemu, layout, gic=gic, **{attacker: "vgic_foreign", owner: "vgic_rtc"})
    cells.expect_all(con, [rf"\[{attacker}\] TEST vgic_foreign (PASS|FAIL)",
                           rf"\[{owner}\] TEST rtc_irq (PASS|FAIL)"], timeout=TIMEOUT)
    log = con.log()

    assert_passed(log, attacker, ["foreign_enable", "foreign_pend", "foreign_activate",
                                  "foreign_priority", "foreign_route", "vgic_foreign"])
    res = assert_passed(log, owner, ["rtc_irq"])
    print(f"{layout} GICv{gic} {owner} rtc_irq: {res['rtc_irq'][1]}")
    # The attack came first: the alarm fired after it and was delivered anyway.
    assert log.index(f"[{attacker}] TEST vgic_foreign") < log.index(f"[{owner}] TEST rtc_irq")
    # Enable, pend and activate: INTID 34 is reported once, for the first.
    reports = re.findall(rf"^\[bulkhead\] WARN: {attacker}: vGIC: .*$", log, re.MULTILINE)
    assert reports == [f"[bulkhead] WARN: {attacker}: vGIC: write to GICD_ISENABLER1 would "
                       "enable INTID 34, not the cell's; ignored"], \
        f"want one hypervisor report of {attacker}'s writes to INTID 34, got {reports}"
    con.expect_not(rf"\[bulkhead\] (WARN|ERROR): {owner}")


@pytest.mark.timeout(30)
@pytest.mark.parametrize("gic", GICS)
def test_foreign_spi_is_untouchable_and_its_owner_gets_the_rtc_alarm(qemu, gic):
    check_foreign_spi_untouchable(qemu, "two-cells", gic, "alpha", "beta")


@pytest.mark.timeout(40)
@pytest.mark.parametrize("gic", GICS)
def test_a_passed_through_interrupt_the_guest_drops_comes_again(qemu, gic):
    """beta's RTC alarm goes off while beta cannot take it (INTID 34 disabled, or
    IRQs masked); beta clears the alarm and drops the interrupt (GICD_ICPENDR,
    or GICD_ICFGR making it edge), then arms another: that one is delivered.
    The physical interrupt was left active for the guest's deactivation
    through a list register, which a dropped one never reaches: before, it
    stayed active for good and the RTC never interrupted beta again."""
    con = cells.boot_bare(qemu, "two-cells", gic=gic, alpha="heartbeat",
                          beta="vgic_rtc_drop")
    con.expect(r"\[beta\] TEST vgic_rtc_drop (PASS|FAIL)", timeout=3 * TIMEOUT)
    assert_passed(con.log(), "beta", ["drop_icpendr", "drop_icfgr", "drop_listed",
                                      "vgic_rtc_drop"])
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


@pytest.mark.timeout(40)
@pytest.mark.parametrize("gic", GICS)
def test_another_vcpus_listed_interrupt_is_read_and_changed_as_it_is(qemu, gic):
    """beta's vCPU 1 holds an interrupt in a list register without leaving the
    guest: SGI 1 pending with its IRQs masked, SGI 2 and the RTC's SPI 34 active
    in its handler. vCPU 0 reads their state and clears it (GICR_ICPENDR0,
    GICR_ICACTIVER0, GICD_ICACTIVER), as Linux's synchronize_irq() and
    irq_set_irqchip_state() do. Before, it read the model as it was at vCPU 1's
    last exit (not pending, not active), and vCPU 1's next exit wrote the list
    register back over the write: the cleared SGI was still taken and the
    cleared active state came back."""
    con = cells.boot_bare(qemu, "two-cells", gic=gic, alpha="heartbeat", beta="vgic_cross")
    con.expect(r"\[beta\] TEST vgic_cross (PASS|FAIL)", timeout=3 * TIMEOUT)
    names = ["cross_active_spi", "vgic_cross"]
    if gic == 3:
        names += ["cross_pending_sgi", "cross_active_sgi"]
    assert_passed(con.log(), "beta", names)
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


# Under -icount QEMU runs every vCPU in turn on one host thread, so alpha's
# latency is a pure function of what runs: the same on every host and run.
# (Without icount it measured the host: QEMU emulates the GIC under its
# global lock, which each of beta's trapped SGIs takes several times; on CI's
# 2 cores a flooding neighbour cost alpha 5-11 ms, a busy one 1 us to 1.2 ms.)
# Beside the busy baseline (vgic_busy: the same vCPUs spinning, no SGIs) the
# flood may add a quarter: alpha's own path is the same, only beta's
# instruction stream differs. Both are 1875 us. A hypervisor that kicked
# alpha's CPU along with every kick of beta's fails both checks: 3282 us, and
# 431 365 kicks on alpha's CPU.
ICOUNT_TIMEOUT = 150  # 0.9 s of virtual time, 4 vCPUs taking turns, shift=1: ~12 s here (the test: 180 s)
# alpha's CPU, in the whole run: its own two timers at 100 Hz for ~1.3 s and
# the console's input to the shell (< 300 interrupts), and the one kick that
# starts it; beta's flood through it would add thousands of kicks and IRQs.
ALPHA_IRQS_MAX = 400
ALPHA_KICKS_MAX = 1


def timer_latency(qemu, gic, beta_guest):
    """alpha's worst timer latency (us) while beta runs BETA_GUEST, under
    icount, and the console for more questions. shift=1: 2 ns an instruction,
    so the 0.9 s of virtual time take half the instructions (host time) of
    shift=0; both runs alike, so their latencies compare."""
    con = cells.boot_bare(qemu, "two-cells", gic=gic, alpha="vgic_timer", beta=beta_guest,
                          icount=1)
    m = con.expect(r"\[alpha\] latency max_us=(\d+) ", timeout=ICOUNT_TIMEOUT)
    con.expect(r"\[alpha\] TEST vgic_timer (PASS|FAIL)", timeout=2)
    assert_passed(con.log(), "alpha", ["timer_vcpu0", "vgic_timer"])
    if beta_guest == "vgic_flood":
        # The flood outlasted alpha's measurement, and beta survived it.
        con.expect(r"\[beta\] TEST vgic_flood PASS", timeout=ICOUNT_TIMEOUT)
        log = con.log()
        assert log.index("[alpha] latency") < log.index("[beta] flood vcpu"), \
            "beta's flood ended before alpha's measurement did"
    return int(m.group(1)), con


def cpu_stats(con):
    """The shell's stats since boot: {label: [{event: count} per vCPU]}."""
    enter_shell(con)
    # Under icount the shell's echo stopped and no table came within 5 s in CI (2026-11-24),
    # not understood: 20 s tells a slow answer from a hung one next time.
    since, stats = shell_stats(con, timeout=20)
    assert since is None, since
    assert len(stats.get("alpha", [])) == 1 and len(stats.get("beta", [])) == 3, stats
    return stats



@pytest.mark.timeout(180)
@pytest.mark.parametrize("gic", GICS)
def test_sgi_flood_does_not_delay_or_reach_another_cells_cpu(qemu, gic):
    base, con = timer_latency(qemu, gic, "vgic_busy")
    con.close()
    flood, con = timer_latency(qemu, gic, "vgic_flood")
    for line in cells.cell_lines(con.log(), "beta"):
        if line.startswith("flood "):
            print(f"GICv{gic} beta {line}")
    print(f"GICv{gic} alpha timer latency max: busy neighbour {base} us, "
          f"flooding neighbour {flood} us")
    stats = cpu_stats(con)
    print(f"GICv{gic} stats {stats}")

    alpha = stats["alpha"][0]
    assert alpha["kick"] <= ALPHA_KICKS_MAX and alpha["irq"] <= ALPHA_IRQS_MAX, \
        f"beta's flood reached alpha's CPU: {alpha}"
    sends = "sgi" if gic == 3 else "mmio"  # ICC_SGI1R_EL1, or GICD_SGIR
    for vcpu, cpu in enumerate(stats["beta"]):
        assert cpu[sends] > 10000 and cpu["kick"] > 100, \
            f"beta vcpu{vcpu} did not flood through the hypervisor: {cpu}"
    assert flood <= base + base // 4, \
        f"alpha's timer latency: {flood} us with beta flooding SGIs, {base} us with beta busy"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("gic", GICS)
def test_a_device_interrupt_raised_across_a_restart_reaches_each_boot(qemu, gic):
    """beta (tests/guests/rtc_reset.c) leaves the RTC's alarm raised, a level
    interrupt, and its vCPU1 asks for SYSTEM_RESET, thirty times: each boot
    must take the alarm after enabling it at its vGIC. vCPU0's CPU waits in
    the hypervisor during the reload, interrupts unmasked, and takes the SPI
    as soon as the reload enables it; before, an SPI taken before the cell
    said RUNNING was switched off for the whole boot. beta has 16 MiB here
    (layouts/restart-loop.dts): each restart scrubs it."""
    con = cells.boot_bare(qemu, "restart-loop", gic=gic, alpha="heartbeat", beta="rtc_reset")
    m = con.expect(r"\[beta\] TEST rtc_reset (PASS|FAIL)[^\n]*\r*\n", timeout=100)
    log = con.log()
    assert m.group(0).strip() == "[beta] TEST rtc_reset PASS boots=30", m.group(0).strip()
    assert "[beta] TEST rtc_reset FAIL" not in log
    assert "cell beta: restarting (PSCI SYSTEM_RESET)" in log
    cells.expect_heartbeat(con, "alpha", 2)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("gic", GICS)
def test_the_console_interrupt_left_high_by_a_boot_reaches_the_next(qemu, gic):
    """beta (tests/guests/vuart_irq_reset.c) resets itself with its virtual
    UART's interrupt line high; the new boot's first UART access raises it
    again and must get the interrupt. The UART tells the vGIC only of a level
    it does not have: the restart's reset of the vGIC's model must reset what
    the UART thinks it told, or that first rise goes untold."""
    con = cells.boot_bare(qemu, "two-cells", gic=gic, alpha="heartbeat", beta="vuart_irq_reset")
    con.expect(r"\[beta\] boot 1: UART interrupt taken", timeout=TIMEOUT)
    con.expect(r"\[bulkhead\] cell beta: restarting \(PSCI SYSTEM_RESET\)", timeout=2)
    m = con.expect(r"\[beta\] TEST vuart_irq_reset (PASS|FAIL)([^\r\n]*)\r*\n", timeout=TIMEOUT)
    assert m.group(1) == "PASS", f"TEST vuart_irq_reset FAIL{m.group(2)}"
    cells.expect_heartbeat(con, "beta", 2)
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")
