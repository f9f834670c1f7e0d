/*
 * Loading credentials into a context: our certificate chain and private key
 * (with the password and the proof that the key matches the certificate,
 * doc §5), and the CA certificates we trust (memory, directory, system).
 * Every load is all or nothing: it is tried on a scratch context first.
 */
#include "backend/wolfssl/internal.h"
#include <wolfssl/error-ssl.h>
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

/* Load cert chain + key into ctx; fill e on failure. */
static int load_pair(WOLFSSL_CTX *ctx, const uint8_t *cert, size_t cert_len,
                     const uint8_t *key, size_t key_len, pw_bridge *pw,
                     int prove, tlsw_err *e) {
  if (cert_len > INT_MAX || key_len > INT_MAX) {
    return tlsw_err_set(e, TLSW_ERR_ARG, 0, "certificate or key too large");
  }
  wolfSSL_CTX_set_default_passwd_cb(ctx, pw_cb);
  wolfSSL_CTX_set_default_passwd_cb_userdata(ctx, pw);
  if (pw->min_rsa_bits != 0) {
    /* Checked while the key and certificate are parsed below. */
    wolfSSL_CTX_SetMinRsaKey_Sz(ctx, (short)pw->min_rsa_bits);
  }
  int kfmt =
      is_pem(key, key_len) ? WOLFSSL_FILETYPE_PEM : WOLFSSL_FILETYPE_ASN1;
  /* The key first, as MicroPython does, so a bad key is named as such. */
  int r = wolfSSL_CTX_use_PrivateKey_buffer(ctx, key, (long)key_len, kfmt);
  if (r != WOLFSSL_SUCCESS) {
    int encrypted = contains(key, key_len, "ENCRYPTED");
    if (r == NO_PASSWORD ||
        (encrypted && pw->password == NULL && pw->cb == NULL)) {
      return tlsw_err_set(e, TLSW_ERR_KEY_PASSWORD, r,
                          "invalid key: the private key is encrypted and no "
                          "password was given");
    }
    if (r == RSA_KEY_SIZE_E || r == ECC_KEY_SIZE_E) {
      return tlsw_err_set(e, TLSW_ERR_CERT_WEAK_KEY, r,
                          "invalid key: key too small for the backend's "
                          "minimum size");
    }
    if (pw->asked || encrypted) {
      return tlsw_err_set(e, TLSW_ERR_KEY_PASSWORD, r,
                          "invalid key: cannot decrypt the private key "
                          "(wrong password?)");
    }
    return tlsw_err_set(e, TLSW_ERR_KEY_INVALID, r,
                        "invalid key: cannot parse the private key as %s "
                        "(wolfSSL error %d)",
                        kfmt == WOLFSSL_FILETYPE_PEM ? "PEM" : "DER", r);
  }
  int cfmt =
      is_pem(cert, cert_len) ? WOLFSSL_FILETYPE_PEM : WOLFSSL_FILETYPE_ASN1;
  r = wolfSSL_CTX_use_certificate_chain_buffer_format(ctx, cert, (long)cert_len,
                                                      cfmt);
  if (r != WOLFSSL_SUCCESS) {
    if (r == RSA_KEY_SIZE_E || r == ECC_KEY_SIZE_E) {
      return tlsw_err_set(e, TLSW_ERR_CERT_WEAK_KEY, r,
                          "invalid cert: its key is too small for the "
                          "backend's minimum size");
    }
    return tlsw_err_set(e, TLSW_ERR_CERT_INVALID, r,
                        "invalid cert: cannot parse the certificate as %s "
                        "(wolfSSL error %d)",
                        cfmt == WOLFSSL_FILETYPE_PEM ? "PEM" : "DER", r);
  }
  /* wolfSSL accepts a key that does not match the certificate (doc §5), and
   * 5.5.4's check_private_key only compares key types for ECC: another
   * P-256 key passes it. So also prove possession: sign with the key and
   * verify with the certificate's public key. */
  if (wolfSSL_CTX_check_private_key(ctx) != WOLFSSL_SUCCESS ||
      (prove && !key_signs_for_cert(ctx))) {
    return tlsw_err_set(e, TLSW_ERR_KEY_MISMATCH, 0,
                        "private key does not match the certificate");
  }
  return TLSW_OK;
}

int tlsw_wb_ctx_load_cert_chain(void *bctx, const tlsw_config *cfg,
                                const uint8_t *cert, size_t cert_len,
                                const uint8_t *key, size_t key_len,
                                const char *password, tlsw_err *e) {
  wctx *w = bctx;
  pw_bridge pw = {password, cfg->password_cb, cfg->password_user, 0,
                  cfg->min_rsa_bits};
  /* Check on a scratch context first, so a failure leaves the chain that
   * is in use untouched. */
  WOLFSSL_CTX *scratch = wolfSSL_CTX_new(tlsw_wb_method_for(cfg));
  if (scratch == NULL) return tlsw_err_status(e, TLSW_ERR_NOMEM, 0);
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
  if (st == TLSW_OK) w->has_chain = 1;
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
      return tlsw_err_set(e, TLSW_ERR_CERT_INVALID, 0,
                          "invalid cert: PEM block %d of the CA data has no "
                          "END line (truncated?)",
                          count + 1);
    }
    stop += 5;
    int r = wolfSSL_CTX_load_verify_buffer_ex(
        ctx, d + begin, (long)(stop - begin), WOLFSSL_FILETYPE_PEM, 0,
        CA_LOAD_FLAGS);
    if (r != WOLFSSL_SUCCESS) {
      return tlsw_err_set(e, TLSW_ERR_CERT_INVALID, r,
                          "invalid cert: cannot parse PEM block %d of the CA "
                          "data as a certificate (wolfSSL error %d)",
                          count + 1, r);
    }
    count++;
    at = stop;
  }
  if (count == 0) {
    return tlsw_err_set(e, TLSW_ERR_CERT_INVALID, 0,
                        "invalid cert: no PEM certificate in the CA data");
  }
  return TLSW_OK;
}

static int load_ca(WOLFSSL_CTX *ctx, const uint8_t *data, size_t len,
                   tlsw_err *e) {
  if (len > LONG_MAX) return tlsw_err_status(e, TLSW_ERR_ARG, 0);
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
    return tlsw_err_set(e, TLSW_ERR_CERT_INVALID, r,
                        "invalid cert: cannot parse the CA data as %s "
                        "(wolfSSL error %d)",
                        pem ? "PEM certificates" : "DER certificates", r);
  }
  return TLSW_OK;
}

int tlsw_wb_ctx_load_ca_mem(void *bctx, const uint8_t *data, size_t len,
                            tlsw_err *e) {
  wctx *w = bctx;
  /* All or nothing: a bundle with one bad certificate adds none. */
  WOLFSSL_CTX *scratch = wolfSSL_CTX_new(tlsw_wb_method_for(w->cfg));
  if (scratch == NULL) return tlsw_err_status(e, TLSW_ERR_NOMEM, 0);
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
  int st2 = tlsw_wb_apply_verify(w, w->cfg);
  return st != TLSW_OK ? st : st2;
}

int tlsw_wb_ctx_load_ca_dir(void *bctx, const char *path, tlsw_err *e) {
  wctx *w = bctx;
  int r = wolfSSL_CTX_load_verify_locations_ex(w->ctx, NULL, path,
                                               WOLFSSL_LOAD_FLAG_IGNORE_ERR);
  if (r != WOLFSSL_SUCCESS) {
    return tlsw_err_set(e, TLSW_ERR_FILE, r,
                        "cannot load CA certificates from directory %s "
                        "(missing, unreadable or no certificates)",
                        path);
  }
  return TLSW_OK;
}

int tlsw_wb_ctx_load_ca_system(void *bctx, tlsw_err *e) {
  wctx *w = bctx;
  if (wolfSSL_CTX_load_system_CA_certs(w->ctx) != WOLFSSL_SUCCESS) {
    return tlsw_err_set(e, TLSW_ERR_FILE, 0,
                        "cannot load the system CA certificates "
                        "(/etc/ssl/certs: is ca-certificates installed?)");
  }
  return TLSW_OK;
}
