/*
 * Server SNI on wolfSSL: every server context keeps the client's name
 * (wolfSSL stores it only when a servername callback is set) and asks the
 * core which chain answers it (tlsw_policy.sni_select); another chain is
 * switched in with wolfSSL_set_SSL_CTX(), which during the handshake
 * changes the certificate, chain and key only (its comment in ssl.c),
 * where the build has the OpenSSL-compatibility layer (Debian's 5.5.4);
 * elsewhere the session loads the chosen context's chain and key itself
 * (switch_chain). The callback runs for every ClientHello, SNI or not, so
 * it is also where ALPN takes the server's order on builds without
 * wolfSSL's selection callback (alpn.c).
 */
#include "backend/wolfssl/internal.h"

#include <string.h>

#include "support/alloc.h"

#ifdef HAVE_SNI

/* RFC 6066's unrecognized_name, fatal (wolfSSL has no name for it on
 * every build). */
#define WB_ALERT_UNRECOGNIZED_NAME 112

#if TLSW_WB_SET_SSL_CTX
static int switch_chain(wsess *s, const wctx *own, const wctx *to,
                        const char *req) {
  /* wolfSSL derives a session's signature algorithms from its key type
   * when the suite list is set: the list again (suites.c). */
  if (wolfSSL_set_SSL_CTX(s->ssl, to->ctx) != NULL &&
      tlswi_wb_sess_resuite(own, s->ssl, 0) == TLSW_OK) {
    return 0;
  }
  tlswi_err_set(s->err, TLSW_ERR_NOMEM, 0,
                "SNI: cannot switch to the certificate chain for '%.64s' "
                "(out of memory)",
                req ? req : "");
  return -1;
}

int tlswi_wb_sni_keep_pair(wctx *w, const uint8_t *cert, size_t cert_len,
                           int cert_fmt, const uint8_t *key, size_t key_len,
                           int key_fmt, int key_kind) {
  (void)w, (void)cert, (void)cert_len, (void)cert_fmt;
  (void)key, (void)key_len, (void)key_fmt, (void)key_kind;
  return TLSW_OK; /* wolfSSL_set_SSL_CTX() shares the context's own */
}

void tlswi_wb_sni_drop_pair(wctx *w) {
  (void)w;
}
#else
/* A chain and its key, one allocation: b holds the chain, then the key. */
struct wpair {
  size_t chain_len, key_len;
  int chain_fmt, key_fmt;
  int key_kind; /* 'R', 'E', or 0: not known */
  uint8_t b[];
};

int tlswi_wb_sni_keep_pair(wctx *w, const uint8_t *cert, size_t cert_len,
                           int cert_fmt, const uint8_t *key, size_t key_len,
                           int key_fmt, int key_kind) {
  if (!WB_IS_SERVER(w->cfg)) return TLSW_OK;
  struct wpair *p = tlswi_malloc(sizeof *p + cert_len + key_len);
  if (p == NULL) return TLSW_ERR_NOMEM;
  p->chain_len = cert_len;
  p->key_len = key_len;
  p->chain_fmt = cert_fmt;
  p->key_fmt = key_fmt;
  p->key_kind = key_kind;
  memcpy(p->b, cert, cert_len);
  memcpy(p->b + cert_len, key, key_len);
  tlswi_wb_sni_drop_pair(w);
  w->pair = p;
  return TLSW_OK;
}

void tlswi_wb_sni_drop_pair(wctx *w) {
  if (w->pair == NULL) return;
  tlswi_wb_wipe(w->pair->b + w->pair->chain_len, w->pair->key_len);
  tlswi_free(w->pair);
  w->pair = NULL;
}

/* The session loads the chosen context's chain and key itself; wolfSSL
 * frees a server session's own copies when the handshake ends (without
 * the compatibility layer: FreeHandshakeResources). Loading them resets
 * the session's suites to wolfSSL's defaults, and the signature
 * algorithms follow the key: its context's list goes back on. */
static int switch_chain(wsess *s, const wctx *own, const wctx *to,
                        const char *req) {
  const struct wpair *p = to->pair;
  if (p != NULL &&
      wolfSSL_use_certificate_chain_buffer_format(
          s->ssl, p->b, (long)p->chain_len, p->chain_fmt) == WOLFSSL_SUCCESS &&
      wolfSSL_use_PrivateKey_buffer(s->ssl, p->b + p->chain_len,
                                    (long)p->key_len,
                                    p->key_fmt) == WOLFSSL_SUCCESS &&
      tlswi_wb_sess_resuite(own, s->ssl, p->key_kind) == TLSW_OK) {
    return 0;
  }
  tlswi_err_set(
      s->err, p == NULL ? TLSW_ERR_STATE : TLSW_ERR_NOMEM, 0,
      "SNI: cannot load the certificate chain for '%.64s' (%s)", req ? req : "",
      p == NULL ? "its context has no chain loaded" : "out of memory");
  return -1;
}
#endif

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
  if (chosen != NULL && chosen != w && switch_chain(s, w, chosen, req) != 0) {
    s->hook_abort = 1;
    *ad = internal_error;
    return fatal_return;
  }
  /* After the chain: the core's ALPN pick (alpn.c) comes last, as the
   * compatibility layer's selection callback does. */
  if (tlswi_wb_alpn_server_pick(s) != TLSW_OK) {
    s->hook_abort = 1;
    *ad = internal_error;
    return fatal_return;
  }
  return 0;
}

void tlswi_wb_sni_ctx_init(wctx *w) {
  if (!WB_IS_SERVER(w->cfg)) return;
  wolfSSL_CTX_set_servername_callback(w->ctx, sni_cb);
  wolfSSL_CTX_set_servername_arg(w->ctx, w);
}

/* A server session's requested name; wolfSSL keeps it NUL-terminated
 * (TLSX_UseSNI allocates one more byte), with status FORCE_KEEP since our
 * callback is set. */
const char *tlswi_wb_sess_server_name(const void *bsess) {
  const wsess *s = bsess;
  void *data = NULL;
  if (!WB_IS_SERVER(s->cfg)) return NULL; /* the core answers for clients */
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
