/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_GUEST_TEST_H
#define BULKHEAD_GUEST_TEST_H

#include "guest.h"

/*
 * The lines the scenario runner reads, exactly:
 *   TEST <name> PASS
 *   TEST <name> FAIL <detail>
 * name is a string without spaces; detail is printf-formatted.
 */
void test_fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define TEST_PASS(name)	     printf("TEST %s PASS\n", (name))
#define TEST_FAIL(name, ...) test_fail((name), __VA_ARGS__)

#endif
