/* fuzz_record: records the seed corpora of the session targets from real
 * tlswrap handshakes (record-seeds.sh runs it; the output is committed).
 *
 *   fuzz_record tls  CORPUS_DIR   writes CORPUS_DIR/tls_server/... and
 *                                 CORPUS_DIR/tls_client/...
 *   fuzz_record dtls CORPUS_DIR   writes CORPUS_DIR/dtls_server/... (DTLS
 *                                 1.2, then 1.3: dtls13-...)
 *   fuzz_record dtls_client CORPUS_DIR
 *                                 writes CORPUS_DIR/dtls_client/...: the
 *                                 server's datagrams of DTLS 1.2 (dtls12-),
 *                                 1.3 (dtls13-) and a 1.2-and-1.3 client
 *                                 met by a 1.2 server (dtls13to12-)
 *
 * A client and a server run a whole connection in memory (handshake,
 * FUZZ_REQUEST, FUZZ_REPLY, close_notify); every send of the side a target
 * plays the peer of is kept as one chunk (or datagram) in the target's
 * input format. Contexts, RNG seeds and the order of calls are the
 * targets' own (fuzz_common.c), so each target replays its seeds to the
 * end of the connection. "dtls" must run in a process of its own, as the
 * target does at start-up, so that the cookie secret is the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static void fail(const char *what, int st) {
  fprintf(stderr, "fuzz_record: %s: %s\n", what, tlsw_status_name(st));
  exit(1);
}

static void write_file(const char *dir, const char *name, const uint8_t *p,
                       size_t n) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
    perror(path);
    exit(1);
  }
  printf("fuzz_record: %s (%zu bytes)\n", path, n);
}

/* Writes DIR/PRE+NAME. */
static void write_seed(const char *dir, const char *pre, const char *name,
                       const fuzz_buf *f) {
  char file[256];
  snprintf(file, sizeof file, "%s%s", pre, name);
  write_file(dir, file, f->p, f->n);
}

/* The first `chunks` chunks of a recording (all: (size_t)-1). */
static size_t prefix_len(const fuzz_buf *b, size_t chunks) {
  size_t off = 0;
  for (size_t i = 0; i < chunks && off + 2 <= b->n; i++) {
    off += 2 + ((size_t)b->p[off] << 8 | b->p[off + 1]);
  }
  return off;
}

/* A side of a TLS connection: reads from in, writes to out, and keeps
 * every send as a chunk. */
typedef struct side {
  tlsw_membuf *in, *out;
  fuzz_buf rec;
} side;

static int side_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  side *s = io;
  int st = tlsw_membuf_write(s->out, buf, len, out_n);
  if (st == TLSW_OK) fuzz_buf_add_chunk(&s->rec, buf, *out_n);
  return st;
}

static int side_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  side *s = io;
  return tlsw_membuf_read(s->in, buf, len, out_n);
}

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

/* Runs one TLS connection; *crec / *srec get what client / server sent. */
static void run_tls(int cli_max, int srv_max, fuzz_buf *crec, fuzz_buf *srec) {
  tlsw_ctx *cctx = fuzz_client_ctx(0, cli_max);
  tlsw_ctx *sctx = fuzz_server_ctx(0, srv_max);
  tlsw_membuf *c2s = NULL, *s2c = NULL;
  if (tlsw_membuf_new(&c2s, 1 << 20, 0) != TLSW_OK ||
      tlsw_membuf_new(&s2c, 1 << 20, 0) != TLSW_OK) {
    fail("membuf", TLSW_ERR_NOMEM);
  }
  side cs = {s2c, c2s, {0}}, ss = {c2s, s2c, {0}};
  tlsw_io cio = {side_send, side_recv, &cs}, sio = {side_send, side_recv, &ss};
  tlsw_wrap_opts co = TLSW_WRAP_OPTS_INIT, so = TLSW_WRAP_OPTS_INIT;
  co.do_handshake_on_connect = 0;
  co.server_hostname = "localhost";
  so.do_handshake_on_connect = 0;
  tlsw_session *cli = NULL, *srv = NULL;
  fuzz_seed_role(FUZZ_ROLE_CLIENT);
  if (tlsw_wrap(cctx, &cio, &co, &cli) != TLSW_OK) fail("client wrap", 0);
  fuzz_seed_role(FUZZ_ROLE_SERVER);
  if (tlsw_wrap(sctx, &sio, &so, &srv) != TLSW_OK) fail("server wrap", 0);

  int cst = TLSW_WANT_READ, sst = TLSW_WANT_READ;
  for (int i = 0; i < 100 && (cst != TLSW_OK || sst != TLSW_OK); i++) {
    fuzz_seed_role(FUZZ_ROLE_CLIENT);
    if (cst != TLSW_OK) cst = tlsw_handshake(cli);
    fuzz_seed_role(FUZZ_ROLE_SERVER);
    if (sst != TLSW_OK) sst = tlsw_handshake(srv);
    if (!blocked(cst) && cst != TLSW_OK) fail(tlsw_session_message(cli), cst);
    if (!blocked(sst) && sst != TLSW_OK) fail(tlsw_session_message(srv), sst);
  }
  if (cst != TLSW_OK || sst != TLSW_OK) fail("handshake", TLSW_ERR_STATE);

  size_t n;
  uint8_t buf[4096];
  fuzz_seed_role(FUZZ_ROLE_CLIENT);
  if (tlsw_write(cli, FUZZ_REQUEST, sizeof FUZZ_REQUEST - 1, &n) != TLSW_OK) {
    fail("client write", 0);
  }
  fuzz_seed_role(FUZZ_ROLE_SERVER);
  if (tlsw_read(srv, buf, sizeof buf, &n) != TLSW_OK) fail("server read", 0);
  if (tlsw_write(srv, FUZZ_REPLY, sizeof FUZZ_REPLY - 1, &n) != TLSW_OK) {
    fail("server write", 0);
  }
  if (tlsw_shutdown(srv) != TLSW_OK) fail("server shutdown", 0);
  fuzz_seed_role(FUZZ_ROLE_CLIENT);
  if (tlsw_read(cli, buf, sizeof buf, &n) != TLSW_OK) fail("client read", 0);
  if (tlsw_shutdown(cli) != TLSW_OK) fail("client shutdown", 0);
  printf("fuzz_record: %s %s\n", tlsw_session_version(cli),
         tlsw_session_cipher(cli));

  *crec = cs.rec;
  *srec = ss.rec;
  tlsw_session_free(cli);
  tlsw_session_free(srv);
  tlsw_membuf_free(c2s);
  tlsw_membuf_free(s2c);
  tlsw_ctx_free(cctx);
  tlsw_ctx_free(sctx);
}

static void record_tls(const char *dir) {
  char d_srv[4096], d_cli[4096];
  snprintf(d_srv, sizeof d_srv, "%s/tls_server", dir);
  snprintf(d_cli, sizeof d_cli, "%s/tls_client", dir);
  fuzz_buf c, s;
  /* Both at their defaults: TLS 1.3. */
  run_tls(0, 0, &c, &s);
  write_file(d_srv, "tls13-clienthello", c.p, prefix_len(&c, 1));
  write_file(d_srv, "tls13-client-all", c.p, c.n);
  write_file(d_cli, "tls13-server-flight1", s.p, prefix_len(&s, 1));
  write_file(d_cli, "tls13-server-all", s.p, s.n);
  fuzz_buf_free(&c);
  fuzz_buf_free(&s);
  /* A TLS 1.2 client against the target's server. */
  run_tls(TLSW_VERSION_TLS1_2, 0, &c, &s);
  write_file(d_srv, "tls12-clienthello", c.p, prefix_len(&c, 1));
  write_file(d_srv, "tls12-client-all", c.p, c.n);
  fuzz_buf_free(&c);
  fuzz_buf_free(&s);
  /* The target's client against a TLS 1.2 server. */
  run_tls(0, TLSW_VERSION_TLS1_2, &c, &s);
  write_file(d_cli, "tls12-server-flight1", s.p, prefix_len(&s, 1));
  write_file(d_cli, "tls12-server-all", s.p, s.n);
  fuzz_buf_free(&c);
  fuzz_buf_free(&s);
}

static void move_datagrams(tlsw_membuf *from, tlsw_membuf *to, fuzz_buf *rec) {
  uint8_t d[TLSW_DTLS_MAX_DATAGRAM];
  size_t n, k;
  while (tlsw_membuf_used(from) > 0) {
    if (tlsw_membuf_read(from, d, sizeof d, &n) != TLSW_OK) break;
    if (rec != NULL) fuzz_buf_add_chunk(rec, d, n);
    if (to != NULL && tlsw_membuf_write(to, d, n, &k) != TLSW_OK) {
      fail("datagram", 0);
    }
  }
}

/* The server session that fuzz_dtls_server keeps after a valid cookie,
 * and its datagram buffers. */
typedef struct dtls_srv {
  tlsw_session *s;
  fuzz_dgram g;
} dtls_srv;

/* Runs the handshake from the ClientHello with a cookie, as the target
 * does (one client datagram, then one server call), and the client's
 * request and close; every client datagram after ch2 goes to *rest. */
/* Wraps the server session that the ClientHello with a cookie starts. */
static int srv_start(tlsw_ctx *sctx, dtls_srv *sv, const fuzz_buf *ch2) {
  fuzz_dgram_new(&sv->g);
  tlsw_wrap_opts so = TLSW_WRAP_OPTS_INIT;
  so.client_id = fuzz_client_id;
  so.client_id_len = fuzz_client_id_len;
  size_t k;
  tlsw_membuf_write(sv->g.in, ch2->p, ch2->n, &k);
  fuzz_seed_role(FUZZ_ROLE_SERVER);
  int sst = tlsw_wrap(sctx, &sv->g.io, &so, &sv->s);
  if (!blocked(sst)) fail("server wrap with cookie", sst);
  return sst;
}

static void run_dtls(tlsw_ctx *sctx, fuzz_dtls_client *c, dtls_srv *sv,
                     const fuzz_buf *ch2, fuzz_buf *rest) {
  size_t k, n;
  int sst = srv_start(sctx, sv, ch2), cst = TLSW_WANT_READ;
  uint8_t dg[TLSW_DTLS_MAX_DATAGRAM];
  for (int i = 0; i < 100 && (cst != TLSW_OK || sst != TLSW_OK); i++) {
    move_datagrams(sv->g.out, c->s2c, NULL);
    fuzz_seed_role(FUZZ_ROLE_CLIENT);
    if (cst != TLSW_OK) cst = tlsw_handshake(c->cli);
    if (getenv("FUZZ_VERBOSE")) {
      fprintf(stderr, "round %d: client %s, server %s: %s\n", i,
              tlsw_status_name(cst), tlsw_status_name(sst),
              tlsw_session_message(c->cli));
    }
    if (!blocked(cst) && cst != TLSW_OK)
      fail(tlsw_session_message(c->cli), cst);
    while (tlsw_membuf_used(c->c2s) > 0) {
      if (tlsw_membuf_read(c->c2s, dg, sizeof dg, &n) != TLSW_OK) break;
      fuzz_buf_add_chunk(rest, dg, n);
      tlsw_membuf_write(sv->g.in, dg, n, &k);
      fuzz_seed_role(FUZZ_ROLE_SERVER);
      sst = tlsw_handshake(sv->s);
      if (!blocked(sst) && sst != TLSW_OK) {
        fail(tlsw_session_message(sv->s), sst);
      }
    }
  }
  if (cst != TLSW_OK) fail(tlsw_session_message(c->cli), cst);
  if (sst != TLSW_OK) fail(tlsw_session_message(sv->s), sst);
  move_datagrams(sv->g.out, c->s2c, NULL);
  fuzz_seed_role(FUZZ_ROLE_CLIENT);
  if (tlsw_write(c->cli, FUZZ_REQUEST, sizeof FUZZ_REQUEST - 1, &n) !=
      TLSW_OK) {
    fail("client write", 0);
  }
  if (tlsw_shutdown(c->cli) != TLSW_OK) fail("client shutdown", 0);
  move_datagrams(c->c2s, NULL, rest);
  printf("fuzz_record: %s %s\n", tlsw_session_version(c->cli),
         tlsw_session_cipher(c->cli));
}

static void srv_free(dtls_srv *sv) {
  tlsw_session_free(sv->s);
  fuzz_dgram_free(&sv->g);
}

/* For fuzz_dtls_client's seeds: the server session takes a client
 * datagram; after its handshake it answers the first data with FUZZ_REPLY
 * and closes (close_notify), then ignores the rest. */
static void srv_take(dtls_srv *sv, const uint8_t *d, size_t n, int *closed) {
  uint8_t buf[2048];
  size_t k;
  if (*closed) return;
  tlsw_membuf_write(sv->g.in, d, n, &k);
  fuzz_seed_role(FUZZ_ROLE_SERVER);
  int st;
  if (!tlsw_session_handshake_done(sv->s)) {
    st = tlsw_handshake(sv->s);
  } else {
    st = tlsw_read(sv->s, buf, sizeof buf, &k);
    if (st == TLSW_OK) {
      *closed = 1;
      if (tlsw_write(sv->s, FUZZ_REPLY, sizeof FUZZ_REPLY - 1, &k) != TLSW_OK ||
          tlsw_shutdown(sv->s) != TLSW_OK) {
        fail("server reply and close", 0);
      }
    }
  }
  if (!blocked(st) && st != TLSW_OK && st != TLSW_ERR_DATAGRAM_DROPPED) {
    fail(tlsw_session_message(sv->s), st);
  }
}

/* The rest of the connection after the cookie, with the client driven as
 * fuzz_dtls_client drives it: one server datagram at a time, then
 * fuzz_dtls_client_step(), until the server's close_notify. Every server
 * datagram goes to *srec; *done_at gets how many the client had taken
 * when its handshake completed. */
static void run_dtls_client(tlsw_ctx *sctx, fuzz_dtls_client *c, dtls_srv *sv,
                            const fuzz_buf *ch2, fuzz_buf *srec,
                            size_t *done_at) {
  uint8_t d[TLSW_DTLS_MAX_DATAGRAM];
  size_t n, k, count = 0;
  int st = TLSW_WANT_READ, requested = 0, closed = 0;
  (void)srv_start(sctx, sv, ch2);
  *done_at = 0;
  for (int i = 0; i < 200 && st != TLSW_CLOSED; i++) {
    if (tlsw_membuf_used(sv->g.out) == 0 ||
        tlsw_membuf_read(sv->g.out, d, sizeof d, &n) != TLSW_OK) {
      fail("the server has nothing more to send", st);
    }
    fuzz_buf_add_chunk(srec, d, n);
    count++;
    tlsw_membuf_write(c->s2c, d, n, &k);
    fuzz_seed_role(FUZZ_ROLE_CLIENT);
    st = fuzz_dtls_client_step(c->cli, &requested);
    if (*done_at == 0 && tlsw_session_handshake_done(c->cli)) *done_at = count;
    if (!blocked(st) && st != TLSW_OK && st != TLSW_CLOSED &&
        st != TLSW_ERR_DATAGRAM_DROPPED) { /* a DTLS 1.3 ACK, or ticket */
      fail(tlsw_session_message(c->cli), st);
    }
    while (tlsw_membuf_used(c->c2s) > 0 &&
           tlsw_membuf_read(c->c2s, d, sizeof d, &n) == TLSW_OK) {
      srv_take(sv, d, n, &closed);
    }
  }
  if (st != TLSW_CLOSED) fail("no close_notify for the client", st);
  printf("fuzz_record: %s %s, %zu server datagrams\n",
         tlsw_session_version(c->cli), tlsw_session_cipher(c->cli), count);
}

/* fuzz_dtls_client's seeds of one kind of connection (client and server
 * maximum: 0, DTLS 1.2, or 1, DTLS 1.3; the client's is the mode byte):
 * PRE-cookie (the HelloVerifyRequest or HelloRetryRequest),
 * PRE-handshake (to the flight that completes the client's handshake),
 * PRE-all (to the server's close_notify). */
static void record_dtls_client(const char *dir, int cv, int sv_v,
                               const char *pre) {
  tlsw_ctx *sctx = fuzz_server_ctx(1, sv_v ? TLSW_VERSION_TLS1_3 : 0);
  tlsw_ctx *cctx = fuzz_client_ctx(1, cv ? TLSW_VERSION_TLS1_3 : 0);
  fuzz_buf hvr = {0}, ch2 = {0}, srec = {0}, f = {0};
  fuzz_dtls_client c;
  dtls_srv sv = {0};
  size_t done_at;
  fuzz_dtls_cookie_exchange_hvr(sctx, cctx, NULL, &hvr, &ch2, &c);
  run_dtls_client(sctx, &c, &sv, &ch2, &srec, &done_at);

  uint8_t mode = (uint8_t)cv;
  size_t hs = prefix_len(&srec, done_at);
  fuzz_buf_add(&f, &mode, 1);
  fuzz_buf_add_chunk(&f, hvr.p, hvr.n);
  write_seed(dir, pre, "cookie", &f);
  fuzz_buf_add(&f, srec.p, hs);
  write_seed(dir, pre, "handshake", &f);
  fuzz_buf_add(&f, srec.p + hs, srec.n - hs);
  write_seed(dir, pre, "all", &f);
  fuzz_buf_free(&f);
  fuzz_buf_free(&hvr);
  fuzz_buf_free(&ch2);
  fuzz_buf_free(&srec);
  fuzz_dtls_client_free(&c);
  srv_free(&sv);
  tlsw_ctx_free(cctx);
  tlsw_ctx_free(sctx);
}

/* One version's seeds (v 0: DTLS 1.2, file names as before; v 1: DTLS 1.3
 * against the 1.2-and-1.3 context, mode bit 1, names dtls13-...). The
 * order of calls is fuzz_dtls_server's LLVMFuzzerInitialize. */
static void record_dtls(const char *dir, int v) {
  int max = v ? TLSW_VERSION_TLS1_3 : 0;
  const char *pre = v ? "dtls13-" : "";
  tlsw_ctx *sctx = fuzz_server_ctx(1, max);
  tlsw_ctx *cctx = fuzz_client_ctx(1, max);
  fuzz_buf ch1 = {0}, ch2 = {0}, rest = {0}, f = {0};
  fuzz_dtls_client c;
  dtls_srv sv = {0};
  fuzz_dtls_cookie_exchange(sctx, cctx, &ch1, &ch2, &c);
  run_dtls(sctx, &c, &sv, &ch2, &rest);

  uint8_t mode = (uint8_t)(v << 1); /* bit 0: after the cookie */
  fuzz_buf_add(&f, &mode, 1);
  fuzz_buf_add_chunk(&f, ch1.p, ch1.n);
  write_seed(dir, pre, "fresh-clienthello", &f);
  f.n = 1;
  fuzz_buf_add_chunk(&f, ch2.p, ch2.n);
  write_seed(dir, pre, "fresh-clienthello-cookie", &f);
  fuzz_buf_add(&f, rest.p, rest.n);
  write_seed(dir, pre, "fresh-all", &f);
  f.n = 0;
  mode |= 1;
  fuzz_buf_add(&f, &mode, 1);
  fuzz_buf_add(&f, rest.p, rest.n);
  write_seed(dir, pre, "cookie-rest", &f);
  fuzz_buf_free(&f);
  fuzz_buf_free(&ch1);
  fuzz_buf_free(&ch2);
  fuzz_buf_free(&rest);
  fuzz_dtls_client_free(&c);
  srv_free(&sv);
  tlsw_ctx_free(cctx);
  tlsw_ctx_free(sctx);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s tls|dtls|dtls_client CORPUS_DIR\n", argv[0]);
    return 2;
  }
  fuzz_init();
  if (strcmp(argv[1], "tls") == 0) {
    record_tls(argv[2]);
  } else if (strcmp(argv[1], "dtls") == 0) {
    char d[4096];
    snprintf(d, sizeof d, "%s/dtls_server", argv[2]);
    record_dtls(d, 0);
    record_dtls(d, 1);
  } else if (strcmp(argv[1], "dtls_client") == 0) {
    char d[4096];
    snprintf(d, sizeof d, "%s/dtls_client", argv[2]);
    record_dtls_client(d, 0, 0, "dtls12-");
    record_dtls_client(d, 1, 1, "dtls13-");
    record_dtls_client(d, 1, 0, "dtls13to12-");
  } else {
    fprintf(stderr, "%s: unknown kind %s\n", argv[0], argv[1]);
    return 2;
  }
  return 0;
}
