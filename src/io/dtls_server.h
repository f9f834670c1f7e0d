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
  /* Connection IDs (dtls_server_cid.c): the ID the peer puts on its
   * records (conn_id_len 0: none, or not unique), its chain in
   * srv->id_buckets, and a candidate new address: a datagram with the ID
   * from elsewhere, number cand_seq of those queued (q_in counts them,
   * q_out those read). cand: 0 none, 1 queued, 2 read, while
   * tlswi_sess_dtls_reads() was cand_reads; the peer moves once a read
   * after it returned data, i.e. the datagram authenticated. */
  uint8_t conn_id[TLSW_DTLS_CID_MAX];
  size_t conn_id_len;
  tlsw_dtls_conn *id_next;
  struct sockaddr_storage cand_addr;
  socklen_t cand_len;
  unsigned char cand;
  unsigned cand_reads;
  unsigned long cand_seq, q_in, q_out;
};

struct tlsw_dtls_server {
  tlsw_ctx *ctx;
  int fd;
  size_t max_conns, inbox_bytes;
  tlsw_dtls_conn **buckets;
  tlsw_dtls_conn **id_buckets; /* by connection ID (dtls_server_cid.c) */
  size_t id_len;               /* the length of the IDs the peers use */
  size_t nbuckets;             /* a power of two (both tables) */
  tlsw_dtls_conn *zombies;     /* replaced connections not yet closed */
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
size_t tlswi_ds_hash(const uint8_t *p, size_t n);

/* dtls_server_cid.c: connection IDs. register: an established peer's ID
 * into the ID table (when it has one no other peer has); unregister: out
 * of it. lookup: the peer whose ID a datagram carries, or NULL. queued /
 * taken: a datagram went into / out of c's inbox (from: its source, NULL:
 * c's own address). settle: decide a read candidate (move the peer or
 * forget it); final: also forget one not read yet. */
void tlswi_ds_cid_register(tlsw_dtls_server *srv, tlsw_dtls_conn *c);
void tlswi_ds_cid_unregister(tlsw_dtls_server *srv, tlsw_dtls_conn *c);
tlsw_dtls_conn *tlswi_ds_cid_lookup(tlsw_dtls_server *srv, const uint8_t *d,
                                    size_t n);
void tlswi_ds_cid_queued(tlsw_dtls_conn *c, const struct sockaddr_storage *from,
                         socklen_t len);
void tlswi_ds_cid_taken(tlsw_dtls_conn *c);
void tlswi_ds_cid_settle(tlsw_dtls_conn *c, int final);

#endif
