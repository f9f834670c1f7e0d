/*
 * PSK: wolfSSL asks through these callbacks; the session is the I/O
 * context. Installed on a context only when tlsw_ctx_set_psk() or
 * tlsw_ctx_set_psk_server_callback() was used.
 */
#include "backend/wolfssl/internal.h"

#include <string.h>

/* A build without PSK (NO_PSK) has no callbacks to install; the core
 * refuses the PSK calls there (no TLSW_FEATURE_PSK). */
#ifndef NO_PSK

static unsigned int psk_client_cb(WOLFSSL *ssl, const char *hint,
                                  char *identity, unsigned int id_max,
                                  unsigned char *key, unsigned int key_max) {
  (void)hint;
  wsess *s = wolfSSL_GetIOReadCtx(ssl);
  if (s == NULL || s->psk == NULL) return 0;
  size_t id_len = strlen(s->psk->identity);
  if (id_len + 1 > id_max || s->psk->key_len > key_max) return 0;
  memcpy(identity, s->psk->identity, id_len + 1);
  memcpy(key, s->psk->key, s->psk->key_len);
  return (unsigned int)s->psk->key_len;
}

static unsigned int psk_server_cb(WOLFSSL *ssl, const char *identity,
                                  unsigned char *key, unsigned int key_max) {
  wsess *s = wolfSSL_GetIOReadCtx(ssl);
  if (s == NULL || s->psk_cb == NULL || identity == NULL) return 0;
  int n = s->psk_cb(s->psk_user, (const uint8_t *)identity, strlen(identity),
                    key, key_max);
  /* 0 makes wolfSSL fail the handshake (unknown identity). */
  return n > 0 && (unsigned)n <= key_max ? (unsigned)n : 0;
}

/* wolfSSL considers PSK suites only once a PSK callback is installed on the
 * context, so this runs before the suite list is applied. */
void tlswi_wb_apply_psk(wctx *w, const tlsw_config *cfg) {
  /* (Unless the caller chose groups: theirs stand.) */
  if ((cfg->psk_key_len > 0 || cfg->psk_cb != NULL) && w->n_groups == 0) {
    /* 5.5.4's ECDHE-PSK client rejects an X25519 ServerKeyExchange
     * (measured: -352 "Bad ECC Peer Key"); NIST curves work. */
    static int psk_groups[] = {TLSW_WB_GROUP_P256 TLSW_WB_GROUP_P384};
    if (WB_IS_DTLS(cfg)) {
      wolfSSL_CTX_UseSupportedCurve(w->ctx, WOLFSSL_ECC_SECP256R1);
    } else {
      wolfSSL_CTX_set_groups(w->ctx, psk_groups,
                             (int)(sizeof psk_groups / sizeof psk_groups[0]));
    }
  }
  if (cfg->psk_key_len > 0 || cfg->psk_cb != NULL) {
    w->loaded = 1; /* settings on this WOLFSSL_CTX alone (context.c) */
  }
  if (cfg->psk_key_len > 0) {
    wolfSSL_CTX_set_psk_client_callback(w->ctx, psk_client_cb);
  }
  if (cfg->psk_cb != NULL) {
    wolfSSL_CTX_set_psk_server_callback(w->ctx, psk_server_cb);
  }
}
#else
void tlswi_wb_apply_psk(wctx *w, const tlsw_config *cfg) {
  (void)w;
  (void)cfg;
}
#endif
