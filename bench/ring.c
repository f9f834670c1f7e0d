/* The in-memory transport and the counting allocator, shared by the three
 * drivers so that each library moves its bytes through the same code and
 * pays the same for its allocations. */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

unsigned long bench_alloc_calls;
unsigned long long bench_alloc_bytes;
long long bench_alloc_live;

/* Before each block: its size, so that free() can count the bytes that
 * go back (bench_alloc_live). 16 bytes keep the block aligned for any
 * type on the machines this runs on. */
typedef union bench_hdr {
  size_t size;
  unsigned char pad[16];
} bench_hdr;

void *bench_malloc(size_t n) {
  bench_alloc_calls++;
  bench_alloc_bytes += n;
  bench_hdr *h = malloc(sizeof *h + n);
  if (h == NULL) return NULL;
  h->size = n;
  bench_alloc_live += (long long)n;
  return h + 1;
}

void *bench_realloc(void *p, size_t n) {
  if (p == NULL) return bench_malloc(n);
  bench_alloc_calls++;
  bench_alloc_bytes += n;
  bench_hdr *old = (bench_hdr *)p - 1;
  size_t was = old->size;
  bench_hdr *h = realloc(old, sizeof *h + n);
  if (h == NULL) return NULL;
  h->size = n;
  bench_alloc_live += (long long)n - (long long)was;
  return h + 1;
}

void bench_free(void *p) {
  if (p == NULL) return;
  bench_hdr *h = (bench_hdr *)p - 1;
  bench_alloc_live -= (long long)h->size;
  free(h);
}

/* The ring's own buffers come from plain malloc: they are the transport,
 * not the library under test, and are made outside the timed loops. */
int ring_init(bench_ring *r, size_t cap, int dgram) {
  memset(r, 0, sizeof *r);
  r->buf = malloc(cap);
  if (r->buf == NULL) return -1;
  r->cap = cap;
  r->dgram = dgram;
  return 0;
}

void ring_free(bench_ring *r) {
  free(r->buf);
  memset(r, 0, sizeof *r);
}

void ring_reset(bench_ring *r) {
  r->head = 0;
  r->len = 0;
}

static void put(bench_ring *r, const uint8_t *p, size_t n) {
  size_t tail = (r->head + r->len) % r->cap;
  size_t first = r->cap - tail < n ? r->cap - tail : n;
  memcpy(r->buf + tail, p, first);
  memcpy(r->buf, p + first, n - first);
  r->len += n;
}

static void get(bench_ring *r, uint8_t *p, size_t n) {
  size_t first = r->cap - r->head < n ? r->cap - r->head : n;
  if (p != NULL) {
    memcpy(p, r->buf + r->head, first);
    memcpy(p + first, r->buf, n - first);
  }
  r->head = (r->head + n) % r->cap;
  r->len -= n;
  /* Back to the start when empty, so the common case (a record written,
   * then read whole) copies in one piece. */
  if (r->len == 0) r->head = 0;
}

size_t ring_write(bench_ring *r, const uint8_t *p, size_t n) {
  if (r->dgram) {
    if (n > 0xffff || r->cap - r->len < n + 2) return 0;
    /* A DTLS handshake record (type 22) whose first message is a
     * HelloVerifyRequest (type 3, after the 13-byte record header). */
    if (n > 13 && p[0] == 22 && p[13] == 3) r->hello_verify++;
    uint8_t hdr[2] = {(uint8_t)(n >> 8), (uint8_t)n};
    put(r, hdr, 2);
    put(r, p, n);
    return n;
  }
  size_t room = r->cap - r->len;
  if (n > room) n = room;
  put(r, p, n);
  return n;
}

size_t ring_read(bench_ring *r, uint8_t *p, size_t n) {
  if (r->dgram) {
    if (r->len < 2) return 0;
    uint8_t hdr[2];
    get(r, hdr, 2);
    size_t d = (size_t)hdr[0] << 8 | hdr[1];
    size_t take = d < n ? d : n;
    get(r, p, take);
    get(r, NULL, d - take); /* a datagram's cut tail is lost, as in UDP */
    return take;
  }
  if (n > r->len) n = r->len;
  get(r, p, n);
  return n;
}

int link_init(bench_link *l, int dgram) {
  if (ring_init(&l->c2s, BENCH_RING_CAP, dgram) != 0) return -1;
  if (ring_init(&l->s2c, BENCH_RING_CAP, dgram) != 0) {
    ring_free(&l->c2s);
    return -1;
  }
  l->cli.tx = &l->c2s;
  l->cli.rx = &l->s2c;
  l->srv.tx = &l->s2c;
  l->srv.rx = &l->c2s;
  return 0;
}

void link_reset(bench_link *l) {
  ring_reset(&l->c2s);
  ring_reset(&l->s2c);
}

void link_free(bench_link *l) {
  ring_free(&l->c2s);
  ring_free(&l->s2c);
}

const char *link_note(const bench_link *l) {
  return l->s2c.hello_verify ? " +HelloVerifyRequest" : "";
}
