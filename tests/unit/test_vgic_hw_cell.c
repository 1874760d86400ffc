// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the vGIC hardware side's set-up (gic/vgic_hw_cell.c) over the
 * real model: how many list registers the interface is taken to have, which
 * GICs it refuses; which SPIs a cell's model holds (its devices', its
 * console's, its doorbells') and how each is set up; which physical
 * interrupts a cell's start enables and its stop quiesces; what a vCPU's
 * reset, power-off and a direct cell's CPU set-up do. The physical GIC and
 * direct mode's side are recorded here.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cell.h"
#include "fake_log.h"
#include "gic.h"
#include "vgic_hw.h"
#include "../../gic/vgic_hw_priv.h"

#define SPI_A 40
#define SPI_B 1019 /* the last SPI an INTID can name */
#define MAINT 25

/* gic/vgic_hw.c's state this file shares. */
int vgic_hw_version;
unsigned int vgic_hw_nr_lrs;
uint32_t vgic_hw_maint_irq;
uint64_t vgic_hw_lr_live[PLATFORM_MAX_CPUS];
bool vgic_hw_hcr_on[PLATFORM_MAX_CPUS];
struct cell *vgic_hw_spi_owner[VGIC_MAX_INTID + 1];
uint8_t vgic_hw_spi_route[VGIC_MAX_INTID + 1];

/* --- the physical GIC, recorded: per INTID, the calls each got ---------------------- */

static unsigned int enables[VGIC_MAX_INTID + 1], disables[VGIC_MAX_INTID + 1];
static unsigned int unpends[VGIC_MAX_INTID + 1], deactivates[VGIC_MAX_INTID + 1];
static unsigned int routes[VGIC_MAX_INTID + 1];

void gic_irq_enable(uint32_t intid)
{
	assert_true(intid <= VGIC_MAX_INTID);
	enables[intid]++;
}

void gic_irq_disable(uint32_t intid)
{
	assert_true(intid <= VGIC_MAX_INTID);
	disables[intid]++;
}

void gic_irq_clear_pending(uint32_t intid)
{
	assert_true(intid <= VGIC_MAX_INTID);
	unpends[intid]++;
}

void gic_irq_deactivate(uint32_t intid)
{
	assert_true(intid <= VGIC_MAX_INTID);
	deactivates[intid]++;
}

void vgic_hw_route_spi(struct cell *cell, const struct vgic_irq *irq)
{
	(void)cell;
	routes[irq->intid]++;
}

/* The CPU's list registers: how many it says it has, and its resets. */
static unsigned int cpu_nr_lrs;
static int v2_init_ret;
static unsigned int v3_resets, v2_resets;

unsigned int vgic_hw_v3_nr_lrs(void)
{
	return cpu_nr_lrs;
}

int vgic_hw_v2_init(const struct platform_gic *g)
{
	(void)g;
	return v2_init_ret;
}

unsigned int vgic_hw_v2_nr_lrs(void)
{
	return cpu_nr_lrs;
}

void vgic_hw_v3_reset(void)
{
	v3_resets++;
}

void vgic_hw_v2_reset(void)
{
	v2_resets++;
}

static unsigned int kick_masks;

void vgic_hw_kick_mask(struct cell *cell, uint32_t mask)
{
	(void)cell;
	(void)mask;
	kick_masks++;
}

void vuart_irq_forget(struct vuart *u)
{
	(void)u;
}

/* Direct mode's side: what it answers, and which of its steps ran. */
static int direct_init_ret, direct_cpu_ret;
static unsigned int direct_inits, direct_stops, direct_cpu_inits, direct_resets;

int vgic_direct_cell_init(struct cell *cell)
{
	(void)cell;
	direct_inits++;
	return direct_init_ret;
}

void vgic_direct_cell_stop(struct cell *cell)
{
	(void)cell;
	direct_stops++;
}

int vgic_direct_cpu_init(void)
{
	direct_cpu_inits++;
	return direct_cpu_ret;
}

void vgic_direct_vcpu_reset(struct vcpu *vcpu)
{
	(void)vcpu;
	direct_resets++;
}

void arch_cpu_relax(void)
{
}

unsigned int arch_cpu_index(void)
{
	return 1;
}

/* --- the cell --------------------------------------------------------------------- */

static struct layout_cell cfg;
static struct cell cell, other;
static struct platform plat;

/* GICv@version with @nr_lrs list registers and maintenance INTID @maint. */
static int init_gic(int version, unsigned int nr_lrs, uint32_t maint)
{
	memset(&plat, 0, sizeof(plat));
	plat.gic.version = version;
	plat.gic.maint_irq = maint;
	cpu_nr_lrs = nr_lrs;
	return vgic_hw_init(&plat);
}

/* Cell "alpha", 2 vCPUs, devices' SPIs 40 and 41, emulated, no console, no region. */
static int setup(void **state)
{
	(void)state;
	fake_log_reset();
	memset(enables, 0, sizeof(enables));
	memset(disables, 0, sizeof(disables));
	memset(unpends, 0, sizeof(unpends));
	memset(deactivates, 0, sizeof(deactivates));
	memset(routes, 0, sizeof(routes));
	memset(vgic_hw_spi_owner, 0, sizeof(vgic_hw_spi_owner));
	v2_init_ret = 0;
	v3_resets = v2_resets = kick_masks = 0;
	direct_init_ret = direct_cpu_ret = 0;
	direct_inits = direct_stops = direct_cpu_inits = direct_resets = 0;
	assert_int_equal(init_gic(3, 4, MAINT), 0);
	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.label, "alpha");
	cfg.nr_cpus = 2;
	cfg.irqs[0] = SPI_A;
	cfg.irqs[1] = SPI_B;
	cfg.nr_irqs = 2;
	cfg.irq_mode = LAYOUT_IRQ_EMULATED;
	memset(&cell, 0, sizeof(cell));
	cell.cfg = &cfg;
	cell.nr_vcpus = 2;
	for (unsigned int i = 0; i < 2; i++) {
		cell.vcpus[i].cell = &cell;
		cell.vcpus[i].index = i;
		cell.vcpus[i].pcpu = 1 + i;
	}
	return 0;
}

static void direct_mode(void)
{
	cfg.irq_mode = LAYOUT_IRQ_DIRECT;
}

/* Region @r shared with a doorbell (@doorbell) or without. */
static void add_shm(int r, bool doorbell)
{
	cfg.shm[cfg.nr_shm].region = r;
	cfg.shm[cfg.nr_shm].doorbell = doorbell;
	cfg.nr_shm++;
}

static bool modelled(uint32_t intid)
{
	return vgic_irq(&cell.vgic, 0, intid) != NULL;
}

/* --- the virtual interface ------------------------------------------------------------ */

/* The fill uses what the CPU has, up to the model's 16 list registers. */
static void test_the_list_registers_are_the_cpus_up_to_the_models(void **state)
{
	static const unsigned int has[] = { 4, VGIC_MAX_LRS - 1, VGIC_MAX_LRS, VGIC_MAX_LRS + 1,
					    64 };

	(void)state;
	for (unsigned int k = 0; k < sizeof(has) / sizeof(has[0]); k++) {
		for (int version = 2; version <= 3; version++) {
			assert_int_equal(init_gic(version, has[k], MAINT), 0);
			if (vgic_hw_nr_lrs != (has[k] < VGIC_MAX_LRS ? has[k] : VGIC_MAX_LRS))
				fail_msg("GICv%d with %u list registers: the fill takes %u",
					 version, has[k], vgic_hw_nr_lrs);
		}
	}
}

/* Neither a GIC other than v2 or v3 nor a GICv2 without its GICH frame gives cells interrupts. */
static void test_another_gic_or_a_gicv2_without_gich_is_refused(void **state)
{
	(void)state;
	assert_int_equal(init_gic(4, 4, MAINT), -ENODEV);
	assert_int_equal(init_gic(1, 4, MAINT), -ENODEV);
	v2_init_ret = -EINVAL;
	assert_int_equal(init_gic(2, 4, MAINT), -ENODEV);
	assert_logged("E: vgic: the GICv2 has no GICH frame: cells cannot get interrupts");
}

static void test_a_board_without_a_maintenance_interrupt_is_warned_of(void **state)
{
	(void)state;
	assert_int_equal(fake_log_count(LOG_WARN), 0);
	assert_int_equal(init_gic(3, 4, 0), 0);
	assert_logged("W: vgic: the board names no maintenance interrupt");
}

/* --- a cell's SPIs ---------------------------------------------------------------------- */

/*
 * The model holds the devices' SPIs, linked to their physical interrupts,
 * owned by the cell and routed; the console's, purely virtual; a doorbell's
 * for a region shared with one, an edge; none for a region shared without.
 */
static void test_a_cells_model_holds_its_devices_console_and_doorbells_spis(void **state)
{
	struct vgic_irq *irq;

	(void)state;
	cfg.console = LAYOUT_CONSOLE_VIRTUAL;
	add_shm(0, false);
	add_shm(1, true);
	assert_int_equal(vgic_hw_cell_init(&cell), 0);
	assert_int_equal(cell.vgic.nr_spis, 4);
	for (unsigned int i = 0; i < 2; i++) {
		irq = vgic_irq(&cell.vgic, 0, cfg.irqs[i]);
		assert_non_null(irq);
		assert_true(irq->hw);
		assert_int_equal(irq->hw_intid, cfg.irqs[i]);
		assert_ptr_equal(vgic_hw_spi_owner[cfg.irqs[i]], &cell);
		assert_int_equal(routes[cfg.irqs[i]], 1);
		/* Off until the start: what fired before belongs to no boot of the cell. */
		assert_int_equal(disables[cfg.irqs[i]], 1);
		assert_int_equal(unpends[cfg.irqs[i]], 1);
		assert_int_equal(deactivates[cfg.irqs[i]], 1);
	}
	irq = vgic_irq(&cell.vgic, 0, LAYOUT_VUART_INTID);
	assert_non_null(irq);
	assert_false(irq->hw);
	assert_false(modelled(LAYOUT_SHM_DOORBELL_INTID));
	irq = vgic_irq(&cell.vgic, 0, LAYOUT_SHM_DOORBELL_INTID + 1);
	assert_non_null(irq);
	assert_false(irq->hw);
	assert_int_equal(irq->trigger, VGIC_EDGE);
	/* The timers are linked on each vCPU. */
	assert_true(vgic_irq(&cell.vgic, 1, VGIC_INTID_VTIMER)->hw);
	assert_true(vgic_irq(&cell.vgic, 1, VGIC_INTID_PTIMER)->hw);
}

static void test_a_cell_without_a_virtual_console_has_no_console_spi(void **state)
{
	(void)state;
	assert_int_equal(vgic_hw_cell_init(&cell), 0);
	assert_false(modelled(LAYOUT_VUART_INTID));
	assert_int_equal(cell.vgic.nr_spis, 2);
}

/*
 * Every SPI a layout can give a cell: 32 devices', the console's, 8
 * doorbells'. Each is modelled; the start enables, the stop quiesces each
 * device SPI once and nothing else.
 */
static void test_a_cell_with_every_spi_a_layout_allows(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < LAYOUT_MAX_IRQS; i++)
		cfg.irqs[i] = 100 + i;
	cfg.nr_irqs = LAYOUT_MAX_IRQS;
	cfg.console = LAYOUT_CONSOLE_VIRTUAL;
	for (int r = 0; r < LAYOUT_MAX_SHM; r++)
		add_shm(r, true);
	assert_int_equal(vgic_hw_cell_init(&cell), 0);
	assert_int_equal(cell.vgic.nr_spis, LAYOUT_MAX_IRQS + 1 + LAYOUT_MAX_SHM);
	assert_true(modelled(LAYOUT_SHM_DOORBELL_INTID + LAYOUT_MAX_SHM - 1));
	vgic_hw_cell_start(&cell);
	vgic_hw_cell_stop(&cell);
	for (uint32_t intid = 0; intid <= VGIC_MAX_INTID; intid++) {
		unsigned int want = intid >= 100 && intid < 100 + LAYOUT_MAX_IRQS;

		if (enables[intid] != want || disables[intid] != 2 * want)
			fail_msg("INTID %u enabled %u and disabled %u times by the start, the stop "
				 "and the init (a device SPI: once, and twice)",
				 intid, enables[intid], disables[intid]);
	}
}

/* A model the vGIC cannot build (more vCPUs than it has) fails the cell, said. */
static void test_a_model_that_cannot_be_built_fails_the_cell(void **state)
{
	(void)state;
	cell.nr_vcpus = LAYOUT_MAX_CPUS + 1;
	assert_int_equal(vgic_hw_cell_init(&cell), -EINVAL);
	assert_logged("E: alpha: vGIC: cannot model 17 vCPU(s) with 2 SPIs on GICv3");
	assert_int_equal(routes[SPI_A], 0);
}

/* A direct cell's SPIs are physical: direct mode sets them up, its answer the cell's. */
static void test_a_direct_cells_spis_are_set_up_by_direct_mode(void **state)
{
	(void)state;
	direct_mode();
	direct_init_ret = -EIO;
	assert_int_equal(vgic_hw_cell_init(&cell), -EIO);
	assert_int_equal(direct_inits, 1);
	assert_int_equal(routes[SPI_A], 0);
	assert_null(vgic_hw_spi_owner[SPI_A]);
	assert_false(vgic_irq(&cell.vgic, 0, SPI_A)->hw);
}

/* --- start and stop ------------------------------------------------------------------------ */

/* The start enables the SPIs the cell owns: not one another cell took over since. */
static void test_the_start_enables_only_the_spis_the_cell_owns(void **state)
{
	(void)state;
	assert_int_equal(vgic_hw_cell_init(&cell), 0);
	vgic_hw_spi_owner[SPI_A] = &other;
	vgic_hw_cell_start(&cell);
	assert_int_equal(enables[SPI_A], 0);
	assert_int_equal(enables[SPI_B], 1);
}

/* A direct cell's start and stop are direct mode's: no SPI enabled or quiesced here. */
static void test_a_direct_cells_start_and_stop_are_direct_modes(void **state)
{
	(void)state;
	direct_mode();
	assert_int_equal(vgic_hw_cell_init(&cell), 0);
	vgic_hw_spi_owner[SPI_A] = &cell;
	memset(disables, 0, sizeof(disables));
	vgic_hw_cell_start(&cell);
	vgic_hw_cell_stop(&cell);
	assert_int_equal(enables[SPI_A], 0);
	assert_int_equal(disables[SPI_A], 0);
	assert_int_equal(direct_stops, 1);
}

static void test_an_emulated_cells_stop_quiesces_its_spis(void **state)
{
	(void)state;
	assert_int_equal(vgic_hw_cell_init(&cell), 0);
	vgic_hw_cell_stop(&cell);
	assert_int_equal(disables[SPI_A], 2);
	assert_int_equal(unpends[SPI_B], 2);
	assert_int_equal(deactivates[SPI_B], 2);
	assert_int_equal(direct_stops, 0);
}

/* --- a vCPU -------------------------------------------------------------------------------- */

/* A direct cell's CPU that cannot take direct interrupts is lost to the cell, said. */
static void test_a_cpu_direct_mode_cannot_take_is_refused(void **state)
{
	(void)state;
	assert_int_equal(vgic_hw_cpu_init(&cell.vcpus[0]), 0);
	assert_int_equal(direct_cpu_inits, 0);
	direct_mode();
	assert_int_equal(vgic_hw_cpu_init(&cell.vcpus[0]), 0);
	assert_int_equal(fake_log_count(LOG_ERR), 0);
	direct_cpu_ret = -EIO;
	assert_int_equal(vgic_hw_cpu_init(&cell.vcpus[0]), -EIO);
	assert_logged("E: alpha: vcpu0: CPU 1 cannot take direct interrupts (-5)");
}

/*
 * An emulated cell's vCPU reset clears the interface and enables the timers
 * and the maintenance interrupt (if the board has one) on its CPU; a direct
 * cell's is direct mode's, its timers as its guest left them.
 */
static void test_a_vcpu_reset_enables_the_timers_and_maintenance_if_emulated(void **state)
{
	(void)state;
	assert_int_equal(vgic_hw_cell_init(&cell), 0);
	vgic_hw_vcpu_reset(&cell.vcpus[0]);
	assert_int_equal(v3_resets, 1);
	assert_int_equal(enables[VGIC_INTID_VTIMER], 1);
	assert_int_equal(enables[VGIC_INTID_PTIMER], 1);
	assert_int_equal(enables[MAINT], 1);
	assert_int_equal(direct_resets, 0);
	assert_int_equal(init_gic(2, 4, 0), 0);
	vgic_hw_vcpu_reset(&cell.vcpus[0]);
	assert_int_equal(v2_resets, 1);
	assert_int_equal(enables[MAINT], 1);
	assert_int_equal(enables[0], 0);
	direct_mode();
	vgic_hw_vcpu_reset(&cell.vcpus[0]);
	assert_int_equal(direct_resets, 1);
	assert_int_equal(enables[VGIC_INTID_VTIMER], 2);
}

/* An emulated vCPU's power-off tells the model, whose kicks follow; a direct one's nothing. */
static void test_a_vcpu_off_is_the_models_if_emulated(void **state)
{
	(void)state;
	assert_int_equal(vgic_hw_cell_init(&cell), 0);
	vgic_hw_vcpu_off(&cell.vcpus[1]);
	assert_int_equal(kick_masks, 1);
	direct_mode();
	vgic_hw_vcpu_off(&cell.vcpus[1]);
	assert_int_equal(kick_masks, 1);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_the_list_registers_are_the_cpus_up_to_the_models),
		T(test_another_gic_or_a_gicv2_without_gich_is_refused),
		T(test_a_board_without_a_maintenance_interrupt_is_warned_of),
		T(test_a_cells_model_holds_its_devices_console_and_doorbells_spis),
		T(test_a_cell_without_a_virtual_console_has_no_console_spi),
		T(test_a_cell_with_every_spi_a_layout_allows),
		T(test_a_model_that_cannot_be_built_fails_the_cell),
		T(test_a_direct_cells_spis_are_set_up_by_direct_mode),
		T(test_the_start_enables_only_the_spis_the_cell_owns),
		T(test_a_direct_cells_start_and_stop_are_direct_modes),
		T(test_an_emulated_cells_stop_quiesces_its_spis),
		T(test_a_cpu_direct_mode_cannot_take_is_refused),
		T(test_a_vcpu_reset_enables_the_timers_and_maintenance_if_emulated),
		T(test_a_vcpu_off_is_the_models_if_emulated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
