#include "summary.h"

#include <stdlib.h>
#include <string.h>
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

int cli_chain_cb(void *user, const uint8_t *der, size_t der_len, int depth,
                 int preverify_ok) {
  cli_chain *ch = user;
  if (ch->n >= CLI_CHAIN_MAX) return 0;
  uint8_t *copy = malloc(der_len ? der_len : 1);
  if (copy == NULL) return 0; /* -v shows less; the handshake is not ours */
  memcpy(copy, der, der_len);
  ch->cert[ch->n].depth = depth;
  ch->cert[ch->n].ok = preverify_ok;
  ch->cert[ch->n].der = copy;
  ch->cert[ch->n].len = der_len;
  ch->n++;
  return 0;
}

void cli_chain_free(cli_chain *ch) {
  for (int i = 0; i < ch->n; i++) free(ch->cert[i].der);
  ch->n = 0;
}

/* One line per certificate the peer sent, in the order they were checked. */
static void print_chain(FILE *f, const cli_chain *ch) {
  if (ch == NULL || ch->n == 0) return;
  fprintf(f,
          "* chain, as checked (deepest first; the trusted root is not "
          "sent):\n");
  for (int i = 0; i < ch->n; i++) {
    cli_x509 x;
    if (cli_x509_parse(ch->cert[i].der, ch->cert[i].len, &x) != 0) {
      fprintf(f, "*   depth %d: %zu bytes this tool cannot parse, %s\n",
              ch->cert[i].depth, ch->cert[i].len,
              ch->cert[i].ok ? "ok" : "FAILED");
      continue;
    }
    fprintf(f, "*   depth %d: %s (issuer %s; %s to %s), %s\n",
            ch->cert[i].depth, x.subject, x.issuer, x.not_before, x.not_after,
            ch->cert[i].ok ? "ok" : "FAILED");
    cli_x509_free(&x);
  }
}

void cli_print_failure(FILE *f, const tlsw_session *s, const cli_chain *ch) {
  tlsw_cert_reason reason = TLSW_REASON_NONE;
  int depth = -1;
  int vr = tlsw_session_verify_info(s, &reason, &depth);
  if (vr == TLSW_OK || vr == TLSW_ERR_STATE) {
    /* Not a verification failure: the certificate, if one came, passed or
     * was never looked at; show it anyway when the library has it. */
    const uint8_t *der;
    size_t len;
    if (tlsw_session_peer_cert(s, &der, &len) == TLSW_OK) {
      fprintf(f, "* peer certificate:\n");
      cli_print_peer_cert(f, s, "*   ");
    }
    print_chain(f, ch);
    fflush(f);
    return;
  }
  fprintf(f, "* peer certificate (refused):\n");
  cli_print_peer_cert(f, s, "*   ");
  print_chain(f, ch);
  fprintf(f, "* verification: FAILED at depth %d: %s\n", depth,
          tlsw_cert_reason_text(reason));
  fprintf(f, "*   %s\n", tlsw_session_message(s));
  fflush(f);
}

void cli_print_summary(FILE *f, const tlsw_session *s, long long handshake_ms,
                       const char *checked_name, const cli_chain *ch) {
  const char *v = tlsw_session_version(s);
  const char *c = tlsw_session_cipher(s);
  fprintf(f, "* protocol: %s\n", v ? v : "?");
  fprintf(f, "* cipher:   %s\n", c ? c : "?");
  const char *ap = tlsw_session_alpn(s);
  fprintf(f, "* ALPN:     %s\n", ap ? ap : "(none agreed)");
  const char *g = tlsw_session_group(s);
  fprintf(f, "* group:    %s\n", g ? g : "(none)");
  fprintf(f, "* session:  %s\n", tlsw_session_resumed(s) ? "resumed" : "new");
  fprintf(f, "* peer certificate:\n");
  cli_print_peer_cert(f, s, "*   ");
  print_chain(f, ch);
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
