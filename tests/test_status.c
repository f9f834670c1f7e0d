/* Status table (src/core/status.c): every code has a name, a message and a
 * category; unknown codes fall back to documented defaults; stickiness
 * follows the rule in status.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "tlswrap/tlswrap.h"

/* Every status declared in status.h. Kept by hand on purpose: a code added
 * to the header but not to the table fails walk_known below. */
static const int known[] = {
    TLSW_OK,
    TLSW_WANT_READ,
    TLSW_WANT_WRITE,
    TLSW_CLOSED,
    TLSW_ERR_EOF,
    TLSW_ERR_IO,
    TLSW_ERR_TIMEOUT,
    TLSW_ERR_RESET,
    TLSW_ERR_FILE,
    TLSW_ERR_CERT_VERIFY,
    TLSW_ERR_CERT_UNTRUSTED,
    TLSW_ERR_CERT_EXPIRED,
    TLSW_ERR_CERT_NOT_YET_VALID,
    TLSW_ERR_CERT_HOSTNAME,
    TLSW_ERR_CERT_MISSING,
    TLSW_ERR_CERT_REJECTED,
    TLSW_ERR_CERT_INVALID,
    TLSW_ERR_KEY_INVALID,
    TLSW_ERR_KEY_PASSWORD,
    TLSW_ERR_KEY_MISMATCH,
    TLSW_ERR_CERT_WEAK_KEY,
    TLSW_ERR_HANDSHAKE,
    TLSW_ERR_ALERT,
    TLSW_ERR_NO_SHARED_CIPHER,
    TLSW_ERR_VERSION,
    TLSW_ERR_BAD_RECORD,
    TLSW_HELLO_VERIFY,
    TLSW_ERR_DATAGRAM_DROPPED,
    TLSW_ERR_ARG,
    TLSW_ERR_STATE,
    TLSW_ERR_UNSUPPORTED,
    TLSW_ERR_CIPHER,
    TLSW_ERR_HOSTNAME_REQUIRED,
    TLSW_ERR_TOO_BIG,
    TLSW_ERR_SHUT,
    TLSW_ERR_NOMEM,
    TLSW_ERR_INTERNAL,
};
#define N_KNOWN (sizeof known / sizeof known[0])

static int is_known(int code) {
  for (size_t i = 0; i < N_KNOWN; i++) {
    if (known[i] == code) return 1;
  }
  return 0;
}

/* The category a code must have, from the ranges documented in status.h. */
static tlsw_category expected_category(int code) {
  if (code == 0) return TLSW_CAT_OK;
  if (code >= -9) return TLSW_CAT_BLOCKED;
  if (code >= -19) return TLSW_CAT_CLOSED;
  if (code >= -29) return TLSW_CAT_IO;
  if (code >= -49) return TLSW_CAT_CERT;
  if (code >= -59) return TLSW_CAT_PROTOCOL;
  if (code >= -69) return TLSW_CAT_USAGE;
  if (code >= -79) return TLSW_CAT_NOMEM;
  return TLSW_CAT_INTERNAL;
}

static void walk_known(void **state) {
  (void)state;
  for (size_t i = 0; i < N_KNOWN; i++) {
    int c = known[i];
    const char *name = tlsw_status_name(c);
    const char *text = tlsw_strerror(c);
    assert_non_null(name);
    assert_non_null(text);
    assert_true(strncmp(name, "TLSW_", 5) == 0);
    assert_string_not_equal(name, "TLSW_UNKNOWN");
    assert_string_not_equal(text, "unknown tlswrap status");
    assert_true(strlen(text) > 3);
    assert_int_equal(tlsw_status_category(c), expected_category(c));
    const char *cat = tlsw_category_name(tlsw_status_category(c));
    assert_true(strlen(cat) > 0);
    assert_string_not_equal(cat, "unknown");
    /* Names are unique. */
    for (size_t j = 0; j < i; j++) {
      assert_string_not_equal(name, tlsw_status_name(known[j]));
    }
  }
}

/* The whole range -100..0 (and a few far values): every code answers with
 * a non-empty name, text and category; unknown ones with the defaults. */
static void walk_range(void **state) {
  (void)state;
  int n_found = 0;
  for (int c = -100; c <= 0; c++) {
    const char *name = tlsw_status_name(c);
    const char *text = tlsw_strerror(c);
    assert_non_null(name);
    assert_non_null(text);
    assert_true(name[0] != '\0');
    assert_true(text[0] != '\0');
    tlsw_category cat = tlsw_status_category(c);
    assert_true(cat >= TLSW_CAT_OK && cat <= TLSW_CAT_INTERNAL);
    assert_true(tlsw_category_name(cat)[0] != '\0');
    if (is_known(c)) {
      n_found++;
    } else {
      assert_string_equal(name, "TLSW_UNKNOWN");
      assert_string_equal(text, "unknown tlswrap status");
      assert_int_equal(cat, TLSW_CAT_INTERNAL);
    }
  }
  assert_int_equal(n_found, (int)N_KNOWN);
  const int far[] = {1, 2, 100, -101, -1000, 2147483647, -2147483647 - 1};
  for (size_t i = 0; i < sizeof far / sizeof far[0]; i++) {
    assert_string_equal(tlsw_status_name(far[i]), "TLSW_UNKNOWN");
    assert_string_equal(tlsw_strerror(far[i]), "unknown tlswrap status");
    assert_int_equal(tlsw_status_category(far[i]), TLSW_CAT_INTERNAL);
  }
}

static void category_names(void **state) {
  (void)state;
  const char *expect[] = {"ok",       "blocked", "closed", "io",      "cert",
                          "protocol", "usage",   "nomem",  "internal"};
  for (int c = TLSW_CAT_OK; c <= TLSW_CAT_INTERNAL; c++) {
    assert_string_equal(tlsw_category_name((tlsw_category)c), expect[c]);
  }
  assert_string_equal(tlsw_category_name((tlsw_category)99), "unknown");
  assert_string_equal(tlsw_category_name((tlsw_category)-1), "unknown");
}

static void some_exact_entries(void **state) {
  (void)state;
  assert_string_equal(tlsw_status_name(TLSW_ERR_CERT_EXPIRED),
                      "TLSW_ERR_CERT_EXPIRED");
  assert_string_equal(tlsw_strerror(TLSW_ERR_CERT_EXPIRED),
                      "certificate verify failed: certificate has expired");
  assert_string_equal(tlsw_strerror(TLSW_OK), "success");
  assert_int_equal(tlsw_status_category(TLSW_ERR_EOF), TLSW_CAT_CLOSED);
  assert_int_equal(tlsw_status_category(TLSW_ERR_RESET), TLSW_CAT_IO);
}

/* status.h: fatal = CLOSED (not TLSW_CLOSED), IO, CERT, PROTOCOL (not
 * DATAGRAM_DROPPED), NOMEM, INTERNAL; never OK, BLOCKED, USAGE. */
static void stickiness(void **state) {
  (void)state;
  for (size_t i = 0; i < N_KNOWN; i++) {
    int c = known[i];
    tlsw_category cat = tlsw_status_category(c);
    int want = cat != TLSW_CAT_OK && cat != TLSW_CAT_BLOCKED &&
               cat != TLSW_CAT_USAGE && c != TLSW_CLOSED &&
               c != TLSW_ERR_DATAGRAM_DROPPED;
    assert_int_equal(tlsw_status_is_fatal(c), want);
  }
  assert_true(tlsw_status_is_fatal(-12345)); /* unknown: internal */
}

/* Library-level entries in tlswrap.h. */
static void library_info(void **state) {
  (void)state;
  assert_int_equal(tlsw_init(), TLSW_OK);
  assert_int_equal(tlsw_init(), TLSW_OK); /* again: harmless */
  const char *v = tlsw_version_string();
  assert_non_null(v);
  assert_non_null(strstr(v, TLSW_VERSION_STRING));
  assert_non_null(strstr(v, "wolfSSL"));
  assert_string_equal(tlsw_backend_name(), "wolfssl");
  unsigned f = tlsw_backend_features();
  assert_true(f & TLSW_FEATURE_TLS13);
  assert_true(f & TLSW_FEATURE_CA_DIR);
  tlsw_thread_cleanup(); /* nothing to release yet: must not crash */
  tlsw_thread_cleanup();
}

/* Runs first, before anything initialises the library. */
static void allocator_errors(void **state) {
  (void)state;
  assert_int_equal(tlsw_set_allocator(NULL, realloc, free), TLSW_ERR_ARG);
  assert_int_equal(tlsw_set_allocator(malloc, NULL, free), TLSW_ERR_ARG);
  assert_int_equal(tlsw_set_allocator(malloc, realloc, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_init(), TLSW_OK);
  /* Too late once initialised. */
  assert_int_equal(tlsw_set_allocator(malloc, realloc, free), TLSW_ERR_STATE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(allocator_errors),   cmocka_unit_test(walk_known),
      cmocka_unit_test(walk_range),         cmocka_unit_test(category_names),
      cmocka_unit_test(some_exact_entries), cmocka_unit_test(stickiness),
      cmocka_unit_test(library_info),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
