# SPDX-License-Identifier: GPL-2.0-only
"""A compiled layout's cells as the host scripts need them: node, label, windows.

Imported by scripts/mkbootcmd, scripts/mkimage, scripts/size-report and the
QEMU scenarios (tests/scenarios/cells.py); no pytest here. Reads through
dtc's fdtget; every failure is a LookupError that says what was missing, for
the caller to report (mkbootcmd) or skip (scenarios booting a bad layout on
purpose: the hypervisor must be the one to say so).
"""

import subprocess


def fdtget(dtb, *args):
    r = subprocess.run(["fdtget", str(dtb), *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise LookupError(r.stderr.strip() or f"fdtget {' '.join(args)} failed")
    return r.stdout.strip()


def cell_nodes(dtb):
    """The path of every cell@N under /bulkhead, in node order."""
    try:
        names = fdtget(dtb, "-l", "/bulkhead").split()
    except LookupError as e:
        raise LookupError(f"no /bulkhead node ({e})") from e
    return [f"/bulkhead/{n}" for n in names if n.startswith("cell@")]


def label(dtb, node):
    return fdtget(dtb, "-t", "s", node, "label")


def window(dtb, node, prop):
    """<addr-hi addr-lo size-hi size-lo> of node/prop, as (addr, size)."""
    try:
        words = [int(w, 16) for w in fdtget(dtb, "-t", "x", node, prop).split()]
    except ValueError as e:
        raise LookupError(f"{prop}: not a list of cells ({e})") from e
    if len(words) != 4:
        raise LookupError(f"{prop}: expected 4 cells, got {len(words)}")
    return words[0] << 32 | words[1], words[2] << 32 | words[3]
