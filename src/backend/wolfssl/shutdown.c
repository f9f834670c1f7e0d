/*
 * The stash: TLS output the transport has not taken yet, held by tlswrap
 * instead of wolfSSL (the read/write path of session.c and the shutdown
 * below), and TLS shutdown: close_notify is built exactly once and flushed
 * from the stash by later calls, working around two 5.5.4 bugs (see
 * tlswi_wb_shutdown).
 */
#include "backend/wolfssl/internal.h"

#include <string.h>

#include "support/alloc.h"

/* Stash tail: more than a record plus an alert never comes from one
 * wolfSSL call; a bound keeps a confused backend from growing it. */
#define STASH_MAX (64u * 1024u)

/* One plain send through io.c's transport side, which maps every transport
 * outcome (and a send callback that overruns its buffer) the same way for
 * stashed and direct output: bytes taken, WOLFSSL_CBIO_ERR_WANT_WRITE, or a
 * failure recorded in io_status. (The stash is TLS's alone.) */
static int send_now(wsess *s, const uint8_t *buf, size_t sz) {
  return tlswi_wb_tls_put(s, buf, (int)sz);
}

/* Keep rest bytes at the end of the stash: 0, or the code that fails the
 * wolfSSL call (io_status says why). */
static int stash_keep(wsess *s, const uint8_t *buf, size_t rest) {
  if (rest > STASH_MAX - s->stash_len) {
    s->io_status = TLSW_ERR_INTERNAL;
    return WOLFSSL_CBIO_ERR_GENERAL;
  }
  uint8_t *nb = tlswi_realloc(s->stash, s->stash_len + rest);
  if (nb == NULL) {
    s->io_status = TLSW_ERR_NOMEM;
    return WOLFSSL_CBIO_ERR_GENERAL;
  }
  memcpy(nb + s->stash_len, buf, rest);
  s->stash = nb;
  s->stash_len += rest;
  return 0;
}

/*
 * While stash_on (TLS): hand the transport what it takes now and keep the
 * rest, so that wolfSSL sees every record it builds as sent and its own
 * output buffer is empty again when its call returns. Output that arrives
 * while older bytes still wait is queued behind them. Then no alert can be
 * built over a record still in flight, which 5.5.4 does (the alert lands at
 * the wrong offset of a partly sent buffer and the peer gets stale heap
 * bytes: tests/test_regress.c), and a close_notify is marked sent and never
 * built twice (tlswi_wb_shutdown).
 */
int tlswi_wb_stash_send(wsess *s, const uint8_t *buf, size_t sz) {
  if (!tlswi_wb_stash_pending(s)) {
    return tlswi_wb_stash_rest(s, buf, sz, send_now(s, buf, sz));
  }
  int r = stash_keep(s, buf, sz);
  return r < 0 ? r : (int)sz;
}

int tlswi_wb_stash_rest(wsess *s, const uint8_t *buf, size_t sz, int r) {
  size_t n = 0;
  if (r >= 0 && (size_t)r >= sz) return (int)sz;
  if (r != WOLFSSL_CBIO_ERR_WANT_WRITE) {
    if (r < 0) return r; /* io_status says why */
    n = (size_t)r;
    s->last_want = TLSW_DIR_WRITE;
  } /* else io.c set last_want to the direction the transport named */
  s->stash_off = s->stash_len = 0;
  int k = stash_keep(s, buf + n, sz - n);
  return k < 0 ? k : (int)sz;
}

/* The status of a failed stash or transport, from what the send callback
 * recorded (the same messages as tlswi_wb_decode_failure). */
static int send_failure(wsess *s) {
  switch (s->io_status) {
    case TLSW_ERR_NOMEM: return tlswi_err_status(s->err, TLSW_ERR_NOMEM, 0);
    case TLSW_ERR_INTERNAL:
      return tlswi_err_set(s->err, TLSW_ERR_INTERNAL, 0,
                           "more than %u bytes of output to hold back",
                           STASH_MAX);
    default: return tlswi_wb_io_failure(s, 0);
  }
}

int tlswi_wb_stash_failure(wsess *s) {
  if (s->io_status == TLSW_ERR_NOMEM || s->io_status == TLSW_ERR_INTERNAL) {
    return send_failure(s);
  }
  return 0;
}

int tlswi_wb_flush_stash(wsess *s, unsigned *want) {
  while (tlswi_wb_stash_pending(s)) {
    size_t left = s->stash_len - s->stash_off;
    s->last_want = 0;
    int r = send_now(s, s->stash + s->stash_off, left);
    if (r > 0) {
      s->stash_off += (size_t)r;
      continue;
    }
    if (r == 0 || r == WOLFSSL_CBIO_ERR_WANT_WRITE) {
      *want = s->last_want == TLSW_DIR_READ ? TLSW_DIR_READ : TLSW_DIR_WRITE;
      return *want == TLSW_DIR_READ ? TLSW_WANT_READ : TLSW_WANT_WRITE;
    }
    return send_failure(s);
  }
  tlswi_free(s->stash);
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
 * once with the transport stashing what it cannot take (tlswi_wb_stash_send),
 * and retries only flush the stash. DTLS keeps the plain call: a datagram is
 * never split across calls, and a repeated close_notify there is harmless.
 */
int tlswi_wb_shutdown(void *bsess, unsigned *want) {
  wsess *s = bsess;
  s->last_want = 0;
  int r;
  if (WB_IS_DTLS(s->cfg)) {
    r = wolfSSL_shutdown(s->ssl);
    if (r == WOLFSSL_SUCCESS || r == WOLFSSL_SHUTDOWN_NOT_DONE) return TLSW_OK;
  } else {
    if (s->close_done) return tlswi_wb_flush_stash(s, want);
    /* A write that blocked is abandoned: its record is in the stash and
     * goes out before our close_notify. */
    s->wr_done = 0;
    s->stash_on = 1;
    /* A second 5.5.4 bug: an alert is written at the wrong offset of a
     * partly sent output buffer, over the record still in flight (measured:
     * a shutdown after a blocked write made the peer fail with a bad
     * record). After our reads and writes wolfSSL holds no output (it is in
     * the stash), but a handshake that blocked may have left some: a 0-byte
     * write first moves it into the stash. It then answers BAD_FUNC_ARG
     * ("write() after WANT_WRITE with short size"), which only means that
     * blocked output is abandoned. */
    static const char none[1] = {0};
    if (wolfSSL_write(s->ssl, none, 0) < 0) {
#ifdef OPENSSL_EXTRA
      wolfSSL_ERR_clear_error(); /* the compat layer's error queue */
#endif
    }
    r = s->io_status != 0 ? WOLFSSL_FATAL_ERROR : wolfSSL_shutdown(s->ssl);
    s->stash_on = 0;
    /* SUCCESS: both close_notify seen; SHUTDOWN_NOT_DONE: ours is out (or
     * stashed) and we do not wait for the peer's. */
    if (r == WOLFSSL_SUCCESS || r == WOLFSSL_SHUTDOWN_NOT_DONE) {
      s->close_done = 1;
      return tlswi_wb_flush_stash(s, want);
    }
    int fst = tlswi_wb_stash_failure(s);
    if (fst != 0) return fst;
  }
  int st = tlswi_wb_decode_failure(s, r);
  *want = s->last_want;
  return st;
}

/*
 * TLS 1.3 KeyUpdate (RFC 8446 4.6.3), built with the stash on like every
 * other output: wolfSSL sees the message as sent, and what the transport
 * does not take now leaves first on the next call. Output still waiting
 * from before is flushed first; when that blocks no KeyUpdate is made
 * (the caller repeats the call), so one TLSW_OK is one KeyUpdate.
 */
int tlswi_wb_key_update(void *bsess, unsigned *want, tlsw_err *e) {
  wsess *s = bsess;
  s->last_want = 0;
  if (wolfSSL_GetVersion(s->ssl) != WOLFSSL_TLSV1_3) {
    return tlswi_err_set(e, TLSW_ERR_UNSUPPORTED, 0,
                         "key_update: KeyUpdate exists in TLS 1.3 only (this "
                         "session is %s)",
                         wolfSSL_get_version(s->ssl));
  }
  if (tlswi_wb_stash_pending(s)) {
    int fst = tlswi_wb_flush_stash(s, want);
    if (fst != TLSW_OK) return fst;
  }
  s->stash_on = 1;
  int r = wolfSSL_update_keys(s->ssl);
  s->stash_on = 0;
  if (r == WOLFSSL_SUCCESS) {
    int fst = tlswi_wb_flush_stash(s, want);
    /* Made and queued: it leaves before anything else. */
    return fst == TLSW_WANT_READ || fst == TLSW_WANT_WRITE ? TLSW_OK : fst;
  }
  int fst = tlswi_wb_stash_failure(s);
  if (fst != 0) return fst;
  int st = tlswi_wb_decode_failure(s, r);
  *want = s->last_want;
  return st;
}
