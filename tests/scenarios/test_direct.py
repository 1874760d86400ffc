# SPDX-License-Identifier: GPL-2.0-only
"""Direct interrupt mode (docs/vgic.md, GICv3 only): beta's interrupts are
physical Group 1 interrupts delivered straight to its EL1, the hypervisor's
own are Group 0 FIQs. The vGIC scenarios again, with beta direct and alpha
(CPU 0) emulated beside it: timers, SGIs inside the cell and never outside,
the passed-through RTC, foreign SPIs out of reach; then what direct mode must
not lose: stop and restart through the hypervisor's kick, the watchdog, and
the emulated console and doorbells through spare SPIs.
"""

import re

import pytest

import cells
from cells import assert_all_pass, results_of
from conftest import SCENARIOS
from test_hostile import boot, check_alive, check_victim, run, victim_beats, wait_for
from test_lifecycle import (ESCAPE, WAIT_SECONDS, enter_shell, expect_watchdog_restart, shell,
                            shell_stats)
from test_linux_cells import (MiB, boot_linux_layout, cell_ready, cell_shell, check_linux_cell,
                              focus, send_slowly)
from test_vgic import (TIMEOUT, assert_passed, check_cpu_off_inside_a_handler,
                       check_foreign_spi_untouchable, check_sgis_stay_in_the_cell,
                       check_unrouted_spi_goes_nowhere)

LAYOUT = "two-cells-direct"
LINUX_LAYOUT = cells.LAYOUT_SRC / "linux-direct.dts"


@pytest.mark.timeout(30)
def test_direct_cell_timers_tick_on_every_vcpu(qemu):
    """Both timers of every vCPU tick in a direct cell. vgic_timer gives its
    virtual timer priority 0xf0, the lowest a 5-bit CPU interface (QEMU's)
    signals: squeezed into 0xf8 it was never delivered (docs/vgic.md,
    guest_priority() in gic/vgic_direct.c), and its count here was 0."""
    con = cells.boot_bare(qemu, LAYOUT, gic=3, alpha="vgic_timer", beta="vgic_timer")
    cells.expect_all(con, [r"\[alpha\] TEST vgic_timer (PASS|FAIL)",
                           r"\[beta\] TEST vgic_timer (PASS|FAIL)"], timeout=TIMEOUT)
    log = con.log()
    # The boot log gives the line count bulkhead-check's --gic-lines wants for another
    # board (README), and the spare SPIs are taken from its top.
    lines = re.search(r"\[bulkhead\] gic: GICv3, (\d+) interrupt lines \(SPIs 32-\d+\)", log)
    assert lines, log
    assert re.search(rf"beta: direct interrupts: virtual console on INTID {int(lines[1]) - 1}\b",
                     log), log
    assert "beta: direct interrupts: virtual console on INTID 287" in log
    assert_passed(log, "alpha", ["timer_vcpu0", "vgic_timer"])
    beta = assert_passed(log, "beta", ["timer_vcpu0", "timer_vcpu1", "timer_vcpu2",
                                       "vgic_timer"])
    for name, (_, detail) in sorted(beta.items()):
        if name.startswith("timer_vcpu"):
            print(f"direct beta {name}: {detail}")
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


@pytest.mark.timeout(150)
def test_linux_runs_in_a_direct_cell(qemu):
    con = boot_linux_layout(qemu, LINUX_LAYOUT, smp=3, bare="heartbeat")
    cell_ready(con, "linux", timeout=90)
    focus(con, 0, "linux")
    check_linux_cell(con, "linux", 2, 256 * MiB)
    # Its console's interrupt is the spare SPI (INTID 287 = GIC SPI 255) and it fires.
    interrupts = cell_shell(con, "linux", "grep -E 'uart|pl011' /proc/interrupts")
    m = re.search(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+GICv3\s+287 Level", interrupts, re.MULTILINE)
    assert m and int(m.group(1)) + int(m.group(2)) > 0, interrupts
    send_slowly(con, "reboot -f\n")
    con.expect(r"cell linux: starting \(boot #2\)", timeout=30)
    cell_ready(con, "linux", timeout=90)
    cells.expect_heartbeat(con, "bare", 2)
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


@pytest.mark.timeout(30)
def test_direct_cell_sgis_reach_its_vcpus_and_never_another_cell(qemu):
    check_sgis_stay_in_the_cell(qemu, LAYOUT, 3)


@pytest.mark.timeout(30)
def test_a_direct_vcpu_turned_off_inside_its_timers_handler_gets_its_timer_again(qemu):
    check_cpu_off_inside_a_handler(qemu, LAYOUT, 3)


@pytest.mark.timeout(30)
def test_an_spi_a_direct_cell_routes_to_no_vcpu_is_delivered_nowhere(qemu):
    check_unrouted_spi_goes_nowhere(qemu, LAYOUT)


@pytest.mark.timeout(30)
def test_direct_cell_gets_its_rtc_alarm_and_an_emulated_neighbour_cannot_touch_it(qemu):
    check_foreign_spi_untouchable(qemu, LAYOUT, 3, "alpha", "beta")


@pytest.mark.timeout(30)
def test_direct_cell_cannot_touch_its_neighbours_rtc(qemu):
    """beta writes through to the physical GIC, but only for its own INTIDs."""
    check_foreign_spi_untouchable(qemu, "direct-neighbour", 3, "beta", "alpha")


@pytest.mark.timeout(40)
def test_shell_stops_and_restarts_a_direct_cell(qemu):
    """Both go through the hypervisor's kick, a Group 0 SGI taken as an FIQ."""
    con = cells.boot_bare(qemu, LAYOUT, gic=3, alpha="heartbeat", beta="heartbeat")
    cells.expect_heartbeat(con, "beta", 1)
    enter_shell(con)
    shell(con, "stats reset", until=r"shell: stats counts from here on")
    shell(con, "restart beta")
    con.expect(r"cell beta: starting \(boot #2\)", timeout=5)
    # vCPUs 1 and 2 were never powered on: their CPUs took the stop's kick
    # all the same (Group 0 is taken at EL2 from the CPU's first loop on).
    # Before, it stayed pending and those CPUs spun in their WFI.
    _, stats = shell_stats(con)
    assert [v["kick"] > 0 for v in stats["beta"]] == [True, True, True], stats["beta"]
    shell(con, "stop beta")
    con.expect(r"cell beta: stopped \(stop requested: shell\)", timeout=5)
    shell(con, "start beta")
    con.expect(r"cell beta: starting \(boot #3\)", timeout=5)
    con.send(ESCAPE + "1")
    con.expect(r"input goes to cell beta", timeout=5)
    cells.expect_heartbeat(con, "beta", 2)
    con.expect_not(r"did not leave the guest")


@pytest.mark.timeout(60)
def test_watchdog_restarts_a_direct_cell_hung_with_interrupts_masked(qemu):
    con = cells.boot_bare(qemu, "direct-watchdog", gic=3, icount=True, alpha="heartbeat",
                          beta="wdt_hang")
    expect_watchdog_restart(con, "beta")
    cells.expect_heartbeat(con, "alpha", 2, timeout=WAIT_SECONDS)


PMR_CHECKS = ["pmr_reads_back_open", "pmr_reads_back_critical", "pmr_masks_lower_priority",
              "pmr_masked_one_pending", "pmr_rpr_idle", "pmr_passes_higher_priority",
              "pmr_rpr_in_handler", "pmr_still_masked", "pmr_reads_back_unmasked",
              "pmr_unmask_delivers", "pmr_reads_back_zero", "pmr_zero_masks_all",
              "pmr_reads_back_reopened", "pmr_reopened_delivers", "pmr_no_stray", "vgic_pmr"]


@pytest.mark.timeout(30)
def test_a_direct_cells_priority_mask_holds_off_what_it_masks(qemu):
    """vgic_pmr's critical section (ICC_PMR_EL1 0x90, as FreeRTOS's GICv3
    port enters one): a lower-priority timer stays pending, a higher one is
    taken inside it, both after. The same guest in the emulated alpha and the
    direct beta. Before, a direct cell's ICC_PMR_EL1 was the virtual one and
    masked nothing: beta took the masked timer at once (docs/vgic.md)."""
    con = cells.boot_bare(qemu, LAYOUT, gic=3, alpha="vgic_pmr", beta="vgic_pmr")
    cells.expect_all(con, [r"\[alpha\] TEST vgic_pmr (PASS|FAIL)",
                           r"\[beta\] TEST vgic_pmr (PASS|FAIL)"], timeout=TIMEOUT)
    log = con.log()
    assert_passed(log, "alpha", PMR_CHECKS)
    assert_passed(log, "beta", PMR_CHECKS)
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


@pytest.mark.timeout(60)
def test_watchdog_restarts_a_direct_cell_hung_with_its_priority_mask_at_0(qemu):
    """The priority mask a direct guest writes reaches the physical one, but
    never masks the hypervisor's Group 0 (0x00): the watchdog's EL2 timer
    fires through a guest PMR of 0."""
    con = cells.boot_bare(qemu, "direct-watchdog", gic=3, icount=True, alpha="heartbeat",
                          beta="wdt_hang_pmr")
    con.expect(r"\[beta\] ICC_PMR_EL1 0x0\r*\n", timeout=WAIT_SECONDS)
    expect_watchdog_restart(con, "beta")
    cells.expect_heartbeat(con, "alpha", 2, timeout=WAIT_SECONDS)


@pytest.mark.timeout(40)
def test_shell_restarts_a_direct_cell_masked_by_its_pmr_through_its_kick(qemu):
    """A direct guest spinning with ICC_PMR_EL1 0 still takes the hypervisor's
    kick (Group 0, 0x00): the restart is not the forced one (no "did not take
    its kick"), and vCPU 0 counts the kick."""
    con = cells.boot_bare(qemu, LAYOUT, gic=3, alpha="heartbeat", beta="wdt_hang_pmr")
    con.expect(r"\[beta\] ICC_PMR_EL1 0x0\r*\n", timeout=WAIT_SECONDS)
    con.expect(r"\[beta\] last kick at tick \d+; hanging", timeout=WAIT_SECONDS)
    enter_shell(con)
    shell(con, "stats reset", until=r"shell: stats counts from here on")
    shell(con, "restart beta")
    con.expect(r"cell beta: starting \(boot #2\)", timeout=5)
    _, stats = shell_stats(con)
    assert stats["beta"][0]["kick"] > 0, stats["beta"]
    con.expect_not(r"did not take its kick|did not leave the guest|ignored the stop")


@pytest.mark.timeout(120)
def test_ping_pong_through_a_doorbell_to_a_direct_cell(qemu):
    con = cells.boot_bare(qemu, "shm-direct", gic=3, alpha="shm_ping", beta="shm_pong_direct",
                          gamma="shm_outsider")
    cells.expect_all(con, [r"\[beta\] TEST shm_pong (PASS|FAIL)",
                           r"\[alpha\] TEST shm_pingpong (PASS|FAIL)"], timeout=90)
    log = con.log()
    assert "beta: direct interrupts: doorbell of shared-memory region 0 on INTID 286" in log
    assert_passed(log, "alpha", ["shm_pingpong"])
    assert_passed(log, "beta", ["shm_pong", "shm_ro_read", "shm_ro_write", "shm_ring_plain",
                                "shm_ring_self"])
    print("direct beta: " + [l for l in cells.cell_lines(log, "beta")
                             if l.startswith("TEST shm_pong")][0])


def test_direct_mode_on_the_boot_cpu_is_refused(qemu):
    layout = cells.LAYOUT_SRC / "two-cells.dts"
    dts = SCENARIOS / "layouts" / "direct-boot-cpu.dts"
    dts.parent.mkdir(parents=True, exist_ok=True)
    dts.write_text(layout.read_text().replace('on-fault = "stop";',
                                              'on-fault = "stop";\n\t\t\tinterrupt-mode = "direct";'))
    con = cells.boot_bare(qemu, dts, gic=3, fail_on=None, alpha="heartbeat", beta="heartbeat")
    con.expect(r'ERROR: /bulkhead/cell@0: interrupt-mode: "direct": vCPU 0 is on the boot CPU',
               timeout=10)
    con.expect(r"cells could not be built: no cell started", timeout=5)


def test_direct_mode_on_gicv2_is_refused(qemu):
    con = cells.boot_bare(qemu, LAYOUT, gic=2, fail_on=None, alpha="heartbeat", beta="heartbeat")
    con.expect(r'layout: /bulkhead/cell@1: interrupt-mode: "direct" needs a GICv3; this board '
               r"has a GICv2", timeout=10)
    con.expect(r"layout rejected: no cell started", timeout=5)


@pytest.mark.timeout(40)
@pytest.mark.parametrize("guest,scenario", [("hostile_gic", "gic"), ("hostile_sgi", "sgi"),
                                            ("hostile_sysreg", "sysreg")])
def test_hostile_direct_cell_stays_contained(qemu, guest, scenario):
    """The hostile battery's GIC and SGI attacks from a direct cell (CPUs 2-3)
    on an emulated victim (CPUs 0-1): distributor programming of foreign
    INTIDs, SGIs of every target form including the hypervisor's own SGI
    numbers, trapped system registers."""
    con = run(qemu, guest, scenario, 3, checks=[guest], layout="hostile-direct")
    if guest == "hostile_sgi":
        assert re.search(r"WARN: hostile: vcpu\d: SGI 1[45] is the hypervisor's", con.log())


@pytest.mark.timeout(40)
def test_each_direct_cell_sending_the_hypervisors_sgis_is_reported_once(qemu):
    """Two direct cells send SGIs 14 and 15 (the hypervisor's) many times: each
    cell's first one is reported, by cell, and only that one; the emulated
    neighbour beats on."""
    con = cells.boot_bare(qemu, "three-cells-direct", gic=3, alpha="heartbeat",
                          beta="hostile_sgi", gamma="hostile_sgi")
    for label in ("beta", "gamma"):
        wait_for(con, rf"\[{label}\] hostile sgi done\r*\n", 20)
    before = cells.heartbeats(con.log(), "alpha")[-1]
    cells.expect_heartbeat(con, "alpha", before + 3)
    log = con.log()
    for label in ("beta", "gamma"):
        sent = re.search(rf"\[{label}\] hostile_sgi: (\d+) SGI writes", log)
        assert sent and int(sent.group(1)) > 100, log
        warned = re.findall(rf"WARN: {label}: vcpu0: SGI 1[45] is the hypervisor's; direct "
                            r"cells have SGIs 0-13 \(ignored, further ones not logged\)", log)
        assert len(warned) == 1, f"{label}: {warned}"


@pytest.mark.timeout(60)
def test_a_direct_cell_holding_off_its_kick_is_still_restarted(qemu):
    """hostile_ap1r raises its CPU's running priority to 0x00 through the
    untrappable ICC_AP1R0_EL1, so the hypervisor's Group 0 kick cannot reach
    it. The shell's restart does not wait for a kick a direct cell can hold
    off: its vCPUs are turned off and its stage 2 revoked at once, its next
    instruction fetch traps and the restart goes on. The shell runs on CPU 0,
    the victim's (stall_watch), which must not be held meanwhile."""
    con = cells.boot_bare(qemu, "hostile-direct", gic=3, hostile="hostile_ap1r",
                          victim="stall_watch")
    wait_for(con, r"\[hostile\] hostile_ap1r: running priority 0x00", 10)
    enter_shell(con)
    shell(con, "restart hostile")
    con.expect(r"cell hostile: starting \(boot #2\)", timeout=10)
    con.send(ESCAPE + "1")
    wait_for(con, r"\[hostile\] hostile ap1r done", 10)
    beat = int(con.expect(r"\[victim\] beat (\d+) maxgap_us \d+\r*\n", timeout=5).group(1))
    gap = int(con.expect(rf"\[victim\] beat {beat + 3} maxgap_us (\d+)\r*\n",
                         timeout=5).group(1))
    assert gap < 200000, f"the shell held the victim's CPU 0 for {gap} us"
    wait_for(con, r"\[hostile\] alive 3\b", 5)
    check_alive(con)
    con.expect_not(r"did not leave the guest|did not take its kick")


@pytest.mark.timeout(60)
def test_a_direct_cell_holding_off_its_kick_in_a_restart_storm_is_only_counted(qemu):
    """hostile_hold_storm holds off its kick on vCPU 1 and calls SYSTEM_RESET on
    vCPU 0, 8 boots running: each restart waits for vCPU 1 and revokes its
    stage 2, with a warning. Once the storm is only counted (the 6th quick
    restart), those warnings are quiet like the restarts' own lines: until
    2026-11-24 every boot added one, about two a second for ever."""
    con = boot(qemu, "hostile_hold_storm", 3, layout="hostile-direct")
    wait_for(con, r"\[hostile\] hostile hold_storm done", 40)
    log = con.log()
    assert re.search(r"cell hostile: restarting again \(PSCI SYSTEM_RESET\), 6 times in a row",
                     log)
    ignored = re.findall(r"WARN: hostile: vcpu1 \(CPU 3\) ignored the stop", log)
    assert 1 <= len(ignored) <= 6, f"{len(ignored)} warnings in 8 restarts"
    assert len(re.findall(r"vcpu1 \(CPU 3\) is still in the guest", log)) <= 6
    check_alive(con)


def expect_restarted_by_the_shell(con, scenario):
    """The shell's restart of the hostile cell, its hold dropped, reaches its
    CPU: boot 2 says `hostile SCENARIO done`, and no stop had to be forced."""
    __tracebackhide__ = True
    enter_shell(con)
    shell(con, "restart hostile")
    con.expect(r"cell hostile: starting \(boot #2\)", timeout=10)
    con.send(ESCAPE + "1")
    wait_for(con, rf"\[hostile\] hostile {scenario} done", 10)
    check_alive(con)
    con.expect_not(r"did not leave the guest|did not take its kick|ignored the stop")


@pytest.mark.timeout(60)
def test_a_direct_cell_waiting_with_its_kick_held_off_is_still_restarted(qemu):
    """hostile_wfi_hold holds off its kick as hostile_ap1r does, then waits in
    WFI with nothing of its own to come: a revoked stage 2 does not end a WFI,
    and its vCPU 0's CPU is the one that carries out the restart. The
    hypervisor traps the WFI and drops the held priority, reported once, before
    the CPU waits; the shell's restart then reaches it."""
    con = cells.boot_bare(qemu, "hostile-direct", gic=3, hostile="hostile_wfi_hold",
                          victim="stall_watch")
    wait_for(con, r"\[hostile\] hostile_wfi_hold: running priority 0x00, waiting in WFI", 10)
    con.expect(r"WARN: hostile: vcpu0: waits for an interrupt holding Group 1 active priority 0x00 "
               r"\(ICC_AP1R0_EL1 0x00000001\), which none of its interrupts has: dropped, so "
               r"that the hypervisor's interrupts reach its CPU \(further ones not logged\)",
               timeout=5)
    expect_restarted_by_the_shell(con, "wfi_hold")


@pytest.mark.timeout(60)
def test_a_direct_cell_waiting_with_an_nmis_priority_held_is_still_restarted(qemu):
    """The same hold as an NMI's (ICC_AP1R0_EL1 bit 63: FEAT_GICv3_NMI, QEMU's
    max), priority 0x00 with GICD_CTLR.DS set: dropped and reported before the
    CPU waits, as the others (it was left in place: only bits 31:0 were)."""
    con = cells.boot_bare(qemu, "hostile-direct", gic=3, cpu="max",
                          hostile="hostile_wfi_hold_nmi", victim="stall_watch")
    held = r"\[hostile\] hostile_wfi_hold_nmi: ICC_AP1R0_EL1 (0x[0-9a-f]+), waiting in WFI"
    wait_for(con, held, 10)
    ap1r0 = re.search(held, con.log()).group(1)
    assert ap1r0 == "0x8000000000000000", f"no NMI active priority on this CPU: {ap1r0}"
    con.expect(r"WARN: hostile: vcpu0: waits for an interrupt holding Group 1 active priority 0x00, "
               r"an NMI's \(ICC_AP1R0_EL1 0x8000000000000000\), which none of its interrupts has: "
               r"dropped", timeout=5)
    expect_restarted_by_the_shell(con, "wfi_hold_nmi")


@pytest.mark.timeout(60)
def test_a_vcpu_waiting_in_wfit_with_its_kick_held_off_leaves_for_its_restart(qemu):
    """hostile_overstay's vCPU 1 holds off its kick and waits in WFIT for 2 s,
    and its first instruction after stores into RAM; vCPU 0 asks for
    SYSTEM_RESET meanwhile. A revoked stage 2 does not end a WFIT: the
    hypervisor traps it and drops the held priority before its CPU waits, so
    the restart's kick ends the wait and vCPU 1 leaves without its store. The
    restart does not wait for it (it once gave up after 1 s and had to keep
    the new boot out until vCPU 1 woke), and the new boot finds its RAM
    unwritten."""
    con = boot(qemu, "hostile_overstay", 3, layout="hostile-direct", cpu="max")
    before = victim_beats(con.log())[-1]
    wait_for(con, r"\[hostile\] hostile_overstay: vcpu1 waits 2000 ms", 10)
    wait_for(con, r"cell hostile: starting \(boot #2\)", 5)  # may precede the line above
    assert re.search(r"WARN: hostile: vcpu1: waits for an interrupt holding Group 1 active "
                     r"priority 0x00 \(ICC_AP1R0_EL1 0x00000001\)", con.log()), \
        "the held priority was not reported"
    wait_for(con, r"\[hostile\] hostile overstay done", 10)
    assert_all_pass(results_of(con.log(), "hostile"), "hostile", ["overstay_no_old_writes"])
    check_victim(con, before)
    check_alive(con)
    con.expect_not(r"ignored the stop|did not leave the guest|still in the guest")


@pytest.mark.timeout(60)
def test_a_direct_cells_dma_fault_does_not_hold_the_cpu_that_reports_it(qemu):
    """hostile_dma_hold aims its edu device at the victim's RAM and holds off its kick
    (ICC_AP1R0_EL1, as hostile_ap1r). The SMMU's fault interrupt is taken on CPU 0, the
    victim's vCPU 0 (stall_watch), and the hostile cell's on-fault restart is carried out
    from there: it must not wait there for a kick the hostile cell holds off."""
    con = cells.boot_bare(qemu, "hostile-direct-dma", gic=3,
                          qemu_args=["-device", "edu,addr=3,dma_mask=0xffffffffff"],
                          hostile="hostile_dma_hold", victim="stall_watch")
    con.expect(r"WARN: hostile: SMMU: F_TRANSLATION for stream 0x18 at 0x4c100000", timeout=15)
    con.expect(r"cell hostile: starting \(boot #2\)", timeout=10)
    wait_for(con, r"\[hostile\] hostile dma_hold done", 10)
    beat = int(con.expect(r"\[victim\] beat (\d+) maxgap_us \d+\r*\n", timeout=5).group(1))
    gap = int(con.expect(rf"\[victim\] beat {beat + 3} maxgap_us (\d+)\r*\n",
                         timeout=5).group(1))
    assert gap < 200000, f"the victim's CPU 0 was held {gap} us by the hostile cell's DMA fault"
    check_alive(con)


@pytest.mark.timeout(60)
def test_a_direct_cells_eoi_of_a_neighbours_spi_is_reported(qemu):
    """What direct mode cannot contain (docs/vgic.md): beta's ICC_EOIR1_EL1
    is the physical one, untrappable, and with EOImode 0 an EOI naming INTID
    34 deactivates it, though it is alpha's and alpha (emulated) holds it
    active. The RTC still asserts it, so it fires at EL2 again while alpha's
    list register holds it: the hypervisor reports that once, decoded, and
    alpha runs on."""
    con = cells.boot_bare(qemu, "direct-neighbour", gic=3, alpha="vgic_rtc_hold",
                          beta="hostile_eoir")
    con.expect(r"\[alpha\] vgic_rtc_hold: INTID 34 taken and held active\r*\n", timeout=20)
    con.expect(r"\[beta\] hostile eoir done\r*\n", timeout=20)
    beat = int(re.findall(r"^\[alpha\] heartbeat (\d+) got", con.log(), re.MULTILINE)[-1])
    # alpha runs on; it holds INTID 34 active all along, so it took it once.
    con.expect(rf"\[alpha\] heartbeat {beat + 3} got 1\r*\n", timeout=5)
    log = con.log()
    print(re.findall(r"\[beta\] hostile_eoir: \d+ EOIs", log))
    reports = re.findall(r"^\[bulkhead\] WARN: .*$", log, re.MULTILINE)
    assert len(reports) == 1 and re.fullmatch(
        r"\[bulkhead\] WARN: alpha: vGIC: INTID 34 fired again while vcpu0 still held it in "
        r"list register \d+: deactivated behind the guest .*\(reported once\)",
        reports[0]), f"want one report of INTID 34 deactivated behind alpha, got {reports}"
