/*
 * The certificates the peer sent, beyond its leaf
 * (tlsw_ctx_set_keep_peer_chain, tlsw_session_peer_chain): kept only when
 * asked, since a chain costs a session about 1-3 KB it holds until freed.
 */
#include "core/internal.h"
#include "tlswrap/tlswrap.h"

int tlsw_ctx_set_keep_peer_chain(tlsw_ctx *ctx, int keep) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  if (keep && ctx->be->peer_chain == NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_UNSUPPORTED, 0,
                         "set_keep_peer_chain: the %s backend keeps the "
                         "peer's leaf only",
                         ctx->be->name);
  }
  ctx->cfg.keep_peer_chain = keep != 0;
  return TLSW_OK;
}

int tlsw_session_peer_chain(const tlsw_session *s, size_t index,
                            const uint8_t **der, size_t *der_len) {
  if (der != NULL) *der = NULL;
  if (der_len != NULL) *der_len = 0;
  if (s == NULL || der == NULL || der_len == NULL) return TLSW_ERR_ARG;
  /* Index 0 is the leaf, which a failed handshake may still show. */
  if (index == 0) return tlsw_session_peer_cert(s, der, der_len);
  if (!s->established || !tlswi_sess_live(s) ||
      s->ctx->be->peer_chain == NULL) {
    return TLSW_ERR_STATE;
  }
  return s->ctx->be->peer_chain(s->bsess, index, der, der_len);
}
