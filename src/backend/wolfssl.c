/*
 * The wolfSSL backend: the only file that includes wolfSSL headers.
 *
 * Written against Debian's libwolfssl-dev 5.5.4, whose defaults are unsafe
 * and which has bugs we work around; every such place cites the section of
 * shared/docs/wolfssl-5.5.4.md ("doc §N") that measured it.
 */
#include <wolfssl/options.h>
/* options.h must come first: it defines the build's feature macros. */
#include <wolfssl/error-ssl.h>
#include <wolfssl/ssl.h>
#include <wolfssl/version.h>
#include <wolfssl/wolfcrypt/asn.h> /* ASN_DNS_TYPE, ASN_IP_TYPE */
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/memory.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "core/alloc.h"
#include "tlswrap/tlswrap.h"

/* ------------------------------------------------------------------------ */
/* Suites                                                                    */

/*
 * Default suites, fastest first on this build. Debian's wolfSSL has no
 * AES-NI, so ChaCha20-Poly1305 runs about 2.3x faster than AES-GCM; on a
 * build with AES-NI the AES-GCM suites would lead. Only ECDHE (forward
 * secrecy) with AEAD: no NULL, anonymous, RC4, 3DES, export, CBC or static
 * RSA suites (doc §4: the build's own default offers all of those). TLS 1.3
 * suites come first because 5.5.4 picks a TLS 1.2 suite for a TLS 1.3
 * handshake otherwise (doc §4).
 */
static const char *const default_suites[] = {
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
};
#define N_DEFAULT_SUITES (sizeof default_suites / sizeof default_suites[0])

/*
 * Key exchange groups, cheapest first: on this build X25519 is 2.2x cheaper
 * than P-256 and does not fill the multi-megabyte per-thread FP_ECC cache
 * (doc §6). P-256 and P-384 follow for peers without X25519.
 */
static int default_groups[] = {WOLFSSL_ECC_X25519, WOLFSSL_ECC_SECP256R1,
                               WOLFSSL_ECC_SECP384R1};

/* Every suite the build offers, filled once by global_init (the one piece of
 * global state, written before any context exists and read-only after). */
#define MAX_SUITES 96
static char suite_names_buf[4096];
static const char *suite_names[MAX_SUITES];
static size_t n_suites;

static int is_tls13_suite(const char *iana) {
  /* TLS 1.3 suite names carry no key exchange: TLS_AES_..., TLS_CHACHA20... */
  return strstr(iana, "_WITH_") == NULL;
}

static const char *find_suite(const char *name) {
  for (size_t i = 0; i < n_suites; i++) {
    if (strcmp(suite_names[i], name) == 0) return suite_names[i];
  }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* State                                                                     */

#define MAX_CTX_SUITES 64

typedef struct wctx {
  WOLFSSL_CTX *ctx;
  const tlsw_config *cfg; /* the core context's settings; outlives us */
  const char *suites[MAX_CTX_SUITES];
  size_t n_suites;
  int min_v, max_v; /* TLSW_VERSION_* */
} wctx;

typedef struct wsess {
  WOLFSSL *ssl;
  const tlsw_config *cfg;
  const tlsw_io *io;
  tlsw_err *err;
  unsigned last_want; /* direction of the last blocked callback */
  int io_status;      /* transport failure seen by a callback, or 0 */
  int io_errno;
  unsigned char io_eof;
  unsigned char hvr_sent; /* DTLS: our HelloVerifyRequest went out */
  /* TLS shutdown (see wb_shutdown): what wolfSSL sent that the transport
   * has not taken yet. */
  unsigned char stash_on;   /* io_send stashes instead of blocking */
  unsigned char close_done; /* wolfSSL_shutdown() has run */
  uint8_t *stash;
  size_t stash_len, stash_off;
  /* Verification (see "Verification" below); settings are copied at wrap
   * time so later context changes do not reach this session. */
  tlsw_verify_rec *vrec; /* the core's record of the outcome */
  tlsw_verify_mode verify_mode;
  tlsw_verify_fn verify_cb;
  void *verify_user;
  tlsw_time_fn time_cb;
  void *time_user;
  int64_t fixed_time;
  unsigned char has_time;     /* time_cb or fixed_time replaces the clock */
  unsigned char verify_abort; /* our callback failed the handshake */
  unsigned char leaf_checked; /* the callback saw the depth-0 certificate */
  unsigned char cn_fallback;  /* tlsw_ctx_set_hostname_cn_fallback() */
  unsigned min_rsa_bits;      /* peer RSA keys below this are weak */
  int nonca_depth;            /* a sent non-CA certificate at depth > 0 */
  char nonca_name[128];       /* its subject, one-line form */
  char nonca_subject[96];     /* its subject, for messages */
  char host[256];             /* server_hostname to match, "" for none */
  /* DTLS (see the "DTLS" section below) */
  unsigned char ch_good;      /* server: a ClientHello's cookie checked */
  unsigned char rx_limit;     /* this call may read one datagram only */
  unsigned char timed_out;    /* a transport timeout made us retransmit */
  unsigned char have_prev;    /* cookie_prev holds the previous secret */
  unsigned char ch_seq_known; /* ch_seq: message_seq of the ClientHello */
  unsigned ch_seq;
  unsigned rx_count, tx_count; /* datagrams in/out during this call */
  unsigned long tx_total;      /* datagrams sent by this session */
  unsigned retransmits;
  size_t rx_too_big;           /* size of a datagram we had to refuse */
  uint8_t cookie_prev[32];
  /* PSK, copied from the config at wrap time (see "PSK" below). */
  char psk_identity[129];
  uint8_t psk_key[64];
  size_t psk_key_len;
  tlsw_psk_fn psk_cb;
  void *psk_user;
} wsess;

/* ------------------------------------------------------------------------ */
/* Library                                                                   */

static int wb_global_init(void) {
  if (wolfSSL_Init() != WOLFSSL_SUCCESS) return TLSW_ERR_INTERNAL;
  if (wolfSSL_get_ciphers_iana(suite_names_buf, (int)sizeof suite_names_buf) !=
      WOLFSSL_SUCCESS) {
    return TLSW_ERR_INTERNAL;
  }
  for (char *p = suite_names_buf; *p != '\0' && n_suites < MAX_SUITES;) {
    char *end = strchr(p, ':');
    if (end != NULL) *end = '\0';
    if (strstr(p, "_SCSV") == NULL) suite_names[n_suites++] = p;
    if (end == NULL) break;
    p = end + 1;
  }
  return TLSW_OK;
}

static const char *wb_version(void) {
  return "tlswrap " TLSW_VERSION_STRING " (wolfSSL " LIBWOLFSSL_VERSION_STRING
         ")";
}

static void wb_thread_cleanup(void) {
  /* Frees the calling thread's FP_ECC cache (doc §6, §8). */
  wc_ecc_fp_free();
}

static int wb_available_ciphers(const char **names, size_t max,
                                size_t *out_n) {
  for (size_t i = 0; i < n_suites && i < max; i++) names[i] = suite_names[i];
  *out_n = n_suites;
  return TLSW_OK;
}

static int wb_random(uint8_t *buf, size_t len) {
  if (len > INT_MAX) return TLSW_ERR_ARG;
  return wolfSSL_RAND_bytes(buf, (int)len) == WOLFSSL_SUCCESS
             ? TLSW_OK
             : TLSW_ERR_INTERNAL;
}

/* ------------------------------------------------------------------------ */
/* Error decoding                                                            */

static const char *alert_name(int code) {
  switch (code) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 22: return "record_overflow";
    case 40: return "handshake_failure";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 112: return "unrecognized_name";
    case 113: return "bad_certificate_status_response";
    case 115: return "unknown_psk_identity";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
  }
  return "unknown_alert";
}

/* Map a certificate error, as the verify callback or the handshake reports
 * it (X509_V_ERR numbers or native negative codes, doc §3), to a reason. */
static tlsw_cert_reason cert_reason(int err) {
  switch (err) {
    case 9:  /* X509_V_ERR_CERT_NOT_YET_VALID */
    case 13: /* ERROR_IN_CERT_NOT_BEFORE_FIELD, used by 5.5.4 for dates */
    case ASN_BEFORE_DATE_E:
      return TLSW_REASON_NOT_YET_VALID;
    case 10: /* X509_V_ERR_CERT_HAS_EXPIRED */
    case 14: /* ERROR_IN_CERT_NOT_AFTER_FIELD, used by 5.5.4 for expiry */
    case ASN_AFTER_DATE_E:
      return TLSW_REASON_EXPIRED;
    case 18: /* DEPTH_ZERO_SELF_SIGNED_CERT */
    case 19: /* SELF_SIGNED_CERT_IN_CHAIN */
    case ASN_SELF_SIGNED_E:
      return TLSW_REASON_SELF_SIGNED;
    case 2:  /* UNABLE_TO_GET_ISSUER_CERT */
    case 20: /* UNABLE_TO_GET_ISSUER_CERT_LOCALLY */
    case 21: /* UNABLE_TO_VERIFY_LEAF_SIGNATURE */
    case ASN_NO_SIGNER_E:
      return TLSW_REASON_UNKNOWN_ISSUER;
    case 7: /* CERT_SIGNATURE_FAILURE */
    case ASN_SIG_CONFIRM_E:
      return TLSW_REASON_BAD_SIGNATURE;
    case 24: /* INVALID_CA */
      return TLSW_REASON_NOT_CA;
    case DOMAIN_NAME_MISMATCH:
    case IPADDR_MISMATCH:
    case 62: /* X509_V_ERR_HOSTNAME_MISMATCH */
    case 64: /* X509_V_ERR_IP_ADDRESS_MISMATCH */
      return TLSW_REASON_HOSTNAME;
    case RSA_KEY_SIZE_E:
    case ECC_KEY_SIZE_E:
      return TLSW_REASON_WEAK_KEY;
    case CRL_CERT_REVOKED:
    case 23: /* CERT_REVOKED */
      return TLSW_REASON_REVOKED;
    case NO_PEER_CERT:
      return TLSW_REASON_NO_PEER_CERT;
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

static int record_failure_ex(wsess *s, tlsw_cert_reason reason, int depth,
                             const char *subject, long code, const char *detail,
                             int force) {
  int st = reason_status(reason);
  if (s->vrec->status != TLSW_OK && !force) return s->vrec->status;
  s->vrec->status = st;
  s->vrec->reason = (int)reason;
  s->vrec->depth = depth;
  if (depth < 0) {
    tlsw_err_set(s->err, st, code, "certificate verify failed: %s%s",
                 tlsw_cert_reason_text(reason), detail);
  } else if (subject == NULL || subject[0] == '\0') {
    tlsw_err_set(s->err, st, code, "certificate verify failed: %s%s (depth %d)",
                 tlsw_cert_reason_text(reason), detail, depth);
  } else {
    tlsw_err_set(s->err, st, code,
                 "certificate verify failed: %s%s (depth %d, %s)",
                 tlsw_cert_reason_text(reason), detail, depth, subject);
  }
  return st;
}

/* "CN=a.example.test" when the subject has a CN, else the one-line form. */
static void subject_of(WOLFSSL_X509 *x, char *buf, int len) {
  buf[0] = '\0';
  if (x == NULL) return;
  WOLFSSL_X509_NAME *name = wolfSSL_X509_get_subject_name(x);
  if (name == NULL) return;
  char cn[128];
  if (wolfSSL_X509_NAME_get_text_by_NID(name, NID_commonName, cn,
                                        (int)sizeof cn) > 0) {
    /* Precision, not plain %s: gcc -O2 flags a possible cut otherwise
     * (-Wformat-truncation), and a cut name is fine in a message. */
    snprintf(buf, (size_t)len, "CN=%.*s", len > 4 ? len - 4 : 0, cn);
    return;
  }
  wolfSSL_X509_NAME_oneline(name, buf, len);
}

/*
 * Record a verification failure: the first one wins (it is the deepest, and
 * the one a person must fix first), except that the verify callback's
 * rejection always replaces what was there (force), since that is what
 * ends the handshake. The message reads "certificate verify failed: <reason
 * text><detail> (depth N, <subject>)"; depth -1 means no certificate.
 * Returns the failure's status.
 */
static int record_failure(wsess *s, tlsw_cert_reason reason, int depth,
                          const char *subject, long code,
                          const char *detail) {
  return record_failure_ex(s, reason, depth, subject, code, detail, 0);
}

/* Decode a failed handshake/read/write into a status and message. */
static int decode_failure(wsess *s, int ret) {
  int err = wolfSSL_get_error(s->ssl, ret);
  switch (err) {
    case WOLFSSL_ERROR_WANT_READ:
      s->last_want = TLSW_WANT_RD;
      return TLSW_WANT_READ;
    case WOLFSSL_ERROR_WANT_WRITE:
      s->last_want = TLSW_WANT_WR;
      return TLSW_WANT_WRITE;
    case WOLFSSL_ERROR_ZERO_RETURN:
      return tlsw_err_set(s->err, TLSW_CLOSED, 0,
                          "connection closed by peer (close_notify)");
    case 0:
      /* 5.5.4 bug (doc §1): a TLS 1.3 handshake re-entered with output it
       * still cannot send returns -1 with error 0. Our send callback saw the
       * block; report it. */
      if (s->last_want != 0) {
        return s->last_want == TLSW_WANT_RD ? TLSW_WANT_READ
                                            : TLSW_WANT_WRITE;
      }
      break;
    default:
      break;
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
        return tlsw_err_set(s->err, TLSW_ERR_TIMEOUT, err,
                            "transport timed out");
      case TLSW_ERR_RESET:
        return tlsw_err_set(s->err, TLSW_ERR_RESET, err,
                            "connection reset by peer");
      default:
        if (s->io_errno != 0) {
          return tlsw_err_set(s->err, TLSW_ERR_IO, err,
                              "transport I/O error: %s (errno %d)",
                              strerror(s->io_errno), s->io_errno);
        }
        return tlsw_err_set(s->err, TLSW_ERR_IO, err, "transport I/O error");
    }
  }
  if (s->io_eof) {
    return tlsw_err_set(s->err, TLSW_ERR_EOF, err,
                        "connection closed by peer without close_notify");
  }
  switch (err) {
    case FATAL_ERROR: {
      WOLFSSL_ALERT_HISTORY h;
      memset(&h, 0, sizeof h);
      wolfSSL_get_alert_history(s->ssl, &h);
      return tlsw_err_set(s->err, TLSW_ERR_ALERT, err,
                          "peer sent alert: %s (%d)",
                          alert_name(h.last_rx.code), h.last_rx.code);
    }
    case NO_PEER_CERT:
      /* Server CERT_REQUIRED: the client sent an empty Certificate. */
      s->vrec->checked = 1;
      return record_failure(s, TLSW_REASON_NO_PEER_CERT, -1, NULL, err,
                            " (this server requires a client certificate)");
    case MATCH_SUITE_ERROR:
    case UNSUPPORTED_SUITE:
      return tlsw_err_set(s->err, TLSW_ERR_NO_SHARED_CIPHER, err,
                          "handshake failed: no cipher suite in common with "
                          "the peer");
    case VERSION_ERROR:
      return tlsw_err_set(s->err, TLSW_ERR_VERSION, err,
                          "handshake failed: no protocol version in common "
                          "with the peer (tlswrap needs TLS 1.2 or newer)");
    case MEMORY_E:
    case MEMORY_ERROR:
      return tlsw_err_status(s->err, TLSW_ERR_NOMEM, err);
    case VERIFY_MAC_ERROR:
    case DECRYPT_ERROR:
    case PARSE_ERROR:
    case UNKNOWN_RECORD_TYPE:
    case LENGTH_ERROR:
    case BUFFER_ERROR:
      return tlsw_err_set(s->err, TLSW_ERR_BAD_RECORD, err,
                          "malformed or unauthentic record from the peer: %s",
                          wolfSSL_ERR_reason_error_string(
                              (unsigned long)err));
    case DTLS_SIZE_ERROR:
      return tlsw_err_set(s->err, TLSW_ERR_TOO_BIG, err,
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
      return record_failure(s, cert_reason(err), -1, NULL, err, "");
    default:
      break;
  }
  return tlsw_err_set(s->err, TLSW_ERR_HANDSHAKE, err,
                      "TLS failure: %s (wolfSSL error %d)",
                      wolfSSL_ERR_reason_error_string((unsigned long)err),
                      err);
}

/* ------------------------------------------------------------------------ */
/* I/O callbacks (doc §1)                                                    */

/* ------------------------------------------------------------------------ */
/* DTLS (doc §2)                                                             */

/* Volatile stores, so the compiler cannot drop the wipe of a dead buffer. */
static void wipe(void *p, size_t n) {
  volatile uint8_t *v = p;
  while (n--) *v++ = 0;
}

/* Cursor over a received datagram; every read is bounds-checked. */
typedef struct rd {
  const uint8_t *p;
  size_t left;
} rd;

static const uint8_t *rd_take(rd *r, size_t n) {
  if (r->left < n) return NULL;
  const uint8_t *at = r->p;
  r->p += n;
  r->left -= n;
  return at;
}

/* A vector with an n-byte big-endian length prefix; *len gets its length. */
static const uint8_t *rd_vec(rd *r, size_t n, size_t *len) {
  const uint8_t *h = rd_take(r, n);
  if (h == NULL) return NULL;
  *len = n == 1 ? h[0] : ((size_t)h[0] << 8) | h[1];
  return rd_take(r, *len);
}

/*
 * Secret rotation: wolfSSL checks a cookie against one secret only, the one
 * set on the object. When the context rotated its secret between our
 * HelloVerifyRequest and the client's second ClientHello, the cookie was
 * made with what is now the previous secret. We recompute wolfSSL's cookie,
 * HMAC-SHA256(secret, peer || client_version || random || session_id ||
 * cipher_suites || compression) (5.5.4 src/dtls.c CreateDtlsCookie; doc
 * §2 measured it byte for byte), with the previous secret, and if it
 * matches, hand that secret to wolfSSL before it looks at the datagram.
 * Anything unexpected just leaves the current secret: the worst case is
 * one more HelloVerifyRequest round trip, never a weaker check.
 */
static void pick_cookie_secret(wsess *s, const uint8_t *d, size_t n) {
  rd r = {d, n};
  const uint8_t *rec = rd_take(&r, 13);
  if (rec == NULL || rec[0] != 22 || rec[3] != 0 || rec[4] != 0) return;
  size_t rec_len = ((size_t)rec[11] << 8) | rec[12];
  if (rec_len > r.left) return;
  r.left = rec_len;
  const uint8_t *hs = rd_take(&r, 12);
  if (hs == NULL || hs[0] != 1) return; /* client_hello, unfragmented */
  if (hs[6] != 0 || hs[7] != 0 || hs[8] != 0 ||
      memcmp(hs + 1, hs + 9, 3) != 0) {
    return;
  }
  /* Zeroed for gcc -O2 -Wmaybe-uninitialized: it cannot see that rd_vec()
   * sets the length whenever it returns non-NULL. */
  size_t sid_len = 0, cookie_len = 0, cs_len = 0, comp_len = 0;
  const uint8_t *pv = rd_take(&r, 2);
  const uint8_t *random = rd_take(&r, 32);
  const uint8_t *sid = rd_vec(&r, 1, &sid_len);
  const uint8_t *cookie = rd_vec(&r, 1, &cookie_len);
  const uint8_t *cs = rd_vec(&r, 2, &cs_len);
  const uint8_t *comp = rd_vec(&r, 1, &comp_len);
  if (pv == NULL || random == NULL || sid == NULL || cookie == NULL ||
      cs == NULL || comp == NULL || cookie_len != WC_SHA256_DIGEST_SIZE) {
    return;
  }
  uint8_t peer[128];
  unsigned peer_len = sizeof peer;
  if (wolfSSL_dtls_get_peer(s->ssl, peer, &peer_len) != WOLFSSL_SUCCESS) {
    return;
  }
  Hmac h;
  uint8_t mac[WC_SHA256_DIGEST_SIZE];
  int ok = wc_HmacInit(&h, NULL, INVALID_DEVID) == 0;
  if (ok) {
    ok = wc_HmacSetKey(&h, WC_SHA256, s->cookie_prev,
                       sizeof s->cookie_prev) == 0 &&
         wc_HmacUpdate(&h, peer, peer_len) == 0 &&
         wc_HmacUpdate(&h, pv, 2) == 0 && wc_HmacUpdate(&h, random, 32) == 0 &&
         wc_HmacUpdate(&h, sid, (word32)sid_len) == 0 &&
         wc_HmacUpdate(&h, cs, (word32)cs_len) == 0 &&
         wc_HmacUpdate(&h, comp, (word32)comp_len) == 0 &&
         wc_HmacFinal(&h, mac) == 0;
    wc_HmacFree(&h);
  }
  if (ok) {
    uint8_t diff = 0; /* constant time: the cookie is attacker-chosen */
    for (size_t i = 0; i < sizeof mac; i++) diff |= mac[i] ^ cookie[i];
    if (diff == 0) {
      wolfSSL_DTLS_SetCookieSecret(s->ssl, s->cookie_prev,
                                   sizeof s->cookie_prev);
    }
  }
  wipe(mac, sizeof mac);
}

/* Fires only for a ClientHello whose cookie checked (doc §2). */
static int ch_good_cb(WOLFSSL *ssl, void *user) {
  (void)ssl;
  wsess *s = user;
  s->ch_good = 1;
  /* From here the handshake is an ordinary one: a blocking transport may
   * carry it to the end within this call. */
  s->rx_limit = 0;
  wipe(s->cookie_prev, sizeof s->cookie_prev);
  s->have_prev = 0;
  return 0;
}

/*
 * Receive one datagram. wolfSSL offers only WOLFSSL_MAX_MTU (1400) bytes
 * during a handshake (doc §2), less than io.h promises and less than a peer
 * with a 1500-byte MTU may send; a transport would silently cut such a
 * datagram. So small buffers are served from a full-size bounce buffer and
 * a datagram that does not fit is reported (rx_too_big), never truncated.
 */
static int dtls_transport_recv(wsess *s, uint8_t *buf, size_t sz,
                               size_t *n) {
  if (sz >= TLSW_DTLS_MAX_DATAGRAM) return s->io->recv(s->io->io, buf, sz, n);
  uint8_t tmp[TLSW_DTLS_MAX_DATAGRAM];
  int st = s->io->recv(s->io->io, tmp, sizeof tmp, n);
  if (st != TLSW_OK || *n == 0) return st;
  if (*n > sz) {
    s->rx_too_big = *n;
    *n = 0;
    return TLSW_WANT_READ;
  }
  memcpy(buf, tmp, *n);
  return TLSW_OK;
}

static int io_recv(WOLFSSL *ssl, char *buf, int sz, void *vctx) {
  (void)ssl;
  wsess *s = vctx;
  if (s->hvr_sent) {
    /* DTLS: stop right after our HelloVerifyRequest (doc §2). */
    return WOLFSSL_CBIO_ERR_WANT_READ;
  }
  if (sz <= 0) {
    /* wolfSSL probes the transport with sz 0 after a shutdown (doc §9);
     * never hand that to the caller's callback. */
    return WOLFSSL_CBIO_ERR_WANT_READ;
  }
  if (s->cfg->is_dtls && s->rx_limit && s->rx_count > 0) {
    /* One datagram per call: a fresh server session answers exactly one
     * (stateless), and a read returns after the datagram it consumed. */
    s->last_want = TLSW_WANT_RD;
    return WOLFSSL_CBIO_ERR_WANT_READ;
  }
  size_t n = 0;
  errno = 0;
  int st = s->cfg->is_dtls
               ? dtls_transport_recv(s, (uint8_t *)buf, (size_t)sz, &n)
               : s->io->recv(s->io->io, (uint8_t *)buf, (size_t)sz, &n);
  if (s->cfg->is_dtls && s->rx_too_big) s->rx_count++;
  if (s->cfg->is_dtls && st == TLSW_OK && n > 0 && n <= (size_t)sz) {
    s->rx_count++;
    s->timed_out = 0;
    if (s->cfg->is_server && !s->ch_good) {
      const uint8_t *d = (const uint8_t *)buf;
      if (n >= 25 && d[0] == 22 && d[13] == 1) {
        s->ch_seq = ((unsigned)d[17] << 8) | d[18];
        s->ch_seq_known = 1;
      }
      if (s->have_prev) pick_cookie_secret(s, d, n);
    }
  }
  switch (st) {
    case TLSW_OK:
      if (n == 0) {
        s->io_eof = 1;
        return WOLFSSL_CBIO_ERR_CONN_CLOSE;
      }
      if (n > (size_t)sz) {
        s->io_status = TLSW_ERR_IO;
        s->io_errno = 0;
        tlsw_err_set(s->err, TLSW_ERR_IO, 0,
                     "transport recv callback reported %zu bytes for a "
                     "%d-byte buffer",
                     n, sz);
        return WOLFSSL_CBIO_ERR_GENERAL;
      }
      s->last_want = 0;
      return (int)n;
    case TLSW_WANT_READ:
      s->last_want = TLSW_WANT_RD;
      return WOLFSSL_CBIO_ERR_WANT_READ;
    case TLSW_WANT_WRITE:
      s->last_want = TLSW_WANT_WR;
      return WOLFSSL_CBIO_ERR_WANT_READ;
    case TLSW_ERR_TIMEOUT:
      s->io_errno = errno;
      if (s->cfg->is_dtls && !wolfSSL_is_init_finished(s->ssl) &&
          s->tx_total > 0) {
        /* Blocking DTLS handshake: wolfSSL retransmits and reads again.
         * (Before we sent anything there is nothing to resend, and a
         * server waiting for a first ClientHello just times out.) */
        s->timed_out = 1;
        s->retransmits++;
        return WOLFSSL_CBIO_ERR_TIMEOUT;
      }
      s->io_status = TLSW_ERR_TIMEOUT;
      return WOLFSSL_CBIO_ERR_GENERAL;
    case TLSW_ERR_RESET:
      s->io_status = TLSW_ERR_RESET;
      s->io_errno = errno;
      return WOLFSSL_CBIO_ERR_CONN_RST;
    default:
      s->io_status = TLSW_ERR_IO;
      s->io_errno = errno;
      return WOLFSSL_CBIO_ERR_GENERAL;
  }
}

/* A DTLS handshake record whose message is HelloVerifyRequest (type 3):
 * 13-byte DTLS record header, then the handshake header (doc §2). */
static int is_hello_verify(const uint8_t *b, size_t len) {
  return len >= 14 && b[0] == 22 && b[3] == 0 && b[4] == 0 && b[13] == 3;
}

/* Stash tail: more than a record plus an alert never comes from one
 * wolfSSL_shutdown(); a bound keeps a confused backend from growing it. */
#define STASH_MAX (64u * 1024u)

/*
 * During wolfSSL_shutdown() only (TLS): hand the transport what it takes now
 * and keep the rest, so that wolfSSL sees its close_notify (and any record
 * still pending from a blocked write) as sent, marks it sent, and never
 * builds it again. wb_shutdown() then flushes the stash.
 */
static int stash_send(wsess *s, const uint8_t *buf, size_t sz) {
  size_t n = 0;
  if (s->stash_off == s->stash_len) {
    s->stash_off = s->stash_len = 0;
    errno = 0;
    int st = s->io->send(s->io->io, buf, sz, &n);
    switch (st) {
      case TLSW_OK:
        if (n >= sz) return (int)sz;
        break;
      case TLSW_WANT_WRITE:
      case TLSW_WANT_READ:
        n = 0;
        break;
      case TLSW_ERR_TIMEOUT:
      case TLSW_ERR_RESET:
        s->io_status = st;
        s->io_errno = errno;
        return st == TLSW_ERR_RESET ? WOLFSSL_CBIO_ERR_CONN_RST
                                    : WOLFSSL_CBIO_ERR_GENERAL;
      default:
        s->io_status = TLSW_ERR_IO;
        s->io_errno = errno;
        return WOLFSSL_CBIO_ERR_GENERAL;
    }
  }
  size_t rest = sz - n;
  if (rest > STASH_MAX - s->stash_len) {
    s->io_status = TLSW_ERR_INTERNAL;
    return WOLFSSL_CBIO_ERR_GENERAL;
  }
  uint8_t *nb = tlsw_realloc(s->stash, s->stash_len + rest);
  if (nb == NULL) {
    s->io_status = TLSW_ERR_NOMEM;
    return WOLFSSL_CBIO_ERR_GENERAL;
  }
  memcpy(nb + s->stash_len, buf + n, rest);
  s->stash = nb;
  s->stash_len += rest;
  return (int)sz;
}

static int io_send(WOLFSSL *ssl, char *buf, int sz, void *vctx) {
  (void)ssl;
  wsess *s = vctx;
  if (sz <= 0) return 0;
  if (s->stash_on) return stash_send(s, (const uint8_t *)buf, (size_t)sz);
  size_t n = 0;
  errno = 0;
  uint8_t hvr[256];
  if (s->cfg->is_dtls && s->cfg->is_server && s->ch_seq_known &&
      (size_t)sz <= sizeof hvr &&
      is_hello_verify((const uint8_t *)buf, (size_t)sz)) {
    /* A stateless server forgets the exchange, so wolfSSL numbers every
     * HelloVerifyRequest message_seq 0. A client that already got one (its
     * cookie expired, or it reached another secret) takes a second seq-0
     * HVR for a retransmission and ignores it: the handshake would stall
     * until it times out. RFC 6347 4.2.2 (and OpenSSL's DTLSv1_listen)
     * answer with the ClientHello's message_seq instead; the HVR is not
     * part of the handshake transcript, so this is safe to patch. */
    memcpy(hvr, buf, (size_t)sz);
    hvr[17] = (uint8_t)(s->ch_seq >> 8);
    hvr[18] = (uint8_t)(s->ch_seq & 0xff);
    buf = (char *)hvr;
  }
  int st = s->io->send(s->io->io, (const uint8_t *)buf, (size_t)sz, &n);
  switch (st) {
    case TLSW_OK:
      if (n == 0) {
        s->last_want = TLSW_WANT_WR;
        return WOLFSSL_CBIO_ERR_WANT_WRITE;
      }
      if (n > (size_t)sz) n = (size_t)sz;
      s->last_want = 0;
      s->tx_count++;
      s->tx_total++;
      if (s->cfg->is_dtls && s->cfg->is_server &&
          is_hello_verify((const uint8_t *)buf, (size_t)sz)) {
        s->hvr_sent = 1;
      }
      return (int)n;
    case TLSW_WANT_WRITE:
      s->last_want = TLSW_WANT_WR;
      return WOLFSSL_CBIO_ERR_WANT_WRITE;
    case TLSW_WANT_READ:
      s->last_want = TLSW_WANT_RD;
      return WOLFSSL_CBIO_ERR_WANT_WRITE;
    case TLSW_ERR_TIMEOUT:
      s->io_status = TLSW_ERR_TIMEOUT;
      s->io_errno = errno;
      return WOLFSSL_CBIO_ERR_GENERAL;
    case TLSW_ERR_RESET:
      s->io_status = TLSW_ERR_RESET;
      s->io_errno = errno;
      return WOLFSSL_CBIO_ERR_CONN_RST;
    default:
      s->io_status = TLSW_ERR_IO;
      s->io_errno = errno;
      return WOLFSSL_CBIO_ERR_GENERAL;
  }
}

/* ------------------------------------------------------------------------ */
/* Verification (doc §3)                                                     */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil): timegm() is not C99, and mktime() would apply the
 * local time zone. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int asn1_time_to_unix(const WOLFSSL_ASN1_TIME *t, int64_t *out) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  if (t == NULL || wolfSSL_ASN1_TIME_to_tm(t, &tm) != WOLFSSL_SUCCESS) {
    return 0;
  }
  *out =
      days_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) *
          86400 +
      (int64_t)tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
  return 1;
}

/* Dates against the supplied time (tlsw_ctx_set_time*): wolfSSL 5.5.4
 * checks them against time() only, with no run-time hook (X509_VERIFY_PARAM
 * check_time is ignored during the handshake: measured), so we do it. */
static tlsw_cert_reason check_dates(wsess *s, WOLFSSL_X509 *cert) {
  int64_t now = s->time_cb ? s->time_cb(s->time_user) : s->fixed_time;
  if (now < 0) return TLSW_REASON_NO_TIME;
  int64_t nb, na;
  if (!asn1_time_to_unix(wolfSSL_X509_get_notBefore(cert), &nb) ||
      !asn1_time_to_unix(wolfSSL_X509_get_notAfter(cert), &na)) {
    return TLSW_REASON_OTHER;
  }
  if (now < nb) return TLSW_REASON_NOT_YET_VALID;
  if (now > na) return TLSW_REASON_EXPIRED;
  return TLSW_REASON_NONE;
}

/* Key size floor for every certificate of the peer's chain. wolfSSL's own
 * floor is 1024 bits for RSA; we ask 2048 (like OpenSSL's default security
 * level 2 on Debian) unless tlsw_ctx_set_min_rsa_bits() said otherwise. We
 * check it here rather than with wolfSSL_SetMinRsaKey_Sz() on the session,
 * because that would also refuse a server's own smaller key. */
static tlsw_cert_reason check_key(wsess *s, WOLFSSL_X509 *cert, char *detail,
                                  size_t len) {
  WOLFSSL_EVP_PKEY *pk = wolfSSL_X509_get_pubkey(cert);
  if (pk == NULL) return TLSW_REASON_NONE; /* e.g. Ed25519 on some builds */
  int type = wolfSSL_EVP_PKEY_base_id(pk);
  int bits = wolfSSL_EVP_PKEY_bits(pk);
  wolfSSL_EVP_PKEY_free(pk);
  unsigned min = 0;
  const char *name = NULL;
  if (type == EVP_PKEY_RSA) {
    min = s->min_rsa_bits ? s->min_rsa_bits : 2048;
    name = "RSA";
  } else if (type == EVP_PKEY_EC) {
    min = 224; /* NIST SP 800-57: 112-bit security */
    name = "EC";
  }
  if (name == NULL || bits <= 0 || (unsigned)bits >= min) {
    return TLSW_REASON_NONE;
  }
  snprintf(detail, len, ": %s %d bits, at least %u required", name, bits, min);
  return TLSW_REASON_WEAK_KEY;
}

/* Strict dotted-quad IPv4 or RFC 4291 IPv6 text (no zone, optional
 * trailing dotted quad). Returns 4 or 16 with the address in out, 0 when
 * text is not an IP literal. Our own parser: inet_pton is POSIX, and the
 * backend must build where only C99 is. */
static size_t parse_ipv4(const char *t, size_t n, uint8_t *out) {
  size_t i = 0;
  for (int part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= n || t[i] != '.') return 0;
      i++;
    }
    unsigned v = 0;
    size_t digits = 0;
    while (i < n && t[i] >= '0' && t[i] <= '9' && digits < 4) {
      v = v * 10 + (unsigned)(t[i] - '0');
      i++;
      digits++;
    }
    if (digits == 0 || digits > 3 || v > 255) return 0;
    out[part] = (uint8_t)v;
  }
  return i == n ? 4 : 0;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static size_t parse_ipv6(const char *t, size_t n, uint8_t *out) {
  uint8_t w[16];
  int nw = 0, gap = -1; /* bytes written; position of "::" */
  size_t i = 0;
  if (n >= 2 && t[0] == ':' && t[1] == ':') {
    gap = 0;
    i = 2;
  } else if (n >= 1 && t[0] == ':') {
    return 0;
  }
  while (i < n) {
    /* A trailing dotted quad fills the last 32 bits. */
    size_t j = i;
    while (j < n && t[j] != ':' && t[j] != '.') j++;
    if (j < n && t[j] == '.') {
      if (nw > 12 || parse_ipv4(t + i, n - i, w + nw) != 4) return 0;
      nw += 4;
      i = n;
      break;
    }
    unsigned v = 0;
    size_t digits = 0;
    while (i < n && hexval(t[i]) >= 0) {
      v = v * 16 + (unsigned)hexval(t[i]);
      i++;
      if (++digits > 4) return 0;
    }
    if (digits == 0 || nw > 14) return 0;
    w[nw++] = (uint8_t)(v >> 8);
    w[nw++] = (uint8_t)v;
    if (i == n) break;
    if (t[i] != ':') return 0;
    i++;
    if (i < n && t[i] == ':') {
      if (gap >= 0) return 0;
      gap = nw;
      i++;
    } else if (i == n) {
      return 0; /* a single trailing ':' */
    }
  }
  if (gap < 0) {
    if (nw != 16) return 0;
    memcpy(out, w, 16);
    return 16;
  }
  if (nw > 14) return 0; /* "::" stands for at least one group */
  memset(out, 0, 16);
  memcpy(out, w, (size_t)gap);
  memcpy(out + 16 - (nw - gap), w + gap, (size_t)(nw - gap));
  return 16;
}

static size_t parse_ip(const char *t, uint8_t *out) {
  size_t n = strlen(t);
  if (parse_ipv4(t, n, out) == 4) return 4;
  if (memchr(t, ':', n) != NULL) return parse_ipv6(t, n, out);
  return 0;
}

static int ascii_ieq(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
    if (x != y) return 0;
  }
  return 1;
}

/*
 * One SAN dNSName against the host name, RFC 6125 as browsers and CPython
 * (OpenSSL with X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS) apply it: ASCII
 * case-insensitive; a wildcard only as the whole left-most label, standing
 * for exactly one non-empty label, and only above a name of two or more
 * labels ("*.example.test" yes, "*.test" no); no partial wildcards
 * ("f*.example.test"). One trailing dot on either side is ignored.
 */
static int dns_match(const char *pat, size_t plen, const char *host) {
  size_t hlen = strlen(host);
  if (hlen > 0 && host[hlen - 1] == '.') hlen--;
  if (plen > 0 && pat[plen - 1] == '.') plen--;
  if (plen == 0 || hlen == 0 || memchr(pat, '\0', plen) != NULL) return 0;
  if (plen >= 2 && pat[0] == '*' && pat[1] == '.') {
    const char *rest = pat + 1; /* ".example.test" */
    size_t rlen = plen - 1;
    if (memchr(rest + 1, '.', rlen - 1) == NULL) return 0;
    if (memchr(rest, '*', rlen) != NULL) return 0;
    const char *dot = memchr(host, '.', hlen);
    if (dot == NULL || dot == host) return 0;
    size_t tail = hlen - (size_t)(dot - host);
    return tail == rlen && ascii_ieq(dot, rest, rlen);
  }
  if (memchr(pat, '*', plen) != NULL) return 0;
  return plen == hlen && ascii_ieq(pat, host, hlen);
}

/*
 * server_hostname against the leaf's subjectAltName. We match names
 * ourselves instead of wolfSSL_check_domain_name(): 5.5.4 lets a dNSName
 * "127.0.0.1" match the IP literal 127.0.0.1 (measured), and falls back to
 * the CN. Rules: an IP literal matches iPAddress entries only (byte
 * compare, IPv4 or IPv6); a name matches dNSName entries only (dns_match);
 * the subject CN is not used (RFC 6125 §6.4.4 allows it only without SANs;
 * browsers and Go dropped it), unless cn_fallback is on and the
 * certificate has no subjectAltName at all.
 */
static int host_matches(const char *host, WOLFSSL_X509 *cert, int cn_fallback) {
  uint8_t ip[16];
  size_t iplen = parse_ip(host, ip);
  WOLFSSL_STACK *sk =
      wolfSSL_X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
  if (sk == NULL) {
    /* tlsw_ctx_set_hostname_cn_fallback(): RFC 6125 §6.4.4 lets the CN
     * stand in only when there is no subjectAltName at all, and only for
     * DNS names. */
    char cn[256];
    WOLFSSL_X509_NAME *name = wolfSSL_X509_get_subject_name(cert);
    int cnlen = name == NULL ? 0
                             : wolfSSL_X509_NAME_get_text_by_NID(
                                   name, NID_commonName, cn, (int)sizeof cn);
    return cn_fallback && iplen == 0 && cnlen > 0 &&
           dns_match(cn, (size_t)cnlen, host);
  }
  int match = 0;
  int n = wolfSSL_sk_GENERAL_NAME_num(sk);
  for (int i = 0; i < n && !match; i++) {
    WOLFSSL_GENERAL_NAME *gn = wolfSSL_sk_GENERAL_NAME_value(sk, i);
    if (gn == NULL) continue;
    if (iplen != 0 && gn->type == ASN_IP_TYPE && gn->d.iPAddress != NULL) {
      match = gn->d.iPAddress->length == (int)iplen &&
              memcmp(gn->d.iPAddress->data, ip, iplen) == 0;
    } else if (iplen == 0 && gn->type == ASN_DNS_TYPE &&
               gn->d.dNSName != NULL && gn->d.dNSName->length > 0) {
      match =
          dns_match(gn->d.dNSName->data, (size_t)gn->d.dNSName->length, host);
    }
  }
  wolfSSL_sk_GENERAL_NAME_pop_free(sk, wolfSSL_GENERAL_NAME_free);
  return match;
}

/*
 * Called by wolfSSL for every certificate the peer sent, deepest first,
 * after its own check of that certificate (WOLFSSL_ALWAYS_VERIFY_CB: also
 * on success). We add what wolfSSL does not do (or does differently):
 * dates against a supplied time, the key size floor, the host name, and a
 * precise reason for a chain through a non-CA certificate. The first
 * failure is recorded (tlsw_verify_rec + session message); the user's
 * callback then sees our verdict as preverify_ok.
 */
static int verify_cb(int preverify, WOLFSSL_X509_STORE_CTX *st) {
  WOLFSSL *ssl = wolfSSL_X509_STORE_CTX_get_ex_data(
      st, wolfSSL_get_ex_data_X509_STORE_CTX_idx());
  if (ssl == NULL) return 0;
  wsess *s = wolfSSL_GetIOReadCtx(ssl);
  if (s == NULL || s->vrec == NULL) return 0;
  WOLFSSL_X509 *cert = wolfSSL_X509_STORE_CTX_get_current_cert(st);
  int der_len = 0;
  const unsigned char *der = cert ? wolfSSL_X509_get_der(cert, &der_len) : NULL;
  /* No certificate to look at: a client that sent none to an OPTIONAL
   * server still gets a callback, with an empty X509 and preverify 1
   * (measured). wolfSSL's verdict stands; nothing was verified. */
  if (der == NULL || der_len <= 0) return preverify;
  int depth = wolfSSL_X509_STORE_CTX_get_error_depth(st);
  int err = preverify ? 0 : wolfSSL_X509_STORE_CTX_get_error(st);
  tlsw_cert_reason r = preverify ? TLSW_REASON_NONE : cert_reason(err);
  char subject[96], detail[64];
  detail[0] = '\0';
  subject_of(cert, subject, (int)sizeof subject);
  const char *fail_subject = subject;
  int fail_depth = depth;
  s->vrec->checked = 1;
  if (depth == 0) s->leaf_checked = 1;

  if (s->has_time) {
    /* wolfSSL judged the dates by the system clock; ours replace that.
     * It reports a date error only for a certificate that is otherwise
     * good (signature and issuer errors take precedence: measured), so
     * nothing else is lost by dropping it. */
    int clock_date_error =
        r == TLSW_REASON_EXPIRED || r == TLSW_REASON_NOT_YET_VALID;
    if (clock_date_error) r = TLSW_REASON_NONE;
    if (r == TLSW_REASON_NONE) r = check_dates(s, cert);
    if (r == TLSW_REASON_NONE && clock_date_error && depth > 0 &&
        wolfSSL_X509_get_isCA(cert)) {
      /* wolfSSL does not take a certificate with a date error as an
       * issuer, whatever the callback says (measured: the child then has
       * an "unknown issuer"). This one verified in every other respect and
       * is valid at the supplied time, so add it as wolfSSL adds any
       * verified intermediate (it keeps them in the context's store). */
      wolfSSL_CTX_load_verify_buffer_ex(wolfSSL_get_SSL_CTX(ssl), der,
                                        (long)der_len, WOLFSSL_FILETYPE_ASN1, 0,
                                        WOLFSSL_LOAD_FLAG_DATE_ERR_OKAY);
    }
  }
  if (r == TLSW_REASON_NONE) r = check_key(s, cert, detail, sizeof detail);
  if (r == TLSW_REASON_UNKNOWN_ISSUER && s->nonca_depth >= 0) {
    /* wolfSSL does not take a non-CA certificate as an issuer and so calls
     * the child's issuer unknown; name the real culprit, as OpenSSL does
     * ("invalid CA certificate"). */
    char issuer[128];
    issuer[0] = '\0';
    WOLFSSL_X509_NAME *in = wolfSSL_X509_get_issuer_name(cert);
    if (in != NULL) wolfSSL_X509_NAME_oneline(in, issuer, (int)sizeof issuer);
    if (issuer[0] != '\0' && strcmp(issuer, s->nonca_name) == 0) {
      r = TLSW_REASON_NOT_CA;
      fail_depth = s->nonca_depth;
      fail_subject = s->nonca_subject;
    }
  }
  if (r == TLSW_REASON_NONE && depth > 0 && !wolfSSL_X509_get_isCA(cert)) {
    WOLFSSL_X509_NAME *sn = wolfSSL_X509_get_subject_name(cert);
    s->nonca_name[0] = '\0';
    if (sn != NULL) {
      wolfSSL_X509_NAME_oneline(sn, s->nonca_name, (int)sizeof s->nonca_name);
    }
    snprintf(s->nonca_subject, sizeof s->nonca_subject, "%s", subject);
    s->nonca_depth = depth;
  }
  if (r == TLSW_REASON_NONE && depth == 0 && s->host[0] != '\0' &&
      !host_matches(s->host, cert, s->cn_fallback)) {
    r = TLSW_REASON_HOSTNAME;
    snprintf(detail, sizeof detail, " for '%.40s'", s->host);
  }
  int ok = r == TLSW_REASON_NONE;
  if (!ok) {
    if (r == TLSW_REASON_OTHER && err != 0) {
      snprintf(detail, sizeof detail, " (wolfSSL error %d)", err);
    }
    record_failure(s, r, fail_depth, fail_subject, err, detail);
  }

  if (s->verify_cb != NULL) {
    if (s->verify_cb(s->verify_user, der, (size_t)der_len, depth, ok) != 0) {
      record_failure_ex(s, TLSW_REASON_REJECTED, depth, subject, 0, "", 1);
      s->verify_abort = 1;
      return 0;
    }
  }
  if (ok) return 1;
  /* Client CERT_OPTIONAL: record the failure, finish the handshake; the
   * caller reads it with tlsw_session_verify_result(). */
  if (!s->cfg->is_server && s->verify_mode == TLSW_CERT_OPTIONAL) return 1;
  s->verify_abort = 1;
  return 0;
}

/*
 * After a successful handshake: a verifying client must have seen the
 * server's certificate in verify_cb, or the host name was never matched.
 * That cannot happen with the certificate-only suites tlswrap enables; this
 * makes sure a future path (PSK, resumption, a wolfSSL change) fails closed
 * instead of skipping the check silently.
 */
static int verify_finish(wsess *s) {
  if (s->cfg->is_server || s->verify_mode == TLSW_CERT_NONE ||
      s->leaf_checked) {
    return TLSW_OK;
  }
  /* A PSK suite authenticates the server by the key: there is no
   * certificate to check (only reachable after tlsw_ctx_set_psk()). */
  const char *suite = wolfSSL_get_cipher_name(s->ssl);
  if (s->psk_key_len > 0 && suite != NULL && strstr(suite, "PSK") != NULL) {
    return TLSW_OK;
  }
  s->vrec->checked = 1;
  int st = record_failure(s, TLSW_REASON_OTHER, -1, NULL, 0,
                          ": the server's certificate was never checked");
  if (s->verify_mode == TLSW_CERT_OPTIONAL) return TLSW_OK;
  return st;
}

/* ------------------------------------------------------------------------ */
/* PSK: wolfSSL asks through these; the session is the I/O context.         */

static unsigned int psk_client_cb(WOLFSSL *ssl, const char *hint,
                                  char *identity, unsigned int id_max,
                                  unsigned char *key, unsigned int key_max) {
  (void)hint;
  wsess *s = wolfSSL_GetIOReadCtx(ssl);
  if (s == NULL || s->psk_key_len == 0) return 0;
  size_t id_len = strlen(s->psk_identity);
  if (id_len + 1 > id_max || s->psk_key_len > key_max) return 0;
  memcpy(identity, s->psk_identity, id_len + 1);
  memcpy(key, s->psk_key, s->psk_key_len);
  return (unsigned int)s->psk_key_len;
}

static unsigned int psk_server_cb(WOLFSSL *ssl, const char *identity,
                                  unsigned char *key, unsigned int key_max) {
  wsess *s = wolfSSL_GetIOReadCtx(ssl);
  if (s == NULL || s->psk_cb == NULL || identity == NULL) return 0;
  int n = s->psk_cb(s->psk_user, (const uint8_t *)identity, strlen(identity),
                    key, key_max);
  /* 0 makes wolfSSL fail the handshake (unknown identity). */
  return n > 0 && (unsigned)n <= key_max ? (unsigned)n : 0;
}

/* wolfSSL considers PSK suites only once a PSK callback is installed on the
 * context, so this runs before the suite list is applied. */
static void apply_psk(wctx *w, const tlsw_config *cfg) {
  if (cfg->psk_key_len > 0 || cfg->psk_cb != NULL) {
    /* 5.5.4's ECDHE-PSK client rejects an X25519 ServerKeyExchange
     * (measured: -352 "Bad ECC Peer Key"); NIST curves work. */
    static int psk_groups[] = {WOLFSSL_ECC_SECP256R1, WOLFSSL_ECC_SECP384R1};
    if (cfg->is_dtls) {
      wolfSSL_CTX_UseSupportedCurve(w->ctx, WOLFSSL_ECC_SECP256R1);
    } else {
      wolfSSL_CTX_set_groups(w->ctx, psk_groups, 2);
    }
  }
  if (cfg->psk_key_len > 0) {
    wolfSSL_CTX_set_psk_client_callback(w->ctx, psk_client_cb);
  }
  if (cfg->psk_cb != NULL) {
    wolfSSL_CTX_set_psk_server_callback(w->ctx, psk_server_cb);
  }
}

static int apply_verify(wctx *w, const tlsw_config *cfg) {
  int mode;
  switch (cfg->verify_mode) {
    case TLSW_CERT_NONE:
      mode = WOLFSSL_VERIFY_NONE;
      break;
    case TLSW_CERT_OPTIONAL:
      mode = WOLFSSL_VERIFY_PEER;
      break;
    default:
      mode = WOLFSSL_VERIFY_PEER;
      if (cfg->is_server) mode |= WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
      break;
  }
  /* Always explicit: Debian's default is VERIFY_NONE (doc §3). */
  wolfSSL_CTX_set_verify(w->ctx, mode,
                         mode == WOLFSSL_VERIFY_NONE ? NULL : verify_cb);
  return TLSW_OK;
}

static int wb_ctx_set_verify(void *bctx, const tlsw_config *cfg,
                             tlsw_err *e) {
  (void)e;
  return apply_verify(bctx, cfg);
}

/* ------------------------------------------------------------------------ */
/* Contexts                                                                  */

static WOLFSSL_METHOD *method_for(const tlsw_config *cfg) {
  if (cfg->is_dtls) {
    return cfg->is_server ? wolfDTLSv1_2_server_method()
                          : wolfDTLSv1_2_client_method();
  }
  /* Flexible methods negotiate TLS 1.2 or 1.3; the floor is set below.
   * (wolfSSL_SetVersion on them breaks handshakes, doc §1.) */
  return cfg->is_server ? wolfSSLv23_server_method()
                        : wolfSSLv23_client_method();
}

static int apply_versions(wctx *w, const tlsw_config *cfg) {
  if (cfg->is_dtls) return TLSW_OK; /* DTLS 1.2 only on this build */
  int has13 = 0, has12 = 0;
  for (size_t i = 0; i < w->n_suites; i++) {
    if (is_tls13_suite(w->suites[i])) {
      has13 = 1;
    } else {
      has12 = 1;
    }
  }
  int lo = w->min_v, hi = w->max_v;
  /* 5.5.4 still advertises TLS 1.3 with a list of TLS 1.2 suites only, and
   * peers then fail with "no shared cipher" (doc §4); cap the version. */
  if (!has13 && hi > TLSW_VERSION_TLS1_2) hi = TLSW_VERSION_TLS1_2;
  if (!has12 && lo < TLSW_VERSION_TLS1_3) lo = TLSW_VERSION_TLS1_3;
  if (lo > hi) lo = hi; /* the suites decide; the handshake will tell */
  if (wolfSSL_CTX_SetMinVersion(w->ctx, lo == TLSW_VERSION_TLS1_3
                                            ? WOLFSSL_TLSV1_3
                                            : WOLFSSL_TLSV1_2) !=
          WOLFSSL_SUCCESS ||
      wolfSSL_CTX_set_max_proto_version(
          w->ctx, hi == TLSW_VERSION_TLS1_3 ? TLS1_3_VERSION
                                            : TLS1_2_VERSION) !=
          WOLFSSL_SUCCESS) {
    return TLSW_ERR_INTERNAL;
  }
  return TLSW_OK;
}

/* Install w->suites, TLS 1.3 first, as one wolfSSL list. */
static int apply_suites(wctx *w, tlsw_err *e) {
  char list[2048];
  size_t used = 0;
  list[0] = '\0';
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < w->n_suites; i++) {
      if (is_tls13_suite(w->suites[i]) != (pass == 0)) continue;
      size_t l = strlen(w->suites[i]);
      if (used + l + 2 > sizeof list) {
        return tlsw_err_set(e, TLSW_ERR_CIPHER, 0,
                            "set_ciphers: cipher list too long");
      }
      if (used > 0) list[used++] = ':';
      memcpy(list + used, w->suites[i], l + 1);
      used += l;
    }
  }
  if (wolfSSL_CTX_set_cipher_list(w->ctx, list) != WOLFSSL_SUCCESS) {
    return tlsw_err_set(e, TLSW_ERR_CIPHER, 0,
                        "set_ciphers: the backend accepted none of: %s",
                        list);
  }
  return TLSW_OK;
}

/* wolfSSL_CTX_set_groups() refuses a context that cannot do TLS 1.3
 * (measured: -173 BAD_FUNC_ARG on the DTLS 1.2 method), which made every
 * DTLS context fail; the supported_groups extension of DTLS 1.2 takes the
 * same list through UseSupportedCurve. */
static int apply_groups(wctx *w, const tlsw_config *cfg) {
  size_t n = sizeof default_groups / sizeof default_groups[0];
  if (!cfg->is_dtls) {
    return wolfSSL_CTX_set_groups(w->ctx, default_groups, (int)n) ==
                   WOLFSSL_SUCCESS
               ? TLSW_OK
               : TLSW_ERR_INTERNAL;
  }
  for (size_t i = 0; i < n; i++) {
    if (wolfSSL_CTX_UseSupportedCurve(w->ctx, (word16)default_groups[i]) !=
        WOLFSSL_SUCCESS) {
      return TLSW_ERR_INTERNAL;
    }
  }
  return TLSW_OK;
}

static int wb_ctx_init(void *bctx, const tlsw_config *cfg, tlsw_err *e) {
  wctx *w = bctx;
  w->cfg = cfg;
  w->ctx = wolfSSL_CTX_new(method_for(cfg));
  if (w->ctx == NULL) return tlsw_err_status(e, TLSW_ERR_NOMEM, 0);
  w->min_v = TLSW_VERSION_TLS1_2;
  w->max_v = TLSW_VERSION_TLS1_3;
  for (size_t i = 0; i < N_DEFAULT_SUITES; i++) {
    const char *name = find_suite(default_suites[i]);
    if (name != NULL) w->suites[w->n_suites++] = name;
  }
  /* Each call overrides one unsafe Debian default (doc §9). */
  wolfSSL_CTX_SetIORecv(w->ctx, io_recv);
  wolfSSL_CTX_SetIOSend(w->ctx, io_send);
  /* AUTO_RETRY busy-loops the recv callback 11 times per WANT_READ. */
  wolfSSL_CTX_clear_mode(w->ctx, SSL_MODE_AUTO_RETRY);
  /* A write returns after each complete record, like send(2). */
  wolfSSL_CTX_set_mode(w->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
  int st = apply_suites(w, e);
  if (st == TLSW_OK) st = apply_versions(w, cfg);
  if (st == TLSW_OK && apply_groups(w, cfg) != TLSW_OK) {
    st = tlsw_err_set(e, TLSW_ERR_INTERNAL, 0,
                      "cannot set key exchange groups");
  }
  if (st == TLSW_OK) st = apply_verify(w, cfg);
  if (st == TLSW_OK && cfg->is_server && !cfg->is_dtls) {
    /* tlswrap offers no resumption API: tickets would only cost bytes. */
    wolfSSL_CTX_no_ticket_TLSv13(w->ctx);
  }
  if (st != TLSW_OK) {
    if (e->msg[0] == '\0') tlsw_err_status(e, st, 0);
    wolfSSL_CTX_free(w->ctx);
    w->ctx = NULL;
  }
  return st;
}

static void wb_ctx_free(void *bctx) {
  wctx *w = bctx;
  if (w->ctx != NULL) wolfSSL_CTX_free(w->ctx);
  w->ctx = NULL;
}

static int is_pem(const uint8_t *d, size_t len) {
  size_t i = 0;
  while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' ||
                     d[i] == '\n')) {
    i++;
  }
  return len - i >= 10 && memcmp(d + i, "-----BEGIN", 10) == 0;
}

static int contains(const uint8_t *d, size_t len, const char *needle) {
  size_t nl = strlen(needle);
  for (size_t i = 0; i + nl <= len; i++) {
    if (memcmp(d + i, needle, nl) == 0) return 1;
  }
  return 0;
}

typedef struct pw_bridge {
  const char *password;
  tlsw_password_fn cb;
  void *user;
  int asked;
  unsigned min_rsa_bits; /* tlsw_config's, for load_pair; 0: default */
} pw_bridge;

static int pw_cb(char *buf, int size, int rwflag, void *ud) {
  (void)rwflag;
  pw_bridge *b = ud;
  if (b == NULL || size <= 0) return 0;
  b->asked = 1;
  if (b->password != NULL) {
    size_t l = strlen(b->password);
    if (l > (size_t)size) return 0;
    memcpy(buf, b->password, l);
    return (int)l;
  }
  if (b->cb != NULL) {
    int l = b->cb(b->user, buf, (size_t)size);
    if (l < 0 || l > size) return 0;
    return l;
  }
  return 0;
}

/* 1 if the context's private key makes signatures that its certificate's
 * public key verifies. */
static int key_signs_for_cert(WOLFSSL_CTX *ctx) {
  WOLFSSL_EVP_PKEY *priv = wolfSSL_CTX_get0_privatekey(ctx);
  WOLFSSL_X509 *x = wolfSSL_CTX_get0_certificate(ctx);
  if (priv == NULL || x == NULL) return 0;
  WOLFSSL_EVP_PKEY *pub = wolfSSL_X509_get_pubkey(x);
  if (pub == NULL) return 0;
  static const unsigned char msg[] = "tlswrap key/certificate check";
  unsigned char sig[1024]; /* RSA-8192 at most */
  size_t sig_len = sizeof sig;
  int ok = 0;
  WOLFSSL_EVP_MD_CTX *md = wolfSSL_EVP_MD_CTX_new();
  if (md != NULL &&
      wolfSSL_EVP_DigestSignInit(md, NULL, wolfSSL_EVP_sha256(), NULL,
                                 priv) == WOLFSSL_SUCCESS &&
      wolfSSL_EVP_DigestSignUpdate(md, msg, sizeof msg) == WOLFSSL_SUCCESS &&
      wolfSSL_EVP_DigestSignFinal(md, sig, &sig_len) == WOLFSSL_SUCCESS) {
    wolfSSL_EVP_MD_CTX_free(md);
    md = wolfSSL_EVP_MD_CTX_new();
    ok = md != NULL &&
         wolfSSL_EVP_DigestVerifyInit(md, NULL, wolfSSL_EVP_sha256(), NULL,
                                      pub) == WOLFSSL_SUCCESS &&
         wolfSSL_EVP_DigestVerifyUpdate(md, msg, sizeof msg) ==
             WOLFSSL_SUCCESS &&
         wolfSSL_EVP_DigestVerifyFinal(md, sig, sig_len) == WOLFSSL_SUCCESS;
  }
  if (md != NULL) wolfSSL_EVP_MD_CTX_free(md);
  wolfSSL_EVP_PKEY_free(pub);
  return ok;
}

/* Load cert chain + key into ctx; fill e on failure. */
static int load_pair(WOLFSSL_CTX *ctx, const uint8_t *cert, size_t cert_len,
                     const uint8_t *key, size_t key_len, pw_bridge *pw,
                     int prove, tlsw_err *e) {
  if (cert_len > INT_MAX || key_len > INT_MAX) {
    return tlsw_err_set(e, TLSW_ERR_ARG, 0, "certificate or key too large");
  }
  wolfSSL_CTX_set_default_passwd_cb(ctx, pw_cb);
  wolfSSL_CTX_set_default_passwd_cb_userdata(ctx, pw);
  if (pw->min_rsa_bits != 0) {
    /* Checked while the key and certificate are parsed below. */
    wolfSSL_CTX_SetMinRsaKey_Sz(ctx, (short)pw->min_rsa_bits);
  }
  int kfmt = is_pem(key, key_len) ? WOLFSSL_FILETYPE_PEM
                                   : WOLFSSL_FILETYPE_ASN1;
  /* The key first, as MicroPython does, so a bad key is named as such. */
  int r = wolfSSL_CTX_use_PrivateKey_buffer(ctx, key, (long)key_len, kfmt);
  if (r != WOLFSSL_SUCCESS) {
    int encrypted = contains(key, key_len, "ENCRYPTED");
    if (r == NO_PASSWORD ||
        (encrypted && pw->password == NULL && pw->cb == NULL)) {
      return tlsw_err_set(e, TLSW_ERR_KEY_PASSWORD, r,
                          "invalid key: the private key is encrypted and no "
                          "password was given");
    }
    if (r == RSA_KEY_SIZE_E || r == ECC_KEY_SIZE_E) {
      return tlsw_err_set(e, TLSW_ERR_CERT_WEAK_KEY, r,
                          "invalid key: key too small for the backend's "
                          "minimum size");
    }
    if (pw->asked || encrypted) {
      return tlsw_err_set(e, TLSW_ERR_KEY_PASSWORD, r,
                          "invalid key: cannot decrypt the private key "
                          "(wrong password?)");
    }
    return tlsw_err_set(e, TLSW_ERR_KEY_INVALID, r,
                        "invalid key: cannot parse the private key as %s "
                        "(wolfSSL error %d)",
                        kfmt == WOLFSSL_FILETYPE_PEM ? "PEM" : "DER", r);
  }
  int cfmt = is_pem(cert, cert_len) ? WOLFSSL_FILETYPE_PEM
                                     : WOLFSSL_FILETYPE_ASN1;
  r = wolfSSL_CTX_use_certificate_chain_buffer_format(ctx, cert,
                                                      (long)cert_len, cfmt);
  if (r != WOLFSSL_SUCCESS) {
    if (r == RSA_KEY_SIZE_E || r == ECC_KEY_SIZE_E) {
      return tlsw_err_set(e, TLSW_ERR_CERT_WEAK_KEY, r,
                          "invalid cert: its key is too small for the "
                          "backend's minimum size");
    }
    return tlsw_err_set(e, TLSW_ERR_CERT_INVALID, r,
                        "invalid cert: cannot parse the certificate as %s "
                        "(wolfSSL error %d)",
                        cfmt == WOLFSSL_FILETYPE_PEM ? "PEM" : "DER", r);
  }
  /* wolfSSL accepts a key that does not match the certificate (doc §5), and
   * 5.5.4's check_private_key only compares key types for ECC: another
   * P-256 key passes it. So also prove possession: sign with the key and
   * verify with the certificate's public key. */
  if (wolfSSL_CTX_check_private_key(ctx) != WOLFSSL_SUCCESS ||
      (prove && !key_signs_for_cert(ctx))) {
    return tlsw_err_set(e, TLSW_ERR_KEY_MISMATCH, 0,
                        "private key does not match the certificate");
  }
  return TLSW_OK;
}

static int wb_ctx_load_cert_chain(void *bctx, const tlsw_config *cfg,
                                  const uint8_t *cert, size_t cert_len,
                                  const uint8_t *key, size_t key_len,
                                  const char *password, tlsw_err *e) {
  wctx *w = bctx;
  pw_bridge pw = {password, cfg->password_cb, cfg->password_user, 0,
                  cfg->min_rsa_bits};
  /* Check on a scratch context first, so a failure leaves the chain that
   * is in use untouched. */
  WOLFSSL_CTX *scratch = wolfSSL_CTX_new(method_for(cfg));
  if (scratch == NULL) return tlsw_err_status(e, TLSW_ERR_NOMEM, 0);
  int st = load_pair(scratch, cert, cert_len, key, key_len, &pw, 1, e);
  wolfSSL_CTX_free(scratch);
  if (st != TLSW_OK) return st;
  pw.asked = 0;
  /* Possession was proven on the fresh scratch context. It cannot be
   * proven again here: wolfSSL_CTX_get0_privatekey() keeps returning the
   * EVP key it built for the first key ever loaded, so replacing an EC
   * chain with an RSA one failed as a mismatch (tests/test_context.c
   * failed_load_keeps_chain). */
  st = load_pair(w->ctx, cert, cert_len, key, key_len, &pw, 0, e);
  wolfSSL_CTX_set_default_passwd_cb_userdata(w->ctx, NULL);
  return st;
}

/* Offset of needle in d[from..len), or len when absent. */
static size_t find_from(const uint8_t *d, size_t len, size_t from,
                        const char *needle) {
  size_t nl = strlen(needle);
  for (size_t i = from; i + nl <= len; i++) {
    if (memcmp(d + i, needle, nl) == 0) return i;
  }
  return len;
}

/*
 * A PEM bundle, one block at a time. wolfSSL_CTX_load_verify_buffer(PEM)
 * returns success for a bundle whose later blocks are junk or cut short
 * (measured on 5.5.4: a good CA followed by a corrupt block returns 1), which
 * would break the all-or-nothing promise of context.h and hide a damaged
 * bundle. Text between blocks is ignored, as OpenSSL does.
 */
/*
 * A CA is loaded even when it is expired (or not yet valid) by the system
 * clock: a trust anchor's dates are not part of path validation (RFC 5280
 * §6.1), the clock of a small device may be unset, and a peer certificate
 * that is itself expired still fails verification, naming the real cause
 * ("certificate has expired") at handshake time instead of a vague
 * "invalid cert" at load time. (mbedTLS, hence MicroPython, does the same.)
 */
#define CA_LOAD_FLAGS \
  (WOLFSSL_LOAD_VERIFY_DEFAULT_FLAGS | WOLFSSL_LOAD_FLAG_DATE_ERR_OKAY)

static int load_ca_pem(WOLFSSL_CTX *ctx, const uint8_t *d, size_t len,
                       tlsw_err *e) {
  int count = 0;
  size_t at = 0;
  for (;;) {
    size_t begin = find_from(d, len, at, "-----BEGIN ");
    if (begin == len) break;
    size_t end = find_from(d, len, begin, "-----END ");
    size_t stop = end == len ? len : find_from(d, len, end + 9, "-----");
    if (stop == len) {
      return tlsw_err_set(e, TLSW_ERR_CERT_INVALID, 0,
                          "invalid cert: PEM block %d of the CA data has no "
                          "END line (truncated?)",
                          count + 1);
    }
    stop += 5;
    int r = wolfSSL_CTX_load_verify_buffer_ex(
        ctx, d + begin, (long)(stop - begin), WOLFSSL_FILETYPE_PEM, 0,
        CA_LOAD_FLAGS);
    if (r != WOLFSSL_SUCCESS) {
      return tlsw_err_set(e, TLSW_ERR_CERT_INVALID, r,
                          "invalid cert: cannot parse PEM block %d of the CA "
                          "data as a certificate (wolfSSL error %d)",
                          count + 1, r);
    }
    count++;
    at = stop;
  }
  if (count == 0) {
    return tlsw_err_set(e, TLSW_ERR_CERT_INVALID, 0,
                        "invalid cert: no PEM certificate in the CA data");
  }
  return TLSW_OK;
}

static int load_ca(WOLFSSL_CTX *ctx, const uint8_t *data, size_t len,
                   tlsw_err *e) {
  if (len > LONG_MAX) return tlsw_err_status(e, TLSW_ERR_ARG, 0);
  int pem = is_pem(data, len);
  int r;
  if (pem) {
    return load_ca_pem(ctx, data, len, e);
  } else {
    /* load_verify_buffer(ASN1) loads only the first of concatenated DER
     * certificates (doc §5); the chain variant loads them all. */
    r = wolfSSL_CTX_load_verify_buffer_ex(ctx, data, (long)len,
                                          WOLFSSL_FILETYPE_ASN1, 1,
                                          CA_LOAD_FLAGS);
  }
  if (r != WOLFSSL_SUCCESS) {
    return tlsw_err_set(e, TLSW_ERR_CERT_INVALID, r,
                        "invalid cert: cannot parse the CA data as %s "
                        "(wolfSSL error %d)",
                        pem ? "PEM certificates" : "DER certificates", r);
  }
  return TLSW_OK;
}

static int wb_ctx_load_ca_mem(void *bctx, const uint8_t *data, size_t len,
                              tlsw_err *e) {
  wctx *w = bctx;
  /* All or nothing: a bundle with one bad certificate adds none. */
  WOLFSSL_CTX *scratch = wolfSSL_CTX_new(method_for(w->cfg));
  if (scratch == NULL) return tlsw_err_status(e, TLSW_ERR_NOMEM, 0);
  int st = load_ca(scratch, data, len, e);
  wolfSSL_CTX_free(scratch);
  if (st != TLSW_OK) return st;
  /* Debian's build (WOLFSSL_TRUST_PEER_CERT + OPENSSL_COMPATIBLE_DEFAULTS)
   * also adds each CA as a trusted peer certificate, parsing it again with
   * the context's verify setting, which ignores CA_LOAD_FLAGS: an expired
   * CA then fails with -151 once verification is on (measured). Load with
   * verification off, then put the mode back. */
  wolfSSL_CTX_set_verify(w->ctx, WOLFSSL_VERIFY_NONE, NULL);
  st = load_ca(w->ctx, data, len, e);
  int st2 = apply_verify(w, w->cfg);
  return st != TLSW_OK ? st : st2;
}

static int wb_ctx_load_ca_dir(void *bctx, const char *path, tlsw_err *e) {
  wctx *w = bctx;
  int r = wolfSSL_CTX_load_verify_locations_ex(
      w->ctx, NULL, path, WOLFSSL_LOAD_FLAG_IGNORE_ERR);
  if (r != WOLFSSL_SUCCESS) {
    return tlsw_err_set(e, TLSW_ERR_FILE, r,
                        "cannot load CA certificates from directory %s "
                        "(missing, unreadable or no certificates)",
                        path);
  }
  return TLSW_OK;
}

static int wb_ctx_load_ca_system(void *bctx, tlsw_err *e) {
  wctx *w = bctx;
  if (wolfSSL_CTX_load_system_CA_certs(w->ctx) != WOLFSSL_SUCCESS) {
    return tlsw_err_set(e, TLSW_ERR_FILE, 0,
                        "cannot load the system CA certificates "
                        "(/etc/ssl/certs: is ca-certificates installed?)");
  }
  return TLSW_OK;
}

static int wb_ctx_set_ciphers(void *bctx, const tlsw_config *cfg,
                              const char *const *names, size_t n,
                              tlsw_err *e) {
  wctx *w = bctx;
  if (n > MAX_CTX_SUITES) {
    return tlsw_err_set(e, TLSW_ERR_CIPHER, 0,
                        "set_ciphers: more than %d names", MAX_CTX_SUITES);
  }
  const char *found[MAX_CTX_SUITES];
  size_t nf = 0;
  for (size_t i = 0; i < n; i++) {
    const char *f = find_suite(names[i]);
    if (f == NULL) {
      return tlsw_err_set(e, TLSW_ERR_CIPHER, 0,
                          "set_ciphers: unknown cipher suite '%s' (use IANA "
                          "names such as TLS_AES_128_GCM_SHA256)",
                          names[i]);
    }
    if (cfg->is_dtls && is_tls13_suite(f)) {
      return tlsw_err_set(e, TLSW_ERR_CIPHER, 0,
                          "set_ciphers: '%s' is a TLS 1.3 suite; DTLS here "
                          "is DTLS 1.2 only",
                          names[i]);
    }
    int dup = 0;
    for (size_t j = 0; j < nf; j++) dup |= found[j] == f;
    if (!dup) found[nf++] = f;
  }
  wctx saved = *w;
  apply_psk(w, cfg);
  /* Stable partition: TLS 1.3 suites first (doc §4 ordering bug). */
  w->n_suites = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < nf; i++) {
      if (is_tls13_suite(found[i]) == (pass == 0)) {
        w->suites[w->n_suites++] = found[i];
      }
    }
  }
  int st = apply_suites(w, e);
  if (st == TLSW_OK) st = apply_versions(w, cfg);
  if (st != TLSW_OK) {
    *w = saved;
    apply_suites(w, e);
    apply_versions(w, cfg);
  }
  return st;
}

static int wb_ctx_get_ciphers(const void *bctx, const char **names,
                              size_t max, size_t *out_n) {
  const wctx *w = bctx;
  for (size_t i = 0; i < w->n_suites && i < max; i++) names[i] = w->suites[i];
  *out_n = w->n_suites;
  return TLSW_OK;
}

static int wb_ctx_set_versions(void *bctx, const tlsw_config *cfg, int min_v,
                               int max_v, tlsw_err *e) {
  wctx *w = bctx;
  if (cfg->is_dtls) {
    if (min_v == TLSW_VERSION_TLS1_3) {
      return tlsw_err_set(e, TLSW_ERR_UNSUPPORTED, 0,
                          "DTLS 1.3 is not available in this wolfSSL build");
    }
    return TLSW_OK;
  }
  int old_min = w->min_v, old_max = w->max_v;
  w->min_v = min_v;
  w->max_v = max_v;
  int st = apply_versions(w, cfg);
  if (st != TLSW_OK) {
    w->min_v = old_min;
    w->max_v = old_max;
    apply_versions(w, cfg);
    return tlsw_err_status(e, st, 0);
  }
  return TLSW_OK;
}

/* ------------------------------------------------------------------------ */
/* Sessions                                                                  */

/* What SNI must not carry: an IPv4/IPv6 literal, or anything made of
 * digits and dots only (no DNS name is; "127.1" is an address to many
 * resolvers). */
static int is_ip_literal(const char *host) {
  uint8_t ip[16];
  return parse_ip(host, ip) != 0 ||
         strspn(host, "0123456789.") == strlen(host) ||
         strchr(host, ':') != NULL;
}

static int wb_sess_init(void *bsess, void *bctx, const tlsw_config *cfg,
                        const tlsw_sess_params *p) {
  wsess *s = bsess;
  wctx *w = bctx;
  s->cfg = cfg;
  s->io = p->io;
  s->err = p->err;
  s->ssl = wolfSSL_new(w->ctx);
  if (s->ssl == NULL) return tlsw_err_status(p->err, TLSW_ERR_NOMEM, 0);
  wolfSSL_SetIOReadCtx(s->ssl, s);
  wolfSSL_SetIOWriteCtx(s->ssl, s);
  /* Verification settings as they are now (context.h: settings apply to
   * sessions wrapped afterwards). */
  s->vrec = p->verify;
  s->vrec->depth = -1;
  s->verify_mode = cfg->verify_mode;
  s->verify_cb = cfg->verify_cb;
  s->verify_user = cfg->verify_user;
  s->time_cb = cfg->time_cb;
  s->time_user = cfg->time_user;
  s->fixed_time = cfg->fixed_time;
  s->has_time = cfg->time_cb != NULL || cfg->has_fixed_time;
  s->min_rsa_bits = cfg->min_rsa_bits;
  s->nonca_depth = -1;
  s->cn_fallback = cfg->host_cn_fallback != 0;
  memcpy(s->psk_identity, cfg->psk_identity, sizeof s->psk_identity);
  memcpy(s->psk_key, cfg->psk_key, sizeof s->psk_key);
  s->psk_key_len = cfg->psk_key_len;
  s->psk_cb = cfg->psk_cb;
  s->psk_user = cfg->psk_user;
  /* No wolfSSL_SetMinRsaKey_Sz() on the session: check_key() enforces
   * min_rsa_bits while verifying; wolfSSL's would also apply under
   * CERT_NONE (and to our own key). */
  int st = TLSW_OK;
  const char *host = p->server_hostname;
  if (host != NULL) {
    /* SNI carries DNS names only (RFC 6066), never IP literals, and
     * without the trailing dot of an absolute name. */
    size_t sni_len = strlen(host);
    if (sni_len > 1 && host[sni_len - 1] == '.') sni_len--;
    if (!is_ip_literal(host) && sni_len < sizeof s->host &&
        wolfSSL_UseSNI(s->ssl, WOLFSSL_SNI_HOST_NAME, host,
                       (unsigned short)sni_len) != WOLFSSL_SUCCESS) {
      st = tlsw_err_set(p->err, TLSW_ERR_NOMEM, 0, "cannot set SNI");
    }
    /* Matched by verify_cb at depth 0 (host_matches), only when
     * verifying; not by wolfSSL_check_domain_name(), whose rules differ. */
    if (st == TLSW_OK && strlen(host) >= sizeof s->host) {
      st = tlsw_err_set(p->err, TLSW_ERR_ARG, 0,
                        "wrap: server_hostname is longer than %u characters",
                        (unsigned)sizeof s->host - 1);
    }
    if (st == TLSW_OK) memcpy(s->host, host, strlen(host) + 1);
  }
  if (st == TLSW_OK && cfg->is_dtls) {
    wolfSSL_dtls_set_using_nonblock(s->ssl, 1);
    if (cfg->is_server) {
      /* client_id becomes the cookie's peer bytes (doc §2). */
      if (wolfSSL_dtls_set_peer(s->ssl, (void *)(uintptr_t)p->client_id,
                                (unsigned)p->client_id_len) !=
          WOLFSSL_SUCCESS) {
        st = tlsw_err_status(p->err, TLSW_ERR_NOMEM, 0);
      }
      /* The context's secret replaces wolfSSL's per-object random one,
       * which would make every cookie fail on the next object (doc §2).
       * Note: returns 0 on success, not WOLFSSL_SUCCESS. */
      if (st == TLSW_OK && p->cookie_secret != NULL &&
          wolfSSL_DTLS_SetCookieSecret(s->ssl, p->cookie_secret,
                                       (unsigned)p->cookie_secret_len) != 0) {
        st = tlsw_err_set(p->err, TLSW_ERR_INTERNAL, 0,
                          "cannot set the DTLS cookie secret");
      }
      if (st == TLSW_OK && p->cookie_prev_secret != NULL &&
          p->cookie_secret_len == sizeof s->cookie_prev) {
        memcpy(s->cookie_prev, p->cookie_prev_secret, sizeof s->cookie_prev);
        s->have_prev = 1;
      }
      if (st == TLSW_OK &&
          wolfDTLS_SetChGoodCb(s->ssl, ch_good_cb, s) != WOLFSSL_SUCCESS) {
        st = tlsw_err_set(p->err, TLSW_ERR_INTERNAL, 0,
                          "cannot install the DTLS ClientHello callback");
      }
    }
  }
  if (st != TLSW_OK) {
    wolfSSL_free(s->ssl);
    s->ssl = NULL;
  }
  return st;
}

static void wb_sess_free(void *bsess) {
  wsess *s = bsess;
  tlsw_free(s->stash);
  s->stash = NULL;
  wipe(s->cookie_prev, sizeof s->cookie_prev);
  wipe(s->psk_key, sizeof s->psk_key);
  if (s->ssl != NULL) wolfSSL_free(s->ssl);
  s->ssl = NULL;
}

/* DTLS outcomes that wolfSSL has no error code for. 0: none applies. */
static int dtls_failure(wsess *s, int r) {
  if (s->hvr_sent) {
    /* MicroPython's message for MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED. */
    return tlsw_err_set(s->err, TLSW_HELLO_VERIFY, 0,
                        "Hello Verify Required");
  }
  int fresh = s->cfg->is_server && !s->ch_good;
  if (s->rx_too_big && !wolfSSL_is_init_finished(s->ssl) && !fresh) {
    return tlsw_err_set(s->err, TLSW_ERR_HANDSHAKE, 0,
                        "DTLS handshake failed: the peer sent a %s%zu-byte "
                        "datagram, but this wolfSSL build reads at most %d "
                        "bytes during a handshake; lower the peer's MTU "
                        "(e.g. openssl -mtu 1400)",
                        s->rx_too_big >= TLSW_DTLS_MAX_DATAGRAM ? ">= " : "",
                        s->rx_too_big, 1400);
  }
  int err = wolfSSL_get_error(s->ssl, r);
  int blocked = err == WOLFSSL_ERROR_WANT_READ ||
                err == WOLFSSL_ERROR_WANT_WRITE;
  if (fresh && s->rx_count > 0 && s->io_status == 0 && !s->io_eof &&
      err != MEMORY_E && err != MEMORY_ERROR) {
    /* The first datagram of a new peer was not an acceptable ClientHello
     * (garbage, a stray record or alert, a truncated or fragmented hello):
     * wolfSSL ignored it and sent nothing. */
    return tlsw_err_set(s->err, TLSW_ERR_DATAGRAM_DROPPED, err,
                        "invalid datagram dropped: the first datagram from "
                        "a new DTLS peer must be a ClientHello");
  }
  if (s->timed_out && !blocked && s->io_status == 0) {
    return tlsw_err_set(s->err, TLSW_ERR_TIMEOUT, err,
                        "DTLS handshake timed out: no answer from the peer "
                        "after %u retransmissions",
                        s->retransmits);
  }
  return 0;
}

static void dtls_begin_call(wsess *s, int one_datagram) {
  s->rx_count = 0;
  s->tx_count = 0;
  s->rx_too_big = 0;
  s->rx_limit = (unsigned char)one_datagram;
}

/*
 * A TLS 1.2 server that requires a client certificate and got none: 5.5.4
 * fails the handshake without telling the client (measured: no alert, so a
 * client waiting for the server's Finished hangs until it times out). TLS
 * 1.3 sends certificate_required itself. At this point of a TLS 1.2
 * handshake the server has not sent ChangeCipherSpec, so its records are
 * still plaintext and the alert can be written as a plain record: type 21,
 * version 3.3, length 2, fatal(2), handshake_failure(40) (what OpenSSL and
 * mbedTLS send). Best effort: one send attempt, errors ignored.
 */
static void send_missing_cert_alert(wsess *s) {
  if (s->cfg->is_dtls || !s->cfg->is_server ||
      wolfSSL_version(s->ssl) != TLS1_2_VERSION) {
    return;
  }
  WOLFSSL_ALERT_HISTORY h;
  memset(&h, 0, sizeof h);
  wolfSSL_get_alert_history(s->ssl, &h);
  /* Levels start at -1; 1 (warning) or 2 (fatal) means one went out. */
  if (h.last_tx.level > 0) return;
  static const uint8_t alert[] = {21, 3, 3, 0, 2, 2, 40};
  size_t n = 0;
  int saved = errno;
  (void)s->io->send(s->io->io, alert, sizeof alert, &n);
  errno = saved;
}

static int wb_handshake(void *bsess, unsigned *want) {
  wsess *s = bsess;
  s->last_want = 0;
  if (s->cfg->is_dtls) dtls_begin_call(s, s->cfg->is_server && !s->ch_good);
  int r = s->cfg->is_server ? wolfSSL_accept(s->ssl) : wolfSSL_connect(s->ssl);
  if (r == WOLFSSL_SUCCESS) return verify_finish(s);
  if (s->cfg->is_dtls) {
    int dst = dtls_failure(s, r);
    if (dst != 0) return dst;
  }
  int st = decode_failure(s, r);
  if (st == TLSW_ERR_CERT_MISSING) send_missing_cert_alert(s);
  *want = s->last_want;
  return st;
}

static int wb_read(void *bsess, void *buf, size_t len, size_t *out_n,
                   unsigned *want) {
  wsess *s = bsess;
  s->last_want = 0;
  if (s->cfg->is_dtls) dtls_begin_call(s, 1);
  int r = wolfSSL_read(s->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
  if (r > 0) {
    *out_n = (size_t)r;
    return TLSW_OK;
  }
  if (s->cfg->is_dtls && s->rx_count > 0 && s->tx_count == 0 &&
      wolfSSL_get_error(s->ssl, r) == WOLFSSL_ERROR_WANT_READ) {
    /* The datagram this call consumed held no application data: junk, a
     * record that failed authentication, or a stray alert. wolfSSL
     * discarded it; the session is unharmed. (If we answered it, it was the
     * peer's retransmitted handshake flight: plain WANT_READ.) */
    s->last_want = TLSW_WANT_RD;
    if (s->rx_too_big) {
      return tlsw_err_set(s->err, TLSW_ERR_DATAGRAM_DROPPED, 0,
                          "invalid datagram dropped: %zu bytes is larger "
                          "than a DTLS record can be",
                          s->rx_too_big);
    }
    return tlsw_err_set(s->err, TLSW_ERR_DATAGRAM_DROPPED, 0,
                        "invalid datagram dropped: it carried no "
                        "application data for this session");
  }
  int st = decode_failure(s, r);
  *want = s->last_want;
  return st;
}

static int wb_write(void *bsess, const void *buf, size_t len, size_t *out_n,
                    unsigned *want) {
  wsess *s = bsess;
  s->last_want = 0;
  if (s->close_done) {
    /* Our close_notify is built and maybe partly sent: a record now would
     * land inside it (or after it, which the peer must ignore). */
    return tlsw_err_set(s->err, TLSW_ERR_SHUT, 0,
                        "write after tlsw_shutdown(): finish the shutdown; "
                        "no data can follow close_notify");
  }
  int r = wolfSSL_write(s->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
  if (r > 0) {
    *out_n = (size_t)r;
    return TLSW_OK;
  }
  int st = decode_failure(s, r);
  *want = s->last_want;
  return st;
}

/* Send the stash; TLSW_OK once it is all out. */
static int flush_stash(wsess *s, unsigned *want) {
  while (s->stash_off < s->stash_len) {
    size_t left = s->stash_len - s->stash_off, n = 0;
    errno = 0;
    int st = s->io->send(s->io->io, s->stash + s->stash_off, left, &n);
    if (st == TLSW_OK && n > 0) {
      s->stash_off += n < left ? n : left;
      continue;
    }
    if (st == TLSW_OK || st == TLSW_WANT_WRITE || st == TLSW_WANT_READ) {
      *want = st == TLSW_WANT_READ ? TLSW_WANT_RD : TLSW_WANT_WR;
      return st == TLSW_WANT_READ ? TLSW_WANT_READ : TLSW_WANT_WRITE;
    }
    int e = errno;
    if (st == TLSW_ERR_TIMEOUT) {
      return tlsw_err_set(s->err, TLSW_ERR_TIMEOUT, 0, "transport timed out");
    }
    if (st == TLSW_ERR_RESET) {
      return tlsw_err_set(s->err, TLSW_ERR_RESET, 0,
                          "connection reset by peer");
    }
    if (e != 0) {
      return tlsw_err_set(s->err, TLSW_ERR_IO, 0,
                          "transport I/O error: %s (errno %d)", strerror(e),
                          e);
    }
    return tlsw_err_set(s->err, TLSW_ERR_IO, 0, "transport I/O error");
  }
  tlsw_free(s->stash);
  s->stash = NULL;
  s->stash_len = s->stash_off = 0;
  return TLSW_OK;
}

/*
 * 5.5.4 bug (curl notes it as wolfSSL #7784; measured here with a 1-byte
 * transport): when wolfSSL_shutdown() cannot send its close_notify at once
 * it returns WANT_WRITE without marking the alert as sent, and every retry
 * appends another close_notify (4 KB of duplicate alerts after a few
 * thousand retries). Flushing with a 0-byte wolfSSL_write() instead fails
 * with BAD_FUNC_ARG when a blocked write was pending ("write() after
 * WANT_WRITE with short size"). So for TLS, wolfSSL_shutdown() runs exactly
 * once with the transport stashing what it cannot take (stash_send), and
 * retries only flush the stash. DTLS keeps the plain call: a datagram is
 * never split across calls, and a repeated close_notify there is harmless.
 */
static int wb_shutdown(void *bsess, unsigned *want) {
  wsess *s = bsess;
  s->last_want = 0;
  int r;
  if (s->cfg->is_dtls) {
    r = wolfSSL_shutdown(s->ssl);
    if (r == WOLFSSL_SUCCESS || r == WOLFSSL_SHUTDOWN_NOT_DONE) return TLSW_OK;
  } else {
    if (s->close_done) return flush_stash(s, want);
    s->stash_on = 1;
    /* A second 5.5.4 bug: an alert is written at the start of a partly
     * sent output buffer, over the record still in flight (measured: a
     * shutdown after a blocked write made the peer fail with a bad record).
     * A 0-byte write first moves anything pending into the stash; it then
     * answers BAD_FUNC_ARG ("write() after WANT_WRITE with short size"),
     * which only means the caller's blocked write is abandoned. */
    static const char none[1] = {0};
    if (wolfSSL_write(s->ssl, none, 0) < 0) wolfSSL_ERR_clear_error();
    r = s->io_status != 0 ? WOLFSSL_FATAL_ERROR : wolfSSL_shutdown(s->ssl);
    s->stash_on = 0;
    /* SUCCESS: both close_notify seen; SHUTDOWN_NOT_DONE: ours is out (or
     * stashed) and we do not wait for the peer's. */
    if (r == WOLFSSL_SUCCESS || r == WOLFSSL_SHUTDOWN_NOT_DONE) {
      s->close_done = 1;
      return flush_stash(s, want);
    }
    if (s->io_status == TLSW_ERR_NOMEM) {
      return tlsw_err_status(s->err, TLSW_ERR_NOMEM, 0);
    }
    if (s->io_status == TLSW_ERR_INTERNAL) {
      return tlsw_err_set(s->err, TLSW_ERR_INTERNAL, 0,
                          "shutdown: more than %u bytes to flush",
                          STASH_MAX);
    }
  }
  int st = decode_failure(s, r);
  *want = s->last_want;
  return st;
}

static size_t wb_pending(const void *bsess) {
  const wsess *s = bsess;
  int n = wolfSSL_pending(s->ssl);
  return n > 0 ? (size_t)n : 0;
}

static const char *wb_version_name(const void *bsess) {
  const wsess *s = bsess;
  return wolfSSL_get_version(s->ssl);
}

static const char *wb_cipher_name(const void *bsess) {
  const wsess *s = bsess;
  int cs = wolfSSL_get_current_cipher_suite(s->ssl);
  if (cs < 0) return NULL;
  /* wolfSSL_get_cipher_name() gives wolfSSL's own names (doc §4). */
  return wolfSSL_get_cipher_name_iana_from_suite((unsigned char)(cs >> 8),
                                                 (unsigned char)(cs & 0xff));
}

static int wb_peer_cert(const void *bsess, const uint8_t **der,
                        size_t *len) {
  const wsess *s = bsess;
  /* The session chain (SESSION_CERTS) is owned by the WOLFSSL object, so
   * nothing to free; wolfSSL_get_peer_certificate's ownership differs
   * between builds. */
  WOLFSSL_X509_CHAIN *chain = wolfSSL_get_peer_chain(s->ssl);
  if (chain == NULL || wolfSSL_get_chain_count(chain) < 1) {
    return TLSW_ERR_STATE;
  }
  const unsigned char *d = wolfSSL_get_chain_cert(chain, 0);
  int l = wolfSSL_get_chain_length(chain, 0);
  if (d == NULL || l <= 0) return TLSW_ERR_STATE;
  *der = d;
  *len = (size_t)l;
  return TLSW_OK;
}

static int wb_verify_result(const void *bsess) {
  const wsess *s = bsess;
  if (s->verify_mode == TLSW_CERT_NONE || !s->vrec->checked) {
    return TLSW_ERR_STATE;
  }
  return s->vrec->status;
}

static size_t wb_dtls_max_payload(const void *bsess) {
  const wsess *s = bsess;
  int n = wolfSSL_GetMaxOutputSize(s->ssl);
  return n > 0 ? (size_t)n : 0;
}

static long wb_dtls_timeout_ms(const void *bsess) {
  const wsess *s = bsess;
  if (wolfSSL_is_init_finished(s->ssl)) return -1;
  int sec = wolfSSL_dtls_get_current_timeout(s->ssl);
  return sec > 0 ? (long)sec * 1000 : -1;
}

static int wb_dtls_handle_timeout(void *bsess, unsigned *want) {
  wsess *s = bsess;
  s->last_want = 0;
  dtls_begin_call(s, 0);
  int r = wolfSSL_dtls_got_timeout(s->ssl);
  if (r == WOLFSSL_SUCCESS) {
    s->retransmits++;
    return TLSW_OK;
  }
  int err = wolfSSL_get_error(s->ssl, r);
  if (err != WOLFSSL_ERROR_WANT_READ && err != WOLFSSL_ERROR_WANT_WRITE &&
      s->io_status == 0) {
    /* got_timeout fails once the timer passed its maximum (doc §2). */
    return tlsw_err_set(s->err, TLSW_ERR_TIMEOUT, err,
                        "DTLS handshake timed out: no answer from the peer "
                        "after %u retransmissions",
                        s->retransmits);
  }
  int st = decode_failure(s, r);
  *want = s->last_want;
  return st;
}

static int wb_dtls_fresh(const void *bsess) {
  const wsess *s = bsess;
  return s->cfg->is_dtls && s->cfg->is_server && !s->ch_good;
}

static int wb_set_allocator(void *(*malloc_fn)(size_t),
                            void *(*realloc_fn)(void *, size_t),
                            void (*free_fn)(void *)) {
  return wolfSSL_SetAllocators(malloc_fn, free_fn, realloc_fn) == 0
             ? TLSW_OK
             : TLSW_ERR_INTERNAL;
}

const tlsw_backend tlsw_backend_wolfssl = {
    "wolfssl",
    TLSW_FEATURE_TLS13 | TLSW_FEATURE_DTLS | TLSW_FEATURE_CA_DIR |
        TLSW_FEATURE_TIME_SOURCE | TLSW_FEATURE_PSK,
    sizeof(wctx),
    sizeof(wsess),
    wb_global_init,
    wb_version,
    wb_thread_cleanup,
    wb_available_ciphers,
    wb_random,
    wb_ctx_init,
    wb_ctx_free,
    wb_ctx_set_verify,
    wb_ctx_load_cert_chain,
    wb_ctx_load_ca_mem,
    wb_ctx_load_ca_dir,
    wb_ctx_load_ca_system,
    wb_ctx_set_ciphers,
    wb_ctx_get_ciphers,
    wb_ctx_set_versions,
    wb_sess_init,
    wb_sess_free,
    wb_handshake,
    wb_read,
    wb_write,
    wb_shutdown,
    wb_pending,
    wb_version_name,
    wb_cipher_name,
    wb_peer_cert,
    wb_verify_result,
    wb_dtls_max_payload,
    wb_dtls_timeout_ms,
    wb_dtls_handle_timeout,
    wb_dtls_fresh,
    wb_set_allocator,
};
