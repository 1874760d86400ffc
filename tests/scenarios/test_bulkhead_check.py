# SPDX-License-Identifier: GPL-2.0-only
"""build/tools/bulkhead-check on every layout we ship and every broken one.

Every configs/*/*.dts passes (exit 0) against QEMU virt's own DTB; every
tests/layouts/bad/*.dts fails (exit 1) and prints the message its first line
promises (/* expect: ... */). Builds what it needs with tools/tools.mk.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("dts", CONFIGS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_shipped_layout_is_valid(dts):
    r = check(LAYOUTS / "configs" / dts.parent.name / f"{dts.stem}.dtb", BOARD)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stderr}"
    assert "OK:" in r.stdout


@pytest.mark.parametrize("dts", BAD, ids=lambda p: p.stem)
def test_bad_layout_is_rejected_with_its_message(dts):
    want = expected_message(dts)
    r = check(LAYOUTS / "bad" / f"{dts.stem}.dtb", BOARD)
    assert r.returncode == 1, f"exit {r.returncode}, expected 1\n{r.stdout}{r.stderr}"
    assert want in r.stderr, f"missing: {want}\nstderr:\n{r.stderr}"


def test_there_are_enough_bad_layouts():
    assert len(BAD) >= 12


def test_without_board_only_board_independent_rules_run():
    r = check(LAYOUTS / "configs" / "qemu-virt" / "two-cells.dtb")
    assert r.returncode == 0, r.stderr
    assert "not checked against a board" in r.stdout


def test_usage_errors_exit_2():
    assert check().returncode == 2
    assert check("a", "b", "c").returncode == 2


def test_unreadable_or_non_dtb_input_exits_2(tmp_path):
    junk = tmp_path / "junk.dtb"
    junk.write_bytes(b"not a device tree" * 8)
    assert check(tmp_path / "missing.dtb", BOARD).returncode == 2
    assert check(junk, BOARD).returncode == 2
