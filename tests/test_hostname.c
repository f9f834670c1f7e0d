/* src/core/hostname.c's IP-literal parser against the C
 * library's inet_pton: it must accept exactly the same texts and read the
 * same address (issue #13: "127.0.0.010" was read as 127.0.0.10 while the
 * resolver connects to 127.0.0.8). A fixed list of edge cases, then seeded
 * random strings over the characters that matter. */
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(edge_cases),
      cmocka_unit_test(random_texts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
