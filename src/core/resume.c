/*
 * Session resumption, backend-neutral: the saved form of a client session
 * and the rules for offering it again. The backend encodes its own state
 * (a ticket, the master secret); the core wraps it in an envelope that
 * records what the first handshake established, so a resumed session is
 * never trusted beyond what that handshake checked:
 *
 *   "TLSW" | version (1) | verified (1) | host length (1) | host | backend
 *
 * A resumed handshake has no certificate to check (the server proves it
 * holds the session's secret instead), so resuming into a context is
 * refused unless the first handshake verified what this one would: the
 * same host name, and a verified chain whenever this context verifies.
 */
#include <string.h>

#include "core/internal.h"
#include "tlswrap/context.h"
#include "tlswrap/session.h"
#include "tlswrap/tlswrap.h"

#define ENV_MAGIC "TLSW"
#define ENV_VERSION 1
#define ENV_HEAD 7 /* magic, version, verified, host length */

int tlsw_ctx_set_session_tickets(tlsw_ctx *ctx, int enable) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  if (enable) {
    int st = tlswi_ctx_needs(ctx, TLSW_FEATURE_RESUMPTION,
                             "set_session_tickets", "session tickets");
    if (st != TLSW_OK) return st;
  }
  ctx->cfg.tickets = enable != 0;
  return TLSW_OK;
}

int tlsw_ctx_set_ticket_keys(tlsw_ctx *ctx, const uint8_t *current,
                             const uint8_t *previous, size_t len) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  const char *why = NULL;
  if (!ctx->cfg.is_server) {
    why = "only a server seals tickets";
  } else if (current == NULL) {
    why = "no current secret given";
  } else if (len < 32 || len > 64) {
    why = "a secret is 32 to 64 random bytes";
  } else if (previous != NULL && memcmp(previous, current, len) == 0) {
    why = "the previous secret equals the current one";
  }
  if (why != NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0, "set_ticket_keys: %s",
                         why);
  }
  int st = tlswi_ctx_needs(ctx, TLSW_FEATURE_RESUMPTION, "set_ticket_keys",
                           "session tickets");
  if (st != TLSW_OK) return st;
  if (ctx->be->ctx_set_ticket_keys == NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_UNSUPPORTED, 0,
                         "set_ticket_keys: this %s build cannot seal tickets "
                         "with keys of its caller's (wolfSSL needs "
                         "ChaCha20-Poly1305)",
                         ctx->be->name);
  }
  return tlswi_err_settle(
      &ctx->err, ctx->be->ctx_set_ticket_keys(ctx->bctx, current, previous, len,
                                              &ctx->err));
}

int tlsw_session_resumed(const tlsw_session *s) {
  return s != NULL && (s->established & TLSWI_EST_RESUMED) != 0;
}

/* Called once a handshake completes (session.c). */
void tlswi_resume_record(tlsw_session *s) {
  if (s->ctx->be->resumed != NULL && s->ctx->be->resumed(s->bsess)) {
    s->established |= TLSWI_EST_RESUMED;
  }
}

/* 1 when the session's chain was checked and passed (not NONE, and no
 * failure recorded under OPTIONAL). */
static int verified(const tlsw_session *s) {
  return s->ctx->cfg.verify_mode != TLSW_CERT_NONE && s->verify.checked &&
         s->verify.status == TLSW_OK;
}

static int save_checks(tlsw_session *s, const uint8_t *buf, size_t cap) {
  if (buf == NULL && cap != 0) {
    return tlswi_err_set(&s->err, TLSW_ERR_ARG, 0,
                         "session_save: buf is NULL but cap is %zu", cap);
  }
  if (s->ctx->cfg.is_server) {
    return tlswi_err_set(&s->err, TLSW_ERR_ARG, 0,
                         "session_save: only a client session can be saved "
                         "(a server resumes through its tickets)");
  }
  if (s->ctx->be->sess_save == NULL) {
    return tlswi_err_set(&s->err, TLSW_ERR_UNSUPPORTED, 0,
                         "session_save: this %s build has no resumption "
                         "(wolfSSL needs HAVE_EXT_CACHE and "
                         "HAVE_SESSION_TICKET)",
                         s->ctx->be->name);
  }
  if (!s->established || s->state < TLSW_SESS_OPEN ||
      s->state > TLSW_SESS_SHUT) {
    return tlswi_err_set(&s->err, TLSW_ERR_STATE, 0,
                         "session_save: the handshake has not completed");
  }
  return TLSW_OK;
}

int tlsw_session_save(tlsw_session *s, uint8_t *buf, size_t cap, size_t *len) {
  if (s == NULL || len == NULL) return TLSW_ERR_ARG;
  *len = 0;
  if (s->state == TLSW_SESS_DEAD) return TLSW_ERR_STATE;
  int st = save_checks(s, buf, cap);
  if (st != TLSW_OK) return st;
  size_t blen = 0;
  st = s->ctx->be->sess_save(s->bsess, NULL, 0, &blen, &s->err);
  if (st != TLSW_OK && st != TLSW_ERR_TOO_BIG) return st;
  /* The backend keeps the host name for its own checks; asking it costs
   * the session no bytes (tests/test_session_size.c). */
  const char *host = s->ctx->be->sess_host(s->bsess);
  size_t hlen = host != NULL ? strlen(host) : 0;
  *len = ENV_HEAD + hlen + blen;
  if (cap < *len) {
    return tlswi_err_set(&s->err, TLSW_ERR_TOO_BIG, 0,
                         "session_save: the session takes %zu bytes, the "
                         "buffer has %zu",
                         *len, cap);
  }
  size_t got = 0;
  st = s->ctx->be->sess_save(s->bsess, buf + ENV_HEAD + hlen, blen, &got,
                             &s->err);
  if (st != TLSW_OK) return st;
  memcpy(buf, ENV_MAGIC, 4);
  buf[4] = ENV_VERSION;
  buf[5] = (uint8_t)verified(s);
  buf[6] = (uint8_t)hlen;
  if (hlen > 0) memcpy(buf + ENV_HEAD, host, hlen);
  *len = ENV_HEAD + hlen + got;
  return TLSW_OK;
}

static int same_host(const uint8_t *a, size_t alen, const char *b) {
  size_t blen = b != NULL ? strlen(b) : 0;
  if (alen != blen) return 0;
  for (size_t i = 0; i < alen; i++) {
    unsigned char x = a[i], y = (unsigned char)b[i];
    if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
    if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
    if (x != y) return 0;
  }
  return 1;
}

static int bad_session(tlsw_session *s, const char *why) {
  return tlswi_err_set(&s->err, TLSW_ERR_ARG, 0, "wrap: opts->session %s", why);
}

/* tlsw_wrap(): check opts->session against this context and host, and
 * hand the backend its part. */
int tlswi_resume_params(tlsw_session *s, const tlsw_wrap_opts *opts,
                        const char *host, tlsw_sess_params *p) {
  const uint8_t *d = opts->session;
  size_t n = opts->session_len;
  if (d == NULL && n == 0) return TLSW_OK;
  if (d == NULL) return bad_session(s, "is NULL but session_len is not 0");
  if (s->ctx->cfg.is_server) {
    return bad_session(s, "is for clients: a server resumes by its tickets");
  }
  if (s->ctx->be->sess_save == NULL) {
    return tlswi_err_set(&s->err, TLSW_ERR_UNSUPPORTED, 0,
                         "wrap: this %s build has no resumption",
                         s->ctx->be->name);
  }
  if (n < ENV_HEAD || memcmp(d, ENV_MAGIC, 4) != 0 || d[4] != ENV_VERSION ||
      n < ENV_HEAD + (size_t)d[6] + 1) {
    return bad_session(s,
                       "is not a session saved by tlsw_session_save() "
                       "of this tlswrap version");
  }
  if (!same_host(d + ENV_HEAD, d[6], host)) {
    return bad_session(s, "was saved for another server_hostname");
  }
  if (s->ctx->cfg.verify_mode != TLSW_CERT_NONE && !d[5]) {
    return bad_session(s,
                       "comes from a handshake that did not verify the "
                       "server, and this context verifies");
  }
  p->resume = d + ENV_HEAD + d[6];
  p->resume_len = n - ENV_HEAD - d[6];
  return TLSW_OK;
}
