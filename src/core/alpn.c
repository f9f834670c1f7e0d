/*
 * ALPN (RFC 7301), backend-neutral: the protocol list a context offers or
 * accepts, checked and kept in the core; the server's choice (its own
 * preference order, as nginx and OpenSSL-based servers configure it); the
 * protocol a session agreed on. The backend only carries the list on the
 * wire and reports what was selected.
 */
#include <string.h>

#include "core/internal.h"
#include "core/policy.h"
#include "support/alloc.h"
#include "tlswrap/context.h"
#include "tlswrap/session.h"
#include "tlswrap/tlswrap.h"

/* RFC 7301 §3.1: each name 1..255 bytes; the list is bounded here well
 * below the extension's 64 KiB, since no real offer comes near it. */
#define ALPN_LIST_MAX 1024

static int bad_list(tlsw_ctx *ctx, const char *why) {
  return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                       "set_alpn: %s (a comma-separated list such as "
                       "\"h2,http/1.1\", each name 1 to 255 bytes)",
                       why);
}

static int check_list(tlsw_ctx *ctx, const char *list, size_t len) {
  if (len > ALPN_LIST_MAX) return bad_list(ctx, "the list is too long");
  size_t start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && list[i] != ',') {
      if ((unsigned char)list[i] < 0x21 || (unsigned char)list[i] > 0x7e) {
        return bad_list(ctx, "a name holds a space or a non-printable byte");
      }
      continue;
    }
    if (i == start) return bad_list(ctx, "a name is empty");
    if (i - start > 255) return bad_list(ctx, "a name is longer than 255");
    start = i + 1;
  }
  return TLSW_OK;
}

int tlsw_ctx_set_alpn(tlsw_ctx *ctx, const char *protocols) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  int st = tlswi_ctx_needs(ctx, TLSW_FEATURE_ALPN, "set_alpn", "ALPN");
  if (st != TLSW_OK) return st;
  char *copy = NULL;
  if (protocols != NULL && protocols[0] != '\0') {
    size_t len = strlen(protocols);
    st = check_list(ctx, protocols, len);
    if (st != TLSW_OK) return st;
    copy = tlswi_malloc(len + 1);
    if (copy == NULL) {
      return tlswi_err_set(&ctx->err, TLSW_ERR_NOMEM, 0,
                           "set_alpn: out of memory for the list (%zu bytes)",
                           len + 1);
    }
    memcpy(copy, protocols, len + 1);
  }
  tlswi_free(ctx->cfg.alpn);
  ctx->cfg.alpn = copy;
  return TLSW_OK;
}

/* The server's choice: the first of its own names that the client offered
 * (offered: the ClientHello's wire list, length-prefixed names). */
int tlswi_alpn_select(const char *ours, const uint8_t *offered, size_t len,
                      const uint8_t **sel, uint8_t *sel_len) {
  const char *p = ours;
  while (p != NULL && *p != '\0') {
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    for (size_t i = 0; i < len;) {
      size_t w = offered[i];
      if (w == 0 || i + 1 + w > len) break; /* malformed: stop, no match */
      if (w == n && memcmp(offered + i + 1, p, n) == 0) {
        *sel = offered + i + 1;
        *sel_len = (uint8_t)w;
        return 1;
      }
      i += 1 + w;
    }
    p = comma ? comma + 1 : NULL;
  }
  return 0;
}

const char *tlsw_session_alpn(const tlsw_session *s) {
  return s != NULL && s->established ? s->held.alpn : NULL;
}

/* Called by the core once a handshake completes: the backend's answer,
 * copied (only when there is one, so sessions without ALPN pay nothing)
 * so it outlives the backend state. NOMEM when the copy fails: the
 * handshake succeeded, but the caller would be told no protocol was
 * agreed, and speak the wrong one. */
int tlswi_alpn_record(tlsw_session *s) {
  const char *name = NULL;
  size_t len = 0;
  if (s->held.alpn != NULL || s->ctx->be->alpn_selected == NULL) return TLSW_OK;
  if (s->ctx->be->alpn_selected(s->bsess, &name, &len) != TLSW_OK ||
      name == NULL || len == 0) {
    return TLSW_OK;
  }
  s->held.alpn = tlswi_malloc(len + 1);
  if (s->held.alpn == NULL) {
    return tlswi_err_set(&s->err, TLSW_ERR_NOMEM, 0,
                         "handshake: out of memory for the agreed ALPN "
                         "protocol's name (%zu bytes)",
                         len + 1);
  }
  memcpy(s->held.alpn, name, len);
  s->held.alpn[len] = '\0';
  return TLSW_OK;
}
