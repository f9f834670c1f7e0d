/* The allocation-failure sweep: for every N, fail the Nth allocation of a
 * whole connection's life (contexts, handshake, data both ways, close) and
 * check what the application sees.
 *
 * The rule under test: the call during which an allocation failed returns
 * TLSW_ERR_NOMEM with an "out of memory" message (or succeeds, where
 * wolfSSL recovers), the failing object's sticky status agrees, the peer
 * sees something a peer can see (an alert, EOF, or it keeps waiting), and
 * once everything is freed, every byte the allocator handed out is back.
 * Each allocation goes through tlsw_set_allocator()'s functions, so this
 * reaches wolfSSL's allocations as well as tlswrap's own. TLS 1.3, TLS 1.2
 * and DTLS 1.2 (the server's stateless cookie exchange included). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/version.h>

#include "pair.h"
#include "test_alloc.h"

/* Debian 12's prebuilt wolfSSL 5.5.4 (the `system` build) leaks 72 bytes
 * when one particular allocation of a TLS 1.3 server handshake fails: it
 * carries on (the handshake even completes) and never frees the block.
 * It is inside the shared library, out of tlswrap's reach; the pinned
 * source build has no such leak, and this sweep holds it to none. The
 * allowance names the case so that any other leak still fails. */
#if LIBWOLFSSL_VERSION_HEX < 0x05007000
#define KNOWN_LEAK_BYTES 72
#define KNOWN_LEAK_CASES 4
#else
#define KNOWN_LEAK_BYTES 0
#define KNOWN_LEAK_CASES 0
#endif

/* failures since the driver last looked (check_call) */
static unsigned long failed_seen;

/* ------------------------------------------------------------------------ */
/* One connection's life, each call checked                                 */

typedef struct sweep_case {
  tlsw_tls_version version;
  int dtls;               /* DTLS 1.2 (version unused) */
  unsigned long injected; /* failures that landed in some call */
  unsigned long nomem;    /* calls that reported TLSW_ERR_NOMEM */
  int completed;          /* the whole exchange went through */
} sweep_case;

static char where[160];   /* the call being made, for failure messages */
static unsigned long bad; /* rule violations seen; the first few printed */

#define REPORT(...)        \
  do {                     \
    if (bad++ < 40) {      \
      printf(__VA_ARGS__); \
      printf("\n");        \
    }                      \
  } while (0)

/* The status a call returned, given whether an allocation failed during
 * it. A failing call must say NOMEM; a call with no failure of its own may
 * still fail because the peer gave up (an alert, EOF, a close). */
static int check_call(sweep_case *c, int st, const char *msg) {
  int failed_here = test_alloc.failed != failed_seen;
  c->injected += failed_here;
  failed_seen = test_alloc.failed;
  if (st == TLSW_OK || st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    return st;
  }
  if (failed_here) {
    if (st != TLSW_ERR_NOMEM) {
      REPORT(
          "allocation %lu failed in %s, which returned %s (\"%s\"), "
          "not TLSW_ERR_NOMEM",
          test_alloc.fail_at, where, tlsw_status_name(st), msg ? msg : "");
    }
    if (msg == NULL || strstr(msg, "out of memory") == NULL) {
      REPORT(
          "allocation %lu failed in %s: message \"%s\" does not say "
          "out of memory",
          test_alloc.fail_at, where, msg ? msg : "(none)");
    }
    c->nomem++;
    return st;
  }
  /* Not this call's allocation: the peer's failure, seen from here. */
  if (st == TLSW_ERR_NOMEM) {
    REPORT(
        "allocation %lu: %s returned TLSW_ERR_NOMEM with no failed "
        "allocation of its own",
        test_alloc.fail_at, where);
  }
  return st;
}

#define CALL_CTX(c, ctx, expr)                 \
  (snprintf(where, sizeof where, "%s", #expr), \
   check_call((c), (expr), (ctx) ? tlsw_ctx_message(ctx) : "out of memory"))
#define CALL_SESS(c, s, expr)                  \
  (snprintf(where, sizeof where, "%s", #expr), \
   check_call((c), (expr), (s) ? tlsw_session_message(s) : "out of memory"))

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

/* DTLS contexts run on this fake clock: a datagram one side could not
 * take for want of memory is, to DTLS, a lost one, and the retransmission
 * timers (fired here at once) must recover it or fail the handshake. */
static uint64_t fake_now_ms = 1000000;

static uint64_t fake_clock(void *user) {
  (void)user;
  return fake_now_ms;
}

static int new_client(sweep_case *c, tlsw_ctx **out) {
  tlsw_protocol proto =
      c->dtls ? TLSW_PROTOCOL_DTLS_CLIENT : TLSW_PROTOCOL_TLS_CLIENT;
  int st = CALL_CTX(c, *out, tlsw_ctx_new(out, proto));
  if (st != TLSW_OK) return st;
  st = c->dtls
           ? CALL_CTX(c, *out, tlsw_ctx_set_clock(*out, fake_clock, NULL))
           : CALL_CTX(c, *out,
                      tlsw_ctx_set_version_range(*out, c->version, c->version));
  if (st != TLSW_OK) return st;
  return CALL_CTX(c, *out, tlsw_ctx_load_verify_file(*out, fixture("ca.pem")));
}

static int new_server(sweep_case *c, tlsw_ctx **out) {
  /* A DTLS server context makes its cookie secret here (issue #13: a
   * failure there was "cannot set the DTLS cookie secret", INTERNAL). */
  tlsw_protocol proto =
      c->dtls ? TLSW_PROTOCOL_DTLS_SERVER : TLSW_PROTOCOL_TLS_SERVER;
  int st = CALL_CTX(c, *out, tlsw_ctx_new(out, proto));
  if (st != TLSW_OK) return st;
  st = c->dtls
           ? CALL_CTX(c, *out, tlsw_ctx_set_clock(*out, fake_clock, NULL))
           : CALL_CTX(c, *out,
                      tlsw_ctx_set_version_range(*out, c->version, c->version));
  if (st != TLSW_OK) return st;
  return CALL_CTX(
      c, *out,
      tlsw_ctx_load_cert_chain_file(*out, fixture("server-ec.pem"),
                                    fixture("server-ec.key"), NULL));
}

/* tlsw_wrap with the handshake deferred. A session is made for every
 * failure but a failed allocation of the session itself (session.h). */
static int wrap(sweep_case *c, tlsw_ctx *ctx, const tlsw_io *io,
                const char *host, tlsw_session **out) {
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = host;
  snprintf(where, sizeof where, "tlsw_wrap(%s)", host ? "client" : "server");
  int st = tlsw_wrap(ctx, io, &o, out);
  return check_call(c, st, *out ? tlsw_session_message(*out) : "out of memory");
}

/* A DTLS server session is wrapped per datagram until one carries a
 * valid cookie (dtls.h): TLSW_HELLO_VERIFY (answered, nothing kept) and a
 * dropped datagram free the session and wait for the next. */
static int dtls_server_step(sweep_case *c, tlsw_ctx *sctx, test_pair *p) {
  if (p->srv != NULL) return CALL_SESS(c, p->srv, tlsw_handshake(p->srv));
  if (tlsw_membuf_used(p->c2s) == 0) return TLSW_WANT_READ;
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.client_id = (const uint8_t *)"peer";
  o.client_id_len = 4;
  snprintf(where, sizeof where, "tlsw_wrap(DTLS server)");
  int st = tlsw_wrap(sctx, &p->srv_io, &o, &p->srv);
  if (st == TLSW_HELLO_VERIFY || st == TLSW_ERR_DATAGRAM_DROPPED) {
    /* Not failures; but one in a call whose allocation failed is a lie. */
    if (test_alloc.failed != failed_seen) {
      REPORT("allocation %lu failed in %s, which returned %s",
             test_alloc.fail_at, where, tlsw_status_name(st));
    }
    failed_seen = test_alloc.failed;
    tlsw_session_free(p->srv);
    p->srv = NULL;
    return TLSW_WANT_READ;
  }
  /* The cookie checked: this wrap ran the first handshake step. */
  return check_call(c, st,
                    p->srv ? tlsw_session_message(p->srv) : "out of memory");
}

/* Nothing in flight: advance the clock to the earliest armed timer and
 * fire it. 0 if one fired; 1 if none is armed. */
static int dtls_fire_timer(sweep_case *c, test_pair *p) {
  tlsw_session *s[2] = {p->cli, p->srv};
  long t = -1;
  for (int i = 0; i < 2; i++) {
    long ti = s[i] != NULL ? tlsw_dtls_timeout_ms(s[i]) : -1;
    if (ti >= 0 && (t < 0 || ti < t)) t = ti;
  }
  if (t < 0) return 1;
  fake_now_ms += (uint64_t)t;
  for (int i = 0; i < 2; i++) {
    if (s[i] != NULL && tlsw_dtls_timeout_ms(s[i]) == 0) {
      (void)CALL_SESS(c, s[i], tlsw_dtls_handle_timeout(s[i]));
    }
  }
  return 0;
}

static int in_flight(const test_pair *p) {
  return tlsw_membuf_used(p->c2s) > 0 || tlsw_membuf_used(p->s2c) > 0;
}

/* Alternate both handshakes; stop at the first failure, or when neither
 * side moves (the other side gave up without a word). */
static int handshake(sweep_case *c, tlsw_ctx *sctx, test_pair *p) {
  int cs = TLSW_WANT_READ, ss = TLSW_WANT_READ;
  for (int round = 0; round < 200; round++) {
    if (cs != TLSW_OK) cs = CALL_SESS(c, p->cli, tlsw_handshake(p->cli));
    if (!blocked(cs) && cs != TLSW_OK) return cs;
    if (c->dtls && ss == TLSW_OK && tlsw_membuf_used(p->c2s) > 0) {
      /* Done, but the client resent its flight (ours was lost to it): a
       * read, as an application's, answers with our last flight again. */
      uint8_t b[64];
      size_t n = 0;
      int rs = CALL_SESS(c, p->srv, tlsw_read(p->srv, b, sizeof b, &n));
      if (rs != TLSW_WANT_READ && rs != TLSW_ERR_DATAGRAM_DROPPED) return rs;
    } else if (c->dtls && ss != TLSW_OK) {
      ss = dtls_server_step(c, sctx, p);
    } else if (ss != TLSW_OK) {
      ss = CALL_SESS(c, p->srv, tlsw_handshake(p->srv));
    }
    if (!blocked(ss) && ss != TLSW_OK) return ss;
    if (cs == TLSW_OK && ss == TLSW_OK) return TLSW_OK;
    if (c->dtls && !in_flight(p) && dtls_fire_timer(c, p) != 0) break;
  }
  /* Stuck. Fine if one side has failed and so went silent (the other
   * waits, as it would for a peer that vanished); a hang otherwise. */
  int cst = tlsw_session_status(p->cli);
  int sst = p->srv != NULL ? tlsw_session_status(p->srv) : TLSW_OK;
  if (cst == TLSW_OK && sst == TLSW_OK) {
    REPORT(
        "allocation %lu: both handshakes wait for each other, neither "
        "failed (client %s, server %s)",
        test_alloc.fail_at, tlsw_status_name(cs), tlsw_status_name(ss));
  }
  return TLSW_WANT_READ;
}

/* from writes msg; to reads it back whole, or the exchange ends early. */
static int transfer(sweep_case *c, tlsw_session *from, tlsw_session *to,
                    const char *msg) {
  size_t n = 0, len = strlen(msg);
  int st = CALL_SESS(c, from, tlsw_write(from, msg, len, &n));
  if (st != TLSW_OK) return st;
  assert_int_equal(n, len); /* a memory pair has room: never short */
  char buf[256];
  size_t got = 0;
  while (got < len) {
    st = CALL_SESS(c, to, tlsw_read(to, buf + got, sizeof buf - got, &n));
    if (st != TLSW_OK) return st;
    if (n == 0) return TLSW_ERR_SHUT; /* the peer closed: not here */
    got += n;
  }
  assert_memory_equal(buf, msg, len); /* every byte once, in order */
  return TLSW_OK;
}

static void run_case(sweep_case *c) {
  tlsw_ctx *cctx = NULL, *sctx = NULL;
  test_pair p;
  assert_int_equal(pair_init(&p, 64 * 1024, c->dtls), TLSW_OK);
  failed_seen = test_alloc.failed;
  int st = new_client(c, &cctx);
  if (st == TLSW_OK) st = new_server(c, &sctx);
  if (st == TLSW_OK) st = wrap(c, cctx, &p.cli_io, "localhost", &p.cli);
  if (st == TLSW_OK && !c->dtls) st = wrap(c, sctx, &p.srv_io, NULL, &p.srv);
  if (st == TLSW_OK) st = handshake(c, sctx, &p);
  if (st == TLSW_OK) st = transfer(c, p.cli, p.srv, "ping from the client");
  if (st == TLSW_OK) st = transfer(c, p.srv, p.cli, "pong from the server");
  if (st == TLSW_OK) {
    st = CALL_SESS(c, p.cli, tlsw_shutdown(p.cli));
    c->completed = st == TLSW_OK;
  }
  pair_free(&p);
  tlsw_ctx_free(cctx);
  tlsw_ctx_free(sctx);
}

static void sweep(tlsw_tls_version v, int dtls, const char *name) {
  /* Two runs with no failure: the first fills what wolfSSL keeps per
   * process or per thread (Debian's build caches ECC tables), the second
   * counts the requests of one connection. The baseline is taken after. */
  bad = 0;
  for (int warm = 0; warm < 2; warm++) {
    sweep_case c = {v, dtls, 0, 0, 0};
    test_alloc.fail_at = 0;
    test_alloc.requests = 0;
    run_case(&c);
    assert_true(c.completed);
  }
  unsigned long total = test_alloc.requests;
  long long baseline = test_alloc.live_bytes;
  unsigned long cases = 0, injected = 0, nomem = 0, completed = 0;
  int known_leaks = 0;
  for (unsigned long n = 1; n <= total; n++) {
    sweep_case k = {v, dtls, 0, 0, 0};
    test_alloc.requests = 0;
    test_alloc.fail_at = n;
    run_case(&k);
    test_alloc.fail_at = 0;
    if (test_alloc.live_bytes != baseline) {
      long long leaked = test_alloc.live_bytes - baseline;
      baseline = test_alloc.live_bytes; /* report each leak once */
      if (leaked == KNOWN_LEAK_BYTES && known_leaks < KNOWN_LEAK_CASES) {
        known_leaks++;
        printf(
            "%s: failing allocation %lu: wolfSSL 5.5.4's known leak of "
            "%lld bytes\n",
            name, n, leaked);
      } else {
        REPORT("%s: failing allocation %lu of %lu leaks %lld bytes", name, n,
               total, leaked);
      }
    }
    cases++;
    injected += k.injected;
    nomem += k.nomem;
    completed += (unsigned long)k.completed;
  }
  tlsw_thread_cleanup();
  printf(
      "alloc sweep %s: %lu allocations per connection, %lu cases, "
      "%lu failures landed, %lu reported TLSW_ERR_NOMEM, %lu exchanges "
      "completed anyway, %lu violations, %d known wolfSSL leaks\n",
      name, total, cases, injected, nomem, completed, bad, known_leaks);
  assert_true(nomem > 0);
  if (bad != 0) fail_msg("%s: %lu violations (the first are above)", name, bad);
}

static void sweep_tls13(void **state) {
  (void)state;
  sweep(TLSW_VERSION_TLS1_3, 0, "TLS 1.3");
}

static void sweep_tls12(void **state) {
  (void)state;
  sweep(TLSW_VERSION_TLS1_2, 0, "TLS 1.2");
}

static void sweep_dtls12(void **state) {
  (void)state;
  sweep(TLSW_VERSION_TLS1_2, 1, "DTLS 1.2");
}

int main(void) {
  /* Before tlsw_init(): afterwards the allocator is frozen. */
  if (test_alloc_install() != TLSW_OK) {
    fprintf(stderr, "tlsw_set_allocator refused the test allocator\n");
    return 1;
  }
  if (tlsw_init() != TLSW_OK) {
    fprintf(stderr, "tlsw_init failed\n");
    return 1;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sweep_tls13),
      cmocka_unit_test(sweep_tls12),
      cmocka_unit_test(sweep_dtls12),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
