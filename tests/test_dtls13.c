/* DTLS 1.3 (RFC 9147) in memory, tlswrap against itself (no Debian peer
 * speaks DTLS 1.3): the stateless HelloRetryRequest cookie bound to
 * client_id, its secret rotation, handshake, data both ways and close, and
 * each end meeting a DTLS 1.2-only peer. Skipped without
 * TLSW_FEATURE_DTLS13 (Debian's 5.5.4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "dtls_util.h"
#include "pair.h"

#define V13 TLSW_VERSION_TLS1_3
#define V12 TLSW_VERSION_DEFAULT

static int no_dtls13(void **state) {
  (void)state;
  if (tlsw_backend_features() & TLSW_FEATURE_DTLS13) return 0;
  printf("# no TLSW_FEATURE_DTLS13 in this build: DTLS 1.3 tests skipped\n");
  return 0;
}

#define NEEDS_DTLS13() \
  if (!(tlsw_backend_features() & TLSW_FEATURE_DTLS13)) skip()

/* RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest. */
static const uint8_t hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
    0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
    0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

/* The client's first hello reaches a fresh server wrap: the stateless
 * answer is one HelloRetryRequest, and no server session is kept. */
static void first_hello_hrr(dt_env *e) {
  assert_int_equal(dt_client_step(e), TLSW_WANT_READ);
  assert_int_equal(dt_count(e->c2s), 1);
  assert_int_equal(dt_server_step(e), TLSW_WANT_READ);
  assert_int_equal(e->hello_verify, 1);
  assert_int_equal(e->last_srv_status, TLSW_HELLO_VERIFY);
  assert_null(e->srv);
  uint8_t d[2048];
  size_t n;
  assert_int_equal(tlsw_membuf_read(e->s2c, d, sizeof d, &n), TLSW_OK);
  assert_int_equal(dt_count(e->s2c), 0); /* one datagram */
  /* Plaintext record, handshake type server_hello, the HRR random after
   * the 13-byte record header, 12-byte handshake header, 2-byte version. */
  assert_true(n > 13 + 12 + 2 + 32);
  assert_int_equal(d[0], 22);
  assert_int_equal(d[13], 2);
  assert_memory_equal(d + 13 + 12 + 2, hrr_random, 32);
  dt_put(e->s2c, d, n);
}

/* One record, past what carries none for the application (a DTLS 1.3
 * ACK, a stale handshake datagram). */
static int read_one(tlsw_session *s, char *buf, size_t cap, size_t *n) {
  int st;
  int tries = 0;
  do { /* one datagram a call: a few at most are queued */
    st = tlsw_read(s, buf, cap, n);
  } while ((st == TLSW_ERR_DATAGRAM_DROPPED || st == TLSW_WANT_READ) &&
           ++tries < 8);
  return st;
}

static void echo(tlsw_session *from, tlsw_session *to, const char *msg) {
  size_t n = 0;
  assert_int_equal(tlsw_write(from, msg, strlen(msg), &n), TLSW_OK);
  char buf[2048];
  assert_int_equal(read_one(to, buf, sizeof buf, &n), TLSW_OK);
  assert_int_equal(n, strlen(msg));
  assert_memory_equal(buf, msg, n);
}

static void handshake_data_close(void **state) {
  (void)state;
  NEEDS_DTLS13();
  dt_env e;
  dt_init_v(&e, V13, V13);
  first_hello_hrr(&e);
  assert_int_equal(dt_run(&e), TLSW_OK);
  assert_int_equal(e.hello_verify, 1); /* exactly one cookie round trip */
  assert_string_equal(tlsw_session_version(e.cli), "DTLSv1.3");
  assert_string_equal(tlsw_session_version(e.srv), "DTLSv1.3");
  assert_non_null(strstr(tlsw_session_cipher(e.cli), "TLS_"));
  assert_null(strstr(tlsw_session_cipher(e.cli), "_WITH_")); /* a 1.3 suite */
  echo(e.cli, e.srv, "hello server");
  echo(e.srv, e.cli, "hello client");
  size_t max = tlsw_dtls_max_payload(e.cli);
  printf("# DTLS 1.3 max payload %zu B\n", max);
  assert_true(max > 1000 && max <= 1400);
  static uint8_t big[2048];
  memset(big, 'x', sizeof big);
  size_t n;
  assert_int_equal(tlsw_write(e.cli, big, max, &n), TLSW_OK);
  char buf[2048];
  assert_int_equal(read_one(e.srv, buf, sizeof buf, &n), TLSW_OK);
  assert_int_equal(n, max);
  assert_int_equal(tlsw_write(e.cli, big, max + 1, &n), TLSW_ERR_TOO_BIG);
  /* close_notify ends the peer's reads. */
  assert_int_equal(tlsw_shutdown(e.cli), TLSW_OK);
  assert_int_equal(read_one(e.srv, buf, sizeof buf, &n), TLSW_CLOSED);
  dt_free(&e);
}

/* A cookie is bound to the client_id it was issued for: the second hello
 * "from another address" is dropped (wolfSSL refuses a bad DTLS 1.3
 * cookie rather than sending another HelloRetryRequest), nothing is kept,
 * and the right address still gets in with the same hello. */
static void cookie_bound_to_client_id(void **state) {
  (void)state;
  NEEDS_DTLS13();
  dt_env e;
  dt_init_v(&e, V13, V13);
  first_hello_hrr(&e);
  assert_int_equal(dt_client_step(&e), TLSW_WANT_READ); /* CH2 */
  uint8_t ch2[2048];
  size_t n;
  assert_int_equal(tlsw_membuf_read(e.c2s, ch2, sizeof ch2, &n), TLSW_OK);
  dt_put(e.c2s, ch2, n);
  e.cid = "peer-B";
  assert_int_equal(dt_server_step(&e), TLSW_WANT_READ);
  assert_int_equal(e.last_srv_status, TLSW_ERR_DATAGRAM_DROPPED);
  assert_int_equal(e.dropped, 1);
  assert_null(e.srv);
  e.cid = "peer-A";
  dt_put(e.c2s, ch2, n);
  assert_int_equal(dt_run(&e), TLSW_OK);
  assert_string_equal(tlsw_session_version(e.srv), "DTLSv1.3");
  dt_free(&e);
}

/* The message of a refused cookie says what happened. */
static void cookie_refused_message(void **state) {
  (void)state;
  NEEDS_DTLS13();
  dt_env e;
  dt_init_v(&e, V13, V13);
  first_hello_hrr(&e);
  assert_int_equal(dt_client_step(&e), TLSW_WANT_READ);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.client_id = (const uint8_t *)"peer-C";
  o.client_id_len = 6;
  tlsw_session *s;
  assert_int_equal(tlsw_wrap(e.sctx, &e.srv_io, &o, &s),
                   TLSW_ERR_DATAGRAM_DROPPED);
  assert_non_null(strstr(tlsw_session_message(s), "cookie"));
  assert_int_equal(dt_count(e.s2c), 0); /* nothing sent to peer-C */
  tlsw_session_free(s);
  dt_free(&e);
}

/* The secret rotates between the two hellos: the previous one still
 * counts (tlswrap recomputes the HRR cookie's MAC with it); after two
 * rotations it is gone and the hello is dropped. */
static void rotation_between_hellos(void **state) {
  (void)state;
  NEEDS_DTLS13();
  for (int rotations = 1; rotations <= 2; rotations++) {
    dt_env e;
    dt_init_v(&e, V13, V13);
    first_hello_hrr(&e);
    for (int i = 0; i < rotations; i++) {
      assert_int_equal(tlsw_ctx_rotate_dtls_cookie_secret(e.sctx), TLSW_OK);
    }
    assert_int_equal(dt_client_step(&e), TLSW_WANT_READ);
    assert_int_equal(dt_server_step(&e), TLSW_WANT_READ);
    if (rotations == 1) {
      assert_non_null(e.srv);
      assert_int_equal(dt_run(&e), TLSW_OK);
      echo(e.cli, e.srv, "rotated");
    } else {
      assert_null(e.srv);
      assert_int_equal(e.dropped, 1);
    }
    dt_free(&e);
  }
}

/* A DTLS 1.2-only client and a 1.3-capable server (and the other way
 * round) agree on DTLS 1.2, through the HelloVerifyRequest cookie. */
static void mixed_versions(void **state) {
  (void)state;
  NEEDS_DTLS13();
  for (int side = 0; side < 2; side++) {
    dt_env e;
    dt_init_v(&e, side ? V13 : V12, side ? V12 : V13);
    assert_int_equal(dt_run(&e), TLSW_OK);
    assert_int_equal(e.hello_verify, 1);
    assert_string_equal(tlsw_session_version(e.cli), "DTLSv1.2");
    assert_string_equal(tlsw_session_version(e.srv), "DTLSv1.2");
    echo(e.cli, e.srv, "one two");
    echo(e.srv, e.cli, "three");
    dt_free(&e);
  }
}

/* A DTLS 1.3 minimum refuses a 1.2-only peer. */
static void minimum_13(void **state) {
  (void)state;
  NEEDS_DTLS13();
  dt_env e;
  dt_init_v(&e, V12, V13);
  assert_int_equal(tlsw_ctx_set_version_range(e.sctx, V13, V13), TLSW_OK);
  int st = dt_run(&e);
  printf("# DTLS 1.3-only server, 1.2-only client: %s (%s)\n",
         tlsw_status_name(st),
         e.srv != NULL ? tlsw_session_message(e.srv) : "-");
  assert_true(st != TLSW_OK);
  /* The server says why, and where the range came from. */
  assert_int_equal(st, TLSW_ERR_VERSION);
  assert_non_null(e.srv);
  assert_non_null(strstr(tlsw_session_message(e.srv), "version_range"));
  dt_free(&e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(handshake_data_close),
      cmocka_unit_test(cookie_bound_to_client_id),
      cmocka_unit_test(cookie_refused_message),
      cmocka_unit_test(rotation_between_hellos),
      cmocka_unit_test(mixed_versions),
      cmocka_unit_test(minimum_13),
  };
  return cmocka_run_group_tests(tests, no_dtls13, NULL);
}
