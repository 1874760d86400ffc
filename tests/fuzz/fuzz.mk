# SPDX-License-Identifier: GPL-2.0-only
# libFuzzer targets (clang) for the layout parser, board discovery and guest-facing models.
#   make -f tests/fuzz/fuzz.mk BUILD=build all                 build every target
#   make -f tests/fuzz/fuzz.mk BUILD=build run FUZZ_SECONDS=60  every campaign, 60 s each
# Campaigns (tests/fuzz/run; both layout and board campaigns go on to build each
# cell's guest device tree): layout-bytes (arbitrary bytes as the layout),
# layout-mutate (seeded with every compiled layout, good and bad, parsed against
# QEMU's board and the real ones), board (seeded with QEMU's DTBs and the real
# boards', each against every shipped layout), vgic (guest programs run on
# the vGIC model, tests/fuzz/fuzz_vgic.c), vuart (guest programs and keys on
# a virtual console, tests/fuzz/fuzz_vuart.c), pci (a cell's ECAM accesses on
# pci_config.c, tests/fuzz/fuzz_pci.c), trap (a cell's synchronous traps from
# guest_trap_sync() down: aborts and MMIO, system registers and set/way, PSCI,
# hypercalls, doorbells, management, on a two-cell model, tests/fuzz/fuzz_trap.c).
# Findings (crash, hang, leak, sanitizer report, broken invariant) land in
# $(BUILD)/fuzz/findings/ and fail the run.

BUILD ?= build
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -Iinclude -DBULKHEAD_HOST \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

include tools/tools.mk

FUZZ := $(BUILD)/fuzz
FUZZ_SRCS := tests/fuzz/fuzz_layout.c tests/fuzz/fuzz_log.c tools/spin_host.c $(LAYOUT_SRCS) $(PLATFORM_SRCS) \
	$(GUEST_DT_SRCS)
FUZZ_VUART_SRCS := tests/fuzz/fuzz_vuart.c tests/fuzz/fuzz_log.c tools/spin_host.c partitions/vuart.c partitions/vuart_tx.c lib/caret.c lib/spinlock.c
FUZZ_PCI_SRCS := tests/fuzz/fuzz_pci.c tests/fuzz/fuzz_log.c tools/spin_host.c partitions/pci_config.c partitions/pci_caps.c \
	partitions/pci_intx.c
# The vGIC model, as the unit tests build it (tests/unit/unit.mk VGIC_MODEL_SRCS).
FUZZ_VGIC_SRCS := tests/fuzz/fuzz_vgic.c tests/fuzz/fuzz_log.c tools/spin_host.c gic/vgic.c gic/vgic_lr.c gic/vgic_lr_let_go.c gic/vgic_lr_holder.c \
	gic/vgic_bank.c gic/vgic_dist.c gic/vgic_redist.c lib/spinlock.c
# The trap path, real from guest_trap_sync() down, on the model of tests/fuzz/trap_model.c
# (which includes partitions/shm.c and fault.c itself, to reset their statics per input).
FUZZ_TRAP_SRCS := tests/fuzz/fuzz_trap.c tests/fuzz/trap_model.c tests/fuzz/trap_stubs.c \
	tests/fuzz/trap_end.c tests/fuzz/fuzz_log.c tools/spin_host.c arch/arm64/guest_trap.c arch/arm64/guest_inject.c \
	arch/arm64/guest_abort.c arch/arm64/guest_trap_unhandled.c arch/arm64/sysreg_trap.c \
	arch/arm64/set_way.c arch/arm64/esr.c partitions/mmio.c partitions/hypercall.c \
	partitions/vpsci.c partitions/manage.c partitions/cell_table.c lib/owned_lock.c lib/spinlock.c
FUZZ_DEPS := $(FUZZ_SRCS) $(wildcard include/*.h boot/*.h) partitions/layout_internal.h \
	partitions/guest_dt_internal.h tests/fuzz/fuzz.mk
# The reference DTBs: QEMU virt (tests/unit/unit.mk dtbs; tests/fuzz/run adds the real
# boards through FUZZ_BOARD_DTBS in the environment) and every shipped layout.
FUZZ_BOARD_DTB := $(BUILD)/unit/dtbs/virt-gicv3-smmuv3.dtb
FUZZ_LAYOUT_DTBS := $(subst $(eval) ,:,$(abspath $(LAYOUT_CONFIG_DTBS)))

.PHONY: all run
.DEFAULT_GOAL := all

all: $(FUZZ)/fuzz_layout $(FUZZ)/fuzz_board $(FUZZ)/fuzz_vgic $(FUZZ)/fuzz_vuart $(FUZZ)/fuzz_pci \
	$(FUZZ)/fuzz_trap \
	$(FUZZ_BOARD_DTB) \
	layout-dtbs

$(FUZZ)/fuzz_layout: $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_BOARD_DTBS='"$(abspath $(FUZZ_BOARD_DTB))"' \
		-o $@ $(FUZZ_SRCS) -lfdt

$(FUZZ)/fuzz_board: $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_BOARD -DFUZZ_LAYOUT_DTBS='"$(FUZZ_LAYOUT_DTBS)"' \
		-o $@ $(FUZZ_SRCS) -lfdt

$(FUZZ)/fuzz_vgic: $(FUZZ_VGIC_SRCS) $(wildcard include/*.h gic/*.h) tests/fuzz/fuzz_program.h tests/fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iarch/arm64/include -o $@ $(FUZZ_VGIC_SRCS)

$(FUZZ)/fuzz_vuart: $(FUZZ_VUART_SRCS) $(wildcard include/*.h) tests/fuzz/fuzz_program.h tests/fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iarch/arm64/include -o $@ $(FUZZ_VUART_SRCS)

$(FUZZ)/fuzz_pci: $(FUZZ_PCI_SRCS) $(wildcard include/*.h) partitions/pci_priv.h tests/fuzz/fuzz_program.h tests/fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iarch/arm64/include -Ipartitions -DBULKHEAD_PCI_CFG_FAKE \
		-o $@ $(FUZZ_PCI_SRCS)

$(FUZZ)/fuzz_trap: $(FUZZ_TRAP_SRCS) partitions/shm.c partitions/fault.c partitions/fault_log.c $(wildcard include/*.h \
	arch/arm64/include/*.h partitions/*.h tests/fuzz/*.h) tests/fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iarch/arm64/include -Ipartitions -o $@ $(FUZZ_TRAP_SRCS)

$(FUZZ_BOARD_DTB):
	$(MAKE) -f tests/unit/unit.mk BUILD=$(BUILD) dtbs

run: all
	/usr/bin/python3 tests/fuzz/run --build $(BUILD) --seconds $(FUZZ_SECONDS)
