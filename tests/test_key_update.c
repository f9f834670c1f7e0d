/* tlsw_session_key_update (core/session_io.c, backend/wolfssl/shutdown.c)
 * between two tlswrap sessions in memory: updates from either side, many
 * in a row, data both ways after each (a side that failed to follow would
 * fail with bad_record_mac), an update while the transport is full, and
 * the refusals (TLS 1.2, DTLS, before the handshake, after shutdown).
 * That a real KeyUpdate goes out is tests/test_interop.c
 * (server_sends_key_update: openssl s_client -msg logs it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ctxs.h"
#include "dtls_util.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"

typedef struct run {
  test_pair p;
  tlsw_ctx *c, *s;
} run;

static void open_run(run *r, tlsw_tls_version v, size_t cap) {
  r->c = client_ctx();
  r->s = server_ctx("ec");
  if (v != TLSW_VERSION_DEFAULT) set_version(r->c, v);
  assert_int_equal(pair_init(&r->p, cap, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&r->p, r->c, r->s, "localhost"), TLSW_OK);
  assert_int_equal(pair_handshake(&r->p, NULL, NULL), TLSW_OK);
}

static void close_run(run *r) {
  pair_free(&r->p);
  tlsw_ctx_free(r->c);
  tlsw_ctx_free(r->s);
}

/* msg from one session to the other, read whole (the reader also takes
 * any KeyUpdate in front of it, and answers it). */
static void pass(tlsw_session *from, tlsw_session *to, const char *msg) {
  size_t n = 0, len = strlen(msg);
  assert_int_equal(tlsw_write(from, msg, len, &n), TLSW_OK);
  assert_int_equal(n, len);
  char buf[64];
  size_t got = 0;
  for (int i = 0; i < 10 && got < len; i++) {
    size_t k = 0;
    int st = tlsw_read(to, buf + got, sizeof buf - got, &k);
    if (st == TLSW_WANT_READ) continue;
    assert_int_equal(st, TLSW_OK);
    got += k;
  }
  assert_int_equal(got, len);
  assert_memory_equal(buf, msg, len);
}

static void both_sides_many_times(void **state) {
  (void)state;
  run r;
  open_run(&r, TLSW_VERSION_DEFAULT, 32768);
  for (int i = 0; i < 20; i++) {
    tlsw_session *a = i % 2 ? r.p.srv : r.p.cli;
    tlsw_session *b = i % 2 ? r.p.cli : r.p.srv;
    assert_int_equal(tlsw_session_key_update(a), TLSW_OK);
    pass(a, b, "after our update");
    /* b answered the request with its own KeyUpdate: a takes it here. */
    pass(b, a, "after theirs");
  }
  close_run(&r);
}

static void transport_full(void **state) {
  (void)state;
  run r;
  /* Fill the client's way to the server until a write blocks. */
  open_run(&r, TLSW_VERSION_DEFAULT, 65536);
  char fill[60000];
  memset(fill, 'x', sizeof fill);
  size_t n = 0;
  int st = TLSW_OK;
  while (st == TLSW_OK) st = tlsw_write(r.p.cli, fill, sizeof fill, &n);
  assert_int_equal(st, TLSW_WANT_WRITE);
  /* Earlier output waits: no KeyUpdate is made yet. */
  assert_int_equal(tlsw_session_key_update(r.p.cli), TLSW_WANT_WRITE);
  /* Drain the server; then the client's update goes. */
  char sink[16384];
  for (int i = 0; i < 100; i++) {
    size_t k;
    if (tlsw_read(r.p.srv, sink, sizeof sink, &k) != TLSW_OK) break;
  }
  st = tlsw_write(r.p.cli, fill, sizeof fill, &n); /* finish the blocked one */
  assert_true(st == TLSW_OK || st == TLSW_WANT_WRITE);
  for (int i = 0; i < 100 && st == TLSW_WANT_WRITE; i++) {
    size_t k;
    while (tlsw_read(r.p.srv, sink, sizeof sink, &k) == TLSW_OK) {
    }
    st = tlsw_write(r.p.cli, fill, sizeof fill, &n);
  }
  assert_int_equal(st, TLSW_OK);
  for (;;) {
    size_t k;
    if (tlsw_read(r.p.srv, sink, sizeof sink, &k) != TLSW_OK) break;
  }
  assert_int_equal(tlsw_session_key_update(r.p.cli), TLSW_OK);
  pass(r.p.cli, r.p.srv, "fresh keys");
  pass(r.p.srv, r.p.cli, "fresh keys back");
  close_run(&r);
}

static void refused(void **state) {
  (void)state;
  assert_int_equal(tlsw_session_key_update(NULL), TLSW_ERR_ARG);
  run r;
  open_run(&r, TLSW_VERSION_TLS1_2, 32768);
  assert_int_equal(tlsw_session_key_update(r.p.cli), TLSW_ERR_UNSUPPORTED);
  assert_non_null(strstr(tlsw_session_message(r.p.cli), "TLS 1.3 only"));
  pass(r.p.cli, r.p.srv, "still fine"); /* not sticky */
  close_run(&r);

  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  test_pair p;
  assert_int_equal(pair_init(&p, 32768, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  assert_int_equal(tlsw_session_key_update(p.cli), TLSW_ERR_STATE);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  assert_int_equal(tlsw_shutdown(p.cli), TLSW_OK);
  assert_int_equal(tlsw_session_key_update(p.cli), TLSW_ERR_SHUT);
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);

  dt_env e;
  dt_init(&e);
  assert_int_equal(dt_run(&e), TLSW_OK);
  assert_int_equal(tlsw_session_key_update(e.cli), TLSW_ERR_UNSUPPORTED);
  assert_non_null(strstr(tlsw_session_message(e.cli), "DTLS"));
  dt_free(&e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(both_sides_many_times),
      cmocka_unit_test(transport_full),
      cmocka_unit_test(refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
