# SPDX-License-Identifier: GPL-2.0-only
"""A guest's set/way cache maintenance (docs/traps.md), timed under icount
(virtual time follows instructions: the same on every run). Each DC CISW is
done over the cell's RAM in traps of at most 2 048 lines; each trap opens
the lines' blocks in its CPU's window under the EL2 map's lock, which every
CPU's window changes share. Layouts: tests/scenarios/layouts/set-way-*.dts;
guest: tests/guests/set_way_cost.c."""

import pytest

import cells

MiB = 1 << 20
# QEMU's Cortex-A53 (scripts/qemu-run's default CPU): L1 D-cache of 4 ways of 8 KiB.
L1_WAY = 8 * 1024
LINES_PER_TRAP = 2048  # SET_WAY_LINES_PER_TRAP, arch/arm64/include/set_way.h


def ticks_per_trap(qemu, layout, ram):
    """Counter ticks per trap of the guest's DC CISW of L1 set 0, way 0 in LAYOUT's
    cell of RAM bytes: ram / way size lines of the cell, 2 048 to a trap."""
    con = cells.boot_bare(qemu, layout, gic=3, icount=True, sw="set_way_cost")
    m = con.expect(r"\[sw\] set_way_cost: (\d+) ops (\d+) ticks\r*\n", timeout=60)
    con.close()
    traps = int(m.group(1)) * ram // L1_WAY // LINES_PER_TRAP
    return int(m.group(2)) / traps


@pytest.mark.timeout(120)
def test_a_set_way_traps_cost_does_not_grow_with_the_cell(qemu):
    # Until 2026-11-25 each trap opened the cell's whole RAM in the window: 1 039 ticks a
    # trap for 64 MiB, 6 016 for 1 GiB, held the lock that long, and slowed every other
    # cell's set/way and reload. Now the blocks of its lines: ~790 for both.
    small = ticks_per_trap(qemu, "set-way-64m", 64 * MiB)
    big = ticks_per_trap(qemu, "set-way-1g", 1024 * MiB)
    print(f"\nticks per set/way trap: 64 MiB cell {small:.0f}, 1 GiB cell {big:.0f}")
    assert big <= 1.5 * small, \
        f"a set/way trap in a 1 GiB cell took {big:.0f} ticks, {big / small:.1f} x a 64 MiB " \
        f"cell's {small:.0f}: its time under the EL2 map's lock grows with the cell"
