/*
 * Loading our credentials into a context: the certificate chain and private
 * key (with the password and the proof that the key matches the
 * certificate, doc §5). The CAs we trust are load_ca.c. Every load is all
 * or nothing: it is tried on a scratch context first.
 */
#include "backend/wolfssl/internal.h"
#include <wolfssl/error-ssl.h>
#include <wolfssl/version.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#ifndef NO_RSA
#include <wolfssl/wolfcrypt/rsa.h>
#endif

#include <limits.h>
#include <string.h>

#include "support/alloc.h"

/* PEM, after any leading white space: the loaders' one test of format. */
int tlswi_wb_is_pem(const uint8_t *d, size_t len) {
  size_t i = 0;
  while (i < len &&
         (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n')) {
    i++;
  }
  return len - i >= 10 && memcmp(d + i, "-----BEGIN", 10) == 0;
}

static int contains(const uint8_t *d, size_t len, const char *needle) {
  size_t nl = strlen(needle);
  for (size_t i = 0; i + nl <= len; i++) {
    if (memcmp(d + i, needle, nl) == 0) return 1;
  }
  return 0;
}

typedef struct pw_bridge {
  const char *password;
  tlsw_password_fn cb;
  void *user;
  int asked;
  unsigned min_rsa_bits; /* tlsw_config's, for load_pair; 0: default */
} pw_bridge;

#ifdef WOLFSSL_ENCRYPTED_KEYS
static int pw_cb(char *buf, int size, int rwflag, void *ud) {
  (void)rwflag;
  pw_bridge *b = ud;
  if (b == NULL || size <= 0) return 0;
  b->asked = 1;
  if (b->password != NULL) {
    size_t l = strlen(b->password);
    if (l > (size_t)size) return 0;
    memcpy(buf, b->password, l);
    return (int)l;
  }
  if (b->cb != NULL) {
    int l = b->cb(b->user, buf, (size_t)size);
    if (l < 0 || l > size) return 0;
    return l;
  }
  return 0;
}
#endif

/*
 * wolfSSL accepts a key that does not match the certificate (doc §5), and
 * 5.5.4's wolfSSL_CTX_check_private_key() only compares key types for ECC
 * (measured: another P-256 key passes it). So the key is compared with the
 * certificate here, through wolfCrypt alone: the public key the private
 * key makes (EC) or holds (RSA) must be the certificate's. This replaces a
 * sign/verify proof through the OpenSSL-compatibility layer's EVP on a
 * scratch context, which needed OPENSSL_ALL and cost a 57 KB transient on
 * a Cortex-M4 (issue #11). Other key types are left to wolfSSL's check
 * (5.7.2's compares the keys themselves).
 */

/* An uncompressed x9.63 point of the largest curve (P-521): 04 || x || y. */
#define EC_POINT_MAX (1 + 2 * 66)

typedef struct ec_point {
  uint8_t b[EC_POINT_MAX];
  word32 len; /* 0: none */
} ec_point;

/* The private key as a buffer of traditional DER (SEC1, PKCS#1), decoded
 * from the PEM or DER the caller gave (decrypted with the password, as
 * wolfSSL did when it loaded it). */
typedef struct key_der {
  uint8_t *b;      /* tlswi_malloc'd, wiped before it is freed */
  word32 len, off; /* the traditional key: b[off .. len) */
  word32 cap;
} key_der;

static void key_der_free(key_der *k) {
  if (k->b != NULL) tlswi_wb_wipe(k->b, k->cap);
  tlswi_free(k->b);
  k->b = NULL;
}

/* 1 decoded, 0 not (a form wolfCrypt does not read here: wolfSSL's own
 * check then stands alone), -1 out of memory. */
static int key_to_der(const uint8_t *key, size_t key_len, pw_bridge *pw,
                      key_der *k) {
  k->cap = (word32)key_len;
  k->off = 0;
  k->b = tlswi_malloc(key_len > 0 ? key_len : 1);
  if (k->b == NULL) return -1;
  if (tlswi_wb_is_pem(key, key_len)) {
    DerBuffer *der = NULL;
    EncryptedInfo info;
    memset(&info, 0, sizeof info);
#ifdef WOLFSSL_ENCRYPTED_KEYS
    info.passwd_cb = pw_cb;
    info.passwd_userdata = pw;
#else
    (void)pw;
#endif
    int r = wc_PemToDer(key, (long)key_len, PRIVATEKEY_TYPE, &der, NULL, &info,
                        NULL);
    if (r == MEMORY_E) return -1;
    if (r != 0 || der == NULL || der->length > k->cap) {
      wc_FreeDer(&der);
      return 0;
    }
    memcpy(k->b, der->buffer, der->length);
    k->len = der->length;
    wc_FreeDer(&der); /* wipes a private key's buffer */
  } else {
    memcpy(k->b, key, key_len);
    k->len = (word32)key_len;
  }
  /* Unwrap PKCS#8 (no wrapper: the key is traditional already). */
  word32 idx = 0;
  if (wc_GetPkcs8TraditionalOffset(k->b, &idx, k->len) >= 0) k->off = idx;
  return 1;
}

/*
 * An EC private key: its private number must be in [1, n-1] and make the
 * public point the key carries, if any; *derived gets the point it makes.
 * A 33-byte number of 2^256 or more (tests/test_regress.c ec_key_crash)
 * makes wolfSSL_CTX_check_private_key() write out of bounds and crash, on
 * 5.5.4 and 5.7.2 alike (measured: wc_CheckPrivateKey ->
 * wc_ecc_export_private_only -> sp_to_unsigned_bin_len). wc_ecc_make_pub()
 * refuses it, zero and the order with ECC_PRIV_KEY_E. Returns TLSW_OK with
 * derived->len 0 when the key is not an EC key.
 */
static int check_ec_der(const key_der *kd, ec_point *derived, tlsw_err *e) {
  ecc_key k;
  derived->len = 0;
  if (wc_ecc_init(&k) != 0) return tlswi_err_status(e, TLSW_ERR_NOMEM, 0);
  word32 idx = 0;
  ec_point own;
  own.len = sizeof own.b;
  int r = wc_EccPrivateKeyDecode(kd->b + kd->off, &idx, &k, kd->len - kd->off);
  if (r != 0) {
    wc_ecc_free(&k);
    return TLSW_OK; /* not an EC key (wolfSSL has parsed it already) */
  }
  derived->len = sizeof derived->b;
  int has_own = wc_ecc_export_x963(&k, own.b, &own.len) == 0;
  r = wc_ecc_make_pub(&k, NULL);
  if (r == 0) r = wc_ecc_export_x963(&k, derived->b, &derived->len);
  wc_ecc_free(&k);
  if (r != 0) {
    derived->len = 0;
    return tlswi_err_set(e, TLSW_ERR_KEY_INVALID, r,
                         "invalid key: the EC private key does not fit its "
                         "curve (an unknown curve, or a private number that "
                         "is not between 1 and the curve's order; wolfSSL "
                         "error %d)",
                         r);
  }
  if (has_own &&
      (own.len != derived->len || memcmp(own.b, derived->b, own.len) != 0)) {
    return tlswi_err_set(e, TLSW_ERR_KEY_INVALID, 0,
                         "invalid key: the public key inside the EC private "
                         "key is not the one its private number makes");
  }
  return TLSW_OK;
}

/* The leaf certificate's DER (the first of a PEM or DER chain) into a
 * tlswi_malloc'd buffer; NULL when out of memory or unreadable. */
static uint8_t *leaf_der(const uint8_t *cert, size_t cert_len, size_t *len) {
  uint8_t *b = tlswi_malloc(cert_len > 0 ? cert_len : 1);
  if (b == NULL) return NULL;
  int n = (int)cert_len;
  if (tlswi_wb_is_pem(cert, cert_len)) {
    n = wc_CertPemToDer(cert, (int)cert_len, b, (int)cert_len, CERT_TYPE);
  } else {
    memcpy(b, cert, cert_len);
  }
  if (n <= 0) {
    tlswi_free(b);
    return NULL;
  }
  *len = (size_t)n;
  return b;
}

/* 1 if the certificate's public key (SubjectPublicKeyInfo) is the EC
 * point pt. */
static int spki_has_point(const uint8_t *spki, size_t n, const ec_point *pt) {
  ecc_key k;
  if (wc_ecc_init(&k) != 0) return 0;
  word32 idx = 0;
  ec_point c;
  c.len = sizeof c.b;
  int ok = wc_EccPublicKeyDecode(spki, &idx, &k, (word32)n) == 0 &&
           wc_ecc_export_x963(&k, c.b, &c.len) == 0 && c.len == pt->len &&
           memcmp(c.b, pt->b, c.len) == 0;
  wc_ecc_free(&k);
  return ok;
}

#ifndef NO_RSA
/* RSA: 1 the key's modulus and exponent are the certificate's, 0 they are
 * not, -1 the key is not an RSA key (or memory ran out: wolfSSL's check
 * stands). Heap, not stack: an RsaKey is several KB with SP math. */
static int rsa_matches(const key_der *kd, const uint8_t *spki, size_t n) {
  RsaKey *k = tlswi_malloc(2 * sizeof *k);
  uint8_t *buf = tlswi_malloc(2 * 1024 + 32);
  int ok = -1;
  if (k != NULL && buf != NULL && wc_InitRsaKey(&k[0], NULL) == 0) {
    if (wc_InitRsaKey(&k[1], NULL) == 0) {
      word32 i = 0, j = 0;
      uint8_t *n1 = buf, *e1 = buf + 2048, *n2 = buf + 1024, *e2 = e1 + 16;
      word32 n1l = 1024, e1l = 16, n2l = 1024, e2l = 16;
      if (wc_RsaPrivateKeyDecode(kd->b + kd->off, &i, &k[0],
                                 kd->len - kd->off) == 0) {
        ok = wc_RsaPublicKeyDecode(spki, &j, &k[1], (word32)n) == 0 &&
             wc_RsaFlattenPublicKey(&k[0], e1, &e1l, n1, &n1l) == 0 &&
             wc_RsaFlattenPublicKey(&k[1], e2, &e2l, n2, &n2l) == 0 &&
             n1l == n2l && e1l == e2l && memcmp(n1, n2, n1l) == 0 &&
             memcmp(e1, e2, e1l) == 0;
      }
      wc_FreeRsaKey(&k[1]);
    }
    wc_FreeRsaKey(&k[0]);
  }
  tlswi_free(buf);
  tlswi_free(k);
  return ok;
}
#endif

/* What load_pair's check on the scratch context found of the key. */
typedef struct wctx_load {
  const tlsw_policy *policy; /* the core's DER reader (cert_facts) */
  key_der kd;  /* the key's DER; b NULL: not decoded, not compared */
  ec_point ec; /* an EC key's public point; len 0: not an EC key */
} wctx_load;

/* Decode the key wolfSSL has just loaded and check an EC one. */
static int key_check(wctx_load *l, const uint8_t *key, size_t key_len,
                     pw_bridge *pw, tlsw_err *e) {
  int r = key_to_der(key, key_len, pw, &l->kd);
  if (r < 0) return tlswi_err_status(e, TLSW_ERR_NOMEM, 0);
  if (r == 0) {
    key_der_free(&l->kd);
    return TLSW_OK;
  }
  return check_ec_der(&l->kd, &l->ec, e);
}

/* 1 unless the key is proven not to be the certificate's. */
static int key_fits_cert(const wctx_load *l, const uint8_t *cert,
                         size_t cert_len) {
  if (l->kd.b == NULL) return 1;
  size_t len = 0;
  uint8_t *leaf = leaf_der(cert, cert_len, &len);
  tlsw_cert_facts f;
  int ok = 1;
  if (leaf != NULL && l->policy->cert_facts(leaf, len, &f)) {
    if (l->ec.len > 0) {
      ok = spki_has_point(f.spki, f.spki_len, &l->ec);
#ifndef NO_RSA
    } else {
      ok = rsa_matches(&l->kd, f.spki, f.spki_len) != 0;
#endif
    }
  }
  tlswi_free(leaf);
  return ok;
}

/* Load the private key; fill e on failure. */
static int load_key(WOLFSSL_CTX *ctx, const uint8_t *key, size_t key_len,
                    pw_bridge *pw, tlsw_err *e) {
  int kfmt = tlswi_wb_is_pem(key, key_len) ? WOLFSSL_FILETYPE_PEM
                                           : WOLFSSL_FILETYPE_ASN1;
  int r = wolfSSL_CTX_use_PrivateKey_buffer(ctx, key, (long)key_len, kfmt);
  if (r == WOLFSSL_SUCCESS) return TLSW_OK;
  int encrypted = contains(key, key_len, "ENCRYPTED");
#ifndef WOLFSSL_ENCRYPTED_KEYS
  if (encrypted) {
    return tlswi_err_set(e, TLSW_ERR_UNSUPPORTED, r,
                         "invalid key: the private key is encrypted, and "
                         "this wolfSSL build cannot decrypt keys (no "
                         "WOLFSSL_ENCRYPTED_KEYS; tlsw_backend_features() "
                         "has no TLSW_FEATURE_ENCRYPTED_KEYS)");
  }
#endif
  if (r == NO_PASSWORD ||
      (encrypted && pw->password == NULL && pw->cb == NULL)) {
    return tlswi_err_set(e, TLSW_ERR_KEY_PASSWORD, r,
                         "invalid key: the private key is encrypted and no "
                         "password was given");
  }
  if (r == RSA_KEY_SIZE_E || r == ECC_KEY_SIZE_E) {
    return tlswi_err_set(e, TLSW_ERR_CERT_WEAK_KEY, r,
                         "invalid key: key too small for the backend's "
                         "minimum size");
  }
  /* wolfSSL asks for a password whenever a key does not parse (it may be
   * encrypted PKCS#8): only a password that was there to give can have
   * been wrong (measured: malformed SEC1 keys were "wrong password"). */
  int offered = pw->password != NULL || pw->cb != NULL;
  if ((pw->asked && offered) || encrypted) {
    return tlswi_err_set(e, TLSW_ERR_KEY_PASSWORD, r,
                         "invalid key: cannot decrypt the private key "
                         "(wrong password?)");
  }
  return tlswi_err_set(e, TLSW_ERR_KEY_INVALID, r,
                       "invalid key: cannot parse the private key as %s "
                       "(wolfSSL error %d)%s",
                       kfmt == WOLFSSL_FILETYPE_PEM ? "PEM" : "DER", r,
                       pw->asked ? "; if it is an encrypted key, give its "
                                   "password"
                                 : "");
}

/* Load the certificate chain; fill e on failure. */
static int load_cert(WOLFSSL_CTX *ctx, const uint8_t *cert, size_t cert_len,
                     tlsw_err *e) {
  int cfmt = tlswi_wb_is_pem(cert, cert_len) ? WOLFSSL_FILETYPE_PEM
                                             : WOLFSSL_FILETYPE_ASN1;
  int r = wolfSSL_CTX_use_certificate_chain_buffer_format(ctx, cert,
                                                          (long)cert_len, cfmt);
  if (r == WOLFSSL_SUCCESS) return TLSW_OK;
  if (r == RSA_KEY_SIZE_E || r == ECC_KEY_SIZE_E) {
    return tlswi_err_set(e, TLSW_ERR_CERT_WEAK_KEY, r,
                         "invalid cert: its key is too small for the "
                         "backend's minimum size");
  }
  return tlswi_err_set(e, TLSW_ERR_CERT_INVALID, r,
                       "invalid cert: cannot parse the certificate as %s "
                       "(wolfSSL error %d)",
                       cfmt == WOLFSSL_FILETYPE_PEM ? "PEM" : "DER", r);
}

/* Load cert chain + key into ctx; fill e on failure. l: on a fresh
 * context, the key's own check and the comparison with the certificate
 * (key_check, key_fits_cert), run before wolfSSL's check; NULL: wolfSSL's
 * check alone (the pair was proven on the scratch context). */
static int load_pair(WOLFSSL_CTX *ctx, const uint8_t *cert, size_t cert_len,
                     const uint8_t *key, size_t key_len, pw_bridge *pw,
                     wctx_load *l, tlsw_err *e) {
  if (cert_len > INT_MAX || key_len > INT_MAX) {
    return tlswi_err_set(e, TLSW_ERR_ARG, 0, "certificate or key too large");
  }
#ifdef WOLFSSL_ENCRYPTED_KEYS
  wolfSSL_CTX_set_default_passwd_cb(ctx, pw_cb);
  wolfSSL_CTX_set_default_passwd_cb_userdata(ctx, pw);
#endif
#ifndef NO_RSA
  if (pw->min_rsa_bits != 0) {
    /* Checked while the key and certificate are parsed below. */
    wolfSSL_CTX_SetMinRsaKey_Sz(ctx, (short)pw->min_rsa_bits);
  }
#endif
  /* The key first, as MicroPython does, so a bad key is named as such. */
  int st = load_key(ctx, key, key_len, pw, e);
  if (st == TLSW_OK && l != NULL) st = key_check(l, key, key_len, pw, e);
  if (st == TLSW_OK) st = load_cert(ctx, cert, cert_len, e);
  if (st != TLSW_OK) return st;
  if ((l != NULL && !key_fits_cert(l, cert, cert_len)) ||
      wolfSSL_CTX_check_private_key(ctx) != WOLFSSL_SUCCESS) {
    return tlswi_err_set(e, TLSW_ERR_KEY_MISMATCH, 0,
                         "private key does not match the certificate");
  }
  return TLSW_OK;
}

/* A copy for sessions of other contexts whose SNI picks this chain (sni.c):
 * the key as decoded (decrypted) DER when key_check could read it, so no
 * password is needed again. */
static int keep_for_sni(wctx *w, const uint8_t *cert, size_t cert_len,
                        const uint8_t *key, size_t key_len, const wctx_load *l,
                        tlsw_err *e) {
  int cfmt = tlswi_wb_is_pem(cert, cert_len) ? WOLFSSL_FILETYPE_PEM
                                             : WOLFSSL_FILETYPE_ASN1;
  int st;
  if (l->kd.b != NULL) {
    st = tlswi_wb_sni_keep_pair(w, cert, cert_len, cfmt, l->kd.b, l->kd.len,
                                WOLFSSL_FILETYPE_ASN1,
                                l->ec.len > 0 ? 'E' : 'R');
  } else {
    st = tlswi_wb_sni_keep_pair(w, cert, cert_len, cfmt, key, key_len,
                                tlswi_wb_is_pem(key, key_len)
                                    ? WOLFSSL_FILETYPE_PEM
                                    : WOLFSSL_FILETYPE_ASN1,
                                0);
  }
  return st == TLSW_OK ? TLSW_OK : tlswi_err_status(e, st, 0);
}

int tlswi_wb_ctx_load_cert_chain(void *bctx, const tlsw_config *cfg,
                                 const uint8_t *cert, size_t cert_len,
                                 const uint8_t *key, size_t key_len,
                                 const char *password, tlsw_err *e) {
  wctx *w = bctx;
  w->loaded = 1; /* held by this WOLFSSL_CTX alone (context.c) */
  pw_bridge pw = {password, cfg->password_cb, cfg->password_user, 0,
                  cfg->min_rsa_bits};
  /* Check on a scratch context first, so a failure leaves the chain that
   * is in use untouched. */
  WOLFSSL_CTX *scratch = wolfSSL_CTX_new(tlswi_wb_method_for(cfg));
  if (scratch == NULL) return tlswi_err_status(e, TLSW_ERR_NOMEM, 0);
  wctx_load l;
  memset(&l, 0, sizeof l);
  l.policy = cfg->policy;
  int st = load_pair(scratch, cert, cert_len, key, key_len, &pw, &l, e);
  wolfSSL_CTX_free(scratch);
  if (st == TLSW_OK) {
    pw.asked = 0;
    st = load_pair(w->ctx, cert, cert_len, key, key_len, &pw, NULL, e);
  }
#ifdef WOLFSSL_ENCRYPTED_KEYS
  wolfSSL_CTX_set_default_passwd_cb_userdata(w->ctx, NULL);
#endif
  if (st == TLSW_OK) st = keep_for_sni(w, cert, cert_len, key, key_len, &l, e);
  key_der_free(&l.kd);
  return st;
}
