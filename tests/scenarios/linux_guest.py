# SPDX-License-Identifier: GPL-2.0-only
"""Debian's kernel with the busybox initramfs, and one Linux cell's layout,
for tests/scenarios (linux.py, test_linux_cells.py) and tests/bench/run_bench.py:
no pytest here, the benchmark imports it too. Windows as in
configs/qemu-virt/linux-two-plus-one.dts."""

import subprocess
from pathlib import Path

from script_run import run_script

REPO = Path(__file__).resolve().parents[2]
FETCH_GUESTS = REPO / "scripts" / "fetch-guests"
MKINITRAMFS = REPO / "scripts" / "mkinitramfs"
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


def prepare(cache, initrd):
    """(Image, initrd): scripts/fetch-guests into CACHE (network on a first
    run only), then scripts/mkinitramfs into INITRD when it is missing or older
    than the cache or the script. RuntimeError with the scripts' message if
    the guests cannot be had."""
    try:
        r = run_script([str(FETCH_GUESTS), str(cache)], 600, cwd=REPO)
    except subprocess.TimeoutExpired as e:
        raise RuntimeError("scripts/fetch-guests took more than 600 s (slow or no network?)") \
            from e
    if r.returncode != 0:
        raise RuntimeError(f"scripts/fetch-guests could not provide Debian's kernel and busybox "
                           f"(a first run needs the network; the cache is {cache}):\n"
                           f"{(r.stdout + r.stderr).strip()}")
    inputs = [Path(cache) / "VERSION", MKINITRAMFS]
    if not initrd.exists() or initrd.stat().st_mtime < max(p.stat().st_mtime for p in inputs):
        initrd.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(MKINITRAMFS), str(cache), str(initrd)], cwd=REPO, check=True,
                       capture_output=True, text=True, timeout=120)
    return Path(cache) / "Image", initrd
