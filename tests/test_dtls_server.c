/* The DTLS UDP server helper (src/io/dtls_server.c) under peers that pass
 * the cookie exchange and then stall: the handshake deadline frees such a
 * peer (stats.expired), and a full table makes room for a new peer by
 * evicting the oldest one still handshaking (stats.evicted), never an
 * established one. Real UDP on 127.0.0.1, tlswrap clients on non-blocking
 * sockets driven step by step from the test's own thread, every wait
 * bounded. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctxs.h"
#include "net.h"
#include "tlswrap/dtls.h"
#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nonblocking(int fd) {
  assert_int_equal(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
}

typedef struct helper {
  tlsw_ctx *ctx;
  int fd, port;
  tlsw_dtls_server *srv;
} helper;

static void helper_start(helper *h, size_t max_conns, unsigned long hs_ms) {
  memset(h, 0, sizeof *h);
  h->ctx = dtls_server_ctx();
  assert_non_null(h->ctx);
  h->fd = udp_bound(&h->port);
  assert_true(h->fd >= 0);
  nonblocking(h->fd);
  tlsw_dtls_server_opts o = TLSW_DTLS_SERVER_OPTS_INIT;
  o.max_conns = max_conns;
  o.handshake_timeout_ms = hs_ms;
  assert_int_equal(tlsw_dtls_server_new(&h->srv, h->ctx, h->fd, &o), TLSW_OK);
}

static void helper_stop(helper *h) {
  tlsw_dtls_server_free(h->srv);
  close(h->fd);
  tlsw_ctx_free(h->ctx);
}

static tlsw_dtls_server_stats stats_of(const helper *h) {
  tlsw_dtls_server_stats st;
  assert_int_equal(tlsw_dtls_server_get_stats(h->srv, &st, sizeof st), TLSW_OK);
  return st;
}

/* Let the helper run for up to ms (waiting on its socket), announcing
 * peers whose handshake completed. */
static void pump(helper *h, int ms) {
  struct pollfd p = {h->fd, POLLIN, 0};
  long t = tlsw_dtls_server_timeout_ms(h->srv);
  if (t < 0 || t > ms) t = ms;
  (void)poll(&p, 1, (int)t);
  assert_int_equal(tlsw_dtls_server_process(h->srv), TLSW_OK);
  tlsw_dtls_conn *c;
  while (tlsw_dtls_server_accept(h->srv, &c) == TLSW_OK) {
  }
}

typedef struct peer {
  int fd;
  tlsw_sock t;
  tlsw_io io;
  tlsw_ctx *ctx;
  tlsw_session *s;
} peer;

static void peer_open(peer *p, const helper *h) {
  memset(p, 0, sizeof *p);
  p->ctx = dtls_client_ctx();
  assert_non_null(p->ctx);
  p->fd = udp_connected(h->port);
  assert_true(p->fd >= 0);
  nonblocking(p->fd);
  tlsw_sock_io(&p->t, p->fd, 0, &p->io);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "localhost";
  o.do_handshake_on_connect = 0;
  assert_int_equal(tlsw_wrap(p->ctx, &p->io, &o, &p->s), TLSW_OK);
}

static void peer_close(peer *p) {
  tlsw_session_free(p->s);
  close(p->fd);
  tlsw_ctx_free(p->ctx);
}

/* One handshake step of the peer, then the helper's turn, until the
 * helper's table holds `count` peers (the cookie passed) or 2 s pass. */
static void step_until_count(helper *h, peer *p, size_t count) {
  long long end = now_ms() + 2000;
  while (tlsw_dtls_server_count(h->srv) < count && now_ms() < end) {
    int st = tlsw_handshake(p->s);
    assert_true(st == TLSW_WANT_READ || st == TLSW_WANT_WRITE);
    pump(h, 20);
  }
  assert_int_equal(tlsw_dtls_server_count(h->srv), count);
}

/* A peer that passes the cookie exchange, and then stalls (the caller
 * never steps it again). */
static void stalled_peer(helper *h, peer *p) {
  size_t before = tlsw_dtls_server_count(h->srv);
  peer_open(p, h);
  step_until_count(h, p, before + 1);
}

/* Step the peer and the helper until the peer's handshake completes or
 * ms pass; the peer's last status. */
static int complete(helper *h, peer *p, int ms) {
  long long end = now_ms() + ms;
  int st = TLSW_WANT_READ;
  while (now_ms() < end) {
    st = tlsw_handshake(p->s);
    if (st != TLSW_WANT_READ && st != TLSW_WANT_WRITE) break;
    pump(h, 10);
  }
  return st;
}

/* A peer that stalls after the cookie is freed at the deadline, not
 * before; the helper's timeout covers the deadline so poll() wakes. */
static void handshake_deadline(void **state) {
  (void)state;
  helper h;
  helper_start(&h, 4, 300);
  peer a;
  long long t0 = now_ms();
  stalled_peer(&h, &a);
  long t = tlsw_dtls_server_timeout_ms(h.srv);
  assert_true(t >= 0 && t <= 300);
  long long end = t0 + 3000;
  while (tlsw_dtls_server_count(h.srv) > 0 && now_ms() < end) pump(&h, 50);
  long long took = now_ms() - t0;
  assert_int_equal(tlsw_dtls_server_count(h.srv), 0);
  assert_true(took >= 250);
  assert_true(took < 3000);
  tlsw_dtls_server_stats st = stats_of(&h);
  assert_int_equal(st.expired, 1);
  assert_int_equal(st.evicted, 0);
  assert_int_equal(st.handshakes, 0);
  /* Nothing is in flight any more: no timer. */
  assert_int_equal(tlsw_dtls_server_timeout_ms(h.srv), -1);
  peer_close(&a);
  helper_stop(&h);
}

/* A full table of stalled peers: a new peer's hello is still answered
 * with a cookie, and once its cookie checks the oldest stalled peer makes
 * room. The younger stalled peer keeps its slot and can still finish. */
static void evict_oldest_handshaking(void **state) {
  (void)state;
  helper h;
  helper_start(&h, 2, 0); /* the default deadline: 30 s, never reached */
  peer a, b, c;
  stalled_peer(&h, &a);
  struct timespec ms20 = {0, 20 * 1000000L};
  nanosleep(&ms20, NULL); /* b's deadline is later than a's */
  stalled_peer(&h, &b);
  peer_open(&c, &h);
  assert_int_equal(complete(&h, &c, 3000), TLSW_OK);
  tlsw_dtls_server_stats st = stats_of(&h);
  assert_int_equal(st.evicted, 1);
  assert_int_equal(st.expired, 0);
  assert_int_equal(tlsw_dtls_server_count(h.srv), 2);
  /* b was not the one evicted: it completes. */
  assert_int_equal(complete(&h, &b, 3000), TLSW_OK);
  assert_int_equal(stats_of(&h).handshakes, 2);
  /* a was: its next flight reaches no session, and with every peer now
   * established the table is closed to it. */
  assert_int_equal(complete(&h, &a, 300), TLSW_WANT_READ);
  st = stats_of(&h);
  assert_int_equal(st.handshakes, 2);
  assert_int_equal(st.evicted, 1);
  assert_true(st.dropped >= 1);
  peer_close(&a);
  peer_close(&b);
  peer_close(&c);
  helper_stop(&h);
}

/* An older caller's stats struct (without evicted and expired) gets what
 * it knows and nothing past it; opts from before handshake_timeout_ms get
 * the default deadline. */
static void older_structs(void **state) {
  (void)state;
  helper h;
  helper_start(&h, 0, 0);
  size_t old_size = offsetof(tlsw_dtls_server_stats, evicted);
  unsigned char buf[sizeof(tlsw_dtls_server_stats) + 8];
  memset(buf, 0xab, sizeof buf);
  assert_int_equal(tlsw_dtls_server_get_stats(
                       h.srv, (tlsw_dtls_server_stats *)(void *)buf, old_size),
                   TLSW_OK);
  assert_int_equal(buf[old_size], 0xab);
  helper_stop(&h);
  tlsw_ctx *ctx = dtls_server_ctx();
  int fd = udp_bound(&(int){0});
  assert_true(fd >= 0);
  tlsw_dtls_server_opts o = TLSW_DTLS_SERVER_OPTS_INIT;
  o.struct_size = offsetof(tlsw_dtls_server_opts, handshake_timeout_ms);
  o.handshake_timeout_ms = 1; /* beyond the old size: never read */
  tlsw_dtls_server *srv;
  assert_int_equal(tlsw_dtls_server_new(&srv, ctx, fd, &o), TLSW_OK);
  tlsw_dtls_server_free(srv);
  close(fd);
  tlsw_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(handshake_deadline),
      cmocka_unit_test(evict_oldest_handshaking),
      cmocka_unit_test(older_structs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
