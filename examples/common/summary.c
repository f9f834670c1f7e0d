#include "summary.h"

#include <time.h>

#include "tlswrap/status.h"
#include "x509_info.h"

int cli_print_peer_cert(FILE *f, const tlsw_session *s, const char *prefix) {
  const uint8_t *der = NULL;
  size_t len = 0;
  if (tlsw_session_peer_cert(s, &der, &len) != TLSW_OK) {
    fprintf(f, "%speer certificate: none\n", prefix);
    return -1;
  }
  cli_x509 x;
  if (cli_x509_parse(der, len, &x) != 0) {
    fprintf(f, "%speer certificate: %zu bytes that this tool cannot parse\n",
            prefix, len);
    return -1;
  }
  long long now = (long long)time(NULL);
  long long days = (x.not_after_t - now) / 86400;
  const char *state = now < x.not_before_t  ? "not yet valid"
                      : now > x.not_after_t ? "EXPIRED"
                                            : "valid";
  fprintf(f, "%ssubject:  %s\n", prefix, x.subject);
  fprintf(f, "%sissuer:   %s\n", prefix, x.issuer);
  fprintf(f, "%svalidity: %s to %s (%s", prefix, x.not_before, x.not_after,
          state);
  if (now <= x.not_after_t) fprintf(f, ", %lld days left", days);
  fprintf(f, ")\n");
  fprintf(f, "%sSANs:     %s\n", prefix, x.sans[0] ? x.sans : "(none)");
  cli_x509_free(&x);
  return 0;
}

void cli_print_summary(FILE *f, const tlsw_session *s, long long handshake_ms,
                       const char *checked_name) {
  const char *v = tlsw_session_version(s);
  const char *c = tlsw_session_cipher(s);
  fprintf(f, "* protocol: %s\n", v ? v : "?");
  fprintf(f, "* cipher:   %s\n", c ? c : "?");
  fprintf(f, "* peer certificate:\n");
  cli_print_peer_cert(f, s, "*   ");
  int vr = tlsw_session_verify_result(s);
  if (vr == TLSW_OK) {
    if (checked_name != NULL) {
      fprintf(f, "* verification: ok (chain trusted, name \"%s\" matches)\n",
              checked_name);
    } else {
      fprintf(f, "* verification: ok (chain trusted)\n");
    }
  } else if (vr == TLSW_ERR_STATE) {
    fprintf(f, "* verification: NOT VERIFIED (nothing was checked)\n");
  } else {
    fprintf(f, "* verification: FAILED: %s\n", tlsw_session_message(s));
  }
  fprintf(f, "* handshake: %lld ms\n", handshake_ms);
  fflush(f);
}
