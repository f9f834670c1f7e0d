/* DTLS 1.2 (and 1.3, see sweep()) under loss, in memory with a fake clock
 * (never a wall-clock sleep): the server's final flight (ChangeCipherSpec +
 * Finished) lost once, deterministically, and a seeded sweep of handshakes
 * through a network that loses, duplicates and reorders datagrams, with every
 * retransmission driven by tlsw_dtls_handle_timeout(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "pair.h"
#include "test_alloc.h"
#include "dtls_util.h"

static uint8_t bufs[DT_MAX_DGRAMS][2048];
static size_t lens[DT_MAX_DGRAMS];

static void echo(tlsw_session *from, tlsw_session *to, const char *msg) {
  size_t n = 0;
  assert_int_equal(tlsw_write(from, msg, strlen(msg), &n), TLSW_OK);
  char buf[2048];
  assert_int_equal(tlsw_read(to, buf, sizeof buf, &n), TLSW_OK);
  assert_int_equal(n, strlen(msg));
  assert_memory_equal(buf, msg, n);
}

/* RFC 6347 4.2.4: the server's last flight is lost; the client's timer
 * resends its own last flight, and the server, whose handshake is already
 * over, must answer it with its last flight again. */
static void lost_final_flight(void **state) {
  (void)state;
  dt_env e;
  dt_init(&e);
  assert_int_equal(dt_client_step(&e), TLSW_WANT_READ); /* CH1 */
  assert_int_equal(dt_server_step(&e), TLSW_WANT_READ); /* HVR */
  assert_int_equal(dt_client_step(&e), TLSW_WANT_READ); /* CH2 */
  assert_int_equal(dt_server_step(&e), TLSW_WANT_READ); /* flight 4 */
  assert_non_null(e.srv);
  assert_int_equal(dt_client_step(&e), TLSW_WANT_READ); /* flight 5 */
  assert_int_equal(dt_server_step(&e), TLSW_OK);        /* done */
  size_t n = dt_take(e.s2c, bufs, lens, DT_MAX_DGRAMS);
  assert_true(n >= 1);
  assert_true(dt_has_ccs(bufs[0], lens[0])); /* it was the final flight */
  /* Lost. The client waits, then resends its flight. */
  assert_int_equal(dt_client_step(&e), TLSW_WANT_READ);
  long t = tlsw_dtls_timeout_ms(e.cli);
  assert_true(t > 0);
  e.now_ms += (uint64_t)t;
  assert_int_equal(tlsw_dtls_handle_timeout(e.cli), TLSW_WANT_READ);
  static uint8_t flight5[DT_MAX_DGRAMS][2048];
  size_t f5_len[DT_MAX_DGRAMS];
  size_t resent = dt_take(e.c2s, flight5, f5_len, DT_MAX_DGRAMS);
  assert_true(resent >= 1);
  for (size_t i = 0; i < resent; i++) dt_put(e.c2s, flight5[i], f5_len[i]);
  /* The server reads as an application would: every datagram of the
   * retransmitted flight is consumed without data (the one that answers
   * it reports a plain WANT_READ, the others are dropped), and the final
   * flight goes out again. */
  char buf[64];
  size_t got;
  for (size_t i = 0; i < resent; i++) {
    int st = tlsw_read(e.srv, buf, sizeof buf, &got);
    assert_true(st == TLSW_WANT_READ || st == TLSW_ERR_DATAGRAM_DROPPED);
  }
  assert_int_equal(tlsw_session_status(e.srv), TLSW_OK);
  size_t again = dt_count(e.s2c);
  assert_true(again >= 1);
  assert_int_equal(dt_client_step(&e), TLSW_OK);
  echo(e.cli, e.srv, "after a lost final flight");
  echo(e.srv, e.cli, "and back");
  /* Once the client's data has arrived, another copy of its old flight
   * gets no answer: the server has let its copy go. */
  for (size_t i = 0; i < resent; i++) {
    dt_put(e.c2s, flight5[i], f5_len[i]);
    assert_int_equal(tlsw_read(e.srv, buf, sizeof buf, &got),
                     TLSW_ERR_DATAGRAM_DROPPED);
  }
  assert_int_equal(dt_count(e.s2c), 0);
  dt_free(&e);
}

/* A ClientHello of the finished handshake arrives late (the client's
 * retransmission, delayed behind the rest: the sweep meets it 3 times in
 * 200 handshakes on 5.7.2), or is forged from the client's address (a
 * plaintext record: anyone can make one with a fresh record number): the
 * established server drops it and goes on. 5.7.2 by itself ends the
 * session on it (OUT_OF_ORDER_E and a fatal alert). An exact copy would
 * not test this: the record layer drops a replayed record number first. */
static void late_hello_to_established(void **state) {
  (void)state;
  dt_env e;
  dt_init(&e);
  uint8_t late[2][2048], ch2[2048];
  size_t late_len[2];
  late_len[0] = dt_first_hello(&e, late[0], sizeof late[0]); /* CH1 */
  dt_put(e.c2s, late[0], late_len[0]);
  assert_int_equal(dt_server_step(&e), TLSW_WANT_READ); /* HVR */
  size_t ch2_len = dt_first_hello(&e, ch2, sizeof ch2);
  e.now_ms += (uint64_t)tlsw_dtls_timeout_ms(e.cli);
  assert_int_equal(tlsw_dtls_handle_timeout(e.cli), TLSW_WANT_READ);
  assert_int_equal(
      tlsw_membuf_read(e.c2s, late[1], sizeof late[1], &late_len[1]),
      TLSW_OK); /* CH2 again, a record number further */
  assert_int_equal(dt_count(e.c2s), 0);
  dt_put(e.c2s, ch2, ch2_len);
  assert_int_equal(dt_run(&e), TLSW_OK);
  late[0][10] = 0x40; /* CH1, forged: a record number not seen yet */
  for (int i = 1; i >= 0; i--) {
    dt_put(e.c2s, late[i], late_len[i]);
    char buf[64];
    size_t n;
    assert_int_equal(tlsw_read(e.srv, buf, sizeof buf, &n),
                     TLSW_ERR_DATAGRAM_DROPPED);
    assert_int_equal(tlsw_session_status(e.srv), TLSW_OK);
    assert_int_equal(dt_count(e.s2c), 0); /* no alert, no answer */
  }
  echo(e.cli, e.srv, "after a late hello");
  echo(e.srv, e.cli, "still up");
  dt_free(&e);
}

/* ------------------------------------------------------------------------ */
/* The seeded sweep                                                          */

#define SWEEP_HANDSHAKES 200
#define SWEEP_LOSS_PCT 10
#define SWEEP_DUP_PCT 5
#define SWEEP_HOLD_PCT 5  /* held back behind the next flight (reorder) */
#define SWEEP_SWAP_PCT 20 /* two datagrams of one flight swapped */
#define SWEEP_MSGS 3

/* A fixed seed gives the same network every run (test_rand). */
static uint64_t rnd(uint64_t *st) {
  return test_rand(st);
}

static int chance(uint64_t *st, unsigned pct) {
  return rnd(st) % 100 < pct;
}

/* One direction of the network: a datagram may be lost, delivered twice,
 * swapped with its neighbour, or held back behind the next flight. */
typedef struct lane {
  uint8_t held[2048];
  size_t held_len; /* 0: nothing held */
  unsigned lost, final_lost;
} lane;

typedef struct sweep_stats {
  unsigned completed, timeouts, failures, stalls;
  unsigned final_flights_lost, cli_rtx, srv_rtx;
  uint64_t max_ms;
} sweep_stats;

/* DT_TRACE_SEED=<i>: print every datagram of handshake i (record types,
 * epochs, handshake types and message_seq), to replay a failing seed. */
static int trace_on;
static void trace(const char *what, const uint8_t *d, size_t dl) {
  if (!trace_on) return;
  fprintf(stderr, "    %s %zu:", what, dl);
  size_t o = 0;
  while (o + 13 <= dl) {
    const uint8_t *r = d + o;
    fprintf(stderr, " type %d epoch %d", r[0], r[4]);
    if (r[0] == 22 && r[4] == 0 && o + 25 <= dl) {
      fprintf(stderr, " hs %d seq %d", r[13], r[17] << 8 | r[18]);
    }
    o += 13 + ((size_t)r[11] << 8 | r[12]);
  }
  fprintf(stderr, "\n");
}

/* Pass what is queued in q through the network (lossy or not). */
static void lane_pass(lane *l, tlsw_membuf *q, uint64_t *st, int lossy) {
  size_t n = dt_take(q, bufs, lens, DT_MAX_DGRAMS);
  for (size_t i = 0; i < n; i++) trace("sent", bufs[i], lens[i]);
  size_t order[DT_MAX_DGRAMS];
  for (size_t i = 0; i < n; i++) order[i] = i;
  if (lossy && n > 1 && chance(st, SWEEP_SWAP_PCT)) {
    size_t i = (size_t)(rnd(st) % (n - 1));
    size_t t = order[i];
    order[i] = order[i + 1];
    order[i + 1] = t;
  }
  uint8_t keep[2048];
  size_t keep_len = 0;
  for (size_t k = 0; k < n; k++) {
    const uint8_t *d = bufs[order[k]];
    size_t dl = lens[order[k]];
    if (lossy && chance(st, SWEEP_LOSS_PCT)) {
      l->lost++;
      trace("lost", d, dl);
      if (dt_has_ccs(d, dl)) l->final_lost++;
      continue;
    }
    if (lossy && keep_len == 0 && chance(st, SWEEP_HOLD_PCT)) {
      memcpy(keep, d, dl);
      keep_len = dl;
      trace("held", d, dl);
      continue;
    }
    dt_put(q, d, dl);
    if (chance(st, SWEEP_DUP_PCT)) dt_put(q, d, dl);
  }
  if (l->held_len > 0) { /* last pass's straggler, now behind this one */
    dt_put(q, l->held, l->held_len);
    l->held_len = 0;
  }
  if (keep_len > 0) {
    memcpy(l->held, keep, keep_len);
    l->held_len = keep_len;
  }
}

/* Nothing in flight: fire the earliest retransmission timer, as an event
 * loop would after poll() timed out. 0: fired; else the failing status, or
 * TLSW_ERR_STATE when no timer is armed (the handshake has stalled). */
static int fire_timer(dt_env *e, sweep_stats *ss) {
  long tc = tlsw_dtls_timeout_ms(e->cli);
  long ts = e->srv != NULL ? tlsw_dtls_timeout_ms(e->srv) : -1;
  long t = tc < 0 ? ts : (ts < 0 || tc < ts ? tc : ts);
  if (t < 0) return TLSW_ERR_STATE;
  e->now_ms += (uint64_t)t;
  int st = TLSW_WANT_READ;
  if (trace_on) fprintf(stderr, "    timer fires after %ld ms\n", t);
  if (tlsw_dtls_timeout_ms(e->cli) == 0) {
    st = tlsw_dtls_handle_timeout(e->cli);
    ss->cli_rtx++;
  }
  if (st == TLSW_WANT_READ && e->srv != NULL &&
      tlsw_dtls_timeout_ms(e->srv) == 0) {
    st = tlsw_dtls_handle_timeout(e->srv);
    ss->srv_rtx++;
  }
  return st == TLSW_WANT_READ ? 0 : st;
}

/* The server side of the event loop: handshake steps until its handshake
 * is done, then reads as an application does (nothing may arrive yet). */
static int server_turn(dt_env *e, int *srv_done) {
  for (int i = 0; i < 16 && tlsw_membuf_used(e->c2s) > 0; i++) {
    if (!*srv_done) {
      int st = dt_server_step(e);
      if (st == TLSW_OK) *srv_done = 1;
      if (st != TLSW_OK && st != TLSW_WANT_READ) return st;
      continue;
    }
    char buf[64];
    size_t n;
    int st = tlsw_read(e->srv, buf, sizeof buf, &n);
    if (st == TLSW_OK) fail_msg("data before the client sent any");
    if (st != TLSW_WANT_READ && st != TLSW_ERR_DATAGRAM_DROPPED) return st;
  }
  return TLSW_OK;
}

/* The client's side: handshake steps until its handshake is done, then
 * reads as an application does. In DTLS 1.3 the client finishes first
 * (its Finished is the last flight), so only these reads let it answer a
 * server that lost that flight and resends its own. */
static int client_turn(dt_env *e, int *cli_done) {
  if (!*cli_done) {
    int st = dt_client_step(e);
    if (st == TLSW_OK) *cli_done = 1;
    return st == TLSW_OK || st == TLSW_WANT_READ ? TLSW_OK : st;
  }
  for (int i = 0; i < 16 && tlsw_membuf_used(e->s2c) > 0; i++) {
    char buf[64];
    size_t n;
    int st = tlsw_read(e->cli, buf, sizeof buf, &n);
    if (st == TLSW_OK) fail_msg("data before the server sent any");
    if (st != TLSW_WANT_READ && st != TLSW_ERR_DATAGRAM_DROPPED) return st;
  }
  return TLSW_OK;
}

/* One handshake through the lossy network, within the backend's
 * retransmission budget (a handle_timeout past it fails with
 * TLSW_ERR_TIMEOUT). Returns TLSW_OK or why it did not complete. */
static int lossy_handshake(dt_env *e, uint64_t *rs, sweep_stats *ss, lane *c2s,
                           lane *s2c) {
  int cli_done = 0, srv_done = 0;
  for (int step = 0; step < 2000; step++) {
    lane_pass(s2c, e->s2c, rs, 1);
    int cst = client_turn(e, &cli_done);
    if (cst != TLSW_OK) return cst;
    if (cli_done && srv_done) return TLSW_OK;
    lane_pass(c2s, e->c2s, rs, 1);
    int st = server_turn(e, &srv_done);
    if (st != TLSW_OK) return st;
    if (cli_done && srv_done) return TLSW_OK;
    if (tlsw_membuf_used(e->c2s) == 0 && tlsw_membuf_used(e->s2c) == 0 &&
        c2s->held_len == 0 && s2c->held_len == 0) {
      st = fire_timer(e, ss);
      if (st != 0) return st;
    }
  }
  return TLSW_ERR_STATE;
}

/* After the handshake the network heals (no loss) but still duplicates:
 * SWEEP_MSGS records each way arrive exactly once, in order. Stale
 * handshake datagrams still in flight are read and dropped on the way. */
static void data_phase(dt_env *e, uint64_t *rs, lane *c2s, lane *s2c) {
  tlsw_session *from[2] = {e->cli, e->srv};
  tlsw_session *to[2] = {e->srv, e->cli};
  tlsw_membuf *q[2] = {e->c2s, e->s2c};
  lane *l[2] = {c2s, s2c};
  for (int dir = 0; dir < 2; dir++) {
    for (int i = 0; i < SWEEP_MSGS; i++) {
      char msg[32];
      size_t n;
      snprintf(msg, sizeof msg, "%s message %d", dir ? "server" : "client", i);
      assert_int_equal(tlsw_write(from[dir], msg, strlen(msg), &n), TLSW_OK);
    }
    lane_pass(l[dir], q[dir], rs, 0);
    int got = 0;
    while (tlsw_membuf_used(q[dir]) > 0) {
      char buf[64], want[32];
      size_t n;
      int st = tlsw_read(to[dir], buf, sizeof buf, &n);
      if (st == TLSW_WANT_READ || st == TLSW_ERR_DATAGRAM_DROPPED) continue;
      assert_int_equal(st, TLSW_OK);
      assert_true(got < SWEEP_MSGS);
      snprintf(want, sizeof want, "%s message %d", dir ? "server" : "client",
               got);
      assert_int_equal(n, strlen(want));
      assert_memory_equal(buf, want, n);
      got++;
    }
    assert_int_equal(got, SWEEP_MSGS);
    dt_drop_all(q[!dir]); /* the answers to stale flights */
  }
}

static void sweep(tlsw_tls_version v) {
  sweep_stats ss;
  memset(&ss, 0, sizeof ss);
  for (unsigned i = 0; i < SWEEP_HANDSHAKES; i++) {
    uint64_t rs = 0x5eed0000u + i;
    const char *ts = getenv("DT_TRACE_SEED");
    trace_on = ts != NULL && (unsigned)atoi(ts) == i;
    lane c2s, s2c;
    memset(&c2s, 0, sizeof c2s);
    memset(&s2c, 0, sizeof s2c);
    dt_env e;
    dt_init_v(&e, v, v);
    uint64_t start = e.now_ms;
    int st = lossy_handshake(&e, &rs, &ss, &c2s, &s2c);
    if (st == TLSW_OK && v == TLSW_VERSION_TLS1_3 &&
        strcmp(tlsw_session_version(e.srv), "DTLSv1.3") != 0) {
      fail_msg("seed %u: %s", i, tlsw_session_version(e.srv));
    }
    ss.final_flights_lost += s2c.final_lost;
    if (e.now_ms - start > ss.max_ms) ss.max_ms = e.now_ms - start;
    if (st == TLSW_OK) {
      ss.completed++;
      data_phase(&e, &rs, &c2s, &s2c);
    } else if (st == TLSW_ERR_TIMEOUT) {
      ss.timeouts++;
    } else if (st == TLSW_ERR_STATE) {
      ss.stalls++;
    } else {
      ss.failures++;
      print_message("  seed %u: %s: %s / %s\n", i, tlsw_status_name(st),
                    tlsw_session_message(e.cli),
                    e.srv ? tlsw_session_message(e.srv) : "-");
    }
    dt_free(&e);
  }
  print_message(
      "  %s, %u handshakes at %d%% loss: %u completed, %u timed out, "
      "%u stalled, %u failed; %u final flights lost; "
      "retransmissions: client %u, server %u; longest %llu ms "
      "(simulated)\n",
      v == TLSW_VERSION_TLS1_3 ? "DTLS 1.3" : "DTLS 1.2", SWEEP_HANDSHAKES,
      SWEEP_LOSS_PCT, ss.completed, ss.timeouts, ss.stalls, ss.failures,
      ss.final_flights_lost, ss.cli_rtx, ss.srv_rtx,
      (unsigned long long)ss.max_ms);
  /* The sweep must have met the defect it guards against (DTLS 1.2's
   * final flight is the one with a ChangeCipherSpec). */
  if (v == TLSW_VERSION_TLS1_3) {
    /* wolfSSL 5.7.2 resends a DTLS 1.3 flight at most once per second of
     * its own wall clock (dtls13.c Dtls13RtxSendBuffered: LowResTimer(),
     * DTLS13_MIN_RTX_INTERVAL), whatever tlswrap's clock says, so under
     * this simulated clock (the whole sweep runs in well under a second)
     * most retransmissions are skipped and many handshakes time out; the
     * completed count depends on where the real second boundaries fall.
     * What must hold: nothing fails other than by timing out, no
     * handshake stalls without a timer, and every completed one carries
     * data (data_phase). Real-time loss: test_dtls_udp
     * helper_dtls13_lossy. */
    assert_int_equal(ss.failures, 0);
    assert_int_equal(ss.stalls, 0);
    assert_true(ss.completed > 0);
    return;
  }
  assert_true(ss.final_flights_lost >= 5);
  assert_int_equal(ss.completed, SWEEP_HANDSHAKES);
}

static void loss_sweep(void **state) {
  (void)state;
  sweep(TLSW_VERSION_DEFAULT);
}

/* The same network under DTLS 1.3 (tlswrap against itself). */
static void loss_sweep_dtls13(void **state) {
  (void)state;
  if (!(tlsw_backend_features() & TLSW_FEATURE_DTLS13)) skip();
  sweep(TLSW_VERSION_TLS1_3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(lost_final_flight),
      cmocka_unit_test(late_hello_to_established),
      cmocka_unit_test(loss_sweep),
      cmocka_unit_test(loss_sweep_dtls13),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
