/* One fatal alert, then silence (RFC 8446 6, RFC 5246 7.2.2): a session
 * that fails sends at most one alert record and nothing after it, whatever
 * the application calls next.
 *
 * Each case drives a real failure in memory (a corrupted record after the
 * handshake, a corrupted Finished during it), then reads everything the
 * failing side put on the wire and splits it into records. Measured before
 * the fix on the source build (5.7.2): TLS 1.2 with ChaCha20-Poly1305 sent
 * bad_record_mac twice (its AEAD check sends one, ProcessReply another
 * under WOLFSSL_EXTRA_ALERTS); tlsfuzzer saw a second alert in 50 of its
 * 52 cases against tlsw-server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ctxs.h"
#include "pair.h"

static uint8_t wire[1 << 16];

/* How many TLS records b holds (they must be whole); b keeps them. */
static size_t count_records(tlsw_membuf *b, unsigned *last_type) {
  size_t len = 0, n = 0;
  while (tlsw_membuf_read(b, wire + len, sizeof wire - len, &n) == TLSW_OK &&
         n > 0) {
    len += n;
  }
  size_t at = 0, records = 0;
  while (at < len) {
    assert_true(len - at >= 5);
    size_t rlen = ((size_t)wire[at + 3] << 8) | wire[at + 4];
    assert_true(at + 5 + rlen <= len);
    if (last_type) *last_type = wire[at];
    at += 5 + rlen;
    records++;
  }
  size_t w = 0;
  if (len > 0) assert_int_equal(tlsw_membuf_write(b, wire, len, &w), TLSW_OK);
  assert_int_equal(w, len);
  return records;
}

/* Flip a byte in the middle of the last record queued in b. */
static void corrupt_last_record(tlsw_membuf *b) {
  size_t len = 0, n = 0;
  while (tlsw_membuf_read(b, wire + len, sizeof wire - len, &n) == TLSW_OK &&
         n > 0) {
    len += n;
  }
  size_t at = 0, last = 0;
  while (at + 5 <= len) {
    last = at;
    at += 5 + (((size_t)wire[at + 3] << 8) | wire[at + 4]);
  }
  assert_int_equal(at, len);
  size_t rlen = len - last - 5;
  assert_true(rlen > 16);
  wire[last + 5 + rlen / 2] ^= 0x40;
  size_t w = 0;
  assert_int_equal(tlsw_membuf_write(b, wire, len, &w), TLSW_OK);
  assert_int_equal(w, len);
}

/* After a failure: every later call fails the same way and sends nothing;
 * freeing sends nothing either (no close_notify after a fatal alert). */
static void silent_after(test_pair *p, tlsw_session *s, tlsw_membuf *out,
                         int status) {
  uint8_t buf[64];
  size_t n = 0;
  assert_int_equal(tlsw_read(s, buf, sizeof buf, &n), status);
  assert_int_equal(tlsw_write(s, "x", 1, &n), status);
  (void)tlsw_shutdown(s);
  assert_int_equal(tlsw_membuf_used(out), 0);
  if (s == p->cli) {
    tlsw_session_free(p->cli);
    p->cli = NULL;
  } else {
    tlsw_session_free(p->srv);
    p->srv = NULL;
  }
  assert_int_equal(tlsw_membuf_used(out), 0);
}

static void setup(test_pair *p, tlsw_ctx **cc, tlsw_ctx **sc,
                  tlsw_tls_version v, const char *suite) {
  *cc = client_ctx();
  *sc = server_ctx("ec");
  set_version(*cc, v);
  set_version(*sc, v);
  if (suite != NULL) {
    assert_int_equal(tlsw_ctx_set_ciphers(*cc, &suite, 1), TLSW_OK);
  }
  assert_int_equal(pair_init(p, 1 << 16, 0), TLSW_OK);
  assert_int_equal(pair_wrap(p, *cc, *sc, "localhost"), TLSW_OK);
}

static void teardown(test_pair *p, tlsw_ctx *cc, tlsw_ctx *sc) {
  pair_free(p);
  tlsw_ctx_free(cc);
  tlsw_ctx_free(sc);
}

/* The server reads a record whose AEAD tag fails. */
static void bad_record(tlsw_tls_version v, const char *suite) {
  test_pair p;
  tlsw_ctx *cc, *sc;
  setup(&p, &cc, &sc, v, suite);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  size_t n = 0;
  /* Whatever the handshake left (TLS 1.3 tickets) is read first. */
  uint8_t buf[64];
  assert_int_equal(tlsw_read(p.cli, buf, sizeof buf, &n), TLSW_WANT_READ);
  assert_int_equal(tlsw_membuf_used(p.s2c), 0);
  assert_int_equal(tlsw_write(p.cli, "hello, corrupted", 16, &n), TLSW_OK);
  corrupt_last_record(p.c2s);
  assert_int_equal(tlsw_read(p.srv, buf, sizeof buf, &n), TLSW_ERR_BAD_RECORD);
  unsigned type = 0;
  size_t records = count_records(p.s2c, &type);
  print_message("%s %s: %zu record(s) after a bad record\n",
                v == TLSW_VERSION_TLS1_3 ? "TLS 1.3" : "TLS 1.2",
                suite ? suite : "default", records);
  assert_int_equal(records, 1);
  assert_int_equal(type, v == TLSW_VERSION_TLS1_3 ? 23u : 21u);
  /* And the client reads it as the alert it is. */
  int st;
  do {
    st = tlsw_read(p.cli, buf, sizeof buf, &n);
  } while (st == TLSW_OK);
  assert_int_equal(st, TLSW_ERR_ALERT);
  assert_non_null(strstr(tlsw_session_message(p.cli), "bad_record_mac"));
  silent_after(&p, p.srv, p.s2c, TLSW_ERR_BAD_RECORD);
  teardown(&p, cc, sc);
}

static void bad_record_tls13(void **state) {
  (void)state;
  bad_record(TLSW_VERSION_TLS1_3, NULL);
}

static void bad_record_tls12_gcm(void **state) {
  (void)state;
  bad_record(TLSW_VERSION_TLS1_2, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
}

static void bad_record_tls12_chacha(void **state) {
  (void)state;
  bad_record(TLSW_VERSION_TLS1_2,
             "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
}

/* The server's handshake reads a client flight whose last record (the
 * encrypted Finished) was corrupted. */
static void bad_finished(tlsw_tls_version v, const char *suite) {
  test_pair p;
  tlsw_ctx *cc, *sc;
  setup(&p, &cc, &sc, v, suite);
  /* ClientHello; the server's flight; the client's flight, which ends
   * with its Finished (TLS 1.3: the client is done; TLS 1.2: it waits for
   * the server's). */
  int cs = tlsw_handshake(p.cli);
  assert_int_equal(cs, TLSW_WANT_READ);
  int ss = tlsw_handshake(p.srv);
  assert_int_equal(ss, TLSW_WANT_READ);
  cs = tlsw_handshake(p.cli);
  assert_int_equal(cs, v == TLSW_VERSION_TLS1_3 ? TLSW_OK : TLSW_WANT_READ);
  assert_int_equal(tlsw_membuf_used(p.s2c), 0);
  assert_true(tlsw_membuf_used(p.c2s) > 0);
  corrupt_last_record(p.c2s);
  ss = tlsw_handshake(p.srv);
  assert_true(ss != TLSW_OK && ss != TLSW_WANT_READ && ss != TLSW_WANT_WRITE);
  unsigned type = 0;
  size_t records = count_records(p.s2c, &type);
  print_message("%s %s: %zu record(s) after a bad Finished (%s)\n",
                v == TLSW_VERSION_TLS1_3 ? "TLS 1.3" : "TLS 1.2",
                suite ? suite : "default", records, tlsw_status_name(ss));
  assert_int_equal(records, 1);
  /* The client reads it as an alert. */
  int st = tlsw_handshake(p.cli);
  if (v == TLSW_VERSION_TLS1_3) {
    uint8_t buf[64];
    size_t n = 0;
    st = tlsw_read(p.cli, buf, sizeof buf, &n);
  }
  assert_int_equal(st, TLSW_ERR_ALERT);
  silent_after(&p, p.srv, p.s2c, ss);
  teardown(&p, cc, sc);
}

static void bad_finished_tls13(void **state) {
  (void)state;
  bad_finished(TLSW_VERSION_TLS1_3, NULL);
}

static void bad_finished_tls12_chacha(void **state) {
  (void)state;
  bad_finished(TLSW_VERSION_TLS1_2,
               "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
}

static void bad_finished_tls12_gcm(void **state) {
  (void)state;
  bad_finished(TLSW_VERSION_TLS1_2, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bad_record_tls13),
      cmocka_unit_test(bad_record_tls12_gcm),
      cmocka_unit_test(bad_record_tls12_chacha),
      cmocka_unit_test(bad_finished_tls13),
      cmocka_unit_test(bad_finished_tls12_gcm),
      cmocka_unit_test(bad_finished_tls12_chacha),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
