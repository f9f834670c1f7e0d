/* Two-way close (core/session_io.c): after our tlsw_shutdown() the peer may
 * still send, and we read it until its close_notify, as CPython's unwrap()
 * and OpenSSL's second SSL_shutdown() allow; writes are refused with a
 * message, and so are the peer's writes after our close_notify under TLS
 * 1.2 (TLS 1.3 allows that half-close). Between two tlswrap sessions in
 * memory, TLS 1.3 and 1.2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ctxs.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"

static void half_close(tlsw_tls_version v) {
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  set_version(c, v);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  char buf[64];
  size_t n;
  /* The client closes first (its tickets read on the way). */
  (void)tlsw_read(p.cli, buf, sizeof buf, &n);
  assert_int_equal(tlsw_shutdown(p.cli), TLSW_OK);
  assert_int_equal(tlsw_write(p.cli, "x", 1, &n), TLSW_ERR_SHUT);
  assert_non_null(strstr(tlsw_session_message(p.cli), "nothing more can be"));
  /* Nothing from the server yet: the read waits, it is not refused. */
  assert_int_equal(tlsw_read(p.cli, buf, sizeof buf, &n), TLSW_WANT_READ);
  /* The server sees our close_notify. Under TLS 1.3 it still has its
   * say (a half-close, RFC 8446 6.1); under TLS 1.2 the connection ends
   * there (RFC 5246 7.2.1), and a write is refused, not lost silently. */
  assert_int_equal(tlsw_read(p.srv, buf, sizeof buf, &n), TLSW_CLOSED);
  int half = v == TLSW_VERSION_TLS1_3;
  assert_int_equal(tlsw_write(p.srv, "late", 4, &n),
                   half ? TLSW_OK : TLSW_ERR_SHUT);
  assert_int_equal(n, half ? 4 : 0);
  if (!half) {
    assert_non_null(strstr(tlsw_session_message(p.srv), "close_notify"));
  }
  assert_int_equal(tlsw_shutdown(p.srv), TLSW_OK);
  /* ... which the client reads, then the server's close_notify. */
  if (half) {
    assert_int_equal(tlsw_read(p.cli, buf, sizeof buf, &n), TLSW_OK);
    assert_int_equal(n, 4);
    assert_memory_equal(buf, "late", 4);
  }
  assert_int_equal(tlsw_read(p.cli, buf, sizeof buf, &n), TLSW_CLOSED);
  assert_int_equal(tlsw_read(p.cli, buf, sizeof buf, &n), TLSW_CLOSED);
  /* The server, closed both ways, reads CLOSED too. */
  assert_int_equal(tlsw_read(p.srv, buf, sizeof buf, &n), TLSW_CLOSED);
  assert_int_equal(tlsw_shutdown(p.cli), TLSW_OK);
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

static void half_close_tls13(void **state) {
  (void)state;
  half_close(TLSW_VERSION_TLS1_3);
}

static void half_close_tls12(void **state) {
  (void)state;
  half_close(TLSW_VERSION_TLS1_2);
}

/* Closed before the handshake: nothing to read, and the message says so. */
static void closed_unopened(void **state) {
  (void)state;
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  (void)tlsw_shutdown(p.cli);
  char buf[8];
  size_t n;
  assert_int_equal(tlsw_read(p.cli, buf, sizeof buf, &n), TLSW_ERR_SHUT);
  assert_non_null(strstr(tlsw_session_message(p.cli), "before its handshake"));
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

/* A handshake under way has no connection to close politely: shutdown
 * is TLSW_ERR_STATE with a message that says to free the session, sends
 * nothing, and is not sticky (the handshake can still complete). Both
 * sides, both versions. */
static void shutdown_mid_handshake(tlsw_tls_version v) {
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  set_version(c, v);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  /* The client sent its hello and waits for the server's. */
  assert_int_equal(tlsw_handshake(p.cli), TLSW_WANT_READ);
  size_t sent = tlsw_membuf_used(p.c2s);
  assert_true(sent > 0);
  assert_int_equal(tlsw_shutdown(p.cli), TLSW_ERR_STATE);
  assert_non_null(strstr(tlsw_session_message(p.cli), "free the session"));
  assert_int_equal(tlsw_membuf_used(p.c2s), sent);
  assert_int_equal(tlsw_session_status(p.cli), TLSW_OK);
  /* The server answered the hello: its handshake is under way too. */
  assert_int_equal(tlsw_handshake(p.srv), TLSW_WANT_READ);
  size_t answered = tlsw_membuf_used(p.s2c);
  assert_int_equal(tlsw_shutdown(p.srv), TLSW_ERR_STATE);
  assert_int_equal(tlsw_membuf_used(p.s2c), answered);
  /* Neither refusal changed anything: the handshake completes, and then
   * shutdown closes politely. */
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  assert_int_equal(tlsw_shutdown(p.cli), TLSW_OK);
  char buf[8];
  size_t n;
  int st;
  do {
    st = tlsw_read(p.srv, buf, sizeof buf, &n);
  } while (st == TLSW_OK);
  assert_int_equal(st, TLSW_CLOSED);
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

static void shutdown_mid_handshake_tls13(void **state) {
  (void)state;
  shutdown_mid_handshake(TLSW_VERSION_TLS1_3);
}

static void shutdown_mid_handshake_tls12(void **state) {
  (void)state;
  shutdown_mid_handshake(TLSW_VERSION_TLS1_2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(half_close_tls13),
      cmocka_unit_test(half_close_tls12),
      cmocka_unit_test(closed_unopened),
      cmocka_unit_test(shutdown_mid_handshake_tls13),
      cmocka_unit_test(shutdown_mid_handshake_tls12),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
