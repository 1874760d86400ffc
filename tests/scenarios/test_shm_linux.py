# SPDX-License-Identifier: GPL-2.0-only
"""A Linux cell and a bare-metal cell exchange messages through a shared-memory
region (docs/shm.md, issue 7's second "Done when").

Layout tests/scenarios/layouts/shm-linux.dts: cell linux (Debian's kernel and
the busybox initramfs, 1 vCPU) and cell bare (tests/guests/shm_linux_peer.c)
share region 0 (64 KiB, doorbell) at IPA 0x70000000, outside both cells' RAM.

The bare cell writes a numbered message (magic, seq, value), rings Linux's
doorbell and polls for the answer. Linux, from its shell, finds the region's
node in its device tree, reads the message with `busybox devmem` through
/dev/mem (the region is not System RAM for Linux, so STRICT_DEVMEM lets it
through), and answers ~value with devmem (answer word first, seq last). Three
rounds; the bare cell prints TEST shm_linux PASS.

The doorbell is checked in Linux's vGIC (the shell's `irqs`): pending and
disabled. Linux itself never takes it: the cloud kernel has no
uio_pdrv_genirq (CONFIG_UIO_PDRV_GENIRQ is not set) and nothing else binds
"bulkhead,shm-doorbell", so the interrupt is never requested and
/proc/interrupts has no line for it.
"""

import re

import pytest

from qemu import REPO, require_delimited
from test_linux_cells import boot_linux_layout, cell_ready, cell_shell, show_irqs

LAYOUT = REPO / "tests" / "scenarios" / "layouts" / "shm-linux.dts"
SHM_IPA = 0x70000000
SHM_SIZE = 0x10000
MAGIC = 0x4D534842  # "BHSM", tests/guests/shm_linux_peer.c
ROUNDS = 3
DOORBELL_INTID = 1000  # the top spare SPI; the layout names no other
# struct message in tests/guests/shm_linux_peer.c
OFF_MAGIC, OFF_SEQ, OFF_VALUE, OFF_ANSWER_SEQ, OFF_ANSWER_VALUE = 0x0, 0x4, 0x8, 0x10, 0x14


def seen(con, regex, timeout):
    """The match of REGEX in the console output so far, or the next one: the
    bare cell's lines come while cell_shell waits for Linux's, past which
    con.expect no longer looks."""
    __tracebackhide__ = True
    require_delimited(regex)  # the search below would match a line cut short too
    return re.search(regex, con.log()) or con.expect(regex, timeout=timeout)


def devmem_read(con, off):
    out = cell_shell(con, "linux", f"devmem {SHM_IPA + off:#x} 32")
    m = re.search(r"0x([0-9A-Fa-f]{8})", out)
    assert m, f"devmem {SHM_IPA + off:#x} printed {out!r}"
    return int(m.group(1), 16)


def devmem_write(con, off, value):
    cell_shell(con, "linux", f"devmem {SHM_IPA + off:#x} 32 {value:#010x}")


@pytest.mark.timeout(120)
def test_linux_cell_reads_a_bare_cells_message_with_devmem_and_answers(qemu):
    con = boot_linux_layout(qemu, LAYOUT, smp=2, bare="shm_linux_peer")
    m = con.expect(r"\[bare\] shm_linux: message seq=1 value=0x([0-9a-f]{8}), rang linux "
                   r"\(ret 0\)", timeout=20)
    value = int(m.group(1), 16)
    ready = cell_ready(con, "linux", timeout=90)
    assert ready.cpus == 1
    print(f"[linux] marker after {ready.host_seconds:.1f} s (host)")

    # The shell's line editor wraps what it echoes at its terminal width, and
    # cell_shell finds the output after the echoed command: widen the line.
    cell_shell(con, "linux", "stty cols 250")
    # Linux's device tree has the region: reg = <0 ipa 0 size>, the doorbell SPI.
    node = f"/proc/device-tree/shm@{SHM_IPA:x}"
    reg = cell_shell(con, "linux", f"hexdump -v -e '16/1 \"%02x\"' {node}/reg; echo").strip()
    assert reg == f"{SHM_IPA:016x}{SHM_SIZE:016x}", f"{node}/reg: {reg!r}"
    irq = cell_shell(con, "linux", f"hexdump -v -e '12/1 \"%02x\"' {node}/interrupts; echo").strip()
    assert irq == f"{0:08x}{DOORBELL_INTID - 32:08x}{1:08x}", f"{node}/interrupts: {irq!r}"

    for seq in range(1, ROUNDS + 1):
        if seq > 1:
            m = seen(con, rf"\[bare\] shm_linux: message seq={seq} value=0x([0-9a-f]{{8}}), "
                     r"rang linux \(ret 0\)", timeout=10)
            value = int(m.group(1), 16)
        assert devmem_read(con, OFF_MAGIC) == MAGIC
        got_seq, got_value = devmem_read(con, OFF_SEQ), devmem_read(con, OFF_VALUE)
        assert (got_seq, got_value) == (seq, value), \
            f"Linux read seq {got_seq} value {got_value:#x}; the bare cell wrote {seq}, {value:#x}"
        devmem_write(con, OFF_ANSWER_VALUE, ~value & 0xFFFFFFFF)
        devmem_write(con, OFF_ANSWER_SEQ, seq)
        seen(con, rf"\[bare\] shm_linux: seq={seq} answered 0x{~value & 0xFFFFFFFF:08x}",
             timeout=10)

    m = seen(con, r"\[bare\] TEST shm_linux (PASS|FAIL)[^\r\n]*\r*\n", timeout=10)
    assert m.group(1) == "PASS", m.group(0)
    assert m.group(0).startswith(f"[bare] TEST shm_linux PASS answer=0x{~value & 0xFFFFFFFF:08x}")
    con.expect_not(r"\[bulkhead\] (WARN|ERROR)")

    # The doorbell as the hypervisor sees it: rung three times, pending in
    # Linux's vGIC, and disabled, since no driver of Linux requested it.
    assert show_irqs(con, "linux"), "the hypervisor shell did not answer"
    log = con.log()
    assert re.search(rf"irqs: linux vcpu0 INTID {DOORBELL_INTID}: disabled pending", log), \
        "the doorbell is not pending in Linux's vGIC"
    assert re.search(r"irqs: linux vcpu0 INTID 33: enabled", log), "console interrupt disabled"
    assert re.search(r"irqs: linux vcpu0 INTID 27: enabled[^\n]* hw", log), \
        "virtual timer not forwarded"
