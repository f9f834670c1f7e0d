/*
 * Verification failures against real peers over 127.0.0.1 sockets: the
 * in-memory matrix (test_verify_matrix.c) cannot show that another TLS
 * stack sees our alerts, and that we name theirs. openssl s_server and
 * s_client, with certificates from the matrix fixture.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "net.h"
#include "peer.h"
#include "verify_util.h"
#include "tlswrap/transport.h"

#define WAIT_MS 10000
#define IO_TIMEOUT_MS 5000

static child peer;

static int teardown(void **state) {
  (void)state;
  child_stop(&peer, 1000);
  return 0;
}

/* What s_server serves: matrix leaf <leaf>, a version flag, and extra
 * arguments (NULL-terminated, may be NULL). */
typedef struct server_args {
  const char *leaf, *version;
  const char *const *extra;
} server_args;

/* A peer_start_fn: "openssl s_server" for one connection on `port`. */
static int start_server(child *c, int port, void *arg) {
  const server_args *a = arg;
  char crt[1024], key[1024], ca[1024], chain[1024], acc[32];
  /* -cert sends only the first certificate of a file: the intermediate
   * goes in -cert_chain. */
  snprintf(chain, sizeof chain, "%s/int.pem", TLSW_TEST_MATRIX);
  snprintf(crt, sizeof crt, "%s/%s.pem", TLSW_TEST_MATRIX, a->leaf);
  snprintf(key, sizeof key, "%s/%s.key", TLSW_TEST_MATRIX, a->leaf);
  snprintf(ca, sizeof ca, "%s/root.pem", TLSW_TEST_MATRIX);
  char *argv[32];
  int n = peer_openssl_server_argv(argv, acc, sizeof acc, port, crt, key);
  argv[n++] = "-cert_chain";
  argv[n++] = chain;
  argv[n++] = "-CAfile";
  argv[n++] = ca;
  argv[n++] = (char *)a->version;
  for (int i = 0; a->extra != NULL && a->extra[i] != NULL; i++) {
    argv[n++] = (char *)a->extra[i];
  }
  argv[n] = NULL;
  return child_start(c, argv);
}

/* Start "openssl s_server" serving <leaf> on a free port (retried if the
 * port is taken), then connect. extra: more arguments (NULL-terminated). */
static int server_tool(const char *leaf, const char *version,
                       const char *const *extra) {
  server_args a = {leaf, version, extra};
  int fd = peer_connect_server(&peer, start_server, &a, 5, WAIT_MS);
  if (fd < 0) {
    child_dump(&peer, "openssl");
    fail_msg("openssl s_server never accepted a connection");
  }
  return fd;
}

/* Our client against s_server: returns the handshake status; *s is the
 * session (caller frees). */
static int client_to(int fd, tlsw_ctx *c, const char *host, tlsw_session **s) {
  tlsw_sock sock;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(&sock, fd, IO_TIMEOUT_MS, &io), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = host;
  /* sock lives only in this frame: finish the handshake here. */
  int st = tlsw_wrap(c, &io, &o, s);
  if (st == TLSW_OK) {
    /* TLS 1.3: a refusal of our certificate arrives after the handshake. */
    char b[64];
    size_t n;
    st = tlsw_read(*s, b, sizeof b, &n);
  }
  return st;
}

static void expect_peer_saw(const char *needle) {
  child_drain(&peer, now_ms() + WAIT_MS);
  if (strstr(peer.out, needle) == NULL) {
    child_dump(&peer, "openssl");
    fail_msg("openssl did not report '%s'", needle);
  }
}

static void refuse_server(const char *leaf, const char *host, int status,
                          const char *msg, const char *alert) {
  static const char *const versions[] = {"-tls1_3", "-tls1_2"};
  for (int v = 0; v < 2; v++) {
    int fd = server_tool(leaf, versions[v], NULL);
    tlsw_ctx *c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, TLSW_VERSION_DEFAULT);
    tlsw_session *s = NULL;
    int st = client_to(fd, c, host, &s);
    if (st != status) {
      fail_msg("%s %s: got %s (%s)", leaf, versions[v], tlsw_status_name(st),
               tlsw_session_message(s));
    }
    assert_string_equal(tlsw_session_message(s), msg);
    tlsw_session_free(s);
    close(fd);
    tlsw_ctx_free(c);
    expect_peer_saw(alert);
    child_stop(&peer, 1000);
  }
}

static void expired_server(void **state) {
  (void)state;
  refuse_server("expired", "a.example.test", TLSW_ERR_CERT_EXPIRED,
                "certificate verify failed: certificate has expired (depth "
                "0, CN=a.example.test)",
                "SSL alert number 45");
}

static void wrong_host_server(void **state) {
  (void)state;
  refuse_server("otherhost", "a.example.test", TLSW_ERR_CERT_HOSTNAME,
                "certificate verify failed: hostname mismatch for "
                "'a.example.test' (depth 0, CN=other.example.test)",
                "SSL alert number 42");
}

static void untrusted_server(void **state) {
  (void)state;
  refuse_server("untrusted", "a.example.test", TLSW_ERR_CERT_UNTRUSTED,
                "certificate verify failed: unable to get local issuer "
                "certificate (depth 0, CN=a.example.test)",
                "SSL alert number 48");
}

static void good_server(void **state) {
  (void)state;
  int fd = server_tool("valid", "-tls1_3", NULL);
  tlsw_ctx *c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, TLSW_VERSION_DEFAULT);
  tlsw_sock sock;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(&sock, fd, IO_TIMEOUT_MS, &io), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "a.example.test";
  tlsw_session *s = NULL;
  assert_int_equal(tlsw_wrap(c, &io, &o, &s), TLSW_OK);
  assert_int_equal(tlsw_session_verify_result(s), TLSW_OK);
  tlsw_session_free(s);
  close(fd);
  tlsw_ctx_free(c);
}

/* s_server requires a client certificate and we send none: its alert is
 * named on our side. */
static void server_requires_our_cert(void **state) {
  (void)state;
  static const char *const req[] = {"-Verify", "1", "-verify_return_error",
                                    NULL};
  static const struct {
    const char *version, *msg;
  } cases[] = {
      {"-tls1_3", "peer sent alert: certificate_required (116)"},
      {"-tls1_2", "peer sent alert: handshake_failure (40)"},
  };
  for (int v = 0; v < 2; v++) {
    int fd = server_tool("valid", cases[v].version, req);
    tlsw_ctx *c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, TLSW_VERSION_DEFAULT);
    tlsw_session *s = NULL;
    int st = client_to(fd, c, "a.example.test", &s);
    if (st != TLSW_ERR_ALERT) {
      fail_msg("%s: got %s (%s)", cases[v].version, tlsw_status_name(st),
               tlsw_session_message(s));
    }
    assert_string_equal(tlsw_session_message(s), cases[v].msg);
    tlsw_session_free(s);
    close(fd);
    tlsw_ctx_free(c);
    child_stop(&peer, 1000);
  }
}

/* openssl s_client presents a client certificate to our server. */
static void client_tool(const char *client, const char *version,
                        tlsw_verify_mode mode, int want, const char *msg,
                        const char *alert) {
  int port = 0;
  int lfd = listen_any(&port);
  assert_true(lfd >= 0);
  char conn[32], crt[1024], key[1024], ca[1024], chain[1024];
  snprintf(chain, sizeof chain, "%s/int.pem", TLSW_TEST_MATRIX);
  snprintf(conn, sizeof conn, "127.0.0.1:%d", port);
  snprintf(crt, sizeof crt, "%s/%s.pem", TLSW_TEST_MATRIX, client);
  snprintf(key, sizeof key, "%s/%s.key", TLSW_TEST_MATRIX, client);
  snprintf(ca, sizeof ca, "%s/root.pem", TLSW_TEST_MATRIX);
  char *argv[] = {"openssl",       "s_client",
                  "-connect",      conn,
                  "-cert",         crt,
                  "-key",          key,
                  "-cert_chain",   chain,
                  "-CAfile",       ca,
                  "-servername",   "a.example.test",
                  (char *)version, NULL};
  assert_int_equal(child_start(&peer, argv), 0);
  int fd = accept_by(lfd, now_ms() + WAIT_MS);
  close(lfd);
  assert_true(fd >= 0);
  tlsw_ctx *s = vserver_ctx("valid", mode, TLSW_VERSION_DEFAULT);
  tlsw_sock sock;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(&sock, fd, IO_TIMEOUT_MS, &io), TLSW_OK);
  tlsw_session *ss = NULL;
  int st = tlsw_wrap(s, &io, NULL, &ss);
  if (st != want) {
    fail_msg("%s %s: got %s (%s)", client, version, tlsw_status_name(st),
             tlsw_session_message(ss));
  }
  assert_string_equal(tlsw_session_message(ss), msg);
  tlsw_session_free(ss);
  close(fd);
  tlsw_ctx_free(s);
  expect_peer_saw(alert);
  child_stop(&peer, 1000);
}

static void untrusted_client(void **state) {
  (void)state;
  client_tool("client-untrusted", "-tls1_3", TLSW_CERT_REQUIRED,
              TLSW_ERR_CERT_UNTRUSTED,
              "certificate verify failed: unable to get local issuer "
              "certificate (depth 0, CN=client.example.test)",
              "SSL alert number 48");
  client_tool("client-untrusted", "-tls1_2", TLSW_CERT_OPTIONAL,
              TLSW_ERR_CERT_UNTRUSTED,
              "certificate verify failed: unable to get local issuer "
              "certificate (depth 0, CN=client.example.test)",
              "SSL alert number 48");
}

static void expired_client(void **state) {
  (void)state;
  client_tool("client-expired", "-tls1_3", TLSW_CERT_REQUIRED,
              TLSW_ERR_CERT_EXPIRED,
              "certificate verify failed: certificate has expired (depth 0, "
              "CN=client.example.test)",
              "SSL alert number 45");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(good_server, teardown),
      cmocka_unit_test_teardown(expired_server, teardown),
      cmocka_unit_test_teardown(wrong_host_server, teardown),
      cmocka_unit_test_teardown(untrusted_server, teardown),
      cmocka_unit_test_teardown(server_requires_our_cert, teardown),
      cmocka_unit_test_teardown(untrusted_client, teardown),
      cmocka_unit_test_teardown(expired_client, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
