/*
 * --ticket-key FILE [--ticket-key-prev FILE]: session tickets sealed with a
 * secret that a fleet of tlsw-server processes shares (32 to 64 bytes,
 * e.g. `head -c 48 /dev/urandom > ticket.key`), so a client resumes on
 * any of them; the previous secret keeps tickets issued before a rotation
 * valid.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../common/cli.h"
#include "server.h"

/* The secret in path: 32 to 64 bytes (a file of any other size is an
 * error, never cut or padded). Returns its length, or 0 after a message. */
static size_t read_secret(const char *opt, const char *path, uint8_t *buf) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    cli_msg("cannot open %s %s: %s", opt, path, strerror(errno));
    return 0;
  }
  size_t n = fread(buf, 1, 65, f);
  int bad = ferror(f);
  fclose(f);
  if (bad || n < 32 || n > 64) {
    cli_msg(
        "%s %s: the file must hold 32 to 64 bytes (it holds %s%zu); "
        "make one with: head -c 48 /dev/urandom > FILE",
        opt, path, n > 64 ? "more than " : "", n > 64 ? (size_t)64 : n);
    return 0;
  }
  return n;
}

int srv_set_ticket_keys(server *sv) {
  if (sv->ticket_key == NULL) {
    if (sv->ticket_key_prev == NULL) return CLI_EXIT_OK;
    cli_msg("--ticket-key-prev needs --ticket-key FILE");
    return CLI_EXIT_USAGE;
  }
  uint8_t cur[65], prev[65];
  size_t n = read_secret("--ticket-key", sv->ticket_key, cur);
  size_t m = sv->ticket_key_prev == NULL
                 ? n
                 : read_secret("--ticket-key-prev", sv->ticket_key_prev, prev);
  if (n == 0 || m == 0) return CLI_EXIT_USAGE;
  if (m != n) {
    cli_msg("--ticket-key and --ticket-key-prev must be the same length");
    return CLI_EXIT_USAGE;
  }
  int st = tlsw_ctx_set_ticket_keys(
      sv->ctx, cur, sv->ticket_key_prev != NULL ? prev : NULL, n);
  memset(cur, 0, sizeof cur);
  memset(prev, 0, sizeof prev);
  if (st == TLSW_OK) return CLI_EXIT_OK;
  cli_msg("bad --ticket-key: %s", tlsw_ctx_message(sv->ctx));
  return CLI_EXIT_USAGE;
}
