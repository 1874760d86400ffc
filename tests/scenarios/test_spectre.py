# SPDX-License-Identifier: GPL-2.0-only
"""Speculation hardening (docs/traps.md, "Speculation"): what the hypervisor
reports of each CPU's Spectre-v2, Spectre-BHB and Spectre-v4 state at boot, what
a guest is told through SMCCC_ARCH_FEATURES, and that the branch loop runs on
every entry from a guest where the core needs it and nowhere else. Under -icount
an hvc round trip costs a fixed number of instructions, so the loop shows as 3
instructions per branch (b, subs, b.ne) plus its few set-up instructions
against a Cortex-A53, which needs nothing. QEMU's built-in PSCI has no SMCCC
1.1, so the firmware workarounds are covered by the unit tests only. Then
Spectre-v1: the index clamp run on each CPU model, and the image checked for
its clamps and for jump tables."""

import re
import subprocess

import pytest

import cells
from conftest import BUILD

TIMEOUT = 60
BASELINE = "cortex-a53"

# cpu: (SMCCC_ARCH_FEATURES answers for WORKAROUND_1, _3 and _2, loop length, what each
# CPU's boot line says after "cpuN: MIDR 0x...: "). Spectre-v4: the A53 does not bypass
# stores; the A76, V1 and max have SSBS (their guests are told -1 for _2, as KVM tells
# them, and use SSBS themselves); the A72 has neither SSBS nor firmware here.
SSBS = r"; Spectre-v4 mitigated \(SSBS: the hypervisor runs with the bypass off\)"
CASES = {
    "cortex-a53": (1, 1, 1, 0, r"Spectre-v2 not affected \(this core\); "
                               r"Spectre-BHB not affected \(this core\); "
                               r"Spectre-v4 not affected \(this core\)"),
    "cortex-a72": (-1, -1, -1, 0, r"Spectre-v2 VULNERABLE \(the firmware offers no SMCCC "
                                  r"workaround for it\); Spectre-BHB not mitigated \(pointless "
                                  r"while Spectre-v2 is open\); Spectre-v4 VULNERABLE \(the "
                                  r"firmware offers no SMCCC workaround for it\)"),
    "cortex-a76": (1, 0, -1, 24, r"Spectre-v2 not affected \(CSV2\); Spectre-BHB mitigated "
                                 r"\(a loop of 24 taken branches on every entry from the "
                                 r"guest\)" + SSBS),
    "neoverse-v1": (1, 0, -1, 32, r"Spectre-v2 not affected \(CSV2\); Spectre-BHB mitigated "
                                  r"\(a loop of 32 taken branches on every entry from the "
                                  r"guest\)" + SSBS),
    "max": (1, 1, -1, 0, r"Spectre-v2 not affected \(CSV2\); Spectre-BHB not affected "
                         r"\(CSV2_3\)" + SSBS),
}


def probe(qemu, cpu):
    """Boot the probe on CPU model CPU under icount; its log and instructions per hvc."""
    con = cells.boot_bare(qemu, "two-cells", cpu=cpu, icount=True, alpha="spectre_probe",
                          beta="hello")
    con.expect(r"\[alpha\] TEST spectre_probe (PASS|FAIL)", timeout=TIMEOUT)
    log = con.log()
    failed = re.search(r"^\[alpha\] TEST spectre_probe FAIL.*$", log, re.MULTILINE)
    nospec = re.findall(r"^\[alpha\] nospec: .*$", log, re.MULTILINE)
    assert not failed, f"{cpu}: {failed.group(0)}; " + "; ".join(nospec[:3] + nospec[-1:])
    m = re.search(r"^\[alpha\] hvc: (\d+) ticks at (\d+) Hz for (\d+) calls$", log, re.MULTILINE)
    assert m, "the probe printed no hvc timing"
    ticks, hz, calls = (int(g) for g in m.groups())
    # -icount shift=0: one instruction per nanosecond of virtual time.
    return log, ticks * 1e9 / hz / calls


def smccc(log, name):
    m = re.search(rf"^\[alpha\] smccc {name} (-?\d+)$", log, re.MULTILINE)
    assert m, f"the probe printed no 'smccc {name}'"
    return int(m.group(1))


@pytest.mark.parametrize("cpu", list(CASES))
def test_each_cpu_is_judged_reported_and_told_to_its_guest(qemu, cpu):
    wa1, wa3, wa2, _, state = CASES[cpu]
    log, _ = probe(qemu, cpu)
    level = "WARN: " if wa1 < 0 else ""
    for n in range(4):
        line = rf"^\[bulkhead\] {level}cpu{n}: MIDR 0x[0-9a-f]{{8}}: {state}$"
        assert re.search(line, log, re.MULTILINE), f"cpu{n} did not report /{line}/"
    assert smccc(log, "features_arch_features") == 0
    assert smccc(log, "features_wa1") == wa1
    assert smccc(log, "features_wa3") == wa3
    assert smccc(log, "features_wa2") == wa2
    # The call itself: a no-op where the entry ran the mitigation or none is needed.
    assert smccc(log, "call_wa1") == (0 if wa1 >= 0 else -1)
    assert smccc(log, "call_wa3") == (0 if wa3 >= 0 else -1)
    assert smccc(log, "call_wa2") == (0 if wa2 >= 0 else -1)
    if state.endswith(SSBS):
        assert smccc(log, "id_ssbs") >= 1, "told -1 for _2, the guest must see SSBS itself"
    advice = re.findall(r"WARN: spectre: a guest on such a CPU may steer", log)
    assert len(advice) == (1 if wa1 < 0 else 0), "the advice is printed once, where needed"
    # The Spectre-v1 clamp run on this CPU model: 10 indices, 5 sizes in a register, 3 as
    # immediates; out of range it must give 0, in range the index.
    assert re.search(r"^\[alpha\] nospec: 0 of 80 clamps wrong$", log, re.MULTILINE), \
        "array_index_nospec() gave a wrong result (the probe printed which)"


@pytest.mark.parametrize("cpu", [c for c in CASES if c != BASELINE])
def test_the_branch_loop_runs_on_every_guest_entry_where_needed(qemu, cpu):
    loop = CASES[cpu][3]
    _, base = probe(qemu, BASELINE)
    _, cost = probe(qemu, cpu)
    extra = cost - base
    if loop:
        # b, subs, b.ne per branch; mrs, ldr, cbz, dsb, isb and two more ldr/cbz pairs.
        assert 3 * loop <= extra <= 3 * loop + 16, \
            f"{cpu}: an hvc costs {cost:.1f} instructions, {extra:+.1f} against {BASELINE}; " \
            f"a loop of {loop} should add {3 * loop} to {3 * loop + 16}"
    else:
        assert abs(extra) < 2, \
            f"{cpu}: an hvc costs {cost:.1f} instructions, {extra:+.1f} against {BASELINE}: " \
            f"no mitigation should run on entry"


# Spectre-v1: each function of the EL2 image that loads or stores through an index a
# guest chose, after checking it, with how many clamps (array_index_nospec(): CMP, SBC,
# CSDB) it holds at least. A static helper is found in the function GCC 12 inlined
# it into. No emulator speculates, so the image itself is what shows the clamp.
CLAMPED = {
    "cell_get": 1,                  # a management call's cell number (manage.c)
    "vpsci_call": 2,                # CPU_ON and AFFINITY_INFO targets (vcpu_by_mpidr)
    "vgic_irq": 2,                  # the vCPU and private INTID of a register access
    "vgic_foreign_note": 1,         # the word of a foreign-INTID register
    "vgic_spi_search": 1,           # the SPI a search for a guest's INTID found
    "vgic_bank_access": 3,          # a register word's: the owner and INTID of a private one,
                                    # and an SPI the walk found
    "vgic_redist_access": 1,        # the redistributor frame of an access
    "vgic_dist_access": 1,          # GICv2 GICD_CPENDSGIR / GICD_SPENDSGIR (vgic_sgi_pend)
    "vgic_direct_redist_write": 1,  # the redistributor frame, direct cells
    "write_spi": 1,                 # the vCPU a guest routed an SPI to (spi_pcpu)
    "vgic_hw_route_spi": 1,         # the same, for a forwarded SPI
    "pci_ecam_access": 2,           # a BAR number, read (bar_read) and written (own_write)
    "vuart_access": 1,              # a peripheral ID register of the virtual UART (reg_read)
    # Spectre-v1.1, stores: the register a trapped load or system-register read writes
    # (the syndrome's Rt, x31 being XZR; guest_reg_write)
    "handle_abort": 1,              # an emulated MMIO load (emulate_mmio)
    "sysreg_trap": 1,               # a trapped system-register read
    "guest_trap_sync": 1,           # a read of a write-only ICC_SGI*R_EL1 register
}


def disassembly():
    """The EL2 image's instructions, function by function (symbol: list of lines)."""
    out = subprocess.run(["aarch64-linux-gnu-objdump", "-d", "--no-show-raw-insn",
                          str(BUILD / "hyp" / "bulkhead.elf")],
                         check=True, capture_output=True, text=True).stdout
    funcs, fn = {}, None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <([^>]+)>:$", line)
        if m:
            fn = funcs.setdefault(m.group(1), [])
        elif fn is not None:
            fn.append(line)
    return funcs


def test_every_guest_chosen_index_is_clamped_under_speculation():
    counts = {fn: sum(bool(re.search(r"\tcsdb\b", i)) for i in insns)
              for fn, insns in disassembly().items()}
    missing = [f"{fn} (not in the image: inlined elsewhere? find its caller)"
               for fn in CLAMPED if fn not in counts]
    short = [f"{fn}: {counts[fn]} CSDB, at least {n} expected"
             for fn, n in CLAMPED.items() if fn in counts and counts[fn] < n]
    assert not missing and not short, "Spectre-v1 clamps lost: " + "; ".join(missing + short)


# Spectre-v1 through a jump table: GCC compiles a dense switch to a table of branch
# offsets, indexed after a bounds check the CPU may mispredict. The files whose
# switches take a guest's value are built without them (HYP_GUEST_SWITCH in the
# Makefile). The functions that may still branch through a register, and why
# their index is not a guest's:
INDIRECT_OK = {
    "arch_vcpu_enter": "the CPU's number of breakpoints and watchpoints (ID_AA64DFR0_EL1)",
    "ich_lr_write": "a list register number the hypervisor picked",
    "vgic_hw_v3_read_lr": "a list register number the hypervisor picked",
    "vsnprintf": "a conversion of the hypervisor's own format strings",
    "event_name": "an SMMU event record's type, in a report",
    "psci_ret_name": "the firmware's PSCI return code, in a report",
    "why_text": "the hypervisor's own fault reason, in a report",
    "layout_cell_prop": "a layout property, at boot",
    "console_tx_irq": "the console UART's kind (lib/uart.c), found at boot",
    "give": "a tail call of the console's nudge hook, set once at boot (boot/main.c)",
}


def test_no_jump_table_switches_on_a_guest_choice():
    branching = {fn for fn, insns in disassembly().items()
                 if any(re.search(r"\tbr\t", i) for i in insns)}
    unexpected = sorted(branching - set(INDIRECT_OK))
    assert not unexpected, \
        f"indirect branches (jump tables?) in {', '.join(unexpected)}: if a switch there " \
        f"takes a guest's value, add its file to HYP_GUEST_SWITCH; else to INDIRECT_OK, " \
        f"with why its index is not a guest's"
