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

/* One certificate under examination, and the verdict so far. Its facts
 * (dates, names, cA flag) come from the core's DER reader
 * (tlsw_policy.cert_facts), not from wolfSSL's X509 objects, which only the
 * OpenSSL-compatibility layer builds (issue #11). */
typedef struct vstep {
  const unsigned char *der;
  int der_len;
  int depth;
  int err;       /* wolfSSL's error for it, 0 when it passed wolfSSL's checks */
  int has_facts; /* f could be read */
  tlsw_cert_facts f;
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
  if (now >= 0 && !v->has_facts) {
    v->r = TLSW_REASON_OTHER;
    return;
  }
  v->r = s->cfg->policy->check_dates(now, &v->f.not_before, &v->f.not_after);
  if (v->r == TLSW_REASON_NONE && clock_date_error && v->depth > 0 &&
      v->f.is_ca) {
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

/* The core's rules on the certificate's own DER: weak signatures, the
 * leaf's key usage (tlsw_policy.check_cert). wolfSSL checks some key
 * usage itself (extendedKeyUsage; keyUsage in TLS 1.2: measured) and
 * then gives no detail; the core's verdict words it, and wolfSSL's
 * refusal stands either way. */
static void check_rules(wsess *s, vstep *v) {
  int wolf_usage = v->r == TLSW_REASON_KEY_USAGE;
  if (v->r != TLSW_REASON_NONE && !wolf_usage) return;
  tlsw_cert_reason r =
      s->cfg->policy->check_cert(s->cert_rules, v->der, (size_t)v->der_len,
                                 v->depth, v->detail, sizeof v->detail);
  if (!wolf_usage || r == TLSW_REASON_KEY_USAGE) v->r = r;
  if (v->r == TLSW_REASON_KEY_USAGE && r != v->r) v->detail[0] = '\0';
}

/* wolfSSL does not take a non-CA certificate as an issuer and so calls
 * the child's issuer unknown; name the real culprit, as OpenSSL does
 * ("invalid CA certificate"). */
static void check_issuer(wsess *s, vstep *v) {
  if (v->r != TLSW_REASON_UNKNOWN_ISSUER || !v->has_facts) return;
  /* Without the compatibility layer (OPENSSL_ALL turns it into
   * ASN_SELF_SIGNED_E) wolfSSL calls an untrusted self-issued certificate's
   * issuer unknown too; OpenSSL names it "self-signed". */
  if (v->f.issuer_len > 0 && v->f.issuer_len == v->f.subject_len &&
      memcmp(v->f.issuer, v->f.subject, v->f.issuer_len) == 0) {
    v->r = TLSW_REASON_SELF_SIGNED;
    return;
  }
  if (s->nonca == NULL) return;
  size_t n = v->f.issuer_len;
  if (n == s->nonca->name_len && n > 0 &&
      memcmp(v->f.issuer, s->nonca->name,
             n < sizeof s->nonca->name ? n : sizeof s->nonca->name) == 0) {
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
  if (v->r != TLSW_REASON_NONE || v->depth == 0 || !v->has_facts ||
      v->f.is_ca) {
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
  /* The subject's DER, compared byte for byte with a child's issuer (a
   * longer one by its first bytes and its length). */
  size_t n = v->f.subject_len;
  memcpy(s->nonca->name, v->f.subject,
         n < sizeof s->nonca->name ? n : sizeof s->nonca->name);
  s->nonca->name_len = n;
  snprintf(s->nonca->subject, sizeof s->nonca->subject, "%s", v->subject);
  s->nonca->depth = v->depth;
  return 1;
}

/* The peer's leaf, kept for tlsw_session_peer_cert() (once: a TLS 1.2
 * renegotiation is off, and a second leaf replaces nothing). 0 when out of
 * memory, recorded as for check_nonca. */
static int keep_leaf(wsess *s, const vstep *v,
                     const WOLFSSL_X509_STORE_CTX *st) {
  if (v->depth != 0 || s->peer != NULL) return 1;
  /* With tlsw_ctx_set_keep_peer_chain(): the rest as sent, after it. */
  int n = s->cfg->keep_peer_chain && st->certs != NULL ? st->totalCerts : 1;
  size_t size = sizeof *s->peer + (size_t)v->der_len;
  for (int i = 1; i < n; i++) size += 4 + st->certs[i].length;
  s->peer = tlswi_malloc(size);
  if (s->peer == NULL) {
    tlswi_err_set(s->err, TLSW_ERR_NOMEM, 0,
                  "out of memory while keeping the peer's certificate%s "
                  "(%zu bytes)",
                  n > 1 ? "s" : "", size);
    return 0;
  }
  s->peer->n = s->cfg->keep_peer_chain ? (size_t)n : 0;
  s->peer->len = (size_t)v->der_len;
  memcpy(s->peer->der, v->der, (size_t)v->der_len);
  uint8_t *p = s->peer->der + v->der_len;
  for (int i = 1; i < n; i++) {
    word32 l = st->certs[i].length;
    p[0] = (uint8_t)(l >> 24);
    p[1] = (uint8_t)(l >> 16);
    p[2] = (uint8_t)(l >> 8);
    p[3] = (uint8_t)l;
    memcpy(p + 4, st->certs[i].buffer, l);
    p += 4 + l;
  }
  return 1;
}

/* The leaf against server_hostname (the core's RFC 6125 rules, not
 * wolfSSL_check_domain_name(), whose rules differ). */
static void check_host(wsess *s, vstep *v) {
  if (v->r != TLSW_REASON_NONE || v->depth != 0 || WB_IS_SERVER(s->cfg) ||
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
  if (!WB_IS_SERVER(s->cfg) && s->verify_mode == TLSW_CERT_OPTIONAL) return 1;
  s->verify_abort = 1;
  return 0;
}

/*
 * Called by wolfSSL for every certificate the peer sent, deepest first,
 * after its own check of that certificate (WOLFSSL_ALWAYS_VERIFY_CB: also
 * on success). We add what wolfSSL does not do (or does differently), as a
 * chain of check_* steps, each a no-op once an earlier one failed: dates
 * against a supplied time, the key size floor, weak signatures and key
 * usage, a precise reason for a
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
  /* The certificate, from the native store fields: the peer's DER buffers
   * as received (0: the leaf) and the index of this one, which is its
   * depth (internal.c SetupStoreCtxCallback, 5.5.4 and 5.7.2). */
  v.depth = st->error_depth;
  v.der = NULL;
  v.der_len = 0;
  if (st->certs != NULL && v.depth >= 0 && v.depth < st->totalCerts) {
    v.der = st->certs[v.depth].buffer;
    v.der_len = (int)st->certs[v.depth].length;
  }
  /* No certificate to look at: a client that sent none to an OPTIONAL
   * server still gets a callback, with no certificate and preverify 1
   * (measured). wolfSSL's verdict stands; nothing was verified. */
  if (v.der == NULL || v.der_len <= 0) return preverify;
  if (!keep_leaf(s, &v, st)) {
    s->verify_abort = 1;
    return 0;
  }
  /* TLSW_CERT_NONE: called only to keep the leaf (tlswi_wb_apply_verify);
   * nothing is judged, wolfSSL's errors are ignored as VERIFY_NONE does. */
  if (s->verify_mode == TLSW_CERT_NONE) return 1;
  v.err = preverify ? 0 : st->error;
  v.r = preverify ? TLSW_REASON_NONE : tlswi_wb_cert_reason(v.err);
  v.detail[0] = '\0';
  const tlsw_policy *pol = s->cfg->policy;
  v.has_facts = pol->cert_facts(v.der, (size_t)v.der_len, &v.f);
  pol->cert_subject(v.der, (size_t)v.der_len, v.subject, sizeof v.subject);
  v.fail_subject = v.subject;
  v.fail_depth = v.depth;
  s->vrec->checked = 1;
  if (v.depth == 0) s->leaf_checked = 1;
  check_dates(s, &v);
  check_key(s, &v);
  check_rules(s, &v);
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
  if (WB_IS_SERVER(s->cfg) || s->verify_mode == TLSW_CERT_NONE ||
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
      if (WB_IS_SERVER(cfg)) mode |= WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
      break;
  }
  /* Always explicit: Debian's default is VERIFY_NONE (doc §3). The
   * callback also under VERIFY_NONE: wolfSSL still calls it for the leaf
   * (WOLFSSL_ALWAYS_VERIFY_CB), which keeps it (keep_leaf). */
  wolfSSL_CTX_set_verify(w->ctx, mode, verify_cb);
  return TLSW_OK;
}

int tlswi_wb_ctx_set_verify(void *bctx, const tlsw_config *cfg, tlsw_err *e) {
  (void)e;
  return tlswi_wb_apply_verify(bctx, cfg);
}
