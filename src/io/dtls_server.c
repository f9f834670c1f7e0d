/*
 * tlsw_dtls_server: many DTLS peers on one unconnected UDP socket (see
 * tlswrap/dtls.h for the API and docs/dtls.md for the design).
 *
 * Every datagram from an address without a table entry is answered
 * statelessly: a throw-away connection record, a tlsw_wrap fed with just that
 * datagram, and, unless its cookie checked, everything is freed before the
 * next datagram is read. Only a peer whose ClientHello carried a valid
 * cookie gets a table entry, a session and an inbox.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stddef.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "core/ref.h"
#include "support/alloc.h"
#include "support/message.h"
#include "support/opts.h"
#include "tlswrap/context.h"
#include "tlswrap/dtls.h"
#include "tlswrap/status.h"
#include "tlswrap/transport.h"

#define DEFAULT_MAX_CONNS 64
#define DEFAULT_INBOX 32768
/* Datagrams handled per process() call, so a flood cannot starve the
 * caller's other work; the socket stays readable and poll() says so. */
#define MAX_PER_PROCESS 256
/* The largest UDP payload: a datagram is never silently cut when read. */
#define RX_MAX 65535

struct tlsw_dtls_conn {
  tlsw_dtls_server *srv;
  tlsw_dtls_conn *next; /* hash chain */
  struct sockaddr_storage addr;
  socklen_t addrlen;
  uint8_t cid[TLSW_UDP_CLIENT_ID_MAX];
  size_t cid_len;
  tlsw_io io;
  tlsw_session *s;
  tlsw_membuf *inbox;     /* NULL during the stateless first exchange */
  const uint8_t *oneshot; /* that exchange's only datagram */
  size_t oneshot_len;
  unsigned char established, announced, readable;
  /* Replaced by a new handshake from the same address (the peer
   * restarted): out of the table, reads EOF until the caller closes it. */
  unsigned char zombie;
  void *user;
};

struct tlsw_dtls_server {
  tlsw_ctx *ctx;
  int fd;
  size_t max_conns, inbox_bytes;
  tlsw_dtls_conn **buckets;
  size_t nbuckets;         /* a power of two */
  tlsw_dtls_conn *zombies; /* replaced connections not yet closed */
  size_t count;
  tlsw_dtls_server_stats stats;
  tlsw_err err;
  uint8_t *rx;
};

/* ------------------------------------------------------------------------ */
/* Per-peer transport                                                        */

static int conn_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  tlsw_dtls_conn *c = io;
  *out_n = 0;
  if (c->zombie) return TLSW_ERR_RESET; /* the peer started over */
  for (;;) {
    ssize_t n = sendto(c->srv->fd, buf, len, 0,
                       (const struct sockaddr *)&c->addr, c->addrlen);
    if (n >= 0) {
      *out_n = len; /* one datagram: UDP sends all or fails */
      return TLSW_OK;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
      /* A full send buffer on a datagram socket is loss, which DTLS
       * recovers from by retransmitting; blocking the whole server on one
       * peer would be worse. */
      *out_n = len;
      return TLSW_OK;
    }
    if (errno == ECONNREFUSED || errno == EHOSTUNREACH ||
        errno == ENETUNREACH) {
      return TLSW_ERR_RESET;
    }
    return TLSW_ERR_IO;
  }
}

static int conn_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  tlsw_dtls_conn *c = io;
  *out_n = 0;
  if (c->oneshot != NULL) {
    size_t n = c->oneshot_len < len ? c->oneshot_len : len;
    memcpy(buf, c->oneshot, n);
    c->oneshot = NULL;
    *out_n = n;
    return TLSW_OK;
  }
  if (c->zombie) return TLSW_OK; /* EOF: the peer started over */
  if (c->inbox == NULL || tlsw_membuf_used(c->inbox) == 0) {
    return TLSW_WANT_READ;
  }
  return tlsw_membuf_read(c->inbox, buf, len, out_n);
}

/* ------------------------------------------------------------------------ */
/* Table                                                                     */

static size_t hash_cid(const uint8_t *p, size_t n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static tlsw_dtls_conn **slot_of(tlsw_dtls_server *srv, const uint8_t *cid,
                                size_t cid_len) {
  tlsw_dtls_conn **pp =
      &srv->buckets[hash_cid(cid, cid_len) & (srv->nbuckets - 1)];
  while (*pp != NULL &&
         ((*pp)->cid_len != cid_len || memcmp((*pp)->cid, cid, cid_len) != 0)) {
    pp = &(*pp)->next;
  }
  return pp;
}

static void conn_free(tlsw_dtls_conn *c) {
  tlsw_session_free(c->s);
  tlsw_membuf_free(c->inbox);
  tlswi_free(c);
}

static void conn_remove(tlsw_dtls_server *srv, tlsw_dtls_conn *c) {
  if (c->zombie) {
    tlsw_dtls_conn **zp = &srv->zombies;
    while (*zp != NULL && *zp != c) zp = &(*zp)->next;
    if (*zp == c) *zp = c->next;
    conn_free(c);
    return;
  }
  tlsw_dtls_conn **pp = slot_of(srv, c->cid, c->cid_len);
  if (*pp == c) {
    *pp = c->next;
    srv->count--;
  }
  conn_free(c);
}

/* ------------------------------------------------------------------------ */
/* Lifecycle                                                                 */

/* The first published tlsw_dtls_server_opts ended with inbox_bytes. */
#define DTLS_SERVER_OPTS_V1 \
  (offsetof(tlsw_dtls_server_opts, inbox_bytes) + sizeof(size_t))

int tlsw_dtls_server_new(tlsw_dtls_server **out, tlsw_ctx *ctx, int fd,
                         const tlsw_dtls_server_opts *opts) {
  if (out == NULL) return TLSW_ERR_ARG;
  *out = NULL;
  if (ctx == NULL || fd < 0 ||
      tlsw_ctx_protocol(ctx) != TLSW_PROTOCOL_DTLS_SERVER) {
    return TLSW_ERR_ARG;
  }
  tlsw_dtls_server_opts o;
  memset(&o, 0, sizeof o);
  if (opts != NULL &&
      tlswi_opts_in(&o, sizeof o, opts, DTLS_SERVER_OPTS_V1) != TLSWI_OPTS_OK) {
    return TLSW_ERR_ARG;
  }
  tlsw_dtls_server *srv = tlswi_calloc(1, sizeof *srv);
  if (srv == NULL) return TLSW_ERR_NOMEM;
  srv->max_conns = o.max_conns ? o.max_conns : DEFAULT_MAX_CONNS;
  srv->inbox_bytes = o.inbox_bytes ? o.inbox_bytes : DEFAULT_INBOX;
  if (srv->inbox_bytes < TLSW_DTLS_MAX_DATAGRAM + 4) {
    srv->inbox_bytes = TLSW_DTLS_MAX_DATAGRAM + 4;
  }
  srv->nbuckets = 16;
  while (srv->nbuckets < srv->max_conns * 2 && srv->nbuckets < (1u << 20)) {
    srv->nbuckets *= 2;
  }
  srv->buckets = tlswi_calloc(srv->nbuckets, sizeof *srv->buckets);
  srv->rx = tlswi_malloc(RX_MAX);
  if (srv->buckets == NULL || srv->rx == NULL) {
    tlswi_free(srv->buckets);
    tlswi_free(srv->rx);
    tlswi_free(srv);
    return TLSW_ERR_NOMEM;
  }
  srv->fd = fd;
  srv->ctx = ctx;
  tlswi_ctx_ref(ctx);
  *out = srv;
  return TLSW_OK;
}

void tlsw_dtls_server_free(tlsw_dtls_server *srv) {
  if (srv == NULL) return;
  for (size_t i = 0; i < srv->nbuckets; i++) {
    while (srv->buckets[i] != NULL) {
      tlsw_dtls_conn *c = srv->buckets[i];
      srv->buckets[i] = c->next;
      conn_free(c);
    }
  }
  while (srv->zombies != NULL) {
    tlsw_dtls_conn *c = srv->zombies;
    srv->zombies = c->next;
    conn_free(c);
  }
  tlswi_ctx_unref(srv->ctx);
  tlswi_free(srv->buckets);
  tlswi_free(srv->rx);
  tlswi_free(srv);
}

/* ------------------------------------------------------------------------ */
/* Datagram routing                                                          */

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

/* A handshaking peer's session made progress (or failed). */
static void after_handshake_step(tlsw_dtls_server *srv, tlsw_dtls_conn *c,
                                 int st) {
  if (st == TLSW_OK) {
    c->established = 1;
    srv->stats.handshakes++;
  } else if (!blocked(st) && st != TLSW_ERR_DATAGRAM_DROPPED) {
    srv->stats.failed++;
    conn_remove(srv, c);
  }
}

/* A connection whose cookie checked takes its slot, replacing old (the
 * same address's previous connection), if any. */
static void adopt(tlsw_dtls_server *srv, tlsw_dtls_conn *c,
                  tlsw_dtls_conn *old) {
  tlsw_dtls_conn **pp = slot_of(srv, c->cid, c->cid_len);
  if (old == NULL || *pp != old) {
    c->next = NULL;
    *pp = c;
    srv->count++;
    return;
  }
  c->next = old->next;
  *pp = c;
  if (old->announced) {
    /* The caller holds it: it reads EOF, then closes it. */
    old->zombie = 1;
    old->readable = 1;
    old->next = srv->zombies;
    srv->zombies = old;
  } else {
    conn_free(old);
  }
}

/* A datagram from an address with no session: the stateless exchange. */
/* old: the established connection of the same address, when a peer that
 * restarted sends a new ClientHello; it is replaced only once the new
 * hello's cookie checks (RFC 6347 4.2.8), so a forged hello cannot
 * disturb it. */
static void knock(tlsw_dtls_server *srv, const struct sockaddr_storage *from,
                  socklen_t fromlen, const uint8_t *cid, size_t cid_len,
                  size_t n, tlsw_dtls_conn *old) {
  tlsw_dtls_conn *c = tlswi_calloc(1, sizeof *c);
  if (c == NULL) {
    srv->stats.dropped++;
    return;
  }
  c->srv = srv;
  memcpy(&c->addr, from, fromlen);
  c->addrlen = fromlen;
  memcpy(c->cid, cid, cid_len);
  c->cid_len = cid_len;
  c->io.send = conn_send;
  c->io.recv = conn_recv;
  c->io.io = c;
  c->oneshot = srv->rx;
  c->oneshot_len = n;
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.client_id = c->cid;
  o.client_id_len = c->cid_len;
  int st = tlsw_wrap(srv->ctx, &c->io, &o, &c->s);
  c->oneshot = NULL;
  if (st == TLSW_HELLO_VERIFY) {
    srv->stats.hello_verify++;
    conn_free(c);
    return;
  }
  if (st == TLSW_ERR_DATAGRAM_DROPPED) {
    srv->stats.dropped++;
    conn_free(c);
    return;
  }
  if (st != TLSW_OK && !blocked(st)) {
    srv->stats.failed++;
    conn_free(c);
    return;
  }
  /* The cookie checked: from here on the peer has state. */
  if ((old == NULL && srv->count >= srv->max_conns) ||
      tlsw_membuf_new(&c->inbox, srv->inbox_bytes, 1) != TLSW_OK) {
    srv->stats.dropped++;
    conn_free(c);
    return;
  }
  adopt(srv, c, old);
  if (st == TLSW_OK) {
    c->established = 1;
    srv->stats.handshakes++;
  }
}

static void route(tlsw_dtls_server *srv, const struct sockaddr_storage *from,
                  socklen_t fromlen, size_t n) {
  uint8_t cid[TLSW_UDP_CLIENT_ID_MAX];
  size_t cid_len;
  if (tlsw_udp_client_id((const struct sockaddr *)from, fromlen, cid,
                         &cid_len) != TLSW_OK) {
    srv->stats.dropped++;
    return;
  }
  tlsw_dtls_conn *c = *slot_of(srv, cid, cid_len);
  if (c == NULL) {
    if (srv->count >= srv->max_conns) {
      /* Full: new peers get no answer at all, not even a cookie, until a
       * slot frees; answering would only make them send the hello that
       * we would then have to refuse after doing the handshake's work. */
      srv->stats.dropped++;
      return;
    }
    knock(srv, from, fromlen, cid, cid_len, n, NULL);
    return;
  }
  const uint8_t *d = srv->rx;
  if (c->established && n >= 25 && d[0] == 22 && d[3] == 0 && d[4] == 0 &&
      d[13] == 1) {
    /* A plaintext ClientHello to an established peer: it restarted (an
     * established session never takes one). A retransmitted hello of a
     * handshake in progress still goes to that handshake, below. */
    knock(srv, from, fromlen, cid, cid_len, n, c);
    return;
  }
  size_t put = 0;
  if (tlsw_membuf_write(c->inbox, srv->rx, n, &put) != TLSW_OK) {
    srv->stats.dropped++; /* inbox full: as a full socket buffer would */
    return;
  }
  if (c->established) {
    c->readable = 1;
    return;
  }
  after_handshake_step(srv, c, tlsw_handshake(c->s));
}

int tlsw_dtls_server_process(tlsw_dtls_server *srv) {
  if (srv == NULL) return TLSW_ERR_ARG;
  for (int i = 0; i < MAX_PER_PROCESS; i++) {
    struct sockaddr_storage from;
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(srv->fd, srv->rx, RX_MAX, 0, (struct sockaddr *)&from,
                         &fromlen);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      /* Linux reports an ICMP error for an earlier sendto here; it is
       * about one peer, not the socket. */
      if (errno == ECONNREFUSED || errno == EHOSTUNREACH ||
          errno == ENETUNREACH) {
        continue;
      }
      int e = errno;
      return tlswi_err_set(&srv->err, TLSW_ERR_IO, e,
                           "dtls_server: recvfrom failed: %s (errno %d)",
                           strerror(e), e);
    }
    srv->stats.datagrams++;
    if (n == 0) {
      srv->stats.dropped++;
      continue;
    }
    route(srv, &from, fromlen, (size_t)n);
  }
  /* Retransmission timers of handshakes in flight. */
  for (size_t i = 0; i < srv->nbuckets; i++) {
    tlsw_dtls_conn *c = srv->buckets[i];
    while (c != NULL) {
      tlsw_dtls_conn *next = c->next;
      if (!c->established && tlsw_session_dtls_timeout_ms(c->s) == 0) {
        int st = tlsw_dtls_handle_timeout(c->s);
        if (st == TLSW_WANT_READ) st = tlsw_handshake(c->s);
        after_handshake_step(srv, c, st);
      }
      c = next;
    }
  }
  return TLSW_OK;
}

long tlsw_dtls_server_timeout_ms(const tlsw_dtls_server *srv) {
  if (srv == NULL) return -1;
  long best = -1;
  for (size_t i = 0; i < srv->nbuckets; i++) {
    for (const tlsw_dtls_conn *c = srv->buckets[i]; c != NULL; c = c->next) {
      if (c->established) continue;
      long t = tlsw_session_dtls_timeout_ms(c->s);
      if (t >= 0 && (best < 0 || t < best)) best = t;
    }
  }
  return best;
}

int tlsw_dtls_server_accept(tlsw_dtls_server *srv, tlsw_dtls_conn **out) {
  if (out != NULL) *out = NULL;
  if (srv == NULL || out == NULL) return TLSW_ERR_ARG;
  for (size_t i = 0; i < srv->nbuckets; i++) {
    for (tlsw_dtls_conn *c = srv->buckets[i]; c != NULL; c = c->next) {
      if (c->established && !c->announced) {
        c->announced = 1;
        /* Data that came with or right after the last flight. */
        c->readable = tlsw_membuf_used(c->inbox) > 0;
        *out = c;
        return TLSW_OK;
      }
    }
  }
  return TLSW_WANT_READ;
}

tlsw_dtls_conn *tlsw_dtls_server_next_readable(tlsw_dtls_server *srv) {
  if (srv == NULL) return NULL;
  for (tlsw_dtls_conn *c = srv->zombies; c != NULL; c = c->next) {
    if (c->readable) {
      c->readable = 0;
      return c;
    }
  }
  for (size_t i = 0; i < srv->nbuckets; i++) {
    for (tlsw_dtls_conn *c = srv->buckets[i]; c != NULL; c = c->next) {
      if (c->announced && c->readable) {
        c->readable = 0;
        return c;
      }
    }
  }
  return NULL;
}

void tlsw_dtls_server_close(tlsw_dtls_server *srv, tlsw_dtls_conn *c) {
  if (srv == NULL || c == NULL || c->srv != srv) return;
  conn_remove(srv, c);
}

size_t tlsw_dtls_server_count(const tlsw_dtls_server *srv) {
  return srv ? srv->count : 0;
}

int tlsw_dtls_server_get_stats(const tlsw_dtls_server *srv,
                               tlsw_dtls_server_stats *out, size_t out_size) {
  if (srv == NULL || out == NULL || out_size == 0) return TLSW_ERR_ARG;
  size_t have = sizeof srv->stats;
  memset(out, 0, out_size);
  memcpy(out, &srv->stats, out_size < have ? out_size : have);
  return TLSW_OK;
}

const char *tlsw_dtls_server_message(const tlsw_dtls_server *srv) {
  return srv ? srv->err.msg : "";
}

tlsw_session *tlsw_dtls_conn_session(tlsw_dtls_conn *c) {
  return c ? c->s : NULL;
}

const struct sockaddr *tlsw_dtls_conn_addr(const tlsw_dtls_conn *c,
                                           size_t *len) {
  if (len != NULL) *len = c ? (size_t)c->addrlen : 0;
  return c ? (const struct sockaddr *)&c->addr : NULL;
}

void tlsw_dtls_conn_set_user(tlsw_dtls_conn *c, void *user) {
  if (c != NULL) c->user = user;
}

void *tlsw_dtls_conn_get_user(const tlsw_dtls_conn *c) {
  return c ? c->user : NULL;
}
