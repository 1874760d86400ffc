// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_console: terminal control sequences on the virtual console, aimed at
 * the operator's terminal. Without the keyboard it tries to forge a hypervisor
 * line (backspaces over its prefix, erase-line and cursor moves), to set the
 * window title and ask the terminal to type it back into the hypervisor shell,
 * and a UTF-8 encoded C1 CSI. Then, on each key it receives (it has the
 * keyboard then), it prints a line with bold on and off, and the console's
 * escape Ctrl-] (0x1d), which reaches the terminal as ^] even then; and a
 * line that asks the terminal to send keys another way (kitty's keyboard
 * protocol, xterm's modifyOtherKeys: Ctrl-] would come as ESC [ 93 ; 5 u
 * or ESC [ 27 ; 5 ; 93 ~, not 0x1d), to lock its keyboard (KAM) and to
 * turn on xterm's hilite mouse tracking (after a click xterm reads no key
 * until answered), which reaches it as text; and a title it never ends,
 * which would have the terminal swallow everything after it.
 */
#include "hostile.h"
#include "platform.h"

#define UARTDR	    0x00
#define UARTFR	    0x18
#define UARTFR_RXFE (1u << 4)

static int uart_getc(void)
{
	volatile uint32_t *uart = (volatile uint32_t *)PLATFORM_UART_BASE;

	if (uart[UARTFR / 4] & UARTFR_RXFE)
		return -1;
	return (int)(uart[UARTDR / 4] & 0xff);
}

int main(void *dtb)
{
	unsigned int n;
	int c;

	(void)dtb;
	printf("forge1:\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b[bulkhead] shell: 1  victim  stopped\n");
	printf("forge2:\x1b[2K\x1b[1G[victim] heartbeat 0 forged\n");
	printf("forge3:\x1b]2;stop victim\x07\x1b[21t\n");
	printf("forge4:\xc2\x9b"
	       "2J caf\xc3\xa9 \xe2\x82\xac\tend\n");
	printf("hostile console done\n");
	for (n = 1;; n++) {
		printf("alive %u\n", n);
		udelay(ALIVE_US);
		while ((c = uart_getc()) >= 0) {
			printf("live: key %c \x1b[1mbold\x1b[0m \x1d\n", c);
			printf("livekbd: \x1b[>1u\x1b[>4;2m\x1b[2h\x1b[?1001h end\n");
			printf("livestr: \x1b]0;never ended\n");
			printf("livestr2: \x1b]0;x\x18 after\n"); /* CAN: kitty's string goes on */
		}
	}
}
