/* fuzz_lists: the cipher-suite setters with fuzzed names:
 * tlsw_ctx_set_cipher_string (the input as one string) and
 * tlsw_ctx_set_ciphers (the input split at '\n' into names), each then
 * read back with tlsw_ctx_get_ciphers. (The API has no group or ALPN
 * list setter yet; when it has, they belong here.)
 *
 * Input: byte 0 picks the setter (bit 0) and the context (bit 1: TLS or
 * DTLS server; bit 2: client); the rest is the list. Every string is a
 * buffer of its exact size, NUL included, so a read past it shows. */
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
