/*
 * Cipher suites and protocol versions: the suite table
 * of the build, the defaults a context starts with, and how a context's
 * list and version range are applied to wolfSSL (doc §4).
 */
#include "backend/wolfssl/internal.h"

#include <string.h>

/*
 * Default suites, fastest first on this build. Only ECDHE (forward secrecy)
 * with AEAD: no NULL, anonymous, RC4, 3DES, export, CBC or static RSA
 * suites (doc §4: the build's own default offers all of those). TLS 1.3
 * suites come first because 5.5.4 picks a TLS 1.2 suite for a TLS 1.3
 * handshake otherwise (doc §4), and TLS 1.3 is preferred anyway.
 *
 * Which AEAD leads depends on the build: with AES instructions (AES-NI on
 * x86-64, the ARMv8 crypto extensions) AES-GCM is about 2.9x faster than
 * ChaCha20-Poly1305 (measured on the 5.7.2 host profile, issue #10);
 * without them (Debian's 5.5.4: no assembly) ChaCha20 is about 2.3x faster
 * and, unlike table-based AES, runs in constant time.
 */
#if defined(WOLFSSL_AESNI) || defined(WOLFSSL_ARMASM)
#define TLSW_WB_AES_FIRST 1
#else
#define TLSW_WB_AES_FIRST 0
#endif
static const char *const default_suites[] = {
#if TLSW_WB_AES_FIRST
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
#else
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
#endif
};
#define N_DEFAULT_SUITES (sizeof default_suites / sizeof default_suites[0])

/* Every suite the build offers, filled once by global_init (the one piece of
 * global state, written before any context exists and read-only after):
 * pointers to wolfSSL's own constant IANA names, so the table costs a
 * pointer a suite and no copy of the names (a 4 KB buffer before: most of
 * a firmware image's static RAM, issue #11). */
#define MAX_SUITES 96
static const char *suite_names[MAX_SUITES];
static size_t n_suites;

static int is_tls13_suite(const char *iana) {
  /* TLS 1.3 suite names carry no key exchange: TLS_AES_..., TLS_CHACHA20... */
  return strstr(iana, "_WITH_") == NULL;
}

static const char *find_suite(const char *name) {
  for (size_t i = 0; i < n_suites; i++) {
    if (strcmp(suite_names[i], name) == 0) return suite_names[i];
  }
  return NULL;
}

/* Fill the suite table from the build's list (wolfSSL's order), called
 * once by global_init, after wolfSSL_Init(). Each entry's IANA name comes
 * from its suite bytes, so aliases of one suite appear once. */
int tlswi_wb_suites_init(void) {
  n_suites = 0;
  const char *name;
  for (int i = 0; (name = wolfSSL_get_cipher_list(i)) != NULL; i++) {
    byte c0 = 0, c1 = 0;
    int flags = 0;
    if (wolfSSL_get_cipher_suite_from_name(name, &c0, &c1, &flags) != 0) {
      return TLSW_ERR_INTERNAL;
    }
    const char *iana = wolfSSL_get_cipher_name_iana_from_suite(c0, c1);
    if (iana == NULL || strcmp(iana, "NONE") == 0) return TLSW_ERR_INTERNAL;
    if (strstr(iana, "_SCSV") != NULL || find_suite(iana) != NULL) continue;
    if (n_suites == MAX_SUITES) break;
    suite_names[n_suites++] = iana;
  }
  return n_suites > 0 ? TLSW_OK : TLSW_ERR_INTERNAL;
}

/* A new context's suites: the defaults this build offers. */
void tlswi_wb_default_suites(wctx *w) {
  for (size_t i = 0; i < N_DEFAULT_SUITES; i++) {
    const char *name = find_suite(default_suites[i]);
    if (name != NULL) w->suites[w->n_suites++] = name;
  }
}

int tlswi_wb_available_ciphers(const char **names, size_t max, size_t *out_n) {
  for (size_t i = 0; i < n_suites && i < max; i++) names[i] = suite_names[i];
  *out_n = n_suites;
  return TLSW_OK;
}

/* DTLS: the cap is the method (context.c method_of); the floor of the
 * negotiating method is set here. */
static int apply_dtls_versions(wctx *w) {
#if TLSW_WB_DTLS13
  if (w->dtls12) return TLSW_OK;
  return wolfSSL_CTX_SetMinVersion(w->ctx, w->min_v == TLSW_VERSION_TLS1_3
                                               ? WOLFSSL_DTLSV1_3
                                               : WOLFSSL_DTLSV1_2) ==
                 WOLFSSL_SUCCESS
             ? TLSW_OK
             : TLSW_ERR_INTERNAL;
#else
  (void)w;
  return TLSW_OK;                          /* DTLS 1.2 only on this build */
#endif
}

int tlswi_wb_apply_versions(wctx *w, const tlsw_config *cfg) {
  if (WB_IS_DTLS(cfg)) return apply_dtls_versions(w);
  int has13 = 0, has12 = 0;
  for (size_t i = 0; i < w->n_suites; i++) {
    if (is_tls13_suite(w->suites[i])) {
      has13 = 1;
    } else {
      has12 = 1;
    }
  }
  int lo = w->min_v, hi = w->max_v;
  /* 5.5.4 still advertises TLS 1.3 with a list of TLS 1.2 suites only, and
   * peers then fail with "no shared cipher" (doc §4); cap the version. */
  if (!has13 && hi > TLSW_VERSION_TLS1_2) hi = TLSW_VERSION_TLS1_2;
  if (!has12 && lo < TLSW_VERSION_TLS1_3) lo = TLSW_VERSION_TLS1_3;
  if (lo > hi) lo = hi; /* the suites decide; the handshake will tell */
  if (wolfSSL_CTX_SetMinVersion(w->ctx, lo == TLSW_VERSION_TLS1_3
                                            ? WOLFSSL_TLSV1_3
                                            : WOLFSSL_TLSV1_2) !=
      WOLFSSL_SUCCESS) {
    return TLSW_ERR_INTERNAL;
  }
#if TLSW_WB_MAX_PROTO
  if (wolfSSL_CTX_set_max_proto_version(w->ctx, hi == TLSW_VERSION_TLS1_3
                                                    ? TLS1_3_VERSION
                                                    : TLS1_2_VERSION) !=
      WOLFSSL_SUCCESS) {
    return TLSW_ERR_INTERNAL;
  }
#else
  w->cap_tls12 = hi < TLSW_VERSION_TLS1_3; /* tlswi_wb_sess_versions */
#endif
  return TLSW_OK;
}

/* w->suites, TLS 1.3 first (from_pass 1: TLS 1.2 ones only), as one
 * wolfSSL list in list[cap]; 0 when it does not fit. */
static int suite_list_for(const wctx *w, int from_pass, const char *skip,
                          char *list, size_t cap) {
  size_t used = 0;
  list[0] = '\0';
  for (int pass = from_pass; pass < 2; pass++) {
    for (size_t i = 0; i < w->n_suites; i++) {
      if (is_tls13_suite(w->suites[i]) != (pass == 0)) continue;
      if (skip != NULL && strstr(w->suites[i], skip) != NULL) continue;
      size_t l = strlen(w->suites[i]);
      if (used + l + 2 > cap) return 0;
      if (used > 0) list[used++] = ':';
      memcpy(list + used, w->suites[i], l + 1);
      used += l;
    }
  }
  return 1;
}

static int suite_list(const wctx *w, int from_pass, char *list, size_t cap) {
  return suite_list_for(w, from_pass, NULL, list, cap);
}

/* Install w->suites, TLS 1.3 first, as one wolfSSL list. */
int tlswi_wb_apply_suites(wctx *w, tlsw_err *e) {
  char list[2048];
  if (!suite_list(w, 0, list, sizeof list)) {
    return tlswi_err_set(e, TLSW_ERR_CIPHER, 0,
                         "set_ciphers: cipher list too long");
  }
  if (wolfSSL_CTX_set_cipher_list(w->ctx, list) != WOLFSSL_SUCCESS) {
    return tlswi_err_set(e, TLSW_ERR_CIPHER, 0,
                         "set_ciphers: the backend accepted none of: %s", list);
  }
  return TLSW_OK;
}

/* The context's list again on one session, whose certificate changed
 * (server SNI, sni.c): wolfSSL derives a session's signature algorithms
 * from its key type when the list is set, so a switch from an EC to an
 * RSA chain left it offering ECDSA only (measured: handshake_failure). */
int tlswi_wb_sess_resuite(const wctx *w, WOLFSSL *ssl, int key_kind) {
  char list[2048];
  /* A chain loaded into the session (sni.c, without wolfSSL_set_SSL_CTX)
   * adds its key type to those of the context's chain, and wolfSSL would
   * pick a TLS 1.2 suite for the old key (measured: an RSA chain on an EC
   * server chose ECDHE-ECDSA and failed, ASN_PARSE_E): the TLS 1.2 suites
   * of the other key type are left out. */
  const char *skip = key_kind == 'R'   ? "_ECDSA_"
                     : key_kind == 'E' ? "_RSA_"
                                       : NULL;
  return suite_list_for(w, w->cap_tls12 != 0, skip, list, sizeof list) &&
                 wolfSSL_set_cipher_list(ssl, list) == WOLFSSL_SUCCESS
             ? TLSW_OK
             : TLSW_ERR_NOMEM;
}

#if !TLSW_WB_MAX_PROTO
/* A session of a context capped at TLS 1.2, on a build without
 * wolfSSL_CTX_set_max_proto_version (the OpenSSL-compatibility layer):
 * TLS 1.3 is switched off on the session (WOLFSSL_OP_NO_TLSv1_3, native;
 * wolfSSL_SetVersion would leave the client "TLS 1.3 capable", and it
 * then refuses the server's downgrade sentinel: measured, VERSION_ERROR).
 * That resets the session's suites to wolfSSL's defaults, so the
 * context's list goes back on, without its TLS 1.3 suites. */
int tlswi_wb_sess_versions(const wctx *w, WOLFSSL *ssl) {
  if (w->cap_tls12 == 0) return TLSW_OK;
  char list[2048];
  wolfSSL_set_options(ssl, WOLFSSL_OP_NO_TLSv1_3);
  return suite_list(w, 1, list, sizeof list) &&
                 wolfSSL_set_cipher_list(ssl, list) == WOLFSSL_SUCCESS
             ? TLSW_OK
             : TLSW_ERR_NOMEM;
}
#endif

int tlswi_wb_ctx_set_ciphers(void *bctx, const tlsw_config *cfg,
                             const char *const *names, size_t n, tlsw_err *e) {
  wctx *w = bctx;
  if (n > MAX_CTX_SUITES) {
    return tlswi_err_set(e, TLSW_ERR_CIPHER, 0,
                         "set_ciphers: more than %d names", MAX_CTX_SUITES);
  }
  const char *found[MAX_CTX_SUITES];
  size_t nf = 0;
  for (size_t i = 0; i < n; i++) {
    const char *f = find_suite(names[i]);
    if (f == NULL) {
      return tlswi_err_set(e, TLSW_ERR_CIPHER, 0,
                           "set_ciphers: unknown cipher suite '%s' (use IANA "
                           "names such as TLS_AES_128_GCM_SHA256)",
                           names[i]);
    }
    if (WB_IS_DTLS(cfg) && w->dtls12 && is_tls13_suite(f)) {
      return tlswi_err_set(e, TLSW_ERR_CIPHER, 0,
                           "set_ciphers: '%s' is a (D)TLS 1.3 suite; this "
                           "DTLS context is DTLS 1.2 only (%s)",
                           names[i],
                           TLSW_WB_DTLS13 ? "tlsw_ctx_set_version_range() "
                                            "with a maximum of 1.3 first"
                                          : "no DTLS 1.3 in this build");
    }
    int dup = 0;
    for (size_t j = 0; j < nf; j++) dup |= found[j] == f;
    if (!dup) found[nf++] = f;
  }
  wctx saved = *w;
  tlswi_wb_apply_psk(w, cfg);
  /* Stable partition: TLS 1.3 suites first (doc §4 ordering bug). */
  w->n_suites = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < nf; i++) {
      if (is_tls13_suite(found[i]) == (pass == 0)) {
        w->suites[w->n_suites++] = found[i];
      }
    }
  }
  int st = tlswi_wb_apply_suites(w, e);
  if (st == TLSW_OK) st = tlswi_wb_apply_versions(w, cfg);
  if (st != TLSW_OK) {
    *w = saved;
    tlswi_wb_apply_suites(w, e);
    tlswi_wb_apply_versions(w, cfg);
  }
  return st;
}

int tlswi_wb_ctx_get_ciphers(const void *bctx, const char **names, size_t max,
                             size_t *out_n) {
  const wctx *w = bctx;
  for (size_t i = 0; i < w->n_suites && i < max; i++) names[i] = w->suites[i];
  *out_n = w->n_suites;
  return TLSW_OK;
}

int tlswi_wb_ctx_set_versions(void *bctx, const tlsw_config *cfg, int min_v,
                              int max_v, tlsw_err *e) {
  wctx *w = bctx;
  if (WB_IS_DTLS(cfg) && !TLSW_WB_DTLS13) {
    if (min_v == TLSW_VERSION_TLS1_3) {
      return tlswi_err_set(e, TLSW_ERR_UNSUPPORTED, 0,
                           "DTLS 1.3 is not in this wolfSSL build (no "
                           "WOLFSSL_DTLS13: configure --enable-dtls13; no "
                           "TLSW_FEATURE_DTLS13); DTLS 1.2 is");
    }
    return TLSW_OK; /* a maximum of 1.3 means the newest: DTLS 1.2 */
  }
  int old_min = w->min_v, old_max = w->max_v;
  w->min_v = min_v;
  w->max_v = max_v;
  if (WB_IS_DTLS(cfg)) {
    int rst = tlswi_wb_ctx_remethod(w, cfg, e);
    if (rst != TLSW_OK) {
      w->min_v = old_min;
      w->max_v = old_max;
      return rst;
    }
  }
  int st = tlswi_wb_apply_versions(w, cfg);
  if (st != TLSW_OK) {
    w->min_v = old_min;
    w->max_v = old_max;
    tlswi_wb_apply_versions(w, cfg);
    return tlswi_err_status(e, st, 0);
  }
  return TLSW_OK;
}
