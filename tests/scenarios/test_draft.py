# SPDX-License-Identifier: GPL-2.0-only
"""bulkhead-check --draft: a starting layout from the board's device tree.

Each draft compiles with dtc and the checker accepts it against the board it
was written for (QEMU virt with 1, 2 and 4 cells; each real board of
configs/*/BOARD), every board CPU in one cell and the boot CPU (the DTB
header's) first in cell0; the load plan and scripts/mkbootcmd place its files
and the draft names the load plan's layout DTB slot; the 2-cell draft of QEMU
virt boots with the heartbeat guest in each cell; each device it lists as a
candidate is accepted in a cell, on QEMU virt and each real board; and what it
cannot draft is refused (exit 2) with the reason.
"""

import re
import subprocess
from pathlib import Path

import pytest

import cells
# built: the module's autouse fixture there (tools, layout DTBs, QEMU's board DTB) runs here too.
from test_bulkhead_check import (BOARD, LAYOUTS, REPO, board_of, built, check,  # noqa: F401
                                 fixture_board)

REAL_BOARDS = sorted(d for d in (REPO / "configs").iterdir()
                     if (d / "BOARD").is_file() and "qemu virt" not in (d / "BOARD").read_text())
CANDIDATE = re.compile(r'^ \*   "(/[^"]*)"$')


def draft(tmp_path, board, n=None):
    """The draft's .dts text and its compiled DTB for BOARD (N cells, or the default)."""
    r = check("--draft", *(["--cells", str(n)] if n else []), board)
    assert r.returncode == 0, f"--draft {board}: exit {r.returncode}\n{r.stderr}"
    dts, dtb = tmp_path / "draft.dts", tmp_path / "draft.dtb"
    dts.write_text(r.stdout)
    c = subprocess.run(["dtc", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                       capture_output=True, text=True, timeout=30)
    assert c.returncode == 0 and not c.stderr, f"dtc on the draft:\n{c.stderr}\n{r.stdout}"
    return r.stdout, dtb


def cpu_owners(out):
    """{MPIDR: label} from the checker's "CPUs: 0x0=cell0 ..." line."""
    line = next(l for l in out.splitlines() if l.startswith("CPUs: "))
    return dict(item.split("=") for item in line.split()[1:])


def assert_accepted(dtb, board, n, boot="0x0"):
    r = check(dtb, board)
    assert r.returncode == 0, f"the draft is refused on {board}:\n{r.stdout}{r.stderr}"
    assert f"OK: {n} cell{'s' if n > 1 else ''}" in r.stdout, r.stdout
    owners = cpu_owners(r.stdout)
    assert owners[boot] == "cell0", f"the boot CPU {boot} is not cell0's: {owners}"
    assert sorted(set(owners.values())) == [f"cell{i}" for i in range(n)], owners
    return r.stdout


def load_plan(dtb, board):
    r = check("--print-load-plan", dtb, board)
    assert r.returncode == 0, r.stderr
    return {" ".join(w[:-2]): (int(w[-2], 16), int(w[-1], 16))
            for w in (l.split() for l in r.stdout.splitlines())}


@pytest.mark.parametrize("n", [1, 2, 4])
def test_qemu_virt_draft_is_accepted_and_placeable(tmp_path, n):
    _, dtb = draft(tmp_path, BOARD, n)
    assert_accepted(dtb, BOARD, n)
    plan = load_plan(dtb, BOARD)
    labels = [f"cell{i}" for i in range(n)]
    assert all(f"cell {l} kernel" in plan and f"cell {l} memory" in plan for l in labels), plan
    assert not any(" initrd" in k for k in plan), f"the draft has no initrd window: {plan}"
    # U-Boot's boot script places it too: every kernel window takes a guest.
    r = subprocess.run([str(REPO / "scripts" / "mkbootcmd"), "--layout-addr",
                        hex(plan["layout"][0]), str(dtb), str(tmp_path / "boot.cmd")] +
                       [f"{l}={cells.guest('heartbeat')}" for l in labels],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"mkbootcmd: {r.stderr}"


@pytest.mark.parametrize("folder", REAL_BOARDS, ids=lambda d: d.name)
@pytest.mark.parametrize("n", [1, 2, 4])
def test_real_board_draft_is_accepted(tmp_path, folder, n):
    board, known = board_of(folder)
    if known is not None:
        pytest.skip(f"{folder.name}: {known}: no draft for an unusable board")
    _, dtb = draft(tmp_path, board, n)
    assert_accepted(dtb, board, n)
    load_plan(dtb, board)


def candidates(text):
    """[(path, needs unprotected-dma)] from the draft's list of devices."""
    out = []
    for line in text.splitlines():
        m = CANDIDATE.match(line)
        if m:
            out.append([m.group(1), False])
        elif out and "needs unprotected-dma" in line:
            out[-1][1] = True
    return out


def assert_each_listed_device_is_accepted(tmp_path, board):
    text, _ = draft(tmp_path, board)
    listed = candidates(text)
    assert not re.search(r"^\s*devices = ", text, re.MULTILINE), "the draft assigns a device"
    for path, dma in listed:
        extra = f'devices = "{path}";' + (" unprotected-dma;" if dma else "")
        dts = tmp_path / "with-device.dts"
        dts.write_text(text.replace('label = "cell1";', f'label = "cell1"; {extra}', 1))
        dtb = tmp_path / "with-device.dtb"
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb), str(dts)],
                       check=True, timeout=30)
        r = check(dtb, board)
        assert r.returncode == 0, f"listed device {path} is refused on {board}:\n{r.stderr}"
    return [p for p, _ in listed]


def test_each_listed_device_is_accepted_in_a_cell(tmp_path):
    paths = assert_each_listed_device_is_accepted(tmp_path, BOARD)
    assert "/pl031@9010000" in paths, paths
    assert "/pl011@9000000" not in paths, "the hypervisor's UART is listed"


@pytest.mark.parametrize("folder", REAL_BOARDS, ids=lambda d: d.name)
def test_each_listed_device_is_accepted_in_a_cell_on_real_boards(tmp_path, folder):
    """The guest device tree's own limits too (rpi4's /soc/gpio@7e200000 has too many
    nodes below it to copy)."""
    board, known = board_of(folder)
    if known is not None:
        pytest.skip(f"{folder.name}: {known}: no draft for an unusable board")
    assert assert_each_listed_device_is_accepted(tmp_path, board), "no device listed"


@pytest.mark.timeout(90)
def test_qemu_virt_two_cell_draft_boots(qemu, tmp_path):
    """The layout DTB where the load plan puts it (LAYOUT_ADDR is in cell0's memory).
    The boot zeroes each cell's 710 MiB first: ~6 s under QEMU on an idle host."""
    _, dtb = draft(tmp_path, BOARD, 2)
    con = cells.boot_bare(qemu, dtb, layout_addr=load_plan(dtb, BOARD)["layout"][0],
                          cell0="heartbeat", cell1="heartbeat")
    cells.expect_heartbeat(con, "cell0", 2, timeout=60)
    cells.expect_heartbeat(con, "cell1", 2, timeout=10)
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")


def edited_board(tmp_path, edit, *dtc_args):
    """QEMU virt's board DTB with EDIT (a function of its .dts text, or None) applied,
    compiled with DTC_ARGS."""
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(BOARD)], check=True,
                         capture_output=True, text=True, timeout=30).stdout
    edited = edit(dts) if edit else dts
    assert edited != dts or not edit, "the edit changed nothing"
    src, dtb = tmp_path / "board.dts", tmp_path / "board.dtb"
    src.write_text(edited)
    subprocess.run(["dtc", "-q", *dtc_args, "-I", "dts", "-O", "dtb", "-o", str(dtb), str(src)],
                   check=True, timeout=30)
    return dtb


def with_aff3(dts):
    """/cpus with #address-cells = <2>, cpu@2 and cpu@3 in Aff3 1 (MPIDR 0x1_0000_000N)."""
    cpus = dts.index("\tcpus {")
    dts = dts[:cpus] + dts[cpus:].replace("#address-cells = <0x01>;", "#address-cells = <0x02>;", 1)
    for n in range(4):
        hi = 1 if n >= 2 else 0
        dts = dts.replace(f"reg = <0x{n:02x}>;\n\t\t\tenable-method",
                          f"reg = <0x{hi:02x} 0x{n % 2:02x}>;\n\t\t\tenable-method", 1)
    return dts


def with_reserved_page(dts):
    """A reserved page at 0x41300000: the draft's kernel windows skip past it, leaving a
    free 2 MiB at 0x41000000 below them, where the load plan puts the layout DTB."""
    head, _, tail = dts.rpartition("};")
    return (head + "\treserved-memory {\n\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n"
            "\t\tranges;\n\t\tr@41300000 {\n\t\t\treg = <0 0x41300000 0 0x1000>;\n\t\t};\n"
            "\t};\n};" + tail)


DTB_SLOT = re.compile(r"^ \*   0x([0-9a-f]+)-0x[0-9a-f]+  free: the layout DTB \(--print-load-plan "
                      r"puts it here\)", re.MULTILINE)


@pytest.mark.parametrize("edit", [None, with_reserved_page], ids=["plain", "reserved-page"])
def test_draft_names_the_load_plans_layout_slot(tmp_path, edit):
    board = edited_board(tmp_path, edit) if edit else BOARD
    text, dtb = draft(tmp_path, board)
    stated = DTB_SLOT.findall(text)
    assert len(stated) == 1, f"the draft states {len(stated)} DTB slots:\n{text}"
    assert_accepted(dtb, board, 2)
    assert int(stated[0], 16) == load_plan(dtb, board)["layout"][0], \
        f"the draft says 0x{stated[0]}, the load plan {load_plan(dtb, board)['layout']}"


def test_boot_cpu_is_the_dtb_headers(tmp_path):
    """boot_cpuid_phys 2 (dtc -b): CPU 0x2 leads cell0, not cpu@0, the first in /cpus."""
    board = edited_board(tmp_path, None, "-b", "2")
    text, dtb = draft(tmp_path, board)
    cell0 = re.search(r"^\t+cpus = <([^>]*)>;(.*)$", text, re.MULTILINE)
    assert cell0.group(1).split()[0] == "0x2", f"cell0's cpus: {cell0.group(0)}"
    assert "the boot CPU, MPIDR 0x2 by the DTB header" in cell0.group(2), cell0.group(0)
    assert_accepted(dtb, board, 2, boot="0x2")


def with_ram(base, size):
    """QEMU virt's one RAM bank at BASE, SIZE bytes."""
    def edit(dts):
        return dts.replace("reg = <0x00 0x40000000 0x00 0x80000000>;",
                           f"reg = <{base >> 32:#x} {base & 0xffffffff:#x} 0x00 {size:#x}>;", 1)
    return edit


MiB = 1 << 20


@pytest.mark.parametrize("base, size, n, message, fits", [
    (0x40000000, 16 * MiB, 2, "has no room for hypervisor-memory (16 MiB) and, above it, the "
     "top quarter of the bank (at most 512 MiB) kept for U-Boot\n", None),
    (0x40000000, 28 * MiB, 1, "has no room for 1 kernel window between hypervisor-memory and "
     "the top quarter kept for U-Boot, clear of the board's reserved memory\n", None),
    (0x40000000, 32 * MiB, 2, "has no room for 2 kernel windows between hypervisor-memory and "
     "the top quarter kept for U-Boot, clear of the board's reserved memory: --cells 1 fits",
     1),
    (1 << 48, 1024 * MiB, 2, "has no room for a cell's memory: it lies above 2^48, the most a "
     "stage 2 maps", None),
], ids=["no-uboot-room", "one-kernel-window", "fewer-cells-fit", "above-2^48"])
def test_draft_says_what_did_not_fit(tmp_path, base, size, n, message, fits):
    """The refusal names the part of the plan that did not fit, suggests --cells only when
    fewer fit, and that suggestion holds."""
    board = edited_board(tmp_path, with_ram(base, size))
    r = check("--draft", "--cells", n, board)
    assert r.returncode == 2, f"exit {r.returncode}, expected 2\n{r.stdout}{r.stderr}"
    assert message in r.stderr, f"missing: {message}\nstderr:\n{r.stderr}"
    assert ("--cells" in r.stderr) == bool(fits), r.stderr
    if fits:
        _, dtb = draft(tmp_path, board, fits)
        assert_accepted(dtb, board, fits)


def test_draft_refuses_a_cpu_with_aff3(tmp_path):
    """A layout's cpus holds 32-bit MPIDRs: a draft naming 0x100000000 would not compile."""
    board = edited_board(tmp_path, with_aff3)
    r = check("--draft", board)
    assert r.returncode == 2, f"exit {r.returncode}, expected 2\n{r.stdout}{r.stderr}"
    assert "CPU MPIDR 0x100000000 has Aff3 set: a layout's cpus holds 32-bit MPIDRs" in \
        r.stderr, r.stderr
    assert r.stdout == "", r.stdout


@pytest.mark.parametrize("args, message", [
    (["--cells", "0", BOARD], "--cells 0: want a number of cells from 1 to 8"),
    (["--cells", "5", BOARD], "--cells 5: " + str(BOARD) + " has 4 CPUs and a cell needs "
     "one of its own: at most --cells 4"),
    (["--cells", "two", BOARD], "--cells two: want a number of cells"),
    ([LAYOUTS / "configs" / "qemu-virt" / "demo.dtb"],
     "demo.dtb has a /bulkhead node: it is a layout; --draft reads the board's device tree"),
    ([Path("/dev/null")], "/dev/null: cannot read a device tree blob"),
    (["--print-load-plan", BOARD], "--draft does not combine with --print-load-plan"),
    (["--guest-dt", "/tmp", BOARD], "--draft does not combine with --guest-dt"),
    ([BOARD, "--gic-lines", "288"], "--draft does not combine with --gic-lines"),
    (["--cells", "2", BOARD, "--cells", "2"], "--cells given twice"),
    (["--cells", "+2", BOARD], "--cells +2: want a number of cells from 1 to 8, in digits"),
    (["--cells", " 2", BOARD], "--cells  2: want a number of cells from 1 to 8, in digits"),
    ([BOARD, BOARD], "--draft reads one BOARD.dtb"),
    ([], "--draft reads the board's device tree: bulkhead-check --draft [--cells N] BOARD.dtb"),
], ids=["zero-cells", "more-cells-than-cpus", "not-a-number", "a-layout", "not-a-dtb",
        "with-load-plan", "with-guest-dt", "with-gic-lines", "cells-twice", "signed-cells",
        "spaced-cells", "two-boards", "no-board"])
def test_draft_refuses_what_it_cannot_draft(args, message):
    r = check("--draft", *args)
    assert r.returncode == 2, f"exit {r.returncode}, expected 2\n{r.stdout}{r.stderr}"
    assert message in r.stderr, f"missing: {message}\nstderr:\n{r.stderr}"
    assert r.stdout == "", f"a refused draft printed a layout:\n{r.stdout}"


def test_draft_options_may_follow_the_board():
    after = check("--draft", BOARD, "--cells", "1")
    assert after.returncode == 0, f"exit {after.returncode}\n{after.stderr}"
    before = check("--draft", "--cells", "1", BOARD)
    assert after.stdout == before.stdout, "the options after the board make another draft"
    assert after.stdout.count("cell@") == 1, after.stdout


def refusals(text):
    """{first node: (count, why)} from the draft's list of refusal reasons, unwrapped."""
    block = text[text.index("more nodes with reg are refused"):]
    entries = re.findall(r"^ \*   (\d+), (/\S*): (.*(?:\n \*       .*)*)", block, re.MULTILINE)
    return {node: (int(n), re.sub(r"\n \*       ", " ", why)) for n, node, why in entries}


def test_draft_says_why_nodes_were_refused_once_per_reason(tmp_path):
    """Two disabled MMCs on an A64-like board are one reason, with the count, not only
    "name one in devices"."""
    text, _ = draft(tmp_path, fixture_board(tmp_path, "a64-mini"))
    why = refusals(text)
    assert why["/soc/mmc@1c10000"][0] == 2, why
    assert why["/soc/mmc@1c10000"][1].startswith('status = "disabled" in the board\'s device '
                                                 'tree'), why
    assert sum(n for n, _ in why.values()) == int(re.search(
        r"(\d+) more nodes with reg are refused", text).group(1)), why


def test_a_gic_with_ppi_partitions_gives_cells_devices(tmp_path):
    """On an RK3399-like board (GIC #interrupt-cells = <4>) the UARTs with an SPI are
    listed and each is accepted in a cell. Before, every device with an interrupt was
    refused: "only 3-cell GIC specifiers are supported"."""
    board = fixture_board(tmp_path, "rk3399-mini")
    paths = assert_each_listed_device_is_accepted(tmp_path, board)
    assert paths == ["/serial@ff180000", "/serial@ff1b0000"], paths
    text, _ = draft(tmp_path, board)
    assert "MMIO 0xff180000+0x100; INTID 131" in text, text


def test_draft_names_the_gic_and_the_cpus_for_what_they_are(tmp_path):
    """The RK3399's GIC node has 5 regions: it is refused as the GIC (with its ITS), not for
    having more than 4; the CPU nodes as CPUs, not as a reg that cannot be read."""
    text, _ = draft(tmp_path, fixture_board(tmp_path, "rk3399-mini"))
    why = refusals(text)
    assert why.get("/interrupt-controller@fee00000") == (
        2, "MMIO 0xfee00000+0x10000 overlaps the GIC"), why
    assert why.get("/cpus/cpu@0") == (6, 'is a CPU (device_type "cpu"): a cell takes CPUs in '
                                         'cpus, by MPIDR'), why
    assert "more than 4 MMIO regions" not in text and "cannot be read" not in text, text


def test_draft_says_which_candidates_other_nodes_draw_on(tmp_path):
    """The CCU and the pin controller are listed with what they provide and that the
    console draws on them; a plain UART is listed without."""
    board = fixture_board(tmp_path, "a64-mini")
    text, dtb = draft(tmp_path, board)
    assert_accepted(dtb, board, 2)
    entries = {m.group(1): m.group(2) for m in re.finditer(
        r'^ \*   "(/[^"]*)"\n((?: \*       .*\n)*)', text, re.MULTILINE)}
    assert "provides the clocks and resets of 3 other nodes (Bulkhead's console too):" in \
        entries["/soc/clock@1c20000"], entries
    assert "provides the pins of 2 other nodes (Bulkhead's console too):" in \
        entries["/soc/pinctrl@1c20800"], entries
    assert "provides" not in entries["/soc/serial@1c29000"], entries


@pytest.mark.parametrize("n, cells", [
    (2, [["0x0", "0x1", "0x2", "0x3"], ["0x100", "0x101"]]),
    (3, [["0x0", "0x1"], ["0x2", "0x3"], ["0x100", "0x101"]]),
], ids=["a-cell-per-cluster", "equal-shares"])
def test_draft_gives_each_cluster_its_own_cell(tmp_path, n, cells):
    """big.LITTLE (4 Cortex-A53, 2 Cortex-A72): with as many cells as clusters, each
    cell gets one cluster, not a LITTLE core with the big ones; the header names the cores."""
    board = fixture_board(tmp_path, "rk3399-mini")
    text, dtb = draft(tmp_path, board, n)
    got = [c.split() for c in re.findall(r"^\t+cpus = <([^>]*)>;", text, re.MULTILINE)]
    assert got == cells, got
    assert "6 CPUs (MPIDR 0x0 0x1 0x2 0x3 arm,cortex-a53, 0x100 0x101 arm,cortex-a72)" in text
    assert_accepted(dtb, board, n)


def test_a_board_without_memory_is_told_where_memory_comes_from_once(tmp_path):
    """Debian's Rockchip and Allwinner trees have no /memory (U-Boot adds it): the draft and
    the check say so and where to get a tree that has it, in discovery's error (the boot's
    too), once: until 2026-11-25 the checker added its own line saying it again."""
    src = (REPO / "tests" / "layouts" / "boards" / "a64-mini.dts").read_text()
    start = src.index("\tmemory@40000000 {")
    src = src[:start] + src[src.index("};\n", start) + 3:]
    dts, board = tmp_path / "no-memory.dts", tmp_path / "no-memory.dtb"
    dts.write_text(src)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(board), str(dts)],
                   check=True, timeout=30)
    hint = ('ERROR: platform: /: memory: no node with device_type = "memory" (a kernel\'s tree '
            "often has none: the boot loader adds /memory to the tree it passes")
    two_cells = LAYOUTS / "configs" / "qemu-virt" / "two-cells.dtb"
    for r in (check("--draft", board), check(two_cells, board)):
        assert r.returncode == 2 and hint in r.stderr, f"exit {r.returncode}\n{r.stderr}"
        assert r.stderr.count("boot loader adds") == 1, r.stderr
    r = check("--draft", fixture_board(tmp_path, "a64-mini"))
    assert r.returncode == 0 and "boot loader adds" not in r.stderr, r.stderr
