// SPDX-License-Identifier: GPL-2.0-only
/* Guest accesses to emulated devices: which device owns the trapped IPA. */
#include <errno.h>
#include "cell.h"
#include "mmio.h"

static bool in_frame(uint64_t ipa, uint64_t base, uint64_t size)
{
	return ipa >= base && ipa - base < size;
}

int mmio_emulate(struct vcpu *vcpu, struct mmio_access *acc)
{
	struct cell *cell = vcpu->cell;

	if (cell->cfg->console == LAYOUT_CONSOLE_VIRTUAL &&
	    in_frame(acc->ipa, LAYOUT_VUART_BASE, LAYOUT_VUART_SIZE))
		return vuart_access(&cell->vuart, acc->ipa - LAYOUT_VUART_BASE, acc);
	return -ENOENT;
}
