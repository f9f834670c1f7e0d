/* fuzz_cli_x509: the tools' certificate printer (examples/common/
 * x509_info.c) on fuzzed DER: whatever it accepts must come out as
 * NUL-terminated text with no control characters (it goes to a terminal).
 * Seeds: real certificates (RSA, EC, with and without SANs, odd string
 * types). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "x509_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* No C0 control, DEL or C1 control (U+0080..U+009F, C2 80..C2 9F in
 * UTF-8): each would reach the terminal as a command. */
static void check_text(const char *s) {
  if (s == NULL) abort();
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s, d = (unsigned char)s[1];
    if (c < 0x20 || c == 0x7f) abort();
    if (c == 0xc2 && d >= 0x80 && d <= 0x9f) abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return -1;
  uint8_t *der = malloc(size ? size : 1); /* exact size, for ASan */
  if (der == NULL) abort();
  if (size) memcpy(der, data, size);
  cli_x509 x;
  if (cli_x509_parse(der, size, &x) == 0) {
    check_text(x.subject);
    check_text(x.issuer);
    check_text(x.sans);
    if (memchr(x.not_before, '\0', sizeof x.not_before) == NULL ||
        memchr(x.not_after, '\0', sizeof x.not_after) == NULL) {
      abort();
    }
    check_text(x.not_before);
    check_text(x.not_after);
    cli_x509_free(&x);
  }
  free(der);
  return 0;
}
