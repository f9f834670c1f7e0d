/* The host "board" of the none-host build: the same tests as a plain
 * program; flash, static RAM and stack are a target's figures and are not
 * reported here. */
#include <stdlib.h>
#include <time.h>

#include "fw_board.h"

const int fw_board_measures = 0;

void fw_exit(int status) {
  exit(status);
}

uint64_t fw_board_ms(void) {
  return (uint64_t)clock() * 1000u / CLOCKS_PER_SEC;
}

size_t fw_flash_bytes(void) {
  return 0;
}

size_t fw_static_ram_bytes(void) {
  return 0;
}

size_t fw_stack_bytes(void) {
  return 0;
}
