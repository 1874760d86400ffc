# SPDX-License-Identifier: GPL-2.0-only
"""One Linux cell's layout, for tests/scenarios/test_linux_cells.py and
tests/bench/run_bench.py (no pytest here: the benchmark imports it too).
Windows as in configs/qemu-virt/linux-two-plus-one.dts."""

BOOTARGS = "console=ttyAMA0 earlycon=pl011,0x09000000 rdinit=/init"
KERNEL_WINDOW = 0x60000000
INITRD_WINDOW = 0x63000000


def text(cpus, mem, mode="emulated", bootargs=BOOTARGS):
    """DTS of a layout with one cell "linux" on physical CPUs CPUS (a list),
    MEM bytes of RAM at PA 0x80000000, interrupt-mode MODE."""
    cpu_list = " ".join(f"{c:#x}" for c in cpus)
    return f"""/dts-v1/;
/ {{
	bulkhead {{
		compatible = "bulkhead,layout-v1";
		hypervisor-memory = <0x0 0x40000000 0x0 0x01000000>;
		cell@0 {{
			label = "linux";
			cpus = <{cpu_list}>;
			memory = <0x0 0x40000000 0x0 0x80000000 0x0 {mem:#x}>;
			console = "virtual";
			kernel = <0x0 {KERNEL_WINDOW:#x} 0x0 0x03000000>;
			initrd = <0x0 {INITRD_WINDOW:#x} 0x0 0x00400000>;
			bootargs = "{bootargs}";
			interrupt-mode = "{mode}";
		}};
	}};
}};
"""
