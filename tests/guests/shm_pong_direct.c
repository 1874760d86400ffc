// SPDX-License-Identifier: GPL-2.0-only
/*
 * shm_pong_direct: shm_pong in a direct-mode beta (layouts/shm-direct.dts),
 * whose doorbell is a spare physical SPI: the hypervisor gives beta's
 * virtual console INTID 287 and its region-0 doorbell INTID 286, and says so
 * in its log, which tests/scenarios/test_direct.py checks.
 */
#define SHM_DOORBELL_INTID 286
#include "shm_pong.c"
