/* What the MicroPython adapter relies on, tested without MicroPython (CI
 * cannot build it): the mbedTLS error and cipher-name tables of
 * src/adapters/micropython/tlsw_mp_map.c, and the core features added for
 * MicroPython compatibility (CN fallback, RSA floor, expired CAs load). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "pair.h"
#include "tlsw_mp_map.h"
#include "tlswrap/tlswrap.h"

static const char *matrix(const char *name) {
  static char buf[512];
  snprintf(buf, sizeof buf, "%s/%s", TLSW_TEST_MATRIX, name);
  return buf;
}

/* The codes MicroPython programs and .exp files compare. */
static void error_codes(void **state) {
  (void)state;
  static const struct {
    int status, code;
    const char *name;
  } rows[] = {
      {TLSW_HELLO_VERIFY, -27264, "MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED"},
      {TLSW_ERR_ALERT, -30592, "MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE"},
      {TLSW_ERR_EOF, -29312, "MBEDTLS_ERR_SSL_CONN_EOF"},
      {TLSW_ERR_CERT_MISSING, -29824, "MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE"},
      {TLSW_ERR_CIPHER, -24192, "MBEDTLS_ERR_SSL_BAD_CONFIG"},
      {TLSW_ERR_BAD_RECORD, -29184, "MBEDTLS_ERR_SSL_INVALID_RECORD"},
      {TLSW_ERR_ARG, -28928, "MBEDTLS_ERR_SSL_BAD_INPUT_DATA"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    int code = 0;
    const char *name = NULL;
    assert_int_equal(tlsw_mp_mbedtls_error(rows[i].status, &code, &name), 1);
    assert_int_equal(code, rows[i].code);
    assert_string_equal(name, rows[i].name);
  }
  /* Verification failures are ValueError texts, not codes; statuses with
   * no mbedTLS twin keep tlswrap's own code. */
  int code;
  const char *name;
  assert_int_equal(tlsw_mp_mbedtls_error(TLSW_ERR_CERT_EXPIRED, &code, &name),
                   0);
  assert_int_equal(tlsw_mp_mbedtls_error(TLSW_ERR_IO, &code, &name), 0);
  assert_int_equal(tlsw_mp_mbedtls_error(TLSW_OK, &code, &name), 0);
}

static void verify_texts(void **state) {
  (void)state;
  assert_string_equal(tlsw_mp_verify_text(TLSW_ERR_CERT_EXPIRED),
                      "The certificate validity has expired");
  assert_string_equal(tlsw_mp_verify_text(TLSW_ERR_CERT_HOSTNAME),
                      "The certificate Common Name (CN) does not match with "
                      "the expected CN");
  assert_non_null(tlsw_mp_verify_text(TLSW_ERR_CERT_UNTRUSTED));
  assert_non_null(tlsw_mp_verify_text(TLSW_ERR_CERT_NOT_YET_VALID));
  assert_null(tlsw_mp_verify_text(TLSW_ERR_CERT_VERIFY));
  assert_null(tlsw_mp_verify_text(TLSW_ERR_ALERT));
}

static void cipher_names(void **state) {
  (void)state;
  char buf[96];
  assert_int_equal(
      tlsw_mp_cipher_to_mbedtls("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", buf,
                                sizeof buf),
      0);
  assert_string_equal(buf, "TLS-ECDHE-ECDSA-WITH-AES-128-CBC-SHA256");
  assert_int_equal(
      tlsw_mp_cipher_to_mbedtls("TLS_AES_128_GCM_SHA256", buf, sizeof buf), 0);
  assert_string_equal(buf, "TLS1-3-AES-128-GCM-SHA256");
  assert_int_equal(
      tlsw_mp_cipher_to_iana("TLS1-3-AES-128-GCM-SHA256", buf, sizeof buf), 0);
  assert_string_equal(buf, "TLS_AES_128_GCM_SHA256");
  /* IANA input passes unchanged; short buffers are refused, not cut. */
  assert_int_equal(
      tlsw_mp_cipher_to_iana("TLS_AES_128_GCM_SHA256", buf, sizeof buf), 0);
  assert_string_equal(buf, "TLS_AES_128_GCM_SHA256");
  assert_int_equal(tlsw_mp_cipher_to_mbedtls("TLS_AES_128_GCM_SHA256", buf, 10),
                   -1);

  /* Every suite the module offers survives the round trip, and tlswrap
   * accepts its IANA name. */
  const char *names[128];
  size_t n = 0;
  assert_int_equal(tlsw_available_ciphers(names, 128, &n), TLSW_OK);
  tlsw_ctx *ctx;
  assert_int_equal(tlsw_ctx_new(&ctx, TLSW_PROTOCOL_TLS_CLIENT), TLSW_OK);
  size_t offered = 0;
  for (size_t i = 0; i < n && i < 128; i++) {
    if (!tlsw_mp_cipher_allowed(names[i], 1)) continue;
    char mb[96], back[96];
    assert_int_equal(tlsw_mp_cipher_to_mbedtls(names[i], mb, sizeof mb), 0);
    assert_int_equal(tlsw_mp_cipher_to_iana(mb, back, sizeof back), 0);
    assert_string_equal(back, names[i]);
    const char *one = back;
    assert_int_equal(tlsw_ctx_set_ciphers(ctx, &one, 1), TLSW_OK);
    offered++;
  }
  assert_true(offered >= 4);
  tlsw_ctx_free(ctx);
}

static void cipher_policy(void **state) {
  (void)state;
  assert_true(
      tlsw_mp_cipher_allowed("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0));
  assert_false(tlsw_mp_cipher_allowed("TLS_ECDHE_ECDSA_WITH_NULL_SHA", 0));
  assert_false(
      tlsw_mp_cipher_allowed("TLS_DH_anon_WITH_AES_256_GCM_SHA384", 0));
  assert_false(tlsw_mp_cipher_allowed("TLS_ECDHE_RSA_WITH_RC4_128_SHA", 0));
  assert_false(
      tlsw_mp_cipher_allowed("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", 0));
  assert_false(tlsw_mp_cipher_allowed("TLS_AES_128_GCM_SHA256", 0));
  assert_true(tlsw_mp_cipher_allowed("TLS_AES_128_GCM_SHA256", 1));
  /* Defaults: AEAD and SHA-2 CBC, not SHA-1 CBC or DHE. */
  assert_true(
      tlsw_mp_cipher_default("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
  assert_true(
      tlsw_mp_cipher_default("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"));
  assert_false(tlsw_mp_cipher_default("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"));
  assert_false(tlsw_mp_cipher_default("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"));
  /* PSK: offered (ephemeral only), never by default, ranked last. */
  assert_true(
      tlsw_mp_cipher_allowed("TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256", 0));
  assert_false(
      tlsw_mp_cipher_allowed("TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", 0));
  assert_false(tlsw_mp_cipher_default("TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256"));
  assert_true(tlsw_mp_cipher_rank("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA") <
              tlsw_mp_cipher_rank("TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256"));
  /* mbedTLS's order, as tls_sslcontext_ciphers.py.exp prints it. */
  static const char *const order[] = {
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
  };
  for (size_t i = 1; i < sizeof order / sizeof order[0]; i++) {
    assert_true(tlsw_mp_cipher_rank(order[i - 1]) <
                tlsw_mp_cipher_rank(order[i]));
  }
  assert_true(tlsw_mp_cipher_rank("TLS_AES_128_GCM_SHA256") <
              tlsw_mp_cipher_rank("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
}

/* Handshake of a client trusting root.pem against a server serving
 * matrix/<leaf>.pem; returns the client's status. */
static int connect_to(const char *leaf, const char *host, int cn_fallback,
                      unsigned min_rsa, tlsw_verify_mode mode) {
  tlsw_ctx *c, *s;
  char pem[64], key[64];
  snprintf(pem, sizeof pem, "%s.pem", leaf);
  snprintf(key, sizeof key, "%s.key", leaf);
  assert_int_equal(tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT), TLSW_OK);
  assert_int_equal(tlsw_ctx_new(&s, TLSW_PROTOCOL_TLS_SERVER), TLSW_OK);
  assert_int_equal(tlsw_ctx_load_verify_file(c, matrix("root.pem")), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_verify_mode(c, mode), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_hostname_cn_fallback(c, cn_fallback), TLSW_OK);
  if (min_rsa) assert_int_equal(tlsw_ctx_set_min_rsa_bits(c, min_rsa), 0);
  char kpath[512];
  snprintf(kpath, sizeof kpath, "%s", matrix(key));
  assert_int_equal(tlsw_ctx_load_cert_chain_file(s, matrix(pem), kpath, NULL),
                   TLSW_OK);
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, host), TLSW_OK);
  int cst = TLSW_OK, sst = TLSW_OK;
  pair_handshake(&p, &cst, &sst);
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
  return cst;
}

static void cn_fallback(void **state) {
  (void)state;
  /* nosan: CN=a.example.test, no subjectAltName at all. */
  assert_int_equal(
      connect_to("nosan", "a.example.test", 0, 0, TLSW_CERT_REQUIRED),
      TLSW_ERR_CERT_HOSTNAME);
  assert_int_equal(
      connect_to("nosan", "a.example.test", 1, 0, TLSW_CERT_REQUIRED), TLSW_OK);
  assert_int_equal(
      connect_to("nosan", "b.example.test", 1, 0, TLSW_CERT_REQUIRED),
      TLSW_ERR_CERT_HOSTNAME);
  /* cnonly: CN=a.example.test but a SAN for another name: SANs rule. */
  assert_int_equal(
      connect_to("cnonly", "a.example.test", 1, 0, TLSW_CERT_REQUIRED),
      TLSW_ERR_CERT_HOSTNAME);
  tlsw_ctx *c;
  assert_int_equal(tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_hostname_cn_fallback(NULL, 1), TLSW_ERR_ARG);
  tlsw_ctx_free(c);
}

static void min_rsa_bits(void **state) {
  (void)state;
  /* weak: RSA 1024, below the 2048 default for verified peers. */
  assert_int_equal(
      connect_to("weak", "a.example.test", 0, 0, TLSW_CERT_REQUIRED),
      TLSW_ERR_CERT_WEAK_KEY);
  assert_int_equal(
      connect_to("weak", "a.example.test", 0, 1024, TLSW_CERT_REQUIRED),
      TLSW_OK);
  /* Not verifying means no key-size verdict either. */
  assert_int_equal(connect_to("weak", "a.example.test", 0, 0, TLSW_CERT_NONE),
                   TLSW_OK);
  tlsw_ctx *c;
  assert_int_equal(tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_min_rsa_bits(c, 511), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_min_rsa_bits(c, 1025), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_min_rsa_bits(c, 20000), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_min_rsa_bits(c, 512), TLSW_OK);
  tlsw_ctx_free(c);
}

static void expired_ca_loads(void **state) {
  (void)state;
  /* A verifying client context (the default) used to refuse an expired
   * CA at load time; it loads now, and an expired peer still fails with
   * the right reason. */
  tlsw_ctx *c;
  assert_int_equal(tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT), TLSW_OK);
  assert_int_equal(tlsw_ctx_load_verify_file(c, matrix("expired.crt")),
                   TLSW_OK);
  tlsw_ctx_free(c);
  assert_int_equal(
      connect_to("expired", "a.example.test", 0, 0, TLSW_CERT_REQUIRED),
      TLSW_ERR_CERT_EXPIRED);
}

static int lookup_key(void *user, const uint8_t *identity, size_t len,
                      uint8_t *key, size_t key_max) {
  int *calls = user;
  (*calls)++;
  if (len != 11 || memcmp(identity, "micropython", 11) != 0) return -1;
  assert_true(key_max >= 17);
  memcpy(key, "secret-shared-key", 17);
  return 17;
}

/* Client PSK against a server: returns the client's handshake status. */
static int psk_connect(const char *id, const char *key, int server_psk,
                       int server_cert, int *calls) {
  tlsw_ctx *c, *s;
  assert_int_equal(tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT), TLSW_OK);
  assert_int_equal(tlsw_ctx_new(&s, TLSW_PROTOCOL_TLS_SERVER), TLSW_OK);
  if (id != NULL) {
    assert_int_equal(tlsw_ctx_set_psk(c, (const uint8_t *)id, strlen(id),
                                      (const uint8_t *)key, strlen(key)),
                     TLSW_OK);
  } else {
    assert_int_equal(tlsw_ctx_load_verify_file(c, matrix("root.pem")), 0);
  }
  if (server_psk) {
    assert_int_equal(tlsw_ctx_set_psk_server_callback(s, lookup_key, calls),
                     TLSW_OK);
  }
  if (server_cert) {
    char kpath[512];
    snprintf(kpath, sizeof kpath, "%s", matrix("valid.key"));
    assert_int_equal(
        tlsw_ctx_load_cert_chain_file(s, matrix("valid.pem"), kpath, NULL),
        TLSW_OK);
  }
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  /* The client verifies (the default, with a host name): a PSK suite must
   * still complete, as it authenticates the server by the key. */
  assert_int_equal(pair_wrap(&p, c, s, "a.example.test"), TLSW_OK);
  int cst = TLSW_OK, sst = TLSW_OK;
  pair_handshake(&p, &cst, &sst);
  if (cst == TLSW_OK) {
    assert_int_equal(sst, TLSW_OK);
    assert_non_null(strstr(tlsw_session_cipher(p.cli), "_PSK_"));
    assert_string_equal(tlsw_session_version(p.cli), "TLSv1.2");
  }
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
  return cst;
}

static void psk(void **state) {
  (void)state;
  int calls = 0;
  assert_int_equal(
      psk_connect("micropython", "secret-shared-key", 1, 0, &calls), TLSW_OK);
  assert_int_equal(calls, 1);
  /* A server with a certificate too still only speaks PSK. */
  assert_int_equal(
      psk_connect("micropython", "secret-shared-key", 1, 1, &calls), TLSW_OK);
  /* Failures, and no fallback to certificate suites either way. */
  assert_int_not_equal(psk_connect("micropython", "wrong-key", 1, 0, &calls),
                       TLSW_OK);
  assert_int_not_equal(
      psk_connect("someone-else", "secret-shared-key", 1, 0, &calls), TLSW_OK);
  assert_int_not_equal(
      psk_connect("micropython", "secret-shared-key", 0, 1, &calls), TLSW_OK);
  assert_int_not_equal(psk_connect(NULL, NULL, 1, 1, &calls), TLSW_OK);
  /* Arguments. */
  tlsw_ctx *c, *s;
  uint8_t key[65] = {1};
  assert_int_equal(tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT), TLSW_OK);
  assert_int_equal(tlsw_ctx_new(&s, TLSW_PROTOCOL_TLS_SERVER), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_psk(c, (const uint8_t *)"id", 2, key, 65),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_psk(c, (const uint8_t *)"i\0d", 3, key, 4),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_psk(c, (const uint8_t *)"id", 0, key, 4),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_psk(s, (const uint8_t *)"id", 2, key, 4),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_psk(c, (const uint8_t *)"id", 2, key, 64),
                   TLSW_OK);
  assert_int_equal(tlsw_ctx_set_psk_server_callback(c, lookup_key, NULL),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_psk_server_callback(s, NULL, NULL),
                   TLSW_ERR_ARG);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(error_codes),      cmocka_unit_test(verify_texts),
      cmocka_unit_test(cipher_names),     cmocka_unit_test(cipher_policy),
      cmocka_unit_test(cn_fallback),      cmocka_unit_test(min_rsa_bits),
      cmocka_unit_test(expired_ca_loads), cmocka_unit_test(psk),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
