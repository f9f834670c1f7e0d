/*
 * The session's secrets, handed out on request: key-log hooks (wolfSSL's
 * secret callbacks, HAVE_SECRET_CALLBACK) and the keying-material exporter
 * (HAVE_KEYING_MATERIAL). The line format and the argument rules are the
 * core's (core/secrets.c); this file only finds the bytes.
 */
#include "backend/wolfssl/internal.h"

#include <string.h>

#ifdef HAVE_SECRET_CALLBACK
/* NSS key-log labels of wolfSSL's TLS 1.3 secret ids (enum Tls13Secret),
 * named as OpenSSL's -keylogfile names them. */
static const char *tls13_label(int id) {
  switch (id) {
    case CLIENT_EARLY_TRAFFIC_SECRET: return "CLIENT_EARLY_TRAFFIC_SECRET";
    case CLIENT_HANDSHAKE_TRAFFIC_SECRET:
      return "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
    case SERVER_HANDSHAKE_TRAFFIC_SECRET:
      return "SERVER_HANDSHAKE_TRAFFIC_SECRET";
    case CLIENT_TRAFFIC_SECRET: return "CLIENT_TRAFFIC_SECRET_0";
    case SERVER_TRAFFIC_SECRET: return "SERVER_TRAFFIC_SECRET_0";
    case EARLY_EXPORTER_SECRET: return "EARLY_EXPORTER_SECRET";
    case EXPORTER_SECRET: return "EXPORTER_SECRET";
    default: return NULL;
  }
}

static void log_secret(wsess *s, const char *label, const void *secret,
                       int len) {
  unsigned char random[32];
  /* wolfSSL keeps the ClientHello random until the handshake ends, which
   * is when every secret above is derived (KeyUpdate's later secrets go
   * through another path and are not logged, as OpenSSL does not). */
  if (label == NULL || len <= 0 ||
      wolfSSL_get_client_random(s->ssl, random, sizeof random) !=
          sizeof random) {
    return;
  }
  s->cfg->policy->keylog(s->cfg, label, random, sizeof random, secret,
                         (size_t)len);
}

/* Returns 0: a failure here would fail the handshake, and a log must
 * never do that. */
static int tls13_secret_cb(WOLFSSL *ssl, int id, const unsigned char *secret,
                           int len, void *ctx) {
  (void)ssl;
  log_secret(ctx, tls13_label(id), secret, len);
  return 0;
}

/* TLS 1.2 and DTLS 1.2: the master secret, once derived. */
static int tls12_secret_cb(WOLFSSL *ssl, void *secret, int len, void *ctx) {
  (void)ssl;
  log_secret(ctx, "CLIENT_RANDOM", secret, len);
  return 0;
}
#endif

/* At wrap time. wolfSSL derives the TLS 1.3 exporter secret, and can
 * export at all, only while it keeps the handshake's "arrays" (secrets,
 * randoms): by default they are wiped when the handshake ends. The hooks
 * are set only for a context with a key-log callback, so other sessions
 * take no detour through them. */
void tlswi_wb_secrets_setup(wsess *s, const tlsw_config *cfg) {
  if (cfg->exporter || cfg->keylog_cb != NULL) wolfSSL_KeepArrays(s->ssl);
#ifdef HAVE_SECRET_CALLBACK
  if (cfg->keylog_cb == NULL) return;
  wolfSSL_set_secret_cb(s->ssl, tls12_secret_cb, s);
#ifdef WOLFSSL_TLS13
  wolfSSL_set_tls13_secret_cb(s->ssl, tls13_secret_cb, s);
#endif
#else
  (void)s;
  (void)cfg;
#endif
}

/* The handshake is done: a session kept its arrays for the key log only
 * gives them up now, as every other session does. */
void tlswi_wb_secrets_done(wsess *s) {
  if (!s->cfg->exporter && s->cfg->keylog_cb != NULL) {
    wolfSSL_FreeArrays(s->ssl);
  }
}

#ifdef HAVE_KEYING_MATERIAL
int tlswi_wb_export_keying_material(void *bsess, const char *label,
                                    const uint8_t *context, size_t context_len,
                                    uint8_t *out, size_t out_len, tlsw_err *e) {
  wsess *s = bsess;
  int ret =
      wolfSSL_export_keying_material(s->ssl, out, out_len, label, strlen(label),
                                     context, context_len, context != NULL);
  if (ret == WOLFSSL_SUCCESS) return TLSW_OK;
  /* Nothing half-written reaches the caller. */
  tlswi_wb_wipe(out, out_len);
  /* wolfSSL says only "failure"; the likely cause is a session wrapped
   * before the exporter was turned on, whose secrets were wiped after its
   * handshake. */
  return tlswi_err_set(e, TLSW_ERR_INTERNAL, ret,
                       "export_keying_material: wolfSSL could not derive "
                       "%zu bytes for label '%.64s' (was the exporter on "
                       "when the session was wrapped?)",
                       out_len, label);
}
#endif
