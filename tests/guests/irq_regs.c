// SPDX-License-Identifier: GPL-2.0-only
/*
 * irq_regs: every general register of the guest survives the interrupts the
 * hypervisor takes while the guest runs (arch/arm64/vectors.S saves only
 * what its C may change for an interrupt from the guest: docs/performance.md,
 * optimisation 51). The EL1 virtual timer fires every PERIOD_US, taken at
 * EL2 and injected through the vGIC, while regs_hold() keeps x1-x30 at
 * values of their own and counts x0 down; it then says which changed.
 *   TEST irq_regs PASS|FAIL interrupts=N changed=MASK (bit n: xn)
 */
#include "gic.h"
#include "test.h"

#define PERIOD_US      50
#define SPINS	       20000000ULL /* ~0.1-0.5 s under TCG: hundreds of interrupts */
#define MIN_INTERRUPTS 20
#define CNT_CTL_ENABLE 1u

#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

static volatile uint32_t interrupts;
static uint64_t period;

/* Register n's value in regs_hold(): n in every byte, the top one flipped. */
#define REG_VALUE(n) (0x0101010101010101ULL * (n) ^ 0x8000000000000000ULL)

/*
 * regs_hold(spins, seen): x1-x30 set to REG_VALUE(n), x0 counted down from
 * @spins, then x1-x30 as they are stored in seen[1..30]. Saves and restores
 * what the procedure call standard asks of it (x19-x30).
 */
void regs_hold(uint64_t spins, uint64_t *seen);
__asm__(".pushsection .text.regs_hold, \"ax\"\n"
	".balign 4\n"
	".type regs_hold, %function\n"
	"regs_hold:\n"
	"	stp x29, x30, [sp, #-352]!\n"
	"	stp x19, x20, [sp, #16]\n"
	"	stp x21, x22, [sp, #32]\n"
	"	stp x23, x24, [sp, #48]\n"
	"	stp x25, x26, [sp, #64]\n"
	"	stp x27, x28, [sp, #80]\n"
	"	str x1, [sp, #96]\n"
	"	.irp n, "
	"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
	"	ldr x\\n, =(0x0101010101010101 * \\n) ^ 0x8000000000000000\n"
	"	.endr\n"
	"1:	subs x0, x0, #1\n"
	"	b.ne 1b\n"
	"	.irp n, "
	"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
	"	str x\\n, [sp, #(104 + 8 * \\n)]\n"
	"	.endr\n"
	"	ldr x0, [sp, #96]\n"
	"	mov x1, #1\n"
	"	add x3, sp, #104\n"
	"2:	ldr x2, [x3, x1, lsl #3]\n"
	"	str x2, [x0, x1, lsl #3]\n"
	"	add x1, x1, #1\n"
	"	cmp x1, #31\n"
	"	b.ne 2b\n"
	"	ldp x19, x20, [sp, #16]\n"
	"	ldp x21, x22, [sp, #32]\n"
	"	ldp x23, x24, [sp, #48]\n"
	"	ldp x25, x26, [sp, #64]\n"
	"	ldp x27, x28, [sp, #80]\n"
	"	ldp x29, x30, [sp], #352\n"
	"	ret\n"
	"	.ltorg\n"
	".size regs_hold, . - regs_hold\n"
	".popsection\n");

bool guest_irq(struct exception_frame *frame)
{
	uint32_t iar, intid;

	(void)frame;
	for (;;) {
		iar = gic_ack();
		intid = gic_iar_intid(iar);
		if (intid >= 1020)
			break;
		if (intid == GIC_INTID_VTIMER) {
			write_sysreg(read_sysreg(cntv_cval_el0) + period, cntv_cval_el0);
			__asm__ volatile("isb" ::: "memory");
			interrupts++;
		}
		gic_eoi(iar);
	}
	return true;
}

int main(void *dtb)
{
	uint64_t seen[31] = { 0 };
	uint32_t changed = 0;
	unsigned int n;

	(void)dtb;
	gic_init();
	gic_cpu_init();
	gic_irq_set_priority(GIC_INTID_VTIMER, 0x80);
	gic_irq_enable(GIC_INTID_VTIMER);
	period = timer_freq() * PERIOD_US / 1000000;
	write_sysreg(timer_now() + period, cntv_cval_el0);
	write_sysreg(CNT_CTL_ENABLE, cntv_ctl_el0);
	irq_unmask();
	regs_hold(SPINS, seen);
	irq_mask();
	write_sysreg(0, cntv_ctl_el0);
	for (n = 1; n <= 30; n++)
		if (seen[n] != REG_VALUE(n))
			changed |= 1u << n;
	if (!changed && interrupts >= MIN_INTERRUPTS)
		printf("TEST irq_regs PASS interrupts=%u changed=0x0\n", interrupts);
	else
		TEST_FAIL("irq_regs", "interrupts=%u changed=0x%x (expected >= %u and 0)",
			  interrupts, changed, MIN_INTERRUPTS);
	return 0;
}
