/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_MMIO_H
#define BULKHEAD_MMIO_H

#include <stdbool.h>
#include <stdint.h>

/* A guest access to an emulated device, decoded from the trap syndrome. */
struct mmio_access {
	uint64_t ipa;
	unsigned int size; /* 1, 2, 4 or 8 bytes */
	bool write;
	uint64_t value; /* write: the data; read: filled by the emulator */
};

/* The bits an access of @size bytes (1, 2, 4 or 8) carries. */
static inline uint64_t mmio_size_mask(unsigned int size)
{
	return size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

struct vcpu;

/*
 * Emulate @acc for @vcpu. Returns 0 when handled, -ENOENT when no emulated
 * device claims the address (the caller then treats it as a stage-2 fault),
 * -EINVAL when a device refuses the access (size, alignment): the guest gets
 * an abort, as from real hardware.
 */
int mmio_emulate(struct vcpu *vcpu, struct mmio_access *acc);

struct cell;
/* "the vGIC distributor", ...: the emulated device at @ipa of @cell, or NULL. */
const char *mmio_device_name(const struct cell *cell, uint64_t ipa);

#endif
