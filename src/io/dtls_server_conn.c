/*
 * tlsw_dtls_server's peers (tlswrap/dtls.h): each one's transport, the
 * table they live in, and the calls that hand them to the caller.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "io/dtls_server.h"
#include "support/alloc.h"
#include "tlswrap/status.h"

/* ------------------------------------------------------------------------ */
/* Per-peer transport                                                        */

int tlswi_ds_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  tlsw_dtls_conn *c = io;
  *out_n = 0;
  if (c->zombie) return TLSW_ERR_RESET; /* the peer started over */
  /* A datagram from a new address may have authenticated by now: the
   * answer goes where the peer is (dtls_server_cid.c). */
  tlswi_ds_cid_settle(c, 0);
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

int tlswi_ds_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
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
    tlswi_ds_cid_settle(c, 1);
    return TLSW_WANT_READ;
  }
  tlswi_ds_cid_taken(c);
  return tlsw_membuf_read(c->inbox, buf, len, out_n);
}

/* ------------------------------------------------------------------------ */
/* Table                                                                     */

size_t tlswi_ds_hash(const uint8_t *p, size_t n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

tlsw_dtls_conn **tlswi_ds_slot(tlsw_dtls_server *srv, const uint8_t *cid,
                               size_t cid_len) {
  tlsw_dtls_conn **pp =
      &srv->buckets[tlswi_ds_hash(cid, cid_len) & (srv->nbuckets - 1)];
  while (*pp != NULL &&
         ((*pp)->cid_len != cid_len || memcmp((*pp)->cid, cid, cid_len) != 0)) {
    pp = &(*pp)->next;
  }
  return pp;
}

void tlswi_ds_conn_free(tlsw_dtls_conn *c) {
  tlswi_ds_cid_unregister(c->srv, c);
  tlsw_session_free(c->s);
  tlsw_membuf_free(c->inbox);
  tlswi_free(c);
}

void tlswi_ds_conn_remove(tlsw_dtls_server *srv, tlsw_dtls_conn *c) {
  if (c->zombie) {
    tlsw_dtls_conn **zp = &srv->zombies;
    while (*zp != NULL && *zp != c) zp = &(*zp)->next;
    if (*zp == c) *zp = c->next;
    tlswi_ds_conn_free(c);
    return;
  }
  tlsw_dtls_conn **pp = tlswi_ds_slot(srv, c->cid, c->cid_len);
  if (*pp == c) {
    *pp = c->next;
    srv->count--;
    if (!c->established) srv->handshaking--;
  }
  tlswi_ds_conn_free(c);
}

/* ------------------------------------------------------------------------ */
/* Handing peers to the caller                                               */

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
  tlswi_ds_conn_remove(srv, c);
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
