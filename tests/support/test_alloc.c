#include "test_alloc.h"

#include <stdlib.h>
#include <string.h>

#include "tlswrap/tlswrap.h"

test_alloc_stats test_alloc;

/* A header in front of each block keeps its size, so live bytes can be
 * counted; 16 bytes keep the caller's block aligned for any type. */
#define HDR 16

static int fail_now(void) {
  if (++test_alloc.requests != test_alloc.fail_at) return 0;
  test_alloc.failed++;
  return 1;
}

static void *t_malloc(size_t n) {
  if (fail_now()) return NULL;
  unsigned char *p = malloc(n + HDR);
  if (p == NULL) return NULL;
  memcpy(p, &n, sizeof n);
  test_alloc.live_bytes += (long long)n;
  return p + HDR;
}

static void t_free(void *q) {
  if (q == NULL) return;
  unsigned char *p = (unsigned char *)q - HDR;
  size_t n;
  memcpy(&n, p, sizeof n);
  test_alloc.live_bytes -= (long long)n;
  free(p);
}

static void *t_realloc(void *q, size_t n) {
  if (q == NULL) return t_malloc(n);
  if (fail_now()) return NULL; /* the old block stays valid, as realloc says */
  unsigned char *p = (unsigned char *)q - HDR;
  size_t old;
  memcpy(&old, p, sizeof old);
  unsigned char *r = realloc(p, n + HDR);
  if (r == NULL) return NULL;
  memcpy(r, &n, sizeof n);
  test_alloc.live_bytes += (long long)n - (long long)old;
  return r + HDR;
}

int test_alloc_install(void) {
  return tlsw_set_allocator(t_malloc, t_realloc, t_free);
}

uint64_t test_rand(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
