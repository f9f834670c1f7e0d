/*
 * tlsw-server: a TLS/DTLS test server in the spirit of `openssl s_server`.
 * One thread serves many clients with non-blocking sessions and poll():
 * echo (default), --file (send a file, then close) or --http (answer GETs
 * with a small page). One log line per connection on stderr.
 * Built on the public tlswrap API only.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/args.h"
#include "common/cli.h"
#include "common/net.h"
#include "common/opts.h"
#include "common/tlsctx.h"
#include "common/www.h"
#include "server.h"

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
    "  --sni NAME:CERT[:KEY]  present CERT to clients asking for NAME (SNI;\n"
    "                      *.domain for one label); repeatable; others get\n"
    "                      --cert. The log shows sni=NAME\n"
    "Network:\n"
    "  -p, --port N        port to listen on (default 4433; 0 lets the\n"
    "                      system pick one, which is then printed)\n"
    "  --bind ADDR         address to listen on (default 127.0.0.1; use\n"
    "                      0.0.0.0 or :: to accept other machines)\n"
    "  --dtls              DTLS over UDP (with stateless cookies; 1.2, and\n"
    "                      1.3 with --tls-max 1.3)\n"
    "  --dtls-cid          with --dtls and DTLS 1.3: give each client a\n"
    "                      connection ID; a client whose address changes\n"
    "                      keeps its session\n"
    "                      instead of TLS over TCP; echo mode only\n"
    "Client certificates:\n"
    "  --client-ca FILE    CA certificates that client certificates must\n"
    "                      chain to\n"
    "  --crl FILE          refuse client certificates revoked by the CRLs\n"
    "                      in FILE (their issuer must have one)\n"
    "  --verify MODE       none: do not ask for one; optional: ask, accept\n"
    "                      clients without one; required: refuse clients\n"
    "                      without a valid one (default with --client-ca:\n"
    "                      required, else none)\n"
    "Protocol:\n"
    "  --ciphers LIST      cipher suites, IANA names separated by commas\n"
    "  --alpn LIST         accept these ALPN protocols, preferring the first\n"
    "                      (--http/--www: http/1.1 unless given)\n"
    "  --groups LIST       key exchange groups, preferred first "
    "(X25519:P-256)\n"
    "  --tls-min VER, --tls-max VER   1.2 or 1.3 (-tls1_2, -tls1_3: only "
    "that)\n"
    "  --keymat-export LABEL  after the handshake, print keying material\n"
    "                      for LABEL (RFC 5705/8446) in the log, in hex\n"
    "  --keymat-len N      bytes of it, 1 to 128 (default 20)\n"
    "  --list-ciphers      print the available cipher suites and exit\n"
    "  --no-tickets        issue no session tickets (TLS 1.3 clients then\n"
    "                      cannot resume; the log says 'resumed' when one\n"
    "                      does)\n"
    "  --ticket-key FILE   seal tickets with the secret in FILE (32 to 64\n"
    "                      bytes) that other servers share: clients resume\n"
    "                      on any of them\n"
    "  --ticket-key-prev FILE  the secret before it, still accepted\n";
/* In two parts: C99 promises string literals of 4095 bytes only. */
static const char usage_more[] =
    "What to serve:\n"
    "  (default)           echo every byte back to its sender\n"
    "  --file PATH         send the file to each client, then close\n"
    "  --http              answer HTTP GET/HEAD requests with a small page\n"
    "  --www DIR           serve the files under DIR over HTTPS (GET only;\n"
    "                      nothing outside DIR: '..' and symlinks out are\n"
    "                      refused; Content-Type from the extension)\n"
    "Limits:\n"
    "  --max-clients N     connections at once (default 256); when all are\n"
    "                      taken, a new client still gets in: the oldest\n"
    "                      connection still in its handshake is dropped, or\n"
    "                      the one idle the longest (always when under a\n"
    "                      quarter of the slots are handshakes)\n"
    "  --max-per-addr N    connections at once from one address (an IPv6\n"
    "                      /64 counts as one); past it, that address's own\n"
    "                      oldest handshake or longest idle connection makes\n"
    "                      room (default 0: no cap)\n"
    "  --handshake-timeout SECONDS, --timeout SECONDS\n"
    "                      handshake time limit per client (default 10)\n"
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
    "Environment: SSLKEYLOGFILE appends every connection's secrets to that\n"
    "file (NSS key log format, for Wireshark); debugging only\n"
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
  O_PORT = 1,
  O_BIND,
  O_CLIENT_CA,
  O_VERIFY,
  O_FILE,
  O_HTTP,
  O_WWW,
  O_MAX_CLIENTS,
  O_MAX_PER_ADDR,
  O_IDLE,
  O_COUNT,
  O_QUIET,
  O_NO_TICKETS,
  O_SNI,
  O_TICKET_KEY,
  O_TICKET_KEY_PREV,
  O_HANDSHAKE_TIMEOUT /* --timeout's clearer name, in messages too */
};

static const cli_opt options[] = {
    CLI_COMMON_OPTS,
    {"handshake-timeout", 0, 1, O_HANDSHAKE_TIMEOUT},
    {"port", 'p', 1, O_PORT},
    {"bind", 0, 1, O_BIND},
    {"client-ca", 0, 1, O_CLIENT_CA},
    {"verify", 0, 1, O_VERIFY},
    {"file", 0, 1, O_FILE},
    {"http", 0, 0, O_HTTP},
    {"www", 0, 1, O_WWW},
    {"max-clients", 0, 1, O_MAX_CLIENTS},
    {"max-per-addr", 0, 1, O_MAX_PER_ADDR},
    {"idle", 0, 1, O_IDLE},
    {"count", 0, 1, O_COUNT},
    {"quiet", 'q', 0, O_QUIET},
    {"no-tickets", 0, 0, O_NO_TICKETS},
    {"sni", 0, 1, O_SNI},
    {"ticket-key", 0, 1, O_TICKET_KEY},
    {"ticket-key-prev", 0, 1, O_TICKET_KEY_PREV},
    {NULL, 0, 0, 0},
};

volatile sig_atomic_t srv_stop_requested = 0;

static void on_signal(int sig) {
  (void)sig;
  srv_stop_requested = 1;
}

static int parse_verify(server *sv, const char *v) {
  if (strcmp(v, "none") == 0) {
    sv->verify = TLSW_CERT_NONE;
  } else if (strcmp(v, "optional") == 0) {
    sv->verify = TLSW_CERT_OPTIONAL;
  } else if (strcmp(v, "required") == 0) {
    sv->verify = TLSW_CERT_REQUIRED;
  } else {
    cli_msg("--verify wants none, optional or required, not '%s'", v);
    return -1;
  }
  return 0;
}

static int parse_count(const char *v, long min, long max, const char *what,
                       long *out) {
  if (cli_parse_long(v, min, max, out) == 0) return 0;
  cli_msg("%s wants a number from %ld to %ld, not '%s'", what, min, max, v);
  return -1;
}

/* One of the server's own options; 0, or -1 after saying what is wrong. */
static int server_opt(server *sv, int id, const char *v) {
  switch (id) {
    case O_PORT:
      sv->port = sv->port_buf;
      return cli_parse_port(v, 0, "--port", sv->port_buf, sizeof sv->port_buf);
    case O_BIND: sv->bind = v; return 0;
    case O_CLIENT_CA: sv->client_ca = v; return 0;
    case O_VERIFY: return parse_verify(sv, v);
    case O_FILE:
      sv->file = v;
      sv->mode = MODE_FILE;
      return 0;
    case O_HTTP: sv->mode = MODE_HTTP; return 0;
    case O_WWW:
      sv->www = v;
      sv->mode = MODE_WWW;
      return 0;
    case O_MAX_CLIENTS:
      return parse_count(v, 1, 100000, "--max-clients", &sv->max_clients);
    case O_MAX_PER_ADDR:
      return parse_count(v, 0, 100000, "--max-per-addr", &sv->max_per_addr);
    case O_IDLE:
      return cli_parse_seconds(v, 0, 86400 * 7, "--idle", &sv->idle_s);
    case O_COUNT: return parse_count(v, 1, 1000000000L, "--count", &sv->count);
    case O_QUIET: sv->quiet = 1; return 0;
    case O_NO_TICKETS: sv->no_tickets = 1; return 0;
    case O_SNI: return srv_add_sni(sv, v);
    case O_TICKET_KEY: sv->ticket_key = v; return 0;
    case O_TICKET_KEY_PREV: sv->ticket_key_prev = v; return 0;
    default: return -1;
  }
}

/* Combinations that cannot work, after all options are read. */
static int check_args(server *sv) {
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
  if (sv->dtls_cid && !sv->dtls) {
    cli_msg("--dtls-cid is for DTLS: add --dtls (and --tls-max 1.3)");
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

static int parse_args(server *sv, int argc, char **argv) {
  /* Every option unset (NULL, 0); new options need no edit here. */
  cli_common co;
  memset(&co, 0, sizeof co);
  co.usage = usage;
  co.timeout_s = sv->timeout_s;
  cli_args a;
  cli_args_init(&a, argc, argv);
  const char *v;
  int id;
  while ((id = cli_next_opt(&a, options, &v)) != CLI_ARG_END) {
    if (id == CLI_ARG_ERROR) return CLI_EXIT_USAGE;
    if (id == CLI_O_HELP) {
      fputs(usage, stdout);
      fputs(usage_more, stdout);
      exit(CLI_EXIT_OK);
    }
    if (id == CLI_ARG_POSITIONAL) {
      cli_msg("unexpected argument '%s' (see --help)", v);
      return CLI_EXIT_USAGE;
    }
    int r = id == O_HANDSHAKE_TIMEOUT
                ? (cli_parse_seconds(v, 1, 86400, "--handshake-timeout",
                                     &co.timeout_s) == 0
                       ? 1
                       : -1)
                : cli_common_opt(&co, id, v);
    if (r < 0 || (r == 0 && server_opt(sv, id, v) != 0)) {
      return CLI_EXIT_USAGE;
    }
  }
  sv->cert = co.cert;
  sv->key = co.key;
  sv->pass = co.pass;
  sv->ciphers = co.ciphers;
  sv->alpn = co.alpn;
  sv->groups = co.groups;
  sv->crl = co.crl;
  sv->tls_min = co.tls_min;
  sv->tls_max = co.tls_max;
  sv->dtls = co.dtls;
  sv->dtls_cid = co.dtls_cid;
  sv->msg = co.msg;
  sv->timeout_s = co.timeout_s;
  sv->keymat_label = co.keymat_label;
  sv->keymat_len = co.keymat_len ? co.keymat_len : 20;
  return check_args(sv);
}

/* fopen() opens a directory too, and every read of it then fails: each
 * client would get an empty answer. Say so at start-up instead. */
static int check_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    cli_msg("cannot open --file %s: %s", path, strerror(errno));
    return CLI_EXIT_USAGE;
  }
  struct stat st;
  int is_dir = fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode);
  fclose(f);
  if (is_dir) {
    cli_msg(
        "--file %s is a directory; give a file (or --www DIR to serve "
        "the files in a directory)",
        path);
    return CLI_EXIT_USAGE;
  }
  return CLI_EXIT_OK;
}

static int setup_ctx(server *sv) {
  int rc = cli_new_ctx(&sv->ctx, sv->dtls ? TLSW_PROTOCOL_DTLS_SERVER
                                          : TLSW_PROTOCOL_TLS_SERVER);
  if (rc != CLI_EXIT_OK) return rc;
  /* First: a DTLS context's maximum picks its method (docs/dtls.md). */
  if ((rc = cli_set_versions(sv->ctx, sv->tls_min, sv->tls_max)) != 0 ||
      (rc = cli_set_dtls_cid(sv->ctx, sv->dtls_cid)) != 0) {
    return rc;
  }
  if (sv->msg) cli_trace_messages(sv->ctx, "tlsw-server: ");
  if ((rc = cli_load_identity(sv->ctx, sv->cert, sv->key, sv->pass)) != 0 ||
      (rc = srv_load_sni(sv)) != 0) {
    return rc;
  }
  if (sv->client_ca != NULL &&
      (rc = cli_load_ca_file(sv->ctx, sv->client_ca, "--client-ca")) != 0) {
    return rc;
  }
  if ((rc = cli_load_crl(sv->ctx, sv->crl)) != 0) return rc;
  tlsw_ctx_set_verify_mode(sv->ctx, (tlsw_verify_mode)sv->verify);
  if (sv->ciphers != NULL &&
      (rc = cli_set_ciphers(sv->ctx, sv->ciphers)) != 0) {
    return rc;
  }
  /* The HTTP modes speak HTTP/1.x: agree on it, so a client offering h2
   * first (curl) knows at once instead of guessing. */
  const char *alpn = sv->alpn;
  if (alpn == NULL && (sv->mode == MODE_HTTP || sv->mode == MODE_WWW)) {
    alpn = "http/1.1";
  }
  if (alpn != NULL && (rc = cli_set_alpn(sv->ctx, alpn)) != 0) return rc;
  if (sv->groups != NULL && (rc = cli_set_groups(sv->ctx, sv->groups)) != 0) {
    return rc;
  }
  cli_keylog_from_env(sv->ctx);
  if (sv->no_tickets) tlsw_ctx_set_session_tickets(sv->ctx, 0);
  if ((rc = srv_set_ticket_keys(sv)) != 0) return rc;
  if ((rc = cli_keymat_enable(sv->ctx, sv->keymat_label)) != 0) return rc;
  if (sv->www != NULL &&
      cli_www_root(sv->www, sv->www_root, sizeof sv->www_root) != 0) {
    return CLI_EXIT_USAGE;
  }
  return sv->file != NULL ? check_file(sv->file) : CLI_EXIT_OK;
}

static const char *mode_name(enum mode m) {
  switch (m) {
    case MODE_FILE: return "file";
    case MODE_HTTP: return "http";
    case MODE_WWW: return "www";
    default: return "echo";
  }
}

static int run(server *sv) {
  char err[512], bound[96];
  int port = 0;
  sv->lfd = cli_listen(sv->bind, sv->port, sv->dtls ? SOCK_DGRAM : SOCK_STREAM,
                       err, sizeof err, bound, sizeof bound, &port);
  if (sv->lfd < 0) {
    cli_msg("%s", err);
    return CLI_EXIT_CONNECT;
  }
  cli_on_stop_signals(on_signal);
  printf("listening on %s (%s, %s)\n", bound, sv->dtls ? "DTLS" : "TLS",
         mode_name(sv->mode));
  fflush(stdout);
  int rc = sv->dtls ? srv_serve_dtls(sv) : srv_serve_tls(sv);
  srv_close_all(sv);
  if (!sv->quiet) {
    cli_msg("stopped: %ld connections served, at most %zu at once", sv->ended,
            sv->peak);
    if (sv->evicted > 0) {
      cli_msg("%lu connection(s) evicted to make room", sv->evicted);
    }
  }
  return rc;
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
  if ((rc = setup_ctx(&sv)) == CLI_EXIT_OK) rc = run(&sv);
  tlsw_dtls_server_free(sv.dsrv);
  tlsw_ctx_free(sv.ctx);
  if (sv.lfd >= 0) close(sv.lfd);
  return rc;
}
