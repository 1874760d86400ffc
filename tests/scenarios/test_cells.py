# SPDX-License-Identifier: GPL-2.0-only
"""Cells: two partitions run side by side on their own CPUs, cannot reach
each other's memory or devices or the hypervisor's, get PSCI for their own
vCPUs only, and stop or restart alone.

Guests are tests/guests/*.c; layouts tests/scenarios/layouts/*.dts
(tests/scenarios/cells.py boots them). Each bare boot reaches its cells in
well under a second; the U-Boot path adds about one.
"""

import re
import time

import pytest

import cells
from cells import assert_all_pass, results_of

# Bare -kernel: the cells start ~0.3 s after QEMU does. Through U-Boot: ~1.5 s.
# From QEMU's start; a cell's test ends ~1.5 s in here. One CI run saw 5 s pass
# while the first cell loaded: on a timeout expect() now says where each CPU is.
BARE_TIMEOUT = 10
UBOOT_TIMEOUT = 20


def boot(qemu, how, layout, **guests):
    if how == "uboot":
        return cells.boot_uboot(qemu, layout, **guests), UBOOT_TIMEOUT
    return cells.boot_bare(qemu, layout, **guests), BARE_TIMEOUT


def beats_interleave(log, a, b, start, end):
    """How many of cell b's heartbeats come between cell a's beats start and end."""
    seq = re.findall(r"^\[(\w+)\] heartbeat (\d+)$(?=\n)", log, re.MULTILINE)
    pos = {int(n): i for i, (label, n) in enumerate(seq) if label == a}
    return sum(1 for label, _ in seq[pos[start]:pos[end]] if label == b)


@pytest.mark.timeout(40)
@pytest.mark.parametrize("how", ["uboot", "bare"])
def test_two_cells_run_at_once_on_their_own_cpus(qemu, how):
    con, timeout = boot(qemu, how, "two-cells", alpha="smp_report", beta="smp_report")
    con.expect(r"\[bulkhead\] cell alpha: 1 vCPU\(s\)", timeout=timeout)
    con.expect(r"\[bulkhead\] cell beta: 3 vCPU\(s\)")
    cells.expect_heartbeat(con, "alpha", 12)
    cells.expect_heartbeat(con, "beta", 12)
    log = con.log()

    alpha, beta = cells.cell_lines(log, "alpha"), cells.cell_lines(log, "beta")
    # alpha owns CPU 0 only: its one vCPU, and CPU_ON of any other MPIDR is refused.
    assert "boot vCPU MPIDR 0x80000000" in alpha, alpha
    for cpu in range(1, 8):
        assert f"CPU_ON({cpu}) = -2" in alpha, f"alpha: CPU_ON({cpu}) should be -2: {alpha}"
    assert "secondaries started: 0" in alpha, alpha
    assert not [l for l in alpha if l.startswith("cpu ")], f"alpha started a vCPU: {alpha}"
    # beta owns CPUs 1-3: vCPUs with virtual MPIDRs 0, 1, 2; 3 and above do not exist.
    assert "boot vCPU MPIDR 0x80000000" in beta, beta
    for cpu in (1, 2):
        assert f"CPU_ON({cpu}) = 0" in beta, beta
        assert f"cpu {cpu} up, MPIDR 0x8000000{cpu}" in beta, beta
    # PSCI: a core starts with its CPU_ON caller's endianness (CPU 2's was big-endian).
    assert "cpu 1 entered little-endian" in beta, beta
    assert "cpu 2 entered big-endian" in beta, beta
    for cpu in range(3, 8):
        assert f"CPU_ON({cpu}) = -2" in beta, f"beta: CPU_ON({cpu}) should be -2: {beta}"
    assert "secondaries started: 2" in beta, beta
    # Both run at once: no lost beat, and each cell beats while the other does.
    for label in ("alpha", "beta"):
        beats = cells.heartbeats(log, label)
        assert beats == list(range(1, len(beats) + 1)), f"{label} beats: {beats}"
    assert beats_interleave(log, "alpha", "beta", 4, 10) >= 4, "beta stalled while alpha ran"
    assert beats_interleave(log, "beta", "alpha", 4, 10) >= 4, "alpha stalled while beta ran"
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")
    con.expect_not(r"\] TEST \S+ FAIL")


@pytest.mark.timeout(30)
def test_boot_reports_memory_in_use_and_each_cells_stage2_tables(qemu):
    con = cells.boot_bare(qemu, "two-cells", alpha="heartbeat", beta="heartbeat")
    line = con.expect(r"\[bulkhead\] memory: all static, nothing is allocated from here on: "
                      r"image (\d+) KiB; EL2 tables (\d+)/(\d+); stage-2 tables (\d+)/(\d+) "
                      r"\(([^)]*)\)", timeout=BARE_TIMEOUT)
    cells.expect_heartbeat(con, "beta", 2)
    log = con.log()
    image_kib, el2_used, el2_total, s2_used, s2_total = (int(line.group(i)) for i in range(1, 6))
    per_cell = {label: int(n) for label, n in re.findall(r"(\w+) (\d+)", line.group(6))}
    # The same image the platform line reports, and the same tables each cell line reports.
    assert re.search(rf"hypervisor image at 0x[0-9a-f]+-0x[0-9a-f]+ \({image_kib} KiB\)", log)
    for label in ("alpha", "beta"):
        assert re.search(rf"cell {label}: .*, {per_cell[label]} stage-2 tables,", log), log
    assert 0 < el2_used <= el2_total and 0 < s2_used <= s2_total
    # The pool holds the cells' tables and nothing else; a concatenated root
    # (2 tables for a 40-bit IPA) may skip one table to be aligned.
    assert sum(per_cell.values()) <= s2_used <= sum(per_cell.values()) + len(per_cell), line
    # Block mappings: 64 MiB of 2 MiB-aligned RAM is the root, one level-1 and
    # one level-2 table (or a concatenated level-1 root and one level-2 table);
    # with 4 KiB pages it would need 32 level-3 tables more. beta's PL031 page
    # adds a level-2 and a level-3 table for the device region.
    assert per_cell == {"alpha": 3, "beta": 5}, line.group(0)


@pytest.mark.timeout(30)
def test_no_el2_map_holds_a_cells_memory_once_it_is_loaded(qemu):
    """Each cell's RAM and kernel window leave the hypervisor's map at boot
    (docs/traps.md, "What EL2 maps"), and the MMU checks it after the loads:
    every 2 MiB and the last byte, so 33 addresses for each 64 MiB of RAM and
    9 for each 16 MiB window. A build that leaves them mapped, or leaves a
    load's window open, starts no cell. Reloads through beta's own CPUs'
    windows are test_lifecycle's restarts (test_hundred_restarts_leak_nothing
    checks that each one was scrubbed)."""
    con = cells.boot_bare(qemu, "two-cells", alpha="heartbeat", beta="heartbeat")
    con.expect(r"\[bulkhead\] memory: no EL2 map holds a cell's memory or software "
               r"\(84 addresses checked by the MMU\); a CPU maps a cell's only while it loads it",
               timeout=BARE_TIMEOUT)
    cells.expect_heartbeat(con, "alpha", 2)
    cells.expect_heartbeat(con, "beta", 2)
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


def test_each_cpus_stack_is_in_its_own_map_only(qemu):
    """Every trap from a guest saves the guest's general registers on the EL2
    stack of the CPU it runs on, so that stack is in no other CPU's map
    (docs/traps.md, "What EL2 maps"): a secondary runs on its stack in its
    own window from its first C function, the boot CPU moves to a private
    one at its first guest entry. The MMU checks every page of each at boot:
    4 CPUs, 5 pages each (16 KiB of stack, 4 KiB of fault stack). A build that leaves a stack in the shared
    map, or maps it in another CPU's window, starts no cell. Then guests trap
    on all four CPUs: alpha on CPU 0, beta's three vCPUs (PSCI calls, timer
    interrupts, console writes) on CPUs 1-3."""
    con = cells.boot_bare(qemu, "two-cells", alpha="heartbeat", beta="smp_report")
    con.expect(r"\[bulkhead\] memory: each CPU's stack, where a trap saves its guest's "
               r"registers, and its fault stack are in that CPU's EL2 map only \(4 CPUs, "
               r"20 pages checked by the MMU\)", timeout=BARE_TIMEOUT)
    cells.expect_heartbeat(con, "alpha", 3)
    cells.expect_heartbeat(con, "beta", 3)
    beta = cells.cell_lines(con.log(), "beta")
    for cpu in (1, 2):
        assert f"cpu {cpu} up, MPIDR 0x8000000{cpu}" in beta, beta
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


@pytest.mark.timeout(60)
def test_every_supported_cpu_runs_a_vcpu(qemu):
    """All 16 CPUs Bulkhead supports (MAX_CPUS), in eight cells of two: each
    CPU comes up on its own root with its stack in its window, the table
    pool holds every CPU's root, stack and window tables, and every cell
    starts its second vCPU and beats. No other test boots more than 4."""
    guests = {f"c{i}": "smp_report" for i in range(8)}
    con = cells.boot_bare(qemu, "sixteen-cpus", smp=16, **guests)
    # 16 vCPU threads on CI's 2 cores: slower than the 4-CPU boots.
    con.expect(r"\[bulkhead\] smp: 16 of 16 CPUs online", timeout=30)
    con.expect(r"\[bulkhead\] memory: each CPU's stack, where a trap saves its guest's "
               r"registers, and its fault stack are in that CPU's EL2 map only \(16 CPUs, "
               r"80 pages checked by the MMU\)")
    m = con.expect(r"\[bulkhead\] memory: all static, nothing is allocated from here on: "
                   r"image \d+ KiB; EL2 tables (\d+)/(\d+);")
    print(f"EL2 tables with 16 CPUs: {m.group(1)} of {m.group(2)}")
    for i in range(8):
        cells.expect_heartbeat(con, f"c{i}", 2, timeout=30)
    log = con.log()
    for i in range(8):
        lines = cells.cell_lines(log, f"c{i}")
        assert "cpu 1 up, MPIDR 0x80000001" in lines, f"c{i}: {lines}"
        assert "secondaries started: 1" in lines, f"c{i}: {lines}"
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


# The first 8 faults of a cell are logged (partitions/fault.c); isolation_probe
# makes these first, in this order.
LOGGED_PROBES = [("read", 0x4C000000), ("write", 0x4C100000), ("read", 0x40000000),
                 ("write", 0x40200000), ("read", 0x09010000), ("read", 0x4FFFF000),
                 ("read", 0x40400000), ("read", 0x09050000)]
PROBES = ["probe_own_ram", "probe_other_cell_first_page_read", "probe_other_cell_canary_write",
          "probe_hypervisor_base_read", "probe_hypervisor_image_write", "probe_pl031_read",
          "probe_other_cell_last_page_read", "probe_hypervisor_tables_read", "probe_smmu_read",
          "probe_other_cell_canary_read", "probe_other_cell_first_page_write",
          "probe_other_cell_second_page_write", "probe_other_cell_last_page_write",
          "probe_hypervisor_base_write", "probe_hypervisor_tables_write", "probe_pl031_write",
          "probe_hypervisor_top_read", "isolation_probe"]


@pytest.mark.timeout(30)
def test_foreign_memory_access_is_aborted_and_victim_unharmed(qemu):
    con = cells.boot_bare(qemu, "isolation", alpha="isolation_probe", beta="canary")
    # beta fills its canary 300 ms before alpha probes (isolation_probe.c), but the
    # cells start apart by however long the host takes: either line may come first.
    cells.expect_all(con, [r"\[beta\] canary filled at IPA 0x40100000",
                           r"\[alpha\] TEST isolation_probe (PASS|FAIL)"], BARE_TIMEOUT)
    assert_all_pass(results_of(con.log(), "alpha"), "alpha", PROBES)
    con.expect_not(r"\[beta\] canary CHANGED")
    last = re.findall(r"^\[beta\] canary ok (\d+)$(?=\n)", con.log(), re.MULTILINE)
    assert last, "beta printed no 'canary ok' before the probes ended"
    # The victim keeps checking its page for half a second after the last probe.
    con.expect(rf"\[beta\] canary ok {int(last[-1]) + 5}\b", timeout=3)
    log = con.log()

    for access, ipa in LOGGED_PROBES:
        line = (rf"\[bulkhead\] WARN: alpha: vcpu0: {access} of IPA {ipa:#x} \(VA {ipa:#x}\) "
                rf"at PC 0x[0-9a-f]+: not the cell's memory or device \(.*\); abort injected")
        assert re.search(line, log), f"no hypervisor report of alpha's {access} at {ipa:#x}"
    con.expect_not(r"\[beta\] canary CHANGED")
    con.expect_not(r"\] TEST \S+ FAIL")
    con.expect_not(r"\[bulkhead\] (WARN|ERROR): beta")
    con.expect_not(r"\[bulkhead\] cell \w+: (stopped|restarting)")


# mmio_misuse's refusals, in its order: (IPA, device, why).
NO_SYNDROME = (r"no syndrome to emulate it from \(ISV 0: load/store pair, writeback, exclusive "
               r"or SIMD\)")
BAD_WIDTH = r"access width or alignment not emulated"
MISUSES = [(0x08000000, "the vGIC distributor", NO_SYNDROME),
           (0x08000000, "the vGIC distributor", NO_SYNDROME),
           (0x08000000, "the vGIC distributor", BAD_WIDTH),
           (0x08000000, "the vGIC distributor", BAD_WIDTH),
           (0x09000000, "the virtual UART", NO_SYNDROME)]


@pytest.mark.timeout(30)
def test_accesses_an_emulated_device_cannot_take_are_aborted_and_explained(qemu):
    """A load pair, a post-indexed load and a wrong width on the vGIC and the
    virtual UART: each is refused with an abort the guest survives, and the
    hypervisor's report names the device and why, not "not the cell's
    memory"."""
    con = cells.boot_bare(qemu, "two-cells", alpha="mmio_misuse", beta="heartbeat")
    con.expect(r"\[alpha\] TEST mmio_misuse (PASS|FAIL)", timeout=BARE_TIMEOUT)
    assert_all_pass(results_of(con.log(), "alpha"), "alpha",
                    ["gicd_typer_read", "gicd_load_pair", "gicd_post_index", "gicd_halfword",
                     "gicd_doubleword", "vuart_load_pair", "mmio_misuse"])
    con.expect(r"\[alpha\] heartbeat 3\r*\n", timeout=BARE_TIMEOUT)
    con.expect(r"\[beta\] heartbeat 3\r*\n", timeout=BARE_TIMEOUT)
    reports = re.findall(r"\[bulkhead\] WARN: alpha: vcpu0: read of IPA (0x[0-9a-f]+) "
                         r"\(VA 0x[0-9a-f]+\) at PC 0x[0-9a-f]+: (.*) \(DFSC [^)]*\)[^;]*; "
                         r"abort injected", con.log())
    assert len(reports) == len(MISUSES), reports
    for (ipa, why), (want_ipa, device, want_why) in zip(reports, MISUSES):
        assert int(ipa, 16) == want_ipa, (ipa, why)
        assert re.fullmatch(rf"{device}: {want_why}", why), why
    con.expect_not(r"\[bulkhead\] cell \w+: (stopped|restarting)")
    con.expect_not(r"\[bulkhead\] (WARN|ERROR): beta")


@pytest.mark.timeout(30)
def test_big_endian_accesses_see_the_emulated_registers_byte_reversed(qemu):
    """With SCTLR_EL1.EE set, a load from the virtual UART or the vGIC
    distributor returns the little-endian register byte-reversed and a store
    writes it reversed, as the device would on hardware. An emulated narrow
    load leaves its register as the CPU's own would: LDRSB/LDRSH sign-extended
    (ISS.SSE), a W destination's upper half zeroed (ISS.SF 0)."""
    con = cells.boot_bare(qemu, "two-cells", alpha="mmio_endian", beta="heartbeat")
    con.expect(r"\[alpha\] TEST mmio_endian (PASS|FAIL)", timeout=BARE_TIMEOUT)
    assert_all_pass(results_of(con.log(), "alpha"), "alpha",
                    ["le_uart_periphid0", "be_uart_periphid0", "be_gicd_typer",
                     "be_uart_imsc_write", "ldrsb_x_sign_extends", "ldrsb_w_zeroes_upper_half",
                     "ldrb_w_zero_extends", "ldrsh_x_sign_extends", "ldrsh_w_zeroes_upper_half",
                     "ldrh_w_zero_extends", "mmio_endian"])
    con.expect(r"\[alpha\] heartbeat 3\r*\n", timeout=BARE_TIMEOUT)
    con.expect_not(r"\[bulkhead\] cell \w+: (stopped|restarting)")


PSCI_CHECKS = ["psci_version", "psci_features_cpu_on", "psci_features_unknown",
               "cpu_on_outside_cell_1", "cpu_on_outside_cell_3", "cpu_on_outside_cell_aff1",
               "psci_features_smccc_version", "smccc_version",
               "cpu_on_self", "cpu_on_misaligned_entry", "cpu_on_entry_outside_cell",
               "cpu_suspend", "cpu_suspend64", "migrate_info_type", "migrate_info_type64",
               "affinity_info_self", "affinity_info_outside_cell",
               "smc_psci_version", "smc_smccc_version", "smc_cpu_on_outside_cell",
               "smc_cpu_on_self", "smc_bulkhead_cell_info", "smc_sip", "hvc_unknown_c7000000", "hvc_unknown_12345678",
               "hvc_unknown_bulkhead_c600ffff", "cell_info", "psci_probe"]


@pytest.mark.timeout(30)
def test_psci_and_smc_refusals(qemu):
    con = cells.boot_bare(qemu, "two-cells", alpha="psci_probe", beta="smp_report")
    con.expect(r"\[alpha\] TEST psci_probe (PASS|FAIL)", timeout=BARE_TIMEOUT)
    beta_then = cells.expect_heartbeat(con, "beta", 1)
    # alpha survived its smc calls, and the machine with it: both cells beat on.
    cells.expect_heartbeat(con, "alpha", 5)
    cells.expect_heartbeat(con, "beta", beta_then + 5)
    log = con.log()

    assert_all_pass(results_of(log, "alpha"), "alpha", PSCI_CHECKS)
    for fid in (0xC6000001, 0xC2000000):
        assert re.search(rf"\[bulkhead\] WARN: alpha: vcpu0: SMC {fid:#x} at PC 0x[0-9a-f]+ "
                         r"refused: only PSCI and the SMCCC architecture calls are answered "
                         r"over smc, Bulkhead's own over hvc", log), \
            f"no hypervisor report of alpha's SMC {fid:#x}"
    reported = re.findall(r"WARN: alpha: vcpu0: SMC (0x[0-9a-f]+)", log)
    assert sorted(reported) == ["0xc2000000", "0xc6000001"], \
        f"only the refused SMCs are reported, got {reported}"
    con.expect_not(r"\[bulkhead\] cell \w+: (stopped|restarting)")
    con.expect_not(r"\] TEST \S+ FAIL")


@pytest.mark.timeout(30)
def test_system_off_stops_only_that_cell(qemu):
    con = cells.boot_bare(qemu, "two-cells", alpha="smp_report", beta="system_off")
    con.expect(r"\[beta\] calling SYSTEM_OFF", timeout=BARE_TIMEOUT)
    con.expect(r"\[bulkhead\] cell beta: stopped \(PSCI SYSTEM_OFF\); the other cells run on",
               timeout=2)
    stopped_at = time.monotonic()
    before = con.log()
    beat = cells.heartbeats(before, "alpha")[-1]
    # alpha beats on for more than a second after beta stopped.
    cells.expect_heartbeat(con, "alpha", beat + 10, timeout=3)
    time.sleep(max(0.0, 1.0 - (time.monotonic() - stopped_at)))
    last = cells.expect_heartbeat(con, "alpha", cells.heartbeats(con.log(), "alpha")[-1] + 1)
    log = con.log()

    # beta's secondaries were running until the stop: all of its vCPUs had to go.
    for cpu in (1, 2):
        assert re.search(rf"^\[beta\] cpu {cpu} tick [3-9]", before, re.MULTILINE), \
            f"beta's vCPU {cpu} was not ticking before SYSTEM_OFF"
    after = log[log.index("cell beta: stopped"):]
    late = [l for l in after.splitlines() if l.startswith("[beta]")]
    assert not late, f"beta printed after it was stopped: {late[:5]}"
    assert last >= beat + 11
    con.expect_not(r"\] TEST \S+ FAIL")
    con.expect_not(r"\[bulkhead\] cell alpha: (stopped|restarting)")


@pytest.mark.timeout(30)
def test_system_reset_reloads_a_fresh_image(qemu):
    con = cells.boot_bare(qemu, "two-cells", alpha="smp_report", beta="bootcount")
    con.expect(r"\[beta\] boot count 1, hypervisor boots 1", timeout=BARE_TIMEOUT)
    con.expect(r"\[bulkhead\] cell beta: restarting \(PSCI SYSTEM_RESET\)", timeout=2)
    con.expect(r"\[bulkhead\] cell beta: starting \(boot #2\)", timeout=2)
    alpha_then = cells.heartbeats(con.log(), "alpha")
    m = con.expect(r"\[beta\] boot count (\d+), hypervisor boots (\d+)\r*\n", timeout=2)
    assert (m.group(1), m.group(2)) == ("1", "2"), \
        f"after SYSTEM_RESET beta printed: boot count {m.group(1)}, hypervisor boots {m.group(2)}"
    con.expect(r"\[beta\] cell info: x0=0 id=1 vcpus=3", timeout=2)
    for name in ("reset", "scrub"):
        m = con.expect(rf"\[beta\] TEST {name} (PASS|FAIL)([^\r\n]*)\r*\n", timeout=2)
        assert m.group(1) == "PASS", f"TEST {name} FAIL{m.group(2)}"
    cells.expect_heartbeat(con, "beta", 3)
    # alpha ran through beta's restart.
    cells.expect_heartbeat(con, "alpha", (alpha_then[-1] if alpha_then else 0) + 3)
    con.expect_not(r"\[beta\] boot count [^1]")
    con.expect_not(r"\[beta\] .*hypervisor boots [^12]")
    con.expect_not(r"\] TEST \S+ FAIL")
    con.expect_not(r"\[bulkhead\] cell alpha: (stopped|restarting)")


@pytest.mark.timeout(30)
def test_a_cell_without_a_console_has_no_uart(qemu):
    """beta's layout says console = "none" (layouts/console-none.dts): nothing
    is at IPA 0x09000000 for it (docs/guest-platform.md, partitions/mmio.c).
    Its read and its write there (tests/guests/console_none.c) each take a
    data abort, which the hypervisor reports as an access to nothing of the
    cell's; beta tells alpha through shared memory, and alpha prints it."""
    con = cells.boot_bare(qemu, "console-none", smp=2, alpha="console_none",
                          beta="console_none")
    con.expect(r"\[alpha\] TEST console_none (PASS|FAIL)", timeout=BARE_TIMEOUT)
    log = con.log()
    assert_all_pass(results_of(log, "alpha"), "alpha",
                    ["console_none_read", "console_none_write", "console_none"])
    for access, offset in (("read", 0x18), ("write", 0x0)):
        ipa = 0x09000000 + offset
        assert re.search(rf"\[bulkhead\] WARN: beta: vcpu0: {access} of IPA {ipa:#x} "
                         rf"\(VA {ipa:#x}\) at PC 0x[0-9a-f]+: not the cell's memory or device "
                         r"\(DFSC [^;]*; abort injected", log), \
            f"beta's {access} at {ipa:#x} was not reported as an abort"
    assert not cells.cell_lines(log, "beta"), "beta, without a console, printed"
    con.expect(r"\[alpha\] heartbeat 2\r*\n", timeout=BARE_TIMEOUT)
    con.expect_not(r"\[bulkhead\] cell \w+: (stopped|restarting)")
