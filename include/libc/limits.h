/* SPDX-License-Identifier: GPL-2.0-only */
/* GCC's own limits.h wants a C library's behind it; AArch64 LP64 values. */
#ifndef BULKHEAD_LIBC_LIMITS_H
#define BULKHEAD_LIBC_LIMITS_H

#define INT_MAX	  2147483647
#define UINT_MAX  4294967295U
#define LONG_MAX  9223372036854775807L
#define ULONG_MAX 18446744073709551615UL

#endif
