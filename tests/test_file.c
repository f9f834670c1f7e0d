/* File reading (src/core/file.c): whole files, empty files, missing files,
 * directories, and the size limit. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file.h"
#include "tlswrap/status.h"
#include "pair.h"

/* A unique scratch file name in the build's test directory. */
static const char *scratch(const char *tag) {
  static char path[1024];
  snprintf(path, sizeof path, "%s/../test_file-%ld-%s.tmp", TLSW_TEST_CERTS,
           (long)getpid(), tag);
  return path;
}

static void write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

static void reads_whole_file(void **state) {
  (void)state;
  /* Larger than the first 4 KB buffer, so growth is exercised. */
  size_t len = 20000;
  uint8_t *src = malloc(len);
  assert_non_null(src);
  for (size_t i = 0; i < len; i++) src[i] = (uint8_t)(i * 7 + 3);
  const char *p = scratch("big");
  write_file(p, src, len);
  tlsw_err e;
  tlswi_err_clear(&e);
  uint8_t *data;
  size_t n;
  assert_int_equal(tlswi_read_file(p, &data, &n, &e), TLSW_OK);
  assert_int_equal(n, len);
  assert_memory_equal(data, src, len);
  free(data);
  /* Exactly one buffer size: the loop must see the end. */
  write_file(p, src, 4096);
  assert_int_equal(tlswi_read_file(p, &data, &n, &e), TLSW_OK);
  assert_int_equal(n, 4096);
  assert_memory_equal(data, src, 4096);
  free(data);
  unlink(p);
  free(src);
}

static void empty_file(void **state) {
  (void)state;
  const char *p = scratch("empty");
  write_file(p, "", 0);
  tlsw_err e;
  tlswi_err_clear(&e);
  uint8_t *data;
  size_t n = 99;
  assert_int_equal(tlswi_read_file(p, &data, &n, &e), TLSW_OK);
  assert_int_equal(n, 0);
  free(data);
  unlink(p);
}

static void missing_file(void **state) {
  (void)state;
  tlsw_err e;
  tlswi_err_clear(&e);
  uint8_t *data = (uint8_t *)1;
  size_t n = 99;
  const char *p = "/nonexistent/tlswrap/nothing.pem";
  assert_int_equal(tlswi_read_file(p, &data, &n, &e), TLSW_ERR_FILE);
  assert_null(data);
  assert_int_equal(n, 0);
  assert_int_equal(e.status, TLSW_ERR_FILE);
  assert_int_equal(e.backend_code, ENOENT);
  assert_non_null(strstr(e.msg, p));
  assert_non_null(strstr(e.msg, strerror(ENOENT)));
}

static void directory_as_file(void **state) {
  (void)state;
  tlsw_err e;
  tlswi_err_clear(&e);
  uint8_t *data = (uint8_t *)1;
  size_t n = 99;
  /* fopen() of a directory succeeds on Linux; the read fails with EISDIR.
   * Either way the caller must get TLSW_ERR_FILE naming the path. */
  assert_int_equal(tlswi_read_file(TLSW_TEST_CERTS, &data, &n, &e),
                   TLSW_ERR_FILE);
  assert_null(data);
  assert_int_equal(n, 0);
  assert_non_null(strstr(e.msg, TLSW_TEST_CERTS));
  assert_non_null(strstr(e.msg, strerror(EISDIR)));
}

static void unreadable_file(void **state) {
  (void)state;
  if (geteuid() == 0) {
    /* root reads anything; a 000 file proves nothing here. */
    skip();
  }
  const char *p = scratch("noperm");
  write_file(p, "x", 1);
  assert_int_equal(chmod(p, 0), 0);
  tlsw_err e;
  tlswi_err_clear(&e);
  uint8_t *data;
  size_t n;
  assert_int_equal(tlswi_read_file(p, &data, &n, &e), TLSW_ERR_FILE);
  assert_int_equal(e.backend_code, EACCES);
  unlink(p);
}

static void too_large(void **state) {
  (void)state;
  /* A sparse file just over the limit: refused, not read into memory. */
  const char *p = scratch("huge");
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  assert_int_equal(fseek(f, (long)TLSW_FILE_MAX, SEEK_SET), 0);
  assert_int_equal(fputc('x', f), 'x');
  assert_int_equal(fclose(f), 0);
  tlsw_err e;
  tlswi_err_clear(&e);
  uint8_t *data = (uint8_t *)1;
  size_t n = 99;
  assert_int_equal(tlswi_read_file(p, &data, &n, &e), TLSW_ERR_FILE);
  assert_null(data);
  assert_int_equal(n, 0);
  assert_non_null(strstr(e.msg, "larger than"));
  unlink(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reads_whole_file), cmocka_unit_test(empty_file),
      cmocka_unit_test(missing_file),     cmocka_unit_test(directory_as_file),
      cmocka_unit_test(unreadable_file),  cmocka_unit_test(too_large),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
