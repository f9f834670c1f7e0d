/* tlsw-client: the handshake, waiting on the session, failure reports. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "common/cli.h"
#include "common/summary.h"
#include "common/tlsctx.h"
#include "tlswrap/dtls.h"

static short poll_events(const tlsw_session *s) {
  unsigned w = tlsw_session_want(s);
  short ev = 0;
  if (w & TLSW_DIR_READ) ev |= POLLIN;
  if (w & TLSW_DIR_WRITE) ev |= POLLOUT;
  return ev ? ev : POLLIN;
}

/* Wait for the socket in the direction the session asked for, at most
 * wait_ms (< 0: no limit) but never past a due DTLS retransmission. Fires
 * the DTLS timer when it is due. Returns TLSW_OK to retry the call, or a
 * fatal status from the timer. */
int client_wait_session(client *c, long long wait_ms) {
  long long w = wait_ms;
  if (c->dtls) {
    long t = tlsw_session_dtls_timeout_ms(c->s);
    if (t >= 0 && (w < 0 || t < w)) w = t;
  }
  struct pollfd p = {c->fd, poll_events(c->s), 0};
  int r = poll(&p, 1, cli_poll_timeout(w));
  if (r < 0 && errno != EINTR) return TLSW_ERR_IO;
  if (r == 0 && c->dtls && tlsw_session_dtls_timeout_ms(c->s) == 0) {
    int st = tlsw_dtls_handle_timeout(c->s);
    if (st != TLSW_OK && st != TLSW_WANT_READ && st != TLSW_WANT_WRITE) {
      return st;
    }
  }
  return TLSW_OK;
}

/* -v with --ocsp: what the stapled response said. */
static void print_ocsp(const client *c) {
  if (!c->ocsp) return;
  static const char *const said[] = {"none", "good", "revoked", "invalid"};
  int o = tlsw_session_ocsp_status(c->s);
  fprintf(stderr, "* OCSP:     %s\n", o >= 0 && o < 4 ? said[o] : "(unknown)");
}

static int report_handshake_failure(client *c, int st) {
  if (c->dtls && c->sock.last_errno == ECONNREFUSED && c->more_addrs) {
    /* localhost as ::1 first, a server on 127.0.0.1 only: the UDP
     * connect() worked, the datagram came back "port unreachable". */
    if (c->verbose) {
      fprintf(stderr, "* %s refused the datagrams; trying the next address\n",
              c->peer);
    }
    return HANDSHAKE_NEXT_ADDR;
  }
  /* -v: what was refused, before the one-line verdict (no need to rerun
   * with --insecure to see the certificate). */
  if (c->verbose) {
    cli_print_failure(stderr, c->s, &c->chain);
    print_ocsp(c);
  }
  const char *hint = cli_hint_for(st, tlsw_session_message(c->s), 0);
  int rc = cli_handshake_exit(st);
  /* A DTLS "connection" is only known to be refused once the ICMP error
   * comes back on the first datagrams. */
  if (c->sock.last_errno == ECONNREFUSED) {
    cli_msg(
        "%s refused the connection (nothing listens on that UDP port?): "
        "%s",
        c->peer, tlsw_session_message(c->s));
    return CLI_EXIT_CONNECT;
  }
  cli_msg("handshake with %s failed: %s%s%s", c->peer,
          cli_after_prefix(tlsw_session_message(c->s), "handshake failed"),
          hint[0] ? "; " : "", hint);
  return rc;
}

int client_do_handshake(client *c) {
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = c->servername;
  o.session = c->sess;
  o.session_len = c->sess_len;
  int st = tlsw_wrap(c->ctx, &c->io, &o, &c->s);
  if (st != TLSW_OK) {
    if (c->s == NULL) {
      cli_msg("cannot create a session: %s", tlsw_strerror(st));
      return CLI_EXIT_IO;
    }
    cli_msg("cannot start the handshake: %s", tlsw_session_message(c->s));
    return CLI_EXIT_USAGE;
  }
  long long start = cli_now_ms(), deadline = start + c->timeout_s * 1000;
  for (;;) {
    st = tlsw_handshake(c->s);
    if (st == TLSW_OK) break;
    if (st == TLSW_ERR_DATAGRAM_DROPPED) continue; /* junk datagram, ignored */
    if (st != TLSW_WANT_READ && st != TLSW_WANT_WRITE) {
      return report_handshake_failure(c, st);
    }
    long long left = deadline - cli_now_ms();
    if (left <= 0) {
      cli_msg(
          "no handshake with %s within %ld s: is it a %s server? (raise "
          "--timeout for slow links%s)",
          c->peer, c->timeout_s, c->dtls ? "DTLS" : "TLS",
          c->dtls ? "; a DTLS server that refuses us, e.g. for lack of a "
                    "client certificate (--cert/--key), may just go silent"
                  : "");
      return CLI_EXIT_HANDSHAKE;
    }
    st = client_wait_session(c, left);
    if (st != TLSW_OK) return report_handshake_failure(c, st);
  }
  /* Before "* handshake:" is printed: a script that waits for that line
   * and then sends SIGTERM must get the polite close, not the default
   * action (seen: exit 143 under load). --get keeps the default: its
   * loop does not look at the flag. */
  if (c->get_path == NULL) client_catch_stop_signals();
  if (c->verbose) {
    cli_print_summary(stderr, c->s, cli_now_ms() - start,
                      c->insecure ? NULL : c->servername, &c->chain);
    print_ocsp(c);
  }
  if (c->show_certs) client_show_certs(stderr, c->s);
  if (c->keymat_label != NULL) {
    char hex[2 * CLI_KEYMAT_MAX + 1];
    if (cli_keymat_hex(c->s, c->keymat_label, c->keymat_len, hex, sizeof hex) !=
        0) {
      cli_msg("--keymat-export: %s", hex);
      return CLI_EXIT_USAGE;
    }
    fprintf(stderr, "* keying material: label '%s', %ld bytes: %s\n",
            c->keymat_label, c->keymat_len, hex);
  }
  return CLI_EXIT_OK;
}

int client_report_data_failure(client *c, int st) {
  if (st == TLSW_ERR_EOF) {
    cli_msg(
        "%s closed the connection without close_notify, so the data may "
        "be truncated; the server or a middlebox cut it short",
        c->peer);
    return CLI_EXIT_IO;
  }
  /* The handshake hints ("is it a TLS server?") do not fit a connection
   * that was working. */
  const char *hint = tlsw_status_category(st) == TLSW_CAT_IO
                         ? "the server or the network dropped the connection"
                         : cli_hint_for(st, tlsw_session_message(c->s), 0);
  if (st == TLSW_ERR_ALERT &&
      strncmp(hint, "the server refused the handshake", 32) == 0) {
    /* Not the handshake's guesses ("no common cipher suite"): the handshake
     * was done (issue #13). */
    hint =
        "the server ended the session with a fatal alert after the "
        "handshake: it may have rejected something we sent";
  }
  cli_msg("connection to %s failed: %s%s%s", c->peer,
          tlsw_session_message(c->s), hint[0] ? "; " : "", hint);
  /* A fatal alert on a working connection (a refused renegotiation, a
   * record the server could not decrypt) is exit 6 as docs/cli.md says
   * (issue #13: it was 5); one refusing our certificate stays 5, since a
   * TLS 1.3 client learns of it only after its handshake. */
  if (st == TLSW_ERR_ALERT &&
      !cli_alert_refuses_cert(tlsw_session_message(c->s))) {
    return CLI_EXIT_IO;
  }
  return cli_data_exit(st);
}

/* Send close_notify, waiting briefly if the socket is full. Best effort:
 * the data has been delivered by now, and a peer that went away cannot get
 * it anyway. */
void client_close_session(client *c) {
  client_save_session(c);
  long long deadline = cli_now_ms() + 2000;
  for (;;) {
    int st = tlsw_shutdown(c->s);
    if (st != TLSW_WANT_READ && st != TLSW_WANT_WRITE) break;
    long long left = deadline - cli_now_ms();
    if (left <= 0 || client_wait_session(c, left) != TLSW_OK) break;
  }
}

/* Write n bytes of plaintext, waiting as needed (bounded by the timeout). */
int client_send_all(client *c, const void *buf, size_t n) {
  const char *p = buf;
  long long deadline = cli_now_ms() + c->timeout_s * 1000;
  while (n > 0) {
    size_t w = 0;
    int st = tlsw_write(c->s, p, n, &w);
    if (st == TLSW_OK) {
      p += w;
      n -= w;
      continue;
    }
    if (st != TLSW_WANT_READ && st != TLSW_WANT_WRITE) {
      return client_report_data_failure(c, st);
    }
    long long left = deadline - cli_now_ms();
    if (left <= 0) {
      cli_msg("%s accepted no data for %ld s (raise --timeout)", c->peer,
              c->timeout_s);
      return CLI_EXIT_IO;
    }
    if ((st = client_wait_session(c, left)) != TLSW_OK) {
      return client_report_data_failure(c, st);
    }
  }
  return CLI_EXIT_OK;
}
