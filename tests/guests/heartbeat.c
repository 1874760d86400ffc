// SPDX-License-Identifier: GPL-2.0-only
/*
 * heartbeat: the default guest of `make image` on QEMU. Prints "heartbeat N"
 * once a second, forever, from the boot vCPU; Bulkhead's console mux puts the
 * cell's label in front ("[alpha] heartbeat 3"). Shows on the console that a
 * packaged image reached every cell and that each keeps running. It waits in
 * WFI between beats, so an idle heartbeat cell costs QEMU next to nothing.
 */
#include "test.h"

#define BEAT_US 1000000

int main(void *dtb)
{
	printf("heartbeat guest: MPIDR 0x%lx, DTB at %p\n", read_sysreg(mpidr_el1), dtb);
	sleep_init();
	heartbeat_forever(0, BEAT_US, sleep_us);
}
