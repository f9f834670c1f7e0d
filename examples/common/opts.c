#include "opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tlsctx.h"

int cli_parse_seconds(const char *v, long min, long max, const char *what,
                      long *out) {
  if (cli_parse_long(v, min, max, out) == 0) return 0;
  cli_msg("%s wants whole seconds from %ld to %ld, not '%s'", what, min, max,
          v);
  return -1;
}

/* "1.2" or "1.3" (what --tls-min/--tls-max take). 1, or -1 after saying
 * why. */
static int parse_version(const char *v, const char *what, int *out) {
  if (strcmp(v, "1.2") == 0) {
    *out = TLSW_VERSION_TLS1_2;
  } else if (strcmp(v, "1.3") == 0) {
    *out = TLSW_VERSION_TLS1_3;
  } else {
    cli_msg(
        "%s wants 1.2 or 1.3, not '%s' (older versions are refused on "
        "purpose)",
        what, v);
    return -1;
  }
  return 1;
}

int cli_set_versions(tlsw_ctx *ctx, int tls_min, int tls_max) {
  if (tls_min == 0 && tls_max == 0) return CLI_EXIT_OK;
  int st = tlsw_ctx_set_version_range(ctx, (tlsw_tls_version)tls_min,
                                      (tlsw_tls_version)tls_max);
  if (st == TLSW_OK) return CLI_EXIT_OK;
  cli_msg("bad --tls-min/--tls-max: %s", tlsw_ctx_message(ctx));
  return CLI_EXIT_USAGE;
}

int cli_set_dtls_cid(tlsw_ctx *ctx, int on) {
  if (!on) return CLI_EXIT_OK;
  int st = tlsw_ctx_set_dtls_cid(ctx, 1);
  if (st == TLSW_OK) return CLI_EXIT_OK;
  cli_msg("--dtls-cid: %s", tlsw_ctx_message(ctx));
  return CLI_EXIT_USAGE;
}

int cli_common_opt(cli_common *c, int id, const char *v) {
  switch (id) {
    case CLI_O_CERT: c->cert = v; return 1;
    case CLI_O_KEY: c->key = v; return 1;
    case CLI_O_PASS: c->pass = v; return 1;
    case CLI_O_DTLS: c->dtls = 1; return 1;
    case CLI_O_DTLS_CID: c->dtls_cid = 1; return 1;
    case CLI_O_CIPHERS: c->ciphers = v; return 1;
    case CLI_O_ALPN: c->alpn = v; return 1;
    case CLI_O_GROUPS: c->groups = v; return 1;
    case CLI_O_CRL: c->crl = v; return 1;
    case CLI_O_TLS_MIN: return parse_version(v, "--tls-min", &c->tls_min);
    case CLI_O_TLS_MAX: return parse_version(v, "--tls-max", &c->tls_max);
    case CLI_O_TLS12:
    case CLI_O_TLS13:
      c->tls_min = c->tls_max =
          id == CLI_O_TLS12 ? TLSW_VERSION_TLS1_2 : TLSW_VERSION_TLS1_3;
      return 1;
    case CLI_O_MSG: c->msg = 1; return 1;
    case CLI_O_KEYMAT: c->keymat_label = v; return 1;
    case CLI_O_KEYMAT_LEN:
      if (cli_parse_long(v, 1, CLI_KEYMAT_MAX, &c->keymat_len) == 0) return 1;
      cli_msg("--keymat-len wants a byte count from 1 to %d, not '%s'",
              CLI_KEYMAT_MAX, v);
      return -1;
    case CLI_O_TIMEOUT:
      return cli_parse_seconds(v, 1, 86400, "--timeout", &c->timeout_s) == 0
                 ? 1
                 : -1;
    case CLI_O_HELP: fputs(c->usage, stdout); exit(CLI_EXIT_OK);
    case CLI_O_VERSION:
      cli_print_version(stdout, cli_prog());
      exit(CLI_EXIT_OK);
    case CLI_O_LIST_CIPHERS: exit(cli_list_ciphers(stdout));
    default: return 0;
  }
}
