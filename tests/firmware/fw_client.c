/*
 * The firmware client image: a tlswrap TLS client, and nothing of the
 * server side, on a client-only wolfSSL (profile firmware-client:
 * NO_WOLFSSL_SERVER, no DTLS). Its peers are real TLS servers outside the
 * image: the board's UART0 and UART1 carry the bytes (fw_board.h; under
 * QEMU a host socket each, to openssl s_server: tests/firmware/
 * run-client.sh), so what is measured is what a device that is only a
 * client carries.
 *
 *   UART0  TLS 1.3 (the server allows only 1.3, the client asks only 1.3)
 *   UART1  TLS 1.2 (likewise)
 *
 * Each connection verifies the server's certificate (test CA) and host
 * name (localhost) against a supplied time, sends a line and reads the
 * server's answer (s_server -rev: the line reversed), then sends
 * close_notify. Before them, the build's edges: no DTLS in the features, a
 * server and a DTLS context refused with TLSW_ERR_UNSUPPORTED and a
 * message. Any failure prints why and exits non-zero; success prints
 *   firmware client: flash N B, static RAM N B, heap peak N B,
 *   held per session N B, stack N B
 */
#include <stdio.h>
#include <string.h>

#include "fw_board.h"
#include "fw_certs.h"
#include "fw_heap.h"
#include "tlswrap/tlswrap.h"

/* Long enough for a handshake through QEMU's byte-at-a-time UART on a
 * loaded machine; the ctest's own timeout bounds the whole run. */
#define FW_UART_TIMEOUT_MS 30000u

static size_t heap_peak, held_max;

static void fail(const char *what, int st, const char *msg) {
  fprintf(stderr, "firmware client: %s failed: %s%s%s\n", what,
          tlsw_status_name(st), msg != NULL && *msg ? ": " : "",
          msg != NULL ? msg : "");
  fw_exit(1);
}

static void must(int st, const char *what) {
  if (st != TLSW_OK) fail(what, st, NULL);
}

/* TEST ONLY, as in fw_test.c: a deterministic stand-in for a TRNG, which
 * the board model lacks. A device must use a real entropy source. */
static int test_only_entropy(void *user, uint8_t *buf, size_t len) {
  uint64_t *x = user;
  for (size_t i = 0; i < len; i++) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    buf[i] = (uint8_t)(z ^ (z >> 31));
  }
  return 0;
}

static uint64_t board_clock(void *user) {
  (void)user;
  return fw_board_ms();
}

/* The transport: a UART, blocking, bounded by FW_UART_TIMEOUT_MS. */
static int uart_send(void *io, const uint8_t *buf, size_t len, size_t *n) {
  int port = *(const int *)io;
  if (fw_uart_write(port, buf, len) != 0) return TLSW_ERR_IO;
  *n = len;
  return TLSW_OK;
}

static int uart_recv(void *io, uint8_t *buf, size_t len, size_t *n) {
  int port = *(const int *)io;
  return fw_uart_read(port, buf, len, n, FW_UART_TIMEOUT_MS) == 0
             ? TLSW_OK
             : TLSW_ERR_TIMEOUT;
}

/* What a client-only build refuses, each with a status and a sentence. */
static void client_only_edges(void) {
  if (tlsw_backend_features() & TLSW_FEATURE_DTLS) {
    fail("features", TLSW_ERR_STATE, "a client-only build reports DTLS");
  }
  static const tlsw_protocol refused[] = {TLSW_PROTOCOL_TLS_SERVER,
                                          TLSW_PROTOCOL_DTLS_CLIENT,
                                          TLSW_PROTOCOL_DTLS_SERVER};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    char why[200];
    tlsw_ctx *c = NULL;
    int st = tlsw_ctx_new_ex(&c, refused[i], why, sizeof why);
    if (st != TLSW_ERR_UNSUPPORTED || c != NULL || why[0] == '\0') {
      fail("refusing a server or DTLS context", st, why);
    }
  }
}

static tlsw_ctx *client_ctx(tlsw_tls_version v) {
  tlsw_ctx *c;
  must(tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT), "client context");
  if (tlsw_ctx_load_verify_mem(c, fw_ca_pem, fw_ca_pem_len) != TLSW_OK) {
    fail("CA", TLSW_ERR_CERT_INVALID, tlsw_ctx_message(c));
  }
  /* A day after the test certificates' notBefore: no calendar clock. */
  must(tlsw_ctx_set_time(c, FW_CERT_TIME), "client time");
  must(tlsw_ctx_set_version_range(c, v, v), "client version");
  return c;
}

/* Reads until a newline (the server answers one line). */
static size_t read_line(tlsw_session *s, char *buf, size_t cap) {
  size_t have = 0;
  while (have < cap && (have == 0 || buf[have - 1] != '\n')) {
    size_t got = 0;
    int st = tlsw_read(s, buf + have, cap - have, &got);
    if (st != TLSW_OK) fail("read", st, tlsw_session_message(s));
    have += got;
  }
  return have;
}

static void exchange(tlsw_session *s, const char *what) {
  static const char ping[] = "ping from the board\n";
  static const char want[] = "draob eht morf gnip\n";
  size_t n = 0;
  char buf[64];
  must(tlsw_write(s, ping, sizeof ping - 1, &n), "write");
  if (n != sizeof ping - 1) fail("write", TLSW_ERR_IO, "short write");
  size_t got = read_line(s, buf, sizeof buf);
  if (got != sizeof want - 1 || memcmp(buf, want, got) != 0) {
    fail(what, TLSW_ERR_STATE, "the server's answer is not the line reversed");
  }
}

static void run(int port, tlsw_tls_version v, const char *what) {
  static int ports[2] = {0, 1};
  if (fw_uart_open(port) != 0) fail(what, TLSW_ERR_IO, "no UART");
  size_t before = fw_heap_now(FW_CLIENT);
  fw_heap_reset_peak(FW_CLIENT);
  tlsw_ctx *ctx = client_ctx(v);
  size_t ctx_heap = fw_heap_now(FW_CLIENT);
  tlsw_io io = {uart_send, uart_recv, &ports[port]};
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "localhost";
  tlsw_session *s = NULL;
  int st = tlsw_wrap(ctx, &io, &o, &s);
  if (st != TLSW_OK) fail(what, st, s ? tlsw_session_message(s) : "");
  must(tlsw_session_verify_result(s), "server certificate verification");
  if (tlsw_session_version(s) == NULL ||
      strcmp(tlsw_session_version(s),
             v == TLSW_VERSION_TLS1_3 ? "TLSv1.3" : "TLSv1.2") != 0) {
    fail(what, TLSW_ERR_STATE, tlsw_session_version(s));
  }
  exchange(s, what);
  /* Idle and established: what the session alone holds. */
  size_t held = fw_heap_now(FW_CLIENT) - ctx_heap;
  if (held > held_max) held_max = held;
  if (fw_heap_peak(FW_CLIENT) > heap_peak) heap_peak = fw_heap_peak(FW_CLIENT);
  must(tlsw_shutdown(s), "close_notify");
  tlsw_session_free(s);
  tlsw_ctx_free(ctx);
  /* wolfSSL keeps a little once per process, allocated in the first run
   * (fw_test.c): after that, every byte must come back. */
  static size_t runs;
  if (runs++ > 0 && fw_heap_now(FW_CLIENT) != before) {
    fail(what, TLSW_ERR_INTERNAL, "heap not returned after free");
  }
}

static void setup(void) {
  static uint64_t seed = 0x5eed5eed5eed5eedu; /* TEST ONLY, see above */
  tlsw_platform_ops ops;
  memset(&ops, 0, sizeof ops);
  ops.size = sizeof ops;
  ops.user = &seed;
  ops.entropy = test_only_entropy;
  ops.monotonic_ms = board_clock;
  must(tlsw_set_platform(&ops), "set_platform");
  if (fw_heap_install() != 0) fail("set_allocator", TLSW_ERR_STATE, NULL);
  fw_heap_side(FW_CLIENT);
  if (tlsw_init() != TLSW_OK) {
    fail("init", TLSW_ERR_INTERNAL, tlsw_init_message());
  }
}

int main(void) {
  setup();
  client_only_edges();
  run(0, TLSW_VERSION_TLS1_3, "TLS 1.3 handshake");
  run(1, TLSW_VERSION_TLS1_2, "TLS 1.2 handshake");
  if (fw_heap_failures() != 0) fail("heap", TLSW_ERR_NOMEM, "malloc failed");
  if (fw_board_measures) {
    printf("firmware client: flash %lu B, static RAM %lu B, heap peak %lu B, "
           "held per session %lu B, stack %lu B\n",
           (unsigned long)fw_flash_bytes(),
           (unsigned long)fw_static_ram_bytes(), (unsigned long)heap_peak,
           (unsigned long)held_max, (unsigned long)fw_stack_bytes());
  } else {
    printf("firmware-host client: heap peak %lu B, held per session %lu B\n",
           (unsigned long)heap_peak, (unsigned long)held_max);
  }
  fw_exit(0);
  return 0;
}
