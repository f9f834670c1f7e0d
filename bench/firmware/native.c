/*
 * A measurement, not a test: the firmware client image's handshakes
 * (TLS 1.3 and 1.2, client and server in one program over memory,
 * certificate and host-name verification) written on wolfSSL's own API,
 * with the firmware profile minus the OpenSSL-compatibility layer and
 * SESSION_CERTS (native.sh builds it). Against `firmware client` it shows
 * what tlswrap and the compat layer it needs today cost. Prints
 *   firmware native: flash N B, static RAM N B, heap peak N B,
 *   held per session N B, stack N B
 * with the same meanings as tests/firmware/fw_test.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/memory.h>

#include "fw_board.h"
#include "fw_certs.h"

/* TEST ONLY: deterministic "entropy" (the board has no TRNG). */
int tlswi_platform_seed(unsigned char *out, unsigned int len);
int tlswi_platform_seed(unsigned char *out, unsigned int len) {
  static uint64_t x = 0x5eed5eed5eed5eedu;
  for (unsigned i = 0; i < len; i++) {
    uint64_t z = (x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    out[i] = (unsigned char)(z ^ (z >> 31));
  }
  return 0;
}

/* Heap per side, as fw_heap.c. */
static int side;
static size_t now[2], peak[2];
typedef struct hdr {
  uint32_t size, side;
} hdr;
static void *h_malloc(size_t n) {
  hdr *h = malloc(sizeof *h + n);
  if (h == NULL) return NULL;
  h->size = (uint32_t)n;
  h->side = (uint32_t)side;
  now[side] += n;
  if (now[side] > peak[side]) peak[side] = now[side];
  return h + 1;
}
static void h_free(void *p) {
  if (p == NULL) return;
  hdr *h = (hdr *)p - 1;
  now[h->side] -= h->size;
  free(h);
}
static void *h_realloc(void *p, size_t n) {
  if (p == NULL) return h_malloc(n);
  void *q = h_malloc(n);
  if (q == NULL) return NULL;
  hdr *h = (hdr *)p - 1;
  memcpy(q, p, h->size < n ? h->size : n);
  h_free(p);
  return q;
}

typedef struct q {
  unsigned char b[16384];
  size_t n;
} q;
typedef struct end {
  q *in, *out;
} end;

static int io_recv(WOLFSSL *ssl, char *buf, int sz, void *c) {
  end *e = c;
  (void)ssl;
  if (e->in->n == 0) return WOLFSSL_CBIO_ERR_WANT_READ;
  size_t k = (size_t)sz < e->in->n ? (size_t)sz : e->in->n;
  memcpy(buf, e->in->b, k);
  memmove(e->in->b, e->in->b + k, e->in->n - k);
  e->in->n -= k;
  return (int)k;
}

static int io_send(WOLFSSL *ssl, char *buf, int sz, void *c) {
  end *e = c;
  (void)ssl;
  size_t room = sizeof e->out->b - e->out->n;
  if (room == 0) return WOLFSSL_CBIO_ERR_WANT_WRITE;
  size_t k = (size_t)sz < room ? (size_t)sz : room;
  memcpy(e->out->b + e->out->n, buf, k);
  e->out->n += k;
  return (int)k;
}

static void die(const char *what) {
  fprintf(stderr, "firmware native: %s failed\n", what);
  fw_exit(1);
}

static size_t held_max, peak_max;

static WOLFSSL_CTX *new_ctx(WOLFSSL_METHOD *m) {
  WOLFSSL_CTX *c = wolfSSL_CTX_new(m);
  if (c == NULL) die("CTX_new");
  wolfSSL_CTX_SetIORecv(c, io_recv);
  wolfSSL_CTX_SetIOSend(c, io_send);
  return c;
}

static void run(int tls13) {
  /* The "network" from libc's malloc, neither counted nor static, as the
   * tlsw_membuf buffers of fw_test.c. */
  static q *c2s, *s2c;
  if (c2s == NULL && ((c2s = malloc(sizeof *c2s)) == NULL ||
                      (s2c = malloc(sizeof *s2c)) == NULL)) {
    die("queues");
  }
  end ce = {s2c, c2s}, se = {c2s, s2c};
  c2s->n = s2c->n = 0;
  side = 1;
  WOLFSSL_CTX *sc = new_ctx(tls13 ? wolfTLSv1_3_server_method()
                                  : wolfTLSv1_2_server_method());
  if (wolfSSL_CTX_use_certificate_buffer(
          sc, fw_server_pem, (long)fw_server_pem_len, WOLFSSL_FILETYPE_PEM) !=
          WOLFSSL_SUCCESS ||
      wolfSSL_CTX_use_PrivateKey_buffer(
          sc, fw_server_key, (long)fw_server_key_len, WOLFSSL_FILETYPE_PEM) !=
          WOLFSSL_SUCCESS)
    die("server cert");
  side = 0;
  peak[0] = now[0];
  WOLFSSL_CTX *cc = new_ctx(tls13 ? wolfTLSv1_3_client_method()
                                  : wolfTLSv1_2_client_method());
  if (wolfSSL_CTX_load_verify_buffer(cc, fw_ca_pem, (long)fw_ca_pem_len,
                                     WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS)
    die("CA");
  wolfSSL_CTX_set_verify(cc, WOLFSSL_VERIFY_PEER, NULL);
  size_t ctx_heap = now[0];
  WOLFSSL *cl = wolfSSL_new(cc);
  side = 1;
  WOLFSSL *sv = wolfSSL_new(sc);
  if (cl == NULL || sv == NULL) die("new");
  wolfSSL_SetIOReadCtx(cl, &ce);
  wolfSSL_SetIOWriteCtx(cl, &ce);
  wolfSSL_SetIOReadCtx(sv, &se);
  wolfSSL_SetIOWriteCtx(sv, &se);
  side = 0;
  if (wolfSSL_check_domain_name(cl, "localhost") != WOLFSSL_SUCCESS)
    die("name");
  if (wolfSSL_UseSNI(cl, WOLFSSL_SNI_HOST_NAME, "localhost", 9) !=
      WOLFSSL_SUCCESS)
    die("sni");
  int cd = 0, sd = 0;
  for (int i = 0; i < 64 && !(cd && sd); i++) {
    side = 0;
    if (!cd) {
      if (wolfSSL_connect(cl) == WOLFSSL_SUCCESS)
        cd = 1;
      else if (wolfSSL_get_error(cl, 0) != WOLFSSL_ERROR_WANT_READ)
        die("connect");
    }
    side = 1;
    if (!sd) {
      if (wolfSSL_accept(sv) == WOLFSSL_SUCCESS)
        sd = 1;
      else if (wolfSSL_get_error(sv, 0) != WOLFSSL_ERROR_WANT_READ)
        die("accept");
    }
  }
  if (!cd || !sd) die("handshake");
  char buf[64];
  side = 0;
  if (wolfSSL_write(cl, "ping from the client", 20) != 20) die("write");
  side = 1;
  if (wolfSSL_read(sv, buf, sizeof buf) != 20) die("read");
  if (wolfSSL_write(sv, "pong from the server", 20) != 20) die("write");
  side = 0;
  if (wolfSSL_read(cl, buf, sizeof buf) != 20) die("read");
  if (now[0] - ctx_heap > held_max) held_max = now[0] - ctx_heap;
  if (peak[0] > peak_max) peak_max = peak[0];
  wolfSSL_free(cl);
  wolfSSL_free(sv);
  wolfSSL_CTX_free(cc);
  wolfSSL_CTX_free(sc);
}

int main(void) {
  if (wolfSSL_SetAllocators(h_malloc, h_free, h_realloc) != 0)
    die("allocators");
  if (wolfSSL_Init() != WOLFSSL_SUCCESS) die("init");
  run(1);
  run(0);
  printf(
      "firmware native: flash %lu B, static RAM %lu B, heap peak %lu B, "
      "held per session %lu B, stack %lu B\n",
      (unsigned long)fw_flash_bytes(), (unsigned long)fw_static_ram_bytes(),
      (unsigned long)peak_max, (unsigned long)held_max,
      (unsigned long)fw_stack_bytes());
  fw_exit(0);
  return 0;
}
