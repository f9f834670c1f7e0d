/*
 * OCSP stapling on the client (tlsw_ctx_set_ocsp_stapling): the core
 * checks the arguments and keeps the mode; the backend asks for the staple
 * in every handshake of the context from then on and verifies it,
 * recording what it said in the session's verification record
 * (tlsw_verify_rec.ocsp). The core never fetches a response itself: it
 * has no socket, and a device that can reach the server may not reach the
 * CA's responder.
 */
#include <string.h>

#include "core/der.h"
#include "core/internal.h"
#include "core/policy.h"
#include "tlswrap/tlswrap.h"

int tlsw_ctx_set_ocsp_stapling(tlsw_ctx *ctx, int mode) {
  if (ctx == NULL) return TLSW_ERR_ARG;
  tlswi_err_clear(&ctx->err);
  if (mode != TLSW_OCSP_OFF && mode != TLSW_OCSP_REQUEST &&
      mode != TLSW_OCSP_REQUIRE) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_ocsp_stapling: unknown mode %d (TLSW_OCSP_OFF, "
                         "TLSW_OCSP_REQUEST or TLSW_OCSP_REQUIRE)",
                         mode);
  }
  if (ctx->cfg.is_server) {
    /* A server staples its own response; that is not this setting. */
    return tlswi_err_set(&ctx->err, TLSW_ERR_ARG, 0,
                         "set_ocsp_stapling: a server context; OCSP "
                         "stapling is checked by clients");
  }
  int st = tlswi_ctx_needs(ctx, TLSW_FEATURE_OCSP, "set_ocsp_stapling",
                           "OCSP stapling (wolfSSL needs HAVE_OCSP and "
                           "HAVE_CERTIFICATE_STATUS_REQUEST)");
  if (st != TLSW_OK || ctx->be->ctx_set_ocsp == NULL) {
    return st != TLSW_OK ? st : TLSW_ERR_UNSUPPORTED;
  }
  if (ctx->cfg.is_dtls) {
    return tlswi_err_set(&ctx->err, TLSW_ERR_UNSUPPORTED, 0,
                         "set_ocsp_stapling: a DTLS context; OCSP stapling "
                         "is supported on TLS client contexts only");
  }
  int old = ctx->cfg.ocsp_mode;
  ctx->cfg.ocsp_mode = mode;
  st = tlswi_err_settle(&ctx->err, ctx->be->ctx_set_ocsp(ctx->bctx, &ctx->err));
  if (st != TLSW_OK) ctx->cfg.ocsp_mode = old;
  return st;
}

int tlsw_session_ocsp_status(const tlsw_session *s) {
  if (s == NULL) return TLSW_ERR_ARG;
  return s->verify.ocsp;
}

/* RFC 6960 4.2.1, as far as the SingleResponse for serial: OCSPResponse
 * { responseStatus, [0] { responseType, OCTET STRING BasicOCSPResponse
 * { tbsResponseData { [0] version?, responderID, producedAt, responses
 * SEQUENCE OF SingleResponse { certID {alg, nameHash, keyHash, serial},
 * certStatus good [0] | revoked [1] | unknown [2] ... } } } } }. */
static int single_says(tlswi_der_rd list, const uint8_t *sn, size_t sn_len) {
  unsigned tag;
  tlswi_der_rd one, id, f, serial, status;
  while (list.n > 0) {
    if (!tlswi_der_tlv(&list, &tag, &one) || tag != 0x30 ||
        !tlswi_der_tlv(&one, &tag, &id) || tag != 0x30) {
      return TLSW_OCSP_INVALID;
    }
    for (int i = 0; i < 3; i++) { /* hashAlgorithm, the two hashes */
      if (!tlswi_der_tlv(&id, &tag, &f)) return TLSW_OCSP_INVALID;
    }
    if (!tlswi_der_tlv(&id, &tag, &serial) || tag != 0x02 ||
        !tlswi_der_tlv(&one, &tag, &status)) {
      return TLSW_OCSP_INVALID;
    }
    if (serial.n != sn_len || memcmp(serial.p, sn, sn_len) != 0) continue;
    if (tag == 0x80) return TLSW_OCSP_GOOD;
    return tag == 0xa1 ? TLSW_OCSP_REVOKED : TLSW_OCSP_INVALID;
  }
  return TLSW_OCSP_INVALID;
}

int tlswi_ocsp_said(const uint8_t *resp, size_t len, const uint8_t *leaf,
                    size_t leaf_len) {
  const uint8_t *sn;
  size_t sn_len;
  if (resp == NULL || leaf == NULL ||
      !tlswi_der_cert_serial(leaf, leaf_len, &sn, &sn_len)) {
    return TLSW_OCSP_INVALID;
  }
  tlswi_der_rd r = {resp, len}, seq, f, bytes, basic, tbs;
  unsigned tag;
  /* responseStatus successful (0), then the BasicOCSPResponse. */
  if (!tlswi_der_tlv(&r, &tag, &seq) || tag != 0x30 ||
      !tlswi_der_tlv(&seq, &tag, &f) || tag != 0x0a || f.n != 1 ||
      f.p[0] != 0 || !tlswi_der_tlv(&seq, &tag, &f) || tag != 0xa0 ||
      !tlswi_der_tlv(&f, &tag, &bytes) || tag != 0x30 ||
      !tlswi_der_tlv(&bytes, &tag, &f) || tag != 0x06 ||
      !tlswi_der_tlv(&bytes, &tag, &f) || tag != 0x04) {
    return TLSW_OCSP_INVALID;
  }
  tlswi_der_rd b = f;
  if (!tlswi_der_tlv(&b, &tag, &basic) || tag != 0x30 ||
      !tlswi_der_tlv(&basic, &tag, &tbs) || tag != 0x30) {
    return TLSW_OCSP_INVALID;
  }
  if (tbs.n > 0 && tbs.p[0] == 0xa0 && !tlswi_der_tlv(&tbs, &tag, &f)) {
    return TLSW_OCSP_INVALID; /* version */
  }
  /* responderID, producedAt, then responses. */
  if (!tlswi_der_tlv(&tbs, &tag, &f) || !tlswi_der_tlv(&tbs, &tag, &f) ||
      tag != 0x18 || !tlswi_der_tlv(&tbs, &tag, &f) || tag != 0x30) {
    return TLSW_OCSP_INVALID;
  }
  return single_says(f, sn, sn_len);
}
