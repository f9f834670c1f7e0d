/* src/core/der.c: the certificate fields tlswrap's own rules read (key
 * kind and size, subjectAltName entries, subject CN), on the test PKI's
 * real certificates, and on every truncation and one-byte corruption of
 * one, which must never read out of bounds (ASan build) nor crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/der.h"
#include "pair.h"

static uint8_t *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static uint8_t buf[16384];
  *len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  assert_true(*len > 0 && *len < sizeof buf);
  uint8_t *d = malloc(*len);
  assert_non_null(d);
  memcpy(d, buf, *len);
  return d;
}

static void key_kinds_and_sizes(void **state) {
  (void)state;
  static const struct {
    const char *file;
    tlsw_key_kind kind;
    unsigned bits;
  } cases[] = {
      {"server-ec.der", TLSW_KEY_EC, 256},
      {"server-rsa.der", TLSW_KEY_RSA, 2048},
      {"ca.der", TLSW_KEY_EC, 256},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t len;
    uint8_t *d = slurp(fixture(cases[i].file), &len);
    tlsw_key_kind kind;
    unsigned bits;
    assert_int_equal(tlswi_der_cert_key(d, len, &kind, &bits), 1);
    assert_int_equal(kind, cases[i].kind);
    assert_int_equal(bits, cases[i].bits);
    free(d);
  }
}

typedef struct seen {
  unsigned tags[8];
  char text[8][64];
  size_t n;
} seen;

static int collect(void *user, unsigned tag, const uint8_t *v, size_t n) {
  seen *s = user;
  if (s->n < 8) {
    s->tags[s->n] = tag;
    if (tag == TLSW_SAN_IP && n == 4) {
      snprintf(s->text[s->n], 64, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
    } else {
      snprintf(s->text[s->n], 64, "%.*s", (int)n, (const char *)v);
    }
    s->n++;
  }
  return 0;
}

static void subject_alt_names(void **state) {
  (void)state;
  size_t len;
  uint8_t *d = slurp(fixture("server-ec.der"), &len);
  seen s;
  memset(&s, 0, sizeof s);
  /* gen-certs.sh: subjectAltName=DNS:localhost,IP:127.0.0.1 */
  assert_int_equal(tlswi_der_cert_sans(d, len, collect, &s), 0);
  assert_int_equal(s.n, 2);
  assert_int_equal(s.tags[0], TLSW_SAN_DNS);
  assert_string_equal(s.text[0], "localhost");
  assert_int_equal(s.tags[1], TLSW_SAN_IP);
  assert_string_equal(s.text[1], "127.0.0.1");
  char cn[64];
  assert_int_equal(tlswi_der_cert_subject_cn(d, len, cn, sizeof cn), 9);
  assert_string_equal(cn, "server-ec");
  /* Too small a buffer: no CN rather than a cut one. */
  assert_int_equal(tlswi_der_cert_subject_cn(d, len, cn, 9), 0);
  free(d);
  /* The CA has no subjectAltName. */
  d = slurp(fixture("ca.der"), &len);
  memset(&s, 0, sizeof s);
  assert_int_equal(tlswi_der_cert_sans(d, len, collect, &s), TLSW_DER_NONE);
  assert_int_equal(s.n, 0);
  free(d);
}

/* Days from 1970 of a date (the test's own arithmetic, Hinnant's). */
static long days_of(const tlsw_date *d) {
  long y = d->year - (d->month <= 2);
  long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
  long doy = (153 * (d->month + (d->month > 2 ? -3 : 9)) + 2) / 5 + d->day - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* Dates, names, key and cA flag (what the backend used to read through
 * wolfSSL's X509 objects): the test PKI's CA lasts 3650 days, its leaves
 * 825 (tests/fixtures/gen-certs.sh), and a leaf's issuer is its CA. */
static void cert_facts(void **state) {
  (void)state;
  size_t cl, ll;
  uint8_t *ca = slurp(fixture("ca.der"), &cl);
  uint8_t *leaf = slurp(fixture("server-ec.der"), &ll);
  tlsw_cert_facts c, l;
  assert_int_equal(tlswi_der_cert_facts(ca, cl, &c), 1);
  assert_int_equal(tlswi_der_cert_facts(leaf, ll, &l), 1);
  assert_int_equal(days_of(&c.not_after) - days_of(&c.not_before), 3650);
  assert_int_equal(days_of(&l.not_after) - days_of(&l.not_before), 825);
  assert_true(c.not_before.year >= 2024 && c.not_before.hour < 24);
  assert_int_equal(c.is_ca, 1);
  assert_int_equal(l.is_ca, 0);
  assert_int_equal(l.issuer_len, c.subject_len);
  assert_memory_equal(l.issuer, c.subject, c.subject_len);
  assert_true(l.spki_len > 64 && l.spki[0] == 0x30);
  char line[64];
  assert_int_equal(
      tlswi_der_name_line(c.subject, c.subject_len, line, sizeof line),
      strlen("/CN=tlswrap test ca"));
  assert_string_equal(line, "/CN=tlswrap test ca");
  /* Too small for the one attribute: nothing, never half of it. */
  assert_int_equal(tlswi_der_name_line(c.subject, c.subject_len, line, 8), 0);
  assert_string_equal(line, "");
  free(ca);
  free(leaf);
}

/* Every prefix and every single-byte change of a real certificate: the
 * reader answers (0, NONE or BAD) without reading outside the buffer, which
 * is copied to an exact-size heap block so ASan sees any overrun. */
static void truncated_and_corrupted(void **state) {
  (void)state;
  size_t len;
  uint8_t *d = slurp(fixture("server-rsa.der"), &len);
  unsigned ok = 0;
  for (size_t cut = 0; cut < len; cut++) {
    uint8_t *p = malloc(cut ? cut : 1);
    assert_non_null(p);
    memcpy(p, d, cut);
    tlsw_key_kind kind;
    unsigned bits;
    seen s;
    memset(&s, 0, sizeof s);
    char cn[64];
    tlsw_cert_facts f;
    ok += (unsigned)tlswi_der_cert_key(p, cut, &kind, &bits);
    ok += (unsigned)tlswi_der_cert_facts(p, cut, &f);
    assert_true(tlswi_der_cert_sans(p, cut, collect, &s) != 0 || s.n <= 2);
    (void)tlswi_der_cert_subject_cn(p, cut, cn, sizeof cn);
    tlsw_der_usage u;
    ok += (unsigned)(tlswi_der_cert_weak_sig(p, cut) != NULL);
    ok += (unsigned)tlswi_der_cert_self_issued(p, cut);
    ok += (unsigned)tlswi_der_cert_usage(p, cut, &u);
    free(p);
  }
  /* A certificate cut anywhere is not a certificate. */
  assert_int_equal(ok, 0);
  for (size_t i = 0; i < len; i++) {
    for (unsigned x = 1; x < 256; x <<= 1) {
      uint8_t *p = malloc(len);
      assert_non_null(p);
      memcpy(p, d, len);
      p[i] ^= (uint8_t)x;
      tlsw_key_kind kind;
      unsigned bits;
      seen s;
      memset(&s, 0, sizeof s);
      char cn[64];
      (void)tlswi_der_cert_key(p, len, &kind, &bits);
      (void)tlswi_der_cert_sans(p, len, collect, &s);
      (void)tlswi_der_cert_subject_cn(p, len, cn, sizeof cn);
      assert_true(strlen(cn) < sizeof cn);
      tlsw_cert_facts f;
      if (tlswi_der_cert_facts(p, len, &f)) {
        char line[64];
        assert_true(f.spki >= p && f.spki + f.spki_len <= p + len);
        assert_true(tlswi_der_name_line(f.subject, f.subject_len, line,
                                        sizeof line) < sizeof line);
      }
      tlsw_der_usage u;
      (void)tlswi_der_cert_weak_sig(p, len);
      (void)tlswi_der_cert_self_issued(p, len);
      (void)tlswi_der_cert_usage(p, len, &u);
      free(p);
    }
  }
  free(d);
  assert_int_equal(
      tlswi_der_cert_key(NULL, 0, &(tlsw_key_kind){0}, &(unsigned){0}), 0);
}

/* The fields of the weak-signature and key-usage rules (core/policy.c)
 * on the test PKI: SHA-256 signatures, a self-signed CA, a server leaf
 * with serverAuth. The matrix's SHA-1/MD5 and usage cases are handshakes
 * in test_verify_rules.c. */
static void signature_and_usage(void **state) {
  (void)state;
  size_t len;
  uint8_t *ca = slurp(fixture("ca.der"), &len);
  assert_string_equal(tlswi_der_cert_weak_sig(ca, len), "");
  assert_int_equal(tlswi_der_cert_self_issued(ca, len), 1);
  free(ca);
  uint8_t *leaf = slurp(fixture("server-ec.der"), &len);
  assert_string_equal(tlswi_der_cert_weak_sig(leaf, len), "");
  assert_int_equal(tlswi_der_cert_self_issued(leaf, len), 0);
  tlsw_der_usage u;
  assert_int_equal(tlswi_der_cert_usage(leaf, len, &u), 1);
  if (u.has_ext_key_usage) {
    assert_true(u.ext_key_usage & TLSW_EKU_SERVER_AUTH);
  }
  if (u.has_key_usage) {
    assert_true(u.key_usage & TLSW_KU_DIGITAL_SIGNATURE);
  }
  free(leaf);
  assert_null(tlswi_der_cert_weak_sig(NULL, 0));
  assert_int_equal(tlswi_der_cert_usage(NULL, 0, &u), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(signature_and_usage),
      cmocka_unit_test(key_kinds_and_sizes),
      cmocka_unit_test(subject_alt_names),
      cmocka_unit_test(cert_facts),
      cmocka_unit_test(truncated_and_corrupted),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
