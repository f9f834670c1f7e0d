/*
 * tlsw_dtls_server's internals, shared by its two files: dtls_server.c
 * (lifecycle, datagram routing, handshake deadlines and eviction) and
 * dtls_server_conn.c (the per-peer transport, the peer table, and the
 * calls that hand peers to the caller).
 */
#ifndef TLSW_IO_DTLS_SERVER_H
#define TLSW_IO_DTLS_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "support/message.h"
#include "tlswrap/dtls.h"
#include "tlswrap/transport.h"

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
  uint64_t deadline_ms; /* handshaking: given up at this time (ctx clock) */
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
  size_t handshaking;         /* of count: handshakes not yet complete */
  unsigned long handshake_ms; /* the deadline of a handshake */
  tlsw_dtls_server_stats stats;
  tlsw_err err;
  uint8_t *rx;
};

/* The peer's transport (sendto to its address; its inbox, or the one
 * datagram of the stateless exchange). */
int tlswi_ds_send(void *io, const uint8_t *buf, size_t len, size_t *out_n);
int tlswi_ds_recv(void *io, uint8_t *buf, size_t len, size_t *out_n);
/* The table slot of a client id: where its connection is, or would go. */
tlsw_dtls_conn **tlswi_ds_slot(tlsw_dtls_server *srv, const uint8_t *cid,
                               size_t cid_len);
/* Free a connection and its session (not in the table, or just taken
 * out). */
void tlswi_ds_conn_free(tlsw_dtls_conn *c);
/* Take a connection out of the table (or the zombie list) and free it. */
void tlswi_ds_conn_remove(tlsw_dtls_server *srv, tlsw_dtls_conn *c);

#endif
