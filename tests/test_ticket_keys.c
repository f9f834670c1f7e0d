/* Ticket keys a fleet shares (tlsw_ctx_set_ticket_keys; core/resume.c,
 * backend/wolfssl/tickets.c), between tlswrap sessions in memory: a
 * ticket from server A resumes on server B given the same secret, not on
 * one with its own keys or another secret, still resumes after a rotation
 * (new, old), and no longer after (newer, new) (TLS 1.3; TLS 1.2: the
 * shared secret, see fleet()); and the arguments refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ctxs.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"

static const uint8_t k1[32] = "0123456789abcdef0123456789abcdef";
static const uint8_t k2[32] = "fedcba9876543210fedcba9876543210";
static const uint8_t k3[32] = "a third secret, thirty-two bytes";

/* A handshake of c with s (resuming sess when given), one message from
 * the server so a TLS 1.3 ticket reaches the client; returns whether it
 * resumed, and saves the client's session into out (*out_len). */
static int connect_once(tlsw_ctx *c, tlsw_ctx *s, const uint8_t *sess,
                        size_t sess_len, uint8_t *out, size_t *out_len) {
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = "localhost";
  o.session = sess;
  o.session_len = sess_len;
  assert_int_equal(tlsw_wrap(c, &p.cli_io, &o, &p.cli), TLSW_OK);
  tlsw_wrap_opts so = TLSW_WRAP_OPTS_INIT;
  so.do_handshake_on_connect = 0;
  assert_int_equal(tlsw_wrap(s, &p.srv_io, &so, &p.srv), TLSW_OK);
  int cst, sst;
  pair_handshake(&p, &cst, &sst);
  assert_int_equal(cst, TLSW_OK);
  assert_int_equal(sst, TLSW_OK);
  size_t n;
  char buf[16];
  assert_int_equal(tlsw_write(p.srv, "ping", 4, &n), TLSW_OK);
  assert_int_equal(tlsw_read(p.cli, buf, sizeof buf, &n), TLSW_OK);
  int resumed = tlsw_session_resumed(p.cli);
  assert_int_equal(resumed, tlsw_session_resumed(p.srv));
  if (out != NULL) {
    assert_int_equal(tlsw_session_save(p.cli, out, 4096, out_len), TLSW_OK);
  }
  pair_free(&p);
  return resumed;
}

static tlsw_ctx *server_with(const uint8_t *cur, const uint8_t *prev) {
  tlsw_ctx *s = server_ctx("ec");
  if (cur != NULL) {
    assert_int_equal(tlsw_ctx_set_ticket_keys(s, cur, prev, 32), TLSW_OK);
  }
  return s;
}

static void fleet(tlsw_tls_version v) {
  if (!(tlsw_backend_features() & TLSW_FEATURE_RESUMPTION)) skip();
  tlsw_ctx *c = client_ctx();
  set_version(c, v);
  tlsw_ctx *a = server_with(k1, NULL), *b = server_with(k1, NULL);
  tlsw_ctx *own = server_with(NULL, NULL), *other = server_with(k2, NULL);
  tlsw_ctx *rotated = server_with(k2, k1), *later = server_with(k3, k2);
  uint8_t sess[4096];
  size_t len = 0;
  assert_false(connect_once(c, a, NULL, 0, sess, &len));
  assert_true(connect_once(c, b, sess, len, NULL, NULL));
  /* The rest is TLS 1.3's here: in TLS 1.2 wolfSSL's session-ID cache is
   * one per process, shared by every context, so a second context in this
   * process finds the session by its ID whatever the ticket (and, refusing
   * the ticket, trips over it: the client reads an out-of-order message).
   * Servers of a fleet are separate processes: tests/cli/resume.sh checks
   * every case below in both versions across tlsw-server processes with
   * openssl s_client. */
  if (v == TLSW_VERSION_TLS1_3) {
    assert_false(connect_once(c, own, sess, len, NULL, NULL));
    assert_false(connect_once(c, other, sess, len, NULL, NULL));
    /* After a rotation the old ticket still resumes, and the session it
     * gives carries a ticket under the new secret. */
    uint8_t sess2[4096];
    size_t len2 = 0;
    assert_true(connect_once(c, rotated, sess, len, sess2, &len2));
    assert_false(connect_once(c, later, sess, len, NULL, NULL));
    assert_true(connect_once(c, later, sess2, len2, NULL, NULL));
  }
  tlsw_ctx *all[] = {c, a, b, own, other, rotated, later};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) tlsw_ctx_free(all[i]);
}

static void fleet_tls13(void **state) {
  (void)state;
  fleet(TLSW_VERSION_TLS1_3);
}

static void fleet_tls12(void **state) {
  (void)state;
  fleet(TLSW_VERSION_TLS1_2);
}

static void refused(void **state) {
  (void)state;
  tlsw_ctx *s = server_ctx("ec"), *c = client_ctx();
  assert_int_equal(tlsw_ctx_set_ticket_keys(NULL, k1, NULL, 32), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_ticket_keys(s, NULL, NULL, 32), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_ticket_keys(s, k1, NULL, 31), TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(s), "32 to 64"));
  assert_int_equal(tlsw_ctx_set_ticket_keys(s, k1, NULL, 65), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_ticket_keys(s, k1, k1, 32), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_ticket_keys(c, k1, NULL, 32), TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(c), "server"));
  tlsw_ctx_free(s);
  tlsw_ctx_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fleet_tls13),
      cmocka_unit_test(fleet_tls12),
      cmocka_unit_test(refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
