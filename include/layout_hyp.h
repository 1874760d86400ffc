/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BULKHEAD_LAYOUT_HYP_H
#define BULKHEAD_LAYOUT_HYP_H

/*
 * Where the hypervisor image goes in hypervisor-memory, for C and for the
 * linker script (boot/image.lds, preprocessed, asserts the image fits): a
 * number there takes no suffix.
 */
#ifdef __ASSEMBLER__
#define LAYOUT_ULL(n) n
#else
#define LAYOUT_ULL(n) n##ULL
#endif

/*
 * hypervisor-memory holds the hypervisor image from a 2 MiB aligned address
 * inside it (booti runs an Image in place only there, else moves it down to
 * one) up to this many bytes: the most its Image header's image_size, BSS
 * included, may be (about 3 MiB; test_bulkhead_check.py compares the build's,
 * and the link fails beyond it). The boot checks the image it runs;
 * layout_parse() and the load plan (tools/load_plan.c) need a bound without one.
 */
#define LAYOUT_HYP_IMAGE_MAX   (LAYOUT_ULL(4) << 20)
#define LAYOUT_HYP_IMAGE_ALIGN LAYOUT_ULL(0x200000)

#endif
