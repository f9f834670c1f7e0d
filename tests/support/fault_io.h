/* Test support: a fault-injecting tlsw_io that wraps another transport.
 *
 * It can cap every send/recv at a number of bytes (short reads and writes),
 * answer WANT_* on every other call (alternating would-block), end the
 * stream or reset the connection after K bytes received, and it counts
 * every call so a test can assert the transport was (or was not) used. */
#ifndef TLSW_TEST_FAULT_IO_H
#define TLSW_TEST_FAULT_IO_H

#include <stddef.h>

#include "tlswrap/io.h"

#define FAULT_NEVER ((size_t)-1)

typedef struct fault_io {
  tlsw_io inner; /* the wrapped transport (copied) */

  /* Knobs; fault_io_init() sets them all off. */
  size_t send_cap;     /* at most this many bytes per send, 0: no cap */
  size_t recv_cap;     /* at most this many bytes per recv, 0: no cap */
  int block_alternate; /* 1: every other call (per direction) would block */
  size_t eof_after;    /* after this many bytes received, recv says EOF */
  size_t reset_after;  /* after this many bytes received, recv resets */
  int send_fail;       /* non-zero: every send returns this status */

  /* Counters. */
  unsigned long send_calls, recv_calls;   /* calls made by the session */
  unsigned long send_blocks, recv_blocks; /* injected WANT_* answers */
  size_t sent, received;                  /* bytes passed through */
  unsigned char send_toggle, recv_toggle;
} fault_io;

/* Wrap *inner; *out is the transport to give to tlsw_wrap(). f must
 * outlive the session. */
void fault_io_init(fault_io *f, const tlsw_io *inner, tlsw_io *out);

/* Clear the counters (not the knobs). eof_after and reset_after count
 * from here on, since they compare against `received`. */
void fault_io_reset_counts(fault_io *f);

#endif
