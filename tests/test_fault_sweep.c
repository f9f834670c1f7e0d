/* The transport-fault sweep: seeded runs of a TLS connection (TLS 1.3 and
 * 1.2) whose transports misbehave as real ones do: short counts and
 * would-block at random on both sides, and in most runs one fatal fault
 * (end of stream, an I/O error or a reset, on send or on receive) at a
 * random call of a random side, during the handshake or the data.
 *
 * What must hold in every run: every byte a side receives is the next byte
 * its peer sent (never lost, repeated or reordered); with no fault, all of
 * it arrives both ways; the side whose transport failed ends with exactly
 * the status for that fault; nothing hangs with neither side failed; and
 * every allocated byte is back once the run is freed. A failing seed is
 * printed, so it can be replayed (FAULT_SWEEP_SEED). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pair.h"
#include "test_alloc.h"

#define RUNS_PER_VERSION 500
#define DATA_MAX (24 * 1024) /* bytes each way per run, at most */
#define STALL_ROUNDS 64      /* rounds without progress: stuck */

/* ------------------------------------------------------------------------ */
/* A seeded misbehaving transport                                           */

/* A seed gives the same run every time (test_rand). */
static size_t pick(uint64_t *s, size_t n) {
  return (size_t)(test_rand(s) % n);
}

typedef enum fault_kind {
  FAULT_NONE,
  FAULT_EOF,   /* recv: end of stream */
  FAULT_IO,    /* EIO */
  FAULT_RESET, /* ECONNRESET */
  FAULT_KINDS
} fault_kind;

typedef struct chaos {
  tlsw_io inner;
  uint64_t rng;
  fault_kind kind;
  int on_send;         /* the fault strikes send (else recv) */
  unsigned long at;    /* ... at this call of that direction */
  unsigned long calls; /* calls of that direction so far */
  int fired;           /* from then on, that direction stays broken */
  unsigned long moved; /* bytes through the inner transport */
} chaos;

static int fault_status(fault_kind k) {
  return k == FAULT_EOF     ? TLSW_ERR_EOF
         : k == FAULT_RESET ? TLSW_ERR_RESET
                            : TLSW_ERR_IO;
}

/* The fault, if it strikes now: 1 with *st set. */
static int strike(chaos *c, int sending, size_t *out_n, int *st) {
  if (c->kind == FAULT_NONE || c->on_send != sending) return 0;
  if (!c->fired && ++c->calls < c->at) return 0;
  c->fired = 1;
  *out_n = 0;
  if (c->kind == FAULT_EOF) {
    *st = TLSW_OK; /* *out_n 0: end of stream */
  } else {
    errno = c->kind == FAULT_RESET ? ECONNRESET : EIO;
    *st = fault_status(c->kind);
  }
  return 1;
}

static int chaos_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  chaos *c = io;
  int st;
  *out_n = 0;
  if (strike(c, 1, out_n, &st)) return st;
  if (pick(&c->rng, 5) == 0) return TLSW_WANT_WRITE; /* moved nothing */
  if (pick(&c->rng, 3) == 0) len = 1 + pick(&c->rng, len);
  st = c->inner.send(c->inner.io, buf, len, out_n);
  if (st == TLSW_OK) c->moved += *out_n;
  return st;
}

static int chaos_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  chaos *c = io;
  int st;
  *out_n = 0;
  if (strike(c, 0, out_n, &st)) return st;
  if (pick(&c->rng, 5) == 0) return TLSW_WANT_READ;
  if (pick(&c->rng, 3) == 0) len = 1 + pick(&c->rng, len);
  st = c->inner.recv(c->inner.io, buf, len, out_n);
  if (st == TLSW_OK) c->moved += *out_n;
  return st;
}

/* ------------------------------------------------------------------------ */
/* One run                                                                  */

typedef struct end {
  tlsw_session *s;
  chaos ch;
  uint8_t out[DATA_MAX]; /* what this side sends */
  size_t out_len, out_off;
  size_t retry_len; /* a write that blocked is repeated with this len */
  uint8_t in[DATA_MAX];
  size_t in_len; /* bytes received so far */
  int status;    /* TLSW_OK while alive, else the fatal status it got */
} end;

static end ends[2]; /* 0: client, 1: server (too big for the stack) */
static unsigned long violations;
static unsigned long fired_runs, clean_runs, checked_runs;

#define VIOLATION(seed, ...)                             \
  do {                                                   \
    if (violations++ < 20) {                             \
      printf("seed %llu: ", (unsigned long long)(seed)); \
      printf(__VA_ARGS__);                               \
      printf("\n");                                      \
    }                                                    \
  } while (0)

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

/* One step of one side: the handshake, else a write and a read. */
static void step(end *e) {
  if (e->status != TLSW_OK) return;
  int st;
  if (!tlsw_handshake_done(e->s)) {
    st = tlsw_handshake(e->s);
    if (!blocked(st) && st != TLSW_OK) e->status = st;
    return;
  }
  if (e->out_off < e->out_len) {
    size_t len = e->retry_len;
    if (len == 0) len = 1 + pick(&e->ch.rng, e->out_len - e->out_off);
    size_t n = 0;
    st = tlsw_write(e->s, e->out + e->out_off, len, &n);
    if (st == TLSW_OK) {
      e->out_off += n;
      e->retry_len = 0;
    } else if (blocked(st)) {
      e->retry_len = len;
    } else {
      e->status = st;
      return;
    }
  }
  size_t room = sizeof e->in - e->in_len;
  if (room == 0) return;
  size_t n = 0;
  st = tlsw_read(e->s, e->in + e->in_len, 1 + pick(&e->ch.rng, room), &n);
  if (st == TLSW_OK) {
    e->in_len += n;
  } else if (!blocked(st)) {
    e->status = st;
  }
}

static void setup_end(end *e, uint64_t *rng, const tlsw_io *inner) {
  memset(&e->ch, 0, sizeof e->ch);
  e->ch.inner = *inner;
  e->ch.rng = test_rand(rng);
  e->out_len = 1 + pick(rng, DATA_MAX);
  for (size_t i = 0; i < e->out_len; i++) {
    e->out[i] = (uint8_t)test_rand(rng);
  }
  e->out_off = e->retry_len = e->in_len = 0;
  e->status = TLSW_OK;
}

static void check_run(uint64_t seed, int faulty) {
  for (int i = 0; i < 2; i++) {
    end *me = &ends[i], *peer = &ends[1 - i];
    const char *who = i == 0 ? "client" : "server";
    /* Never a byte out of place: what arrived is a prefix of what the
     * peer sent. */
    if (me->in_len > peer->out_len ||
        memcmp(me->in, peer->out, me->in_len) != 0) {
      VIOLATION(seed,
                "%s received %zu bytes that are not the first bytes "
                "its peer sent",
                who, me->in_len);
    }
    if (me->ch.fired && me->status != fault_status(me->ch.kind)) {
      VIOLATION(seed, "%s's transport failed (%s) but it ended with %s: %s",
                who, tlsw_status_name(fault_status(me->ch.kind)),
                tlsw_status_name(me->status), tlsw_session_message(me->s));
    }
    if (!me->ch.fired && me->status != TLSW_OK) {
      VIOLATION(seed, "%s failed with %s (%s) though its transport did not",
                who, tlsw_status_name(me->status), tlsw_session_message(me->s));
    }
    if (!faulty && me->in_len != peer->out_len) {
      VIOLATION(seed, "no fault, yet %s got %zu of %zu bytes", who, me->in_len,
                peer->out_len);
    }
  }
}

static void run(tlsw_ctx *cctx, tlsw_ctx *sctx, uint64_t seed) {
  uint64_t rng = seed;
  test_pair p;
  assert_int_equal(pair_init(&p, 64 * 1024, 0), TLSW_OK);
  setup_end(&ends[0], &rng, &p.cli_io);
  setup_end(&ends[1], &rng, &p.srv_io);
  /* One run in five is clean; the others break one direction of one side
   * at a call within the first 60 (most land in the handshake or the
   * first records; some never fire because the run ends first). */
  int faulty = pick(&rng, 5) != 0;
  if (faulty) {
    end *victim = &ends[pick(&rng, 2)];
    victim->ch.on_send = (int)pick(&rng, 2);
    victim->ch.kind = (fault_kind)(1 + pick(&rng, FAULT_KINDS - 1));
    if (victim->ch.kind == FAULT_EOF) victim->ch.on_send = 0;
    victim->ch.at = 1 + pick(&rng, 60);
  }
  tlsw_io cio = {chaos_send, chaos_recv, &ends[0].ch};
  tlsw_io sio = {chaos_send, chaos_recv, &ends[1].ch};
  p.cli_io = cio;
  p.srv_io = sio;
  assert_int_equal(pair_wrap(&p, cctx, sctx, "localhost"), TLSW_OK);
  ends[0].s = p.cli;
  ends[1].s = p.srv;

  unsigned long last = 0;
  int idle = 0;
  while (idle < STALL_ROUNDS) {
    step(&ends[0]);
    step(&ends[1]);
    int done =
        ends[0].in_len == ends[1].out_len && ends[1].in_len == ends[0].out_len;
    if (done || ends[0].status != TLSW_OK || ends[1].status != TLSW_OK) {
      break;
    }
    unsigned long moved = ends[0].ch.moved + ends[1].ch.moved;
    idle = moved == last ? idle + 1 : 0;
    last = moved;
  }
  if (idle >= STALL_ROUNDS) {
    VIOLATION(seed,
              "stuck with both sides alive (client got %zu/%zu, "
              "server %zu/%zu)",
              ends[0].in_len, ends[1].out_len, ends[1].in_len, ends[0].out_len);
  }
  if (getenv("FAULT_SWEEP_SEED")) { /* replaying one seed: say what ran */
    for (int i = 0; i < 2; i++) {
      end *e = &ends[i];
      printf(
          "%s: %s (%s); fault %d on %s at call %lu%s; sent %zu/%zu, "
          "received %zu\n",
          i ? "server" : "client", tlsw_status_name(e->status),
          tlsw_session_message(e->s), (int)e->ch.kind,
          e->ch.on_send ? "send" : "recv", e->ch.at,
          e->ch.fired ? " (struck)" : "", e->out_off, e->out_len, e->in_len);
    }
  }
  check_run(seed, faulty);
  fired_runs += ends[0].ch.fired || ends[1].ch.fired;
  clean_runs += !faulty;
  checked_runs++;
  pair_free(&p);
}

static void sweep(tlsw_tls_version v, const char *name, uint64_t base) {
  tlsw_ctx *cctx = NULL, *sctx = NULL;
  long long baseline = test_alloc.live_bytes;
  assert_int_equal(tlsw_ctx_new(&cctx, TLSW_PROTOCOL_TLS_CLIENT), TLSW_OK);
  assert_int_equal(tlsw_ctx_load_verify_file(cctx, fixture("ca.pem")), TLSW_OK);
  assert_int_equal(tlsw_ctx_new(&sctx, TLSW_PROTOCOL_TLS_SERVER), TLSW_OK);
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(sctx, fixture("server-ec.pem"),
                                    fixture("server-ec.key"), NULL),
      TLSW_OK);
  assert_int_equal(tlsw_ctx_set_version_range(cctx, v, v), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_version_range(sctx, v, v), TLSW_OK);
  violations = fired_runs = clean_runs = checked_runs = 0;
  const char *only = getenv("FAULT_SWEEP_SEED");
  if (only != NULL) {
    run(cctx, sctx, strtoull(only, NULL, 10));
  } else {
    for (uint64_t i = 0; i < RUNS_PER_VERSION; i++) run(cctx, sctx, base + i);
  }
  tlsw_ctx_free(cctx);
  tlsw_ctx_free(sctx);
  tlsw_thread_cleanup();
  long long leaked = test_alloc.live_bytes - baseline;
  printf(
      "fault sweep %s: %lu runs (%lu without a fault, %lu whose fault "
      "struck), %lu violations, %lld bytes leaked\n",
      name, checked_runs, clean_runs, fired_runs, violations, leaked);
  if (violations != 0) fail_msg("%s: %lu violations", name, violations);
  assert_true(leaked == 0);
}

static void sweep_tls13(void **state) {
  (void)state;
  sweep(TLSW_VERSION_TLS1_3, "TLS 1.3", 1000);
}

static void sweep_tls12(void **state) {
  (void)state;
  sweep(TLSW_VERSION_TLS1_2, "TLS 1.2", 2000);
}

int main(void) {
  if (test_alloc_install() != TLSW_OK) return 1; /* leaks are counted */
  if (tlsw_init() != TLSW_OK) return 1; /* its memory lives to the end */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sweep_tls13),
      cmocka_unit_test(sweep_tls12),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
