/*
 * What a session's secrets may be used for outside the TLS engine,
 * backend-neutral: key-log lines in the NSS format (for decrypting a
 * capture) and exported keying material (RFC 5705, RFC 8446 §7.5). The
 * backend hands over the raw secrets; the format, the argument rules and
 * the wording live here, so a second backend logs byte-identical lines.
 */
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "core/policy.h"
#include "tlswrap/context.h"
#include "tlswrap/session.h"
#include "tlswrap/tlswrap.h"

/* The longest secret a TLS 1.3 or 1.2 suite has (SHA-384: 48 bytes);
 * room for SHA-512 too, so a backend with it needs no change here. */
#define SECRET_MAX 64
/* RFC 5705 §4: a context length is carried in two bytes. */
#define EXPORT_CONTEXT_MAX 65535u
/* A bound far above any use (SRTP takes 60 bytes, EAP-TLS 128), so a
 * length that is really a mistake (a negative size) is refused. */
#define EXPORT_OUT_MAX 16384u

int tlsw_ctx_set_keylog_callback(tlsw_ctx *ctx, tlsw_keylog_fn cb, void *user) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  if (cb != NULL) {
    int st = tlswi_ctx_needs(ctx, TLSW_FEATURE_KEYLOG, "set_keylog_callback",
                             "key logging (wolfSSL needs "
                             "HAVE_SECRET_CALLBACK; tlswrap's own wolfSSL "
                             "build has it)");
    if (st != TLSW_OK) return st;
  }
  ctx->cfg.keylog_cb = cb;
  ctx->cfg.keylog_user = cb != NULL ? user : NULL;
  return TLSW_OK;
}

int tlsw_ctx_set_exporter(tlsw_ctx *ctx, int enable) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  if (enable) {
    int st = tlswi_ctx_needs(ctx, TLSW_FEATURE_EXPORTER, "set_exporter",
                             "exporter (wolfSSL needs HAVE_KEYING_MATERIAL)");
    if (st != TLSW_OK) return st;
  }
  ctx->cfg.exporter = enable != 0;
  return TLSW_OK;
}

static void hex(char *out, const uint8_t *in, size_t n) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 15];
  }
  out[2 * n] = '\0';
}

/* tlsw_policy.keylog. A secret or random of an unexpected size is
 * dropped rather than logged half: a wrong line would send a person
 * debugging the capture after the wrong fault. */
void tlswi_keylog(const tlsw_config *cfg, const char *label,
                  const uint8_t *random, size_t random_len,
                  const uint8_t *secret, size_t secret_len) {
  if (cfg == NULL || cfg->keylog_cb == NULL || label == NULL ||
      random_len != 32 || secret_len == 0 || secret_len > SECRET_MAX) {
    return;
  }
  /* label, space, 64 hex digits, space, up to 128 hex digits. */
  char line[40 + 1 + 64 + 1 + 2 * SECRET_MAX + 1];
  size_t n = strlen(label);
  if (n > 40) return;
  memcpy(line, label, n);
  line[n++] = ' ';
  hex(line + n, random, random_len);
  n += 2 * random_len;
  line[n++] = ' ';
  hex(line + n, secret, secret_len);
  cfg->keylog_cb(cfg->keylog_user, line);
  /* The stack copy is as secret as what it logged. */
  memset(line, 0, sizeof line);
}

/* RFC 5705 §4 and RFC 8446 §7.5 forbid the labels TLS derives its own
 * keys with (the exporter would then hand out a key the record layer
 * uses); wolfSSL refuses some, this refuses them all on every backend. */
static int reserved_label(const char *label) {
  static const char *const names[] = {"client finished", "server finished",
                                      "master secret", "key expansion",
                                      "extended master secret"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcmp(label, names[i]) == 0) return 1;
  }
  return 0;
}

static int export_args(tlsw_session *s, const char *label,
                       const uint8_t *context, size_t context_len,
                       const uint8_t *out, size_t out_len) {
  const char *why = NULL;
  if (label == NULL || label[0] == '\0') {
    why = "the label is NULL or empty";
  } else if (reserved_label(label)) {
    why = "the label is one TLS itself uses (RFC 5705 4)";
  } else if (out == NULL || out_len == 0 || out_len > EXPORT_OUT_MAX) {
    why = "out is NULL, or out_len is not 1 to 16384";
  } else if (context == NULL ? context_len != 0
                             : context_len > EXPORT_CONTEXT_MAX) {
    why = "context_len is over 65535, or not 0 with a NULL context";
  }
  if (why == NULL) return TLSW_OK;
  return tlswi_err_set(&s->err, TLSW_ERR_ARG, 0, "export_keying_material: %s",
                       why);
}

int tlsw_session_export_keying_material(tlsw_session *s, const char *label,
                                        const uint8_t *context,
                                        size_t context_len, uint8_t *out,
                                        size_t out_len) {
  if (s == NULL) return TLSW_ERR_ARG;
  /* A failed session keeps the message that says why it failed. */
  if (s->state == TLSW_SESS_DEAD) return TLSW_ERR_STATE;
  if (s->in_call) {
    return tlswi_err_set(&s->err, TLSW_ERR_STATE, 0,
                         "export_keying_material: called from inside one "
                         "of this session's callbacks");
  }
  int st = export_args(s, label, context, context_len, out, out_len);
  if (st != TLSW_OK) return st;
  if (s->ctx->be->export_keying_material == NULL) {
    return tlswi_err_set(&s->err, TLSW_ERR_UNSUPPORTED, 0,
                         "export_keying_material: this %s build has no "
                         "exporter (wolfSSL needs HAVE_KEYING_MATERIAL)",
                         s->ctx->be->name);
  }
  if (!s->established || s->state < TLSW_SESS_OPEN ||
      s->state > TLSW_SESS_SHUT) {
    return tlswi_err_set(&s->err, TLSW_ERR_STATE, 0,
                         "export_keying_material: the handshake has not "
                         "completed");
  }
  /* Checked here, not left to the backend: some keep the secrets a while
   * anyway (wolfSSL 5.5.4's server), and a call that works by accident
   * would fail in the field. */
  if (!s->ctx->cfg.exporter) {
    return tlswi_err_set(&s->err, TLSW_ERR_STATE, 0,
                         "export_keying_material: the session keeps no "
                         "secrets to export from; call "
                         "tlsw_ctx_set_exporter(ctx, 1) before wrapping it");
  }
  return s->ctx->be->export_keying_material(s->bsess, label, context,
                                            context_len, out, out_len, &s->err);
}
