/*
 * A supplied current time (tlsw_ctx_set_time, tlsw_ctx_set_time_callback)
 * replaces the system clock for certificate dates, and an unknown time
 * fails verification instead of skipping the dates.
 *
 * The matrix PKI is at most a day old (gen-matrix.sh regenerates it daily):
 * intermediate valid from -90 to +3000 days, "valid" leaf from -1 to +365,
 * "expired" leaf from -60 to -1 days. The offsets below keep a margin of
 * weeks on both sides.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>

#include "verify_util.h"

#define DAY ((int64_t)86400)

static int64_t now(void) {
  return (int64_t)time(NULL);
}

typedef struct clock_cb {
  int64_t value;
  int calls;
} clock_cb;

static int64_t clock_fn(void *user) {
  clock_cb *c = user;
  c->calls++;
  return c->value;
}

typedef struct outcome {
  int cs, ss;
  int info;
  tlsw_cert_reason reason;
  int depth;
  char msg[200];
} outcome;

/* Handshake a client (mode, with the time settings applied by set) against
 * a server serving leaf. */
static void run(const char *leaf, tlsw_verify_mode mode, int64_t fixed,
                clock_cb *cb, outcome *o) {
  tlsw_ctx *s = vserver_ctx(leaf, TLSW_CERT_NONE, TLSW_VERSION_DEFAULT);
  tlsw_ctx *c = vclient_ctx(mode, NULL, TLSW_VERSION_DEFAULT);
  assert_non_null(s);
  assert_non_null(c);
  if (fixed != -1) assert_int_equal(tlsw_ctx_set_time(c, fixed), TLSW_OK);
  if (cb != NULL) {
    assert_int_equal(tlsw_ctx_set_time_callback(c, clock_fn, cb), TLSW_OK);
  }
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "a.example.test"), TLSW_OK);
  vdrive(&p, &o->cs, &o->ss);
  o->info = tlsw_session_verify_info(p.cli, &o->reason, &o->depth);
  strncpy(o->msg, tlsw_session_message(p.cli), sizeof o->msg - 1);
  o->msg[sizeof o->msg - 1] = '\0';
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

static void feature_advertised(void **state) {
  (void)state;
  assert_true(tlsw_backend_features() & TLSW_FEATURE_TIME_SOURCE);
}

static void past_time_makes_valid_leaf_not_yet_valid(void **state) {
  (void)state;
  outcome o;
  run("valid", TLSW_CERT_REQUIRED, now() - 30 * DAY, NULL, &o);
  assert_int_equal(o.cs, TLSW_ERR_CERT_NOT_YET_VALID);
  assert_string_equal(o.msg,
                      "certificate verify failed: certificate is not yet "
                      "valid (depth 0, CN=a.example.test)");
  assert_int_equal(o.reason, TLSW_REASON_NOT_YET_VALID);
  assert_int_equal(o.depth, 0);
  assert_int_equal(o.ss, TLSW_ERR_ALERT);

  /* Far enough back, the intermediate is the first to fail. */
  run("valid", TLSW_CERT_REQUIRED, 946684800 /* 2000-01-01 */, NULL, &o);
  assert_int_equal(o.cs, TLSW_ERR_CERT_NOT_YET_VALID);
  assert_string_equal(o.msg,
                      "certificate verify failed: certificate is not yet "
                      "valid (depth 1, CN=tlswrap matrix intermediate)");
}

static void future_time_makes_valid_leaf_expired(void **state) {
  (void)state;
  outcome o;
  run("valid", TLSW_CERT_REQUIRED, now() + 400 * DAY, NULL, &o);
  assert_int_equal(o.cs, TLSW_ERR_CERT_EXPIRED);
  assert_string_equal(o.msg,
                      "certificate verify failed: certificate has expired "
                      "(depth 0, CN=a.example.test)");
  assert_int_equal(o.depth, 0);
  /* Under OPTIONAL the same is reported, not enforced. */
  run("valid", TLSW_CERT_OPTIONAL, now() + 400 * DAY, NULL, &o);
  assert_int_equal(o.cs, TLSW_OK);
  assert_int_equal(o.info, TLSW_ERR_CERT_EXPIRED);
}

static void supplied_time_replaces_the_clock(void **state) {
  (void)state;
  /* Expired by the system clock, valid at the supplied time: accepted, so
   * the system clock really is out of the decision. */
  outcome o;
  run("expired", TLSW_CERT_REQUIRED, now() - 30 * DAY, NULL, &o);
  assert_int_equal(o.cs, TLSW_OK);
  assert_int_equal(o.info, TLSW_OK);
  /* Only the dates: other failures stay failures. */
  run("untrusted", TLSW_CERT_REQUIRED, now(), NULL, &o);
  assert_int_equal(o.cs, TLSW_ERR_CERT_UNTRUSTED);
  run("badsig", TLSW_CERT_REQUIRED, now(), NULL, &o);
  assert_int_equal(o.cs, TLSW_ERR_CERT_VERIFY);
  assert_int_equal(o.reason, TLSW_REASON_BAD_SIGNATURE);
  run("otherhost", TLSW_CERT_REQUIRED, now(), NULL, &o);
  assert_int_equal(o.cs, TLSW_ERR_CERT_HOSTNAME);
}

static void intermediate_judged_by_supplied_time(void **state) {
  (void)state;
  /* oldint and oldleaf were both valid 275 days ago and are both expired
   * by the clock. wolfSSL judges the intermediate by the clock; with the
   * supplied time tlswrap overrides that verdict, and wolfSSL must still
   * take the intermediate as the leaf's issuer. */
  outcome o;
  run("oldleaf", TLSW_CERT_REQUIRED, -1, NULL, &o);
  assert_int_equal(o.cs, TLSW_ERR_CERT_EXPIRED);
  assert_string_equal(o.msg,
                      "certificate verify failed: certificate has expired "
                      "(depth 1, CN=tlswrap matrix old intermediate)");
  run("oldleaf", TLSW_CERT_REQUIRED, now() - 275 * DAY, NULL, &o);
  assert_int_equal(o.cs, TLSW_OK);
  assert_int_equal(o.info, TLSW_OK);
  /* 350 days ago the intermediate was valid, the leaf not yet. */
  run("oldleaf", TLSW_CERT_REQUIRED, now() - 350 * DAY, NULL, &o);
  assert_int_equal(o.cs, TLSW_ERR_CERT_NOT_YET_VALID);
  assert_int_equal(o.depth, 0);
}

static void callback_per_certificate(void **state) {
  (void)state;
  clock_cb cb = {now(), 0};
  outcome o;
  run("valid", TLSW_CERT_REQUIRED, -1, &cb, &o);
  assert_int_equal(o.cs, TLSW_OK);
  assert_int_equal(cb.calls, 2); /* intermediate, leaf */
  /* The callback wins over a fixed time. */
  cb.calls = 0;
  cb.value = now() + 400 * DAY;
  run("valid", TLSW_CERT_REQUIRED, now(), &cb, &o);
  assert_int_equal(o.cs, TLSW_ERR_CERT_EXPIRED);
  assert_true(cb.calls >= 1);
}

static void unknown_time_fails(void **state) {
  (void)state;
  clock_cb cb = {-1, 0};
  outcome o;
  run("valid", TLSW_CERT_REQUIRED, -1, &cb, &o);
  assert_int_equal(o.cs, TLSW_ERR_CERT_VERIFY);
  assert_string_equal(o.msg,
                      "certificate verify failed: current time unknown, "
                      "cannot check the validity dates (depth 1, "
                      "CN=tlswrap matrix intermediate)");
  assert_int_equal(o.reason, TLSW_REASON_NO_TIME);
  assert_int_equal(o.depth, 1);
  /* OPTIONAL connects and says so. */
  cb.calls = 0;
  run("valid", TLSW_CERT_OPTIONAL, -1, &cb, &o);
  assert_int_equal(o.cs, TLSW_OK);
  assert_int_equal(o.info, TLSW_ERR_CERT_VERIFY);
  assert_int_equal(o.reason, TLSW_REASON_NO_TIME);
  /* NONE never asks. */
  cb.calls = 0;
  run("valid", TLSW_CERT_NONE, -1, &cb, &o);
  assert_int_equal(o.cs, TLSW_OK);
  assert_int_equal(cb.calls, 0);
}

static void server_side(void **state) {
  (void)state;
  /* A server with a supplied time judges client certificates by it. */
  for (int shifted = 0; shifted < 2; shifted++) {
    tlsw_ctx *s =
        vserver_ctx("valid", TLSW_CERT_REQUIRED, TLSW_VERSION_DEFAULT);
    tlsw_ctx *c =
        vclient_ctx(TLSW_CERT_REQUIRED, "client-expired", TLSW_VERSION_DEFAULT);
    if (shifted) {
      assert_int_equal(tlsw_ctx_set_time(s, now() - 30 * DAY), TLSW_OK);
    }
    test_pair p;
    assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
    assert_int_equal(pair_wrap(&p, c, s, "a.example.test"), TLSW_OK);
    int cs, ss;
    vdrive(&p, &cs, &ss);
    assert_int_equal(ss, shifted ? TLSW_OK : TLSW_ERR_CERT_EXPIRED);
    pair_free(&p);
    tlsw_ctx_free(c);
    tlsw_ctx_free(s);
  }
}

static void settings_and_arguments(void **state) {
  (void)state;
  tlsw_ctx *c;
  assert_int_equal(tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_time(NULL, 0), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_time_callback(NULL, clock_fn, NULL),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_set_time(c, -5), TLSW_ERR_ARG);
  assert_string_equal(tlsw_ctx_message(c),
                      "set_time: -5 is not a time (seconds since 1970-01-01 "
                      "UTC, or -1 for the system clock)");
  assert_int_equal(tlsw_ctx_set_time(c, 0), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_time(c, -1), TLSW_OK);
  assert_string_equal(tlsw_ctx_message(c), "");
  assert_int_equal(tlsw_ctx_set_time_callback(c, NULL, NULL), TLSW_OK);
  tlsw_ctx_free(c);

  /* -1 restores the system clock. */
  tlsw_ctx *s = vserver_ctx("valid", TLSW_CERT_NONE, TLSW_VERSION_DEFAULT);
  c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, TLSW_VERSION_DEFAULT);
  assert_int_equal(tlsw_ctx_set_time(c, now() + 400 * DAY), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_time(c, -1), TLSW_OK);
  test_pair p;
  int cs, ss;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "a.example.test"), TLSW_OK);
  vdrive(&p, &cs, &ss);
  assert_int_equal(cs, TLSW_OK);
  pair_free(&p);

  /* A session keeps the settings it was wrapped with. */
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "a.example.test"), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_time(c, now() + 400 * DAY), TLSW_OK);
  vdrive(&p, &cs, &ss);
  assert_int_equal(cs, TLSW_OK);
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(feature_advertised),
      cmocka_unit_test(past_time_makes_valid_leaf_not_yet_valid),
      cmocka_unit_test(future_time_makes_valid_leaf_expired),
      cmocka_unit_test(supplied_time_replaces_the_clock),
      cmocka_unit_test(intermediate_judged_by_supplied_time),
      cmocka_unit_test(callback_per_certificate),
      cmocka_unit_test(unknown_time_fails),
      cmocka_unit_test(server_side),
      cmocka_unit_test(settings_and_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
