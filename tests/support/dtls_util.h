/* DTLS test support: an in-memory client/server link whose datagrams the
 * test can drop, duplicate, reorder or forge, a fake clock, and a server
 * driven the stateless way (one wrap per datagram until the cookie checks). */
#ifndef TLSW_TEST_SUPPORT_DTLS_UTIL_H
#define TLSW_TEST_SUPPORT_DTLS_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

#define DT_MAX_DGRAMS 64

typedef struct dt_env {
  tlsw_ctx *cctx, *sctx;
  tlsw_membuf *c2s, *s2c;
  tlsw_memio cio, sio;
  tlsw_io cli_io, srv_io;
  tlsw_session *cli, *srv;
  uint64_t now_ms;  /* the fake clock of both contexts */
  const char *cid;  /* client_id the server wraps with */
  int hello_verify; /* TLSW_HELLO_VERIFY seen by the server */
  int dropped;      /* TLSW_ERR_DATAGRAM_DROPPED seen by a fresh server */
  int last_srv_status;
} dt_env;

/* Contexts with the test PKI (server-ec, client verifies with ca.pem and
 * "localhost"), fake clock at 1,000,000 ms, client wrapped (deferred). */
void dt_init(dt_env *e);
/* The same with each context's maximum version (TLSW_VERSION_TLS1_3:
 * DTLS 1.3 where the build has it; TLSW_VERSION_DEFAULT: DTLS 1.2). */
void dt_init_v(dt_env *e, tlsw_tls_version cmax, tlsw_tls_version smax);
void dt_free(dt_env *e);

/* One server step: with no session, wrap one for the next datagram (none
 * waiting: TLSW_WANT_READ); with one, continue its handshake. A session
 * that fails with HELLO_VERIFY or DATAGRAM_DROPPED is freed (counted). */
int dt_server_step(dt_env *e);
int dt_client_step(dt_env *e);
/* Run both until both finish, one fails, or nothing moves. */
int dt_run(dt_env *e);

/* The client's first step, which must send its first ClientHello and wait
 * (the test fails otherwise): that datagram, taken out of the c2s queue
 * into buf (cap bytes). Returns its length. */
size_t dt_first_hello(dt_env *e, uint8_t *buf, size_t cap);

/* Datagrams waiting in a queue: take them all out / put them back. */
size_t dt_take(tlsw_membuf *q, uint8_t bufs[][2048], size_t lens[], size_t max);
void dt_put(tlsw_membuf *q, const uint8_t *d, size_t n);
size_t dt_count(tlsw_membuf *q);
/* 1 if the datagram holds a ChangeCipherSpec record (a final flight). */
int dt_has_ccs(const uint8_t *d, size_t n);
void dt_drop_all(tlsw_membuf *q);

#endif
