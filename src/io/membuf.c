/* In-memory transport for tlsw_io (see tlswrap/transport.h): a bounded ring
 * of bytes; in datagram mode each message carries a 4-byte length prefix
 * inside the ring, so boundaries survive without a second allocation. */
#include <stdlib.h>
#include <string.h>

#include "tlswrap/status.h"
#include "tlswrap/transport.h"

struct tlsw_membuf {
  uint8_t *data;
  size_t cap;
  size_t head; /* next byte to read */
  size_t used;
  int datagram;
  int closed;
};

#define DGRAM_HDR 4

int tlsw_membuf_new(tlsw_membuf **out, size_t capacity, int datagram) {
  if (out == NULL) return TLSW_ERR_ARG;
  *out = NULL;
  /* datagram is 0 or 1, as documented: any other value is a caller's
   * mistake (e.g. a length passed in the wrong place), not "true". */
  if (capacity == 0 || (datagram != 0 && datagram != 1) ||
      (datagram && capacity <= DGRAM_HDR)) {
    return TLSW_ERR_ARG;
  }
  tlsw_membuf *b = calloc(1, sizeof *b);
  if (b == NULL) return TLSW_ERR_NOMEM;
  b->data = malloc(capacity);
  if (b->data == NULL) {
    free(b);
    return TLSW_ERR_NOMEM;
  }
  b->cap = capacity;
  b->datagram = datagram != 0;
  *out = b;
  return TLSW_OK;
}

void tlsw_membuf_free(tlsw_membuf *b) {
  if (b == NULL) return;
  free(b->data);
  free(b);
}

static void put(tlsw_membuf *b, const uint8_t *src, size_t n) {
  size_t tail = (b->head + b->used) % b->cap;
  size_t first = b->cap - tail < n ? b->cap - tail : n;
  memcpy(b->data + tail, src, first);
  memcpy(b->data, src + first, n - first);
  b->used += n;
}

static void take(tlsw_membuf *b, uint8_t *dst, size_t n) {
  size_t first = b->cap - b->head < n ? b->cap - b->head : n;
  if (dst != NULL) {
    memcpy(dst, b->data + b->head, first);
    memcpy(dst + first, b->data, n - first);
  }
  b->head = (b->head + n) % b->cap;
  b->used -= n;
}

int tlsw_membuf_write(tlsw_membuf *b, const uint8_t *buf, size_t len,
                      size_t *out_n) {
  if (out_n != NULL) *out_n = 0;
  if (b == NULL || out_n == NULL || (buf == NULL && len > 0)) {
    return TLSW_ERR_ARG;
  }
  if (b->closed) return TLSW_ERR_RESET; /* writing after our own EOF */
  if (len == 0) return TLSW_OK;
  size_t room = b->cap - b->used;
  if (b->datagram) {
    if (len + DGRAM_HDR > b->cap) return TLSW_ERR_TOO_BIG;
    if (len + DGRAM_HDR > room) return TLSW_WANT_WRITE;
    uint8_t hdr[DGRAM_HDR] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16),
                              (uint8_t)(len >> 8), (uint8_t)len};
    put(b, hdr, DGRAM_HDR);
    put(b, buf, len);
    *out_n = len;
    return TLSW_OK;
  }
  if (room == 0) return TLSW_WANT_WRITE;
  size_t n = len < room ? len : room;
  put(b, buf, n);
  *out_n = n;
  return TLSW_OK;
}

int tlsw_membuf_read(tlsw_membuf *b, uint8_t *buf, size_t len, size_t *out_n) {
  if (out_n != NULL) *out_n = 0;
  if (b == NULL || out_n == NULL || (buf == NULL && len > 0)) {
    return TLSW_ERR_ARG;
  }
  if (b->used == 0) return b->closed ? TLSW_OK : TLSW_WANT_READ;
  if (len == 0) return TLSW_WANT_READ;
  if (b->datagram) {
    uint8_t hdr[DGRAM_HDR];
    take(b, hdr, DGRAM_HDR);
    size_t dl = ((size_t)hdr[0] << 24) | ((size_t)hdr[1] << 16) |
                ((size_t)hdr[2] << 8) | hdr[3];
    size_t n = dl < len ? dl : len;
    take(b, buf, n);
    take(b, NULL, dl - n); /* a datagram's excess is discarded, as UDP */
    *out_n = n;
    return TLSW_OK;
  }
  size_t n = len < b->used ? len : b->used;
  take(b, buf, n);
  *out_n = n;
  return TLSW_OK;
}

size_t tlsw_membuf_used(const tlsw_membuf *b) {
  return b ? b->used : 0;
}

void tlsw_membuf_close(tlsw_membuf *b) {
  if (b != NULL) b->closed = 1;
}

static int memio_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  tlsw_memio *m = io;
  return tlsw_membuf_write(m->out, buf, len, out_n);
}

static int memio_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  tlsw_memio *m = io;
  return tlsw_membuf_read(m->in, buf, len, out_n);
}

int tlsw_memio_init(tlsw_memio *m, tlsw_membuf *in, tlsw_membuf *out,
                    tlsw_io *io) {
  if (m == NULL || in == NULL || out == NULL || io == NULL) {
    return TLSW_ERR_ARG;
  }
  memset(m, 0, sizeof *m);
  m->in = in;
  m->out = out;
  io->send = memio_send;
  io->recv = memio_recv;
  io->io = m;
  return TLSW_OK;
}
