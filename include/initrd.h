/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_INITRD_H
#define BULKHEAD_INITRD_H

#include <stdint.h>

uint64_t initrd_archive_size(const void *window, uint64_t size);

#endif
