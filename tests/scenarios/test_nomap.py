# SPDX-License-Identifier: GPL-2.0-only
"""Firmware's no-map memory (docs/traps.md, "What EL2 maps"): a /reserved-memory
child with no-map is RAM not even the CPU may map (OP-TEE, Amlogic's secmon,
TF-A's BL31 behind a TrustZone controller); mapped cacheable, a speculative
fetch there can take an SError or hang the bus. Bulkhead leaves its pages out
of its EL2 map, refuses a layout DTB there, never gives it to a cell and stops
if the boot loader put the hypervisor in it.

QEMU's virt board has no reserved memory: the boot script adds a node to
U-Boot's device tree (fdt mknode / fdt set) before booti, as a board's firmware
or U-Boot itself would.
"""

import subprocess

import pytest

import cells
from conftest import SCENARIOS

TIMEOUT = 20  # through U-Boot the hypervisor's first line comes ~0.5 s after QEMU starts


def fdt_commands(name, base, size):
    """U-Boot commands adding /reserved-memory/NAME (reg BASE+SIZE, no-map) to its own
    tree, which booti hands over (QEMU's blob has spare room: no fdt resize)."""
    node = f"/reserved-memory/{name}"
    return [
        "fdt addr ${fdtcontroladdr}",
        "fdt mknode / reserved-memory",
        r"fdt set /reserved-memory \#address-cells <2>",
        r"fdt set /reserved-memory \#size-cells <2>",
        "fdt set /reserved-memory ranges",
        f"fdt mknode /reserved-memory {name}",
        f"fdt set {node} reg <0x0 {base:#x} 0x0 {size:#x}>",
        f"fdt set {node} no-map",
    ]


def boot_with_no_map(qemu, test, name, base, size, layout="two-cells", fail_on=cells.CELL_FATAL,
                     **guests):
    """Boot LAYOUT through U-Boot (scripts/mkbootcmd's script) with a no-map
    /reserved-memory/NAME at BASE+SIZE added just before booti."""
    dtb = cells.compile_layout(layout)
    files = cells._guest_files(dtb, guests)
    out = SCENARIOS / "nomap" / test
    out.mkdir(parents=True, exist_ok=True)
    plain = out / "layout.cmd"
    subprocess.run([str(cells.MKBOOTCMD), "--layout-addr", hex(cells.LAYOUT_ADDR), str(dtb),
                    str(plain)] + [f"{label}={path}" for label, path, _ in files],
                   check=True, capture_output=True, text=True)
    booti = "\t\tbooti "
    text = plain.read_text()
    assert text.count(booti) == 1, f"{plain}: expected one booti line"
    added = "".join(f"\t\t{c}\n" for c in fdt_commands(name, base, size))
    text = text.replace(booti, added + booti)
    cmd = out / "boot.cmd"
    if not cmd.exists() or cmd.read_text() != text:
        cmd.write_text(text)
    disk_files = [f"{cells.HYP}:bulkhead.bin", str(dtb)] + sorted({str(p) for _, p, _ in files})
    disk = cells.make_disk(out / "disk.img", disk_files, boot_cmd=cmd)
    return qemu.start(disk=disk, smp=4, gic=3, bootdelay=0, fail_on=fail_on)


@pytest.mark.timeout(40)
def test_no_map_memory_is_left_out_of_el2s_map_and_cells_run(qemu):
    """reg 0x70001800+0x2000 (off page boundaries): EL2 maps 2 GiB less its three
    pages, checked through the MMU before the line is printed; the cells, clear of it,
    run."""
    con = boot_with_no_map(qemu, "left-out", "secmon@70001800", 0x70001800, 0x2000,
                           alpha="smp_report", beta="smp_report")
    con.expect(r"\[bulkhead\] memory: EL2 maps RAM 0x40000000-0xbfffffff \(2147471360 bytes\); "
               r"no-map 0x70001000-0x70003fff \(/reserved-memory/secmon@70001800, reg "
               r"0x70001800\+0x2000 in whole pages\) left out\r*\n", timeout=TIMEOUT)
    con.expect(r"\[bulkhead\] cell alpha: 1 vCPU\(s\)")
    con.expect(r"\[bulkhead\] cell beta: 3 vCPU\(s\)")
    cells.expect_heartbeat(con, "alpha", 3)
    cells.expect_heartbeat(con, "beta", 3)
    con.expect_not(r"ERROR")


@pytest.mark.timeout(40)
def test_cell_memory_over_no_map_memory_is_refused(qemu):
    """A no-map range inside alpha's RAM (0x48000000+0x4000000): the layout is
    refused by name, and no cell starts."""
    con = boot_with_no_map(qemu, "cell-over", "secmon@4a000000", 0x4a000000, 0x100000,
                           alpha="smp_report", beta="smp_report")
    con.expect(r"\[bulkhead\] ERROR: layout: /bulkhead/cell@0: memory: region "
               r"0x48000000\+0x4000000 overlaps the board's reserved memory "
               r"/reserved-memory/secmon@4a000000 \(0x4a000000\+0x100000, no-map: not even "
               r"mapped by the hypervisor, kept by firmware or another master\)",
               timeout=TIMEOUT)
    con.expect(r"\[bulkhead\] ERROR: layout rejected: no cell started", timeout=2)
    cells.expect_no_cell_started(con)


@pytest.mark.timeout(40)
def test_layout_in_no_map_memory_is_not_read(qemu):
    """bulkhead.layout= names an address in no-map memory, which EL2 does not map:
    refused by name before any read (a read would be an EL2 translation fault)."""
    con = boot_with_no_map(qemu, "layout-in", "secmon@5f000000", cells.LAYOUT_ADDR, 0x100000,
                           alpha="smp_report", beta="smp_report")
    con.expect(r"\[bulkhead\] ERROR: layout: DTB at 0x5f000000: 0x5f000000\+0x28 overlaps the "
               r"board's no-map reserved memory /reserved-memory/secmon@5f000000 "
               r"\(0x5f000000\+0x100000\), firmware's, which the hypervisor does not map; not "
               r"read", timeout=TIMEOUT)
    con.expect(r"\[bulkhead\] ERROR: layout rejected: no cell started", timeout=2)
    cells.expect_no_cell_started(con)
    con.expect_not(r"unexpected exception")


@pytest.mark.timeout(40)
def test_hypervisor_image_in_no_map_memory_stops_the_boot(qemu):
    """U-Boot runs bulkhead.bin at ${kernel_addr_r} (0x40400000 on QEMU virt), and
    a no-map page lies 2 MiB into it: the boot stops, naming both."""
    con = boot_with_no_map(qemu, "image-in", "secmon@40600000", 0x40600000, 0x1000,
                           fail_on=None, alpha="smp_report", beta="smp_report")
    con.expect(r"\[bulkhead\] ERROR: memory: /reserved-memory/secmon@40600000: reg: no-map "
               r"0x40600000\+0x1000 overlaps the hypervisor image at 0x40400000-0x[0-9a-f]+: "
               r"the boot loader put Bulkhead in firmware's memory", timeout=TIMEOUT)
    con.expect(r"\[bulkhead\] ERROR: boot stopped: EL2 memory map incomplete", timeout=2)
