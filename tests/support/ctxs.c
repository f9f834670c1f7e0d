/* The usual test contexts (see ctxs.h). */
#include "ctxs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "pair.h"

tlsw_ctx *new_ctx(tlsw_protocol p) {
  tlsw_ctx *c = NULL;
  assert_int_equal(tlsw_ctx_new(&c, p), TLSW_OK);
  return c;
}

static tlsw_ctx *trusting_ca(tlsw_protocol p) {
  tlsw_ctx *c = new_ctx(p);
  assert_int_equal(tlsw_ctx_load_verify_file(c, fixture("ca.pem")), TLSW_OK);
  return c;
}

static tlsw_ctx *serving(tlsw_protocol p, const char *kind) {
  tlsw_ctx *s = new_ctx(p);
  char cert[64], key[64];
  snprintf(cert, sizeof cert, "server-%s.pem", kind);
  snprintf(key, sizeof key, "server-%s.key", kind);
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s, fixture(cert), fixture(key), NULL),
      TLSW_OK);
  return s;
}

tlsw_ctx *client_ctx(void) {
  return trusting_ca(TLSW_PROTOCOL_TLS_CLIENT);
}

tlsw_ctx *server_ctx(const char *kind) {
  return serving(TLSW_PROTOCOL_TLS_SERVER, kind);
}

tlsw_ctx *dtls_client_ctx(void) {
  return trusting_ca(TLSW_PROTOCOL_DTLS_CLIENT);
}

tlsw_ctx *dtls_server_ctx(void) {
  return serving(TLSW_PROTOCOL_DTLS_SERVER, "ec");
}

/* A DTLS context may reach 1.3 only if its range says so before anything
 * is loaded (docs/dtls.md). */
static tlsw_ctx *dtls13(tlsw_ctx *c) {
  assert_int_equal(
      tlsw_ctx_set_version_range(c, TLSW_VERSION_DEFAULT, TLSW_VERSION_TLS1_3),
      TLSW_OK);
  return c;
}

tlsw_ctx *dtls13_client_ctx(void) {
  tlsw_ctx *c = dtls13(new_ctx(TLSW_PROTOCOL_DTLS_CLIENT));
  assert_int_equal(tlsw_ctx_load_verify_file(c, fixture("ca.pem")), TLSW_OK);
  return c;
}

tlsw_ctx *dtls13_server_ctx(void) {
  tlsw_ctx *s = dtls13(new_ctx(TLSW_PROTOCOL_DTLS_SERVER));
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s, fixture("server-ec.pem"),
                                    fixture("server-ec.key"), NULL),
      TLSW_OK);
  return s;
}

void set_version(tlsw_ctx *c, tlsw_tls_version v) {
  assert_int_equal(tlsw_ctx_set_version_range(c, v, v), TLSW_OK);
}
