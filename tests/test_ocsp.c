/*
 * OCSP stapling on the client (core/ocsp.c, backend/wolfssl/ocsp.c)
 * against openssl s_server -status_file on 127.0.0.1, TLS 1.3 (the staple
 * in the leaf's Certificate entry) and TLS 1.2 (CertificateStatus), with
 * the test PKI's responses (tests/fixtures/gen-certs.sh, made by openssl
 * ocsp): a good staple connects and reads good, a revoked one is refused
 * with REVOKED, one signed by another CA or saying "unknown" is refused as
 * invalid, no staple connects under REQUEST and is refused under REQUIRE,
 * OFF asks for none; and the setter's refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "ctxs.h"
#include "net.h"
#include "peer.h"
#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"
#include "verify_util.h"

#define WAIT_MS 10000
#define IO_TIMEOUT_MS 5000

static child peer;

static int teardown(void **state) {
  (void)state;
  child_stop(&peer, 1000);
  return 0;
}

typedef struct server_args {
  const char *leaf;    /* server-ec, server-revoked */
  const char *staple;  /* fixture name, or NULL: no -status_file */
  const char *version; /* -tls1_3 / -tls1_2 */
} server_args;

static int start_server(child *c, int port, void *arg) {
  const server_args *a = arg;
  static char crt[1024], key[1024], status[1024], acc[32];
  snprintf(crt, sizeof crt, "%s.pem", fixture(a->leaf));
  snprintf(key, sizeof key, "%s.key", fixture(a->leaf));
  char *argv[16];
  int n = peer_openssl_server_argv(argv, acc, sizeof acc, port, crt, key);
  argv[n++] = (char *)a->version;
  if (a->staple != NULL) {
    snprintf(status, sizeof status, "%s", fixture(a->staple));
    argv[n++] = "-status_file";
    argv[n++] = status;
  }
  argv[n] = NULL;
  return child_start(c, argv);
}

typedef struct outcome {
  int st;
  int ocsp;
  tlsw_cert_reason reason;
  char msg[512];
} outcome;

/* Our client against s_server (leaf, staple, version), its context set
 * to first and then to mode. */
static outcome connect_after(int first, int mode, const char *leaf,
                             const char *staple, const char *version) {
  server_args a = {leaf, staple, version};
  int fd = peer_connect_server(&peer, start_server, &a, 5, WAIT_MS);
  if (fd < 0) {
    child_dump(&peer, "openssl");
    fail_msg("openssl s_server never accepted a connection");
  }
  tlsw_ctx *c = client_ctx();
  assert_int_equal(tlsw_ctx_set_ocsp_stapling(c, first), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_ocsp_stapling(c, mode), TLSW_OK);
  tlsw_sock sock;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(&sock, fd, IO_TIMEOUT_MS, &io), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "localhost";
  tlsw_session *s = NULL;
  outcome r;
  r.st = tlsw_wrap(c, &io, &o, &s);
  assert_non_null(s);
  r.ocsp = tlsw_session_ocsp_status(s);
  r.reason = TLSW_REASON_NONE;
  tlsw_session_verify_info(s, &r.reason, NULL);
  snprintf(r.msg, sizeof r.msg, "%s", tlsw_session_message(s));
  if (r.st != TLSW_OK) print_message("  %s: %s\n", version, r.msg);
  tlsw_session_free(s);
  tlsw_ctx_free(c);
  close(fd);
  child_stop(&peer, 1000);
  return r;
}

static outcome connect_with(int mode, const char *leaf, const char *staple,
                            const char *version) {
  return connect_after(mode, mode, leaf, staple, version);
}

static const char *const versions[] = {"-tls1_3", "-tls1_2"};

/* Off after require: no status_request goes out, so the server's revoked
 * staple is never sent, and no staple is required. */
static void off_after_require(void **state) {
  (void)state;
  for (int v = 0; v < 2; v++) {
    outcome r =
        connect_after(TLSW_OCSP_REQUIRE, TLSW_OCSP_OFF, "server-revoked",
                      "ocsp-revoked.der", versions[v]);
    assert_int_equal(r.st, TLSW_OK);
    assert_int_equal(r.ocsp, TLSW_OCSP_NONE);
  }
}

static void good_staple(void **state) {
  (void)state;
  for (int v = 0; v < 2; v++) {
    for (int mode = TLSW_OCSP_REQUEST; mode <= TLSW_OCSP_REQUIRE; mode++) {
      outcome r = connect_with(mode, "server-ec", "ocsp-good.der", versions[v]);
      assert_int_equal(r.st, TLSW_OK);
      assert_int_equal(r.ocsp, TLSW_OCSP_GOOD);
    }
  }
}

static void revoked_staple(void **state) {
  (void)state;
  for (int v = 0; v < 2; v++) {
    outcome r = connect_with(TLSW_OCSP_REQUEST, "server-revoked",
                             "ocsp-revoked.der", versions[v]);
    assert_int_equal(r.st, TLSW_ERR_CERT_VERIFY);
    assert_int_equal(r.reason, TLSW_REASON_REVOKED);
    assert_int_equal(r.ocsp, TLSW_OCSP_REVOKED);
    assert_non_null(strstr(r.msg, "OCSP response"));
    assert_non_null(strstr(r.msg, "revoked"));
    /* Which certificate: the server's, by subject or by host. */
    assert_true(strstr(r.msg, "server-revoked") != NULL ||
                strstr(r.msg, "'localhost'") != NULL);
  }
}

static void invalid_staples(void **state) {
  (void)state;
  static const char *const bad[] = {"ocsp-other.der", "ocsp-unknown.der"};
  for (int v = 0; v < 2; v++) {
    for (int i = 0; i < 2; i++) {
      outcome r =
          connect_with(TLSW_OCSP_REQUEST, "server-ec", bad[i], versions[v]);
      assert_int_equal(r.st, TLSW_ERR_CERT_VERIFY);
      assert_int_equal(r.reason, TLSW_REASON_OCSP_INVALID);
      assert_int_equal(r.ocsp, TLSW_OCSP_INVALID);
      assert_non_null(strstr(r.msg, "OCSP response"));
    }
    /* A good response for another certificate (server-ec's, sent with
     * server-revoked's chain) is not this leaf's. */
    outcome r = connect_with(TLSW_OCSP_REQUEST, "server-revoked",
                             "ocsp-good.der", versions[v]);
    assert_int_equal(r.st, TLSW_ERR_CERT_VERIFY);
    assert_int_equal(r.reason, TLSW_REASON_OCSP_INVALID);
  }
}

static void no_staple(void **state) {
  (void)state;
  for (int v = 0; v < 2; v++) {
    outcome r = connect_with(TLSW_OCSP_REQUEST, "server-ec", NULL, versions[v]);
    assert_int_equal(r.st, TLSW_OK);
    assert_int_equal(r.ocsp, TLSW_OCSP_NONE);
    r = connect_with(TLSW_OCSP_REQUIRE, "server-ec", NULL, versions[v]);
    assert_int_equal(r.st, TLSW_ERR_CERT_VERIFY);
    assert_int_equal(r.reason, TLSW_REASON_OCSP_MISSING);
    assert_non_null(strstr(r.msg, "no OCSP response"));
    /* Off asks for nothing: a revoked staple is never sent, never seen. */
    r = connect_with(TLSW_OCSP_OFF, "server-revoked", "ocsp-revoked.der",
                     versions[v]);
    assert_int_equal(r.st, TLSW_OK);
    assert_int_equal(r.ocsp, TLSW_OCSP_NONE);
  }
}

static void setter_refusals(void **state) {
  (void)state;
  assert_int_equal(tlsw_ctx_set_ocsp_stapling(NULL, TLSW_OCSP_REQUEST),
                   TLSW_ERR_ARG);
  tlsw_ctx *c = client_ctx();
  assert_int_equal(tlsw_ctx_set_ocsp_stapling(c, 3), TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(c), "unknown mode 3"));
  assert_int_equal(tlsw_ctx_set_ocsp_stapling(c, -1), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_ocsp_stapling(c, TLSW_OCSP_REQUIRE), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_ocsp_stapling(c, TLSW_OCSP_OFF), TLSW_OK);
  tlsw_ctx_free(c);
  tlsw_ctx *s = server_ctx("ec");
  assert_int_equal(tlsw_ctx_set_ocsp_stapling(s, TLSW_OCSP_REQUEST),
                   TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(s), "server context"));
  tlsw_ctx_free(s);
  if (tlsw_backend_features() & TLSW_FEATURE_DTLS) {
    tlsw_ctx *d = dtls_client_ctx();
    assert_int_equal(tlsw_ctx_set_ocsp_stapling(d, TLSW_OCSP_REQUEST),
                     TLSW_ERR_UNSUPPORTED);
    assert_non_null(strstr(tlsw_ctx_message(d), "DTLS"));
    tlsw_ctx_free(d);
  }
  assert_int_equal(tlsw_session_ocsp_status(NULL), TLSW_ERR_ARG);
  assert_string_equal(tlsw_cert_reason_text(TLSW_REASON_OCSP_MISSING),
                      "no OCSP response stapled");
}

int main(void) {
  if (!(tlsw_backend_features() & TLSW_FEATURE_OCSP)) {
    printf("skipped: no TLSW_FEATURE_OCSP in this build\n");
    return 77;
  }
  if (!have_tool("openssl")) {
    printf("skipped: no openssl\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(good_staple, teardown),
      cmocka_unit_test_teardown(revoked_staple, teardown),
      cmocka_unit_test_teardown(invalid_staples, teardown),
      cmocka_unit_test_teardown(no_staple, teardown),
      cmocka_unit_test_teardown(setter_refusals, teardown),
      cmocka_unit_test_teardown(off_after_require, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
