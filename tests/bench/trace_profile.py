#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Instructions per hypervisor function, from a QEMU execution trace.

  qemu-system-aarch64 ... -icount shift=0,sleep=off -d exec,nochain,in_asm -D trace.log
  tests/bench/trace_profile.py trace.log build/hyp/bulkhead.elf boot
  tests/bench/trace_profile.py trace.log build/hyp/bulkhead.elf loop 0x40001c7c

Every executed translation block (TB) is one "Trace" line (nochain: none is
skipped); its instruction count comes from the "IN:" listing of its
translation. Under icount shift=0 the sum is the virtual time in ns.
  boot:      from the hypervisor's first instruction to the guest's first
             (--guest-base, the cell's RAM IPA); "callers" charges libfdt and
             the string functions to the hypervisor function that called them;
  loop PC:   one iteration of a guest loop, between the last two executions
             of the TB at PC before the end of the trace (e.g. the bench
             guest's `hvc` in hvc_call: one hvc round trip).
--base is where the Image runs (QEMU -kernel: 0x40200000; identity-mapped).
The trace of a cell run from reset to BENCH_DONE is about 2 GB.
"""

import argparse
import bisect
import collections
import re
import subprocess


def symbols(elf):
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", elf], capture_output=True, text=True,
                         check=True).stdout
    syms = [(int(a, 16), n) for a, t, n in (l.split() for l in out.splitlines()
                                            if len(l.split()) == 3) if t in "tTwW"]
    return [a for a, _ in syms], [n for _, n in syms]


def read_trace(path):
    """(insns per TB start PC, sequence of executed TB PCs)."""
    size, seq, cur = {}, [], None
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("Trace"):
                m = re.search(r"/([0-9a-f]{16})/", line)
                if m:  # a cut-off last line has none
                    seq.append(int(m.group(1), 16))
            elif line.startswith("IN:"):
                cur = None
            elif line.startswith("0x") and ":" in line:
                pc = int(line.split(":", 1)[0], 16)
                if cur is None:
                    cur = pc
                    size[cur] = 0
                size[cur] += 1
    return size, seq


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("trace")
    p.add_argument("elf")
    p.add_argument("mode", choices=["boot", "loop"])
    p.add_argument("pc", nargs="?", help="loop: a guest TB start address")
    p.add_argument("--base", type=lambda v: int(v, 0), default=0x40200000)
    p.add_argument("--size", type=lambda v: int(v, 0), default=0x100000, help="Image span")
    p.add_argument("--guest-base", type=lambda v: int(v, 0), default=0x40000000)
    p.add_argument("--top", type=int, default=20)
    a = p.parse_args()
    addrs, names = symbols(a.elf)
    size, seq = read_trace(a.trace)

    def sym(pc):
        if a.base <= pc < a.base + a.size:
            return names[bisect.bisect_right(addrs, pc - a.base) - 1]
        return "(guest)"

    if a.mode == "boot":
        start = next(i for i, pc in enumerate(seq) if a.base <= pc < a.base + a.size)
        end = next(i for i in range(start, len(seq))
                   if a.guest_base <= seq[i] < a.base)
        window = seq[start:end]
    else:
        hits = [i for i, pc in enumerate(seq) if pc == int(a.pc, 0)]
        window = seq[hits[-3]:hits[-2]]
    per, callers, caller = collections.Counter(), collections.Counter(), "?"
    for pc in window:
        s = sym(pc)
        n = size.get(pc, 0)
        per[s] += n
        if s.startswith(("fdt", "_fdt")) or s in ("memchr", "memcmp", "strlen", "strnlen"):
            callers[caller] += n
        else:
            caller = s
    print(f"{sum(per.values())} instructions in {len(window)} TBs")
    for s, n in per.most_common(a.top):
        print(f"  {n:10d}  {s}")
    if a.mode == "boot":
        print("libfdt and string functions, by calling function:")
        for s, n in callers.most_common(a.top // 2):
            print(f"  {n:10d}  {s}")


if __name__ == "__main__":
    main()
