/*
 * Error decoding: a failed wolfSSL call becomes a tlsw status and a message
 * a person can act on; certificate errors become a tlsw_cert_reason, handed
 * to the core as a failure record (tlsw_failure): the core's report()
 * words it and records it in the session's tlsw_verify_rec.
 */
#include "backend/wolfssl/internal.h"
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include <string.h>

#include "platform/platform.h"

/* Map a certificate error, as the verify callback or the handshake reports
 * it (X509_V_ERR numbers or native negative codes, doc §3), to a reason. */
tlsw_cert_reason tlswi_wb_cert_reason(int err) {
  switch (err) {
    case 9:  /* X509_V_ERR_CERT_NOT_YET_VALID */
    case 13: /* ERROR_IN_CERT_NOT_BEFORE_FIELD, used by 5.5.4 for dates */
    case ASN_BEFORE_DATE_E: return TLSW_REASON_NOT_YET_VALID;
    case 10: /* X509_V_ERR_CERT_HAS_EXPIRED */
    case 14: /* ERROR_IN_CERT_NOT_AFTER_FIELD, used by 5.5.4 for expiry */
    case ASN_AFTER_DATE_E: return TLSW_REASON_EXPIRED;
    case 18: /* DEPTH_ZERO_SELF_SIGNED_CERT */
    case 19: /* SELF_SIGNED_CERT_IN_CHAIN */
    case ASN_SELF_SIGNED_E: return TLSW_REASON_SELF_SIGNED;
    case 2:  /* UNABLE_TO_GET_ISSUER_CERT */
    case 20: /* UNABLE_TO_GET_ISSUER_CERT_LOCALLY */
    case 21: /* UNABLE_TO_VERIFY_LEAF_SIGNATURE */
    case ASN_NO_SIGNER_E: return TLSW_REASON_UNKNOWN_ISSUER;
    case 7: /* CERT_SIGNATURE_FAILURE */
    case ASN_SIG_CONFIRM_E: return TLSW_REASON_BAD_SIGNATURE;
    case 24: /* INVALID_CA */ return TLSW_REASON_NOT_CA;
    case DOMAIN_NAME_MISMATCH:
    case IPADDR_MISMATCH:
    case 62: /* X509_V_ERR_HOSTNAME_MISMATCH */
    case 64: /* X509_V_ERR_IP_ADDRESS_MISMATCH */ return TLSW_REASON_HOSTNAME;
    case RSA_KEY_SIZE_E:
    case ECC_KEY_SIZE_E: return TLSW_REASON_WEAK_KEY;
    case CRL_CERT_REVOKED:
    case 23: /* CERT_REVOKED */ return TLSW_REASON_REVOKED;
    case CRL_MISSING:
    case 3: /* X509_V_ERR_UNABLE_TO_GET_CRL */ return TLSW_REASON_NO_CRL;
    case NO_PEER_CERT: return TLSW_REASON_NO_PEER_CERT;
    case 47: /* X509_V_ERR_PERMITTED_VIOLATION */
    case 48: /* X509_V_ERR_EXCLUDED_VIOLATION */
    case ASN_NAME_INVALID_E: return TLSW_REASON_NAME_CONSTRAINTS;
    case KEYUSE_SIGNATURE_E:
    case KEYUSE_ENCIPHER_E:
    case EXTKEYUSE_AUTH_E: return TLSW_REASON_KEY_USAGE;
  }
  return TLSW_REASON_OTHER;
}

/* A certificate failure, as facts: the core words and records it
 * (tlsw_policy.report; the first failure wins unless force). Returns the
 * failure's status. */
int tlswi_wb_record_failure_ex(wsess *s, tlsw_cert_reason reason, int depth,
                               const char *subject, long code,
                               const char *detail, int force) {
  tlsw_failure f = {0, code, reason, depth, subject, detail, -1, force};
  return s->cfg->policy->report(s->err, s->vrec, &f);
}

int tlswi_wb_record_failure(wsess *s, tlsw_cert_reason reason, int depth,
                            const char *subject, long code,
                            const char *detail) {
  return tlswi_wb_record_failure_ex(s, reason, depth, subject, code, detail, 0);
}

/* How a native error that needs no session state reads. */
enum { AS_TEXT, AS_STATUS, AS_RECORD, AS_CERT };
typedef struct native_failure {
  int code;
  int status;
  int as;           /* AS_TEXT: text; AS_STATUS: tlsw_strerror(status);
                     * AS_RECORD: a bad record, with wolfSSL's reason;
                     * AS_CERT: a certificate failure (safety net) */
  const char *text; /* AS_TEXT only */
} native_failure;

static const native_failure natives[] = {
    {MATCH_SUITE_ERROR, TLSW_ERR_NO_SHARED_CIPHER, AS_TEXT,
     "handshake failed: no cipher suite in common with the peer"},
    {UNSUPPORTED_SUITE, TLSW_ERR_NO_SHARED_CIPHER, AS_TEXT,
     "handshake failed: no cipher suite in common with the peer"},
#ifdef HAVE_ALPN
    {UNKNOWN_ALPN_PROTOCOL_NAME_E, TLSW_ERR_HANDSHAKE, AS_TEXT,
     "handshake failed: no application protocol (ALPN) in common with the "
     "peer (no_application_protocol sent): compare the lists given to "
     "tlsw_ctx_set_alpn() on both sides"},
#endif
    {VERSION_ERROR, TLSW_ERR_VERSION, AS_TEXT,
     "handshake failed: no protocol version in common with the peer "
     "(tlswrap speaks (D)TLS 1.2 and newer, within the range "
     "tlsw_ctx_set_version_range() set)"},
    {MEMORY_E, TLSW_ERR_NOMEM, AS_STATUS, NULL},
    {MEMORY_ERROR, TLSW_ERR_NOMEM, AS_STATUS, NULL},
    {VERIFY_MAC_ERROR, TLSW_ERR_BAD_RECORD, AS_RECORD, NULL},
    {DECRYPT_ERROR, TLSW_ERR_BAD_RECORD, AS_RECORD, NULL},
    /* The AEAD's own verdict on a record (wolfCrypt codes): 5.7.2 passes
     * AES-GCM's through where ChaCha20-Poly1305's surfaces as
     * VERIFY_MAC_ERROR (measured: tests/test_regress.c, AES-GCM leading on
     * the source build). */
    {AES_GCM_AUTH_E, TLSW_ERR_BAD_RECORD, AS_RECORD, NULL},
    {AES_CCM_AUTH_E, TLSW_ERR_BAD_RECORD, AS_RECORD, NULL},
    {MAC_CMP_FAILED_E, TLSW_ERR_BAD_RECORD, AS_RECORD, NULL},
    {UNKNOWN_RECORD_TYPE, TLSW_ERR_BAD_RECORD, AS_RECORD, NULL},
    {LENGTH_ERROR, TLSW_ERR_BAD_RECORD, AS_RECORD, NULL},
    {BUFFER_ERROR, TLSW_ERR_BAD_RECORD, AS_RECORD, NULL},
    {DTLS_SIZE_ERROR, TLSW_ERR_TOO_BIG, AS_TEXT,
     "data larger than one DTLS datagram"},
    /* A certificate failure our callback did not see (it sees every
     * certificate when verifying, so this is a safety net). */
    {ASN_NO_SIGNER_E, 0, AS_CERT, NULL},
    {ASN_AFTER_DATE_E, 0, AS_CERT, NULL},
    {ASN_BEFORE_DATE_E, 0, AS_CERT, NULL},
    {ASN_SIG_CONFIRM_E, 0, AS_CERT, NULL},
    {ASN_SELF_SIGNED_E, 0, AS_CERT, NULL},
    {RSA_KEY_SIZE_E, 0, AS_CERT, NULL},
    {ECC_KEY_SIZE_E, 0, AS_CERT, NULL},
    {DOMAIN_NAME_MISMATCH, 0, AS_CERT, NULL},
    {IPADDR_MISMATCH, 0, AS_CERT, NULL},
};

static int bad_record(wsess *s, int err) {
  return tlswi_err_set(s->err, TLSW_ERR_BAD_RECORD, err,
                       "malformed or unauthentic record from the peer: %s",
                       wolfSSL_ERR_reason_error_string((unsigned long)err));
}

/* A native error from the table, or the catch-all. */
static int decode_native(wsess *s, int err) {
  for (size_t i = 0; i < sizeof natives / sizeof natives[0]; i++) {
    const native_failure *n = &natives[i];
    if (n->code != err) continue;
    switch (n->as) {
      case AS_TEXT: return tlswi_err_set(s->err, n->status, err, "%s", n->text);
      case AS_STATUS: return tlswi_err_status(s->err, n->status, err);
      case AS_RECORD: return bad_record(s, err);
      default:
        /* The depth and subject are unknown here. */
        s->vrec->checked = 1;
        return tlswi_wb_record_failure(s, tlswi_wb_cert_reason(err), -1, NULL,
                                       err, "");
    }
  }
  return tlswi_err_set(
      s->err, TLSW_ERR_HANDSHAKE, err, "TLS failure: %s (wolfSSL error %d)",
      wolfSSL_ERR_reason_error_string((unsigned long)err), err);
}

/* The statuses that mean "call again": blocked, or closed cleanly. 1 when
 * err was one of them (*st set). */
static int decode_flow(wsess *s, int err, int *st) {
  switch (err) {
    case WOLFSSL_ERROR_WANT_READ:
      s->last_want = TLSW_DIR_READ;
      *st = TLSW_WANT_READ;
      return 1;
    case WOLFSSL_ERROR_WANT_WRITE:
      s->last_want = TLSW_DIR_WRITE;
      *st = TLSW_WANT_WRITE;
      return 1;
    case WOLFSSL_ERROR_ZERO_RETURN:
      *st = tlswi_err_status(s->err, TLSW_CLOSED, 0);
      return 1;
    case 0:
      /* 5.5.4 bug (doc §1): a TLS 1.3 handshake re-entered with output it
       * still cannot send returns -1 with error 0. Our send callback saw
       * the block; report it. */
      if (s->last_want == 0) return 0;
      *st = s->last_want == TLSW_DIR_READ ? TLSW_WANT_READ : TLSW_WANT_WRITE;
      return 1;
    default: return 0;
  }
}

/* A transport failure one of our I/O callbacks saw (s->io_status, set by
 * io.c), in the status table's words (core/status.c) plus errno's. code:
 * the native code to record. */
int tlswi_wb_io_failure(wsess *s, long code) {
  switch (s->io_status) {
    case TLSW_ERR_TIMEOUT:
    case TLSW_ERR_RESET: return tlswi_err_status(s->err, s->io_status, code);
    default: break;
  }
  if (s->io_errno != 0) {
    const char *text = tlswi_errno_text(s->io_errno);
    return tlswi_err_set(s->err, TLSW_ERR_IO, code, "%s: %s%s(errno %d)",
                         tlsw_strerror(TLSW_ERR_IO), text ? text : "",
                         text ? " " : "", s->io_errno);
  }
  if (s->err->status == TLSW_ERR_IO && s->err->msg[0] != '\0') {
    return TLSW_ERR_IO; /* io.c already said exactly what broke */
  }
  return tlswi_err_status(s->err, TLSW_ERR_IO, code);
}

/* The same, after a failed wolfSSL call: its code is recorded in every
 * case. */
static int decode_io(wsess *s, int err) {
  int st = tlswi_wb_io_failure(s, err);
  s->err->backend_code = err;
  return st;
}

/* The peer's fatal alert, by name (the core words it). */
static int decode_alert(wsess *s, int err) {
  WOLFSSL_ALERT_HISTORY h;
  memset(&h, 0, sizeof h);
  wolfSSL_get_alert_history(s->ssl, &h);
  tlsw_failure f = {TLSW_ERR_ALERT, err,  TLSW_REASON_NONE, -1,
                    NULL,           NULL, h.last_rx.code,   0};
  return s->cfg->policy->report(s->err, s->vrec, &f);
}

/* 5.5.4 refuses a plaintext alert record during a TLS 1.3 handshake, once
 * it expects encrypted records, without reading which alert it is:
 * OpenSSL sends its alert this way when it rejects our certificate before
 * switching keys. */
static int decode_parse_error(wsess *s, int err) {
  if (s->rx_hdr[0] == 21 && s->rx_hdr[1] == 3 && s->rx_hdr[3] == 0 &&
      s->rx_hdr[4] == 2 && !wolfSSL_is_init_finished(s->ssl)) {
    return tlswi_err_set(s->err, TLSW_ERR_ALERT, err,
                         "peer sent a fatal alert (unencrypted, so its "
                         "name cannot be read): the peer rejected the "
                         "handshake, often our certificate");
  }
  return bad_record(s, err);
}

/* Decode a failed handshake/read/write into a status and message: the
 * flow statuses, then what the session saw (our verify callback's
 * verdict, a transport failure, EOF), then the native error. */
int tlswi_wb_decode_failure(wsess *s, int ret) {
  int err = wolfSSL_get_error(s->ssl, ret);
  int st;
  if (decode_flow(s, err, &st)) return st;
  /* Our verify callback failed the handshake: its record explains it
   * better than the code the handshake ends with. (Only then: under client
   * CERT_OPTIONAL a recorded failure must not relabel a later, unrelated
   * error.) */
  if (s->verify_abort && s->vrec->status != TLSW_OK) {
    s->err->status = s->vrec->status;
    s->err->backend_code = err;
    return s->err->status;
  }
  if (s->hook_abort) {
    s->err->backend_code = err;
    return s->err->status;
  }
  if (s->io_status != 0) return decode_io(s, err);
  if (s->io_eof) {
    return tlswi_err_status(s->err, TLSW_ERR_EOF, err);
  }
  switch (err) {
    case FATAL_ERROR: return decode_alert(s, err);
    case NO_PEER_CERT:
      /* Server CERT_REQUIRED: the client sent an empty Certificate. */
      s->vrec->checked = 1;
      return tlswi_wb_record_failure(
          s, TLSW_REASON_NO_PEER_CERT, -1, NULL, err,
          " (this server requires a client certificate)");
    case PARSE_ERROR: return decode_parse_error(s, err);
    default:
      st = tlswi_wb_ocsp_failure(s, err);
      return st != 0 ? st : decode_native(s, err);
  }
}
