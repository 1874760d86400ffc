# SPDX-License-Identifier: GPL-2.0-only
"""Drive one QEMU machine through its serial console (pexpect).

The QEMU command line comes from scripts/qemu-run (what its --print-cmd
prints, the script loaded as a module), the same definition `make run` uses.
QEMU runs in its own session (pexpect's pty), so close() kills the whole
process group; it is called on every path, and an atexit hook kills whatever
a crashed test run left behind. If this Python process dies outright, the pty
closes and QEMU exits on SIGHUP.
"""

import atexit
import importlib.util
import os
import re
import shlex
import signal
import subprocess
import time
from importlib.machinery import SourceFileLoader
from pathlib import Path

import pexpect

REPO = Path(__file__).resolve().parents[2]
QEMU_RUN = REPO / "scripts" / "qemu-run"
MKDISK = REPO / "scripts" / "mkdisk"
BOOT_CMD = REPO / "boot" / "boot.cmd"

ADDR2LINE = "aarch64-linux-gnu-addr2line"
DEFAULT_HYP = REPO / os.environ.get("BULKHEAD_BUILD", "build") / "hyp" / "bulkhead.bin"
# One CPU of the monitor's `info registers -a`.
_CPU_STATE = re.compile(r"CPU#(?P<cpu>\d+)\s+PC=(?P<pc>[0-9a-f]+).*?X30=(?P<lr>[0-9a-f]+).*?"
                        r"PSTATE=\S+ \S+ (?P<el>EL\d[ht])", re.S)

# Machines not yet closed, killed at interpreter exit as a last resort.
_live = set()

# pexpect matches as output arrives: a pattern that ends in a repetition
# (\d+, .*, [^\n]*) also matches a line printed only in part, so "tick (\d+)"
# can capture 3184 of 31849326. expect() refuses such patterns: end them with
# what follows on the line, or with \r*\n.
_OPEN_ENDED = re.compile(r"(?<!\\)[+*?}]\)*$")


def require_delimited(regex):
    """Refuse a pattern that can match a line cut short (see _OPEN_ENDED)."""
    if _OPEN_ENDED.search(regex):
        raise ValueError(f"/{regex}/ ends in a repetition and can match a line cut short; "
                         r"end it with the text that follows, or \r*\n")


@atexit.register
def _kill_leftovers():
    for machine in list(_live):
        machine.close()


class ConsoleError(AssertionError):
    """An expectation on the console failed; the message carries the log tail."""


class ConsoleTimeout(ConsoleError):
    """The pattern did not appear within the expectation's own timeout."""


class ConsoleDeadline(ConsoleError):
    """The test's time limit came first (or had come already)."""


class ConsoleFatal(ConsoleError):
    """The console printed the machine's fail_on pattern (a panic, a stopped boot)."""


class ConsoleExited(ConsoleError):
    """QEMU exited (EOF on its console)."""


def load_script(path):
    """A Python script without .py (scripts/qemu-run, tests/run-all) as a module;
    its main() does not run."""
    name = path.name.replace("-", "_")
    loader = SourceFileLoader(name, str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
    loader.exec_module(module)
    return module


_qemu_run = None


def _qemu_run_module():
    """scripts/qemu-run, loaded once: its parse() and command() make the argv
    its --print-cmd prints, without a Python process per machine (50 ms each,
    15 s of a test run)."""
    global _qemu_run
    if _qemu_run is None:
        _qemu_run = load_script(QEMU_RUN)
    return _qemu_run


def qemu_command(**opts):
    """The QEMU argv scripts/qemu-run builds for `opts` (disk=, gic=, smp=, ...)."""
    args = ["--print-cmd"]
    extra = opts.pop("extra", [])
    for key, value in opts.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            args.append(flag)
        elif value is not None and value is not False:  # 0 is a value
            args += [flag, str(value)]
    if extra:
        args += ["--"] + list(extra)
    run = _qemu_run_module()
    try:
        return run.command(run.parse(args))
    except SystemExit as e:  # argparse's error, its message on stderr
        raise ValueError(f"scripts/qemu-run {shlex.join(args)}: exit {e.code}") from None


def make_disk(out, files, boot_cmd=BOOT_CMD):
    """Build a U-Boot boot disk at `out` holding boot.scr and `files`
    (paths, or "path:name"); rebuilt only when an input is newer."""
    out = Path(out)
    inputs = [Path(boot_cmd), MKDISK] + [Path(str(f).split(":")[0]) for f in files]
    for f in inputs:
        if not f.is_file():
            # `make scenarios` builds all of them (the test-fault variant is not in `make all`).
            raise FileNotFoundError(f"{f} is missing (build it first: make scenarios)")
    if out.exists() and out.stat().st_mtime >= max(f.stat().st_mtime for f in inputs):
        return out
    subprocess.run([str(MKDISK), str(out), str(boot_cmd)] + [str(f) for f in files],
                   check=True, capture_output=True, text=True)
    return out


class _Tee:
    """pexpect logfile_read: keeps the whole console text and writes it to a file."""

    def __init__(self, path):
        self.chunks = []
        self.file = open(path, "w", encoding="utf-8", errors="replace")

    def write(self, text):
        self.chunks.append(text)
        self.file.write(text)
        self.file.flush()

    def flush(self):
        self.file.flush()

    def text(self):
        return "".join(self.chunks).replace("\r", "")

    def close(self):
        self.file.close()


class Machine:
    """One running QEMU. Use expect()/expect_not()/send(); always close()."""

    def __init__(self, cmd, log_path, deadline, fail_on=None):
        self.cmd = cmd
        self.fail_on = fail_on  # regex that ends any expect() at once
        self.log_path = Path(log_path)
        self.deadline = deadline  # time.monotonic() by which the test must end
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._tee = _Tee(self.log_path)
        self._tee.write(f"# {shlex.join(cmd)}\n")
        self.child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                                   codec_errors="replace", echo=False,
                                   dimensions=(50, 200))
        self.child.logfile_read = self._tee
        # pexpect sleeps 50 ms before each send() by default: 29 s of a test run.
        # Input that must come slowly (a cell's 64-byte receive FIFO) is paced by its test.
        self.child.delaybeforesend = None
        _live.add(self)

    # --- console --------------------------------------------------------
    def log(self):
        """Everything the console printed so far (CR removed)."""
        return self._tee.text()

    def _tail(self, lines=25):
        return "\n".join(self.log().splitlines()[-lines:])

    def expect(self, regex, timeout=10):
        """Wait until `regex` appears in console output after the previous match;
        return the match. Fails after `timeout` s (ConsoleTimeout, saying where
        each CPU is), at the test's deadline (ConsoleDeadline), if the console
        prints fail_on (ConsoleFatal) or if QEMU exits first (ConsoleExited)."""
        __tracebackhide__ = True  # pytest shows the test's line, not this one
        m = self._expect(regex, timeout)
        if m is None:
            raise self.timed_out(f"/{regex}/ not seen within {timeout} s")
        return m

    def timed_out(self, what):
        """The ConsoleTimeout for a wait that ended unmet: `what`, the console's
        last lines and where each CPU is."""
        return ConsoleTimeout(f"{what}. Console (last lines, full log {self.log_path}):\n"
                              f"{self._tail()}\n{self.cpu_states()}")

    def poll(self, regex, timeout):
        """expect() for a loop that waits in steps: the match, or None if `regex`
        has not appeared within `timeout` s. Nothing is typed into QEMU's monitor
        (expect() asks it where the CPUs are, which takes the console's input
        away from the guest meanwhile). The deadline, fail_on and QEMU's exit
        still fail as in expect()."""
        __tracebackhide__ = True
        return self._expect(regex, timeout)

    def _expect(self, regex, timeout):
        """The match of `regex`, or None after `timeout` s; the other ends raise."""
        __tracebackhide__ = True
        require_delimited(regex)
        budget = min(timeout, self.deadline - time.monotonic())
        if budget <= 0:
            raise ConsoleDeadline(f"test time limit reached before waiting for /{regex}/")
        patterns = [regex] + ([self.fail_on] if self.fail_on else [])
        try:
            index = self.child.expect(patterns, timeout=budget)
        except pexpect.TIMEOUT:
            if budget >= timeout:
                return None
            raise ConsoleDeadline(f"/{regex}/: test time limit reached. Console (last lines, "
                                  f"full log {self.log_path}):\n{self._tail()}\n"
                                  f"{self.cpu_states()}") from None
        except pexpect.EOF:
            raise ConsoleExited(f"QEMU exited before /{regex}/ appeared. Console (last "
                                f"lines, full log {self.log_path}):\n{self._tail()}") from None
        if index == 1:
            fatal = self.child.after
            # Give the machine half a second to print the rest of its report.
            self.child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=0.5)
            raise ConsoleFatal(f"waiting for /{regex}/, the console printed a fatal "
                               f"message: {fatal!r}. Console (last lines, full log "
                               f"{self.log_path}):\n{self._tail()}")
        return self.child.match

    def cpu_states(self, timeout=3):
        """Where each CPU is, asked of QEMU's monitor (Ctrl-A c on -nographic's
        console): after a timeout, a hang shows as a CPU stuck in one function,
        a slow host as CPUs anywhere. One line per CPU; EL2 PCs and link
        registers named from the hypervisor's ELF. The console is switched
        back to the serial port after, so what is typed next reaches the guest."""
        try:
            self.child.send("\x01c")
            self.child.send("info registers -a\r")
            self.child.expect(r"\(qemu\) ", timeout=timeout)  # where the command was typed
            self.child.expect(r"\(qemu\) ", timeout=timeout)  # after its output
        except (pexpect.TIMEOUT, pexpect.EOF, OSError):
            return "CPUs: QEMU's monitor did not answer"
        finally:
            try:
                self.child.send("\x01c")
            except OSError:
                pass
        lines = ["CPUs (QEMU's monitor):"]
        for m in _CPU_STATE.finditer(self.child.before):
            cpu, pc, lr, el = m.group("cpu", "pc", "lr", "el")
            where = ""
            if el[2] == "2":
                where = f" in {self._symbol(pc)}, called from {self._symbol(lr)}"
            lines.append(f"  CPU#{cpu} {el} PC 0x{pc.lstrip('0') or '0'}{where}")
        return "\n".join(lines)

    def _symbol(self, address):
        """The function at EL2 `address` (hex): the image is linked at 0 and
        runs where it was loaded, which its boot log gives."""
        elf = self._hyp_elf()
        base = re.search(r"hypervisor image at 0x([0-9a-f]+)-", self.log())
        if elf is None or base is None or int(address, 16) < int(base.group(1), 16):
            return "?"
        offset = int(address, 16) - int(base.group(1), 16)
        out = subprocess.run([ADDR2LINE, "-f", "-e", str(elf), hex(offset)],
                             capture_output=True, text=True, check=False).stdout
        return out.split("\n", 1)[0] or "?"

    def _hyp_elf(self):
        """The ELF of the image booted with -kernel, else the default build's."""
        cmd = self.cmd
        image = Path(cmd[cmd.index("-kernel") + 1]) if "-kernel" in cmd else DEFAULT_HYP
        elf = image.with_suffix(".elf")
        return elf if elf.is_file() else None

    def expect_not(self, regex):
        """Fail if `regex` appears anywhere in the console output so far."""
        __tracebackhide__ = True
        m = re.search(regex, self.log(), re.MULTILINE)
        if m:
            start = self.log().rfind("\n", 0, m.start()) + 1
            end = self.log().find("\n", m.end())
            line = self.log()[start:end if end >= 0 else None]
            raise ConsoleError(f"/{regex}/ must not appear, but the console printed:\n"
                               f"  {line}\n(full log {self.log_path})")

    def send(self, text):
        """Type `text` on the console (no newline added), at once."""
        self.child.send(text)

    def running(self):
        return self.child.isalive()

    # --- teardown -------------------------------------------------------
    def close(self):
        """Kill QEMU's whole process group and reap it. Safe to call twice."""
        if self not in _live:
            return
        _live.discard(self)
        try:
            # Read what is left so the log is complete, without waiting.
            self.child.read_nonblocking(size=1 << 20, timeout=0)
        except (pexpect.TIMEOUT, pexpect.EOF, OSError, ValueError):
            pass
        pid = self.child.pid
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._reap()
        try:
            self.child.close(force=True)
        except Exception:  # already gone: reaped or pty closed
            pass
        self._tee.close()

    def _reap(self, seconds=5):
        """Wait for the killed QEMU to exit (a few ms). Then close() need not
        wait: ptyprocess sleeps delayafterclose (0.1 s) before it looks, 30 s
        over the ~300 machines of a test run."""
        end = time.monotonic() + seconds
        try:
            while self.child.isalive():
                if time.monotonic() > end:
                    return  # close() tries harder
                time.sleep(0.002)
        except Exception:  # reaped already: nothing to wait for
            return
        self.child.ptyproc.delayafterclose = 0
