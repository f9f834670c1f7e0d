/* In-memory transport (src/io/membuf.c): stream and datagram semantics,
 * WANT_* on full/empty, EOF after close, argument errors, memio. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

static void new_errors(void **state) {
  (void)state;
  tlsw_membuf *b = (tlsw_membuf *)1;
  assert_int_equal(tlsw_membuf_new(NULL, 10, 0), TLSW_ERR_ARG);
  assert_int_equal(tlsw_membuf_new(&b, 0, 0), TLSW_ERR_ARG);
  assert_null(b);
  b = (tlsw_membuf *)1;
  /* A datagram buffer must hold at least its 4-byte header plus a byte. */
  assert_int_equal(tlsw_membuf_new(&b, 4, 1), TLSW_ERR_ARG);
  /* datagram is 0 or 1 (issue #13: 5 was taken as "true"). */
  assert_int_equal(tlsw_membuf_new(&b, 64, 5), TLSW_ERR_ARG);
  assert_null(b);
  assert_int_equal(tlsw_membuf_new(&b, 64, -1), TLSW_ERR_ARG);
  assert_null(b);
  assert_int_equal(tlsw_membuf_new(&b, 5, 1), TLSW_OK);
  tlsw_membuf_free(b);
  tlsw_membuf_free(NULL);
  tlsw_membuf_close(NULL);
  assert_int_equal(tlsw_membuf_used(NULL), 0);
}

static void rw_arg_errors(void **state) {
  (void)state;
  tlsw_membuf *b;
  assert_int_equal(tlsw_membuf_new(&b, 16, 0), TLSW_OK);
  uint8_t buf[4] = {1, 2, 3, 4};
  size_t n = 99;
  assert_int_equal(tlsw_membuf_write(NULL, buf, 4, &n), TLSW_ERR_ARG);
  assert_int_equal(n, 0);
  assert_int_equal(tlsw_membuf_write(b, buf, 4, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_membuf_write(b, NULL, 4, &n), TLSW_ERR_ARG);
  n = 99;
  assert_int_equal(tlsw_membuf_read(NULL, buf, 4, &n), TLSW_ERR_ARG);
  assert_int_equal(n, 0);
  assert_int_equal(tlsw_membuf_read(b, buf, 4, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_membuf_read(b, NULL, 4, &n), TLSW_ERR_ARG);
  /* Zero-length write is a no-op success; NULL buffer is fine with 0. */
  assert_int_equal(tlsw_membuf_write(b, NULL, 0, &n), TLSW_OK);
  assert_int_equal(n, 0);
  assert_int_equal(tlsw_membuf_used(b), 0);
  tlsw_membuf_free(b);
}

static void stream_fill_drain_wrap(void **state) {
  (void)state;
  tlsw_membuf *b;
  assert_int_equal(tlsw_membuf_new(&b, 10, 0), TLSW_OK);
  uint8_t out[32], in[32];
  for (int i = 0; i < 32; i++) out[i] = (uint8_t)(i + 1);
  size_t n;
  /* Empty: would block. */
  assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_WANT_READ);
  assert_int_equal(n, 0);
  /* Stream mode takes what fits. */
  assert_int_equal(tlsw_membuf_write(b, out, 7, &n), TLSW_OK);
  assert_int_equal(n, 7);
  assert_int_equal(tlsw_membuf_write(b, out + 7, 7, &n), TLSW_OK);
  assert_int_equal(n, 3);
  assert_int_equal(tlsw_membuf_used(b), 10);
  /* Full: would block, nothing taken. */
  assert_int_equal(tlsw_membuf_write(b, out, 1, &n), TLSW_WANT_WRITE);
  assert_int_equal(n, 0);
  /* Read in odd pieces, across the ring's wrap point. */
  assert_int_equal(tlsw_membuf_read(b, in, 4, &n), TLSW_OK);
  assert_int_equal(n, 4);
  assert_memory_equal(in, out, 4);
  assert_int_equal(tlsw_membuf_write(b, out + 10, 4, &n), TLSW_OK);
  assert_int_equal(n, 4); /* wraps around the end of the ring */
  assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_OK);
  assert_int_equal(n, 10);
  assert_memory_equal(in, out + 4, 10);
  assert_int_equal(tlsw_membuf_used(b), 0);
  tlsw_membuf_free(b);
}

/* Many small writes and reads of co-prime sizes through a small ring: the
 * byte order must survive every wrap. */
static void stream_order_many_wraps(void **state) {
  (void)state;
  tlsw_membuf *b;
  assert_int_equal(tlsw_membuf_new(&b, 13, 0), TLSW_OK);
  size_t wpos = 0, rpos = 0, total = 5000;
  uint8_t chunk[11];
  while (rpos < total) {
    size_t want = total - wpos < 7 ? total - wpos : 7;
    if (want > 0) {
      uint8_t src[7];
      for (size_t i = 0; i < want; i++) src[i] = (uint8_t)((wpos + i) * 31);
      size_t n;
      int st = tlsw_membuf_write(b, src, want, &n);
      if (st == TLSW_OK) {
        wpos += n;
      } else {
        assert_int_equal(st, TLSW_WANT_WRITE);
      }
    }
    size_t n;
    int st = tlsw_membuf_read(b, chunk, sizeof chunk, &n);
    if (st == TLSW_OK) {
      for (size_t i = 0; i < n; i++) {
        assert_int_equal(chunk[i], (uint8_t)((rpos + i) * 31));
      }
      rpos += n;
    } else {
      assert_int_equal(st, TLSW_WANT_READ);
    }
  }
  tlsw_membuf_free(b);
}

static void stream_eof_after_close(void **state) {
  (void)state;
  tlsw_membuf *b;
  assert_int_equal(tlsw_membuf_new(&b, 16, 0), TLSW_OK);
  size_t n;
  assert_int_equal(tlsw_membuf_write(b, (const uint8_t *)"abc", 3, &n),
                   TLSW_OK);
  tlsw_membuf_close(b);
  /* Buffered bytes still come out, then EOF, repeatedly. */
  uint8_t in[8];
  assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_OK);
  assert_int_equal(n, 3);
  assert_memory_equal(in, "abc", 3);
  for (int i = 0; i < 3; i++) {
    n = 99;
    assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_OK);
    assert_int_equal(n, 0);
  }
  /* Writing after our own EOF is refused. */
  assert_int_equal(tlsw_membuf_write(b, (const uint8_t *)"x", 1, &n),
                   TLSW_ERR_RESET);
  assert_int_equal(n, 0);
  tlsw_membuf_free(b);
}

static void datagram_boundaries(void **state) {
  (void)state;
  tlsw_membuf *b;
  assert_int_equal(tlsw_membuf_new(&b, 64, 1), TLSW_OK);
  size_t n;
  assert_int_equal(tlsw_membuf_write(b, (const uint8_t *)"one", 3, &n),
                   TLSW_OK);
  assert_int_equal(n, 3);
  assert_int_equal(tlsw_membuf_write(b, (const uint8_t *)"two!", 4, &n),
                   TLSW_OK);
  assert_int_equal(tlsw_membuf_write(b, (const uint8_t *)"3", 1, &n), TLSW_OK);
  uint8_t in[32];
  /* One read, one datagram: never merged. */
  assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_OK);
  assert_int_equal(n, 3);
  assert_memory_equal(in, "one", 3);
  assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_OK);
  assert_int_equal(n, 4);
  assert_memory_equal(in, "two!", 4);
  assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_OK);
  assert_int_equal(n, 1);
  assert_int_equal(in[0], '3');
  assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_WANT_READ);
  tlsw_membuf_free(b);
}

static void datagram_truncation(void **state) {
  (void)state;
  tlsw_membuf *b;
  assert_int_equal(tlsw_membuf_new(&b, 64, 1), TLSW_OK);
  size_t n;
  assert_int_equal(tlsw_membuf_write(b, (const uint8_t *)"0123456789", 10, &n),
                   TLSW_OK);
  assert_int_equal(tlsw_membuf_write(b, (const uint8_t *)"next", 4, &n),
                   TLSW_OK);
  uint8_t in[4];
  /* An over-long datagram is cut to the reader's buffer and the rest is
   * dropped, as with UDP; the next read gets the next datagram whole. */
  assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_OK);
  assert_int_equal(n, 4);
  assert_memory_equal(in, "0123", 4);
  assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_OK);
  assert_int_equal(n, 4);
  assert_memory_equal(in, "next", 4);
  assert_int_equal(tlsw_membuf_used(b), 0);
  tlsw_membuf_free(b);
}

static void datagram_full_and_too_big(void **state) {
  (void)state;
  tlsw_membuf *b;
  /* 20 bytes: one 10-byte datagram takes 14 with its header. */
  assert_int_equal(tlsw_membuf_new(&b, 20, 1), TLSW_OK);
  uint8_t d[20] = {0};
  size_t n;
  assert_int_equal(tlsw_membuf_write(b, d, 10, &n), TLSW_OK);
  /* All or nothing: 6 bytes are free but a 4-byte datagram needs 8. */
  assert_int_equal(tlsw_membuf_write(b, d, 4, &n), TLSW_WANT_WRITE);
  assert_int_equal(n, 0);
  assert_int_equal(tlsw_membuf_used(b), 14);
  assert_int_equal(tlsw_membuf_write(b, d, 2, &n), TLSW_OK);
  assert_int_equal(n, 2);
  /* Larger than the whole buffer could ever hold: an error, not a block. */
  tlsw_membuf *c;
  assert_int_equal(tlsw_membuf_new(&c, 20, 1), TLSW_OK);
  assert_int_equal(tlsw_membuf_write(c, d, 17, &n), TLSW_ERR_TOO_BIG);
  assert_int_equal(tlsw_membuf_write(c, d, 16, &n), TLSW_OK);
  tlsw_membuf_free(c);
  /* Datagram EOF after close. */
  tlsw_membuf_close(b);
  uint8_t in[16];
  assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_OK);
  assert_int_equal(n, 10);
  assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_OK);
  assert_int_equal(n, 0);
  tlsw_membuf_free(b);
}

/* Datagrams whose header and body straddle the ring's end. */
static void datagram_wraps(void **state) {
  (void)state;
  tlsw_membuf *b;
  assert_int_equal(tlsw_membuf_new(&b, 23, 1), TLSW_OK);
  for (int i = 0; i < 200; i++) {
    uint8_t d[9], in[16];
    size_t len = 1 + (size_t)(i % 9), n;
    for (size_t k = 0; k < len; k++) d[k] = (uint8_t)(i + k);
    assert_int_equal(tlsw_membuf_write(b, d, len, &n), TLSW_OK);
    assert_int_equal(n, len);
    assert_int_equal(tlsw_membuf_read(b, in, sizeof in, &n), TLSW_OK);
    assert_int_equal(n, len);
    assert_memory_equal(in, d, len);
  }
  tlsw_membuf_free(b);
}

static void memio(void **state) {
  (void)state;
  tlsw_membuf *a, *b;
  assert_int_equal(tlsw_membuf_new(&a, 32, 0), TLSW_OK);
  assert_int_equal(tlsw_membuf_new(&b, 32, 0), TLSW_OK);
  tlsw_memio m;
  tlsw_io io;
  assert_int_equal(tlsw_memio_init(NULL, a, b, &io), TLSW_ERR_ARG);
  assert_int_equal(tlsw_memio_init(&m, NULL, b, &io), TLSW_ERR_ARG);
  assert_int_equal(tlsw_memio_init(&m, a, NULL, &io), TLSW_ERR_ARG);
  assert_int_equal(tlsw_memio_init(&m, a, b, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_memio_init(&m, a, b, &io), TLSW_OK);
  size_t n;
  /* send goes to `out` (b), recv comes from `in` (a). */
  assert_int_equal(io.send(io.io, (const uint8_t *)"hi", 2, &n), TLSW_OK);
  assert_int_equal(tlsw_membuf_used(b), 2);
  assert_int_equal(tlsw_membuf_used(a), 0);
  uint8_t in[4];
  assert_int_equal(io.recv(io.io, in, sizeof in, &n), TLSW_WANT_READ);
  assert_int_equal(tlsw_membuf_write(a, (const uint8_t *)"yo", 2, &n), TLSW_OK);
  assert_int_equal(io.recv(io.io, in, sizeof in, &n), TLSW_OK);
  assert_int_equal(n, 2);
  assert_memory_equal(in, "yo", 2);
  tlsw_membuf_free(a);
  tlsw_membuf_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(new_errors),
      cmocka_unit_test(rw_arg_errors),
      cmocka_unit_test(stream_fill_drain_wrap),
      cmocka_unit_test(stream_order_many_wraps),
      cmocka_unit_test(stream_eof_after_close),
      cmocka_unit_test(datagram_boundaries),
      cmocka_unit_test(datagram_truncation),
      cmocka_unit_test(datagram_full_and_too_big),
      cmocka_unit_test(datagram_wraps),
      cmocka_unit_test(memio),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
