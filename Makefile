# SPDX-License-Identifier: GPL-2.0-only
# Bulkhead: a static partitioning hypervisor for 64-bit Arm.
# `make help` lists every target.

CROSS_COMPILE ?= aarch64-linux-gnu-
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
HOSTCC ?= gcc
PYTHON := /usr/bin/python3

BUILD := build
# One spelling of BUILD, relative inside the tree: -MMD names each object in
# its .d file as $(BUILD) spelled it, so an object last built with an absolute
# BUILD (the scenarios' `make image`) kept its header dependencies from the
# next relative build, which then linked it stale.
override BUILD := $(patsubst $(CURDIR)/%,%,$(abspath $(BUILD)))
# V=1 shows every command.
Q := $(if $(V),,@)
CACHE := .cache
# make test's builds use every core (CI has 2); the tests run one at a time.
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
VERSION := 0.1-$(shell git describe --always --dirty 2>/dev/null || echo unknown)

# Debian's arm64 libfdt-dev, unpacked by scripts/fetch-libfdt (never committed).
LIBFDT := $(CACHE)/libfdt-arm64
LIBFDT_A := $(LIBFDT)/usr/lib/aarch64-linux-gnu/libfdt.a
LIBFDT_INC := $(LIBFDT)/usr/include

HYP_DIRS := boot arch/arm64 lib partitions gic smmu
HYP_C := $(sort $(foreach d,$(HYP_DIRS),$(wildcard $(d)/*.c)))
HYP_S := $(sort $(foreach d,$(HYP_DIRS),$(wildcard $(d)/*.S)))

GCC_INC := $(shell $(CC) -print-file-name=include 2>/dev/null)
HYP_CFLAGS := -std=c11 -g -Wall -Wextra -Werror -ffreestanding -nostdinc \
	-isystem $(GCC_INC) -Iinclude/libc -Iinclude -Iarch/arm64/include \
	-isystem $(LIBFDT_INC) \
	-fpie -mno-outline-atomics -mgeneral-regs-only -mstrict-align -fno-stack-protector \
	-fno-common -ffunction-sections -fdata-sections -MMD -MP -include include/hidden.h \
	-DBULKHEAD_VERSION='"$(VERSION)"'
HYP_ASFLAGS := -Iinclude -Iarch/arm64/include -MMD -MP -D__ASSEMBLY__
# Optimisation by path: -O2 for what runs on every trap, interrupt and hypercall
# (docs/performance.md, "Optimisations" 4); -Os for the rest (boot, layout
# parsing and validation, guest DT generation, printing), which runs once.
HYP_HOT := arch/arm64/exception.c arch/arm64/guest_trap.c arch/arm64/vcpu.c \
	arch/arm64/cpu.c arch/arm64/cpu_state.c arch/arm64/tlb.c arch/arm64/smp.c arch/arm64/sysreg_trap.c arch/arm64/set_way.c \
	$(filter-out gic/vgic_dump.c gic/vgic_hw_cell.c,$(wildcard gic/*.c)) partitions/hypercall.c partitions/vpsci.c partitions/vuart.c \
	partitions/vuart_tx.c partitions/mmio.c partitions/shm.c partitions/cell.c partitions/cell_reload.c \
	partitions/cell_vcpus_out.c partitions/cell_loop.c partitions/cell_table.c lib/string.c
# Spectre-v1: a switch on a value a guest chose (a trapped register, an MMIO
# offset, a function ID) must not become a table indexed after a bounds check
# the CPU may mispredict (docs/traps.md, "Speculation"): compare trees instead.
HYP_GUEST_SWITCH := arch/arm64/sysreg_trap.c arch/arm64/guest_trap.c arch/arm64/guest_abort.c \
	arch/arm64/spectre.c arch/arm64/esr.c \
	gic/vgic_dist.c gic/vgic_redist.c gic/vgic_bank.c partitions/hypercall.c \
	partitions/vpsci.c partitions/manage.c partitions/shm.c partitions/vuart.c \
	partitions/mmio.c partitions/pci_config.c partitions/pci_caps.c
hyp_opt = $(if $(filter $(1),$(HYP_HOT)),-O2,-Os) \
	$(if $(filter $(1),$(HYP_GUEST_SWITCH)),-fno-jump-tables -fno-tree-switch-conversion)
# A static position-independent image: boot/head.S applies its own
# R_AARCH64_RELATIVE relocations, so U-Boot may place it anywhere.
HYP_LDFLAGS := -nostdlib -static -pie --no-dynamic-linker -z text -z norelro \
	--gc-sections --build-id=none -T $(BUILD)/image.lds

# boot/main.c prints VERSION: a file rewritten only when it changes makes main.o follow it.
VERSION_STAMP := $(BUILD)/version
$(VERSION_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@

.PHONY: FORCE
FORCE:

# The linker script, through the preprocessor for the image's bound (include/layout_hyp.h).
$(BUILD)/image.lds: boot/image.lds Makefile
	@mkdir -p $(@D)
	@echo "  CPP     $@"
	$(Q)$(CC) -E -P -undef -x assembler-with-cpp -Iinclude -MMD -MP -MT $@ -MF $@.d $< -o $@

-include $(BUILD)/image.lds.d

# hyp_variant(name, extra CFLAGS): one hypervisor build in $(BUILD)/name.
define hyp_variant
$(1)_OBJS := $$(patsubst %.c,$(BUILD)/$(1)/%.o,$(HYP_C)) $$(patsubst %.S,$(BUILD)/$(1)/%.o,$(HYP_S))

$(BUILD)/$(1)/%.o: %.c Makefile | $(LIBFDT_A)
	@mkdir -p $$(@D)
	@echo "  CC      $(1)/$$<"
	$(Q)$$(CC) $(HYP_CFLAGS) $$(call hyp_opt,$$<) $(2) -c $$< -o $$@

$(BUILD)/$(1)/boot/main.o: $(VERSION_STAMP)

$(BUILD)/$(1)/%.o: %.S
	@mkdir -p $$(@D)
	@echo "  AS      $(1)/$$<"
	$(Q)$$(CC) $(HYP_ASFLAGS) $(2) -c $$< -o $$@

$(BUILD)/$(1)/bulkhead.elf: $$($(1)_OBJS) $(LIBFDT_A) $(BUILD)/image.lds
	@echo "  LD      $$@"
	$(Q)$$(LD) $(HYP_LDFLAGS) -Map $(BUILD)/$(1)/bulkhead.map -o $$@ $$($(1)_OBJS) $(LIBFDT_A)

$(BUILD)/$(1)/bulkhead.bin: $(BUILD)/$(1)/bulkhead.elf
	@echo "  IMAGE   $$@"
	$(Q)$$(OBJCOPY) -O binary $$< $$@

-include $$($(1)_OBJS:.o=.d)
endef

$(eval $(call hyp_variant,hyp,))
# A test build with deliberate faults, one per boot, chosen by bulkhead.test-fault=NAME in the
# bootargs (include/test_fault.h): by default an unexpected exception after boot.
$(eval $(call hyp_variant,hyp-testfault,-DBULKHEAD_TEST_FAULT))
# One cell slot less: `make size` weighs a cell's static state as the difference.
MAX_CELLS := $(shell sed -n 's/^\#define LAYOUT_MAX_CELLS \([0-9]*\).*/\1/p' include/layout.h)
$(eval $(call hyp_variant,hyp-less-cell,-DLAYOUT_MAX_CELLS=$(shell expr $(MAX_CELLS) - 1)))

.PHONY: all deps run test unit scenarios disk clean distclean help format-check cppcheck \
	doc-quotes
.DEFAULT_GOAL := all

all: $(BUILD)/hyp/bulkhead.bin ## build the hypervisor Image (build/hyp/bulkhead.bin)

$(LIBFDT_A):
	scripts/fetch-libfdt $(LIBFDT)

deps: ## install missing build and test packages (Debian 12, as root)
	scripts/setup-deps

disk: $(BUILD)/disk.img ## the U-Boot boot disk for QEMU (FAT: boot.scr + files)

$(BUILD)/disk.img: $(BUILD)/hyp/bulkhead.bin boot/boot.cmd scripts/mkdisk
	scripts/mkdisk $@ boot/boot.cmd $(BUILD)/hyp/bulkhead.bin

.PHONY: image fuzz
image: all tools ## package LAYOUT=configs/B/N.dts [GUESTS="label[:window]=file ... --empty label[:window]"] into build/image/N/ (boot.scr; QEMU: disk.img)
	$(if $(LAYOUT),,$(error make image needs LAYOUT=configs/BOARD/NAME.dts))
	scripts/mkimage --build $(BUILD) $(LAYOUT) $(BUILD)/image/$(basename $(notdir $(LAYOUT))) $(GUESTS)

fuzz: ## libFuzzer on the layout parser, board discovery, the vGIC model, the virtual console, the PCI config-space filter and a cell's traps for FUZZ_SECONDS (default 60) each; fails on any finding
	$(MAKE) -f tests/fuzz/fuzz.mk BUILD=$(BUILD) run FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

# The demo `make run` boots: two Linux cells (Debian's kernel + busybox) and a
# heartbeat cell. Kernel and busybox are downloaded once into .cache/guests.
# Another DEMO_LAYOUT gets the heartbeat guest in every cell (scripts/mkimage),
# unless DEMO_GUESTS="label=file ..." says otherwise: the labels below are
# the default layout's.
DEMO_DEFAULT := configs/qemu-virt/linux-two-plus-one.dts
DEMO_LAYOUT ?= $(DEMO_DEFAULT)
DEMO_INITRD := $(BUILD)/linux/initrd.cpio.gz
ifeq ($(DEMO_LAYOUT),$(DEMO_DEFAULT))
DEMO_GUESTS ?= linux2=$(CACHE)/guests/Image linux2:initrd=$(DEMO_INITRD) \
	linux1=$(CACHE)/guests/Image linux1:initrd=$(DEMO_INITRD) bare=$(BUILD)/guests/heartbeat.bin
endif

run: deps ## fetch the guests, build, boot the demo (DEMO_LAYOUT) in QEMU through U-Boot (Ctrl-] N: console of cell N; quit: Ctrl-A x)
	scripts/fetch-guests $(CACHE)/guests
	scripts/mkinitramfs $(CACHE)/guests $(DEMO_INITRD)
	$(MAKE) guests
	$(MAKE) image LAYOUT=$(DEMO_LAYOUT) GUESTS="$(DEMO_GUESTS)"
	scripts/qemu-run --disk $(BUILD)/image/$(basename $(notdir $(DEMO_LAYOUT)))/disk.img --gic 3 --smp 4

# Host tools (bulkhead-check) and compiled layouts.
include tools/tools.mk

# --- host tests -------------------------------------------------------------
unit: deps-quiet ## build and run the host unit tests
	$(PYTHON) tests/run-all --build $(BUILD) --only unit

test: deps ## install deps, build everything, run every test; prints "N passed, N failed"
	$(MAKE) -j$(JOBS) all $(BUILD)/hyp-testfault/bulkhead.bin
	$(PYTHON) tests/run-all --build $(BUILD)

scenarios: all $(BUILD)/hyp-testfault/bulkhead.bin ## only the QEMU scenarios
	$(PYTHON) tests/run-all --build $(BUILD) --only scenarios

# --- measurements (never part of `make test`) -------------------------------
SIZE_LAYOUT ?= configs/qemu-virt/demo.dts
.PHONY: bench size guests

guests: ## build the EL1 test and benchmark guests (build/guests/*.bin)
	$(MAKE) -f tests/guests/guests.mk BUILD=$(BUILD) all

bench: all guests ## benchmarks: the bench guest bare, in a cell and under Xen dom0less, icount and wall-clock (docs/performance.md)
	$(PYTHON) tests/bench/run_bench.py --build $(BUILD)

size: all $(BUILD)/hyp-less-cell/bulkhead.elf guests ## SLOC by folder, image sections, static memory, each feature's cost, a cell's cost and the memory in use after booting SIZE_LAYOUT (scripts/size-report)
	$(PYTHON) scripts/size-report --build $(BUILD) --elf $(BUILD)/hyp/bulkhead.elf \
		--image $(BUILD)/hyp/bulkhead.bin --map $(BUILD)/hyp/bulkhead.map \
		--less-cell $(BUILD)/hyp-less-cell/bulkhead.elf --boot $(SIZE_LAYOUT)

.PHONY: deps-quiet
deps-quiet:
	@true

# find, not git ls-files: a tree without .git (a tarball) would check nothing.
FORMAT_FILES = $(shell find arch boot gic include lib partitions smmu tools tests -name '*.[ch]')

format-check: ## clang-format --dry-run over every C file
	clang-format --dry-run -Werror $(FORMAT_FILES) </dev/null

cppcheck: ## cppcheck over the hypervisor and tools
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--inline-suppr -Iinclude $(HYP_DIRS) tools

doc-quotes: ## every message README.md and docs/ quote is still printed by the code
	$(PYTHON) tests/doc_quotes.py

clean: ## remove every generated file (downloads in .cache/ stay)
	rm -rf $(BUILD) tests/scenarios/__pycache__ tests/__pycache__ .pytest_cache

distclean: clean ## also remove downloaded packages
	rm -rf $(CACHE)

help: ## list targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort
