/*
 * TLS shutdown: close_notify is built exactly once and what the transport
 * cannot take yet is held back (the stash) and flushed by later calls,
 * working around two 5.5.4 bugs (see tlsw_wb_shutdown).
 */
#include "backend/wolfssl/internal.h"

#include <errno.h>
#include <string.h>

#include "core/alloc.h"

/* Stash tail: more than a record plus an alert never comes from one
 * wolfSSL_shutdown(); a bound keeps a confused backend from growing it. */
#define STASH_MAX (64u * 1024u)

/*
 * During wolfSSL_shutdown() only (TLS): hand the transport what it takes now
 * and keep the rest, so that wolfSSL sees its close_notify (and any record
 * still pending from a blocked write) as sent, marks it sent, and never
 * builds it again. tlsw_wb_shutdown() then flushes the stash.
 */
int tlsw_wb_stash_send(wsess *s, const uint8_t *buf, size_t sz) {
  size_t n = 0;
  if (s->stash_off == s->stash_len) {
    s->stash_off = s->stash_len = 0;
    errno = 0;
    int st = s->io->send(s->io->io, buf, sz, &n);
    switch (st) {
      case TLSW_OK:
        if (n >= sz) return (int)sz;
        break;
      case TLSW_WANT_WRITE:
      case TLSW_WANT_READ: n = 0; break;
      case TLSW_ERR_TIMEOUT:
      case TLSW_ERR_RESET:
        s->io_status = st;
        s->io_errno = errno;
        return st == TLSW_ERR_RESET ? WOLFSSL_CBIO_ERR_CONN_RST
                                    : WOLFSSL_CBIO_ERR_GENERAL;
      default:
        s->io_status = TLSW_ERR_IO;
        s->io_errno = errno;
        return WOLFSSL_CBIO_ERR_GENERAL;
    }
  }
  size_t rest = sz - n;
  if (rest > STASH_MAX - s->stash_len) {
    s->io_status = TLSW_ERR_INTERNAL;
    return WOLFSSL_CBIO_ERR_GENERAL;
  }
  uint8_t *nb = tlsw_realloc(s->stash, s->stash_len + rest);
  if (nb == NULL) {
    s->io_status = TLSW_ERR_NOMEM;
    return WOLFSSL_CBIO_ERR_GENERAL;
  }
  memcpy(nb + s->stash_len, buf + n, rest);
  s->stash = nb;
  s->stash_len += rest;
  return (int)sz;
}

/* Send the stash; TLSW_OK once it is all out. */
static int flush_stash(wsess *s, unsigned *want) {
  while (s->stash_off < s->stash_len) {
    size_t left = s->stash_len - s->stash_off, n = 0;
    errno = 0;
    int st = s->io->send(s->io->io, s->stash + s->stash_off, left, &n);
    if (st == TLSW_OK && n > 0) {
      s->stash_off += n < left ? n : left;
      continue;
    }
    if (st == TLSW_OK || st == TLSW_WANT_WRITE || st == TLSW_WANT_READ) {
      *want = st == TLSW_WANT_READ ? TLSW_WANT_RD : TLSW_WANT_WR;
      return st == TLSW_WANT_READ ? TLSW_WANT_READ : TLSW_WANT_WRITE;
    }
    int e = errno;
    if (st == TLSW_ERR_TIMEOUT) {
      return tlsw_err_set(s->err, TLSW_ERR_TIMEOUT, 0, "transport timed out");
    }
    if (st == TLSW_ERR_RESET) {
      return tlsw_err_set(s->err, TLSW_ERR_RESET, 0,
                          "connection reset by peer");
    }
    if (e != 0) {
      return tlsw_err_set(s->err, TLSW_ERR_IO, 0,
                          "transport I/O error: %s (errno %d)", strerror(e), e);
    }
    return tlsw_err_set(s->err, TLSW_ERR_IO, 0, "transport I/O error");
  }
  tlsw_free(s->stash);
  s->stash = NULL;
  s->stash_len = s->stash_off = 0;
  return TLSW_OK;
}

/*
 * 5.5.4 bug (curl notes it as wolfSSL #7784; measured here with a 1-byte
 * transport): when wolfSSL_shutdown() cannot send its close_notify at once
 * it returns WANT_WRITE without marking the alert as sent, and every retry
 * appends another close_notify (4 KB of duplicate alerts after a few
 * thousand retries). Flushing with a 0-byte wolfSSL_write() instead fails
 * with BAD_FUNC_ARG when a blocked write was pending ("write() after
 * WANT_WRITE with short size"). So for TLS, wolfSSL_shutdown() runs exactly
 * once with the transport stashing what it cannot take (tlsw_wb_stash_send),
 * and retries only flush the stash. DTLS keeps the plain call: a datagram is
 * never split across calls, and a repeated close_notify there is harmless.
 */
int tlsw_wb_shutdown(void *bsess, unsigned *want) {
  wsess *s = bsess;
  s->last_want = 0;
  int r;
  if (s->cfg->is_dtls) {
    r = wolfSSL_shutdown(s->ssl);
    if (r == WOLFSSL_SUCCESS || r == WOLFSSL_SHUTDOWN_NOT_DONE) return TLSW_OK;
  } else {
    if (s->close_done) return flush_stash(s, want);
    s->stash_on = 1;
    /* A second 5.5.4 bug: an alert is written at the start of a partly
     * sent output buffer, over the record still in flight (measured: a
     * shutdown after a blocked write made the peer fail with a bad record).
     * A 0-byte write first moves anything pending into the stash; it then
     * answers BAD_FUNC_ARG ("write() after WANT_WRITE with short size"),
     * which only means the caller's blocked write is abandoned. */
    static const char none[1] = {0};
    if (wolfSSL_write(s->ssl, none, 0) < 0) wolfSSL_ERR_clear_error();
    r = s->io_status != 0 ? WOLFSSL_FATAL_ERROR : wolfSSL_shutdown(s->ssl);
    s->stash_on = 0;
    /* SUCCESS: both close_notify seen; SHUTDOWN_NOT_DONE: ours is out (or
     * stashed) and we do not wait for the peer's. */
    if (r == WOLFSSL_SUCCESS || r == WOLFSSL_SHUTDOWN_NOT_DONE) {
      s->close_done = 1;
      return flush_stash(s, want);
    }
    if (s->io_status == TLSW_ERR_NOMEM) {
      return tlsw_err_status(s->err, TLSW_ERR_NOMEM, 0);
    }
    if (s->io_status == TLSW_ERR_INTERNAL) {
      return tlsw_err_set(s->err, TLSW_ERR_INTERNAL, 0,
                          "shutdown: more than %u bytes to flush", STASH_MAX);
    }
  }
  int st = tlsw_wb_decode_failure(s, r);
  *want = s->last_want;
  return st;
}
