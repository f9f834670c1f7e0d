#include "fault_io.h"

#include <errno.h>
#include <string.h>

#include "tlswrap/status.h"

/* Alternating blocks are injected before the real transport is asked, so a
 * blocked call has provably moved no bytes: exactly what the io.h contract
 * says WANT_* means. */
static int inject_block(int on, unsigned char *toggle) {
  if (!on) return 0;
  *toggle ^= 1u;
  return *toggle;
}

static int fault_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  fault_io *f = io;
  f->send_calls++;
  *out_n = 0;
  if (f->send_fail != 0) {
    errno = f->send_fail == TLSW_ERR_RESET ? ECONNRESET : EIO;
    return f->send_fail;
  }
  if (inject_block(f->block_alternate, &f->send_toggle)) {
    f->send_blocks++;
    return TLSW_WANT_WRITE;
  }
  if (f->send_cap > 0 && len > f->send_cap) len = f->send_cap;
  int st = f->inner.send(f->inner.io, buf, len, out_n);
  if (st == TLSW_OK) f->sent += *out_n;
  return st;
}

static int fault_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  fault_io *f = io;
  f->recv_calls++;
  *out_n = 0;
  if (inject_block(f->block_alternate, &f->recv_toggle)) {
    f->recv_blocks++;
    return TLSW_WANT_READ;
  }
  /* The stream ends (or breaks) exactly at the K-th byte: cut this read
   * so that the limit falls on a call boundary, then fail the next. */
  size_t limit = f->eof_after < f->reset_after ? f->eof_after : f->reset_after;
  if (limit != FAULT_NEVER) {
    if (f->received >= limit) {
      if (f->reset_after <= f->eof_after) {
        errno = ECONNRESET;
        return TLSW_ERR_RESET;
      }
      return TLSW_OK; /* *out_n 0: end of stream */
    }
    if (len > limit - f->received) len = limit - f->received;
  }
  if (f->recv_cap > 0 && len > f->recv_cap) len = f->recv_cap;
  int st = f->inner.recv(f->inner.io, buf, len, out_n);
  if (st == TLSW_OK) f->received += *out_n;
  return st;
}

void fault_io_init(fault_io *f, const tlsw_io *inner, tlsw_io *out) {
  memset(f, 0, sizeof *f);
  f->inner = *inner;
  f->eof_after = FAULT_NEVER;
  f->reset_after = FAULT_NEVER;
  out->send = fault_send;
  out->recv = fault_recv;
  out->io = f;
}

void fault_io_reset_counts(fault_io *f) {
  f->send_calls = f->recv_calls = 0;
  f->send_blocks = f->recv_blocks = 0;
  f->sent = f->received = 0;
}
