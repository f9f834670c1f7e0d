/* Session resumption (core/resume.c, backend/wolfssl/resume.c) between two
 * tlswrap sessions in memory: a saved client session resumes against the
 * same server context, with TLS 1.3 and 1.2 tickets; the resumed session
 * keeps its verification; the saved bytes are refused for another host, for
 * a verifying context when the first handshake did not verify, and when
 * damaged; tickets can be turned off. Against OpenSSL: tests/cli/resume.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ctxs.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"

static int run(test_pair *p, tlsw_ctx *c, tlsw_ctx *s, const char *host,
               const uint8_t *sess, size_t sess_len) {
  assert_int_equal(pair_init(p, 65536, 0), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = host;
  o.session = sess;
  o.session_len = sess_len;
  int st = tlsw_wrap(c, &p->cli_io, &o, &p->cli);
  if (st != TLSW_OK) return st;
  tlsw_wrap_opts so = TLSW_WRAP_OPTS_INIT;
  so.do_handshake_on_connect = 0;
  assert_int_equal(tlsw_wrap(s, &p->srv_io, &so, &p->srv), TLSW_OK);
  int cst, sst;
  pair_handshake(p, &cst, &sst);
  assert_int_equal(cst, TLSW_OK);
  assert_int_equal(sst, TLSW_OK);
  /* One message each way: a TLS 1.3 ticket follows the handshake, and
   * the client takes it with its first read. */
  size_t n;
  char buf[16];
  assert_int_equal(tlsw_write(p->srv, "ping", 4, &n), TLSW_OK);
  assert_int_equal(tlsw_read(p->cli, buf, sizeof buf, &n), TLSW_OK);
  assert_int_equal(n, 4);
  return TLSW_OK;
}

static size_t save(tlsw_session *s, uint8_t *buf, size_t cap) {
  size_t need = 0;
  assert_int_equal(tlsw_session_save(s, NULL, 0, &need), TLSW_ERR_TOO_BIG);
  assert_true(need > 7 && need <= cap);
  size_t len = 0;
  assert_int_equal(tlsw_session_save(s, buf, need - 1, &len), TLSW_ERR_TOO_BIG);
  assert_int_equal(len, need);
  assert_int_equal(tlsw_session_save(s, buf, cap, &len), TLSW_OK);
  assert_int_equal(len, need);
  return len;
}

static void resumes(tlsw_tls_version v) {
  if (!(tlsw_backend_features() & TLSW_FEATURE_RESUMPTION)) skip();
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  set_version(c, v);
  test_pair p;
  assert_int_equal(run(&p, c, s, "localhost", NULL, 0), TLSW_OK);
  assert_int_equal(tlsw_session_resumed(p.cli), 0);
  assert_int_equal(tlsw_session_resumed(p.srv), 0);
  static uint8_t saved[16384];
  size_t len = save(p.cli, saved, sizeof saved);
  pair_free(&p);

  assert_int_equal(run(&p, c, s, "LocalHost", saved, len), TLSW_OK);
  assert_int_equal(tlsw_session_resumed(p.cli), 1);
  assert_int_equal(tlsw_session_resumed(p.srv), 1);
  assert_string_equal(tlsw_session_version(p.cli),
                      v == TLSW_VERSION_TLS1_2 ? "TLSv1.2" : "TLSv1.3");
  /* No certificate came, yet the session is as verified as the first. */
  assert_int_equal(tlsw_session_verify_result(p.cli), TLSW_OK);
  pair_free(&p);

  /* Another host name: refused at wrap, before anything is sent. */
  assert_int_equal(run(&p, c, s, "other.example", saved, len), TLSW_ERR_ARG);
  assert_non_null(
      strstr(tlsw_session_message(p.cli), "another server_hostname"));
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

static void resume_tls13(void **state) {
  (void)state;
  resumes(TLSW_VERSION_TLS1_3);
}

static void resume_tls12(void **state) {
  (void)state;
  resumes(TLSW_VERSION_TLS1_2);
}

static void refusals(void **state) {
  (void)state;
  if (!(tlsw_backend_features() & TLSW_FEATURE_RESUMPTION)) skip();
  /* A session from a client that did not verify ... */
  tlsw_ctx *lax = client_ctx(), *c = client_ctx(), *s = server_ctx("ec");
  assert_int_equal(tlsw_ctx_set_verify_mode(lax, TLSW_CERT_NONE), TLSW_OK);
  test_pair p;
  assert_int_equal(run(&p, lax, s, "localhost", NULL, 0), TLSW_OK);
  static uint8_t saved[16384];
  size_t len = save(p.cli, saved, sizeof saved);
  /* ... and a server session, which has nothing to save. */
  size_t l2;
  assert_int_equal(tlsw_session_save(p.srv, saved + len, 100, &l2),
                   TLSW_ERR_ARG);
  pair_free(&p);
  /* ... resumes where nothing is verified, and is refused where it is. */
  assert_int_equal(run(&p, lax, s, "localhost", saved, len), TLSW_OK);
  assert_int_equal(tlsw_session_resumed(p.cli), 1);
  pair_free(&p);
  assert_int_equal(run(&p, c, s, "localhost", saved, len), TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_session_message(p.cli), "did not verify"));
  pair_free(&p);
  /* Damaged bytes: the envelope, then wolfSSL's own part. */
  saved[0] ^= 1;
  assert_int_equal(run(&p, lax, s, "localhost", saved, len), TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_session_message(p.cli), "tlsw_session_save"));
  pair_free(&p);
  saved[0] ^= 1;
  assert_int_equal(run(&p, lax, s, "localhost", saved, 20), TLSW_ERR_ARG);
  pair_free(&p);
  assert_int_equal(run(&p, lax, s, "localhost", NULL, 5), TLSW_ERR_ARG);
  pair_free(&p);
  /* Before the handshake there is nothing to save. */
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  assert_int_equal(tlsw_session_save(p.cli, saved, sizeof saved, &l2),
                   TLSW_ERR_STATE);
  assert_int_equal(tlsw_session_save(p.cli, NULL, 0, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_session_save(NULL, NULL, 0, &l2), TLSW_ERR_ARG);
  pair_free(&p);
  tlsw_ctx_free(lax);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

static void tickets_off(void **state) {
  (void)state;
  if (!(tlsw_backend_features() & TLSW_FEATURE_RESUMPTION)) skip();
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  assert_int_equal(tlsw_ctx_set_session_tickets(s, 0), TLSW_OK);
  test_pair p;
  assert_int_equal(run(&p, c, s, "localhost", NULL, 0), TLSW_OK);
  /* TLS 1.3 resumes by ticket only: with none sent, nothing to save. */
  uint8_t buf[64];
  size_t len;
  assert_int_equal(tlsw_session_save(p.cli, buf, sizeof buf, &len),
                   TLSW_ERR_STATE);
  assert_non_null(strstr(tlsw_session_message(p.cli), "no ticket"));
  pair_free(&p);
  assert_int_equal(tlsw_ctx_set_session_tickets(NULL, 0), TLSW_ERR_ARG);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(resume_tls13),
      cmocka_unit_test(resume_tls12),
      cmocka_unit_test(refusals),
      cmocka_unit_test(tickets_off),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
