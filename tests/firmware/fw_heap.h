/* A counting allocator for tlsw_set_allocator(): every block carries its
 * size and the side (client or server) that was running when it was
 * allocated, so one image running both ends of a handshake can still say
 * what each end held. */
#ifndef TLSW_FW_HEAP_H
#define TLSW_FW_HEAP_H

#include <stddef.h>

enum { FW_CLIENT = 0, FW_SERVER = 1, FW_SIDES = 2 };

/* Install the allocator (before tlsw_init). 0 on success. */
int fw_heap_install(void);
/* Allocations from now on are charged to side. */
void fw_heap_side(int side);
/* Bytes the side holds now. */
size_t fw_heap_now(int side);
/* Most the side held since the last fw_heap_reset_peak(side). */
size_t fw_heap_peak(int side);
void fw_heap_reset_peak(int side);
/* Failed allocations (a test must see none). */
unsigned fw_heap_failures(void);

#endif
