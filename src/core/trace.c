/*
 * The message trace (tlswrap/msg.h): a transport shim between the backend
 * and the session's transport that parses the records crossing it, one
 * parser per direction, and reports them to the context's msg callback.
 *
 * TLS is a byte stream: a record header, a handshake message header or an
 * alert can be split across transport calls at any byte, so each parser
 * keeps the header bytes it has seen. DTLS hands over whole datagrams,
 * each holding whole records (RFC 6347 4.1.1), so a datagram is parsed on
 * its own.
 */
#include "core/trace.h"

#include <string.h>

#include "support/alloc.h"

typedef struct trace_dir {
  uint8_t hdr[13];    /* the record header being collected */
  uint8_t sub[4];     /* handshake message header, or the alert */
  unsigned hdr_len;   /* bytes of hdr seen */
  unsigned sub_len;   /* bytes of sub seen */
  size_t body_left;   /* bytes of the record body still to come */
  size_t hs_left;     /* bytes of the current handshake message to skip */
  unsigned char enc;  /* a ChangeCipherSpec went this way: now encrypted */
  unsigned char sent; /* the direction: 1 out, 0 in */
} trace_dir;

struct tlswi_trace {
  tlsw_io io;          /* what the backend calls */
  const tlsw_io *next; /* the transport (or the DTLS shim) */
  tlsw_msg_fn cb;
  void *user;
  int datagram;
  trace_dir out, in;
};

static void report(tlswi_trace *t, const trace_dir *d, unsigned type,
                   unsigned version, size_t len, int enc, int hs, int level,
                   int desc) {
  tlsw_msg m;
  m.size = sizeof m;
  m.sent = d->sent;
  m.datagram = t->datagram;
  m.version = version;
  m.content_type = type;
  m.length = len;
  m.encrypted = enc;
  m.handshake_type = hs;
  m.alert_level = level;
  m.alert_description = desc;
  t->cb(t->user, &m);
}

static unsigned be16(const uint8_t *p) {
  return (unsigned)p[0] << 8 | p[1];
}

static size_t be24(const uint8_t *p) {
  return (size_t)p[0] << 16 | (size_t)p[1] << 8 | p[2];
}

/* A TLS record header is complete: report what the header alone tells
 * (everything but a plaintext handshake or alert record). */
static void tls_record_start(tlswi_trace *t, trace_dir *d) {
  unsigned type = d->hdr[0], version = be16(d->hdr + 1);
  d->body_left = be16(d->hdr + 3);
  d->sub_len = 0;
  d->hs_left = 0;
  int enc = d->enc || type == 23;
  /* An alert of other than 2 bytes is an encrypted one (AEAD tag). */
  if (type == 21 && d->body_left != 2) enc = 1;
  if ((type == 22 || type == 21) && !enc) return; /* read the body */
  report(t, d, type, version, d->body_left, enc, -1, -1, -1);
  if (type == 20) d->enc = 1; /* what follows this way is encrypted */
}

/* Body bytes of a plaintext handshake or alert record. */
static void tls_body(tlswi_trace *t, trace_dir *d, const uint8_t *p, size_t n) {
  unsigned type = d->hdr[0], version = be16(d->hdr + 1);
  while (n > 0) {
    if (type == 22 && d->hs_left > 0) {
      size_t k = n < d->hs_left ? n : d->hs_left;
      d->hs_left -= k;
      p += k;
      n -= k;
      continue;
    }
    size_t want = type == 22 ? 4 : 2;
    size_t k = want - d->sub_len;
    if (k > n) k = n;
    memcpy(d->sub + d->sub_len, p, k);
    d->sub_len += (unsigned)k;
    p += k;
    n -= k;
    if (d->sub_len < want) break;
    d->sub_len = 0;
    if (type == 22) {
      d->hs_left = be24(d->sub + 1);
      report(t, d, 22, version, d->hs_left, 0, d->sub[0], -1, -1);
    } else {
      report(t, d, 21, version, 2, 0, -1, d->sub[0], d->sub[1]);
    }
  }
}

static void tls_feed(tlswi_trace *t, trace_dir *d, const uint8_t *p, size_t n) {
  while (n > 0) {
    if (d->hdr_len < 5) {
      size_t k = 5 - d->hdr_len;
      if (k > n) k = n;
      memcpy(d->hdr + d->hdr_len, p, k);
      d->hdr_len += (unsigned)k;
      p += k;
      n -= k;
      if (d->hdr_len == 5) tls_record_start(t, d);
      if (d->hdr_len == 5 && d->body_left == 0) d->hdr_len = 0;
      continue;
    }
    size_t k = n < d->body_left ? n : d->body_left;
    unsigned type = d->hdr[0];
    int plain =
        !d->enc && (type == 22 || (type == 21 && be16(d->hdr + 3) == 2));
    if (plain) tls_body(t, d, p, k);
    d->body_left -= k;
    p += k;
    n -= k;
    if (d->body_left == 0) d->hdr_len = 0;
  }
}

/* One datagram: whole DTLS records (13-byte headers, epoch > 0 means
 * encrypted); handshake fragments have a 12-byte header. */
static void dtls_feed(tlswi_trace *t, trace_dir *d, const uint8_t *p,
                      size_t n) {
  while (n >= 13) {
    unsigned type = p[0], version = be16(p + 1);
    int enc = be16(p + 3) != 0;
    size_t len = be16(p + 11);
    if (len > n - 13) len = n - 13; /* cut short: report what is there */
    const uint8_t *b = p + 13;
    if (type == 22 && !enc && len >= 12) {
      report(t, d, 22, version, be24(b + 1), 0, b[0], -1, -1);
    } else if (type == 21 && !enc && len == 2) {
      report(t, d, 21, version, 2, 0, -1, b[0], b[1]);
    } else {
      report(t, d, type, version, len, enc || type == 23, -1, -1, -1);
    }
    p += 13 + len;
    n -= 13 + len;
  }
}

static void feed(tlswi_trace *t, trace_dir *d, const uint8_t *p, size_t n) {
  if (n == 0) return;
  if (t->datagram) {
    dtls_feed(t, d, p, n);
  } else {
    tls_feed(t, d, p, n);
  }
}

static int trace_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  tlswi_trace *t = io;
  int st = t->next->send(t->next->io, buf, len, out_n);
  /* Only what the transport took went out (at most len: a larger count
   * breaks the contract, and the backend fails the session for it). */
  if (st == TLSW_OK && *out_n <= len) feed(t, &t->out, buf, *out_n);
  return st;
}

static int trace_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  tlswi_trace *t = io;
  int st = t->next->recv(t->next->io, buf, len, out_n);
  if (st == TLSW_OK && *out_n <= len) feed(t, &t->in, buf, *out_n);
  return st;
}

tlswi_trace *tlswi_trace_new(const tlsw_io *next, int datagram, tlsw_msg_fn cb,
                             void *user) {
  tlswi_trace *t = tlswi_calloc(1, sizeof *t);
  if (t == NULL) return NULL;
  t->io.send = trace_send;
  t->io.recv = trace_recv;
  t->io.io = t;
  t->next = next;
  t->cb = cb;
  t->user = user;
  t->datagram = datagram;
  t->out.sent = 1;
  return t;
}

const tlsw_io *tlswi_trace_io(const tlswi_trace *t) {
  return &t->io;
}

void tlswi_trace_free(tlswi_trace *t) {
  tlswi_free(t);
}
