/* Regression tests for wolfSSL defects reachable through the public API,
 * each with the exact input that showed it (see the comment of each test).
 *
 * 1. An alert built while a write is half sent: wolfSSL 5.5.4 builds it at
 *    the wrong offset of its output buffer and sends 24 bytes of stale heap
 *    memory instead (the pending record is overwritten too). The peer must
 *    only ever receive the rest of the pending record and then a well-formed
 *    alert, on every build.
 * 2. A malformed EC private key that crashed wolfSSL's key check (5.5.4
 *    and 5.7.2) is refused with TLSW_ERR_KEY_INVALID, and so are its
 *    relatives (ec_key_crash and the tests after it).
 * 3. A session called from inside its own transport callback (issue #13:
 *    tlsw_write from the send callback was a heap use-after-free inside
 *    wolfSSL, tlsw_read from the recv callback silently took the data) is
 *    refused with TLSW_ERR_STATE and a message; the outer call goes on. */
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

/* ------------------------------------------------------------------------ */
/* A transport that takes `budget` bytes, then would block until the test
 * raises the budget, and records everything it passes on. */

typedef struct gate_io {
  tlsw_io inner;
  size_t budget; /* bytes it still takes; SIZE_MAX: unlimited */
  uint8_t cap[1 << 16];
  size_t cap_len;
} gate_io;

static int gate_send(void *io, const uint8_t *buf, size_t len, size_t *n) {
  gate_io *g = io;
  *n = 0;
  if (g->budget == 0) return TLSW_WANT_WRITE;
  size_t take = len < g->budget ? len : g->budget;
  int st = g->inner.send(g->inner.io, buf, take, n);
  if (st != TLSW_OK) return st;
  assert_true(g->cap_len + *n <= sizeof g->cap);
  memcpy(g->cap + g->cap_len, buf, *n);
  g->cap_len += *n;
  if (g->budget != SIZE_MAX) g->budget -= *n;
  return TLSW_OK;
}

static int gate_recv(void *io, uint8_t *buf, size_t len, size_t *n) {
  gate_io *g = io;
  return g->inner.recv(g->inner.io, buf, len, n);
}

static void gate_init(gate_io *g, const tlsw_io *inner, tlsw_io *out) {
  memset(g, 0, sizeof *g);
  g->inner = *inner;
  g->budget = SIZE_MAX;
  out->send = gate_send;
  out->recv = gate_recv;
  out->io = g;
}

/* Flip one byte in the middle of what b holds (the body of the record the
 * peer just wrote, so its AEAD tag no longer matches). */
static void corrupt_queued(tlsw_membuf *b) {
  uint8_t tmp[4096];
  size_t n = 0;
  assert_int_equal(tlsw_membuf_read(b, tmp, sizeof tmp, &n), TLSW_OK);
  assert_true(n > 5 + 16 && n < sizeof tmp);
  tmp[5 + (n - 5) / 2] ^= 0x01;
  size_t w = 0;
  assert_int_equal(tlsw_membuf_write(b, tmp, n, &w), TLSW_OK);
  assert_int_equal(w, n);
}

/* What followed the pending record, for the log of a failing run. */
static void print_hex(const char *what, const uint8_t *b, size_t n) {
  char hex[2 * 96 + 1];
  size_t k = n < 96 ? n : 96;
  for (size_t i = 0; i < k; i++) snprintf(hex + 2 * i, 3, "%02x", b[i]);
  hex[2 * k] = '\0';
  print_message("%s: %zu bytes: %s%s\n", what, n, hex, n > k ? "..." : "");
}

static size_t rec_len(const uint8_t *h) {
  return ((size_t)h[3] << 8) | h[4];
}

/* Read from s until it fails; the plaintext must be exactly want. Returns
 * the failing status. */
static int read_until_failure(tlsw_session *s, const uint8_t *want,
                              size_t want_len) {
  static uint8_t got[1 << 16];
  size_t got_len = 0;
  int st = TLSW_OK;
  for (int i = 0; i < 64 && st == TLSW_OK; i++) {
    size_t n = 0;
    st = tlsw_read(s, got + got_len, sizeof got - got_len, &n);
    got_len += n;
  }
  assert_int_equal(got_len, want_len);
  assert_memory_equal(got, want, want_len);
  return st;
}

/*
 * The client's write is cut after 1000 bytes of a ~4 KB record (the
 * transport would block); the server's next record reaches the client with
 * one byte flipped; the transport is then writable again and the client
 * reads. Measured on 5.5.4 before the fix (TLS 1.3): the server received
 * the record with its tail overwritten by the alert and then 24 bytes of
 * stale buffer memory, so it failed with a bad record of its own instead of
 * seeing our alert. What the server must receive: the rest of the record
 * (it decrypts to what the client wrote) and one alert record, nothing
 * else, and the server reads that alert as bad_record_mac.
 */
static void alert_after_partial_write(tlsw_tls_version v) {
  tlsw_ctx *cc = client_ctx(), *sc = server_ctx("ec");
  set_version(cc, v);
  set_version(sc, v);
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  static gate_io g;
  gate_init(&g, &p.cli_io, &p.cli_io);
  assert_int_equal(pair_wrap(&p, cc, sc, "localhost"), TLSW_OK);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  g.cap_len = 0;

  static uint8_t data[4000];
  for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)(i * 7 + 1);
  g.budget = 1000;
  size_t n = 0;
  assert_int_equal(tlsw_write(p.cli, data, sizeof data, &n), TLSW_WANT_WRITE);
  assert_int_equal(tlsw_want(p.cli), TLSW_WANT_WR);
  assert_int_equal(g.cap_len, 1000);
  size_t record = 5 + rec_len(g.cap);
  assert_true(record > 1000);

  static const uint8_t hello[] = "a record that will arrive corrupted";
  assert_int_equal(tlsw_write(p.srv, hello, sizeof hello, &n), TLSW_OK);
  corrupt_queued(p.s2c);
  g.budget = SIZE_MAX;
  uint8_t buf[256];
  int st = tlsw_read(p.cli, buf, sizeof buf, &n);
  assert_int_equal(st, TLSW_ERR_BAD_RECORD);
  assert_int_equal(tlsw_session_status(p.cli), TLSW_ERR_BAD_RECORD);
  const char *msg = tlsw_session_message(p.cli);
  assert_non_null(strstr(msg, "unauthentic record"));

  /* Byte level: the record, then alert records and nothing else. TLS 1.3
   * hides an alert as application data: 2 bytes + 1 type byte + 16-byte
   * tag. TLS 1.2 AEAD: type 21, 2 bytes + 16-byte tag (+ 8-byte explicit
   * nonce for AES-GCM). Exactly one: wolfSSL would send TLS 1.2's twice
   * (its ChaCha20-Poly1305 check sends one, and ProcessReply another under
   * WOLFSSL_EXTRA_ALERTS), and tlswrap drops the second (test_alerts.c). */
  print_hex("after the record", g.cap + record, g.cap_len - record);
  size_t at = record, alerts = 0;
  while (at < g.cap_len) {
    assert_true(g.cap_len - at >= 5);
    const uint8_t *a = g.cap + at;
    size_t alen = rec_len(a);
    if (v == TLSW_VERSION_TLS1_3) {
      assert_int_equal(a[0], 23);
      assert_int_equal(alen, 2 + 1 + 16);
    } else {
      assert_int_equal(a[0], 21);
      assert_true(alen == 2 + 16 || alen == 2 + 16 + 8);
    }
    assert_int_equal(a[1], 3);
    assert_int_equal(a[2], 3);
    at += 5 + alen;
    alerts++;
  }
  assert_int_equal(at, g.cap_len);
  assert_int_equal(alerts, 1);

  /* And the server agrees: the data, then our alert. */
  st = read_until_failure(p.srv, data, sizeof data);
  assert_int_equal(st, TLSW_ERR_ALERT);
  assert_non_null(strstr(tlsw_session_message(p.srv), "bad_record_mac"));
  pair_free(&p);
  tlsw_ctx_free(cc);
  tlsw_ctx_free(sc);
}

static void alert_after_partial_write_tls13(void **state) {
  (void)state;
  alert_after_partial_write(TLSW_VERSION_TLS1_3);
}

static void alert_after_partial_write_tls12(void **state) {
  (void)state;
  alert_after_partial_write(TLSW_VERSION_TLS1_2);
}

/*
 * The rules of session.h that keep defect 1 away, on every build: after a
 * write blocked half-way, a read with nothing to return reports WANT_WRITE
 * (our output may be what the peer waits for), data that has arrived is
 * still read, a read finishes sending the record once the transport can
 * take it, and the blocked write's retry then returns what it took.
 */
static void read_while_write_blocked(void **state) {
  (void)state;
  tlsw_ctx *cc = client_ctx(), *sc = server_ctx("ec");
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  static gate_io g;
  gate_init(&g, &p.cli_io, &p.cli_io);
  assert_int_equal(pair_wrap(&p, cc, sc, "localhost"), TLSW_OK);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);

  static uint8_t data[3000];
  memset(data, 'd', sizeof data);
  g.budget = 100;
  size_t n = 0;
  uint8_t buf[64];
  assert_int_equal(tlsw_write(p.cli, data, sizeof data, &n), TLSW_WANT_WRITE);
  /* Nothing to read, our record waits: WANT_WRITE. */
  assert_int_equal(tlsw_read(p.cli, buf, sizeof buf, &n), TLSW_WANT_WRITE);
  assert_int_equal(tlsw_want(p.cli), TLSW_WANT_WR);
  /* The peer talks while our transport is still full: we read it. */
  assert_int_equal(tlsw_write(p.srv, "ping", 4, &n), TLSW_OK);
  assert_int_equal(tlsw_read(p.cli, buf, sizeof buf, &n), TLSW_OK);
  assert_int_equal(n, 4);
  assert_memory_equal(buf, "ping", 4);
  /* A retry that gives less than the write already took is refused, and
   * the session lives on. */
  assert_int_equal(tlsw_write(p.cli, data, 10, &n), TLSW_WANT_WRITE);
  g.budget = SIZE_MAX;
  assert_int_equal(tlsw_write(p.cli, data, 10, &n), TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_session_message(p.cli), "same buffer"));
  assert_int_equal(tlsw_session_status(p.cli), TLSW_OK);
  /* Writable again: a read sends the rest, then waits for the peer. */
  assert_int_equal(tlsw_read(p.cli, buf, sizeof buf, &n), TLSW_WANT_READ);
  assert_int_equal(tlsw_want(p.cli), TLSW_WANT_RD);
  size_t before = g.cap_len;
  assert_int_equal(tlsw_write(p.cli, data, sizeof data, &n), TLSW_OK);
  assert_int_equal(g.cap_len, before); /* nothing sent twice */
  size_t taken = n;
  assert_true(taken > 0 && taken <= sizeof data);
  static uint8_t got[sizeof data];
  size_t got_len = 0;
  while (got_len < taken &&
         tlsw_read(p.srv, got + got_len, sizeof got - got_len, &n) == TLSW_OK) {
    got_len += n;
  }
  assert_int_equal(got_len, taken);
  assert_memory_equal(got, data, taken);
  pair_free(&p);
  tlsw_ctx_free(cc);
  tlsw_ctx_free(sc);
}

/* ------------------------------------------------------------------------ */
/* 2. Malformed EC private keys                                              */

/*
 * SEC1 DER, P-256, whose private number is 33 bytes: 0x01 and then a valid
 * 32-byte scalar, so 2^256 or more, above the group order. Found by
 * mutating ec_key_p256 (a mutation fuzzer running the loader under ASan).
 * Measured before the fix: tlsw_ctx_load_cert_chain() with it and the test
 * PKI's EC certificate died with SIGSEGV, a wild write in
 * sp_to_unsigned_bin_len <- wc_ecc_export_ex <- wc_ecc_export_private_only
 * <- wc_CheckPrivateKey <- wolfSSL_CTX_check_private_key, on 5.5.4
 * (Debian's) and on 5.7.2 (the source build) alike.
 */
static const uint8_t ec_key_crash[122] = {
    0x30, 0x78, 0x02, 0x01, 0x01, 0x04, 0x21, 0x01, 0x37, 0x42, 0x6a, 0x29,
    0x2c, 0x55, 0xe8, 0x9d, 0x7f, 0x13, 0xe5, 0x9d, 0xed, 0xc4, 0xd1, 0xb1,
    0x8f, 0xd3, 0x97, 0x56, 0xa7, 0xa2, 0x0c, 0xd4, 0x72, 0x3c, 0x2a, 0xb2,
    0xa8, 0x72, 0x26, 0x57, 0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
    0x3d, 0x03, 0x01, 0x07, 0xa1, 0x44, 0x03, 0x42, 0x00, 0x04, 0x6d, 0x37,
    0x98, 0x64, 0xd0, 0x3d, 0x21, 0x0e, 0xd6, 0xab, 0x5f, 0xef, 0xb6, 0xde,
    0x66, 0x67, 0xa5, 0xea, 0x86, 0xeb, 0xf4, 0xca, 0x93, 0xf0, 0x2c, 0x49,
    0x0f, 0xd7, 0xf0, 0xea, 0xe2, 0x0b, 0x05, 0x43, 0x3e, 0x3a, 0x15, 0xaf,
    0xef, 0x20, 0xc6, 0xd3, 0x0e, 0x17, 0x7f, 0xdb, 0x6e, 0xae, 0xf6, 0x87,
    0xab, 0xf4, 0xa7, 0xfe, 0x41, 0x22, 0x2a, 0x5f, 0x5d, 0x6a, 0x4c, 0x6c,
    0x65, 0x5b,
};

/* The key it was made from: a valid P-256 key made for this test alone
 * (openssl ecparam -genkey), so it belongs to no certificate. */
static const uint8_t ec_key_p256[121] = {
    0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20, 0x37, 0x42, 0x6a, 0x29,
    0x2c, 0x55, 0xe8, 0x9d, 0x7f, 0x13, 0xe5, 0x9d, 0xed, 0xc4, 0xd1,
    0xb1, 0x8f, 0xd3, 0x97, 0x56, 0xa7, 0xa2, 0x0c, 0xd4, 0x72, 0x3c,
    0x2a, 0xb2, 0xa8, 0x72, 0x26, 0x57, 0xa0, 0x0a, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0xa1, 0x44, 0x03, 0x42,
    0x00, 0x04, 0x6d, 0x37, 0x98, 0x64, 0xd0, 0x3d, 0x21, 0x0e, 0xd6,
    0xab, 0x5f, 0xef, 0xb6, 0xde, 0x66, 0x67, 0xa5, 0xea, 0x86, 0xeb,
    0xf4, 0xca, 0x93, 0xf0, 0x2c, 0x49, 0x0f, 0xd7, 0xf0, 0xea, 0xe2,
    0x0b, 0x05, 0x43, 0x3e, 0x3a, 0x15, 0xaf, 0xef, 0x20, 0xc6, 0xd3,
    0x0e, 0x17, 0x7f, 0xdb, 0x6e, 0xae, 0xf6, 0x87, 0xab, 0xf4, 0xa7,
    0xfe, 0x41, 0x22, 0x2a, 0x5f, 0x5d, 0x6a, 0x4c, 0x6c, 0x65, 0x5b,
};

/* server-ec.pem, or server-rsa.pem, with key (DER) must fail with want. */
static void load_refused(const char *cert_name, const uint8_t *key,
                         size_t key_len, int want, const char *words) {
  tlsw_ctx *s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  static uint8_t cert[8192];
  FILE *f = fopen(fixture(cert_name), "rb");
  assert_non_null(f);
  size_t cl = fread(cert, 1, sizeof cert, f);
  fclose(f);
  assert_true(cl > 0 && cl < sizeof cert);
  int st = tlsw_ctx_load_cert_chain(s, cert, cl, key, key_len, NULL);
  if (st != want || strstr(tlsw_ctx_message(s), words) == NULL) {
    fail_msg("%s: %s: %s (wanted %s, \"%s\")", cert_name, tlsw_status_name(st),
             tlsw_ctx_message(s), tlsw_status_name(want), words);
  }
  /* The context is unharmed: the right pair still loads. */
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s, fixture("server-ec.pem"),
                                    fixture("server-ec.key"), NULL),
      TLSW_OK);
  tlsw_ctx_free(s);
}

static void ec_key_scalar_too_long(void **state) {
  (void)state;
  load_refused("server-ec.pem", ec_key_crash, sizeof ec_key_crash,
               TLSW_ERR_KEY_INVALID, "EC private key does not fit its curve");
  /* Whatever the certificate: the key is refused for what it is. */
  load_refused("server-rsa.pem", ec_key_crash, sizeof ec_key_crash,
               TLSW_ERR_KEY_INVALID, "EC private key does not fit its curve");
}

/* The same key in PEM ("EC PRIVATE KEY"): the check runs on what wolfSSL
 * decoded, whatever the input form. */
static void ec_key_scalar_too_long_pem(void **state) {
  (void)state;
  static const char b64[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char pem[512];
  size_t o =
      (size_t)snprintf(pem, sizeof pem, "-----BEGIN EC PRIVATE KEY-----\n");
  for (size_t i = 0; i < sizeof ec_key_crash; i += 3) {
    uint32_t v = (uint32_t)ec_key_crash[i] << 16;
    size_t left = sizeof ec_key_crash - i;
    if (left > 1) v |= (uint32_t)ec_key_crash[i + 1] << 8;
    if (left > 2) v |= ec_key_crash[i + 2];
    pem[o++] = b64[(v >> 18) & 63];
    pem[o++] = b64[(v >> 12) & 63];
    pem[o++] = left > 1 ? b64[(v >> 6) & 63] : '=';
    pem[o++] = left > 2 ? b64[v & 63] : '=';
    if ((i / 3 + 1) % 16 == 0) pem[o++] = '\n';
  }
  o += (size_t)snprintf(pem + o, sizeof pem - o,
                        "\n-----END EC PRIVATE KEY-----\n");
  load_refused("server-ec.pem", (const uint8_t *)pem, o, TLSW_ERR_KEY_INVALID,
               "EC private key does not fit its curve");
}

/* Its relatives, made from ec_key_p256: a private number of zero or of
 * the group order (wolfSSL took both and only the possession proof, on
 * 5.5.4, refused them, as a mismatch), and a public key inside the key
 * that is not on the curve (accepted before: the key itself was unused). */
static void ec_key_relatives(void **state) {
  (void)state;
  static const uint8_t order[32] = {
      0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
      0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
      0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
  uint8_t k[sizeof ec_key_p256];
  assert_int_equal(ec_key_p256[5], 0x04); /* the scalar's OCTET STRING */
  assert_int_equal(ec_key_p256[6], 32);
  memcpy(k, ec_key_p256, sizeof k);
  memset(k + 7, 0, 32);
  load_refused("server-ec.pem", k, sizeof k, TLSW_ERR_KEY_INVALID,
               "does not fit its curve");
  memcpy(k + 7, order, 32);
  load_refused("server-ec.pem", k, sizeof k, TLSW_ERR_KEY_INVALID,
               "does not fit its curve");
  memcpy(k, ec_key_p256, sizeof k);
  k[sizeof k - 1] ^= 0x01; /* the last byte of the point's y */
  load_refused("server-ec.pem", k, sizeof k, TLSW_ERR_KEY_INVALID,
               "public key inside the EC private key");
  /* And the valid key itself belongs to no certificate of the test PKI. */
  load_refused("server-ec.pem", ec_key_p256, sizeof ec_key_p256,
               TLSW_ERR_KEY_MISMATCH, "does not match");
}

/* ------------------------------------------------------------------------ */
/* Re-entry from a callback                                                  */

typedef struct reenter_io {
  tlsw_io inner;
  tlsw_session *target; /* the session whose callbacks these are */
  int do_write, do_read;
  int calls, status;
  char msg[256];
} reenter_io;

static void reenter(reenter_io *r) {
  if (r->target == NULL || r->calls > 0) return;
  r->calls++;
  size_t n = 99;
  uint8_t b[16];
  r->status = r->do_write ? tlsw_write(r->target, "x", 1, &n)
                          : tlsw_read(r->target, b, sizeof b, &n);
  assert_int_equal(n, 0);
  snprintf(r->msg, sizeof r->msg, "%s", tlsw_session_message(r->target));
}

static int reenter_send(void *io, const uint8_t *buf, size_t len, size_t *n) {
  reenter_io *r = io;
  if (r->do_write) reenter(r);
  return r->inner.send(r->inner.io, buf, len, n);
}

static int reenter_recv(void *io, uint8_t *buf, size_t len, size_t *n) {
  reenter_io *r = io;
  if (r->do_read) reenter(r);
  return r->inner.recv(r->inner.io, buf, len, n);
}

static void reentry(int from_send) {
  tlsw_ctx *cc = client_ctx(), *sc = server_ctx("ec");
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  static reenter_io r;
  memset(&r, 0, sizeof r);
  r.inner = p.cli_io;
  p.cli_io.send = reenter_send;
  p.cli_io.recv = reenter_recv;
  p.cli_io.io = &r;
  assert_int_equal(pair_wrap(&p, cc, sc, "localhost"), TLSW_OK);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  /* Armed now: the next callback of the client re-enters it. */
  r.target = p.cli;
  r.do_write = from_send;
  r.do_read = !from_send;
  size_t n = 0;
  if (from_send) {
    assert_int_equal(tlsw_write(p.cli, "hello", 5, &n), TLSW_OK);
    assert_int_equal(n, 5);
  } else {
    assert_int_equal(tlsw_write(p.srv, "hello", 5, &n), TLSW_OK);
    uint8_t b[16];
    assert_int_equal(tlsw_read(p.cli, b, sizeof b, &n), TLSW_OK);
    /* The data went to the outer read, none to the inner one. */
    assert_int_equal(n, 5);
    assert_memory_equal(b, "hello", 5);
  }
  assert_int_equal(r.calls, 1);
  assert_int_equal(r.status, TLSW_ERR_STATE);
  assert_non_null(strstr(r.msg, from_send ? "tlsw_write()" : "tlsw_read()"));
  assert_non_null(strstr(r.msg, "own callbacks"));
  /* Not sticky: the session still works both ways. */
  r.target = NULL;
  assert_int_equal(tlsw_session_status(p.cli), TLSW_OK);
  assert_int_equal(tlsw_write(p.cli, "again", 5, &n), TLSW_OK);
  /* The server gets exactly what the outer writes sent, in order: the
   * refused inner write added nothing. One record per read. */
  uint8_t b[16];
  size_t got = 0;
  const char *want = from_send ? "helloagain" : "again";
  while (got < strlen(want)) {
    assert_int_equal(tlsw_read(p.srv, b + got, sizeof b - got, &n), TLSW_OK);
    got += n;
  }
  assert_int_equal(got, strlen(want));
  assert_memory_equal(b, want, got);
  assert_int_equal(tlsw_read(p.srv, b, sizeof b, &n), TLSW_WANT_READ);
  pair_free(&p);
  tlsw_ctx_free(cc);
  tlsw_ctx_free(sc);
}

static void write_from_send_callback(void **state) {
  (void)state;
  reentry(1);
}

static void read_from_recv_callback(void **state) {
  (void)state;
  reentry(0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(alert_after_partial_write_tls13),
      cmocka_unit_test(alert_after_partial_write_tls12),
      cmocka_unit_test(read_while_write_blocked),
      cmocka_unit_test(ec_key_scalar_too_long),
      cmocka_unit_test(ec_key_scalar_too_long_pem),
      cmocka_unit_test(ec_key_relatives),
      cmocka_unit_test(write_from_send_callback),
      cmocka_unit_test(read_from_recv_callback),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
