/* The tools' DER/X.509 reader: the fixture certificates give the fields
 * openssl put in them; hand-built certificates check escaping of hostile
 * strings; every truncation and many corruptions of a real certificate are
 * rejected or parsed without reading out of bounds (run under ASan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pair.h"
#include "x509_info.h"

static uint8_t *load(const char *name, size_t *len) {
  FILE *f = fopen(fixture(name), "rb");
  assert_non_null(f);
  static uint8_t buf[8192];
  *len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  assert_true(*len > 0 && *len < sizeof buf);
  uint8_t *copy = malloc(*len);
  assert_non_null(copy);
  memcpy(copy, buf, *len);
  return copy;
}

static void fixture_server(void **state) {
  (void)state;
  size_t len;
  uint8_t *der = load("server-ec.der", &len);
  cli_x509 x;
  assert_int_equal(cli_x509_parse(der, len, &x), 0);
  assert_string_equal(x.subject, "CN=server-ec");
  assert_string_equal(x.issuer, "CN=tlswrap test ca");
  assert_string_equal(x.sans, "DNS:localhost, IP:127.0.0.1");
  /* gen-certs.sh: -days 825 */
  assert_int_equal(x.not_after_t - x.not_before_t, 825LL * 86400);
  assert_int_equal(strlen(x.not_before), strlen("2026-01-02 03:04:05 UTC"));
  cli_x509_free(&x);
  free(der);
}

static void fixture_ca_and_client(void **state) {
  (void)state;
  size_t len;
  uint8_t *der = load("ca.der", &len);
  cli_x509 x;
  assert_int_equal(cli_x509_parse(der, len, &x), 0);
  assert_string_equal(x.subject, "CN=tlswrap test ca");
  assert_string_equal(x.subject, x.issuer);
  assert_string_equal(x.sans, "");
  cli_x509_free(&x);
  free(der);
  der = load("client.der", &len);
  assert_int_equal(cli_x509_parse(der, len, &x), 0);
  assert_string_equal(x.sans, "DNS:client.test");
  cli_x509_free(&x);
  free(der);
}

static void truncations_and_corruption(void **state) {
  (void)state;
  size_t len;
  uint8_t *der = load("server-rsa.der", &len);
  cli_x509 x;
  for (size_t n = 0; n < len; n++) {
    uint8_t *cut = malloc(n ? n : 1); /* exact size: ASan sees overreads */
    assert_non_null(cut);
    memcpy(cut, der, n);
    assert_int_equal(cli_x509_parse(cut, n, &x), -1);
    free(cut);
  }
  /* Flip every byte in turn: parse or refuse, never crash or leak. */
  int parsed = 0;
  for (size_t i = 0; i < len; i++) {
    uint8_t *bad = malloc(len);
    assert_non_null(bad);
    memcpy(bad, der, len);
    bad[i] ^= 0xff;
    if (cli_x509_parse(bad, len, &x) == 0) {
      parsed++;
      assert_non_null(x.subject);
      cli_x509_free(&x);
    }
    free(bad);
  }
  /* Flipped key or signature bytes still parse (nothing is verified). */
  assert_true(parsed > 0);
  assert_int_equal(cli_x509_parse(NULL, 0, &x), -1);
  free(der);
}

/* ---- a tiny DER writer for hand-made certificates ---- */

typedef struct w {
  uint8_t b[2048];
  size_t n;
} w;

static void put(w *o, const void *p, size_t n) {
  assert_true(o->n + n <= sizeof o->b);
  memcpy(o->b + o->n, p, n);
  o->n += n;
}

/* Append TLV(tag, content of inner). */
static void tlv(w *o, uint8_t tag, const w *inner) {
  uint8_t h[4] = {tag};
  size_t hl = 2;
  if (inner->n < 128) {
    h[1] = (uint8_t)inner->n;
  } else {
    h[1] = 0x82;
    h[2] = (uint8_t)(inner->n >> 8);
    h[3] = (uint8_t)inner->n;
    hl = 4;
  }
  put(o, h, hl);
  put(o, inner->b, inner->n);
}

static void tlv_raw(w *o, uint8_t tag, const void *p, size_t n) {
  w t = {{0}, 0};
  put(&t, p, n);
  tlv(o, tag, &t);
}

/* Name with one attribute: oid (content octets) = value of type vtag. */
static void name1(w *o, const char *oid, size_t oidlen, uint8_t vtag,
                  const void *val, size_t vlen) {
  w atv = {{0}, 0}, set = {{0}, 0}, seq = {{0}, 0};
  tlv_raw(&atv, 0x06, oid, oidlen);
  tlv_raw(&atv, vtag, val, vlen);
  tlv(&set, 0x30, &atv);
  tlv(&seq, 0x31, &set);
  tlv(o, 0x30, &seq);
}

static void make_cert(w *cert, const w *subject, const w *sans_gn,
                      const char *nb, const char *na) {
  w tbs = {{0}, 0}, v = {{0}, 0};
  static const uint8_t two = 2, alg[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
  tlv_raw(&v, 0x02, &two, 1);
  tlv(&tbs, 0xa0, &v);
  tlv_raw(&tbs, 0x02, "\x01", 1);
  tlv_raw(&tbs, 0x30, alg, sizeof alg);
  name1(&tbs, "\x55\x04\x03", 3, 0x0c, "issuer", 6);
  w val = {{0}, 0};
  tlv_raw(&val, strlen(nb) == 13 ? 0x17 : 0x18, nb, strlen(nb));
  tlv_raw(&val, strlen(na) == 13 ? 0x17 : 0x18, na, strlen(na));
  tlv(&tbs, 0x30, &val);
  put(&tbs, subject->b, subject->n);
  w spki = {{0}, 0};
  tlv_raw(&spki, 0x30, alg, sizeof alg);
  tlv_raw(&spki, 0x03, "\x00\x01", 2);
  tlv(&tbs, 0x30, &spki);
  if (sans_gn != NULL) {
    w gns = {{0}, 0}, oct = {{0}, 0}, ext = {{0}, 0}, exts = {{0}, 0},
      ctx = {{0}, 0};
    tlv(&gns, 0x30, sans_gn);
    tlv_raw(&ext, 0x06, "\x55\x1d\x11", 3);
    tlv(&ext, 0x04, &gns);
    tlv(&oct, 0x30, &ext);
    tlv(&exts, 0x30, &oct);
    tlv(&tbs, 0xa3, &exts);
    (void)ctx;
  }
  w body = {{0}, 0};
  tlv(&body, 0x30, &tbs);
  tlv_raw(&body, 0x30, alg, sizeof alg);
  tlv_raw(&body, 0x03, "\x00\x01", 2);
  cert->n = 0;
  tlv(cert, 0x30, &body);
}

static void hostile_strings_are_escaped(void **state) {
  (void)state;
  w subj = {{0}, 0}, cert = {{0}, 0}, gn = {{0}, 0};
  /* A comma (would fake a second attribute), a newline and an ANSI escape
   * (would rewrite the terminal), valid UTF-8 (kept), a C1 control in
   * UTF-8 form (escaped), invalid UTF-8 (escaped). */
  const char v[] = "a, O=evil\n\x1b[31m\xc3\xa9\xc2\x9b\xff";
  name1(&subj, "\x55\x04\x03", 3, 0x0c, v, sizeof v - 1);
  tlv_raw(&gn, 0x82, "ok.example\r\n", 12);
  static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
  tlv_raw(&gn, 0x87, v6, 16);
  tlv_raw(&gn, 0x86, "https://x.test/", 15);
  tlv_raw(&gn, 0x81, "a@x.test", 8);
  make_cert(&cert, &subj, &gn, "260102030405Z", "20500102030405Z");
  cli_x509 x;
  assert_int_equal(cli_x509_parse(cert.b, cert.n, &x), 0);
  assert_string_equal(x.subject,
                      "CN=a\\, O\\=evil\\x0A\\x1B[31m\xc3\xa9\\xC2\\x9B\\xFF");
  assert_string_equal(x.issuer, "CN=issuer");
  assert_string_equal(x.sans,
                      "DNS:ok.example\\x0D\\x0A, IP:2001:db8:0:0:0:0:0:1, "
                      "URI:https://x.test/, email:a@x.test");
  assert_string_equal(x.not_before, "2026-01-02 03:04:05 UTC");
  assert_string_equal(x.not_after, "2050-01-02 03:04:05 UTC");
  cli_x509_free(&x);
}

static void bmp_and_unknown_attributes(void **state) {
  (void)state;
  w subj = {{0}, 0}, cert = {{0}, 0};
  /* BMPString "Zé" under an attribute type this reader does not name. */
  name1(&subj, "\x2b\x06\x01\x04\x01\x82\x37\x3c", 8, 0x1e, "\x00Z\x00\xe9", 4);
  make_cert(&cert, &subj, NULL, "491231235959Z", "500101000000Z");
  cli_x509 x;
  assert_int_equal(cli_x509_parse(cert.b, cert.n, &x), 0);
  assert_string_equal(x.subject, "1.3.6.1.4.1.311.60=Z\xc3\xa9");
  assert_string_equal(x.sans, "");
  /* UTCTime: 49 is 2049, 50 is 1950 (RFC 5280). */
  assert_string_equal(x.not_before, "2049-12-31 23:59:59 UTC");
  assert_string_equal(x.not_after, "1950-01-01 00:00:00 UTC");
  cli_x509_free(&x);

  /* A bad date is malformed. */
  make_cert(&cert, &subj, NULL, "261302030405Z", "270102030405Z");
  assert_int_equal(cli_x509_parse(cert.b, cert.n, &x), -1);
  /* Trailing bytes after the certificate are malformed. */
  make_cert(&cert, &subj, NULL, "260102030405Z", "270102030405Z");
  cert.b[cert.n++] = 0;
  assert_int_equal(cli_x509_parse(cert.b, cert.n, &x), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fixture_server),
      cmocka_unit_test(fixture_ca_and_client),
      cmocka_unit_test(truncations_and_corruption),
      cmocka_unit_test(hostile_strings_are_escaped),
      cmocka_unit_test(bmp_and_unknown_attributes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
