/* tlsw_ctx_set_keep_peer_chain / tlsw_session_peer_chain (core/peer_chain.c,
 * backend/wolfssl/verify.c keep_leaf) in memory: a server sending its leaf
 * and the CA (server-ec-chain.pem) gives the client both, in order and
 * byte for byte; without the setting only the leaf; a server sending the
 * leaf alone gives one; TLS 1.2 as well; the refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ctxs.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"

static uint8_t *slurp(const char *name, size_t *len) {
  static uint8_t bufs[2][8192];
  static int which;
  uint8_t *b = bufs[which++ % 2];
  FILE *f = fopen(fixture(name), "rb");
  assert_non_null(f);
  *len = fread(b, 1, sizeof bufs[0], f);
  fclose(f);
  return b;
}

static void chain(tlsw_tls_version v, int keep, const char *certfile,
                  size_t want_n) {
  tlsw_ctx *c = client_ctx(), *s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  if (v != TLSW_VERSION_DEFAULT) set_version(c, v);
  assert_int_equal(tlsw_ctx_load_cert_chain_file(
                       s, fixture(certfile), fixture("server-ec.key"), NULL),
                   TLSW_OK);
  assert_int_equal(tlsw_ctx_set_keep_peer_chain(c, keep), TLSW_OK);
  test_pair p;
  assert_int_equal(pair_init(&p, 32768, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  size_t leaf_len, ca_len;
  const uint8_t *leaf = slurp("server-ec.der", &leaf_len);
  const uint8_t *ca = slurp("ca.der", &ca_len);
  const uint8_t *der;
  size_t len;
  assert_int_equal(tlsw_session_peer_chain(p.cli, 0, &der, &len), TLSW_OK);
  assert_int_equal(len, leaf_len);
  assert_memory_equal(der, leaf, len);
  int st = tlsw_session_peer_chain(p.cli, 1, &der, &len);
  if (want_n == 2) {
    assert_int_equal(st, TLSW_OK);
    assert_int_equal(len, ca_len);
    assert_memory_equal(der, ca, len);
    st = tlsw_session_peer_chain(p.cli, 2, &der, &len);
  }
  assert_int_equal(st, keep ? TLSW_ERR_ARG : TLSW_ERR_STATE);
  assert_null(der);
  assert_int_equal(len, 0);
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

static void keeps_the_chain(void **state) {
  (void)state;
  chain(TLSW_VERSION_DEFAULT, 1, "server-ec-chain.pem", 2);
  chain(TLSW_VERSION_TLS1_2, 1, "server-ec-chain.pem", 2);
  chain(TLSW_VERSION_DEFAULT, 1, "server-ec.pem", 1);
  chain(TLSW_VERSION_DEFAULT, 0, "server-ec-chain.pem", 1);
}

static void refused(void **state) {
  (void)state;
  const uint8_t *der = (const uint8_t *)"x";
  size_t len = 1;
  assert_int_equal(tlsw_session_peer_chain(NULL, 0, &der, &len), TLSW_ERR_ARG);
  assert_null(der);
  assert_int_equal(tlsw_ctx_set_keep_peer_chain(NULL, 1), TLSW_ERR_ARG);
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  test_pair p;
  assert_int_equal(pair_init(&p, 32768, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  assert_int_equal(tlsw_session_peer_chain(p.cli, 0, &der, &len),
                   TLSW_ERR_STATE); /* before the handshake */
  assert_int_equal(tlsw_session_peer_chain(p.cli, 0, NULL, &len), TLSW_ERR_ARG);
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(keeps_the_chain),
      cmocka_unit_test(refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
