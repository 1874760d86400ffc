# SPDX-License-Identifier: GPL-2.0-only
"""`make image`: a layout packaged into a disk that boots like a board.

`make image LAYOUT=configs/qemu-virt/two-cells.dts` (heartbeat guests by
default) writes build/image/two-cells/; QEMU boots its disk.img through
U-Boot's distro boot with nobody typing, and every cell of the layout beats.
Also: the real boards' layouts package into boot.scr + files, and the boot
script puts every file where bulkhead-check's load plan says.
"""

import gzip
import os
import re
import struct
import subprocess
import time

import pytest

import cells
import linux
from conftest import BUILD
from qemu import REPO
from script_run import run_script

IMAGES = BUILD / "image"
UBOOT_TIMEOUT = 30  # U-Boot, disk scan, loads, hypervisor, first beat


def make_image(layout, *guests):
    cmd = ["make", "-s", f"BUILD={BUILD}", "image", f"LAYOUT={layout}"]
    if guests:
        cmd.append("GUESTS=" + " ".join(guests))
    r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"{' '.join(cmd)}: exit {r.returncode}\n{r.stdout}{r.stderr}"
    return r


def labels(dtb):
    out = []
    for node in subprocess.run(["fdtget", "-l", str(dtb), "/bulkhead"], check=True,
                               capture_output=True, text=True).stdout.split():
        if node.startswith("cell@"):
            out.append(subprocess.run(["fdtget", "-t", "s", str(dtb), f"/bulkhead/{node}",
                                       "label"], check=True, capture_output=True,
                                      text=True).stdout.strip())
    return out


@pytest.fixture(scope="module")
def two_cells():
    make_image("configs/qemu-virt/two-cells.dts")
    return IMAGES / "two-cells"


def test_image_holds_every_file(two_cells):
    for name in ("bulkhead.bin", "layout.dtb", "boot.cmd", "boot.scr", "disk.img",
                 "heartbeat.bin"):
        assert (two_cells / name).is_file(), f"{two_cells}/{name} missing"


def test_boot_script_loads_each_file_where_the_load_plan_says(two_cells):
    plan = subprocess.run([str(BUILD / "tools" / "bulkhead-check"), "--print-load-plan",
                           str(two_cells / "layout.dtb"),
                           str(BUILD / "layouts" / "board" / "qemu-virt.dtb")],
                          check=True, capture_output=True, text=True).stdout
    script = (two_cells / "boot.cmd").read_text()
    want = {}
    for w in (l.split() for l in plan.splitlines()):
        if w[0] in ("hypervisor", "layout"):
            want[w[0]] = int(w[1], 16)
        elif w[0] == "cell" and w[2] == "kernel":
            want[w[1]] = int(w[3], 16)
    loads = {name: int(addr, 16) for addr, name in
             re.findall(r"^\s*if load \S+ \S+ (0x[0-9a-f]+) (\S+); then", script, re.M)}
    assert loads.get("bulkhead.bin") == want["hypervisor"], loads
    assert loads.get("layout.dtb") == want["layout"], loads
    assert f'setenv bootargs "bulkhead.layout={want["layout"]:#x}"' in script
    assert f"booti {want['hypervisor']:#x} - ${{fdtcontroladdr}}" in script
    for label in ("alpha", "beta"):
        assert f"cell {label} kernel heartbeat.bin to {want[label]:#x}" in script, script


@pytest.mark.timeout(60)
def test_disk_image_boots_every_cell_with_no_typing(qemu, two_cells):
    con = qemu.start(disk=two_cells / "disk.img", bootdelay=0, fail_on=cells.CELL_FATAL)
    con.expect(r"bulkhead: booti 0x40200000", timeout=UBOOT_TIMEOUT)
    con.expect(r"\[bulkhead\] layout: DTB at 0x41000000", timeout=10)
    for label in labels(two_cells / "layout.dtb"):
        cells.expect_heartbeat(con, label, 2, timeout=10)
    con.expect_not(r"ERROR")


@pytest.mark.timeout(150)
def test_linux_and_a_doorbell_pair_boot_through_uboot(qemu):
    """configs/qemu-virt/linux-shm-pair.dts as README's "Booting your layout" boots it:
    the Linux cell reaches its shell with its 2 CPUs while alpha and beta, sharing two
    regions, play their doorbell ping-pong to the end."""
    image, initrd = linux.guests()
    make_image("configs/qemu-virt/linux-shm-pair.dts", f"linux={image}",
               f"linux:initrd={initrd}", f"alpha={cells.guest('shm_ping')}",
               f"beta={cells.guest('shm_pong')}")
    con = qemu.start(disk=IMAGES / "linux-shm-pair" / "disk.img", bootdelay=0,
                     fail_on=linux.LINUX_FATAL + "|" + cells.CELL_FATAL + r"|TEST \S+ FAIL")
    con.expect(r"\[bulkhead\] boot complete", timeout=UBOOT_TIMEOUT)
    # The cells run side by side: their lines come in any order.
    want = {"linux": r"\[linux\] BULKHEAD-LINUX-READY cpus=2 ",
            "alpha": r"\[alpha\] TEST shm_pingpong PASS rounds=10000 doorbells=10000 ",
            "beta": r"\[beta\] TEST shm_pong PASS messages=10000 doorbells=10000"}
    while want:
        m = con.expect("|".join(f"(?P<{label}>{line})" for label, line in want.items()),
                       timeout=90)
        del want[m.lastgroup]
    con.expect_not(r"ERROR")


@pytest.mark.parametrize("board", ["rpi4"])
def test_real_board_layout_packages_into_a_boot_script(board):
    r = run_script([str(REPO / "scripts" / "board-dtb"), f"configs/{board}", str(BUILD)], 600,
                   cwd=REPO)
    if r.returncode != 0:
        pytest.skip(f"no {board} DTB (download failed?):\n{r.stderr}")
    guest = BUILD / "guests" / "heartbeat.bin"
    make_image(f"configs/{board}/{board}-two-cells.dts", f"rtos={guest}",
               "--empty linux --empty linux:initrd")
    out = IMAGES / f"{board}-two-cells"
    script = (out / "boot.cmd").read_text()
    assert "booti 0x40200000 - ${fdtcontroladdr}" in script
    assert "cell rtos kernel heartbeat.bin to 0x64000000" in script
    assert (out / "boot.scr").is_file() and not (out / "disk.img").exists()


@pytest.mark.parametrize("board", ["imx8mp-evk", "zcu102"])
def test_other_real_boards_package_with_their_own_consoles(board):
    """i.MX 8M Plus (i.MX UART) and ZCU102 (Cadence UART): discovery accepts
    their consoles, so the layouts package into a boot script."""
    r = run_script([str(REPO / "scripts" / "board-dtb"), f"configs/{board}", str(BUILD)], 600,
                   cwd=REPO)
    if r.returncode != 0:
        pytest.skip(f"no {board} DTB (download failed?):\n{r.stderr}")
    name = "imx8mp-two-cells" if board == "imx8mp-evk" else f"{board}-two-cells"
    guest = BUILD / "guests" / "heartbeat.bin"
    make_image(f"configs/{board}/{name}.dts", f"rtos={guest}",
               "--empty linux --empty linux:initrd")
    out = IMAGES / name
    script = (out / "boot.cmd").read_text()
    assert re.search(r"booti 0x[0-9a-f]+ - \$\{fdtcontroladdr\}", script), script
    assert re.search(r"cell rtos kernel heartbeat.bin to 0x[0-9a-f]+", script), script
    assert (out / "boot.scr").is_file() and not (out / "disk.img").exists()


HEARTBEAT = BUILD / "guests" / "heartbeat.bin"


def mkimage(tmp_path, layout, *args):
    """scripts/mkimage on its own (no QEMU): its result, and what it wrote to tmp_path/image."""
    return subprocess.run(["/usr/bin/python3", "scripts/mkimage", "--build", str(BUILD), layout,
                           str(tmp_path / "image"), *map(str, args)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


def test_mkimage_says_the_checks_warnings(tmp_path):
    """A valid layout's warnings (here a direct cell on the boot CPU, which the boot
    refuses) are on stderr, not only in check.txt. Before, mkimage printed none of them."""
    dts = tmp_path / "direct.dts"
    dts.write_text((REPO / "configs" / "qemu-virt" / "two-cells.dts").read_text().replace(
        "cpus = <0x0>;", 'cpus = <0x0>; interrupt-mode = "direct";', 1))
    r = mkimage(tmp_path, dts, "--board-dtb", BUILD / "layouts" / "board" / "qemu-virt.dtb",
                f"alpha={HEARTBEAT}", f"beta={HEARTBEAT}")
    assert r.returncode == 0, r.stdout + r.stderr
    warning = ('warning: layout: /bulkhead/cell@0: interrupt-mode: "direct" with CPU 0x0, '
               "the boot CPU by the board DTB header")
    assert warning in (tmp_path / "image" / "check.txt").read_text()
    assert warning in r.stderr, r.stderr
    assert "warnings above are kept in" in r.stderr, r.stderr


def test_mkimage_refuses_a_kernel_window_no_file_fills(tmp_path):
    """A window nothing loads keeps what DRAM held (a warm reboot's old kernel): the cell
    would boot that, and mkimage used to say nothing when at least one file was given."""
    r = mkimage(tmp_path, "configs/qemu-virt/two-cells.dts", f"alpha={HEARTBEAT}")
    assert r.returncode != 0, r.stdout + r.stderr
    assert "cell 'beta': its kernel window 0x61000000+0x1000000 (beta=FILE)" in r.stderr, \
        r.stderr
    assert "--empty LABEL[:WINDOW]" in r.stderr, r.stderr


def test_mkimage_refuses_an_initrd_window_no_file_fills(tmp_path):
    """An initrd window that is not an archive is passed to the cell whole: stale DRAM too."""
    r = mkimage(tmp_path, "configs/qemu-virt/demo.dts", f"linux={HEARTBEAT}",
                f"rtos={HEARTBEAT}")
    assert r.returncode != 0, r.stdout + r.stderr
    assert "cell 'linux': its initrd window 0x63000000+0x1000000 (linux:initrd=FILE)" in \
        r.stderr, r.stderr


def test_an_empty_window_is_zeroed_and_loaded_with_nothing(tmp_path):
    r = mkimage(tmp_path, "configs/qemu-virt/two-cells.dts", f"alpha={HEARTBEAT}",
                "--empty", "beta")
    assert r.returncode == 0, r.stdout + r.stderr
    script = (tmp_path / "image" / "boot.cmd").read_text()
    assert 'echo "bulkhead: clearing cell beta kernel at 0x61000000 (no file)"\n' \
        "mw.q 0x61000000 0x0 0x200000\n" in script, script
    assert "loading cell beta" not in script and "loading cell alpha kernel" in script, script


def test_a_window_given_a_file_and_empty_is_refused(tmp_path):
    r = mkimage(tmp_path, "configs/qemu-virt/two-cells.dts", f"alpha={HEARTBEAT}",
                f"beta={HEARTBEAT}", "--empty", "beta")
    assert r.returncode != 0 and "the kernel window of cell 'beta' is given twice" in r.stderr, \
        r.stdout + r.stderr


def test_mkimage_names_the_window_a_misspelt_one_is_a_typo_of(tmp_path):
    """A window name a typo away from one of the layout's (a swap, a character missing) is
    told which it is, by the rule the layout's own messages use (bulkhead-check --suggest);
    one near none is told only the list. Before, every one was told only the list."""
    demo = "configs/qemu-virt/demo.dts"
    r = mkimage(tmp_path, demo, f"linux={HEARTBEAT}", f"rtos={HEARTBEAT}",
                f"linux:initdr={HEARTBEAT}")
    assert r.returncode != 0, r.stdout + r.stderr
    assert "no initdr window for a cell labelled 'linux'; did you mean 'linux:initrd'? " \
        "(its windows: " in r.stderr, r.stderr
    r = mkimage(tmp_path, demo, f"linux={HEARTBEAT}", "--empty", "rto")
    assert r.returncode != 0 and "labelled 'rto'; did you mean 'rtos'?" in r.stderr, r.stderr
    r = mkimage(tmp_path, demo, f"linux={HEARTBEAT}", f"linux:firmware={HEARTBEAT}")
    assert r.returncode != 0, r.stdout + r.stderr
    assert "no firmware window for a cell labelled 'linux' (its windows: " in r.stderr, r.stderr


TYPO_LAYOUT = """/dts-v1/;
/ { bulkhead {
    compatible = "bulkhead,layout-v1";
    hypervisor-memory = <0x0 0x40000000 0x0 0x01000000>;
    cell@0 { label = "alpha"; cpus = <0x0>; on-falut = "stop";
             memory = <0x0 0x40000000 0x0 0x48000000 0x0 0x04000000>;
             kernel = <0x0 0x60000000 0x0 0x01000000>; };
}; };
"""


def test_mkimage_says_which_file_label_or_layout_is_wrong(tmp_path):
    """A new user's mistakes when booting a layout of their own (README, "Booting your
    layout"): each message names the thing to fix. Before, a missing file read "expected
    LABEL[:initrd|:device-tree]=FILE with an existing FILE", a mistyped label did not list
    the layout's, an invalid layout named only mkimage's own copy of it (layout.dtb) and a
    layout outside configs/ "BOARD is missing" without saying where a layout goes."""
    missing = BUILD / "guests" / "no-such-guest.bin"
    r = mkimage(tmp_path, "configs/qemu-virt/two-cells.dts", f"alpha={missing}",
                f"beta={HEARTBEAT}")
    assert r.returncode != 0 and f"{missing}: no such file" in r.stderr, r.stderr

    r = mkimage(tmp_path, "configs/qemu-virt/two-cells.dts", f"alpah={HEARTBEAT}",
                f"beta={HEARTBEAT}")
    assert r.returncode != 0 and "its windows: alpha, beta" in r.stderr, r.stderr
    assert "labelled 'alpah'; did you mean 'alpha'?" in r.stderr, r.stderr

    layout = tmp_path / "typo.dts"
    layout.write_text(TYPO_LAYOUT)
    r = mkimage(tmp_path, layout, "--board-dtb", BUILD / "layouts" / "board" / "qemu-virt.dtb",
                f"alpha={HEARTBEAT}")
    assert r.returncode != 0 and f"{layout} is invalid" in r.stderr, r.stderr
    assert "/bulkhead/cell@0: on-falut: unknown property" in r.stderr, r.stderr

    r = mkimage(tmp_path, layout, f"alpha={HEARTBEAT}")
    assert r.returncode != 0 and "put the layout in configs/qemu-virt/" in r.stderr, r.stderr


def test_mkimage_refuses_an_image_whose_bss_outgrows_its_kernel_window(tmp_path):
    """bulkhead-check places a cell's DTB slot and initrd as if the kernel took its window;
    the boot reserves the Image header's text_offset + image_size. An Image asking for more
    than its window (Debian's 34.25 MiB image_size in a 34 MiB window) passed the check and
    mkimage, and then the boot refused the whole layout: no cell started."""
    window = 0x1000000  # two-cells.dts: alpha's kernel window 0x60000000+0x1000000
    image = bytearray(HEARTBEAT.read_bytes())
    struct.pack_into("<QQ", image, 8, 0, window)
    fits = tmp_path / "fits.bin"
    fits.write_bytes(image)
    r = mkimage(tmp_path, "configs/qemu-virt/two-cells.dts", f"alpha={fits}",
                f"beta={HEARTBEAT}")
    assert r.returncode == 0, r.stdout + r.stderr
    struct.pack_into("<QQ", image, 8, 0x1000, window)  # text_offset 0x1000 on top
    outgrows = tmp_path / "outgrows.bin"
    outgrows.write_bytes(image)
    r = mkimage(tmp_path, "configs/qemu-virt/two-cells.dts", f"alpha={outgrows}",
                f"beta={HEARTBEAT}")
    assert r.returncode != 0, r.stdout + r.stderr
    assert "asks for 0x1001000 bytes of boot RAM" in r.stderr and \
        "make the window at least 0x1001000 bytes" in r.stderr, r.stderr



def test_mkimage_refuses_an_image_of_image_size_0_past_text_offset_0(tmp_path):
    """image_size 0 (kernels before Linux 3.17): the boot (kernel_extent()) reserves the
    whole kernel window from the header's text_offset, so any text_offset reaches past
    the window bulkhead-check placed the DTB slot and initrd for. mkimage skipped the
    check for image_size 0 and passed it; then its refusal advised "text_offset 0", which
    such a kernel, linked at 0x80000, cannot take: the size in the header can be given."""
    window = 0x1000000  # two-cells.dts: alpha's kernel window 0x60000000+0x1000000
    image = bytearray(HEARTBEAT.read_bytes())
    struct.pack_into("<QQ", image, 8, 0, 0)
    at_0 = tmp_path / "at-0.bin"
    at_0.write_bytes(image)
    r = mkimage(tmp_path, "configs/qemu-virt/two-cells.dts", f"alpha={at_0}",
                f"beta={HEARTBEAT}")
    assert r.returncode == 0, r.stdout + r.stderr
    struct.pack_into("<QQ", image, 8, 0x80000, 0)  # a pre-3.17 kernel's text_offset
    offset = tmp_path / "offset.bin"
    offset.write_bytes(image)
    r = mkimage(tmp_path, "configs/qemu-virt/two-cells.dts", f"alpha={offset}",
                f"beta={HEARTBEAT}")
    assert r.returncode != 0, r.stdout + r.stderr
    assert "has image_size 0 (a kernel before Linux 3.17: its size with BSS is unknown" \
        in r.stderr, r.stderr
    assert f"and text_offset 0x80000: the boot reserves the whole window from text_offset, " \
        f"{window + 0x80000:#x} bytes" in r.stderr, r.stderr
    # What to do, and that doing it is enough: the size written into the header.
    assert "no window is large enough, whatever its size; use a Linux 3.17 or later Image, " \
        "or write this kernel's size into its header, image_size (bytes 16-23, " \
        "little-endian) = _end - _text from its System.map" in r.stderr, r.stderr
    struct.pack_into("<Q", image, 16, window - 0x80000)
    offset.write_bytes(image)
    r = mkimage(tmp_path, "configs/qemu-virt/two-cells.dts", f"alpha={offset}",
                f"beta={HEARTBEAT}")
    assert r.returncode == 0, r.stdout + r.stderr

def zboot(payload_offset, payload_size, comp):
    """The first bytes of an EFI zboot image (Linux's zboot-header.S)."""
    head = bytearray(4096)
    head[0:2], head[4:8] = b"MZ", b"zimg"
    struct.pack_into("<II", head, 8, payload_offset, payload_size)
    head[24:24 + len(comp)] = comp
    return bytes(head)


NOT_AN_IMAGE = {  # what a kernel file holds: what mkimage says of it
    "gzip": (gzip.compress(b"\0" * 4096), "gzip-compressed (a vmlinuz?): decompress it"),
    "zboot": (zboot(0x10000, 123456, b"zstd22"),
              "EFI zboot image (vmlinuz.efi, CONFIG_EFI_ZBOOT), which booti cannot start: its "
              "Image is zstd-compressed at offset 0x10000, 123456 bytes: tail -c +65537"),
    "zero": (bytes(4096), "its first 64 bytes are zero"),
    "other": (b"\x01" * 4096, 'for a flat binary say kernel-format = "raw"'),
}


@pytest.mark.parametrize("kind", NOT_AN_IMAGE)
def test_mkimage_refuses_a_kernel_that_is_no_arm64_image(tmp_path, kind):
    """kernel-format "image": the boot would refuse it after the board booted; a gzip'd
    vmlinuz is the usual mistake, and raw is the wrong advice for it."""
    content, says = NOT_AN_IMAGE[kind]
    bad = tmp_path / f"{kind}.bin"
    bad.write_bytes(content)
    r = mkimage(tmp_path, "configs/qemu-virt/two-cells.dts", f"alpha={bad}",
                f"beta={HEARTBEAT}")
    assert r.returncode != 0, r.stdout + r.stderr
    assert f"cell 'alpha' has kernel-format \"image\": {bad}: not an arm64 Image" in r.stderr, \
        r.stderr
    assert says in r.stderr, r.stderr


def test_a_raw_cell_takes_a_kernel_that_is_no_arm64_image(tmp_path):
    raw = tmp_path / "raw.bin"
    raw.write_bytes(b"\x01" * 4096)
    r = mkimage(tmp_path, "configs/qemu-virt/demo.dts", f"linux={HEARTBEAT}", f"rtos={raw}",
                "--empty", "linux:initrd")
    assert r.returncode == 0, r.stdout + r.stderr


def test_mkimage_refuses_an_empty_kernel_window_for_a_raw_cell(tmp_path):
    """The boot checks no header of a raw kernel: a zeroed window would run as zeros (UDF at
    EL1, a fault far from its cause), where an "image" cell's load refuses it. mkimage's
    docstring said an empty kernel window fails its cell's load, and let it through."""
    r = mkimage(tmp_path, "configs/qemu-virt/demo.dts", f"linux={HEARTBEAT}", "--empty", "rtos",
                "--empty", "linux:initrd")
    assert r.returncode != 0, r.stdout + r.stderr
    assert "--empty 'rtos': cell 'rtos' has kernel-format \"raw\"" in r.stderr, r.stderr
    assert "give it a file (rtos=FILE)" in r.stderr, r.stderr
    assert not (tmp_path / "image" / "boot.cmd").exists()


def size_report():
    """scripts/size-report on the built image, without booting: (text + data, output)."""
    elf = BUILD / "hyp" / "bulkhead.elf"
    out = subprocess.run(["aarch64-linux-gnu-size", "-B", str(elf)], check=True,
                         capture_output=True, text=True).stdout.splitlines()[1].split()
    r = subprocess.run(["/usr/bin/python3", "scripts/size-report", "--build", str(BUILD),
                        "--elf", str(elf), "--image", str(BUILD / "hyp" / "bulkhead.bin"),
                        "--map", str(BUILD / "hyp" / "bulkhead.map")],
                       cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    return int(out[0]) + int(out[1]), r.stdout


DEMO_DEFAULT = "configs/qemu-virt/linux-two-plus-one.dts"


@pytest.mark.parametrize("layout", [str(p.relative_to(REPO)) for p in
                                    sorted((REPO / "configs" / "qemu-virt").glob("*.dts"))
                                    if str(p.relative_to(REPO)) != DEMO_DEFAULT])
def test_make_run_packages_every_shipped_qemu_layout(layout, tmp_path):
    """`make run DEMO_LAYOUT=...` (README): another layout than the demo's gets the
    heartbeat guest in every cell; the demo's cell labels (linux2, ...) went with it, and
    mkimage refused every other shipped layout."""
    plan = subprocess.run(["make", "-n", f"BUILD={BUILD}", "run", f"DEMO_LAYOUT={layout}"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    line = [l for l in plan.stdout.splitlines() if l.startswith("scripts/mkimage ")]
    assert len(line) == 1, plan.stdout
    argv = line[0].split()
    out = tmp_path / "image"
    argv[argv.index(layout) + 1] = str(out)
    r = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"{line[0]}: exit {r.returncode}\n{r.stdout}{r.stderr}"
    assert (out / "disk.img").is_file() and (out / "boot.scr").is_file(), r.stdout
    script = (out / "boot.cmd").read_text()
    for label in labels(cells.compile_layout(REPO / layout)):
        assert f"loading cell {label} kernel heartbeat.bin to " in script, script


def test_board_dtb_qemu_dumped_is_made_again_after_a_qemu_upgrade(tmp_path):
    """The layouts are checked against the DTB QEMU dumps of its virt machine. A
    package keeps its build date as mtime, so after an upgrade QEMU's binary can be
    older than the DTB: QEMU's version, kept in BUILD/qemu-version, decides."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "qemu-system-aarch64"
    fake.write_text('#!/bin/sh\n'
                    '[ "$1" = --version ] && { cat "$(dirname "$0")/version"; exit 0; }\n'
                    'out=$(echo "$*" | sed -n "s/.*dumpdtb=\\([^ ,]*\\).*/\\1/p")\n'
                    'echo dumped >> "$(dirname "$0")/dumps"; : > "$out"\n')
    fake.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
    build = tmp_path / "build"
    dtb = build / "layouts" / "board" / "qemu-virt.dtb"

    def dumps(version):
        (bin_dir / "version").write_text(version)
        r = subprocess.run(["make", "-s", "-f", "tools/tools.mk", f"BUILD={build}", str(dtb)],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0 and dtb.is_file(), r.stdout + r.stderr
        log = bin_dir / "dumps"
        return len(log.read_text().splitlines()) if log.exists() else 0

    assert dumps("QEMU emulator version 10.0.2\n") == 1
    assert dumps("QEMU emulator version 10.0.2\n") == 1
    # The upgrade: a binary whose mtime is its package's build date, older than the DTB.
    os.utime(fake, (1e9, 1e9))
    os.utime(dtb, (time.time() - 60,) * 2)
    assert dumps("QEMU emulator version 10.1.0\n") == 2


def test_size_report_prices_each_feature_and_accounts_for_every_byte():
    image, out = size_report()
    sloc_total = int(re.search(r"^\| total +\| +\d+ \| +\d+ \| +\d+ \| +\d+ \| +(\d+) \|$", out,
                               re.M).group(1))
    rows = dict((m.group(1).strip(), (int(m.group(2)), int(m.group(3))))
                for m in re.finditer(r"^\| ([^|]+?) +\| +(\d+) \| +(-?\d+) \|$", out, re.M))
    total = rows.pop("total")
    assert total == (sloc_total, image), f"features add up to {total}, not {sloc_total} " \
        f"SLOC and {image} bytes of text + data\n{out}"
    # Every byte the link map names is attributed: what is left is the linker's own.
    linker = rows.pop("linker-made (.got, .dynamic, .rela.dyn, ...)")[1]
    assert 0 < linker < 4096, out
    assert rows.pop("libfdt (Debian's libfdt.a: whole objects)")[1] > 8192, out
    rows.pop("alignment padding")
    # Strings several files share are stored once: never more than a few KiB.
    assert -8192 < rows.pop("linker: duplicate strings merged, section ends aligned")[1] <= 64, out
    # A feature whose files moved without the table following would read as 0.
    for name, (lines, size) in rows.items():
        assert lines > 0 and size > 0, f"{name}: {lines} SLOC, {size} bytes\n{out}"
    floor = re.search(r"libfdt out too [^:]*: (\d+) SLOC, (\d+) bytes", out)
    core = [v for k, v in rows.items() if k.startswith("core")][0]
    assert floor and int(floor.group(1)) == core[0], out


def test_relocations_write_only_where_boot_invalidated_the_data_cache():
    """boot/head.S applies the relocations with the MMU off, over lines it
    invalidated first (from __inval_start to _end, boot/image.lds): a clean
    line a loader left below would be read instead of the relocated value
    once the cache is on (the GOT's address of __stack_chk_guard, in libfdt's
    prologues)."""
    elf = str(BUILD / "hyp" / "bulkhead.elf")
    syms = {}
    for line in subprocess.run(["aarch64-linux-gnu-nm", elf], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        addr, _, name = line.split(maxsplit=2)
        syms[name] = int(addr, 16)
    rela = [int(m.group(1), 16) for m in re.finditer(
        r"^([0-9a-f]+) +[0-9a-f]+ +R_AARCH64_\w+", subprocess.run(
            ["aarch64-linux-gnu-readelf", "-rW", elf], check=True, capture_output=True,
            text=True).stdout, re.M)]
    assert rela, "no relocations found: the check would pass vacuously"
    outside = [hex(r) for r in rela if not syms["__inval_start"] <= r < syms["_end"]]
    assert not outside, f"relocations written outside [__inval_start, _end): {outside}"
