// SPDX-License-Identifier: GPL-2.0-only
/* The cells' devices and image, and each life-cycle test's start (lifecycle_fixture.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "arch/vcpu.h"
#include "cell.h"
#include "cell_priv.h"
#include "fake_log.h"
#include "fault.h"
#include "gic.h"
#include "guest_dt.h"
#include "halt.h"
#include "hypercall.h"
#include "lifecycle_fixture.h"
#include "manage.h"
#include "memstat.h"
#include "pci.h"
#include "smmu.h"
#include "vgic.h"
#include "vgic_hw.h"
#include "vuart.h"

struct layout_cell alpha_cfg = { .label = "alpha", .nr_cpus = 1, .management = true };
struct layout_cell beta_cfg = { .label = "beta",
				.nr_cpus = 1,
				.on_fault = LAYOUT_ON_FAULT_RESTART };
const struct layout_cell beta_halting_cfg = { .label = "beta",
					      .nr_cpus = 1,
					      .on_fault = LAYOUT_ON_FAULT_HALT_SYSTEM };
struct cell *const alpha = &cells[0];
struct cell *const beta = &cells[1];

/* --- the cell's devices and image --------------------------------------------- */

unsigned int scrub_steps, steps_scrubbed, scrub_step_acts, windows_at_step[8];
unsigned int copy_steps, steps_copied, copy_step_acts;
unsigned int irq_windows;
enum cell_state state_at_step[8];
enum vcpu_power power_at_step[8];

/* A load begins: from the first byte of the scrub. */
void cell_load_begin(struct cell *cell)
{
	assert_ptr_equal(cell, beta);
	steps_scrubbed = steps_copied = 0;
}

static void step_acts(enum step step)
{
	shell_acts(step);
	lose_cpu_at(step);
	if (halt_at == step)
		halted = true; /* the halt revoked every stage 2; it aborts every cell's DMA */
}

/* One of the scrub's or copies' steps: what it saw, and acts if it is the one. */
static int step_taken(struct cell *cell)
{
	unsigned int n = steps_scrubbed + steps_copied;
	bool scrub = steps_scrubbed < scrub_steps;

	if (n < 8) {
		windows_at_step[n] = irq_windows;
		state_at_step[n] = cell->state;
		power_at_step[n] = cell->vcpus[0].power;
	}
	if (scrub && ++steps_scrubbed == scrub_step_acts)
		step_acts(AT_SCRUB);
	else if (!scrub && ++steps_copied == copy_step_acts)
		step_acts(AT_COPY);
	return 1;
}

/* As partitions/cell_load.c refuses a cell this CPU is not loading (a hypervisor bug). */
int cell_load_step(struct cell *cell, const struct platform *plat, const void *board_fdt)
{
	(void)plat;
	(void)board_fdt;
	assert_ptr_equal(cell, beta);
	if (cell->state != CELL_LOADING) {
		log_err("cell %s: load refused: the cell is %s, not loading", cell->cfg->label,
			cell_state_name(cell->state));
		return -EBUSY;
	}
	if (steps_scrubbed < scrub_steps || steps_copied < copy_steps)
		return step_taken(cell);
	loads++;
	step_acts(AT_RELOAD);
	return 0;
}

int pci_cell_quiesce(struct cell *cell)
{
	(void)cell;
	quiesces++;
	lose_cpu_at(AT_QUIESCE);
	return quiesce_result;
}

unsigned int serror_windows, window_cpu, quiesces_at_window;
struct cell *window_cell;
bool serror_pending_before;

bool arch_serror_pending(void)
{
	return serror_pending_before;
}

void arch_serror_take_for(struct cell *cell)
{
	serror_windows++;
	window_cell = cell;
	window_cpu = self;
	quiesces_at_window = quiesces;
}

bool beta_reload_resets;
bool beta_reset_left;

int pci_cell_quiesce_for_reload(struct cell *cell)
{
	int ret = pci_cell_quiesce(cell);

	if (cell == beta && beta_reload_resets)
		beta_reset_left = true;
	return ret;
}

unsigned int reset_steps_left, windows_at_start;

/* How many times beta's DMA was given back before the loop's first look at its resets. */
unsigned int resumed_at_first_step = ~0u;

bool pci_reset_step(const struct cell *cell)
{
	if (cell == beta && beta_reset_left && resumed_at_first_step == ~0u)
		resumed_at_first_step = dma_resumed;
	if (cell != beta || !beta_reset_left || !reset_steps_left)
		return false;
	reset_steps_left--;
	return true;
}

void arch_irq_window(void)
{
	irq_windows++;
}

enum step meanwhile_at;
void (*meanwhile)(void);

/* meanwhile() if @step is meanwhile_at, then this CPU as it was. */
static void others_act(enum step step)
{
	jmp_buf *was_parked = park_to, *was_guest = guest, *was_idle = idle;
	unsigned int cpu = self;

	if (step != meanwhile_at)
		return;
	meanwhile_at = AT_NONE;
	meanwhile();
	park_to = was_parked;
	guest = was_guest;
	idle = was_idle;
	self = cpu;
}

unsigned int first_boot_ends;

enum vcpu_power power_at_first_boot_end;
enum cell_state state_at_first_boot_end;

unsigned int first_boot_end_cpu;

/* How many times the cell's DMA was given back before its PCI resets ended (pci_reset_end()). */
unsigned int resumed_at_reset_end = ~0u;

bool pci_reset_left(const struct cell *cell)
{
	return cell == beta && beta_reset_left;
}

void pci_reset_end(const struct cell *cell)
{
	if (cell == beta)
		beta_reset_left = false;
	windows_at_start = irq_windows;
	first_boot_ends++;
	first_boot_end_cpu = self;
	resumed_at_reset_end = dma_resumed;
	power_at_first_boot_end = cell->vcpus[0].power;
	state_at_first_boot_end = cell->state;
	lose_cpu_at(AT_FIRST_BOOT_END);
	others_act(AT_FIRST_BOOT_END);
}

/*
 * Its DMA back, after its queue's own drain (smmu_events.c), whose records
 * of the boot that ended halt the system under on-fault halt-system (or
 * another CPU's drain did, just before).
 */
bool beta_dma_translates;

void smmu_cell_resume(struct cell *cell)
{
	others_act(AT_RESUME);
	beta_dma_translates |= cell == beta;
	dma_resumed++;
	if (halt_at == AT_RESUME)
		halted = true;
}

unsigned int streams_aborted, streams_aborted_by;

int smmu_cell_abort(struct cell *cell)
{
	assert_ptr_equal(cell, beta);
	streams_aborted++;
	streams_aborted_by = self;
	beta_dma_translates = false;
	return 0;
}

bool smmu_enabled(void)
{
	return true;
}

int vgic_hw_cell_init(struct cell *cell)
{
	(void)cell;
	return 0;
}

void vgic_hw_cell_start(struct cell *cell)
{
	(void)cell;
}

/* No cell rings another here: a kick finds no doorbell to raise. */
void shm_doorbells_raise(struct vcpu *v)
{
	fail_msg("cell %s: a doorbell raised, none rung", v->cell->cfg->label);
}

void vgic_hw_cell_stop(struct cell *cell)
{
	(void)cell;
}

int cpu_init_result;

int vgic_hw_cpu_init(struct vcpu *vcpu)
{
	(void)vcpu;
	return cpu_init_result;
}

void vgic_hw_vuart_input(struct cell *cell)
{
	(void)cell;
}

/* gic/vgic_dump.c's copy of an interrupt: these tests' `irqs` never get that far. */
struct vgic_irq *vgic_irq(struct vgic_cell *v, unsigned int vcpu, uint32_t intid)
{
	(void)v;
	fail_msg("vgic_irq(vcpu%u, INTID %u): the dump went past a lock a lost CPU holds", vcpu,
		 intid);
	return NULL;
}

void vuart_reset(struct vuart *vu, const char *label)
{
	(void)vu;
	(void)label;
}

/* Each stop and restart flushes the console once its vCPUs are out: the stop half. */
void vuart_flush(struct vuart *vu, bool quiet)
{
	(void)vu;
	(void)quiet;
	shell_acts(AT_STOP_HALF);
	if (halt_at == AT_STOP_HALF)
		halted = true;
}

void watchdog_kick(struct cell *cell)
{
	(void)cell;
}

void watchdog_cpu_init(struct vcpu *vcpu)
{
	(void)vcpu;
}

bool denials_expected;
unsigned int denials;

void fault_denied(struct vcpu *vcpu, uint32_t fid)
{
	if (!denials_expected)
		fail_msg("%s's management call 0x%x refused", vcpu->cell->cfg->label, fid);
	assert_ptr_equal(vcpu->cell, beta); /* the one not marked management */
	denials++;
}

unsigned int policies;
struct cell *policy_cell;
const char *policy_why;

void fault_apply_policy(struct cell *cell, const char *why)
{
	policies++;
	policy_cell = cell;
	policy_why = why;
}

unsigned int dt_builds_let_go;
unsigned int dt_build_let_go_by;

void guest_dt_cpu_lost(void)
{
	dt_builds_let_go++;
	dt_build_let_go_by = self;
}

/* --- helpers ----------------------------------------------------------------- */

static void make_cell(struct cell *c, const struct layout_cell *cfg, unsigned int id)
{
	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->id = id;
	c->nr_vcpus = 1;
	c->vcpus[0] = (struct vcpu){ .cell = c, .index = 0, .pcpu = id, .power = VCPU_ON };
	c->state = CELL_RUNNING;
	c->boots = 5;
	cells_pcpu_vcpu[id] = &c->vcpus[0];
}

int setup(void **state)
{
	(void)state;
	make_cell(alpha, &alpha_cfg, 0);
	make_cell(beta, &beta_cfg, 1);
	cells_pcpu_vcpu[2] = cells_pcpu_vcpu[3] = NULL;
	cells_nr = 2;
	counter_hz = 1000000;
	lose_at = AT_NONE;
	guest = NULL;
	loads = quiesces = 0;
	quiesce_result = 0;
	first_boot_ends = 0;
	first_boot_end_cpu = ~0u;
	beta_reset_left = false;
	beta_reload_resets = false;
	serror_windows = quiesces_at_window = 0;
	window_cpu = ~0u;
	window_cell = NULL;
	serror_pending_before = false;
	reset_steps_left = irq_windows = windows_at_start = 0;
	scrub_steps = steps_scrubbed = scrub_step_acts = 0;
	copy_steps = steps_copied = copy_step_acts = 0;
	idle = NULL;
	shell_at = AT_NONE;
	holds_kick = ~0u;
	beta_cfg.irq_mode = LAYOUT_IRQ_EMULATED;
	policies = 0;
	policy_cell = NULL;
	policy_why = NULL;
	halt_at = AT_NONE;
	halted = false;
	stage2_given_back = dma_resumed = stage2_revoked = 0;
	resumed_at_first_step = resumed_at_reset_end = ~0u;
	streams_aborted = 0;
	streams_aborted_by = ~0u;
	beta_dma_translates = false;
	meanwhile_at = AT_NONE;
	meanwhile = NULL;
	beta_cfg.nr_pci = 0;
	dt_builds_let_go = 0;
	dt_build_let_go_by = ~0u;
	shell_times = 1;
	told[0] = told[1] = 0;
	relax_limit = relaxes = 0;
	park_to = NULL;
	parks = 0;
	parked_cpus = 0;
	lets_go_as_it_parks = next_holder_lets_go = NULL;
	cpu_init_result = 0;
	denials_expected = false;
	denials = 0;
	fake_log_reset();
	return 0;
}

void beta_resets_itself(void)
{
	jmp_buf back;

	self = BETA_CPU;
	loop = &back;
	if (!setjmp(back))
		cell_restart(beta, "PSCI SYSTEM_RESET");
}

void beta_resets_itself_as_the_system_halts(enum step at)
{
	jmp_buf halted_here;

	halt_at = at;
	parked = &halted_here;
	if (!setjmp(halted_here))
		beta_resets_itself();
	parked = NULL;
}

void assert_beta_stopped(void)
{
	if (beta->state != CELL_STOPPED)
		fail_msg("beta is %s, not stopped; log:\n%s", cell_state_name(beta->state),
			 fake_log_text());
	assert_int_equal(beta->boots, 5);
	assert_int_equal(beta->vcpus[0].power, VCPU_OFF); /* its boot vCPU was not turned on */
	assert_null(beta->stop_why);			  /* a later start is not stopped */
}

int shell_stop(struct cell *cell, const char *why)
{
	return manage_stop(cell, why);
}

int vcpu_powers_off(struct cell *cell, const char *why)
{
	(void)why;
	cell_stop(cell, "PSCI SYSTEM_OFF");
	return 0;
}

int vcpu_faults_stop(struct cell *cell, const char *why)
{
	(void)why;
	cell_stop(cell, "fault");
	return 0;
}

int dma_fault_restarts_boot_5(struct cell *cell, const char *why)
{
	(void)why;
	return manage_restart_async(cell, "DMA fault", 5);
}

int dma_fault_stops_boot_5(struct cell *cell, const char *why)
{
	(void)why;
	return manage_stop_async(cell, "DMA fault", 5);
}

/* fault.c's longest reason to stop a cell: a stage-2 fault not the guest's
 * (fault_stage2_not_guests()). */
static const char longest_stop_why[] =
	"a stage-2 fault of the hypervisor's tables, the hardware or the firmware";

int vcpu_faults_not_its_own(struct cell *cell, const char *why)
{
	(void)why;
	cell_stop(cell, longest_stop_why);
	return 0;
}

int management_stop(struct cell *cell, const char *why)
{
	struct smccc_regs regs = { .a = { BULKHEAD_HC_CELL_STOP, cell->id } };

	(void)why;
	manage_hypercall(&alpha->vcpus[0], &regs);
	return (int)regs.a[0];
}

void assert_beta_failed(void)
{
	if (beta->state != CELL_STOPPED)
		fail_msg("beta is %s, not stopped; log:\n%s", cell_state_name(beta->state),
			 fake_log_text());
	if (!beta->lost)
		fail_msg("beta is not marked failed");
	for (unsigned int i = 0; i < beta->nr_vcpus; i++)
		if (beta->vcpus[i].power != VCPU_OFF || beta->vcpus[i].in_guest)
			fail_msg("beta's vcpu%u is %s", i,
				 beta->vcpus[i].in_guest ? "in the guest" : "not off");
	assert_not_logged("ignored the stop"); /* nothing waited for the parked CPU */
	assert_not_logged("did not leave the guest");
}
