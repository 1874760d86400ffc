/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_VGIC_H
#define BULKHEAD_VGIC_H

#include <stdbool.h>
#include <stdint.h>
#include "layout.h"
#include "mmio.h"
#include "spinlock.h"

/*
 * Changes to this interface by the model's author (tell the hardware side):
 *  - vgic_dist_access()/vgic_redist_access() return a bitmask (>= 0) of the
 *    vCPUs to kick instead of plain 0 (test errors with "< 0"), and
 *    vgic_redist_access() takes the offset from LAYOUT_VGICR_BASE (all frames;
 *    the frame gives the vCPU) and returns -ENOENT past the last frame;
 *  - struct vgic_irq gained lr_latch/lr_source, struct vgic_vcpu lr_intid[]
 *    (model-private bookkeeping of what each list register holds);
 *  - VGIC_NO_TARGET, and the "model internals" section at the end, which
 *    only gic/vgic*.c use;
 *  - fill/sync must alternate strictly (fill before each entry, sync after
 *    each exit, before the exit is handled): see vgic_lr_fill();
 *  - the file is now clang-formatted (whitespace only elsewhere).
 *
 * A forwarded physical interrupt (hw = true) is best fed with
 * vgic_set_edge() on each physical IRQ, whatever its trigger: the physical
 * GIC keeps it active until the guest deactivates it through the LR.
 *
 * The virtual GIC of one cell, in two halves:
 *  - the model (gic/vgic.c, vgic_bank.c, vgic_dist.c, vgic_redist.c): pure
 *    state and register emulation, unit-tested on the host. It owns the
 *    architectural state of every interrupt the cell can see and decides
 *    which should be in a list register next;
 *  - the hardware interface (gic/vgic_hw.c, gic/vgic_hw_v3.c,
 *    gic/vgic_hw_v2.c): list registers, maintenance interrupt, trapped SGI
 *    generation, physical interrupts forwarded to the cell.
 * They meet only through the functions below.
 *
 * INTIDs the cell sees: SGIs 0-15 and PPIs 16-31 per vCPU, and the SPIs it
 * owns (its devices' and its virtual console's). Everything else reads as
 * zero and ignores writes; a write that would make it fire is reported.
 */

#define VGIC_NR_PRIVATE 32
#define VGIC_MAX_SPIS	48 /* SPIs one cell may own (LAYOUT_MAX_IRQS + console + LAYOUT_MAX_SHM) */
#define VGIC_MAX_INTID	1019
#define VGIC_MAX_LRS	16

#define VGIC_INTID_VUART  33 /* SPI 1: the virtual console (docs/guest-platform.md) */
#define VGIC_INTID_VTIMER 27 /* PPI 11: EL1 virtual timer */
#define VGIC_INTID_PTIMER 30 /* PPI 14: EL1 physical timer */

enum vgic_trigger {
	VGIC_LEVEL,
	VGIC_EDGE,
};

/* The architectural state of one virtual interrupt. */
struct vgic_irq {
	uint32_t intid;
	uint8_t priority;
	enum vgic_trigger trigger;
	bool group1;
	bool enabled;
	bool pending_latch; /* edge, or software-set pending (ISPENDR / SGI) */
	bool line_level;    /* level: the input line as the device/hardware drives it */
	bool active;
	bool hw; /* forwarded physical interrupt: deactivation goes to the physical GIC */
	uint32_t hw_intid;
	uint8_t target_vcpu;  /* SPIs: vCPU index resolved from IROUTER / ITARGETSR */
	uint64_t irouter;     /* v3 SPIs: as written */
	uint8_t itargetsr;    /* v2 SPIs: as written (only the cell's CPU bits kept) */
	uint16_t sgi_sources; /* v2 SGIs: pending per source vCPU */
	int8_t lr;	      /* list register holding it on its vCPU, -1 if none */
	bool lr_latch;	      /* model-private: the LR took the pending latch with it */
	/*
	 * model-private: its LR has HW = 1, linked to a physical interrupt
	 * that is active (the line high), which the guest's deactivation ends
	 */
	bool lr_hw;
	uint8_t lr_source; /* model-private: v2 SGI source vCPU in the LR */
	/*
	 * model-private: a hardware-linked SPI that fired again on another CPU
	 * while a list register held it (vgic_spi_fired_again()): the sync that
	 * finds that LR deactivated keeps its line high
	 */
	bool fired_again;
};

#define VGIC_NO_TARGET 0xff /* target_vcpu of an SPI routed to no vCPU of the cell */

struct vgic_vcpu {
	struct vgic_irq private_irqs[VGIC_NR_PRIVATE];
	bool gicr_sleep;  /* GICR_WAKER.ProcessorSleep */
	uint64_t lr_used; /* bit n: list register n holds an interrupt of this model */
	uint16_t lr_intid[VGIC_MAX_LRS]; /* model-private: INTID in list register n */
	/*
	 * model-private: the last fill listed every deliverable interrupt (no
	 * overflow), at quiet_gen; with nothing listed now, the vCPU is quiet
	 */
	bool settled;
	/* model-private: bumped by every change that may alter what is deliverable here */
	uint32_t gen;
	uint32_t enabled_private; /* model-private: bit n = private_irqs[n].enabled */
	uint32_t quiet_gen;
	/*
	 * model-private: vCPUs an SPI this one's list registers let go of was
	 * handed to (its fill or sync, or another vCPU's write), to be kicked.
	 * Atomic: it is taken without the lock.
	 */
	uint32_t kicks;
	/*
	 * model-private: its list registers hold state the guest may change
	 * (filled, not yet synced): what they list, the model only knows as of
	 * the fill
	 */
	bool lrs_out;
	/*
	 * model-private: the last sync found every interrupt the fill listed
	 * still there and active (a trap from inside the guest's handler)
	 */
	bool lrs_kept;
};

/*
 * What a cell's guests did to INTIDs the cell does not own (gic/vgic_dist.c).
 * vgic_init() keeps it: a guest that restarts itself in a loop is reported
 * once, not once per boot.
 */
#define VGIC_FOREIGN_REPORTS 8 /* WARN lines per cell; after them, counted only */
struct vgic_foreign_log {
	uint64_t accesses; /* writes aimed at a foreign INTID, one per INTID a write names */
	uint32_t logged[(VGIC_MAX_INTID + 32) / 32]; /* INTIDs a report named already */
	uint32_t reports;			     /* WARN lines so far */
};

struct vgic_cell {
	struct spinlock lock;
	int version; /* 2 or 3 */
	unsigned int nr_vcpus;
	uint32_t gicd_ctlr;
	uint64_t enabled_spis; /* model-private: bit i = spis[i].enabled (VGIC_MAX_SPIS <= 64) */
	uint64_t dropped;      /* model-private: bit i = spis[i], for vgic_take_dropped() */
	struct vgic_irq spis[VGIC_MAX_SPIS]; /* only the owned ones, by spi_index */
	unsigned int nr_spis;
	struct vgic_vcpu vcpus[LAYOUT_MAX_CPUS];
	const char *label;
	struct vgic_foreign_log foreign; /* kept across the cell's restarts (vgic_init()) */
	/* vCPUs waiting for others' list registers (gic/vgic_hold.c): no fill meanwhile */
	uint32_t holds;
};

/* One list-register image, architecture-neutral. */
enum vgic_lr_state {
	VGIC_LR_INVALID,
	VGIC_LR_PENDING,
	VGIC_LR_ACTIVE,
	VGIC_LR_PENDING_ACTIVE,
};

struct vgic_lr {
	uint32_t intid;
	uint8_t priority;
	bool group1;
	enum vgic_lr_state state;
	bool hw;
	uint32_t hw_intid;
	uint8_t source_vcpu; /* v2 SGIs */
	/*
	 * HW = 0 and a level interrupt, or a hardware-linked one listed
	 * unlinked: ask for a maintenance IRQ on EOI
	 */
	bool eoi_maintenance;
};

/* --- the model -------------------------------------------------------------- */

/*
 * Reset state for @nr_vcpus vCPUs owning @spis (INTIDs 32..). Everything but
 * v->foreign, which a zeroed struct (a cell at boot) starts empty.
 */
int vgic_init(struct vgic_cell *v, int version, unsigned int nr_vcpus, const uint32_t *spis,
	      unsigned int nr_spis, const char *label);
/* The interrupt @intid as @vcpu sees it, or NULL if the cell does not own it. */
struct vgic_irq *vgic_irq(struct vgic_cell *v, unsigned int vcpu, uint32_t intid);

/*
 * Guest access by @vcpu to the distributor (v2, v3; @offset from
 * LAYOUT_VGICD_BASE) or to the redistributors (v3; @offset from
 * LAYOUT_VGICR_BASE, LAYOUT_VGICR_STRIDE per vCPU). Returns a bitmask of the
 * vCPUs whose next fill the access may change, each touched (its next fill
 * looks): for a change to an interrupt that is pending, active or listed,
 * its targets before and after and the vCPU whose list register holds it;
 * none for a read or a value written back. Kick them (@vcpu's own bit needs
 * nothing, it refills on entry). -EINVAL for an access the
 * architecture does not allow (size, alignment: inject an abort), -ENOENT
 * outside the frames, -EBUSY (nothing done) when it reads or changes the
 * pending or active state, or changes the trigger, of an interrupt another
 * vCPU's list registers hold while that vCPU runs (vgic_lr_elsewhere()):
 * sync that vCPU, then retry.
 */
int vgic_dist_access(struct vgic_cell *v, unsigned int vcpu, uint64_t offset,
		     struct mmio_access *acc);
int vgic_redist_access(struct vgic_cell *v, unsigned int vcpu, uint64_t offset,
		       struct mmio_access *acc);
/*
 * Can a write at distributor @offset move an SPI to another vCPU (v3
 * GICD_IROUTER, v2 GICD_ITARGETSR: the only writers of target_vcpu after
 * vgic_init())? No other write needs the physical routes looked at.
 */
bool vgic_dist_routes(const struct vgic_cell *v, uint64_t offset);
/*
 * The INTIDs whose configuration (enable, group, priority, trigger, route;
 * not their pending or active state) a write of @size bytes at distributor
 * @offset may change: how many, from *@first. A bank word's, an IROUTER's
 * SPI, every INTID for GICD_CTLR (its group enables gate them all), none for
 * the rest. Direct interrupt mode writes just those through to the physical
 * GIC. vgic_redist_configures(): the same for a redistributor write (@offset
 * as vgic_redist_access() takes it), INTIDs 0-31 of its frame's vCPU.
 */
unsigned int vgic_dist_configures(const struct vgic_cell *v, uint64_t offset, unsigned int size,
				  uint32_t *first);
unsigned int vgic_redist_configures(uint64_t offset, unsigned int size, uint32_t *first);

/*
 * Input from outside the guest: a device or timer line (level), or an edge.
 * Returns the vCPU index that should be kicked to take it, or -1.
 */
int vgic_set_level(struct vgic_cell *v, unsigned int vcpu, uint32_t intid, bool level);
/*
 * vgic_set_level() on a CPU outside the cell (the console's), which must not
 * be lost with it: false, nothing set, if a CPU lost at EL2 holds the lock
 * (spin_lock_unless_lost()); else true, the vCPU to kick (or -1) in *@kick.
 */
bool vgic_set_level_outside(struct vgic_cell *v, unsigned int vcpu, uint32_t intid, bool level,
			    int *kick);
/*
 * vgic_set_level() of one of @vcpu's own private interrupts (its timers' PPIs),
 * on @vcpu's own CPU, which refills the vCPU's list registers before it enters
 * the guest again: there is no vCPU to kick, and none is worked out.
 */
void vgic_set_own_level(struct vgic_cell *v, unsigned int vcpu, uint32_t intid, bool level);
/*
 * A forwarded SPI @intid fired: vgic_set_level(v, 0, intid, true), except
 * that a hardware-linked line already high returns VGIC_LINE_AGAIN (no kick
 * either): the physical interrupt, left active when it last fired, became
 * inactive before any list register of the guest was synced deactivated.
 * Then ask vgic_spi_fired_again().
 */
#define VGIC_LINE_AGAIN (-2)
int vgic_spi_fired(struct vgic_cell *v, uint32_t intid);
/*
 * After VGIC_LINE_AGAIN, on the CPU that took SPI @intid, which runs the
 * cell's vCPU @here (-1: none of the cell's): the SPI looked at again.
 *  - Its line is low now (the vCPU that held it synced it deactivated in
 *    between): a new firing, as vgic_spi_fired() would have taken it.
 *  - A vCPU other than @here holds it in a list register: the SPI was
 *    re-routed while listed there (docs/vgic.md), and that vCPU's guest
 *    deactivated it, and with it the physical interrupt, which has just
 *    fired again here, and has not exited since. Remembered (fired_again):
 *    the sync that finds that LR deactivated keeps the line high, pending
 *    for the vCPU it is routed to now, whose LR then deactivates the
 *    physical interrupt. Returns that holder, to kick (so that it syncs).
 *  - Otherwise VGIC_LINE_AGAIN: deactivated behind the guest of @here
 *    (docs/vgic.md, "Direct interrupt mode").
 */
int vgic_spi_fired_again(struct vgic_cell *v, uint32_t intid, int here);
int vgic_set_edge(struct vgic_cell *v, unsigned int vcpu, uint32_t intid);
/*
 * A guest SGI. v3: @value is the ICC_SGI1R_EL1 write, which reaches a
 * target's SGI whatever its group (GICD_CTLR.DS = 1); v2 SGIs come through
 * GICD_SGIR in vgic_dist_access. Only vCPUs of this cell are ever targeted.
 * Returns a bitmask of vCPUs to kick.
 */
uint32_t vgic_sgi1r(struct vgic_cell *v, unsigned int vcpu, uint64_t value);
/*
 * The same for an ICC_SGI0R_EL1 or ICC_ASGI1R_EL1 write @value (same layout):
 * Group 0 SGIs, made pending only on the targets whose SGI is Group 0.
 */
uint32_t vgic_sgi0r(struct vgic_cell *v, unsigned int vcpu, uint64_t value);
/* The vCPUs of this cell an ICC_SGI1R_EL1 write @value from @vcpu names (no state change). */
uint32_t vgic_sgi1r_targets(const struct vgic_cell *v, unsigned int vcpu, uint64_t value);

/*
 * List-register bookkeeping for @vcpu, run by the hardware interface:
 * before entering the guest, vgic_lr_fill() writes up to @nr_lrs images of
 * the highest-priority deliverable interrupts into @lrs (those already in an
 * LR are kept in their slot, unless only pending and more are waiting than
 * fit: then the best by priority are listed) and returns VGIC_FILL_OVERFLOW when more are
 * pending than fit (then the caller asks for an underflow maintenance
 * interrupt); after the guest ran, vgic_lr_sync() takes back what each LR
 * says. Either may hand an SPI routed elsewhere over to its new vCPU: then
 * the fill returns VGIC_FILL_KICKS, the sync true, and vgic_lr_take_kicks()
 * says whom to kick. Call them in
 * strict alternation on the vCPU's own CPU: fill (or a keep that said yes)
 * before every entry, sync
 * after every exit (before the exit is handled), with the same @nr_lrs;
 * only the state field of a synced LR image is read, and only of the entries
 * the fill left valid. Of an entry the fill leaves invalid only the state
 * field is written. A hardware-linked interrupt whose LR syncs invalid (the
 * guest deactivated it, and with it the physical interrupt) has its line
 * lowered: the physical GIC signals it again if the device still asserts it
 * (unless it did already, elsewhere: vgic_spi_fired_again()).
 */
#define VGIC_FILL_OVERFLOW (1u << 0)
#define VGIC_FILL_KICKS	   (1u << 1)
unsigned int vgic_lr_fill(struct vgic_cell *v, unsigned int vcpu, struct vgic_lr *lrs,
			  unsigned int nr_lrs);
bool vgic_lr_sync(struct vgic_cell *v, unsigned int vcpu, const struct vgic_lr *lrs,
		  unsigned int nr_lrs);
/*
 * Other vCPUs to kick after @vcpu's fill or sync (then forgotten): an SPI
 * routed to one of them while it sat in @vcpu's list registers became
 * deliverable there when it left them (deactivated, or taken back still
 * pending). The bit of @vcpu itself is never set. Ask only when the fill or
 * sync said so.
 */
uint32_t vgic_lr_take_kicks(struct vgic_cell *v, unsigned int vcpu);
/*
 * Nothing in @vcpu's list registers and nothing changed since a fill that
 * found nothing to list: the next fill would write only empty LRs (the
 * common case of a trap; the caller may skip it). Inline: every entry asks.
 * No lock: a change another CPU makes meanwhile comes with a kick (its vCPU
 * is in_guest from entry to exit of cell_cpu_loop(), traps included), so a
 * stale "quiet" costs one more exit, never an interrupt. vgic_vcpu_quiet():
 * the same of the vCPU's own state, for a caller that knows it is the cell's.
 */
static inline bool vgic_vcpu_quiet(struct vgic_vcpu *vc)
{
	return __atomic_load_n(&vc->settled, __ATOMIC_RELAXED) &&
	       __atomic_load_n(&vc->quiet_gen, __ATOMIC_RELAXED) ==
		       __atomic_load_n(&vc->gen, __ATOMIC_RELAXED) &&
	       !__atomic_load_n(&vc->lr_used, __ATOMIC_RELAXED);
}

static inline bool vgic_lr_quiet(struct vgic_cell *v, unsigned int vcpu)
{
	return vcpu < v->nr_vcpus && vgic_vcpu_quiet(&v->vcpus[vcpu]);
}
/*
 * The list registers whose images @vcpu's last vgic_lr_fill() left valid
 * (bit n: lrs[n]; every other one it left invalid): the ones to write, so
 * that the caller need not look at each image's state. On the vCPU's own
 * CPU, right after the fill: until its next sync only a fill or sync of its
 * own changes the mask (vgic_lr_let_go() waits for the sync), but after
 * vgic_lr_abandon() gave up waiting (gic/vgic_hold.c): another vCPU's let-go
 * may then clear a bit: that slot is written only if it held something
 * before (its image, now invalid, empties it), else left empty, as the
 * let-go wants either way.
 */
static inline uint64_t vgic_lr_listed(const struct vgic_cell *v, unsigned int vcpu)
{
	return vcpu < v->nr_vcpus ? v->vcpus[vcpu].lr_used : 0;
}
/*
 * In place of the fill, right after a sync: true when the list registers as
 * that sync read them are what the fill would write (every interrupt it
 * listed still active there, nothing changed since the fill that listed
 * them, which found room for everything). They stay as they are and are
 * the guest's again; false: fill.
 */
bool vgic_lr_keep(struct vgic_cell *v, unsigned int vcpu);
/*
 * @vcpu leaves its guest until a CPU_ON, right after its sync (PSCI
 * CPU_OFF): its list registers are reset before it runs again. What they
 * held pending goes back to the model, deliverable wherever it is routed
 * (to @vcpu itself once it is back); what they held active stays listed,
 * as only the guest's deactivation ends it. Returns the other vCPUs to kick
 * (an SPI routed to one of them meanwhile).
 */
uint32_t vgic_lr_vcpu_off(struct vgic_cell *v, unsigned int vcpu);
/*
 * @vcpu starts afresh (a boot, PSCI CPU_ON): its CPU interface was reset,
 * and its new guest cannot end what its list registers held active (kept by
 * vgic_lr_vcpu_off()). That ends here, as a deactivation would: listed
 * nowhere, active no more. The hardware-linked ones' physical INTIDs go to
 * @hw (VGIC_MAX_LRS room), for the caller to deactivate: how many. *@kicks:
 * the other vCPUs owed a kick (an SPI routed to one of them).
 */
unsigned int vgic_lr_vcpu_reset(struct vgic_cell *v, unsigned int vcpu, uint32_t *hw,
				uint32_t *kicks);
/* The list register of @vcpu that holds @intid as of its last sync, or -1. */
int vgic_lr_of(struct vgic_cell *v, unsigned int vcpu, uint32_t intid);
/* Anything deliverable for @vcpu (to wake it from WFI)? Valid after a sync. */
bool vgic_has_pending(struct vgic_cell *v, unsigned int vcpu);
/*
 * With v->lock held, after a guest write to the distributor: the
 * hardware-linked SPIs the guest dropped (bit i = spis[i]), their lines now
 * low in the model. Each fired and was left active at the physical GIC for
 * the guest to deactivate through a list register, and the guest then
 * cleared its pending state (GICD_ICPENDR), its active state
 * (GICD_ICACTIVER) or made it edge-triggered (GICD_ICFGR) before taking it,
 * maybe while handling an instance it made itself (listed HW = 0): no list
 * register will ever hold it with HW = 1 again. The caller deactivates each
 * physical interrupt before it drops the lock (a device that still asserts
 * it raises it anew, and vgic_spi_fired() must then find the line low).
 */
uint64_t vgic_take_dropped(struct vgic_cell *v);
/*
 * Log every interrupt of @cell that is not idle, and each vCPU's LR use
 * (shell `irqs`); nothing while a (re)start may be resetting the model.
 */
struct cell;
void vgic_dump(struct cell *cell);

/* --- model internals: only gic/vgic.c, vgic_lr.c, vgic_bank.c, vgic_dist.c, vgic_redist.c --- */

/*
 * The report one guest store earns, at most one line, printed after unlock:
 * the foreign INTIDs of bank word @word (INTIDs 32 * word ...) it asked to
 * enable, pend or activate.
 */
struct vgic_foreign {
	const char *reg;  /* "GICD_ISENABLER", ...; NULL: nothing to report */
	const char *verb; /* "enable", "pend", "activate" */
	uint32_t word;
	uint32_t mask; /* bit i: INTID 32 * word + i */
	bool last;     /* the cell's last report: further ones are only counted */
};

/*
 * With v->lock held: one write to bank word @word named the foreign INTIDs in
 * @mask (bit i: INTID 32 * word + i) to enable, pend or activate them. Each
 * is counted; @f gets a report if one of them was never named before and the
 * cell has reports left (VGIC_FOREIGN_REPORTS).
 */
void vgic_foreign_note(struct vgic_cell *v, struct vgic_foreign *f, const char *reg,
		       const char *verb, uint32_t word, uint32_t mask);
/* Without the lock: print @f's report, if any. */
void vgic_foreign_report(const struct vgic_cell *v, const struct vgic_foreign *f);
/*
 * The one way to change irq->enabled: the per-vCPU and per-cell masks the
 * delivery scans walk follow it.
 */
void vgic_irq_set_enabled(struct vgic_cell *v, struct vgic_irq *irq, bool enabled);
/* Predicates on one interrupt (pending, target, deliverable): gic/vgic_model.h. */
/* v2 GICD_SGIR from @vcpu, with v->lock held; returns the vCPUs to kick. */
uint32_t vgic_sgir_write(struct vgic_cell *v, unsigned int vcpu, uint32_t value);
/*
 * The per-INTID register banks at 0x080-0xd7c (IGROUPR ... ICFGR), shared by
 * the distributor and the SGI_base frame: @off within the bank area; only
 * INTIDs in [@first, @end) are reachable (others RAZ/WI), private ones as
 * @owner's; @vcpu makes the access. Called with v->lock held; size already
 * checked by the caller. Returns 0, or -EBUSY as vgic_dist_access().
 */
int vgic_bank_access(struct vgic_cell *v, unsigned int vcpu, unsigned int owner, uint32_t off,
		     struct mmio_access *acc, uint32_t first, uint32_t end, struct vgic_foreign *f,
		     uint32_t *kick);
/* The vCPU whose list registers hold @irq (@owner's, if private), or -1. */
int vgic_lr_holder(const struct vgic_cell *v, unsigned int owner, const struct vgic_irq *irq);
/*
 * SPI @irq, inactive after a write, out of the list register of a vCPU not
 * in its guest that holds it (synced), as that vCPU's next fill would let it
 * go. With v->lock held.
 */
void vgic_lr_let_go(struct vgic_cell *v, struct vgic_irq *irq);
/*
 * Does a list register of a vCPU other than @vcpu hold @irq (@owner's, if
 * private) while that vCPU may run (vgic_vcpu.lrs_out)? Then the guest may
 * have taken or finished it since the fill: its state is not the model's.
 * With v->lock held.
 */
bool vgic_lr_elsewhere(const struct vgic_cell *v, unsigned int vcpu, unsigned int owner,
		       const struct vgic_irq *irq);
/* The vCPUs in @mask never synced (gic/vgic_hold.c gave up): their LRs are taken as filled. */
void vgic_lr_abandon(struct vgic_cell *v, uint32_t mask);
/*
 * The INTIDs a write of @size bytes at bank offset @off configures (not a
 * pending or active bank): how many, from *@first.
 */
unsigned int vgic_bank_configures(uint32_t off, unsigned int size, uint32_t *first);
/* Access size the bank at @off allows: 1 if byte-accessible too, else 4. */
bool vgic_bank_size_ok(uint32_t off, unsigned int size);
/* GICD_IIDR / GICR_IIDR: Bulkhead's own (implementer 0, ProductID 'B'). */
#define VGIC_IIDR 0x42000000u

#endif
