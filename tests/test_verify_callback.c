/*
 * tlsw_ctx_set_verify_callback(): called once per certificate the peer
 * sent, deepest first, with tlswrap's verdict as preverify_ok; non-zero
 * rejects (TLSW_ERR_CERT_REJECTED, even under CERT_OPTIONAL); returning 0
 * cannot accept what verification refused under CERT_REQUIRED. Client side
 * (server certificates) and server side (client certificates).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify_util.h"

#define MAX_CALLS 8

typedef struct rec {
  int calls;
  int depth[MAX_CALLS];
  int pre[MAX_CALLS];
  size_t len[MAX_CALLS];
  uint8_t der0[4096]; /* the depth-0 certificate */
  size_t der0_len;
  int reject_depth; /* reject at this depth, -1 never */
} rec;

static int record_cb(void *user, const uint8_t *der, size_t der_len, int depth,
                     int preverify_ok) {
  rec *r = user;
  if (r->calls < MAX_CALLS) {
    r->depth[r->calls] = depth;
    r->pre[r->calls] = preverify_ok;
    r->len[r->calls] = der_len;
  }
  r->calls++;
  if (depth == 0 && der_len <= sizeof r->der0) {
    memcpy(r->der0, der, der_len);
    r->der0_len = der_len;
  }
  return depth == r->reject_depth;
}

static void rec_init(rec *r, int reject_depth) {
  memset(r, 0, sizeof *r);
  r->reject_depth = reject_depth;
}

static size_t read_file(const char *path, uint8_t *buf, size_t max) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  size_t n = fread(buf, 1, max, f);
  fclose(f);
  return n;
}

/* One client/server handshake; the callback goes on the verifying side. */
typedef struct run {
  test_pair p;
  tlsw_ctx *c, *s;
  int cs, ss;
} run;

static void run_client(run *x, const char *leaf, const char *host,
                       tlsw_verify_mode mode, rec *r) {
  x->s = vserver_ctx(leaf, TLSW_CERT_NONE, TLSW_VERSION_DEFAULT);
  x->c = vclient_ctx(mode, NULL, TLSW_VERSION_DEFAULT);
  assert_non_null(x->s);
  assert_non_null(x->c);
  if (r != NULL) {
    assert_int_equal(tlsw_ctx_set_verify_callback(x->c, record_cb, r), TLSW_OK);
  }
  assert_int_equal(pair_init(&x->p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&x->p, x->c, x->s, host), TLSW_OK);
  vdrive(&x->p, &x->cs, &x->ss);
}

static void run_free(run *x) {
  pair_free(&x->p);
  tlsw_ctx_free(x->c);
  tlsw_ctx_free(x->s);
}

static void order_deepest_first(void **state) {
  (void)state;
  rec r;
  rec_init(&r, -1);
  run x;
  run_client(&x, "valid", "a.example.test", TLSW_CERT_REQUIRED, &r);
  assert_int_equal(x.cs, TLSW_OK);
  /* The server sends leaf + intermediate; the trusted root is not sent,
   * so it is not among the calls. */
  assert_int_equal(r.calls, 2);
  assert_int_equal(r.depth[0], 1);
  assert_int_equal(r.depth[1], 0);
  assert_int_equal(r.pre[0], 1);
  assert_int_equal(r.pre[1], 1);
  /* The DER at depth 0 is the leaf the server serves, and the peer cert. */
  uint8_t want[4096];
  size_t wl = read_file(mpath("valid.der"), want, sizeof want);
  assert_int_equal(r.der0_len, wl);
  assert_memory_equal(r.der0, want, wl);
  const uint8_t *peer;
  size_t pl;
  assert_int_equal(tlsw_session_peer_cert(x.p.cli, &peer, &pl), TLSW_OK);
  assert_int_equal(pl, wl);
  assert_memory_equal(peer, want, wl);
  run_free(&x);

  /* Three certificates sent: depths 2, 1, 0 in that order. */
  rec_init(&r, -1);
  run_client(&x, "nonca", "a.example.test", TLSW_CERT_OPTIONAL, &r);
  assert_int_equal(x.cs, TLSW_OK);
  assert_int_equal(r.calls, 3);
  assert_int_equal(r.depth[0], 2);
  assert_int_equal(r.depth[1], 1);
  assert_int_equal(r.depth[2], 0);
  /* The non-CA issuer verified as a certificate; its child cannot. */
  assert_int_equal(r.pre[2], 0);
  run_free(&x);
}

static void reject_intermediate(void **state) {
  (void)state;
  tlsw_verify_mode modes[] = {TLSW_CERT_REQUIRED, TLSW_CERT_OPTIONAL};
  for (int i = 0; i < 2; i++) {
    rec r;
    rec_init(&r, 1);
    run x;
    run_client(&x, "valid", "a.example.test", modes[i], &r);
    /* Rejection ends the handshake even under OPTIONAL. */
    assert_int_equal(x.cs, TLSW_ERR_CERT_REJECTED);
    assert_string_equal(tlsw_session_message(x.p.cli),
                        "certificate verify failed: rejected by the verify "
                        "callback (depth 1, CN=tlswrap matrix intermediate)");
    assert_int_equal(r.calls, 1); /* nothing after the rejection */
    tlsw_cert_reason reason;
    int depth;
    assert_int_equal(tlsw_session_verify_info(x.p.cli, &reason, &depth),
                     TLSW_ERR_CERT_REJECTED);
    assert_int_equal(reason, TLSW_REASON_REJECTED);
    assert_int_equal(depth, 1);
    assert_int_equal(x.ss, TLSW_ERR_ALERT);
    assert_string_equal(tlsw_session_message(x.p.srv),
                        "peer sent alert: bad_certificate (42)");
    /* Sticky: a later read returns the same status without I/O. */
    char b[4];
    size_t n;
    assert_int_equal(tlsw_read(x.p.cli, b, sizeof b, &n),
                     TLSW_ERR_CERT_REJECTED);
    run_free(&x);
  }
}

static void reject_leaf_after_other_failure(void **state) {
  (void)state;
  /* OPTIONAL: the hostname failure is recorded first; the callback sees
   * preverify 0 and rejects: the rejection is what ends it. */
  rec r;
  rec_init(&r, 0);
  run x;
  run_client(&x, "otherhost", "a.example.test", TLSW_CERT_OPTIONAL, &r);
  assert_int_equal(r.calls, 2);
  assert_int_equal(r.pre[1], 0);
  assert_int_equal(x.cs, TLSW_ERR_CERT_REJECTED);
  assert_string_equal(tlsw_session_message(x.p.cli),
                      "certificate verify failed: rejected by the verify "
                      "callback (depth 0, CN=other.example.test)");
  run_free(&x);
}

static void preverify_reflects_our_checks(void **state) {
  (void)state;
  /* OPTIONAL + accepting callback: the callback learns of the hostname
   * mismatch (our own check) through preverify_ok, and the result stays
   * visible afterwards. */
  rec r;
  rec_init(&r, -1);
  run x;
  run_client(&x, "otherhost", "a.example.test", TLSW_CERT_OPTIONAL, &r);
  assert_int_equal(x.cs, TLSW_OK);
  assert_int_equal(r.calls, 2);
  assert_int_equal(r.pre[0], 1);
  assert_int_equal(r.pre[1], 0);
  assert_int_equal(tlsw_session_verify_result(x.p.cli), TLSW_ERR_CERT_HOSTNAME);
  run_free(&x);

  /* Same for the key size floor. */
  rec_init(&r, -1);
  run_client(&x, "weak", "a.example.test", TLSW_CERT_OPTIONAL, &r);
  assert_int_equal(x.cs, TLSW_OK);
  assert_int_equal(r.pre[1], 0);
  assert_int_equal(tlsw_session_verify_result(x.p.cli), TLSW_ERR_CERT_WEAK_KEY);
  run_free(&x);
}

static void cannot_override_required(void **state) {
  (void)state;
  /* Returning 0 ("accept") does not turn a failure into success. */
  rec r;
  rec_init(&r, -1);
  run x;
  run_client(&x, "expired", "a.example.test", TLSW_CERT_REQUIRED, &r);
  assert_int_equal(x.cs, TLSW_ERR_CERT_EXPIRED);
  assert_int_equal(r.calls, 2);
  assert_int_equal(r.pre[1], 0);
  run_free(&x);
}

static void not_called_under_none(void **state) {
  (void)state;
  rec r;
  rec_init(&r, 0); /* would reject if it were called */
  run x;
  run_client(&x, "valid", "a.example.test", TLSW_CERT_NONE, &r);
  assert_int_equal(x.cs, TLSW_OK);
  assert_int_equal(r.calls, 0);
  run_free(&x);
}

static void removed_with_null(void **state) {
  (void)state;
  rec r;
  rec_init(&r, 0);
  run x;
  x.s = vserver_ctx("valid", TLSW_CERT_NONE, TLSW_VERSION_DEFAULT);
  x.c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, TLSW_VERSION_DEFAULT);
  assert_int_equal(tlsw_ctx_set_verify_callback(x.c, record_cb, &r), TLSW_OK);
  assert_int_equal(tlsw_ctx_set_verify_callback(x.c, NULL, NULL), TLSW_OK);
  assert_int_equal(pair_init(&x.p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&x.p, x.c, x.s, "a.example.test"), TLSW_OK);
  vdrive(&x.p, &x.cs, &x.ss);
  assert_int_equal(x.cs, TLSW_OK);
  assert_int_equal(r.calls, 0);
  run_free(&x);
  assert_int_equal(tlsw_ctx_set_verify_callback(NULL, record_cb, &r),
                   TLSW_ERR_ARG);
}

static void server_side(void **state) {
  (void)state;
  for (int reject = 0; reject < 2; reject++) {
    rec r;
    rec_init(&r, reject ? 0 : -1);
    run x;
    x.s = vserver_ctx("valid", TLSW_CERT_REQUIRED, TLSW_VERSION_DEFAULT);
    x.c = vclient_ctx(TLSW_CERT_REQUIRED, "client-valid", TLSW_VERSION_DEFAULT);
    assert_int_equal(tlsw_ctx_set_verify_callback(x.s, record_cb, &r), TLSW_OK);
    assert_int_equal(pair_init(&x.p, 65536, 0), TLSW_OK);
    assert_int_equal(pair_wrap(&x.p, x.c, x.s, "a.example.test"), TLSW_OK);
    vdrive(&x.p, &x.cs, &x.ss);
    assert_int_equal(r.calls, 2);
    assert_int_equal(r.depth[0], 1);
    assert_int_equal(r.depth[1], 0);
    if (!reject) {
      assert_int_equal(x.ss, TLSW_OK);
      assert_int_equal(tlsw_session_verify_result(x.p.srv), TLSW_OK);
    } else {
      assert_int_equal(x.ss, TLSW_ERR_CERT_REJECTED);
      assert_string_equal(tlsw_session_message(x.p.srv),
                          "certificate verify failed: rejected by the verify "
                          "callback (depth 0, CN=client.example.test)");
      assert_int_equal(x.cs, TLSW_ERR_ALERT);
    }
    run_free(&x);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(order_deepest_first),
      cmocka_unit_test(reject_intermediate),
      cmocka_unit_test(reject_leaf_after_other_failure),
      cmocka_unit_test(preverify_reflects_our_checks),
      cmocka_unit_test(cannot_override_required),
      cmocka_unit_test(not_called_under_none),
      cmocka_unit_test(removed_with_null),
      cmocka_unit_test(server_side),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
