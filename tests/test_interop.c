/* Interop on 127.0.0.1 with real peers: a tlswrap client against
 * `openssl s_server` and `gnutls-serv`, and `openssl s_client` and
 * `gnutls-cli` against a tlswrap server; TLS 1.2 and TLS 1.3 each.
 *
 * Every case verifies certificates on the verifying side(s) (the test CA,
 * hostname "localhost"), moves a line each way, and checks that both ends
 * name the same protocol version and cipher suite. Then failures a real
 * peer provokes (untrusted, wrong name, no shared version, our certificate
 * rejected by s_client, a server killed mid-connection), TLS 1.3 KeyUpdate
 * from s_client, and 256 KiB over a non-blocking socket.
 *
 * Peers are child processes that are always killed in teardown (and by
 * PDEATHSIG if this process dies). Every wait has a deadline of a few
 * seconds. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "net.h"
#include "pair.h"
#include "peer.h"

#define WAIT_MS 8000    /* any single wait for the peer */
#define IO_TIMEOUT 8000 /* tlsw_sock_io timeout for each socket wait */

typedef enum { PEER_OPENSSL, PEER_GNUTLS } peer_kind;

typedef struct icase {
  peer_kind peer;
  int tls13;           /* 1: TLS 1.3 only, 0: TLS 1.2 only */
  const char *cert;    /* server certificate base name */
  const char *ciphers; /* tlswrap cipher string, NULL for defaults */
  int mutual;          /* client certificate required and verified */
} icase;

/* Per-test resources, released by teardown whatever happened. */
typedef struct ires {
  child peer;
  int lfd, fd;
  tlsw_ctx *ctx;
  tlsw_session *s;
  tlsw_sock sock;
} ires;

static ires R;

static int setup(void **state) {
  (void)state;
  memset(&R, 0, sizeof R);
  R.lfd = R.fd = -1;
  R.peer.in_fd = R.peer.out_fd = -1;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  tlsw_session_free(R.s);
  tlsw_ctx_free(R.ctx);
  if (R.fd >= 0) close(R.fd);
  if (R.lfd >= 0) close(R.lfd);
  child_stop(&R.peer, 2000);
  return 0;
}

/* Fail with the peer's output and the session's message for context. */
#define CHECK(cond, ...)                                                \
  do {                                                                  \
    if (!(cond)) {                                                      \
      child_stop(&R.peer, 1000); /* so its output is complete */        \
      child_dump(&R.peer, "peer");                                      \
      if (R.s) print_error("tlswrap: %s\n", tlsw_session_message(R.s)); \
      fail_msg(__VA_ARGS__);                                            \
    }                                                                   \
  } while (0)

/* ---- cipher names as the peers print them ---- */

/* OpenSSL prints its own names for TLS 1.2 suites; ask it for the IANA
 * name (`openssl ciphers -stdname`) rather than keeping a table here. */
static void openssl_iana(const char *ossl, char *iana, size_t size) {
  static child c; /* large buffer: not on the stack */
  char *argv[] = {"openssl", "ciphers", "-stdname", "ALL", NULL};
  iana[0] = '\0';
  if (child_start(&c, argv) != 0) return;
  child_drain(&c, now_ms() + WAIT_MS);
  child_stop(&c, 1000);
  /* Lines: "<IANA> - <OpenSSL name> <version> Kx=..." */
  for (char *line = strtok(c.out, "\n"); line; line = strtok(NULL, "\n")) {
    char a[128], dash[8], b[128];
    if (sscanf(line, "%127s %7s %127s", a, dash, b) == 3 &&
        strcmp(b, ossl) == 0) {
      snprintf(iana, size, "%s", a);
      return;
    }
  }
}

/* The value after `key` up to the end of the line, from the peer output. */
static int field(const char *out, const char *key, char *val, size_t size) {
  const char *p = strstr(out, key);
  if (!p) return 0;
  p += strlen(key);
  size_t n = strcspn(p, "\r\n");
  if (n >= size) n = size - 1;
  memcpy(val, p, n);
  val[n] = '\0';
  return 1;
}

/* Check the suite and version the OpenSSL tool printed against ours. */
static void check_openssl_view(const char *cipher_key) {
  char ossl[128], iana[128];
  CHECK(field(R.peer.out, cipher_key, ossl, sizeof ossl),
        "openssl did not print '%s'", cipher_key);
  openssl_iana(ossl, iana, sizeof iana);
  CHECK(iana[0] != '\0', "openssl cipher '%s' has no IANA name", ossl);
  CHECK(strcmp(iana, tlsw_session_cipher(R.s)) == 0,
        "cipher: openssl says %s (%s), tlswrap says %s", iana, ossl,
        tlsw_session_cipher(R.s));
  print_message("  %s %s; openssl: %s\n", tlsw_session_version(R.s),
                tlsw_session_cipher(R.s), ossl);
}

/* GnuTLS prints "- Description: (TLS1.3-X.509)-(ECDHE-SECP256R1)-
 * (ECDSA-SECP256R1-SHA256)-(AES-256-GCM)": compare the version and the
 * bulk cipher, and for TLS 1.2 the key exchange, with the IANA name. */
static void check_gnutls_view(const icase *tc) {
  char desc[256];
  CHECK(field(R.peer.out, "- Description: (", desc, sizeof desc),
        "gnutls printed no session description");
  const char *want_ver = tc->tls13 ? "TLS1.3-" : "TLS1.2-";
  CHECK(strncmp(desc, want_ver, strlen(want_ver)) == 0, "gnutls version: %s",
        desc);
  char *last = strrchr(desc, '(');
  CHECK(last != NULL, "gnutls description: %s", desc);
  char bulk[64];
  snprintf(bulk, sizeof bulk, "%s", last + 1);
  bulk[strcspn(bulk, ")")] = '\0';
  for (char *p = bulk; *p; p++) {
    if (*p == '-') *p = '_';
  }
  const char *ours = tlsw_session_cipher(R.s);
  CHECK(strstr(ours, bulk) != NULL, "cipher: gnutls says %s (%s), tlswrap %s",
        bulk, desc, ours);
  print_message("  %s %s; gnutls: (%s\n", tlsw_session_version(R.s), ours,
                desc);
  if (!tc->tls13) {
    const char *kx =
        strstr(tc->cert, "rsa") ? "TLS_ECDHE_RSA_" : "TLS_ECDHE_ECDSA_";
    CHECK(strstr(desc, strstr(tc->cert, "rsa") ? ")-(RSA-" : ")-(ECDSA-"),
          "gnutls signature: %s", desc);
    CHECK(strncmp(ours, kx, strlen(kx)) == 0, "tlswrap suite %s is not %s*",
          ours, kx);
  }
}

/* ---- tlswrap side ---- */

static void make_ctx(const icase *tc, int server) {
  tlsw_tls_version v = tc->tls13 ? TLSW_VERSION_TLS1_3 : TLSW_VERSION_TLS1_2;
  char crt[64], key[64];
  assert_int_equal(tlsw_ctx_new(&R.ctx, server ? TLSW_PROTOCOL_TLS_SERVER
                                               : TLSW_PROTOCOL_TLS_CLIENT),
                   TLSW_OK);
  assert_int_equal(tlsw_ctx_set_version_range(R.ctx, v, v), TLSW_OK);
  if (tc->ciphers) {
    assert_int_equal(tlsw_ctx_set_cipher_string(R.ctx, tc->ciphers), TLSW_OK);
  }
  if (server) {
    snprintf(crt, sizeof crt, "%s.pem", tc->cert);
    snprintf(key, sizeof key, "%s.key", tc->cert);
  } else {
    snprintf(crt, sizeof crt, "client.pem");
    snprintf(key, sizeof key, "client.key");
  }
  if (server || tc->mutual) {
    int st =
        tlsw_ctx_load_cert_chain_file(R.ctx, fixture(crt), fixture(key), NULL);
    assert_int_equal(st, TLSW_OK);
  }
  if (!server || tc->mutual) {
    assert_int_equal(tlsw_ctx_load_verify_file(R.ctx, fixture("ca.pem")),
                     TLSW_OK);
    assert_int_equal(tlsw_ctx_set_verify_mode(R.ctx, TLSW_CERT_REQUIRED),
                     TLSW_OK);
  }
}

static void wrap_fd(int server) {
  tlsw_io io;
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_side = server;
  o.server_hostname = server ? NULL : "localhost";
  assert_int_equal(tlsw_sock_io(&R.sock, R.fd, IO_TIMEOUT, &io), TLSW_OK);
  int st = tlsw_wrap(R.ctx, &io, &o, &R.s);
  CHECK(st == TLSW_OK, "handshake: %s (%s)", tlsw_status_name(st),
        R.s ? tlsw_session_message(R.s) : "");
}

static void check_session(const icase *tc, int server) {
  CHECK(
      strcmp(tlsw_session_version(R.s), tc->tls13 ? "TLSv1.3" : "TLSv1.2") == 0,
      "version %s", tlsw_session_version(R.s));
  /* Verified on our side: the server's chain always, the client's when
   * mutual. */
  if (!server || tc->mutual) {
    CHECK(tlsw_session_verify_result(R.s) == TLSW_OK, "verify result %s",
          tlsw_status_name(tlsw_session_verify_result(R.s)));
    const uint8_t *der;
    size_t n;
    CHECK(tlsw_session_peer_cert(R.s, &der, &n) == TLSW_OK && n > 0,
          "no peer certificate");
  }
}

static void send_line(const char *line) {
  size_t len = strlen(line), off = 0;
  while (off < len) {
    size_t n = 0;
    int st = tlsw_write(R.s, line + off, len - off, &n);
    CHECK(st == TLSW_OK, "write: %s", tlsw_status_name(st));
    off += n;
  }
}

/* Read until a full line arrived; returns it in buf. */
static void recv_line(char *buf, size_t size) {
  size_t got = 0;
  buf[0] = '\0';
  while (strchr(buf, '\n') == NULL) {
    size_t n = 0;
    CHECK(got + 1 < size, "line too long: %s", buf);
    int st = tlsw_read(R.s, buf + got, size - 1 - got, &n);
    CHECK(st == TLSW_OK, "read: %s after '%s'", tlsw_status_name(st), buf);
    got += n;
    buf[got] = '\0';
  }
}

/* Data both ways, and a clean close from our side. */
static void exchange(int peer_echoes) {
  char buf[256];
  send_line("hello from tlswrap\n");
  if (peer_echoes) {
    recv_line(buf, sizeof buf);
    CHECK(strcmp(buf, "hello from tlswrap\n") == 0, "echo: '%s'", buf);
  } else {
    CHECK(child_wait_for(&R.peer, "hello from tlswrap", now_ms() + WAIT_MS),
          "the peer did not print our line");
    CHECK(child_send(&R.peer, "hello from the peer\n") == 0,
          "cannot write to the peer's stdin");
    recv_line(buf, sizeof buf);
    CHECK(strcmp(buf, "hello from the peer\n") == 0, "got '%s'", buf);
  }
  CHECK(tlsw_shutdown(R.s) == TLSW_OK, "shutdown");
}

/* ---- tlswrap client against a server tool ---- */

/* A peer_start_fn: arg is the icase. */
static int start_server_tool(child *c, int port, void *arg) {
  const icase *tc = arg;
  char portstr[16], accept_arg[32], crt[256], key[256], ca[256], prio[128];
  char *argv[24];
  int n = 0;
  snprintf(portstr, sizeof portstr, "%d", port);
  snprintf(crt, sizeof crt, "%s", fixture(tc->cert));
  strcat(crt, ".pem");
  snprintf(key, sizeof key, "%s", fixture(tc->cert));
  strcat(key, ".key");
  snprintf(ca, sizeof ca, "%s", fixture("ca.pem"));
  if (tc->peer == PEER_OPENSSL) {
    n = peer_openssl_server_argv(argv, accept_arg, sizeof accept_arg, port, crt,
                                 key);
    argv[n++] = tc->tls13 ? "-tls1_3" : "-tls1_2";
    if (tc->mutual) {
      argv[n++] = "-Verify";
      argv[n++] = "2";
      argv[n++] = "-verify_return_error";
      argv[n++] = "-CAfile";
      argv[n++] = ca;
    }
  } else {
    /* gnutls-serv cannot be told an address: it listens on the wildcard
     * (IPv4 and IPv6). We only ever connect to 127.0.0.1. */
    snprintf(prio, sizeof prio, "NORMAL:-VERS-ALL:+VERS-%s",
             tc->tls13 ? "TLS1.3" : "TLS1.2");
    argv[n++] = "gnutls-serv";
    argv[n++] = "--echo";
    argv[n++] = "--port";
    argv[n++] = portstr;
    argv[n++] = "--x509certfile";
    argv[n++] = crt;
    argv[n++] = "--x509keyfile";
    argv[n++] = key;
    argv[n++] = "--priority";
    argv[n++] = prio;
    if (tc->mutual) {
      argv[n++] = "--require-client-cert";
      argv[n++] = "--verify-client-cert";
      argv[n++] = "--x509cafile";
      argv[n++] = ca;
    }
  }
  argv[n] = NULL;
  return child_start(c, argv);
}

/* The server tool on a free port (retried if the port is taken), and the
 * test's connection to it in R.fd. */
static void connect_to_server_tool(const icase *tc) {
  R.fd =
      peer_connect_server(&R.peer, start_server_tool, (void *)tc, 5, WAIT_MS);
  if (R.fd < 0) {
    child_dump(&R.peer, "server tool");
    fail_msg("the server tool never accepted a connection");
  }
}

static void client_case(const icase *tc) {
  connect_to_server_tool(tc);
  make_ctx(tc, 0);
  wrap_fd(0);
  check_session(tc, 0);
  exchange(tc->peer == PEER_GNUTLS);
  close(R.fd);
  R.fd = -1;
  if (tc->peer == PEER_OPENSSL) {
    /* -naccept 1: s_server exits after our connection; its summary is
     * complete then (it is stdio-buffered on a pipe). */
    CHECK(child_drain(&R.peer, now_ms() + WAIT_MS), "s_server did not exit");
    check_openssl_view("CIPHER is ");
    if (tc->mutual) {
      CHECK(strstr(R.peer.out, "CN = client") != NULL,
            "s_server did not see our client certificate");
    }
  } else {
    child_stop(&R.peer, 2000); /* SIGTERM: gnutls-serv flushes and exits */
    check_gnutls_view(tc);
  }
}

/* ---- a client tool against the tlswrap server ---- */

static void start_client_tool(const icase *tc, int port) {
  char portstr[16], connect_arg[32], ca[256], crt[256], key[256], prio[128];
  char *argv[32];
  int n = 0;
  snprintf(portstr, sizeof portstr, "%d", port);
  snprintf(connect_arg, sizeof connect_arg, "127.0.0.1:%d", port);
  snprintf(ca, sizeof ca, "%s", fixture("ca.pem"));
  snprintf(crt, sizeof crt, "%s", fixture("client.pem"));
  snprintf(key, sizeof key, "%s", fixture("client.key"));
  if (tc->peer == PEER_OPENSSL) {
    argv[n++] = "openssl";
    argv[n++] = "s_client";
    argv[n++] = "-connect";
    argv[n++] = connect_arg;
    argv[n++] = "-servername";
    argv[n++] = "localhost";
    argv[n++] = "-CAfile";
    argv[n++] = ca;
    argv[n++] = "-verify_return_error";
    argv[n++] = "-verify_hostname";
    argv[n++] = "localhost";
    argv[n++] = "-nocommands"; /* a line starting with Q or R is data */
    argv[n++] = tc->tls13 ? "-tls1_3" : "-tls1_2";
    if (tc->mutual) {
      argv[n++] = "-cert";
      argv[n++] = crt;
      argv[n++] = "-key";
      argv[n++] = key;
    }
  } else {
    snprintf(prio, sizeof prio, "NORMAL:-VERS-ALL:+VERS-%s",
             tc->tls13 ? "TLS1.3" : "TLS1.2");
    argv[n++] = "gnutls-cli";
    argv[n++] = "127.0.0.1";
    argv[n++] = "--port";
    argv[n++] = portstr;
    argv[n++] = "--sni-hostname";
    argv[n++] = "localhost";
    argv[n++] = "--verify-hostname";
    argv[n++] = "localhost";
    argv[n++] = "--x509cafile";
    argv[n++] = ca;
    argv[n++] = "--priority";
    argv[n++] = prio;
    if (tc->mutual) {
      argv[n++] = "--x509certfile";
      argv[n++] = crt;
      argv[n++] = "--x509keyfile";
      argv[n++] = key;
    }
  }
  argv[n] = NULL;
  assert_int_equal(child_start(&R.peer, argv), 0);
}

/* A tlswrap server context for tc in R.ctx, listening on R.lfd; returns
 * the port for the client tool. */
static int listen_for_tool(const icase *tc) {
  int port = 0;
  R.lfd = listen_any(&port);
  assert_true(R.lfd >= 0);
  make_ctx(tc, 1);
  return port;
}

/* Start an s_client connecting to 127.0.0.1:port with the common
 * arguments (SNI "localhost", trusting ca_name, -verify_return_error) and
 * then extra (NULL-terminated), and accept its connection into R.fd. */
static void accept_s_client(int port, const char *ca_name,
                            const char *const *extra) {
  char connect_arg[32], ca[256];
  snprintf(connect_arg, sizeof connect_arg, "127.0.0.1:%d", port);
  snprintf(ca, sizeof ca, "%s", fixture(ca_name));
  char *argv[24] = {
      "openssl",   "s_client", "-connect", connect_arg,           "-servername",
      "localhost", "-CAfile",  ca,         "-verify_return_error"};
  int n = 9;
  for (int i = 0; extra[i] != NULL; i++) argv[n++] = (char *)extra[i];
  argv[n] = NULL;
  assert_int_equal(child_start(&R.peer, argv), 0);
  R.fd = accept_by(R.lfd, now_ms() + WAIT_MS);
  CHECK(R.fd >= 0, "s_client did not connect");
}

static void server_case(const icase *tc) {
  int port = listen_for_tool(tc);
  start_client_tool(tc, port);
  R.fd = accept_by(R.lfd, now_ms() + WAIT_MS);
  CHECK(R.fd >= 0, "the client tool did not connect");
  wrap_fd(1);
  check_session(tc, 1);
  /* Both tools print what they verified and negotiated once the handshake
   * is done, before they read stdin. */
  if (tc->peer == PEER_OPENSSL) {
    CHECK(child_wait_for(&R.peer, "Verify return code: 0 (ok)",
                         now_ms() + WAIT_MS),
          "s_client did not report a verified certificate");
    CHECK(child_wait_for(&R.peer, "Verified peername: localhost",
                         now_ms() + WAIT_MS),
          "s_client did not check the host name");
    check_openssl_view(", Cipher is ");
    char proto[32];
    CHECK(field(R.peer.out, "New, ", proto, sizeof proto) &&
              strncmp(proto, tc->tls13 ? "TLSv1.3," : "TLSv1.2,", 8) == 0,
          "s_client protocol: %s", proto);
  } else {
    CHECK(child_wait_for(&R.peer, "- Handshake was completed",
                         now_ms() + WAIT_MS),
          "gnutls-cli did not complete the handshake");
    CHECK(strstr(R.peer.out, "- Status: The certificate is trusted.") != NULL,
          "gnutls-cli did not trust the certificate");
    check_gnutls_view(tc);
  }
  exchange(0);
  close(R.fd);
  R.fd = -1;
  child_close_stdin(&R.peer);
  CHECK(child_drain(&R.peer, now_ms() + WAIT_MS), "client tool did not exit");
}

/* TLS 1.3 KeyUpdate from a real peer: s_client's "K" command updates its
 * keys and requests ours. Data must keep flowing both ways, twice over. */
static void server_handles_key_update(void **state) {
  (void)state;
  static const icase tc = {PEER_OPENSSL, 1, "server-ec", NULL, 0};
  int port = listen_for_tool(&tc);
  /* Without -nocommands: a line "K" is the key update command. -msg logs
   * the handshake messages each way. */
  static const char *const extra[] = {"-tls1_3", "-msg", NULL};
  accept_s_client(port, "ca.pem", extra);
  wrap_fd(1);
  CHECK(
      child_wait_for(&R.peer, "Verify return code: 0 (ok)", now_ms() + WAIT_MS),
      "s_client did not verify us");
  char buf[256], want[64];
  for (int round = 1; round <= 2; round++) {
    size_t before = R.peer.out_len;
    CHECK(child_send(&R.peer, "K\n") == 0, "cannot drive s_client");
    CHECK(child_wait_for_from(&R.peer, before, "KEYUPDATE", now_ms() + WAIT_MS),
          "s_client did not send a key update");
    snprintf(want, sizeof want, "after key update %d\n", round);
    CHECK(child_send(&R.peer, want) == 0, "cannot write to s_client");
    recv_line(buf, sizeof buf); /* processes the KeyUpdate, answers it */
    CHECK(strcmp(buf, want) == 0, "got '%s'", buf);
    snprintf(want, sizeof want, "reply %d from tlswrap", round);
    send_line(want);
    send_line("\n");
    CHECK(child_wait_for_from(&R.peer, before, want, now_ms() + WAIT_MS),
          "s_client did not get '%s' after the key update", want);
    /* -msg: s_client logs each message; ours must include the KeyUpdate
     * that answers its request (RFC 8446 4.6.3). */
    CHECK(strstr(R.peer.out + before,
                 "<<< TLS 1.3, Handshake [length 0005], KeyUpdate") != NULL,
          "tlswrap did not answer the key update request");
  }
  CHECK(tlsw_shutdown(R.s) == TLSW_OK, "shutdown");
}

/* Our own KeyUpdate (tlsw_session_key_update): s_client logs receiving it
 * and answers the request with its own, and data flows both ways under the
 * new keys. */
static void server_sends_key_update(void **state) {
  (void)state;
  static const icase tc = {PEER_OPENSSL, 1, "server-ec", NULL, 0};
  int port = listen_for_tool(&tc);
  static const char *const extra[] = {"-tls1_3", "-msg", NULL};
  accept_s_client(port, "ca.pem", extra);
  wrap_fd(1);
  CHECK(
      child_wait_for(&R.peer, "Verify return code: 0 (ok)", now_ms() + WAIT_MS),
      "s_client did not verify us");
  char buf[256], want[64];
  for (int round = 1; round <= 2; round++) {
    size_t before = R.peer.out_len;
    CHECK(tlsw_session_key_update(R.s) == TLSW_OK, "key_update: %s",
          tlsw_session_message(R.s));
    snprintf(want, sizeof want, "tlswrap updated %d", round);
    send_line(want);
    send_line("\n");
    CHECK(child_wait_for_from(&R.peer, before, want, now_ms() + WAIT_MS),
          "s_client did not get '%s' after our key update", want);
    CHECK(strstr(R.peer.out + before,
                 "<<< TLS 1.3, Handshake [length 0005], KeyUpdate") != NULL,
          "s_client logged no KeyUpdate from us");
    /* Its answer (update_not_requested) arrives before its next line. */
    snprintf(want, sizeof want, "s_client line %d\n", round);
    CHECK(child_send(&R.peer, want) == 0, "cannot write to s_client");
    recv_line(buf, sizeof buf);
    CHECK(strcmp(buf, want) == 0, "got '%s'", buf);
    CHECK(child_wait_for_from(&R.peer, before,
                              ">>> TLS 1.3, Handshake [length 0005], KeyUpdate",
                              now_ms() + WAIT_MS),
          "s_client did not answer our update request");
  }
  CHECK(tlsw_shutdown(R.s) == TLSW_OK, "shutdown");
}

/* ---- failures a real peer must provoke ---- */

/* Connect to s_server (TLS 1.3, EC key) and wrap as a client trusting
 * `ca` and expecting `host`, with at most `maxv`. Returns the status. */
static int client_attempt(const char *ca, const char *host,
                          tlsw_tls_version maxv) {
  static const icase srv = {PEER_OPENSSL, 1, "server-ec", NULL, 0};
  connect_to_server_tool(&srv);
  assert_int_equal(tlsw_ctx_new(&R.ctx, TLSW_PROTOCOL_TLS_CLIENT), TLSW_OK);
  assert_int_equal(tlsw_ctx_load_verify_file(R.ctx, fixture(ca)), TLSW_OK);
  assert_int_equal(
      tlsw_ctx_set_version_range(R.ctx, TLSW_VERSION_DEFAULT, maxv), TLSW_OK);
  tlsw_io io;
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = host;
  assert_int_equal(tlsw_sock_io(&R.sock, R.fd, IO_TIMEOUT, &io), TLSW_OK);
  int st = tlsw_wrap(R.ctx, &io, &o, &R.s);
  assert_non_null(R.s);
  print_message("  %s: %s\n", tlsw_status_name(st), tlsw_session_message(R.s));
  /* Fatal and sticky: the next call returns the same without I/O. */
  size_t n;
  CHECK(tlsw_session_status(R.s) == st, "status not sticky");
  CHECK(tlsw_write(R.s, "x", 1, &n) == st, "write after failure");
  CHECK(tlsw_session_message(R.s)[0] != '\0', "no message");
  close(R.fd);
  R.fd = -1;
  /* s_server (-naccept 1) exits once we are gone. */
  CHECK(child_drain(&R.peer, now_ms() + WAIT_MS), "s_server did not exit");
  return st;
}

static void client_rejects_untrusted_server(void **s) {
  (void)s;
  int st = client_attempt("other-ca.pem", "localhost", TLSW_VERSION_DEFAULT);
  CHECK(st == TLSW_ERR_CERT_UNTRUSTED, "got %s", tlsw_status_name(st));
  CHECK(strstr(tlsw_session_message(R.s), "certificate verify failed") != NULL,
        "message: %s", tlsw_session_message(R.s));
  /* We told the server why (an alert), rather than just hanging up. */
  CHECK(strstr(R.peer.out, "alert") != NULL, "s_server saw no alert");
}

static void client_rejects_wrong_hostname(void **s) {
  (void)s;
  int st = client_attempt("ca.pem", "wrong.example", TLSW_VERSION_DEFAULT);
  CHECK(st == TLSW_ERR_CERT_HOSTNAME, "got %s", tlsw_status_name(st));
  CHECK(strstr(R.peer.out, "alert") != NULL, "s_server saw no alert");
}

static void client_tls12_vs_tls13_only_server(void **s) {
  (void)s;
  int st = client_attempt("ca.pem", "localhost", TLSW_VERSION_TLS1_2);
  CHECK(tlsw_status_category(st) == TLSW_CAT_PROTOCOL, "got %s",
        tlsw_status_name(st));
}

/* s_client trusts another CA: it rejects our server certificate. We must
 * fail the handshake cleanly (a fatal protocol status, no hang, no I/O
 * error) and s_client must say why. */
static void server_rejected_by_client(int tls13) {
  icase tc = {PEER_OPENSSL, 0, "server-ec", NULL, 0};
  tc.tls13 = tls13;
  int port = listen_for_tool(&tc);
  const char *const extra[] = {"-nocommands", tls13 ? "-tls1_3" : "-tls1_2",
                               NULL};
  accept_s_client(port, "other-ca.pem", extra);
  tlsw_io io;
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_side = 1;
  assert_int_equal(tlsw_sock_io(&R.sock, R.fd, IO_TIMEOUT, &io), TLSW_OK);
  int st = tlsw_wrap(R.ctx, &io, &o, &R.s);
  print_message("  %s: %s (backend %ld)\n", tlsw_status_name(st),
                tlsw_session_message(R.s), tlsw_session_backend_error(R.s));
  /* TLS 1.2: the alert by name. TLS 1.3: s_client's alert is plaintext at
   * that point, which 5.5.4 cannot read; still reported as an alert. */
  CHECK(st == TLSW_ERR_ALERT, "got %s", tlsw_status_name(st));
  CHECK(
      strstr(tlsw_session_message(R.s),
             tls13 ? "the peer rejected the handshake" : "unknown_ca") != NULL,
      "message: %s", tlsw_session_message(R.s));
  CHECK(child_drain(&R.peer, now_ms() + WAIT_MS), "s_client did not exit");
  CHECK(strstr(R.peer.out, "unable to get local issuer certificate") != NULL,
        "s_client did not report the verification failure");
}

static void server_rejected_by_client_tls13(void **s) {
  (void)s;
  server_rejected_by_client(1);
}

static void server_rejected_by_client_tls12(void **s) {
  (void)s;
  server_rejected_by_client(0);
}

/* The server dies mid-connection (SIGKILL: the kernel closes its socket,
 * no close_notify). A read must report the cut, never a clean end. */
static void client_detects_truncation(void **state) {
  (void)state;
  static const icase tc = {PEER_OPENSSL, 1, "server-ec", NULL, 0};
  connect_to_server_tool(&tc);
  make_ctx(&tc, 0);
  wrap_fd(0);
  send_line("hello from tlswrap\n");
  CHECK(child_wait_for(&R.peer, "hello from tlswrap", now_ms() + WAIT_MS),
        "s_server did not get our line");
  kill(R.peer.pid, SIGKILL);
  char buf[64];
  size_t n;
  int st;
  do { /* tickets or other records may still be queued before the EOF */
    st = tlsw_read(R.s, buf, sizeof buf, &n);
  } while (st == TLSW_OK);
  print_message("  read after the peer died: %s (%s)\n", tlsw_status_name(st),
                tlsw_session_message(R.s));
  CHECK(st == TLSW_ERR_EOF || st == TLSW_ERR_RESET, "got %s, not a cut",
        tlsw_status_name(st));
  CHECK(tlsw_read(R.s, buf, sizeof buf, &n) == st, "not sticky");
}

/* ---- non-blocking socket, bulk data, real peer ---- */

/* Wait (poll) until the socket is ready in the direction the session asked
 * for, pumping the peer's output meanwhile so it never blocks on us. */
static void wait_want(long long deadline) {
  unsigned w = tlsw_want(R.s);
  struct pollfd p = {R.fd, 0, 0};
  if (w & TLSW_WANT_RD) p.events |= POLLIN;
  if (w & TLSW_WANT_WR) p.events |= POLLOUT;
  CHECK(p.events != 0, "blocked status without a direction");
  while (poll(&p, 1, 20) == 0) {
    child_pump(&R.peer);
    CHECK(now_ms() < deadline, "timed out waiting for the socket");
  }
}

/* 256 KiB through gnutls-serv --echo over a non-blocking socket: every
 * TLSW_WANT_* is answered by poll() in the direction tlsw_want() names, and
 * what comes back must equal what went out. */
static void client_nonblocking_bulk_echo(void **s) {
  (void)s;
  static const icase tc = {PEER_GNUTLS, 1, "server-ec", NULL, 0};
  enum { TOTAL = 256 * 1024 };
  static char out[TOTAL], in[TOTAL];
  /* Printable lines: the echo server works on text (no CR, no NUL). */
  for (size_t i = 0; i < TOTAL; i++) {
    out[i] = (i % 64 == 63) ? '\n' : (char)('a' + (i * 7 + i / 64) % 26);
  }
  connect_to_server_tool(&tc);
  make_ctx(&tc, 0);
  int fl = fcntl(R.fd, F_GETFL);
  assert_int_equal(fcntl(R.fd, F_SETFL, fl | O_NONBLOCK), 0);
  tlsw_io io;
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "localhost";
  assert_int_equal(tlsw_sock_io(&R.sock, R.fd, 0, &io), TLSW_OK);
  long long deadline = now_ms() + 4 * WAIT_MS;
  int st = tlsw_wrap(R.ctx, &io, &o, &R.s);
  int blocked = 0;
  while (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    blocked++;
    wait_want(deadline);
    st = tlsw_handshake(R.s);
  }
  CHECK(st == TLSW_OK, "handshake: %s", tlsw_status_name(st));
  size_t sent = 0, got = 0;
  /* Alternate: push what the socket takes, pull what has come back. */
  while (got < TOTAL) {
    int progress = 0;
    if (sent < TOTAL) {
      size_t n = 0;
      size_t chunk = TOTAL - sent < 16384 ? TOTAL - sent : 16384;
      st = tlsw_write(R.s, out + sent, chunk, &n);
      if (st == TLSW_OK) {
        sent += n;
        progress = 1;
      } else {
        CHECK(st == TLSW_WANT_WRITE || st == TLSW_WANT_READ, "write: %s",
              tlsw_status_name(st));
        blocked++;
        /* Retry later with the same arguments: nothing else to do here. */
      }
    }
    size_t n = 0;
    st = tlsw_read(R.s, in + got, TOTAL - got, &n);
    if (st == TLSW_OK) {
      got += n;
      progress = 1;
    } else {
      CHECK(st == TLSW_WANT_READ || st == TLSW_WANT_WRITE, "read: %s",
            tlsw_status_name(st));
      blocked++;
    }
    if (!progress) wait_want(deadline);
    CHECK(now_ms() < deadline, "bulk echo timed out: sent %zu, got %zu", sent,
          got);
  }
  CHECK(memcmp(in, out, TOTAL) == 0, "echoed data differs");
  print_message("  %d bytes echoed, %d would-block returns\n", TOTAL, blocked);
  CHECK(blocked > 0, "a non-blocking run never blocked: not exercised");
  CHECK(tlsw_shutdown(R.s) == TLSW_OK, "shutdown");
}

/* ---- the cases ---- */

/* Variety across cases: EC and RSA server keys, mutual authentication,
 * pinned suites, so the peers' defaults are not the only path tested. */
static const icase c_ossl_srv13 = {PEER_OPENSSL, 1, "server-ec", NULL, 1};
static const icase c_ossl_srv12 = {PEER_OPENSSL, 0, "server-rsa",
                                   "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0};
static const icase c_gnu_srv13 = {PEER_GNUTLS, 1, "server-ec",
                                  "TLS_CHACHA20_POLY1305_SHA256", 0};
static const icase c_gnu_srv12 = {PEER_GNUTLS, 0, "server-rsa", NULL, 1};
static const icase c_ossl_cli13 = {PEER_OPENSSL, 1, "server-rsa", NULL, 1};
static const icase c_ossl_cli12 = {PEER_OPENSSL, 0, "server-ec", NULL, 0};
static const icase c_gnu_cli13 = {PEER_GNUTLS, 1, "server-ec", NULL, 1};
static const icase c_gnu_cli12 = {
    PEER_GNUTLS, 0, "server-ec",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0};

/* The test functions of the table below: the case is the initial state. */
static void client_test(void **state) {
  client_case(*state);
}
static void server_test(void **state) {
  server_case(*state);
}

int main(void) {
  /* A peer that dies makes writes to its stdin raise SIGPIPE. */
  signal(SIGPIPE, SIG_IGN);
  const struct CMUnitTest tests[] = {
      {"client_vs_openssl_tls13", client_test, setup, teardown,
       (void *)&c_ossl_srv13},
      {"client_vs_openssl_tls12", client_test, setup, teardown,
       (void *)&c_ossl_srv12},
      {"client_vs_gnutls_tls13", client_test, setup, teardown,
       (void *)&c_gnu_srv13},
      {"client_vs_gnutls_tls12", client_test, setup, teardown,
       (void *)&c_gnu_srv12},
      {"openssl_vs_server_tls13", server_test, setup, teardown,
       (void *)&c_ossl_cli13},
      {"openssl_vs_server_tls12", server_test, setup, teardown,
       (void *)&c_ossl_cli12},
      {"gnutls_vs_server_tls13", server_test, setup, teardown,
       (void *)&c_gnu_cli13},
      {"gnutls_vs_server_tls12", server_test, setup, teardown,
       (void *)&c_gnu_cli12},
      cmocka_unit_test_setup_teardown(server_handles_key_update, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(server_sends_key_update, setup, teardown),
      cmocka_unit_test_setup_teardown(client_rejects_untrusted_server, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(client_rejects_wrong_hostname, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(client_tls12_vs_tls13_only_server, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(client_detects_truncation, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(client_nonblocking_bulk_echo, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(server_rejected_by_client_tls13, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(server_rejected_by_client_tls12, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
