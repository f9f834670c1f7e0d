#include "core/cookie.h"

#include <string.h>

#include "support/alloc.h"
#include "core/internal.h"
#include "core/ref.h"
#include "tlswrap/status.h"

/*
 * Why rotation instead of a timestamp in the cookie (mbedTLS's design):
 * wolfSSL 5.5.4 computes and checks the cookie itself, as HMAC(secret,
 * client_id || ClientHello fields), with no room for a timestamp (doc §2).
 * So time lives in the secret: a secret is current for one period of
 * lifetime/2, then previous for one more period, then gone. A cookie is thus
 * accepted for at least lifetime/2 and at most lifetime seconds.
 */

uint64_t tlswi_clock_now(tlsw_clock_fn clock, void *user) {
  if (clock != NULL) return clock(user);
  return tlswi_monotonic_ms();
}

/* Volatile stores, so the compiler cannot drop the wipe of a dead buffer. */
static void wipe(void *p, size_t n) {
  volatile uint8_t *v = p;
  while (n--) *v++ = 0;
}

int tlswi_cookie_new(tlsw_cookie_keys **out) {
  tlsw_cookie_keys *k = tlswi_calloc(1, sizeof *k);
  if (k == NULL) return TLSW_ERR_NOMEM;
  if (tlswi_mutex_init(&k->lock) != TLSW_OK) {
    tlswi_free(k);
    return TLSW_ERR_NOMEM;
  }
  k->lifetime_s = TLSW_DTLS_COOKIE_LIFETIME_DEFAULT;
  *out = k;
  return TLSW_OK;
}

void tlswi_cookie_free(tlsw_cookie_keys *k) {
  if (k == NULL) return;
  tlswi_mutex_destroy(&k->lock);
  wipe(k, sizeof *k);
  tlswi_free(k);
}

int tlswi_cookie_set_lifetime(tlsw_cookie_keys *k, unsigned seconds) {
  tlswi_mutex_lock(&k->lock);
  k->lifetime_s = seconds;
  tlswi_mutex_unlock(&k->lock);
  return TLSW_OK;
}

static uint64_t period_ms(const tlsw_cookie_keys *k) {
  return (uint64_t)k->lifetime_s * 1000u / 2u;
}

/* Caller holds the lock. */
static int rotate_locked(tlsw_cookie_keys *k, const tlsw_backend *be,
                         uint64_t now_ms, int keep_prev, tlsw_err *e) {
  uint8_t fresh[TLSW_COOKIE_SECRET_LEN];
  if (be->random(fresh, sizeof fresh) != TLSW_OK) {
    wipe(fresh, sizeof fresh);
    return tlswi_err_set(e, TLSW_ERR_INTERNAL, 0,
                         "cannot make a DTLS cookie secret: the backend's "
                         "random number generator failed");
  }
  if (keep_prev && k->have_cur) {
    memcpy(k->prev, k->cur, sizeof k->prev);
    k->have_prev = 1;
  } else {
    wipe(k->prev, sizeof k->prev);
    k->have_prev = 0;
  }
  memcpy(k->cur, fresh, sizeof k->cur);
  wipe(fresh, sizeof fresh);
  k->have_cur = 1;
  k->cur_since_ms = now_ms;
  return TLSW_OK;
}

int tlswi_cookie_rotate(tlsw_cookie_keys *k, const tlsw_backend *be,
                        uint64_t now_ms, tlsw_err *e) {
  tlswi_mutex_lock(&k->lock);
  int st = rotate_locked(k, be, now_ms, 1, e);
  tlswi_mutex_unlock(&k->lock);
  return st;
}

int tlswi_cookie_get(tlsw_cookie_keys *k, const tlsw_backend *be,
                     uint64_t now_ms, tlsw_cookie_snapshot *out, tlsw_err *e) {
  int st = TLSW_OK;
  tlswi_mutex_lock(&k->lock);
  uint64_t period = period_ms(k);
  if (!k->have_cur) {
    st = rotate_locked(k, be, now_ms, 0, e);
  } else if (now_ms < k->cur_since_ms) {
    /* A clock must not go backwards; if an injected one does, restart the
     * period rather than keep a secret forever. */
    k->cur_since_ms = now_ms;
  } else if (now_ms - k->cur_since_ms >= 2 * period) {
    /* Idle for two periods or more: both secrets have expired. */
    st = rotate_locked(k, be, now_ms, 0, e);
  } else if (now_ms - k->cur_since_ms >= period) {
    /* Keep period boundaries on the grid, so the previous secret expires
     * exactly one period after it stopped being current. */
    uint64_t since = k->cur_since_ms + period;
    st = rotate_locked(k, be, since, 1, e);
  }
  if (st == TLSW_OK) {
    memcpy(out->cur, k->cur, sizeof out->cur);
    memcpy(out->prev, k->prev, sizeof out->prev);
    out->have_prev = k->have_prev;
  }
  tlswi_mutex_unlock(&k->lock);
  return st;
}

void tlswi_cookie_snapshot_wipe(tlsw_cookie_snapshot *s) {
  wipe(s, sizeof *s);
}

/* ------------------------------------------------------------------------ */
/* Public context settings (tlswrap/dtls.h)                                  */

static int need_dtls_server(tlsw_ctx *ctx, const char *what) {
  tlswi_err_clear(&ctx->err);
  if (ctx->cookie == NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_STATE, 0,
                         "%s: only a DTLS server context has cookies", what);
  }
  return TLSW_OK;
}

int tlsw_ctx_set_dtls_cookie_lifetime(tlsw_ctx *ctx, unsigned seconds) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  int st = need_dtls_server(ctx, "set_dtls_cookie_lifetime");
  if (st != TLSW_OK) return st;
  /* Below 2 s a period would be under one second: a client on a slow link
   * could not answer a HelloVerifyRequest in time. */
  if (seconds < 2 || seconds > TLSW_DTLS_COOKIE_LIFETIME_MAX) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_dtls_cookie_lifetime: %u s is out of range "
                         "(2 to %u seconds)",
                         seconds, TLSW_DTLS_COOKIE_LIFETIME_MAX);
  }
  return tlswi_cookie_set_lifetime(ctx->cookie, seconds);
}

int tlsw_ctx_rotate_dtls_cookie_secret(tlsw_ctx *ctx) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  int st = need_dtls_server(ctx, "rotate_dtls_cookie_secret");
  if (st != TLSW_OK) return st;
  return tlswi_cookie_rotate(ctx->cookie, ctx->be,
                             tlswi_clock_now(ctx->clock, ctx->clock_user),
                             &ctx->err);
}

int tlsw_ctx_set_clock(tlsw_ctx *ctx, tlsw_clock_fn now_ms, void *user) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  ctx->clock = now_ms;
  ctx->clock_user = now_ms ? user : NULL;
  return TLSW_OK;
}

uint64_t tlswi_ctx_now_ms(const tlsw_ctx *ctx) {
  return tlswi_clock_now(ctx->clock, ctx->clock_user);
}
