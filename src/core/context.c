#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/alloc.h"
#include "core/cookie.h"
#include "core/file.h"
#include "core/internal.h"
#include "core/policy.h"
#include "tlswrap/tlswrap.h"

/* Guard every public entry: a NULL context is an argument error, and the
 * context's message is reset so it only ever describes the latest call. */
#define CTX_ENTER(ctx)                      \
  do {                                      \
    if ((ctx) == NULL) return TLSW_ERR_ARG; \
    tlswi_err_clear(&(ctx)->err);           \
  } while (0)

/* Why a context was not made, into why[cap] (tlsw_ctx_new_ex). */
static int ctx_fail(char *why, size_t cap, int st, const char *text) {
  if (why != NULL && cap > 0) {
    snprintf(why, cap, "tlsw_ctx_new: %s",
             text != NULL && text[0] != '\0' ? text : tlsw_strerror(st));
  }
  return st;
}

int tlsw_ctx_new(tlsw_ctx **out, tlsw_protocol protocol) {
  return tlsw_ctx_new_ex(out, protocol, NULL, 0);
}

/* The core's part of a new context, before the backend's. */
static void ctx_defaults(tlsw_ctx *ctx, const tlsw_backend *be,
                         tlsw_protocol protocol) {
  ctx->be = be;
  ctx->refs = 1;
  ctx->cfg.policy = &tlswi_policy;
  ctx->cfg.protocol = protocol;
  ctx->cfg.is_server = (protocol & 1) != 0;
  ctx->cfg.is_dtls = (protocol & 2) != 0;
  /* A server's peer is a client: the leaf's purpose (core/policy.c). */
  if (ctx->cfg.is_server) ctx->cfg.cert_rules = TLSW_RULE_PEER_IS_CLIENT;
  /* MicroPython's defaults: clients verify, servers do not ask. */
  ctx->cfg.verify_mode =
      ctx->cfg.is_server ? TLSW_CERT_NONE : TLSW_CERT_REQUIRED;
  /* Tickets where the backend has them (core/resume.c). */
  ctx->cfg.tickets = (be->features & TLSW_FEATURE_RESUMPTION) != 0;
}

int tlsw_ctx_new_ex(tlsw_ctx **out, tlsw_protocol protocol, char *why,
                    size_t why_len) {
  if (why != NULL && why_len > 0) why[0] = '\0';
  if (out == NULL) return ctx_fail(why, why_len, TLSW_ERR_ARG, "out is NULL");
  *out = NULL;
  if ((unsigned)protocol > TLSW_PROTOCOL_DTLS_SERVER) {
    return ctx_fail(why, why_len, TLSW_ERR_ARG, "unknown protocol");
  }
  int st = tlsw_init();
  if (st != TLSW_OK) return ctx_fail(why, why_len, st, tlsw_init_message());
  unsigned failures = tlswi_alloc_failures();
  const tlsw_backend *be = tlswi_backend_get();
  int dtls = (protocol & 2) != 0;
  if (dtls && !(be->features & TLSW_FEATURE_DTLS)) {
    return ctx_fail(why, why_len, TLSW_ERR_UNSUPPORTED,
                    "DTLS is not in this build (the wolfSSL build has no "
                    "WOLFSSL_DTLS: no TLSW_FEATURE_DTLS)");
  }
  size_t head = TLSW_ALIGN_UP(sizeof(tlsw_ctx));
  tlsw_ctx *ctx = tlswi_calloc(1, head + be->ctx_size);
  if (ctx == NULL) return ctx_fail(why, why_len, TLSW_ERR_NOMEM, NULL);
  ctx_defaults(ctx, be, protocol);
  ctx->bctx = (unsigned char *)ctx + head;
  ctx->err.alloc_mark = failures;
  /* DTLS servers keep their cookie secrets in the context (dtls.h); the
   * secret itself is made on first use. */
  if (dtls && ctx->cfg.is_server && tlswi_cookie_new(&ctx->cookie) != TLSW_OK) {
    tlswi_free(ctx);
    return ctx_fail(why, why_len, TLSW_ERR_NOMEM, NULL);
  }
  st = tlswi_err_settle(&ctx->err,
                        be->ctx_init(ctx->bctx, &ctx->cfg, &ctx->err));
  if (st != TLSW_OK) {
    /* The context's message goes with it: copied out first. */
    ctx_fail(why, why_len, st, ctx->err.msg);
    tlswi_cookie_free(ctx->cookie);
    tlswi_free(ctx);
    return st;
  }
  *out = ctx;
  return TLSW_OK;
}

void tlswi_ctx_ref(tlsw_ctx *ctx) {
  __atomic_add_fetch(&ctx->refs, 1, __ATOMIC_RELAXED);
}

void tlswi_ctx_unref(tlsw_ctx *ctx) {
  if (__atomic_sub_fetch(&ctx->refs, 1, __ATOMIC_ACQ_REL) == 0) {
    /* volatile: a plain memset before free may be optimised away. */
    volatile uint8_t *k = ctx->cfg.psk_key;
    for (size_t i = 0; i < sizeof ctx->cfg.psk_key; i++) k[i] = 0;
    ctx->be->ctx_free(ctx->bctx);
    tlswi_cookie_free(ctx->cookie);
    tlswi_free(ctx->cfg.alpn);
    tlswi_sni_free(ctx);
    tlswi_free(ctx);
  }
}

void tlsw_ctx_free(tlsw_ctx *ctx) {
  if (ctx != NULL) tlswi_ctx_unref(ctx);
}

int tlsw_ctx_protocol(const tlsw_ctx *ctx) {
  return ctx ? (int)ctx->cfg.protocol : -1;
}

const char *tlsw_ctx_message(const tlsw_ctx *ctx) {
  return ctx ? ctx->err.msg : "";
}

int tlsw_ctx_set_verify_mode(tlsw_ctx *ctx, tlsw_verify_mode mode) {
  CTX_ENTER(ctx);
  if ((unsigned)mode > TLSW_CERT_REQUIRED) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "invalid verify mode %d (use TLSW_CERT_NONE, "
                         "TLSW_CERT_OPTIONAL or TLSW_CERT_REQUIRED)",
                         (int)mode);
  }
  tlsw_verify_mode old = ctx->cfg.verify_mode;
  ctx->cfg.verify_mode = mode;
  int st = tlswi_err_settle(
      &ctx->err, ctx->be->ctx_set_verify(ctx->bctx, &ctx->cfg, &ctx->err));
  if (st != TLSW_OK) ctx->cfg.verify_mode = old;
  return st;
}

int tlsw_ctx_set_min_rsa_bits(tlsw_ctx *ctx, unsigned bits) {
  CTX_ENTER(ctx);
  if (bits < 512 || bits > 16384 || bits % 8 != 0) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "invalid minimum RSA key size %u (a multiple of 8 "
                         "from 512 to 16384)",
                         bits);
  }
  ctx->cfg.min_rsa_bits = bits;
  return TLSW_OK;
}

int tlsw_ctx_set_hostname_cn_fallback(tlsw_ctx *ctx, int on) {
  CTX_ENTER(ctx);
  ctx->cfg.host_cn_fallback = on != 0;
  return TLSW_OK;
}

tlsw_verify_mode tlsw_ctx_get_verify_mode(const tlsw_ctx *ctx) {
  return ctx ? ctx->cfg.verify_mode : TLSW_CERT_NONE;
}

int tlsw_ctx_set_verify_callback(tlsw_ctx *ctx, tlsw_verify_fn cb, void *user) {
  CTX_ENTER(ctx);
  ctx->cfg.verify_cb = cb;
  ctx->cfg.verify_user = cb ? user : NULL;
  return tlswi_err_settle(
      &ctx->err, ctx->be->ctx_set_verify(ctx->bctx, &ctx->cfg, &ctx->err));
}

int tlsw_ctx_set_password_callback(tlsw_ctx *ctx, tlsw_password_fn cb,
                                   void *user) {
  CTX_ENTER(ctx);
  ctx->cfg.password_cb = cb;
  ctx->cfg.password_user = cb ? user : NULL;
  return TLSW_OK;
}

/* The backend's load; a context that has loaded a chain once keeps one (a
 * failed load leaves the previous chain in place). */
static int load_chain(tlsw_ctx *ctx, const uint8_t *cert, size_t cert_len,
                      const uint8_t *key, size_t key_len,
                      const char *password) {
  int st = tlswi_err_settle(&ctx->err, ctx->be->ctx_load_cert_chain(
                                           ctx->bctx, &ctx->cfg, cert, cert_len,
                                           key, key_len, password, &ctx->err));
  if (st == TLSW_OK) ctx->cfg.has_chain = 1;
  return st;
}

int tlsw_ctx_load_cert_chain(tlsw_ctx *ctx, const uint8_t *cert,
                             size_t cert_len, const uint8_t *key,
                             size_t key_len, const char *password) {
  CTX_ENTER(ctx);
  if (cert == NULL || cert_len == 0) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "load_cert_chain: no certificate data given");
  }
  if (key == NULL || key_len == 0) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "load_cert_chain: no private key data given");
  }
  return load_chain(ctx, cert, cert_len, key, key_len, password);
}

int tlsw_ctx_load_cert_chain_file(tlsw_ctx *ctx, const char *certfile,
                                  const char *keyfile, const char *password) {
  CTX_ENTER(ctx);
  if (certfile == NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "load_cert_chain: no certificate file given");
  }
  uint8_t *cert = NULL, *key = NULL;
  size_t cert_len = 0, key_len = 0;
  int st = tlswi_read_file(certfile, &cert, &cert_len, &ctx->err);
  if (st == TLSW_OK && keyfile != NULL) {
    st = tlswi_read_file(keyfile, &key, &key_len, &ctx->err);
  }
  if (st == TLSW_OK) {
    const uint8_t *k = keyfile ? key : cert;
    size_t kl = keyfile ? key_len : cert_len;
    if (cert_len == 0) {
      st = tlswi_err_set(&ctx->err, TLSW_ERR_CERT_INVALID, 0,
                         "invalid certificate: %s is empty", certfile);
    } else if (kl == 0) {
      st = tlswi_err_set(&ctx->err, TLSW_ERR_KEY_INVALID, 0,
                         "invalid private key: %s is empty",
                         keyfile ? keyfile : certfile);
    } else {
      st = load_chain(ctx, cert, cert_len, k, kl, password);
    }
  }
  tlswi_free(cert);
  if (key != NULL) {
    /* Key material should not linger in freed heap. */
    memset(key, 0, key_len);
    tlswi_free(key);
  }
  return st;
}

int tlsw_ctx_load_verify_mem(tlsw_ctx *ctx, const uint8_t *cadata, size_t len) {
  CTX_ENTER(ctx);
  if (cadata == NULL || len == 0) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "load_verify_locations: no CA data given");
  }
  return tlswi_err_settle(
      &ctx->err, ctx->be->ctx_load_ca_mem(ctx->bctx, cadata, len, &ctx->err));
}

int tlsw_ctx_load_verify_file(tlsw_ctx *ctx, const char *cafile) {
  CTX_ENTER(ctx);
  if (cafile == NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "load_verify_locations: no CA file given");
  }
  uint8_t *data;
  size_t len;
  int st = tlswi_read_file(cafile, &data, &len, &ctx->err);
  if (st != TLSW_OK) return st;
  if (len == 0) {
    st = tlswi_err_set(&ctx->err, TLSW_ERR_CERT_INVALID, 0,
                       "invalid CA certificate: %s is empty", cafile);
  } else {
    st = tlswi_err_settle(
        &ctx->err, ctx->be->ctx_load_ca_mem(ctx->bctx, data, len, &ctx->err));
  }
  tlswi_free(data);
  return st;
}

int tlsw_ctx_load_verify_dir(tlsw_ctx *ctx, const char *capath) {
  CTX_ENTER(ctx);
  if (capath == NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "load_verify_locations: no CA directory given");
  }
  if (!(tlswi_platform_features() & TLSW_FEATURE_FILES)) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_UNSUPPORTED, 0,
                         "load_verify_locations: this build has no file "
                         "access (TLSW_PLATFORM=none), so no CA directory "
                         "%s; load CA certificates from memory",
                         capath);
  }
  if (ctx->be->ctx_load_ca_dir == NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_UNSUPPORTED, 0,
                         "CA directories are not supported by the %s backend",
                         ctx->be->name);
  }
  return tlswi_err_settle(
      &ctx->err, ctx->be->ctx_load_ca_dir(ctx->bctx, capath, &ctx->err));
}

int tlsw_ctx_load_default_certs(tlsw_ctx *ctx) {
  CTX_ENTER(ctx);
  if (!(tlswi_platform_features() & TLSW_FEATURE_FILES)) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_UNSUPPORTED, 0,
                         "load_default_certs: this build has no file access "
                         "(TLSW_PLATFORM=none), so no system certificate "
                         "store; load CA certificates from memory");
  }
  if (ctx->be->ctx_load_ca_system == NULL) {
    return tlswi_err_status(&ctx->err, TLSW_ERR_UNSUPPORTED, 0);
  }
  return tlswi_err_settle(&ctx->err,
                          ctx->be->ctx_load_ca_system(ctx->bctx, &ctx->err));
}

int tlsw_ctx_set_ciphers(tlsw_ctx *ctx, const char *const *names, size_t n) {
  CTX_ENTER(ctx);
  if (names == NULL || n == 0) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_ciphers: the cipher list is empty");
  }
  for (size_t i = 0; i < n; i++) {
    if (names[i] == NULL || names[i][0] == '\0') {
      return tlswi_err_set(&ctx->err, TLSW_ERR_CIPHER, 0,
                           "set_ciphers: entry %zu is empty", i);
    }
  }
  return tlswi_err_settle(
      &ctx->err,
      ctx->be->ctx_set_ciphers(ctx->bctx, &ctx->cfg, names, n, &ctx->err));
}

/* Enough for every suite a backend has, twice over. */
#define MAX_CIPHER_NAMES 128

int tlsw_ctx_set_cipher_string(tlsw_ctx *ctx, const char *list) {
  CTX_ENTER(ctx);
  if (list == NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_ciphers: the cipher list is empty");
  }
  char *copy = tlswi_malloc(strlen(list) + 1);
  if (copy == NULL) return tlswi_err_status(&ctx->err, TLSW_ERR_NOMEM, 0);
  strcpy(copy, list);
  const char *names[MAX_CIPHER_NAMES];
  size_t n = 0;
  int st = TLSW_OK;
  for (char *p = copy; *p != '\0' && st == TLSW_OK;) {
    size_t span = strcspn(p, ":, ");
    if (span == 0) {
      p++;
      continue;
    }
    if (n == MAX_CIPHER_NAMES) {
      st = tlswi_err_set(&ctx->err, TLSW_ERR_CIPHER, 0,
                         "set_ciphers: more than %d names", MAX_CIPHER_NAMES);
      break;
    }
    names[n++] = p;
    p += span;
    if (*p != '\0') *p++ = '\0';
  }
  if (st == TLSW_OK) {
    if (n == 0) {
      st = tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_ciphers: the cipher list is empty");
    } else {
      st = tlswi_err_settle(
          &ctx->err,
          ctx->be->ctx_set_ciphers(ctx->bctx, &ctx->cfg, names, n, &ctx->err));
    }
  }
  tlswi_free(copy);
  return st;
}

int tlsw_ctx_get_ciphers(const tlsw_ctx *ctx, const char **names, size_t max,
                         size_t *out_n) {
  if (ctx == NULL || out_n == NULL || (names == NULL && max > 0)) {
    return TLSW_ERR_ARG;
  }
  return ctx->be->ctx_get_ciphers(ctx->bctx, names, max, out_n);
}

int tlsw_ctx_set_version_range(tlsw_ctx *ctx, tlsw_tls_version min,
                               tlsw_tls_version max) {
  CTX_ENTER(ctx);
  int lo = min == TLSW_VERSION_DEFAULT ? TLSW_VERSION_TLS1_2 : (int)min;
  /* The default maximum: the newest TLS; DTLS 1.2 (docs/dtls.md, "DTLS
   * 1.3"). */
  int hi = max != TLSW_VERSION_DEFAULT ? (int)max
           : ctx->cfg.is_dtls          ? TLSW_VERSION_TLS1_2
                                       : TLSW_VERSION_TLS1_3;
  if ((lo != TLSW_VERSION_TLS1_2 && lo != TLSW_VERSION_TLS1_3) ||
      (hi != TLSW_VERSION_TLS1_2 && hi != TLSW_VERSION_TLS1_3)) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "unsupported version range 0x%04x..0x%04x (tlswrap "
                         "offers TLS 1.2 and TLS 1.3 only)",
                         (unsigned)min, (unsigned)max);
  }
  if (lo > hi) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "version range is empty: minimum above maximum");
  }
  return tlswi_err_settle(
      &ctx->err,
      ctx->be->ctx_set_versions(ctx->bctx, &ctx->cfg, lo, hi, &ctx->err));
}

int tlswi_ctx_needs(tlsw_ctx *ctx, unsigned feature, const char *fn,
                    const char *what) {
  if (ctx->be->features & feature) return TLSW_OK;
  return tlswi_err_set(&ctx->err, TLSW_ERR_UNSUPPORTED, 0,
                       "%s: this %s build has no %s", fn, ctx->be->name, what);
}
