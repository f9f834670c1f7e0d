/* src/core/hostname.c, the host-name rules:
 * - the IP-literal parser against the C library's inet_pton: it must
 *   accept exactly the same texts and read the same address (issue #13:
 *   "127.0.0.010" was read as 127.0.0.10 while the resolver connects to
 *   127.0.0.8). A fixed list of edge cases, then seeded random strings
 *   over the characters that matter;
 * - the matcher, as a table of (certificate of the verification matrix,
 *   host name, CN fallback) -> match, called directly (no handshake);
 * - what SNI carries, as a table. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "tlswrap/tlswrap.h"

static void same_as_inet_pton(const char *t) {
  uint8_t ours[16], want4[4], want6[16];
  size_t n = tlswi_parse_ip(t, ours);
  int v4 = inet_pton(AF_INET, t, want4) == 1;
  int v6 = !v4 && inet_pton(AF_INET6, t, want6) == 1;
  if (n != (v4 ? 4u : v6 ? 16u : 0u)) {
    fail_msg("'%s': parsed as %zu bytes, inet_pton says %s", t, n,
             v4   ? "IPv4"
             : v6 ? "IPv6"
                  : "not an address");
  }
  if (v4) assert_memory_equal(ours, want4, 4);
  if (v6) assert_memory_equal(ours, want6, 16);
}

static void edge_cases(void **state) {
  (void)state;
  static const char *const texts[] = {
      "127.0.0.1",
      "127.0.0.010",
      "127.0.0.01",
      "0.0.0.0",
      "00.0.0.0",
      "255.255.255.255",
      "256.0.0.1",
      "1.2.3",
      "1.2.3.4.5",
      "1..2.3",
      "127.1",
      "0x7f.0.0.1",
      " 127.0.0.1",
      "127.0.0.1 ",
      "1.2.3.4.",
      "::",
      "::1",
      "1::",
      "1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7::",
      "::ffff:127.0.0.1",
      "::ffff:127.0.0.010",
      "1::2::3",
      ":1::",
      "1:::2",
      "12345::",
      "fe80::1%eth0",
      "[::1]",
      "::1.2.3.4",
      "1:2:3:4:5:6:1.2.3.4",
      "1:2:3:4:5:6:7:1.2.3.4",
      "abcd:EF01::",
      "g::1",
      "",
      "localhost",
      "0",
      "01.2.3.4",
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    same_as_inet_pton(texts[i]);
  }
}

static void random_texts(void **state) {
  (void)state;
  static const char alphabet[] = "0123456789abcdefABCDEF:.:.0";
  srand(12345);
  char t[48];
  for (int k = 0; k < 200000; k++) {
    size_t len = (size_t)(rand() % 40);
    for (size_t i = 0; i < len; i++) {
      t[i] = alphabet[rand() % (int)(sizeof alphabet - 1)];
    }
    t[len] = '\0';
    same_as_inet_pton(t);
  }
}

/* The first certificate of a PEM file, as DER (a small base64 reader, so
 * the test needs no TLS library of its own). Returns its length. */
static size_t pem_to_der(const char *path, uint8_t *out, size_t cap) {
  FILE *f = fopen(path, "r");
  if (f == NULL) fail_msg("cannot open %s", path);
  char line[256];
  int in = 0;
  uint32_t acc = 0;
  int bits = 0;
  size_t n = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "-----BEGIN CERTIFICATE", 22) == 0) {
      in = 1;
      continue;
    }
    if (strncmp(line, "-----END CERTIFICATE", 20) == 0) break;
    for (const char *c = line; in && *c != '\0'; c++) {
      const char *abc =
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      const char *at = *c != '\0' ? strchr(abc, *c) : NULL;
      if (at == NULL) continue; /* newline, '=' padding */
      acc = (acc << 6) | (uint32_t)(at - abc);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        assert_true(n < cap);
        out[n++] = (uint8_t)(acc >> bits);
      }
    }
  }
  fclose(f);
  assert_true(n > 0);
  return n;
}

static const char *matrix_file(const char *stem) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s.crt", TLSW_TEST_MATRIX, stem);
  return path;
}

/* RFC 6125 as tlswrap applies it (docs/verification.md), one row a case. */
static void matcher_table(void **state) {
  (void)state;
  static const struct {
    const char *cert; /* a leaf of the matrix (gen-matrix.sh) */
    const char *host;
    int cn_fallback;
    int match;
  } rows[] = {
      /* DNS names: ASCII case-insensitive, one trailing dot ignored. */
      {"valid", "a.example.test", 0, 1},
      {"valid", "A.Example.TEST", 0, 1},
      {"valid", "a.example.test.", 0, 1},
      {"valid", "b.example.test", 0, 0},
      {"valid", "example.test", 0, 0},
      {"valid", "aa.example.test", 0, 0},
      {"valid", "a.example.test..", 0, 0},
      /* A wildcard: the whole left-most label, exactly one label. */
      {"wildcard", "x.example.test", 0, 1},
      {"wildcard", "X.EXAMPLE.test", 0, 1},
      {"wildcard", "example.test", 0, 0},
      {"wildcard", "a.b.example.test", 0, 0},
      {"wildcard", ".example.test", 0, 0},
      {"partialwild", "ab.example.test", 0, 0},
      {"partialwild", "a.example.test", 0, 0},
      {"tldwild", "x.test", 0, 0},
      /* IP literals match iPAddress entries only, byte for byte. */
      {"ip", "127.0.0.1", 0, 1},
      {"ip", "127.0.0.2", 0, 0},
      {"ip", "127.0.0.010", 0, 0},
      {"ip", "127.1", 0, 0},
      {"ip", "::ffff:127.0.0.1", 0, 0},
      {"ip", "localhost", 0, 0},
      {"ipdns", "localhost", 0, 1},
      {"ipdns", "127.0.0.1", 0, 1},
      {"dnsip", "127.0.0.1", 0, 0},
      {"ipv6", "::1", 0, 1},
      {"ipv6", "0:0:0:0:0:0:0:1", 0, 1},
      {"ipv6", "::2", 0, 0},
      {"ipv6", "127.0.0.1", 0, 0},
      /* The CN: only with the fallback on, only without any SAN, only for
       * DNS names. */
      {"cnonly", "a.example.test", 0, 0},
      {"cnonly", "a.example.test", 1, 0},
      {"cnonly", "other.example.test", 0, 1},
      {"nosan", "a.example.test", 0, 0},
      {"nosan", "a.example.test", 1, 1},
      {"nosan", "A.EXAMPLE.TEST.", 1, 1},
      {"nosan", "b.example.test", 1, 0},
  };
  static uint8_t der[8192];
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    size_t n = pem_to_der(matrix_file(rows[i].cert), der, sizeof der);
    int got = tlswi_host_matches(rows[i].host, der, n, rows[i].cn_fallback);
    if (got != rows[i].match) {
      fail_msg("row %zu: '%s' against %s (cn_fallback %d): %s, want %s", i,
               rows[i].host, rows[i].cert, rows[i].cn_fallback,
               got ? "match" : "no match", rows[i].match ? "match" : "none");
    }
  }
  /* A certificate that cannot be read matches nothing. */
  size_t n = pem_to_der(matrix_file("valid"), der, sizeof der);
  for (size_t cut = 0; cut < n; cut += 7) {
    assert_int_equal(tlswi_host_matches("a.example.test", der, cut, 1), 0);
  }
}

/* What SNI carries (RFC 6066): DNS names without the trailing dot; never
 * an IP literal or a digits-and-dots name. */
static void sni_table(void **state) {
  (void)state;
  static const struct {
    const char *host;
    size_t len;
  } rows[] = {
      {"example.test", 12},
      {"example.test.", 12},
      {"localhost", 9},
      {"x", 1},
      {"127.0.0.1", 0},
      {"::1", 0},
      {"fe80::1%eth0", 0},
      {"127.1", 0},
      {"1.2.3.4.5", 0},
      {"0x7f.0.0.1", 10},
      {".", 0},
      {"a.b-c.test", 10},
      {"1.example.test", 14},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    size_t got = tlswi_sni_len(rows[i].host);
    if (got != rows[i].len) {
      fail_msg("'%s': SNI of %zu bytes, want %zu", rows[i].host, got,
               rows[i].len);
    }
  }
  assert_int_equal(tlswi_sni_len(NULL), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(edge_cases),
      cmocka_unit_test(random_texts),
      cmocka_unit_test(matcher_table),
      cmocka_unit_test(sni_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
