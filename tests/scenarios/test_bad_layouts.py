# SPDX-License-Identifier: GPL-2.0-only
"""The hypervisor itself rejects every broken layout of tests/layouts/bad/
with the message its first line promises (/* expect: ... */), the same the
host tool prints (test_bulkhead_check.py), and starts no cell.

The board is QEMU virt with -smp 4 -m 2G, GICv3, iommu=smmuv3, the one the
bad layouts are written against; a layout whose expectation is about a
feature that board has (so the hypervisor could not print it) is left out.
"""

import re
from pathlib import Path

import pytest

import cells

REPO = Path(__file__).resolve().parents[2]
BAD = sorted((REPO / "tests" / "layouts" / "bad").glob("*.dts"))
EXPECT = re.compile(r"^/\* expect: (.*) \*/$")
# Expectations that need a board without a PCIe host or an SMMU.
BOARD_FEATURE = re.compile(r"the board has no PCIe host|needs an SMMU")
REJECT_TIMEOUT = 5  # the rejection comes ~0.5 s after QEMU starts


def expected_message(dts):
    m = EXPECT.match(dts.read_text().splitlines()[0])
    assert m, f"{dts.name}: first line must be /* expect: <message> */"
    return m.group(1)


def for_this_board(dts):
    return not BOARD_FEATURE.search(expected_message(dts))


def startable_images(dtb):
    """A guest in every kernel window QEMU can load it into (clear of RAM the
    hypervisor, its Image and the layout use, inside the board's 2 GiB), so
    that a hypervisor that went on despite the errors would start cells."""
    image = cells.guest("smp_report")
    size = image.stat().st_size
    keep_out = [(0x40000000, 0x01000000), (cells.LAYOUT_ADDR, dtb.stat().st_size)]
    loads, taken = [], []
    for _, _, addr, win_size in cells.kernel_windows(dtb):
        span = (addr, size)
        if (win_size < size or addr < 0x40000000 or addr + size > 0xC0000000 or
                any(addr < s + n and s < addr + size for s, n in keep_out + taken)):
            continue
        taken.append(span)
        loads.append((image, addr))
    return loads


@pytest.mark.timeout(15)
@pytest.mark.parametrize("dts", [d for d in BAD if for_this_board(d)], ids=lambda p: p.stem)
def test_bad_layouts_are_rejected_by_the_hypervisor(qemu, dts):
    want = expected_message(dts)
    dtb = cells.compile_layout(dts, cells.SCENARIOS / "layouts" / "bad")
    con = cells.boot_bare(qemu, dtb, loads=startable_images(dtb))
    prefix = r"\[bulkhead\] ERROR: " + ("" if want.startswith("layout: ") else r"layout: [^\n]*")
    con.expect(prefix + re.escape(want), timeout=REJECT_TIMEOUT)
    con.expect(r"\[bulkhead\] ERROR: layout rejected: no cell started", timeout=1)
    con.expect_not(r"\[bulkhead\] cell \S+: \d+ vCPU")
    # Nothing may start after the rejection either.
    cells.expect_no_cell_started(con)


@pytest.mark.timeout(15)
def test_layout_address_past_64_bits_is_refused(qemu):
    """bulkhead.layout= names a 64-bit address: a longer number is refused
    with a message, never wrapped (2^64 + LAYOUT_ADDR was LAYOUT_ADDR, where
    a good layout waits here, and its cells started)."""
    dtb = cells.compile_layout("two-cells")
    arg = f"{(1 << 64) + cells.LAYOUT_ADDR:#x}"
    extra = ["-append", f"bulkhead.layout={arg}",
             "-device", f"loader,file={dtb},addr={cells.LAYOUT_ADDR:#x},force-raw=on"]
    for image, addr in startable_images(dtb):
        extra += ["-device", f"loader,file={image},addr={addr:#x},force-raw=on"]
    con = qemu.boot_kernel(cells.HYP, extra=extra)
    con.expect(rf'\[bulkhead\] ERROR: layout: /chosen: bootargs: "bulkhead.layout={arg}": the '
               r"address does not fit in 64 bits", timeout=REJECT_TIMEOUT)
    con.expect(r"\[bulkhead\] ERROR: layout rejected: no cell started", timeout=1)
    cells.expect_no_cell_started(con)


@pytest.mark.timeout(20)
def test_memory_beyond_the_cpus_ipa_size_is_named_at_boot(qemu):
    """A region the layout allows (below 2^48) but this CPU's stage 2 cannot
    reach (Cortex-A53: 40-bit PARange) is refused by name, path, property
    and reason (layouts/ipa-beyond-cpu.dts); no cell starts."""
    con = cells.boot_bare(qemu, "ipa-beyond-cpu", alpha="hello")
    con.expect(r"\[bulkhead\] ERROR: /bulkhead/cell@0: memory: IPA 0x10000000000\+0x200000 "
               r"not mapped in stage 2: beyond the IPA size of this CPU "
               r"\(ID_AA64MMFR0_EL1\.PARange\)", timeout=REJECT_TIMEOUT)
    con.expect(r"cells could not be built: no cell started", timeout=2)
    cells.expect_no_cell_started(con)
