#include "opts.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "tlsctx.h"

int cli_parse_seconds(const char *v, long min, long max, const char *what,
                      long *out) {
  if (cli_parse_long(v, min, max, out) == 0) return 0;
  cli_msg("%s wants whole seconds from %ld to %ld, not '%s'", what, min, max,
          v);
  return -1;
}

int cli_common_opt(cli_common *c, int id, const char *v) {
  switch (id) {
    case CLI_O_CERT: c->cert = v; return 1;
    case CLI_O_KEY: c->key = v; return 1;
    case CLI_O_PASS: c->pass = v; return 1;
    case CLI_O_DTLS: c->dtls = 1; return 1;
    case CLI_O_CIPHERS: c->ciphers = v; return 1;
    case CLI_O_ALPN: c->alpn = v; return 1;
    case CLI_O_MSG: c->msg = 1; return 1;
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
