/*
 * Pre-shared keys (tlsw_ctx_set_psk, tlsw_ctx_set_psk_server_callback):
 * the identity and key are kept in the context's config, and the context
 * switches to the ephemeral PSK suites, which are TLS 1.2's.
 */
#include <string.h>

#include "core/internal.h"
#include "tlswrap/context.h"
#include "tlswrap/tlswrap.h"

/* What PSK contexts offer: ephemeral PSK key exchanges only (plain PSK has
 * no forward secrecy), AEAD before CBC. Names the backend lacks are
 * skipped. */
static const char *const psk_suites[] = {
    "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384",
    "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256",
};

/* Switch to the PSK suites (the backend installs its PSK hooks in
 * ctx_set_ciphers) and to TLS 1.2, which is where they live. */
static int use_psk_suites(tlsw_ctx *ctx) {
  const char *avail[256];
  size_t n_avail = 0;
  const char *names[sizeof psk_suites / sizeof psk_suites[0]];
  size_t n = 0;
  ctx->be->available_ciphers(avail, 256, &n_avail);
  if (n_avail > 256) n_avail = 256;
  for (size_t i = 0; i < sizeof psk_suites / sizeof psk_suites[0]; i++) {
    for (size_t j = 0; j < n_avail; j++) {
      if (strcmp(psk_suites[i], avail[j]) == 0) {
        names[n++] = psk_suites[i];
        break;
      }
    }
  }
  if (n == 0) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_UNSUPPORTED, 0,
                         "PSK: the backend offers no ephemeral PSK suite");
  }
  int st = tlswi_err_settle(
      &ctx->err,
      ctx->be->ctx_set_ciphers(ctx->bctx, &ctx->cfg, names, n, &ctx->err));
  if (st == TLSW_OK && !ctx->cfg.is_dtls) {
    st = tlswi_err_settle(
        &ctx->err,
        ctx->be->ctx_set_versions(ctx->bctx, &ctx->cfg, TLSW_VERSION_TLS1_2,
                                  TLSW_VERSION_TLS1_2, &ctx->err));
  }
  return st;
}

/* Every PSK entry point: a NULL context, or a backend without PSK. */
static int psk_enter(tlsw_ctx *ctx) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  if (!(ctx->be->features & TLSW_FEATURE_PSK)) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_UNSUPPORTED, 0,
                         "PSK is not supported by the %s backend",
                         ctx->be->name);
  }
  return TLSW_OK;
}

int tlsw_ctx_set_psk(tlsw_ctx *ctx, const uint8_t *identity,
                     size_t identity_len, const uint8_t *key, size_t key_len) {
  int st = psk_enter(ctx);
  if (st != TLSW_OK) return st;
  if (ctx->cfg.is_server) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_psk: a server looks keys up with "
                         "tlsw_ctx_set_psk_server_callback()");
  }
  if (identity == NULL || identity_len == 0 ||
      identity_len >= sizeof ctx->cfg.psk_identity ||
      memchr(identity, 0, identity_len) != NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_psk: the identity must be 1 to %u bytes with "
                         "no NUL byte",
                         (unsigned)sizeof ctx->cfg.psk_identity - 1);
  }
  if (key == NULL || key_len == 0 || key_len > sizeof ctx->cfg.psk_key) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_psk: the key must be 1 to %u bytes",
                         (unsigned)sizeof ctx->cfg.psk_key);
  }
  memcpy(ctx->cfg.psk_identity, identity, identity_len);
  ctx->cfg.psk_identity[identity_len] = 0;
  ctx->cfg.psk_identity_len = identity_len;
  memcpy(ctx->cfg.psk_key, key, key_len);
  ctx->cfg.psk_key_len = key_len;
  return use_psk_suites(ctx);
}

int tlsw_ctx_set_psk_server_callback(tlsw_ctx *ctx, tlsw_psk_fn cb,
                                     void *user) {
  int st = psk_enter(ctx);
  if (st != TLSW_OK) return st;
  if (!ctx->cfg.is_server || cb == NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_psk_server_callback: needs a server context "
                         "and a callback");
  }
  ctx->cfg.psk_cb = cb;
  ctx->cfg.psk_user = user;
  return use_psk_suites(ctx);
}
