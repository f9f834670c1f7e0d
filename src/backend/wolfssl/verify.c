/*
 * Verification of the peer (doc §3): the verify mode, the callback wolfSSL
 * calls for every certificate (dates against a supplied time, key size
 * floor, host name, non-CA issuers, the user's callback), and the check
 * after a handshake that a verifying client saw the server's certificate.
 * The rules themselves are the core's (tlsw_policy: core/policy.c,
 * core/hostname.c); this file finds the facts wolfSSL holds and asks.
 */
#include "backend/wolfssl/internal.h"

#include <stdio.h>
#include <string.h>

#include "support/alloc.h"

/* wolfSSL's date type to the core's (NULL or unreadable: 0). */
static int date_of(const WOLFSSL_ASN1_TIME *t, tlsw_date *out) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  if (t == NULL || wolfSSL_ASN1_TIME_to_tm(t, &tm) != WOLFSSL_SUCCESS) {
    return 0;
  }
  out->year = tm.tm_year + 1900;
  out->month = tm.tm_mon + 1;
  out->day = tm.tm_mday;
  out->hour = tm.tm_hour;
  out->minute = tm.tm_min;
  out->second = tm.tm_sec;
  return 1;
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

/* One certificate under examination, and the verdict so far. */
typedef struct vstep {
  WOLFSSL_X509 *cert;
  const unsigned char *der;
  int der_len;
  int depth;
  int err; /* wolfSSL's error for it, 0 when it passed wolfSSL's checks */
  tlsw_cert_reason r;
  const char *fail_subject;
  int fail_depth;
  char subject[96];
  char detail[64];
} vstep;

/* Dates against the supplied time (tlsw_ctx_set_time*): wolfSSL 5.5.4
 * checks them against time() only, with no run-time hook (X509_VERIFY_PARAM
 * check_time is ignored during the handshake: measured), so the core's
 * rule replaces its verdict. */
static void check_dates(wsess *s, vstep *v) {
  if (!s->has_time) return;
  /* wolfSSL judged the dates by the system clock; ours replace that.
   * It reports a date error only for a certificate that is otherwise
   * good (signature and issuer errors take precedence: measured), so
   * nothing else is lost by dropping it. */
  int clock_date_error =
      v->r == TLSW_REASON_EXPIRED || v->r == TLSW_REASON_NOT_YET_VALID;
  if (clock_date_error) v->r = TLSW_REASON_NONE;
  if (v->r != TLSW_REASON_NONE) return;
  int64_t now = s->time_cb ? s->time_cb(s->time_user) : s->fixed_time;
  tlsw_date nb, na;
  memset(&nb, 0, sizeof nb);
  memset(&na, 0, sizeof na);
  if (now >= 0 && (!date_of(wolfSSL_X509_get_notBefore(v->cert), &nb) ||
                   !date_of(wolfSSL_X509_get_notAfter(v->cert), &na))) {
    v->r = TLSW_REASON_OTHER;
    return;
  }
  v->r = s->cfg->policy->check_dates(now, &nb, &na);
  if (v->r == TLSW_REASON_NONE && clock_date_error && v->depth > 0 &&
      wolfSSL_X509_get_isCA(v->cert)) {
    /* wolfSSL does not take a certificate with a date error as an
     * issuer, whatever the callback says (measured: the child then has
     * an "unknown issuer"). This one verified in every other respect and
     * is valid at the supplied time, so add it as wolfSSL adds any
     * verified intermediate (it keeps them in the context's store). */
    wolfSSL_CTX_load_verify_buffer_ex(wolfSSL_get_SSL_CTX(s->ssl), v->der,
                                      (long)v->der_len, WOLFSSL_FILETYPE_ASN1,
                                      0, WOLFSSL_LOAD_FLAG_DATE_ERR_OKAY);
  }
}

/* The key size floor (the core's rule), checked here rather than with
 * wolfSSL_SetMinRsaKey_Sz() on the session, because that would also
 * refuse a server's own smaller key. */
static void check_key(wsess *s, vstep *v) {
  if (v->r != TLSW_REASON_NONE) return;
  v->r = s->cfg->policy->check_key(s->min_rsa_bits, v->der, (size_t)v->der_len,
                                   v->detail, sizeof v->detail);
}

/* wolfSSL does not take a non-CA certificate as an issuer and so calls
 * the child's issuer unknown; name the real culprit, as OpenSSL does
 * ("invalid CA certificate"). */
static void check_issuer(wsess *s, vstep *v) {
  if (v->r != TLSW_REASON_UNKNOWN_ISSUER || s->nonca == NULL) return;
  char issuer[128];
  issuer[0] = '\0';
  WOLFSSL_X509_NAME *in = wolfSSL_X509_get_issuer_name(v->cert);
  if (in != NULL) wolfSSL_X509_NAME_oneline(in, issuer, (int)sizeof issuer);
  if (issuer[0] != '\0' && strcmp(issuer, s->nonca->name) == 0) {
    v->r = TLSW_REASON_NOT_CA;
    v->fail_depth = s->nonca->depth;
    v->fail_subject = s->nonca->subject;
  }
}

/* A non-CA certificate above the leaf: remember it for check_issuer. Rare
 * (a misissued chain), so the record is allocated only now, once per
 * session; freed in tlswi_wb_sess_free(). 0 when out of memory (the
 * failure is recorded: fail closed, the chain cannot be judged). */
static int check_nonca(wsess *s, vstep *v) {
  if (v->r != TLSW_REASON_NONE || v->depth == 0 ||
      wolfSSL_X509_get_isCA(v->cert)) {
    return 1;
  }
  if (s->nonca == NULL) s->nonca = tlswi_malloc(sizeof *s->nonca);
  if (s->nonca == NULL) {
    s->vrec->status = TLSW_ERR_NOMEM;
    s->vrec->reason = TLSW_REASON_OTHER;
    s->vrec->depth = v->depth;
    tlswi_err_set(s->err, TLSW_ERR_NOMEM, 0,
                  "out of memory while verifying the peer's certificate "
                  "chain (%zu bytes, depth %d, %s)",
                  sizeof *s->nonca, v->depth, v->subject);
    return 0;
  }
  WOLFSSL_X509_NAME *sn = wolfSSL_X509_get_subject_name(v->cert);
  s->nonca->name[0] = '\0';
  if (sn != NULL) {
    wolfSSL_X509_NAME_oneline(sn, s->nonca->name, (int)sizeof s->nonca->name);
  }
  snprintf(s->nonca->subject, sizeof s->nonca->subject, "%s", v->subject);
  s->nonca->depth = v->depth;
  return 1;
}

/* The leaf against server_hostname (the core's RFC 6125 rules, not
 * wolfSSL_check_domain_name(), whose rules differ). */
static void check_host(wsess *s, vstep *v) {
  if (v->r != TLSW_REASON_NONE || v->depth != 0 || s->cfg->is_server ||
      s->name.host == NULL) {
    return;
  }
  if (!s->cfg->policy->host_matches(s->name.host, v->der, (size_t)v->der_len,
                                    s->cn_fallback)) {
    v->r = TLSW_REASON_HOSTNAME;
    snprintf(v->detail, sizeof v->detail, " for '%.40s'", s->name.host);
  }
}

/* Record our verdict, then let the user's callback have its say. Returns
 * what wolfSSL is told: 1 go on, 0 fail the handshake. */
static int conclude(wsess *s, vstep *v) {
  int ok = v->r == TLSW_REASON_NONE;
  if (!ok) {
    if (v->r == TLSW_REASON_OTHER && v->err != 0) {
      snprintf(v->detail, sizeof v->detail, " (wolfSSL error %d)", v->err);
    }
    tlswi_wb_record_failure(s, v->r, v->fail_depth, v->fail_subject, v->err,
                            v->detail);
  }
  if (s->verify_cb != NULL &&
      s->verify_cb(s->verify_user, v->der, (size_t)v->der_len, v->depth, ok) !=
          0) {
    tlswi_wb_record_failure_ex(s, TLSW_REASON_REJECTED, v->depth, v->subject, 0,
                               "", 1);
    s->verify_abort = 1;
    return 0;
  }
  if (ok) return 1;
  /* Client CERT_OPTIONAL: record the failure, finish the handshake; the
   * caller reads it with tlsw_session_verify_result(). */
  if (!s->cfg->is_server && s->verify_mode == TLSW_CERT_OPTIONAL) return 1;
  s->verify_abort = 1;
  return 0;
}

/*
 * Called by wolfSSL for every certificate the peer sent, deepest first,
 * after its own check of that certificate (WOLFSSL_ALWAYS_VERIFY_CB: also
 * on success). We add what wolfSSL does not do (or does differently), as a
 * chain of check_* steps, each a no-op once an earlier one failed: dates
 * against a supplied time, the key size floor, a precise reason for a
 * chain through a non-CA certificate, the host name. The first failure is
 * recorded (tlsw_verify_rec + session message); the user's callback then
 * sees our verdict as preverify_ok.
 */
static int verify_cb(int preverify, WOLFSSL_X509_STORE_CTX *st) {
  /* The session, through the native callback context (sess_init sets it
   * with wolfSSL_SetCertCbCtx): the compat layer's ex_data index needs
   * HAVE_EX_DATA, which not every build has. */
  wsess *s = st != NULL ? st->userCtx : NULL;
  if (s == NULL || s->vrec == NULL) return 0;
  vstep v;
  v.cert = wolfSSL_X509_STORE_CTX_get_current_cert(st);
  v.der_len = 0;
  v.der = v.cert ? wolfSSL_X509_get_der(v.cert, &v.der_len) : NULL;
  /* No certificate to look at: a client that sent none to an OPTIONAL
   * server still gets a callback, with an empty X509 and preverify 1
   * (measured). wolfSSL's verdict stands; nothing was verified. */
  if (v.der == NULL || v.der_len <= 0) return preverify;
  v.depth = wolfSSL_X509_STORE_CTX_get_error_depth(st);
  v.err = preverify ? 0 : wolfSSL_X509_STORE_CTX_get_error(st);
  v.r = preverify ? TLSW_REASON_NONE : tlswi_wb_cert_reason(v.err);
  v.detail[0] = '\0';
  subject_of(v.cert, v.subject, (int)sizeof v.subject);
  v.fail_subject = v.subject;
  v.fail_depth = v.depth;
  s->vrec->checked = 1;
  if (v.depth == 0) s->leaf_checked = 1;
  check_dates(s, &v);
  check_key(s, &v);
  check_issuer(s, &v);
  if (!check_nonca(s, &v)) {
    s->verify_abort = 1;
    return 0;
  }
  check_host(s, &v);
  return conclude(s, &v);
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
  /* A resumed session: the server proved it holds the secret of a session
   * whose handshake verified this host's certificate (the core offers a
   * saved session only then, core/resume.c), so that verdict stands. */
  if (wolfSSL_session_reused(s->ssl) == 1) {
    s->vrec->checked = 1;
    s->vrec->status = TLSW_OK;
    return TLSW_OK;
  }
  /* A PSK suite authenticates the server by the key: there is no
   * certificate to check (only reachable after tlsw_ctx_set_psk()). */
  if (s->psk != NULL &&
      s->cfg->policy->is_psk_suite(wolfSSL_get_cipher_name(s->ssl))) {
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
