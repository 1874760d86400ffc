#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Hunts an emulated victim whose timers stop beside a hostile direct cell.
Not part of `make test`: it runs for minutes. Seen once, at 32d9110 under a
host load of ~4, in test_direct.py's
test_hostile_direct_cell_stays_contained[hostile_gic-gic]: the victim (CPUs
0-1) said `ticks 0/0`, then `1/0` for 8 heartbeats, while the direct cell
(CPUs 2-3) wrote every distributor register; its heartbeats and canary went on.

    tests/scenarios/repro_victim_ticks.py long --seconds 240 --load 4
    tests/scenarios/repro_victim_ticks.py boots --runs 100 --load 4 [--icount 0]

long: one machine, hostile_gic built to repeat its battery for ever
(HOSTILE_GIC_ROUNDS=0, into BUILD/repro); both victim vCPUs' tick counts must
grow within --stall heartbeats, and the hostile cell must go on (a "round"
line within 30 s). boots: the scenario's own guests RUNS times; both counts
must grow from the victim's second heartbeat to the fourth after the hostile
cell is done, as the scenario checks. --load N busy loops on the host
meanwhile; --icount SHIFT or --single-thread (one TCG thread, round robin)
vary QEMU's timing; --hostile GUEST runs another guest there (a control).

On a stall: QEMU's CPUs (PC and link register as inlined functions, the
registers that point into the hypervisor's data as symbol+offset; the VM
runs on meanwhile, so they are not one instant), the words --peek names,
then the shell's `irqs victim` and `stats`; the console log is in
BUILD/scenarios/logs/repro_*.log. Exit status 1.

With --single-thread under hostile_gic the victim often falls silent (6 of 9
runs of 90-150 s on 2026-11-25): its two vCPUs take turns at its vGIC lock on every tick, each turn a
`yield` that hands the round robin to the hostile CPU's slice, so a tick costs
more host time than the 10 ms period and the victim's handler (CVAL += period)
never catches up. That is the emulator's scheduling, not a lost interrupt.
"""

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import pexpect

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cells  # noqa: E402
from conftest import BUILD, Machines  # noqa: E402
from qemu import ADDR2LINE, REPO, ConsoleTimeout  # noqa: E402
from test_hostile import VICTIM_BEAT  # noqa: E402
from test_lifecycle import enter_shell  # noqa: E402

LAYOUT = "hostile-direct"
NM = "aarch64-linux-gnu-nm"
ROUND = re.compile(r"^\[hostile\] hostile_gic: round (\d+)", re.MULTILINE)


def build_forever():
    """hostile_gic repeating its battery for ever, in its own build folder."""
    out = BUILD / "repro"
    subprocess.run(["make", "-s", "-f", "tests/guests/guests.mk", f"BUILD={out}",
                    "GUEST_EXTRA_CFLAGS=-DHOSTILE_GIC_ROUNDS=0",
                    str(out / "guests" / "hostile_gic.bin")], cwd=REPO, check=True)
    return out / "guests" / "hostile_gic.bin"


def boot(machines, args, hostile):
    opts = {"hyp": BUILD / args.hyp / "bulkhead.bin"}
    if args.icount is not None:
        opts["icount"] = args.icount
    if args.single_thread:
        opts["qemu_args"] = ["-accel", "tcg,thread=single"]
    guest = cells.guest
    cells.guest = lambda name: Path(name) if name.endswith(".bin") else guest(name)
    try:
        return cells.boot_bare(machines, LAYOUT, gic=3, hostile=str(hostile), victim="victim",
                               **opts)
    finally:
        cells.guest = guest


def beats(con):
    """[(beat, unexpected, ticks0, ticks1)] the victim printed."""
    return [tuple(int(g) for g in m) for m in VICTIM_BEAT.findall(con.log())]


class Image:
    """The running hypervisor's symbols, for addresses where it runs."""

    def __init__(self, con, elf):
        self.elf = elf
        self.base = int(re.search(r"hypervisor image at 0x([0-9a-f]+)-", con.log())[1], 16)
        self.syms = []  # (start, size, name), sized symbols only
        self.text_end = 0
        out = subprocess.run([NM, "-n", "-S", str(elf)], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 4:
                self.syms.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
            elif len(parts) == 3 and parts[2] == "_etext":
                self.text_end = int(parts[0], 16)

    def address(self, what):
        """Hex, or SYMBOL[+OFFSET]."""
        if re.fullmatch(r"0x[0-9a-f]+", what):
            return int(what, 16)
        name, _, off = what.partition("+")
        start = next(s for s, _, n in self.syms if n == name)
        return self.base + start + (int(off, 0) if off else 0)

    def name(self, value):
        """Functions (innermost first) for code, symbol+offset for data, or None."""
        off = value - self.base
        if off < 0:
            return None
        if off < self.text_end:
            out = subprocess.run([ADDR2LINE, "-f", "-i", "-e", str(self.elf), hex(off)],
                                 capture_output=True, text=True).stdout.splitlines()
            return " <- ".join(f for f in out[0::2] if f != "??") or None
        for start, size, name in self.syms:
            if start <= off < start + size:
                return f"{name}+{off - start:#x}"
        return None


def monitor(con, command):
    """One QEMU monitor command's output (Ctrl-A c switches to the monitor and back)."""
    con.child.send("\x01c")
    try:
        con.child.send(command + "\r")
        con.child.expect(r"\(qemu\) ", timeout=5)  # where the command was typed
        con.child.expect(r"\(qemu\) ", timeout=5)
        return con.child.before
    finally:
        con.child.send("\x01c")


def cpu_dump(con, args):
    image = Image(con, BUILD / args.hyp / "bulkhead.elf")
    text = monitor(con, "info registers -a")
    for what in args.peek:
        what, _, words = what.partition(":")
        out = monitor(con, f"xp /{words or 8}wx {image.address(what):#x}")
        print(f"{what}:\n" + "\n".join(re.findall(r"^[0-9a-f]{16}: .*$", out, re.MULTILINE)))
    for block in re.split(r"(?=CPU#\d+)", text)[1:]:
        regs = {k: int(v, 16) for k, v in re.findall(r"\b(PC|X\d\d)=\s*([0-9a-f]+)", block)}
        el = re.search(r"PSTATE=\S+ \S+ (EL\d[ht])", block)
        print(f"{block.split()[0]} {el[1] if el else '?'} " +
              " ".join(f"X{i}={regs.get(f'X{i:02d}', 0):x}" for i in range(31)))
        for reg in ["PC", "X30"] + [f"X{i:02d}" for i in range(30)]:
            where = image.name(regs[reg]) if reg in regs else None
            if where:
                print(f"    {reg} {regs[reg]:#x} {where}")


def report_stall(con, args, why):
    print(f"STALL: {why}\n  log: {con.log_path}")
    cpu_dump(con, args)
    start = len(con.log())
    try:
        enter_shell(con)
        for cmd in ("irqs victim", "stats"):
            con.send(cmd + "\r")
            con.child.expect(pexpect.TIMEOUT, timeout=2)  # reads, into the log, for 2 s
    finally:
        print(con.log()[start:])


def stalled(history, stall):
    """A vCPU whose count stayed put over the last STALL beats, said; or None."""
    if len(history) <= stall:
        return None
    old, new = history[-1 - stall], history[-1]
    for cpu in (0, 1):
        if new[2 + cpu] <= old[2 + cpu]:
            return f"vcpu{cpu} ticks {old[2 + cpu]} -> {new[2 + cpu]}, beats {old[0]}-{new[0]}"
    return None


def run_long(args, machines):
    con = boot(machines, args, args.hostile or build_forever())
    con.expect(r"\[victim\] heartbeat 2 unexpected", timeout=30)
    end = time.monotonic() + args.seconds
    last_round, checked = None, time.monotonic()
    while time.monotonic() < end:
        try:
            con.expect(r"\[victim\] heartbeat \d+ unexpected", timeout=10)
        except ConsoleTimeout:
            report_stall(con, args, "no victim heartbeat for 10 s")
            return False
        why = stalled(beats(con), args.stall)
        if not why and not args.hostile and time.monotonic() - checked > 30:
            rounds = ROUND.findall(con.log())
            if rounds and rounds[-1] == last_round:
                why = f"the hostile cell stayed at round {last_round} for 30 s"
            last_round, checked = rounds[-1] if rounds else None, time.monotonic()
        if why:
            report_stall(con, args, why)
            return False
    rounds = ROUND.findall(con.log())
    print(f"long: {args.seconds} s, {len(beats(con))} beats, hostile rounds "
          f"{rounds[-1] if rounds else '-'}, last {beats(con)[-1]}")
    return True


def run_boots(args, stamp):
    for i in range(args.runs):
        machines = Machines(f"repro_boot_{stamp}_{i + 1}", 120)
        try:
            con = boot(machines, args, "hostile_gic")
            con.expect(r"\[hostile\] hostile gic done", timeout=30)
            done = beats(con)[-1][0] if beats(con) else 1
            con.expect(rf"\[victim\] heartbeat {max(done, 2) + 4} unexpected", timeout=30)
            history = beats(con)
            first, last = next(b for b in history if b[0] == 2), history[-1]
            if last[2] <= first[2] or last[3] <= first[3]:
                report_stall(con, args, f"boot {i + 1}: ticks {first[2]}/{first[3]} at beat "
                                        f"2, {last[2]}/{last[3]} at beat {last[0]}")
                return False
        finally:
            machines.close()
    print(f"boots: {args.runs} runs, no stall")
    return True


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("mode", choices=["long", "boots"])
    p.add_argument("--seconds", type=int, default=60, help="long: how long (default 60)")
    p.add_argument("--runs", type=int, default=20, help="boots: how many (default 20)")
    p.add_argument("--stall", type=int, default=3,
                   help="long: heartbeats a tick count may stay put (default 3)")
    p.add_argument("--load", type=int, default=0, metavar="N", help="N host busy loops")
    p.add_argument("--icount", type=int, nargs="?", const=0, metavar="SHIFT")
    p.add_argument("--single-thread", action="store_true", help="-accel tcg,thread=single")
    p.add_argument("--hostile", metavar="GUEST", help="long: GUEST in the hostile cell")
    p.add_argument("--hyp", default="hyp", metavar="DIR",
                   help="the hypervisor built in BUILD/DIR (default hyp)")
    p.add_argument("--peek", action="append", default=[], metavar="WHERE[:WORDS]",
                   help="on a stall, WORDS (8) words at WHERE: hex, or SYMBOL[+OFFSET] "
                        "(cells+0x8c88: the victim's vGIC lock at 82733c4)")
    args = p.parse_args()
    load = [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(args.load)]
    stamp = time.strftime("%H%M%S")
    try:
        if args.mode == "boots":
            ok = run_boots(args, stamp)
        else:
            machines = Machines(f"repro_long_{stamp}", args.seconds + 120)
            try:
                ok = run_long(args, machines)
            finally:
                machines.close()
    finally:
        for proc in load:
            proc.kill()
            proc.wait()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
