#include "dtls_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pair.h"

static uint64_t fake_clock(void *user) {
  return *(uint64_t *)user;
}

static void must(int st, const char *what) {
  if (st != TLSW_OK) {
    fprintf(stderr, "dt: %s failed: %s\n", what, tlsw_status_name(st));
    abort();
  }
}

void dt_init(dt_env *e) {
  dt_init_v(e, TLSW_VERSION_DEFAULT, TLSW_VERSION_DEFAULT);
}

void dt_init_v(dt_env *e, tlsw_tls_version cmax, tlsw_tls_version smax) {
  memset(e, 0, sizeof *e);
  e->now_ms = 1000000;
  e->cid = "peer-A";
  must(tlsw_ctx_new(&e->cctx, TLSW_PROTOCOL_DTLS_CLIENT), "client ctx");
  must(tlsw_ctx_new(&e->sctx, TLSW_PROTOCOL_DTLS_SERVER), "server ctx");
  /* Before loading: a DTLS context's maximum picks its method. */
  must(tlsw_ctx_set_version_range(e->cctx, TLSW_VERSION_DEFAULT, cmax),
       "client versions");
  must(tlsw_ctx_set_version_range(e->sctx, TLSW_VERSION_DEFAULT, smax),
       "server versions");
  must(tlsw_ctx_load_cert_chain_file(e->sctx, fixture("server-ec.pem"),
                                     fixture("server-ec.key"), NULL),
       "server cert");
  must(tlsw_ctx_load_verify_file(e->cctx, fixture("ca.pem")), "ca");
  must(tlsw_ctx_set_clock(e->cctx, fake_clock, &e->now_ms), "clock");
  must(tlsw_ctx_set_clock(e->sctx, fake_clock, &e->now_ms), "clock");
  must(tlsw_membuf_new(&e->c2s, 1 << 16, 1), "c2s");
  must(tlsw_membuf_new(&e->s2c, 1 << 16, 1), "s2c");
  must(tlsw_memio_init(&e->cio, e->s2c, e->c2s, &e->cli_io), "cio");
  must(tlsw_memio_init(&e->sio, e->c2s, e->s2c, &e->srv_io), "sio");
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = "localhost";
  must(tlsw_wrap(e->cctx, &e->cli_io, &o, &e->cli), "client wrap");
}

void dt_free(dt_env *e) {
  tlsw_session_free(e->cli);
  tlsw_session_free(e->srv);
  tlsw_ctx_free(e->cctx);
  tlsw_ctx_free(e->sctx);
  tlsw_membuf_free(e->c2s);
  tlsw_membuf_free(e->s2c);
  memset(e, 0, sizeof *e);
}

int dt_server_step(dt_env *e) {
  int st;
  if (e->srv == NULL) {
    if (tlsw_membuf_used(e->c2s) == 0) return TLSW_WANT_READ;
    tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
    o.client_id = (const uint8_t *)e->cid;
    o.client_id_len = strlen(e->cid);
    st = tlsw_wrap(e->sctx, &e->srv_io, &o, &e->srv);
    if (st == TLSW_HELLO_VERIFY || st == TLSW_ERR_DATAGRAM_DROPPED) {
      if (st == TLSW_HELLO_VERIFY) e->hello_verify++;
      if (st == TLSW_ERR_DATAGRAM_DROPPED) e->dropped++;
      tlsw_session_free(e->srv);
      e->srv = NULL;
      e->last_srv_status = st;
      return TLSW_WANT_READ;
    }
  } else {
    st = tlsw_handshake(e->srv);
    /* Junk reaching an established handshake is dropped, not fatal. */
    if (st == TLSW_ERR_DATAGRAM_DROPPED) st = TLSW_WANT_READ;
  }
  e->last_srv_status = st;
  return st;
}

int dt_client_step(dt_env *e) {
  return tlsw_handshake(e->cli);
}

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

int dt_run(dt_env *e) {
  int cs = TLSW_WANT_READ, ss = TLSW_WANT_READ;
  for (int round = 0; round < 200; round++) {
    size_t before = tlsw_membuf_used(e->c2s) + tlsw_membuf_used(e->s2c);
    cs = dt_client_step(e);
    /* Let the server drain every datagram the client sent. */
    for (int i = 0; i < 16; i++) {
      ss = dt_server_step(e);
      if (!blocked(ss) || tlsw_membuf_used(e->c2s) == 0) break;
    }
    if (!blocked(cs) && cs != TLSW_OK) return cs;
    if (!blocked(ss) && ss != TLSW_OK) return ss;
    if (cs == TLSW_OK && ss == TLSW_OK) return TLSW_OK;
    size_t after = tlsw_membuf_used(e->c2s) + tlsw_membuf_used(e->s2c);
    if (round > 2 && before == 0 && after == 0) break; /* stalled */
  }
  return cs != TLSW_OK ? cs : ss;
}

size_t dt_take(tlsw_membuf *q, uint8_t bufs[][2048], size_t lens[],
               size_t max) {
  size_t n = 0;
  while (n < max && tlsw_membuf_used(q) > 0) {
    if (tlsw_membuf_read(q, bufs[n], 2048, &lens[n]) != TLSW_OK) break;
    n++;
  }
  return n;
}

void dt_put(tlsw_membuf *q, const uint8_t *d, size_t n) {
  size_t put = 0;
  must(tlsw_membuf_write(q, d, n, &put), "queue write");
}

size_t dt_count(tlsw_membuf *q) {
  static uint8_t bufs[DT_MAX_DGRAMS][2048];
  size_t lens[DT_MAX_DGRAMS];
  size_t n = dt_take(q, bufs, lens, DT_MAX_DGRAMS);
  for (size_t i = 0; i < n; i++) dt_put(q, bufs[i], lens[i]);
  return n;
}

int dt_has_ccs(const uint8_t *d, size_t n) {
  size_t off = 0;
  while (off + 13 <= n) {
    if (d[off] == 20) return 1;
    off += 13 + ((size_t)d[off + 11] << 8 | d[off + 12]);
  }
  return 0;
}

void dt_drop_all(tlsw_membuf *q) {
  uint8_t b[2048];
  size_t n;
  while (tlsw_membuf_used(q) > 0 &&
         tlsw_membuf_read(q, b, sizeof b, &n) == TLSW_OK) {
  }
}

size_t dt_first_hello(dt_env *e, uint8_t *buf, size_t cap) {
  assert_int_equal(dt_client_step(e), TLSW_WANT_READ);
  size_t n;
  assert_int_equal(tlsw_membuf_read(e->c2s, buf, cap, &n), TLSW_OK);
  return n;
}
