/*
 * Loading credentials into a context: our certificate chain and private key
 * (with the password and the proof that the key matches the certificate,
 * doc §5), and the CA certificates we trust (memory, directory, system).
 * Every load is all or nothing: it is tried on a scratch context first.
 */
#include "backend/wolfssl/internal.h"
#include <wolfssl/error-ssl.h>
#include <wolfssl/version.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include <limits.h>
#include <string.h>

static int is_pem(const uint8_t *d, size_t len) {
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

/*
 * wolfSSL accepts a key that does not match the certificate (doc §5), so
 * every load runs wolfSSL_CTX_check_private_key(). 5.5.4's only compares
 * key types for ECC (measured: another P-256 key passes it), so there we
 * also prove possession: sign with the key, verify with the certificate's
 * public key. 5.7.2's compares the keys themselves (measured: with the proof
 * left out, tests/test_context.c cert_chain_bad_data still refuses the other
 * P-256 key), so the proof is not built there. Versions in between were not
 * measured and keep it. (check_ec_key() now also compares EC keys on every
 * build, before either check.)
 */
#if LIBWOLFSSL_VERSION_HEX < 0x05007002
#define TLSW_WB_PROVE_POSSESSION 1
#else
#define TLSW_WB_PROVE_POSSESSION 0
#endif

#if TLSW_WB_PROVE_POSSESSION
/* 1 if the context's private key makes signatures that its certificate's
 * public key verifies. */
static int key_signs_for_cert(WOLFSSL_CTX *ctx) {
  WOLFSSL_EVP_PKEY *priv = wolfSSL_CTX_get0_privatekey(ctx);
  WOLFSSL_X509 *x = wolfSSL_CTX_get0_certificate(ctx);
  if (priv == NULL || x == NULL) return 0;
  WOLFSSL_EVP_PKEY *pub = wolfSSL_X509_get_pubkey(x);
  if (pub == NULL) return 0;
  static const unsigned char msg[] = "tlswrap key/certificate check";
  unsigned char sig[1024]; /* RSA-8192 at most */
  size_t sig_len = sizeof sig;
  int ok = 0;
  WOLFSSL_EVP_MD_CTX *md = wolfSSL_EVP_MD_CTX_new();
  if (md != NULL &&
      wolfSSL_EVP_DigestSignInit(md, NULL, wolfSSL_EVP_sha256(), NULL, priv) ==
          WOLFSSL_SUCCESS &&
      wolfSSL_EVP_DigestSignUpdate(md, msg, sizeof msg) == WOLFSSL_SUCCESS &&
      wolfSSL_EVP_DigestSignFinal(md, sig, &sig_len) == WOLFSSL_SUCCESS) {
    wolfSSL_EVP_MD_CTX_free(md);
    md = wolfSSL_EVP_MD_CTX_new();
    ok = md != NULL &&
         wolfSSL_EVP_DigestVerifyInit(md, NULL, wolfSSL_EVP_sha256(), NULL,
                                      pub) == WOLFSSL_SUCCESS &&
         wolfSSL_EVP_DigestVerifyUpdate(md, msg, sizeof msg) ==
             WOLFSSL_SUCCESS &&
         wolfSSL_EVP_DigestVerifyFinal(md, sig, sig_len) == WOLFSSL_SUCCESS;
  }
  if (md != NULL) wolfSSL_EVP_MD_CTX_free(md);
  wolfSSL_EVP_PKEY_free(pub);
  return ok;
}
#else
static int key_signs_for_cert(WOLFSSL_CTX *ctx) {
  (void)ctx;
  return 1; /* wolfSSL_CTX_check_private_key() compared the keys */
}
#endif

/* An uncompressed x9.63 point of the largest curve (P-521): 04 || x || y. */
#define EC_POINT_MAX (1 + 2 * 66)

typedef struct ec_point {
  uint8_t b[EC_POINT_MAX];
  word32 len; /* 0: none */
} ec_point;

/*
 * An EC private key (SEC1 DER, as wolfSSL decoded it): its private number
 * must be in [1, n-1] and make the public point the key carries, if any;
 * *derived gets the point it makes. A 33-byte number of 2^256 or more
 * (tests/test_regress.c ec_key_crash) makes wolfSSL_CTX_check_private_key()
 * write out of bounds and crash, on 5.5.4 and 5.7.2 alike (measured:
 * wc_CheckPrivateKey -> wc_ecc_export_private_only -> sp_to_unsigned_bin_len).
 * wc_ecc_make_pub() refuses it, zero and the order with ECC_PRIV_KEY_E.
 */
static int check_ec_der(const uint8_t *der, int len, ec_point *derived,
                        tlsw_err *e) {
  ecc_key k;
  if (wc_ecc_init(&k) != 0) return tlswi_err_status(e, TLSW_ERR_NOMEM, 0);
  word32 idx = 0;
  ec_point own;
  own.len = derived->len = sizeof own.b;
  int r = wc_EccPrivateKeyDecode(der, &idx, &k, (word32)len);
  int has_own = r == 0 && wc_ecc_export_x963(&k, own.b, &own.len) == 0;
  if (r == 0) r = wc_ecc_make_pub(&k, NULL);
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

/* Right after the key is loaded (5.7.2's wolfSSL_CTX_get0_privatekey()
 * returns NULL once a certificate of another key type is in, measured):
 * check_ec_der() on an EC key; derived->len stays 0 for other keys. */
static int check_ec_key(WOLFSSL_CTX *ctx, ec_point *derived, tlsw_err *e) {
  derived->len = 0;
  WOLFSSL_EVP_PKEY *priv = wolfSSL_CTX_get0_privatekey(ctx);
  if (priv == NULL || wolfSSL_EVP_PKEY_base_id(priv) != EVP_PKEY_EC) {
    return TLSW_OK;
  }
  unsigned char *der = NULL;
  int len = wolfSSL_i2d_PrivateKey(priv, &der);
  if (len <= 0 || der == NULL) return tlswi_err_status(e, TLSW_ERR_NOMEM, 0);
  int st = check_ec_der(der, len, derived, e);
  tlswi_wb_wipe(der, (size_t)len);
  XFREE(der, NULL, DYNAMIC_TYPE_OPENSSL);
  return st;
}

/* 1 if the certificate's public key is the EC point pt. */
static int cert_has_point(WOLFSSL_CTX *ctx, const ec_point *pt) {
  WOLFSSL_X509 *x = wolfSSL_CTX_get0_certificate(ctx);
  unsigned char spki[256]; /* P-521's SubjectPublicKeyInfo is 158 bytes */
  int n = (int)sizeof spki;
  if (x == NULL ||
      wolfSSL_X509_get_pubkey_buffer(x, spki, &n) != WOLFSSL_SUCCESS) {
    return 0;
  }
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

/* Load the private key; fill e on failure. */
static int load_key(WOLFSSL_CTX *ctx, const uint8_t *key, size_t key_len,
                    pw_bridge *pw, tlsw_err *e) {
  int kfmt =
      is_pem(key, key_len) ? WOLFSSL_FILETYPE_PEM : WOLFSSL_FILETYPE_ASN1;
  int r = wolfSSL_CTX_use_PrivateKey_buffer(ctx, key, (long)key_len, kfmt);
  if (r == WOLFSSL_SUCCESS) return TLSW_OK;
  int encrypted = contains(key, key_len, "ENCRYPTED");
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
  int cfmt =
      is_pem(cert, cert_len) ? WOLFSSL_FILETYPE_PEM : WOLFSSL_FILETYPE_ASN1;
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

/* Load cert chain + key into ctx; fill e on failure. check: a fresh
 * context, where the key is checked before wolfSSL's own check runs. */
static int load_pair(WOLFSSL_CTX *ctx, const uint8_t *cert, size_t cert_len,
                     const uint8_t *key, size_t key_len, pw_bridge *pw,
                     int check, tlsw_err *e) {
  if (cert_len > INT_MAX || key_len > INT_MAX) {
    return tlswi_err_set(e, TLSW_ERR_ARG, 0, "certificate or key too large");
  }
  wolfSSL_CTX_set_default_passwd_cb(ctx, pw_cb);
  wolfSSL_CTX_set_default_passwd_cb_userdata(ctx, pw);
#ifndef NO_RSA
  if (pw->min_rsa_bits != 0) {
    /* Checked while the key and certificate are parsed below. */
    wolfSSL_CTX_SetMinRsaKey_Sz(ctx, (short)pw->min_rsa_bits);
  }
#endif
  /* The key first, as MicroPython does, so a bad key is named as such. */
  int st = load_key(ctx, key, key_len, pw, e);
  ec_point ec = {{0}, 0};
  if (st == TLSW_OK && check) st = check_ec_key(ctx, &ec, e);
  if (st == TLSW_OK) st = load_cert(ctx, cert, cert_len, e);
  if (st != TLSW_OK) return st;
  /* An EC key is compared here; wolfSSL's check, and where it is weak the
   * proof (key_signs_for_cert), then cover every key type. */
  if ((ec.len > 0 && !cert_has_point(ctx, &ec)) ||
      wolfSSL_CTX_check_private_key(ctx) != WOLFSSL_SUCCESS ||
      (check && !key_signs_for_cert(ctx))) {
    return tlswi_err_set(e, TLSW_ERR_KEY_MISMATCH, 0,
                         "private key does not match the certificate");
  }
  return TLSW_OK;
}

int tlswi_wb_ctx_load_cert_chain(void *bctx, const tlsw_config *cfg,
                                 const uint8_t *cert, size_t cert_len,
                                 const uint8_t *key, size_t key_len,
                                 const char *password, tlsw_err *e) {
  wctx *w = bctx;
  pw_bridge pw = {password, cfg->password_cb, cfg->password_user, 0,
                  cfg->min_rsa_bits};
  /* Check on a scratch context first, so a failure leaves the chain that
   * is in use untouched. */
  WOLFSSL_CTX *scratch = wolfSSL_CTX_new(tlswi_wb_method_for(cfg));
  if (scratch == NULL) return tlswi_err_status(e, TLSW_ERR_NOMEM, 0);
  int st = load_pair(scratch, cert, cert_len, key, key_len, &pw, 1, e);
  wolfSSL_CTX_free(scratch);
  if (st != TLSW_OK) return st;
  pw.asked = 0;
  /* Possession was proven on the fresh scratch context. It cannot be
   * proven again here: wolfSSL_CTX_get0_privatekey() keeps returning the
   * EVP key it built for the first key ever loaded, so replacing an EC
   * chain with an RSA one failed as a mismatch (tests/test_context.c
   * failed_load_keeps_chain). */
  st = load_pair(w->ctx, cert, cert_len, key, key_len, &pw, 0, e);
  wolfSSL_CTX_set_default_passwd_cb_userdata(w->ctx, NULL);
  return st;
}

/* Offset of needle in d[from..len), or len when absent. */
static size_t find_from(const uint8_t *d, size_t len, size_t from,
                        const char *needle) {
  size_t nl = strlen(needle);
  for (size_t i = from; i + nl <= len; i++) {
    if (memcmp(d + i, needle, nl) == 0) return i;
  }
  return len;
}

/*
 * A CA is loaded even when it is expired (or not yet valid) by the system
 * clock: a trust anchor's dates are not part of path validation (RFC 5280
 * §6.1), the clock of a small device may be unset, and a peer certificate
 * that is itself expired still fails verification, naming the real cause
 * ("certificate has expired") at handshake time instead of a vague
 * "invalid cert" at load time. (mbedTLS, hence MicroPython, does the same.)
 */
#define CA_LOAD_FLAGS \
  (WOLFSSL_LOAD_VERIFY_DEFAULT_FLAGS | WOLFSSL_LOAD_FLAG_DATE_ERR_OKAY)

/*
 * A PEM bundle, one block at a time. wolfSSL_CTX_load_verify_buffer(PEM)
 * returns success for a bundle whose later blocks are junk or cut short
 * (measured on 5.5.4: a good CA followed by a corrupt block returns 1), which
 * would break the all-or-nothing promise of context.h and hide a damaged
 * bundle. Text between blocks is ignored, as OpenSSL does.
 */
static int load_ca_pem(WOLFSSL_CTX *ctx, const uint8_t *d, size_t len,
                       tlsw_err *e) {
  int count = 0;
  size_t at = 0;
  for (;;) {
    size_t begin = find_from(d, len, at, "-----BEGIN ");
    if (begin == len) break;
    size_t end = find_from(d, len, begin, "-----END ");
    size_t stop = end == len ? len : find_from(d, len, end + 9, "-----");
    if (stop == len) {
      return tlswi_err_set(e, TLSW_ERR_CERT_INVALID, 0,
                           "invalid cert: PEM block %d of the CA data has no "
                           "END line (truncated?)",
                           count + 1);
    }
    stop += 5;
    int r = wolfSSL_CTX_load_verify_buffer_ex(
        ctx, d + begin, (long)(stop - begin), WOLFSSL_FILETYPE_PEM, 0,
        CA_LOAD_FLAGS);
    if (r != WOLFSSL_SUCCESS) {
      return tlswi_err_set(e, TLSW_ERR_CERT_INVALID, r,
                           "invalid cert: cannot parse PEM block %d of the CA "
                           "data as a certificate (wolfSSL error %d)",
                           count + 1, r);
    }
    count++;
    at = stop;
  }
  if (count == 0) {
    return tlswi_err_set(e, TLSW_ERR_CERT_INVALID, 0,
                         "invalid cert: no PEM certificate in the CA data");
  }
  return TLSW_OK;
}

static int load_ca(WOLFSSL_CTX *ctx, const uint8_t *data, size_t len,
                   tlsw_err *e) {
  if (len > LONG_MAX) return tlswi_err_status(e, TLSW_ERR_ARG, 0);
  int pem = is_pem(data, len);
  int r;
  if (pem) {
    return load_ca_pem(ctx, data, len, e);
  } else {
    /* load_verify_buffer(ASN1) loads only the first of concatenated DER
     * certificates (doc §5); the chain variant loads them all. */
    r = wolfSSL_CTX_load_verify_buffer_ex(
        ctx, data, (long)len, WOLFSSL_FILETYPE_ASN1, 1, CA_LOAD_FLAGS);
  }
  if (r != WOLFSSL_SUCCESS) {
    return tlswi_err_set(e, TLSW_ERR_CERT_INVALID, r,
                         "invalid cert: cannot parse the CA data as %s "
                         "(wolfSSL error %d)",
                         pem ? "PEM certificates" : "DER certificates", r);
  }
  return TLSW_OK;
}

int tlswi_wb_ctx_load_ca_mem(void *bctx, const uint8_t *data, size_t len,
                             tlsw_err *e) {
  wctx *w = bctx;
  /* All or nothing: a bundle with one bad certificate adds none. */
  WOLFSSL_CTX *scratch = wolfSSL_CTX_new(tlswi_wb_method_for(w->cfg));
  if (scratch == NULL) return tlswi_err_status(e, TLSW_ERR_NOMEM, 0);
  int st = load_ca(scratch, data, len, e);
  wolfSSL_CTX_free(scratch);
  if (st != TLSW_OK) return st;
  /* Debian's build (WOLFSSL_TRUST_PEER_CERT + OPENSSL_COMPATIBLE_DEFAULTS)
   * also adds each CA as a trusted peer certificate, parsing it again with
   * the context's verify setting, which ignores CA_LOAD_FLAGS: an expired
   * CA then fails with -151 once verification is on (measured). Load with
   * verification off, then put the mode back. */
  wolfSSL_CTX_set_verify(w->ctx, WOLFSSL_VERIFY_NONE, NULL);
  st = load_ca(w->ctx, data, len, e);
  int st2 = tlswi_wb_apply_verify(w, w->cfg);
  return st != TLSW_OK ? st : st2;
}

#ifndef NO_FILESYSTEM
int tlswi_wb_ctx_load_ca_dir(void *bctx, const char *path, tlsw_err *e) {
  wctx *w = bctx;
  int r = wolfSSL_CTX_load_verify_locations_ex(w->ctx, NULL, path,
                                               WOLFSSL_LOAD_FLAG_IGNORE_ERR);
  if (r != WOLFSSL_SUCCESS) {
    return tlswi_err_set(e, TLSW_ERR_FILE, r,
                         "cannot load CA certificates from directory %s "
                         "(missing, unreadable or no certificates)",
                         path);
  }
  return TLSW_OK;
}

#endif

#ifdef WOLFSSL_SYS_CA_CERTS
int tlswi_wb_ctx_load_ca_system(void *bctx, tlsw_err *e) {
  wctx *w = bctx;
  if (wolfSSL_CTX_load_system_CA_certs(w->ctx) != WOLFSSL_SUCCESS) {
    return tlswi_err_set(e, TLSW_ERR_FILE, 0,
                         "cannot load the system CA certificates "
                         "(/etc/ssl/certs: is ca-certificates installed?)");
  }
  return TLSW_OK;
}
#endif
