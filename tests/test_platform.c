/* The platform layer on POSIX (src/platform/posix): tlsw_set_platform's
 * checks, that it is refused once tlswrap is initialised, that its clock
 * drives contexts without one of their own, and the feature bits. The none
 * platform's own behaviour is tested by tests/firmware/fw_test.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

static uint64_t hook_ms = 123456;

static uint64_t fixed_clock(void *user) {
  (void)user;
  return hook_ms;
}

static void mutex_lock(void *user, void *m) {
  (void)user;
  (void)m;
}

static void args_and_state(void **state) {
  (void)state;
  tlsw_platform_ops o;
  memset(&o, 0, sizeof o);
  o.size = sizeof o;
  o.monotonic_ms = fixed_clock;
  assert_int_equal(tlsw_set_platform(NULL), TLSW_ERR_ARG);
  o.size = 1;
  assert_int_equal(tlsw_set_platform(&o), TLSW_ERR_ARG);
  o.size = sizeof o;
  o.mutex_lock = mutex_lock;
  assert_int_equal(tlsw_set_platform(&o), TLSW_ERR_ARG);
  o.mutex_lock = NULL;
  /* Accepted before init; on POSIX only the clock is used. */
  assert_int_equal(tlsw_set_platform(&o), TLSW_OK);
  assert_int_equal(tlsw_init(), TLSW_OK);
  assert_string_equal(tlsw_init_message(), "");
  assert_int_equal(tlsw_set_platform(&o), TLSW_ERR_STATE);
}

static void features(void **state) {
  (void)state;
  unsigned f = tlsw_backend_features();
  assert_true(f & TLSW_FEATURE_FILES);
  assert_true(f & TLSW_FEATURE_CA_DIR);
}

/* The hook's clock drives a context that has none of its own: a DTLS
 * client's retransmission deadline counts down as the hook's time moves,
 * and only then (the system clock barely moves during the test). */
static void clock_reaches_contexts(void **state) {
  (void)state;
  tlsw_ctx *c;
  tlsw_membuf *in, *out;
  tlsw_memio m;
  tlsw_io io;
  tlsw_session *s;
  assert_int_equal(tlsw_ctx_new(&c, TLSW_PROTOCOL_DTLS_CLIENT), TLSW_OK);
  assert_int_equal(tlsw_membuf_new(&in, 1 << 14, 1), TLSW_OK);
  assert_int_equal(tlsw_membuf_new(&out, 1 << 14, 1), TLSW_OK);
  assert_int_equal(tlsw_memio_init(&m, in, out, &io), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = "localhost";
  assert_int_equal(tlsw_wrap(c, &io, &o, &s), TLSW_OK);
  assert_int_equal(tlsw_handshake(s), TLSW_WANT_READ);
  long t1 = tlsw_dtls_timeout_ms(s);
  assert_true(t1 > 400);
  hook_ms += 400;
  assert_int_equal(tlsw_dtls_timeout_ms(s), t1 - 400);
  hook_ms += (uint64_t)t1;
  assert_int_equal(tlsw_dtls_timeout_ms(s), 0);
  tlsw_session_free(s);
  tlsw_ctx_free(c);
  tlsw_membuf_free(in);
  tlsw_membuf_free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(args_and_state),
      cmocka_unit_test(features),
      cmocka_unit_test(clock_reaches_contexts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
