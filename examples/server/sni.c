/*
 * --sni NAME:CERT[:KEY]: another certificate chain for clients asking for
 * NAME (exact, or *.domain for one label), each loaded into a server
 * context of its own, checked as --cert/--key are, and added to the main
 * context (tlsw_ctx_add_server_name). Clients asking for other names, or
 * none, get --cert.
 */
#include <stdio.h>
#include <string.h>

#include "../common/cli.h"
#include "../common/tlsctx.h"
#include "server.h"

int srv_add_sni(server *sv, const char *spec) {
  if (sv->n_sni == SRV_MAX_SNI) {
    cli_msg("--sni: at most %d of them", SRV_MAX_SNI);
    return CLI_EXIT_USAGE;
  }
  const char *c1 = strchr(spec, ':');
  if (c1 == NULL || c1 == spec || c1[1] == '\0' || c1 - spec > 253) {
    cli_msg("--sni wants NAME:CERT[:KEY], not '%s'", spec);
    return CLI_EXIT_USAGE;
  }
  sv->sni[sv->n_sni++] = spec;
  return CLI_EXIT_OK;
}

static int load_one(server *sv, const char *spec) {
  char name[254], cert[4096], key[4096];
  const char *c1 = strchr(spec, ':');
  const char *c2 = strchr(c1 + 1, ':');
  snprintf(name, sizeof name, "%.*s", (int)(c1 - spec), spec);
  size_t clen = c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
  if (clen >= sizeof cert || (c2 && strlen(c2 + 1) >= sizeof key)) {
    cli_msg("--sni %s: path too long", name);
    return CLI_EXIT_USAGE;
  }
  snprintf(cert, sizeof cert, "%.*s", (int)clen, c1 + 1);
  snprintf(key, sizeof key, "%s", c2 ? c2 + 1 : "");
  tlsw_ctx *chain = NULL;
  int rc = cli_new_ctx(
      &chain, sv->dtls ? TLSW_PROTOCOL_DTLS_SERVER : TLSW_PROTOCOL_TLS_SERVER);
  if (rc != CLI_EXIT_OK) return rc;
  rc = cli_load_identity(chain, cert, key[0] ? key : NULL, sv->pass);
  if (rc == CLI_EXIT_OK &&
      tlsw_ctx_add_server_name(sv->ctx, name, chain) != TLSW_OK) {
    cli_msg("bad --sni %s: %s", name, tlsw_ctx_message(sv->ctx));
    rc = CLI_EXIT_USAGE;
  }
  tlsw_ctx_free(chain); /* sv->ctx holds it now */
  return rc;
}

int srv_load_sni(server *sv) {
  for (size_t i = 0; i < sv->n_sni; i++) {
    int rc = load_one(sv, sv->sni[i]);
    if (rc != CLI_EXIT_OK) return rc;
  }
  return CLI_EXIT_OK;
}
