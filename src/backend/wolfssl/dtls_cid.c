/*
 * DTLS connection IDs (RFC 9146, RFC 9147 9): a server session asks its
 * client to put a random ID on its records, so that the UDP server helper
 * can route them whatever address they come from; a client offers the
 * extension and asks for no ID itself. wolfSSL 5.7.2 has them in DTLS 1.3
 * only (wolfSSL_dtls_cid_use refuses a DTLS 1.2 object).
 */
#include "backend/wolfssl/internal.h"

#include <string.h>

#if TLSW_WB_DTLS_CID

int tlswi_wb_ctx_set_dtls_cid(void *bctx, const tlsw_config *cfg, tlsw_err *e) {
  wctx *w = bctx;
  (void)cfg;
  if (w->dtls12) {
    return tlswi_err_set(e, TLSW_ERR_STATE, 0,
                         "set_dtls_cid: wolfSSL has connection IDs in DTLS "
                         "1.3 only; set the context's maximum to 1.3 first "
                         "(tlsw_ctx_set_version_range)");
  }
  return TLSW_OK;
}

/* A server's receive ID: TLSW_WB_CID_LEN random bytes, or fewer where
 * the build's DTLS_CID_MAX_SIZE is smaller (wolfSSL's default is 2; the
 * host profile raises it to 8). */
static int set_server_cid(wsess *s, tlsw_err *e) {
  uint8_t id[TLSW_WB_CID_LEN];
  if (tlswi_wb_random(id, sizeof id) != TLSW_OK) {
    return tlswi_err_set(e, TLSW_ERR_INTERNAL, 0,
                         "wrap: no random bytes for a connection ID");
  }
  int r = WOLFSSL_FAILURE;
  for (unsigned n = sizeof id; n >= 2 && r != WOLFSSL_SUCCESS; n /= 2) {
    r = wolfSSL_dtls_cid_set(s->ssl, id, n);
  }
  tlswi_wb_wipe(id, sizeof id);
  return r == WOLFSSL_SUCCESS
             ? TLSW_OK
             : tlswi_err_set(e, TLSW_ERR_NOMEM, r,
                             "wrap: cannot set the connection ID");
}

/* Wrap time: a session of a context with connection IDs on. A context
 * capped at DTLS 1.2 (moved there after tlsw_ctx_set_dtls_cid) runs
 * without them. */
int tlswi_wb_dtls_cid_setup(wsess *s, const wctx *w, const tlsw_config *cfg,
                            tlsw_err *e) {
  if (!cfg->dtls_cid || w->dtls12) return TLSW_OK;
  if (wolfSSL_dtls_cid_use(s->ssl) != WOLFSSL_SUCCESS) {
    return tlswi_err_set(e, TLSW_ERR_NOMEM, 0,
                         "wrap: cannot offer DTLS connection IDs");
  }
  return WB_IS_SERVER(cfg) ? set_server_cid(s, e) : TLSW_OK;
}

int tlswi_wb_dtls_cid(const void *bsess, uint8_t *buf, size_t cap,
                      size_t *len) {
  const wsess *s = bsess;
  unsigned sz = 0;
  *len = 0;
  /* Only once negotiated: before that it is merely what we asked for. */
  if (!wolfSSL_is_init_finished(s->ssl) ||
      !wolfSSL_dtls_cid_is_enabled(s->ssl) ||
      wolfSSL_dtls_cid_get_rx_size(s->ssl, &sz) != WOLFSSL_SUCCESS || sz == 0) {
    return TLSW_OK;
  }
  *len = sz;
  if (buf == NULL && cap == 0) return TLSW_OK;
  if (cap < sz) return TLSW_ERR_TOO_BIG;
  return wolfSSL_dtls_cid_get_rx(s->ssl, buf, (unsigned)cap) == WOLFSSL_SUCCESS
             ? TLSW_OK
             : TLSW_ERR_INTERNAL;
}

#endif /* TLSW_WB_DTLS_CID */
