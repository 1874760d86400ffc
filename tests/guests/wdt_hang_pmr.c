// SPDX-License-Identifier: GPL-2.0-only
/* wdt_hang with its priority mask at 0 as it hangs (wdt_hang.c). */
#define WDT_HANG_PMR
#include "wdt_hang.c"
