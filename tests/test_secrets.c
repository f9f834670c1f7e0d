/* The key log and the exporter (core/secrets.c, backend/wolfssl/secrets.c)
 * between two tlswrap sessions in memory: both ends log the same lines and
 * export the same bytes, the context changes what TLS 1.2 exports, and
 * every misuse gets its status. That the lines and bytes are what OpenSSL
 * computes for the same connection is tests/cli/keylog.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctxs.h"
#include "dtls_util.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"

typedef struct keylog {
  char lines[8][260];
  int n;
} keylog;

static void collect(void *user, const char *line) {
  keylog *k = user;
  if (k->n < 8) snprintf(k->lines[k->n], sizeof k->lines[0], "%s", line);
  k->n++;
}

static int cmp(const void *a, const void *b) {
  return strcmp(a, b);
}

static void open_pair(test_pair *p, tlsw_ctx *c, tlsw_ctx *s, int datagram) {
  int cst, sst;
  assert_int_equal(pair_init(p, 65536, datagram), TLSW_OK);
  assert_int_equal(pair_wrap(p, c, s, "localhost"), TLSW_OK);
  pair_handshake(p, &cst, &sst);
  assert_int_equal(cst, TLSW_OK);
  assert_int_equal(sst, TLSW_OK);
}

static void keylog_both_ends(tlsw_tls_version v, int want) {
  if (!(tlsw_backend_features() & TLSW_FEATURE_KEYLOG)) {
    tlsw_ctx *c = client_ctx();
    assert_int_equal(tlsw_ctx_set_keylog_callback(c, collect, NULL),
                     TLSW_ERR_UNSUPPORTED);
    assert_non_null(strstr(tlsw_ctx_message(c), "HAVE_SECRET_CALLBACK"));
    assert_int_equal(tlsw_ctx_set_keylog_callback(c, NULL, NULL), TLSW_OK);
    tlsw_ctx_free(c);
    skip();
  }
  keylog kc = {{{0}}, 0}, ks = {{{0}}, 0};
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  set_version(c, v);
  assert_int_equal(tlsw_ctx_set_keylog_callback(c, collect, &kc), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_keylog_callback(s, collect, &ks), TLSW_OK);
  test_pair p;
  open_pair(&p, c, s, 0);
  assert_int_equal(kc.n, want);
  assert_int_equal(ks.n, want);
  qsort(kc.lines, (size_t)want, sizeof kc.lines[0], cmp);
  qsort(ks.lines, (size_t)want, sizeof ks.lines[0], cmp);
  for (int i = 0; i < want; i++) {
    assert_string_equal(kc.lines[i], ks.lines[i]);
    /* LABEL, 64 hex digits of client random, then the secret. */
    const char *sp = strchr(kc.lines[i], ' ');
    assert_non_null(sp);
    assert_int_equal(sp[65], ' ');
    assert_true(strlen(sp + 66) == 64 || strlen(sp + 66) == 96);
  }
  if (v == TLSW_VERSION_TLS1_2) {
    assert_memory_equal(kc.lines[0], "CLIENT_RANDOM ", 14);
  } else {
    assert_memory_equal(kc.lines[0], "CLIENT_HANDSHAKE_TRAFFIC_SECRET ", 32);
    assert_memory_equal(kc.lines[2], "EXPORTER_SECRET ", 16);
  }
  /* Keeping the secrets for the log does not make a session export. */
  uint8_t out[16];
  assert_int_equal(tlsw_session_export_keying_material(
                       p.cli, "EXPERIMENTAL t", NULL, 0, out, sizeof out),
                   TLSW_ERR_STATE);
  assert_non_null(strstr(tlsw_session_message(p.cli), "set_exporter"));
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

static void keylog_tls13(void **state) {
  (void)state;
  keylog_both_ends(TLSW_VERSION_TLS1_3, 5);
}

static void keylog_tls12(void **state) {
  (void)state;
  keylog_both_ends(TLSW_VERSION_TLS1_2, 1);
}

static void export_matches(tlsw_ctx *c, tlsw_ctx *s, int datagram,
                           int context_matters) {
  assert_int_equal(tlsw_ctx_set_exporter(c, 1), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_exporter(s, 1), TLSW_OK);
  test_pair p;
  open_pair(&p, c, s, datagram);
  uint8_t a[48], b[48], none[48], empty[48];
  const uint8_t ctxb[] = {1, 2, 3};
  assert_int_equal(tlsw_session_export_keying_material(p.cli, "EXPERIMENTAL t",
                                                       ctxb, 3, a, sizeof a),
                   TLSW_OK);
  assert_int_equal(tlsw_session_export_keying_material(p.srv, "EXPERIMENTAL t",
                                                       ctxb, 3, b, sizeof b),
                   TLSW_OK);
  assert_memory_equal(a, b, sizeof a);
  assert_int_equal(tlsw_session_export_keying_material(p.cli, "EXPERIMENTAL u",
                                                       ctxb, 3, b, sizeof b),
                   TLSW_OK);
  assert_memory_not_equal(a, b, sizeof a);
  assert_int_equal(tlsw_session_export_keying_material(
                       p.cli, "EXPERIMENTAL t", NULL, 0, none, sizeof none),
                   TLSW_OK);
  assert_int_equal(tlsw_session_export_keying_material(
                       p.cli, "EXPERIMENTAL t", ctxb, 0, empty, sizeof empty),
                   TLSW_OK);
  /* RFC 5705 4: with TLS 1.2 "no context" and "empty context" differ;
   * RFC 8446 7.5 makes them one. */
  if (context_matters) {
    assert_memory_not_equal(none, empty, sizeof none);
  } else {
    assert_memory_equal(none, empty, sizeof none);
  }
  /* After our close_notify the secrets are still there. */
  tlsw_shutdown(p.cli);
  assert_int_equal(tlsw_session_export_keying_material(p.cli, "EXPERIMENTAL t",
                                                       ctxb, 3, b, sizeof b),
                   TLSW_OK);
  assert_memory_equal(a, b, sizeof a);
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

static void export_tls13(void **state) {
  (void)state;
  export_matches(client_ctx(), server_ctx("ec"), 0, 0);
}

static void export_tls12(void **state) {
  (void)state;
  tlsw_ctx *c = client_ctx();
  set_version(c, TLSW_VERSION_TLS1_2);
  export_matches(c, server_ctx("ec"), 0, 1);
}

/* DTLS 1.2 through the cookie exchange (dtls_util): the server session
 * that completes is the one wrapped after the HelloVerifyRequest. */
static void export_dtls(void **state) {
  (void)state;
  dt_env e;
  dt_init(&e);
  assert_int_equal(tlsw_ctx_set_exporter(e.cctx, 1), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_exporter(e.sctx, 1), TLSW_OK);
  /* DTLS 1.2 logs one CLIENT_RANDOM line, as TLS 1.2 does. */
  keylog kl = {{{0}}, 0};
  int logs = (tlsw_backend_features() & TLSW_FEATURE_KEYLOG) != 0;
  if (logs) {
    assert_int_equal(tlsw_ctx_set_keylog_callback(e.cctx, collect, &kl),
                     TLSW_OK);
  }
  /* dt_init wrapped the client before the exporter was on: again. */
  tlsw_session_free(e.cli);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = "localhost";
  assert_int_equal(tlsw_wrap(e.cctx, &e.cli_io, &o, &e.cli), TLSW_OK);
  assert_int_equal(dt_run(&e), TLSW_OK);
  assert_true(e.hello_verify);
  uint8_t a[32], b[32], none[32], empty[32];
  assert_int_equal(tlsw_session_export_keying_material(
                       e.cli, "EXTRACTOR-dtls_srtp", NULL, 0, a, sizeof a),
                   TLSW_OK);
  assert_int_equal(tlsw_session_export_keying_material(
                       e.srv, "EXTRACTOR-dtls_srtp", NULL, 0, b, sizeof b),
                   TLSW_OK);
  assert_memory_equal(a, b, sizeof a);
  if (logs) {
    assert_int_equal(kl.n, 1);
    assert_memory_equal(kl.lines[0], "CLIENT_RANDOM ", 14);
  }
  memcpy(none, a, sizeof none);
  assert_int_equal(tlsw_session_export_keying_material(
                       e.cli, "EXTRACTOR-dtls_srtp", (const uint8_t *)"", 0,
                       empty, sizeof empty),
                   TLSW_OK);
  assert_memory_not_equal(none, empty, sizeof none);
  dt_free(&e);
}

static void export_misuse(void **state) {
  (void)state;
  uint8_t out[32];
  assert_int_equal(
      tlsw_session_export_keying_material(NULL, "x", NULL, 0, out, sizeof out),
      TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_exporter(NULL, 1), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_keylog_callback(NULL, NULL, NULL),
                   TLSW_ERR_ARG);
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  assert_int_equal(tlsw_ctx_set_exporter(c, 1), TLSW_OK);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  /* Before the handshake there is nothing to export from. */
  memset(out, 0x5a, sizeof out);
  assert_int_equal(tlsw_session_export_keying_material(p.cli, "EXPERIMENTAL t",
                                                       NULL, 0, out, 16),
                   TLSW_ERR_STATE);
  assert_non_null(strstr(tlsw_session_message(p.cli), "not completed"));
  assert_int_equal(out[0], 0x5a);
  int cst, sst;
  pair_handshake(&p, &cst, &sst);
  assert_int_equal(cst, TLSW_OK);
  static const struct {
    const char *label;
    const uint8_t *ctx;
    size_t ctx_len, len;
    const char *says;
  } bad[] = {
      {NULL, NULL, 0, 16, "label is NULL"},
      {"", NULL, 0, 16, "label is NULL or empty"},
      {"master secret", NULL, 0, 16, "TLS itself uses"},
      {"key expansion", NULL, 0, 16, "TLS itself uses"},
      {"EXPERIMENTAL t", NULL, 0, 0, "out_len"},
      {"EXPERIMENTAL t", NULL, 0, 16385, "out_len"},
      {"EXPERIMENTAL t", NULL, 3, 16, "context_len"},
      {"EXPERIMENTAL t", (const uint8_t *)"x", 65536, 16, "context_len"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(
        tlsw_session_export_keying_material(p.cli, bad[i].label, bad[i].ctx,
                                            bad[i].ctx_len, out, bad[i].len),
        TLSW_ERR_ARG);
    assert_non_null(strstr(tlsw_session_message(p.cli), bad[i].says));
  }
  assert_int_equal(tlsw_session_export_keying_material(p.cli, "EXPERIMENTAL t",
                                                       NULL, 0, NULL, 16),
                   TLSW_ERR_ARG);
  /* The server's context did not enable it. */
  assert_int_equal(tlsw_session_export_keying_material(p.srv, "EXPERIMENTAL t",
                                                       NULL, 0, out, 16),
                   TLSW_ERR_STATE);
  assert_non_null(strstr(tlsw_session_message(p.srv), "set_exporter"));
  /* A misuse does not hurt the session. */
  assert_int_equal(tlsw_session_export_keying_material(p.cli, "EXPERIMENTAL t",
                                                       NULL, 0, out, 16),
                   TLSW_OK);
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(keylog_tls13), cmocka_unit_test(keylog_tls12),
      cmocka_unit_test(export_tls13), cmocka_unit_test(export_tls12),
      cmocka_unit_test(export_dtls),  cmocka_unit_test(export_misuse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
