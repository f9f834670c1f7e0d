/*
 * The certificate rules of docs/verification.md that go beyond "it
 * chains": no MD5/SHA-1 signature below the trust anchor (unless
 * tlsw_ctx_allow_weak_signatures() opts in), keyUsage / extendedKeyUsage
 * of the leaf against the peer's role, and a name-constraint violation
 * named as such. Real handshakes over the in-memory pair, TLS 1.3 and 1.2,
 * each asserting both sides: the refusing side's status, exact message,
 * reason and depth, and the alert the other side received. Certificates:
 * tests/fixtures/gen-matrix.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "verify_util.h"

#define OK TLSW_OK
#define CV "certificate verify failed: "
#define A_BADCERT "peer sent alert: bad_certificate (42)"
#define A_UNSUPP "peer sent alert: unsupported_certificate (43)"

typedef struct rule_case {
  const char *cert; /* stem of the chain the verified side presents */
  int allow_weak;   /* tlsw_ctx_allow_weak_signatures() on the verifier */
  int status;       /* the verifying side's status */
  tlsw_cert_reason reason;
  int depth;
  const char *msg;   /* the verifying side's message, exact */
  const char *alert; /* what the other side's message is ("" when OK) */
} rule_case;

#define GOOD(cert, weak) \
  { cert, weak, OK, TLSW_REASON_NONE, -1, "", "" }

/* Server certificates, checked by a client under CERT_REQUIRED. */
static const rule_case srv_cases[] = {
    GOOD("valid", 0),
    {"sha1leaf", 0, TLSW_ERR_CERT_VERIFY, TLSW_REASON_WEAK_SIGNATURE, 0,
     CV "signature algorithm too weak: ecdsa-with-SHA1 (depth 0, "
        "CN=a.example.test)",
     A_BADCERT},
    GOOD("sha1leaf", 1),
    {"sha1int", 0, TLSW_ERR_CERT_VERIFY, TLSW_REASON_WEAK_SIGNATURE, 1,
     CV "signature algorithm too weak: ecdsa-with-SHA1 (depth 1, "
        "CN=tlswrap matrix SHA-1 intermediate)",
     A_BADCERT},
    GOOD("sha1int", 1),
    {"md5leaf", 0, TLSW_ERR_CERT_VERIFY, TLSW_REASON_WEAK_SIGNATURE, 0,
     CV "signature algorithm too weak: md5WithRSAEncryption (depth 0, "
        "CN=a.example.test)",
     A_BADCERT},
    GOOD("rsaintleaf", 0),
    {"nodigsig", 0, TLSW_ERR_CERT_VERIFY, TLSW_REASON_KEY_USAGE, 0,
     CV "certificate not usable for this purpose: its keyUsage lacks "
        "digitalSignature (depth 0, CN=a.example.test)",
     A_BADCERT},
    {"clienteku", 0, TLSW_ERR_CERT_VERIFY, TLSW_REASON_KEY_USAGE, 0,
     CV "certificate not usable for this purpose: its extendedKeyUsage "
        "lacks serverAuth (depth 0, CN=a.example.test)",
     A_BADCERT},
    GOOD("noext", 0),
    GOOD("anyeku", 0),
    {"ncleaf", 0, TLSW_ERR_CERT_VERIFY, TLSW_REASON_NAME_CONSTRAINTS, 0,
     CV "name not permitted by the issuer's name constraints (depth 0, "
        "CN=a.example.test)",
     A_BADCERT},
};

/* Client certificates, checked by a server under CERT_REQUIRED. */
static const rule_case cli_cases[] = {
    GOOD("client-valid", 0),
    {"client-nodigsig", 0, TLSW_ERR_CERT_VERIFY, TLSW_REASON_KEY_USAGE, 0,
     CV "certificate not usable for this purpose: its keyUsage lacks "
        "digitalSignature (depth 0, CN=client.example.test)",
     A_BADCERT},
    {"client-servereku", 0, TLSW_ERR_CERT_VERIFY, TLSW_REASON_KEY_USAGE, 0,
     CV "certificate not usable for this purpose: its extendedKeyUsage "
        "lacks clientAuth (depth 0, CN=client.example.test)",
     A_BADCERT},
};

static int failures;

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

/* The verifying side (v) against the case; o is the other side. */
static void expect_sides(const char *label, const rule_case *c, tlsw_session *v,
                         int vs, tlsw_session *o, int os) {
  EXPECT_INT("verifier status", vs, c->status);
  EXPECT_STR("verifier message", tlsw_session_message(v), c->msg);
  tlsw_cert_reason reason;
  int depth;
  int info = tlsw_session_verify_info(v, &reason, &depth);
  EXPECT_INT("verify_info", info, c->status);
  EXPECT_INT("reason", reason, c->reason);
  EXPECT_INT("depth", depth, c->depth);
  EXPECT_INT("peer status", os, c->status == OK ? OK : TLSW_ERR_ALERT);
  EXPECT_STR("peer message", tlsw_session_message(o), c->alert);
}

static void run_case(const rule_case *c, int client_cert, tlsw_tls_version v,
                     tlsw_verify_mode mode) {
  char label[160];
  snprintf(label, sizeof label, "[TLS 1.%d] %s cert %s%s, %s",
           v == TLSW_VERSION_TLS1_3 ? 3 : 2, client_cert ? "client" : "server",
           c->cert, c->allow_weak ? " (weak allowed)" : "",
           mode == TLSW_CERT_OPTIONAL ? "OPTIONAL" : "REQUIRED");
  tlsw_ctx *s = vserver_ctx(client_cert ? "valid" : c->cert,
                            client_cert ? mode : TLSW_CERT_NONE, v);
  tlsw_ctx *cl = vclient_ctx(client_cert ? TLSW_CERT_REQUIRED : mode,
                             client_cert ? c->cert : NULL, v);
  assert_non_null(s);
  assert_non_null(cl);
  tlsw_ctx *verifier = client_cert ? s : cl;
  assert_int_equal(tlsw_ctx_allow_weak_signatures(verifier, c->allow_weak),
                   TLSW_OK);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  const char *host =
      strcmp(c->cert, "ncok") == 0 ? "www.allowed.test" : "a.example.test";
  assert_int_equal(pair_wrap(&p, cl, s, host), TLSW_OK);
  int cs, ss;
  vdrive(&p, &cs, &ss);
  if (mode == TLSW_CERT_OPTIONAL && !client_cert) {
    /* The client connects and keeps the verdict for the caller. */
    EXPECT_INT("client status", cs, OK);
    EXPECT_STR("client message", tlsw_session_message(p.cli), c->msg);
    tlsw_cert_reason reason;
    int depth;
    EXPECT_INT("verify_result", tlsw_session_verify_result(p.cli), c->status);
    EXPECT_INT("verify_info", tlsw_session_verify_info(p.cli, &reason, &depth),
               c->status);
    EXPECT_INT("reason", reason, c->reason);
    EXPECT_INT("server status", ss, OK);
  } else if (client_cert) {
    expect_sides(label, c, p.srv, ss, p.cli, cs);
  } else {
    expect_sides(label, c, p.cli, cs, p.srv, ss);
  }
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
    for (size_t i = 0; i < sizeof srv_cases / sizeof srv_cases[0]; i++) {
      run_case(&srv_cases[i], 0, versions[vi], TLSW_CERT_REQUIRED);
      run_case(&srv_cases[i], 0, versions[vi], TLSW_CERT_OPTIONAL);
    }
  }
  assert_int_equal(failures, 0);
}

static void client_certificates(void **state) {
  (void)state;
  failures = 0;
  for (size_t vi = 0; vi < 2; vi++) {
    for (size_t i = 0; i < sizeof cli_cases / sizeof cli_cases[0]; i++) {
      run_case(&cli_cases[i], 1, versions[vi], TLSW_CERT_REQUIRED);
      /* A server under OPTIONAL refuses a certificate that was sent and
       * does not verify, as under REQUIRED (docs/verification.md). */
      run_case(&cli_cases[i], 1, versions[vi], TLSW_CERT_OPTIONAL);
    }
  }
  assert_int_equal(failures, 0);
}

/* The name-constraint control: a name inside the permitted subtree. */
static void name_constraints_permit(void **state) {
  (void)state;
  static const rule_case ok = GOOD("ncok", 0);
  failures = 0;
  for (size_t vi = 0; vi < 2; vi++) {
    run_case(&ok, 0, versions[vi], TLSW_CERT_REQUIRED);
  }
  assert_int_equal(failures, 0);
}

/* The opt-in: arguments, and the default is off; a session keeps the
 * setting it was wrapped with. */
static void allow_weak_arguments(void **state) {
  (void)state;
  assert_int_equal(tlsw_ctx_allow_weak_signatures(NULL, 1), TLSW_ERR_ARG);
  tlsw_ctx *c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, TLSW_VERSION_DEFAULT);
  tlsw_ctx *s = vserver_ctx("sha1leaf", TLSW_CERT_NONE, TLSW_VERSION_DEFAULT);
  assert_non_null(c);
  assert_non_null(s);
  assert_int_equal(tlsw_ctx_allow_weak_signatures(c, 1), TLSW_OK);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "a.example.test"), TLSW_OK);
  /* Changed after the wrap: the live session keeps "allowed". */
  assert_int_equal(tlsw_ctx_allow_weak_signatures(c, 0), TLSW_OK);
  int cs, ss;
  vdrive(&p, &cs, &ss);
  assert_int_equal(cs, TLSW_OK);
  assert_int_equal(ss, TLSW_OK);
  pair_free(&p);
  tlsw_ctx_free(s);
  tlsw_ctx_free(c);
}

/* The new reasons have texts of their own. */
static void reason_texts(void **state) {
  (void)state;
  const tlsw_cert_reason r[] = {TLSW_REASON_WEAK_SIGNATURE,
                                TLSW_REASON_KEY_USAGE,
                                TLSW_REASON_NAME_CONSTRAINTS};
  for (size_t i = 0; i < 3; i++) {
    assert_string_not_equal(tlsw_cert_reason_text(r[i]), "unknown reason");
    assert_string_not_equal(tlsw_cert_reason_text(r[i]),
                            tlsw_cert_reason_text(TLSW_REASON_OTHER));
  }
  /* Appended: the values before them did not move. */
  assert_int_equal(TLSW_REASON_OTHER, 13);
  assert_int_equal(TLSW_REASON_WEAK_SIGNATURE, 14);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(server_certificates),
      cmocka_unit_test(client_certificates),
      cmocka_unit_test(name_constraints_permit),
      cmocka_unit_test(allow_weak_arguments),
      cmocka_unit_test(reason_texts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
