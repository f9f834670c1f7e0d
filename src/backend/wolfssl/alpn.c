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

/* wolfSSL's own match takes the client's order; the server's order
 * decides here, as servers configure ALPN everywhere else (nginx,
 * OpenSSL's s_server). With the compatibility layer's selection callback
 * (OPENSSL_ALL: Debian's 5.5.4) the callback picks; without it (the host
 * and firmware profiles), 5.7.2 keeps the client's list until after the
 * server's SNI callback, which runs for every ClientHello: there
 * tlswi_wb_alpn_server_pick() narrows the session's list to the one name
 * the core's rule picks, so wolfSSL's own match can only agree with it.
 * Older releases match while parsing the ClientHello, before that
 * callback: without the selection callback the client's order decides. */
#if defined(OPENSSL_ALL) || defined(WOLFSSL_NGINX) || defined(WOLFSSL_HAPROXY)
#define WB_ALPN_SERVER_ORDER 1
#define WB_ALPN_PICK 0
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
#elif LIBWOLFSSL_VERSION_HEX >= 0x05007002
#define WB_ALPN_SERVER_ORDER 1
#define WB_ALPN_PICK 1
#else
#define WB_ALPN_SERVER_ORDER 0
#define WB_ALPN_PICK 0
#endif

#if WB_ALPN_PICK
/* The client's offer as wolfSSL gives it ("h2,http/1.1") back into the
 * wire form the core's rule reads (length-prefixed names), in place: the
 * two have the same length. A name with a ',' inside (none is registered)
 * splits into parts, so the pick may name a part the client did not
 * offer; wolfSSL's own match over the real offer then refuses it
 * (no_application_protocol), it never agrees on a name not offered. */
static size_t to_wire(char *list, size_t n) {
  size_t out = n + 1, end = n;
  for (size_t i = n; i-- > 0;) {
    if (list[i] == ',' || i == 0) {
      size_t from = list[i] == ',' ? i + 1 : 0;
      size_t w = end - from;
      if (w == 0 || w > 255) return 0;
      memmove(list + out - w, list + from, w);
      out -= w + 1;
      list[out] = (char)w;
      end = i;
    }
  }
  return out == 0 ? n + 1 : 0;
}

/* The server's list goes on the session only here (wolfSSL_UseALPN adds
 * to a list, it cannot take names off): the one name picked, or, with
 * none in common, the whole list, for wolfSSL to refuse the client with
 * no_application_protocol itself. Then the copy is freed: a second
 * ClientHello (after HelloRetryRequest) finds the list in place. */
int tlswi_wb_alpn_server_pick(wsess *s) {
  if (s->name.alpn == NULL) return TLSW_OK;
  char *list = NULL, name[256];
  word16 n = 0;
  const uint8_t *sel = NULL;
  uint8_t sel_len = 0;
  int st = TLSW_OK;
  /* BUFFER_ERROR: the client offered no ALPN; nothing to answer. */
  if (wolfSSL_ALPN_GetPeerProtocol(s->ssl, &list, &n) == WOLFSSL_SUCCESS &&
      list != NULL) {
    size_t len = to_wire(list, n);
    int found = len > 0 &&
                s->cfg->policy->alpn_select(s->name.alpn, (const uint8_t *)list,
                                            len, &sel, &sel_len);
    if (found) memcpy(name, sel, sel_len);
    wolfSSL_ALPN_FreePeerProtocol(s->ssl, &list);
    char *use = found ? name : s->name.alpn;
    word32 use_len = found ? sel_len : (word32)strlen(s->name.alpn);
    if (wolfSSL_UseALPN(s->ssl, use, use_len,
                        WOLFSSL_ALPN_FAILED_ON_MISMATCH) != WOLFSSL_SUCCESS) {
      st = tlswi_err_set(s->err, TLSW_ERR_NOMEM, 0,
                         "handshake: out of memory for the ALPN extension");
    }
  }
  tlswi_free(s->name.alpn);
  s->name.alpn = NULL;
  return st;
}
#else
int tlswi_wb_alpn_server_pick(wsess *s) {
  (void)s;
  return TLSW_OK;
}
#endif

int tlswi_wb_alpn_setup(wsess *s, const tlsw_config *cfg, tlsw_err *e) {
  if (cfg->alpn == NULL) return TLSW_OK;
  size_t len = strlen(cfg->alpn);
  /* wolfSSL copies the list; its parameter is not const. A server that
   * picks (WB_ALPN_PICK) sets it from the ClientHello instead. */
  if ((!WB_IS_SERVER(cfg) || !WB_ALPN_PICK) &&
      wolfSSL_UseALPN(s->ssl, cfg->alpn, (word32)len,
                      WOLFSSL_ALPN_FAILED_ON_MISMATCH) != WOLFSSL_SUCCESS) {
    return tlswi_err_set(e, TLSW_ERR_NOMEM, 0,
                         "wrap: out of memory for the ALPN extension "
                         "(%zu bytes of protocol names)",
                         len);
  }
  if (!WB_IS_SERVER(cfg) || !WB_ALPN_SERVER_ORDER) return TLSW_OK;
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
#if WB_ALPN_SERVER_ORDER && !WB_ALPN_PICK
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

int tlswi_wb_alpn_server_pick(wsess *s) {
  (void)s;
  return TLSW_OK;
}

int tlswi_wb_alpn_setup(wsess *s, const tlsw_config *cfg, tlsw_err *e) {
  (void)s;
  (void)e;
  (void)cfg; /* the core refuses tlsw_ctx_set_alpn() (no feature bit) */
  return TLSW_OK;
}

#endif
