/* Server SNI (core/sni.c, backend/wolfssl/sni.c) between two tlswrap
 * sessions in memory: the chain presented for an exact name, a wildcard,
 * no name; exact before wildcard; the callback choosing, refusing (the
 * unrecognized_name alert on both sides) and seeing no name; the names
 * both sessions report; and every argument refused. The server's default
 * chain is RSA and the added ones EC, so the certificate received tells
 * which was chosen. Interop (openssl s_client -servername) is
 * tests/cli/sni.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ctxs.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"

typedef struct run {
  test_pair p;
  int cst, sst;
} run;

/* Handshake a client (verify NONE unless verify) asking for host. */
static void shake(run *r, tlsw_ctx *srv, const char *host, int verify) {
  tlsw_ctx *c = client_ctx();
  if (!verify) {
    assert_int_equal(tlsw_ctx_set_verify_mode(c, TLSW_CERT_NONE), TLSW_OK);
  }
  assert_int_equal(pair_init(&r->p, 32768, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&r->p, c, srv, host), TLSW_OK);
  tlsw_ctx_free(c); /* the session keeps it */
  pair_handshake(&r->p, &r->cst, &r->sst);
}

/* 'E' when the server presented an EC certificate, 'R' for RSA. */
static char key_kind(const tlsw_session *cli) {
  const uint8_t *der;
  size_t len;
  assert_int_equal(tlsw_session_peer_cert(cli, &der, &len), TLSW_OK);
  static const uint8_t ec_oid[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
  for (size_t i = 0; i + sizeof ec_oid <= len; i++) {
    if (memcmp(der + i, ec_oid, sizeof ec_oid) == 0) return 'E';
  }
  return 'R';
}

static char chosen(tlsw_ctx *srv, const char *host, const char *want_name) {
  run r;
  shake(&r, srv, host, 0);
  assert_int_equal(r.cst, TLSW_OK);
  assert_int_equal(r.sst, TLSW_OK);
  if (want_name == NULL) {
    assert_null(tlsw_session_server_name(r.p.srv));
  } else {
    assert_string_equal(tlsw_session_server_name(r.p.srv), want_name);
  }
  char k = key_kind(r.p.cli);
  pair_free(&r.p);
  return k;
}

static tlsw_ctx *rsa_server_with(const char *name) {
  tlsw_ctx *s = server_ctx("rsa");
  tlsw_ctx *ec = server_ctx("ec");
  assert_int_equal(tlsw_ctx_add_server_name(s, name, ec), TLSW_OK);
  tlsw_ctx_free(ec); /* s holds a reference */
  return s;
}

static void exact_wildcard_none(void **state) {
  (void)state;
  tlsw_ctx *s = rsa_server_with("*.example.test");
  tlsw_ctx *rsa = server_ctx("rsa");
  /* Added after the wildcard, still chosen first: exact beats wildcard. */
  assert_int_equal(tlsw_ctx_add_server_name(s, "a.example.test", rsa), TLSW_OK);
  tlsw_ctx_free(rsa);
  tlsw_ctx *ec = server_ctx("ec");
  assert_int_equal(tlsw_ctx_add_server_name(s, "LocalHost", ec), TLSW_OK);
  tlsw_ctx_free(ec);
  assert_int_equal(chosen(s, "b.example.test", "b.example.test"), 'E');
  assert_int_equal(chosen(s, "a.example.test", "a.example.test"), 'R');
  assert_int_equal(chosen(s, "x.y.example.test", "x.y.example.test"), 'R');
  assert_int_equal(chosen(s, "other.test", "other.test"), 'R');
  /* An IP literal travels without SNI: the default chain. */
  assert_int_equal(chosen(s, "127.0.0.1", NULL), 'R');
  /* Verified end to end: the EC chain is valid for localhost. */
  run r;
  shake(&r, s, "localhost", 1);
  assert_int_equal(r.cst, TLSW_OK);
  assert_int_equal(key_kind(r.p.cli), 'E');
  assert_string_equal(tlsw_session_server_name(r.p.cli), "localhost");
  assert_string_equal(tlsw_session_server_name(r.p.srv), "localhost");
  pair_free(&r.p);
  tlsw_ctx_free(s);
}

typedef struct cb_state {
  tlsw_ctx *chain;
  int calls, saw_null;
  char last[64];
} cb_state;

static int pick(void *user, const char *name, tlsw_ctx **chain) {
  cb_state *st = user;
  st->calls++;
  if (name == NULL) {
    st->saw_null++;
    return TLSW_OK;
  }
  snprintf(st->last, sizeof st->last, "%s", name);
  if (strcmp(name, "bad.test") == 0) return -1;
  if (strcmp(name, "cb.test") == 0) *chain = st->chain;
  return TLSW_OK;
}

static void callback_decides(void **state) {
  (void)state;
  cb_state st = {server_ctx("ec"), 0, 0, ""};
  tlsw_ctx *s = rsa_server_with("named.test");
  assert_int_equal(tlsw_ctx_set_sni_callback(s, pick, &st), TLSW_OK);
  assert_int_equal(chosen(s, "named.test", "named.test"), 'E');
  assert_int_equal(st.calls, 0); /* an added name needs no callback */
  assert_int_equal(chosen(s, "cb.test", "cb.test"), 'E');
  assert_string_equal(st.last, "cb.test");
  assert_int_equal(chosen(s, "else.test", "else.test"), 'R');
  assert_int_equal(chosen(s, "127.0.0.1", NULL), 'R');
  assert_int_equal(st.saw_null, 1);
  run r;
  shake(&r, s, "bad.test", 0);
  assert_int_equal(r.sst, TLSW_ERR_HANDSHAKE);
  assert_non_null(strstr(tlsw_session_message(r.p.srv), "'bad.test'"));
  assert_non_null(strstr(tlsw_session_message(r.p.srv), "unrecognized_name"));
  if (r.cst == TLSW_WANT_READ) r.cst = tlsw_handshake(r.p.cli);
  assert_int_equal(r.cst, TLSW_ERR_ALERT);
  assert_non_null(strstr(tlsw_session_message(r.p.cli), "unrecognized_name"));
  pair_free(&r.p);
  /* Removing the callback: unknown names get the default chain again. */
  assert_int_equal(tlsw_ctx_set_sni_callback(s, NULL, NULL), TLSW_OK);
  assert_int_equal(chosen(s, "bad.test", "bad.test"), 'R');
  tlsw_ctx_free(st.chain);
  tlsw_ctx_free(s);
}

static void tls12_too(void **state) {
  (void)state;
  tlsw_ctx *s = rsa_server_with("localhost");
  tlsw_ctx *c = client_ctx();
  set_version(c, TLSW_VERSION_TLS1_2);
  run r;
  assert_int_equal(pair_init(&r.p, 32768, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&r.p, c, s, "localhost"), TLSW_OK);
  pair_handshake(&r.p, &r.cst, &r.sst);
  assert_int_equal(r.cst, TLSW_OK);
  assert_string_equal(tlsw_session_version(r.p.cli), "TLSv1.2");
  assert_int_equal(key_kind(r.p.cli), 'E');
  assert_string_equal(tlsw_session_server_name(r.p.srv), "localhost");
  pair_free(&r.p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

/* The other way round: an EC default, an RSA chain for one name. The
 * session's signature algorithms must follow the chain switched in
 * (found through the MicroPython module). */
static void rsa_chain_on_ec_server(void **state) {
  (void)state;
  for (int v = 0; v < 2; v++) {
    tlsw_ctx *s = server_ctx("ec"), *rsa = server_ctx("rsa");
    assert_int_equal(tlsw_ctx_add_server_name(s, "localhost", rsa), TLSW_OK);
    tlsw_ctx_free(rsa);
    tlsw_ctx *c = client_ctx();
    if (v == 1) set_version(c, TLSW_VERSION_TLS1_2);
    run r;
    assert_int_equal(pair_init(&r.p, 32768, 0), TLSW_OK);
    assert_int_equal(pair_wrap(&r.p, c, s, "localhost"), TLSW_OK);
    pair_handshake(&r.p, &r.cst, &r.sst);
    assert_int_equal(r.sst, TLSW_OK);
    assert_int_equal(r.cst, TLSW_OK);
    assert_int_equal(key_kind(r.p.cli), 'R');
    pair_free(&r.p);
    tlsw_ctx_free(c);
    tlsw_ctx_free(s);
  }
}

static void arguments_refused(void **state) {
  (void)state;
  tlsw_ctx *s = server_ctx("rsa");
  tlsw_ctx *ec = server_ctx("ec");
  tlsw_ctx *cli = client_ctx();
  tlsw_ctx *bare = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  tlsw_ctx *dtls = dtls_server_ctx();
  assert_int_equal(tlsw_ctx_add_server_name(NULL, "a.test", ec), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_add_server_name(s, NULL, ec), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_add_server_name(s, "a.test", NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_add_server_name(cli, "a.test", ec), TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(cli), "not a server"));
  assert_int_equal(tlsw_ctx_add_server_name(s, "a.test", cli), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_add_server_name(s, "a.test", bare), TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(s), "no certificate chain"));
  assert_int_equal(tlsw_ctx_add_server_name(s, "a.test", dtls), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_add_server_name(s, "a.test", s), TLSW_ERR_ARG);
  char longname[300];
  memset(longname, 'a', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  static const char *const bad[] = {
      "",         "a..test",   ".a.test", "a.test.",  "*.test",    "*a.b.test",
      "a_b.test", "127.0.0.1", "::1",     "a b.test", "*.*.b.test"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(tlsw_ctx_add_server_name(s, bad[i], ec), TLSW_ERR_ARG);
    assert_non_null(strstr(tlsw_ctx_message(s), "not a DNS name"));
  }
  assert_int_equal(tlsw_ctx_add_server_name(s, longname, ec), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_add_server_name(s, "a.test", ec), TLSW_OK);
  assert_int_equal(tlsw_ctx_add_server_name(s, "A.Test", ec), TLSW_ERR_ARG);
  assert_non_null(strstr(tlsw_ctx_message(s), "added already"));
  assert_int_equal(tlsw_ctx_set_sni_callback(cli, pick, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_sni_callback(NULL, pick, NULL), TLSW_ERR_ARG);
  assert_null(tlsw_session_server_name(NULL));
  tlsw_ctx *list[] = {s, ec, cli, bare, dtls};
  for (size_t i = 0; i < 5; i++) tlsw_ctx_free(list[i]);
}

int main(void) {
  if (!(tlsw_backend_features() & TLSW_FEATURE_SERVER_SNI)) {
    printf("skipped: no TLSW_FEATURE_SERVER_SNI in this build\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(exact_wildcard_none),
      cmocka_unit_test(callback_decides),
      cmocka_unit_test(tls12_too),
      cmocka_unit_test(rsa_chain_on_ec_server),
      cmocka_unit_test(arguments_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
