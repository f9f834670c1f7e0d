/* --sess-in / --sess-out: a saved TLS session, in a file, resumed by the
 * next run (openssl s_client's -sess_in/-sess_out). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"
#include "common/cli.h"
#include "common/stdio_io.h"

/* Larger than any session wolfSSL encodes (a ticket, secrets and, with
 * SESSION_CERTS, the peer's chain). */
#define SESS_FILE_MAX (64 * 1024)

int client_load_session(client *c) {
  if (c->sess_in == NULL) return CLI_EXIT_OK;
  FILE *f = fopen(c->sess_in, "rb");
  if (f == NULL) {
    cli_msg("cannot read --sess-in %s: %s", c->sess_in, strerror(errno));
    return CLI_EXIT_USAGE;
  }
  c->sess = malloc(SESS_FILE_MAX);
  size_t n = c->sess ? fread(c->sess, 1, SESS_FILE_MAX, f) : 0;
  int bad = ferror(f) || n == 0 || n == SESS_FILE_MAX;
  fclose(f);
  if (bad) {
    cli_msg("cannot read --sess-in %s: %s", c->sess_in,
            c->sess == NULL ? "out of memory" : "empty, too big or unreadable");
    return CLI_EXIT_USAGE;
  }
  c->sess_len = n;
  return CLI_EXIT_OK;
}

/* A TLS 1.3 ticket comes after the handshake: when none has been read
 * yet, read (relaying any data to stdout) for up to a second. */
static int wait_for_ticket(client *c, uint8_t *buf, size_t cap, size_t *len) {
  long long deadline = cli_now_ms() + 1000;
  int st;
  while ((st = tlsw_session_save(c->s, buf, cap, len)) == TLSW_ERR_STATE) {
    char data[4096];
    size_t got = 0;
    int rs = tlsw_read(c->s, data, sizeof data, &got);
    if (rs == TLSW_OK) {
      if (cli_write_all(STDOUT_FILENO, data, got) != 0) break;
      continue;
    }
    long long left = deadline - cli_now_ms();
    if ((rs != TLSW_WANT_READ && rs != TLSW_WANT_WRITE) || left <= 0 ||
        client_wait_session(c, left) != TLSW_OK) {
      break;
    }
  }
  return st;
}

void client_save_session(client *c) {
  if (c->sess_out == NULL || c->s == NULL ||
      !tlsw_session_handshake_done(c->s)) {
    return;
  }
  static uint8_t buf[SESS_FILE_MAX];
  size_t len = 0;
  int st = wait_for_ticket(c, buf, sizeof buf, &len);
  if (st != TLSW_OK) {
    cli_msg("no session saved to --sess-out %s: %s", c->sess_out,
            tlsw_session_message(c->s));
    return;
  }
  /* The file holds the session's secrets: only its owner may read it. */
  int fd = open(c->sess_out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || cli_write_all(fd, buf, len) != 0) {
    cli_msg("cannot write --sess-out %s: %s", c->sess_out, strerror(errno));
  }
  if (fd >= 0) close(fd);
  memset(buf, 0, len);
}
