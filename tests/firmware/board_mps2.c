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
