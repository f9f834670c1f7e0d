/* fuzz_hostname: the host-name check's parts, on fuzzed text and
 * certificates.
 *
 * Input: byte 0 picks the part (bit 0).
 * 0: the rest is a host name; tlswi_parse_ip() must agree with
 *    inet_pton() exactly (IPv4, IPv6, or not an IP literal, and the same
 *    bytes); any disagreement aborts. An IP literal the matcher reads
 *    differently from the resolver is a certificate for another address
 *    (issue #13: "127.0.0.010").
 * 1: byte 1 is a host-name length L (and bit 1 of byte 0 the CN
 *    fallback), L bytes of host name, the rest a DER certificate for
 *    src/core/der.c's readers (tlswi_der_cert_key, tlswi_der_cert_sans,
 *    tlswi_der_cert_subject_cn, _weak_sig, _self_issued, _usage) and the
 *    rules built on them: the matcher, tlswi_host_matches(), and
 *    tlswi_check_cert() (weak signatures, key usage).
 * Seeds: host names and IP literals, and real certificates with SANs. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "core/der.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_init();
  return 0;
}

static void check_ip(const char *host) {
  uint8_t ours[16], v4[4], v6[16];
  size_t n = tlswi_parse_ip(host, ours);
  int is4 = inet_pton(AF_INET, host, v4) == 1;
  int is6 = inet_pton(AF_INET6, host, v6) == 1;
  if (is4   ? n != 4 || memcmp(ours, v4, 4) != 0
      : is6 ? n != 16 || memcmp(ours, v6, 16) != 0
            : n != 0) {
    abort(); /* the matcher and the resolver read this text differently */
  }
}

static int san_seen(void *user, unsigned tag, const uint8_t *v, size_t vlen) {
  size_t *sum = user;
  *sum += tag + vlen;
  if (vlen > 0) *sum += v[0] + v[vlen - 1];
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > FUZZ_MAX_INPUT) return -1;
  if ((data[0] & 1u) == 0) {
    char *host = fuzz_str_exact(data + 1, size - 1);
    check_ip(host);
    free(host);
    return 0;
  }
  if (size < 2) return 0;
  size_t hl = data[1];
  if (hl > size - 2) hl = size - 2;
  char *host = fuzz_str_exact(data + 2, hl);
  const uint8_t *p = data + 2 + hl;
  size_t n = size - 2 - hl;
  uint8_t *der = malloc(n ? n : 1); /* exactly n bytes: ASan sees past it */
  if (der == NULL) abort();
  if (n) memcpy(der, p, n);

  volatile size_t sum = 0;
  tlsw_key_kind kind;
  unsigned bits;
  if (tlswi_der_cert_key(der, n, &kind, &bits)) sum += (size_t)kind + bits;
  size_t s2 = 0;
  int r = tlswi_der_cert_sans(der, n, san_seen, &s2);
  if (r != TLSW_DER_NONE && r != TLSW_DER_BAD && r != 0) abort();
  sum += s2;
  char cn[256];
  size_t cap = 1 + (size_t)(data[0] >> 2) % sizeof cn; /* small buffers too */
  size_t cl = tlswi_der_cert_subject_cn(der, n, cn, cap);
  if (cl >= cap || (cl > 0 && (strlen(cn) != cl))) abort();
  check_ip(host);
  sum += (size_t)tlswi_host_matches(host, der, n, (data[0] >> 1) & 1);
  const char *weak = tlswi_der_cert_weak_sig(der, n);
  if (weak != NULL) sum += strlen(weak);
  sum += (size_t)tlswi_der_cert_self_issued(der, n);
  tlsw_der_usage u;
  if (tlswi_der_cert_usage(der, n, &u)) sum += u.key_usage + u.ext_key_usage;
  char detail[64];
  detail[0] = '\0';
  tlsw_cert_reason why =
      tlswi_check_cert((unsigned)data[0] & 3u, der, n, (data[0] >> 2) & 1,
                       detail, sizeof detail);
  if (strlen(detail) >= sizeof detail) abort();
  sum += (size_t)why;
  (void)sum;
  free(der);
  free(host);
  return 0;
}
