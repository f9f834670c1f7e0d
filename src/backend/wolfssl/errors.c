/*
 * Error decoding: a failed wolfSSL call becomes a tlsw status and a message
 * a person can act on; certificate errors become a tlsw_cert_reason and are
 * recorded in the session's tlsw_verify_rec.
 */
#include "backend/wolfssl/internal.h"
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include <string.h>

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
    case NO_PEER_CERT: return TLSW_REASON_NO_PEER_CERT;
  }
  return TLSW_REASON_OTHER;
}

static int reason_status(tlsw_cert_reason r) {
  switch (r) {
    case TLSW_REASON_NONE: return TLSW_OK;
    case TLSW_REASON_EXPIRED: return TLSW_ERR_CERT_EXPIRED;
    case TLSW_REASON_NOT_YET_VALID: return TLSW_ERR_CERT_NOT_YET_VALID;
    case TLSW_REASON_HOSTNAME: return TLSW_ERR_CERT_HOSTNAME;
    case TLSW_REASON_UNKNOWN_ISSUER:
    case TLSW_REASON_SELF_SIGNED: return TLSW_ERR_CERT_UNTRUSTED;
    case TLSW_REASON_NO_PEER_CERT: return TLSW_ERR_CERT_MISSING;
    case TLSW_REASON_WEAK_KEY: return TLSW_ERR_CERT_WEAK_KEY;
    case TLSW_REASON_REJECTED: return TLSW_ERR_CERT_REJECTED;
    default: return TLSW_ERR_CERT_VERIFY;
  }
}

int tlswi_wb_record_failure_ex(wsess *s, tlsw_cert_reason reason, int depth,
                               const char *subject, long code,
                               const char *detail, int force) {
  int st = reason_status(reason);
  if (s->vrec->status != TLSW_OK && !force) return s->vrec->status;
  s->vrec->status = st;
  s->vrec->reason = (int)reason;
  s->vrec->depth = depth;
  if (depth < 0) {
    tlswi_err_set(s->err, st, code, "certificate verify failed: %s%s",
                  tlsw_cert_reason_text(reason), detail);
  } else if (subject == NULL || subject[0] == '\0') {
    tlswi_err_set(s->err, st, code,
                  "certificate verify failed: %s%s (depth %d)",
                  tlsw_cert_reason_text(reason), detail, depth);
  } else {
    tlswi_err_set(s->err, st, code,
                  "certificate verify failed: %s%s (depth %d, %s)",
                  tlsw_cert_reason_text(reason), detail, depth, subject);
  }
  return st;
}

/*
 * Record a verification failure: the first one wins (it is the deepest, and
 * the one a person must fix first), except that the verify callback's
 * rejection always replaces what was there (force), since that is what
 * ends the handshake. The message reads "certificate verify failed: <reason
 * text><detail> (depth N, <subject>)"; depth -1 means no certificate.
 * Returns the failure's status.
 */
int tlswi_wb_record_failure(wsess *s, tlsw_cert_reason reason, int depth,
                            const char *subject, long code,
                            const char *detail) {
  return tlswi_wb_record_failure_ex(s, reason, depth, subject, code, detail, 0);
}

/* Decode a failed handshake/read/write into a status and message. */
int tlswi_wb_decode_failure(wsess *s, int ret) {
  int err = wolfSSL_get_error(s->ssl, ret);
  switch (err) {
    case WOLFSSL_ERROR_WANT_READ:
      s->last_want = TLSW_WANT_RD;
      return TLSW_WANT_READ;
    case WOLFSSL_ERROR_WANT_WRITE:
      s->last_want = TLSW_WANT_WR;
      return TLSW_WANT_WRITE;
    case WOLFSSL_ERROR_ZERO_RETURN:
      return tlswi_err_set(s->err, TLSW_CLOSED, 0,
                           "connection closed by peer (close_notify)");
    case 0:
      /* 5.5.4 bug (doc §1): a TLS 1.3 handshake re-entered with output it
       * still cannot send returns -1 with error 0. Our send callback saw the
       * block; report it. */
      if (s->last_want != 0) {
        return s->last_want == TLSW_WANT_RD ? TLSW_WANT_READ : TLSW_WANT_WRITE;
      }
      break;
    default: break;
  }
  /* Our verify callback failed the handshake: its record explains it
   * better than the code the handshake ends with. (Only then: under client
   * CERT_OPTIONAL a recorded failure must not relabel a later, unrelated
   * error.) */
  if (s->verify_abort && s->vrec->status != TLSW_OK) {
    s->err->status = s->vrec->status;
    s->err->backend_code = err;
    return s->err->status;
  }
  if (s->io_status != 0) {
    switch (s->io_status) {
      case TLSW_ERR_TIMEOUT:
        return tlswi_err_set(s->err, TLSW_ERR_TIMEOUT, err,
                             "transport timed out");
      case TLSW_ERR_RESET:
        return tlswi_err_set(s->err, TLSW_ERR_RESET, err,
                             "connection reset by peer");
      default:
        if (s->io_errno != 0) {
          return tlswi_err_set(s->err, TLSW_ERR_IO, err,
                               "transport I/O error: %s (errno %d)",
                               strerror(s->io_errno), s->io_errno);
        }
        if (s->err->status == TLSW_ERR_IO && s->err->msg[0] != '\0') {
          /* The I/O callback bridge already said exactly what broke. */
          s->err->backend_code = err;
          return TLSW_ERR_IO;
        }
        return tlswi_err_set(s->err, TLSW_ERR_IO, err, "transport I/O error");
    }
  }
  if (s->io_eof) {
    return tlswi_err_set(s->err, TLSW_ERR_EOF, err,
                         "connection closed by peer without close_notify");
  }
  switch (err) {
    case FATAL_ERROR: {
      WOLFSSL_ALERT_HISTORY h;
      memset(&h, 0, sizeof h);
      wolfSSL_get_alert_history(s->ssl, &h);
      return tlswi_err_set(s->err, TLSW_ERR_ALERT, err,
                           "peer sent alert: %s (%d)",
                           tlsw_alert_name(h.last_rx.code), h.last_rx.code);
    }
    case NO_PEER_CERT:
      /* Server CERT_REQUIRED: the client sent an empty Certificate. */
      s->vrec->checked = 1;
      return tlswi_wb_record_failure(
          s, TLSW_REASON_NO_PEER_CERT, -1, NULL, err,
          " (this server requires a client certificate)");
    case MATCH_SUITE_ERROR:
    case UNSUPPORTED_SUITE:
      return tlswi_err_set(s->err, TLSW_ERR_NO_SHARED_CIPHER, err,
                           "handshake failed: no cipher suite in common with "
                           "the peer");
    case VERSION_ERROR:
      return tlswi_err_set(s->err, TLSW_ERR_VERSION, err,
                           "handshake failed: no protocol version in common "
                           "with the peer (tlswrap needs TLS 1.2 or newer)");
    case MEMORY_E:
    case MEMORY_ERROR: return tlswi_err_status(s->err, TLSW_ERR_NOMEM, err);
    case PARSE_ERROR:
      if (s->rx_hdr_len == 5 && s->rx_hdr[0] == 21 && s->rx_hdr[1] == 3 &&
          s->rx_hdr[3] == 0 && s->rx_hdr[4] == 2 &&
          !wolfSSL_is_init_finished(s->ssl)) {
        /* A plaintext alert record during a TLS 1.3 handshake, once
         * wolfSSL expects encrypted records: OpenSSL sends its alert this
         * way when it rejects our certificate before switching keys, and
         * 5.5.4 refuses the header without reading which alert it is. */
        return tlswi_err_set(s->err, TLSW_ERR_ALERT, err,
                             "peer sent a fatal alert (unencrypted, so its "
                             "name cannot be read): the peer rejected the "
                             "handshake, often our certificate");
      }
      return tlswi_err_set(s->err, TLSW_ERR_BAD_RECORD, err,
                           "malformed or unauthentic record from the peer: %s",
                           wolfSSL_ERR_reason_error_string((unsigned long)err));
    case VERIFY_MAC_ERROR:
    case DECRYPT_ERROR:
    /* The AEAD's own verdict on a record (wolfCrypt codes): 5.7.2 passes
     * AES-GCM's through where ChaCha20-Poly1305's surfaces as
     * VERIFY_MAC_ERROR (measured: tests/test_regress.c, AES-GCM leading on
     * the source build). */
    case AES_GCM_AUTH_E:
    case AES_CCM_AUTH_E:
    case MAC_CMP_FAILED_E:
    case UNKNOWN_RECORD_TYPE:
    case LENGTH_ERROR:
    case BUFFER_ERROR:
      return tlswi_err_set(s->err, TLSW_ERR_BAD_RECORD, err,
                           "malformed or unauthentic record from the peer: %s",
                           wolfSSL_ERR_reason_error_string((unsigned long)err));
    case DTLS_SIZE_ERROR:
      return tlswi_err_set(s->err, TLSW_ERR_TOO_BIG, err,
                           "data larger than one DTLS datagram");
    case ASN_NO_SIGNER_E:
    case ASN_AFTER_DATE_E:
    case ASN_BEFORE_DATE_E:
    case ASN_SIG_CONFIRM_E:
    case ASN_SELF_SIGNED_E:
    case RSA_KEY_SIZE_E:
    case ECC_KEY_SIZE_E:
    case DOMAIN_NAME_MISMATCH:
    case IPADDR_MISMATCH:
      /* A certificate failure our callback did not see (it sees every
       * certificate when verifying, so this is a safety net). The depth and
       * subject are unknown here. */
      s->vrec->checked = 1;
      return tlswi_wb_record_failure(s, tlswi_wb_cert_reason(err), -1, NULL,
                                     err, "");
    default: break;
  }
  return tlswi_err_set(
      s->err, TLSW_ERR_HANDSHAKE, err, "TLS failure: %s (wolfSSL error %d)",
      wolfSSL_ERR_reason_error_string((unsigned long)err), err);
}
