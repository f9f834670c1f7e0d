/* ALPN (core/alpn.c, backend/wolfssl/alpn.c) between two tlswrap sessions
 * in memory: the server's preference decides, no overlap fails both sides
 * with the alert named, lists are checked, and the agreed name outlives a
 * later change of the context's list. Interop with openssl, gnutls and
 * curl is tests/cli/alpn.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ctxs.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"

static void run(const char *cli_list, const char *srv_list, int *cst, int *sst,
                test_pair *p, tlsw_ctx **c, tlsw_ctx **s) {
  *c = client_ctx();
  *s = server_ctx("ec");
  if (cli_list) assert_int_equal(tlsw_ctx_set_alpn(*c, cli_list), TLSW_OK);
  if (srv_list) assert_int_equal(tlsw_ctx_set_alpn(*s, srv_list), TLSW_OK);
  assert_int_equal(pair_init(p, 32768, 0), TLSW_OK);
  assert_int_equal(pair_wrap(p, *c, *s, "localhost"), TLSW_OK);
  pair_handshake(p, cst, sst);
}

static void done(test_pair *p, tlsw_ctx *c, tlsw_ctx *s) {
  pair_free(p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

static void server_preference(void **state) {
  (void)state;
  test_pair p;
  tlsw_ctx *c, *s;
  int cst, sst;
  run("h2,http/1.1", "http/1.1,h2", &cst, &sst, &p, &c, &s);
  assert_int_equal(cst, TLSW_OK);
  assert_int_equal(sst, TLSW_OK);
  assert_string_equal(tlsw_session_alpn(p.cli), "http/1.1");
  assert_string_equal(tlsw_session_alpn(p.srv), "http/1.1");
  /* The agreed name is the session's: a new list does not change it. */
  assert_int_equal(tlsw_ctx_set_alpn(s, "mqtt"), TLSW_OK);
  assert_string_equal(tlsw_session_alpn(p.srv), "http/1.1");
  done(&p, c, s);
}

static void none_on_one_side(void **state) {
  (void)state;
  test_pair p;
  tlsw_ctx *c, *s;
  int cst, sst;
  run("h2", NULL, &cst, &sst, &p, &c, &s);
  assert_int_equal(cst, TLSW_OK);
  assert_null(tlsw_session_alpn(p.cli));
  assert_null(tlsw_session_alpn(p.srv));
  done(&p, c, s);
  run(NULL, "h2", &cst, &sst, &p, &c, &s);
  assert_int_equal(cst, TLSW_OK);
  assert_null(tlsw_session_alpn(p.cli));
  done(&p, c, s);
}

static void no_overlap(void **state) {
  (void)state;
  test_pair p;
  tlsw_ctx *c, *s;
  int cst, sst;
  run("spdy/3", "h2,http/1.1", &cst, &sst, &p, &c, &s);
  assert_int_equal(sst, TLSW_ERR_HANDSHAKE);
  assert_non_null(strstr(tlsw_session_message(p.srv), "(ALPN)"));
  /* The pair stops at the first failure: the client reads the alert. */
  if (cst == TLSW_WANT_READ) cst = tlsw_handshake(p.cli);
  assert_int_equal(cst, TLSW_ERR_ALERT);
  assert_non_null(
      strstr(tlsw_session_message(p.cli), "no_application_protocol"));
  assert_null(tlsw_session_alpn(p.cli));
  done(&p, c, s);
}

static void bad_lists(void **state) {
  (void)state;
  tlsw_ctx *c = client_ctx();
  char long_name[300];
  memset(long_name, 'a', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = '\0';
  const char *bad[] = {",h2", "h2,", "h2,,x", "h 2", "h2\t", long_name};
  assert_int_equal(tlsw_ctx_set_alpn(c, "h2"), TLSW_OK);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(tlsw_ctx_set_alpn(c, bad[i]), TLSW_ERR_ARG);
    assert_non_null(strstr(tlsw_ctx_message(c), "set_alpn:"));
  }
  assert_int_equal(tlsw_ctx_set_alpn(NULL, "h2"), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_alpn(c, NULL), TLSW_OK); /* clears */
  assert_int_equal(tlsw_ctx_set_alpn(c, ""), TLSW_OK);
  assert_null(tlsw_session_alpn(NULL));
  assert_true(tlsw_backend_features() & TLSW_FEATURE_ALPN);
  tlsw_ctx_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(server_preference),
      cmocka_unit_test(none_on_one_side),
      cmocka_unit_test(no_overlap),
      cmocka_unit_test(bad_lists),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
