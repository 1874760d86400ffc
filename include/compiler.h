/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_COMPILER_H
#define BULKHEAD_COMPILER_H

/*
 * Boot, set-up and report code that lives in a file built -O2 for its trap
 * path (HYP_HOT in the Makefile): built for size and placed apart from the
 * hot code, without moving it out of the file it belongs to.
 */
#define __cold __attribute__((cold))

/* A hot function whose inlining measurably lengthens its callers' trap path. */
#define __noinline __attribute__((noinline))

#endif
