/*
 * tlswrap's verification rules and their wording, for every backend (the
 * backend finds the facts and asks, through tlsw_policy): key-size floors,
 * signature algorithms, key usage, certificate dates, PSK suites, the reason ->
 * status map, and the one place a verification failure becomes a sentence.
 */
#include "core/policy.h"

#include <stdio.h>
#include <string.h>

#include "core/der.h"
#include "core/internal.h"
#include "tlswrap/tlswrap.h"

const tlsw_policy tlswi_policy = {
    tlswi_host_matches, tlswi_check_key,      tlswi_check_dates,
    tlswi_is_psk_suite, tlswi_report,         tlswi_alpn_select,
    tlswi_keylog,       tlswi_der_cert_facts, tlswi_cert_subject,
    tlswi_check_cert,   tlswi_sni_select,     tlswi_ocsp_said,
};

void tlswi_cert_subject(const uint8_t *der, size_t len, char *buf, size_t cap) {
  char cn[128];
  tlsw_cert_facts f;
  if (cap == 0) return;
  buf[0] = '\0';
  if (tlswi_der_cert_subject_cn(der, len, cn, sizeof cn) > 0) {
    /* Precision, not plain %s: gcc -O2 flags a possible cut otherwise
     * (-Wformat-truncation), and a cut name is fine in a message. */
    snprintf(buf, cap, "CN=%.*s", cap > 4 ? (int)cap - 4 : 0, cn);
  } else if (tlswi_der_cert_facts(der, len, &f)) {
    tlswi_der_name_line(f.subject, f.subject_len, buf, cap);
  }
}

/* Key size floor for every certificate of the peer's chain. wolfSSL's own
 * floor is 1024 bits for RSA; we ask 2048 (like OpenSSL's default security
 * level 2 on Debian) unless tlsw_ctx_set_min_rsa_bits() said otherwise.
 * The size is read from the certificate's DER (core/der.c): a TLS
 * library's key object costs far more (wolfSSL_X509_get_pubkey(): a DRBG
 * health test on 5.5.4, about 158k instructions and 10 allocations a
 * certificate, issue #14's callgrind). */
tlsw_cert_reason tlswi_check_key(unsigned min_rsa_bits, const uint8_t *der,
                                 size_t len, char *detail, size_t cap) {
  tlsw_key_kind kind;
  unsigned bits;
  if (!tlswi_der_cert_key(der, len, &kind, &bits)) {
    snprintf(detail, cap, ": its public key cannot be read");
    return TLSW_REASON_OTHER;
  }
  unsigned min = 0;
  const char *name = NULL;
  if (kind == TLSW_KEY_RSA) {
    min = min_rsa_bits ? min_rsa_bits : 2048;
    name = "RSA";
  } else if (kind == TLSW_KEY_EC) {
    min = 224; /* NIST SP 800-57: 112-bit security */
    name = "EC";
  }
  if (name == NULL || bits >= min) return TLSW_REASON_NONE;
  snprintf(detail, cap, ": %s %u bits, at least %u required", name, bits, min);
  return TLSW_REASON_WEAK_KEY;
}

/* No MD5/SHA-1 signature on a certificate the peer sent: a collision
 * lets someone with one CA-signed certificate make another the CA never
 * saw (SHAttered, 2017; the MD5 rogue CA, 2008). A self-issued
 * certificate is exempt: either it is the trust anchor itself (RFC 5280
 * 6.1: its signature is not what makes it trusted) or it is not trusted
 * at all and fails on that. */
static tlsw_cert_reason check_signature(unsigned rules, const uint8_t *der,
                                        size_t len, char *detail, size_t cap) {
  if (rules & TLSW_RULE_ALLOW_WEAK_SIG) return TLSW_REASON_NONE;
  const char *weak = tlswi_der_cert_weak_sig(der, len);
  if (weak == NULL) {
    snprintf(detail, cap, ": its signature algorithm cannot be read");
    return TLSW_REASON_OTHER;
  }
  if (weak[0] == '\0' || tlswi_der_cert_self_issued(der, len)) {
    return TLSW_REASON_NONE;
  }
  snprintf(detail, cap, ": %s", weak);
  return TLSW_REASON_WEAK_SIGNATURE;
}

/* The leaf's purpose (RFC 5280 4.2.1.3, 4.2.1.12): when the extension is
 * there it must allow the role. extendedKeyUsage: serverAuth for a server,
 * clientAuth for a client (anyExtendedKeyUsage allows both, as wolfSSL and
 * Go take it). keyUsage: digitalSignature, since every suite tlswrap
 * offers authenticates by signing (TLS 1.3, and ECDHE in TLS 1.2: RSA key
 * exchange, which would want keyEncipherment, is never offered). */
static tlsw_cert_reason check_usage(unsigned rules, const uint8_t *der,
                                    size_t len, char *detail, size_t cap) {
  tlsw_der_usage u;
  if (!tlswi_der_cert_usage(der, len, &u)) {
    snprintf(detail, cap, ": its keyUsage or extendedKeyUsage cannot be read");
    return TLSW_REASON_OTHER;
  }
  int client = (rules & TLSW_RULE_PEER_IS_CLIENT) != 0;
  unsigned want = client ? TLSW_EKU_CLIENT_AUTH : TLSW_EKU_SERVER_AUTH;
  if (u.has_ext_key_usage && !(u.ext_key_usage & (want | TLSW_EKU_ANY))) {
    snprintf(detail, cap, ": its extendedKeyUsage lacks %s",
             client ? "clientAuth" : "serverAuth");
    return TLSW_REASON_KEY_USAGE;
  }
  if (u.has_key_usage && !(u.key_usage & TLSW_KU_DIGITAL_SIGNATURE)) {
    snprintf(detail, cap, ": its keyUsage lacks digitalSignature");
    return TLSW_REASON_KEY_USAGE;
  }
  return TLSW_REASON_NONE;
}

tlsw_cert_reason tlswi_check_cert(unsigned rules, const uint8_t *der,
                                  size_t len, int depth, char *detail,
                                  size_t cap) {
  tlsw_cert_reason r = check_signature(rules, der, len, detail, cap);
  if (r == TLSW_REASON_NONE && depth == 0) {
    r = check_usage(rules, der, len, detail, cap);
  }
  return r;
}

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

int64_t tlswi_date_unix(const tlsw_date *t) {
  return days_from_civil(t->year, t->month, t->day) * 86400 +
         (int64_t)t->hour * 3600 + t->minute * 60 + t->second;
}

/* Dates against a supplied time (tlsw_ctx_set_time*): some libraries
 * (wolfSSL 5.5.4) check them against time() only. */
tlsw_cert_reason tlswi_check_dates(int64_t now, const tlsw_date *not_before,
                                   const tlsw_date *not_after) {
  if (now < 0) return TLSW_REASON_NO_TIME;
  if (now < tlswi_date_unix(not_before)) return TLSW_REASON_NOT_YET_VALID;
  if (now > tlswi_date_unix(not_after)) return TLSW_REASON_EXPIRED;
  return TLSW_REASON_NONE;
}

/* A PSK suite authenticates the server by the key: there is no
 * certificate to check. Both naming schemes spell it "PSK". */
int tlswi_is_psk_suite(const char *suite) {
  return suite != NULL && strstr(suite, "PSK") != NULL;
}

int tlswi_reason_status(tlsw_cert_reason r) {
  switch (r) {
    case TLSW_REASON_NONE: return TLSW_OK;
    case TLSW_REASON_EXPIRED: return TLSW_ERR_CERT_EXPIRED;
    case TLSW_REASON_NOT_YET_VALID: return TLSW_ERR_CERT_NOT_YET_VALID;
    case TLSW_REASON_HOSTNAME: return TLSW_ERR_CERT_HOSTNAME;
    case TLSW_REASON_UNKNOWN_ISSUER:
    case TLSW_REASON_SELF_SIGNED: return TLSW_ERR_CERT_UNTRUSTED;
    case TLSW_REASON_NO_PEER_CERT: return TLSW_ERR_CERT_MISSING;
    case TLSW_REASON_WEAK_KEY: return TLSW_ERR_CERT_WEAK_KEY;
    case TLSW_REASON_REJECTED: return TLSW_ERR_CERT_REJECTED;
    default: return TLSW_ERR_CERT_VERIFY;
  }
}

/*
 * A verification failure: the first one wins (it is the deepest, and the
 * one a person must fix first), except that the verify callback's
 * rejection always replaces what was there (force), since that is what
 * ends the handshake. The sentence reads "certificate verify failed:
 * <reason text><detail> (depth N, <subject>)"; depth -1 means no
 * certificate.
 */
static int report_cert(tlsw_err *e, tlsw_verify_rec *v, const tlsw_failure *f) {
  int st = tlswi_reason_status(f->reason);
  if (v->status != TLSW_OK && !f->force) return v->status;
  v->status = st;
  v->reason = (int)f->reason;
  v->depth = f->depth;
  const char *why = tlsw_cert_reason_text(f->reason);
  const char *detail = f->detail != NULL ? f->detail : "";
  if (f->depth < 0) {
    return tlswi_err_set(e, st, f->native, TLSW_VERIFY_FAILED ": %s%s", why,
                         detail);
  }
  if (f->subject == NULL || f->subject[0] == '\0') {
    return tlswi_err_set(e, st, f->native,
                         TLSW_VERIFY_FAILED ": %s%s (depth %d)", why, detail,
                         f->depth);
  }
  return tlswi_err_set(e, st, f->native,
                       TLSW_VERIFY_FAILED ": %s%s (depth %d, %s)", why, detail,
                       f->depth, f->subject);
}

int tlswi_report(tlsw_err *e, tlsw_verify_rec *v, const tlsw_failure *f) {
  if (f->reason != TLSW_REASON_NONE) return report_cert(e, v, f);
  if (f->status == TLSW_ERR_ALERT && f->alert >= 0) {
    return tlswi_err_set(e, TLSW_ERR_ALERT, f->native,
                         "peer sent alert: %s (%d)", tlsw_alert_name(f->alert),
                         f->alert);
  }
  if (f->detail != NULL) {
    return tlswi_err_set(e, f->status, f->native, "%s", f->detail);
  }
  return tlswi_err_status(e, f->status, f->native);
}
