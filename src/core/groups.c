/*
 * Key exchange groups (tlsw_ctx_set_groups, tlsw_session_group): the names
 * users write and the IANA TLS Supported Groups code points they stand
 * for. Backend-neutral: a backend takes code points and reports the one
 * agreed on, and the words stay here.
 */
#include <stddef.h>
#include <string.h>

#include "core/internal.h"
#include "tlswrap/tlswrap.h"

/* The canonical name first (what tlsw_session_group returns: the names
 * OpenSSL 3 and curl print), then the aliases OpenSSL's -groups accepts. */
static const struct group_name {
  uint16_t id;
  const char *name;
  const char *alias1, *alias2;
} groups[] = {
    {29, "X25519", NULL, NULL},       {23, "P-256", "secp256r1", "prime256v1"},
    {24, "P-384", "secp384r1", NULL}, {25, "P-521", "secp521r1", NULL},
    {30, "X448", NULL, NULL},         {256, "ffdhe2048", NULL, NULL},
    {257, "ffdhe3072", NULL, NULL},   {258, "ffdhe4096", NULL, NULL},
};
#define N_GROUPS (sizeof groups / sizeof groups[0])

/* ASCII case-insensitive compare of name[0..len) with a NUL-terminated s
 * (no locale: "I" must not fold to a dotless i). */
static int same_name(const char *name, size_t len, const char *s) {
  if (s == NULL || strlen(s) != len) return 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char a = (unsigned char)name[i], b = (unsigned char)s[i];
    if (a >= 'A' && a <= 'Z') a = (unsigned char)(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = (unsigned char)(b - 'A' + 'a');
    if (a != b) return 0;
  }
  return 1;
}

static int lookup(const char *name, size_t len, uint16_t *id) {
  for (size_t i = 0; i < N_GROUPS; i++) {
    if (same_name(name, len, groups[i].name) ||
        same_name(name, len, groups[i].alias1) ||
        same_name(name, len, groups[i].alias2)) {
      *id = groups[i].id;
      return 1;
    }
  }
  return 0;
}

const char *tlswi_group_name(unsigned id) {
  for (size_t i = 0; i < N_GROUPS; i++) {
    if (groups[i].id == id) return groups[i].name;
  }
  return NULL;
}

/* Parse "X25519:P-256" (':' or ',' between names) into ids[]. */
static int parse(tlsw_ctx *ctx, const char *list, uint16_t *ids, size_t *n) {
  *n = 0;
  for (const char *p = list;;) {
    size_t len = strcspn(p, ":,");
    uint16_t id = 0;
    if (len == 0) {
      return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                           "set_groups: empty name in '%s'", list);
    }
    if (!lookup(p, len, &id)) {
      return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                           "set_groups: unknown group '%.*s' (known: X25519, "
                           "P-256, P-384, P-521, X448, ffdhe2048, ffdhe3072, "
                           "ffdhe4096)",
                           (int)(len > 64 ? 64 : len), p);
    }
    for (size_t i = 0; i < *n; i++) {
      if (ids[i] == id) {
        return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                             "set_groups: '%s' is named twice",
                             tlswi_group_name(id));
      }
    }
    if (*n == TLSWI_MAX_GROUPS) {
      return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                           "set_groups: more than %d groups", TLSWI_MAX_GROUPS);
    }
    ids[(*n)++] = id;
    if (p[len] == '\0') return TLSW_OK;
    p += len + 1;
  }
}

int tlsw_ctx_set_groups(tlsw_ctx *ctx, const char *list) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  uint16_t ids[TLSWI_MAX_GROUPS];
  size_t n = 0;
  if (list != NULL && list[0] != '\0') {
    int st = parse(ctx, list, ids, &n);
    if (st != TLSW_OK) return st;
  }
  if (ctx->be->ctx_set_groups == NULL) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_UNSUPPORTED, 0,
                         "set_groups: the %s backend cannot choose groups",
                         ctx->be->name);
  }
  return ctx->be->ctx_set_groups(ctx->bctx, &ctx->cfg, ids, n, &ctx->err);
}

const char *tlsw_session_group(const tlsw_session *s) {
  if (s == NULL || !s->established || !tlswi_sess_live(s) ||
      s->ctx->be->sess_group == NULL) {
    return NULL;
  }
  return tlswi_group_name(s->ctx->be->sess_group(s->bsess));
}
