/*
 * DTLS takes the same verification path as TLS: a certificate failure is
 * reported with the same status, reason and message, and the server sees
 * the alert. (The DTLS handshake has its own failure decoding, which must
 * not swallow the verification result.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "dtls_util.h"
#include "verify_util.h"

/* A DTLS handshake where the server serves the matrix leaf <leaf>: new
 * server sessions serve that chain, and the client (wrapped for
 * "localhost") also trusts the matrix root. */
static void run_with_leaf(dt_env *e, const char *leaf) {
  char pem[64], key[64];
  snprintf(pem, sizeof pem, "%s.pem", leaf);
  snprintf(key, sizeof key, "%s.key", leaf);
  dt_init(e);
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(e->sctx, mpath(pem), mpath(key), NULL),
      TLSW_OK);
  assert_int_equal(tlsw_ctx_load_verify_file(e->cctx, mpath("root.pem")),
                   TLSW_OK);
  dt_run(e);
}

static void dtls_expired_server(void **state) {
  (void)state;
  dt_env e;
  run_with_leaf(&e, "expired");
  assert_int_equal(tlsw_session_status(e.cli), TLSW_ERR_CERT_EXPIRED);
  assert_string_equal(tlsw_session_message(e.cli),
                      "certificate verify failed: certificate has expired "
                      "(depth 0, CN=a.example.test)");
  tlsw_cert_reason reason;
  int depth;
  assert_int_equal(tlsw_session_verify_info(e.cli, &reason, &depth),
                   TLSW_ERR_CERT_EXPIRED);
  assert_int_equal(reason, TLSW_REASON_EXPIRED);
  assert_int_equal(depth, 0);
  dt_free(&e);
}

static void dtls_hostname(void **state) {
  (void)state;
  dt_env e;
  run_with_leaf(&e, "valid");
  assert_int_equal(tlsw_session_status(e.cli), TLSW_ERR_CERT_HOSTNAME);
  assert_string_equal(tlsw_session_message(e.cli),
                      "certificate verify failed: hostname mismatch for "
                      "'localhost' (depth 0, CN=a.example.test)");
  dt_free(&e);
}

static void dtls_good(void **state) {
  (void)state;
  dt_env e;
  dt_init(&e);
  assert_int_equal(dt_run(&e), TLSW_OK);
  assert_int_equal(tlsw_session_verify_result(e.cli), TLSW_OK);
  dt_free(&e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dtls_good),
      cmocka_unit_test(dtls_expired_server),
      cmocka_unit_test(dtls_hostname),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
