# SPDX-License-Identifier: GPL-2.0-only
"""Running the repository's shell scripts (fetch-guests, fetch-board-dtbs,
board-dtb) from Python with a time limit. subprocess.run() kills a script that
overstays with SIGKILL, so its EXIT trap never removes the temporary
directory it made in .cache; here the script's process group gets SIGTERM
first (bash runs the trap on it, the download it waits for dies with it)."""

import os
import signal
import subprocess

GRACE = 10  # seconds for the traps after SIGTERM


def run_script(argv, timeout, **kwargs):
    """subprocess.run(ARGV, timeout=TIMEOUT, capture_output=True, text=True,
    **KWARGS), but an overstaying script's group is terminated, then killed."""
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True, **kwargs) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.communicate(timeout=GRACE)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
            raise
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)
