// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI capability lists and the extended config space (partitions/pci_caps.c):
 * each list walked as Linux walks it, and a bounded number of times; each
 * capability that moves decoding (SR-IOV, Resizable BAR, ACS, Enhanced
 * Allocation) out of the guest's reach to its last byte; a function without
 * extended config space, or whose 0x100-0xfff repeats 0x000, taking no
 * writes there.
 *
 * Against the model of the functions behind the ECAM window (pci_model.h),
 * with what the PCI tests share (pci_fixture.h).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_log.h"
#include "pci_fixture.h"

/* --- extended config space (0x100-0xfff) -------------------------------------------- */

/* A function that decodes 8 bits of the offset: 0x110 is BAR0, 0x104 is COMMAND. */
static void aliasing_function_in_alpha(bool pcie)
{
	struct model_fn *m = add_fn(EDU, 0);

	if (pcie)
		add_pcie(EDU, 0x0);
	add_bar(EDU, 0, 0xfff00000);
	m->alias = 0x100;
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_int_equal(dev_read(EDU, PCI_BAR0, 4), PLACED_BAR0);
}

/*
 * The guest's writes to BAR0 and COMMAND at @alias + their offsets reach
 * neither: COMMAND stays as the assignment left it, INTx Disable only.
 */
static void assert_alias_writes_dropped(unsigned int alias)
{
	guest_write(0, EDU, alias + PCI_BAR0, 4, 0x20000000);
	guest_write(0, EDU, alias + PCI_COMMAND, 2, PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_MASTER);
	if (dev_read(EDU, PCI_BAR0, 4) != PLACED_BAR0 ||
	    dev_read(EDU, PCI_COMMAND, 2) != PCI_CMD_INTX_DIS)
		fail_msg("writes at 0x%x and 0x%x reached BAR0 (now 0x%x, placed 0x%x) and "
			 "COMMAND (now 0x%x) through the alias",
			 alias + PCI_BAR0, alias + PCI_COMMAND, dev_read(EDU, PCI_BAR0, 4),
			 PLACED_BAR0, dev_read(EDU, PCI_COMMAND, 2));
}

static void assert_aliases_unreachable(void)
{
	assert_alias_writes_dropped(0x100);
	assert_int_equal(guest_read(0, EDU, 0x100, 4), 0xffffffff);
	assert_int_equal(guest_read(0, EDU, 0x100 + PCI_BAR0, 2), 0xffff);
	assert_int_equal(guest_read(0, EDU, 0xfff, 1), 0xff);
}

static void test_conventional_function_takes_no_writes_beyond_256_bytes(void **state)
{
	(void)state;
	aliasing_function_in_alpha(false);
	assert_aliases_unreachable();
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x110 dropped: beyond its 256-byte "
		      "config space (conventional PCI: no PCI Express capability)");
}

static void test_pcie_function_whose_0x100_aliases_0x000_takes_no_writes_there(void **state)
{
	(void)state;
	aliasing_function_in_alpha(true);
	assert_aliases_unreachable();
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x104 dropped: beyond its 256-byte "
		      "config space (its extended space repeats 0x000: an alias)");
}

/*
 * A function that decodes 9 bits of the offset: 0x100-0x1ff are its own (an
 * extended capability there), 0x200 repeats 0x000, so 0x204 is COMMAND and
 * 0x210 BAR0. Before, only 0x100 was compared with the IDs, and the guest's
 * writes there moved BAR0 and turned on I/O decode past the header's filters.
 */
static void test_pcie_function_whose_0x200_aliases_0x000_takes_no_writes_there(void **state)
{
	struct model_fn *m = add_fn(EDU, 0);

	(void)state;
	add_pcie(EDU, 0x0);
	add_acs(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	m->alias = 0x200;
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_alias_writes_dropped(0x200);
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x210 dropped: beyond its 256-byte "
		      "config space (its extended space repeats 0x000: an alias)");
}

static void test_pcie_function_with_extended_capabilities_keeps_them(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, 0x100, 4, 0x000b | 1u << 16); /* a vendor-specific one, last in the list */
	assert_int_equal(create(0), 0);
	fake_log_reset(); /* its creation warns it has no function reset */
	guest_write(0, EDU, 0x108, 4, 0x00112233);
	assert_int_equal(dev_read(EDU, 0x108, 4), 0x00112233);
	assert_int_equal(guest_read(0, EDU, 0x100, 4), 0x000b | 1u << 16);
	assert_int_equal(fake_log_count(LOG_WARN), 0);
}

/* --- the extended capability list, walked as Linux does ------------------------------ */

/* SR-IOV at @at, VF Enable off: a write of its Control must not reach it. */
static void assert_sriov_control_protected(uint32_t at)
{
	guest_write(0, EDU, at + PCI_SRIOV_CTRL, 2, PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE);
	if (dev_read(EDU, at + PCI_SRIOV_CTRL, 2))
		fail_msg("the guest's write reached SR-IOV Control at +0x%x (now 0x%x): VFs "
			 "decode BARs nobody placed",
			 at + PCI_SRIOV_CTRL, dev_read(EDU, at + PCI_SRIOV_CTRL, 2));
}

/*
 * The next pointer's two low bits are reserved, and software masks them
 * (PCIe r6.0 §7.6.3): until 2026-11-24 a set one ended the walk, and the
 * SR-IOV capability after it was not protected.
 */
static void test_capability_after_a_next_pointer_with_reserved_bits_is_found(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, 0x100, 4, 0x000b | 1u << 16 | (0x200u | 0x3) << 20);
	dev_write(EDU, 0x200, 4, PCI_EXT_SRIOV | 1u << 16);
	assert_int_equal(create(0), 0);
	assert_sriov_control_protected(0x200);
}

/* 0x100-0xfff holds 480 headers 8 bytes apart: until 2026-11-24 the walk stopped at 64. */
static void test_capability_after_64_others_is_found(void **state)
{
	uint32_t at = 0x100;

	(void)state;
	pcie_endpoint_in_alpha(EDU);
	for (int n = 0; n < 100; n++, at += 8)
		dev_write(EDU, at, 4, 0x000b | 1u << 16 | (at + 8) << 20);
	dev_write(EDU, at, 4, PCI_EXT_SRIOV | 1u << 16);
	assert_int_equal(create(0), 0);
	assert_sriov_control_protected(at);
}

/* --- SR-IOV and Enhanced Allocation as firmware left them ------------------------------ */

#define SRIOV_CTRL (0x100 + 0x08)
#define SRIOV_VFE  0x1u /* VF Enable */
#define SRIOV_MSE  0x8u /* VF Memory Space Enable */

/*
 * VFs firmware enabled have BARs (in the PF's SR-IOV capability) that nobody
 * placed, decoding wherever firmware put them; their Vendor ID reads all ones,
 * so the walk over functions never finds them to quiesce them one by one.
 */
static void test_vfs_firmware_enabled_are_turned_off_at_boot(void **state)
{
	(void)state;
	add_fn(0x0020, 0); /* 00:04.0, an SR-IOV PF no cell owns */
	add_pcie(0x0020, 0x0);
	dev_write(0x0020, 0x100, 4, PCI_EXT_SRIOV | 1u << 16);
	dev_write(0x0020, SRIOV_CTRL, 2, SRIOV_VFE | SRIOV_MSE | 0x10); /* and ARI Capable */
	pcie_endpoint_in_alpha(EDU);
	assert_int_equal(create(0), 0);
	if (dev_read(0x0020, SRIOV_CTRL, 2) & (SRIOV_VFE | SRIOV_MSE))
		fail_msg("00:04.0's SR-IOV Control is 0x%x after boot: its VFs still decode",
			 dev_read(0x0020, SRIOV_CTRL, 2));
	assert_int_equal(dev_read(0x0020, SRIOV_CTRL, 2), 0x10);
	assert_logged("W: pci: 00:04.0: SR-IOV VF Enable and VF Memory Space Enable left on "
		      "(Control 0x0019): turned off");
}

/*
 * A function whose Enhanced Allocation entry firmware (or hardware) left
 * enabled decodes a fixed range no BAR shows, wherever the hypervisor
 * placed its BARs: refused. One with its entries disabled is assigned (a
 * guest's write into the capability is dropped).
 */
static void test_function_with_an_enabled_ea_entry_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_ea(EDU, PCI_EA_ENABLE | 3u);
	give(0, EDU);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("E: alpha: pci-devices: 00:03.0: Enhanced Allocation entry 0 is enabled: "
		      "the function decodes a range no BAR shows and the hypervisor did not place, "
		      "once Memory is on; it cannot be assigned");
	setup(NULL);
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_ea(EDU, 3u);
	give(0, EDU);
	assert_int_equal(create(0), 0);
}

/* --- capability lists: each walk bounded, each decoding capability covered to its end ---- */

/* A byte @v written by alpha's guest at @reg of 00:03.0: whether it reached the device. */
static bool guest_byte_reaches(uint32_t reg, uint8_t v)
{
	uint8_t was = (uint8_t)dev_read(EDU, reg, 1);

	guest_write(0, EDU, reg, 1, v);
	return dev_read(EDU, reg, 1) != was;
}

/*
 * A write into any byte of an extended capability that moves decoding (or
 * ACS) is dropped, from its header to its last byte, and the byte after it
 * is the function's again.
 */
static void test_each_decoding_extended_capability_is_covered_to_its_last_byte(void **state)
{
	static const struct {
		uint16_t id;
		uint32_t size;
	} caps[] = { { PCI_EXT_SRIOV, 0x40 },
		     { PCI_EXT_MCAST, 0x28 },
		     { PCI_EXT_REBAR, 0x34 },
		     { PCI_EXT_VF_REBAR, 0x34 },
		     { PCI_EXT_ACS, 0x08 } };

	(void)state;
	for (unsigned int k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		uint32_t end = 0x100 + caps[k].size;

		setup(NULL);
		pcie_endpoint_in_alpha(EDU);
		dev_write(EDU, 0x100, 4, caps[k].id);
		assert_int_equal(create(0), 0);
		if (guest_byte_reaches(0x100, 0xa5) || guest_byte_reaches(end - 1, 0xa5) ||
		    !guest_byte_reaches(end, 0xa5))
			fail_msg("extended capability 0x%04x at 0x100 (0x%x bytes): the guest's "
				 "writes of its first and last byte reached the device (header "
				 "0x%x, "
				 "last 0x%02x) or the byte after it did not (0x%02x)",
				 caps[k].id, caps[k].size, dev_read(EDU, 0x100, 4),
				 dev_read(EDU, end - 1, 1), dev_read(EDU, end, 1));
	}
}

/*
 * Enhanced Allocation at 0x60, one entry of 4 dwords (0x60-0x73): its Base
 * and every other byte are out of the guest's reach, 0x74 is not.
 */
static void test_every_byte_of_the_ea_capability_is_out_of_the_guests_reach(void **state)
{
	(void)state;
	ea_endpoint_in_alpha();
	guest_write(0, EDU, 0x68, 4, 0x30000000);
	if (dev_read(EDU, 0x68, 4) != 0x20000000)
		fail_msg("the guest moved the EA entry's Base to 0x%x: a range nobody placed",
			 dev_read(EDU, 0x68, 4));
	assert_false(guest_byte_reaches(0x60, 0xa5));
	assert_false(guest_byte_reaches(0x73, 0xa5));
	assert_true(guest_byte_reaches(0x74, 0xa5));
	assert_logged("W: alpha: pci: config write to 00:03.0 +0x68 dropped: Enhanced Allocation "
		      "capability (decoding the hypervisor did not place)");
}

/* Two EA capabilities, the first with entry 0 enabled: the second's disabled ones do not hide it.
 */
static void test_enabled_ea_entry_before_a_second_ea_capability_is_refused(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_cap(EDU, 0x80, PCI_CAP_EA); /* second in the list: one entry, disabled */
	dev_write(EDU, 0x82, 2, 1);
	dev_write(EDU, 0x84, 4, 3u);
	add_ea(EDU, PCI_EA_ENABLE | 3u); /* 0x60, first */
	give(0, EDU);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("Enhanced Allocation entry 0 is enabled");
}

/* Two enabled EA entries: the refusal names the first. */
static void test_the_first_enabled_ea_entry_is_named(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_ea(EDU, PCI_EA_ENABLE | 3u);
	dev_write(EDU, 0x62, 2, 2); /* NumEntries: a second after the first's 4 dwords */
	dev_write(EDU, 0x74, 4, PCI_EA_ENABLE | 3u);
	give(0, EDU);
	assert_int_equal(create(0), -EINVAL);
	assert_logged("Enhanced Allocation entry 0 is enabled");
}

/*
 * Status says there is no capability list: what 0x34 points at is not one
 * (an EA capability with an entry enabled there neither refuses the
 * function nor takes its guest's writes).
 */
static void test_capability_pointer_without_the_status_bit_is_not_followed(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_ea(EDU, PCI_EA_ENABLE | 3u);
	fn_at(EDU)->cs[PCI_STATUS] &= (uint8_t)~PCI_STATUS_CAP_LIST;
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_true(guest_byte_reaches(0x68, 0xa5));
}

/*
 * A standard list of 48 capabilities, what 0x40-0xff holds: the last one
 * (Advanced Features with FLR, at 0xfc) is found, and the function has a reset.
 */
static void test_48th_standard_capability_is_found(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_cap(EDU, 0xfc, PCI_CAP_AF); /* linked at the head: added last-first */
	dev_write(EDU, 0xfc + PCI_AF_CAP, 1, PCI_AF_CAP_FLR);
	for (uint8_t at = 0xf8; at >= 0x40; at -= 4)
		add_cap(EDU, at, 0x09); /* vendor-specific */
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_not_logged("no function reset");
}

/* 480 extended headers 8 bytes apart: the last, ACS at 0xff8, is found and kept. */
static void test_480th_extended_capability_is_found(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	for (uint32_t at = 0x100; at < 0xff8; at += 8)
		dev_write(EDU, at, 4, 0x000b | 1u << 16 | (at + 8) << 20);
	dev_write(EDU, 0xff8, 4, PCI_EXT_ACS | 1u << 16);
	assert_int_equal(create(0), 0);
	assert_false(guest_byte_reaches(0xff8 + PCI_ACS_CTRL, 0x1f));
}

/*
 * Lists that loop (a next pointer to its own header): a guest's write walks
 * the standard one at most 48 times, the extended one at most 480 (what each
 * space holds), and then takes effect.
 */
static void test_capability_lists_that_loop_are_walked_a_bounded_number_of_times(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_pcie(EDU, 0x0);
	fn_at(EDU)->cs[0x41] = 0x40; /* the PCI Express capability, then itself again */
	add_bar(EDU, 0, 0xfff00000);
	dev_write(EDU, 0x100, 4, 0x000b | 1u << 16 | 0x100u << 20);
	give(0, EDU);
	watched_reg = 0x100;
	assert_int_equal(create(0), 0);
	nr_watched_reads = 0;
	assert_true(guest_byte_reaches(0x108, 0xa5));
	if (nr_watched_reads > 480)
		fail_msg("a write at 0x108 read the looping header at 0x100 %u times, past the "
			 "480 headers 0x100-0xfff holds",
			 nr_watched_reads);
	watched_reg = 0x40;
	nr_watched_reads = 0;
	assert_true(guest_byte_reaches(0x58, 0xa5));
	if (nr_watched_reads > 48)
		fail_msg("a write at 0x58 read the looping capability at 0x40 %u times, past the "
			 "48 capabilities 0x40-0xff holds",
			 nr_watched_reads);
}

/*
 * 0x100 reads all ones: the function has no extended config space (as Linux
 * decides), whatever its PCI Express capability says, and writes there are
 * dropped.
 */
static void test_pcie_function_whose_0x100_reads_all_ones_takes_no_writes_there(void **state)
{
	(void)state;
	pcie_endpoint_in_alpha(EDU);
	dev_write(EDU, 0x100, 4, 0xffffffff);
	assert_int_equal(create(0), 0);
	assert_false(guest_byte_reaches(0x108, 0xa5));
	assert_logged("config write to 00:03.0 +0x108 dropped: beyond its 256-byte config space");
}

/*
 * An ARI header where function 0 has no extended space is not believed:
 * function 1 beside it stays refused. Without a PCI Express capability, and
 * with one but 0x100 repeating 0x000 (a Vendor ID that reads as ARI's ID).
 */
static void test_ari_header_outside_function_0s_extended_space_is_not_believed(void **state)
{
	(void)state;
	for (int pcie = 0; pcie < 2; pcie++) {
		setup(NULL);
		add_fn(EDU, 0);
		if (pcie) {
			add_pcie(EDU, 0x0);
			dev_write(EDU, PCI_VENDOR_ID, 4, 0x12340000u | PCI_EXT_ARI);
			fn_at(EDU)->alias = 0x100;
		} else {
			dev_write(EDU, 0x100, 4, PCI_EXT_ARI | 1u << 16);
		}
		add_fn(EDU_FN1, 0);
		add_bar(EDU_FN1, 0, 0xfff00000);
		give(0, EDU_FN1);
		if (create(0) != -EINVAL)
			fail_msg("00:03.1 assigned beside a single-function 00:03.0 %s: an ARI "
				 "header read where 00:03.0 has no extended config space",
				 pcie ? "whose 0x100 repeats 0x000"
				      : "with no PCI Express capability");
	}
}

/*
 * A conventional function (no PCI Express capability) has 256 bytes, even
 * where 0x100-0xfff reads neither all ones nor its IDs: writes there are
 * dropped.
 */
static void test_conventional_function_whose_0x100_reads_0_takes_no_writes_there(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_false(guest_byte_reaches(0x108, 0xa5));
	assert_logged("config write to 00:03.0 +0x108 dropped: beyond its 256-byte config space "
		      "(conventional PCI: no PCI Express capability)");
}

/*
 * Enhanced Allocation at 0xec, its one entry (16 bytes) ending at 0x100, and
 * a Num Entries of 2: the walk stops at 0x100 (what follows, an extended
 * header with bit 31 set, is no entry whose Enable bit is set), and byte
 * 0xff is the capability's.
 */
static void test_ea_capability_ending_at_0x100_is_walked_to_there_only(void **state)
{
	(void)state;
	add_fn(EDU, 0);
	add_bar(EDU, 0, 0xfff00000);
	add_cap(EDU, 0xec, PCI_CAP_EA);
	dev_write(EDU, 0xee, 2, 2); /* NumEntries, one more than fits */
	dev_write(EDU, 0xf0, 4, 3u);
	dev_write(EDU, 0xfc, 4, 0x000ffffc);
	dev_write(EDU, 0x100, 4, 0x000b | 1u << 16 | 0x800u << 20);
	give(0, EDU);
	assert_int_equal(create(0), 0);
	assert_false(guest_byte_reaches(0xff, 0xa5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_conventional_function_takes_no_writes_beyond_256_bytes,
				       setup),
		cmocka_unit_test_setup(
			test_pcie_function_whose_0x100_aliases_0x000_takes_no_writes_there, setup),
		cmocka_unit_test_setup(test_pcie_function_with_extended_capabilities_keeps_them,
				       setup),
		cmocka_unit_test_setup(test_vfs_firmware_enabled_are_turned_off_at_boot, setup),
		cmocka_unit_test_setup(test_function_with_an_enabled_ea_entry_is_refused, setup),
		cmocka_unit_test_setup(
			test_pcie_function_whose_0x200_aliases_0x000_takes_no_writes_there, setup),
		cmocka_unit_test_setup(
			test_capability_after_a_next_pointer_with_reserved_bits_is_found, setup),
		cmocka_unit_test_setup(test_capability_after_64_others_is_found, setup),
		cmocka_unit_test_setup(
			test_each_decoding_extended_capability_is_covered_to_its_last_byte, setup),
		cmocka_unit_test_setup(
			test_every_byte_of_the_ea_capability_is_out_of_the_guests_reach, setup),
		cmocka_unit_test_setup(
			test_enabled_ea_entry_before_a_second_ea_capability_is_refused, setup),
		cmocka_unit_test_setup(
			test_capability_pointer_without_the_status_bit_is_not_followed, setup),
		cmocka_unit_test_setup(test_48th_standard_capability_is_found, setup),
		cmocka_unit_test_setup(test_480th_extended_capability_is_found, setup),
		cmocka_unit_test_setup(
			test_capability_lists_that_loop_are_walked_a_bounded_number_of_times,
			setup),
		cmocka_unit_test_setup(
			test_pcie_function_whose_0x100_reads_all_ones_takes_no_writes_there, setup),
		cmocka_unit_test_setup(
			test_ari_header_outside_function_0s_extended_space_is_not_believed, setup),
		cmocka_unit_test_setup(
			test_conventional_function_whose_0x100_reads_0_takes_no_writes_there,
			setup),
		cmocka_unit_test_setup(test_ea_capability_ending_at_0x100_is_walked_to_there_only,
				       setup),
		cmocka_unit_test_setup(test_the_first_enabled_ea_entry_is_named, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
