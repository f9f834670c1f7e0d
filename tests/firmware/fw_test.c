/*
 * The firmware full image: tlswrap clients and servers run against each
 * other in one program over tlsw_membuf, with certificate and host-name
 * verification against a fixed time: TLS 1.3, TLS 1.2, and DTLS 1.2 with
 * the HelloVerify cookie exchange, plus the none platform's API edges. (The
 * client image, fw_client.c, is a client alone on a client-only wolfSSL,
 * talking to real servers outside the program through the board's UARTs.)
 * FW_IMAGE / FW_FULL name it; without FW_FULL the same program runs only
 * the TLS pair (both sides in one image).
 *
 * Any failed step prints why and exits non-zero. On success it prints one
 * line of figures (docs/firmware.md says what each means):
 *   firmware <image>: flash N B, static RAM N B, heap peak N B,
 *   held per session N B, stack N B
 */
#include <stdio.h>
#include <string.h>

#include "fw_board.h"
#include "fw_certs.h"
#include "fw_heap.h"
#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

#ifndef FW_IMAGE
#define FW_IMAGE "client"
#endif

static size_t heap_peak, held_max;

static void fail(const char *what, int st, const char *msg) {
  fprintf(stderr, "firmware " FW_IMAGE ": %s failed: %s%s%s\n", what,
          tlsw_status_name(st), msg != NULL && *msg ? ": " : "",
          msg != NULL ? msg : "");
  fw_exit(1);
}

static void must(int st, const char *what) {
  if (st != TLSW_OK) fail(what, st, NULL);
}

/* TEST ONLY. A deterministic generator standing in for a hardware TRNG,
 * which QEMU's mps2-an386 does not model. Its output is predictable: a
 * device must give tlsw_platform_ops.entropy a real entropy source. */
static int test_only_entropy(void *user, uint8_t *buf, size_t len) {
  uint64_t *x = user;
  for (size_t i = 0; i < len; i++) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    buf[i] = (uint8_t)(z ^ (z >> 31));
  }
  return 0;
}

static uint64_t board_clock(void *user) {
  (void)user;
  return fw_board_ms();
}

typedef struct pair {
  tlsw_ctx *cctx, *sctx;
  tlsw_membuf *c2s, *s2c;
  tlsw_memio cm, sm;
  tlsw_io cio, sio;
  tlsw_session *cli, *srv;
  int dtls;
  size_t ctx_heap; /* the client context's heap, before its session */
} pair;

static void make_ctxs(pair *p, int dtls, tlsw_tls_version v) {
  fw_heap_side(FW_SERVER);
  must(tlsw_ctx_new(&p->sctx, dtls ? TLSW_PROTOCOL_DTLS_SERVER
                                   : TLSW_PROTOCOL_TLS_SERVER),
       "server context");
  if (tlsw_ctx_load_cert_chain(p->sctx, fw_server_pem, fw_server_pem_len,
                               fw_server_key, fw_server_key_len,
                               NULL) != TLSW_OK) {
    fail("server certificate", TLSW_ERR_CERT_INVALID,
         tlsw_ctx_message(p->sctx));
  }
  fw_heap_side(FW_CLIENT);
  fw_heap_reset_peak(FW_CLIENT);
  must(tlsw_ctx_new(&p->cctx, dtls ? TLSW_PROTOCOL_DTLS_CLIENT
                                   : TLSW_PROTOCOL_TLS_CLIENT),
       "client context");
  if (tlsw_ctx_load_verify_mem(p->cctx, fw_ca_pem, fw_ca_pem_len) != TLSW_OK) {
    fail("CA", TLSW_ERR_CERT_INVALID, tlsw_ctx_message(p->cctx));
  }
  /* Dates are checked against this, a day after the test certificates'
   * notBefore: the board has no calendar clock. */
  must(tlsw_ctx_set_time(p->cctx, FW_CERT_TIME), "client time");
  if (!dtls) {
    must(tlsw_ctx_set_version_range(p->cctx, v, v), "client version");
  }
  p->ctx_heap = fw_heap_now(FW_CLIENT);
}

static void make_pair(pair *p, int dtls, tlsw_tls_version v) {
  memset(p, 0, sizeof *p);
  p->dtls = dtls;
  make_ctxs(p, dtls, v);
  must(tlsw_membuf_new(&p->c2s, 1 << 15, dtls), "c2s buffer");
  must(tlsw_membuf_new(&p->s2c, 1 << 15, dtls), "s2c buffer");
  must(tlsw_memio_init(&p->cm, p->s2c, p->c2s, &p->cio), "client io");
  must(tlsw_memio_init(&p->sm, p->c2s, p->s2c, &p->sio), "server io");
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = "localhost";
  fw_heap_side(FW_CLIENT);
  must(tlsw_wrap(p->cctx, &p->cio, &o, &p->cli), "client wrap");
  if (!dtls) {
    tlsw_wrap_opts so = TLSW_WRAP_OPTS_INIT;
    so.do_handshake_on_connect = 0;
    fw_heap_side(FW_SERVER);
    must(tlsw_wrap(p->sctx, &p->sio, &so, &p->srv), "server wrap");
  }
}

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

/* DTLS server: a wrap per datagram until a ClientHello carries a valid
 * cookie (the HelloVerify flow of tlswrap/dtls.h). */
static int dtls_server_step(pair *p, int *hello_verify) {
  if (p->srv != NULL) return tlsw_handshake(p->srv);
  if (tlsw_membuf_used(p->c2s) == 0) return TLSW_WANT_READ;
  static const uint8_t peer[] = "board-peer-1";
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.client_id = peer;
  o.client_id_len = sizeof peer - 1;
  int st = tlsw_wrap(p->sctx, &p->sio, &o, &p->srv);
  if (st == TLSW_HELLO_VERIFY) {
    (*hello_verify)++;
    tlsw_session_free(p->srv);
    p->srv = NULL;
    return TLSW_WANT_READ;
  }
  return st;
}

static void handshake(pair *p, const char *what) {
  int cs = TLSW_WANT_READ, ss = TLSW_WANT_READ, hv = 0;
  for (int round = 0; round < 64; round++) {
    fw_heap_side(FW_CLIENT);
    if (cs != TLSW_OK) cs = tlsw_handshake(p->cli);
    fw_heap_side(FW_SERVER);
    if (ss != TLSW_OK) {
      ss = p->dtls ? dtls_server_step(p, &hv) : tlsw_handshake(p->srv);
    }
    if (!blocked(cs) && cs != TLSW_OK) {
      fail(what, cs, tlsw_session_message(p->cli));
    }
    if (!blocked(ss) && ss != TLSW_OK) {
      fail(what, ss, p->srv ? tlsw_session_message(p->srv) : "");
    }
    if (cs == TLSW_OK && ss == TLSW_OK) break;
  }
  if (cs != TLSW_OK || ss != TLSW_OK) fail(what, TLSW_ERR_TIMEOUT, "stalled");
  if (p->dtls && hv != 1) fail(what, TLSW_ERR_STATE, "no HelloVerifyRequest");
  must(tlsw_session_verify_result(p->cli), "server certificate verification");
}

/* One message each way, checked byte for byte. */
static void echo(tlsw_session *from, tlsw_session *to, int side_to,
                 const char *msg) {
  size_t n = 0, got = 0;
  char buf[64];
  must(tlsw_write(from, msg, strlen(msg), &n), "write");
  fw_heap_side(side_to);
  int st = tlsw_read(to, buf, sizeof buf, &got);
  if (st != TLSW_OK || got != strlen(msg) || memcmp(buf, msg, got) != 0) {
    fail("read back", st, tlsw_session_message(to));
  }
}

static void run(int dtls, tlsw_tls_version v, const char *what) {
  pair p;
  make_pair(&p, dtls, v);
  handshake(&p, what);
  fw_heap_side(FW_CLIENT);
  echo(p.cli, p.srv, FW_SERVER, "ping from the client");
  fw_heap_side(FW_SERVER);
  echo(p.srv, p.cli, FW_CLIENT, "pong from the server");
  /* Idle and established: what the client session alone holds. */
  size_t held = fw_heap_now(FW_CLIENT) - p.ctx_heap;
  if (held > held_max) held_max = held;
  if (fw_heap_peak(FW_CLIENT) > heap_peak) heap_peak = fw_heap_peak(FW_CLIENT);
  tlsw_session_free(p.cli);
  tlsw_session_free(p.srv);
  tlsw_ctx_free(p.cctx);
  tlsw_ctx_free(p.sctx);
  tlsw_membuf_free(p.c2s);
  tlsw_membuf_free(p.s2c);
  /* Everything comes back, except what wolfSSL keeps once per process
   * (measured: 128 B on the client side, allocated during the first run):
   * any later growth is a leak. */
  static size_t left[FW_SIDES], runs;
  for (int side = 0; side < FW_SIDES; side++) {
    if (runs > 0 && fw_heap_now(side) != left[side]) {
      fail(what, TLSW_ERR_INTERNAL, "heap not returned after free");
    }
    left[side] = fw_heap_now(side);
  }
  runs++;
}

#ifdef FW_FULL
/* The API edges of the none platform, in the full image only, so the
 * client image's figures count what a client calls. */
static void expect(int got, int want, const char *what) {
  if (got != want) fail(what, got, tlsw_status_name(want));
}

static void mutex_lock(void *user, void *m) {
  (void)user;
  (void)m;
}

/* tlsw_set_platform's argument checks, before the real hooks go in. */
static void platform_args(const tlsw_platform_ops *good) {
  tlsw_platform_ops o = *good;
  expect(tlsw_set_platform(NULL), TLSW_ERR_ARG, "set_platform(NULL)");
  o.size = sizeof(size_t);
  expect(tlsw_set_platform(&o), TLSW_ERR_ARG, "set_platform(small size)");
  o = *good;
  o.mutex_lock = mutex_lock; /* one of four */
  expect(tlsw_set_platform(&o), TLSW_ERR_ARG, "set_platform(mutex part)");
}

/* No files on none: each loader refuses with TLSW_ERR_UNSUPPORTED and a
 * sentence naming the reason. */
static void no_files(void) {
  tlsw_ctx *c;
  must(tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT), "context");
  expect(tlsw_ctx_load_verify_file(c, "ca.pem"), TLSW_ERR_UNSUPPORTED,
         "load_verify_file");
  if (strstr(tlsw_ctx_message(c), "TLSW_PLATFORM=none") == NULL) {
    fail("load_verify_file message", TLSW_ERR_STATE, tlsw_ctx_message(c));
  }
  expect(tlsw_ctx_load_verify_dir(c, "/etc/ssl/certs"), TLSW_ERR_UNSUPPORTED,
         "load_verify_dir");
  expect(tlsw_ctx_load_default_certs(c), TLSW_ERR_UNSUPPORTED,
         "load_default_certs");
  expect(tlsw_ctx_load_cert_chain_file(c, "a.pem", "a.key", NULL),
         TLSW_ERR_UNSUPPORTED, "load_cert_chain_file");
  if (strstr(tlsw_ctx_message(c), "no file access") == NULL) {
    fail("load_cert_chain_file message", TLSW_ERR_STATE, tlsw_ctx_message(c));
  }
  tlsw_ctx_free(c);
}
#endif

static void setup(void) {
  static uint64_t seed = 0x5eed5eed5eed5eedu; /* TEST ONLY, see above */
  tlsw_platform_ops ops;
  memset(&ops, 0, sizeof ops);
  ops.size = sizeof ops;
  ops.user = &seed;
  ops.entropy = test_only_entropy;
  ops.monotonic_ms = board_clock;
#ifdef FW_FULL
  platform_args(&ops);
#endif
  must(tlsw_set_platform(&ops), "set_platform");
  if (fw_heap_install() != 0) fail("set_allocator", TLSW_ERR_STATE, NULL);
  if (tlsw_init() != TLSW_OK) {
    fail("init", TLSW_ERR_INTERNAL, tlsw_init_message());
  }
  if (tlsw_backend_features() & (TLSW_FEATURE_FILES | TLSW_FEATURE_CA_DIR)) {
    fail("features", TLSW_ERR_STATE, "a none build reports files");
  }
#ifdef FW_FULL
  expect(tlsw_set_platform(&ops), TLSW_ERR_STATE, "set_platform after init");
  no_files();
#endif
}

int main(void) {
  setup();
  run(0, TLSW_VERSION_TLS1_3, "TLS 1.3 handshake");
  run(0, TLSW_VERSION_TLS1_2, "TLS 1.2 handshake");
#ifdef FW_FULL
  run(1, TLSW_VERSION_DEFAULT, "DTLS 1.2 handshake");
#endif
  if (fw_heap_failures() != 0) fail("heap", TLSW_ERR_NOMEM, "malloc failed");
  if (fw_board_measures) {
    printf("firmware " FW_IMAGE
           ": flash %lu B, static RAM %lu B, heap peak "
           "%lu B, held per session %lu B, stack %lu B\n",
           (unsigned long)fw_flash_bytes(),
           (unsigned long)fw_static_ram_bytes(), (unsigned long)heap_peak,
           (unsigned long)held_max, (unsigned long)fw_stack_bytes());
  } else {
    printf("firmware-host " FW_IMAGE
           ": heap peak %lu B, held per session "
           "%lu B\n",
           (unsigned long)heap_peak, (unsigned long)held_max);
  }
  fw_exit(0);
  return 0;
}
