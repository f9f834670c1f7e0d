/* DTLS over real UDP on 127.0.0.1: the multi-peer server helper with
 * several concurrent tlswrap clients, with openssl s_client and gnutls-cli;
 * and the tlswrap client (connected socket, tlsw_sock_io) against openssl
 * s_server and gnutls-serv. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "ctxs.h"
#include "net.h"
#include "pair.h"
#include "tlswrap/dtls.h"
#include "tlswrap/transport.h"

/* The support helpers (net.h), failing the test when the kernel says no. */
static int udp_bound_ok(int *port) {
  int fd = udp_bound(port);
  assert_true(fd >= 0);
  return fd;
}

static int udp_connected_ok(int port) {
  int fd = udp_connected(port);
  assert_true(fd >= 0);
  return fd;
}

/* ------------------------------------------------------------------------ */
/* The tlswrap server: the helper in a thread, echoing "echo:" + data.      */

typedef struct server {
  tlsw_ctx *ctx;
  int fd, port;
  int stop;
  pthread_t th;
  tlsw_dtls_server_stats stats;
  size_t max_count;
  size_t final_count;
  int older_ok;
  size_t max_conns; /* helper option; 0: default */
  int v13;          /* the context offers DTLS 1.3 */
} server;

static void *server_main(void *arg) {
  server *sv = arg;
  tlsw_dtls_server *srv;
  tlsw_dtls_server_opts opts = TLSW_DTLS_SERVER_OPTS_INIT;
  opts.max_conns = sv->max_conns;
  if (tlsw_dtls_server_new(&srv, sv->ctx, sv->fd, &opts) != TLSW_OK) {
    return NULL;
  }
  while (!__atomic_load_n(&sv->stop, __ATOMIC_ACQUIRE)) {
    long t = tlsw_dtls_server_timeout_ms(srv);
    if (t < 0 || t > 20) t = 20;
    struct pollfd p = {sv->fd, POLLIN, 0};
    poll(&p, 1, (int)t);
    if (tlsw_dtls_server_process(srv) != TLSW_OK) break;
    tlsw_dtls_conn *c;
    while (tlsw_dtls_server_accept(srv, &c) == TLSW_OK) {
    }
    if (tlsw_dtls_server_count(srv) > sv->max_count) {
      sv->max_count = tlsw_dtls_server_count(srv);
    }
    while ((c = tlsw_dtls_server_next_readable(srv)) != NULL) {
      tlsw_session *s = tlsw_dtls_conn_session(c);
      for (;;) {
        char buf[1500];
        size_t n;
        int st = tlsw_read(s, buf + 5, sizeof buf - 5, &n);
        if (st == TLSW_OK) {
          memcpy(buf, "echo:", 5);
          size_t w;
          tlsw_write(s, buf, n + 5, &w);
          continue;
        }
        if (st == TLSW_ERR_DATAGRAM_DROPPED) continue;
        if (st != TLSW_WANT_READ) tlsw_dtls_server_close(srv, c);
        break;
      }
    }
  }
  tlsw_dtls_server_get_stats(srv, &sv->stats, sizeof sv->stats);
  /* An older caller's smaller struct gets the counters it knows, and
   * nothing is written past the size it gave. */
  unsigned long older[2] = {0, 0xdeadUL};
  tlsw_dtls_server_get_stats(srv, (tlsw_dtls_server_stats *)(void *)older,
                             sizeof older[0]);
  sv->older_ok = older[0] == sv->stats.datagrams && older[1] == 0xdeadUL;
  sv->final_count = tlsw_dtls_server_count(srv);
  tlsw_dtls_server_free(srv);
  tlsw_thread_cleanup(); /* this thread's ECC cache (tlswrap.h) */
  return NULL;
}

static void server_start_v(server *sv, size_t max_conns, int v13) {
  memset(sv, 0, sizeof *sv);
  sv->max_conns = max_conns;
  sv->v13 = v13;
  sv->ctx = v13 ? dtls13_server_ctx() : dtls_server_ctx();
  sv->fd = udp_bound_ok(&sv->port);
  fcntl(sv->fd, F_SETFL, fcntl(sv->fd, F_GETFL) | O_NONBLOCK);
  assert_int_equal(pthread_create(&sv->th, NULL, server_main, sv), 0);
}

static void server_start_with(server *sv, size_t max_conns) {
  server_start_v(sv, max_conns, 0);
}

static void server_start(server *sv) {
  server_start_with(sv, 0);
}

static void server_stop(server *sv) {
  __atomic_store_n(&sv->stop, 1, __ATOMIC_RELEASE);
  pthread_join(sv->th, NULL);
  close(sv->fd);
  tlsw_ctx_free(sv->ctx);
}

/* ------------------------------------------------------------------------ */
/* The tlswrap client: connected UDP socket, blocking with a timeout.       */

typedef struct client {
  int port, id, ok;
  tlsw_ctx *ctx;
  const char *want; /* the version to negotiate, or NULL: any */
  char why[256];
} client;

/* Read one record, skipping dropped datagrams. */
static int read_record(tlsw_session *s, char *buf, size_t len, size_t *n) {
  for (;;) {
    int st = tlsw_read(s, buf, len, n);
    if (st != TLSW_ERR_DATAGRAM_DROPPED) return st;
  }
}

static void *client_main(void *arg) {
  client *cl = arg;
  /* No cmocka assertion in a thread: the reason goes to cl->why. */
  int fd = udp_connected(cl->port);
  if (fd < 0) {
    snprintf(cl->why, sizeof cl->why, "client %d: no UDP socket", cl->id);
    return NULL;
  }
  tlsw_sock t;
  tlsw_io io;
  tlsw_sock_io(&t, fd, 2000, &io);
  tlsw_session *s;
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "localhost";
  int st = tlsw_wrap(cl->ctx, &io, &o, &s);
  if (st != TLSW_OK) {
    snprintf(cl->why, sizeof cl->why, "client %d wrap: %s: %s", cl->id,
             tlsw_status_name(st), tlsw_session_message(s));
  } else if (cl->want != NULL &&
             strcmp(tlsw_session_version(s), cl->want) != 0) {
    snprintf(cl->why, sizeof cl->why, "client %d: %s, not %s", cl->id,
             tlsw_session_version(s), cl->want);
    st = TLSW_ERR_INTERNAL;
  }
  for (int i = 0; st == TLSW_OK && i < 5; i++) {
    char msg[64], buf[1500];
    snprintf(msg, sizeof msg, "client %d message %d", cl->id, i);
    size_t n;
    st = tlsw_write(s, msg, strlen(msg), &n);
    if (st == TLSW_OK) st = read_record(s, buf, sizeof buf, &n);
    if (st != TLSW_OK) {
      snprintf(cl->why, sizeof cl->why, "client %d i/o: %s: %s", cl->id,
               tlsw_status_name(st), tlsw_session_message(s));
    } else if (n != strlen(msg) + 5 || memcmp(buf, "echo:", 5) != 0 ||
               memcmp(buf + 5, msg, strlen(msg)) != 0) {
      snprintf(cl->why, sizeof cl->why, "client %d: wrong echo", cl->id);
      st = TLSW_ERR_INTERNAL;
    }
  }
  if (st == TLSW_OK) st = tlsw_shutdown(s);
  cl->ok = st == TLSW_OK;
  tlsw_session_free(s);
  tlsw_thread_cleanup();
  close(fd);
  return NULL;
}

static void helper_many_clients(void **state) {
  (void)state;
  server sv;
  server_start(&sv);
  enum { N = 6 };
  client cl[N];
  pthread_t th[N];
  tlsw_ctx *cctx = dtls_client_ctx();
  for (int i = 0; i < N; i++) {
    memset(&cl[i], 0, sizeof cl[i]);
    cl[i].port = sv.port;
    cl[i].id = i;
    cl[i].ctx = cctx;
    assert_int_equal(pthread_create(&th[i], NULL, client_main, &cl[i]), 0);
  }
  for (int i = 0; i < N; i++) pthread_join(th[i], NULL);
  /* Let the server see the last close_notify alerts. */
  sleep_ms(300);
  server_stop(&sv);
  for (int i = 0; i < N; i++) {
    if (!cl[i].ok) fail_msg("%s", cl[i].why);
  }
  printf(
      "# helper: %lu datagrams, %lu HVR, %lu handshakes, %lu dropped, "
      "%lu failed, at most %zu peers at once\n",
      sv.stats.datagrams, sv.stats.hello_verify, sv.stats.handshakes,
      sv.stats.dropped, sv.stats.failed, sv.max_count);
  assert_int_equal(sv.stats.handshakes, N);
  assert_true(sv.stats.hello_verify >= N); /* every peer showed a cookie */
  assert_int_equal(sv.stats.failed, 0);
  assert_true(sv.max_count >= 2);      /* clients were served concurrently */
  assert_int_equal(sv.final_count, 0); /* close_notify freed every peer */
  tlsw_ctx_free(cctx);
}

/* DTLS 1.3 over real UDP through the helper: three 1.3 clients and a
 * 1.2-only one at once; each gets the stateless cookie answer (the HRR is
 * counted as hello_verify), its version, five echoes, and its close_notify
 * frees its peer. */
static void helper_dtls13_clients(void **state) {
  (void)state;
  if (!(tlsw_backend_features() & TLSW_FEATURE_DTLS13)) skip();
  server sv;
  server_start_v(&sv, 0, 1);
  enum { N = 4 };
  client cl[N];
  pthread_t th[N];
  tlsw_ctx *c13 = dtls13_client_ctx();
  tlsw_ctx *c12 = dtls_client_ctx();
  for (int i = 0; i < N; i++) {
    memset(&cl[i], 0, sizeof cl[i]);
    cl[i].port = sv.port;
    cl[i].id = i;
    cl[i].ctx = i == N - 1 ? c12 : c13;
    cl[i].want = i == N - 1 ? "DTLSv1.2" : "DTLSv1.3";
    assert_int_equal(pthread_create(&th[i], NULL, client_main, &cl[i]), 0);
  }
  for (int i = 0; i < N; i++) pthread_join(th[i], NULL);
  sleep_ms(300);
  server_stop(&sv);
  for (int i = 0; i < N; i++) {
    if (!cl[i].ok) fail_msg("%s", cl[i].why);
  }
  printf(
      "# helper, DTLS 1.3: %lu datagrams, %lu cookie answers, %lu "
      "handshakes, %lu dropped, %lu failed\n",
      sv.stats.datagrams, sv.stats.hello_verify, sv.stats.handshakes,
      sv.stats.dropped, sv.stats.failed);
  assert_int_equal(sv.stats.handshakes, N);
  assert_true(sv.stats.hello_verify >= N);
  assert_int_equal(sv.stats.failed, 0);
  assert_int_equal(sv.final_count, 0);
  tlsw_ctx_free(c13);
  tlsw_ctx_free(c12);
}

/* Junk from strangers costs the helper nothing and is counted. */
/* MicroPython's idiom, first half: wait for the first datagram on the
 * bound socket fd, connect fd to its source, and set up io over fd
 * (timeout_ms) and o's client_id (in cid) from that address. */
static void connect_first_peer(int fd, int timeout_ms, tlsw_sock *t,
                               tlsw_io *io, uint8_t *cid, tlsw_wrap_opts *o) {
  struct pollfd p = {fd, POLLIN, 0};
  assert_int_equal(poll(&p, 1, 10000), 1);
  struct sockaddr_storage from;
  socklen_t fromlen = sizeof from;
  char one;
  assert_int_equal(
      recvfrom(fd, &one, 1, MSG_PEEK, (struct sockaddr *)&from, &fromlen), 1);
  assert_int_equal(connect(fd, (struct sockaddr *)&from, fromlen), 0);
  size_t cid_len;
  assert_int_equal(
      tlsw_udp_client_id((struct sockaddr *)&from, fromlen, cid, &cid_len),
      TLSW_OK);
  assert_int_equal(tlsw_sock_io(t, fd, timeout_ms, io), TLSW_OK);
  o->client_id = cid;
  o->client_id_len = cid_len;
}

/* MicroPython's idiom: peek at the first datagram's source, connect the
 * socket to it, wrap with client_id from the address (HelloVerify), wrap
 * again (handshake). One connected socket per peer, tlsw_sock_io. */
static void connected_socket_server(void **state) {
  (void)state;
  int port;
  int fd = udp_bound_ok(&port);
  tlsw_ctx *sctx = dtls_server_ctx();
  tlsw_ctx *cctx = dtls_client_ctx();
  client cl = {port, 7, 0, cctx, NULL, ""};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, client_main, &cl), 0);

  tlsw_sock t;
  tlsw_io io;
  uint8_t cid[TLSW_UDP_CLIENT_ID_MAX];
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  connect_first_peer(fd, 3000, &t, &io, cid, &o);
  tlsw_session *s;
  assert_int_equal(tlsw_wrap(sctx, &io, &o, &s), TLSW_HELLO_VERIFY);
  assert_string_equal(tlsw_session_message(s), "Hello Verify Required");
  tlsw_session_free(s);
  int st = tlsw_wrap(sctx, &io, &o, &s);
  if (st != TLSW_OK) {
    fail_msg("second wrap: %s: %s", tlsw_status_name(st),
             tlsw_session_message(s));
  }
  for (int i = 0; i < 5; i++) {
    char buf[1500];
    size_t n, w;
    assert_int_equal(read_record(s, buf + 5, sizeof buf - 5, &n), TLSW_OK);
    memcpy(buf, "echo:", 5);
    assert_int_equal(tlsw_write(s, buf, n + 5, &w), TLSW_OK);
  }
  char buf[64];
  size_t n;
  assert_int_equal(read_record(s, buf, sizeof buf, &n), TLSW_CLOSED);
  pthread_join(th, NULL);
  if (!cl.ok) fail_msg("%s", cl.why);
  tlsw_session_free(s);
  tlsw_thread_cleanup();
  close(fd);
  tlsw_ctx_free(sctx);
  tlsw_ctx_free(cctx);
}

/* A peer that restarts from the same address and port: its new ClientHello
 * (once its cookie checks) replaces the old connection, which reads EOF. */
/* A lossy UDP proxy between one client and the server: it drops chosen
 * datagrams (by index in each direction), so loss is exact and repeatable. */
typedef struct proxy {
  int pfd, sfd, port, stop;
  unsigned drop_c2s, drop_s2c; /* bit k: drop the k-th datagram */
  unsigned n_c2s, n_s2c, dropped;
  struct sockaddr_storage client;
  socklen_t client_len;
  pthread_t th;
} proxy;

static void *proxy_main(void *arg) {
  proxy *px = arg;
  uint8_t buf[65536];
  while (!__atomic_load_n(&px->stop, __ATOMIC_ACQUIRE)) {
    struct pollfd p[2] = {{px->pfd, POLLIN, 0}, {px->sfd, POLLIN, 0}};
    if (poll(p, 2, 20) <= 0) continue;
    if (p[0].revents & POLLIN) {
      px->client_len = sizeof px->client;
      ssize_t n = recvfrom(px->pfd, buf, sizeof buf, 0,
                           (struct sockaddr *)&px->client, &px->client_len);
      if (n > 0) {
        unsigned k = px->n_c2s++;
        if (k < 32 && (px->drop_c2s >> k & 1u)) {
          px->dropped++;
        } else {
          send(px->sfd, buf, (size_t)n, 0);
        }
      }
    }
    if (p[1].revents & POLLIN) {
      ssize_t n = recv(px->sfd, buf, sizeof buf, 0);
      if (n > 0 && px->client_len > 0) {
        unsigned k = px->n_s2c++;
        if (k < 32 && (px->drop_s2c >> k & 1u)) {
          px->dropped++;
        } else {
          sendto(px->pfd, buf, (size_t)n, 0, (struct sockaddr *)&px->client,
                 px->client_len);
        }
      }
    }
  }
  return NULL;
}

static void lossy_handshake_v(unsigned drop_c2s, unsigned drop_s2c, int v13) {
  server sv;
  server_start_v(&sv, 0, v13);
  proxy px;
  memset(&px, 0, sizeof px);
  px.pfd = udp_bound_ok(&px.port);
  px.sfd = udp_connected_ok(sv.port);
  px.drop_c2s = drop_c2s;
  px.drop_s2c = drop_s2c;
  assert_int_equal(pthread_create(&px.th, NULL, proxy_main, &px), 0);
  tlsw_ctx *cctx = v13 ? dtls13_client_ctx() : dtls_client_ctx();
  /* The client's blocking timeout (1.5 s) is longer than the server's
   * first retransmission timer (1 s), so server-side timers run too. */
  int fd = udp_connected_ok(px.port);
  tlsw_sock t;
  tlsw_io io;
  tlsw_sock_io(&t, fd, 1500, &io);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "localhost";
  tlsw_session *s;
  int st = tlsw_wrap(cctx, &io, &o, &s);
  if (st != TLSW_OK) {
    fail_msg("lossy wrap: %s: %s", tlsw_status_name(st),
             tlsw_session_message(s));
  }
  if (v13) assert_string_equal(tlsw_session_version(s), "DTLSv1.3");
  size_t n;
  char buf[1500];
  assert_int_equal(tlsw_write(s, "lossy", 5, &n), TLSW_OK);
  assert_int_equal(read_record(s, buf, sizeof buf, &n), TLSW_OK);
  assert_memory_equal(buf, "echo:lossy", 10);
  tlsw_session_free(s);
  close(fd);
  __atomic_store_n(&px.stop, 1, __ATOMIC_RELEASE);
  pthread_join(px.th, NULL);
  server_stop(&sv);
  close(px.pfd);
  close(px.sfd);
  tlsw_ctx_free(cctx);
  printf(
      "# lossy: dropped %u datagrams; %lu HVR, %lu handshakes, %lu "
      "failed\n",
      px.dropped, sv.stats.hello_verify, sv.stats.handshakes, sv.stats.failed);
  assert_true(px.dropped >= 1);
  assert_int_equal(sv.stats.handshakes, 1);
  assert_int_equal(sv.stats.failed, 0);
}

static void lossy_handshake(unsigned drop_c2s, unsigned drop_s2c) {
  lossy_handshake_v(drop_c2s, drop_s2c, 0);
}

/* DTLS 1.3 through the helper with a lost server flight (after the HRR)
 * and, separately, lost client flights (its second hello and Finished). */
static void helper_dtls13_lossy(void **state) {
  (void)state;
  if (!(tlsw_backend_features() & TLSW_FEATURE_DTLS13)) skip();
  lossy_handshake_v(0, 1u << 1, 1);
  lossy_handshake_v(1u << 2 | 1u << 3, 0, 1);
}

/* The server's first flight after the cookie is lost: the client resends
 * its ClientHello, which must reach the existing session in the table. */
static void helper_lost_server_flight(void **state) {
  (void)state;
  lossy_handshake(0, 1u << 1);
}

/* The client's last flight is lost: the helper's retransmission timer
 * (tlsw_dtls_server_timeout_ms / process) resends the server's flight. */
static void helper_lost_client_flight(void **state) {
  (void)state;
  lossy_handshake(1u << 2 | 1u << 3 | 1u << 4, 0);
}

/* A full table: a new peer gets no answer (not even a cookie) and gives
 * up with a timeout; the established peer is untouched. */
static void helper_table_full(void **state) {
  (void)state;
  server sv;
  server_start_with(&sv, 1);
  tlsw_ctx *cctx = dtls_client_ctx();
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "localhost";
  int fd[2];
  tlsw_sock t[2];
  tlsw_io io[2];
  tlsw_session *s[2];
  for (int i = 0; i < 2; i++) {
    fd[i] = udp_connected_ok(sv.port);
    tlsw_sock_io(&t[i], fd[i], i == 0 ? 2000 : 100, &io[i]);
  }
  assert_int_equal(tlsw_wrap(cctx, &io[0], &o, &s[0]), TLSW_OK);
  assert_int_equal(tlsw_wrap(cctx, &io[1], &o, &s[1]), TLSW_ERR_TIMEOUT);
  size_t n;
  char buf[1500];
  assert_int_equal(tlsw_write(s[0], "still", 5, &n), TLSW_OK);
  assert_int_equal(read_record(s[0], buf, sizeof buf, &n), TLSW_OK);
  assert_memory_equal(buf, "echo:still", 10);
  server_stop(&sv);
  for (int i = 0; i < 2; i++) {
    tlsw_session_free(s[i]);
    close(fd[i]);
  }
  tlsw_ctx_free(cctx);
  assert_int_equal(sv.stats.handshakes, 1);
  assert_int_equal(sv.stats.hello_verify, 1);
  assert_true(sv.stats.dropped >= 2); /* the second peer's hellos */
}

static void helper_peer_restart(void **state) {
  (void)state;
  server sv;
  server_start(&sv);
  tlsw_ctx *cctx = dtls_client_ctx();
  int fd = udp_connected_ok(sv.port);
  tlsw_sock t;
  tlsw_io io;
  tlsw_sock_io(&t, fd, 2000, &io);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "localhost";
  tlsw_session *s[2];
  for (int round = 0; round < 2; round++) {
    int st = tlsw_wrap(cctx, &io, &o, &s[round]);
    if (st != TLSW_OK) {
      fail_msg("round %d wrap: %s: %s", round, tlsw_status_name(st),
               tlsw_session_message(s[round]));
    }
    size_t n;
    char buf[1500];
    assert_int_equal(tlsw_write(s[round], "again", 5, &n), TLSW_OK);
    assert_int_equal(read_record(s[round], buf, sizeof buf, &n), TLSW_OK);
    assert_int_equal(n, 10);
    assert_memory_equal(buf, "echo:again", 10);
  }
  assert_int_equal(tlsw_shutdown(s[1]), TLSW_OK);
  sleep_ms(300);
  server_stop(&sv);
  tlsw_session_free(s[0]);
  tlsw_session_free(s[1]);
  close(fd);
  tlsw_ctx_free(cctx);
  assert_int_equal(sv.stats.handshakes, 2);
  assert_int_equal(sv.final_count, 0); /* the old one closed on EOF */
}

static void helper_junk_and_args(void **state) {
  (void)state;
  tlsw_dtls_server *srv;
  tlsw_ctx *cctx = dtls_client_ctx();
  assert_int_equal(tlsw_dtls_server_new(&srv, cctx, 0, NULL), TLSW_ERR_ARG);
  assert_null(srv);
  assert_int_equal(tlsw_dtls_server_new(NULL, cctx, 0, NULL), TLSW_ERR_ARG);
  server sv;
  server_start(&sv);
  assert_int_equal(tlsw_dtls_server_new(&srv, sv.ctx, -1, NULL), TLSW_ERR_ARG);
  /* Extensible options and counters (ABI policy, docs/design.md). */
  tlsw_dtls_server_opts unset = TLSW_DTLS_SERVER_OPTS_INIT;
  unset.struct_size = 0;
  assert_int_equal(tlsw_dtls_server_new(&srv, sv.ctx, sv.fd, &unset),
                   TLSW_ERR_ARG);
  assert_null(srv);
  assert_int_equal(tlsw_dtls_server_get_stats(NULL, &sv.stats, 8),
                   TLSW_ERR_ARG);
  int fd = udp_connected_ok(sv.port);
  for (int i = 0; i < 20; i++) {
    assert_int_equal(send(fd, "junk junk junk", 14, 0), 14);
  }
  sleep_ms(200);
  /* A real client still gets in. */
  client c = {sv.port, 99, 0, cctx, NULL, ""};
  client_main(&c);
  if (!c.ok) fail_msg("%s", c.why);
  sleep_ms(50);
  server_stop(&sv);
  assert_int_equal(sv.stats.dropped, 20);
  assert_int_equal(sv.stats.handshakes, 1);
  assert_true(sv.older_ok);
  close(fd);
  tlsw_ctx_free(cctx);
  uint8_t id[TLSW_UDP_CLIENT_ID_MAX];
  size_t idl;
  struct sockaddr_in a = loopback(1234);
  assert_int_equal(
      tlsw_udp_client_id((struct sockaddr *)&a, sizeof a, id, &idl), TLSW_OK);
  assert_int_equal(idl, 7);
  assert_int_equal(tlsw_udp_client_id((struct sockaddr *)&a, 4, id, &idl),
                   TLSW_ERR_ARG);
}

/* ------------------------------------------------------------------------ */
/* Real peers as clients                                                     */

static void peer_client(const char *tool) {
  server sv;
  server_start(&sv);
  char port[16], connect_to[64], ca[1024];
  snprintf(port, sizeof port, "%d", sv.port);
  snprintf(connect_to, sizeof connect_to, "127.0.0.1:%d", sv.port);
  snprintf(ca, sizeof ca, "--x509cafile=%s", fixture("ca.pem"));
  char *ossl[] = {"openssl",
                  "s_client",
                  "-dtls1_2",
                  "-connect",
                  connect_to,
                  "-CAfile",
                  (char *)fixture("ca.pem"),
                  "-verify_return_error",
                  "-servername",
                  "localhost",
                  "-verify_hostname",
                  "localhost",
                  NULL};
  char *gnu[] = {
      "gnutls-cli", "--udp", ca,          "--verify-hostname=localhost",
      "-p",         port,    "127.0.0.1", NULL};
  int is_ossl = strcmp(tool, "openssl") == 0;
  child *c = calloc(1, sizeof *c);
  assert_non_null(c);
  assert_int_equal(child_start(c, is_ossl ? ossl : gnu), 0);
  long long deadline = now_ms() + 15000;
  const char *ready =
      is_ossl ? "Verify return code: 0 (ok)" : "Handshake was completed";
  int ok = child_wait_for(c, ready, deadline);
  const char *ping = is_ossl ? "ping-openssl\n" : "ping-gnutls\n";
  const char *want = is_ossl ? "echo:ping-openssl" : "echo:ping-gnutls";
  if (ok) ok = child_send(c, ping) == 0;
  if (ok) ok = child_wait_for(c, want, deadline);
  child_stop(c, 1000);
  server_stop(&sv);
  if (!ok) {
    child_dump(c, tool);
    free(c);
    fail_msg("%s against the tlswrap DTLS server failed", tool);
  }
  free(c);
  printf("# %s client: %lu HVR, %lu handshakes\n", tool, sv.stats.hello_verify,
         sv.stats.handshakes);
  assert_true(sv.stats.hello_verify >= 1); /* the cookie exchange ran */
  assert_int_equal(sv.stats.handshakes, 1);
}

/* A second HelloVerifyRequest (the cookie expired, or the secret rotated
 * twice, between the client's hellos): openssl s_client must answer it
 * with a fresh hello and get in. This checks that our HVR carries the
 * ClientHello's message_seq (RFC 6347 4.2.2); with seq 0 the client would
 * take it for a retransmission and stall. */
static void openssl_second_hello_verify(void **state) {
  (void)state;
  int port;
  int fd = udp_bound_ok(&port);
  tlsw_ctx *sctx = dtls_server_ctx();
  char connect_to[64];
  snprintf(connect_to, sizeof connect_to, "127.0.0.1:%d", port);
  char *argv[] = {"openssl",
                  "s_client",
                  "-dtls1_2",
                  "-connect",
                  connect_to,
                  "-CAfile",
                  (char *)fixture("ca.pem"),
                  "-verify_return_error",
                  "-servername",
                  "localhost",
                  NULL};
  child *c = calloc(1, sizeof *c);
  assert_non_null(c);
  assert_int_equal(child_start(c, argv), 0);
  tlsw_sock t;
  tlsw_io io;
  uint8_t cid[TLSW_UDP_CLIENT_ID_MAX];
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  connect_first_peer(fd, 5000, &t, &io, cid, &o);
  tlsw_session *s;
  assert_int_equal(tlsw_wrap(sctx, &io, &o, &s), TLSW_HELLO_VERIFY);
  tlsw_session_free(s);
  /* Both secrets gone: the cookie in the next hello is stale. */
  assert_int_equal(tlsw_ctx_rotate_dtls_cookie_secret(sctx), TLSW_OK);
  assert_int_equal(tlsw_ctx_rotate_dtls_cookie_secret(sctx), TLSW_OK);
  assert_int_equal(tlsw_wrap(sctx, &io, &o, &s), TLSW_HELLO_VERIFY);
  tlsw_session_free(s);
  int st = tlsw_wrap(sctx, &io, &o, &s);
  int ok = st == TLSW_OK;
  if (ok) {
    long long deadline = now_ms() + 10000;
    ok = child_wait_for(c, "Verify return code: 0 (ok)", deadline) &&
         child_send(c, "third hello\n") == 0;
    char buf[1500];
    size_t n = 0;
    if (ok) ok = read_record(s, buf, sizeof buf, &n) == TLSW_OK;
    ok = ok && n >= 11 && memcmp(buf, "third hello", 11) == 0;
  }
  child_stop(c, 1000);
  if (!ok) {
    child_dump(c, "openssl");
    free(c);
    fail_msg("third wrap: %s: %s", tlsw_status_name(st),
             tlsw_session_message(s));
  }
  free(c);
  tlsw_session_free(s);
  tlsw_thread_cleanup();
  close(fd);
  tlsw_ctx_free(sctx);
}

static void openssl_client(void **state) {
  (void)state;
  peer_client("openssl");
}

static void gnutls_client(void **state) {
  (void)state;
  peer_client("gnutls");
}

/* ------------------------------------------------------------------------ */
/* Real peers as servers                                                     */

static void peer_server(const char *tool) {
  child *c = calloc(1, sizeof *c);
  assert_non_null(c);
  tlsw_ctx *cctx = dtls_client_ctx();
  int is_ossl = strcmp(tool, "openssl") == 0;
  int done = 0;
  for (int attempt = 0; attempt < 3 && !done; attempt++) {
    int p = free_udp_port();
    assert_int_not_equal(p, 0);
    char port[16], accept_on[64], certf[1024], keyf[1024];
    snprintf(port, sizeof port, "%d", p);
    snprintf(accept_on, sizeof accept_on, "127.0.0.1:%d", p);
    snprintf(certf, sizeof certf, "--x509certfile=%s",
             fixture("server-ec.pem"));
    snprintf(keyf, sizeof keyf, "--x509keyfile=%s", fixture("server-ec.key"));
    char *ossl[] = {"openssl",
                    "s_server",
                    "-dtls1_2",
                    "-accept",
                    accept_on,
                    "-cert",
                    (char *)fixture("server-ec.pem"),
                    "-key",
                    (char *)fixture("server-ec.key"),
                    NULL};
    char *gnu[] = {"gnutls-serv", "--udp", "--echo", "-p",
                   port,          certf,   keyf,     NULL};
    assert_int_equal(child_start(c, is_ossl ? ossl : gnu), 0);
    long long deadline = now_ms() + 15000;
    if (!child_wait_for(c, is_ossl ? "ACCEPT" : "...done", deadline)) {
      child_stop(c, 500); /* port taken, most likely: try another */
      continue;
    }
    int fd = udp_connected_ok(p);
    tlsw_sock t;
    tlsw_io io;
    tlsw_sock_io(&t, fd, 2000, &io);
    tlsw_session *s;
    tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
    o.server_hostname = "localhost";
    int st = tlsw_wrap(cctx, &io, &o, &s);
    if (st != TLSW_OK) {
      child_stop(c, 500);
      child_dump(c, tool);
      fail_msg("wrap against %s: %s: %s", tool, tlsw_status_name(st),
               tlsw_session_message(s));
    }
    assert_string_equal(tlsw_session_version(s), "DTLSv1.2");
    size_t n;
    const char *ping = is_ossl ? "ping-to-openssl\n" : "ping-to-gnutls\n";
    assert_int_equal(tlsw_write(s, ping, strlen(ping), &n), TLSW_OK);
    char buf[2048];
    if (is_ossl) {
      /* s_server prints what it got; what we type it sends back. */
      assert_true(child_wait_for(c, "ping-to-openssl", deadline));
      assert_int_equal(child_send(c, "pong-from-openssl\n"), 0);
    }
    st = read_record(s, buf, sizeof buf - 1, &n);
    if (st != TLSW_OK) {
      fail_msg("read from %s: %s: %s", tool, tlsw_status_name(st),
               tlsw_session_message(s));
    }
    buf[n] = '\0';
    assert_non_null(
        strstr(buf, is_ossl ? "pong-from-openssl" : "ping-to-gnutls"));
    assert_int_equal(tlsw_shutdown(s), TLSW_OK);
    tlsw_session_free(s);
    close(fd);
    child_stop(c, 1000);
    done = 1;
  }
  free(c);
  tlsw_ctx_free(cctx);
  assert_true(done);
}

static void openssl_server(void **state) {
  (void)state;
  peer_server("openssl");
}

static void gnutls_server(void **state) {
  (void)state;
  peer_server("gnutls");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(helper_many_clients),
      cmocka_unit_test(helper_dtls13_clients),
      cmocka_unit_test(helper_dtls13_lossy),
      cmocka_unit_test(helper_junk_and_args),
      cmocka_unit_test(helper_peer_restart),
      cmocka_unit_test(helper_table_full),
      cmocka_unit_test(helper_lost_server_flight),
      cmocka_unit_test(helper_lost_client_flight),
      cmocka_unit_test(connected_socket_server),
      cmocka_unit_test(openssl_client),
      cmocka_unit_test(openssl_second_hello_verify),
      cmocka_unit_test(gnutls_client),
      cmocka_unit_test(openssl_server),
      cmocka_unit_test(gnutls_server),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
