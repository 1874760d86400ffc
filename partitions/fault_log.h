/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shell's fault log (fault_log.c): what fault.c reports, kept for
 * `faults`.
 */
#ifndef BULKHEAD_FAULT_LOG_H
#define BULKHEAD_FAULT_LOG_H

#include "cell.h"

/*
 * Every stage-2 abort's report fits whole, with a 15-character label, vCPU
 * 15, 64-bit addresses and the longest syndrome and outcome: 476 characters
 * at most, a parity error on the stage-2 walk for a stage-1 walk under
 * on-fault restart (tests/unit/test_guest_abort.c tries every fault code).
 * And its console line (lib/log.c: 512 bytes) holds the longest that is
 * kept with "ERROR: " before it, or the shell's "shell: [123456.789s] ".
 */
#define FAULT_TEXT 488

/* @text, one report of @cell's, into the log (under its lock; dropped if the lock was lost). */
void fault_log_keep(const struct cell *cell, const char *text);

#endif
