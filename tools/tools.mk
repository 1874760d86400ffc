# SPDX-License-Identifier: GPL-2.0-only
# Host tools and the layout DTBs their tests use. Included by the top-level
# Makefile and by tests/unit/unit.mk; needs BUILD and HOSTCC.
#   $(BUILD)/tools/bulkhead-check       layout checker (same parser as the hypervisor)
#   $(BUILD)/layouts/configs/BOARD/*.dtb  configs/BOARD/*.dts compiled
#   $(BUILD)/layouts/bad/*.dtb          tests/layouts/bad/*.dts compiled (one defect each)
# Nothing here is committed: every DTB is made by dtc at build time.

BUILD ?= build
HOSTCC ?= gcc
DTC ?= dtc

TOOLS_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Iinclude -DBULKHEAD_HOST
TOOLS_LIBS := -lfdt

LAYOUT_SRCS := partitions/layout.c partitions/layout_prop.c partitions/layout_suggest.c partitions/layout_cell.c partitions/layout_board.c \
	partitions/layout_board_reg.c partitions/layout_board_irq.c partitions/layout_board_dma.c partitions/layout_board_pci.c \
	partitions/layout_direct.c partitions/layout_direct_scan.c partitions/layout_tree.c \
	partitions/layout_validate.c partitions/layout_exclusive.c partitions/layout_streams.c partitions/layout_boot_ram.c partitions/layout_print.c \
	partitions/layout_shm.c
PLATFORM_SRCS := $(sort $(wildcard boot/platform*.c))
GUEST_DT_SRCS := $(sort $(wildcard partitions/guest_dt*.c))
BULKHEAD_CHECK_SRCS := tools/bulkhead-check.c tools/check.c tools/layout_draft.c \
	tools/layout_draft_args.c tools/layout_draft_comment.c tools/layout_draft_devices.c \
	tools/load_plan.c tools/resource_map.c tools/soc_providers.c tools/spin_host.c \
	$(LAYOUT_SRCS) \
	$(PLATFORM_SRCS) $(GUEST_DT_SRCS)

$(BUILD)/tools/bulkhead-check: $(BULKHEAD_CHECK_SRCS) $(wildcard include/*.h boot/*.h) \
		partitions/layout_internal.h partitions/guest_dt_internal.h tools/check.h \
		tools/load_plan.h tools/resource_map.h tools/soc_providers.h tools/layout_draft.h \
		tools/layout_draft_priv.h
	@mkdir -p $(@D)
	$(HOSTCC) $(TOOLS_CFLAGS) -o $@ $(BULKHEAD_CHECK_SRCS) $(TOOLS_LIBS)

LAYOUT_DTB_DIR := $(BUILD)/layouts
LAYOUT_BAD_DTBS := $(patsubst tests/layouts/bad/%.dts,$(LAYOUT_DTB_DIR)/bad/%.dtb, \
	$(wildcard tests/layouts/bad/*.dts))
LAYOUT_CONFIG_DTBS := $(patsubst configs/%.dts,$(LAYOUT_DTB_DIR)/configs/%.dtb, \
	$(wildcard configs/*/*.dts))

$(LAYOUT_DTB_DIR)/bad/%.dtb: tests/layouts/bad/%.dts
	@mkdir -p $(@D)
	$(DTC) -q -I dts -O dtb -o $@ $<

$(LAYOUT_DTB_DIR)/configs/%.dtb: configs/%.dts
	@mkdir -p $(@D)
	$(DTC) -q -I dts -O dtb -o $@ $<

.PHONY: tools layout-dtbs check-layouts

tools: $(BUILD)/tools/bulkhead-check ## build the host tools (build/tools/bulkhead-check)

layout-dtbs: $(LAYOUT_BAD_DTBS) $(LAYOUT_CONFIG_DTBS) ## compile configs/ and tests/layouts/bad/ layouts

# The board the configs are written for, dumped by QEMU itself.
# QEMU's version, rewritten only when it changes: a newer virt machine moves or
# adds nodes, so what QEMU dumped is made again after an upgrade (a package
# keeps its build date as mtime, older than a DTB dumped before the upgrade).
QEMU_VERSION := $(BUILD)/qemu-version

$(QEMU_VERSION): qemu-version-check
	@:

.PHONY: qemu-version-check
qemu-version-check:
	@mkdir -p $(BUILD); v=$$(qemu-system-aarch64 --version 2>/dev/null | head -n 1); \
	[ -n "$$v" ] && [ "$$v" = "$$(cat $(QEMU_VERSION) 2>/dev/null)" ] || echo "$$v" > $(QEMU_VERSION)

$(LAYOUT_DTB_DIR)/board/qemu-virt.dtb: $(QEMU_VERSION)
	@mkdir -p $(@D)
	qemu-system-aarch64 -M virt,virtualization=on,secure=off,gic-version=3,iommu=smmuv3,dumpdtb=$@.tmp \
		-cpu cortex-a53 -smp 4 -m 2G -nographic -display none >/dev/null
	mv $@.tmp $@

check-layouts: tools layout-dtbs $(LAYOUT_DTB_DIR)/board/qemu-virt.dtb ## check every configs/qemu-virt layout with bulkhead-check
	@for l in $(filter $(LAYOUT_DTB_DIR)/configs/qemu-virt/%,$(LAYOUT_CONFIG_DTBS)); do \
		echo "== $$l"; \
		$(BUILD)/tools/bulkhead-check $$l $(LAYOUT_DTB_DIR)/board/qemu-virt.dtb || exit 1; \
	done
