/* The raw wolfSSL driver: the same loops straight on wolfSSL's native API,
 * configured as src/backend/wolfssl/ configures it (context.c, suites.c,
 * verify.c, session.c), so the difference to the tlswrap column is what
 * tlswrap itself costs. It uses the wolfSSL that tlswrap links (in the
 * source build, the objects inside libtlswrap.a).
 *
 * What a raw wolfSSL user does differently from tlswrap, and so is left
 * out here: no verify callback (tlswrap's checks dates against its own
 * clock, key sizes, and the host name itself); the host name is checked
 * by wolfSSL_check_domain_name instead. The DTLS server uses wolfSSL's
 * own HelloVerifyRequest cookie on one stateful session, where tlswrap
 * answers the first ClientHello from a throw-away session. */
#include <wolfssl/options.h>
/* options.h must come first: it defines the build's feature macros. */
#include <wolfssl/ssl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define MAX_PAIRS 128

/* tlswrap's defaults (suites.c): the TLS 1.3 suites first, then ECDHE with
 * AEAD, the faster AEAD first (bench_aes_first()); the same key exchange
 * groups in the same order. */
static const char chacha_first[] =
    "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:"
    "TLS_AES_256_GCM_SHA384:"
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:"
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:"
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:"
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:"
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:"
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
static const char aes_first[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
    "TLS_CHACHA20_POLY1305_SHA256:"
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:"
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:"
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:"
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:"
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:"
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
static int default_groups[] = {WOLFSSL_ECC_X25519, WOLFSSL_ECC_SECP256R1,
                               WOLFSSL_ECC_SECP384R1};
static int p256_only[] = {WOLFSSL_ECC_SECP256R1};

typedef struct wl_pair {
  bench_link link;
  WOLFSSL *cli, *srv;
} wl_pair;

typedef struct wl_state {
  const bench_case *c;
  WOLFSSL_CTX *cctx, *sctx;
  int npairs;
  wl_pair pairs[MAX_PAIRS];
  char desc[160];
  uint8_t buf[BENCH_BULK_CHUNK];
} wl_state;

const char *bench_wolfssl_version(void) {
  return wolfSSL_lib_version();
}

static int io_send(WOLFSSL *ssl, char *buf, int sz, void *ctx) {
  (void)ssl;
  bench_end *e = ctx;
  size_t n = ring_write(e->tx, (const uint8_t *)buf, (size_t)sz);
  return n ? (int)n : WOLFSSL_CBIO_ERR_WANT_WRITE;
}

static int io_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx) {
  (void)ssl;
  bench_end *e = ctx;
  if (sz <= 0) return WOLFSSL_CBIO_ERR_WANT_READ;
  size_t n = ring_read(e->rx, (uint8_t *)buf, (size_t)sz);
  return n ? (int)n : WOLFSSL_CBIO_ERR_WANT_READ;
}

static int fail(char *why, size_t len, const char *what, WOLFSSL *ssl, int r) {
  int err = ssl ? wolfSSL_get_error(ssl, r) : r;
  char msg[WOLFSSL_MAX_ERROR_SZ];
  wolfSSL_ERR_error_string_n((unsigned long)err, msg, sizeof msg);
  snprintf(why, len, "%s: wolfSSL error %d (%s)", what, err, msg);
  return -1;
}

/* context.c + suites.c + verify.c, for one side. */
static WOLFSSL_CTX *make_ctx(const bench_case *c, int server,
                             const bench_certs *certs, char *why, size_t len) {
  int dtls = c->proto == BENCH_DTLS12;
  WOLFSSL_METHOD *m;
  if (dtls) {
    m = server ? wolfDTLSv1_2_server_method() : wolfDTLSv1_2_client_method();
  } else if (!server && c->proto == BENCH_TLS12) {
    /* Capped at TLS 1.2: the native way (tlswrap, without the
     * compatibility layer's wolfSSL_CTX_set_max_proto_version, turns TLS
     * 1.3 off per session: suites.c). */
    m = wolfTLSv1_2_client_method();
  } else {
    m = server ? wolfSSLv23_server_method() : wolfSSLv23_client_method();
  }
  WOLFSSL_CTX *ctx = wolfSSL_CTX_new(m);
  if (ctx == NULL) {
    snprintf(why, len, "wolfSSL_CTX_new failed");
    return NULL;
  }
  wolfSSL_CTX_SetIORecv(ctx, io_recv);
  wolfSSL_CTX_SetIOSend(ctx, io_send);
#ifdef OPENSSL_EXTRA
  /* Native builds have neither mode: no retry, and the benchmark's writes
   * are one record each. */
  wolfSSL_CTX_clear_mode(ctx, SSL_MODE_AUTO_RETRY);
  wolfSSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
#endif
  /* The client's single suite, as tlsw_ctx_set_ciphers() applies it: a
   * TLS 1.3 suite alone raises the floor to TLS 1.3. */
  const char *suites = !server && c->suite ? c->suite
                       : bench_aes_first() ? aes_first
                                           : chacha_first;
  int only13 = !server && c->suite && strstr(c->suite, "_WITH_") == NULL;
  int ok = wolfSSL_CTX_set_cipher_list(ctx, suites) == WOLFSSL_SUCCESS;
  if (ok && !dtls) {
    ok =
        wolfSSL_CTX_SetMinVersion(
            ctx, only13 ? WOLFSSL_TLSV1_3 : WOLFSSL_TLSV1_2) == WOLFSSL_SUCCESS;
  }
  int *groups = !server && c->p256_share ? p256_only : default_groups;
  int ngroups = !server && c->p256_share ? 1 : 3;
  /* wolfSSL_CTX_set_groups() takes a TLS 1.3 method only (5.5.4 refuses
   * the TLS 1.2 one the TLS 1.2 row uses): elsewhere, one curve at a time,
   * as tlswrap's backend does. */
  int set = ok && !dtls &&
            wolfSSL_CTX_set_groups(ctx, groups, ngroups) == WOLFSSL_SUCCESS;
  for (int i = 0; ok && !set && i < ngroups; i++) {
    ok = wolfSSL_CTX_UseSupportedCurve(ctx, (word16)groups[i]) ==
         WOLFSSL_SUCCESS;
  }
  if (!ok) {
    snprintf(why, len, "configuring the wolfSSL context failed");
    wolfSSL_CTX_free(ctx);
    return NULL;
  }
  if (server) {
    /* tlswrap's server default: no client certificate asked for. */
    wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_NONE, NULL);
    if (!dtls) wolfSSL_CTX_no_ticket_TLSv13(ctx);
    ok = wolfSSL_CTX_use_PrivateKey_file(
             ctx, c->rsa ? certs->rsa_key : certs->ec_key,
             WOLFSSL_FILETYPE_PEM) == WOLFSSL_SUCCESS &&
         wolfSSL_CTX_use_certificate_chain_file(
             ctx, c->rsa ? certs->rsa_cert : certs->ec_cert) ==
             WOLFSSL_SUCCESS &&
         wolfSSL_CTX_check_private_key(ctx) == WOLFSSL_SUCCESS;
  } else {
    wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER, NULL);
    ok = wolfSSL_CTX_load_verify_locations(ctx, certs->ca, NULL) ==
         WOLFSSL_SUCCESS;
  }
  if (!ok) {
    snprintf(why, len, "loading the certificates into wolfSSL failed");
    wolfSSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

static WOLFSSL *new_ssl(WOLFSSL_CTX *ctx, bench_end *end, int dtls) {
  WOLFSSL *ssl = wolfSSL_new(ctx);
  if (ssl == NULL) return NULL;
  wolfSSL_SetIOReadCtx(ssl, end);
  wolfSSL_SetIOWriteCtx(ssl, end);
  if (dtls) wolfSSL_dtls_set_using_nonblock(ssl, 1);
  return ssl;
}

static int blocked(WOLFSSL *ssl, int r) {
  int e = wolfSSL_get_error(ssl, r);
  return e == WOLFSSL_ERROR_WANT_READ || e == WOLFSSL_ERROR_WANT_WRITE;
}

static void describe_pair(wl_state *s, wl_pair *p) {
  const char *curve = wolfSSL_get_curve_name(p->cli);
  snprintf(s->desc, sizeof s->desc, "%s %s %s%s", wolfSSL_get_version(p->cli),
           wolfSSL_get_cipher_name(p->cli), curve ? curve : "",
           link_note(&p->link));
}

static int handshake(wl_state *s, wl_pair *p, char *why, size_t len) {
  int dtls = s->c->proto == BENCH_DTLS12;
  link_reset(&p->link);
  p->cli = new_ssl(s->cctx, &p->link.cli, dtls);
  p->srv = new_ssl(s->sctx, &p->link.srv, dtls);
  if (p->cli == NULL || p->srv == NULL) {
    snprintf(why, len, "wolfSSL_new failed");
    return -1;
  }
  /* session.c: SNI, and the host name checked (here by wolfSSL). */
  if (wolfSSL_UseSNI(p->cli, WOLFSSL_SNI_HOST_NAME, BENCH_HOST,
                     (unsigned short)strlen(BENCH_HOST)) != WOLFSSL_SUCCESS ||
      wolfSSL_check_domain_name(p->cli, BENCH_HOST) != WOLFSSL_SUCCESS) {
    snprintf(why, len, "setting SNI or the host name failed");
    return -1;
  }
  int cdone = 0, sdone = 0;
  for (int round = 0; round < 100; round++) {
    if (!cdone) {
      int r = wolfSSL_connect(p->cli);
      if (r == WOLFSSL_SUCCESS) {
        cdone = 1;
      } else if (!blocked(p->cli, r)) {
        return fail(why, len, "client handshake", p->cli, r);
      }
    }
    if (!sdone) {
      int r = wolfSSL_accept(p->srv);
      if (r == WOLFSSL_SUCCESS) {
        sdone = 1;
      } else if (!blocked(p->srv, r)) {
        return fail(why, len, "server handshake", p->srv, r);
      }
    }
    if (cdone && sdone) return 0;
  }
  snprintf(why, len, "handshake did not finish");
  return -1;
}

static void free_pair(wl_pair *p) {
  if (p->cli) wolfSSL_free(p->cli);
  if (p->srv) wolfSSL_free(p->srv);
  p->cli = p->srv = NULL;
}

static void wl_teardown(void *state) {
  wl_state *s = state;
  if (s == NULL) return;
  for (int i = 0; i < s->npairs; i++) {
    free_pair(&s->pairs[i]);
    link_free(&s->pairs[i].link);
  }
  if (s->cctx) wolfSSL_CTX_free(s->cctx);
  if (s->sctx) wolfSSL_CTX_free(s->sctx);
  free(s);
}

static int wl_setup(void **out, const bench_case *c, const bench_certs *certs,
                    char *why, size_t len) {
  *out = NULL;
  wl_state *s = calloc(1, sizeof *s);
  if (s == NULL) return -1;
  s->c = c;
  s->cctx = make_ctx(c, 0, certs, why, len);
  s->sctx = s->cctx ? make_ctx(c, 1, certs, why, len) : NULL;
  if (s->sctx == NULL) {
    wl_teardown(s);
    return -1;
  }
  int npairs = c->kind == BENCH_ECHO ? c->sessions : 1;
  if (npairs < 1) npairs = 1;
  if (npairs > MAX_PAIRS) npairs = MAX_PAIRS;
  for (int i = 0; i < npairs; i++) {
    if (link_init(&s->pairs[i].link, c->proto == BENCH_DTLS12) != 0) {
      wl_teardown(s);
      return -1;
    }
    s->npairs = i + 1;
  }
  if (c->kind != BENCH_HANDSHAKE) {
    for (int i = 0; i < s->npairs; i++) {
      if (handshake(s, &s->pairs[i], why, len) != 0) {
        wl_teardown(s);
        return -1;
      }
    }
    describe_pair(s, &s->pairs[0]);
  }
  *out = s;
  return 0;
}

static int transfer(WOLFSSL *from, WOLFSSL *to, uint8_t *buf, size_t n,
                    char *why, size_t len) {
  size_t done = 0, got = 0;
  while (done < n) {
    int r = wolfSSL_write(from, buf + done, (int)(n - done));
    if (r <= 0) return fail(why, len, "write", from, r);
    done += (size_t)r;
  }
  while (got < n) {
    int r = wolfSSL_read(to, buf + got, (int)(n - got));
    if (r <= 0) return fail(why, len, "read", to, r);
    got += (size_t)r;
  }
  return 0;
}

static int wl_run(void *state, char *why, size_t len) {
  wl_state *s = state;
  switch (s->c->kind) {
    case BENCH_HANDSHAKE: {
      wl_pair *p = &s->pairs[0];
      int r = handshake(s, p, why, len);
      if (r == 0 && s->desc[0] == '\0') describe_pair(s, p);
      free_pair(p);
      return r;
    }
    case BENCH_BULK: {
      wl_pair *p = &s->pairs[0];
      return transfer(p->cli, p->srv, s->buf, BENCH_BULK_CHUNK, why, len);
    }
    case BENCH_ECHO:
      for (int i = 0; i < s->npairs; i++) {
        wl_pair *p = &s->pairs[i];
        if (transfer(p->cli, p->srv, s->buf, BENCH_ECHO_SIZE, why, len) != 0 ||
            transfer(p->srv, p->cli, s->buf, BENCH_ECHO_SIZE, why, len) != 0)
          return -1;
      }
      return 0;
  }
  return -1;
}

static void wl_describe(void *state, char *buf, size_t len) {
  wl_state *s = state;
  snprintf(buf, len, "%s", s->desc);
}

static void wl_free_side(void *state, int server) {
  wl_state *s = state;
  for (int i = 0; i < s->npairs; i++) {
    wl_pair *p = &s->pairs[i];
    if (server) {
      if (p->srv) wolfSSL_free(p->srv);
      p->srv = NULL;
    } else {
      if (p->cli) wolfSSL_free(p->cli);
      p->cli = NULL;
    }
  }
}

const bench_lib bench_lib_wolfssl = {"wolfSSL",   wl_setup,    wl_run,
                                     wl_describe, wl_teardown, wl_free_side};
