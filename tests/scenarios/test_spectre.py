# SPDX-License-Identifier: GPL-2.0-only
"""Speculation hardening (docs/traps.md, "Speculation"): what the hypervisor
reports of each CPU's Spectre-v2 and Spectre-BHB state at boot, what a guest is
told through SMCCC_ARCH_FEATURES, and that the branch loop runs on every entry
from a guest where the core needs it and nowhere else. Under -icount an hvc
round trip costs a fixed number of instructions, so the loop shows as 3
instructions per branch (b, subs, b.ne) plus its few set-up instructions
against a Cortex-A53, which needs nothing. QEMU's built-in PSCI has no SMCCC
1.1, so the firmware workarounds are covered by the unit tests only."""

import re

import pytest

import cells

TIMEOUT = 60
BASELINE = "cortex-a53"

# cpu: (SMCCC_ARCH_FEATURES answers for WORKAROUND_1 and _3, loop length, what each
# CPU's boot line says after "cpuN: MIDR 0x...: ")
CASES = {
    "cortex-a53": (1, 1, 0, r"Spectre-v2 not affected \(this core\); "
                            r"Spectre-BHB not affected \(this core\)"),
    "cortex-a72": (-1, -1, 0, r"Spectre-v2 VULNERABLE \(the firmware offers no SMCCC "
                              r"workaround for it\); Spectre-BHB not mitigated \(pointless "
                              r"while Spectre-v2 is open\)"),
    "cortex-a76": (1, 0, 24, r"Spectre-v2 not affected \(CSV2\); Spectre-BHB mitigated \(a "
                             r"loop of 24 taken branches on every entry from the guest\)"),
    "neoverse-v1": (1, 0, 32, r"Spectre-v2 not affected \(CSV2\); Spectre-BHB mitigated \(a "
                              r"loop of 32 taken branches on every entry from the guest\)"),
    "max": (1, 1, 0, r"Spectre-v2 not affected \(CSV2\); Spectre-BHB not affected \(CSV2_3\)"),
}


def probe(qemu, cpu):
    """Boot the probe on CPU model CPU under icount; its log and instructions per hvc."""
    con = cells.boot_bare(qemu, "two-cells", cpu=cpu, icount=True, alpha="spectre_probe",
                          beta="hello")
    con.expect(r"\[alpha\] TEST spectre_probe PASS", timeout=TIMEOUT)
    log = con.log()
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
    wa1, wa3, _, state = CASES[cpu]
    log, _ = probe(qemu, cpu)
    level = "WARN: " if wa1 < 0 else ""
    for n in range(4):
        line = rf"^\[bulkhead\] {level}cpu{n}: MIDR 0x[0-9a-f]{{8}}: {state}$"
        assert re.search(line, log, re.MULTILINE), f"cpu{n} did not report /{line}/"
    assert smccc(log, "features_arch_features") == 0
    assert smccc(log, "features_wa1") == wa1
    assert smccc(log, "features_wa3") == wa3
    assert smccc(log, "features_wa2") == -1, "SMCCC_ARCH_WORKAROUND_2 is not offered"
    # The call itself: a no-op where the entry ran the mitigation or none is needed.
    assert smccc(log, "call_wa1") == (0 if wa1 >= 0 else -1)
    assert smccc(log, "call_wa3") == (0 if wa3 >= 0 else -1)
    advice = re.findall(r"WARN: spectre: a guest on such a CPU may steer", log)
    assert len(advice) == (1 if wa1 < 0 else 0), "the advice is printed once, where needed"


@pytest.mark.parametrize("cpu", [c for c in CASES if c != BASELINE])
def test_the_branch_loop_runs_on_every_guest_entry_where_needed(qemu, cpu):
    loop = CASES[cpu][2]
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
