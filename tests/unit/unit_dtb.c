// SPDX-License-Identifier: GPL-2.0-only
/* Loading the test-time DTBs (see unit_dtb.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <libfdt.h>

#include "unit_dtb.h"

#ifndef UNIT_DTB_DIR
#define UNIT_DTB_DIR "build/unit/dtbs"
#endif

#ifndef LAYOUT_DTB_DIR
#define LAYOUT_DTB_DIR "build/layouts"
#endif

#define UNIT_DTB_MAX (4 * 1024 * 1024)

const char *const unit_dtb_boards[] = {
	"virt-gicv3-smmuv3.dtb", "virt-gicv2.dtb",	     "virt-gicv3-smp8.dtb",
	"board-minimal.dtb",	 "stdout-alias-options.dtb", "index-edges.dtb",
};
const unsigned int unit_dtb_nr_boards = sizeof(unit_dtb_boards) / sizeof(unit_dtb_boards[0]);

const char *unit_dtb_dir(void)
{
	const char *dir = getenv("BULKHEAD_DTB_DIR");

	return dir && dir[0] ? dir : UNIT_DTB_DIR;
}

void *unit_dtb_load(const char *name)
{
	char path[4096];
	size_t len;
	void *buf;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", unit_dtb_dir(), name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s: run `make -f tests/unit/unit.mk dtbs` or set "
			 "BULKHEAD_DTB_DIR",
			 path);
	buf = malloc(UNIT_DTB_MAX);
	assert_non_null(buf);
	len = fread(buf, 1, UNIT_DTB_MAX, f);
	fclose(f);
	if (len < sizeof(struct fdt_header) || fdt_check_header(buf) != 0 ||
	    fdt_totalsize(buf) > len) {
		free(buf);
		fail_msg("%s is not a valid DTB (%zu bytes read)", path, len);
	}
	return buf;
}

static const char *layout_dir(void)
{
	const char *env = getenv("BULKHEAD_LAYOUT_DIR");

	return env && env[0] ? env : LAYOUT_DTB_DIR;
}

void *load_layout(const char *rel, size_t extra)
{
	char path[512];
	FILE *f;
	long n;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s", layout_dir(), rel);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (make -f tools/tools.mk layout-dtbs)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + extra);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (extra)
		assert_int_equal(fdt_open_into(buf, buf, (int)((size_t)n + extra)), 0);
	return buf;
}
