# SPDX-License-Identifier: GPL-2.0-only
# Bare-metal EL1 test guests (DESIGN.md section 8).
#   make -f tests/guests/guests.mk BUILD=build all
# Each tests/guests/NAME.c, linked with the runtime in tests/guests/lib/,
# becomes $(BUILD)/guests/NAME.bin: a position-independent arm64 Image
# (64-byte header, text_offset 0) that runs bare on QEMU virt at EL1
# (-kernel NAME.bin) and in a Bulkhead cell. GUEST_EXTRA_CFLAGS: more flags
# (a variant built into its own BUILD, as tests/scenarios/repro_victim_ticks.py does).

BUILD ?= build
# One spelling of BUILD, relative inside the tree: -MMD names each object in
# its .d file as $(BUILD) spelled it, so an object last built with an absolute
# BUILD (the scenarios' `make image`) kept its header dependencies from the
# next relative build, which then linked it stale.
override BUILD := $(patsubst $(CURDIR)/%,%,$(abspath $(BUILD)))
CROSS_COMPILE ?= aarch64-linux-gnu-
GUEST_CC := $(CROSS_COMPILE)gcc
GUEST_LD := $(CROSS_COMPILE)ld
GUEST_OBJCOPY := $(CROSS_COMPILE)objcopy

GUEST_OUT := $(BUILD)/guests
GUEST_GCC_INC := $(shell $(GUEST_CC) -print-file-name=include 2>/dev/null)
GUEST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdinc \
	-isystem $(GUEST_GCC_INC) -Itests/guests/lib \
	-fpie -fvisibility=hidden -mgeneral-regs-only -mstrict-align \
	-fno-stack-protector -fno-common -ffunction-sections -fdata-sections -MMD -MP \
	$(GUEST_EXTRA_CFLAGS)
GUEST_ASFLAGS := -Itests/guests/lib -MMD -MP -D__ASSEMBLY__
GUEST_LDFLAGS := -nostdlib -static -pie --no-dynamic-linker -z text -z norelro \
	--gc-sections --build-id=none --no-warn-rwx-segments \
	-T tests/guests/lib/image.lds

GUEST_LIB_SRCS := $(sort $(wildcard tests/guests/lib/*.c tests/guests/lib/*.S))
GUEST_LIB_OBJS := $(patsubst tests/guests/%,$(GUEST_OUT)/obj/%.o,$(GUEST_LIB_SRCS))
GUEST_NAMES := $(sort $(patsubst tests/guests/%.c,%,$(wildcard tests/guests/*.c)))
GUEST_BINS := $(addprefix $(GUEST_OUT)/,$(addsuffix .bin,$(GUEST_NAMES)))

.PHONY: all
.DEFAULT_GOAL := all

all: $(GUEST_BINS)

$(GUEST_OUT)/obj/%.c.o: tests/guests/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/obj/%.S.o: tests/guests/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_ASFLAGS) -c $< -o $@

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/obj/%.c.o $(GUEST_LIB_OBJS) tests/guests/lib/image.lds
	$(GUEST_LD) $(GUEST_LDFLAGS) -Map $(GUEST_OUT)/$*.map -o $@ $< $(GUEST_LIB_OBJS)

$(GUEST_OUT)/%.bin: $(GUEST_OUT)/%.elf
	$(GUEST_OBJCOPY) -O binary $< $@

# Keep objects and ELFs (symbols for debugging) that pattern rules would delete.
.SECONDARY:

-include $(GUEST_LIB_OBJS:.o=.d) $(GUEST_NAMES:%=$(GUEST_OUT)/obj/%.c.d)

# The benchmark guest once more for Xen's dom0less domU map (lib/platform.h),
# so `make bench` can run the same program under Xen (tests/bench/run_bench.py).
XEN_OUT := $(GUEST_OUT)/xen
XEN_LIB_OBJS := $(patsubst tests/guests/%,$(XEN_OUT)/obj/%.o,$(GUEST_LIB_SRCS))

all: $(XEN_OUT)/bench.bin

$(XEN_OUT)/obj/%.c.o: tests/guests/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -DGUEST_PLATFORM_XEN -c $< -o $@

$(XEN_OUT)/obj/%.S.o: tests/guests/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_ASFLAGS) -c $< -o $@

$(XEN_OUT)/%.elf: $(XEN_OUT)/obj/%.c.o $(XEN_LIB_OBJS) tests/guests/lib/image.lds
	$(GUEST_LD) $(GUEST_LDFLAGS) -Map $(XEN_OUT)/$*.map -o $@ $< $(XEN_LIB_OBJS)

-include $(XEN_LIB_OBJS:.o=.d) $(XEN_OUT)/obj/bench.c.d
