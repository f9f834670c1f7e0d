/* tlsw-client: the stdin <-> session relay, and --get. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "common/cli.h"
#include "common/http.h"
#include "common/stdio_io.h"
#include "tlswrap/dtls.h"

/* Set by SIGINT/SIGTERM once the session is up: the relay loop then closes
 * politely (close_notify) instead of dying mid-record. */
static volatile sig_atomic_t interrupted = 0;

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
}

static int emit_stdout(void *user, const uint8_t *p, size_t n) {
  (void)user;
  return cli_write_all(STDOUT_FILENO, p, n);
}

/* Read the reply into r, the body to stdout, until it is complete. */
static int http_read_reply(client *c, cli_http_resp *r) {
  uint8_t buf[16384];
  long long idle_deadline = cli_now_ms() + c->timeout_s * 1000;
  for (;;) {
    size_t got = 0;
    int st = tlsw_read(c->s, buf, sizeof buf, &got);
    if (st == TLSW_OK) {
      idle_deadline = cli_now_ms() + c->timeout_s * 1000;
      int fr = cli_http_resp_feed(r, buf, got, emit_stdout, NULL);
      if (fr == 0) continue;
      if (fr > 0) return CLI_EXIT_OK;
      cli_msg("bad HTTP reply from %s: %s", c->peer, r->err);
      return CLI_EXIT_IO;
    }
    if (st == TLSW_CLOSED) {
      /* A body delimited by the end of the connection is complete only
       * with close_notify; TLSW_ERR_EOF (plain TCP close) is reported as
       * possible truncation. */
      if (cli_http_resp_eof(r) >= 0) return CLI_EXIT_OK;
      cli_msg("bad HTTP reply from %s: %s", c->peer, r->err);
      return CLI_EXIT_IO;
    }
    if (st != TLSW_WANT_READ && st != TLSW_WANT_WRITE) {
      return client_report_data_failure(c, st);
    }
    long long left = idle_deadline - cli_now_ms();
    if (left <= 0) {
      cli_msg(
          "%s sent nothing for %ld s; the reply is incomplete (raise "
          "--timeout)",
          c->peer, c->timeout_s);
      return CLI_EXIT_IO;
    }
    if ((st = client_wait_session(c, left)) != TLSW_OK) {
      return client_report_data_failure(c, st);
    }
  }
}

int client_http_get(client *c) {
  char req[4096];
  size_t n = cli_http_request(req, sizeof req, c->servername, c->port,
                              c->get_path, "tlsw-client/" TLSW_VERSION_STRING);
  if (n == 0) {
    cli_msg("--get wants an absolute path without spaces, like /index.html");
    return CLI_EXIT_USAGE;
  }
  int rc = client_send_all(c, req, n);
  if (rc != CLI_EXIT_OK) return rc;
  cli_http_resp *r = malloc(sizeof *r);
  if (r == NULL) {
    cli_msg("out of memory");
    return CLI_EXIT_IO;
  }
  cli_http_resp_init(r);
  rc = http_read_reply(c, r);
  if (rc == CLI_EXIT_OK) {
    if (c->verbose) fprintf(stderr, "* HTTP %d %s\n", r->status, r->reason);
    if (r->status >= 400) {
      cli_msg("note: the server answered %d %s", r->status, r->reason);
    }
  }
  free(r);
  return rc;
}

/* The relay's buffers and stdin's state. */
typedef struct relay_state {
  uint8_t in[16384], out[16384];
  size_t in_len, in_off;
  int stdin_open;
  long long quiet_since; /* when the server last sent data */
} relay_state;

/* The relay steps return RELAY_ON to go on, else the relay's exit status. */
#define RELAY_ON (-1)

/* Everything the server sent, until the session would block. *more: stopped
 * early to let stdin have a turn. CLI_EXIT_OK once the server closed. */
static int relay_from_server(client *c, relay_state *r, int *more) {
  for (int k = 0; k < 64; k++) { /* then stdin's turn, in a long download */
    size_t got = 0;
    int st = tlsw_read(c->s, r->out, sizeof r->out, &got);
    if (st == TLSW_OK) {
      if (cli_write_all(STDOUT_FILENO, r->out, got) != 0) {
        cli_msg("cannot write to stdout: %s", strerror(errno));
        return CLI_EXIT_IO;
      }
      r->quiet_since = cli_now_ms();
      continue;
    }
    if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) return RELAY_ON;
    if (st == TLSW_CLOSED) return CLI_EXIT_OK;
    if (st == TLSW_ERR_DATAGRAM_DROPPED) continue; /* not sticky */
    return client_report_data_failure(c, st);
  }
  *more = 1;
  return RELAY_ON;
}

/* Pending stdin data to the server; *want: what a blocked write waits on. */
static int relay_to_server(client *c, relay_state *r, unsigned *want) {
  while (r->in_off < r->in_len) {
    size_t w = 0;
    int st = tlsw_write(c->s, r->in + r->in_off, r->in_len - r->in_off, &w);
    if (st == TLSW_OK) {
      r->in_off += w;
      continue;
    }
    if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
      *want = tlsw_session_want(c->s);
      return RELAY_ON;
    }
    return client_report_data_failure(c, st);
  }
  r->in_off = r->in_len = 0;
  return RELAY_ON;
}

/* Read stdin once poll() said it is readable. */
static int relay_read_stdin(client *c, relay_state *r) {
  /* DTLS: one read of stdin becomes one datagram, so never read more than
   * a record can carry. */
  size_t chunk = sizeof r->in;
  size_t maxp = tlsw_session_dtls_max_payload(c->s);
  if (maxp > 0 && maxp < chunk) chunk = maxp;
  ssize_t n = read(STDIN_FILENO, r->in, chunk);
  if (n > 0) {
    r->in_len = (size_t)n;
    r->in_off = 0;
  } else if (n == 0 || errno == EBADF) {
    r->stdin_open = 0;
    r->quiet_since = cli_now_ms();
  } else if (errno != EINTR && errno != EAGAIN) {
    cli_msg("cannot read stdin: %s", strerror(errno));
    return CLI_EXIT_IO;
  }
  return RELAY_ON;
}

/* One poll() over the socket (for want) and stdin (when it is open and
 * nothing of it is pending). */
static int relay_wait(client *c, relay_state *r, unsigned want,
                      long long timeout) {
  struct pollfd p[2];
  p[0].fd = c->fd;
  p[0].events = (short)(((want & TLSW_DIR_READ) ? POLLIN : 0) |
                        ((want & TLSW_DIR_WRITE) ? POLLOUT : 0));
  if (p[0].events == 0) p[0].events = POLLIN;
  p[0].revents = 0;
  p[1].fd = (r->stdin_open && r->in_len == 0) ? STDIN_FILENO : -1;
  p[1].events = POLLIN;
  p[1].revents = 0;
  if (poll(p, 2, cli_poll_timeout(timeout)) < 0 && errno != EINTR) {
    cli_msg("poll failed: %s", strerror(errno));
    return CLI_EXIT_IO;
  }
  return p[1].revents != 0 ? relay_read_stdin(c, r) : RELAY_ON;
}

/* The stdin <-> session relay. One poll() over stdin and the socket; the
 * session is non-blocking. stdin is never put in non-blocking mode (that
 * would change the terminal or pipe for other processes sharing it): it is
 * read only after poll() reports it readable. */
void client_catch_stop_signals(void) {
  cli_on_stop_signals(on_signal);
}

int client_relay(client *c) {
  relay_state r;
  memset(&r, 0, sizeof r);
  r.stdin_open = 1;
  int rc = RELAY_ON;
  while (!interrupted && rc == RELAY_ON) {
    int more = 0;
    unsigned write_want = 0;
    if ((rc = relay_from_server(c, &r, &more)) != RELAY_ON) break;
    unsigned read_want = tlsw_session_want(c->s);
    if ((rc = relay_to_server(c, &r, &write_want)) != RELAY_ON) break;
    /* stdin is done: wait for the server's last words, then close. */
    long long timeout = -1;
    if (!r.stdin_open && r.in_len == 0) {
      long long left = c->wait_s * 1000 - (cli_now_ms() - r.quiet_since);
      if (left <= 0) break;
      timeout = left;
    }
    if (more || tlsw_session_pending(c->s) > 0) timeout = 0;
    rc = relay_wait(c, &r, read_want | write_want, timeout);
  }
  client_close_session(c);
  return rc == RELAY_ON ? CLI_EXIT_OK : rc;
}
