/*
 * Sessions, their lifecycle: the state table, tlsw_wrap() and the
 * backend half it makes, failure (fail: stickiness, freeing the backend
 * state), tlsw_session_free() and the queries. The I/O calls and their
 * gate are session_io.c's.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "support/alloc.h"
#include "support/hints.h"
#include "support/opts.h"
#include "core/cookie.h"
#include "core/internal.h"
#include "core/policy.h"
#include "core/trace.h"
#include "tlswrap/tlswrap.h"

/*
 * A session's state (tlsw_sess_state, core/internal.h) and its legal moves;
 * nothing else changes s->state (this file and session_io.c).
 *
 *   from                     event                                 to
 *   WRAPPING                 backend sess_init succeeds            READY
 *   WRAPPING                 any failure (tlswi_sess_fail())       DEAD
 *   WRAPPING                 the first I/O call of a server        DEAD
 *     wrapped, handshake deferred, from a context without a certificate
 *     (no_credentials(): MicroPython wraps such sockets to probe them)
 *   WRAPPING, READY          tlsw_shutdown() (nothing was sent)    SHUT
 *   READY                    the first handshake step              HANDSHAKING
 *   HANDSHAKING              handshake returns TLSW_OK             OPEN
 *   HANDSHAKING, OPEN        the backend returns TLSW_CLOSED       PEER_CLOSED
 *   OPEN, PEER_CLOSED        tlsw_shutdown() sends close_notify    SHUT
 *     (after a handshake that completed)
 *   READY .. SHUT            a fatal status (tlsw_status_is_fatal),
 *                            or junk in a fresh DTLS server
 *                            session's first datagram              DEAD
 *   DEAD                     (none: every call returns s->sticky)
 *
 * tlsw_shutdown() of a handshake that started and has not completed
 * (HANDSHAKING, or PEER_CLOSED before completion) is TLSW_ERR_STATE and
 * moves nothing: there is no connection to close politely, and the
 * caller should free the session. A status that is not fatal (blocked, a
 * usage error, a dropped datagram) leaves the state as it was. gate()
 * refuses I/O in DEAD and SHUT, except reads in SHUT after a handshake
 * (we closed, the peer may still send: they go on until its close_notify,
 * TLSWI_EST_PEER_CLOSED); reads in PEER_CLOSED return TLSW_CLOSED, writes
 * still go under TLS 1.3 (a half-close) and are TLSW_ERR_SHUT under TLS
 * 1.2 and DTLS 1.2, whose peer discards them. A handshake that completes in
 * PEER_CLOSED (the peer closed mid-handshake) stays there.
 */

/* A session made from a context takes a reference on it; see context.h. */

/* Before the backend state of a handshake that failed verification goes:
 * keep the certificate the peer sent (best effort; without memory the
 * session simply has none to show). */
static void keep_peer_cert(tlsw_session *s, int status) {
  const uint8_t *der = NULL;
  size_t len = 0;
  /* The category, not a range of codes: a verification status added
   * later is covered too (a load error cannot reach a live session). */
  int verify_failed = tlsw_status_category(status) == TLSW_CAT_CERT;
  if (s->established || !verify_failed || s->held.kept_cert != NULL ||
      s->ctx->be->peer_cert(s->bsess, &der, &len) != TLSW_OK || len == 0) {
    return;
  }
  s->held.kept_cert = tlswi_malloc(sizeof *s->held.kept_cert + len);
  if (s->held.kept_cert == NULL) return;
  s->held.kept_cert->der_len = len;
  memcpy(s->held.kept_cert->der, der, len);
}

int tlswi_sess_fail(tlsw_session *s, int status) {
  status = tlswi_err_settle(&s->err, status);
  /* The backend normally filled s->err; make sure the message is never
   * empty and the status matches what we return. */
  if (s->err.msg[0] == '\0' || s->err.status != status) {
    long code = s->err.backend_code;
    /* It may say NOMEM instead (message.h). */
    status = tlswi_err_status(&s->err, status, code);
  }
  /* DTLS server: junk in the first datagram of a fresh session ends it just
   * like a HelloVerifyRequest does; nothing is kept for a peer that has not
   * shown a valid cookie. (Later, junk is dropped and the session lives.) */
  int fresh_junk = status == TLSW_ERR_DATAGRAM_DROPPED && tlswi_sess_live(s) &&
                   s->ctx->be->dtls_fresh != NULL &&
                   s->ctx->be->dtls_fresh(s->bsess);
  /* A session whose wrap failed has no backend state: any status ends it
   * (a usage error in opts too), or later calls would reach the backend
   * with nothing initialised (a crash before this check). */
  if (tlsw_status_is_fatal(status) || fresh_junk || !tlswi_sess_live(s)) {
    s->sticky = status;
    s->dtls_timer_armed = 0;
    /* A dead session keeps only its message: the backend state (tens of
     * KB) is released at once, which also gives DTLS servers their
     * constant memory after a HelloVerifyRequest. */
    if (tlswi_sess_live(s)) {
      keep_peer_cert(s, status);
      s->ctx->be->sess_free(s->bsess);
    }
    s->state = TLSW_SESS_DEAD;
  }
  return status;
}

/* DTLS transport shim: counts datagrams sent, so that the retransmission
 * deadline restarts whenever a flight goes out. */
static int dtls_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  tlsw_session *s = io;
  int st = s->io.send(s->io.io, buf, len, out_n);
  /* 16 bits, only compared for change; 0 stays "nothing sent yet". */
  if (st == TLSW_OK && *out_n > 0 && ++s->dtls_sent == 0) s->dtls_sent = 1;
  return st;
}

static int dtls_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  tlsw_session *s = io;
  return s->io.recv(s->io.io, buf, len, out_n);
}

/* The first published tlsw_wrap_opts ended with client_id_len; a smaller
 * struct_size is a caller that never set it. */
#define TLSWI_WRAP_OPTS_V1 \
  (offsetof(tlsw_wrap_opts, client_id_len) + sizeof(size_t))

static int bad_opts(tlsw_session *s, int why) {
  if (why == TLSWI_OPTS_TOO_SMALL) {
    return tlswi_err_set(&s->err, TLSW_ERR_ARG, 0,
                         "wrap: opts->struct_size is not set: start the "
                         "options from TLSW_WRAP_OPTS_INIT");
  }
  return tlswi_err_set(&s->err, TLSW_ERR_ARG, 0,
                       "wrap: opts come from a newer tlswrap header and set "
                       "options this library (%s) does not have",
                       TLSW_VERSION_STRING);
}

/* What tlsw_wrap() refuses before any state is made (the message in
 * s->err). */
static int check_wrap(tlsw_session *s, const tlsw_io *io,
                      const tlsw_wrap_opts *opts, const char *host) {
  const tlsw_config *cfg = &s->ctx->cfg;
  if (io->send == NULL || io->recv == NULL) {
    return tlswi_err_set(&s->err, TLSW_ERR_ARG, 0,
                         "wrap: the transport needs both send and recv "
                         "callbacks");
  }
  if (opts->server_side != -1 && (opts->server_side != 0) != cfg->is_server) {
    return tlswi_err_set(&s->err, TLSW_ERR_ARG, 0,
                         "wrap: server_side=%d does not match a %s context",
                         opts->server_side,
                         cfg->is_server ? "server" : "client");
  }
  if (!cfg->is_server && host == NULL &&
      cfg->verify_mode == TLSW_CERT_REQUIRED) {
    return tlswi_err_status(&s->err, TLSW_ERR_HOSTNAME_REQUIRED, 0);
  }
  if (!cfg->is_server && host != NULL && strlen(host) > TLSW_HOST_MAX) {
    return tlswi_err_set(&s->err, TLSW_ERR_ARG, 0,
                         "wrap: server_hostname is longer than %u characters",
                         (unsigned)TLSW_HOST_MAX);
  }
  if (cfg->is_server && cfg->is_dtls &&
      (opts->client_id == NULL || opts->client_id_len == 0)) {
    return tlswi_err_set(&s->err, TLSW_ERR_ARG, 0,
                         "wrap: a DTLS server session needs a non-empty "
                         "client_id (bytes naming the peer's address)");
  }
  return TLSW_OK;
}

/* A server with nothing to authenticate with: no certificate chain and no
 * PSK callback. wolfSSL 5.7.2's wolfSSL_new() refuses it outright (NULL,
 * no reason), 5.5.4 fails its handshake later with a misleading one; the
 * rule and its sentence are the core's, the same on every build. */
static int lacks_credentials(const tlsw_config *cfg) {
  return cfg->is_server && !cfg->has_chain && cfg->psk_cb == NULL;
}

int tlswi_sess_no_credentials(tlsw_session *s, const char *when) {
  return tlswi_err_set(&s->err, TLSW_ERR_STATE, 0,
                       "%s: this server context has no certificate: load "
                       "one with tlsw_ctx_load_cert_chain() (or set a PSK "
                       "server callback) before the handshake",
                       when);
}

/* The transport the backend talks to: the caller's, under the DTLS
 * datagram counter, under the message trace (right above the transport). */
static int wrap_io(tlsw_session *s, tlsw_sess_params *p) {
  tlsw_ctx *ctx = s->ctx;
  p->io = &s->io;
  if (ctx->cfg.is_dtls) {
    s->dtls_io.send = dtls_send;
    s->dtls_io.recv = dtls_recv;
    s->dtls_io.io = s;
    p->io = &s->dtls_io;
  }
  if (ctx->msg_cb == NULL) return TLSW_OK;
  s->trace =
      tlswi_trace_new(p->io, ctx->cfg.is_dtls, ctx->msg_cb, ctx->msg_user);
  if (s->trace == NULL) {
    return tlswi_err_set(&s->err, TLSW_ERR_NOMEM, 0,
                         "wrap: out of memory for the message trace's state");
  }
  p->io = tlswi_trace_io(s->trace);
  return TLSW_OK;
}

/* The backend's half of a session: its transport, the DTLS cookie keys
 * (wiped once the backend has them), the peer's names. */
static int make_backend(tlsw_session *s, const tlsw_wrap_opts *opts,
                        const char *host) {
  tlsw_ctx *ctx = s->ctx;
  const tlsw_config *cfg = &ctx->cfg;
  tlsw_sess_params p;
  memset(&p, 0, sizeof p);
  tlsw_cookie_snapshot keys;
  memset(&keys, 0, sizeof keys);
  int st = wrap_io(s, &p);
  if (st != TLSW_OK) return st;
  if (cfg->is_dtls && cfg->is_server && ctx->cookie != NULL) {
    st = tlswi_cookie_get(ctx->cookie, ctx->be,
                          tlswi_clock_now(ctx->clock, ctx->clock_user), &keys,
                          &s->err);
    if (st != TLSW_OK) return st;
    p.cookie_secret = keys.cur;
    p.cookie_prev_secret = keys.have_prev ? keys.prev : NULL;
    p.cookie_secret_len = sizeof keys.cur;
  }
  p.server_hostname = cfg->is_server ? NULL : host;
  p.sni_len = tlswi_sni_len(p.server_hostname);
  p.client_id = opts->client_id;
  p.client_id_len = opts->client_id_len;
  p.err = &s->err;
  p.verify = &s->verify;
  st = tlswi_resume_params(s, opts, host, &p);
  if (st != TLSW_OK) return st;
  st = ctx->be->sess_init(s->bsess, ctx->bctx, cfg, &p);
  tlswi_cookie_snapshot_wipe(&keys);
  return st;
}

int tlsw_wrap(tlsw_ctx *ctx, const tlsw_io *io, const tlsw_wrap_opts *opts,
              tlsw_session **out) {
  if (out == NULL) return TLSW_ERR_ARG;
  *out = NULL;
  if (ctx == NULL || io == NULL) return TLSW_ERR_ARG;
  static const tlsw_wrap_opts defaults = TLSW_WRAP_OPTS_INIT;
  if (opts == NULL) opts = &defaults;
  tlsw_wrap_opts own;
  int in = tlswi_opts_in(&own, sizeof own, opts, TLSWI_WRAP_OPTS_V1);

  const tlsw_backend *be = ctx->be;
  size_t head = TLSW_ALIGN_UP(sizeof(tlsw_session));
  tlsw_session *s = tlswi_calloc(1, head + be->sess_size);
  if (s == NULL) return TLSW_ERR_NOMEM;
  s->bsess = (unsigned char *)s + head;
  s->ctx = ctx;
  tlswi_ctx_ref(ctx);
  s->io = *io;
  *out = s;
  tlswi_err_mark(&s->err); /* nothing failed: the calloc succeeded */
  if (in != TLSWI_OPTS_OK) return tlswi_sess_fail(s, bad_opts(s, in));
  opts = &own;

  const tlsw_config *cfg = &ctx->cfg;
  const char *host = opts->server_hostname;
  if (host != NULL && host[0] == '\0') host = NULL;
  int st = check_wrap(s, io, opts, host);
  if (st != TLSW_OK) return tlswi_sess_fail(s, st);
  if (lacks_credentials(cfg)) {
    /* With the handshake deferred, the session exists (and can be looked
     * at) until its first I/O call, which fails (gate()); as MicroPython's
     * ssl lets a server socket be wrapped before it has a certificate. */
    if (opts->do_handshake_on_connect) {
      return tlswi_sess_fail(s, tlswi_sess_no_credentials(s, "wrap"));
    }
    return TLSW_OK;
  }

  st = make_backend(s, opts, host);
  if (st != TLSW_OK) return tlswi_sess_fail(s, st);
  s->state = TLSW_SESS_READY;
  if (!opts->do_handshake_on_connect) return TLSW_OK;
  return tlsw_handshake(s);
}

void tlsw_session_free(tlsw_session *s) {
  if (s == NULL) return;
  if (tlswi_sess_live(s)) s->ctx->be->sess_free(s->bsess);
  tlswi_free(s->held.any);
  tlswi_trace_free(s->trace);
  tlswi_ctx_unref(s->ctx);
  tlswi_free(s);
}

int tlsw_session_status(const tlsw_session *s) {
  return s ? s->sticky : TLSW_ERR_ARG;
}

const char *tlsw_session_message(const tlsw_session *s) {
  return s ? s->err.msg : "";
}

long tlsw_session_backend_error(const tlsw_session *s) {
  return s ? s->err.backend_code : 0;
}

const char *tlsw_session_version(const tlsw_session *s) {
  if (s == NULL || !s->established || !tlswi_sess_live(s)) return NULL;
  return s->ctx->be->version_name(s->bsess);
}

const char *tlsw_session_cipher(const tlsw_session *s) {
  if (s == NULL || !s->established || !tlswi_sess_live(s)) return NULL;
  return s->ctx->be->cipher_name(s->bsess);
}

int tlsw_session_peer_cert(const tlsw_session *s, const uint8_t **der,
                           size_t *der_len) {
  if (s == NULL || der == NULL || der_len == NULL) return TLSW_ERR_ARG;
  *der = NULL;
  *der_len = 0;
  if (!s->established && s->held.kept_cert != NULL) {
    *der = s->held.kept_cert->der;
    *der_len = s->held.kept_cert->der_len;
    return TLSW_OK;
  }
  if (!s->established || !tlswi_sess_live(s)) return TLSW_ERR_STATE;
  return s->ctx->be->peer_cert(s->bsess, der, der_len);
}

int tlsw_session_verify_result(const tlsw_session *s) {
  if (s == NULL) return TLSW_ERR_ARG;
  if (!s->established || !tlswi_sess_live(s)) return TLSW_ERR_STATE;
  return s->ctx->be->verify_result(s->bsess);
}

size_t tlsw_session_dtls_max_payload(const tlsw_session *s) {
  if (s == NULL || !s->ctx->cfg.is_dtls || !tlswi_sess_live(s) ||
      s->ctx->be->dtls_max_payload == NULL) {
    return 0;
  }
  return s->ctx->be->dtls_max_payload(s->bsess);
}

int tlsw_session_set_user(tlsw_session *s, void *user) {
  if (s == NULL) return TLSW_ERR_ARG;
  s->user = user;
  return TLSW_OK;
}

void *tlsw_session_user(const tlsw_session *s) {
  return s ? s->user : NULL;
}
