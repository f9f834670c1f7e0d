/* The tools' certificate summary on the library's certificate reader
 * (tlswrap/cert.h), which escapes every byte a terminal could act on. */
#include "x509_info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlswrap/tlswrap.h"

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d != NULL) memcpy(d, s, n);
  return d;
}

/* "2026-01-02 03:04:05 UTC" from seconds since 1970 (Howard Hinnant's
 * civil_from_days: gmtime() is not reentrant, gmtime_r() not C99). */
static void put_date(char *out, size_t cap, long long t) {
  long long days = t / 86400, secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    days--;
  }
  days += 719468;
  long long era = (days >= 0 ? days : days - 146096) / 146097;
  long long doe = days - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  long long d = doy - (153 * mp + 2) / 5 + 1;
  long long m = mp < 10 ? mp + 3 : mp - 9;
  long long y = yoe + era * 400 + (m <= 2);
  /* DER dates have four-digit years: every field fits its width. */
  char tmp[160];
  snprintf(tmp, sizeof tmp, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld UTC", y,
           m, d, secs / 3600, secs / 60 % 60, secs % 60);
  snprintf(out, cap, "%.31s", tmp);
}

int cli_x509_parse(const uint8_t *der, size_t len, cli_x509 *x) {
  memset(x, 0, sizeof *x);
  tlsw_cert *c = NULL;
  if (der == NULL || tlsw_cert_parse(der, len, &c) != TLSW_OK) return -1;
  x->subject = dup_str(tlsw_cert_subject(c));
  x->issuer = dup_str(tlsw_cert_issuer(c));
  x->sans = dup_str(tlsw_cert_sans(c));
  x->not_before_t = tlsw_cert_not_before(c);
  x->not_after_t = tlsw_cert_not_after(c);
  tlsw_cert_free(c);
  put_date(x->not_before, sizeof x->not_before, x->not_before_t);
  put_date(x->not_after, sizeof x->not_after, x->not_after_t);
  if (x->subject == NULL || x->issuer == NULL || x->sans == NULL) {
    cli_x509_free(x);
    return -1;
  }
  return 0;
}

void cli_x509_free(cli_x509 *x) {
  if (x == NULL) return;
  free(x->subject);
  free(x->issuer);
  free(x->sans);
  memset(x, 0, sizeof *x);
}
