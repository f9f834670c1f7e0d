#include "fw_heap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlswrap/tlswrap.h"

/* 8 bytes in front of each block: its size and side. Keeps 8-byte
 * alignment for what wolfSSL stores in it. */
typedef struct hdr {
  uint32_t size;
  uint32_t side;
} hdr;

static int cur_side;
static size_t now[FW_SIDES], peak[FW_SIDES];
static unsigned failures;

static void charge(int side, size_t n) {
  now[side] += n;
  if (now[side] > peak[side]) peak[side] = now[side];
}

static void *fw_malloc(size_t n) {
  hdr *h = malloc(sizeof *h + n);
  if (h == NULL) {
    failures++;
    return NULL;
  }
  h->size = (uint32_t)n;
  h->side = (uint32_t)cur_side;
  charge(cur_side, n);
  return h + 1;
}

static void fw_free(void *p) {
  if (p == NULL) return;
  hdr *h = (hdr *)p - 1;
  now[h->side] -= h->size;
  free(h);
}

static void *fw_realloc(void *p, size_t n) {
  if (p == NULL) return fw_malloc(n);
  void *q = fw_malloc(n);
  if (q == NULL) return NULL;
  hdr *h = (hdr *)p - 1;
  memcpy(q, p, h->size < n ? h->size : n);
  fw_free(p);
  return q;
}

int fw_heap_install(void) {
  return tlsw_set_allocator(fw_malloc, fw_realloc, fw_free) == TLSW_OK ? 0 : -1;
}

void fw_heap_side(int side) {
  cur_side = side;
}

size_t fw_heap_now(int side) {
  return now[side];
}

size_t fw_heap_peak(int side) {
  return peak[side];
}

void fw_heap_reset_peak(int side) {
  peak[side] = now[side];
}

unsigned fw_heap_failures(void) {
  return failures;
}
