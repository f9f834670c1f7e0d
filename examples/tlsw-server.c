/*
 * tlsw-server: a TLS/DTLS test server in the spirit of `openssl s_server`.
 * One thread serves many clients with non-blocking sessions and poll():
 * echo (default), --file (send a file, then close) or --http (answer GETs
 * with a small page). One log line per connection on stderr.
 * Built on the public tlswrap API only.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/args.h"
#include "common/cli.h"
#include "common/http.h"
#include "common/net.h"
#include "common/tlsctx.h"
#include "common/www.h"
#include "common/x509_info.h"
#include "tlswrap/dtls.h"
#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

static const char usage[] =
    "Usage: tlsw-server --cert FILE [--key FILE] [OPTIONS]\n"
    "\n"
    "Serve TLS (or DTLS) clients on 127.0.0.1 (change with --bind). Many\n"
    "clients are served at once. By default every client gets its own data\n"
    "echoed back. The address and port are printed on stdout at start-up\n"
    "(\"listening on 127.0.0.1:4433\"); one line per connection goes to\n"
    "stderr: peer, protocol, cipher, bytes in/out, duration, outcome.\n"
    "\n"
    "Identity:\n"
    "  --cert FILE         certificate (chain, leaf first), PEM or DER\n"
    "  --key FILE          its private key (default: in --cert)\n"
    "  --pass SOURCE       password of an encrypted key: pass:TEXT,\n"
    "                      env:VARIABLE or file:PATH\n"
    "Network:\n"
    "  -p, --port N        port to listen on (default 4433; 0 lets the\n"
    "                      system pick one, which is then printed)\n"
    "  --bind ADDR         address to listen on (default 127.0.0.1; use\n"
    "                      0.0.0.0 or :: to accept other machines)\n"
    "  --dtls              DTLS 1.2 over UDP (with HelloVerify cookies)\n"
    "                      instead of TLS over TCP; echo mode only\n"
    "Client certificates:\n"
    "  --client-ca FILE    CA certificates that client certificates must\n"
    "                      chain to\n"
    "  --verify MODE       none: do not ask for one; optional: ask, accept\n"
    "                      clients without one; required: refuse clients\n"
    "                      without a valid one (default with --client-ca:\n"
    "                      required, else none)\n"
    "Protocol:\n"
    "  --ciphers LIST      cipher suites, IANA names separated by commas\n"
    "  --list-ciphers      print the available cipher suites and exit\n"
    "What to serve:\n"
    "  (default)           echo every byte back to its sender\n"
    "  --file PATH         send the file to each client, then close\n"
    "  --http              answer HTTP GET/HEAD requests with a small page\n"
    "  --www DIR           serve the files under DIR over HTTPS (GET only;\n"
    "                      nothing outside DIR: '..' and symlinks out are\n"
    "                      refused; Content-Type from the extension)\n"
    "Limits:\n"
    "  --max-clients N     connections at once (default 256)\n"
    "  --timeout SECONDS   handshake time limit per client (default 10)\n"
    "  --idle SECONDS      close connections idle this long (default 300;\n"
    "                      0: never)\n"
    "  --count N           exit after N connections have ended\n"
    "Other:\n"
    "  -q, --quiet         no per-connection log lines\n"
    "  --msg               trace every record and handshake message, both\n"
    "                      ways, on stderr (like openssl s_server -msg)\n"
    "  -h, --help          this text\n"
    "  --version           print the version and exit\n"
    "\n"
    "Exit status: 0 stopped by SIGINT/SIGTERM or --count; 2 usage error\n"
    "(bad option, unreadable or invalid cert/key/CA/file); 3 cannot listen\n"
    "on the address; 6 I/O error of the listening socket.\n"
    "\n"
    "Examples:\n"
    "  tlsw-server --cert server.pem --key server.key --port 4433\n"
    "  tlsw-server --cert server.pem --key server.key --http --port 8443\n"
    "      then: curl --cacert ca.pem https://localhost:8443/\n"
    "  tlsw-server --cert server.pem --key server.key --client-ca ca.pem\n"
    "  tlsw-server --cert server.pem --key server.key --dtls --port 0\n"
    "  tlsw-server --cert server.pem --key server.key --file big.iso\n"
    "  tlsw-server --cert server.pem --key server.key --www ./site\n";

enum {
  O_CERT = 1,
  O_KEY,
  O_PASS,
  O_PORT,
  O_BIND,
  O_DTLS,
  O_CLIENT_CA,
  O_VERIFY,
  O_CIPHERS,
  O_LIST_CIPHERS,
  O_FILE,
  O_HTTP,
  O_WWW,
  O_MAX_CLIENTS,
  O_TIMEOUT,
  O_IDLE,
  O_COUNT,
  O_QUIET,
  O_MSG,
  O_HELP,
  O_VERSION
};

static const cli_opt options[] = {
    {"cert", 0, 1, O_CERT},
    {"key", 0, 1, O_KEY},
    {"pass", 0, 1, O_PASS},
    {"port", 'p', 1, O_PORT},
    {"bind", 0, 1, O_BIND},
    {"dtls", 0, 0, O_DTLS},
    {"client-ca", 0, 1, O_CLIENT_CA},
    {"verify", 0, 1, O_VERIFY},
    {"ciphers", 0, 1, O_CIPHERS},
    {"list-ciphers", 0, 0, O_LIST_CIPHERS},
    {"file", 0, 1, O_FILE},
    {"http", 0, 0, O_HTTP},
    {"www", 0, 1, O_WWW},
    {"max-clients", 0, 1, O_MAX_CLIENTS},
    {"timeout", 0, 1, O_TIMEOUT},
    {"idle", 0, 1, O_IDLE},
    {"count", 0, 1, O_COUNT},
    {"quiet", 'q', 0, O_QUIET},
    {"msg", 0, 0, O_MSG},
    {"help", 'h', 0, O_HELP},
    {"version", 0, 0, O_VERSION},
    {NULL, 0, 0, 0},
};

enum mode { MODE_ECHO, MODE_FILE, MODE_HTTP, MODE_WWW };
enum cstate { C_HANDSHAKE, C_DATA, C_CLOSING, C_LINGER, C_DONE };

#define BUF_SIZE 16384
#define LINGER_MS 2000

typedef struct conn {
  int fd; /* TCP: the connection; DTLS: -1 */
  tlsw_sock sock;
  tlsw_io io;
  tlsw_session *s;
  tlsw_dtls_conn *dc; /* DTLS: the helper's connection */
  char peer[80];
  enum cstate state;
  short events; /* what the session waits for */
  int ready;    /* has work left without waiting */
  long long start_ms, last_ms, state_ms;
  unsigned long long in, out;
  uint8_t buf[BUF_SIZE]; /* plaintext waiting to be written */
  size_t len, off;
  FILE *file;
  int file_next; /* --www: send file after resp */
  char *resp;    /* --http/--www response (head) */
  char req[8192];
  size_t req_len;
  char outcome[400];
  char client_cert[200];
  char version[16], cipher[80]; /* kept: a failed close frees the session */
} conn;

typedef struct server {
  const char *cert, *key, *pass, *bind, *client_ca, *ciphers, *file, *www;
  char www_root[4096]; /* --www DIR's real path */
  const char *port;
  char port_buf[8];
  int dtls, quiet, msg, verify; /* verify: -1 unset, else tlsw_verify_mode */
  enum mode mode;
  long max_clients, timeout_s, idle_s, count;
  long ended;
  size_t peak;               /* most connections at once */
  unsigned long dtls_failed; /* failed DTLS handshakes already logged */
  tlsw_ctx *ctx;
  int lfd;
  conn **conns;
  size_t nconns;
  tlsw_dtls_server *dsrv;
} server;

static volatile sig_atomic_t stop_requested = 0;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static int parse_args(server *sv, int argc, char **argv) {
  cli_args a;
  cli_args_init(&a, argc, argv);
  const char *v;
  int id;
  while ((id = cli_next_opt(&a, options, &v)) != CLI_ARG_END) {
    switch (id) {
      case CLI_ARG_ERROR: return CLI_EXIT_USAGE;
      case CLI_ARG_POSITIONAL:
        cli_msg("unexpected argument '%s' (see --help)", v);
        return CLI_EXIT_USAGE;
      case O_CERT: sv->cert = v; break;
      case O_KEY: sv->key = v; break;
      case O_PASS: sv->pass = v; break;
      case O_PORT:
        if (cli_parse_port(v, 0, "--port", sv->port_buf, sizeof sv->port_buf)) {
          return CLI_EXIT_USAGE;
        }
        sv->port = sv->port_buf;
        break;
      case O_BIND: sv->bind = v; break;
      case O_DTLS: sv->dtls = 1; break;
      case O_CLIENT_CA: sv->client_ca = v; break;
      case O_VERIFY:
        if (strcmp(v, "none") == 0) {
          sv->verify = TLSW_CERT_NONE;
        } else if (strcmp(v, "optional") == 0) {
          sv->verify = TLSW_CERT_OPTIONAL;
        } else if (strcmp(v, "required") == 0) {
          sv->verify = TLSW_CERT_REQUIRED;
        } else {
          cli_msg("--verify wants none, optional or required, not '%s'", v);
          return CLI_EXIT_USAGE;
        }
        break;
      case O_CIPHERS: sv->ciphers = v; break;
      case O_FILE:
        sv->file = v;
        sv->mode = MODE_FILE;
        break;
      case O_HTTP: sv->mode = MODE_HTTP; break;
      case O_WWW:
        sv->www = v;
        sv->mode = MODE_WWW;
        break;
      case O_MAX_CLIENTS:
        if (cli_parse_long(v, 1, 100000, &sv->max_clients) != 0) {
          cli_msg("--max-clients wants a number from 1 to 100000");
          return CLI_EXIT_USAGE;
        }
        break;
      case O_TIMEOUT:
        if (cli_parse_long(v, 1, 86400, &sv->timeout_s) != 0) {
          cli_msg("--timeout wants whole seconds from 1 to 86400");
          return CLI_EXIT_USAGE;
        }
        break;
      case O_IDLE:
        if (cli_parse_long(v, 0, 86400 * 7, &sv->idle_s) != 0) {
          cli_msg("--idle wants whole seconds (0: never)");
          return CLI_EXIT_USAGE;
        }
        break;
      case O_COUNT:
        if (cli_parse_long(v, 1, 1000000000L, &sv->count) != 0) {
          cli_msg("--count wants a positive number of connections");
          return CLI_EXIT_USAGE;
        }
        break;
      case O_QUIET: sv->quiet = 1; break;
      case O_MSG: sv->msg = 1; break;
      case O_HELP: fputs(usage, stdout); exit(CLI_EXIT_OK);
      case O_VERSION:
        cli_print_version(stdout, "tlsw-server");
        exit(CLI_EXIT_OK);
      case O_LIST_CIPHERS: exit(cli_list_ciphers(stdout));
      default: return CLI_EXIT_USAGE;
    }
  }
  if (sv->cert == NULL) {
    cli_msg(
        "--cert FILE is required (and --key FILE unless the key is in "
        "it); see --help");
    return CLI_EXIT_USAGE;
  }
  if ((sv->file != NULL) + (sv->mode == MODE_HTTP) + (sv->www != NULL) > 1 ||
      (sv->mode == MODE_HTTP && sv->www != NULL)) {
    cli_msg("--file, --http and --www exclude each other: pick one");
    return CLI_EXIT_USAGE;
  }
  if (sv->dtls && sv->mode != MODE_ECHO) {
    /* DTLS does not retransmit application data: a file sent over it
     * arrives with holes under load, which would make a poor test tool. */
    cli_msg("--dtls serves echo only; --file, --http and --www need TLS");
    return CLI_EXIT_USAGE;
  }
  if (sv->verify > TLSW_CERT_NONE && sv->client_ca == NULL) {
    cli_msg(
        "--verify optional/required needs --client-ca FILE to check "
        "client certificates against");
    return CLI_EXIT_USAGE;
  }
  if (sv->verify < 0) {
    sv->verify = sv->client_ca ? TLSW_CERT_REQUIRED : TLSW_CERT_NONE;
  }
  return CLI_EXIT_OK;
}

static int setup_ctx(server *sv) {
  int rc = cli_new_ctx(&sv->ctx, sv->dtls ? TLSW_PROTOCOL_DTLS_SERVER
                                          : TLSW_PROTOCOL_TLS_SERVER);
  if (rc != CLI_EXIT_OK) return rc;
  if (sv->msg) cli_trace_messages(sv->ctx, "tlsw-server: ");
  if ((rc = cli_load_identity(sv->ctx, sv->cert, sv->key, sv->pass)) != 0) {
    return rc;
  }
  if (sv->client_ca != NULL &&
      (rc = cli_load_ca_file(sv->ctx, sv->client_ca, "--client-ca")) != 0) {
    return rc;
  }
  tlsw_ctx_set_verify_mode(sv->ctx, (tlsw_verify_mode)sv->verify);
  if (sv->ciphers != NULL &&
      (rc = cli_set_ciphers(sv->ctx, sv->ciphers)) != 0) {
    return rc;
  }
  if (sv->www != NULL &&
      cli_www_root(sv->www, sv->www_root, sizeof sv->www_root) != 0) {
    return CLI_EXIT_USAGE;
  }
  if (sv->file != NULL) {
    FILE *f = fopen(sv->file, "rb");
    if (f == NULL) {
      cli_msg("cannot open --file %s: %s", sv->file, strerror(errno));
      return CLI_EXIT_USAGE;
    }
    /* fopen() opens a directory too, and every read of it then fails:
     * each client would get an empty answer. Say so now instead. */
    struct stat st;
    int is_dir = fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode);
    fclose(f);
    if (is_dir) {
      cli_msg(
          "--file %s is a directory; give a file (or --www DIR to serve "
          "the files in a directory)",
          sv->file);
      return CLI_EXIT_USAGE;
    }
  }
  return CLI_EXIT_OK;
}

/* ---- connections ---- */

static void set_outcome(conn *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void set_outcome(conn *c, const char *fmt, ...) {
  if (c->outcome[0] != '\0') return; /* the first cause is the real one */
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->outcome, sizeof c->outcome, fmt, ap);
  va_end(ap);
}

static void fail_conn(conn *c, const char *what, int st) {
  char detail[320];
  const char *hint = cli_hint_for(st, tlsw_session_message(c->s), 1);
  snprintf(detail, sizeof detail, "%s%s%s",
           cli_after_prefix(tlsw_session_message(c->s), what),
           hint[0] ? "; " : "", hint);
  set_outcome(c, "%s: %s", what, detail);
  if (c->dc == NULL && c->fd >= 0) {
    /* Linger (see step()): an alert the library just sent must not be
     * destroyed by the reset that closing with unread input causes; the
     * client then learns why, instead of "connection reset". */
    shutdown(c->fd, SHUT_WR);
    c->state = C_LINGER;
    c->state_ms = cli_now_ms();
    c->events = POLLIN;
    c->ready = 1;
  } else {
    c->state = C_DONE;
  }
}

static void begin_close(conn *c, long long now) {
  c->state = C_CLOSING;
  c->state_ms = now;
  c->ready = 1;
}

static void note_events(conn *c) {
  unsigned w = tlsw_want(c->s);
  c->events = (short)(((w & TLSW_WANT_RD) ? POLLIN : 0) |
                      ((w & TLSW_WANT_WR) ? POLLOUT : 0));
  if (c->events == 0) c->events = POLLIN;
}

/* Remember what the log line will need once the handshake is done. */
static void record_handshake(server *sv, conn *c) {
  const char *v = tlsw_session_version(c->s);
  const char *ci = tlsw_session_cipher(c->s);
  snprintf(c->version, sizeof c->version, "%s", v ? v : "-");
  snprintf(c->cipher, sizeof c->cipher, "%s", ci ? ci : "-");
  if (sv->verify == TLSW_CERT_NONE) return;
  const uint8_t *der;
  size_t len;
  cli_x509 x;
  if (tlsw_session_peer_cert(c->s, &der, &len) != TLSW_OK) {
    snprintf(c->client_cert, sizeof c->client_cert, " client-cert=none");
  } else if (cli_x509_parse(der, len, &x) == 0) {
    snprintf(c->client_cert, sizeof c->client_cert, " client-cert=\"%s\"",
             x.subject);
    cli_x509_free(&x);
  } else {
    snprintf(c->client_cert, sizeof c->client_cert,
             " client-cert=(unparsable)");
  }
}

/* Produce the next plaintext to send into c->buf, per mode. Returns 1 if
 * there is some, 0 if the mode has nothing right now, -1 when done. */
static int refill(server *sv, conn *c) {
  if (sv->mode == MODE_FILE || c->file != NULL) {
    size_t n = fread(c->buf, 1, sizeof c->buf, c->file);
    if (n > 0) {
      c->len = n;
      c->off = 0;
      return 1;
    }
    if (ferror(c->file)) {
      set_outcome(c, "error: reading --file failed: %s", strerror(errno));
    } else {
      set_outcome(c, "ok: file sent");
    }
    return -1;
  }
  return 0;
}

static int http_request(server *sv, conn *c, const uint8_t *p, size_t n) {
  if (c->req_len + n >= sizeof c->req) {
    c->resp = cli_http_page(431, "GET", NULL, NULL, NULL, &c->len);
    set_outcome(c, "http: 431 request head too large");
    return 1;
  }
  memcpy(c->req + c->req_len, p, n);
  c->req_len += n;
  char method[16] = "", path[2048] = "";
  int r = cli_http_parse_request(c->req, c->req_len, method, sizeof method,
                                 path, sizeof path);
  if (r == 0) return 0;
  if (sv->mode == MODE_WWW) {
    char what[160];
    c->resp = cli_www_answer(sv->www_root, r, method, path, &c->file,
                             &c->file_next, &c->len, what, sizeof what);
    set_outcome(c, "ok: http %s", what);
    return 1;
  }
  int status = r < 0 ? 400
               : (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
                   ? 200
                   : 405;
  c->resp = cli_http_page(status, r < 0 ? "GET" : method, path,
                          tlsw_session_version(c->s), tlsw_session_cipher(c->s),
                          &c->len);
  char what[160];
  snprintf(what, sizeof what, "%d %.16s %.100s", status, r < 0 ? "-" : method,
           r < 0 ? "-" : path);
  for (char *q = what; *q; q++) {
    if ((unsigned char)*q < 0x20 || *q == 0x7f) *q = '?';
  }
  set_outcome(c, "ok: http %s", what);
  return 1;
}

/* Drive one connection as far as it goes without blocking. */
static void step(server *sv, conn *c, long long now) {
  c->ready = 0;
  if (c->state == C_HANDSHAKE) {
    int st = tlsw_handshake(c->s);
    if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
      note_events(c);
      return;
    }
    if (st != TLSW_OK) {
      fail_conn(c, "handshake failed", st);
      return;
    }
    record_handshake(sv, c);
    c->state = C_DATA;
    c->last_ms = now;
    if (sv->mode == MODE_FILE) {
      c->file = fopen(sv->file, "rb");
      if (c->file == NULL) {
        set_outcome(c, "error: cannot open --file: %s", strerror(errno));
        begin_close(c, now);
        return;
      }
    }
  }
  /* Bounded work per turn, so one fast client cannot starve the rest. */
  for (int k = 0; k < 32 && c->state == C_DATA; k++) {
    const uint8_t *out = c->resp ? (const uint8_t *)c->resp : c->buf;
    if (c->off < c->len) {
      size_t w = 0;
      int st = tlsw_write(c->s, out + c->off, c->len - c->off, &w);
      if (st == TLSW_OK) {
        c->off += w;
        c->out += w;
        c->last_ms = now;
        continue;
      }
      if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
        note_events(c);
        return;
      }
      fail_conn(c, "error", st);
      return;
    }
    if (c->resp != NULL && c->file_next) {
      /* --www: the head is out; the file follows through refill(). */
      free(c->resp);
      c->resp = NULL;
      c->file_next = 0;
      c->len = c->off = 0;
      continue;
    }
    if (c->resp != NULL) { /* the whole HTTP answer is out */
      begin_close(c, now);
      break;
    }
    int r = refill(sv, c);
    if (r > 0) continue;
    if (r < 0) {
      begin_close(c, now);
      break;
    }
    /* Echo and HTTP read; --file mode never reads (it only sends). */
    size_t got = 0;
    uint8_t tmp[BUF_SIZE];
    int is_http = sv->mode == MODE_HTTP || sv->mode == MODE_WWW;
    int st = tlsw_read(c->s, is_http ? tmp : c->buf, BUF_SIZE, &got);
    if (st == TLSW_OK) {
      c->in += got;
      c->last_ms = now;
      if (sv->mode == MODE_ECHO) {
        c->len = got;
        c->off = 0;
      } else if (http_request(sv, c, tmp, got)) {
        c->off = 0;
        if (c->resp == NULL) {
          set_outcome(c, "error: out of memory");
          begin_close(c, now);
        }
      }
      continue;
    }
    if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
      note_events(c);
      return;
    }
    if (st == TLSW_CLOSED) {
      set_outcome(c, "ok: client closed");
      begin_close(c, now);
      break;
    }
    fail_conn(c, "error", st);
    return;
  }
  if (c->state == C_DATA) {
    c->ready = 1; /* hit the per-turn limit: continue next turn */
    return;
  }
  if (c->state == C_CLOSING) {
    int st = tlsw_shutdown(c->s);
    if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
      note_events(c);
      return;
    }
    if (c->dc != NULL || st != TLSW_OK) {
      c->state = C_DONE;
      return;
    }
    /* Lingering close: stop sending, then read (and drop) what the client
     * still sends, until it closes. Closing a socket with unread input
     * makes the kernel send a reset, which can destroy data the client has
     * not read yet. */
    shutdown(c->fd, SHUT_WR);
    c->state = C_LINGER;
    c->state_ms = now;
    c->events = POLLIN;
    c->ready = 1;
    return;
  }
  if (c->state == C_LINGER) {
    char junk[4096];
    for (int k = 0;; k++) {
      if (k == 64) { /* a client that keeps sending gets no more turns */
        c->ready = 1;
        return;
      }
      ssize_t n = recv(c->fd, junk, sizeof junk, 0);
      if (n > 0) continue;
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      c->state = C_DONE; /* EOF or error: the client is gone */
      return;
    }
  }
}

static void log_conn(server *sv, conn *c, long long now) {
  if (sv->quiet) return;
  /* Messages can quote peer-supplied text (a certificate name): no control
   * characters reach the log. */
  for (char *q = c->outcome; *q; q++) {
    if ((unsigned char)*q < 0x20 || *q == 0x7f) *q = '?';
  }
  fprintf(stderr, "%s: %s %s %s in=%llu out=%llu %.2fs%s %s\n", cli_prog(),
          c->peer, c->version[0] ? c->version : "-",
          c->cipher[0] ? c->cipher : "-", c->in, c->out,
          (double)(now - c->start_ms) / 1000.0, c->client_cert,
          c->outcome[0] ? c->outcome : "ok");
  fflush(stderr);
}

static void free_conn(server *sv, conn *c) {
  if (c->file != NULL) fclose(c->file);
  free(c->resp);
  if (c->dc != NULL) {
    tlsw_dtls_server_close(sv->dsrv, c->dc); /* frees the session */
  } else {
    tlsw_session_free(c->s);
    if (c->fd >= 0) close(c->fd);
  }
  free(c);
}

/* Timers: handshake limit, idle limit, close/linger limit. */
static long long conn_deadline(server *sv, const conn *c) {
  switch (c->state) {
    case C_HANDSHAKE: return c->start_ms + sv->timeout_s * 1000;
    case C_DATA: return sv->idle_s > 0 ? c->last_ms + sv->idle_s * 1000 : -1;
    case C_CLOSING:
    case C_LINGER: return c->state_ms + LINGER_MS;
    default: return -1;
  }
}

static void check_timer(server *sv, conn *c, long long now) {
  long long d = conn_deadline(sv, c);
  if (d < 0 || now < d) return;
  if (c->state == C_HANDSHAKE) {
    set_outcome(c, "handshake failed: no handshake within --timeout");
    c->state = C_DONE;
  } else if (c->state == C_DATA) {
    set_outcome(c, "closed: idle longer than --idle");
    begin_close(c, now);
  } else {
    c->state = C_DONE; /* the client did not finish closing: drop it */
  }
}

static conn *new_conn(long long now) {
  conn *c = calloc(1, sizeof *c);
  if (c == NULL) return NULL;
  c->fd = -1;
  c->start_ms = c->last_ms = now;
  c->state = C_HANDSHAKE;
  c->events = POLLIN;
  c->ready = 1;
  return c;
}

static int add_conn(server *sv, conn *c) {
  conn **n = realloc(sv->conns, (sv->nconns + 1) * sizeof *n);
  if (n == NULL) return -1;
  sv->conns = n;
  sv->conns[sv->nconns++] = c;
  if (sv->nconns > sv->peak) sv->peak = sv->nconns;
  return 0;
}

/* Log, free and remove finished connections. */
static void reap(server *sv, long long now) {
  size_t j = 0;
  for (size_t i = 0; i < sv->nconns; i++) {
    conn *c = sv->conns[i];
    if (c->state == C_DONE) {
      log_conn(sv, c, now);
      free_conn(sv, c);
      sv->ended++;
    } else {
      sv->conns[j++] = c;
    }
  }
  sv->nconns = j;
}

static void accept_all(server *sv, long long now) {
  while (sv->nconns < (size_t)sv->max_clients) {
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    int fd = accept(sv->lfd, (struct sockaddr *)&ss, &sl);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        /* EMFILE and friends: say so, keep serving the others. */
        cli_msg(
            "accept failed: %s (raise the open-file limit or lower "
            "--max-clients)",
            strerror(errno));
      }
      return;
    }
    cli_set_nodelay(fd);
    conn *c = new_conn(now);
    if (c == NULL || cli_set_nonblock(fd, 1) != 0 || add_conn(sv, c) != 0) {
      cli_msg("dropping a connection: out of memory or fcntl failed");
      free(c);
      close(fd);
      return;
    }
    c->fd = fd;
    cli_addr_str((struct sockaddr *)&ss, sl, c->peer, sizeof c->peer);
    tlsw_sock_io(&c->sock, fd, 0, &c->io);
    tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
    o.do_handshake_on_connect = 0;
    int st = tlsw_wrap(sv->ctx, &c->io, &o, &c->s);
    if (st != TLSW_OK) {
      set_outcome(c, "error: cannot create a session: %s", tlsw_strerror(st));
      c->state = C_DONE;
    }
  }
}

static int serve_tls(server *sv) {
  struct pollfd *pfd = NULL;
  size_t pcap = 0;
  while (!stop_requested && (sv->count == 0 || sv->ended < sv->count)) {
    long long now = cli_now_ms();
    for (size_t i = 0; i < sv->nconns; i++) {
      if (sv->conns[i]->ready) step(sv, sv->conns[i], now);
      check_timer(sv, sv->conns[i], now);
    }
    reap(sv, now);
    if (sv->count > 0 && sv->ended >= sv->count) break;

    if (pcap < sv->nconns + 1) {
      struct pollfd *np = realloc(pfd, (sv->nconns + 1) * 2 * sizeof *np);
      if (np == NULL) {
        cli_msg("out of memory");
        free(pfd);
        return CLI_EXIT_IO;
      }
      pfd = np;
      pcap = (sv->nconns + 1) * 2;
    }
    long long timeout = -1;
    pfd[0].fd = sv->nconns < (size_t)sv->max_clients ? sv->lfd : -1;
    pfd[0].events = POLLIN;
    pfd[0].revents = 0;
    for (size_t i = 0; i < sv->nconns; i++) {
      conn *c = sv->conns[i];
      pfd[i + 1].fd = c->fd;
      pfd[i + 1].events = c->events;
      pfd[i + 1].revents = 0;
      long long d = c->ready ? now : conn_deadline(sv, c);
      if (d >= 0 && (timeout < 0 || d - now < timeout)) {
        timeout = d > now ? d - now : 0;
      }
    }
    int r = poll(pfd, sv->nconns + 1, cli_poll_timeout(timeout));
    if (r < 0) {
      if (errno == EINTR) continue;
      cli_msg("poll failed: %s", strerror(errno));
      free(pfd);
      return CLI_EXIT_IO;
    }
    now = cli_now_ms();
    size_t n = sv->nconns; /* accept_all appends; new ones step next turn */
    for (size_t i = 0; i < n; i++) {
      if (pfd[i + 1].revents != 0) step(sv, sv->conns[i], now);
    }
    if (pfd[0].revents != 0) accept_all(sv, now);
  }
  free(pfd);
  return CLI_EXIT_OK;
}

/* ---- DTLS: the library's multi-peer UDP helper does the datagram work;
 * here each established peer is an echo connection. ---- */

static void dtls_step(conn *c, long long now) {
  for (int k = 0; k < 64 && c->state == C_DATA; k++) {
    if (c->off < c->len) {
      size_t w = 0;
      int st = tlsw_write(c->s, c->buf + c->off, c->len - c->off, &w);
      if (st == TLSW_OK) {
        c->off += w;
        c->out += w;
        continue;
      }
      if (st == TLSW_WANT_WRITE || st == TLSW_WANT_READ) {
        c->ready = 1; /* socket buffer full: try again next turn */
        return;
      }
      fail_conn(c, "error", st);
      return;
    }
    size_t got = 0;
    int st = tlsw_read(c->s, c->buf, sizeof c->buf, &got);
    if (st == TLSW_OK) {
      c->in += got;
      c->len = got;
      c->off = 0;
      c->last_ms = now;
      continue;
    }
    if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) return;
    if (st == TLSW_CLOSED) {
      set_outcome(c, "ok: client closed");
      begin_close(c, now);
      break;
    }
    if (st == TLSW_ERR_DATAGRAM_DROPPED) continue;
    fail_conn(c, "error", st);
    return;
  }
  if (c->state == C_DATA) {
    c->ready = 1;
    return;
  }
  if (c->state == C_CLOSING) {
    tlsw_shutdown(c->s); /* one datagram; a lost one is the peer's loss */
    c->state = C_DONE;
  }
}

static int serve_dtls(server *sv) {
  tlsw_dtls_server_opts o = TLSW_DTLS_SERVER_OPTS_INIT;
  o.max_conns = (size_t)sv->max_clients;
  int st = tlsw_dtls_server_new(&sv->dsrv, sv->ctx, sv->lfd, &o);
  if (st != TLSW_OK) {
    cli_msg("cannot start the DTLS server: %s", tlsw_strerror(st));
    return CLI_EXIT_IO;
  }
  while (!stop_requested && (sv->count == 0 || sv->ended < sv->count)) {
    long long now = cli_now_ms();
    long long timeout = tlsw_dtls_server_timeout_ms(sv->dsrv);
    int busy = 0;
    for (size_t i = 0; i < sv->nconns; i++) {
      conn *c = sv->conns[i];
      if (c->ready) busy = 1;
      long long d = conn_deadline(sv, c);
      if (d >= 0 && (timeout < 0 || d - now < timeout)) {
        timeout = d > now ? d - now : 0;
      }
    }
    if (busy) timeout = 0;
    struct pollfd p = {sv->lfd, POLLIN, 0};
    if (poll(&p, 1, cli_poll_timeout(timeout)) < 0 && errno != EINTR) {
      cli_msg("poll failed: %s", strerror(errno));
      return CLI_EXIT_IO;
    }
    if (tlsw_dtls_server_process(sv->dsrv) != TLSW_OK) {
      cli_msg("the UDP socket failed: %s", tlsw_dtls_server_message(sv->dsrv));
      return CLI_EXIT_IO;
    }
    now = cli_now_ms();
    /* The helper drops peers whose handshake fails without handing them
     * out; its counter is all there is to log. */
    tlsw_dtls_server_stats stats = tlsw_dtls_server_get_stats(sv->dsrv);
    if (stats.failed > sv->dtls_failed) {
      if (!sv->quiet) {
        cli_msg(
            "DTLS: %lu handshake(s) failed (peer not known to the UDP "
            "helper; e.g. a client without a required certificate)",
            stats.failed - sv->dtls_failed);
      }
      sv->dtls_failed = stats.failed;
    }
    tlsw_dtls_conn *dc;
    while (tlsw_dtls_server_accept(sv->dsrv, &dc) == TLSW_OK) {
      conn *c = new_conn(now);
      if (c == NULL || add_conn(sv, c) != 0) {
        free(c);
        tlsw_dtls_server_close(sv->dsrv, dc);
        continue;
      }
      c->dc = dc;
      c->s = tlsw_dtls_conn_session(dc);
      c->state = C_DATA;
      size_t alen = 0;
      const struct sockaddr *sa = tlsw_dtls_conn_addr(dc, &alen);
      cli_addr_str(sa, (socklen_t)alen, c->peer, sizeof c->peer);
      record_handshake(sv, c);
      tlsw_dtls_conn_set_user(dc, c);
    }
    while ((dc = tlsw_dtls_server_next_readable(sv->dsrv)) != NULL) {
      conn *c = tlsw_dtls_conn_get_user(dc);
      if (c != NULL) c->ready = 1;
    }
    for (size_t i = 0; i < sv->nconns; i++) {
      conn *c = sv->conns[i];
      if (c->ready) {
        c->ready = 0;
        dtls_step(c, now);
      }
      check_timer(sv, c, now);
      if (c->state == C_CLOSING) dtls_step(c, now);
    }
    reap(sv, now);
  }
  return CLI_EXIT_OK;
}

static void close_all(server *sv) {
  long long now = cli_now_ms();
  for (size_t i = 0; i < sv->nconns; i++) {
    conn *c = sv->conns[i];
    /* One polite attempt; nobody waits for a server that is going away. */
    if (c->state == C_DATA) tlsw_shutdown(c->s);
    set_outcome(c, "closed: server stopping");
    c->state = C_DONE;
  }
  reap(sv, now);
  free(sv->conns);
  sv->conns = NULL;
}

int main(int argc, char **argv) {
  cli_set_prog("tlsw-server");
  signal(SIGPIPE, SIG_IGN);
  server sv;
  memset(&sv, 0, sizeof sv);
  sv.port = "4433";
  sv.verify = -1;
  sv.max_clients = 256;
  sv.timeout_s = 10;
  sv.idle_s = 300;
  sv.lfd = -1;
  int rc = parse_args(&sv, argc, argv);
  if (rc != CLI_EXIT_OK) return rc;
  if ((rc = setup_ctx(&sv)) != CLI_EXIT_OK) goto out;

  char err[512], bound[96];
  int port = 0;
  sv.lfd = cli_listen(sv.bind, sv.port, sv.dtls ? SOCK_DGRAM : SOCK_STREAM, err,
                      sizeof err, bound, sizeof bound, &port);
  if (sv.lfd < 0) {
    cli_msg("%s", err);
    rc = CLI_EXIT_CONNECT;
    goto out;
  }
  cli_on_stop_signals(on_signal);

  printf("listening on %s (%s, %s)\n", bound, sv.dtls ? "DTLS" : "TLS",
         sv.mode == MODE_FILE   ? "file"
         : sv.mode == MODE_HTTP ? "http"
         : sv.mode == MODE_WWW  ? "www"
                                : "echo");
  fflush(stdout);
  rc = sv.dtls ? serve_dtls(&sv) : serve_tls(&sv);
  close_all(&sv);
  if (!sv.quiet) {
    cli_msg("stopped: %ld connections served, at most %zu at once", sv.ended,
            sv.peak);
  }
out:
  tlsw_dtls_server_free(sv.dsrv);
  tlsw_ctx_free(sv.ctx);
  if (sv.lfd >= 0) close(sv.lfd);
  return rc;
}
