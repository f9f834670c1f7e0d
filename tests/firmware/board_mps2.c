/*
 * QEMU's mps2-an386 (Cortex-M4): vector table, reset, stack painting, the
 * linker's figures, and the exit status through semihosting. newlib's
 * system calls (printf, time, clock, sbrk) are librdimon's semihosting
 * ones.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fw_board.h"

const int fw_board_measures = 1;

/* From mps2-an386.ld. */
extern uint32_t __flash_start, __etext, __data_load, __sdata, __edata;
extern uint32_t __sbss, __ebss, __stack_bottom, __stack_top;

int main(void);
extern void initialise_monitor_handles(void);

#define PAINT 0xdeadbeefu

/* Paint the stack below the current frame, so the deepest word ever
 * written can be found afterwards. */
static void __attribute__((noinline)) paint_stack(void) {
  uintptr_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (uint32_t *p = &__stack_bottom; (uintptr_t)p < sp - 64; p++) *p = PAINT;
}

void Reset_Handler(void);
void Reset_Handler(void) {
  memcpy(&__sdata, &__data_load, (size_t)((char *)&__edata - (char *)&__sdata));
  memset(&__sbss, 0, (size_t)((char *)&__ebss - (char *)&__sbss));
  paint_stack();
  initialise_monitor_handles();
  exit(main());
}

static void Fault_Handler(void) {
  /* A fault is a failed test, not a hang. */
  exit(3);
}

__attribute__((section(".vectors"),
               used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)&__stack_top,
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
};

void fw_exit(int status) {
  exit(status);
}

uint64_t fw_board_ms(void) {
  return (uint64_t)clock() * 1000u / CLOCKS_PER_SEC;
}

size_t fw_flash_bytes(void) {
  return (size_t)((char *)&__etext - (char *)&__flash_start) +
         (size_t)((char *)&__edata - (char *)&__sdata);
}

size_t fw_static_ram_bytes(void) {
  return (size_t)((char *)&__ebss - (char *)&__sdata);
}

size_t fw_stack_bytes(void) {
  uint32_t *p = &__stack_bottom;
  while (p < &__stack_top && *p == PAINT) p++;
  return (size_t)((char *)&__stack_top - (char *)p);
}

/* CMSDK APB UART (mps2-an386: UART0 at 0x40004000, UART1 at 0x40005000).
 * A one-byte buffer each way and no FIFO; QEMU does not emulate the baud
 * rate (any divider >= 16 is accepted), so bytes move as fast as the host
 * socket and the polling loop allow. */
typedef struct cmsdk_uart {
  volatile uint32_t data, state, ctrl, intstatus, bauddiv;
} cmsdk_uart;
#define UART_TX_FULL 1u
#define UART_RX_FULL 2u
#define UART_TX_EN 1u
#define UART_RX_EN 2u

static cmsdk_uart *uart(int n) {
  return (cmsdk_uart *)(uintptr_t)(n == 0 ? 0x40004000u : 0x40005000u);
}

int fw_uart_open(int n) {
  if (n < 0 || n > 1) return -1;
  cmsdk_uart *u = uart(n);
  u->bauddiv = 217; /* 115200 Bd at 25 MHz; QEMU only checks >= 16 */
  u->ctrl = UART_TX_EN | UART_RX_EN;
  return 0;
}

int fw_uart_read(int n, uint8_t *buf, size_t len, size_t *got,
                 unsigned timeout_ms) {
  cmsdk_uart *u = uart(n);
  uint64_t until = fw_board_ms() + timeout_ms;
  size_t k = 0;
  /* The first byte may take a while (the peer computes); the clock is a
   * semihosting call, so it is read only every few thousand polls. */
  for (unsigned spin = 0; !(u->state & UART_RX_FULL); spin++) {
    if ((spin & 0xfffu) == 0xfffu && fw_board_ms() > until) return -1;
  }
  /* Then whatever follows straight on: the next byte arrives only once
   * QEMU's I/O thread has handed the last one over, so wait a little. */
  for (unsigned idle = 0; k < len && idle < 2000u;) {
    if (u->state & UART_RX_FULL) {
      buf[k++] = (uint8_t)u->data;
      idle = 0;
    } else {
      idle++;
    }
  }
  *got = k;
  return 0;
}

int fw_uart_write(int n, const uint8_t *buf, size_t len) {
  cmsdk_uart *u = uart(n);
  for (size_t i = 0; i < len; i++) {
    while (u->state & UART_TX_FULL) {
    }
    u->data = buf[i];
  }
  return 0;
}
