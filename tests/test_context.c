/* Contexts (src/core/context.c and the backend's context half): argument
 * errors, certificate/key/CA loading in every supported form, ciphers and
 * version ranges. Loads that succeed are proven usable by a handshake. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pair.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static uint8_t *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  uint8_t *buf = malloc(1 << 16);
  assert_non_null(buf);
  *len = fread(buf, 1, 1 << 16, f);
  assert_true(*len > 0 && *len < (1 << 16));
  fclose(f);
  return buf;
}

static tlsw_ctx *new_ctx(tlsw_protocol p) {
  tlsw_ctx *c = NULL;
  assert_int_equal(tlsw_ctx_new(&c, p), TLSW_OK);
  assert_non_null(c);
  return c;
}

static tlsw_ctx *client_trusting(const char *cafile) {
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  assert_int_equal(tlsw_ctx_load_verify_file(c, fixture(cafile)), TLSW_OK);
  return c;
}

static tlsw_ctx *server_with(const char *cert, const char *key,
                             const char *pw) {
  tlsw_ctx *s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s, fixture(cert), fixture(key), pw),
      TLSW_OK);
  return s;
}

/* A server session on s that cannot serve: wrapped with the handshake
 * deferred it exists (MicroPython wraps such sockets to probe them), and
 * its first handshake step fails; wrapped with the handshake at once, the
 * wrap fails. Returns that status, which must be the same both ways and
 * come with a message naming the missing certificate. */
static int wrap_fails(tlsw_ctx *s) {
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_side = 1;
  o.do_handshake_on_connect = 0;
  tlsw_session *ss = NULL;
  assert_int_equal(tlsw_wrap(s, &p.srv_io, &o, &ss), TLSW_OK);
  assert_int_equal(tlsw_session_status(ss), TLSW_OK);
  int st = tlsw_handshake(ss);
  assert_non_null(strstr(tlsw_session_message(ss), "no certificate"));
  assert_int_equal(tlsw_session_status(ss), st);
  tlsw_session_free(ss);
  o.do_handshake_on_connect = 1;
  assert_int_equal(tlsw_wrap(s, &p.srv_io, &o, &ss), st);
  assert_non_null(strstr(tlsw_session_message(ss), "no certificate"));
  tlsw_session_free(ss);
  pair_free(&p);
  return st;
}

/* Handshake c and s in memory, as "localhost". If peer_der is given, the
 * client must have received exactly that certificate. */
static int try_handshake(tlsw_ctx *c, tlsw_ctx *s, const char *peer_der) {
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  int st = pair_handshake(&p, NULL, NULL);
  if (st == TLSW_OK && peer_der != NULL) {
    size_t len;
    uint8_t *want = slurp(fixture(peer_der), &len);
    const uint8_t *der;
    size_t der_len;
    assert_int_equal(tlsw_session_peer_cert(p.cli, &der, &der_len), TLSW_OK);
    assert_int_equal(der_len, len);
    assert_memory_equal(der, want, len);
    free(want);
  }
  pair_free(&p);
  return st;
}

/* A private scratch directory for generated files. */
static char scratch_dir[1024];

static const char *scratch(const char *name) {
  static char paths[4][1200];
  static unsigned next;
  char *p = paths[next++ % 4];
  snprintf(p, sizeof paths[0], "%s/%s", scratch_dir, name);
  return p;
}

static void write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  if (len > 0) assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

/* Makes other-leaf.pem: server-ec.key certified by other-ca for localhost,
 * so each CA of the bundle has a server to prove it is trusted. */
static int setup(void **state) {
  (void)state;
  snprintf(scratch_dir, sizeof scratch_dir, "%s/../test_context-%ld.d",
           TLSW_TEST_CERTS, (long)getpid());
  if (mkdir(scratch_dir, 0700) != 0) return -1;
  char cmd[4096];
  snprintf(cmd, sizeof cmd,
           "cd '%s' && printf 'subjectAltName=DNS:localhost\\n' > leaf.ext "
           "&& openssl req -new -key '%s' -subj /CN=localhost -out leaf.csr "
           "2>/dev/null && openssl x509 -req -in leaf.csr -CA '%s' -CAkey "
           "'%s' -set_serial 7 -days 30 -sha256 -extfile leaf.ext -out "
           "other-leaf.pem 2>/dev/null",
           scratch_dir, fixture("server-ec.key"), fixture("other-ca.pem"),
           fixture("other-ca.key"));
  return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch_dir);
  return system(cmd) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------------ */
/* Creation, refcount, verify mode                                           */

static void new_and_free(void **state) {
  (void)state;
  tlsw_ctx *c = (tlsw_ctx *)1;
  assert_int_equal(tlsw_ctx_new(NULL, TLSW_PROTOCOL_TLS_CLIENT), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_new(&c, (tlsw_protocol)4), TLSW_ERR_ARG);
  assert_null(c);
  c = (tlsw_ctx *)1;
  assert_int_equal(tlsw_ctx_new(&c, (tlsw_protocol)-1), TLSW_ERR_ARG);
  assert_null(c);
  for (int p = 0; p <= 3; p++) {
    c = new_ctx((tlsw_protocol)p);
    assert_int_equal(tlsw_ctx_protocol(c), p);
    assert_string_equal(tlsw_ctx_message(c), "");
    /* MicroPython defaults: clients verify, servers do not ask. */
    assert_int_equal(tlsw_ctx_get_verify_mode(c),
                     (p & 1) ? TLSW_CERT_NONE : TLSW_CERT_REQUIRED);
    tlsw_ctx_free(c);
  }
  tlsw_ctx_free(NULL);
  assert_int_equal(tlsw_ctx_protocol(NULL), -1);
  assert_string_equal(tlsw_ctx_message(NULL), "");
  assert_int_equal(tlsw_ctx_get_verify_mode(NULL), TLSW_CERT_NONE);
}

/* The caller may free the context before its sessions (context.h). */
static void context_outlives_caller_ref(void **state) {
  (void)state;
  tlsw_ctx *c = client_trusting("ca.pem");
  tlsw_ctx *s = server_with("server-ec.pem", "server-ec.key", NULL);
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  pair_free(&p); /* the last references go here; ASan checks the rest */
}

static void verify_mode_errors(void **state) {
  (void)state;
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  assert_int_equal(tlsw_ctx_set_verify_mode(NULL, TLSW_CERT_NONE),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_verify_mode(c, TLSW_CERT_OPTIONAL), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_verify_mode(c, (tlsw_verify_mode)3),
                   TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(c), "invalid verify mode 3"));
  assert_int_equal(tlsw_ctx_set_verify_mode(c, (tlsw_verify_mode)-1),
                   TLSW_ERR_ARG);
  /* The old mode stays. */
  assert_int_equal(tlsw_ctx_get_verify_mode(c), TLSW_CERT_OPTIONAL);
  /* A good call clears the message. */
  assert_int_equal(tlsw_ctx_set_verify_mode(c, TLSW_CERT_NONE), TLSW_OK);
  assert_string_equal(tlsw_ctx_message(c), "");
  assert_int_equal(tlsw_ctx_get_verify_mode(c), TLSW_CERT_NONE);
  assert_int_equal(tlsw_ctx_set_verify_callback(NULL, NULL, NULL),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_verify_callback(c, NULL, NULL), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_password_callback(NULL, NULL, NULL),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_password_callback(c, NULL, NULL), TLSW_OK);
  tlsw_ctx_free(c);
}

/* ------------------------------------------------------------------------ */
/* Certificate chain and key                                                 */

static void cert_chain_arg_errors(void **state) {
  (void)state;
  tlsw_ctx *s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  const uint8_t x[1] = {0};
  assert_int_equal(tlsw_ctx_load_cert_chain(NULL, x, 1, x, 1, NULL),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_cert_chain(s, NULL, 1, x, 1, NULL),
                   TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(s), "certificate"));
  assert_int_equal(tlsw_ctx_load_cert_chain(s, x, 0, x, 1, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_cert_chain(s, x, 1, NULL, 1, NULL),
                   TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(s), "key"));
  assert_int_equal(tlsw_ctx_load_cert_chain(s, x, 1, x, 0, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_cert_chain_file(NULL, "a", "b", NULL),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_cert_chain_file(s, NULL, "b", NULL),
                   TLSW_ERR_ARG);
  assert_true(tlsw_ctx_message(s)[0] != '\0');
  tlsw_ctx_free(s);
}

static void cert_chain_file_errors(void **state) {
  (void)state;
  tlsw_ctx *s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  const char *missing = "/nonexistent/tlswrap/cert.pem";
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s, missing, fixture("server-ec.key"), NULL),
      TLSW_ERR_FILE);
  assert_non_null(strstr(tlsw_ctx_message(s), missing));
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s, fixture("server-ec.pem"), missing, NULL),
      TLSW_ERR_FILE);
  assert_non_null(strstr(tlsw_ctx_message(s), missing));
  /* A directory given as a file. */
  assert_int_equal(tlsw_ctx_load_cert_chain_file(
                       s, TLSW_TEST_CERTS, fixture("server-ec.key"), NULL),
                   TLSW_ERR_FILE);
  assert_non_null(strstr(tlsw_ctx_message(s), TLSW_TEST_CERTS));
  /* Empty files. */
  const char *empty = scratch("empty.pem");
  write_file(empty, "", 0);
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s, empty, fixture("server-ec.key"), NULL),
      TLSW_ERR_CERT_INVALID);
  assert_non_null(strstr(tlsw_ctx_message(s), "empty"));
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s, fixture("server-ec.pem"), empty, NULL),
      TLSW_ERR_KEY_INVALID);
  /* keyfile NULL: the key must be in certfile; here it is not. */
  assert_int_not_equal(
      tlsw_ctx_load_cert_chain_file(s, fixture("server-ec.pem"), NULL, NULL),
      TLSW_OK);
  assert_true(tlsw_ctx_message(s)[0] != '\0');
  tlsw_ctx_free(s);
}

static void cert_and_key_in_one_file(void **state) {
  (void)state;
  size_t cl, kl;
  uint8_t *cert = slurp(fixture("server-ec.pem"), &cl);
  uint8_t *key = slurp(fixture("server-ec.key"), &kl);
  uint8_t *both = malloc(cl + kl);
  assert_non_null(both);
  memcpy(both, cert, cl);
  memcpy(both + cl, key, kl);
  const char *path = scratch("combined.pem");
  write_file(path, both, cl + kl);
  tlsw_ctx *s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  assert_int_equal(tlsw_ctx_load_cert_chain_file(s, path, NULL, NULL), TLSW_OK);
  tlsw_ctx *c = client_trusting("ca.pem");
  assert_int_equal(try_handshake(c, s, "server-ec.der"), TLSW_OK);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
  free(cert);
  free(key);
  free(both);
}

/* Bad data: every failure names its cause and returns its own status. */
/* tlsw_ctx_new_ex: a context that was not made still says why; the
 * feature bits follow the build (both host builds decrypt keys). */
static void ctx_new_ex_reason(void **state) {
  (void)state;
  tlsw_ctx *c = (tlsw_ctx *)1;
  char why[256];
  assert_int_equal(tlsw_ctx_new_ex(&c, (tlsw_protocol)9, why, sizeof why),
                   TLSW_ERR_ARG);
  assert_null(c);
  assert_string_equal(why, "tlsw_ctx_new: unknown protocol");
  assert_int_equal(tlsw_ctx_new_ex(NULL, TLSW_PROTOCOL_TLS_CLIENT, why, 8),
                   TLSW_ERR_ARG);
  assert_int_equal(strlen(why), 7); /* cut to fit */
  assert_int_equal(
      tlsw_ctx_new_ex(&c, TLSW_PROTOCOL_TLS_CLIENT, why, sizeof why), TLSW_OK);
  assert_string_equal(why, "");
  tlsw_ctx_free(c);
  assert_int_equal(tlsw_ctx_new_ex(&c, TLSW_PROTOCOL_TLS_SERVER, NULL, 0),
                   TLSW_OK);
  tlsw_ctx_free(c);
  assert_true(tlsw_backend_features() & TLSW_FEATURE_ENCRYPTED_KEYS);
}

static void cert_chain_bad_data(void **state) {
  (void)state;
  tlsw_ctx *s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  size_t cl, kl, rkl;
  uint8_t *cert = slurp(fixture("server-ec.pem"), &cl);
  uint8_t *key = slurp(fixture("server-ec.key"), &kl);
  uint8_t *rsakey = slurp(fixture("server-rsa.key"), &rkl);
  static const char bad_pem[] =
      "-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n"
      "-----END CERTIFICATE-----\n";
  static const uint8_t bad_der[] = {0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x05};
  static const char bad_key[] =
      "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";

  assert_int_equal(tlsw_ctx_load_cert_chain(s, (const uint8_t *)bad_pem,
                                            sizeof bad_pem - 1, key, kl, NULL),
                   TLSW_ERR_CERT_INVALID);
  assert_non_null(strstr(tlsw_ctx_message(s), "PEM"));
  assert_int_equal(
      tlsw_ctx_load_cert_chain(s, bad_der, sizeof bad_der, key, kl, NULL),
      TLSW_ERR_CERT_INVALID);
  assert_non_null(strstr(tlsw_ctx_message(s), "DER"));
  /* Truncated PEM: the first half of a good certificate. */
  assert_int_equal(tlsw_ctx_load_cert_chain(s, cert, cl / 2, key, kl, NULL),
                   TLSW_ERR_CERT_INVALID);
  assert_int_equal(
      tlsw_ctx_load_cert_chain(s, cert, cl, (const uint8_t *)bad_key,
                               sizeof bad_key - 1, NULL),
      TLSW_ERR_KEY_INVALID);
  assert_non_null(strstr(tlsw_ctx_message(s), "key"));
  assert_int_equal(
      tlsw_ctx_load_cert_chain(s, cert, cl, bad_der, sizeof bad_der, NULL),
      TLSW_ERR_KEY_INVALID);
  assert_int_equal(tlsw_ctx_load_cert_chain(s, cert, cl, key, kl / 2, NULL),
                   TLSW_ERR_KEY_INVALID);
  /* A key is not a certificate. */
  assert_int_equal(tlsw_ctx_load_cert_chain(s, key, kl, key, kl, NULL),
                   TLSW_ERR_CERT_INVALID);
  /* EC certificate with an RSA key. */
  assert_int_equal(tlsw_ctx_load_cert_chain(s, cert, cl, rsakey, rkl, NULL),
                   TLSW_ERR_KEY_MISMATCH);
  assert_non_null(strstr(tlsw_ctx_message(s), "does not match"));
  /* Same key type and curve, another key: wolfSSL's own check passes it. */
  size_t okl;
  uint8_t *other = slurp(fixture("client.key"), &okl);
  assert_int_equal(tlsw_ctx_load_cert_chain(s, cert, cl, other, okl, NULL),
                   TLSW_ERR_KEY_MISMATCH);
  free(other);
  free(cert);
  free(key);
  free(rsakey);
  tlsw_ctx_free(s);
}

/* Every key form, each proven by a handshake with the matching cert. */
static void key_formats(void **state) {
  (void)state;
  static const struct {
    const char *cert, *key, *der;
  } forms[] = {
      {"server-ec.pem", "server-ec.key", "server-ec.der"},      /* PKCS#8 */
      {"server-ec.pem", "server-ec-sec1.key", "server-ec.der"}, /* SEC1 */
      {"server-ec.pem", "server-ec-pkcs8.der", "server-ec.der"},
      {"server-ec.pem", "server-ec-sec1.der", "server-ec.der"},
      {"server-ec.der", "server-ec.key", "server-ec.der"}, /* DER cert */
      {"server-ec-chain.pem", "server-ec.key", "server-ec.der"},
      {"server-rsa.pem", "server-rsa.key", "server-rsa.der"},
      {"server-rsa.pem", "server-rsa-pkcs1.key", "server-rsa.der"},
      {"server-rsa.pem", "server-rsa-pkcs1.der", "server-rsa.der"},
      {"server-rsa.der", "server-rsa-pkcs1.der", "server-rsa.der"},
  };
  tlsw_ctx *c = client_trusting("ca.pem");
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    tlsw_ctx *s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
    int st = tlsw_ctx_load_cert_chain_file(s, fixture(forms[i].cert),
                                           fixture(forms[i].key), NULL);
    if (st != TLSW_OK) {
      fail_msg("%s + %s: %s", forms[i].cert, forms[i].key, tlsw_ctx_message(s));
    }
    assert_int_equal(try_handshake(c, s, forms[i].der), TLSW_OK);
    tlsw_ctx_free(s);
  }
  /* The same from memory. */
  size_t cl, kl;
  uint8_t *cert = slurp(fixture("server-rsa.der"), &cl);
  uint8_t *key = slurp(fixture("server-rsa-pkcs1.key"), &kl);
  tlsw_ctx *s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  assert_int_equal(tlsw_ctx_load_cert_chain(s, cert, cl, key, kl, NULL),
                   TLSW_OK);
  assert_int_equal(try_handshake(c, s, "server-rsa.der"), TLSW_OK);
  tlsw_ctx_free(s);
  free(cert);
  free(key);
  tlsw_ctx_free(c);
}

typedef struct pw_state {
  const char *give; /* NULL: return -1 */
  int calls;
} pw_state;

static int pw_cb(void *user, char *buf, size_t size) {
  pw_state *p = user;
  p->calls++;
  if (p->give == NULL) return -1;
  size_t l = strlen(p->give);
  if (l > size) return -1;
  memcpy(buf, p->give, l);
  return (int)l;
}

static void encrypted_keys(void **state) {
  (void)state;
  tlsw_ctx *c = client_trusting("ca.pem");
  static const char *const enc[][3] = {
      {"server-ec.pem", "server-ec-enc.key", "server-ec.der"},
      {"server-rsa.pem", "server-rsa-enc.key", "server-rsa.der"},
  };
  for (size_t i = 0; i < 2; i++) {
    const char *cf = fixture(enc[i][0]), *kf = fixture(enc[i][1]);
    tlsw_ctx *s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
    /* Missing password. */
    assert_int_equal(tlsw_ctx_load_cert_chain_file(s, cf, kf, NULL),
                     TLSW_ERR_KEY_PASSWORD);
    assert_non_null(strstr(tlsw_ctx_message(s), "password"));
    /* Wrong password. */
    assert_int_equal(tlsw_ctx_load_cert_chain_file(s, cf, kf, "wrong"),
                     TLSW_ERR_KEY_PASSWORD);
    assert_non_null(strstr(tlsw_ctx_message(s), "password"));
    assert_int_equal(tlsw_ctx_load_cert_chain_file(s, cf, kf, ""),
                     TLSW_ERR_KEY_PASSWORD);
    /* Callback: wrong, then -1 (no password), then right. */
    pw_state pw = {"nope", 0};
    assert_int_equal(tlsw_ctx_set_password_callback(s, pw_cb, &pw), TLSW_OK);
    assert_int_equal(tlsw_ctx_load_cert_chain_file(s, cf, kf, NULL),
                     TLSW_ERR_KEY_PASSWORD);
    assert_true(pw.calls >= 1);
    pw.give = NULL;
    pw.calls = 0;
    assert_int_equal(tlsw_ctx_load_cert_chain_file(s, cf, kf, NULL),
                     TLSW_ERR_KEY_PASSWORD);
    assert_true(pw.calls >= 1);
    /* Nothing usable was loaded by the failures: a server session cannot
     * serve, and says why. */
    assert_int_equal(wrap_fails(s), TLSW_ERR_STATE);
    pw.give = "secret";
    pw.calls = 0;
    assert_int_equal(tlsw_ctx_load_cert_chain_file(s, cf, kf, NULL), TLSW_OK);
    assert_true(pw.calls >= 1);
    assert_int_equal(try_handshake(c, s, enc[i][2]), TLSW_OK);
    /* An explicit password wins over the callback. */
    pw.give = "nope";
    pw.calls = 0;
    assert_int_equal(tlsw_ctx_load_cert_chain_file(s, cf, kf, "secret"),
                     TLSW_OK);
    assert_int_equal(pw.calls, 0);
    tlsw_ctx_free(s);
    /* Password string from memory, no callback. */
    s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
    size_t cl, kl;
    uint8_t *cert = slurp(cf, &cl), *key = slurp(kf, &kl);
    assert_int_equal(tlsw_ctx_load_cert_chain(s, cert, cl, key, kl, "secret"),
                     TLSW_OK);
    assert_int_equal(try_handshake(c, s, enc[i][2]), TLSW_OK);
    free(cert);
    free(key);
    tlsw_ctx_free(s);
  }
  tlsw_ctx_free(c);
}

/* A failed load leaves the chain in use untouched. */
static void failed_load_keeps_chain(void **state) {
  (void)state;
  tlsw_ctx *c = client_trusting("ca.pem");
  tlsw_ctx *s = server_with("server-ec.pem", "server-ec.key", NULL);
  /* Mismatch: RSA certificate, EC key. */
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s, fixture("server-rsa.pem"),
                                    fixture("server-ec.key"), NULL),
      TLSW_ERR_KEY_MISMATCH);
  assert_int_equal(try_handshake(c, s, "server-ec.der"), TLSW_OK);
  /* Bad key after a good certificate. */
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s, fixture("server-rsa.pem"),
                                    fixture("server-rsa-enc.key"), "bad"),
      TLSW_ERR_KEY_PASSWORD);
  assert_int_equal(try_handshake(c, s, "server-ec.der"), TLSW_OK);
  /* Bad certificate with a good key. */
  size_t kl;
  uint8_t *key = slurp(fixture("server-rsa.key"), &kl);
  static const uint8_t junk[] = "-----BEGIN CERTIFICATE-----\n";
  assert_int_equal(
      tlsw_ctx_load_cert_chain(s, junk, sizeof junk - 1, key, kl, NULL),
      TLSW_ERR_CERT_INVALID);
  assert_int_equal(try_handshake(c, s, "server-ec.der"), TLSW_OK);
  /* And a good load replaces it. */
  int st = tlsw_ctx_load_cert_chain_file(s, fixture("server-rsa.pem"),
                                         fixture("server-rsa.key"), NULL);
  if (st != TLSW_OK) fail_msg("reload: %s", tlsw_ctx_message(s));
  assert_int_equal(try_handshake(c, s, "server-rsa.der"), TLSW_OK);
  free(key);
  tlsw_ctx_free(s);
  tlsw_ctx_free(c);
}

/* ------------------------------------------------------------------------ */
/* Trusted CAs                                                               */

static void verify_arg_errors(void **state) {
  (void)state;
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  const uint8_t x[1] = {0};
  assert_int_equal(tlsw_ctx_load_verify_mem(NULL, x, 1), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_verify_mem(c, NULL, 1), TLSW_ERR_ARG);
  assert_true(tlsw_ctx_message(c)[0] != '\0');
  assert_int_equal(tlsw_ctx_load_verify_mem(c, x, 0), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_verify_file(NULL, "x"), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_verify_file(c, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_verify_dir(NULL, "x"), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_verify_dir(c, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_default_certs(NULL), TLSW_ERR_ARG);
  tlsw_ctx_free(c);
}

static void verify_bad_data(void **state) {
  (void)state;
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  tlsw_ctx *s = server_with("server-ec.pem", "server-ec.key", NULL);
  size_t len;
  uint8_t *ca = slurp(fixture("ca.pem"), &len);
  static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x01, 0xff};
  assert_int_equal(tlsw_ctx_load_verify_mem(c, junk, sizeof junk),
                   TLSW_ERR_CERT_INVALID);
  assert_non_null(strstr(tlsw_ctx_message(c), "DER"));
  assert_int_equal(tlsw_ctx_load_verify_mem(c, ca, len / 2),
                   TLSW_ERR_CERT_INVALID);
  assert_non_null(strstr(tlsw_ctx_message(c), "PEM"));
  /* Missing file, directory as file, empty file. */
  assert_int_equal(tlsw_ctx_load_verify_file(c, "/nonexistent/ca.pem"),
                   TLSW_ERR_FILE);
  assert_non_null(strstr(tlsw_ctx_message(c), "/nonexistent/ca.pem"));
  assert_int_equal(tlsw_ctx_load_verify_file(c, TLSW_TEST_CERTS),
                   TLSW_ERR_FILE);
  const char *empty = scratch("empty-ca.pem");
  write_file(empty, "", 0);
  assert_int_equal(tlsw_ctx_load_verify_file(c, empty), TLSW_ERR_CERT_INVALID);
  /* All or nothing: a good CA followed by junk adds nothing. */
  uint8_t *mixed = malloc(len + 64);
  assert_non_null(mixed);
  memcpy(mixed, ca, len);
  static const char tail[] =
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  memcpy(mixed + len, tail, sizeof tail - 1);
  assert_int_equal(tlsw_ctx_load_verify_mem(c, mixed, len + sizeof tail - 1),
                   TLSW_ERR_CERT_INVALID);
  assert_int_equal(try_handshake(c, s, NULL), TLSW_ERR_CERT_UNTRUSTED);
  /* The same for a PEM bundle cut inside its second certificate, and for
   * DER certificates followed by junk. */
  size_t bl;
  uint8_t *bundle = slurp(fixture("bundle.pem"), &bl);
  assert_int_equal(tlsw_ctx_load_verify_mem(c, bundle, bl - 40),
                   TLSW_ERR_CERT_INVALID);
  free(bundle);
  bundle = slurp(fixture("bundle.der"), &bl);
  uint8_t *der_junk = malloc(bl + sizeof junk);
  assert_non_null(der_junk);
  memcpy(der_junk, bundle, bl);
  memcpy(der_junk + bl, junk, sizeof junk);
  assert_int_equal(tlsw_ctx_load_verify_mem(c, der_junk, bl + sizeof junk),
                   TLSW_ERR_CERT_INVALID);
  free(der_junk);
  free(bundle);
  assert_int_equal(try_handshake(c, s, NULL), TLSW_ERR_CERT_UNTRUSTED);
  /* Nothing trusted yet after all the failures; now it is. */
  assert_int_equal(tlsw_ctx_load_verify_mem(c, ca, len), TLSW_OK);
  assert_int_equal(try_handshake(c, s, "server-ec.der"), TLSW_OK);
  free(mixed);
  free(ca);
  tlsw_ctx_free(s);
  tlsw_ctx_free(c);
}

/* Both CAs of a bundle are usable: one server certified by each. */
static void check_both_cas(tlsw_ctx *c) {
  tlsw_ctx *s1 = server_with("server-ec.pem", "server-ec.key", NULL);
  tlsw_ctx *s2 = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s2, scratch("other-leaf.pem"),
                                    fixture("server-ec.key"), NULL),
      TLSW_OK);
  assert_int_equal(try_handshake(c, s1, "server-ec.der"), TLSW_OK);
  assert_int_equal(try_handshake(c, s2, NULL), TLSW_OK);
  tlsw_ctx_free(s1);
  tlsw_ctx_free(s2);
}

static void ca_bundles(void **state) {
  (void)state;
  /* The other-ca leaf is not trusted by ca.pem alone. */
  tlsw_ctx *c = client_trusting("ca.pem");
  tlsw_ctx *s2 = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s2, scratch("other-leaf.pem"),
                                    fixture("server-ec.key"), NULL),
      TLSW_OK);
  assert_int_equal(try_handshake(c, s2, NULL), TLSW_ERR_CERT_UNTRUSTED);
  tlsw_ctx_free(s2);
  tlsw_ctx_free(c);

  static const char *const bundles[] = {"bundle.pem", "bundle.der"};
  for (size_t i = 0; i < 2; i++) {
    /* From memory... */
    size_t len;
    uint8_t *data = slurp(fixture(bundles[i]), &len);
    c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
    assert_int_equal(tlsw_ctx_load_verify_mem(c, data, len), TLSW_OK);
    check_both_cas(c);
    tlsw_ctx_free(c);
    free(data);
    /* ...and from a file. */
    c = client_trusting(bundles[i]);
    check_both_cas(c);
    tlsw_ctx_free(c);
  }
  /* Each call adds to what is trusted. */
  c = client_trusting("ca.der");
  assert_int_equal(tlsw_ctx_load_verify_file(c, fixture("other-ca.pem")),
                   TLSW_OK);
  check_both_cas(c);
  tlsw_ctx_free(c);
}

static void ca_directory(void **state) {
  (void)state;
  /* A capath with both CAs, one PEM and one DER, under plain names. */
  char dir[1200];
  snprintf(dir, sizeof dir, "%s/capath", scratch_dir);
  assert_int_equal(mkdir(dir, 0700), 0);
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "cp '%s' '%s/a.pem' && cp '%s' '%s/b.der'",
           fixture("ca.pem"), dir, fixture("other-ca.der"), dir);
  assert_int_equal(system(cmd), 0);
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  int st = tlsw_ctx_load_verify_dir(c, dir);
  if (st != TLSW_OK) fail_msg("load_verify_dir: %s", tlsw_ctx_message(c));
  tlsw_ctx *s = server_with("server-ec.pem", "server-ec.key", NULL);
  assert_int_equal(try_handshake(c, s, "server-ec.der"), TLSW_OK);
  tlsw_ctx_free(s);
  tlsw_ctx_free(c);

  /* Junk next to the certificates (a README, a key) does not spoil the
   * directory: each file stands alone, as with OpenSSL's capath. */
  snprintf(cmd, sizeof cmd,
           "printf 'not a certificate' > '%s/capath/README' && cp '%s' "
           "'%s/capath/k.pem'",
           scratch_dir, fixture("ca.key"), scratch_dir);
  assert_int_equal(system(cmd), 0);
  c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  st = tlsw_ctx_load_verify_dir(c, dir);
  if (st != TLSW_OK) fail_msg("load_verify_dir: %s", tlsw_ctx_message(c));
  s = server_with("server-ec.pem", "server-ec.key", NULL);
  assert_int_equal(try_handshake(c, s, "server-ec.der"), TLSW_OK);
  tlsw_ctx_free(s);
  tlsw_ctx_free(c);

  /* Missing directory; a file given as a directory; an empty one. */
  c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  assert_int_equal(tlsw_ctx_load_verify_dir(c, "/nonexistent/capath"),
                   TLSW_ERR_FILE);
  assert_non_null(strstr(tlsw_ctx_message(c), "/nonexistent/capath"));
  assert_int_equal(tlsw_ctx_load_verify_dir(c, fixture("ca.pem")),
                   TLSW_ERR_FILE);
  snprintf(dir, sizeof dir, "%s/emptydir", scratch_dir);
  assert_int_equal(mkdir(dir, 0700), 0);
  assert_int_equal(tlsw_ctx_load_verify_dir(c, dir), TLSW_ERR_FILE);
  assert_true(tlsw_ctx_message(c)[0] != '\0');
  tlsw_ctx_free(c);
}

static void default_certs(void **state) {
  (void)state;
  struct stat sb;
  if (stat("/etc/ssl/certs", &sb) != 0 || !S_ISDIR(sb.st_mode)) {
    print_message(
        "skipped: /etc/ssl/certs is absent "
        "(install ca-certificates)\n");
    skip();
  }
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  int st = tlsw_ctx_load_default_certs(c);
  if (st != TLSW_OK) fail_msg("load_default_certs: %s", tlsw_ctx_message(c));
  /* The system store does not trust our test CA. */
  tlsw_ctx *s = server_with("server-ec.pem", "server-ec.key", NULL);
  assert_int_equal(try_handshake(c, s, NULL), TLSW_ERR_CERT_UNTRUSTED);
  tlsw_ctx_free(s);
  tlsw_ctx_free(c);
}

/* ------------------------------------------------------------------------ */
/* Ciphers                                                                   */

static size_t get_ciphers(tlsw_ctx *c, const char **names, size_t max) {
  size_t n = 0;
  assert_int_equal(tlsw_ctx_get_ciphers(c, names, max, &n), TLSW_OK);
  return n;
}

static void cipher_errors(void **state) {
  (void)state;
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  const char *before[64], *after[64];
  size_t nb = get_ciphers(c, before, 64);
  assert_true(nb > 0 && nb < 64);

  const char *list[] = {"TLS_AES_128_GCM_SHA256", "TLS_BOGUS_SUITE",
                        "TLS_AES_256_GCM_SHA384"};
  assert_int_equal(tlsw_ctx_set_ciphers(NULL, list, 1), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_ciphers(c, NULL, 1), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_ciphers(c, list, 0), TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(c), "empty"));
  assert_int_equal(tlsw_ctx_set_ciphers(c, list, 3), TLSW_ERR_CIPHER);
  assert_non_null(strstr(tlsw_ctx_message(c), "TLS_BOGUS_SUITE"));
  /* OpenSSL-style names are not IANA names. */
  const char *ossl[] = {"ECDHE-ECDSA-AES128-GCM-SHA256"};
  assert_int_equal(tlsw_ctx_set_ciphers(c, ossl, 1), TLSW_ERR_CIPHER);
  assert_non_null(strstr(tlsw_ctx_message(c), ossl[0]));
  const char *holes[] = {"TLS_AES_128_GCM_SHA256", NULL};
  assert_int_equal(tlsw_ctx_set_ciphers(c, holes, 2), TLSW_ERR_CIPHER);
  assert_non_null(strstr(tlsw_ctx_message(c), "entry 1"));
  const char *blank[] = {""};
  assert_int_equal(tlsw_ctx_set_ciphers(c, blank, 1), TLSW_ERR_CIPHER);

  assert_int_equal(tlsw_ctx_set_cipher_string(NULL, "x"), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_cipher_string(c, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_cipher_string(c, ""), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_cipher_string(c, " :,: "), TLSW_ERR_ARG);
  assert_int_equal(
      tlsw_ctx_set_cipher_string(c, "TLS_AES_128_GCM_SHA256:NOPE_NOT_ONE"),
      TLSW_ERR_CIPHER);
  assert_non_null(strstr(tlsw_ctx_message(c), "'NOPE_NOT_ONE'"));

  /* Too many names. */
  const char *many[200];
  for (size_t i = 0; i < 200; i++) many[i] = "TLS_AES_128_GCM_SHA256";
  assert_int_equal(tlsw_ctx_set_ciphers(c, many, 200), TLSW_ERR_CIPHER);

  /* After all that, the list is the one we started with. */
  size_t na = get_ciphers(c, after, 64);
  assert_int_equal(na, nb);
  for (size_t i = 0; i < na; i++) assert_ptr_equal(after[i], before[i]);
  /* And a context still works with it. */
  tlsw_ctx_free(c);
}

static void cipher_order_and_sizing(void **state) {
  (void)state;
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  size_t n = 99;
  assert_int_equal(tlsw_ctx_get_ciphers(NULL, NULL, 0, &n), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_get_ciphers(c, NULL, 0, NULL), TLSW_ERR_ARG);
  const char *names[8];
  assert_int_equal(tlsw_ctx_get_ciphers(c, NULL, 1, &n), TLSW_ERR_ARG);

  /* 1.2 suites first, 1.3 suites after, with a duplicate and ',' / ' '
   * separators: 1.3 moves to the front, order kept within each. */
  assert_int_equal(
      tlsw_ctx_set_cipher_string(
          c,
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:TLS_AES_256_GCM_SHA384,"
          "TLS_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
      TLSW_OK);
  const char *expect[] = {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
                          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"};
  /* Sizing with max 0 and NULL names. */
  n = 0;
  assert_int_equal(tlsw_ctx_get_ciphers(c, NULL, 0, &n), TLSW_OK);
  assert_int_equal(n, 4);
  /* A short array gets the first entries and the full count. */
  names[2] = NULL;
  assert_int_equal(tlsw_ctx_get_ciphers(c, names, 2, &n), TLSW_OK);
  assert_int_equal(n, 4);
  assert_string_equal(names[0], expect[0]);
  assert_string_equal(names[1], expect[1]);
  assert_null(names[2]); /* not written past max */
  assert_int_equal(get_ciphers(c, names, 8), 4);
  for (size_t i = 0; i < 4; i++) assert_string_equal(names[i], expect[i]);
  tlsw_ctx_free(c);
}

static void available_ciphers(void **state) {
  (void)state;
  size_t n = 0;
  assert_int_equal(tlsw_available_ciphers(NULL, 0, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_available_ciphers(NULL, 3, &n), TLSW_ERR_ARG);
  assert_int_equal(tlsw_available_ciphers(NULL, 0, &n), TLSW_OK);
  assert_true(n >= 9);
  const char **all = calloc(n + 1, sizeof *all);
  assert_non_null(all);
  size_t n2;
  assert_int_equal(tlsw_available_ciphers(all, n + 1, &n2), TLSW_OK);
  assert_int_equal(n2, n);
  assert_null(all[n]);
  /* Non-empty names, no signalling pseudo-suites. (wolfSSL lists a few of
   * its private suites under non-IANA names, e.g. WDM_WITH_NULL_SHA256.) */
  for (size_t i = 0; i < n; i++) {
    assert_true(strlen(all[i]) > 4);
    assert_null(strstr(all[i], "SCSV"));
  }
  /* Every default suite is one the backend offers. */
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  const char *def[64];
  size_t nd = get_ciphers(c, def, 64);
  for (size_t i = 0; i < nd; i++) {
    int found = 0;
    for (size_t j = 0; j < n; j++) found |= strcmp(def[i], all[j]) == 0;
    assert_true(found);
  }
  tlsw_ctx_free(c);
  free(all);
}

/* Defaults: only TLS 1.3 suites and ECDHE with an AEAD, TLS 1.3 first. */
static void default_ciphers_are_safe(void **state) {
  (void)state;
  for (int p = 0; p <= 1; p++) {
    tlsw_ctx *c = new_ctx((tlsw_protocol)p);
    const char *names[64];
    size_t n = get_ciphers(c, names, 64);
    assert_true(n > 0 && n <= 64);
    int seen12 = 0;
    for (size_t i = 0; i < n; i++) {
      const char *s = names[i];
      static const char *const banned[] = {"NULL", "anon", "RC4",     "3DES",
                                           "DES",  "CBC",  "PSK",     "EXPORT",
                                           "_MD5", "SHA1", "CAMELLIA"};
      for (size_t b = 0; b < sizeof banned / sizeof banned[0]; b++) {
        if (strstr(s, banned[b]) != NULL) fail_msg("unsafe default %s", s);
      }
      int aead = strstr(s, "_GCM_") != NULL ||
                 strstr(s, "CHACHA20_POLY1305") != NULL ||
                 strstr(s, "_CCM") != NULL;
      if (!aead) fail_msg("default %s is not AEAD", s);
      if (strstr(s, "_WITH_") == NULL) {
        assert_false(seen12); /* TLS 1.3 suites lead */
      } else {
        seen12 = 1;
        if (strncmp(s, "TLS_ECDHE_", 10) != 0) {
          fail_msg("default %s lacks forward secrecy", s);
        }
      }
    }
    tlsw_ctx_free(c);
  }
}

static void dtls_cipher_and_version_limits(void **state) {
  (void)state;
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_DTLS_CLIENT);
  const char *t13[] = {"TLS_AES_128_GCM_SHA256"};
  assert_int_equal(tlsw_ctx_set_ciphers(c, t13, 1), TLSW_ERR_CIPHER);
  assert_non_null(strstr(tlsw_ctx_message(c), "TLS_AES_128_GCM_SHA256"));
  int v13 = (tlsw_backend_features() & TLSW_FEATURE_DTLS13) != 0;
  assert_int_equal(
      tlsw_ctx_set_version_range(c, TLSW_VERSION_TLS1_3, TLSW_VERSION_TLS1_3),
      v13 ? TLSW_OK : TLSW_ERR_UNSUPPORTED);
  if (!v13) assert_true(tlsw_ctx_message(c)[0] != '\0');
  if (v13) {
    /* DTLS 1.3's suites are the TLS 1.3 ones. */
    assert_int_equal(tlsw_ctx_set_ciphers(c, t13, 1), TLSW_OK);
  }
  tlsw_ctx_free(c);
}

/* A DTLS context's maximum picks wolfSSL's method, so it is set before
 * anything is loaded into the context (docs/dtls.md). */
static void dtls13_version_order(void **state) {
  (void)state;
  if (!(tlsw_backend_features() & TLSW_FEATURE_DTLS13)) skip();
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_DTLS_SERVER);
  assert_int_equal(
      tlsw_ctx_set_version_range(c, TLSW_VERSION_DEFAULT, TLSW_VERSION_TLS1_3),
      TLSW_OK);
  assert_int_equal(
      tlsw_ctx_set_version_range(c, TLSW_VERSION_DEFAULT, TLSW_VERSION_DEFAULT),
      TLSW_OK);
  assert_int_equal(
      tlsw_ctx_set_version_range(c, TLSW_VERSION_DEFAULT, TLSW_VERSION_TLS1_3),
      TLSW_OK);
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(c, fixture("server-ec.pem"),
                                    fixture("server-ec.key"), NULL),
      TLSW_OK);
  /* Within the same method: still fine. */
  assert_int_equal(
      tlsw_ctx_set_version_range(c, TLSW_VERSION_TLS1_3, TLSW_VERSION_TLS1_3),
      TLSW_OK);
  assert_int_equal(
      tlsw_ctx_set_version_range(c, TLSW_VERSION_TLS1_2, TLSW_VERSION_TLS1_2),
      TLSW_ERR_STATE);
  assert_non_null(strstr(tlsw_ctx_message(c), "before certificates"));
  tlsw_ctx_free(c);
}

/* ------------------------------------------------------------------------ */
/* Versions                                                                  */

static void version_errors(void **state) {
  (void)state;
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  assert_int_equal(tlsw_ctx_set_version_range(NULL, TLSW_VERSION_DEFAULT,
                                              TLSW_VERSION_DEFAULT),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_version_range(c, (tlsw_tls_version)0x0302,
                                              TLSW_VERSION_TLS1_3),
                   TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(c), "0x0302"));
  assert_int_equal(tlsw_ctx_set_version_range(c, TLSW_VERSION_TLS1_2,
                                              (tlsw_tls_version)0x0305),
                   TLSW_ERR_ARG);
  assert_int_equal(
      tlsw_ctx_set_version_range(c, (tlsw_tls_version)1, TLSW_VERSION_DEFAULT),
      TLSW_ERR_ARG);
  assert_int_equal(
      tlsw_ctx_set_version_range(c, TLSW_VERSION_TLS1_3, TLSW_VERSION_TLS1_2),
      TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(c), "minimum above maximum"));
  /* min 1.3 with max DEFAULT (= newest) is fine. */
  assert_int_equal(
      tlsw_ctx_set_version_range(c, TLSW_VERSION_TLS1_3, TLSW_VERSION_DEFAULT),
      TLSW_OK);
  assert_string_equal(tlsw_ctx_message(c), "");
  assert_int_equal(
      tlsw_ctx_set_version_range(c, TLSW_VERSION_DEFAULT, TLSW_VERSION_DEFAULT),
      TLSW_OK);
  tlsw_ctx_free(c);
}

/* The range really limits the handshake, and failed calls keep it. */
static void version_range_applies(void **state) {
  (void)state;
  tlsw_ctx *c = client_trusting("ca.pem");
  tlsw_ctx *s = server_with("server-ec.pem", "server-ec.key", NULL);
  assert_int_equal(
      tlsw_ctx_set_version_range(c, TLSW_VERSION_TLS1_2, TLSW_VERSION_TLS1_2),
      TLSW_OK);
  assert_int_equal(
      tlsw_ctx_set_version_range(c, TLSW_VERSION_TLS1_3, TLSW_VERSION_TLS1_2),
      TLSW_ERR_ARG);
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  assert_string_equal(tlsw_session_version(p.cli), "TLSv1.2");
  pair_free(&p);
  /* Server 1.3 only vs client 1.2 only: no common version. */
  assert_int_equal(
      tlsw_ctx_set_version_range(s, TLSW_VERSION_TLS1_3, TLSW_VERSION_TLS1_3),
      TLSW_OK);
  int st = try_handshake(c, s, NULL);
  assert_int_equal(tlsw_status_category(st), TLSW_CAT_PROTOCOL);
  tlsw_ctx_free(s);
  tlsw_ctx_free(c);
}

static int64_t fixed_time(void *user) {
  (void)user;
  return 1700000000;
}

/* Later additions to context.h: time source and RSA floor. */
static void time_and_rsa_floor_errors(void **state) {
  (void)state;
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  assert_int_equal(tlsw_ctx_set_time_callback(NULL, fixed_time, NULL),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_time(NULL, 0), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_time(c, -2), TLSW_ERR_ARG);
  assert_true(tlsw_ctx_message(c)[0] != '\0');
  if (tlsw_ctx_set_time_callback(c, fixed_time, NULL) == TLSW_OK) {
    assert_int_equal(tlsw_ctx_set_time_callback(c, NULL, NULL), TLSW_OK);
    assert_int_equal(tlsw_ctx_set_time(c, 1700000000), TLSW_OK);
    assert_int_equal(tlsw_ctx_set_time(c, -1), TLSW_OK);
  }
  assert_int_equal(tlsw_ctx_set_min_rsa_bits(NULL, 2048), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_min_rsa_bits(c, 0), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_min_rsa_bits(c, 504), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_min_rsa_bits(c, 2049), TLSW_ERR_ARG);
  assert_true(tlsw_ctx_message(c)[0] != '\0');
  assert_int_equal(tlsw_ctx_set_min_rsa_bits(c, 16392), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_min_rsa_bits(c, 512), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_min_rsa_bits(c, 16384), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_min_rsa_bits(c, 2048), TLSW_OK);
  tlsw_ctx_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(new_and_free),
      cmocka_unit_test(context_outlives_caller_ref),
      cmocka_unit_test(verify_mode_errors),
      cmocka_unit_test(cert_chain_arg_errors),
      cmocka_unit_test(cert_chain_file_errors),
      cmocka_unit_test(cert_and_key_in_one_file),
      cmocka_unit_test(cert_chain_bad_data),
      cmocka_unit_test(ctx_new_ex_reason),
      cmocka_unit_test(key_formats),
      cmocka_unit_test(encrypted_keys),
      cmocka_unit_test(failed_load_keeps_chain),
      cmocka_unit_test(verify_arg_errors),
      cmocka_unit_test(verify_bad_data),
      cmocka_unit_test(ca_bundles),
      cmocka_unit_test(ca_directory),
      cmocka_unit_test(default_certs),
      cmocka_unit_test(cipher_errors),
      cmocka_unit_test(cipher_order_and_sizing),
      cmocka_unit_test(available_ciphers),
      cmocka_unit_test(default_ciphers_are_safe),
      cmocka_unit_test(dtls_cipher_and_version_limits),
      cmocka_unit_test(dtls13_version_order),
      cmocka_unit_test(version_errors),
      cmocka_unit_test(version_range_applies),
      cmocka_unit_test(time_and_rsa_floor_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
