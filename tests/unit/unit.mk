# SPDX-License-Identifier: GPL-2.0-only
# Host unit tests (cmocka), built and run under AddressSanitizer/UBSan.
#   make -f tests/unit/unit.mk BUILD=build all   build every test and its DTBs
#   make -f tests/unit/unit.mk BUILD=build run   ... and run them
#   make -f tests/unit/unit.mk BUILD=build dtbs  only the DTBs
# Each tests/unit/test_NAME.c becomes $(BUILD)/unit/test_NAME, linked with the
# real sources it tests (test_NAME_SRCS below) and UNIT_COMMON (the fake log
# and the DTB loader). DTBs are made at test time into $(BUILD)/unit/dtbs
# (QEMU's own by scripts/dump-dtbs, one-defect variants by
# tests/unit/make-broken-dtbs, tests/unit/dts/*.dts by dtc); the tests find
# them there, or in $BULKHEAD_DTB_DIR if set.

BUILD ?= build
# One spelling of BUILD, relative inside the tree: -MMD names each object in
# its .d file as $(BUILD) spelled it, so an object last built with an absolute
# BUILD (the scenarios' `make image`) kept its header dependencies from the
# next relative build, which then linked it stale.
override BUILD := $(patsubst $(CURDIR)/%,%,$(abspath $(BUILD)))
HOSTCC ?= gcc
UNIT_CFLAGS ?= -std=c11 -O1 -g -Wall -Wextra -Werror -Iinclude -Itests/unit \
	-fsanitize=address,undefined -fno-omit-frame-pointer -DBULKHEAD_HOST
UNIT_LIBS ?= -lcmocka -lfdt
# A sanitizer finding fails the test, however the binary is run. The include
# path matches the hypervisor build's.
override UNIT_CFLAGS += -fno-sanitize-recover=all -Iarch/arm64/include

UNIT := $(BUILD)/unit
DTBS := $(UNIT)/dtbs
UNIT_COMMON := tests/unit/fake_log.c tests/unit/unit_dtb.c tools/spin_host.c

# Real sources under test, one list per test.
test_platform_SRCS := boot/platform.c boot/platform_fdt.c boot/platform_gic.c boot/platform_dev.c \
	boot/platform_index.c boot/platform_ram.c
# The RAM EL2 maps: /memory less the no-map reserved memory, in whole pages.
test_platform_ram_SRCS := boot/platform_ram.c boot/platform_index.c
# The board DTB index, compared lookup by lookup with libfdt.
test_platform_index_SRCS := boot/platform_index.c
# include/dt_cells.h alone, compared with the libfdt functions it stands in for.
test_dt_cells_SRCS :=
test_pgtable_SRCS := arch/arm64/pgtable.c arch/arm64/pgtable_vtcr.c tests/unit/fake_tlb.c
# The EL2 map's lock when a CPU is lost inside a change of the map: the test includes
# arch/arm64/mmu.c, and plays the CPUs and the TLB maintenance (a fault taken there).
test_mmu_SRCS := arch/arm64/pgtable.c lib/owned_lock.c tests/unit/fake_cpus.c
test_esr_SRCS := arch/arm64/esr.c
# A cell's stage 2: the attributes of each kind of mapping, and the CPU's side (the test's
# system registers, SEV and TLBI).
test_stage2_SRCS := arch/arm64/stage2.c arch/arm64/pgtable.c arch/arm64/pgtable_vtcr.c \
	tests/unit/fake_tlb.c
# Where an SError goes (a cell's: its on-fault policy, its syndrome decoded, no FAR; EL2's: the
# CPU parks), against the test's stand-ins for the vCPU, vGIC, fault and park code.
test_exception_SRCS := arch/arm64/exception.c arch/arm64/guest_trap_unhandled.c arch/arm64/esr.c
# Which CPUs are online after bring-up, and why the others are not (the test's cpu_locals).
test_cpu_state_SRCS := arch/arm64/cpu_state.c
# Which lines of the cell a guest's DC CISW names, and how many one trap cleans (the test counts).
test_set_way_SRCS := arch/arm64/set_way.c
# A cell's trapped system registers: ID registers less what it is not given, what is UNDEFINED,
# its OS lock (the test's CPU registers, host_read_sysreg()).
test_sysreg_trap_SRCS := arch/arm64/sysreg_trap.c arch/arm64/esr.c
# Each CPU's speculation mitigations, from its ID registers and its firmware's answers.
test_spectre_SRCS := arch/arm64/spectre_plan.c
# What an injected exception and a skipped instruction do to the guest's PSTATE
# (arch/arm64/include/sysreg_trap.h: inline functions, no other source).
test_guest_exception_SRCS :=
# Virtual PL011: the real emulator, printing into a recording fake console.
test_vuart_SRCS := partitions/vuart.c partitions/vuart_tx.c lib/caret.c lib/spinlock.c tests/unit/fake_console.c
# The console's input escape (Ctrl-] and a key) against the real virtual PL011; the test
# includes partitions/console_mux.c itself, to start each test from its boot state.
test_console_mux_SRCS := partitions/vuart.c partitions/vuart_tx.c lib/caret.c lib/spinlock.c \
	tests/unit/fake_console.c
# vGIC model: the distributor/redistributor emulation and list-register logic.
VGIC_MODEL_SRCS := gic/vgic.c gic/vgic_lr.c gic/vgic_lr_let_go.c gic/vgic_lr_holder.c gic/vgic_bank.c gic/vgic_dist.c gic/vgic_redist.c lib/spinlock.c
# The model through list registers the tests play (vgic_fixture.c), one test per topic.
VGIC_FIXTURE_TESTS := test_vgic_lr test_vgic_linked test_vgic_handback test_vgic_vcpus \
	test_vgic_foreign test_vgic_sgi
$(foreach t,$(VGIC_FIXTURE_TESTS),$(eval $(t)_SRCS := $(VGIC_MODEL_SRCS) tests/unit/vgic_fixture.c))
test_vgic_regs_SRCS := $(VGIC_MODEL_SRCS)
# ... the same at the edge of each rule (sizes, routes, configured INTIDs).
test_vgic_edges_SRCS := $(VGIC_MODEL_SRCS)
# The vGIC's hardware side over the model, on a model of the CPU's virtual interface: GICv3's
# ICH_*_EL2 (the test's host_read_sysreg/host_write_sysreg) and GICv2's GICH frame (an array).
test_vgic_hw_SRCS := gic/vgic_hw.c gic/vgic_hw_cell.c gic/vgic_hw_v3.c gic/vgic_hw_v2.c \
	$(VGIC_MODEL_SRCS)
# A cell's SPIs set up, started and stopped, a vCPU's reset (gic/vgic_hw_cell.c), over the model;
# the physical GIC and direct mode recorded by the test.
test_vgic_hw_cell_SRCS := gic/vgic_hw_cell.c $(VGIC_MODEL_SRCS)
test_vgic_spis_SRCS := $(VGIC_MODEL_SRCS)
# Which vCPUs a register access makes look again at their next fill.
test_vgic_touch_SRCS := $(VGIC_MODEL_SRCS)
# Direct mode's write-through to a physical GIC of arrays, through the real dispatcher and model.
test_vgic_direct_SRCS := gic/vgic_direct.c gic/vgic_direct_cpuif.c gic/vgic_hw_access.c gic/gicv3_icfgr.c lib/owned_lock.c \
	tests/unit/fake_cpus.c \
	$(VGIC_MODEL_SRCS)
# An emulated cell's trapped accesses through the real dispatcher and model: which writes re-route
# the physical SPIs (a recording vgic_hw_route_spi()), which vCPUs a kick reaches (gic_kick()).
test_vgic_hw_access_SRCS := gic/vgic_hw_access.c lib/owned_lock.c tests/unit/fake_cpus.c $(VGIC_MODEL_SRCS)
# A trapped access another vCPU's list registers hold: made again once they synced, each
# kicked (the test's vgic_hw_kick_mask()), or given up on after the wait (the test's counter).
test_vgic_hold_SRCS := gic/vgic_hold.c $(VGIC_MODEL_SRCS)
# A direct cell's trapped ICC_PMR_EL1 and co: the squeeze into the physical mask, on the test's
# CPU registers (host_read_sysreg/host_write_sysreg).
test_vgic_direct_cpuif_SRCS := gic/vgic_direct_cpuif.c
# The lock whose word is its holder, with the CPUs (which runs, which parked) played by the test.
test_owned_lock_SRCS := lib/owned_lock.c tests/unit/fake_cpus.c
# The SMMUv3 driver against a model of its registers and queues (smmu_model.c, stepped by the
# fixture's arch_cpu_relax()), one test per topic: bring-up, events, streams, command queue,
# two-level stream table.
SMMU_TEST_SRCS := smmu/smmuv3.c smmu/smmu_init.c smmu/smmu_strtab.c smmu/smmu_cmdq.c smmu/smmu_events.c \
	smmu/smmu_event_report.c \
	smmu/smmu_gerror.c lib/owned_lock.c tests/unit/fake_cpus.c tests/unit/smmu_model.c \
	tests/unit/smmu_fixture.c
SMMU_TESTS := test_smmu_init test_smmu_events test_smmu_streams test_smmu_cmdq test_smmu_strtab
$(foreach t,$(SMMU_TESTS),$(eval $(t)_SRCS := $(SMMU_TEST_SRCS)))
$(UNIT)/obj/tests/unit/test_smmu_%.o $(UNIT)/obj/tests/unit/smmu_model.o \
$(UNIT)/obj/tests/unit/smmu_fixture.o: override UNIT_CFLAGS += -Ismmu
$(UNIT)/obj/tests/unit/test_uart.o $(UNIT)/obj/lib/uart_meson.o $(UNIT)/obj/lib/uart_pl011.o \
	$(UNIT)/obj/lib/uart_cdns.o $(UNIT)/obj/lib/uart_imx.o $(UNIT)/obj/lib/uart.o: \
	override UNIT_CFLAGS += -DUART_REG_MODEL
# PCI pass-through against a model of the functions behind the ECAM window (pci_model.c: the
# accessors of pci_priv.h, built with BULKHEAD_PCI_CFG_FAKE) and what the tests share
# (pci_fixture.c), one test per topic: the config-space filter, capabilities, BAR placement,
# which functions a cell may own, peer-to-peer and ACS, INTx, and the resets a guest starts,
# a stop or reload makes, and the first boot makes.
PCI_SRCS := partitions/pci.c partitions/pci_bar.c partitions/pci_peer.c partitions/pci_config.c \
	partitions/pci_caps.c partitions/pci_quiesce.c partitions/pci_reset.c partitions/pci_reset_boot.c \
	partitions/pci_intx.c
PCI_TESTS := test_pci_config test_pci_caps test_pci_bar test_pci_check test_pci_peer test_pci_intx \
	test_pci_guest_reset test_pci_stop_reset test_pci_boot_reset
$(foreach t,$(PCI_TESTS),$(eval $(t)_SRCS := $(PCI_SRCS) tests/unit/pci_model.c tests/unit/pci_fixture.c))
$(patsubst %.c,$(UNIT)/obj/%.o,$(PCI_SRCS)) $(UNIT)/obj/tests/unit/test_pci_%.o \
$(UNIT)/obj/tests/unit/pci_model.o $(UNIT)/obj/tests/unit/pci_fixture.o: \
	override UNIT_CFLAGS += -Ipartitions -DBULKHEAD_PCI_CFG_FAKE
# Loading a cell: its kernel where its Image header says, inside its boot RAM only (the test's
# memory, a host array, holds the cell's RAM, a neighbour's and the boot loader's windows).
test_cell_load_SRCS := partitions/cell_load.c partitions/kernel_image.c partitions/initrd.c \
	partitions/layout_boot_ram.c
# How much of an initrd window a cell is told about.
test_initrd_SRCS := partitions/initrd.c
# What the boot says of a kernel window that holds no arm64 Image.
test_kernel_image_SRCS := partitions/kernel_image.c
# The physical GIC driver's host-testable parts, on a distributor that is an array, and the
# GICv2 list registers (a GICH frame that is an array).
test_gic_SRCS := gic/gicv3_icfgr.c gic/gicv3_redist.c gic/vgic_hw_v2.c lib/owned_lock.c
# The console's transmit queue on a slow UART (the test's uart_tx_room/uart_tx_byte), and
# the virtual PL011 writing into it.
test_console_SRCS := lib/console.c lib/console_tx.c partitions/vuart.c partitions/vuart_tx.c \
	lib/caret.c lib/spinlock.c tests/unit/console_wire.c
# ... and on a UART that never sends, and with a CPU reporting a fault (console_panic_enter()).
test_console_faults_SRCS := $(test_console_SRCS)
# ... and with a CPU that faults inside the queue itself (a share pointer that faults).
test_console_panic_SRCS := $(test_console_SRCS)
# What the cell with the keyboard may send to the terminal: lib/caret.c alone.
test_console_caret_SRCS := lib/caret.c
# The console UART drivers on register files in memory.
test_uart_SRCS := lib/uart.c lib/uart_16550.c lib/uart_meson.c lib/uart_pl011.c lib/uart_cdns.c \
	lib/uart_imx.c lib/owned_lock.c
# The hypervisor's strtoul, renamed so the test can compare it with the C library's.
test_stdlib_SRCS := lib/stdlib.c
$(UNIT)/obj/lib/stdlib.o: override UNIT_CFLAGS += -Dstrtoul=bh_strtoul
# The hypervisor's log, renamed so the test links it beside the fake log (UNIT_COMMON).
test_log_SRCS := lib/log.c
$(UNIT)/obj/lib/log.o: override UNIT_CFLAGS += \
	-Dlog_vprintf=bh_log_vprintf -Dlog_printf=bh_log_printf -Dpanic=bh_panic
# The shell's fault log, against the test's stand-ins for the arch and cell code. The test
# includes partitions/fault.c and fault_log.c itself: it sets the report counters where a
# storm of 2^32 faults would leave them. With the ESR decoding its stage-2 reports carry.
test_fault_SRCS := arch/arm64/esr.c lib/owned_lock.c lib/spinlock.c tests/unit/fake_cpus.c
# A cell's stage-2 aborts that are not emulated MMIO: whose they are, what their reports say and
# what becomes of the cell (arch/arm64/guest_abort.c). The test includes partitions/fault.c
# itself, to start each test with fresh report counters.
test_guest_abort_SRCS := arch/arm64/guest_abort.c arch/arm64/esr.c lib/owned_lock.c \
	lib/spinlock.c tests/unit/fake_cpus.c
# A cell's synchronous traps as guest_trap.c decodes them (MMIO replay, HVC/SMC, SGIs, WFI),
# against the test's devices, handlers and CPU registers.
test_guest_trap_SRCS := arch/arm64/guest_trap.c arch/arm64/esr.c
# Which SMCs are answered (the standard services: NOT_SUPPORTED) and which refused and reported.
test_hypercall_SRCS := partitions/hypercall.c
# A guest's PSCI: CPU_ON and AFFINITY_INFO reach the caller's own vCPUs, CPU_ON enters only in
# its RAM and only while it runs (the test's GIC records kicks).
test_vpsci_SRCS := partitions/vpsci.c partitions/cell_table.c
$(UNIT)/obj/tests/unit/test_vpsci.o: override UNIT_CFLAGS += -Ipartitions
# Which emulated device a trapped access reaches, and where each frame ends (the test's devices).
test_mmio_SRCS := partitions/mmio.c
# The doorbell hypercall: who may ring whom, and the rate limit (the test's vGIC records rings).
test_shm_SRCS := partitions/shm.c partitions/cell_table.c
$(UNIT)/obj/tests/unit/test_shm.o: override UNIT_CFLAGS += -Ipartitions
# The cells' life cycle, one host thread playing every CPU (lifecycle_cpus.c) over the test's
# devices and image loader (lifecycle_fixture.c), one test per topic: stops queued during a
# transition, a restart's load in steps, starts, a CPU lost, a lock a lost CPU holds, and the
# management calls.
LIFECYCLE_SRCS := partitions/cell.c partitions/cell_reload.c partitions/cell_vcpus_out.c \
	partitions/cell_loop.c partitions/cell_table.c partitions/manage.c partitions/cell_storm.c partitions/cell_lost.c \
	gic/vgic_dump.c lib/spinlock.c tests/unit/lifecycle_cpus.c tests/unit/lifecycle_fixture.c
LIFECYCLE_TESTS := test_lifecycle_queue test_lifecycle_steps test_lifecycle_start test_lifecycle_lost \
	test_lifecycle_locks test_lifecycle_manage
$(foreach t,$(LIFECYCLE_TESTS),$(eval $(t)_SRCS := $(LIFECYCLE_SRCS)))
$(UNIT)/obj/tests/unit/test_lifecycle_%.o $(UNIT)/obj/tests/unit/lifecycle_cpus.o \
$(UNIT)/obj/tests/unit/lifecycle_fixture.o: override UNIT_CFLAGS += -Ipartitions
# The hypervisor shell, typed into byte by byte, on a real cell table (its cell_get(), state
# names and memstat_log()), against the test's stand-ins for the management calls, the dumps
# and the CPUs' event counters. The test includes partitions/shell.c itself, to start each
# test from its boot state (its line and stats base are static).
test_shell_SRCS := partitions/cell_table.c
$(UNIT)/obj/tests/unit/test_shell.o: override UNIT_CFLAGS += -Ipartitions
# The system halt when the firmware leaves the board on: every CPU parks, out of the guest.
test_halt_SRCS := partitions/halt.c
# Building the cells at boot when a CPU a cell names is not online (the test's arch and devices).
test_cell_create_SRCS := partitions/cell_create.c partitions/cell_table.c
$(UNIT)/obj/tests/unit/test_cell_create.o: override UNIT_CFLAGS += -Ipartitions
# The EL2 timer shared by the console's lone ESC and the watchdog's check on one CPU.
test_hyp_timer_SRCS := partitions/hyp_timer.c
# Cell watchdogs' check period and deadline, with long timeouts, against the test's timer.
test_watchdog_SRCS := partitions/watchdog.c
# The hypervisor's printf, renamed so the test can compare it with the C library's.
test_printf_SRCS := lib/printf.c
$(UNIT)/obj/lib/printf.o: override UNIT_CFLAGS += -Dvsnprintf=bh_vsnprintf -Dsnprintf=bh_snprintf \
	-D_POSIX_C_SOURCE=200809L
# Translation tables are arch code: the test and its sources see arch/arm64/include.
$(UNIT)/obj/arch/arm64/pgtable.o $(UNIT)/obj/arch/arm64/pgtable_vtcr.o $(UNIT)/obj/tests/unit/fake_tlb.o \
$(UNIT)/obj/tests/unit/test_pgtable.o: override UNIT_CFLAGS += -Iarch/arm64/include

# Layout parser: the real layout and platform code, with what the tests share (layout_fixture.c:
# QEMU virt's board, the layout DTBs of tools/tools.mk), one test per topic: the layout DTB
# itself, a cell's interrupts, where its memory and MMIO lie, which board nodes it may have, its
# DMA, and the checks made once the GIC's lines are known (direct mode's spare SPIs).
include tools/tools.mk
LAYOUT_TESTS := test_layout_parse test_layout_irqs test_layout_memory test_layout_devices \
	test_layout_dma test_layout_direct
$(foreach t,$(LAYOUT_TESTS),$(eval $(t)_SRCS := $(LAYOUT_SRCS) $(PLATFORM_SRCS) tests/unit/layout_fixture.c))
$(UNIT)/obj/tests/unit/unit_dtb.o: override UNIT_CFLAGS += \
	-DLAYOUT_DTB_DIR='"$(abspath $(LAYOUT_DTB_DIR))"'
all: layout-dtbs

# "did you mean" for an unknown property: the edit distance alone.
test_layout_suggest_SRCS := partitions/layout_suggest.c

# Guest device tree: built for the cells the real layout parser makes of configs/qemu-virt.
test_guest_dt_SRCS := $(GUEST_DT_SRCS) \
	$(LAYOUT_SRCS) $(PLATFORM_SRCS)
$(UNIT)/obj/tests/unit/test_guest_dt.o: override UNIT_CFLAGS += \
	-DGUEST_DT_OUT_DIR='"$(abspath $(UNIT)/guest-dt)"'
# Trees start in 256 bytes here, not 64 KiB, so every test also grows them.
$(UNIT)/obj/partitions/guest_dt_write.o: override UNIT_CFLAGS += -DGUEST_DT_FIRST_SIZE=256

UNIT_TESTS := $(sort $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c)))
UNIT_BINS := $(addprefix $(UNIT)/,$(UNIT_TESTS))

.PHONY: all run dtbs clean
.DEFAULT_GOAL := all

all: $(UNIT_BINS) dtbs

run: all
	@fail=0; for t in $(UNIT_BINS); do \
		echo "== $$t"; $$t || fail=1; \
	done; exit $$fail

$(UNIT)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -DUNIT_DTB_DIR='"$(abspath $(DTBS))"' -MMD -MP -c $< -o $@

# unit_test(name): link test_NAME from its own file, its sources and UNIT_COMMON.
define unit_test
$(1)_OBJS := $$(patsubst %.c,$(UNIT)/obj/%.o,tests/unit/$(1).c $$($(1)_SRCS) $(UNIT_COMMON))
$(UNIT)/$(1): $$($(1)_OBJS)
	$(HOSTCC) $(UNIT_CFLAGS) -o $$@ $$^ $(UNIT_LIBS)
-include $$($(1)_OBJS:.o=.d)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test,$(t))))

# --- DTBs, made at test time, never committed ---------------------------------
DTS_DTBS := $(patsubst tests/unit/dts/%.dts,$(DTBS)/%.dtb,$(wildcard tests/unit/dts/*.dts))

dtbs: $(DTBS)/.qemu $(DTBS)/.broken $(DTS_DTBS)

$(DTBS)/.qemu: scripts/dump-dtbs $(QEMU_VERSION)
	scripts/dump-dtbs $(DTBS)
	@touch $@

$(DTBS)/.broken: tests/unit/make-broken-dtbs $(DTBS)/.qemu $(DTS_DTBS)
	tests/unit/make-broken-dtbs $(DTBS)
	@touch $@

$(DTBS)/%.dtb: tests/unit/dts/%.dts
	@mkdir -p $(@D)
	dtc -q -I dts -O dtb -o $@ $<
# Variants of board-virt-sids.dts that /include/ it.
$(DTBS)/board-two-smmus.dtb $(DTBS)/board-iommu-map-mask.dtb $(DTBS)/broken-iommu-map-mask.dtb \
	$(DTBS)/board-iommu-map-two-ranges.dtb $(DTBS)/broken-iommu-map-too-many.dtb \
	$(DTBS)/broken-iommu-map-length-0.dtb $(DTBS)/broken-iommu-map-rid-overflow.dtb \
	$(DTBS)/broken-iommu-map-stream-overflow.dtb $(DTBS)/broken-iommu-map-overlap.dtb \
	$(DTBS)/board-disabled-device.dtb $(DTBS)/board-hyp-irqs.dtb $(DTBS)/board-irq-nexus.dtb \
	$(DTBS)/board-reserved-mmio.dtb $(DTBS)/board-pci-low-window.dtb \
	$(DTBS)/board-pci-narrow-bus-range.dtb $(DTBS)/board-pci-root-port.dtb $(DTBS)/board-gic-4-cells.dtb \
	$(DTBS)/board-sid-wide.dtb $(DTBS)/board-gic-elsewhere.dtb $(DTBS)/board-hyp-pages.dtb \
	$(DTBS)/board-iommu-0-cells.dtb $(DTBS)/board-known-masters.dtb: \
	tests/unit/dts/board-virt-sids.dts
$(DTBS)/board-iommu-map-other-smmu.dtb: tests/unit/dts/board-two-smmus.dts \
	tests/unit/dts/board-virt-sids.dts
# Variants of board-minimal.dts that /include/ it.
$(DTBS)/broken-psci-16550-console.dtb $(DTBS)/broken-psci-second-pl011-console.dtb \
	$(DTBS)/broken-stdout-cadence-only.dtb $(DTBS)/broken-psci-0.1.dtb: \
	tests/unit/dts/board-minimal.dts

clean:
	rm -rf $(UNIT)
