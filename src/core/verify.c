/* The core's side of certificate verification: the time source setters,
 * the reason texts and the verification record (filled by the backend,
 * see tlsw_verify_rec in backend/backend.h). */
#include <stddef.h>

#include "core/internal.h"
#include "tlswrap/tlswrap.h"

static int time_supported(tlsw_ctx *ctx) {
  if (ctx->be->features & TLSW_FEATURE_TIME_SOURCE) return 1;
  tlswi_err_set(&ctx->err, TLSW_ERR_UNSUPPORTED, 0,
                "the %s backend cannot check certificate dates against a "
                "supplied time",
                ctx->be->name);
  return 0;
}

int tlsw_ctx_set_time_callback(tlsw_ctx *ctx, tlsw_time_fn cb, void *user) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  /* Restoring the system clock needs no backend support. */
  if (cb != NULL && !time_supported(ctx)) return TLSW_ERR_UNSUPPORTED;
  ctx->cfg.time_cb = cb;
  ctx->cfg.time_user = cb ? user : NULL;
  return TLSW_OK;
}

int tlsw_ctx_set_time(tlsw_ctx *ctx, int64_t unix_time) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  if (unix_time == -1) {
    ctx->cfg.has_fixed_time = 0;
    ctx->cfg.fixed_time = 0;
    return TLSW_OK;
  }
  if (unix_time < 0) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_time: %lld is not a time (seconds since "
                         "1970-01-01 UTC, or -1 for the system clock)",
                         (long long)unix_time);
  }
  if (!time_supported(ctx)) return TLSW_ERR_UNSUPPORTED;
  ctx->cfg.fixed_time = unix_time;
  ctx->cfg.has_fixed_time = 1;
  return TLSW_OK;
}

int tlsw_ctx_allow_weak_signatures(tlsw_ctx *ctx, int allow) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  if (allow) {
    ctx->cfg.cert_rules |= TLSW_RULE_ALLOW_WEAK_SIG;
  } else {
    ctx->cfg.cert_rules &= ~TLSW_RULE_ALLOW_WEAK_SIG;
  }
  return TLSW_OK;
}

const char *tlsw_cert_reason_text(tlsw_cert_reason reason) {
  /* Worded like OpenSSL's X509_verify_cert_error_string(), which is what
   * users of curl and CPython see for the same cases. */
  switch (reason) {
    case TLSW_REASON_NONE: return "ok";
    case TLSW_REASON_EXPIRED: return "certificate has expired";
    case TLSW_REASON_NOT_YET_VALID: return "certificate is not yet valid";
    case TLSW_REASON_HOSTNAME: return "hostname mismatch";
    case TLSW_REASON_UNKNOWN_ISSUER:
      return "unable to get local issuer certificate";
    case TLSW_REASON_SELF_SIGNED: return "self-signed certificate";
    case TLSW_REASON_BAD_SIGNATURE: return "certificate signature failure";
    case TLSW_REASON_NOT_CA: return "issuer is not a CA certificate";
    case TLSW_REASON_NO_PEER_CERT: return "peer did not return a certificate";
    case TLSW_REASON_WEAK_KEY: return "certificate key too weak";
    case TLSW_REASON_REVOKED: return "certificate revoked";
    case TLSW_REASON_REJECTED: return "rejected by the verify callback";
    case TLSW_REASON_NO_TIME:
      return "current time unknown, cannot check the validity dates";
    case TLSW_REASON_OTHER: return "certificate rejected";
    case TLSW_REASON_WEAK_SIGNATURE: return "signature algorithm too weak";
    case TLSW_REASON_KEY_USAGE:
      return "certificate not usable for this purpose";
    case TLSW_REASON_NAME_CONSTRAINTS:
      return "name not permitted by the issuer's name constraints";
    case TLSW_REASON_NO_CRL: return "unable to get certificate CRL";
    case TLSW_REASON_OCSP_INVALID: return "OCSP response invalid";
    case TLSW_REASON_OCSP_MISSING: return "no OCSP response stapled";
  }
  return "unknown reason";
}

int tlsw_session_verify_info(const tlsw_session *s, tlsw_cert_reason *reason,
                             int *depth) {
  if (reason != NULL) *reason = TLSW_REASON_NONE;
  if (depth != NULL) *depth = -1;
  if (s == NULL) return TLSW_ERR_ARG;
  const tlsw_verify_rec *v = &s->verify;
  /* Under CERT_NONE the backend never fills the record. */
  if (!v->checked) return TLSW_ERR_STATE;
  if (v->status == TLSW_OK) return TLSW_OK;
  if (reason != NULL) *reason = (tlsw_cert_reason)v->reason;
  if (depth != NULL) *depth = v->depth;
  return v->status;
}
