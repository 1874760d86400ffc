/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The trap fuzz target's parts: the two-cell model and the trapping CPU
 * (trap_model.c), the stand-ins for what the trap path calls beyond it
 * (trap_stubs.c), the checks of how a trap ended (trap_end.c), and the
 * driver and the checks of the other cell (fuzz_trap.c).
 */
#ifndef BULKHEAD_FUZZ_TRAP_H
#define BULKHEAD_FUZZ_TRAP_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "cell.h"
#include "cpu_local.h"
#include "trap_frame.h"

#define MODEL_CELLS 2
#define MODEL_VCPUS 4	       /* at most, per cell */
#define MODEL_FREQ  1000000ULL /* counter ticks per second */

/* How a trap ended. */
enum trap_end {
	END_RETURNED, /* back to the guest from guest_trap_sync() */
	END_RESUMED,  /* a direct cell's WFI resumed the guest (guest_wfi_resume()) */
	END_CPU_OFF,  /* the vCPU left for its cell's loop (PSCI CPU_OFF) */
	END_STOPPED,  /* cell_stop() of the trapping vCPU's cell */
	END_RESTARTED,
	END_HALTED, /* halt_system(): on-fault halt-system */
};

/* The emulated device an access reached. */
enum model_device { DEV_NONE, DEV_VGICD, DEV_VGICR, DEV_VUART, DEV_ECAM };

/* What one trap did beyond its frame, as the stand-ins saw it. */
struct trap_record {
	enum trap_end end;
	const char *why; /* cell_stop()'s or cell_restart()'s */
	enum model_device dev;
	unsigned int dev_accesses;
	unsigned int dev_size;
	bool dev_write;
	uint64_t dev_value;
	unsigned int sgis; /* vgic_hw_sgi1r() and vgic_hw_sgi0r() */
	uint64_t sgi_value;
	unsigned int doorbells;	  /* vgic_hw_doorbell() */
	unsigned int kicks;	  /* gic_send_sgi(): a CPU_ON or a management request */
	unsigned int lines;	  /* DC CIVACs (set/way) */
	unsigned int tlb_flushes; /* a TLB conflict retried */
	unsigned int waits;	  /* WFI or WFIT at EL2 on the guest's behalf */
	uint64_t wait_deadline;
	bool wrote_esr_el1; /* an exception injected */
	uint64_t elr_el1, spsr_el1, esr_el1, far_el1;
};

/* What the stand-ins answer, as the input chooses for each trap. */
struct trap_answers {
	uint64_t dev_value; /* an emulated read's value, all 64 bits */
	int dev_ret;	    /* the emulator's return: 0, -EINVAL or VUART_LINE_MOVED */
	bool pending;	    /* vgic_has_pending() */
	bool big_endian;    /* arch_guest_big_endian(): the CPU_ON caller's */
	int64_t spectre;    /* arch_spectre_guest_feature() */
	bool window_fails;  /* arch_ram_window_open() fails (no table: a hypervisor bug) */
	bool no_translate;  /* arch_el2_translates() says no (likewise) */
};

/* The system registers of the trapping CPU that the trap path reads. */
struct model_sysregs {
	uint64_t hpfar_el2, sctlr_el1, hcr_el2, vbar_el1, oslsr_el1;
	uint64_t clidr_el1, ccsidr_el1[8], id_aa64mmfr2_el1, csselr_el1;
	uint64_t id_aa64pfr1_el1, id_aa64mmfr1_el1;
};

struct model {
	struct layout_cell cfg[MODEL_CELLS];
	struct trap_frame frames[MODEL_CELLS][MODEL_VCPUS];
	struct vcpu *trapper; /* the vCPU taking the trap */
	uint64_t now;	      /* the counter */
	unsigned int relaxes; /* arch_cpu_relax() in this trap */
	struct model_sysregs sr;
	struct trap_answers answer;
	struct trap_record rec;
	jmp_buf out; /* where model_end() goes */
};

extern struct model model;

/* The model as the input's first bytes configure it (fuzz_trap.c, read_config()). */
struct model_config {
	uint8_t flags, policies, vcpus, powers, misc; /* bits: fuzz_trap.c's read_config() */
	uint64_t clidr, ccsidr[2];
	bool ccidx, wfxt;
};
/* Build it, every static of the trap path reset. */
void model_reset(const struct model_config *c);

/* The trapping vCPU's cell, and the other one, which the trap must not reach. */
static inline struct cell *model_own(void)
{
	return model.trapper->cell;
}
struct cell *model_peer(void);
/* Every doorbell rung in @to's word @word is one it shares with the trapping cell. */
bool model_doorbells_shared(const struct cell *to, uint64_t word);

/* End the trap @e (not END_RETURNED): the guest is left, as the real callee does not return. */
void model_end(enum trap_end e, const char *why) __attribute__((noreturn));

/*
 * Cell @cell's @k-th value that nothing else holds: what a leak would show
 * (model_cell()). model_canary_of(): whether @v is one, and whose.
 */
uint64_t model_canary(unsigned int cell, unsigned int k);
bool model_canary_of(uint64_t v, unsigned int *cell, unsigned int *k);
#define MODEL_CANARIES (64 + 32 * MODEL_VCPUS)

/* Every lock free and the EL2 window closed, as a trap must leave them. */
bool model_locks_free(void);

/*
 * What the trap path keeps of cell @id outside struct cell: its doorbells'
 * rate limit and refusals logged (shm.c), its reports so far (fault.c).
 * Copied into @out (MODEL_STATICS_SIZE bytes), to compare across a trap.
 */
#define MODEL_STATICS_SIZE 128
void model_cell_statics(unsigned int id, uint8_t *out);
/* The fault log's entries so far: a report, told or kept, adds one. */
unsigned int model_reports(void);

/* What a trap may be compared with: the state as it was taken. */
struct before {
	struct trap_frame f; /* the trapping vCPU's */
	struct trap_frame frames[MODEL_CELLS][MODEL_VCPUS];
	struct layout_cell cfg[MODEL_CELLS];
	struct cell peer;
	union cpu_local_slot cpus[MAX_CPUS];
	uint8_t peer_statics[MODEL_STATICS_SIZE];
	uint64_t faults, csselr;
	unsigned int reports;
};

/* The register the trapped instruction names as its operand: SRT, Rt, WFIT's RN; 32: none. */
unsigned int trap_operand_reg(uint64_t esr);
/* How the trap from @b ended, in frame @f and model.rec, against the architecture and docs/. */
void trap_check_end(const struct before *b, const struct trap_frame *f);

#endif
