/*
 * Certificate revocation lists (tlsw_ctx_load_crl_mem/_file): the core
 * checks the arguments and reads the file; the backend parses the CRL,
 * checks its signature against the CAs loaded so far, and from then on
 * checks the peer's leaf against the CRLs of its issuer.
 */
#include "core/file.h"
#include "core/internal.h"
#include "support/alloc.h"
#include "tlswrap/tlswrap.h"

static int load(tlsw_ctx *ctx, const uint8_t *data, size_t len) {
  int st = tlswi_ctx_needs(ctx, TLSW_FEATURE_CRL, "load_crl",
                           "CRL support (wolfSSL needs HAVE_CRL)");
  if (st != TLSW_OK || ctx->be->ctx_load_crl == NULL) {
    return st != TLSW_OK ? st : TLSW_ERR_UNSUPPORTED;
  }
  st = tlswi_err_settle(&ctx->err,
                        ctx->be->ctx_load_crl(ctx->bctx, data, len, &ctx->err));
  if (st == TLSW_OK) ctx->cfg.crl_loaded = 1;
  return st;
}

int tlsw_ctx_load_crl_mem(tlsw_ctx *ctx, const uint8_t *data, size_t len) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  if (data == NULL || len == 0) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "load_crl: no CRL data given");
  }
  return load(ctx, data, len);
}

int tlsw_ctx_load_crl_file(tlsw_ctx *ctx, const char *path) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  if (path == NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "load_crl: no CRL file given");
  }
  uint8_t *data;
  size_t len;
  int st = tlswi_read_file(path, &data, &len, &ctx->err);
  if (st != TLSW_OK) return st;
  st = len == 0 ? tlswi_err_set(&ctx->err, TLSW_ERR_CERT_INVALID, 0,
                                "load_crl: %s is empty", path)
                : load(ctx, data, len);
  tlswi_free(data);
  return st;
}

int tlsw_ctx_set_crl_check_chain(tlsw_ctx *ctx, int chain) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  int st = tlswi_ctx_needs(ctx, TLSW_FEATURE_CRL, "set_crl_check_chain",
                           "CRL support (wolfSSL needs HAVE_CRL)");
  if (st != TLSW_OK || ctx->be->ctx_crl_mode == NULL) {
    return st != TLSW_OK ? st : TLSW_ERR_UNSUPPORTED;
  }
  int old = ctx->cfg.crl_chain;
  ctx->cfg.crl_chain = chain != 0;
  if (!ctx->cfg.crl_loaded) return TLSW_OK; /* applied with the first CRL */
  st = tlswi_err_settle(&ctx->err, ctx->be->ctx_crl_mode(ctx->bctx, &ctx->err));
  if (st != TLSW_OK) ctx->cfg.crl_chain = old;
  return st;
}
