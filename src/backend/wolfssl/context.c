/*
 * Contexts: a WOLFSSL_CTX with tlswrap's settings in place of Debian's
 * unsafe defaults (doc §9).
 */
#include "backend/wolfssl/internal.h"

WOLFSSL_METHOD *tlswi_wb_method_for(const tlsw_config *cfg) {
#if TLSW_WB_DTLS
  if (cfg->is_dtls) {
    return WB_IS_SERVER(cfg) ? wolfDTLSv1_2_server_method()
                             : wolfDTLSv1_2_client_method();
  }
#endif
  if (cfg->is_dtls) return NULL; /* not in this build */
    /* Flexible methods negotiate TLS 1.2 or 1.3; the floor is set by
     * tlswi_wb_apply_versions(). (wolfSSL_SetVersion on them breaks
     * handshakes, doc §1.) */
#if TLSW_WB_SERVER
  if (cfg->is_server) return wolfSSLv23_server_method();
#else
  if (cfg->is_server) return NULL; /* not in this build */
#endif
  return wolfSSLv23_client_method();
}

/* A context this wolfSSL build cannot make: say which option it lacks
 * (the core refuses DTLS already, from the feature bits). */
static int unsupported_kind(const tlsw_config *cfg, tlsw_err *e) {
  if (cfg->is_server && !TLSW_WB_SERVER) {
    return tlswi_err_set(e, TLSW_ERR_UNSUPPORTED, 0,
                         "no TLS server in this build (wolfSSL built with "
                         "NO_WOLFSSL_SERVER, e.g. the firmware-client "
                         "profile): only client contexts");
  }
  return tlswi_err_set(e, TLSW_ERR_UNSUPPORTED, 0,
                       "DTLS is not in this build (the wolfSSL build has "
                       "no WOLFSSL_DTLS: no TLSW_FEATURE_DTLS)");
}

int tlswi_wb_ctx_init(void *bctx, const tlsw_config *cfg, tlsw_err *e) {
  wctx *w = bctx;
  w->cfg = cfg;
  WOLFSSL_METHOD *m = tlswi_wb_method_for(cfg);
  if (m == NULL && ((cfg->is_server && !TLSW_WB_SERVER) ||
                    (cfg->is_dtls && !TLSW_WB_DTLS))) {
    return unsupported_kind(cfg, e);
  }
  w->ctx = wolfSSL_CTX_new(m);
  if (w->ctx == NULL) return tlswi_err_status(e, TLSW_ERR_NOMEM, 0);
  w->min_v = TLSW_VERSION_TLS1_2;
  w->max_v = TLSW_VERSION_TLS1_3;
  tlswi_wb_default_suites(w);
  /* Each call overrides one unsafe Debian default (doc §9). */
  CallbackIORecv rcv = tlswi_wb_tls_recv;
  CallbackIOSend snd = tlswi_wb_tls_send;
#if TLSW_WB_DTLS
  if (cfg->is_dtls) {
    rcv = tlswi_wb_dtls_recv;
    snd = tlswi_wb_dtls_send;
  }
#endif
  wolfSSL_CTX_SetIORecv(w->ctx, rcv);
  wolfSSL_CTX_SetIOSend(w->ctx, snd);
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
  if (st == TLSW_OK && WB_IS_SERVER(cfg)) tlswi_wb_alpn_ctx_init(w);
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
