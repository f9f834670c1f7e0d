/* What a firmware test image needs of its board: exit status, a clock,
 * and the figures only the board can measure (flash, static RAM, stack).
 * board_mps2.c is QEMU's mps2-an386 (Cortex-M4, semihosting); board_host.c
 * runs the same tests as a host program (the none-host build). */
#ifndef TLSW_FW_BOARD_H
#define TLSW_FW_BOARD_H

#include <stddef.h>
#include <stdint.h>

/* 1 when the board can measure flash, static RAM and stack. */
extern const int fw_board_measures;

/* Ends the program with status (0 passed); semihosting exit on the board. */
void fw_exit(int status);
/* Milliseconds since start. */
uint64_t fw_board_ms(void);
/* Bytes of flash the image occupies (code, constants, .data's image). */
size_t fw_flash_bytes(void);
/* Bytes of RAM in .data and .bss (neither heap nor stack). */
size_t fw_static_ram_bytes(void);
/* Deepest stack use since reset, from the painted stack region. */
size_t fw_stack_bytes(void);

/* The board's serial ports (n: 0 or 1), polled, each a byte stream to a
 * TLS peer outside the program: on mps2-an386 CMSDK UART0/1, which QEMU
 * connects to host sockets (-serial chardev:...); on the host, TCP
 * connections to 127.0.0.1, ports from FW_UART0_PORT / FW_UART1_PORT. */
/* 0 when port n is ready. */
int fw_uart_open(int n);
/* Waits up to timeout_ms for a first byte, then takes what is there (at
 * most len): 0 with *got >= 1, or -1 (timed out, or the port failed). */
int fw_uart_read(int n, uint8_t *buf, size_t len, size_t *got,
                 unsigned timeout_ms);
/* Sends all len bytes: 0, or -1. */
int fw_uart_write(int n, const uint8_t *buf, size_t len);

#endif
