#include "pair.h"

#include <stdio.h>
#include <string.h>

int pair_init(test_pair *p, size_t cap, int datagram) {
  memset(p, 0, sizeof *p);
  int st = tlsw_membuf_new(&p->c2s, cap, datagram);
  if (st == TLSW_OK) st = tlsw_membuf_new(&p->s2c, cap, datagram);
  if (st == TLSW_OK) st = tlsw_memio_init(&p->cio, p->s2c, p->c2s, &p->cli_io);
  if (st == TLSW_OK) st = tlsw_memio_init(&p->sio, p->c2s, p->s2c, &p->srv_io);
  return st;
}

int pair_wrap(test_pair *p, tlsw_ctx *cctx, tlsw_ctx *sctx,
              const char *hostname) {
  tlsw_wrap_opts co = TLSW_WRAP_OPTS_INIT, so = TLSW_WRAP_OPTS_INIT;
  co.do_handshake_on_connect = 0;
  co.server_hostname = hostname;
  so.do_handshake_on_connect = 0;
  static const uint8_t cid[] = "test-client";
  so.client_id = cid;
  so.client_id_len = sizeof cid - 1;
  int st = tlsw_wrap(cctx, &p->cli_io, &co, &p->cli);
  if (st != TLSW_OK) return st;
  return tlsw_wrap(sctx, &p->srv_io, &so, &p->srv);
}

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

int pair_handshake(test_pair *p, int *cli_st, int *srv_st) {
  int cs = TLSW_WANT_READ, ss = TLSW_WANT_READ;
  for (int round = 0; round < 10000; round++) {
    if (cs != TLSW_OK) cs = tlsw_handshake(p->cli);
    if (ss != TLSW_OK) ss = tlsw_handshake(p->srv);
    if ((cs == TLSW_OK && ss == TLSW_OK) || (!blocked(cs) && cs != TLSW_OK) ||
        (!blocked(ss) && ss != TLSW_OK)) {
      break;
    }
  }
  if (cli_st) *cli_st = cs;
  if (srv_st) *srv_st = ss;
  if (cs != TLSW_OK && !blocked(cs)) return cs;
  if (ss != TLSW_OK && !blocked(ss)) return ss;
  if (cs != TLSW_OK) return cs;
  return ss;
}

void pair_free(test_pair *p) {
  tlsw_session_free(p->cli);
  tlsw_session_free(p->srv);
  tlsw_membuf_free(p->c2s);
  tlsw_membuf_free(p->s2c);
  memset(p, 0, sizeof *p);
}

const char *test_path(const char *dir, const char *name) {
  /* A few rotating buffers, so one call's result survives the next ones
   * in the same argument list. */
  static char paths[8][1024];
  static unsigned next;
  char *path = paths[next++ % 8];
  snprintf(path, sizeof paths[0], "%s/%s", dir, name);
  return path;
}

const char *fixture(const char *name) {
  return test_path(TLSW_TEST_CERTS, name);
}
