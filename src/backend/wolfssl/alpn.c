/*
 * ALPN on wolfSSL: the context's list (checked by the core) put on each
 * session, the server's choice made by the core's rule (server preference)
 * through wolfSSL's selection callback where the build has one, and the
 * agreed protocol read back.
 */
#include "backend/wolfssl/internal.h"

#include <string.h>

#include "support/alloc.h"

#ifdef HAVE_ALPN

/* wolfSSL's own match takes the client's order; the callback (built with
 * OPENSSL_ALL, as both host builds are) lets the server's order decide,
 * as servers configure ALPN everywhere else (nginx, OpenSSL's s_server).
 * Without it (a firmware build) the client's order decides. */
#if defined(OPENSSL_ALL) || defined(WOLFSSL_NGINX) || defined(WOLFSSL_HAPROXY)
#define WB_ALPN_SERVER_ORDER 1
static int select_cb(WOLFSSL *ssl, const unsigned char **out,
                     unsigned char *outlen, const unsigned char *in,
                     unsigned int inlen, void *arg) {
  (void)arg;
  /* Set on the context (5.5.4 has no per-session setter): the session is
   * found through its I/O context, which sess_init sets first. */
  const wsess *s = wolfSSL_GetIOReadCtx(ssl);
  if (s == NULL || s->name.alpn == NULL) return SSL_TLSEXT_ERR_NOACK;
  if (s->cfg->policy->alpn_select(s->name.alpn, in, inlen, out, outlen)) {
    return SSL_TLSEXT_ERR_OK;
  }
  /* wolfSSL sends no_application_protocol (RFC 7301 §3.2). */
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}
#else
#define WB_ALPN_SERVER_ORDER 0
#endif

int tlswi_wb_alpn_setup(wsess *s, const tlsw_config *cfg, tlsw_err *e) {
  if (cfg->alpn == NULL) return TLSW_OK;
  size_t len = strlen(cfg->alpn);
  /* wolfSSL copies the list; its parameter is not const. */
  if (wolfSSL_UseALPN(s->ssl, cfg->alpn, (word32)len,
                      WOLFSSL_ALPN_FAILED_ON_MISMATCH) != WOLFSSL_SUCCESS) {
    return tlswi_err_set(e, TLSW_ERR_NOMEM, 0,
                         "wrap: out of memory for the ALPN extension "
                         "(%zu bytes of protocol names)",
                         len);
  }
  if (!cfg->is_server || !WB_ALPN_SERVER_ORDER) return TLSW_OK;
  /* A copy: the context's list may be replaced while this session lives
   * (settings apply to sessions wrapped afterwards). */
  s->name.alpn = tlswi_malloc(len + 1);
  if (s->name.alpn == NULL) {
    return tlswi_err_set(e, TLSW_ERR_NOMEM, 0,
                         "wrap: out of memory for the ALPN list (%zu bytes)",
                         len + 1);
  }
  memcpy(s->name.alpn, cfg->alpn, len + 1);
  return TLSW_OK;
}

void tlswi_wb_alpn_ctx_init(wctx *w) {
#if WB_ALPN_SERVER_ORDER
  wolfSSL_CTX_set_alpn_select_cb(w->ctx, select_cb, NULL);
#else
  (void)w;
#endif
}

int tlswi_wb_alpn_selected(const void *bsess, const char **name, size_t *len) {
  const wsess *s = bsess;
  char *p = NULL;
  word16 n = 0;
  *name = NULL;
  *len = 0;
  if (wolfSSL_ALPN_GetProtocol(s->ssl, &p, &n) == WOLFSSL_SUCCESS &&
      p != NULL) {
    *name = p;
    *len = n;
  }
  return TLSW_OK;
}

#else

void tlswi_wb_alpn_ctx_init(wctx *w) {
  (void)w;
}

int tlswi_wb_alpn_setup(wsess *s, const tlsw_config *cfg, tlsw_err *e) {
  (void)s;
  (void)e;
  (void)cfg; /* the core refuses tlsw_ctx_set_alpn() (no feature bit) */
  return TLSW_OK;
}

#endif
