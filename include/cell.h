/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_CELL_H
#define BULKHEAD_CELL_H

#include <stdbool.h>
#include <stdint.h>
#include "layout.h"
#include "spinlock.h"
#include "vgic.h"
#include "vuart.h"

enum vcpu_power {
	VCPU_OFF,
	VCPU_ON_PENDING, /* CPU_ON accepted; its physical CPU has not entered it yet */
	VCPU_ON,
};

struct cell;

struct vcpu {
	struct cell *cell;
	unsigned int index;    /* within the cell: its virtual MPIDR Aff0 */
	unsigned int pcpu;     /* logical physical CPU that runs it */
	enum vcpu_power power; /* changed with __atomic: CPU_ON may race */
	uint64_t entry;	       /* where the next power-on enters (IPA) */
	uint64_t context;      /* x0 at that entry */
	bool big_endian;       /* enter with EL1 data big-endian: its CPU_ON caller's (PSCI) */
	bool in_guest;	       /* its physical CPU is between entry and cell_cpu_loop() */
	uint64_t entered_boot; /* the cell's boot it was last entered in; 0: none (its CPU's) */
};

/*
 * The values are the management ABI's (CELL_STATUS x1, docs/console.md).
 * STOPPING and LOADING belong to the one CPU that took the cell out of
 * STOPPED or RUNNING, under its lock (cell_stop_vcpus() in cell.c, post_request()
 * in manage.c); nothing else stops, starts or reloads it until that CPU
 * sets STOPPED or RUNNING again. A stop asked for meanwhile only changes
 * where it ends (struct cell's stop_why).
 */
enum cell_state {
	CELL_STOPPED,
	CELL_RUNNING,
	CELL_STOPPING, /* its vCPUs are being pulled out, its devices quiesced */
	CELL_LOADING,  /* its memory is scrubbed and reloaded; cell_start() ends it */
};

/* In struct cell's lost: a CPU of none of its vCPUs was lost holding its locks (lost_holder). */
#define CELL_LOST_OUTSIDE (1u << 31)
_Static_assert(LAYOUT_MAX_CPUS < 31, "struct cell's lost has a bit per vCPU and CELL_LOST_OUTSIDE");

/* A cell's locks, as struct cell's lost_locks names them. */
#define CELL_LOCK_CELL	(1u << 0)
#define CELL_LOCK_VGIC	(1u << 1)
#define CELL_LOCK_VUART (1u << 2)

struct cell_stage2 {
	void *pt;     /* struct pt, owned by the architecture */
	void *dma_pt; /* the SMMU's own tables, if it does not walk pt (arch_stage2_init()) */
	uint16_t vmid;
};

struct cell {
	const struct layout_cell *cfg;
	unsigned int id;
	enum cell_state state;
	/*
	 * At boot a CPU it names was not online, or a PCI function it names is
	 * not one a cell can own (cell_create.c): never built,
	 * STOPPED for good, and no start or restart is taken. Set once, before
	 * any other CPU looks.
	 */
	bool refused;
	/*
	 * The vCPUs (bit = index) whose physical CPU took an unexpected
	 * exception at EL2 and parks for good (cell_cpu_lost()): the cell is
	 * stopped (or, under on-fault halt-system, the system halted) and takes
	 * no start, restart or stop again ("failed" in the shell's list). A bit
	 * is set once, by that CPU, as its report starts, before it marks the
	 * locks it holds (cell_locks_lost()): whoever finds one marked finds the
	 * cell failed and its CPU here. Never cleared.
	 */
	uint32_t lost;
	/* The bits of lost whose CPU took up the cell's stop (cell_lost.c's lose_vcpu()). */
	uint32_t lost_stopping;
	/*
	 * A CPU outside the cell (the shell's, a management cell's, the
	 * console's) lost at EL2 holding its locks (CELL_LOCK_* bits in
	 * lost_locks): its index + 1, 0 if none. Set once, by that CPU, before
	 * it sets CELL_LOST_OUTSIDE in lost.
	 */
	unsigned int lost_holder, lost_locks;
	/* A failed cell's DMA stop claimed by one of its CPUs (cell_failed_dma_stop()). */
	bool failed_dma_stop;
	struct spinlock lock;
	struct cell_stage2 s2;
	struct vcpu vcpus[LAYOUT_MAX_CPUS];
	unsigned int nr_vcpus;
	uint64_t entry_ipa, dtb_ipa; /* kernel entry, guest DTB */
	uint64_t initrd_ipa, initrd_size;
	uint64_t boots, faults;
	uint64_t started_at;	 /* counter value at the last start */
	uint32_t quick_restarts; /* restarts in a row, each soon after its start (cell_storm.c) */
	uint64_t quiet_boot;	 /* the boot whose life-cycle lines are left out, or 0 */
	uint32_t quick_cycles;	 /* stops in a row, each soon after its start (cell_storm.c) */
	uint64_t stopped_at;	 /* counter value at the last stop (cell_storm.c) */
	uint64_t entry_told;	 /* the boot whose first guest entry was logged; vCPU 0's CPU */
	uint64_t reload_began;	 /* counter value as the running boot's reload began; 0: boot #1 */
	/*
	 * The CPU that owns the cell's STOPPING or LOADING (enum cell_state),
	 * set under the lock as it takes the cell there, or takes the transition
	 * over (a deferred start, a lost CPU): a CPU the cell loses meanwhile
	 * leaves the transition to it (cell_lost.c). For a request not taken
	 * yet, the boot vCPU's CPU, which is to take it. Meaningless otherwise.
	 */
	unsigned int owner;
	int request;		 /* enum cell_request (include/manage.h), under lock */
	const char *request_why; /* who asked for it (a string literal), under lock */
	bool start_deferred;	 /* loaded, waiting for a vCPU to leave the guest; under lock */
	/*
	 * A start left to the owner's CPU, in its loop, while the cell's PCI
	 * resets end (pci_reset_left()): to vCPU 0's by the boot CPU
	 * (cell_first_start()), or by a reload to the CPU of the cell that
	 * carried it (cell_reload.c); taken once.
	 */
	bool start_left;
	/*
	 * A reload's scrub and load left to the owner's CPU, in its loop, its
	 * devices' DMA stopped (cell_reload.c, reload_left()); taken once. Where the
	 * load under way is (partitions/cell_load.c's phases, and how many bytes
	 * of the phase are done; where the kernel and the initrd go): a load's
	 * own, from cell_load_begin() on; but how much of the initrd window is
	 * passed, found by the first load, 0 until then.
	 */
	bool reload_left;
	struct cell_load_progress {
		unsigned int phase;
		uint64_t done;
		uint64_t kernel_off, kernel_copy, initrd_off, initrd_passed;
		bool whole; /* cell_load()'s: nothing between two steps, each as long as it can */
	} load;
	/*
	 * Why the transition under way ends STOPPED, or NULL: a stop's own reason,
	 * or one asked for while the cell restarted or started (manage.c queues
	 * it; its owner then stops the cell instead of running it). NULL while
	 * RUNNING or STOPPED. A string literal, under lock.
	 */
	const char *stop_why;
	/*
	 * Doorbells rung and not yet raised in the vGIC (partitions/shm.c): bit
	 * i = the region of cfg->shm[i], the boot they were rung for in the top
	 * half (its low 32 bits). Other cells' CPUs only set bits (and kick);
	 * the cell's own CPUs raise them. __atomic.
	 */
	uint64_t doorbells;
	unsigned int doorbell_vcpu; /* the vCPU the last raised doorbell went to: kicked first */
	uint64_t wdt_last_kick;	    /* counter value; 0 = watchdog not armed */
	bool wdt_armed;		    /* vCPU 0's CPU runs the watchdog's checks (watchdog.c) */
	struct vuart vuart;
	struct vgic_cell vgic; /* its interrupt controller (gic/vgic*.c) */
};

/*
 * Build every cell of @layout: stage 2, images, device trees
 * (partitions/cell_create.c). Boot CPU only. A cell naming a CPU that is
 * not online, or a PCI function that is absent or a bridge, is refused
 * (struct cell's refused) and the others built.
 */
int cells_create(const struct layout *layout, const struct platform *plat, const void *board_fdt);
unsigned int cells_count(void);
/* "running", "stopped", "stopping", "loading": as the shell's list shows them. */
const char *cell_state_name(enum cell_state state);
struct cell *cell_get(unsigned int id);
/*
 * The vCPU each physical CPU runs, or NULL: CPUs are bound to cells once, at
 * creation (partitions/cell_create.c); nothing writes it after that.
 */
extern struct vcpu *cells_pcpu_vcpu[PLATFORM_MAX_CPUS];
/* The vCPU physical CPU @pcpu runs, or NULL. Inline: every trap and interrupt asks. */
static inline struct vcpu *vcpu_of_pcpu(unsigned int pcpu)
{
	return pcpu < PLATFORM_MAX_CPUS ? cells_pcpu_vcpu[pcpu] : NULL;
}
/*
 * Start @cell's boot vCPU (others wait for the guest's PSCI CPU_ON); LOADING
 * becomes RUNNING. Or STOPPED, if a stop was queued while it loaded.
 */
void cell_start(struct cell *cell);
/*
 * Boot CPU, every cell loaded: @cell's first start, now (cell_start()), or,
 * if its PCI functions' first-boot reset is still to be waited for, by its
 * boot vCPU's CPU once the boot is done (partitions/cell_loop.c).
 */
void cell_first_start(struct cell *cell);
/*
 * Stop: every vCPU off; the calling vCPU does not return to the guest. Only
 * a running cell is stopped: one that another CPU is stopping, restarting
 * or loading is left to it. cell_stop_claimed() is for the CPU that already
 * took the cell from RUNNING to STOPPING (a request, partitions/manage.c).
 * cell_stop()'s @why is kept while it stops: a string literal.
 */
void cell_stop(struct cell *cell, const char *why);
void cell_stop_claimed(struct cell *cell, const char *why);
/*
 * For a cell whose CPU does not take its kick (a direct-mode guest holding off
 * the hypervisor's FIQs, docs/vgic.md): every vCPU turned off and the stage 2
 * revoked, so that its next instruction fetch traps and leaves the guest.
 * Its state stays; the request waiting for it then runs. Any CPU; nothing
 * once that CPU took the request. Returns whether it acted.
 */
bool cell_force_out(struct cell *cell);
/* Reload the pristine image, regenerate the DT, start again; as cell_stop(). */
void cell_restart(struct cell *cell, const char *why);
void cell_restart_claimed(struct cell *cell, const char *why);
/* The second half of a restart, for a cell this CPU took to LOADING; on one of its CPUs. */
void cell_reload_and_start(struct cell *cell, const char *why);
/*
 * A stop queued (manage.c) on a loaded cell whose start waits for a vCPU
 * that outlasted its stop (start_deferred cleared under the lock by the
 * caller, who now owns the transition): the cell is STOPPED instead.
 */
void cell_stop_deferred_start(struct cell *cell);
/*
 * This CPU took an unexpected exception at EL2 and parks for good
 * (arch/arm64/exception.c, after its report): the cell whose vCPU it runs
 * loses it, and is stopped for good, from here. Nothing if it runs none.
 * Returns; the caller parks. Again on the same CPU (a fault on the way):
 * nothing.
 */
void cell_cpu_lost(void);
/*
 * At the start of this CPU's fault report, before anything waits: its own
 * cell is failed (its vCPU's bit in lost), every cell's lock it holds (a
 * cell's, its vGIC's, its virtual UART's) is marked lost (spin_mark_lost()),
 * and a cell none of whose vCPUs it runs is failed (CELL_LOST_OUTSIDE);
 * cell_cpu_lost() then stops them. A CPU that waits for
 * such a lock is lost with it (cell_cpu_waits_lost()).
 */
void cell_locks_lost(void);
/*
 * A CPU that waits for such a lock (spin_lock()'s BRK, exception.c) is lost
 * with it. What it holds is marked first, either way: true, said, for its
 * loss as after a fault (cell_cpu_lost()); false if it was lost already (its
 * cell's stop meeting a lock it holds itself), and it just parks, a lock it
 * took on that way marked too.
 */
bool cell_cpu_waits_lost(void);

/*
 * After a CPU outside @cell (the shell's, a management cell's, the console's)
 * gave up on @what, one of its locks a lost CPU holds (spin_lock_unless_lost()):
 * said, with what was @undone; once a cell. The cell is failed: what the
 * caller wanted is refused for it anyway.
 */
void cell_lock_lost_say(const struct cell *cell, const char *what, const char *undone);

/*
 * Is @cell restarting itself in a loop, and would a restart now be one more
 * of it? Then the restart is counted but not told (cell_storm.c).
 */
bool cell_restart_storm(const struct cell *cell);
/* The life-cycle lines of boot @boot are left out (a restart storm's). */
bool cell_boot_quiet(const struct cell *cell, uint64_t boot);
/* Count one restart of @cell, which runs it; returns whether it is to be told. */
bool cell_restart_told(struct cell *cell, const char *why);
/*
 * A stop of @cell (@why), as it ends: counted as one of a run of stops and
 * starts (a management cell or the shell cycling it), which ends any run of
 * restarts; returns whether its line is to be told (cell_storm.c).
 */
bool cell_stop_told(struct cell *cell, const char *why);
/* @cell is started (reloaded) after a stop: a start that comes late ends a run of them. */
void cell_start_after_stop(struct cell *cell);

/* An IPA inside one of @cell's memory regions (and @size bytes from it)? */
bool cell_owns_ram(const struct cell *cell, uint64_t ipa, uint64_t size);
/* Images and DTB into @cell's memory (partitions/cell_load.c), memory scrubbed first. */
int cell_load(struct cell *cell, const struct platform *plat, const void *board_fdt);
/*
 * cell_load() in steps, each 0.1 ms under -icount (2 MiB of the scrub, 128
 * KiB of the kernel's or initrd's copy; the DTB in one): from
 * cell_load_begin(), the next step (1; 0 once the load is done; or -errno).
 */
void cell_load_begin(struct cell *cell);
int cell_load_step(struct cell *cell, const struct platform *plat, const void *board_fdt);
/* Once, before the first cell_load(): what it touches leaves the hypervisor's shared map
 * (partitions/cell_load_map.c). */
int cell_load_prepare(const struct cell *cell);
/* Every shared-memory region zeroed once, before any cell is created (boot CPU). */
int cells_zero_shared(const struct layout *layout);
/* Boot: how many of @cell's addresses the MMU found outside every EL2 map, or -EFAULT. */
int cell_load_check_hidden(const struct cell *cell);
/* GIC_SGI_KICK on this CPU: leave the guest if its vCPU was turned off. */
void cell_kick_handler(void);

/* Per physical CPU after boot: run whatever vCPU this CPU owns, forever. */
void cell_cpu_loop(unsigned int pcpu) __attribute__((noreturn));

#endif
