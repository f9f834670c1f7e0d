/*
 * Verification of the peer (doc §3): the verify mode, the callback wolfSSL
 * calls for every certificate (dates against a supplied time, key size
 * floor, host name, non-CA issuers, the user's callback), and the check
 * after a handshake that a verifying client saw the server's certificate.
 */
#include "backend/wolfssl/internal.h"

#include <stdio.h>
#include <string.h>

#include "support/alloc.h"
#include "core/der.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil): timegm() is not C99, and mktime() would apply the
 * local time zone. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int asn1_time_to_unix(const WOLFSSL_ASN1_TIME *t, int64_t *out) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  if (t == NULL || wolfSSL_ASN1_TIME_to_tm(t, &tm) != WOLFSSL_SUCCESS) {
    return 0;
  }
  *out =
      days_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) *
          86400 +
      (int64_t)tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
  return 1;
}

/* Dates against the supplied time (tlsw_ctx_set_time*): wolfSSL 5.5.4
 * checks them against time() only, with no run-time hook (X509_VERIFY_PARAM
 * check_time is ignored during the handshake: measured), so we do it. */
static tlsw_cert_reason check_dates(wsess *s, WOLFSSL_X509 *cert) {
  int64_t now = s->time_cb ? s->time_cb(s->time_user) : s->fixed_time;
  if (now < 0) return TLSW_REASON_NO_TIME;
  int64_t nb, na;
  if (!asn1_time_to_unix(wolfSSL_X509_get_notBefore(cert), &nb) ||
      !asn1_time_to_unix(wolfSSL_X509_get_notAfter(cert), &na)) {
    return TLSW_REASON_OTHER;
  }
  if (now < nb) return TLSW_REASON_NOT_YET_VALID;
  if (now > na) return TLSW_REASON_EXPIRED;
  return TLSW_REASON_NONE;
}

/* Key size floor for every certificate of the peer's chain. wolfSSL's own
 * floor is 1024 bits for RSA; we ask 2048 (like OpenSSL's default security
 * level 2 on Debian) unless tlsw_ctx_set_min_rsa_bits() said otherwise. We
 * check it here rather than with wolfSSL_SetMinRsaKey_Sz() on the session,
 * because that would also refuse a server's own smaller key. The size is
 * read from the certificate's DER (core/der.c): wolfSSL_X509_get_pubkey()
 * built a key object for it, with a DRBG health test on 5.5.4, about 158k
 * instructions and 10 allocations a certificate (issue #14's callgrind). */
static tlsw_cert_reason check_key(wsess *s, const uint8_t *der, size_t der_len,
                                  char *detail, size_t len) {
  tlsw_key_kind kind;
  unsigned bits;
  if (!tlswi_der_cert_key(der, der_len, &kind, &bits)) {
    snprintf(detail, len, ": its public key cannot be read");
    return TLSW_REASON_OTHER;
  }
  unsigned min = 0;
  const char *name = NULL;
  if (kind == TLSW_KEY_RSA) {
    min = s->min_rsa_bits ? s->min_rsa_bits : 2048;
    name = "RSA";
  } else if (kind == TLSW_KEY_EC) {
    min = 224; /* NIST SP 800-57: 112-bit security */
    name = "EC";
  }
  if (name == NULL || bits >= min) return TLSW_REASON_NONE;
  snprintf(detail, len, ": %s %u bits, at least %u required", name, bits, min);
  return TLSW_REASON_WEAK_KEY;
}

/* "CN=a.example.test" when the subject has a CN, else the one-line form. */
static void subject_of(WOLFSSL_X509 *x, char *buf, int len) {
  buf[0] = '\0';
  if (x == NULL) return;
  WOLFSSL_X509_NAME *name = wolfSSL_X509_get_subject_name(x);
  if (name == NULL) return;
  char cn[128];
  if (wolfSSL_X509_NAME_get_text_by_NID(name, NID_commonName, cn,
                                        (int)sizeof cn) > 0) {
    /* Precision, not plain %s: gcc -O2 flags a possible cut otherwise
     * (-Wformat-truncation), and a cut name is fine in a message. */
    snprintf(buf, (size_t)len, "CN=%.*s", len > 4 ? len - 4 : 0, cn);
    return;
  }
  wolfSSL_X509_NAME_oneline(name, buf, len);
}

/*
 * Called by wolfSSL for every certificate the peer sent, deepest first,
 * after its own check of that certificate (WOLFSSL_ALWAYS_VERIFY_CB: also
 * on success). We add what wolfSSL does not do (or does differently):
 * dates against a supplied time, the key size floor, the host name, and a
 * precise reason for a chain through a non-CA certificate. The first
 * failure is recorded (tlsw_verify_rec + session message); the user's
 * callback then sees our verdict as preverify_ok.
 */
static int verify_cb(int preverify, WOLFSSL_X509_STORE_CTX *st) {
  /* The session, through the native callback context (sess_init sets it
   * with wolfSSL_SetCertCbCtx): the compat layer's ex_data index needs
   * HAVE_EX_DATA, which not every build has. */
  wsess *s = st != NULL ? st->userCtx : NULL;
  if (s == NULL || s->vrec == NULL) return 0;
  WOLFSSL *ssl = s->ssl;
  WOLFSSL_X509 *cert = wolfSSL_X509_STORE_CTX_get_current_cert(st);
  int der_len = 0;
  const unsigned char *der = cert ? wolfSSL_X509_get_der(cert, &der_len) : NULL;
  /* No certificate to look at: a client that sent none to an OPTIONAL
   * server still gets a callback, with an empty X509 and preverify 1
   * (measured). wolfSSL's verdict stands; nothing was verified. */
  if (der == NULL || der_len <= 0) return preverify;
  int depth = wolfSSL_X509_STORE_CTX_get_error_depth(st);
  int err = preverify ? 0 : wolfSSL_X509_STORE_CTX_get_error(st);
  tlsw_cert_reason r = preverify ? TLSW_REASON_NONE : tlswi_wb_cert_reason(err);
  char subject[96], detail[64];
  detail[0] = '\0';
  subject_of(cert, subject, (int)sizeof subject);
  const char *fail_subject = subject;
  int fail_depth = depth;
  s->vrec->checked = 1;
  if (depth == 0) s->leaf_checked = 1;

  if (s->has_time) {
    /* wolfSSL judged the dates by the system clock; ours replace that.
     * It reports a date error only for a certificate that is otherwise
     * good (signature and issuer errors take precedence: measured), so
     * nothing else is lost by dropping it. */
    int clock_date_error =
        r == TLSW_REASON_EXPIRED || r == TLSW_REASON_NOT_YET_VALID;
    if (clock_date_error) r = TLSW_REASON_NONE;
    if (r == TLSW_REASON_NONE) r = check_dates(s, cert);
    if (r == TLSW_REASON_NONE && clock_date_error && depth > 0 &&
        wolfSSL_X509_get_isCA(cert)) {
      /* wolfSSL does not take a certificate with a date error as an
       * issuer, whatever the callback says (measured: the child then has
       * an "unknown issuer"). This one verified in every other respect and
       * is valid at the supplied time, so add it as wolfSSL adds any
       * verified intermediate (it keeps them in the context's store). */
      wolfSSL_CTX_load_verify_buffer_ex(wolfSSL_get_SSL_CTX(ssl), der,
                                        (long)der_len, WOLFSSL_FILETYPE_ASN1, 0,
                                        WOLFSSL_LOAD_FLAG_DATE_ERR_OKAY);
    }
  }
  if (r == TLSW_REASON_NONE) {
    r = check_key(s, der, (size_t)der_len, detail, sizeof detail);
  }
  if (r == TLSW_REASON_UNKNOWN_ISSUER && s->nonca != NULL) {
    /* wolfSSL does not take a non-CA certificate as an issuer and so calls
     * the child's issuer unknown; name the real culprit, as OpenSSL does
     * ("invalid CA certificate"). */
    char issuer[128];
    issuer[0] = '\0';
    WOLFSSL_X509_NAME *in = wolfSSL_X509_get_issuer_name(cert);
    if (in != NULL) wolfSSL_X509_NAME_oneline(in, issuer, (int)sizeof issuer);
    if (issuer[0] != '\0' && strcmp(issuer, s->nonca->name) == 0) {
      r = TLSW_REASON_NOT_CA;
      fail_depth = s->nonca->depth;
      fail_subject = s->nonca->subject;
    }
  }
  if (r == TLSW_REASON_NONE && depth > 0 && !wolfSSL_X509_get_isCA(cert)) {
    /* Rare (a misissued chain), so the record is allocated only now, once
     * per session; freed in tlswi_wb_sess_free(). */
    if (s->nonca == NULL) s->nonca = tlswi_malloc(sizeof *s->nonca);
    if (s->nonca == NULL) {
      /* Fail closed: the chain cannot be judged without it. */
      s->vrec->status = TLSW_ERR_NOMEM;
      s->vrec->reason = TLSW_REASON_OTHER;
      s->vrec->depth = depth;
      tlswi_err_set(s->err, TLSW_ERR_NOMEM, 0,
                    "out of memory while verifying the peer's certificate "
                    "chain (%zu bytes, depth %d, %s)",
                    sizeof *s->nonca, depth, subject);
      s->verify_abort = 1;
      return 0;
    }
    WOLFSSL_X509_NAME *sn = wolfSSL_X509_get_subject_name(cert);
    s->nonca->name[0] = '\0';
    if (sn != NULL) {
      wolfSSL_X509_NAME_oneline(sn, s->nonca->name, (int)sizeof s->nonca->name);
    }
    snprintf(s->nonca->subject, sizeof s->nonca->subject, "%s", subject);
    s->nonca->depth = depth;
  }
  if (r == TLSW_REASON_NONE && depth == 0 && s->host != NULL &&
      !tlswi_wb_host_matches(s->host, der, (size_t)der_len, s->cn_fallback)) {
    r = TLSW_REASON_HOSTNAME;
    snprintf(detail, sizeof detail, " for '%.40s'", s->host);
  }
  int ok = r == TLSW_REASON_NONE;
  if (!ok) {
    if (r == TLSW_REASON_OTHER && err != 0) {
      snprintf(detail, sizeof detail, " (wolfSSL error %d)", err);
    }
    tlswi_wb_record_failure(s, r, fail_depth, fail_subject, err, detail);
  }

  if (s->verify_cb != NULL) {
    if (s->verify_cb(s->verify_user, der, (size_t)der_len, depth, ok) != 0) {
      tlswi_wb_record_failure_ex(s, TLSW_REASON_REJECTED, depth, subject, 0, "",
                                 1);
      s->verify_abort = 1;
      return 0;
    }
  }
  if (ok) return 1;
  /* Client CERT_OPTIONAL: record the failure, finish the handshake; the
   * caller reads it with tlsw_session_verify_result(). */
  if (!s->cfg->is_server && s->verify_mode == TLSW_CERT_OPTIONAL) return 1;
  s->verify_abort = 1;
  return 0;
}

/*
 * After a successful handshake: a verifying client must have seen the
 * server's certificate in verify_cb, or the host name was never matched.
 * That cannot happen with the certificate-only suites tlswrap enables; this
 * makes sure a future path (PSK, resumption, a wolfSSL change) fails closed
 * instead of skipping the check silently.
 */
int tlswi_wb_verify_finish(wsess *s) {
  if (s->cfg->is_server || s->verify_mode == TLSW_CERT_NONE ||
      s->leaf_checked) {
    return TLSW_OK;
  }
  /* A PSK suite authenticates the server by the key: there is no
   * certificate to check (only reachable after tlsw_ctx_set_psk()). */
  const char *suite = wolfSSL_get_cipher_name(s->ssl);
  if (s->psk != NULL && suite != NULL && strstr(suite, "PSK") != NULL) {
    return TLSW_OK;
  }
  s->vrec->checked = 1;
  int st =
      tlswi_wb_record_failure(s, TLSW_REASON_OTHER, -1, NULL, 0,
                              ": the server's certificate was never checked");
  if (s->verify_mode == TLSW_CERT_OPTIONAL) return TLSW_OK;
  return st;
}

int tlswi_wb_apply_verify(wctx *w, const tlsw_config *cfg) {
  int mode;
  switch (cfg->verify_mode) {
    case TLSW_CERT_NONE: mode = WOLFSSL_VERIFY_NONE; break;
    case TLSW_CERT_OPTIONAL: mode = WOLFSSL_VERIFY_PEER; break;
    default:
      mode = WOLFSSL_VERIFY_PEER;
      if (cfg->is_server) mode |= WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
      break;
  }
  /* Always explicit: Debian's default is VERIFY_NONE (doc §3). */
  wolfSSL_CTX_set_verify(w->ctx, mode,
                         mode == WOLFSSL_VERIFY_NONE ? NULL : verify_cb);
  return TLSW_OK;
}

int tlswi_wb_ctx_set_verify(void *bctx, const tlsw_config *cfg, tlsw_err *e) {
  (void)e;
  return tlswi_wb_apply_verify(bctx, cfg);
}
