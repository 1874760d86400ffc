# SPDX-License-Identifier: GPL-2.0-only
"""The test harness itself, without QEMU: how cells' TEST lines are counted
(cells.results_of), how qemu.Machine waits on a console, and how
tests/run-all and tests/fuzz/run count what they ran.

Machine is driven here by FAKE_CONSOLE, a few lines of Python standing in for
QEMU's -nographic console: Ctrl-A c switches between the guest's serial port
and the monitor, as QEMU's multiplexer does.
"""

import subprocess
import sys
import time

import pytest

import cells
from qemu import REPO, ConsoleExited, ConsoleFatal, ConsoleTimeout, Machine, load_script
from script_run import run_script

# argv[1]: what to print first; argv[2]: "stay" (answer keys) or "exit".
FAKE_CONSOLE = r"""
import os, sys, tty
tty.setraw(0)
def out(text):
    os.write(1, text.encode())
out(sys.argv[1])
if sys.argv[2] == "exit":
    sys.exit(0)
monitor, line = False, b""
while True:
    c = os.read(0, 1)
    if not c:
        break
    if c == b"\x01" and os.read(0, 1) == b"c":
        monitor = not monitor
        if monitor:
            out("QEMU monitor\n(qemu) ")
    elif not monitor:
        out(f"[guest] key {c.decode()}\n")
    elif c == b"\r":
        out(line.decode() + "\nCPU#0 PC=0000000040001000 X30=0000000040000ff0 "
            "PSTATE=600003c5 -ZC- EL1h\n(qemu) ")
        line = b""
    else:
        line += c
"""


@pytest.fixture
def console(tmp_path):
    """fake(first_output, then="stay"|"exit"): a Machine on FAKE_CONSOLE."""
    machines = []
    script = tmp_path / "fake_console.py"  # a file: the log's first line shows the argv
    script.write_text(FAKE_CONSOLE)

    def fake(first="", then="stay"):
        machine = Machine([sys.executable, str(script), first, then],
                          tmp_path / f"console{len(machines)}.log", time.monotonic() + 30,
                          fail_on=cells.CELL_FATAL)
        machines.append(machine)
        return machine

    yield fake
    for machine in machines:
        machine.close()


# --- cells.results_of -----------------------------------------------------

def test_a_check_that_failed_in_one_boot_stays_failed():
    log = ("[beta] boot 1\n"
           "[beta] TEST reset_secondary FAIL SYSTEM_RESET from vcpu1 returned\n"
           "[beta] boot 2\n"
           "[beta] TEST reset_secondary PASS\n"
           "[beta] TEST other PASS\n"
           "[alpha] TEST reset_secondary PASS\n")
    results = cells.results_of(log, "beta")
    assert results["reset_secondary"] == ("FAIL", "SYSTEM_RESET from vcpu1 returned")
    assert results["other"] == ("PASS", "")
    with pytest.raises(AssertionError, match="reset_secondary"):
        cells.assert_all_pass(results, "beta", ["reset_secondary"])
    cells.assert_all_pass(cells.results_of(log, "alpha"), "alpha", ["reset_secondary"])


def test_the_first_failure_is_the_one_reported():
    log = ("[beta] TEST x FAIL first\n"
           "[beta] TEST x FAIL second\n"
           "[beta] TEST x PASS\n")
    assert cells.results_of(log, "beta") == {"x": ("FAIL", "first")}


def test_a_check_never_reported_fails():
    results = cells.results_of("[beta] TEST x PASS\n", "beta")
    with pytest.raises(AssertionError, match="never reported"):
        cells.assert_all_pass(results, "beta", ["x", "y"])


# --- qemu.Machine ---------------------------------------------------------

def test_poll_returns_none_and_types_nothing_into_the_monitor(console):
    con = console("[guest] ready\n")
    con.expect(r"\[guest\] ready\r*\n")
    assert con.poll(r"never\r*\n", 0.1) is None
    con.send("k")
    con.expect(r"\[guest\] key k\r*\n", timeout=2)
    assert "(qemu)" not in con.log()


def test_after_an_expect_timeout_keys_reach_the_guest_again(console):
    con = console("[guest] ready\n")
    with pytest.raises(ConsoleTimeout, match=r"CPU#0 EL1h PC 0x40001000"):
        con.expect(r"never\r*\n", timeout=0.1)
    con.send("k")
    con.expect(r"\[guest\] key k\r*\n", timeout=2)


def test_a_missed_heartbeat_says_its_wait_and_the_last_beat(console):
    con = console("[alpha] heartbeat 0\n[alpha] heartbeat 1\n")
    with pytest.raises(ConsoleTimeout) as missed:
        cells.expect_heartbeat(con, "alpha", 3, timeout=0.5)
    report = str(missed.value)
    assert "[alpha] heartbeat 3 not seen within 0.5 s (last: 1)" in report, report
    assert "CPU#0 EL1h PC 0x40001000" in report, report


REJECTED = "[bulkhead] ERROR: layout rejected: no cell started\n"
INPUT_TO_SHELL = "[bulkhead] console: input goes to the hypervisor shell (Ctrl-] ? for help)\n"


def test_expect_no_cell_started_passes_on_the_input_line_and_fails_on_a_start(console):
    con = console(REJECTED + INPUT_TO_SHELL)
    cells.expect_no_cell_started(con)
    con = console("[bulkhead] cell beta: starting (boot #1)\n"
                  "[bulkhead] console: input goes to cell beta (Ctrl-] ? for help)\n")
    with pytest.raises(AssertionError, match="must not appear"):
        cells.expect_no_cell_started(con)


def test_expect_no_cell_started_fails_on_a_panic(console):
    con = console(REJECTED + "[bulkhead] ERROR: panic: something broke\n")
    with pytest.raises(ConsoleFatal, match="panic: something broke"):
        cells.expect_no_cell_started(con)


def test_expect_no_cell_started_fails_when_qemu_exits(console):
    con = console(REJECTED, then="exit")
    with pytest.raises(ConsoleExited):
        cells.expect_no_cell_started(con)


# --- tests/run-all and tests/fuzz/run ---------------------------------------

def test_run_all_counts_a_fuzz_run_that_died_after_a_pass():
    run_all = load_script(REPO / "tests" / "run-all")
    tally = run_all.Tally("fuzz")
    run_all.count_fuzz(tally, [sys.executable, "-c",
                               "print('FUZZ seeds PASS fine'); raise SystemExit(1)"])
    assert (tally.passed, tally.failed) == (1, 1), tally.failures
    assert "exited with status 1" in tally.failures[0]

    tally = run_all.Tally("fuzz")
    run_all.count_fuzz(tally, [sys.executable, "-c",
                               "print('FUZZ seeds FAIL broken'); raise SystemExit(1)"])
    assert (tally.passed, tally.failed) == (0, 1), tally.failures


def test_run_all_counts_no_collected_scenario_as_a_failure(tmp_path):
    run_all = load_script(REPO / "tests" / "run-all")
    junit = tmp_path / "junit.xml"
    junit.write_text('<testsuites><testsuite tests="0" failures="0" errors="0" skipped="0">'
                     '</testsuite></testsuites>')
    tally = run_all.Tally("scenarios")
    run_all.count_pytest(tally, junit, 5, selected=False)
    assert tally.failed == 1 and "collected no tests" in tally.failures[0]
    tally = run_all.Tally("scenarios")
    run_all.count_pytest(tally, junit, 5, selected=True)  # -k chose none
    assert tally.failed == 0


def test_fuzz_run_fails_a_check_that_raises(capsys):
    fuzz_run = load_script(REPO / "tests" / "fuzz" / "run")

    def timed_out():
        raise subprocess.TimeoutExpired(["/x/fuzz_board", "a.dtb"], 600)

    assert not fuzz_run.report("debian-dtbs", timed_out)
    assert capsys.readouterr().out == "FUZZ debian-dtbs FAIL fuzz_board timed out after 600 s\n"


def test_run_script_lets_an_overstaying_scripts_trap_clean_up(tmp_path):
    """A fetch script past its time limit removes its temporary directory: with
    subprocess.run()'s SIGKILL, .cache kept one per timeout."""
    script = tmp_path / "slow"
    script.write_text('#!/usr/bin/env bash\nset -euo pipefail\n'
                      f'tmp=$(mktemp -d "{tmp_path}/download.XXXXXX")\n'
                      'trap \'rm -rf "$tmp"\' EXIT\nsleep 30\n')
    script.chmod(0o755)
    start = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        run_script([str(script)], 1)
    assert time.monotonic() - start < 10
    assert not list(tmp_path.glob("download.*"))


def test_run_script_returns_what_the_script_printed_and_its_status(tmp_path):
    r = run_script(["sh", "-c", "echo out; echo err >&2; exit 3"], 10, cwd=tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (3, "out\n", "err\n")
