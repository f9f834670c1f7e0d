/*
 * Loading the CA certificates a context trusts: from memory (PEM bundles,
 * one certificate at a time so a bad one is named, or DER), a directory,
 * or the system's store. A load from memory is all or nothing: it is tried
 * on a scratch context first, as load.c does.
 */
#include "backend/wolfssl/internal.h"
#include <wolfssl/error-ssl.h>

#include <limits.h>
#include <string.h>

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
  int pem = tlswi_wb_is_pem(data, len);
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
  w->loaded = 1; /* held by this WOLFSSL_CTX alone (context.c) */
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
  w->loaded = 1; /* held by this WOLFSSL_CTX alone (context.c) */
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
  w->loaded = 1; /* held by this WOLFSSL_CTX alone (context.c) */
  if (wolfSSL_CTX_load_system_CA_certs(w->ctx) != WOLFSSL_SUCCESS) {
    return tlswi_err_set(e, TLSW_ERR_FILE, 0,
                         "cannot load the system CA certificates "
                         "(/etc/ssl/certs: is ca-certificates installed?)");
  }
  return TLSW_OK;
}
#endif
