/*
 * Contexts: a WOLFSSL_CTX with tlswrap's settings in place of Debian's
 * unsafe defaults (doc §9).
 */
#include "backend/wolfssl/internal.h"

WOLFSSL_METHOD *tlswi_wb_method_for(const tlsw_config *cfg) {
  if (cfg->is_dtls) {
    return cfg->is_server ? wolfDTLSv1_2_server_method()
                          : wolfDTLSv1_2_client_method();
  }
  /* Flexible methods negotiate TLS 1.2 or 1.3; the floor is set by
   * tlswi_wb_apply_versions(). (wolfSSL_SetVersion on them breaks
   * handshakes, doc §1.) */
  return cfg->is_server ? wolfSSLv23_server_method()
                        : wolfSSLv23_client_method();
}

int tlswi_wb_ctx_init(void *bctx, const tlsw_config *cfg, tlsw_err *e) {
  wctx *w = bctx;
  w->cfg = cfg;
  w->ctx = wolfSSL_CTX_new(tlswi_wb_method_for(cfg));
  if (w->ctx == NULL) return tlswi_err_status(e, TLSW_ERR_NOMEM, 0);
  w->min_v = TLSW_VERSION_TLS1_2;
  w->max_v = TLSW_VERSION_TLS1_3;
  tlswi_wb_default_suites(w);
  /* Each call overrides one unsafe Debian default (doc §9). */
  wolfSSL_CTX_SetIORecv(w->ctx,
                        cfg->is_dtls ? tlswi_wb_dtls_recv : tlswi_wb_tls_recv);
  wolfSSL_CTX_SetIOSend(w->ctx,
                        cfg->is_dtls ? tlswi_wb_dtls_send : tlswi_wb_tls_send);
#if TLSW_WB_MODES
  /* AUTO_RETRY busy-loops the recv callback 11 times per WANT_READ (a
   * native build leaves it off). */
  wolfSSL_CTX_clear_mode(w->ctx, SSL_MODE_AUTO_RETRY);
  /* A write returns after each complete record, like send(2) (a native
   * build: tlswi_wb_write caps each call at one record). */
  wolfSSL_CTX_set_mode(w->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
#endif
  /* A flight goes out as one buffer (fewer records and transport calls).
   * Debian's 5.5.4 groups by default (OPENSSL_COMPATIBLE_DEFAULTS); the
   * 5.7.2 source build does not, and ungrouped it garbles a TLS 1.2
   * client's second flight when the transport takes 1 byte a call and
   * would-blocks between calls (measured: gnutls-serv "unexpected TLS
   * handshake packet", tests/test_socket.c faults_against_gnutls). */
  wolfSSL_CTX_set_group_messages(w->ctx);
  int st = tlswi_wb_apply_suites(w, e);
  if (st == TLSW_OK) st = tlswi_wb_apply_versions(w, cfg);
  if (st == TLSW_OK && tlswi_wb_apply_groups(w, cfg) != TLSW_OK) {
    st = tlswi_err_set(e, TLSW_ERR_INTERNAL, 0,
                       "cannot set key exchange groups");
  }
  if (st == TLSW_OK) st = tlswi_wb_apply_verify(w, cfg);
  if (st == TLSW_OK && cfg->is_server) tlswi_wb_alpn_ctx_init(w);
  if (st == TLSW_OK) tlswi_wb_sni_ctx_init(w);
  if (st != TLSW_OK) {
    if (e->msg[0] == '\0') tlswi_err_status(e, st, 0);
    wolfSSL_CTX_free(w->ctx);
    w->ctx = NULL;
  }
  return st;
}

void tlswi_wb_ctx_free(void *bctx) {
  wctx *w = bctx;
  if (w->ctx != NULL) wolfSSL_CTX_free(w->ctx);
  w->ctx = NULL;
  tlswi_wb_sni_drop_pair(w);
}
