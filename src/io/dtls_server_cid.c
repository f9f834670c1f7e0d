/*
 * The UDP server helper's connection IDs (RFC 9146, RFC 9147 9): a
 * datagram that carries a peer's ID reaches that peer's session whatever
 * address it came from, and the peer's address follows it only once such
 * a datagram authenticated.
 *
 * How a move is kept safe: anyone can send a datagram with a peer's ID
 * from any address (the ID is in clear). The datagram is queued for the
 * peer and its source noted as a candidate; the peer's address changes
 * only when the session read application data from exactly that datagram
 * (a DTLS read consumes one datagram and returns data only if its record
 * decrypted and passed the replay check: tlswi_sess_dtls_reads()). A
 * forged or replayed datagram is dropped by the session and the peer stays
 * where it was. Limit: a genuine datagram that an attacker on the path
 * copies and delivers first from another address moves the peer there (as
 * in RFC 9146 section 6; RFC 9147's path validation is not in wolfSSL
 * 5.7.2); the real peer's next datagram moves it back.
 */
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "core/ref.h"
#include "io/dtls_server.h"
#include "tlswrap/dtls.h"
#include "tlswrap/status.h"

static tlsw_dtls_conn **id_slot(tlsw_dtls_server *srv, const uint8_t *id,
                                size_t len) {
  tlsw_dtls_conn **pp =
      &srv->id_buckets[tlswi_ds_hash(id, len) & (srv->nbuckets - 1)];
  while (*pp != NULL &&
         ((*pp)->conn_id_len != len || memcmp((*pp)->conn_id, id, len) != 0)) {
    pp = &(*pp)->id_next;
  }
  return pp;
}

void tlswi_ds_cid_register(tlsw_dtls_server *srv, tlsw_dtls_conn *c) {
  size_t len = 0;
  uint8_t id[TLSW_DTLS_CID_MAX];
  if (tlsw_session_dtls_cid(c->s, id, sizeof id, &len) != TLSW_OK || len == 0 ||
      (srv->id_len != 0 && len != srv->id_len)) {
    return;
  }
  tlsw_dtls_conn **pp = id_slot(srv, id, len);
  if (*pp != NULL) return; /* not unique (a random clash): by address */
  memcpy(c->conn_id, id, len);
  c->conn_id_len = len;
  c->id_next = NULL;
  *pp = c;
  srv->id_len = len;
}

void tlswi_ds_cid_unregister(tlsw_dtls_server *srv, tlsw_dtls_conn *c) {
  if (c->conn_id_len == 0) return;
  tlsw_dtls_conn **pp = id_slot(srv, c->conn_id, c->conn_id_len);
  if (*pp == c) *pp = c->id_next;
  c->conn_id_len = 0;
}

/* A DTLS 1.3 record with the unified header (RFC 9147 4: first byte
 * 001CSLEE) whose C bit says a connection ID follows that byte. Its
 * length is not on the wire: it is the one this server's peers use. */
tlsw_dtls_conn *tlswi_ds_cid_lookup(tlsw_dtls_server *srv, const uint8_t *d,
                                    size_t n) {
  if (srv->id_len == 0 || n < 1 + srv->id_len || (d[0] & 0xe0) != 0x20 ||
      (d[0] & 0x10) == 0) {
    return NULL;
  }
  return *id_slot(srv, d + 1, srv->id_len);
}

void tlswi_ds_cid_queued(tlsw_dtls_conn *c, const struct sockaddr_storage *from,
                         socklen_t len) {
  if (from != NULL) {
    memcpy(&c->cand_addr, from, len);
    c->cand_len = len;
    c->cand = 1;
    c->cand_seq = c->q_in;
  }
  c->q_in++;
}

/* The peer's address becomes the candidate's, and its key in the address
 * table with it (unless another peer has that address). */
static void move(tlsw_dtls_conn *c) {
  tlsw_dtls_server *srv = c->srv;
  uint8_t key[TLSW_UDP_CLIENT_ID_MAX];
  size_t key_len;
  if (tlsw_udp_client_id((const struct sockaddr *)&c->cand_addr, c->cand_len,
                         key, &key_len) != TLSW_OK ||
      *tlswi_ds_slot(srv, key, key_len) != NULL) {
    return;
  }
  tlsw_dtls_conn **pp = tlswi_ds_slot(srv, c->cid, c->cid_len);
  if (*pp != c) return; /* a zombie: no longer in the table */
  *pp = c->next;
  memcpy(&c->addr, &c->cand_addr, c->cand_len);
  c->addrlen = c->cand_len;
  memcpy(c->cid, key, key_len);
  c->cid_len = key_len;
  pp = tlswi_ds_slot(srv, c->cid, c->cid_len);
  c->next = *pp;
  *pp = c;
  srv->stats.moved++;
}

void tlswi_ds_cid_settle(tlsw_dtls_conn *c, int final) {
  if (c->cand != 2) return;
  /* Changed since that datagram was taken: the read that took it (the
   * only one since: a DTLS read takes one datagram) returned data. */
  if (tlswi_sess_dtls_reads(c->s) != c->cand_reads) {
    move(c);
    c->cand = 0;
  } else if (final) {
    c->cand = 0; /* its read is over and gave nothing: not authentic */
  }
}

void tlswi_ds_cid_taken(tlsw_dtls_conn *c) {
  /* The read that took the previous datagram is over: decide on it. */
  tlswi_ds_cid_settle(c, 1);
  if (c->cand == 1 && c->q_out == c->cand_seq) {
    c->cand = 2;
    c->cand_reads = tlswi_sess_dtls_reads(c->s);
  }
  c->q_out++;
}
