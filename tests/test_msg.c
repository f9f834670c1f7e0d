/* src/core/trace.c and msg.c: the message trace (tlswrap/msg.h) over real
 * handshakes in memory: what each side reports sending and receiving, in
 * order, for TLS 1.3, TLS 1.2 (also over a transport that takes one byte a
 * call, so every header is split), DTLS 1.2 with its cookie exchange, and
 * an alert; plus the names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ctxs.h"
#include "fault_io.h"
#include "pair.h"
#include "dtls_util.h"

typedef struct trace_log {
  char text[4096];
  int n;
} trace_log;

/* One line per message, "> Handshake ClientHello", "< Alert fatal
 * unknown_ca", "> ApplicationData*" (* encrypted). */
static void on_msg(void *user, const tlsw_msg *m) {
  trace_log *l = user;
  assert_int_equal(m->size, sizeof *m);
  char line[96];
  const char *what =
      m->handshake_type >= 0 ? tlsw_handshake_type_name(m->handshake_type) : "";
  if (m->alert_level >= 0) {
    snprintf(line, sizeof line, "%c Alert %s %s\n", m->sent ? '>' : '<',
             m->alert_level == 2 ? "fatal" : "warning",
             tlsw_alert_name(m->alert_description));
  } else {
    snprintf(line, sizeof line, "%c %s%s%s%s\n", m->sent ? '>' : '<',
             tlsw_content_type_name(m->content_type), what[0] ? " " : "", what,
             m->encrypted ? "*" : "");
  }
  size_t used = strlen(l->text);
  assert_true(used + strlen(line) < sizeof l->text);
  memcpy(l->text + used, line, strlen(line) + 1);
  l->n++;
}

/* haystack holds the lines of want in this order (others may be between). */
static void assert_in_order(const char *haystack, const char *const *want) {
  const char *at = haystack;
  for (size_t i = 0; want[i] != NULL; i++) {
    const char *f = strstr(at, want[i]);
    if (f == NULL)
      fail_msg("missing '%s' (in order) in:\n%s", want[i], haystack);
    at = f + strlen(want[i]);
  }
}

static void trace_tls(tlsw_tls_version v, size_t split, trace_log *cl,
                      trace_log *sl) {
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  set_version(c, v);
  assert_int_equal(tlsw_ctx_set_msg_callback(c, on_msg, cl), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_msg_callback(s, on_msg, sl), TLSW_OK);
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  fault_io fc, fs;
  if (split) {
    fault_io_init(&fc, &p.cli_io, &p.cli_io);
    fault_io_init(&fs, &p.srv_io, &p.srv_io);
    fc.send_cap = fc.recv_cap = fs.send_cap = fs.recv_cap = split;
  }
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  /* With a split transport a write may block part way: repeat it while
   * the server reads what has arrived. */
  size_t n = 0, m = 0;
  char b[8];
  int st;
  for (int i = 0; (st = tlsw_write(p.cli, "ping", 4, &n)) != TLSW_OK; i++) {
    assert_true(st == TLSW_WANT_WRITE && i < 1000);
    (void)tlsw_read(p.srv, b, sizeof b, &m);
  }
  for (int i = 0; (st = tlsw_read(p.srv, b, sizeof b, &m)) != TLSW_OK; i++) {
    assert_true(st == TLSW_WANT_READ && i < 1000);
  }
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

static void tls13(void **state) {
  (void)state;
  static trace_log cl, sl;
  memset(&cl, 0, sizeof cl);
  memset(&sl, 0, sizeof sl);
  trace_tls(TLSW_VERSION_TLS1_3, 0, &cl, &sl);
  static const char *const cwant[] = {
      "> Handshake ClientHello\n", "< Handshake ServerHello\n",
      "< ApplicationData*\n", "> ApplicationData*\n", NULL};
  assert_in_order(cl.text, cwant);
  static const char *const swant[] = {"< Handshake ClientHello\n",
                                      "> Handshake ServerHello\n",
                                      "> ApplicationData*\n", NULL};
  assert_in_order(sl.text, swant);
}

static void tls12(size_t split) {
  static trace_log cl, sl;
  memset(&cl, 0, sizeof cl);
  memset(&sl, 0, sizeof sl);
  trace_tls(TLSW_VERSION_TLS1_2, split, &cl, &sl);
  static const char *const cwant[] = {
      "> Handshake ClientHello\n",     "< Handshake ServerHello\n",
      "< Handshake Certificate\n",     "< Handshake ServerKeyExchange\n",
      "< Handshake ServerHelloDone\n", "> Handshake ClientKeyExchange\n",
      "> ChangeCipherSpec\n",          "> Handshake*\n",
      "< ChangeCipherSpec\n",          "< Handshake*\n",
      "> ApplicationData*\n",          NULL};
  assert_in_order(cl.text, cwant);
  static const char *const swant[] = {
      "< Handshake ClientHello\n", "> Handshake ServerHelloDone\n",
      "< ChangeCipherSpec\n", "< ApplicationData*\n", NULL};
  assert_in_order(sl.text, swant);
}

static void tls12_whole(void **state) {
  (void)state;
  tls12(0);
}

/* Every record and handshake header split across transport calls. */
static void tls12_one_byte_a_call(void **state) {
  (void)state;
  tls12(1);
}

/* A refused certificate: the TLS 1.2 client's alert goes out before its
 * ChangeCipherSpec, so the trace can name it on both sides. */
static void alert(void **state) {
  (void)state;
  static trace_log cl, sl;
  memset(&cl, 0, sizeof cl);
  memset(&sl, 0, sizeof sl);
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT), *s = server_ctx("ec");
  assert_int_equal(tlsw_ctx_load_verify_file(c, fixture("other-ca.pem")),
                   TLSW_OK);
  set_version(c, TLSW_VERSION_TLS1_2);
  assert_int_equal(tlsw_ctx_set_msg_callback(c, on_msg, &cl), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_msg_callback(s, on_msg, &sl), TLSW_OK);
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  assert_int_not_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  assert_non_null(strstr(cl.text, "> Alert fatal unknown_ca\n"));
  assert_non_null(strstr(sl.text, "< Alert fatal unknown_ca\n"));
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

/* DTLS: the HelloVerifyRequest exchange, then epoch-1 records encrypted. */
static void dtls(void **state) {
  (void)state;
  static trace_log cl, sl;
  memset(&cl, 0, sizeof cl);
  memset(&sl, 0, sizeof sl);
  dt_env e;
  dt_init(&e);
  assert_int_equal(tlsw_ctx_set_msg_callback(e.cctx, on_msg, &cl), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_msg_callback(e.sctx, on_msg, &sl), TLSW_OK);
  /* The trace starts with the sessions wrapped after it is set. */
  tlsw_session_free(e.cli);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "localhost";
  o.do_handshake_on_connect = 0;
  assert_int_equal(tlsw_wrap(e.cctx, &e.cli_io, &o, &e.cli), TLSW_OK);
  assert_int_equal(dt_run(&e), TLSW_OK);
  static const char *const cwant[] = {"> Handshake ClientHello\n",
                                      "< Handshake HelloVerifyRequest\n",
                                      "> Handshake ClientHello\n",
                                      "< Handshake ServerHello\n",
                                      "> ChangeCipherSpec\n",
                                      "> Handshake*\n",
                                      "< Handshake*\n",
                                      NULL};
  assert_in_order(cl.text, cwant);
  static const char *const swant[] = {"> Handshake HelloVerifyRequest\n",
                                      "> Handshake ServerHello\n", NULL};
  assert_in_order(sl.text, swant);
  dt_free(&e);
}

static void names_and_args(void **state) {
  (void)state;
  assert_int_equal(tlsw_ctx_set_msg_callback(NULL, on_msg, NULL), TLSW_ERR_ARG);
  assert_string_equal(tlsw_handshake_type_name(1), "ClientHello");
  assert_string_equal(tlsw_handshake_type_name(999), "unknown");
  assert_string_equal(tlsw_alert_name(40), "handshake_failure");
  assert_string_equal(tlsw_alert_name(-1), "unknown_alert");
  assert_string_equal(tlsw_content_type_name(21), "Alert");
  /* Without a callback nothing is traced (and NULL turns it off). */
  tlsw_ctx *c = client_ctx();
  assert_int_equal(tlsw_ctx_set_msg_callback(c, NULL, NULL), TLSW_OK);
  tlsw_ctx_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(tls13),
      cmocka_unit_test(tls12_whole),
      cmocka_unit_test(tls12_one_byte_a_call),
      cmocka_unit_test(alert),
      cmocka_unit_test(dtls),
      cmocka_unit_test(names_and_args),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
