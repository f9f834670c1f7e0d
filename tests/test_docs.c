/* docs/errors.md must match the library's status table row by row: code,
 * name, category, message and stickiness, for every status the library
 * knows, and list no status the library does not know. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlswrap/tlswrap.h"

/* Codes are small negatives; this covers the table with room to grow. */
#define LOWEST_CODE -1000

static char *read_doc(void) {
  FILE *f = fopen(TLSW_SOURCE_DIR "/docs/errors.md", "rb");
  assert_non_null(f);
  static char buf[256 * 1024];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  assert_true(n > 0 && n < sizeof buf - 1);
  buf[n] = '\0';
  return buf;
}

static int known(int code) {
  return strcmp(tlsw_status_name(code), "TLSW_UNKNOWN") != 0;
}

static void every_status_has_its_row(void **state) {
  (void)state;
  const char *doc = read_doc();
  int rows = 0;
  for (int code = 0; code >= LOWEST_CODE; code--) {
    if (!known(code)) continue;
    char row[512];
    snprintf(row, sizeof row, "| %d | `%s` | %s | %s | %s |", code,
             tlsw_status_name(code),
             tlsw_category_name(tlsw_status_category(code)),
             tlsw_strerror(code), tlsw_status_is_fatal(code) ? "yes" : "no");
    if (strstr(doc, row) == NULL) {
      fail_msg(
          "docs/errors.md has no row\n  %s\n(update the table from "
          "src/core/status.c)",
          row);
    }
    rows++;
  }
  assert_true(rows >= 30);
}

static void doc_lists_no_unknown_status(void **state) {
  (void)state;
  char *doc = read_doc();
  for (char *line = strtok(doc, "\n"); line; line = strtok(NULL, "\n")) {
    int code;
    char name[128];
    if (sscanf(line, "| %d | `%127[A-Z0-9_]` |", &code, name) != 2) continue;
    if (!known(code) || strcmp(tlsw_status_name(code), name) != 0) {
      fail_msg("docs/errors.md lists %d %s, which the library does not have",
               code, name);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_status_has_its_row),
      cmocka_unit_test(doc_lists_no_unknown_status),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
