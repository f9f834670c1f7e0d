/* tlsw_session_set_user / tlsw_session_user (core/session.c): the pointer
 * comes back unchanged through wrap, handshake, data and a fatal failure,
 * each session keeps its own, and NULL is refused or answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ctxs.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"

static void user_pointer(void **state) {
  (void)state;
  int a, b;
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  test_pair p;
  assert_int_equal(pair_init(&p, 32768, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  assert_null(tlsw_session_user(p.cli)); /* none until set */
  assert_int_equal(tlsw_session_set_user(p.cli, &a), TLSW_OK);
  assert_int_equal(tlsw_session_set_user(p.srv, &b), TLSW_OK);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  assert_ptr_equal(tlsw_session_user(p.cli), &a);
  assert_ptr_equal(tlsw_session_user(p.srv), &b);
  /* A fatal failure (junk where a record belongs) keeps it too. */
  static const uint8_t junk[] = {0x17, 0x03, 0x03, 0x00, 0x05, 1, 2, 3, 4, 5};
  size_t n = 0;
  assert_int_equal(tlsw_membuf_write(p.s2c, junk, sizeof junk, &n), TLSW_OK);
  uint8_t buf[16];
  int st = tlsw_read(p.cli, buf, sizeof buf, &n);
  assert_true(tlsw_status_is_fatal(st));
  assert_ptr_equal(tlsw_session_user(p.cli), &a);
  assert_int_equal(tlsw_session_set_user(p.cli, NULL), TLSW_OK);
  assert_null(tlsw_session_user(p.cli));
  assert_int_equal(tlsw_session_set_user(NULL, &a), TLSW_ERR_ARG);
  assert_null(tlsw_session_user(NULL));
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(user_pointer)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
