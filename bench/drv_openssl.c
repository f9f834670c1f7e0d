/* The OpenSSL 3 driver: the same loops on OpenSSL, with tlswrap's settings
 * given in OpenSSL's terms (the same suites in the same order, the same
 * groups, the client verifying the same CA and host name, the server asking
 * for no certificate and issuing no TLS 1.3 tickets, no AUTO_RETRY, partial
 * writes). Bytes move through a BIO over the same ring the others use.
 * Never include a wolfSSL header here: both define OpenSSL's names. */
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define MAX_PAIRS 128

/* tlswrap's order (bench_aes_first()), in OpenSSL's terms. */
static const char tls13_chacha_first[] =
    "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:"
    "TLS_AES_256_GCM_SHA384";
static const char tls13_aes_first[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
    "TLS_CHACHA20_POLY1305_SHA256";
static const char tls12_chacha_first[] =
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384";
static const char tls12_aes_first[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

typedef struct os_pair {
  bench_link link;
  SSL *cli, *srv;
} os_pair;

typedef struct os_state {
  const bench_case *c;
  SSL_CTX *cctx, *sctx;
  int npairs;
  os_pair pairs[MAX_PAIRS];
  char desc[160];
  uint8_t buf[BENCH_BULK_CHUNK];
} os_state;

static BIO_METHOD *ring_method;
static unsigned char cookie_secret[32];

static void *os_malloc(size_t n, const char *file, int line) {
  (void)file;
  (void)line;
  return bench_malloc(n);
}

static void *os_realloc(void *p, size_t n, const char *file, int line) {
  (void)file;
  (void)line;
  return bench_realloc(p, n);
}

static void os_free(void *p, const char *file, int line) {
  (void)file;
  (void)line;
  bench_free(p);
}

const char *bench_openssl_version(void) {
  return OpenSSL_version(OPENSSL_VERSION);
}

static int bio_write(BIO *b, const char *buf, int n) {
  bench_end *e = BIO_get_data(b);
  BIO_clear_retry_flags(b);
  size_t k = ring_write(e->tx, (const uint8_t *)buf, (size_t)n);
  if (k == 0) {
    BIO_set_retry_write(b);
    return -1;
  }
  return (int)k;
}

static int bio_read(BIO *b, char *buf, int n) {
  bench_end *e = BIO_get_data(b);
  BIO_clear_retry_flags(b);
  size_t k = ring_read(e->rx, (uint8_t *)buf, (size_t)n);
  if (k == 0) {
    BIO_set_retry_read(b);
    return -1;
  }
  return (int)k;
}

/* What libssl asks of a transport BIO: flush is a no-op, and DTLS asks for
 * the path MTU and the datagram overhead (values of a UDP socket on an
 * Ethernet link, like tlswrap's 1500-byte datagrams). */
static long bio_ctrl(BIO *b, int cmd, long num, void *ptr) {
  (void)b;
  (void)num;
  (void)ptr;
  switch (cmd) {
    case BIO_CTRL_FLUSH: return 1;
    case BIO_CTRL_DGRAM_QUERY_MTU: return 1500 - 28;
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU: return 1500 - 28;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD: return 28;
    case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT: return 1;
    default: return 0;
  }
}

static int bio_create(BIO *b) {
  BIO_set_init(b, 1);
  return 1;
}

int bench_openssl_init(void) {
  /* Before anything else allocates in libcrypto: later it is refused. */
  if (!CRYPTO_set_mem_functions(os_malloc, os_realloc, os_free)) return -1;
  if (!OPENSSL_init_ssl(0, NULL)) return -1;
  ring_method =
      BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "bench ring");
  if (ring_method == NULL || !BIO_meth_set_write(ring_method, bio_write) ||
      !BIO_meth_set_read(ring_method, bio_read) ||
      !BIO_meth_set_ctrl(ring_method, bio_ctrl) ||
      !BIO_meth_set_create(ring_method, bio_create))
    return -1;
  return RAND_bytes(cookie_secret, sizeof cookie_secret) == 1 ? 0 : -1;
}

static int fail(char *why, size_t len, const char *what) {
  char msg[256];
  unsigned long e = ERR_get_error();
  ERR_error_string_n(e, msg, sizeof msg);
  ERR_clear_error();
  snprintf(why, len, "%s: %s", what, e ? msg : "failed");
  return -1;
}

/* DTLS cookies as tlswrap makes them: HMAC-SHA256 keyed by a random
 * secret, bound to the peer's identity (here a fixed client id). */
static int cookie_make(SSL *ssl, unsigned char *out, unsigned int *out_len) {
  (void)ssl;
  static const unsigned char cid[] = "bench-client";
  return HMAC(EVP_sha256(), cookie_secret, sizeof cookie_secret, cid,
              sizeof cid - 1, out, out_len) != NULL;
}

static int cookie_check(SSL *ssl, const unsigned char *cookie,
                        unsigned int len) {
  unsigned char want[EVP_MAX_MD_SIZE];
  unsigned int want_len = 0;
  return cookie_make(ssl, want, &want_len) && want_len == len &&
         CRYPTO_memcmp(want, cookie, len) == 0;
}

static SSL_CTX *make_ctx(const bench_case *c, int server,
                         const bench_certs *certs, char *why, size_t len) {
  int dtls = c->proto == BENCH_DTLS12;
  const SSL_METHOD *m;
  if (dtls) {
    m = server ? DTLS_server_method() : DTLS_client_method();
  } else {
    m = server ? TLS_server_method() : TLS_client_method();
  }
  SSL_CTX *ctx = SSL_CTX_new(m);
  if (ctx == NULL) {
    fail(why, len, "SSL_CTX_new");
    return NULL;
  }
  SSL_CTX_clear_mode(ctx, SSL_MODE_AUTO_RETRY);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
  int only13 = !server && c->suite && strstr(c->suite, "_WITH_") == NULL;
  int ok = 1;
  if (dtls) {
    ok = SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) &&
         SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION);
  } else {
    int max12 = !server && c->proto == BENCH_TLS12;
    ok =
        SSL_CTX_set_min_proto_version(
            ctx, only13 ? TLS1_3_VERSION : TLS1_2_VERSION) &&
        SSL_CTX_set_max_proto_version(
            ctx, max12 ? TLS1_2_VERSION : TLS1_3_VERSION) &&
        SSL_CTX_set_ciphersuites(ctx, only13              ? c->suite
                                      : bench_aes_first() ? tls13_aes_first
                                                          : tls13_chacha_first);
  }
  ok = ok &&
       SSL_CTX_set_cipher_list(
           ctx, bench_aes_first() ? tls12_aes_first : tls12_chacha_first) &&
       SSL_CTX_set1_groups_list(
           ctx, !server && c->p256_share ? "P-256" : "X25519:P-256:P-384");
  if (ok && server) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    if (!dtls) ok = SSL_CTX_set_num_tickets(ctx, 0);
    if (dtls) {
      SSL_CTX_set_options(ctx, SSL_OP_COOKIE_EXCHANGE);
      SSL_CTX_set_cookie_generate_cb(ctx, cookie_make);
      SSL_CTX_set_cookie_verify_cb(ctx, cookie_check);
    }
    ok = ok &&
         SSL_CTX_use_PrivateKey_file(ctx,
                                     c->rsa ? certs->rsa_key : certs->ec_key,
                                     SSL_FILETYPE_PEM) == 1 &&
         SSL_CTX_use_certificate_chain_file(
             ctx, c->rsa ? certs->rsa_cert : certs->ec_cert) == 1 &&
         SSL_CTX_check_private_key(ctx) == 1;
  } else if (ok) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    ok = SSL_CTX_load_verify_locations(ctx, certs->ca, NULL) == 1;
  }
  if (!ok) {
    fail(why, len, "configuring the OpenSSL context");
    SSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

static SSL *new_ssl(SSL_CTX *ctx, bench_end *end) {
  SSL *ssl = SSL_new(ctx);
  BIO *b = BIO_new(ring_method);
  if (ssl == NULL || b == NULL) {
    SSL_free(ssl);
    BIO_free(b);
    return NULL;
  }
  BIO_set_data(b, end);
  SSL_set_bio(ssl, b, b);
  return ssl;
}

static int blocked(SSL *ssl, int r) {
  int e = SSL_get_error(ssl, r);
  return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
}

static void describe_pair(os_state *s, os_pair *p) {
  const char *g = SSL_group_to_name(p->cli, SSL_get_negotiated_group(p->cli));
  snprintf(s->desc, sizeof s->desc, "%s %s %s%s", SSL_get_version(p->cli),
           SSL_CIPHER_standard_name(SSL_get_current_cipher(p->cli)), g ? g : "",
           link_note(&p->link));
}

static int handshake(os_state *s, os_pair *p, char *why, size_t len) {
  link_reset(&p->link);
  p->cli = new_ssl(s->cctx, &p->link.cli);
  p->srv = new_ssl(s->sctx, &p->link.srv);
  if (p->cli == NULL || p->srv == NULL) return fail(why, len, "SSL_new");
  if (!SSL_set_tlsext_host_name(p->cli, BENCH_HOST) ||
      !SSL_set1_host(p->cli, BENCH_HOST))
    return fail(why, len, "setting SNI or the host name");
  int cdone = 0, sdone = 0;
  for (int round = 0; round < 100; round++) {
    if (!cdone) {
      int r = SSL_connect(p->cli);
      if (r == 1) {
        cdone = 1;
      } else if (!blocked(p->cli, r)) {
        return fail(why, len, "client handshake");
      }
    }
    if (!sdone) {
      int r = SSL_accept(p->srv);
      if (r == 1) {
        sdone = 1;
      } else if (!blocked(p->srv, r)) {
        return fail(why, len, "server handshake");
      }
    }
    if (cdone && sdone) return 0;
  }
  snprintf(why, len, "handshake did not finish");
  return -1;
}

static void free_pair(os_pair *p) {
  SSL_free(p->cli);
  SSL_free(p->srv);
  p->cli = p->srv = NULL;
}

static void os_teardown(void *state) {
  os_state *s = state;
  if (s == NULL) return;
  for (int i = 0; i < s->npairs; i++) {
    free_pair(&s->pairs[i]);
    link_free(&s->pairs[i].link);
  }
  SSL_CTX_free(s->cctx);
  SSL_CTX_free(s->sctx);
  free(s);
}

static int os_setup(void **out, const bench_case *c, const bench_certs *certs,
                    char *why, size_t len) {
  *out = NULL;
  os_state *s = calloc(1, sizeof *s);
  if (s == NULL) return -1;
  s->c = c;
  s->cctx = make_ctx(c, 0, certs, why, len);
  s->sctx = s->cctx ? make_ctx(c, 1, certs, why, len) : NULL;
  if (s->sctx == NULL) {
    os_teardown(s);
    return -1;
  }
  int npairs = c->kind == BENCH_ECHO ? c->sessions : 1;
  if (npairs < 1) npairs = 1;
  if (npairs > MAX_PAIRS) npairs = MAX_PAIRS;
  for (int i = 0; i < npairs; i++) {
    if (link_init(&s->pairs[i].link, c->proto == BENCH_DTLS12) != 0) {
      os_teardown(s);
      return -1;
    }
    s->npairs = i + 1;
  }
  if (c->kind != BENCH_HANDSHAKE) {
    for (int i = 0; i < s->npairs; i++) {
      if (handshake(s, &s->pairs[i], why, len) != 0) {
        os_teardown(s);
        return -1;
      }
    }
    describe_pair(s, &s->pairs[0]);
  }
  *out = s;
  return 0;
}

static int transfer(SSL *from, SSL *to, uint8_t *buf, size_t n, char *why,
                    size_t len) {
  size_t done = 0, got = 0;
  while (done < n) {
    int r = SSL_write(from, buf + done, (int)(n - done));
    if (r <= 0) return fail(why, len, "write");
    done += (size_t)r;
  }
  while (got < n) {
    int r = SSL_read(to, buf + got, (int)(n - got));
    if (r <= 0) return fail(why, len, "read");
    got += (size_t)r;
  }
  return 0;
}

static int os_run(void *state, char *why, size_t len) {
  os_state *s = state;
  switch (s->c->kind) {
    case BENCH_HANDSHAKE: {
      os_pair *p = &s->pairs[0];
      int r = handshake(s, p, why, len);
      if (r == 0 && s->desc[0] == '\0') describe_pair(s, p);
      free_pair(p);
      return r;
    }
    case BENCH_BULK: {
      os_pair *p = &s->pairs[0];
      return transfer(p->cli, p->srv, s->buf, BENCH_BULK_CHUNK, why, len);
    }
    case BENCH_ECHO:
      for (int i = 0; i < s->npairs; i++) {
        os_pair *p = &s->pairs[i];
        if (transfer(p->cli, p->srv, s->buf, BENCH_ECHO_SIZE, why, len) != 0 ||
            transfer(p->srv, p->cli, s->buf, BENCH_ECHO_SIZE, why, len) != 0)
          return -1;
      }
      return 0;
  }
  return -1;
}

static void os_describe(void *state, char *buf, size_t len) {
  os_state *s = state;
  snprintf(buf, len, "%s", s->desc);
}

static void os_free_side(void *state, int server) {
  os_state *s = state;
  for (int i = 0; i < s->npairs; i++) {
    os_pair *p = &s->pairs[i];
    if (server) {
      SSL_free(p->srv);
      p->srv = NULL;
    } else {
      SSL_free(p->cli);
      p->cli = NULL;
    }
  }
}

const bench_lib bench_lib_openssl = {"OpenSSL",   os_setup,    os_run,
                                     os_describe, os_teardown, os_free_side};
