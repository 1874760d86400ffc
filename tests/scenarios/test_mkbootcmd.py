# SPDX-License-Identifier: GPL-2.0-only
"""scripts/mkbootcmd's boot script, read without booting (no QEMU here).

A window is a pristine copy the hypervisor passes on whole or up to its last
non-zero byte (partitions/initrd.c, partitions/cell_load.c): what DRAM held
before the load, after a warm reboot say, must not follow the file into the
cell. The script is played on a model of memory that starts full of stale
bytes: every window must come out as its file followed by zeros.
"""

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MKBOOTCMD = REPO / "scripts" / "mkbootcmd"
STALE = 0xA5
LAYOUT_ADDR = 0x5F000000

# Three cells: every window kind (device-tree in another cell than initrd: the
# layout refuses the two together); one window with a size that is not a multiple
# of 8 bytes (mw.b, not mw.q); one cell given no file (nothing is cleared there:
# its window is filled some other way).
LAYOUT = """/dts-v1/;
/ {
	bulkhead {
		compatible = "bulkhead,hypervisor";
		cell@0 {
			label = "alpha";
			kernel = <0x0 0x60000000 0x0 0x10000>;
			initrd = <0x0 0x61000000 0x0 0x8000>;
		};
		cell@1 {
			label = "beta";
			kernel = <0x0 0x63000000 0x0 0x4000>;
			device-tree = <0x0 0x62000000 0x0 0x1003>;
		};
		cell@2 {
			label = "gamma";
			kernel = <0x0 0x64000000 0x0 0x1000>;
		};
	};
};
"""

# One U-Boot command the script runs: `mw.S ADDR VALUE COUNT` or `load IFACE PART ADDR NAME`.
MW = re.compile(r"^\s*mw\.([bwlq]) (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+)$")
LOAD = re.compile(r"^\s*if load \S+ \S+ (0x[0-9a-f]+) (\S+); then$")
WIDTH = {"b": 1, "w": 2, "l": 4, "q": 8}


def make_script(tmp_path):
    dts = tmp_path / "layout.dts"
    dts.write_text(LAYOUT)
    dtb = tmp_path / "layout.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                   check=True)
    files = {}
    for name, size, byte in (("kernel.bin", 0x1234, 0x11), ("initrd.cpio", 0x777, 0x22),
                             ("guest.dtb", 0x101, 0x33), ("beta.bin", 0x4000, 0x44)):
        files[name] = bytes([byte]) * size
        (tmp_path / name).write_bytes(files[name])
    cmd = tmp_path / "boot.cmd"
    subprocess.run([str(MKBOOTCMD), "--layout-addr", hex(LAYOUT_ADDR), str(dtb), str(cmd),
                    f"alpha={tmp_path / 'kernel.bin'}",
                    f"alpha:initrd={tmp_path / 'initrd.cpio'}",
                    f"beta:device-tree={tmp_path / 'guest.dtb'}",
                    f"beta={tmp_path / 'beta.bin'}"],
                   check=True, capture_output=True, text=True)
    files["layout.dtb"] = dtb.read_bytes()
    return cmd.read_text(), files


def play(script, files, addr, size):
    """[addr, addr + size) after every mw and load of the script, in order, from stale DRAM.
    Commands on an address U-Boot's environment holds (${kernel_addr_r}) are outside it."""
    mem = bytearray([STALE]) * size
    for line in script.splitlines():
        m = MW.match(line)
        if m:
            width = WIDTH[m.group(1)]
            start, value, count = (int(g, 16) for g in m.group(2, 3, 4))
            data = value.to_bytes(width, "little") * count
        else:
            m = LOAD.match(line)
            if not m:
                continue
            start, data = int(m.group(1), 16), files[m.group(2)]
        lo, hi = max(start, addr), min(start + len(data), addr + size)
        if lo < hi:
            mem[lo - addr:hi - addr] = data[lo - start:hi - start]
    return bytes(mem)


def test_each_window_loaded_holds_its_file_then_zeros_not_stale_dram(tmp_path):
    script, files = make_script(tmp_path)
    for what, addr, size, name in (("alpha kernel", 0x60000000, 0x10000, "kernel.bin"),
                                   ("alpha initrd", 0x61000000, 0x8000, "initrd.cpio"),
                                   ("beta device-tree", 0x62000000, 0x1003, "guest.dtb"),
                                   ("beta kernel", 0x63000000, 0x4000, "beta.bin")):
        mem = play(script, files, addr, size)
        want = files[name] + bytes(size - len(files[name]))
        if mem != want:
            first = next(i for i in range(size) if mem[i] != want[i])
            raise AssertionError(f"{what} window {addr:#x}+{size:#x}: byte {first:#x} is "
                                 f"{mem[first]:#04x}, want {want[first]:#04x}\n{script}")


def test_the_layout_dtb_is_loaded_intact(tmp_path):
    script, files = make_script(tmp_path)
    size = len(files["layout.dtb"])
    assert play(script, files, LAYOUT_ADDR, size) == files["layout.dtb"], script


def test_a_window_given_no_file_is_left_alone(tmp_path):
    """gamma's window is filled some other way (FIT loadables, a debugger): not cleared."""
    script, files = make_script(tmp_path)
    assert play(script, files, 0x64000000, 0x1000) == bytes([STALE]) * 0x1000, script


def test_a_window_of_whole_double_words_is_cleared_with_mw_q(tmp_path):
    """mw.q: an eighth of the iterations of mw.b (U-Boot's mw is a loop of stores)."""
    script, _ = make_script(tmp_path)
    assert "mw.q 0x60000000 0x0 0x2000" in script, script
    assert "mw.b 0x62000000 0x0 0x1003" in script, script


def run_mkbootcmd(tmp_path, *specs):
    dts = tmp_path / "layout.dts"
    dts.write_text(LAYOUT)
    dtb = tmp_path / "layout.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                   check=True)
    return subprocess.run([str(MKBOOTCMD), str(dtb), str(tmp_path / "boot.cmd"), *specs],
                          capture_output=True, text=True)


def test_a_window_given_two_files_is_refused_as_a_second_kernel_is(tmp_path):
    """One window holds one file: the second would silently win."""
    for name in ("a.img", "b.img"):
        (tmp_path / name).write_bytes(b"\x01" * 16)
    for label, window in (("alpha", "initrd"), ("beta", "device-tree")):
        r = run_mkbootcmd(tmp_path, f"{label}:{window}={tmp_path / 'a.img'}",
                          f"{label}:{window}={tmp_path / 'b.img'}")
        assert r.returncode != 0 and f"'{label}:{window}': given twice" in r.stderr, \
            f"exit {r.returncode}\n{r.stderr}"


def test_a_cleared_window_comes_out_zero_with_nothing_loaded(tmp_path):
    """--clear (mkimage's --empty): a window left empty on purpose holds zeros, not stale
    DRAM a cell would boot; a file for the same window as well is refused."""
    (tmp_path / "g.bin").write_bytes(b"\x01" * 16)
    r = run_mkbootcmd(tmp_path, "--clear", "gamma", f"alpha={tmp_path / 'g.bin'}")
    assert r.returncode == 0, r.stderr
    script = (tmp_path / "boot.cmd").read_text()
    files = {"g.bin": b"\x01" * 16, "layout.dtb": (tmp_path / "layout.dtb").read_bytes()}
    assert play(script, files, 0x64000000, 0x1000) == bytes(0x1000), script
    assert "loading cell gamma" not in script, script
    r = run_mkbootcmd(tmp_path, "--clear", "gamma", f"gamma={tmp_path / 'g.bin'}")
    assert r.returncode != 0 and "'gamma': given twice" in r.stderr, r.stderr
