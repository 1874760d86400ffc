/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_KERNEL_IMAGE_H
#define BULKHEAD_KERNEL_IMAGE_H

#include <stdint.h>

/* The arm64 Image header's size, and where its magic "ARM\x64" is in it. */
#define KERNEL_IMAGE_HEADER_SIZE  64
#define KERNEL_IMAGE_MAGIC_OFFSET 56

const char *kernel_image_problem(const void *window, uint64_t size);

#endif
