/*
 * tlsw-client: connect to a TLS (or DTLS) server, show what was negotiated,
 * and relay stdin/stdout over the secure channel, in the spirit of
 * `openssl s_client` and `curl`. Built on the public tlswrap API only.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/args.h"
#include "common/cli.h"
#include "common/http.h"
#include "common/net.h"
#include "common/starttls.h"
#include "common/stdio_io.h"
#include "common/summary.h"
#include "common/tlsctx.h"
#include "tlswrap/dtls.h"
#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

static const char usage[] =
    "Usage: tlsw-client [OPTIONS] HOST[:PORT]\n"
    "       tlsw-client [OPTIONS] https://HOST[:PORT]/PATH\n"
    "\n"
    "Connect to HOST:PORT over TLS (or DTLS), then copy stdin to the server\n"
    "and the server's data to stdout until either side closes. HOST is a\n"
    "name, an IPv4 address or an IPv6 address in brackets; PORT defaults to\n"
    "443. The server's certificate is checked against the system CAs and\n"
    "HOST, unless told otherwise. With a URL, GET its path and print the\n"
    "body, as curl does (same as --get PATH HOST:PORT).\n"
    "\n"
    "Trust:\n"
    "  --cafile FILE       trust the CA certificates in FILE (PEM or DER)\n"
    "                      instead of the system store\n"
    "  --capath DIR        trust every CA certificate file in DIR\n"
    "  -k, --insecure      do not check the server's certificate at all\n"
    "                      (prints a warning; for debugging only)\n"
    "  --servername NAME   name to send (SNI) and to check the certificate\n"
    "                      against; defaults to HOST\n"
    "Client certificate:\n"
    "  --cert FILE         certificate (chain) to present, PEM or DER\n"
    "  --key FILE          its private key (default: in --cert)\n"
    "  --pass SOURCE       password of an encrypted key: pass:TEXT,\n"
    "                      env:VARIABLE or file:PATH\n"
    "Protocol:\n"
    "  --dtls              use DTLS 1.2 over UDP instead of TLS over TCP\n"
    "  --starttls PROTO    speak PROTO (smtp, imap or pop3) in plain text up\n"
    "                      to its STARTTLS command, then TLS\n"
    "  --ciphers LIST      cipher suites, IANA names separated by commas\n"
    "  --list-ciphers      print the available cipher suites and exit\n"
    "Data:\n"
    "  --get PATH          send an HTTP/1.1 GET for PATH and print the body\n"
    "  --wait SECONDS      after stdin ends, wait this long for more data\n"
    "                      from the server before closing (default 2;\n"
    "                      0 closes at once); the server closing ends it too\n"
    "  --timeout SECONDS   limit for connecting and for the handshake, and\n"
    "                      idle limit for --get (default 10)\n"
    "Other:\n"
    "  --msg               trace every record and handshake message, both\n"
    "                      ways, on stderr (like openssl s_client -msg)\n"
    "  -v, --verbose       print a handshake summary on stderr: protocol,\n"
    "                      cipher, certificate subject, issuer, validity,\n"
    "                      SANs, verification result, handshake time\n"
    "  -h, --help          this text\n"
    "  --version           print the version and exit\n"
    "\n"
    "Exit status:\n"
    "  0  success (data relayed, the connection closed cleanly)\n"
    "  2  usage error: bad option, unreadable or invalid cert/key/CA file\n"
    "  3  connection failure: name not resolved, refused, unreachable\n"
    "  4  verification failure: the server's certificate did not verify\n"
    "  5  handshake failure: STARTTLS refused, no common version/cipher,\n"
    "     fatal alert (e.g. the server rejected our certificate or wanted\n"
    "     one), the peer is not a TLS server, handshake timeout\n"
    "  6  I/O error after the handshake: reset, truncation (EOF without\n"
    "     close_notify), stdin/stdout failure\n"
    "\n"
    "Examples:\n"
    "  tlsw-client -v example.com:443 </dev/null\n"
    "  tlsw-client --get / example.com\n"
    "  tlsw-client https://example.com/index.html\n"
    "  echo hello | tlsw-client --cafile ca.pem localhost:4433\n"
    "  tlsw-client --cafile ca.pem --cert me.pem --key me.key [::1]:4433\n"
    "  tlsw-client --dtls --cafile ca.pem 127.0.0.1:4433\n"
    "  tlsw-client --starttls smtp mail.example.com:587\n";

enum {
  O_CAFILE = 1,
  O_CAPATH,
  O_INSECURE,
  O_SERVERNAME,
  O_CERT,
  O_KEY,
  O_PASS,
  O_DTLS,
  O_CIPHERS,
  O_LIST_CIPHERS,
  O_GET,
  O_STARTTLS,
  O_WAIT,
  O_TIMEOUT,
  O_VERBOSE,
  O_MSG,
  O_HELP,
  O_VERSION
};

static const cli_opt options[] = {
    {"cafile", 0, 1, O_CAFILE},
    {"capath", 0, 1, O_CAPATH},
    {"insecure", 'k', 0, O_INSECURE},
    {"servername", 0, 1, O_SERVERNAME},
    {"cert", 0, 1, O_CERT},
    {"key", 0, 1, O_KEY},
    {"pass", 0, 1, O_PASS},
    {"dtls", 0, 0, O_DTLS},
    {"ciphers", 0, 1, O_CIPHERS},
    {"list-ciphers", 0, 0, O_LIST_CIPHERS},
    {"get", 0, 1, O_GET},
    {"starttls", 0, 1, O_STARTTLS},
    {"wait", 0, 1, O_WAIT},
    {"timeout", 0, 1, O_TIMEOUT},
    {"verbose", 'v', 0, O_VERBOSE},
    {"msg", 0, 0, O_MSG},
    {"help", 'h', 0, O_HELP},
    {"version", 0, 0, O_VERSION},
    {NULL, 0, 0, 0},
};

typedef struct client {
  const char *target, *cafile, *capath, *servername, *cert, *key, *pass;
  const char *ciphers, *get_path, *starttls;
  int insecure, dtls, verbose, msg;
  long wait_s, timeout_s;
  char host[256], port[32], peer[80];
  char authority[300], url_path[2048]; /* from an https:// URL */
  int fd;
  tlsw_sock sock;
  tlsw_io io;
  tlsw_ctx *ctx;
  tlsw_session *s;
  cli_chain chain; /* -v: the certificates verification saw */
} client;

/* Set by SIGINT/SIGTERM once the session is up: the relay loop then closes
 * politely (close_notify) instead of dying mid-record. */
static volatile sig_atomic_t interrupted = 0;

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
}

static int parse_args(client *c, int argc, char **argv) {
  cli_args a;
  cli_args_init(&a, argc, argv);
  const char *v;
  int id;
  while ((id = cli_next_opt(&a, options, &v)) != CLI_ARG_END) {
    switch (id) {
      case CLI_ARG_ERROR: return CLI_EXIT_USAGE;
      case CLI_ARG_POSITIONAL:
        if (c->target != NULL) {
          cli_msg("only one HOST:PORT may be given (see --help)");
          return CLI_EXIT_USAGE;
        }
        c->target = v;
        break;
      case O_CAFILE: c->cafile = v; break;
      case O_CAPATH: c->capath = v; break;
      case O_INSECURE: c->insecure = 1; break;
      case O_SERVERNAME: c->servername = v; break;
      case O_CERT: c->cert = v; break;
      case O_KEY: c->key = v; break;
      case O_PASS: c->pass = v; break;
      case O_DTLS: c->dtls = 1; break;
      case O_CIPHERS: c->ciphers = v; break;
      case O_GET: c->get_path = v; break;
      case O_STARTTLS:
        if (!cli_starttls_known(v)) {
          cli_msg("--starttls wants smtp, imap or pop3, not '%s'", v);
          return CLI_EXIT_USAGE;
        }
        c->starttls = v;
        break;
      case O_VERBOSE: c->verbose = 1; break;
      case O_MSG: c->msg = 1; break;
      case O_WAIT:
        if (cli_parse_long(v, 0, 86400, &c->wait_s) != 0) {
          cli_msg("--wait wants whole seconds from 0 to 86400, not '%s'", v);
          return CLI_EXIT_USAGE;
        }
        break;
      case O_TIMEOUT:
        if (cli_parse_long(v, 1, 86400, &c->timeout_s) != 0) {
          cli_msg("--timeout wants whole seconds from 1 to 86400, not '%s'", v);
          return CLI_EXIT_USAGE;
        }
        break;
      case O_HELP: fputs(usage, stdout); exit(CLI_EXIT_OK);
      case O_VERSION:
        cli_print_version(stdout, "tlsw-client");
        exit(CLI_EXIT_OK);
      case O_LIST_CIPHERS: exit(cli_list_ciphers(stdout));
      default: return CLI_EXIT_USAGE;
    }
  }
  if (c->target == NULL) {
    cli_msg(
        "missing HOST:PORT, e.g. tlsw-client example.com:443 (see "
        "--help)");
    return CLI_EXIT_USAGE;
  }
  if ((c->key != NULL || c->pass != NULL) && c->cert == NULL) {
    cli_msg("--key and --pass need --cert FILE");
    return CLI_EXIT_USAGE;
  }
  if (c->insecure && (c->cafile != NULL || c->capath != NULL)) {
    cli_msg(
        "--insecure checks nothing, so --cafile/--capath would be "
        "ignored: drop one of them");
    return CLI_EXIT_USAGE;
  }
  if (c->starttls != NULL && c->dtls) {
    cli_msg("--starttls upgrades a TCP connection; it cannot go with --dtls");
    return CLI_EXIT_USAGE;
  }
  if (c->get_path != NULL && c->dtls) {
    cli_msg("--get speaks HTTP, which runs over TLS, not --dtls");
    return CLI_EXIT_USAGE;
  }
  /* A URL means what it means to curl: GET that path, body on stdout. */
  const char *why = "", *hostport = c->target;
  int url = cli_url_split(c->target, c->authority, sizeof c->authority,
                          c->url_path, sizeof c->url_path, &why);
  if (url < 0) {
    cli_msg("%s: %s", c->target, why);
    return CLI_EXIT_USAGE;
  }
  if (url > 0) {
    if (c->get_path != NULL) {
      cli_msg("give the path in the URL or with --get, not both");
      return CLI_EXIT_USAGE;
    }
    if (c->dtls) {
      cli_msg("an https:// URL means HTTP over TLS, not --dtls");
      return CLI_EXIT_USAGE;
    }
    c->get_path = c->url_path;
    hostport = c->authority;
  }
  if (cli_parse_hostport(hostport, "443", c->host, sizeof c->host, c->port,
                         sizeof c->port) != 0) {
    return CLI_EXIT_USAGE;
  }
  if (c->servername == NULL) c->servername = c->host;
  return CLI_EXIT_OK;
}

static int setup_ctx(client *c) {
  int rc = cli_new_ctx(
      &c->ctx, c->dtls ? TLSW_PROTOCOL_DTLS_CLIENT : TLSW_PROTOCOL_TLS_CLIENT);
  if (rc != CLI_EXIT_OK) return rc;
  if (c->msg) cli_trace_messages(c->ctx, "");
  if (c->insecure) {
    tlsw_ctx_set_verify_mode(c->ctx, TLSW_CERT_NONE);
    cli_msg(
        "WARNING: --insecure: the server's certificate is NOT checked; "
        "anyone on the path can read and change this connection");
  } else if (c->cafile != NULL || c->capath != NULL) {
    if (c->cafile != NULL &&
        (rc = cli_load_ca_file(c->ctx, c->cafile, "--cafile")) != 0) {
      return rc;
    }
    if (c->capath != NULL && (rc = cli_load_ca_dir(c->ctx, c->capath)) != 0) {
      return rc;
    }
  } else if (tlsw_ctx_load_default_certs(c->ctx) != TLSW_OK) {
    cli_msg(
        "cannot load the system CA store: %s; install ca-certificates "
        "or give --cafile FILE",
        tlsw_ctx_message(c->ctx));
    return CLI_EXIT_USAGE;
  }
  if (c->verbose && !c->insecure) {
    tlsw_ctx_set_verify_callback(c->ctx, cli_chain_cb, &c->chain);
  }
  if (c->cert != NULL &&
      (rc = cli_load_identity(c->ctx, c->cert, c->key, c->pass)) != 0) {
    return rc;
  }
  if (c->ciphers != NULL && (rc = cli_set_ciphers(c->ctx, c->ciphers)) != 0) {
    return rc;
  }
  return CLI_EXIT_OK;
}

static short poll_events(const tlsw_session *s) {
  unsigned w = tlsw_want(s);
  short ev = 0;
  if (w & TLSW_WANT_RD) ev |= POLLIN;
  if (w & TLSW_WANT_WR) ev |= POLLOUT;
  return ev ? ev : POLLIN;
}

/* Wait for the socket in the direction the session asked for, at most
 * wait_ms (< 0: no limit) but never past a due DTLS retransmission. Fires
 * the DTLS timer when it is due. Returns TLSW_OK to retry the call, or a
 * fatal status from the timer. */
static int wait_session(client *c, long long wait_ms) {
  long long w = wait_ms;
  if (c->dtls) {
    long t = tlsw_dtls_timeout_ms(c->s);
    if (t >= 0 && (w < 0 || t < w)) w = t;
  }
  struct pollfd p = {c->fd, poll_events(c->s), 0};
  int r = poll(&p, 1, cli_poll_timeout(w));
  if (r < 0 && errno != EINTR) return TLSW_ERR_IO;
  if (r == 0 && c->dtls && tlsw_dtls_timeout_ms(c->s) == 0) {
    int st = tlsw_dtls_handle_timeout(c->s);
    if (st != TLSW_OK && st != TLSW_WANT_READ && st != TLSW_WANT_WRITE) {
      return st;
    }
  }
  return TLSW_OK;
}

static int report_handshake_failure(client *c, int st) {
  /* -v: what was refused, before the one-line verdict (no need to rerun
   * with --insecure to see the certificate). */
  if (c->verbose) cli_print_failure(stderr, c->s, &c->chain);
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

static int do_handshake(client *c) {
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = c->servername;
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
    st = wait_session(c, left);
    if (st != TLSW_OK) return report_handshake_failure(c, st);
  }
  if (c->verbose) {
    cli_print_summary(stderr, c->s, cli_now_ms() - start,
                      c->insecure ? NULL : c->servername, &c->chain);
  }
  return CLI_EXIT_OK;
}

static int report_data_failure(client *c, int st) {
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
  return cli_data_exit(st);
}

/* Send close_notify, waiting briefly if the socket is full. Best effort:
 * the data has been delivered by now, and a peer that went away cannot get
 * it anyway. */
static void close_session(client *c) {
  long long deadline = cli_now_ms() + 2000;
  for (;;) {
    int st = tlsw_shutdown(c->s);
    if (st != TLSW_WANT_READ && st != TLSW_WANT_WRITE) break;
    long long left = deadline - cli_now_ms();
    if (left <= 0 || wait_session(c, left) != TLSW_OK) break;
  }
}

/* Write n bytes of plaintext, waiting as needed (bounded by the timeout). */
static int send_all(client *c, const void *buf, size_t n) {
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
      return report_data_failure(c, st);
    }
    long long left = deadline - cli_now_ms();
    if (left <= 0) {
      cli_msg("%s accepted no data for %ld s (raise --timeout)", c->peer,
              c->timeout_s);
      return CLI_EXIT_IO;
    }
    if ((st = wait_session(c, left)) != TLSW_OK) {
      return report_data_failure(c, st);
    }
  }
  return CLI_EXIT_OK;
}

static int emit_stdout(void *user, const uint8_t *p, size_t n) {
  (void)user;
  return cli_write_all(STDOUT_FILENO, p, n);
}

static int http_get(client *c) {
  char req[4096];
  size_t n = cli_http_request(req, sizeof req, c->servername, c->port,
                              c->get_path, "tlsw-client/" TLSW_VERSION_STRING);
  if (n == 0) {
    cli_msg("--get wants an absolute path without spaces, like /index.html");
    return CLI_EXIT_USAGE;
  }
  int rc = send_all(c, req, n);
  if (rc != CLI_EXIT_OK) return rc;
  cli_http_resp *r = malloc(sizeof *r);
  if (r == NULL) {
    cli_msg("out of memory");
    return CLI_EXIT_IO;
  }
  cli_http_resp_init(r);
  uint8_t buf[16384];
  long long idle_deadline = cli_now_ms() + c->timeout_s * 1000;
  int done = 0;
  rc = CLI_EXIT_OK;
  while (!done) {
    size_t got = 0;
    int st = tlsw_read(c->s, buf, sizeof buf, &got);
    if (st == TLSW_OK) {
      idle_deadline = cli_now_ms() + c->timeout_s * 1000;
      int fr = cli_http_resp_feed(r, buf, got, emit_stdout, NULL);
      if (fr < 0) {
        cli_msg("bad HTTP reply from %s: %s", c->peer, r->err);
        rc = CLI_EXIT_IO;
        break;
      }
      done = fr == 1;
    } else if (st == TLSW_CLOSED) {
      /* A body delimited by the end of the connection is complete only with
       * close_notify; TLSW_ERR_EOF (plain TCP close) is reported below as
       * possible truncation. */
      if (cli_http_resp_eof(r) < 0) {
        cli_msg("bad HTTP reply from %s: %s", c->peer, r->err);
        rc = CLI_EXIT_IO;
      }
      done = 1;
    } else if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
      long long left = idle_deadline - cli_now_ms();
      if (left <= 0) {
        cli_msg(
            "%s sent nothing for %ld s; the reply is incomplete (raise "
            "--timeout)",
            c->peer, c->timeout_s);
        rc = CLI_EXIT_IO;
        break;
      }
      if ((st = wait_session(c, left)) != TLSW_OK) {
        rc = report_data_failure(c, st);
        break;
      }
    } else {
      rc = report_data_failure(c, st);
      break;
    }
  }
  if (rc == CLI_EXIT_OK) {
    if (c->verbose) fprintf(stderr, "* HTTP %d %s\n", r->status, r->reason);
    if (r->status >= 400) {
      cli_msg("note: the server answered %d %s", r->status, r->reason);
    }
  }
  free(r);
  return rc;
}

/* The stdin <-> session relay. One poll() over stdin and the socket; the
 * session is non-blocking. stdin is never put in non-blocking mode (that
 * would change the terminal or pipe for other processes sharing it): it is
 * read only after poll() reports it readable. */
static int relay(client *c) {
  uint8_t in[16384], out[16384];
  size_t in_len = 0, in_off = 0;
  int stdin_open = 1, rc = CLI_EXIT_OK;
  long long quiet_since = 0;
  unsigned write_want = 0;

  cli_on_stop_signals(on_signal);

  while (!interrupted) {
    /* 1. Everything the server sent, until the session would block. */
    int more = 0, peer_done = 0;
    for (int k = 0;; k++) {
      if (k == 64) { /* let stdin have a turn during a long download */
        more = 1;
        break;
      }
      size_t got = 0;
      int st = tlsw_read(c->s, out, sizeof out, &got);
      if (st == TLSW_OK) {
        if (cli_write_all(STDOUT_FILENO, out, got) != 0) {
          cli_msg("cannot write to stdout: %s", strerror(errno));
          rc = CLI_EXIT_IO;
          goto done;
        }
        quiet_since = cli_now_ms();
        continue;
      }
      if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) break;
      if (st == TLSW_CLOSED) {
        peer_done = 1;
        break;
      }
      if (st == TLSW_ERR_DATAGRAM_DROPPED) continue; /* not sticky */
      rc = report_data_failure(c, st);
      goto done;
    }
    if (peer_done) break;
    unsigned read_want = tlsw_want(c->s);

    /* 2. Pending stdin data to the server. */
    write_want = 0;
    while (in_off < in_len) {
      size_t w = 0;
      int st = tlsw_write(c->s, in + in_off, in_len - in_off, &w);
      if (st == TLSW_OK) {
        in_off += w;
        continue;
      }
      if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
        write_want = tlsw_want(c->s);
        break;
      }
      rc = report_data_failure(c, st);
      goto done;
    }
    if (in_off == in_len) in_off = in_len = 0;

    /* 3. stdin is done: wait for the server's last words, then close. */
    long long timeout = -1;
    if (!stdin_open && in_len == 0) {
      long long left = c->wait_s * 1000 - (cli_now_ms() - quiet_since);
      if (left <= 0) break;
      timeout = left;
    }
    if (more || tlsw_pending(c->s) > 0) timeout = 0;

    struct pollfd p[2];
    unsigned want = read_want | write_want;
    p[0].fd = c->fd;
    p[0].events = (short)(((want & TLSW_WANT_RD) ? POLLIN : 0) |
                          ((want & TLSW_WANT_WR) ? POLLOUT : 0));
    if (p[0].events == 0) p[0].events = POLLIN;
    p[0].revents = 0;
    p[1].fd = (stdin_open && in_len == 0) ? STDIN_FILENO : -1;
    p[1].events = POLLIN;
    p[1].revents = 0;
    if (poll(p, 2, cli_poll_timeout(timeout)) < 0 && errno != EINTR) {
      cli_msg("poll failed: %s", strerror(errno));
      rc = CLI_EXIT_IO;
      goto done;
    }
    if (p[1].revents != 0) {
      /* DTLS: one read of stdin becomes one datagram, so never read more
       * than a record can carry. */
      size_t chunk = sizeof in;
      size_t maxp = tlsw_dtls_max_payload(c->s);
      if (maxp > 0 && maxp < chunk) chunk = maxp;
      ssize_t n = read(STDIN_FILENO, in, chunk);
      if (n > 0) {
        in_len = (size_t)n;
        in_off = 0;
      } else if (n == 0 || errno == EBADF) {
        stdin_open = 0;
        quiet_since = cli_now_ms();
      } else if (errno != EINTR && errno != EAGAIN) {
        cli_msg("cannot read stdin: %s", strerror(errno));
        rc = CLI_EXIT_IO;
        goto done;
      }
    }
  }
done:
  close_session(c);
  return rc;
}

int main(int argc, char **argv) {
  cli_set_prog("tlsw-client");
  /* A peer that hangs up must give an error status, not kill us. */
  signal(SIGPIPE, SIG_IGN);
  client c;
  memset(&c, 0, sizeof c);
  c.fd = -1;
  c.wait_s = 2;
  c.timeout_s = 10;
  int rc = parse_args(&c, argc, argv);
  if (rc != CLI_EXIT_OK) return rc;
  if ((rc = setup_ctx(&c)) != CLI_EXIT_OK) goto out;

  char err[512];
  c.fd = cli_connect(c.host, c.port, c.dtls ? SOCK_DGRAM : SOCK_STREAM,
                     (int)(c.timeout_s * 1000), err, sizeof err, c.peer,
                     sizeof c.peer);
  if (c.fd < 0) {
    cli_msg("%s", err);
    rc = CLI_EXIT_CONNECT;
    goto out;
  }
  if (c.verbose) {
    fprintf(stderr, "* connected to %s (%s)\n", c.peer, c.dtls ? "UDP" : "TCP");
  }
  if (c.starttls != NULL &&
      cli_starttls(c.fd, c.starttls, c.peer, (int)(c.timeout_s * 1000)) != 0) {
    rc = CLI_EXIT_HANDSHAKE;
    goto out;
  }
  tlsw_sock_io(&c.sock, c.fd, 0, &c.io);
  if ((rc = do_handshake(&c)) != CLI_EXIT_OK) goto out;
  rc = c.get_path != NULL ? http_get(&c) : relay(&c);
  /* close_notify in every case the session is still healthy (a bad HTTP
   * reply is no reason to cut the connection rudely); on a dead session
   * tlsw_shutdown() just returns its sticky error. */
  if (c.get_path != NULL) close_session(&c);
out:
  tlsw_session_free(c.s);
  tlsw_ctx_free(c.ctx);
  cli_chain_free(&c.chain);
  if (c.fd >= 0) close(c.fd);
  return rc;
}
