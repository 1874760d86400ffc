// SPDX-License-Identifier: GPL-2.0-only
/*
 * pci_dma_reset: QEMU's virtio-rng-pci behind a PCIe root port, 01:00.0 in
 * cell "alpha" (vCPUs 0 and 1) of tests/scenarios/layouts/pci-dma-reset.dts,
 * built without FLR and with PMCSR No_Soft_Reset: no reset resets it, and
 * its DMA goes through the SMMU (iommu_platform=on). QEMU gives it 8 bytes
 * of entropy every 60 ms (max-bytes=8, period=60).
 *
 * Boot 1 drives it (virtio 1.x, one split virtqueue in memory alpha shares
 * with beta, which a reload leaves as it is): a first request
 * takes the period's 8 bytes, a second one, a 4 KiB buffer at DMA_PAGE, is
 * left waiting for the next period. vCPU1 then sets Initiate FLR, which the
 * function does not implement (it resets nothing, but the hypervisor keeps
 * its config space closed for 100 ms and holds vCPU1 at EL2 meanwhile), and
 * vCPU0 resets the cell (PSCI SYSTEM_RESET) 2 ms after: the reload finds
 * the function in its guest's "reset" and leaves its quiesce (Bus Master
 * off) for the end of those 100 ms. The 8 bytes come about 60 ms after the
 * first request, in the middle of that window, into the reload's scrubbed
 * memory unless the cell's DMA is still aborted then.
 *
 *  - dma_after_reset (boot 2): DMA_PAGE reads all zeros, as the reload's
 *    scrub left it. A hypervisor that gives a reload's DMA back before the
 *    functions it leaves to its loop are quiesced (before b099689 for a
 *    start left to the loop) finds the entropy there.
 */
#include "pci_cfg.h"
#include "test.h"

#define RNG_FN	     (ECAM + (1UL << 20)) /* 01:00.0 */
#define RNG_ID	     0x10441af4u	  /* virtio 1.x entropy device */
#define PCI_CMD_MAST 0x4u
#define PCI_BAR0     0x10
#define CAP_VENDOR   0x09
/*
 * The virtqueue in the shared memory at 0x50000000, which a reload does not
 * scrub (docs/shm.md): in alpha's RAM, scrubbed, the device would find its
 * rings gone and give up before any write. The request's page in alpha's
 * RAM (0x48000000, 64 MiB), clear of its image and tree.
 */
#define VQ_BASE	 0x50000000UL
#define BUF_A	 0x50010000UL
#define DMA_PAGE 0x4b000000UL
#define DMA_LEN	 4096u
#define QSIZE	 8u

/* virtio_pci_common_cfg (virtio 1.x, 4.1.4.3) */
#define CC_DFSEL   0x00
#define CC_DF	   0x04
#define CC_GFSEL   0x08
#define CC_GF	   0x0c
#define CC_STATUS  0x14
#define CC_QSEL	   0x16
#define CC_QSIZE   0x18
#define CC_QENABLE 0x1c
#define CC_QNOTIFY 0x1e
#define CC_QDESC   0x20
#define CC_QDRIVER 0x28
#define CC_QDEVICE 0x30
#define ST_ACK	   1u
#define ST_DRIVER  2u
#define ST_OK	   4u
#define ST_FEAT_OK 8u
/* VIRTIO_F_VERSION_1 and VIRTIO_F_ACCESS_PLATFORM: features 32 and 33. */
#define FEATURES_HI 0x3u

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

#define VQ_DESC	   ((volatile struct vq_desc *)VQ_BASE)
#define VQ_AVAIL   ((volatile uint16_t *)(VQ_BASE + 0x1000)) /* flags, idx, ring[] */
#define VQ_USED	   ((volatile uint16_t *)(VQ_BASE + 0x2000)) /* flags, idx, ring[] */
#define DESC_WRITE 2u

static uint64_t common, notify;
static volatile uint32_t flr_now;

static uint64_t bar_addr(unsigned int bar)
{
	uint32_t lo = rd32(RNG_FN, PCI_BAR0 + 4 * bar);
	uint64_t a = lo & ~0xfu;

	if ((lo & 0x6) == 0x4) /* 64-bit */
		a |= (uint64_t)rd32(RNG_FN, PCI_BAR0 + 4 * (bar + 1)) << 32;
	return a;
}

/* The common and notify structures' addresses, from the vendor capabilities. */
static int find_structures(uint32_t *notify_mult)
{
	unsigned int at = rd32(RNG_FN, PCI_CAP_PTR) & 0xfc;

	for (int n = 0; n < 48 && at >= 0x40; n++) {
		uint32_t hdr = rd32(RNG_FN, at), bar = rd32(RNG_FN, at + 4) & 0xff;
		uint64_t where = bar_addr(bar) + rd32(RNG_FN, at + 8);

		if ((hdr & 0xff) == CAP_VENDOR && ((hdr >> 24) & 0xff) == 1)
			common = where;
		if ((hdr & 0xff) == CAP_VENDOR && ((hdr >> 24) & 0xff) == 2) {
			notify = where;
			*notify_mult = rd32(RNG_FN, at + 16);
		}
		at = (hdr >> 8) & 0xfc;
	}
	return common && notify ? 0 : -1;
}

static void w8(uint64_t a, uint8_t v)
{
	*(volatile uint8_t *)a = v;
}

static void w16(uint64_t a, uint16_t v)
{
	*(volatile uint16_t *)a = v;
}

static uint16_t r16(uint64_t a)
{
	return *(volatile uint16_t *)a;
}

static void w64(uint64_t a, uint64_t v)
{
	wr32(a, 0, (uint32_t)v);
	wr32(a, 4, (uint32_t)(v >> 32));
}

static int setup_queue(uint32_t notify_mult)
{
	memset((void *)VQ_BASE, 0, 0x3000);
	w16(common + CC_QSEL, 0);
	if (r16(common + CC_QSIZE) < QSIZE)
		return -1;
	w16(common + CC_QSIZE, QSIZE);
	w64(common + CC_QDESC, VQ_BASE);
	w64(common + CC_QDRIVER, VQ_BASE + 0x1000);
	w64(common + CC_QDEVICE, VQ_BASE + 0x2000);
	w16(common + CC_QENABLE, 1);
	notify += (uint64_t)r16(common + CC_QNOTIFY) * notify_mult;
	return 0;
}

static int driver_init(void)
{
	uint32_t mult = 0;

	wr32(RNG_FN, PCI_COMMAND, PCI_CMD_MEMORY);
	if (find_structures(&mult))
		return -1;
	w8(common + CC_STATUS, 0);
	while (*(volatile uint8_t *)(common + CC_STATUS))
		;
	w8(common + CC_STATUS, ST_ACK | ST_DRIVER);
	wr32(common, CC_DFSEL, 1);
	if ((rd32(common, CC_DF) & FEATURES_HI) != FEATURES_HI)
		return -2;
	wr32(common, CC_GFSEL, 1);
	wr32(common, CC_GF, FEATURES_HI);
	wr32(common, CC_GFSEL, 0);
	wr32(common, CC_GF, 0);
	w8(common + CC_STATUS, ST_ACK | ST_DRIVER | ST_FEAT_OK);
	if (!(*(volatile uint8_t *)(common + CC_STATUS) & ST_FEAT_OK))
		return -3;
	if (setup_queue(mult))
		return -4;
	w8(common + CC_STATUS, ST_ACK | ST_DRIVER | ST_FEAT_OK | ST_OK);
	wr32(RNG_FN, PCI_COMMAND, PCI_CMD_MEMORY | PCI_CMD_MAST);
	return 0;
}

/* Request @len bytes into @buf as descriptor @i, and tell the device. */
static void request(unsigned int i, uint64_t buf, uint32_t len)
{
	uint16_t idx = VQ_AVAIL[1];

	VQ_DESC[i].addr = buf;
	VQ_DESC[i].len = len;
	VQ_DESC[i].flags = DESC_WRITE;
	VQ_DESC[i].next = 0;
	VQ_AVAIL[2 + idx % QSIZE] = (uint16_t)i;
	dmb();
	VQ_AVAIL[1] = (uint16_t)(idx + 1);
	dmb();
	w16(notify, 0);
}

void secondary_main(unsigned int cpu)
{
	unsigned int exp = find_cap(RNG_FN, PCI_CAP_EXP);

	(void)cpu;
	flr_now = 1;
	dmb();
	/* No FLR in Device Capabilities: resets nothing; held at EL2 for 100 ms. */
	wr32(RNG_FN, exp + PCI_EXP_DEVCTL, rd32(RNG_FN, exp + PCI_EXP_DEVCTL) | DEVCTL_FLR);
	for (;;)
		udelay(100000);
}

static void boot_1(void)
{
	uint64_t start;
	int err = driver_init();

	if (err) {
		TEST_FAIL("dma_after_reset", "virtio-rng set-up failed (%d)", err);
		heartbeat_forever(1, 100000, udelay);
	}
	request(0, BUF_A, 8);
	start = timer_now();
	while (VQ_USED[1] != 1 && timer_now() - start < timer_freq())
		;
	if (VQ_USED[1] != 1) {
		TEST_FAIL("dma_after_reset", "the first request was not served");
		heartbeat_forever(1, 100000, udelay);
	}
	request(1, DMA_PAGE, DMA_LEN); /* served at the next period, 60 ms on */
	printf("boot 1: entropy into 0x%lx requested; vcpu1 sets Initiate FLR, vcpu0 resets\n",
	       DMA_PAGE);
	psci_cpu_on(1, 1);
	while (!flr_now)
		dmb();
	udelay(2000);
	psci_system_reset();
}

int main(void *dtb)
{
	uint64_t boot = hvc_call_res(BULKHEAD_HC_CELL_INFO, 0, 0, 0).a3;
	volatile uint8_t *page = (volatile uint8_t *)DMA_PAGE;
	unsigned int i;

	(void)dtb;
	if (rd32(RNG_FN, 0) != RNG_ID) {
		TEST_FAIL("rng_found", "01:00.0 reads 0x%x, not 1af4:1044", rd32(RNG_FN, 0));
		return 1;
	}
	if (boot == 1)
		boot_1();
	for (i = 0; i < DMA_LEN && !page[i]; i++)
		;
	if (i < DMA_LEN)
		TEST_FAIL("dma_after_reset",
			  "0x%lx + 0x%x reads 0x%x: the old boot's request wrote into the new "
			  "boot's memory",
			  DMA_PAGE, i, page[i]);
	else
		TEST_PASS("dma_after_reset");
	heartbeat_forever(1, 100000, udelay);
}
