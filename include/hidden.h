/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Forced into every hypervisor C file (-include, Makefile). The image is a
 * static PIE: every symbol resolves inside it, so a global defined in another
 * file need not be reached through the GOT, an extra load per access and a
 * boot-time relocation per symbol. Hidden visibility tells the compiler so.
 */
#pragma GCC visibility push(hidden)
