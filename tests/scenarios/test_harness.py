# SPDX-License-Identifier: GPL-2.0-only
"""The test harness itself, without QEMU: how cells' TEST lines are counted
(cells.results_of).
"""

import pytest

import cells


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
