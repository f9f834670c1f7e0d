/* Key exchange groups (core/groups.c, backend/wolfssl/groups.c) between two
 * tlswrap sessions in memory: the default, a chosen key share, the group
 * both sides report, no common group, TLS 1.2, and the lists refused.
 * Interop (openssl s_server -groups, s_client -groups) is
 * tests/cli/groups.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ctxs.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"

typedef struct run {
  test_pair p;
  tlsw_ctx *c, *s;
  int cst, sst;
} run;

static void start(run *r, const char *cli, const char *srv,
                  tlsw_tls_version v) {
  r->c = client_ctx();
  r->s = server_ctx("ec");
  if (v != TLSW_VERSION_DEFAULT) set_version(r->c, v);
  if (cli) assert_int_equal(tlsw_ctx_set_groups(r->c, cli), TLSW_OK);
  if (srv) assert_int_equal(tlsw_ctx_set_groups(r->s, srv), TLSW_OK);
  assert_int_equal(pair_init(&r->p, 32768, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&r->p, r->c, r->s, "localhost"), TLSW_OK);
  pair_handshake(&r->p, &r->cst, &r->sst);
}

static void done(run *r) {
  pair_free(&r->p);
  tlsw_ctx_free(r->c);
  tlsw_ctx_free(r->s);
}

static void agreed(const char *cli, const char *srv, tlsw_tls_version v,
                   const char *want) {
  run r;
  start(&r, cli, srv, v);
  assert_int_equal(r.cst, TLSW_OK);
  assert_int_equal(r.sst, TLSW_OK);
  assert_string_equal(tlsw_session_group(r.p.cli), want);
  assert_string_equal(tlsw_session_group(r.p.srv), want);
  done(&r);
}

static void defaults_and_choices(void **state) {
  (void)state;
  agreed(NULL, NULL, TLSW_VERSION_DEFAULT, "X25519");
  agreed("P-256", NULL, TLSW_VERSION_DEFAULT, "P-256");
  agreed("secp384r1", NULL, TLSW_VERSION_DEFAULT, "P-384");
  /* The server picks from its own list what the client offered: the
   * client's P-256 share is refused, a HelloRetryRequest asks for X25519. */
  agreed("P-256,X25519", "X25519", TLSW_VERSION_DEFAULT, "X25519");
  agreed("prime256v1", NULL, TLSW_VERSION_TLS1_2, "P-256");
  agreed(NULL, NULL, TLSW_VERSION_TLS1_2, "X25519");
}

static void nothing_in_common(void **state) {
  (void)state;
  run r;
  start(&r, "P-256", "X25519", TLSW_VERSION_DEFAULT);
  assert_true(r.cst != TLSW_OK || r.sst != TLSW_OK);
  assert_true(tlsw_status_is_fatal(r.sst) || tlsw_status_is_fatal(r.cst));
  assert_null(tlsw_session_group(r.p.cli));
  done(&r);
}

static void lists_refused(void **state) {
  (void)state;
  tlsw_ctx *c = client_ctx();
  static const char *const bad[] = {
      "P-255",           "X25519:",           ":P-256", "X25519,,P-256",
      "P-256:secp256r1", "a:b:c:d:e:f:g:h:i", "X25519 "};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(tlsw_ctx_set_groups(c, bad[i]), TLSW_ERR_ARG);
    assert_true(strlen(tlsw_ctx_message(c)) > 0);
  }
  assert_non_null(strstr(tlsw_ctx_message(c), "unknown group"));
  assert_int_equal(tlsw_ctx_set_groups(c, "P-256:secp256r1"), TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(c), "twice"));
  assert_int_equal(tlsw_ctx_set_groups(NULL, "X25519"), TLSW_ERR_ARG);
  /* A refused list leaves the one before: P-256 still holds. */
  assert_int_equal(tlsw_ctx_set_groups(c, "P-256"), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_groups(c, "nope"), TLSW_ERR_ARG);
  tlsw_ctx_free(c);
  agreed("P-256", NULL, TLSW_VERSION_DEFAULT, "P-256");
  /* NULL and "" restore the default. */
  c = client_ctx();
  assert_int_equal(tlsw_ctx_set_groups(c, "P-384"), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_groups(c, NULL), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_groups(c, ""), TLSW_OK);
  tlsw_ctx_free(c);
  tlsw_ctx *d = dtls_client_ctx();
  assert_int_equal(tlsw_ctx_set_groups(d, "P-256"), TLSW_ERR_UNSUPPORTED);
  assert_non_null(strstr(tlsw_ctx_message(d), "DTLS"));
  tlsw_ctx_free(d);
  assert_null(tlsw_session_group(NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults_and_choices),
      cmocka_unit_test(nothing_in_common),
      cmocka_unit_test(lists_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
