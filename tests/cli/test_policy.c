/* tlsw-server's admission policy (examples/server/policy.c), with
 * connection records made by hand: which connection makes room, in which
 * order, per address and in all, and how addresses are keyed. The load
 * test (starve.py) shows the policy working on real sockets; this pins
 * each rule down. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "server/server.h"

static void key_of(const char *ip, addr_key *k) {
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  if (strchr(ip, ':') != NULL) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    assert_int_equal(inet_pton(AF_INET6, ip, &a->sin6_addr), 1);
  } else {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    assert_int_equal(inet_pton(AF_INET, ip, &a->sin_addr), 1);
  }
  srv_addr_key((struct sockaddr *)&ss, k);
}

/* A connection from ip in state st, started at t0 and last active at t1. */
static conn *add(server *sv, const char *ip, enum cstate st, long long t0,
                 long long t1) {
  conn *c = srv_new_conn(t0);
  assert_non_null(c);
  c->state = st;
  c->last_ms = c->state_ms = t1;
  key_of(ip, &c->key);
  assert_int_equal(srv_add_conn(sv, c), 0);
  return c;
}

static void init(server *sv, long max_clients, long max_per_addr) {
  memset(sv, 0, sizeof *sv);
  sv->max_clients = max_clients;
  sv->max_per_addr = max_per_addr;
  sv->quiet = 1;
}

static void done(server *sv) {
  for (size_t i = 0; i < sv->nconns; i++) sv->conns[i]->state = C_DONE;
  srv_reap(sv, 0);
  free(sv->conns);
}

static void make_room_from(server *sv, const char *ip, long long now) {
  addr_key k;
  key_of(ip, &k);
  srv_make_room(sv, &k, now);
}

static void test_keys(void **state) {
  (void)state;
  addr_key a, b;
  key_of("192.0.2.7", &a);
  key_of("::ffff:192.0.2.7", &b); /* --bind :: sees IPv4 clients so */
  assert_int_equal(a.len, 4);
  assert_int_equal(b.len, 4);
  assert_memory_equal(a.b, b.b, 4);
  key_of("2001:db8:1:2::1", &a);
  key_of("2001:db8:1:2:ffff::9", &b); /* the same /64 */
  assert_int_equal(a.len, 8);
  assert_memory_equal(a.b, b.b, 8);
  key_of("2001:db8:1:3::1", &b); /* the next /64 */
  assert_memory_not_equal(a.b, b.b, 8);
}

static void test_room_only_when_full(void **state) {
  (void)state;
  server sv;
  init(&sv, 3, 0);
  conn *h = add(&sv, "192.0.2.1", C_HANDSHAKE, 100, 100);
  add(&sv, "192.0.2.1", C_DATA, 50, 60);
  make_room_from(&sv, "192.0.2.1", 1000);
  assert_int_equal(sv.evicted, 0);
  assert_int_equal(h->state, C_HANDSHAKE);
  done(&sv);
}

static void test_order(void **state) {
  (void)state;
  server sv;
  init(&sv, 4, 0);
  conn *h_old = add(&sv, "192.0.2.1", C_HANDSHAKE, 100, 100);
  conn *h_new = add(&sv, "192.0.2.2", C_HANDSHAKE, 200, 200);
  conn *idle = add(&sv, "192.0.2.3", C_DATA, 10, 50);
  conn *closing = add(&sv, "192.0.2.4", C_CLOSING, 10, 900);
  /* 1. one that is closing anyway */
  make_room_from(&sv, "198.51.100.1", 1000);
  assert_int_equal(closing->state, C_DONE);
  srv_reap(&sv, 1000);
  add(&sv, "192.0.2.4", C_DATA, 10, 800);
  /* 2 handshakes of 4 is at least the reserve (a quarter): the oldest
   * handshake goes, though an idle connection is older still. */
  make_room_from(&sv, "198.51.100.1", 1000);
  assert_int_equal(h_old->state, C_DONE);
  assert_int_equal(idle->state, C_DATA);
  assert_int_equal(h_new->state, C_HANDSHAKE);
  assert_non_null(strstr(h_old->outcome, "evicted (oldest handshake"));
  srv_reap(&sv, 1000);
  add(&sv, "198.51.100.1", C_DATA, 1000, 1000);
  /* 1 handshake of 4 is still the reserve: the oldest handshake again. */
  make_room_from(&sv, "198.51.100.2", 1100);
  assert_int_equal(h_new->state, C_DONE);
  assert_int_equal(idle->state, C_DATA);
  srv_reap(&sv, 1100);
  /* No handshake left: the one idle the longest. */
  add(&sv, "198.51.100.2", C_DATA, 1100, 1100);
  make_room_from(&sv, "198.51.100.3", 1200);
  assert_int_equal(idle->state, C_DONE);
  assert_non_null(strstr(idle->outcome, "evicted (longest idle, 1.1s)"));
  assert_int_equal(sv.evicted, 4);
  done(&sv);
}

static void test_reserve(void **state) {
  (void)state;
  server sv;
  init(&sv, 8, 0);
  /* 1 handshake of 8 is under the reserve of 2: an idle one makes room,
   * so that the handshake just started is not pushed out by the next
   * arrival. */
  conn *h = add(&sv, "192.0.2.1", C_HANDSHAKE, 500, 500);
  conn *idle[7];
  for (int i = 0; i < 7; i++) {
    idle[i] = add(&sv, "192.0.2.2", C_DATA, 10, 100 + i);
  }
  make_room_from(&sv, "192.0.2.9", 1000);
  assert_int_equal(h->state, C_HANDSHAKE);
  assert_int_equal(idle[0]->state, C_DONE);
  assert_int_equal(idle[1]->state, C_DATA);
  srv_reap(&sv, 1000);
  add(&sv, "192.0.2.9", C_HANDSHAKE, 1000, 1000);
  /* Now 2 of 8: the reserve is met, the oldest handshake goes. */
  make_room_from(&sv, "192.0.2.10", 1001);
  assert_int_equal(h->state, C_DONE);
  assert_int_equal(idle[1]->state, C_DATA);
  done(&sv);
}

static void test_per_address(void **state) {
  (void)state;
  server sv;
  init(&sv, 100, 2);
  conn *other = add(&sv, "192.0.2.1", C_HANDSHAKE, 10, 10);
  conn *a1 = add(&sv, "192.0.2.2", C_HANDSHAKE, 100, 100);
  conn *a2 = add(&sv, "192.0.2.2", C_DATA, 50, 200);
  /* A third from 192.0.2.2: its own oldest handshake goes, not the older
   * one of another address, and the table is far from full. */
  make_room_from(&sv, "192.0.2.2", 1000);
  assert_int_equal(a1->state, C_DONE);
  assert_int_equal(other->state, C_HANDSHAKE);
  assert_int_equal(a2->state, C_DATA);
  assert_non_null(strstr(a1->outcome, "--max-per-addr"));
  /* Another address is not capped by 192.0.2.2's count. */
  make_room_from(&sv, "192.0.2.3", 1000);
  assert_int_equal(sv.evicted, 1);
  done(&sv);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_keys),
      cmocka_unit_test(test_room_only_when_full),
      cmocka_unit_test(test_order),
      cmocka_unit_test(test_reserve),
      cmocka_unit_test(test_per_address),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
