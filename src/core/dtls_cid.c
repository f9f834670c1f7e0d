/*
 * DTLS connection IDs (RFC 9146, RFC 9147 9): the context's switch and a
 * session's receive ID. The backend makes and negotiates the IDs; the UDP
 * server helper (src/io/dtls_server.c) routes datagrams by them.
 */
#include "core/internal.h"
#include "tlswrap/tlswrap.h"

int tlsw_ctx_set_dtls_cid(tlsw_ctx *ctx, int on) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  if (on != 0 && on != 1) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_dtls_cid: on must be 0 or 1, not %d", on);
  }
  if (!ctx->cfg.is_dtls) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_STATE, 0,
                         "set_dtls_cid: connection IDs are for DTLS "
                         "contexts only");
  }
  int st = tlswi_ctx_needs(ctx, TLSW_FEATURE_DTLS_CID, "set_dtls_cid",
                           "DTLS connection IDs (wolfSSL needs "
                           "--enable-dtlscid and DTLS 1.3)");
  if (st != TLSW_OK || ctx->be->ctx_set_dtls_cid == NULL) {
    return st != TLSW_OK ? st : TLSW_ERR_UNSUPPORTED;
  }
  if (on) {
    st = tlswi_err_settle(
        &ctx->err, ctx->be->ctx_set_dtls_cid(ctx->bctx, &ctx->cfg, &ctx->err));
    if (st != TLSW_OK) return st;
  }
  ctx->cfg.dtls_cid = on;
  return TLSW_OK;
}

int tlsw_session_dtls_cid(const tlsw_session *s, uint8_t *buf, size_t cap,
                          size_t *len) {
  if (len != NULL) *len = 0;
  if (s == NULL || len == NULL || (buf == NULL && cap > 0)) {
    return TLSW_ERR_ARG;
  }
  if (!s->ctx->cfg.is_dtls || !s->ctx->cfg.dtls_cid || !tlswi_sess_live(s) ||
      s->ctx->be->dtls_cid == NULL) {
    return TLSW_OK;
  }
  return s->ctx->be->dtls_cid(s->bsess, buf, cap, len);
}
