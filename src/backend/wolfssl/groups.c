/*
 * Key exchange groups: the default list, tlsw_ctx_set_groups(), and the
 * group a handshake agreed on. The core has the names; here are the IANA
 * code points, which wolfSSL's WOLFSSL_ECC_* / WOLFSSL_FFDHE_* values are.
 */
#include "backend/wolfssl/internal.h"

#include <string.h>

#include <wolfssl/wolfcrypt/ecc.h>

/*
 * Cheapest first: on Debian's 5.5.4 X25519 is 2.2x cheaper than P-256 and
 * does not fill the multi-megabyte per-thread FP_ECC cache (doc §6). P-256
 * and P-384 follow for peers without X25519.
 */
static int default_groups[] = {
    TLSW_WB_GROUP_X25519 TLSW_WB_GROUP_P256 TLSW_WB_GROUP_P384};

/* 1 when this build can do the group: wolfSSL accepts any known code
 * point in its list and fails only in the handshake, so the core would
 * otherwise take a P-521 it can never use. */
static int compiled(uint16_t id) {
  switch (id) {
#ifdef HAVE_CURVE25519
    case WOLFSSL_ECC_X25519: return 1;
#endif
#ifdef HAVE_CURVE448
    case WOLFSSL_ECC_X448: return 1;
#endif
#ifdef HAVE_ECC
    case WOLFSSL_ECC_SECP256R1: return wc_ecc_get_curve_idx(ECC_SECP256R1) >= 0;
    case WOLFSSL_ECC_SECP384R1: return wc_ecc_get_curve_idx(ECC_SECP384R1) >= 0;
    case WOLFSSL_ECC_SECP521R1: return wc_ecc_get_curve_idx(ECC_SECP521R1) >= 0;
#endif
#if defined(HAVE_FFDHE_2048) && !defined(NO_DH)
    case WOLFSSL_FFDHE_2048: return 1;
#endif
#if defined(HAVE_FFDHE_3072) && !defined(NO_DH)
    case WOLFSSL_FFDHE_3072: return 1;
#endif
#if defined(HAVE_FFDHE_4096) && !defined(NO_DH)
    case WOLFSSL_FFDHE_4096: return 1;
#endif
    default: return 0;
  }
}

/* wolfSSL_CTX_set_groups() refuses a context that cannot do TLS 1.3
 * (measured: -173 BAD_FUNC_ARG on the DTLS 1.2 method), which made every
 * DTLS context fail; the supported_groups extension of DTLS 1.2 takes the
 * same list through UseSupportedCurve. */
int tlswi_wb_apply_groups(wctx *w, const tlsw_config *cfg) {
  int *list = w->n_groups > 0 ? w->groups : default_groups;
  size_t n = w->n_groups > 0 ? w->n_groups
                             : sizeof default_groups / sizeof default_groups[0];
  if (!WB_IS_DTLS(cfg)) {
    return wolfSSL_CTX_set_groups(w->ctx, list, (int)n) == WOLFSSL_SUCCESS
               ? TLSW_OK
               : TLSW_ERR_INTERNAL;
  }
  for (size_t i = 0; i < n; i++) {
    if (wolfSSL_CTX_UseSupportedCurve(w->ctx, (word16)list[i]) !=
        WOLFSSL_SUCCESS) {
      return TLSW_ERR_INTERNAL;
    }
  }
  return TLSW_OK;
}

int tlswi_wb_ctx_set_groups(void *bctx, const tlsw_config *cfg,
                            const uint16_t *ids, size_t n, tlsw_err *e) {
  wctx *w = bctx;
  if (WB_IS_DTLS(cfg)) {
    return tlswi_err_set(e, TLSW_ERR_UNSUPPORTED, 0,
                         "set_groups: not on a DTLS context (wolfSSL can add "
                         "DTLS 1.2 groups but not replace its list; DTLS "
                         "keeps X25519, P-256, P-384)");
  }
  for (size_t i = 0; i < n; i++) {
    if (!compiled(ids[i])) {
      return tlswi_err_set(e, TLSW_ERR_UNSUPPORTED, 0,
                           "set_groups: group %u is not in this wolfSSL "
                           "build (%s)",
                           (unsigned)ids[i], wolfSSL_lib_version());
    }
  }
  int saved[8];
  size_t n_saved = w->n_groups;
  memcpy(saved, w->groups, sizeof saved);
  for (size_t i = 0; i < n; i++) w->groups[i] = ids[i];
  w->n_groups = n;
  if (tlswi_wb_apply_groups(w, cfg) != TLSW_OK) {
    memcpy(w->groups, saved, sizeof saved);
    w->n_groups = n_saved;
    tlswi_wb_apply_groups(w, cfg); /* what held before still holds */
    return tlswi_err_set(e, TLSW_ERR_INTERNAL, 0,
                         "set_groups: wolfSSL refused the list");
  }
  return TLSW_OK;
}

/* wolfSSL names the group rather than numbering it. */
unsigned tlswi_wb_sess_group(const void *bsess) {
  static const struct {
    const char *name;
    unsigned id;
  } names[] = {{"X25519", 29},      {"SECP256R1", 23},  {"SECP384R1", 24},
               {"SECP521R1", 25},   {"X448", 30},       {"FFDHE_2048", 256},
               {"FFDHE_3072", 257}, {"FFDHE_4096", 258}};
  const wsess *s = bsess;
  const char *name = wolfSSL_get_curve_name(s->ssl);
  if (name == NULL) return 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcmp(name, names[i].name) == 0) return names[i].id;
  }
  return 0;
}
