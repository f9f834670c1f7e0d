/* fuzz_lists: the list setters with fuzzed names: the cipher suites
 * (tlsw_ctx_set_cipher_string, the input as one string, and
 * tlsw_ctx_set_ciphers, the input split at '\n' into names), each then
 * read back with tlsw_ctx_get_ciphers; the key exchange groups
 * (tlsw_ctx_set_groups) and the ALPN protocols (tlsw_ctx_set_alpn), each
 * set over a valid list first, so that a refused list is refused on top of
 * one it must not disturb.
 *
 * Input: byte 0 picks the setter (bit 3 clear: bit 0 string or names;
 * bit 3 set: bit 0 groups or ALPN) and the context (bit 1: TLS or DTLS
 * server; bit 2: client); the rest is the list. Every string is a buffer
 * of its exact size, NUL included, so a read past it shows. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_init();
  return 0;
}

#define MAX_NAMES 256

/* Groups (alpn 0) or ALPN (1) from the fuzzed text, over a list already
 * set. Any status is fine but a crash; OK is never NOMEM's or ARG's
 * message-less twin: a refusal says why. */
static void set_other_list(tlsw_ctx *ctx, unsigned alpn, const uint8_t *p,
                           size_t n) {
  char *list = fuzz_str_exact(p, n);
  int before = alpn ? tlsw_ctx_set_alpn(ctx, "h2,http/1.1")
                    : tlsw_ctx_set_groups(ctx, "X25519:P-256");
  int st = alpn ? tlsw_ctx_set_alpn(ctx, list) : tlsw_ctx_set_groups(ctx, list);
  free(list);
  if (st != TLSW_OK && tlsw_ctx_message(ctx)[0] == '\0') abort();
  /* Setting the same valid list again works whatever came in between. */
  int again = alpn ? tlsw_ctx_set_alpn(ctx, "h2,http/1.1")
                   : tlsw_ctx_set_groups(ctx, "X25519:P-256");
  if (again != before) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 8192) return -1;
  unsigned op = data[0];
  const uint8_t *p = data + 1;
  size_t n = size - 1;
  static const tlsw_protocol protos[4] = {
      TLSW_PROTOCOL_TLS_SERVER, TLSW_PROTOCOL_DTLS_SERVER,
      TLSW_PROTOCOL_TLS_CLIENT, TLSW_PROTOCOL_DTLS_CLIENT};
  tlsw_ctx *ctx = NULL;
  fuzz_seed_role(FUZZ_ROLE_OTHER);
  if (tlsw_ctx_new(&ctx, protos[(op >> 1) & 3u]) != TLSW_OK) abort();

  if (op & 8u) {
    set_other_list(ctx, op & 1u, p, n);
    tlsw_ctx_free(ctx);
    return 0;
  }
  int st;
  if ((op & 1u) == 0) {
    char *list = fuzz_str_exact(p, n);
    st = tlsw_ctx_set_cipher_string(ctx, list);
    free(list);
  } else {
    char *names[MAX_NAMES];
    size_t count = 0, start = 0;
    for (size_t i = 0; i <= n && count < MAX_NAMES; i++) {
      if (i == n || p[i] == '\n') {
        names[count++] = fuzz_str_exact(p + start, i - start);
        start = i + 1;
      }
    }
    st = tlsw_ctx_set_ciphers(ctx, (const char *const *)names, count);
    for (size_t i = 0; i < count; i++) free(names[i]);
  }
  volatile size_t sum = strlen(tlsw_ctx_message(ctx));
  size_t total = 0;
  if (tlsw_ctx_get_ciphers(ctx, NULL, 0, &total) != TLSW_OK) abort();
  const char *got[64];
  size_t max = total < 64 ? total : 64, k;
  if (tlsw_ctx_get_ciphers(ctx, got, max, &k) != TLSW_OK || k != total) {
    abort();
  }
  for (size_t i = 0; i < max; i++) sum += strlen(got[i]);
  /* A list that was taken is what the context now offers: never nothing. */
  if (st == TLSW_OK && total == 0) abort();
  (void)sum;
  tlsw_ctx_free(ctx);
  return 0;
}
