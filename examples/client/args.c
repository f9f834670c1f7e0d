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

#include "client.h"
#include "common/args.h"
#include "common/cli.h"
#include "common/http.h"
#include "common/net.h"
#include "common/opts.h"
#include "common/starttls.h"
#include "common/tlsctx.h"

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
    "  --crl FILE          refuse a server certificate revoked by the CRLs in\n"
    "                      FILE (PEM or DER; its issuer must have one)\n"
    "                      instead of the system store\n"
    "  --capath DIR        trust every CA certificate file in DIR\n"
    "  --ocsp              ask the server to staple an OCSP response and\n"
    "                      check it (a revoked one fails; none is fine)\n"
    "  --ocsp-require      the same, and fail when no good one is stapled\n"
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
    "  --dtls              use DTLS over UDP instead of TLS over TCP (1.2;\n"
    "                      also 1.3 with --tls-max 1.3)\n"
    "  --dtls-cid          with --dtls and DTLS 1.3: offer connection IDs, so\n"
    "                      the session survives a change of our address\n"
    "  --starttls PROTO    speak PROTO (smtp, imap or pop3) in plain text up\n"
    "                      to its STARTTLS command, then TLS\n"
    "  --ciphers LIST      cipher suites, IANA names separated by commas\n"
    "  --alpn LIST         offer these ALPN protocols, in order (h2,http/1.1)\n"
    "  --groups LIST       key exchange groups, in order (X25519:P-256; the\n"
    "                      first gets the TLS 1.3 key share)\n"
    "  --tls-min VER, --tls-max VER   1.2 or 1.3 (-tls1_2, -tls1_3: only "
    "that)\n"
    "  --keymat-export LABEL  after the handshake, print keying material\n"
    "                      for LABEL (RFC 5705/8446) on stderr, in hex\n"
    "  --keymat-len N      bytes of it, 1 to 128 (default 20)\n"
    "  --list-ciphers      print the available cipher suites and exit\n"
    "  --sess-in FILE      resume the session saved in FILE (-v: resumed)\n"
    "  --sess-out FILE     save the session to FILE (mode 0600) to resume\n";
/* In two parts: C99 promises string literals of 4095 bytes only. */
static const char usage_more[] =
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
    "  --show-certs        print every certificate the server sent, as PEM\n"
    "                      with its subject and issuer, on stderr\n"
    "  -h, --help          this text\n"
    "  --version           print the version and exit\n"
    "\n"
    "Environment:\n"
    "  SSLKEYLOGFILE       append the session secrets to this file (NSS key\n"
    "                      log format, for Wireshark); debugging only\n"
    "Exit status:\n"
    "  0  success (data relayed, the connection closed cleanly)\n"
    "  2  usage error: bad option, unreadable or invalid cert/key/CA file\n"
    "  3  connection failure: name not resolved, refused, unreachable\n"
    "  4  verification failure: the server's certificate did not verify\n"
    "  5  handshake failure: STARTTLS refused, no common version/cipher,\n"
    "     fatal alert (e.g. the server rejected our certificate or wanted\n"
    "     one), the peer is not a TLS server, handshake timeout\n"
    "  6  I/O error after the handshake: reset, truncation (EOF without\n"
    "     close_notify), a later fatal alert, stdin/stdout failure\n"
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
  O_GET,
  O_STARTTLS,
  O_WAIT,
  O_SESS_IN,
  O_SESS_OUT,
  O_VERBOSE,
  O_SHOW_CERTS,
  O_OCSP,
  O_OCSP_REQUIRE
};

static const cli_opt options[] = {
    CLI_COMMON_OPTS,
    {"cafile", 0, 1, O_CAFILE},
    {"capath", 0, 1, O_CAPATH},
    {"insecure", 'k', 0, O_INSECURE},
    {"servername", 0, 1, O_SERVERNAME},
    {"get", 0, 1, O_GET},
    {"starttls", 0, 1, O_STARTTLS},
    {"wait", 0, 1, O_WAIT},
    {"sess-in", 0, 1, O_SESS_IN},
    {"sess-out", 0, 1, O_SESS_OUT},
    {"verbose", 'v', 0, O_VERBOSE},
    {"show-certs", 0, 0, O_SHOW_CERTS},
    {"ocsp", 0, 0, O_OCSP},
    {"ocsp-require", 0, 0, O_OCSP_REQUIRE},
    {NULL, 0, 0, 0},
};

/* One of the client's own options; 0, or -1 after saying what is wrong. */
static int client_opt(client *c, int id, const char *v) {
  switch (id) {
    case O_CAFILE: c->cafile = v; return 0;
    case O_CAPATH: c->capath = v; return 0;
    case O_INSECURE: c->insecure = 1; return 0;
    case O_SERVERNAME: c->servername = v; return 0;
    case O_GET: c->get_path = v; return 0;
    case O_STARTTLS:
      if (!cli_starttls_known(v)) {
        cli_msg("--starttls wants smtp, imap or pop3, not '%s'", v);
        return -1;
      }
      c->starttls = v;
      return 0;
    case O_VERBOSE: c->verbose = 1; return 0;
    case O_SHOW_CERTS: c->show_certs = 1; return 0;
    case O_OCSP:
      if (c->ocsp < TLSW_OCSP_REQUEST) c->ocsp = TLSW_OCSP_REQUEST;
      return 0;
    case O_OCSP_REQUIRE: c->ocsp = TLSW_OCSP_REQUIRE; return 0;
    case O_WAIT: return cli_parse_seconds(v, 0, 86400, "--wait", &c->wait_s);
    case O_SESS_IN: c->sess_in = v; return 0;
    case O_SESS_OUT: c->sess_out = v; return 0;
    default: return -1;
  }
}

/* Combinations that cannot work, after all options are read. */
static int check_args(const client *c) {
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
  if (c->insecure &&
      (c->cafile != NULL || c->capath != NULL || c->crl != NULL)) {
    cli_msg(
        "--insecure checks nothing, so --cafile/--capath/--crl would be "
        "ignored: drop one of them");
    return CLI_EXIT_USAGE;
  }
  if (c->ocsp && (c->insecure || c->dtls)) {
    cli_msg(
        "--ocsp checks the server's certificate over TLS: it cannot go "
        "with %s",
        c->insecure ? "--insecure" : "--dtls");
    return CLI_EXIT_USAGE;
  }
  if (c->dtls_cid && !c->dtls) {
    cli_msg("--dtls-cid is for DTLS: add --dtls (and --tls-max 1.3)");
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
  return CLI_EXIT_OK;
}

/* HOST:PORT, or a URL, which means what it means to curl: GET that path,
 * body on stdout. */
static int parse_target(client *c) {
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

int client_parse_args(client *c, int argc, char **argv) {
  /* Every option unset (NULL, 0); new options need no edit here. */
  cli_common co;
  memset(&co, 0, sizeof co);
  co.usage = usage;
  co.timeout_s = c->timeout_s;
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
      if (c->target != NULL) {
        cli_msg("only one HOST:PORT may be given (see --help)");
        return CLI_EXIT_USAGE;
      }
      c->target = v;
      continue;
    }
    int r = cli_common_opt(&co, id, v);
    if (r < 0 || (r == 0 && client_opt(c, id, v) != 0)) return CLI_EXIT_USAGE;
  }
  c->cert = co.cert;
  c->key = co.key;
  c->pass = co.pass;
  c->ciphers = co.ciphers;
  c->alpn = co.alpn;
  c->groups = co.groups;
  c->crl = co.crl;
  c->tls_min = co.tls_min;
  c->tls_max = co.tls_max;
  c->dtls = co.dtls;
  c->dtls_cid = co.dtls_cid;
  c->msg = co.msg;
  c->timeout_s = co.timeout_s;
  c->keymat_label = co.keymat_label;
  c->keymat_len = co.keymat_len ? co.keymat_len : 20;
  int rc = check_args(c);
  return rc != CLI_EXIT_OK ? rc : parse_target(c);
}

int client_setup_ctx(client *c) {
  int rc = cli_new_ctx(
      &c->ctx, c->dtls ? TLSW_PROTOCOL_DTLS_CLIENT : TLSW_PROTOCOL_TLS_CLIENT);
  if (rc != CLI_EXIT_OK) return rc;
  /* First: a DTLS context's maximum (1.2 or 1.3) picks its method, before
   * anything is loaded (docs/dtls.md). */
  if ((rc = cli_set_versions(c->ctx, c->tls_min, c->tls_max)) != 0 ||
      (rc = cli_set_dtls_cid(c->ctx, c->dtls_cid)) != 0) {
    return rc;
  }
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
  if ((rc = cli_load_crl(c->ctx, c->crl)) != 0) return rc;
  if (c->ocsp && tlsw_ctx_set_ocsp_stapling(c->ctx, c->ocsp) != TLSW_OK) {
    cli_msg("--ocsp: %s", tlsw_ctx_message(c->ctx));
    return CLI_EXIT_USAGE;
  }
  if (c->show_certs) (void)tlsw_ctx_set_keep_peer_chain(c->ctx, 1);
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
  if (c->alpn != NULL && (rc = cli_set_alpn(c->ctx, c->alpn)) != 0) {
    return rc;
  }
  if (c->groups != NULL && (rc = cli_set_groups(c->ctx, c->groups)) != 0) {
    return rc;
  }
  cli_keylog_from_env(c->ctx);
  return cli_keymat_enable(c->ctx, c->keymat_label);
}
