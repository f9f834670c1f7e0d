/*
 * CRLs on wolfSSL: loaded into the context's certificate manager, which
 * verifies each CRL's signature against the CAs already loaded (so CAs
 * come first) and, once one is loaded, checks the peer's leaf against the
 * CRLs of its issuer (CRL checking of the leaf only, as OpenSSL's
 * X509_V_FLAG_CRL_CHECK and CPython's VERIFY_CRL_CHECK_LEAF). A revoked
 * leaf fails verification as TLSW_REASON_REVOKED, one whose issuer has no
 * CRL loaded as TLSW_REASON_NO_CRL (errors.c).
 */
#include "backend/wolfssl/internal.h"

#include <string.h>

#ifdef HAVE_CRL

/* The leaf only (WOLFSSL_CRL_CHECK: with OPENSSL_COMPATIBLE_DEFAULTS, as
 * Debian's build has, options 0 would switch CRL checking off), or the
 * chain (CHECKALL). */
static int enable(const wctx *w) {
  return wolfSSL_CTX_EnableCRL(
      w->ctx,
      WOLFSSL_CRL_CHECK | (w->cfg->crl_chain ? WOLFSSL_CRL_CHECKALL : 0));
}

int tlswi_wb_ctx_crl_mode(void *bctx, tlsw_err *e) {
  wctx *w = bctx;
  w->loaded = 1; /* held by this WOLFSSL_CTX alone (context.c) */
  if (!w->cfg->crl_chain) {
    /* Back to the leaf: CHECKALL stays set in wolfSSL until it is off. */
    if (wolfSSL_CTX_DisableCRL(w->ctx) != WOLFSSL_SUCCESS) {
      return tlswi_err_set(e, TLSW_ERR_INTERNAL, 0,
                           "set_crl_check_chain: wolfSSL refused");
    }
  }
  return enable(w) == WOLFSSL_SUCCESS
             ? TLSW_OK
             : tlswi_err_set(e, TLSW_ERR_INTERNAL, 0,
                             "set_crl_check_chain: wolfSSL refused");
}

int tlswi_wb_ctx_load_crl(void *bctx, const uint8_t *data, size_t len,
                          tlsw_err *e) {
  wctx *w = bctx;
  w->loaded = 1; /* held by this WOLFSSL_CTX alone (context.c) */
  /* PEM has its armour in the first bytes; anything else is taken as
   * DER. */
  int type = len >= 10 && memcmp(data, "-----BEGIN", 10) == 0
                 ? WOLFSSL_FILETYPE_PEM
                 : WOLFSSL_FILETYPE_ASN1;
  if (len > 0x7fffffff) {
    return tlswi_err_set(e, TLSW_ERR_ARG, 0, "load_crl: over 2 GB of CRLs");
  }
  int r = enable(w);
  if (r == WOLFSSL_SUCCESS) {
    r = wolfSSL_CTX_LoadCRLBuffer(w->ctx, data, (long)len, type);
  }
  if (r == WOLFSSL_SUCCESS) return TLSW_OK;
  if (r == MEMORY_E) return tlswi_err_status(e, TLSW_ERR_NOMEM, r);
  return tlswi_err_set(e, TLSW_ERR_CERT_INVALID, r,
                       "load_crl: not a CRL that verifies against the CAs "
                       "loaded so far (load them first); wolfSSL error %d",
                       r);
}

#endif
