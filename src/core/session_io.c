/*
 * A session's I/O calls (the state table heads session.c): the gate
 * every call passes, tlsw_handshake, tlsw_read, tlsw_write,
 * tlsw_shutdown, the DTLS retransmission timer, and the re-entry guard.
 */
#include <stddef.h>
#include <string.h>

#include "support/hints.h"
#include "core/cookie.h"
#include "core/internal.h"
#include "core/ref.h"
#include "tlswrap/tlswrap.h"

/* Result of a backend I/O call: record direction and stickiness. */
static TLSW_NOINLINE int track_other(tlsw_session *s, int status,
                                     unsigned want) {
  if (status == TLSW_WANT_READ || status == TLSW_WANT_WRITE) {
    s->want = want
                  ? want
                  : (status == TLSW_WANT_READ ? TLSW_DIR_READ : TLSW_DIR_WRITE);
    return status;
  }
  s->want = 0;
  if (status == TLSW_CLOSED) {
    if (s->state == TLSW_SESS_HANDSHAKING || s->state == TLSW_SESS_OPEN) {
      s->state = TLSW_SESS_PEER_CLOSED;
    } else if (s->state == TLSW_SESS_SHUT) {
      s->established |= TLSWI_EST_PEER_CLOSED;
    }
    return status;
  }
  return tlswi_sess_fail(s, status);
}

static int track(tlsw_session *s, int status, unsigned want) {
  if (status != TLSW_OK) return track_other(s, status, want);
  s->want = 0;
  return status;
}

/* After a handshake step: (re)arm the retransmission deadline when the step
 * sent a flight and now waits for the peer, disarm it when nothing waits. */
static void dtls_timer_update(tlsw_session *s, int st, unsigned sent_before) {
  const tlsw_backend *be = s->ctx->be;
  if (!s->ctx->cfg.is_dtls) return;
  if (st != TLSW_WANT_READ || s->established || !tlswi_sess_live(s) ||
      s->dtls_sent == 0 || be->dtls_timeout_ms == NULL) {
    if (st != TLSW_WANT_WRITE) s->dtls_timer_armed = 0;
    return;
  }
  if (s->dtls_timer_armed && s->dtls_sent == sent_before) return;
  long ms = be->dtls_timeout_ms(s->bsess);
  if (ms < 0) {
    s->dtls_timer_armed = 0;
    return;
  }
  s->dtls_deadline_ms =
      tlswi_clock_now(s->ctx->clock, s->ctx->clock_user) + (uint64_t)ms;
  s->dtls_timer_armed = 1;
}

/*
 * A session's callbacks (transport, verify, PSK) run inside a backend call
 * on it; calling tlsw_read/_write/_handshake/_shutdown on the same session
 * from there re-enters wolfSSL mid-operation (measured: a tlsw_write from
 * the send callback was a heap use-after-free inside wolfSSL; a tlsw_read
 * from the recv callback silently took the data). One flag refuses it. The
 * refusal is not sticky: the outer call goes on.
 */
static int reentered(tlsw_session *s, const char *fn) {
  return tlswi_err_set(&s->err, TLSW_ERR_STATE, 0,
                       "%s called from inside one of this session's own "
                       "callbacks (transport, verify or PSK): return from "
                       "the callback and call it afterwards",
                       fn);
}

/* Common gate for I/O calls: sticky errors and shutdown. */
static int gate(tlsw_session *s) {
  if (s->state == TLSW_SESS_WRAPPING) {
    s->want = 0;
    return tlswi_sess_fail(s, tlswi_sess_no_credentials(s, "handshake"));
  }
  if (s->state == TLSW_SESS_DEAD) {
    s->want = 0;
    return s->sticky;
  }
  if (s->state == TLSW_SESS_SHUT) {
    s->want = 0;
    return tlswi_err_set(&s->err, TLSW_ERR_SHUT, 0, "%s",
                         s->established
                             ? "the session was shut down (tlsw_shutdown()): "
                               "nothing more can be sent; reads still get "
                               "what the peer sends until its close_notify"
                             : "the session was closed (tlsw_shutdown()) "
                               "before its handshake");
  }
  return TLSW_OK;
}

int tlsw_handshake(tlsw_session *s) {
  if (s == NULL) return TLSW_ERR_ARG;
  if (s->in_call) return reentered(s, "tlsw_handshake()");
  int st = gate(s);
  if (st != TLSW_OK || s->established) return st;
  unsigned want = 0;
  unsigned sent_before = s->dtls_sent;
  if (s->state == TLSW_SESS_READY) s->state = TLSW_SESS_HANDSHAKING;
  s->in_call = 1;
  tlswi_err_mark(&s->err);
  st = s->ctx->be->handshake(s->bsess, &want);
  s->in_call = 0;
  st = track(s, st, want);
  if (st == TLSW_OK && tlswi_alpn_record(s) != TLSW_OK) {
    st =
        tlswi_sess_fail(s, TLSW_ERR_NOMEM); /* the message says what was lost */
  }
  if (st == TLSW_OK) {
    s->established = 1;
    tlswi_resume_record(s);
    if (s->state == TLSW_SESS_HANDSHAKING) s->state = TLSW_SESS_OPEN;
  }
  dtls_timer_update(s, st, sent_before);
  return st;
}

int tlsw_session_handshake_done(const tlsw_session *s) {
  return s != NULL && s->established;
}

/*
 * Reads and writes of an open session not inside one of its own callbacks
 * (every call of an application moving data) go straight to the backend;
 * the rest (a handshake to finish first, a closed or dead session, a
 * re-entered call) is io_prologue()'s, which ends with the same state
 * checks in the same order as before.
 */
static TLSW_NOINLINE int io_prologue(tlsw_session *s, const char *fn,
                                     int reading) {
  if (s->in_call) return reentered(s, fn);
  /* Half-closed by us (close_notify sent after a handshake): the peer may
   * still send, and its close_notify ends the reading (CPython's
   * unwrap(), OpenSSL's second SSL_shutdown()). */
  if (reading && s->state == TLSW_SESS_SHUT && s->established) {
    s->want = 0;
    return (s->established & TLSWI_EST_PEER_CLOSED) ? TLSW_CLOSED : TLSW_OK;
  }
  int st = gate(s);
  if (st != TLSW_OK) return st;
  if (reading && s->state == TLSW_SESS_PEER_CLOSED) return TLSW_CLOSED;
  if (!s->established) return tlsw_handshake(s);
  return TLSW_OK;
}

static int open_and_idle(const tlsw_session *s) {
  return s->state == TLSW_SESS_OPEN && !s->in_call;
}

int tlsw_read(tlsw_session *s, void *buf, size_t len, size_t *out_n) {
  if (out_n != NULL) *out_n = 0;
  if (s == NULL || out_n == NULL || (buf == NULL && len > 0)) {
    return TLSW_ERR_ARG;
  }
  if (!open_and_idle(s)) {
    int st = io_prologue(s, "tlsw_read()", 1);
    if (st != TLSW_OK) return st;
  }
  if (len == 0) return TLSW_OK;
  unsigned want = 0;
  s->in_call = 1;
  tlswi_err_mark(&s->err);
  int st = s->ctx->be->read(s->bsess, buf, len, out_n, &want);
  s->in_call = 0;
  if (st == TLSW_OK && s->ctx->cfg.is_dtls) s->dtls_reads++;
  return track(s, st, want);
}

unsigned tlswi_sess_dtls_reads(const tlsw_session *s) {
  return s->dtls_reads;
}

/* DTLS: a write must fit one datagram (the backend would cut it). */
static TLSW_NOINLINE int dtls_too_big(tlsw_session *s, size_t len) {
  size_t max = tlsw_session_dtls_max_payload(s);
  if (max == 0 || len <= max) return TLSW_OK;
  return tlswi_err_set(&s->err, TLSW_ERR_TOO_BIG, 0,
                       "write of %zu bytes exceeds the DTLS datagram "
                       "payload limit of %zu bytes",
                       len, max);
}

/* After the peer's close_notify: TLS 1.3 lets our side go on (a
 * half-close, RFC 8446 6.1); TLS 1.2 and DTLS 1.2 end the connection
 * there (RFC 5246 7.2.1: the peer discards what follows), so a write
 * would be lost: refused with a message, never a silent TLSW_OK. */
static TLSW_NOINLINE int after_peer_close(tlsw_session *s) {
  const char *v = tlsw_session_version(s);
  if (v != NULL && strcmp(v, "TLSv1.3") == 0) return TLSW_OK;
  s->want = 0;
  return tlswi_err_set(&s->err, TLSW_ERR_SHUT, 0,
                       "tlsw_write(): the peer closed the connection "
                       "(close_notify) and %s allows nothing after it (the "
                       "peer discards it): call tlsw_shutdown()",
                       v != NULL ? v : "this protocol");
}

int tlsw_write(tlsw_session *s, const void *buf, size_t len, size_t *out_n) {
  if (out_n != NULL) *out_n = 0;
  if (s == NULL || out_n == NULL || (buf == NULL && len > 0)) {
    return TLSW_ERR_ARG;
  }
  if (!open_and_idle(s)) {
    int st = io_prologue(s, "tlsw_write()", 0);
    if (st == TLSW_OK && s->state == TLSW_SESS_PEER_CLOSED && s->established) {
      st = after_peer_close(s);
    }
    if (st != TLSW_OK) return st;
  }
  if (len == 0) return TLSW_OK;
  const tlsw_ctx *ctx = s->ctx;
  if (ctx->cfg.is_dtls) {
    int st = dtls_too_big(s, len);
    if (st != TLSW_OK) return st;
  }
  unsigned want = 0;
  s->in_call = 1;
  tlswi_err_mark(&s->err);
  int st = ctx->be->write(s->bsess, buf, len, out_n, &want);
  s->in_call = 0;
  return track(s, st, want);
}

size_t tlsw_session_pending(const tlsw_session *s) {
  if (s == NULL || !tlswi_sess_live(s)) return 0;
  return s->ctx->be->pending(s->bsess);
}

unsigned tlsw_session_want(const tlsw_session *s) {
  return s ? s->want : 0;
}

/* A handshake under way has no connection to close politely: a
 * close_notify now would end a handshake the peer is still in, and
 * keeping the session for reads would hold half a handshake. Not sticky;
 * the state stays (the caller may still finish the handshake). */
static TLSW_NOINLINE int mid_handshake(tlsw_session *s) {
  s->want = 0;
  return tlswi_err_set(&s->err, TLSW_ERR_STATE, 0,
                       "tlsw_shutdown(): the handshake has started and not "
                       "completed, so there is no connection to close "
                       "politely (no close_notify is sent): free the session "
                       "with tlsw_session_free(), or finish the handshake "
                       "first");
}

int tlsw_shutdown(tlsw_session *s) {
  if (s == NULL) return TLSW_ERR_ARG;
  if (s->in_call) return reentered(s, "tlsw_shutdown()");
  if (s->state == TLSW_SESS_DEAD) return s->sticky;
  if (s->state == TLSW_SESS_SHUT) return TLSW_OK;
  if (s->state == TLSW_SESS_WRAPPING || s->state == TLSW_SESS_READY) {
    /* Nothing was sent (also a server session still WRAPPING: see
     * lacks_credentials): nothing to close; mark it so I/O stops. */
    s->state = TLSW_SESS_SHUT;
    return TLSW_OK;
  }
  if (!s->established) return mid_handshake(s);
  unsigned want = 0;
  s->in_call = 1;
  tlswi_err_mark(&s->err);
  int st = s->ctx->be->shutdown(s->bsess, &want);
  s->in_call = 0;
  int peer_closed = s->state == TLSW_SESS_PEER_CLOSED;
  st = track(s, st, want);
  if (st == TLSW_OK) {
    s->state = TLSW_SESS_SHUT;
    if (peer_closed) s->established |= TLSWI_EST_PEER_CLOSED;
  }
  return st;
}

long tlsw_session_dtls_timeout_ms(const tlsw_session *s) {
  if (s == NULL || !s->ctx->cfg.is_dtls || !s->dtls_timer_armed ||
      s->state == TLSW_SESS_DEAD || s->established) {
    return -1;
  }
  uint64_t now = tlswi_clock_now(s->ctx->clock, s->ctx->clock_user);
  if (now >= s->dtls_deadline_ms) return 0;
  uint64_t left = s->dtls_deadline_ms - now;
  return left > 0x7fffffffu ? 0x7fffffffL : (long)left;
}

int tlsw_dtls_handle_timeout(tlsw_session *s) {
  if (s == NULL) return TLSW_ERR_ARG;
  if (s->in_call) return reentered(s, "tlsw_dtls_handle_timeout()");
  if (!s->ctx->cfg.is_dtls) {
    return tlswi_err_set(&s->err, TLSW_ERR_STATE, 0,
                         "dtls_handle_timeout: not a DTLS session");
  }
  int st = gate(s);
  if (st != TLSW_OK || s->established) return st;
  if (tlsw_session_dtls_timeout_ms(s) != 0 || !tlswi_sess_live(s) ||
      s->ctx->be->dtls_handle_timeout == NULL) {
    /* Not due (or nothing sent yet): nothing to resend. */
    s->want = TLSW_DIR_READ;
    return TLSW_WANT_READ;
  }
  unsigned want = 0;
  unsigned sent_before = s->dtls_sent;
  s->in_call = 1;
  tlswi_err_mark(&s->err);
  st = s->ctx->be->dtls_handle_timeout(s->bsess, &want);
  s->in_call = 0;
  if (st == TLSW_OK) st = TLSW_WANT_READ; /* resent; wait for the peer */
  st = track(s, st, want);
  /* Resending restarts the (doubled) timer even if the flight could not
   * all go out at once. */
  if (st == TLSW_WANT_READ) s->dtls_timer_armed = 0;
  dtls_timer_update(s, st, sent_before);
  return st;
}

int tlsw_session_key_update(tlsw_session *s) {
  if (s == NULL) return TLSW_ERR_ARG;
  if (s->in_call) return reentered(s, "tlsw_session_key_update()");
  int st = gate(s);
  if (st != TLSW_OK) return st;
  if (!s->established) {
    return tlswi_err_set(&s->err, TLSW_ERR_STATE, 0,
                         "key_update: the handshake has not completed");
  }
  if (s->ctx->cfg.is_dtls || s->ctx->be->key_update == NULL) {
    return tlswi_err_set(&s->err, TLSW_ERR_UNSUPPORTED, 0, "key_update: %s",
                         s->ctx->cfg.is_dtls
                             ? "DTLS 1.2 has no KeyUpdate"
                             : "this backend cannot send a KeyUpdate");
  }
  unsigned want = 0;
  s->in_call = 1;
  tlswi_err_mark(&s->err);
  st = s->ctx->be->key_update(s->bsess, &want, &s->err);
  s->in_call = 0;
  return track(s, st, want);
}
