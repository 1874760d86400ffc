/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_TESTS_UNIT_DTB_H
#define BULKHEAD_TESTS_UNIT_DTB_H

/*
 * Device trees for host unit tests. They are made at test time, never
 * committed: tests/unit/unit.mk runs scripts/dump-dtbs (QEMU's own DTBs) and
 * tests/unit/make-broken-dtbs (those with one defect each) into
 * $(BUILD)/unit/dtbs. The directory is $BULKHEAD_DTB_DIR if set, else the
 * absolute path unit.mk compiled in as UNIT_DTB_DIR.
 */

/* The boards the libfdt comparisons walk: QEMU's own and the hand-written corner cases. */
extern const char *const unit_dtb_boards[];
extern const unsigned int unit_dtb_nr_boards;

/* The directory the DTBs are read from. */
const char *unit_dtb_dir(void);

/*
 * Read @name (e.g. "virt-gicv3.dtb") into a malloc()ed buffer the test
 * free()s. Fails the running cmocka test, saying how to make the file, if it
 * is missing or not a valid DTB.
 */
void *unit_dtb_load(const char *name);

/*
 * Read @rel under the layout DTB directory (tools/tools.mk's layout-dtbs;
 * $BULKHEAD_LAYOUT_DIR if set) into a calloc()ed buffer with @extra spare
 * bytes, opened into them when @extra is not 0.
 */
void *load_layout(const char *rel, size_t extra);

#endif
