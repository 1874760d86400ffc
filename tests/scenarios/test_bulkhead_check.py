# SPDX-License-Identifier: GPL-2.0-only
"""build/tools/bulkhead-check on every layout we ship and every broken one.

Every configs/BOARD/*.dts passes against its board's device tree, named by
configs/BOARD/BOARD (scripts/board-dtb: QEMU virt's own DTB, or a real board's
from Debian's kernel package plus firmware fixups): exit 0, or for a board
with a known gap ("board-error TEXT") exit 2 with TEXT while the layout itself
checks out. Every tests/layouts/bad/*.dts fails (exit 1) against QEMU virt and
prints the message its first line promises (/* expect: ... */), and every
tests/layouts/bad-on-board/FOLDER/*.dts does the same against the board of
configs/FOLDER. Builds what it needs with tools/tools.mk.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

from script_run import run_script

REPO = Path(__file__).resolve().parents[2]
BUILD = (REPO / os.environ.get("BULKHEAD_BUILD", "build")).resolve()
TOOL = BUILD / "tools" / "bulkhead-check"
LAYOUTS = BUILD / "layouts"
BOARD = LAYOUTS / "board" / "qemu-virt.dtb"
BAD = sorted((REPO / "tests" / "layouts" / "bad").glob("*.dts"))
CONFIGS = sorted((REPO / "configs").glob("*/*.dts"))
EXPECT = re.compile(r"^/\* expect: (.*) \*/$")


@pytest.fixture(scope="module", autouse=True)
def built():
    subprocess.run(["make", "-s", "-f", "tools/tools.mk", f"BUILD={BUILD}", "tools",
                    "layout-dtbs", str(BOARD)], cwd=REPO, check=True, timeout=300)


def check(*args):
    return subprocess.run([str(TOOL), *map(str, args)], capture_output=True, text=True,
                          timeout=30)


def expected_message(dts):
    first = dts.read_text().splitlines()[0]
    m = EXPECT.match(first)
    assert m, f"{dts.name}: first line must be /* expect: <message> */"
    return m.group(1)


def board_of(folder):
    """(board DTB, known board error or None) for configs/FOLDER (see scripts/board-dtb)."""
    spec = folder / "BOARD"
    assert spec.is_file(), f"{spec} is missing: it names the board's device tree"
    known = None
    for line in spec.read_text().splitlines():
        key, _, value = line.strip().partition(" ")
        if key == "board-error":
            known = value.strip()
    r = run_script([str(REPO / "scripts" / "board-dtb"), str(folder), str(BUILD)], 600, cwd=REPO)
    if r.returncode != 0 and "fetch" in r.stderr and not any((REPO / ".cache" / "debs").glob(
            "linux-image-*-arm64_*.deb")):
        pytest.skip(f"{folder.name}: the board DTB needs a download that failed:\n{r.stderr}")
    assert r.returncode == 0, f"scripts/board-dtb {folder}: exit {r.returncode}\n{r.stderr}"
    return Path(r.stdout.strip().splitlines()[-1]), known


@pytest.mark.parametrize("dts", CONFIGS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_shipped_layout_is_valid_on_its_board(dts):
    board, known = board_of(dts.parent)
    r = check(LAYOUTS / "configs" / dts.parent.name / f"{dts.stem}.dtb", board)
    assert "the layout is invalid" not in r.stderr and "OK:" in r.stdout, \
        f"{dts} on {board}: exit {r.returncode}\n{r.stdout}{r.stderr}"
    if known is None:
        assert r.returncode == 0, f"exit {r.returncode}\n{r.stderr}"
    else:
        assert r.returncode == 2, f"exit {r.returncode}: is the board gap fixed? Then drop " \
            f"'board-error' from {dts.parent}/BOARD\n{r.stderr}"
        errors = [l for l in r.stderr.splitlines() if l.startswith("ERROR: platform:")]
        assert errors and all(known in l for l in errors), \
            f"{board}: expected only the known gap ({known}), got:\n" + "\n".join(errors)


def test_every_config_folder_names_its_board():
    missing = [d.name for d in (REPO / "configs").iterdir()
               if d.is_dir() and not (d / "BOARD").is_file()]
    assert not missing, f"configs/ folders without a BOARD file: {missing}"


@pytest.mark.parametrize("dts", CONFIGS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_load_plan_keeps_the_layout_dtb_clear_of_everything(dts):
    board, known = board_of(dts.parent)
    if known is not None:
        pytest.skip(f"{dts.parent.name}: {known}: no load plan for an unusable board")
    r = check("--print-load-plan", LAYOUTS / "configs" / dts.parent.name / f"{dts.stem}.dtb",
              board)
    assert r.returncode == 0, r.stderr
    plan = [l.split() for l in r.stdout.splitlines()]
    spans = {(w[0] if w[0] not in ("cell", "shared-memory") else f"{' '.join(w[:-2])} {i}"):
             (int(w[-2], 16), int(w[-1], 16)) for i, w in enumerate(plan)}
    assert any(" memory " in n for n in spans) and any(" kernel " in n for n in spans), spans
    hyp_mem, hyp = spans["hypervisor-memory"], spans["hypervisor"]
    assert hyp[0] % 0x200000 == 0, f"bulkhead.bin at {hyp[0]:#x}: booti would move it"
    assert hyp_mem[0] <= hyp[0] and hyp[0] + hyp[1] == hyp_mem[0] + hyp_mem[1], spans
    lay = spans["layout"]
    for name, (addr, size) in spans.items():
        if name not in ("layout", "hypervisor"):
            assert not (lay[0] < addr + size and addr < lay[0] + lay[1]), \
                f"layout DTB slot {lay[0]:#x}+{lay[1]:#x} overlaps {name} {addr:#x}+{size:#x}"


SHM_ABOVE_HYP = """/dts-v1/;
/ { bulkhead {
    compatible = "bulkhead,layout-v1";
    hypervisor-memory = <0x0 0x40000000 0x0 0x01000000>;
    cell@0 { label = "alpha"; cpus = <0x1>;
             memory = <0x0 0x40000000 0x0 0x48000000 0x0 0x04000000>;
             kernel = <0x0 0x60000000 0x0 0x01000000>; };
    cell@1 { label = "beta"; cpus = <0x2>;
             memory = <0x0 0x40000000 0x0 0x4c000000 0x0 0x04000000>;
             kernel = <0x0 0x61000000 0x0 0x01000000>; };
    shared-memory@0 { compatible = "bulkhead,shm"; reg = <0>; cells = "alpha", "beta";
                      memory = <0x0 0x41000000 0x0 0x00200000>; ipa = <0x0 0x50000000>; };
}; };
"""


def test_load_plan_keeps_the_layout_dtb_clear_of_shared_memory(tmp_path):
    """Shared memory right above hypervisor-memory, where the layout DTB would go
    first: the plan lists it and puts the DTB in the next free 2 MiB."""
    dts, dtb = tmp_path / "shm.dts", tmp_path / "shm.dtb"
    dts.write_text(SHM_ABOVE_HYP)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                   check=True, timeout=30)
    r = check("--print-load-plan", dtb, BOARD)
    assert r.returncode == 0, r.stderr
    assert "shared-memory 0x41000000 0x200000\n" in r.stdout, r.stdout
    assert "layout 0x41200000 0x200000\n" in r.stdout, r.stdout


# hypervisor-memory, alpha's memory and its kernel window fill the first 64 MiB bank.
FULL_FIRST_BANK = """/dts-v1/;
/ { bulkhead {
    compatible = "bulkhead,layout-v1";
    hypervisor-memory = <0x0 0x40000000 0x0 0x01000000>;
    cell@0 { label = "alpha"; cpus = <0x1>;
             memory = <0x0 0x40000000 0x0 0x41000000 0x0 0x02000000>;
             kernel = <0x0 0x43000000 0x0 0x01000000>; };
}; };
"""


def plan_with_full_first_bank(tmp_path, banks, memreserve=""):
    """--print-load-plan of FULL_FIRST_BANK on QEMU virt with RAM BANKS (reg cells after
    the first, 64 MiB at 0x40000000) and the /memreserve/ line MEMRESERVE."""
    src = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(BOARD)], check=True,
                         capture_output=True, text=True, timeout=30).stdout
    board_dts, board = tmp_path / "board.dts", tmp_path / "board.dtb"
    board_dts.write_text(src.replace("/dts-v1/;", f"/dts-v1/;\n{memreserve}", 1))
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(board), str(board_dts)],
                   check=True, timeout=30)
    subprocess.run(["fdtput", "-t", "x", str(board), "/memory@40000000", "reg",
                    "0", "0x40000000", "0", "0x04000000", *banks], check=True, timeout=30)
    dts, dtb = tmp_path / "full.dts", tmp_path / "full.dtb"
    dts.write_text(FULL_FIRST_BANK)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                   check=True, timeout=30)
    r = check("--print-load-plan", dtb, board)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    return r.stdout


TOP_BANK = ["0xffffffff", "0xffc00000", "0", "0x00400000"]  # 4 MiB ending at 2^64


def test_load_plan_puts_the_layout_dtb_in_a_bank_ending_at_2_64(tmp_path):
    """The only free RAM is a 4 MiB bank at the top of the address space, whose base +
    size wraps to 0: the layout DTB's slot is its first 2 MiB."""
    out = plan_with_full_first_bank(tmp_path, TOP_BANK)
    assert "layout 0xffffffffffc00000 0x200000\n" in out, out


def test_load_plan_keeps_the_layout_dtb_off_reserved_memory_ending_at_2_64(tmp_path):
    """The top bank is reserved whole (/memreserve/ up to 2^64): the layout DTB goes to
    the next bank, 4 MiB at 0x80000000, not onto firmware's memory."""
    out = plan_with_full_first_bank(tmp_path, TOP_BANK + ["0", "0x80000000", "0", "0x00400000"],
                                    "/memreserve/ 0xffffffffffc00000 0x400000;")
    assert "layout 0x80000000 0x200000\n" in out, out


@pytest.mark.parametrize("dts", BAD, ids=lambda p: p.stem)
def test_bad_layout_is_rejected_with_its_message(dts):
    want = expected_message(dts)
    dtb = LAYOUTS / "bad" / f"{dts.stem}.dtb"
    r = check(dtb, BOARD)
    assert r.returncode == 1, f"exit {r.returncode}, expected 1\n{r.stdout}{r.stderr}"
    assert want in r.stderr, f"missing: {want}\nstderr:\n{r.stderr}"
    # The verdict names the file: the ERROR lines name node and property only.
    assert f"bulkhead-check: {dtb}: the layout is invalid" in r.stderr, r.stderr


# tests/layouts/bad-on-board/FOLDER/*.dts: broken for the board of configs/FOLDER.
BAD_ON_BOARD = sorted((REPO / "tests" / "layouts" / "bad-on-board").glob("*/*.dts"))


@pytest.mark.parametrize("dts", BAD_ON_BOARD, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_bad_layout_on_a_real_board_is_rejected_with_its_message(dts, tmp_path):
    want = expected_message(dts)
    board, _ = board_of(REPO / "configs" / dts.parent.name)
    dtb = tmp_path / f"{dts.stem}.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                   check=True, timeout=30)
    r = check(dtb, board)
    assert r.returncode == 1, f"exit {r.returncode}, expected 1\n{r.stdout}{r.stderr}"
    assert want in r.stderr, f"missing: {want}\nstderr:\n{r.stderr}"


DIRECT_ON = """/dts-v1/;
/ { bulkhead {
    compatible = "bulkhead,layout-v1";
    hypervisor-memory = <0x0 0x40000000 0x0 0x01000000>;
    cell@0 { label = "alpha"; cpus = <%s>; interrupt-mode = "direct";
             memory = <0x0 0x40000000 0x0 0x48000000 0x0 0x04000000>;
             kernel = <0x0 0x60000000 0x0 0x01000000>; };
}; };
"""


def check_direct_on(cpu, tmp_path, board=BOARD):
    dts, dtb = tmp_path / "direct.dts", tmp_path / "direct.dtb"
    dts.write_text(DIRECT_ON % cpu)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                   check=True, timeout=30)
    return check(dtb, board)


def board_booting_on(mpidr, tmp_path):
    """QEMU virt's board DTB with boot_cpuid_phys MPIDR in its header (dtc -b)."""
    dtb = tmp_path / f"board-boot-{mpidr}.dtb"
    subprocess.run(["dtc", "-q", "-b", str(mpidr), "-I", "dtb", "-O", "dtb", "-o", str(dtb),
                    str(BOARD)], check=True, timeout=30)
    return dtb


def test_direct_cell_on_the_boot_cpu_is_valid_but_warned(tmp_path):
    """The boot refuses it on its boot CPU: the one the DTB header names (QEMU's: 0)."""
    r = check_direct_on("0x0", tmp_path)
    assert r.returncode == 0 and 'warning: layout: /bulkhead/cell@0: interrupt-mode: "direct" ' \
        "with CPU 0x0, the boot CPU by the board DTB header" in r.stdout, \
        f"exit {r.returncode}\n{r.stdout}{r.stderr}"


def test_direct_cell_on_other_cpus_is_not_warned(tmp_path):
    r = check_direct_on("0x1 0x2", tmp_path)
    assert r.returncode == 0 and "warning" not in r.stdout, r.stdout


def test_direct_cell_on_a_boot_cpu_not_first_in_cpus_is_warned(tmp_path):
    """boot_cpuid_phys 2: CPU 0x2 is the boot CPU, though cpu@0 comes first in /cpus."""
    r = check_direct_on("0x2", tmp_path, board_booting_on(2, tmp_path))
    assert r.returncode == 0 and 'warning: layout: /bulkhead/cell@0: interrupt-mode: "direct" ' \
        "with CPU 0x2, the boot CPU by the board DTB header" in r.stdout, \
        f"exit {r.returncode}\n{r.stdout}{r.stderr}"


def test_direct_cell_on_the_first_cpu_but_not_the_boot_cpu_is_not_warned(tmp_path):
    r = check_direct_on("0x0", tmp_path, board_booting_on(2, tmp_path))
    assert r.returncode == 0 and "warning" not in r.stdout, r.stdout


def test_direct_cell_on_the_first_cpu_is_warned_when_the_header_names_no_cpu(tmp_path):
    """boot_cpuid_phys 0x100 is none of /cpus: the first, U-Boot's usual one, is warned of."""
    r = check_direct_on("0x0", tmp_path, board_booting_on(0x100, tmp_path))
    assert r.returncode == 0 and 'warning: layout: /bulkhead/cell@0: interrupt-mode: "direct" ' \
        "with CPU 0x0, the first in /cpus, the one U-Boot usually starts Bulkhead on (the DTB " \
        "header's boot_cpuid_phys 0x100 is none of /cpus)" in r.stdout, \
        f"exit {r.returncode}\n{r.stdout}{r.stderr}"


def test_a_direct_cells_console_spi_is_the_one_the_boot_picks(tmp_path):
    """A direct cell's virtual console has a spare physical SPI, picked at boot from
    the top of the GIC's lines: QEMU virt's 288, so INTID 287, as the hypervisor
    prints it (test_direct.py); the guest's tree says SPI 255."""
    dtb = _direct(tmp_path)
    out = tmp_path / "dt"
    out.mkdir()
    r = check("--guest-dt", out, dtb, BOARD)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    assert "layout: alpha: direct interrupts: virtual console on INTID 287\n" in r.stdout
    irq = subprocess.run(["fdtget", "-t", "u", str(out / "alpha.dtb"), "/pl011@9000000",
                          "interrupts"], capture_output=True, text=True, timeout=30).stdout
    assert irq.split() == ["0", "255", "4"], irq


def test_a_gic_with_no_spare_spi_refuses_a_direct_cell(tmp_path):
    r = check("--gic-lines", 32, _direct(tmp_path), BOARD)
    assert r.returncode == 1, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    assert 'ERROR: layout: /bulkhead/cell@0: interrupt-mode: "direct": the GIC\'s 32 lines ' \
        "hold no more SPIs that no board device uses" in r.stderr, r.stderr


def test_another_boards_gic_lines_are_given_or_the_assumption_said(tmp_path):
    """No device tree gives the GIC's line count: on a board other than QEMU virt the
    checker says what it assumed, and --gic-lines gives the board's."""
    board = tmp_path / "board.dtb"
    board.write_bytes(BOARD.read_bytes())
    subprocess.run(["fdtput", "-t", "s", str(board), "/", "compatible", "acme,board"],
                   check=True, timeout=30)
    r = check(_direct(tmp_path), board)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    assert "checked as if the GIC had 1020; --gic-lines N gives this board's" in r.stdout
    assert "virtual console on INTID 1019\n" in r.stdout, r.stdout
    r = check("--gic-lines", 128, _direct(tmp_path), board)
    assert r.returncode == 0 and "checked as if" not in r.stdout, r.stdout
    assert "virtual console on INTID 127\n" in r.stdout, r.stdout
    r = check("--gic-lines", 100, _direct(tmp_path), board)
    assert r.returncode == 2 and "--gic-lines 100: want the GIC's interrupt lines" in r.stderr


def test_a_cells_spis_past_unknown_gic_lines_are_noted(tmp_path):
    """An INTID past the GIC's lines (a typo such as <0 0x1f4 4> in a board's tree) only
    the boot can see when the lines are not given: the checker says it did not check them,
    and how high the cells' SPIs go; with --gic-lines it checks (QEMU virt's are known)."""
    layout = LAYOUTS / "configs" / "qemu-virt" / "two-cells.dtb"
    board = tmp_path / "board.dtb"
    board.write_bytes(BOARD.read_bytes())
    subprocess.run(["fdtput", "-t", "s", str(board), "/", "compatible", "acme,board"],
                   check=True, timeout=30)
    subprocess.run(["fdtput", "-t", "u", str(board), "/pl031@9010000", "interrupts", "0", "500",
                    "4"], check=True, timeout=30)
    r = check(layout, board)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    assert "note: GIC lines not checked: the cells' SPIs go up to INTID 532, which the boot " \
        "refuses if this board's GIC has no such line; give --gic-lines N" in r.stdout, r.stdout
    r = check("--gic-lines", 288, layout, board)
    assert r.returncode == 1 and "GIC lines not checked" not in r.stdout, r.stdout
    assert "devices: /pl031@9010000: INTID 532 is beyond the GIC's 288 interrupt lines" in r.stderr
    r = check(layout, BOARD)
    assert r.returncode == 0 and "GIC lines not checked" not in r.stdout, r.stdout


def test_streams_from_0x400_up_are_checked_and_what_the_smmu_must_have_noted(tmp_path):
    """A function on bus 4 (stream 0x400) takes the two-level stream table: valid, with a
    note of what only the SMMU's registers say; before 2026-11-25 nothing was said, and
    the boot refused the stream."""
    dtb = tmp_path / "bus4.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb),
                    str(REPO / "tests" / "scenarios" / "layouts" / "smmu-bus4.dts")], check=True)
    r = check(dtb, BOARD)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "note: SMMU streams up to 0x400: from 0x400 up the boot needs an SMMU with " \
        "two-level stream tables (IDR0.ST_LEVEL) and stream IDs that wide (IDR1.SIDSIZE)" \
        in r.stdout, r.stdout


def _direct(tmp_path):
    dts, dtb = tmp_path / "direct.dts", tmp_path / "direct.dtb"
    dts.write_text(DIRECT_ON % "0x1")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                   check=True, timeout=30)
    return dtb


def test_output_keeps_its_order_in_one_pipe():
    """`bulkhead-check -v ... 2>&1 | cat`: the board line printed before the layout is read
    comes before the layout's errors (stdout is line-buffered, stderr unbuffered)."""
    r = subprocess.run([str(TOOL), "-v", LAYOUTS / "bad" / "device-not-in-board.dtb", BOARD],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
    lines = r.stdout.splitlines()
    board = [i for i, l in enumerate(lines) if l.startswith("board: ")]
    error = [i for i, l in enumerate(lines) if l.startswith("ERROR: layout: ")]
    assert r.returncode == 1 and board and error and board[0] < error[0], r.stdout


HYP_MEM = """/dts-v1/;
/ { bulkhead {
    compatible = "bulkhead,layout-v1";
    hypervisor-memory = <0x0 0x40000000 0x0 %#x>;
    cell@0 { label = "alpha"; cpus = <0x1>;
             memory = <0x0 0x48000000 0x0 0x48000000 0x0 0x04000000>;
             kernel = <0x0 0x60000000 0x0 0x01000000>; };
}; };
"""


def test_the_least_hypervisor_memory_accepted_holds_the_built_hypervisor(tmp_path):
    """The checker accepts hypervisor-memory that holds LAYOUT_HYP_IMAGE_MAX (4 MiB) from a
    2 MiB boundary: the load plan puts bulkhead.bin there, and the image built from this
    tree (its Image header's image_size, BSS included) fits, as the boot and mkimage
    require. 4 KiB less is refused, as the boot would."""
    subprocess.run(["make", "-s", f"BUILD={BUILD}", str(BUILD / "hyp" / "bulkhead.bin")],
                   cwd=REPO, check=True, timeout=600)
    header = (BUILD / "hyp" / "bulkhead.bin").read_bytes()[:24]
    image_size = int.from_bytes(header[16:24], "little")
    dts, dtb = tmp_path / "hyp.dts", tmp_path / "hyp.dtb"
    dts.write_text(HYP_MEM % (4 << 20))
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                   check=True, timeout=30)
    r = check("--print-load-plan", dtb, BOARD)
    assert r.returncode == 0, r.stderr
    assert "hypervisor 0x40000000 0x400000\n" in r.stdout, r.stdout
    assert 0 < image_size <= 4 << 20, f"bulkhead.bin's image_size {image_size:#x} is past " \
        "LAYOUT_HYP_IMAGE_MAX (include/layout_hyp.h): raise it, and the minimum in docs/layout.md"
    dts.write_text(HYP_MEM % ((4 << 20) - 0x1000))
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                   check=True, timeout=30)
    for args in ((dtb, BOARD), ("--print-load-plan", dtb, BOARD)):
        r = check(*args)
        assert r.returncode == 1, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
        assert "layout: /bulkhead: hypervisor-memory: 0x40000000+0x3ff000 cannot hold the " \
            "hypervisor: it needs 4 MiB" in r.stderr, r.stderr


def test_there_are_enough_bad_layouts():
    assert len(BAD) >= 12


def test_without_board_only_board_independent_rules_run():
    r = check(LAYOUTS / "configs" / "qemu-virt" / "two-cells.dtb")
    assert r.returncode == 0, r.stderr
    assert "not checked against a board" in r.stdout


def test_usage_errors_exit_2():
    assert check().returncode == 2
    assert check("a", "b", "c").returncode == 2


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_is_the_usage_on_stdout_with_exit_0(flag):
    """`bulkhead-check --help | less` shows it: asked for, it is no usage error."""
    r = check(flag)
    assert (r.returncode, r.stderr) == (0, ""), f"exit {r.returncode}\n{r.stderr}"
    assert r.stdout.startswith("usage: bulkhead-check") and "docs/porting.md" in r.stdout, \
        r.stdout


def fixture_board(tmp_path, name):
    """tests/layouts/boards/NAME.dts (a cut-down real board) compiled into TMP_PATH."""
    dtb = tmp_path / f"{name}.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb),
                    str(REPO / "tests" / "layouts" / "boards" / f"{name}.dts")],
                   check=True, timeout=30)
    return dtb


def a64_layout(tmp_path, rtos_devices, linux_devices):
    """A two-cell layout for tests/layouts/boards/a64-mini.dts with these devices."""
    def devices(paths):
        return f"devices = {', '.join(f'{chr(34)}{p}{chr(34)}' for p in paths)};" if paths else ""
    dts, dtb = tmp_path / "a64.dts", tmp_path / "a64.dtb"
    dts.write_text(f"""/dts-v1/;
/ {{ bulkhead {{ compatible = "bulkhead,layout-v1";
	hypervisor-memory = <0x0 0x40000000 0x0 0x1000000>;
	cell@0 {{ label = "rtos"; cpus = <0x0>; {devices(rtos_devices)}
		memory = <0x0 0x48000000 0x0 0x48000000 0x0 0x8000000>;
		kernel = <0x0 0x41000000 0x0 0x1000000>; kernel-format = "raw"; entry-offset = <0x0 0x0>;
		console = "virtual"; }};
	cell@1 {{ label = "linux"; cpus = <0x1 0x2 0x3>; {devices(linux_devices)}
		memory = <0x0 0x50000000 0x0 0x50000000 0x0 0x20000000>;
		kernel = <0x0 0x42000000 0x0 0x3000000>; console = "virtual"; }};
}}; }};
""")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                   check=True, timeout=30)
    return dtb


SOC_WARNING = re.compile(r"^warning: layout: (\S+): devices: (\S+) provides the ([a-z ,]+) of "
                         r"(.*): cell (\w+) can stop", re.MULTILINE)


def test_a_cell_owning_the_socs_clock_or_pin_controller_is_warned(tmp_path):
    """The CCU gives the console and rtos's UART their clocks and resets, the pin
    controller their pins: linux, owning both, could stop them. Valid (exit 0), warned."""
    board = fixture_board(tmp_path, "a64-mini")
    layout = a64_layout(tmp_path, ["/soc/serial@1c29000"],
                        ["/soc/clock@1c20000", "/soc/pinctrl@1c20800", "/soc/i2c@1c2b000"])
    r = check(layout, board)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    warned = {m.group(2): m.groups() for m in SOC_WARNING.finditer(r.stdout)}
    assert sorted(warned) == ["/soc/clock@1c20000", "/soc/pinctrl@1c20800"], r.stdout
    cell, _, kinds, who, owner = warned["/soc/clock@1c20000"]
    assert (cell, kinds, owner) == ("/bulkhead/cell@1", "clocks and resets", "linux"), r.stdout
    assert who == "Bulkhead's console /soc/serial@1c28000, /soc/serial@1c29000 of cell rtos", who
    assert warned["/soc/pinctrl@1c20800"][2] == "pins", r.stdout


def test_a_cell_owning_what_only_its_own_devices_draw_on_is_not_warned(tmp_path):
    """The I2C controller provides nothing; rtos's UART draws on no device of linux's."""
    board = fixture_board(tmp_path, "a64-mini")
    r = check(a64_layout(tmp_path, ["/soc/serial@1c29000"], ["/soc/i2c@1c2b000"]), board)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    assert "provides the" not in r.stdout, r.stdout


def test_suggest_prints_the_name_a_typo_is_of_and_exits_1_for_none():
    """--suggest, which scripts/mkimage asks of a window name, picks by the layout messages'
    rule: within two edits, a swap one, case none."""
    r = check("--suggest", "alpha:initdr", "alpha, alpha:initrd, beta")
    assert (r.returncode, r.stdout) == (0, "alpha:initrd\n"), r.stdout + r.stderr
    assert check("--suggest", "BETA", "alpha, beta").stdout == "beta\n"
    r = check("--suggest", "gamma", "alpha, beta")
    assert (r.returncode, r.stdout) == (1, ""), r.stdout + r.stderr
    assert check("--suggest", "alpha").returncode == 2


def test_arguments_the_wrong_way_round_are_said_to_be(tmp_path):
    """The board first and the layout second: one line saying so (exit 2), not the
    list of everything a board lacks that discovery makes of a layout."""
    layout = LAYOUTS / "configs" / "qemu-virt" / "two-cells.dtb"
    r = check(BOARD, layout)
    assert r.returncode == 2, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    assert f"bulkhead-check: {layout} has a /bulkhead node and {BOARD} has none: the " \
        "arguments are LAYOUT BOARD (swapped?)" in r.stderr, r.stderr
    assert "platform:" not in r.stderr, r.stderr
    r = check("--print-load-plan", layout, layout)
    assert r.returncode == 2 and "it is a layout, like" in r.stderr, r.stderr


def test_unreadable_or_non_dtb_input_exits_2(tmp_path):
    junk = tmp_path / "junk.dtb"
    junk.write_bytes(b"not a device tree" * 8)
    assert check(tmp_path / "missing.dtb", BOARD).returncode == 2
    assert check(junk, BOARD).returncode == 2


def test_a_board_dtb_the_boot_cannot_take_is_refused_in_its_words(tmp_path):
    """The boot maps the loader's blob whole (totalsize, free space included: at most
    2 MiB) and copies the blocks it uses into 256 KiB (include/platform.h); a board
    past either is one Bulkhead cannot boot on (exit 2), said as the boot says it."""
    padded = tmp_path / "padded.dtb"
    subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dtb", "-p", str(2 << 20), "-o",
                    str(padded), str(BOARD)], check=True, timeout=30)
    r = check(LAYOUTS / "configs" / "qemu-virt" / "two-cells.dtb", padded)
    assert r.returncode == 2, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    assert f"ERROR: platform: /: header: totalsize is {padded.stat().st_size} bytes, more " \
        "than the 2048 KiB the boot maps to read the blob" in r.stderr, r.stderr
    assert "the board device tree is unusable" in r.stderr, r.stderr
    big = tmp_path / "big.dtb"
    big.write_bytes(BOARD.read_bytes())
    subprocess.run(["fdtput", "-t", "x", str(big), "/chosen", "pad"] + ["0"] * 66000,
                   check=True, timeout=30)
    r = check(LAYOUTS / "configs" / "qemu-virt" / "two-cells.dtb", big)
    assert r.returncode == 2, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    assert f"ERROR: platform: /: header: its blocks take {big.stat().st_size} bytes, more " \
        "than the 256 KiB the hypervisor keeps its copy in" in r.stderr, r.stderr
    r = check("--print-load-plan", LAYOUTS / "configs" / "qemu-virt" / "two-cells.dtb", big)
    assert r.returncode == 2 and "its blocks take" in r.stderr, r.stderr


def add_cpus(board, first, last):
    """cpu@FIRST..cpu@LAST added to BOARD's /cpus (MPIDR = N), as QEMU writes them."""
    for n in range(first, last + 1):
        node = f"/cpus/cpu@{n}"
        subprocess.run(["fdtput", "-c", str(board), node], check=True, timeout=30)
        for kind, prop, value in (("s", "device_type", "cpu"), ("s", "enable-method", "psci"),
                                  ("x", "reg", f"{n:x}")):
            subprocess.run(["fdtput", "-t", kind, str(board), node, prop, value], check=True,
                           timeout=30)


def gicv2_board(tmp_path, nr_cpus):
    """QEMU virt's board DTB with a GICv2 (GICD, GICC, GICH, GICV) and NR_CPUS CPUs."""
    board = tmp_path / f"gicv2-{nr_cpus}.dtb"
    board.write_bytes(BOARD.read_bytes())
    subprocess.run(["fdtput", "-t", "s", str(board), "/intc@8000000", "compatible",
                    "arm,cortex-a15-gic"], check=True, timeout=30)
    subprocess.run(["fdtput", "-t", "x", str(board), "/intc@8000000", "reg"] +
                   "0 8000000 0 10000 0 8010000 0 10000 0 8030000 0 10000 0 8040000 0 10000"
                   .split(), check=True, timeout=30)
    add_cpus(board, 4, nr_cpus - 1)
    return board


GICV2_NINE_CPUS = ("ERROR: platform: /intc@8000000: compatible: a GICv2 with 9 CPUs in /cpus: it "
                   "targets at most 8 CPU interfaces (GICD_ITARGETSR and GICD_SGIR's "
                   "CPUTargetList have a bit for each, 8 in all)\n")


def test_a_gicv2_board_with_more_cpus_than_it_targets_is_unusable(tmp_path):
    """A GICv2 targets 8 CPU interfaces: a board with 9 CPUs is refused by discovery (exit 2,
    the board unusable, saying why), and --draft drafts nothing for it."""
    board = gicv2_board(tmp_path, 9)
    r = check(LAYOUTS / "configs" / "qemu-virt" / "two-cells.dtb", board)
    assert r.returncode == 2, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    assert GICV2_NINE_CPUS in r.stderr and "the board device tree is unusable" in r.stderr, \
        r.stderr
    r = check("--draft", board)
    assert r.returncode == 2 and GICV2_NINE_CPUS in r.stderr, f"exit {r.returncode}\n{r.stderr}"


def test_a_gicv2_board_with_eight_cpus_is_taken(tmp_path):
    """The same board with 8 CPUs, as many as a GICv2 targets: the layout checks out."""
    r = check(LAYOUTS / "configs" / "qemu-virt" / "two-cells.dtb", gicv2_board(tmp_path, 8))
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}{r.stderr}"


# Single-phandle properties the guest DT re-points at a node copied with the device.
SUBTREE_REFS = ("phy-handle", "pcs-handle", "remote-endpoint", "snps,axi-config",
                "snps,mtl-rx-config", "snps,mtl-tx-config")
# The Linux cell's MAC: its PHY, and for the i.MX 8M Plus EQOS its queue set-up nodes.
MAC_REFS = {"rpi4": ["phy-handle"], "zcu102": ["phy-handle"],
            "imx8mp-evk": ["phy-handle", "snps,mtl-rx-config", "snps,mtl-tx-config"]}


def _phandles_and_refs(dtb):
    """{phandle: node path} and [(node path, property, phandle)] of DTB for SUBTREE_REFS,
    read back with dtc."""
    text = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(dtb)], check=True,
                          capture_output=True, text=True, timeout=30).stdout
    path, targets, refs = [], {}, []
    for line in text.splitlines():
        line = line.strip()
        if line.endswith("{"):
            path.append(line[:-1].strip())
        elif line == "};":
            path.pop()
        elif m := re.match(r"([a-z0-9,#-]+) = <(0x[0-9a-f]+)>;", line):
            node = "/" + "/".join(path[1:])
            if m.group(1) == "phandle":
                targets[int(m.group(2), 16)] = node
            elif m.group(1) in SUBTREE_REFS:
                refs.append((node, m.group(1), int(m.group(2), 16)))
    return targets, refs


@pytest.mark.parametrize("dts", CONFIGS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_guest_dt_of_every_shipped_cell_builds_and_a_macs_phy_comes_with_it(dts, tmp_path):
    """--guest-dt writes what the hypervisor will build; an Ethernet MAC (rpi4 GENET,
    imx8mp EQOS, zcu102 GEM) keeps its PHY below it, phy-handle pointing at it, and
    the EQOS its queue set-up. Every phandle of the guest's own lies above the board's,
    so a board phandle a vendor property carries through names no guest node. dtc
    reads each tree without a warning (a device under a DMA bus node is named by
    its CPU address, as its "reg" says, not the board's bus address)."""
    board, known = board_of(dts.parent)
    if known is not None:
        pytest.skip(f"{dts.parent.name}: {known}")
    layout = LAYOUTS / "configs" / dts.parent.name / f"{dts.stem}.dtb"
    r = check("--guest-dt", tmp_path, layout, board)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    cells = [l for l in r.stdout.splitlines() if l.startswith("cell ")]
    dtbs = sorted(tmp_path.glob("*.dtb"))
    assert dtbs and len(dtbs) >= len(cells) > 0, (dtbs, r.stdout)
    board_max = max(_phandles_and_refs(board)[0], default=0)
    refs_seen = []
    for dtb in dtbs:
        warnings = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", "-o", "/dev/null", str(dtb)],
                                  check=True, capture_output=True, text=True, timeout=30).stderr
        assert warnings == "", f"{dtb.name}: dtc warns:\n{warnings}"
        targets, refs = _phandles_and_refs(dtb)
        assert min(targets) > board_max, \
            f"{dtb.name}: guest phandle {min(targets):#x} not above the board's {board_max:#x}"
        for node, prop, ref in refs:
            assert ref in targets and targets[ref].startswith(node + "/"), \
                f"{dtb.name}: {node}: {prop} {ref:#x} -> {targets.get(ref)}"
            refs_seen.append(prop)
    assert sorted(refs_seen) == MAC_REFS.get(dts.parent.name, []), \
        f"{dts}: the Linux cell's MAC lacks a node below it: {refs_seen}"


def test_a_cell_whose_device_tree_cannot_be_built_is_an_invalid_layout(tmp_path):
    """What the hypervisor would refuse at load, the checker refuses: here 65 nodes
    below the RTC beta is given (a board edited with fdtput)."""
    board = tmp_path / "board.dtb"
    board.write_bytes(BOARD.read_bytes())
    subprocess.run(["fdtput", "-c", str(board)] +
                   [f"/pl031@9010000/port@{i}" for i in range(65)], check=True, timeout=30)
    r = check(LAYOUTS / "configs" / "qemu-virt" / "two-cells.dtb", board)
    assert r.returncode == 1, f"exit {r.returncode}\n{r.stdout}{r.stderr}"
    assert "ERROR: beta: guest device tree: device /pl031@9010000: more than 64 nodes or 6 " \
        "levels below it" in r.stderr, r.stderr
    assert "a cell's device tree cannot be built" in r.stderr


def test_rpi4_sd_controller_sees_ram_at_its_bus_offset(tmp_path):
    """/emmc2bus on the Pi 4 reaches PA 0 at bus address 0xc0000000: the Linux cell's
    tree carries that (docs/guest-platform.md), or the SD card DMAs to PAs."""
    board, known = board_of(REPO / "configs" / "rpi4")
    if known is not None:
        pytest.skip(f"rpi4: {known}")
    r = check("--guest-dt", tmp_path, LAYOUTS / "configs" / "rpi4" / "rpi4-two-cells.dtb", board)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}{r.stderr}"

    def get(node, prop):
        return subprocess.run(["fdtget", "-t", "x", str(tmp_path / "linux.dtb"), node, prop],
                              capture_output=True, text=True, timeout=30).stdout.split()

    assert get("/emmc2bus", "dma-ranges") == ["0", "c0000000", "0", "0", "0", "40000000"]
    assert get("/emmc2bus/mmc@fe340000", "reg") == ["0", "fe340000", "0", "100"]
    # GENET's /scb has no dma-ranges: it stays at the root, named by its CPU address.
    assert get("/ethernet@fd580000", "reg") == ["0", "fd580000", "0", "10000"]


# Boards from Debian's kernel package whose console needs more than a PL011, and
# what discovery must make of it: path, kind (a 16550's stride and width), address.
DEBIAN_CONSOLES = {
    # DesignWare: the node says both reg-shift and reg-io-width
    "rockchip/rk3399-rockpro64.dtb":
        "/serial@ff1a0000 (16550, reg-shift 2, reg-io-width 4) at 0xff1a0000",
    "rockchip/rk3568-rock-3a.dtb":
        "/serial@fe660000 (16550, reg-shift 2, reg-io-width 4) at 0xfe660000",
    "allwinner/sun50i-h6-pine-h64.dtb":
        "/soc/serial@5000000 (16550, reg-shift 2, reg-io-width 4) at 0x5000000",
    # says neither: 8250_omap's
    "ti/k3-am642-sk.dtb":
        "/bus@f4000/serial@2800000 (16550, reg-shift 2, reg-io-width 4) at 0x2800000",
    # Jetson Nano: byte-wide
    "nvidia/tegra210-p3450-0000.dtb":
        "/serial@70006000 (16550, reg-shift 2, reg-io-width 1) at 0x70006000",
    # Amlogic UART_AO, translated through the always-on bus's ranges
    "amlogic/meson-gxbb-odroidc2.dtb":
        "/soc/bus@c8100000/serial@4c0 (Amlogic meson UART) at 0xc81004c0",
    "amlogic/meson-g12b-odroid-n2.dtb":
        "/soc/bus@ff800000/serial@3000 (Amlogic meson UART) at 0xff803000",
    "amlogic/meson-gxl-s905x-libretech-cc.dtb":
        "/soc/bus@c8100000/serial@4c0 (Amlogic meson UART) at 0xc81004c0",
    "amlogic/meson-sm1-khadas-vim3l.dtb":
        "/soc/bus@ff800000/serial@3000 (Amlogic meson UART) at 0xff803000",
}


@pytest.fixture(scope="module")
def debian_dtbs():
    """BUILD/boards/debian with every DTB of DEBIAN_CONSOLES, unpacked in one go."""
    out = BUILD / "boards" / "debian"
    r = run_script([str(REPO / "scripts" / "fetch-board-dtbs"), str(out),
                    *sorted(DEBIAN_CONSOLES)], 600, cwd=REPO)
    assert r.returncode == 0, r.stderr
    return out


@pytest.mark.parametrize("dtb", sorted(DEBIAN_CONSOLES))
def test_debian_boards_console_is_found_where_linux_finds_it(dtb, debian_dtbs, tmp_path):
    """Rockchip, Allwinner, TI K3, Tegra and Amlogic boards: their console is found, of
    the right kind, at its CPU address, with the stride and width Linux uses, and nothing
    else in discovery stops them once their boot loader has filled in /memory (done here
    with fdtput where the tree has none)."""
    board = tmp_path / "board.dtb"
    board.write_bytes((debian_dtbs / dtb).read_bytes())
    nodes = subprocess.run(["fdtget", "-l", str(board), "/"], check=True, capture_output=True,
                           text=True, timeout=30).stdout.split()
    types = [subprocess.run(["fdtget", "-d", "", str(board), f"/{n}", "device_type"],
                            capture_output=True, text=True, timeout=30).stdout.strip()
             for n in nodes if n.startswith("memory")]
    if "memory" not in types:
        cells = subprocess.run(["fdtget", str(board), "/", "#address-cells"], check=True,
                               capture_output=True, text=True, timeout=30).stdout.split()
        reg = ["40000000", "40000000"] if cells == ["1"] else ["0", "40000000", "0", "40000000"]
        for cmd in (["-c", "/memory@40000000"],
                    ["-t", "s", "/memory@40000000", "device_type", "memory"],
                    ["-t", "x", "/memory@40000000", "reg", *reg]):
            subprocess.run(["fdtput", str(board), *cmd], check=True, timeout=30)
    r = check("-v", LAYOUTS / "configs" / "qemu-virt" / "demo.dtb", board)
    assert "ERROR: platform" not in r.stderr and r.returncode != 2, r.stderr
    assert f"console {DEBIAN_CONSOLES[dtb]}\n" in r.stdout, r.stdout
