/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_MEMSTAT_H
#define BULKHEAD_MEMSTAT_H

#include <stdint.h>

/* The hypervisor's memory: all of it is static; these are the pools' fill levels. */
struct memstat {
	uint64_t image_bytes; /* text, data and BSS: everything the hypervisor owns */
	unsigned int el2_tables_used, el2_tables_total;
	unsigned int s2_tables_used, s2_tables_total;
};

void memstat_read(struct memstat *m);
/* "<lead>: image N KiB; EL2 tables u/t; stage-2 tables u/t (cell n, ...)" (partitions/cell.c) */
void memstat_log(const char *lead);

#endif
