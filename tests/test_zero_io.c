/* 0-byte tlsw_read/tlsw_write (core/session_io.c) on a session whose
 * handshake was deferred: as documented (session.h), such a call runs the
 * handshake first (issue #13 item 8), and only after it is a no-op. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ctxs.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"

static void zero_length_runs_the_handshake(void **state) {
  (void)state;
  for (int writing = 0; writing < 2; writing++) {
    tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
    test_pair p;
    assert_int_equal(pair_init(&p, 32768, 0), TLSW_OK);
    assert_int_equal(pair_wrap(&p, c, s, "localhost"), TLSW_OK);
    assert_int_equal(tlsw_membuf_used(p.c2s), 0);
    size_t n = 99;
    int st = writing ? tlsw_write(p.cli, NULL, 0, &n)
                     : tlsw_read(p.cli, NULL, 0, &n);
    assert_int_equal(st, TLSW_WANT_READ); /* the ClientHello went out */
    assert_int_equal(n, 0);
    assert_true(tlsw_membuf_used(p.c2s) > 0);
    assert_int_equal(pair_handshake(&p, NULL, NULL), TLSW_OK);
    size_t before = tlsw_membuf_used(p.c2s);
    assert_int_equal(writing ? tlsw_write(p.cli, NULL, 0, &n)
                             : tlsw_read(p.cli, NULL, 0, &n),
                     TLSW_OK);
    assert_int_equal(n, 0);
    assert_int_equal(tlsw_membuf_used(p.c2s), before); /* no I/O now */
    pair_free(&p);
    tlsw_ctx_free(c);
    tlsw_ctx_free(s);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(zero_length_runs_the_handshake)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
