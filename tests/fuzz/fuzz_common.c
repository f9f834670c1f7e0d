#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* wolfSSL's own headers, for the seed callback only (built with
 * WC_RNG_SEED_CB in a TLSW_FUZZ build, cmake/TlswFuzz.cmake). */
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/random.h>

#include "fuzz_certs.h"

static void die(const char *what, int st) {
  fprintf(stderr, "fuzz set-up: %s: %s\n", what, tlsw_status_name(st));
  abort();
}

static void check(const char *what, int st) {
  if (st != TLSW_OK) die(what, st);
}

static uint32_t seed_role = FUZZ_ROLE_OTHER;

void fuzz_seed_role(int role) {
  seed_role = (uint32_t)role;
}

/* A fixed byte stream per role (splitmix64): the same for every RNG of
 * that role, so a session's random bytes depend only on its role and on
 * what it was fed. (wolfSSL refuses a seed with two equal consecutive
 * blocks, so it cannot be a constant.) */
static int fixed_seed(OS_Seed *os, byte *out, word32 sz) {
  (void)os;
  uint64_t x = 0x7f4a7c15u + (uint64_t)seed_role * 0x9e3779b97f4a7c15u;
  for (word32 i = 0; i < sz; i++) {
    if (i % 8 == 0) {
      x += 0x9e3779b97f4a7c15u;
      uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
      x = z ^ (z >> 31);
    }
    out[i] = (byte)(x >> (8 * (i % 8)));
  }
  return 0;
}

void fuzz_init(void) {
  static int done;
  if (done) return;
  done = 1;
  check("tlsw_init", tlsw_init());
  /* After wolfSSL_Init(), which installs the OS seed source; its global
   * RNG (wolfSSL_RAND_bytes: the DTLS cookie secret) was seeded from the
   * OS, so it is made again from the fixed seed. */
  if (wc_SetSeed_Cb(fixed_seed) != 0) die("wc_SetSeed_Cb", TLSW_ERR_INTERNAL);
#ifdef OPENSSL_EXTRA
  wolfSSL_RAND_Cleanup();
  if (wolfSSL_RAND_seed(NULL, 0) != WOLFSSL_SUCCESS) { /* re-creates it */
    die("wolfSSL_RAND_seed", TLSW_ERR_INTERNAL);
  }
#endif
  /* (Without the compatibility layer there is no global RNG: every
   * wolfCrypt RNG made from now on takes the fixed seed.) */
}

/* The DTLS cookie secret rotates by this clock: it never moves, so a
 * cookie stays valid for the whole run. */
static uint64_t fixed_clock(void *user) {
  (void)user;
  return 1000000u;
}

static void common_setup(tlsw_ctx *c, int max_version) {
  /* First: a DTLS 1.3 maximum makes a new wolfSSL context, which is
   * refused once credentials are loaded (docs/dtls.md). */
  if (max_version != 0) {
    check("set_version_range",
          tlsw_ctx_set_version_range(c, TLSW_VERSION_DEFAULT,
                                     (tlsw_tls_version)max_version));
  }
  check("set_time", tlsw_ctx_set_time(c, FUZZ_NOW));
  check("set_clock", tlsw_ctx_set_clock(c, fixed_clock, NULL));
  check("load_verify_mem",
        tlsw_ctx_load_verify_mem(c, fuzz_ca_pem, sizeof fuzz_ca_pem));
  check("load_cert_chain",
        tlsw_ctx_load_cert_chain(c, fuzz_leaf_pem, sizeof fuzz_leaf_pem,
                                 fuzz_leaf_key_pem, sizeof fuzz_leaf_key_pem,
                                 NULL));
}

tlsw_ctx *fuzz_server_ctx(int dtls, int max_version) {
  tlsw_ctx *c = NULL;
  fuzz_seed_role(FUZZ_ROLE_OTHER);
  check("ctx_new", tlsw_ctx_new(&c, dtls ? TLSW_PROTOCOL_DTLS_SERVER
                                         : TLSW_PROTOCOL_TLS_SERVER));
  common_setup(c, max_version);
  /* Ask for a client certificate, so the server parses and verifies one
   * (a client that sends none is still served). */
  check("set_verify_mode", tlsw_ctx_set_verify_mode(c, TLSW_CERT_OPTIONAL));
  return c;
}

tlsw_ctx *fuzz_client_ctx(int dtls, int max_version) {
  tlsw_ctx *c = NULL;
  fuzz_seed_role(FUZZ_ROLE_OTHER);
  check("ctx_new", tlsw_ctx_new(&c, dtls ? TLSW_PROTOCOL_DTLS_CLIENT
                                         : TLSW_PROTOCOL_TLS_CLIENT));
  common_setup(c, max_version); /* verify mode: REQUIRED, the default */
  return c;
}

static int feed_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  fuzz_feed *f = io;
  (void)buf;
  f->sent += len;
  *out_n = len;
  return TLSW_OK;
}

static int feed_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  fuzz_feed *f = io;
  *out_n = 0;
  if (f->chunk_left == 0) {
    if (f->n == 0) return TLSW_OK; /* end of stream */
    if (f->n < 2) {
      f->chunk_left = f->n;
    } else {
      size_t l = (size_t)f->p[0] << 8 | f->p[1];
      f->p += 2;
      f->n -= 2;
      f->chunk_left = l < f->n ? l : f->n;
      /* An empty chunk is a transport that would block: the session must
       * return TLSW_WANT_READ and pick up where it was. */
      if (f->chunk_left == 0) return TLSW_WANT_READ;
    }
  }
  size_t k = len < f->chunk_left ? len : f->chunk_left;
  memcpy(buf, f->p, k);
  f->p += k;
  f->n -= k;
  f->chunk_left -= k;
  *out_n = k;
  return TLSW_OK;
}

void fuzz_feed_init(fuzz_feed *f, const uint8_t *p, size_t n, tlsw_io *io) {
  memset(f, 0, sizeof *f);
  f->p = p;
  f->n = n;
  io->send = feed_send;
  io->recv = feed_recv;
  io->io = f;
}

int fuzz_next_datagram(const uint8_t **p, size_t *n, const uint8_t **d,
                       size_t *dlen) {
  if (*n == 0) return 0;
  size_t l = *n;
  if (*n >= 2) {
    l = (size_t)(*p)[0] << 8 | (*p)[1];
    *p += 2;
    *n -= 2;
    if (l > *n) l = *n;
  }
  *d = *p;
  *dlen = l;
  *p += l;
  *n -= l;
  return 1;
}

const uint8_t fuzz_client_id[] = "fuzz-peer";
const size_t fuzz_client_id_len = sizeof fuzz_client_id - 1;

void fuzz_buf_add(fuzz_buf *b, const void *p, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n) cap *= 2;
    uint8_t *q = realloc(b->p, cap);
    if (q == NULL) die("realloc", TLSW_ERR_NOMEM);
    b->p = q;
    b->cap = cap;
  }
  if (n > 0) memcpy(b->p + b->n, p, n);
  b->n += n;
}

void fuzz_buf_add_chunk(fuzz_buf *b, const void *p, size_t n) {
  if (n > 0xffff) die("chunk over 64 KB", TLSW_ERR_TOO_BIG);
  uint8_t h[2] = {(uint8_t)(n >> 8), (uint8_t)n};
  fuzz_buf_add(b, h, 2);
  fuzz_buf_add(b, p, n);
}

void fuzz_buf_free(fuzz_buf *b) {
  free(b->p);
  memset(b, 0, sizeof *b);
}

/* One datagram from b into a buffer of its own. */
static size_t take_datagram(tlsw_membuf *b, uint8_t *d, size_t cap) {
  size_t n = 0;
  if (tlsw_membuf_read(b, d, cap, &n) != TLSW_OK) return 0;
  return n;
}

void fuzz_dtls_client_free(fuzz_dtls_client *c) {
  tlsw_session_free(c->cli);
  tlsw_membuf_free(c->c2s);
  tlsw_membuf_free(c->s2c);
  memset(c, 0, sizeof *c);
}

void fuzz_dtls_cookie_exchange(tlsw_ctx *sctx, tlsw_ctx *cctx, fuzz_buf *ch1,
                               fuzz_buf *ch2, fuzz_dtls_client *c_out) {
  fuzz_dtls_cookie_exchange_hvr(sctx, cctx, ch1, NULL, ch2, c_out);
}

void fuzz_dtls_cookie_exchange_hvr(tlsw_ctx *sctx, tlsw_ctx *cctx,
                                   fuzz_buf *ch1, fuzz_buf *hvr, fuzz_buf *ch2,
                                   fuzz_dtls_client *c_out) {
  fuzz_dtls_client local, *c = c_out != NULL ? c_out : &local;
  memset(c, 0, sizeof *c);
  tlsw_membuf *sin = NULL, *sout = NULL;
  check("membuf", tlsw_membuf_new(&c->c2s, 1 << 16, 1));
  check("membuf", tlsw_membuf_new(&c->s2c, 1 << 16, 1));
  check("membuf", tlsw_membuf_new(&sin, 1 << 16, 1));
  check("membuf", tlsw_membuf_new(&sout, 1 << 16, 1));
  tlsw_memio sm; /* the server sessions here end in this function */
  tlsw_io cio, sio;
  check("memio", tlsw_memio_init(&c->mio, c->s2c, c->c2s, &cio));
  check("memio", tlsw_memio_init(&sm, sin, sout, &sio));

  tlsw_wrap_opts co = TLSW_WRAP_OPTS_INIT;
  co.do_handshake_on_connect = 0;
  co.server_hostname = "localhost";
  tlsw_session *srv = NULL;
  fuzz_seed_role(FUZZ_ROLE_CLIENT);
  check("client wrap", tlsw_wrap(cctx, &cio, &co, &c->cli));
  int st = tlsw_handshake(c->cli);
  if (st != TLSW_WANT_READ) die("client hello", st);

  uint8_t d[TLSW_DTLS_MAX_DATAGRAM];
  size_t n = take_datagram(c->c2s, d, sizeof d), k;
  if (ch1 != NULL) fuzz_buf_add(ch1, d, n);
  check("ClientHello to the server", tlsw_membuf_write(sin, d, n, &k));
  tlsw_wrap_opts so = TLSW_WRAP_OPTS_INIT;
  so.client_id = fuzz_client_id;
  so.client_id_len = fuzz_client_id_len;
  fuzz_seed_role(FUZZ_ROLE_SERVER);
  st = tlsw_wrap(sctx, &sio, &so, &srv);
  if (st != TLSW_HELLO_VERIFY) die("HelloVerifyRequest", st);
  tlsw_session_free(srv);

  n = take_datagram(sout, d, sizeof d);
  if (hvr != NULL) fuzz_buf_add(hvr, d, n);
  check("HelloVerifyRequest to the client",
        tlsw_membuf_write(c->s2c, d, n, &k));
  fuzz_seed_role(FUZZ_ROLE_CLIENT);
  st = tlsw_handshake(c->cli);
  if (st != TLSW_WANT_READ) die("second ClientHello", st);
  n = take_datagram(c->c2s, d, sizeof d);
  if (n == 0) die("no second ClientHello", TLSW_ERR_STATE);
  fuzz_buf_add(ch2, d, n);

  tlsw_membuf_free(sin);
  tlsw_membuf_free(sout);
  if (c_out == NULL) fuzz_dtls_client_free(c);
}

void fuzz_dgram_drain(tlsw_membuf *b) {
  uint8_t d[TLSW_DTLS_MAX_DATAGRAM];
  while (tlsw_membuf_used(b) > 0 && take_datagram(b, d, sizeof d) > 0) {
  }
}

void fuzz_dgram_new(fuzz_dgram *g) {
  memset(g, 0, sizeof *g);
  check("membuf", tlsw_membuf_new(&g->in, 1 << 16, 1));
  check("membuf", tlsw_membuf_new(&g->out, 1 << 20, 1));
  check("memio", tlsw_memio_init(&g->mio, g->in, g->out, &g->io));
}

void fuzz_dgram_free(fuzz_dgram *g) {
  tlsw_membuf_free(g->in);
  tlsw_membuf_free(g->out);
  memset(g, 0, sizeof *g);
}

int fuzz_dgram_push(tlsw_membuf *b, const uint8_t *d, size_t n) {
  static const uint8_t zero = 0;
  size_t k;
  fuzz_dgram_drain(b);
  if (n == 0) {
    d = &zero;
    n = 1;
  }
  return tlsw_membuf_write(b, d, n, &k) == TLSW_OK;
}

int fuzz_dtls_client_step(tlsw_session *s, int *requested) {
  uint8_t buf[2048];
  size_t n;
  if (tlsw_session_handshake_done(s)) return tlsw_read(s, buf, sizeof buf, &n);
  int st = tlsw_handshake(s);
  if (st != TLSW_OK || *requested) return st;
  *requested = 1;
  int w = tlsw_write(s, FUZZ_REQUEST, sizeof FUZZ_REQUEST - 1, &n);
  return w == TLSW_OK ? st : w;
}

void fuzz_touch_session(tlsw_session *s) {
  volatile size_t sum = 0;
  const char *v = tlsw_session_version(s), *c = tlsw_session_cipher(s);
  const char *m = tlsw_session_message(s);
  sum += v ? strlen(v) : 0;
  sum += c ? strlen(c) : 0;
  sum += strlen(m);
  const uint8_t *der;
  size_t der_len;
  if (tlsw_session_peer_cert(s, &der, &der_len) == TLSW_OK && der_len > 0) {
    sum += der[0] + der[der_len - 1];
  }
  tlsw_cert_reason reason;
  int depth;
  (void)tlsw_session_verify_result(s);
  (void)tlsw_session_verify_info(s, &reason, &depth);
  sum += tlsw_session_pending(s) + tlsw_session_want(s);
  (void)sum;
}

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

/* FUZZ_VERBOSE=1 in the environment: each input's outcome on stderr, to
 * check that a seed replays as far as it should. */
void fuzz_report(const char *what, tlsw_session *s, int st) {
  static int verbose = -1;
  if (verbose < 0) verbose = getenv("FUZZ_VERBOSE") != NULL;
  if (!verbose) return;
  fprintf(stderr, "fuzz: %s: %s, handshake %s, %s: %s\n", what,
          tlsw_status_name(st),
          tlsw_session_handshake_done(s) ? "done" : "not done",
          tlsw_session_version(s) ? tlsw_session_version(s) : "-",
          tlsw_session_message(s));
}

void fuzz_drive_tls(tlsw_session *s, int server, size_t input_len) {
  /* Each blocked call consumed an empty chunk (2 bytes of input), each
   * successful read at least one byte: this bounds both loops. */
  size_t budget = input_len / 2 + 8;
  int st = TLSW_WANT_READ;
  for (size_t i = 0; i < budget && blocked(st); i++) st = tlsw_handshake(s);
  fuzz_touch_session(s);
  fuzz_report("handshake", s, st);
  if (st != TLSW_OK) return;
  size_t n;
  if (!server) {
    (void)tlsw_write(s, FUZZ_REQUEST, sizeof FUZZ_REQUEST - 1, &n);
  }
  int replied = 0;
  uint8_t buf[4096];
  for (size_t i = 0; i < budget; i++) {
    st = tlsw_read(s, buf, sizeof buf, &n);
    if (st == TLSW_OK) {
      if (server && !replied) {
        replied = 1;
        (void)tlsw_write(s, FUZZ_REPLY, sizeof FUZZ_REPLY - 1, &n);
      }
    } else if (!blocked(st)) {
      break;
    }
  }
  fuzz_touch_session(s);
  fuzz_report("last read", s, st);
  (void)tlsw_shutdown(s);
}

uint8_t *fuzz_dup_exact(const uint8_t *p, size_t n) {
  uint8_t *d = malloc(n ? n : 1);
  if (d == NULL) abort();
  if (n) memcpy(d, p, n);
  return d;
}

char *fuzz_str_exact(const uint8_t *p, size_t n) {
  char *s = malloc(n + 1);
  if (s == NULL) abort();
  if (n) memcpy(s, p, n);
  s[n] = '\0';
  return s;
}
