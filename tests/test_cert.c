/* The certificate reader (tlswrap/cert.h; core/cert.c, core/cert_text.c)
 * on the test PKI: every field against what openssl says of the same
 * file, the arguments refused, truncated and trailing bytes refused, and
 * every allocation failing in turn (TLSW_ERR_NOMEM, nothing leaked). The
 * escaping of hostile strings is tests/cli/test_x509_info.c, through the
 * tools' summary that uses this reader. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pair.h"
#include "test_alloc.h"
#include "tlswrap/tlswrap.h"

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static uint8_t buf[16384];
  *len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  return buf;
}

/* One line of `openssl x509 -noout OPT -in FILE`, after its "key=". */
static void openssl_says(const char *opt, const char *file, char *out,
                         size_t cap) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "openssl x509 -noout %s -in %s", opt, file);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  char line[512] = "";
  assert_non_null(fgets(line, sizeof line, p));
  pclose(p);
  line[strcspn(line, "\r\n")] = '\0';
  const char *eq = strchr(line, '=');
  snprintf(out, cap, "%s", eq ? eq + 1 : line);
}

static void fields_of_the_fixtures(void **state) {
  (void)state;
  size_t len;
  uint8_t *der = read_file(fixture("server-ec.der"), &len);
  tlsw_cert *c = NULL;
  assert_int_equal(tlsw_cert_parse(der, len, &c), TLSW_OK);
  assert_string_equal(tlsw_cert_subject(c), "CN=server-ec");
  assert_string_equal(tlsw_cert_issuer(c), "CN=tlswrap test ca");
  assert_string_equal(tlsw_cert_sans(c), "DNS:localhost, IP:127.0.0.1");
  unsigned bits = 0;
  assert_string_equal(tlsw_cert_key(c, &bits), "EC");
  assert_int_equal(bits, 256);
  assert_int_equal(tlsw_cert_is_ca(c), 0);
  char want[128];
  openssl_says("-serial", fixture("server-ec.pem"), want, sizeof want);
  assert_string_equal(tlsw_cert_serial(c), want);
  openssl_says("-fingerprint -sha256", fixture("server-ec.pem"), want,
               sizeof want);
  assert_string_equal(tlsw_cert_fingerprint_sha256(c), want);
  assert_string_equal(tlsw_cert_sig_alg(c), "ecdsa-with-SHA256");
  /* The dates: openssl's -dateopt iso_8601 is 3.0's "2026-12-04 01:19:49Z". */
  openssl_says("-enddate -dateopt iso_8601", fixture("server-ec.pem"), want,
               sizeof want);
  int y, mo, d, h, mi, s;
  assert_int_equal(sscanf(want, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s),
                   6);
  int64_t t = tlsw_cert_not_after(c);
  assert_int_equal(t % 60, s);
  assert_int_equal(t / 60 % 60, mi);
  assert_int_equal(t / 3600 % 24, h);
  assert_true(tlsw_cert_not_before(c) < t);
  tlsw_cert_free(c);

  der = read_file(fixture("ca.der"), &len);
  assert_int_equal(tlsw_cert_parse(der, len, &c), TLSW_OK);
  assert_int_equal(tlsw_cert_is_ca(c), 1);
  assert_string_equal(tlsw_cert_subject(c), tlsw_cert_issuer(c));
  assert_string_equal(tlsw_cert_sans(c), "");
  tlsw_cert_free(c);

  der = read_file(fixture("server-rsa.der"), &len);
  assert_int_equal(tlsw_cert_parse(der, len, &c), TLSW_OK);
  assert_string_equal(tlsw_cert_key(c, &bits), "RSA");
  assert_int_equal(bits, 2048);
  tlsw_cert_free(c);
}

static void bad_input(void **state) {
  (void)state;
  size_t len;
  uint8_t *der = read_file(fixture("server-ec.der"), &len);
  tlsw_cert *c = (tlsw_cert *)&c;
  assert_int_equal(tlsw_cert_parse(NULL, 1, &c), TLSW_ERR_ARG);
  assert_null(c);
  assert_int_equal(tlsw_cert_parse(der, 0, &c), TLSW_ERR_ARG);
  assert_int_equal(tlsw_cert_parse(der, len, NULL), TLSW_ERR_ARG);
  for (size_t cut = 1; cut < len; cut += 7) {
    assert_int_equal(tlsw_cert_parse(der, cut, &c), TLSW_ERR_CERT_INVALID);
    assert_null(c);
  }
  der[len] = 0; /* one byte past the certificate */
  assert_int_equal(tlsw_cert_parse(der, len + 1, &c), TLSW_ERR_CERT_INVALID);
  static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
  assert_int_equal(tlsw_cert_parse(junk, sizeof junk, &c),
                   TLSW_ERR_CERT_INVALID);
  assert_null(tlsw_cert_subject(NULL));
  assert_null(tlsw_cert_key(NULL, NULL));
  assert_int_equal(tlsw_cert_not_after(NULL), 0);
  assert_null(tlsw_cert_sig_alg(NULL));
  assert_null(tlsw_cert_fingerprint_sha256(NULL));
  tlsw_cert_free(NULL);
}

static void out_of_memory(void **state) {
  (void)state;
  size_t len;
  uint8_t *der = read_file(fixture("server-ec.der"), &len);
  long long before = test_alloc.live_bytes;
  unsigned long failures = 0;
  for (unsigned long n = 1;; n++) {
    test_alloc.fail_at = test_alloc.requests + n;
    tlsw_cert *c = NULL;
    int st = tlsw_cert_parse(der, len, &c);
    test_alloc.fail_at = 0;
    if (st == TLSW_OK) {
      assert_string_equal(tlsw_cert_subject(c), "CN=server-ec");
      tlsw_cert_free(c);
      break;
    }
    assert_int_equal(st, TLSW_ERR_NOMEM);
    assert_null(c);
    failures++;
  }
  assert_true(failures >= 5); /* the object and its five strings */
  assert_int_equal(test_alloc.live_bytes, before);
}

int main(void) {
  assert_int_equal(test_alloc_install(), TLSW_OK);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fields_of_the_fixtures),
      cmocka_unit_test(bad_input),
      cmocka_unit_test(out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
