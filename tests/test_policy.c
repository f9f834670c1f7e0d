/* src/core/policy.c, the rules every backend borrows (tlsw_policy), as
 * tables called directly: a failure record -> status -> the sentence a
 * person reads, the first-failure-wins rule, alerts and plain statuses;
 * certificate dates; PSK suites; the table the backend is handed. Then
 * the session queries' old names against the new (docs/design.md,
 * "Names"), on a real in-memory TLS session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/policy.h"
#include "ctxs.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"

static void certificate_failures(void **state) {
  (void)state;
  static const struct {
    tlsw_cert_reason reason;
    int depth;
    const char *subject;
    const char *detail;
    int status;
    const char *msg;
  } rows[] = {
      {TLSW_REASON_EXPIRED, 0, "CN=a.example.test", "", TLSW_ERR_CERT_EXPIRED,
       "certificate verify failed: certificate has expired (depth 0, "
       "CN=a.example.test)"},
      {TLSW_REASON_NOT_YET_VALID, 0, "CN=a", NULL, TLSW_ERR_CERT_NOT_YET_VALID,
       "certificate verify failed: certificate is not yet valid (depth 0, "
       "CN=a)"},
      {TLSW_REASON_HOSTNAME, 0, "CN=a", " for 'b.test'", TLSW_ERR_CERT_HOSTNAME,
       "certificate verify failed: hostname mismatch for 'b.test' (depth 0, "
       "CN=a)"},
      {TLSW_REASON_UNKNOWN_ISSUER, 1, NULL, "", TLSW_ERR_CERT_UNTRUSTED,
       "certificate verify failed: unable to get local issuer certificate "
       "(depth 1)"},
      {TLSW_REASON_SELF_SIGNED, 0, "", "", TLSW_ERR_CERT_UNTRUSTED,
       "certificate verify failed: self-signed certificate (depth 0)"},
      {TLSW_REASON_NO_PEER_CERT, -1, NULL,
       " (this server requires a client certificate)", TLSW_ERR_CERT_MISSING,
       "certificate verify failed: peer did not return a certificate (this "
       "server requires a client certificate)"},
      {TLSW_REASON_WEAK_KEY, 0, "CN=w",
       ": RSA 1024 bits, at least 2048 "
       "required",
       TLSW_ERR_CERT_WEAK_KEY,
       "certificate verify failed: certificate key too weak: RSA 1024 bits, "
       "at least 2048 required (depth 0, CN=w)"},
      {TLSW_REASON_REJECTED, 2, "CN=r", "", TLSW_ERR_CERT_REJECTED,
       "certificate verify failed: rejected by the verify callback (depth 2, "
       "CN=r)"},
      {TLSW_REASON_BAD_SIGNATURE, 0, "CN=s", "", TLSW_ERR_CERT_VERIFY,
       "certificate verify failed: certificate signature failure (depth 0, "
       "CN=s)"},
      {TLSW_REASON_NOT_CA, 1, "CN=n", "", TLSW_ERR_CERT_VERIFY,
       "certificate verify failed: issuer is not a CA certificate (depth 1, "
       "CN=n)"},
      {TLSW_REASON_REVOKED, 0, "CN=v", "", TLSW_ERR_CERT_VERIFY,
       "certificate verify failed: certificate revoked (depth 0, CN=v)"},
      {TLSW_REASON_NO_TIME, 0, "CN=t", "", TLSW_ERR_CERT_VERIFY,
       "certificate verify failed: current time unknown, cannot check the "
       "validity dates (depth 0, CN=t)"},
      {TLSW_REASON_OTHER, -1, NULL,
       ": the server's certificate was never "
       "checked",
       TLSW_ERR_CERT_VERIFY,
       "certificate verify failed: certificate rejected: the server's "
       "certificate was never checked"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tlsw_err e;
    tlsw_verify_rec v;
    memset(&e, 0, sizeof e);
    memset(&v, 0, sizeof v);
    tlsw_failure f = {0,
                      -188,
                      rows[i].reason,
                      rows[i].depth,
                      rows[i].subject,
                      rows[i].detail,
                      -1,
                      0};
    int st = tlswi_report(&e, &v, &f);
    assert_int_equal(st, rows[i].status);
    assert_int_equal(tlswi_reason_status(rows[i].reason), rows[i].status);
    assert_int_equal(e.status, rows[i].status);
    assert_int_equal(e.backend_code, -188);
    assert_string_equal(e.msg, rows[i].msg);
    assert_int_equal(v.status, rows[i].status);
    assert_int_equal(v.reason, (int)rows[i].reason);
    assert_int_equal(v.depth, rows[i].depth);
    /* Every certificate status is in the cert category, and its short
     * text starts the same way as the sentence (one wording). */
    assert_int_equal(tlsw_status_category(st), TLSW_CAT_CERT);
  }
  assert_int_equal(tlswi_reason_status(TLSW_REASON_NONE), TLSW_OK);
}

/* The first failure wins (the deepest: the one to fix first), except
 * a forced one (the verify callback's rejection ends the handshake). */
static void first_failure_wins(void **state) {
  (void)state;
  tlsw_err e;
  tlsw_verify_rec v;
  memset(&e, 0, sizeof e);
  memset(&v, 0, sizeof v);
  tlsw_failure first = {0,  1, TLSW_REASON_UNKNOWN_ISSUER, 1, "CN=int", "",
                        -1, 0};
  tlsw_failure later = {0, 2, TLSW_REASON_HOSTNAME, 0, "CN=leaf", "", -1, 0};
  assert_int_equal(tlswi_report(&e, &v, &first), TLSW_ERR_CERT_UNTRUSTED);
  char kept[sizeof e.msg];
  memcpy(kept, e.msg, sizeof kept);
  assert_int_equal(tlswi_report(&e, &v, &later), TLSW_ERR_CERT_UNTRUSTED);
  assert_string_equal(e.msg, kept);
  assert_int_equal(v.depth, 1);
  tlsw_failure forced = {0, 0, TLSW_REASON_REJECTED, 0, "CN=leaf", "", -1, 1};
  assert_int_equal(tlswi_report(&e, &v, &forced), TLSW_ERR_CERT_REJECTED);
  assert_int_equal(v.reason, TLSW_REASON_REJECTED);
  assert_int_equal(v.depth, 0);
  assert_string_equal(e.msg,
                      "certificate verify failed: rejected by the verify "
                      "callback (depth 0, CN=leaf)");
}

/* Failures that are not about a certificate: an alert by name, a status
 * in its own words (the status table's), a detail as given. None touches
 * the verification record. */
static void other_failures(void **state) {
  (void)state;
  static const struct {
    int status;
    int alert;
    const char *detail;
    const char *msg;
  } rows[] = {
      {TLSW_ERR_ALERT, 40, NULL, "peer sent alert: handshake_failure (40)"},
      {TLSW_ERR_ALERT, 48, NULL, "peer sent alert: unknown_ca (48)"},
      {TLSW_ERR_ALERT, 255, NULL, "peer sent alert: unknown_alert (255)"},
      {TLSW_HELLO_VERIFY, -1, NULL, "Hello Verify Required"},
      {TLSW_ERR_NOMEM, -1, NULL, "out of memory"},
      {TLSW_ERR_TOO_BIG, -1, "data larger than one DTLS datagram",
       "data larger than one DTLS datagram"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    tlsw_err e;
    tlsw_verify_rec v;
    memset(&e, 0, sizeof e);
    memset(&v, 0, sizeof v);
    tlsw_failure f = {
        rows[i].status, 7, TLSW_REASON_NONE, -1, NULL, rows[i].detail,
        rows[i].alert,  0};
    assert_int_equal(tlswi_report(&e, &v, &f), rows[i].status);
    assert_int_equal(e.status, rows[i].status);
    assert_int_equal(e.backend_code, 7);
    assert_string_equal(e.msg, rows[i].msg);
    assert_int_equal(v.status, TLSW_OK);
    assert_int_equal(v.checked, 0);
  }
}

static void certificate_dates(void **state) {
  (void)state;
  /* 2024-02-29 00:00:00 UTC = 1709164800; 2025-03-01 12:30:15 UTC =
   * 1740832215 (date -u -d ... +%s). */
  tlsw_date nb = {2024, 2, 29, 0, 0, 0};
  tlsw_date na = {2025, 3, 1, 12, 30, 15};
  static const struct {
    int64_t now;
    tlsw_cert_reason r;
  } rows[] = {
      {1709164800, TLSW_REASON_NONE}, {1709164799, TLSW_REASON_NOT_YET_VALID},
      {1740832215, TLSW_REASON_NONE}, {1740832216, TLSW_REASON_EXPIRED},
      {0, TLSW_REASON_NOT_YET_VALID}, {-1, TLSW_REASON_NO_TIME},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    assert_int_equal(tlswi_check_dates(rows[i].now, &nb, &na), rows[i].r);
  }
  /* Before 1970 and far after: the calendar arithmetic holds there too. */
  tlsw_date old = {1969, 12, 31, 23, 59, 59};
  tlsw_date far = {2106, 2, 7, 6, 28, 16}; /* 2^32 */
  assert_int_equal(tlswi_check_dates(-0, &old, &far), TLSW_REASON_NONE);
  assert_int_equal(tlswi_check_dates(4294967296LL, &old, &far),
                   TLSW_REASON_NONE);
  assert_int_equal(tlswi_check_dates(4294967297LL, &old, &far),
                   TLSW_REASON_EXPIRED);
}

static void psk_suites(void **state) {
  (void)state;
  assert_true(tlswi_is_psk_suite("TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256"));
  assert_true(tlswi_is_psk_suite("ECDHE-PSK-CHACHA20-POLY1305"));
  assert_false(tlswi_is_psk_suite("TLS_AES_128_GCM_SHA256"));
  assert_false(tlswi_is_psk_suite("ECDHE-ECDSA-AES128-GCM-SHA256"));
  assert_false(tlswi_is_psk_suite(NULL));
}

/* The backend gets exactly these rules. */
static void policy_table(void **state) {
  (void)state;
  assert_ptr_equal(tlswi_policy.host_matches, tlswi_host_matches);
  assert_ptr_equal(tlswi_policy.check_key, tlswi_check_key);
  assert_ptr_equal(tlswi_policy.check_dates, tlswi_check_dates);
  assert_ptr_equal(tlswi_policy.is_psk_suite, tlswi_is_psk_suite);
  assert_ptr_equal(tlswi_policy.report, tlswi_report);
}

/* tlsw_session_* and the deprecated names answer the same, before and
 * after a handshake; the direction names keep their old values. */
static void query_names(void **state) {
  (void)state;
  assert_int_equal(TLSW_DIR_READ, TLSW_WANT_RD);
  assert_int_equal(TLSW_DIR_WRITE, TLSW_WANT_WR);
  /* Different values, and different enums: gcc -Wall (-Wenum-compare)
   * flags comparing one with the other. */
  assert_true((int)TLSW_DIR_READ != (int)TLSW_WANT_READ);
  assert_int_equal(tlsw_session_pending(NULL), 0);
  assert_int_equal(tlsw_session_want(NULL), 0);
  assert_int_equal(tlsw_session_handshake_done(NULL), 0);
  assert_int_equal(tlsw_session_dtls_max_payload(NULL), 0);
  assert_int_equal(tlsw_session_dtls_timeout_ms(NULL), -1);
  tlsw_ctx *cc = client_ctx();
  tlsw_ctx *sc = server_ctx("ec");
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, cc, sc, "localhost"), TLSW_OK);
  /* The client's first step sends its hello and waits to read. */
  assert_int_equal(tlsw_handshake(p.cli), TLSW_WANT_READ);
  assert_int_equal(tlsw_session_want(p.cli), TLSW_DIR_READ);
  assert_int_equal(tlsw_want(p.cli), tlsw_session_want(p.cli));
  assert_int_equal(tlsw_session_handshake_done(p.cli), 0);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  size_t n = 0;
  assert_int_equal(tlsw_write(p.srv, "hello", 5, &n), TLSW_OK);
  char buf[2];
  assert_int_equal(tlsw_read(p.cli, buf, 2, &n), TLSW_OK);
  assert_int_equal(tlsw_session_pending(p.cli), 3);
  assert_int_equal(tlsw_pending(p.cli), 3);
  assert_int_equal(tlsw_session_handshake_done(p.cli), 1);
  assert_int_equal(tlsw_handshake_done(p.cli), 1);
  assert_int_equal(tlsw_session_want(p.cli), 0);
  assert_int_equal(tlsw_want(p.cli), 0);
  assert_int_equal(tlsw_session_dtls_max_payload(p.cli), 0);
  assert_int_equal(tlsw_dtls_max_payload(p.cli), 0);
  assert_int_equal(tlsw_session_dtls_timeout_ms(p.cli), -1);
  assert_int_equal(tlsw_dtls_timeout_ms(p.cli), -1);
  pair_free(&p);
  tlsw_ctx_free(cc);
  tlsw_ctx_free(sc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(certificate_failures),
      cmocka_unit_test(first_failure_wins),
      cmocka_unit_test(other_failures),
      cmocka_unit_test(certificate_dates),
      cmocka_unit_test(psk_suites),
      cmocka_unit_test(policy_table),
      cmocka_unit_test(query_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
