/*
 * tlsw_session_peer_cert() after a handshake that failed verification: the
 * session keeps the certificate the peer sent (the backend state that held
 * it is freed with the failure), so a tool can show a person what was
 * refused without a second, unverified connection. In memory, on the test
 * PKI (ca.pem; other-ca.pem trusts none of it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctxs.h"
#include "pair.h"

/* The DER of a fixture file (malloc'd). */
static uint8_t *read_der(const char *name, size_t *len) {
  FILE *f = fopen(fixture(name), "rb");
  assert_non_null(f);
  uint8_t *buf = malloc(16384);
  assert_non_null(buf);
  *len = fread(buf, 1, 16384, f);
  fclose(f);
  assert_true(*len > 0);
  return buf;
}

static void assert_peer_is(const tlsw_session *s, const char *der_name) {
  size_t want_len;
  uint8_t *want = read_der(der_name, &want_len);
  const uint8_t *der = NULL;
  size_t len = 0;
  assert_int_equal(tlsw_session_peer_cert(s, &der, &len), TLSW_OK);
  assert_int_equal(len, want_len);
  assert_memory_equal(der, want, len);
  free(want);
}

/* Handshake cctx against sctx; the client must fail with want_st. */
static void fail_handshake(tlsw_ctx *cctx, tlsw_ctx *sctx, const char *host,
                           int want_st, test_pair *p) {
  assert_int_equal(pair_init(p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(p, cctx, sctx, host), TLSW_OK);
  int cst = TLSW_OK, sst = TLSW_OK;
  assert_int_not_equal(pair_handshake(p, &cst, &sst), TLSW_OK);
  assert_int_equal(cst, want_st);
}

static tlsw_ctx *client_trusting(const char *ca) {
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  assert_int_equal(tlsw_ctx_load_verify_file(c, fixture(ca)), TLSW_OK);
  return c;
}

static void untrusted_leaf(void **state) {
  (void)state;
  tlsw_ctx *c = client_trusting("other-ca.pem"), *s = server_ctx("ec");
  test_pair p;
  fail_handshake(c, s, "localhost", TLSW_ERR_CERT_UNTRUSTED, &p);
  assert_peer_is(p.cli, "server-ec.der");
  /* The failure itself is unchanged. */
  assert_int_equal(tlsw_session_status(p.cli), TLSW_ERR_CERT_UNTRUSTED);
  assert_null(tlsw_session_version(p.cli));
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

static void wrong_name(void **state) {
  (void)state;
  tlsw_ctx *c = client_ctx(), *s = server_ctx("rsa");
  test_pair p;
  fail_handshake(c, s, "wrong.example", TLSW_ERR_CERT_HOSTNAME, &p);
  assert_peer_is(p.cli, "server-rsa.der");
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

/* The peer sends leaf + CA, neither trusted: whichever certificate
 * verification stops at, the leaf is what is kept. */
static void chain_fails_above_leaf(void **state) {
  (void)state;
  tlsw_ctx *c = client_trusting("other-ca.pem");
  tlsw_ctx *s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s, fixture("server-ec-chain.pem"),
                                    fixture("server-ec.key"), NULL),
      TLSW_OK);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  int cst = TLSW_OK;
  assert_int_not_equal(pair_handshake(&p, &cst, NULL), TLSW_OK);
  assert_true(cst <= TLSW_ERR_CERT_VERIFY && cst >= TLSW_ERR_CERT_REJECTED);
  assert_peer_is(p.cli, "server-ec.der");
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

/* A server keeps the client certificate it refused. */
static void refused_client_cert(void **state) {
  (void)state;
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  assert_int_equal(tlsw_ctx_load_cert_chain_file(c, fixture("client.pem"),
                                                 fixture("client.key"), NULL),
                   TLSW_OK);
  assert_int_equal(tlsw_ctx_load_verify_file(s, fixture("other-ca.pem")),
                   TLSW_OK);
  tlsw_ctx_set_verify_mode(s, TLSW_CERT_REQUIRED);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  int sst = TLSW_OK;
  assert_int_not_equal(pair_handshake(&p, NULL, &sst), TLSW_OK);
  assert_int_equal(sst, TLSW_ERR_CERT_UNTRUSTED);
  assert_peer_is(p.srv, "client.der");
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

/* Nothing examined, nothing kept: a failure before any certificate. */
static void no_cert_before_failure(void **state) {
  (void)state;
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  assert_int_equal(tlsw_ctx_set_cipher_string(c, "TLS_AES_256_GCM_SHA384"),
                   TLSW_OK);
  assert_int_equal(tlsw_ctx_set_cipher_string(s, "TLS_AES_128_GCM_SHA256"),
                   TLSW_OK);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  assert_int_not_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  const uint8_t *der = (const uint8_t *)"x";
  size_t len = 1;
  assert_int_equal(tlsw_session_peer_cert(p.cli, &der, &len), TLSW_ERR_STATE);
  assert_null(der);
  assert_int_equal(len, 0);
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(untrusted_leaf),
      cmocka_unit_test(wrong_name),
      cmocka_unit_test(chain_fails_above_leaf),
      cmocka_unit_test(refused_client_cert),
      cmocka_unit_test(no_cert_before_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
