/*
 * Server SNI (RFC 6066): which certificate chain a server presents for the
 * name a client asks for. Backend-neutral: the names, their matching
 * (exact, then wildcard, as RFC 6125 matches certificates) and the
 * callback are here; the backend only reads the ClientHello's name, asks
 * tlswi_sni_select() and switches to the chosen context's chain.
 */
#include <stddef.h>
#include <string.h>

#include "core/internal.h"
#include "core/policy.h"
#include "core/ref.h"
#include "support/alloc.h"
#include "tlswrap/tlswrap.h"

struct tlswi_sni {
  char *name;      /* as added; "*.example.test" for a wildcard */
  tlsw_ctx *chain; /* a reference, released with the entry */
};

void tlswi_sni_free(tlsw_ctx *ctx) {
  for (size_t i = 0; i < ctx->n_sni; i++) {
    tlswi_free(ctx->sni[i].name);
    tlswi_ctx_unref(ctx->sni[i].chain);
  }
  tlswi_free(ctx->sni);
  ctx->sni = NULL;
  ctx->n_sni = 0;
}

/* A DNS name of letters, digits and '-', labels of 1-63 bytes, 253 in
 * all, not an IP literal; "*." may lead one of two labels or more. */
static int good_name(const char *name) {
  size_t n = strlen(name);
  const char *p = name;
  if (n >= 2 && name[0] == '*' && name[1] == '.') {
    p += 2;
    if (strchr(p, '.') == NULL) return 0; /* "*.test": too wide */
  }
  if (n == 0 || n > 253 || tlswi_sni_len(name) != n) return 0;
  size_t label = 0;
  for (; *p != '\0'; p++) {
    char c = *p;
    if (c == '.') {
      if (label == 0) return 0;
      label = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '-') {
      if (++label > 63) return 0;
    } else {
      return 0;
    }
  }
  return label > 0;
}

static int check_chain(tlsw_ctx *ctx, const tlsw_ctx *chain) {
  const char *why = NULL;
  if (!ctx->cfg.is_server) {
    why = "the context is not a server";
  } else if (chain == ctx) {
    why = "a context cannot be its own chain";
  } else if (!chain->cfg.is_server || chain->cfg.is_dtls != ctx->cfg.is_dtls) {
    why = "the chain's context must be a server of the same protocol";
  } else if (!chain->cfg.has_chain) {
    why = "the chain's context has no certificate chain loaded";
  }
  if (why == NULL) return TLSW_OK;
  return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0, "add_server_name: %s", why);
}

/* ASCII case-insensitive equality (DNS names, RFC 4343). */
static int same_name(const char *a, const char *b) {
  for (;; a++, b++) {
    char x = *a, y = *b;
    if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
    if (x != y) return 0;
    if (x == '\0') return 1;
  }
}

static int check_name(tlsw_ctx *ctx, const char *name) {
  if (!good_name(name)) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "add_server_name: '%.64s' is not a DNS name (or "
                         "\"*.\" and one of two labels or more)",
                         name);
  }
  for (size_t i = 0; i < ctx->n_sni; i++) {
    if (same_name(ctx->sni[i].name, name)) {
      return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                           "add_server_name: '%s' was added already", name);
    }
  }
  return TLSW_OK;
}

int tlsw_ctx_add_server_name(tlsw_ctx *ctx, const char *name, tlsw_ctx *chain) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  if (name == NULL || chain == NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "add_server_name: name and chain are required");
  }
  int st = tlswi_ctx_needs(ctx, TLSW_FEATURE_SERVER_SNI, "add_server_name",
                           "server SNI");
  if (st == TLSW_OK) st = check_chain(ctx, chain);
  if (st == TLSW_OK) st = check_name(ctx, name);
  if (st != TLSW_OK) return st;
  size_t len = strlen(name);
  char *copy = tlswi_malloc(len + 1);
  struct tlswi_sni *grown =
      copy ? tlswi_realloc(ctx->sni, (ctx->n_sni + 1) * sizeof *grown) : NULL;
  if (grown == NULL) {
    tlswi_free(copy);
    return tlswi_err_set(&ctx->err, TLSW_ERR_NOMEM, 0,
                         "add_server_name: out of memory");
  }
  memcpy(copy, name, len + 1);
  ctx->sni = grown;
  tlswi_ctx_ref(chain);
  ctx->sni[ctx->n_sni].name = copy;
  ctx->sni[ctx->n_sni].chain = chain;
  ctx->n_sni++;
  return TLSW_OK;
}

int tlsw_ctx_set_sni_callback(tlsw_ctx *ctx, tlsw_sni_fn cb, void *user) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  int st = tlswi_ctx_needs(ctx, TLSW_FEATURE_SERVER_SNI, "set_sni_callback",
                           "server SNI");
  if (st != TLSW_OK) return st;
  if (!ctx->cfg.is_server) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_sni_callback: the context is not a server");
  }
  ctx->sni_cb = cb;
  ctx->sni_user = cb != NULL ? user : NULL;
  return TLSW_OK;
}

/* Exact names first, then wildcards: "www.example.test" beats
 * "*.example.test" whatever the order they were added in. */
static tlsw_ctx *find(const tlsw_ctx *ctx, const char *name) {
  for (int wild = 0; wild < 2; wild++) {
    for (size_t i = 0; i < ctx->n_sni; i++) {
      const char *pat = ctx->sni[i].name;
      if ((pat[0] == '*') == wild && tlswi_dns_match(pat, strlen(pat), name)) {
        return ctx->sni[i].chain;
      }
    }
  }
  return NULL;
}

/* The client's name in a message: printable ASCII only, it came off the
 * wire. */
static void printable(char *out, size_t cap, const char *name) {
  size_t i = 0;
  for (; name[i] != '\0' && i + 1 < cap; i++) {
    out[i] = name[i] > 0x20 && name[i] < 0x7f ? name[i] : '?';
  }
  out[i] = '\0';
}

static int refuse(tlsw_err *e, const char *name, const char *why) {
  char shown[68];
  printable(shown, sizeof shown, name ? name : "");
  return tlswi_err_set(e, TLSW_ERR_HANDSHAKE, 0,
                       "server name %s%s%s %s (unrecognized_name sent)",
                       name ? "'" : "", name ? shown : "(none sent)",
                       name ? "'" : "", why);
}

/* tlsw_policy.sni_select: the backend context whose chain answers name
 * (*bctx NULL: the server's own), or a refusal worded into e. */
int tlswi_sni_select(const tlsw_config *cfg, const char *name, void **bctx,
                     tlsw_err *e) {
  const tlsw_ctx *ctx =
      (const tlsw_ctx *)(const void *)((const char *)cfg -
                                       offsetof(tlsw_ctx, cfg));
  *bctx = NULL;
  tlsw_ctx *chain = name != NULL ? find(ctx, name) : NULL;
  if (chain == NULL && ctx->sni_cb != NULL) {
    if (ctx->sni_cb(ctx->sni_user, name, &chain) != TLSW_OK) {
      return refuse(e, name, "refused by the SNI callback");
    }
    if (chain != NULL &&
        (!chain->cfg.is_server || chain->cfg.is_dtls != cfg->is_dtls ||
         !chain->cfg.has_chain)) {
      return refuse(e, name,
                    "not served: the SNI callback chose a context that is "
                    "not a server of this protocol with a certificate");
    }
  }
  if (chain != NULL && chain != ctx) *bctx = chain->bctx;
  return TLSW_OK;
}

const char *tlsw_session_server_name(const tlsw_session *s) {
  if (s == NULL || !tlswi_sess_live(s)) return NULL;
  const tlsw_backend *be = s->ctx->be;
  if (!s->ctx->cfg.is_server) {
    /* What the client sends: its host name, unless SNI carries none. */
    const char *host = be->sess_host ? be->sess_host(s->bsess) : NULL;
    return host != NULL && tlswi_sni_len(host) > 0 ? host : NULL;
  }
  return be->sess_server_name ? be->sess_server_name(s->bsess) : NULL;
}
