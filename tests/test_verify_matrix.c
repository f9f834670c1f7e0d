/*
 * The verification matrix of docs/verification.md, one row per case and
 * verify mode, asserted over in-memory pairs under TLS 1.3 and TLS 1.2.
 * Every row checks both sides: the client's status, message and
 * tlsw_session_verify_info() (reason and depth), and what the server saw
 * (for a client that refused, the alert by name). The certificates come
 * from tests/fixtures/gen-matrix.sh.
 *
 * If this test fails after a deliberate change, update docs/verification.md
 * in the same commit: the two hold the same table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <wolfssl/options.h>

#include "verify_util.h"

#define OK TLSW_OK
#define STATE TLSW_ERR_STATE
#define ALERT TLSW_ERR_ALERT

/* Server certificate cases (client side). */
typedef struct srv_case {
  const char *leaf; /* stem of the chain the server serves */
  const char *host; /* server_hostname */
  tlsw_verify_mode mode;
  int cli;                 /* client handshake status */
  int info;                /* tlsw_session_verify_info() status */
  tlsw_cert_reason reason; /* ... and its reason */
  int depth;               /* ... and depth */
  const char *msg;         /* client message, exact */
  int srv;                 /* server status */
  const char *srv_msg;     /* server message, exact */
} srv_case;

#define N_ TLSW_CERT_NONE
#define O_ TLSW_CERT_OPTIONAL
#define R_ TLSW_CERT_REQUIRED

/* A case that verifies: connects under all three modes. */
#define GOOD(leaf, host)                                            \
  {leaf, host, N_, OK, STATE, TLSW_REASON_NONE, -1, "", OK, ""},    \
      {leaf, host, O_, OK, OK, TLSW_REASON_NONE, -1, "", OK, ""}, { \
    leaf, host, R_, OK, OK, TLSW_REASON_NONE, -1, "", OK, ""        \
  }

/* A case that fails verification: NONE connects without looking, OPTIONAL
 * connects and reports, REQUIRED refuses and the server gets the alert. */
#define BAD(leaf, host, st, reason, depth, msg, alert)           \
  {leaf, host, N_, OK, STATE, TLSW_REASON_NONE, -1, "", OK, ""}, \
      {leaf, host, O_, OK, st, reason, depth, msg, OK, ""}, {    \
    leaf, host, R_, st, st, reason, depth, msg, ALERT,           \
        "peer sent alert: " alert                                \
  }

#define CV "certificate verify failed: "
#define A_EXPIRED "certificate_expired (45)"
#define A_BADCERT "bad_certificate (42)"
#define A_UNKNOWNCA "unknown_ca (48)"
/* A self-signed leaf: wolfSSL's compatibility layer (OPENSSL_ALL, as in
 * Debian's 5.5.4) reports ASN_SELF_SIGNED_E and answers bad_certificate;
 * without it (the host profile) ASN_NO_SIGNER_E and unknown_ca, the alert
 * OpenSSL sends for a self-signed certificate. */
#ifdef OPENSSL_ALL
#define A_SELFSIGNED A_BADCERT
#else
#define A_SELFSIGNED A_UNKNOWNCA
#endif

static const srv_case srv_cases[] = {
    GOOD("valid", "a.example.test"),
    /* Host names compare case-insensitively; one trailing dot is fine. */
    GOOD("valid", "A.Example.TEST"),
    GOOD("valid", "a.example.test."),
    BAD("expired", "a.example.test", TLSW_ERR_CERT_EXPIRED, TLSW_REASON_EXPIRED,
        0, CV "certificate has expired (depth 0, CN=a.example.test)",
        A_EXPIRED),
    /* wolfSSL sends certificate_expired for "not yet valid" too. */
    BAD("notyet", "a.example.test", TLSW_ERR_CERT_NOT_YET_VALID,
        TLSW_REASON_NOT_YET_VALID, 0,
        CV "certificate is not yet valid (depth 0, CN=a.example.test)",
        A_EXPIRED),
    BAD("otherhost", "a.example.test", TLSW_ERR_CERT_HOSTNAME,
        TLSW_REASON_HOSTNAME, 0,
        CV "hostname mismatch for 'a.example.test' (depth 0, "
           "CN=other.example.test)",
        A_BADCERT),
    /* The CN is never used when there are SANs. */
    BAD("cnonly", "a.example.test", TLSW_ERR_CERT_HOSTNAME,
        TLSW_REASON_HOSTNAME, 0,
        CV "hostname mismatch for 'a.example.test' (depth 0, "
           "CN=a.example.test)",
        A_BADCERT),
    /* No SAN at all: the CN is not used either (unless opted in, see
     * cn_fallback_opt_in below). */
    BAD("nosan", "a.example.test", TLSW_ERR_CERT_HOSTNAME, TLSW_REASON_HOSTNAME,
        0,
        CV "hostname mismatch for 'a.example.test' (depth 0, "
           "CN=a.example.test)",
        A_BADCERT),
    GOOD("wildcard", "a.example.test"),
    GOOD("wildcard", "B.EXAMPLE.test"),
    /* A wildcard stands for exactly one label. */
    BAD("wildcard", "a.b.example.test", TLSW_ERR_CERT_HOSTNAME,
        TLSW_REASON_HOSTNAME, 0,
        CV "hostname mismatch for 'a.b.example.test' (depth 0, "
           "CN=*.example.test)",
        A_BADCERT),
    BAD("wildcard", "example.test", TLSW_ERR_CERT_HOSTNAME,
        TLSW_REASON_HOSTNAME, 0,
        CV "hostname mismatch for 'example.test' (depth 0, "
           "CN=*.example.test)",
        A_BADCERT),
    BAD("partialwild", "ab.example.test", TLSW_ERR_CERT_HOSTNAME,
        TLSW_REASON_HOSTNAME, 0,
        CV "hostname mismatch for 'ab.example.test' (depth 0, "
           "CN=a*.example.test)",
        A_BADCERT),
    BAD("tldwild", "example.test", TLSW_ERR_CERT_HOSTNAME, TLSW_REASON_HOSTNAME,
        0, CV "hostname mismatch for 'example.test' (depth 0, CN=*.test)",
        A_BADCERT),
    GOOD("ip", "127.0.0.1"),
    BAD("ip", "localhost", TLSW_ERR_CERT_HOSTNAME, TLSW_REASON_HOSTNAME, 0,
        CV "hostname mismatch for 'localhost' (depth 0, CN=ip-only leaf)",
        A_BADCERT),
    GOOD("ipdns", "127.0.0.1"),
    GOOD("ipdns", "localhost"),
    BAD("ipdns", "127.0.0.2", TLSW_ERR_CERT_HOSTNAME, TLSW_REASON_HOSTNAME, 0,
        CV "hostname mismatch for '127.0.0.2' (depth 0, CN=localhost)",
        A_BADCERT),
    /* A dNSName that looks like an IP never matches an IP literal
     * (wolfSSL's own check would accept it). */
    BAD("dnsip", "127.0.0.1", TLSW_ERR_CERT_HOSTNAME, TLSW_REASON_HOSTNAME, 0,
        CV "hostname mismatch for '127.0.0.1' (depth 0, CN=127.0.0.1)",
        A_BADCERT),
    GOOD("ipv6", "::1"),
    GOOD("ipv6", "0:0:0:0:0:0:0:1"),
    BAD("ipv6", "::2", TLSW_ERR_CERT_HOSTNAME, TLSW_REASON_HOSTNAME, 0,
        CV "hostname mismatch for '::2' (depth 0, CN=ipv6 leaf)", A_BADCERT),
    BAD("selfsigned", "a.example.test", TLSW_ERR_CERT_UNTRUSTED,
        TLSW_REASON_SELF_SIGNED, 0,
        CV "self-signed certificate (depth 0, CN=a.example.test)",
        A_SELFSIGNED),
    BAD("untrusted", "a.example.test", TLSW_ERR_CERT_UNTRUSTED,
        TLSW_REASON_UNKNOWN_ISSUER, 0,
        CV "unable to get local issuer certificate (depth 0, "
           "CN=a.example.test)",
        A_UNKNOWNCA),
    BAD("noint", "a.example.test", TLSW_ERR_CERT_UNTRUSTED,
        TLSW_REASON_UNKNOWN_ISSUER, 0,
        CV "unable to get local issuer certificate (depth 0, "
           "CN=a.example.test)",
        A_UNKNOWNCA),
    BAD("nonca", "a.example.test", TLSW_ERR_CERT_VERIFY, TLSW_REASON_NOT_CA, 1,
        CV "issuer is not a CA certificate (depth 1, CN=non-CA issuer)",
        A_UNKNOWNCA),
    BAD("weak", "a.example.test", TLSW_ERR_CERT_WEAK_KEY, TLSW_REASON_WEAK_KEY,
        0,
        CV "certificate key too weak: RSA 1024 bits, at least 2048 required "
           "(depth 0, CN=a.example.test)",
        A_BADCERT),
    GOOD("rsa", "a.example.test"),
    BAD("badsig", "a.example.test", TLSW_ERR_CERT_VERIFY,
        TLSW_REASON_BAD_SIGNATURE, 0,
        CV "certificate signature failure (depth 0, CN=a.example.test)",
        A_BADCERT),
};

/* Client certificate cases (server side; the client verifies the valid
 * server certificate under CERT_REQUIRED). */
typedef struct cli_case {
  const char *client;    /* client chain stem, NULL: none */
  tlsw_verify_mode mode; /* the server's */
  int srv;
  int info; /* server's tlsw_session_verify_info() */
  tlsw_cert_reason reason;
  int depth;
  const char *srv_msg;
  int cli13, cli12; /* client status under TLS 1.3 / TLS 1.2 */
  const char *cli_msg13, *cli_msg12;
} cli_case;

static const cli_case cli_cases[] = {
    {"client-valid", N_, OK, STATE, TLSW_REASON_NONE, -1, "", OK, OK, "", ""},
    {"client-valid", O_, OK, OK, TLSW_REASON_NONE, -1, "", OK, OK, "", ""},
    {"client-valid", R_, OK, OK, TLSW_REASON_NONE, -1, "", OK, OK, "", ""},
    {NULL, N_, OK, STATE, TLSW_REASON_NONE, -1, "", OK, OK, "", ""},
    /* OPTIONAL: asked, none sent, fine; nothing was verified. */
    {NULL, O_, OK, STATE, TLSW_REASON_NONE, -1, "", OK, OK, "", ""},
    /* REQUIRED without a certificate. Under TLS 1.2, wolfSSL 5.5.4 ends
     * the handshake without an alert; the backend sends handshake_failure
     * itself, so the client learns at once (as with OpenSSL or mbedTLS). */
    {NULL, R_, TLSW_ERR_CERT_MISSING, TLSW_ERR_CERT_MISSING,
     TLSW_REASON_NO_PEER_CERT, -1,
     CV "peer did not return a certificate (this server requires a client "
        "certificate)",
     ALERT, ALERT, "peer sent alert: certificate_required (116)",
     "peer sent alert: handshake_failure (40)"},
    /* Not requested: the client sends nothing, nothing is checked. */
    {"client-untrusted", N_, OK, STATE, TLSW_REASON_NONE, -1, "", OK, OK, "",
     ""},
    /* OPTIONAL: a certificate that is sent must verify. */
    {"client-untrusted", O_, TLSW_ERR_CERT_UNTRUSTED, TLSW_ERR_CERT_UNTRUSTED,
     TLSW_REASON_UNKNOWN_ISSUER, 0,
     CV "unable to get local issuer certificate (depth 0, "
        "CN=client.example.test)",
     ALERT, ALERT, "peer sent alert: " A_UNKNOWNCA,
     "peer sent alert: " A_UNKNOWNCA},
    {"client-untrusted", R_, TLSW_ERR_CERT_UNTRUSTED, TLSW_ERR_CERT_UNTRUSTED,
     TLSW_REASON_UNKNOWN_ISSUER, 0,
     CV "unable to get local issuer certificate (depth 0, "
        "CN=client.example.test)",
     ALERT, ALERT, "peer sent alert: " A_UNKNOWNCA,
     "peer sent alert: " A_UNKNOWNCA},
    {"client-expired", N_, OK, STATE, TLSW_REASON_NONE, -1, "", OK, OK, "", ""},
    {"client-expired", O_, TLSW_ERR_CERT_EXPIRED, TLSW_ERR_CERT_EXPIRED,
     TLSW_REASON_EXPIRED, 0,
     CV "certificate has expired (depth 0, CN=client.example.test)", ALERT,
     ALERT, "peer sent alert: " A_EXPIRED, "peer sent alert: " A_EXPIRED},
    {"client-expired", R_, TLSW_ERR_CERT_EXPIRED, TLSW_ERR_CERT_EXPIRED,
     TLSW_REASON_EXPIRED, 0,
     CV "certificate has expired (depth 0, CN=client.example.test)", ALERT,
     ALERT, "peer sent alert: " A_EXPIRED, "peer sent alert: " A_EXPIRED},
};

#define N_SRV (sizeof srv_cases / sizeof srv_cases[0])
#define N_CLI (sizeof cli_cases / sizeof cli_cases[0])

static const char *const mode_names[] = {"NONE", "OPTIONAL", "REQUIRED"};

static int failures;

/* Compare one value; on mismatch print the whole row's context and count,
 * so one run lists every wrong row instead of stopping at the first. */
#define EXPECT_INT(what, got, want)                                       \
  do {                                                                    \
    if ((got) != (want)) {                                                \
      fprintf(stderr, "%s: %s: got %d (%s), want %d (%s)\n", label, what, \
              (int)(got), tlsw_status_name((int)(got)), (int)(want),      \
              tlsw_status_name((int)(want)));                             \
      failures++;                                                         \
    }                                                                     \
  } while (0)
#define EXPECT_STR(what, got, want)                                       \
  do {                                                                    \
    if (strcmp((got), (want)) != 0) {                                     \
      fprintf(stderr, "%s: %s:\n  got  '%s'\n  want '%s'\n", label, what, \
              (got), (want));                                             \
      failures++;                                                         \
    }                                                                     \
  } while (0)

static void run_srv_case(const srv_case *c, tlsw_tls_version v) {
  char label[160];
  snprintf(label, sizeof label, "[TLS 1.%d] server cert %s, host %s, %s",
           v == TLSW_VERSION_TLS1_3 ? 3 : 2, c->leaf, c->host,
           mode_names[c->mode]);
  tlsw_ctx *s = vserver_ctx(c->leaf, TLSW_CERT_NONE, v);
  tlsw_ctx *cl = vclient_ctx(c->mode, NULL, v);
  assert_non_null(s);
  assert_non_null(cl);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, cl, s, c->host), TLSW_OK);
  int cs, ss;
  vdrive(&p, &cs, &ss);
  EXPECT_INT("client status", cs, c->cli);
  EXPECT_STR("client message", tlsw_session_message(p.cli), c->msg);
  tlsw_cert_reason reason;
  int depth;
  EXPECT_INT("verify_info", tlsw_session_verify_info(p.cli, &reason, &depth),
             c->info);
  EXPECT_INT("reason", reason, c->reason);
  EXPECT_INT("depth", depth, c->depth);
  if (c->cli == TLSW_OK) {
    /* verify_result agrees with verify_info once connected. */
    EXPECT_INT("verify_result", tlsw_session_verify_result(p.cli), c->info);
  }
  EXPECT_INT("server status", ss, c->srv);
  EXPECT_STR("server message", tlsw_session_message(p.srv), c->srv_msg);
  pair_free(&p);
  tlsw_ctx_free(cl);
  tlsw_ctx_free(s);
}

static void run_cli_case(const cli_case *c, tlsw_tls_version v) {
  char label[160];
  int v13 = v == TLSW_VERSION_TLS1_3;
  snprintf(label, sizeof label, "[TLS 1.%d] client cert %s, server %s",
           v13 ? 3 : 2, c->client ? c->client : "(none)", mode_names[c->mode]);
  tlsw_ctx *s = vserver_ctx("valid", c->mode, v);
  tlsw_ctx *cl = vclient_ctx(TLSW_CERT_REQUIRED, c->client, v);
  assert_non_null(s);
  assert_non_null(cl);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, cl, s, "a.example.test"), TLSW_OK);
  int cs, ss;
  vdrive(&p, &cs, &ss);
  EXPECT_INT("server status", ss, c->srv);
  EXPECT_STR("server message", tlsw_session_message(p.srv), c->srv_msg);
  tlsw_cert_reason reason;
  int depth;
  EXPECT_INT("server verify_info",
             tlsw_session_verify_info(p.srv, &reason, &depth), c->info);
  EXPECT_INT("reason", reason, c->reason);
  EXPECT_INT("depth", depth, c->depth);
  if (c->srv == TLSW_OK) {
    EXPECT_INT("server verify_result", tlsw_session_verify_result(p.srv),
               c->info);
  }
  EXPECT_INT("client status", cs, v13 ? c->cli13 : c->cli12);
  EXPECT_STR("client message", tlsw_session_message(p.cli),
             v13 ? c->cli_msg13 : c->cli_msg12);
  pair_free(&p);
  tlsw_ctx_free(cl);
  tlsw_ctx_free(s);
}

static const tlsw_tls_version versions[] = {TLSW_VERSION_TLS1_3,
                                            TLSW_VERSION_TLS1_2};

static void server_certificates(void **state) {
  (void)state;
  failures = 0;
  for (size_t vi = 0; vi < 2; vi++) {
    for (size_t i = 0; i < N_SRV; i++)
      run_srv_case(&srv_cases[i], versions[vi]);
  }
  printf("server-certificate rows: %zu (x2 versions)\n", N_SRV);
  assert_int_equal(failures, 0);
}

static void client_certificates(void **state) {
  (void)state;
  failures = 0;
  for (size_t vi = 0; vi < 2; vi++) {
    for (size_t i = 0; i < N_CLI; i++)
      run_cli_case(&cli_cases[i], versions[vi]);
  }
  printf("client-certificate rows: %zu (x2 versions)\n", N_CLI);
  assert_int_equal(failures, 0);
}

/*
 * wolfSSL keeps every intermediate it verified in the context's store
 * (5.5.4 AddCA(..., WOLFSSL_CHAIN_CA)), so a server that omits its
 * intermediate verifies for a client context that saw that intermediate
 * before, and fails for a fresh one (the "noint" row above). Browsers
 * cache intermediates too; it never trusts anything that did not chain to
 * a loaded root. Asserted so that a change in the backend shows.
 */
static void intermediates_are_cached_per_context(void **state) {
  (void)state;
  tlsw_ctx *c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, TLSW_VERSION_DEFAULT);
  const char *leaves[] = {"noint", "valid", "noint"};
  const int want[] = {TLSW_ERR_CERT_UNTRUSTED, TLSW_OK, TLSW_OK};
  for (int i = 0; i < 3; i++) {
    tlsw_ctx *s = vserver_ctx(leaves[i], TLSW_CERT_NONE, TLSW_VERSION_DEFAULT);
    test_pair p;
    assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
    assert_int_equal(pair_wrap(&p, c, s, "a.example.test"), TLSW_OK);
    int cs, ss;
    vdrive(&p, &cs, &ss);
    assert_int_equal(cs, want[i]);
    pair_free(&p);
    tlsw_ctx_free(s);
  }
  tlsw_ctx_free(c);
}

/* tlsw_ctx_set_hostname_cn_fallback(): the CN stands in only for a
 * certificate without any subjectAltName, only for DNS names, with the
 * same matching rules. */
static void cn_fallback_opt_in(void **state) {
  (void)state;
  static const struct {
    const char *leaf, *host;
    int want;
  } cases[] = {
      {"nosan", "a.example.test", TLSW_OK},
      {"nosan", "A.EXAMPLE.TEST", TLSW_OK},
      {"nosan", "b.example.test", TLSW_ERR_CERT_HOSTNAME},
      {"cnonly", "a.example.test", TLSW_ERR_CERT_HOSTNAME}, /* has SANs */
      {"dnsip", "127.0.0.1", TLSW_ERR_CERT_HOSTNAME},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tlsw_ctx *c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, TLSW_VERSION_DEFAULT);
    tlsw_ctx *s =
        vserver_ctx(cases[i].leaf, TLSW_CERT_NONE, TLSW_VERSION_DEFAULT);
    assert_int_equal(tlsw_ctx_set_hostname_cn_fallback(c, 1), TLSW_OK);
    test_pair p;
    assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
    assert_int_equal(pair_wrap(&p, c, s, cases[i].host), TLSW_OK);
    int cs, ss;
    vdrive(&p, &cs, &ss);
    if (cs != cases[i].want) {
      fail_msg("%s / %s: %s (%s)", cases[i].leaf, cases[i].host,
               tlsw_status_name(cs), tlsw_session_message(p.cli));
    }
    pair_free(&p);
    tlsw_ctx_free(s);
    tlsw_ctx_free(c);
  }
}

/* Every reason has its own text; the accessors validate arguments. */
static void reasons_and_arguments(void **state) {
  (void)state;
  for (int r = TLSW_REASON_NONE; r <= TLSW_REASON_OTHER; r++) {
    const char *t = tlsw_cert_reason_text((tlsw_cert_reason)r);
    assert_non_null(t);
    assert_true(t[0] != '\0');
    assert_string_not_equal(t, "unknown reason");
    for (int q = TLSW_REASON_NONE; q < r; q++) {
      assert_string_not_equal(t, tlsw_cert_reason_text((tlsw_cert_reason)q));
    }
  }
  assert_string_equal(tlsw_cert_reason_text((tlsw_cert_reason)99),
                      "unknown reason");
  tlsw_cert_reason reason = TLSW_REASON_OTHER;
  int depth = 7;
  assert_int_equal(tlsw_session_verify_info(NULL, &reason, &depth),
                   TLSW_ERR_ARG);
  assert_int_equal(reason, TLSW_REASON_NONE);
  assert_int_equal(depth, -1);
  assert_int_equal(tlsw_session_verify_result(NULL), TLSW_ERR_ARG);
  /* Before the handshake nothing was verified; NULL outputs are fine. */
  tlsw_ctx *c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, TLSW_VERSION_DEFAULT);
  tlsw_ctx *s = vserver_ctx("valid", TLSW_CERT_NONE, TLSW_VERSION_DEFAULT);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "a.example.test"), TLSW_OK);
  assert_int_equal(tlsw_session_verify_info(p.cli, NULL, NULL), TLSW_ERR_STATE);
  assert_int_equal(tlsw_session_verify_result(p.cli), TLSW_ERR_STATE);
  int cs, ss;
  vdrive(&p, &cs, &ss);
  assert_int_equal(cs, TLSW_OK);
  assert_int_equal(tlsw_session_verify_info(p.cli, NULL, NULL), TLSW_OK);
  pair_free(&p);
  tlsw_ctx_free(s);
  tlsw_ctx_free(c);
}

/* Every mode of every case is in the table: 3 rows per case. */
static void table_is_complete(void **state) {
  (void)state;
  assert_int_equal(N_SRV % 3, 0);
  assert_int_equal(N_CLI % 3, 0);
  for (size_t i = 0; i < N_SRV; i++) {
    assert_int_equal(srv_cases[i].mode, (tlsw_verify_mode)(i % 3));
  }
  for (size_t i = 0; i < N_CLI; i++) {
    assert_int_equal(cli_cases[i].mode, (tlsw_verify_mode)(i % 3));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(table_is_complete),
      cmocka_unit_test(server_certificates),
      cmocka_unit_test(client_certificates),
      cmocka_unit_test(intermediates_are_cached_per_context),
      cmocka_unit_test(cn_fallback_opt_in),
      cmocka_unit_test(reasons_and_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
