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
#include "io/dtls_server.h"
#include "support/alloc.h"
#include "support/message.h"
#include "support/opts.h"
#include "tlswrap/context.h"
#include "tlswrap/dtls.h"
#include "tlswrap/status.h"
#include "tlswrap/transport.h"

#define DEFAULT_MAX_CONNS 64
/* A handshake's deadline: four doubling retransmissions (1+2+4+8 s, the
 * RFC 6347 4.2.4.1 timer) and margin. */
#define DEFAULT_HANDSHAKE_MS 30000
#define DEFAULT_INBOX 32768
/* Datagrams handled per process() call, so a flood cannot starve the
 * caller's other work; the socket stays readable and poll() says so. */
#define MAX_PER_PROCESS 256
/* The largest UDP payload: a datagram is never silently cut when read. */
#define RX_MAX 65535

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
  srv->handshake_ms =
      o.handshake_timeout_ms ? o.handshake_timeout_ms : DEFAULT_HANDSHAKE_MS;
  if (srv->inbox_bytes < TLSW_DTLS_MAX_DATAGRAM + 4) {
    srv->inbox_bytes = TLSW_DTLS_MAX_DATAGRAM + 4;
  }
  srv->nbuckets = 16;
  while (srv->nbuckets < srv->max_conns * 2 && srv->nbuckets < (1u << 20)) {
    srv->nbuckets *= 2;
  }
  srv->buckets = tlswi_calloc(srv->nbuckets, sizeof *srv->buckets);
  srv->id_buckets = tlswi_calloc(srv->nbuckets, sizeof *srv->id_buckets);
  srv->rx = tlswi_malloc(RX_MAX);
  if (srv->buckets == NULL || srv->id_buckets == NULL || srv->rx == NULL) {
    tlswi_free(srv->buckets);
    tlswi_free(srv->id_buckets);
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
      tlswi_ds_conn_free(c);
    }
  }
  while (srv->zombies != NULL) {
    tlsw_dtls_conn *c = srv->zombies;
    srv->zombies = c->next;
    tlswi_ds_conn_free(c);
  }
  tlswi_ctx_unref(srv->ctx);
  tlswi_free(srv->buckets);
  tlswi_free(srv->id_buckets);
  tlswi_free(srv->rx);
  tlswi_free(srv);
}

/* ------------------------------------------------------------------------ */
/* Datagram routing                                                          */

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

static void established(tlsw_dtls_server *srv, tlsw_dtls_conn *c) {
  c->established = 1;
  srv->handshaking--;
  srv->stats.handshakes++;
  tlswi_ds_cid_register(srv, c);
}

/* A handshaking peer's session made progress (or failed). */
static void after_handshake_step(tlsw_dtls_server *srv, tlsw_dtls_conn *c,
                                 int st) {
  if (st == TLSW_OK) {
    established(srv, c);
  } else if (!blocked(st) && st != TLSW_ERR_DATAGRAM_DROPPED) {
    srv->stats.failed++;
    tlswi_ds_conn_remove(srv, c);
  }
}

/* A connection whose cookie checked takes its slot, replacing old (the
 * same address's previous connection), if any. */
static void adopt(tlsw_dtls_server *srv, tlsw_dtls_conn *c,
                  tlsw_dtls_conn *old) {
  tlsw_dtls_conn **pp = tlswi_ds_slot(srv, c->cid, c->cid_len);
  c->deadline_ms = tlswi_ctx_now_ms(srv->ctx) + srv->handshake_ms;
  srv->handshaking++;
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
    tlswi_ds_cid_unregister(srv, old);
    old->zombie = 1;
    old->readable = 1;
    old->next = srv->zombies;
    srv->zombies = old;
  } else {
    tlswi_ds_conn_free(old);
  }
}

/* The table is full and a new peer's cookie checked: the oldest peer
 * still handshaking (the earliest deadline: every peer gets the same time)
 * makes room, as a server under a slow-handshake flood must, or the
 * flood's peers would hold every slot until their deadlines. 0 when every
 * peer is established (the caller holds those; they are never taken). */
static int evict_oldest(tlsw_dtls_server *srv) {
  tlsw_dtls_conn *oldest = NULL;
  for (size_t i = 0; i < srv->nbuckets && srv->handshaking > 0; i++) {
    for (tlsw_dtls_conn *c = srv->buckets[i]; c != NULL; c = c->next) {
      if (!c->established &&
          (oldest == NULL || c->deadline_ms < oldest->deadline_ms)) {
        oldest = c;
      }
    }
  }
  if (oldest == NULL) return 0;
  srv->stats.evicted++;
  tlswi_ds_conn_remove(srv, oldest);
  return 1;
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
  c->io.send = tlswi_ds_send;
  c->io.recv = tlswi_ds_recv;
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
    tlswi_ds_conn_free(c);
    return;
  }
  if (st == TLSW_ERR_DATAGRAM_DROPPED) {
    srv->stats.dropped++;
    tlswi_ds_conn_free(c);
    return;
  }
  if (st != TLSW_OK && !blocked(st)) {
    srv->stats.failed++;
    tlswi_ds_conn_free(c);
    return;
  }
  /* The cookie checked: from here on the peer has state. */
  if ((old == NULL && srv->count >= srv->max_conns && !evict_oldest(srv)) ||
      tlsw_membuf_new(&c->inbox, srv->inbox_bytes, 1) != TLSW_OK) {
    srv->stats.dropped++;
    tlswi_ds_conn_free(c);
    return;
  }
  adopt(srv, c, old);
  if (st == TLSW_OK) established(srv, c);
}

static void deliver(tlsw_dtls_server *srv, tlsw_dtls_conn *c,
                    const struct sockaddr_storage *from, socklen_t fromlen,
                    size_t n);

static void route(tlsw_dtls_server *srv, const struct sockaddr_storage *from,
                  socklen_t fromlen, size_t n) {
  uint8_t cid[TLSW_UDP_CLIENT_ID_MAX];
  size_t cid_len;
  if (tlsw_udp_client_id((const struct sockaddr *)from, fromlen, cid,
                         &cid_len) != TLSW_OK) {
    srv->stats.dropped++;
    return;
  }
  tlsw_dtls_conn *c = *tlswi_ds_slot(srv, cid, cid_len);
  /* A record with a peer's connection ID goes to that peer from any
   * address (it may have moved: dtls_server_cid.c). */
  tlsw_dtls_conn *by_id = tlswi_ds_cid_lookup(srv, srv->rx, n);
  if (by_id != NULL && by_id != c) {
    deliver(srv, by_id, from, fromlen, n);
    return;
  }
  if (c == NULL) {
    if (srv->count >= srv->max_conns && srv->handshaking == 0) {
      /* Full of established peers: new peers get no answer at all, not
       * even a cookie, until a slot frees; answering would only make them
       * send the hello that we would then have to refuse after doing the
       * handshake's work. With a peer still handshaking, the cookie is
       * answered: a hello that passes it evicts the oldest such peer. */
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
  deliver(srv, c, NULL, 0, n);
}

/* Queue a datagram for c (from: its source when not c's address). */
static void deliver(tlsw_dtls_server *srv, tlsw_dtls_conn *c,
                    const struct sockaddr_storage *from, socklen_t fromlen,
                    size_t n) {
  size_t put = 0;
  if (tlsw_membuf_write(c->inbox, srv->rx, n, &put) != TLSW_OK) {
    srv->stats.dropped++; /* inbox full: as a full socket buffer would */
    return;
  }
  tlswi_ds_cid_queued(c, from, fromlen);
  if (c->established) {
    c->readable = 1;
    return;
  }
  after_handshake_step(srv, c, tlsw_handshake(c->s));
}

/* Handshakes in flight: the deadline first (a peer that stalled after the
 * cookie is freed), then due retransmission timers. */
static void handshake_timers(tlsw_dtls_server *srv) {
  uint64_t now = tlswi_ctx_now_ms(srv->ctx);
  for (size_t i = 0; i < srv->nbuckets && srv->handshaking > 0; i++) {
    tlsw_dtls_conn *c = srv->buckets[i];
    while (c != NULL) {
      tlsw_dtls_conn *next = c->next;
      if (!c->established && now >= c->deadline_ms) {
        srv->stats.expired++;
        tlswi_ds_conn_remove(srv, c);
      } else if (!c->established && tlsw_session_dtls_timeout_ms(c->s) == 0) {
        int st = tlsw_dtls_handle_timeout(c->s);
        if (st == TLSW_WANT_READ) st = tlsw_handshake(c->s);
        after_handshake_step(srv, c, st);
      }
      c = next;
    }
  }
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
  handshake_timers(srv);
  return TLSW_OK;
}

long tlsw_dtls_server_timeout_ms(const tlsw_dtls_server *srv) {
  if (srv == NULL || srv->handshaking == 0) return -1;
  uint64_t now = tlswi_ctx_now_ms(srv->ctx);
  long best = -1;
  for (size_t i = 0; i < srv->nbuckets; i++) {
    for (const tlsw_dtls_conn *c = srv->buckets[i]; c != NULL; c = c->next) {
      if (c->established) continue;
      uint64_t left = c->deadline_ms > now ? c->deadline_ms - now : 0;
      long t = tlsw_session_dtls_timeout_ms(c->s);
      if (t < 0 || (uint64_t)t > left)
        t = left > 0x7fffffffu ? 0x7fffffffL : (long)left;
      if (best < 0 || t < best) best = t;
    }
  }
  return best;
}
