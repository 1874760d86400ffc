// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgic_sgi: SGIs between the vCPUs of one cell (at least 3 vCPUs).
 *   sgi_targeted:  vCPU 0 sends SGI 3 to vCPU 1 and SGI 4 to vCPU 2, ROUNDS
 *                  times each, one at a time; exactly those arrive, nowhere else.
 *   sgi_self:      vCPU 0 sends SGI 6 to itself.
 *   sgi_broadcast: vCPU 1 sends SGI 5 to "all other CPUs" (GICv3 IRM = 1,
 *                  GICv2 TargetListFilter 1): vCPUs 0 and 2 get each, 1 none.
 * Then "TEST vgic_sgi PASS|FAIL" and "heartbeat N unexpected M" forever
 * (M: interrupts other than the test's SGIs, on any vCPU).
 */
#include "gic.h"
#include "test.h"

#define ROUNDS	 10
#define NR_VCPUS 3
#define BEAT_US	 100000

/*
 * The wait for each SGI at its vCPU: a bound only (every count is checked
 * after), and a passing run never waits it out. The vCPUs are host threads,
 * which a loaded host can leave unrun for more than the 200 ms this was. A
 * stream that missed it once is waited for no more: its count is short for
 * good, and ten rounds of waits would outlast the scenario's limit.
 */
#define WAIT_US 2000000

static volatile uint32_t got[GUEST_MAX_CPUS][16];
static volatile uint32_t unexpected;
static volatile bool ready[GUEST_MAX_CPUS], go_broadcast, broadcast_done;
static bool lost[GUEST_MAX_CPUS][16]; /* a wait for SGI [1] at vCPU [0] ran out */

bool guest_irq(struct exception_frame *frame)
{
	unsigned int cpu = guest_cpu_id();
	uint32_t iar, intid;

	(void)frame;
	for (;;) {
		iar = gic_ack();
		intid = gic_iar_intid(iar);
		if (intid >= 1020)
			break;
		if (intid < 16)
			got[cpu][intid]++;
		else
			unexpected++;
		gic_eoi(iar);
	}
	return true;
}

static void cpu_setup(void)
{
	unsigned int i;

	gic_cpu_init();
	for (i = 0; i < 16; i++)
		gic_irq_enable(i);
	irq_unmask();
}

static bool wait_count(unsigned int cpu, unsigned int sgi, uint32_t n)
{
	uint64_t end = timer_now() + WAIT_US * timer_freq() / 1000000;

	while (got[cpu][sgi] < n && !lost[cpu][sgi])
		if (timer_now() > end)
			lost[cpu][sgi] = true;
	return !lost[cpu][sgi];
}

void secondary_main(unsigned int cpu)
{
	unsigned int i;

	cpu_setup();
	dmb();
	ready[cpu] = true;
	if (cpu == 1) {
		while (!go_broadcast)
			;
		for (i = 1; i <= ROUNDS; i++) {
			gic_send_sgi_others(5);
			wait_count(0, 5, i);
			wait_count(2, 5, i);
		}
		dmb();
		broadcast_done = true;
	}
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
}

static void check(const char *name, bool ok, unsigned int sgi)
{
	if (ok)
		printf("TEST %s PASS got=%u,%u,%u\n", name, got[0][sgi], got[1][sgi], got[2][sgi]);
	else
		TEST_FAIL(name, "SGI %u per vCPU: %u,%u,%u", sgi, got[0][sgi], got[1][sgi],
			  got[2][sgi]);
}

int main(void *dtb)
{
	unsigned int cpu, i, beat;
	uint64_t end;
	bool ok = true, r;

	(void)dtb;
	gic_init();
	cpu_setup();
	printf("vgic_sgi: GICv%d\n", gic_version());
	for (cpu = 1; cpu < NR_VCPUS; cpu++)
		psci_cpu_on(cpu, cpu);
	end = timer_now() + 2 * timer_freq();
	for (cpu = 1; cpu < NR_VCPUS; cpu++)
		while (!ready[cpu] && timer_now() < end)
			;
	for (i = 1; i <= ROUNDS; i++) {
		gic_send_sgi(3, 1u << 1);
		wait_count(1, 3, i);
		gic_send_sgi(4, 1u << 2);
		wait_count(2, 4, i);
		gic_send_sgi(6, 1u << 0);
		wait_count(0, 6, i);
	}
	r = got[1][3] == ROUNDS && got[0][3] == 0 && got[2][3] == 0 && got[2][4] == ROUNDS &&
	    got[0][4] == 0 && got[1][4] == 0;
	check("sgi_targeted", r, 3);
	ok &= r;
	r = got[0][6] == ROUNDS && got[1][6] == 0 && got[2][6] == 0;
	check("sgi_self", r, 6);
	ok &= r;
	go_broadcast = true;
	end = timer_now() + 2 * timer_freq();
	while (!broadcast_done && timer_now() < end)
		;
	udelay(10000);
	r = got[0][5] == ROUNDS && got[2][5] == ROUNDS && got[1][5] == 0;
	check("sgi_broadcast", r, 5);
	ok &= r;
	if (ok && !unexpected)
		TEST_PASS("vgic_sgi");
	else
		TEST_FAIL("vgic_sgi", "unexpected %u", unexpected);
	for (beat = 1;; beat++) {
		printf("heartbeat %u unexpected %u\n", beat, unexpected);
		udelay(BEAT_US);
	}
	return 0;
}
