/*
 * Server SNI on wolfSSL: every server context keeps the client's name
 * (wolfSSL stores it only when a servername callback is set) and asks the
 * core which chain answers it (tlsw_policy.sni_select); another chain is
 * switched in with wolfSSL_set_SSL_CTX(), which during the handshake
 * changes the certificate, chain and key only (its comment in ssl.c).
 * That call exists only with the OpenSSL-compatibility layer (both host
 * builds); elsewhere the name is still kept and readable.
 */
#include "backend/wolfssl/internal.h"

#include <string.h>

#ifdef HAVE_SNI

/* RFC 6066's unrecognized_name, fatal (wolfSSL has no name for it on
 * every build). */
#define WB_ALERT_UNRECOGNIZED_NAME 112

static int sni_cb(WOLFSSL *ssl, int *ad, void *arg) {
  const wctx *w = arg;
  wsess *s = wolfSSL_GetIOReadCtx(ssl);
  if (s == NULL) return 0;
  void *data = NULL;
  word16 n = wolfSSL_SNI_GetRequest(ssl, WOLFSSL_SNI_HOST_NAME, &data);
  char name[256];
  const char *req = NULL;
  if (n > 0 && data != NULL) {
    size_t k = n < sizeof name - 1 ? n : sizeof name - 1;
    memcpy(name, data, k);
    name[k] = '\0';
    req = name;
  }
  void *chosen = NULL;
  if (w->cfg->policy->sni_select(w->cfg, req, &chosen, s->err) != TLSW_OK) {
    s->hook_abort = 1;
    *ad = WB_ALERT_UNRECOGNIZED_NAME;
    return fatal_return;
  }
#if TLSW_WB_SERVER_SNI
  if (chosen != NULL &&
      (wolfSSL_set_SSL_CTX(ssl, ((const wctx *)chosen)->ctx) == NULL ||
       tlswi_wb_sess_resuite(w, ssl) != TLSW_OK)) {
    tlswi_err_set(s->err, TLSW_ERR_NOMEM, 0,
                  "SNI: cannot switch to the certificate chain for '%.64s' "
                  "(out of memory)",
                  req ? req : "");
    s->hook_abort = 1;
    *ad = internal_error;
    return fatal_return;
  }
#else
  (void)chosen; /* the core refuses names without TLSW_FEATURE_SERVER_SNI */
#endif
  return 0;
}

void tlswi_wb_sni_ctx_init(wctx *w) {
  if (!w->cfg->is_server) return;
  wolfSSL_CTX_set_servername_callback(w->ctx, sni_cb);
  wolfSSL_CTX_set_servername_arg(w->ctx, w);
}

/* A server session's requested name; wolfSSL keeps it NUL-terminated
 * (TLSX_UseSNI allocates one more byte), with status FORCE_KEEP since our
 * callback is set. */
const char *tlswi_wb_sess_server_name(const void *bsess) {
  const wsess *s = bsess;
  void *data = NULL;
  if (!s->cfg->is_server) return NULL; /* the core answers for clients */
  return wolfSSL_SNI_GetRequest(s->ssl, WOLFSSL_SNI_HOST_NAME, &data) > 0
             ? data
             : NULL;
}

#else

void tlswi_wb_sni_ctx_init(wctx *w) {
  (void)w;
}

const char *tlswi_wb_sess_server_name(const void *bsess) {
  (void)bsess;
  return NULL;
}

#endif
