// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which emulated device a cell's trapped access reaches (partitions/mmio.c):
 * each device's frame from its first byte to its last, with the offset from
 * its base, and no further. The redistributors are as many frames as the cell
 * has vCPUs (GICv3 only), the virtual UART is there only for a cell with the
 * virtual console, PCI configuration space where pci.c claims it; the rest is
 * no device's (-ENOENT: the caller treats it as a stage-2 fault). The devices
 * are the test's, which record what reached them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cell.h"
#include "mmio.h"
#include "pci.h"
#include "vgic_hw.h"
#include "vuart.h"

/* The test's PCI configuration space: one bus's worth of ECAM. */
#define ECAM_BASE 0x30000000ULL
#define ECAM_SIZE 0x100000ULL

static struct layout_cell cfg;
static struct cell cell;
static struct vcpu vcpu = { .cell = &cell };

/* --- the devices ------------------------------------------------------------------ */

static const char *reached; /* the device the last access reached, NULL for none */
static uint64_t reached_offset;
static int answer;		   /* what the device answers */
static unsigned int vuart_updates; /* vgic_hw_vuart_update() calls */

static int reach(const char *device, uint64_t offset)
{
	assert_null(reached);
	reached = device;
	reached_offset = offset;
	return answer;
}

int vgic_hw_dist_access(struct vcpu *v, uint64_t offset, struct mmio_access *acc)
{
	(void)acc;
	assert_ptr_equal(v, &vcpu);
	return reach("vgicd", offset);
}

int vgic_hw_redist_access(struct vcpu *v, uint64_t offset, struct mmio_access *acc)
{
	(void)acc;
	assert_ptr_equal(v, &vcpu);
	return reach("vgicr", offset);
}

int vuart_access(struct vuart *u, uint64_t offset, struct mmio_access *acc)
{
	(void)acc;
	assert_ptr_equal(u, &cell.vuart);
	return reach("vuart", offset);
}

void vgic_hw_vuart_update(struct cell *c)
{
	assert_ptr_equal(c, &cell);
	vuart_updates++;
}

bool pci_ecam_claims(const struct cell *c, uint64_t ipa)
{
	assert_ptr_equal(c, &cell);
	return ipa >= ECAM_BASE && ipa - ECAM_BASE < ECAM_SIZE;
}

int pci_ecam_access(struct vcpu *v, struct mmio_access *acc)
{
	assert_ptr_equal(v, &vcpu);
	return reach("ecam", acc->ipa - ECAM_BASE);
}

/* --- helpers ---------------------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	memset(&cell, 0, sizeof(cell));
	cfg.console = LAYOUT_CONSOLE_VIRTUAL;
	cell.cfg = &cfg;
	cell.nr_vcpus = 2;
	cell.vgic.version = 3;
	reached = NULL;
	answer = 0;
	vuart_updates = 0;
	return 0;
}

/* A 4-byte read at @ipa reaches @device (NULL: none, -ENOENT) at @offset. */
static void assert_reaches(uint64_t ipa, const char *device, uint64_t offset)
{
	struct mmio_access acc = { .ipa = ipa, .size = 4 };
	int ret;

	reached = NULL;
	ret = mmio_emulate(&vcpu, &acc);
	if (!device) {
		if (reached || ret != -ENOENT)
			fail_msg("IPA 0x%llx reached %s (%d), not no device",
				 (unsigned long long)ipa, reached ? reached : "nothing", ret);
		assert_null(mmio_device_name(&cell, ipa));
		return;
	}
	if (!reached || strcmp(reached, device) || reached_offset != offset)
		fail_msg("IPA 0x%llx reached %s at 0x%llx, not %s at 0x%llx",
			 (unsigned long long)ipa, reached ? reached : "no device",
			 (unsigned long long)reached_offset, device, (unsigned long long)offset);
	assert_int_equal(ret, 0);
	assert_non_null(mmio_device_name(&cell, ipa));
}

/* --- tests ------------------------------------------------------------------------ */

static void test_each_frame_reaches_its_device_from_its_first_byte_to_its_last(void **state)
{
	(void)state;
	assert_reaches(LAYOUT_VGICD_BASE - 1, NULL, 0);
	assert_reaches(LAYOUT_VGICD_BASE, "vgicd", 0);
	assert_reaches(LAYOUT_VGICD_BASE + LAYOUT_VGICD_SIZE - 1, "vgicd", LAYOUT_VGICD_SIZE - 1);
	assert_reaches(LAYOUT_VGICD_BASE + LAYOUT_VGICD_SIZE, NULL, 0);
	assert_reaches(LAYOUT_VGICR_BASE - 1, NULL, 0);
	assert_reaches(LAYOUT_VGICR_BASE, "vgicr", 0);
	assert_reaches(LAYOUT_VGICR_BASE + LAYOUT_VGICR_STRIDE + 0x10000, "vgicr",
		       LAYOUT_VGICR_STRIDE + 0x10000);
	assert_reaches(LAYOUT_VUART_BASE - 1, NULL, 0);
	assert_reaches(LAYOUT_VUART_BASE, "vuart", 0);
	assert_reaches(LAYOUT_VUART_BASE + LAYOUT_VUART_SIZE - 1, "vuart", LAYOUT_VUART_SIZE - 1);
	assert_reaches(LAYOUT_VUART_BASE + LAYOUT_VUART_SIZE, NULL, 0);
	assert_reaches(ECAM_BASE, "ecam", 0);
	assert_reaches(ECAM_BASE + ECAM_SIZE - 1, "ecam", ECAM_SIZE - 1);
	assert_reaches(ECAM_BASE + ECAM_SIZE, NULL, 0);
	assert_reaches(0, NULL, 0);
	assert_reaches(~0ULL, NULL, 0);
}

/*
 * The redistributors end with the cell's last vCPU's frame: the next is no
 * device's, whatever the hardware or another cell has there.
 */
static void test_the_redistributors_end_with_the_cells_last_vcpus_frame(void **state)
{
	uint64_t end = LAYOUT_VGICR_BASE + 2 * LAYOUT_VGICR_STRIDE;

	(void)state;
	assert_reaches(end - 1, "vgicr", 2 * LAYOUT_VGICR_STRIDE - 1);
	assert_reaches(end, NULL, 0);
	cell.nr_vcpus = 1;
	assert_reaches(LAYOUT_VGICR_BASE + LAYOUT_VGICR_STRIDE - 1, "vgicr",
		       LAYOUT_VGICR_STRIDE - 1);
	assert_reaches(LAYOUT_VGICR_BASE + LAYOUT_VGICR_STRIDE, NULL, 0);
}

/* A GICv2 cell has no redistributors: its CPU interface is mapped, not emulated. */
static void test_a_gicv2_cell_has_no_redistributors(void **state)
{
	(void)state;
	cell.vgic.version = 2;
	assert_reaches(LAYOUT_VGICR_BASE, NULL, 0);
	assert_reaches(LAYOUT_VGICD_BASE, "vgicd", 0);
}

static void test_a_cell_without_the_virtual_console_has_no_uart(void **state)
{
	(void)state;
	cfg.console = LAYOUT_CONSOLE_NONE;
	assert_reaches(LAYOUT_VUART_BASE, NULL, 0);
}

/*
 * The devices' answers come back as they are; the UART's "line moved" is
 * passed to the vGIC (and the access is done, 0), its other answers not.
 */
static void test_the_devices_answers_come_back_and_a_uart_move_reaches_the_vgic(void **state)
{
	static const uint64_t ipas[] = { LAYOUT_VGICD_BASE, LAYOUT_VGICR_BASE, LAYOUT_VUART_BASE,
					 ECAM_BASE };
	struct mmio_access acc = { .size = 4 };

	(void)state;
	answer = -EINVAL;
	for (unsigned int i = 0; i < sizeof(ipas) / sizeof(ipas[0]); i++) {
		acc.ipa = ipas[i];
		reached = NULL;
		assert_int_equal(mmio_emulate(&vcpu, &acc), -EINVAL);
	}
	assert_int_equal(vuart_updates, 0);
	answer = VUART_LINE_MOVED;
	acc.ipa = LAYOUT_VUART_BASE + 0x38;
	reached = NULL;
	assert_int_equal(mmio_emulate(&vcpu, &acc), 0);
	assert_int_equal(vuart_updates, 1);
	answer = 0;
	reached = NULL;
	assert_int_equal(mmio_emulate(&vcpu, &acc), 0);
	assert_int_equal(vuart_updates, 1);
}

static void test_each_device_is_named_for_the_fault_report(void **state)
{
	(void)state;
	assert_string_equal(mmio_device_name(&cell, LAYOUT_VGICD_BASE), "the vGIC distributor");
	assert_string_equal(mmio_device_name(&cell, LAYOUT_VGICR_BASE), "the vGIC redistributors");
	assert_string_equal(mmio_device_name(&cell, LAYOUT_VUART_BASE), "the virtual UART");
	assert_string_equal(mmio_device_name(&cell, ECAM_BASE), "PCI configuration space");
	assert_null(mmio_device_name(&cell, 0x40000000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
			test_each_frame_reaches_its_device_from_its_first_byte_to_its_last, setup),
		cmocka_unit_test_setup(test_the_redistributors_end_with_the_cells_last_vcpus_frame,
				       setup),
		cmocka_unit_test_setup(test_a_gicv2_cell_has_no_redistributors, setup),
		cmocka_unit_test_setup(test_a_cell_without_the_virtual_console_has_no_uart, setup),
		cmocka_unit_test_setup(
			test_the_devices_answers_come_back_and_a_uart_move_reaches_the_vgic, setup),
		cmocka_unit_test_setup(test_each_device_is_named_for_the_fault_report, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
