#include "verify_util.h"

#include <stdio.h>

const char *mpath(const char *name) {
  return test_path(TLSW_TEST_MATRIX, name);
}

static tlsw_ctx *setup(tlsw_ctx *c, tlsw_verify_mode mode, const char *stem,
                       tlsw_tls_version max_version) {
  char pem[64], key[64];
  int st = TLSW_OK;
  if (stem != NULL) {
    snprintf(pem, sizeof pem, "%s.pem", stem);
    snprintf(key, sizeof key, "%s.key", stem);
    st = tlsw_ctx_load_cert_chain_file(c, mpath(pem), mpath(key), NULL);
  }
  if (st == TLSW_OK) st = tlsw_ctx_load_verify_file(c, mpath("root.pem"));
  if (st == TLSW_OK) st = tlsw_ctx_set_verify_mode(c, mode);
  if (st == TLSW_OK && max_version != TLSW_VERSION_DEFAULT) {
    st = tlsw_ctx_set_version_range(c, TLSW_VERSION_DEFAULT, max_version);
  }
  if (st != TLSW_OK) {
    fprintf(stderr, "context setup (%s): %s: %s\n", stem ? stem : "-",
            tlsw_status_name(st), tlsw_ctx_message(c));
    tlsw_ctx_free(c);
    return NULL;
  }
  return c;
}

tlsw_ctx *vserver_ctx(const char *stem, tlsw_verify_mode mode,
                      tlsw_tls_version max_version) {
  tlsw_ctx *c;
  if (tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_SERVER) != TLSW_OK) return NULL;
  return setup(c, mode, stem, max_version);
}

tlsw_ctx *vclient_ctx(tlsw_verify_mode mode, const char *client_stem,
                      tlsw_tls_version max_version) {
  tlsw_ctx *c;
  if (tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT) != TLSW_OK) return NULL;
  return setup(c, mode, client_stem, max_version);
}

int vblocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

void vdrive(test_pair *p, int *cs, int *ss) {
  int c = TLSW_WANT_READ, s = TLSW_WANT_READ;
  /* Each round moves at least one flight while progress is possible; 64
   * rounds is far more than any handshake here needs, and bounds the loop
   * when one side waits for data that never comes. */
  for (int round = 0; round < 64; round++) {
    if (vblocked(c)) c = tlsw_handshake(p->cli);
    if (vblocked(s)) s = tlsw_handshake(p->srv);
    if (!vblocked(c) && !vblocked(s)) break;
  }
  /* A side that finished may still have a verdict from its peer in
   * flight (TLS 1.3: the client finishes before the server has checked
   * its certificate). A read surfaces it. */
  char b[16];
  size_t n;
  if (c == TLSW_OK && s != TLSW_OK) {
    int r = tlsw_read(p->cli, b, sizeof b, &n);
    if (!vblocked(r)) c = r;
  }
  if (s == TLSW_OK && c != TLSW_OK) {
    int r = tlsw_read(p->srv, b, sizeof b, &n);
    if (!vblocked(r)) s = r;
  }
  *cs = c;
  *ss = s;
}
