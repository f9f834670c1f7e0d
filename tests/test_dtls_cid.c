#define _POSIX_C_SOURCE 200809L
/* DTLS connection IDs (RFC 9146 / RFC 9147 9), tlswrap against itself (no
 * Debian peer speaks DTLS 1.3): negotiation in memory, and the UDP server
 * helper on 127.0.0.1 keeping a client's session when the client moves to
 * another source port (a new socket under the same session, through a
 * transport of our own), while a forged or replayed datagram with the ID
 * from a third socket moves nothing. Skipped without
 * TLSW_FEATURE_DTLS_CID. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctxs.h"
#include "dtls_util.h"
#include "net.h"
#include "pair.h"
#include "tlswrap/dtls.h"

#define NEEDS_CID() \
  if (!(tlsw_backend_features() & TLSW_FEATURE_DTLS_CID)) skip()

static int read_one(tlsw_session *s, char *buf, size_t cap, size_t *n) {
  int st;
  int tries = 0;
  do {
    st = tlsw_read(s, buf, cap, n);
  } while ((st == TLSW_ERR_DATAGRAM_DROPPED || st == TLSW_WANT_READ) &&
           ++tries < 8);
  return st;
}

/* ------------------------------------------------------------------------ */
/* Arguments and negotiation, in memory                                     */

static void setter_rules(void **state) {
  (void)state;
  tlsw_ctx *tls = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  assert_int_equal(tlsw_ctx_set_dtls_cid(NULL, 1), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_dtls_cid(tls, 1), TLSW_ERR_STATE);
  tlsw_ctx_free(tls);
  tlsw_ctx *d12 = new_ctx(TLSW_PROTOCOL_DTLS_SERVER);
  assert_int_equal(tlsw_ctx_set_dtls_cid(d12, 2), TLSW_ERR_ARG);
  int st = tlsw_ctx_set_dtls_cid(d12, 1);
  if (!(tlsw_backend_features() & TLSW_FEATURE_DTLS_CID)) {
    assert_int_equal(st, TLSW_ERR_UNSUPPORTED);
    assert_non_null(strstr(tlsw_ctx_message(d12), "connection IDs"));
  } else {
    /* A DTLS 1.2 context: wolfSSL has connection IDs in DTLS 1.3 only. */
    assert_int_equal(st, TLSW_ERR_STATE);
    assert_non_null(strstr(tlsw_ctx_message(d12), "1.3"));
  }
  assert_int_equal(tlsw_ctx_set_dtls_cid(d12, 0),
                   st == TLSW_ERR_STATE ? TLSW_OK : TLSW_ERR_UNSUPPORTED);
  size_t len = 99;
  assert_int_equal(tlsw_session_dtls_cid(NULL, NULL, 0, &len), TLSW_ERR_ARG);
  assert_int_equal(len, 0);
  tlsw_ctx_free(d12);
}

/* Both ends on: the server's 8-byte ID is on every record the client
 * sends (the unified header's C bit, then the ID); the client asked for
 * none. One end off: no ID. */
static void negotiated(void **state) {
  (void)state;
  NEEDS_CID();
  for (int both = 1; both >= 0; both--) {
    dt_env e;
    dt_init_v(&e, TLSW_VERSION_TLS1_3, TLSW_VERSION_TLS1_3);
    assert_int_equal(tlsw_ctx_set_dtls_cid(e.sctx, 1), TLSW_OK);
    if (both) {
      /* dt_init_v wrapped the client already: settings apply to sessions
       * wrapped afterwards. */
      assert_int_equal(tlsw_ctx_set_dtls_cid(e.cctx, 1), TLSW_OK);
      tlsw_session_free(e.cli);
      tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
      o.do_handshake_on_connect = 0;
      o.server_hostname = "localhost";
      assert_int_equal(tlsw_wrap(e.cctx, &e.cli_io, &o, &e.cli), TLSW_OK);
    }
    assert_int_equal(dt_run(&e), TLSW_OK);
    assert_string_equal(tlsw_session_version(e.srv), "DTLSv1.3");
    uint8_t id[TLSW_DTLS_CID_MAX];
    size_t len = 0, clen = 9;
    assert_int_equal(tlsw_session_dtls_cid(e.srv, id, sizeof id, &len),
                     TLSW_OK);
    assert_int_equal(tlsw_session_dtls_cid(e.cli, NULL, 0, &clen), TLSW_OK);
    assert_int_equal(clen, 0);
    dt_drop_all(e.s2c);
    size_t n;
    assert_int_equal(tlsw_write(e.cli, "x", 1, &n), TLSW_OK);
    uint8_t d[2048];
    assert_int_equal(tlsw_membuf_read(e.c2s, d, sizeof d, &n), TLSW_OK);
    assert_int_equal(d[0] & 0xe0, 0x20); /* unified header */
    if (!both) {
      assert_int_equal(len, 0);
      assert_int_equal(d[0] & 0x10, 0);
      dt_free(&e);
      continue;
    }
    printf("# connection ID: %zu bytes\n", len);
    assert_int_equal(len, 8);
    uint8_t small[4];
    assert_int_equal(tlsw_session_dtls_cid(e.srv, small, sizeof small, &len),
                     TLSW_ERR_TOO_BIG);
    assert_int_equal(d[0] & 0x10, 0x10);
    assert_memory_equal(d + 1, id, 8);
    dt_put(e.c2s, d, n);
    char buf[64];
    assert_int_equal(read_one(e.srv, buf, sizeof buf, &n), TLSW_OK);
    assert_int_equal(n, 1);
    dt_free(&e);
  }
}

/* ------------------------------------------------------------------------ */
/* The UDP helper: an echo server in a thread                               */

typedef struct server {
  tlsw_ctx *ctx;
  int fd, port, stop;
  pthread_t th;
  tlsw_dtls_server_stats stats;
  size_t count;
} server;

static void serve_readable(tlsw_dtls_server *srv) {
  tlsw_dtls_conn *c;
  while (tlsw_dtls_server_accept(srv, &c) == TLSW_OK) {
  }
  while ((c = tlsw_dtls_server_next_readable(srv)) != NULL) {
    tlsw_session *s = tlsw_dtls_conn_session(c);
    for (;;) {
      char buf[1500];
      size_t n, w;
      int st = tlsw_read(s, buf + 5, sizeof buf - 5, &n);
      if (st == TLSW_OK) {
        memcpy(buf, "echo:", 5);
        tlsw_write(s, buf, n + 5, &w);
        continue;
      }
      if (st == TLSW_ERR_DATAGRAM_DROPPED) continue;
      if (st != TLSW_WANT_READ) tlsw_dtls_server_close(srv, c);
      break;
    }
  }
}

static void *server_main(void *arg) {
  server *sv = arg;
  tlsw_dtls_server *srv;
  if (tlsw_dtls_server_new(&srv, sv->ctx, sv->fd, NULL) != TLSW_OK) {
    return NULL;
  }
  while (!__atomic_load_n(&sv->stop, __ATOMIC_ACQUIRE)) {
    long t = tlsw_dtls_server_timeout_ms(srv);
    if (t < 0 || t > 20) t = 20;
    struct pollfd p = {sv->fd, POLLIN, 0};
    poll(&p, 1, (int)t);
    if (tlsw_dtls_server_process(srv) != TLSW_OK) break;
    serve_readable(srv);
  }
  tlsw_dtls_server_get_stats(srv, &sv->stats, sizeof sv->stats);
  sv->count = tlsw_dtls_server_count(srv);
  tlsw_dtls_server_free(srv);
  tlsw_thread_cleanup();
  return NULL;
}

static void server_start(server *sv, int cid) {
  memset(sv, 0, sizeof *sv);
  sv->ctx = dtls13_server_ctx();
  if (cid) assert_int_equal(tlsw_ctx_set_dtls_cid(sv->ctx, 1), TLSW_OK);
  sv->fd = udp_bound(&sv->port);
  assert_true(sv->fd >= 0);
  fcntl(sv->fd, F_SETFL, fcntl(sv->fd, F_GETFL) | O_NONBLOCK);
  assert_int_equal(pthread_create(&sv->th, NULL, server_main, sv), 0);
}

static void server_stop(server *sv) {
  __atomic_store_n(&sv->stop, 1, __ATOMIC_RELEASE);
  pthread_join(sv->th, NULL);
  close(sv->fd);
  tlsw_ctx_free(sv->ctx);
}

/* ------------------------------------------------------------------------ */
/* The client's transport: whichever socket fd is now (it may change under
 * the session), blocking up to 1.5 s a read; keeps a copy of the last
 * datagram it sent (for the replay test). */

typedef struct hop_io {
  int fd;
  uint8_t last[2048];
  size_t last_len;
} hop_io;

static int hop_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  hop_io *h = io;
  *out_n = 0;
  if (send(h->fd, buf, len, 0) < 0) return TLSW_ERR_IO;
  if (len <= sizeof h->last) {
    memcpy(h->last, buf, len);
    h->last_len = len;
  }
  *out_n = len;
  return TLSW_OK;
}

static int hop_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  hop_io *h = io;
  *out_n = 0;
  struct pollfd p = {h->fd, POLLIN, 0};
  if (poll(&p, 1, 1500) <= 0) return TLSW_ERR_TIMEOUT;
  ssize_t n = recv(h->fd, buf, len, 0);
  if (n < 0) return TLSW_ERR_IO;
  *out_n = (size_t)n;
  return TLSW_OK;
}

typedef struct client {
  tlsw_ctx *ctx;
  hop_io h;
  tlsw_io io;
  tlsw_session *s;
} client;

static void client_connect(client *cl, int port, int cid) {
  memset(cl, 0, sizeof *cl);
  cl->ctx = dtls13_client_ctx();
  if (cid) assert_int_equal(tlsw_ctx_set_dtls_cid(cl->ctx, 1), TLSW_OK);
  cl->h.fd = udp_connected(port);
  assert_true(cl->h.fd >= 0);
  cl->io.send = hop_send;
  cl->io.recv = hop_recv;
  cl->io.io = &cl->h;
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "localhost";
  int st = tlsw_wrap(cl->ctx, &cl->io, &o, &cl->s);
  if (st != TLSW_OK) {
    fail_msg("wrap: %s: %s", tlsw_status_name(st), tlsw_session_message(cl->s));
  }
  assert_string_equal(tlsw_session_version(cl->s), "DTLSv1.3");
}

static void client_free(client *cl) {
  tlsw_session_free(cl->s);
  close(cl->h.fd);
  tlsw_ctx_free(cl->ctx);
}

/* Send msg, expect "echo:" + msg back (TLSW_OK), or the status. */
static int echo(client *cl, const char *msg) {
  size_t n;
  int st = tlsw_write(cl->s, msg, strlen(msg), &n);
  if (st != TLSW_OK) return st;
  char buf[1500];
  st = read_one(cl->s, buf, sizeof buf, &n);
  if (st != TLSW_OK) return st;
  assert_int_equal(n, strlen(msg) + 5);
  assert_memory_equal(buf, "echo:", 5);
  assert_memory_equal(buf + 5, msg, strlen(msg));
  return TLSW_OK;
}

/* The client's next datagrams leave from a new socket (another source
 * port), as after a NAT rebinding. */
static void hop(client *cl, int port) {
  close(cl->h.fd);
  cl->h.fd = udp_connected(port);
  assert_true(cl->h.fd >= 0);
}

/* With connection IDs the session survives the move and the helper moves
 * the peer (stats.moved); without, the new port is a stranger whose
 * records are dropped and the echo never comes. */
static void port_change(void **state) {
  (void)state;
  NEEDS_CID();
  for (int cid = 1; cid >= 0; cid--) {
    server sv;
    server_start(&sv, cid);
    client cl;
    client_connect(&cl, sv.port, cid);
    assert_int_equal(echo(&cl, "before the move"), TLSW_OK);
    hop(&cl, sv.port);
    int st = echo(&cl, "after the move");
    int st2 = st == TLSW_OK ? echo(&cl, "and again") : st;
    server_stop(&sv);
    printf(
        "# %s connection IDs, after a port change: %s; helper: %lu "
        "handshakes, %lu moved, %lu dropped, %zu peers\n",
        cid ? "with" : "without", tlsw_status_name(st), sv.stats.handshakes,
        sv.stats.moved, sv.stats.dropped, sv.count);
    assert_int_equal(sv.stats.handshakes, 1);
    if (cid) {
      assert_int_equal(st, TLSW_OK);
      assert_int_equal(st2, TLSW_OK);
      assert_int_equal(sv.stats.moved, 1);
      assert_int_equal(sv.count, 1);
    } else {
      assert_int_equal(st, TLSW_ERR_TIMEOUT);
      assert_int_equal(sv.stats.moved, 0);
      assert_true(sv.stats.dropped >= 1);
    }
    client_free(&cl);
  }
}

/* Nothing arrives on fd within ms. */
static int silent(int fd, int ms) {
  struct pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, ms) == 0;
}

/* A datagram with the peer's connection ID from a third socket, forged
 * (the ID, then garbage) or replayed (the client's last real datagram),
 * reaches the peer's session, which drops it; the peer does not move: the
 * next echo still comes to the client, and the third socket hears
 * nothing. */
static void forged_and_replayed(void **state) {
  (void)state;
  NEEDS_CID();
  server sv;
  server_start(&sv, 1);
  client cl;
  client_connect(&cl, sv.port, 1);
  assert_int_equal(echo(&cl, "real"), TLSW_OK);
  uint8_t real[2048];
  size_t real_len = cl.h.last_len;
  memcpy(real, cl.h.last, real_len);
  assert_true(real_len > 9 && (real[0] & 0x10));
  int evil = udp_connected(sv.port);
  assert_true(evil >= 0);
  uint8_t forged[64];
  memcpy(forged, real, 9); /* header byte and the 8-byte ID */
  memset(forged + 9, 0xA5, sizeof forged - 9);
  assert_int_equal(send(evil, forged, sizeof forged, 0),
                   (ssize_t)sizeof forged);
  assert_int_equal(send(evil, real, real_len, 0), (ssize_t)real_len);
  assert_true(silent(evil, 300));
  assert_int_equal(echo(&cl, "still here"), TLSW_OK);
  assert_true(silent(evil, 200));
  server_stop(&sv);
  printf("# forged + replayed: %lu moved, %lu datagrams\n", sv.stats.moved,
         sv.stats.datagrams);
  assert_int_equal(sv.stats.moved, 0);
  close(evil);
  client_free(&cl);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(setter_rules),
      cmocka_unit_test(negotiated),
      cmocka_unit_test(port_change),
      cmocka_unit_test(forged_and_replayed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
