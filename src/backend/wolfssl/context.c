/*
 * Contexts: a WOLFSSL_CTX with tlswrap's settings in place of Debian's
 * unsafe defaults (doc §9).
 */
#include "backend/wolfssl/internal.h"

/* dtls12: a DTLS context capped at DTLS 1.2. Without the
 * OpenSSL-compatibility layer wolfSSL has no way to cap the version of a
 * DTLS context or session (wolfSSL_SetVersion knows TLS only, and
 * WOLFSSL_OP_NO_TLSv1_3 does not reach DTLS's supported_versions), so
 * the cap is the method: DTLS 1.2's own, or the negotiating one, 1.2 to
 * 1.3, whose floor tlswi_wb_apply_versions() sets. */
static WOLFSSL_METHOD *method_of(const tlsw_config *cfg, int dtls12) {
#if TLSW_WB_DTLS13
  if (cfg->is_dtls && !dtls12) {
    return WB_IS_SERVER(cfg) ? wolfDTLS_server_method()
                             : wolfDTLS_client_method();
  }
#else
  (void)dtls12;
#endif
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

/* For scratch contexts (load.c): any method of the kind will do. */
WOLFSSL_METHOD *tlswi_wb_method_for(const tlsw_config *cfg) {
  return method_of(cfg, 0);
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

/* A new WOLFSSL_CTX for w, with w's settings (suites, versions, groups,
 * verification, callbacks) applied; w->ctx is NULL on failure. */
static int ctx_make(wctx *w, const tlsw_config *cfg, tlsw_err *e) {
  int dtls12 = cfg->is_dtls && w->max_v < TLSW_VERSION_TLS1_3;
  WOLFSSL_METHOD *m = method_of(cfg, dtls12);
  if (m == NULL && ((cfg->is_server && !TLSW_WB_SERVER) ||
                    (cfg->is_dtls && !TLSW_WB_DTLS))) {
    return unsupported_kind(cfg, e);
  }
  w->ctx = wolfSSL_CTX_new(m);
  if (w->ctx == NULL) return tlswi_err_status(e, TLSW_ERR_NOMEM, 0);
  w->dtls12 = (unsigned char)dtls12;
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

int tlswi_wb_ctx_init(void *bctx, const tlsw_config *cfg, tlsw_err *e) {
  wctx *w = bctx;
  w->cfg = cfg;
  w->min_v = TLSW_VERSION_TLS1_2;
  /* DTLS: 1.2 unless the caller asks for 1.3 (docs/dtls.md, "DTLS 1.3":
   * wolfSSL 5.7.2 resends a DTLS 1.3 flight at most once per wall-clock
   * second, whatever tlsw_ctx_set_clock() says, and no Debian peer speaks
   * it). */
  w->max_v = cfg->is_dtls ? TLSW_VERSION_TLS1_2 : TLSW_VERSION_TLS1_3;
  tlswi_wb_default_suites(w);
  return ctx_make(w, cfg, e);
}

/*
 * A DTLS context whose version cap moves between DTLS 1.2 and 1.3 needs
 * the other method (method_of), so a new WOLFSSL_CTX: possible while
 * nothing that only the old one holds (certificates, keys, CAs, CRLs,
 * ticket keys) was loaded into it; the settings kept in w (suites,
 * versions, groups) and the config (verification, ALPN, SNI, PSK) are
 * applied again. w->min_v and w->max_v are already the new range; on
 * failure the old context stays.
 */
int tlswi_wb_ctx_remethod(wctx *w, const tlsw_config *cfg, tlsw_err *e) {
  int dtls12 = w->max_v < TLSW_VERSION_TLS1_3;
  if (!cfg->is_dtls || dtls12 == w->dtls12) return TLSW_OK;
  if (w->loaded) {
    return tlswi_err_set(e, TLSW_ERR_STATE, 0,
                         "set_version_range: a DTLS context's maximum "
                         "(DTLS 1.2 or 1.3) must be set before certificates, "
                         "keys, CAs, CRLs or ticket keys are loaded into it");
  }
  WOLFSSL_CTX *old = w->ctx;
  int st = ctx_make(w, cfg, e);
  if (st != TLSW_OK) {
    w->ctx = old;
    w->dtls12 = (unsigned char)!dtls12;
    return st;
  }
  wolfSSL_CTX_free(old);
  return TLSW_OK;
}

void tlswi_wb_ctx_free(void *bctx) {
  wctx *w = bctx;
  if (w->ctx != NULL) wolfSSL_CTX_free(w->ctx);
  w->ctx = NULL;
  tlswi_wb_sni_drop_pair(w);
}
