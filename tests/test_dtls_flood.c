#define _POSIX_C_SOURCE 200809L
/* Constant memory: a DTLS server answering 10,000 ClientHellos from
 * distinct client_ids (none with a cookie) ends with exactly the live heap
 * it started with. Heap is measured through tlsw_set_allocator, which also
 * routes wolfSSL's allocations. Prints the figures docs/dtls.md quotes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pair.h"
#include "dtls_util.h"

/* Each block carries its size in a header, so free knows what it returns.
 * The test is single-threaded; tlswrap starts no threads. */
typedef union hdr {
  size_t n;
  long double align;
} hdr;

static size_t live, peak, calls;

static void *cm(size_t n) {
  hdr *h = malloc(sizeof(hdr) + n);
  if (h == NULL) return NULL;
  h->n = n;
  live += n;
  calls++;
  if (live > peak) peak = live;
  return h + 1;
}

static void cf(void *p) {
  if (p == NULL) return;
  hdr *h = (hdr *)p - 1;
  live -= h->n;
  free(h);
}

static void *cr(void *p, size_t n) {
  if (p == NULL) return cm(n);
  hdr *old = (hdr *)p - 1;
  size_t was = old->n;
  hdr *h = realloc(old, sizeof(hdr) + n);
  if (h == NULL) return NULL;
  live = live - was + n;
  h->n = n;
  if (live > peak) peak = live;
  return h + 1;
}

static void allocator_rules(void **state) {
  (void)state;
  assert_int_equal(tlsw_set_allocator(NULL, cr, cf), TLSW_ERR_ARG);
  assert_int_equal(tlsw_set_allocator(cm, cr, cf), TLSW_OK);
  assert_int_equal(tlsw_init(), TLSW_OK);
  /* wolfSSL's allocations go through our hook (a build without the
   * OpenSSL-compatibility layer allocates nothing in its init: a context
   * shows it). */
  tlsw_ctx *c = NULL;
  assert_int_equal(tlsw_ctx_new(&c, TLSW_PROTOCOL_DTLS_SERVER), TLSW_OK);
  assert_true(live > 0);
  tlsw_ctx_free(c);
  /* Too late now: memory is out under the current allocator. */
  assert_int_equal(tlsw_set_allocator(cm, cr, cf), TLSW_ERR_STATE);
}

/* v: the contexts' maximum (TLSW_VERSION_TLS1_3: DTLS 1.3's stateless
 * HelloRetryRequest instead of the HelloVerifyRequest). */
static void hello_flood(tlsw_tls_version v) {
  dt_env e;
  dt_init_v(&e, v, v);
  const char *name = v == TLSW_VERSION_TLS1_3 ? "DTLS 1.3" : "DTLS 1.2";
  /* The client's first ClientHello, replayed as 10,000 peers' hellos. */
  static uint8_t ch[2048];
  size_t ch_len = dt_first_hello(&e, ch, sizeof ch);

  /* Warm up once: the context makes its cookie secret on first use. */
  int knocks = 0;
  char cid[32];
  size_t calls0 = 0;
  for (int i = -1; i < 10000; i++) {
    if (i == 0) {
      peak = live;
      calls0 = calls;
    }
    size_t before = live;
    dt_put(e.c2s, ch, ch_len);
    snprintf(cid, sizeof cid, "10.%d.%d.%d:4433", i >> 16 & 255, i >> 8 & 255,
             i & 255);
    tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
    o.client_id = (const uint8_t *)cid;
    o.client_id_len = strlen(cid);
    tlsw_session *s;
    assert_int_equal(tlsw_wrap(e.sctx, &e.srv_io, &o, &s), TLSW_HELLO_VERIFY);
    /* The dead session holds only its own record (about 1 KB with the
     * backend's slot); the 56 KB wolfSSL object is gone already. */
    assert_true(live - before < 4096);
    tlsw_session_free(s);
    dt_drop_all(e.s2c);
    if (i >= 0) knocks++;
    static size_t start;
    if (i == -1) start = live;
    if (i == 9999) {
      printf(
          "# %s hello flood: %d ClientHellos, live heap before %zu B, "
          "after %zu B, peak during %zu B above start, %.1f allocations "
          "per hello\n",
          name, knocks, start, live, peak - start,
          (double)(calls - calls0) / knocks);
      assert_int_equal(live, start);
      /* One throw-away object at a time, never an accumulation. */
      assert_true(peak - start < 256 * 1024);
    }
  }
  dt_free(&e);
}

static void hello_flood_constant_memory(void **state) {
  (void)state;
  hello_flood(TLSW_VERSION_DEFAULT);
}

static void hello_flood_dtls13(void **state) {
  (void)state;
  if (!(tlsw_backend_features() & TLSW_FEATURE_DTLS13)) skip();
  hello_flood(TLSW_VERSION_TLS1_3);
}

/* Figures: heap per established DTLS session (after the per-thread ECC
 * cache is released, which otherwise dominates; see tlsw_thread_cleanup). */
static void heap_per(tlsw_tls_version v) {
  dt_env e;
  dt_init_v(&e, v, v);
  assert_int_equal(dt_run(&e), TLSW_OK);
  tlsw_thread_cleanup();
  const char *ver = tlsw_session_version(e.srv); /* a constant string */
  size_t before = live;
  tlsw_session_free(e.srv);
  e.srv = NULL;
  size_t server = before - live;
  before = live;
  tlsw_session_free(e.cli);
  e.cli = NULL;
  size_t client = before - live;
  printf("# %s heap per established session: server %zu B, client %zu B\n", ver,
         server, client);
  assert_true(server > 1000 && server < 200 * 1024);
  assert_true(client > 1000 && client < 200 * 1024);
  dt_free(&e);
}

static void heap_per_session(void **state) {
  (void)state;
  heap_per(TLSW_VERSION_DEFAULT);
}

static void heap_per_session_dtls13(void **state) {
  (void)state;
  if (!(tlsw_backend_features() & TLSW_FEATURE_DTLS13)) skip();
  heap_per(TLSW_VERSION_TLS1_3);
}

/* What an established server keeps for a client that may still resend its
 * last flight is let go when the client's first record arrives: the copy
 * of the server's last flight on 5.5.4 builds (backend dtls.c), wolfSSL's
 * own handshake state on 5.7.2. Prints the figure docs/dtls.md quotes. */
static void last_flight_released(void **state) {
  (void)state;
  dt_env e;
  dt_init(&e);
  assert_int_equal(dt_run(&e), TLSW_OK);
  tlsw_thread_cleanup();
  size_t n;
  assert_int_equal(tlsw_write(e.cli, "first", 5, &n), TLSW_OK);
  size_t before = live;
  char buf[64];
  assert_int_equal(tlsw_read(e.srv, buf, sizeof buf, &n), TLSW_OK);
  size_t released = before - live;
  printf("# DTLS server heap released by the client's first record: %zu B\n",
         released);
  assert_true(live < before);
  /* And nothing more on later records. */
  assert_int_equal(tlsw_write(e.cli, "second", 6, &n), TLSW_OK);
  before = live;
  assert_int_equal(tlsw_read(e.srv, buf, sizeof buf, &n), TLSW_OK);
  assert_int_equal(live, before);
  dt_free(&e);
}

/* The same through the UDP server helper: hellos without cookies from
 * several source addresses leave its heap where it started. Also checks
 * the helper over IPv6 when ::1 is available. */
static int udp_socket(int family, struct sockaddr_storage *addr,
                      socklen_t *len) {
  int fd = socket(family, SOCK_DGRAM, 0);
  if (fd < 0) return -1;
  memset(addr, 0, sizeof *addr);
  if (family == AF_INET) {
    struct sockaddr_in *a = (struct sockaddr_in *)addr;
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    *len = sizeof *a;
  } else {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)addr;
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    *len = sizeof *a;
  }
  if (bind(fd, (struct sockaddr *)addr, *len) != 0 ||
      getsockname(fd, (struct sockaddr *)addr, len) != 0) {
    close(fd);
    return -1;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

static void helper_flood(int family, tlsw_tls_version v) {
  dt_env e;
  dt_init_v(&e, v, v);
  static uint8_t ch[2048];
  size_t ch_len = dt_first_hello(&e, ch, sizeof ch);
  struct sockaddr_storage sa;
  socklen_t sl;
  int sfd = udp_socket(family, &sa, &sl);
  if (sfd < 0) {
    printf("# helper flood: no %s loopback here, skipped\n",
           family == AF_INET ? "IPv4" : "IPv6");
    dt_free(&e);
    return;
  }
  tlsw_dtls_server *srv;
  assert_int_equal(tlsw_dtls_server_new(&srv, e.sctx, sfd, NULL), TLSW_OK);
  enum { PEERS = 4, ROUNDS = 250 };
  int cfd[PEERS];
  for (int i = 0; i < PEERS; i++) {
    struct sockaddr_storage ca;
    socklen_t cl;
    cfd[i] = udp_socket(family, &ca, &cl);
    assert_true(cfd[i] >= 0);
  }
  size_t start = 0;
  uint8_t sink[2048];
  for (int r = -1; r < ROUNDS; r++) {
    if (r == 0) start = live;
    for (int i = 0; i < PEERS; i++) {
      assert_int_equal(
          sendto(cfd[i], ch, ch_len, 0, (struct sockaddr *)&sa, sl),
          (ssize_t)ch_len);
    }
    /* Loopback delivers at once; process until all were read. */
    for (int spin = 0; spin < 1000; spin++) {
      assert_int_equal(tlsw_dtls_server_process(srv), TLSW_OK);
      tlsw_dtls_server_stats st;
      assert_int_equal(tlsw_dtls_server_get_stats(srv, &st, sizeof st),
                       TLSW_OK);
      if (st.datagrams == (unsigned long)(r + 2) * PEERS) break;
    }
    for (int i = 0; i < PEERS; i++) {
      while (recv(cfd[i], sink, sizeof sink, 0) > 0) {
      }
    }
  }
  tlsw_dtls_server_stats st;
  assert_int_equal(tlsw_dtls_server_get_stats(srv, &st, sizeof st), TLSW_OK);
  printf(
      "# helper flood (%s, %s): %lu hellos, %lu stateless cookie "
      "answers, %zu peers kept; live heap %zu B before, %zu B after\n",
      v == TLSW_VERSION_TLS1_3 ? "DTLS 1.3" : "DTLS 1.2",
      family == AF_INET ? "IPv4" : "IPv6", st.datagrams, st.hello_verify,
      tlsw_dtls_server_count(srv), start, live);
  assert_int_equal(st.hello_verify, (unsigned long)(ROUNDS + 1) * PEERS);
  assert_int_equal(tlsw_dtls_server_count(srv), 0);
  assert_int_equal(live, start);
  tlsw_dtls_server_free(srv);
  for (int i = 0; i < PEERS; i++) close(cfd[i]);
  close(sfd);
  dt_free(&e);
}

static void helper_flood_ipv4(void **state) {
  (void)state;
  helper_flood(AF_INET, TLSW_VERSION_DEFAULT);
}

static void helper_flood_ipv6(void **state) {
  (void)state;
  helper_flood(AF_INET6, TLSW_VERSION_DEFAULT);
}

/* DTLS 1.3's HelloRetryRequest: the helper's stats count it as its
 * hello_verify, and nothing is kept either. */
static void helper_flood_dtls13(void **state) {
  (void)state;
  if (!(tlsw_backend_features() & TLSW_FEATURE_DTLS13)) skip();
  helper_flood(AF_INET, TLSW_VERSION_TLS1_3);
  helper_flood(AF_INET6, TLSW_VERSION_TLS1_3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(allocator_rules),
      cmocka_unit_test(hello_flood_constant_memory),
      cmocka_unit_test(hello_flood_dtls13),
      cmocka_unit_test(heap_per_session),
      cmocka_unit_test(heap_per_session_dtls13),
      cmocka_unit_test(last_flight_released),
      cmocka_unit_test(helper_flood_ipv4),
      cmocka_unit_test(helper_flood_ipv6),
      cmocka_unit_test(helper_flood_dtls13),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
