/*
 * server_hostname also sets SNI (RFC 6066 server_name), but never for IP
 * literals. Checked on the wire: the client's first flight is taken out of
 * the in-memory transport and its ClientHello parsed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "verify_util.h"

static size_t be16(const uint8_t *p) {
  return (size_t)p[0] << 8 | p[1];
}

/*
 * Find the server_name extension of the ClientHello in buf. Returns 1 and
 * the host name (NUL-terminated in name) when present, 0 when the
 * extension is absent; fails the test on a malformed hello.
 */
static int sni_of(const uint8_t *buf, size_t len, char *name, size_t max) {
  /* record header (5) + handshake header (4) */
  assert_true(len > 9);
  assert_int_equal(buf[0], 22); /* handshake */
  assert_int_equal(buf[5], 1);  /* client_hello */
  size_t rec_end = 5 + be16(buf + 3);
  assert_true(rec_end <= len);
  size_t i = 9 + 2 + 32;  /* version, random */
  i += 1 + buf[i];        /* session id */
  i += 2 + be16(buf + i); /* cipher suites */
  i += 1 + buf[i];        /* compression methods */
  size_t ext_end = i + 2 + be16(buf + i);
  assert_true(ext_end <= rec_end);
  for (i += 2; i + 4 <= ext_end;) {
    size_t type = be16(buf + i), elen = be16(buf + i + 2);
    const uint8_t *e = buf + i + 4;
    if (type == 0) {
      /* server_name_list: length, then name_type 0 (host_name), length */
      assert_true(elen >= 5);
      assert_int_equal(e[2], 0);
      size_t nl = be16(e + 3);
      assert_true(nl + 5 <= elen && nl < max);
      memcpy(name, e + 5, nl);
      name[nl] = '\0';
      return 1;
    }
    i += 4 + elen;
  }
  return 0;
}

/* Start a handshake to host and return what the ClientHello says. */
static int hello_sni(const char *host, tlsw_verify_mode mode, char *name,
                     size_t max) {
  tlsw_ctx *c = vclient_ctx(mode, NULL, TLSW_VERSION_DEFAULT);
  assert_non_null(c);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = host;
  assert_int_equal(tlsw_wrap(c, &p.cli_io, &o, &p.cli), TLSW_OK);
  assert_int_equal(tlsw_handshake(p.cli), TLSW_WANT_READ);
  uint8_t buf[8192];
  size_t n = 0;
  assert_int_equal(tlsw_membuf_read(p.c2s, buf, sizeof buf, &n), TLSW_OK);
  int found = sni_of(buf, n, name, max);
  pair_free(&p);
  tlsw_ctx_free(c);
  return found;
}

static void dns_names_are_sent(void **state) {
  (void)state;
  char name[256];
  assert_true(
      hello_sni("a.example.test", TLSW_CERT_REQUIRED, name, sizeof name));
  assert_string_equal(name, "a.example.test");
  assert_true(hello_sni("localhost", TLSW_CERT_NONE, name, sizeof name));
  assert_string_equal(name, "localhost");
  /* An absolute name goes out without its trailing dot (RFC 6066). */
  assert_true(
      hello_sni("a.example.test.", TLSW_CERT_REQUIRED, name, sizeof name));
  assert_string_equal(name, "a.example.test");
}

static void ip_literals_are_not_sent(void **state) {
  (void)state;
  static const char *const ips[] = {"127.0.0.1",        "::1",
                                    "0:0:0:0:0:0:0:1",  "fe80::1",
                                    "::ffff:127.0.0.1", "10.1.2.3"};
  char name[256];
  for (size_t i = 0; i < sizeof ips / sizeof ips[0]; i++) {
    assert_false(hello_sni(ips[i], TLSW_CERT_REQUIRED, name, sizeof name));
  }
}

static void no_hostname_no_sni(void **state) {
  (void)state;
  char name[256];
  assert_false(hello_sni(NULL, TLSW_CERT_NONE, name, sizeof name));
  assert_false(hello_sni(NULL, TLSW_CERT_OPTIONAL, name, sizeof name));
}

static void required_needs_hostname(void **state) {
  (void)state;
  tlsw_ctx *c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, TLSW_VERSION_DEFAULT);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  assert_int_equal(tlsw_wrap(c, &p.cli_io, &o, &p.cli),
                   TLSW_ERR_HOSTNAME_REQUIRED);
  pair_free(&p);
  tlsw_ctx_free(c);
}

static void overlong_hostname_refused(void **state) {
  (void)state;
  char host[300];
  memset(host, 'a', sizeof host - 1);
  host[sizeof host - 1] = '\0';
  tlsw_ctx *c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, TLSW_VERSION_DEFAULT);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = host;
  assert_int_equal(tlsw_wrap(c, &p.cli_io, &o, &p.cli), TLSW_ERR_ARG);
  assert_string_equal(tlsw_session_message(p.cli),
                      "wrap: server_hostname is longer than 255 characters");
  pair_free(&p);
  tlsw_ctx_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dns_names_are_sent),
      cmocka_unit_test(ip_literals_are_not_sent),
      cmocka_unit_test(no_hostname_no_sni),
      cmocka_unit_test(required_needs_hostname),
      cmocka_unit_test(overlong_hostname_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
