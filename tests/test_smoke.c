/* End-to-end smoke test: one in-memory TLS handshake and a message. The
 * detailed tests live in one file per source file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "pair.h"

static void handshake_and_echo(void **state) {
  (void)state;
  tlsw_ctx *c, *s;
  assert_int_equal(tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT), TLSW_OK);
  assert_int_equal(tlsw_ctx_new(&s, TLSW_PROTOCOL_TLS_SERVER), TLSW_OK);
  assert_int_equal(
      tlsw_ctx_load_cert_chain_file(s, fixture("server-ec.pem"),
                                    fixture("server-ec.key"), NULL),
      TLSW_OK);
  assert_int_equal(tlsw_ctx_load_verify_file(c, fixture("ca.pem")), TLSW_OK);
  test_pair p;
  assert_int_equal(pair_init(&p, 65536, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
  assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
  assert_string_equal(tlsw_session_version(p.cli), "TLSv1.3");
  size_t n;
  assert_int_equal(tlsw_write(p.cli, "hello", 5, &n), TLSW_OK);
  assert_int_equal(n, 5);
  char buf[16];
  assert_int_equal(tlsw_read(p.srv, buf, sizeof buf, &n), TLSW_OK);
  assert_memory_equal(buf, "hello", 5);
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(handshake_and_echo)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
