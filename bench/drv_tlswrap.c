/* The tlswrap driver: the benchmark's loops through tlswrap's public API
 * only, as an application would write them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "tlswrap/tlswrap.h"

#define MAX_PAIRS 128

typedef struct tw_pair {
  bench_link link;
  tlsw_io cio, sio;
  tlsw_session *cli, *srv;
} tw_pair;

typedef struct tw_state {
  const bench_case *c;
  tlsw_ctx *cctx, *sctx;
  int npairs;
  tw_pair pairs[MAX_PAIRS];
  char desc[160];
  uint8_t buf[BENCH_BULK_CHUNK];
} tw_state;

static int ring_send(void *io, const uint8_t *buf, size_t len, size_t *n) {
  bench_end *e = io;
  *n = ring_write(e->tx, buf, len);
  return *n ? TLSW_OK : TLSW_WANT_WRITE;
}

static int ring_recv(void *io, uint8_t *buf, size_t len, size_t *n) {
  bench_end *e = io;
  *n = ring_read(e->rx, buf, len);
  return *n ? TLSW_OK : TLSW_WANT_READ;
}

int bench_tlswrap_init(void) {
  if (tlsw_set_allocator(bench_malloc, bench_realloc, bench_free) != TLSW_OK)
    return -1;
  return tlsw_init() == TLSW_OK ? 0 : -1;
}

static int fail(char *why, size_t len, const char *what, int st,
                const char *msg) {
  snprintf(why, len, "%s: %s%s%s", what, tlsw_strerror(st),
           msg && *msg ? ": " : "", msg ? msg : "");
  return -1;
}

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

static int wrap_server(tw_state *s, tw_pair *p) {
  tlsw_wrap_opts so = TLSW_WRAP_OPTS_INIT;
  static const uint8_t cid[] = "bench-client";
  so.do_handshake_on_connect = 0;
  so.client_id = cid; /* DTLS: the cookie is bound to it */
  so.client_id_len = sizeof cid - 1;
  return tlsw_wrap(s->sctx, &p->sio, &so, &p->srv);
}

/* Both sides of one pair to the end of the handshake, client first, each
 * called again while it is blocked: the loop every driver runs. */
static int handshake(tw_state *s, tw_pair *p, char *why, size_t len) {
  link_reset(&p->link);
  tlsw_wrap_opts co = TLSW_WRAP_OPTS_INIT;
  co.do_handshake_on_connect = 0;
  co.server_hostname = BENCH_HOST;
  int st = tlsw_wrap(s->cctx, &p->cio, &co, &p->cli);
  if (st != TLSW_OK) return fail(why, len, "client wrap", st, NULL);
  st = wrap_server(s, p);
  if (st != TLSW_OK) return fail(why, len, "server wrap", st, NULL);
  int cs = TLSW_WANT_READ, ss = TLSW_WANT_READ;
  for (int round = 0; round < 100; round++) {
    if (cs != TLSW_OK) cs = tlsw_handshake(p->cli);
    if (ss != TLSW_OK) ss = tlsw_handshake(p->srv);
    if (ss == TLSW_HELLO_VERIFY) {
      /* DTLS: the stateless HelloVerifyRequest was sent; the ClientHello
       * with the cookie goes to a fresh session (tlswrap/dtls.h). */
      tlsw_session_free(p->srv);
      p->srv = NULL;
      st = wrap_server(s, p);
      if (st != TLSW_OK) return fail(why, len, "server rewrap", st, NULL);
      ss = TLSW_WANT_READ;
    }
    if (cs == TLSW_OK && ss == TLSW_OK) return 0;
    if (cs != TLSW_OK && !blocked(cs))
      return fail(why, len, "client handshake", cs,
                  tlsw_session_message(p->cli));
    if (ss != TLSW_OK && !blocked(ss))
      return fail(why, len, "server handshake", ss,
                  tlsw_session_message(p->srv));
  }
  snprintf(why, len, "handshake did not finish");
  return -1;
}

static void describe_pair(tw_state *s, tw_pair *p) {
  const char *v = tlsw_session_version(p->cli);
  const char *su = tlsw_session_cipher(p->cli);
  const char *g = tlsw_session_group(p->cli);
  snprintf(s->desc, sizeof s->desc, "%s %s %s%s", v ? v : "?", su ? su : "?",
           g ? g : "?", link_note(&p->link));
}

static void free_pair(tw_pair *p) {
  tlsw_session_free(p->cli);
  tlsw_session_free(p->srv);
  p->cli = p->srv = NULL;
}

static void tw_teardown(void *state) {
  tw_state *s = state;
  if (s == NULL) return;
  for (int i = 0; i < s->npairs; i++) {
    free_pair(&s->pairs[i]);
    link_free(&s->pairs[i].link);
  }
  tlsw_ctx_free(s->cctx);
  tlsw_ctx_free(s->sctx);
  free(s);
}

static int tw_setup(void **out, const bench_case *c, const bench_certs *certs,
                    char *why, size_t len) {
  *out = NULL;
  tw_state *s = calloc(1, sizeof *s);
  if (s == NULL) return -1;
  s->c = c;
  int dtls = c->proto == BENCH_DTLS12;
  int st = tlsw_ctx_new(
      &s->cctx, dtls ? TLSW_PROTOCOL_DTLS_CLIENT : TLSW_PROTOCOL_TLS_CLIENT);
  if (st == TLSW_OK)
    st = tlsw_ctx_new(
        &s->sctx, dtls ? TLSW_PROTOCOL_DTLS_SERVER : TLSW_PROTOCOL_TLS_SERVER);
  if (st != TLSW_OK) {
    tw_teardown(s);
    return fail(why, len, "context", st, NULL);
  }
  st = tlsw_ctx_load_verify_file(s->cctx, certs->ca);
  if (st == TLSW_OK)
    st = tlsw_ctx_load_cert_chain_file(
        s->sctx, c->rsa ? certs->rsa_cert : certs->ec_cert,
        c->rsa ? certs->rsa_key : certs->ec_key, NULL);
  if (st == TLSW_OK && c->proto == BENCH_TLS12)
    st = tlsw_ctx_set_version_range(s->cctx, TLSW_VERSION_TLS1_2,
                                    TLSW_VERSION_TLS1_2);
  if (st == TLSW_OK && c->suite != NULL)
    st = tlsw_ctx_set_ciphers(s->cctx, &c->suite, 1);
  /* As the other drivers do: the client offers P-256 alone, so the key
   * share is P-256. */
  if (st == TLSW_OK && c->p256_share)
    st = tlsw_ctx_set_groups(s->cctx, "secp256r1");
  if (st != TLSW_OK) {
    int r = fail(why, len, "configure", st, tlsw_ctx_message(s->cctx));
    tw_teardown(s);
    return r;
  }
  int npairs = c->kind == BENCH_ECHO ? c->sessions : 1;
  if (npairs < 1) npairs = 1;
  if (npairs > MAX_PAIRS) npairs = MAX_PAIRS;
  for (int i = 0; i < npairs; i++) {
    tw_pair *p = &s->pairs[i];
    if (link_init(&p->link, dtls) != 0) {
      s->npairs = i;
      tw_teardown(s);
      return -1;
    }
    s->npairs = i + 1;
    p->cio = (tlsw_io){ring_send, ring_recv, &p->link.cli};
    p->sio = (tlsw_io){ring_send, ring_recv, &p->link.srv};
  }
  s->npairs = npairs;
  if (c->kind != BENCH_HANDSHAKE) {
    /* Bulk and echo run over established sessions. */
    for (int i = 0; i < s->npairs; i++) {
      if (handshake(s, &s->pairs[i], why, len) != 0) {
        tw_teardown(s);
        return -1;
      }
    }
    describe_pair(s, &s->pairs[0]);
  }
  *out = s;
  return 0;
}

/* Write all of buf (several records if the session cuts it), then have
 * the peer read the same number of bytes: the transfer loop every driver
 * runs. */
static int transfer(tlsw_session *from, tlsw_session *to, uint8_t *buf,
                    size_t n, char *why, size_t len) {
  size_t done = 0, got = 0, k;
  while (done < n) {
    int st = tlsw_write(from, buf + done, n - done, &k);
    if (st != TLSW_OK)
      return fail(why, len, "write", st, tlsw_session_message(from));
    done += k;
  }
  while (got < n) {
    int st = tlsw_read(to, buf + got, n - got, &k);
    if (st != TLSW_OK)
      return fail(why, len, "read", st, tlsw_session_message(to));
    got += k;
  }
  return 0;
}

static int tw_run(void *state, char *why, size_t len) {
  tw_state *s = state;
  switch (s->c->kind) {
    case BENCH_HANDSHAKE: {
      tw_pair *p = &s->pairs[0];
      int r = handshake(s, p, why, len);
      if (r == 0 && s->desc[0] == '\0') describe_pair(s, p);
      free_pair(p);
      return r;
    }
    case BENCH_BULK: {
      tw_pair *p = &s->pairs[0];
      return transfer(p->cli, p->srv, s->buf, BENCH_BULK_CHUNK, why, len);
    }
    case BENCH_ECHO:
      for (int i = 0; i < s->npairs; i++) {
        tw_pair *p = &s->pairs[i];
        if (transfer(p->cli, p->srv, s->buf, BENCH_ECHO_SIZE, why, len) != 0 ||
            transfer(p->srv, p->cli, s->buf, BENCH_ECHO_SIZE, why, len) != 0)
          return -1;
      }
      return 0;
  }
  return -1;
}

static void tw_describe(void *state, char *buf, size_t len) {
  tw_state *s = state;
  snprintf(buf, len, "%s", s->desc);
}

static void tw_free_side(void *state, int server) {
  tw_state *s = state;
  for (int i = 0; i < s->npairs; i++) {
    tw_pair *p = &s->pairs[i];
    if (server) {
      tlsw_session_free(p->srv);
      p->srv = NULL;
    } else {
      tlsw_session_free(p->cli);
      p->cli = NULL;
    }
  }
}

const bench_lib bench_lib_tlswrap = {"tlswrap",   tw_setup,    tw_run,
                                     tw_describe, tw_teardown, tw_free_side};

int bench_aes_first(void) {
  static int cached = -1;
  if (cached < 0) {
    tlsw_ctx *c = NULL;
    const char *names[64];
    size_t n = 0;
    cached = tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT) == TLSW_OK &&
             tlsw_ctx_get_ciphers(c, names, 64, &n) == TLSW_OK && n > 0 &&
             strstr(names[0], "_AES_") != NULL;
    tlsw_ctx_free(c);
  }
  return cached;
}
