/*
 * OCSP stapling on wolfSSL, client side: while the context's mode is other
 * than off its sessions send status_request (no nonce: a stapled response
 * is made ahead of time and cannot carry the client's), and wolfSSL checks
 * the response the server staples against the context's CAs
 * (ProcessCSR: signed by the issuer or its delegated responder, for the
 * leaf, "good"). wolfSSL's own responder lookups
 * (wolfSSL_CTX_EnableOCSP) are never enabled, and the context's lookup
 * callback refuses anyway, so nothing here opens a connection: the
 * staple is the only source.
 */
#include "backend/wolfssl/internal.h"
#include <wolfssl/error-ssl.h>

#include <stdio.h>
#include <string.h>

#include "support/alloc.h"

#if TLSW_WB_OCSP

/* wolfSSL's responder lookup, should any path of it run: refused. */
static int no_lookup(void *ctx, const char *url, int url_len,
                     unsigned char *req, int req_len, unsigned char **resp) {
  (void)ctx;
  (void)url;
  (void)url_len;
  (void)req;
  (void)req_len;
  (void)resp;
  return -1;
}

int tlswi_wb_ctx_set_ocsp(void *bctx, tlsw_err *e) {
  wctx *w = bctx;
  int mode = w->cfg->ocsp_mode;
  int r = WOLFSSL_SUCCESS;
  /* The status_request lives on the context, not on each session:
   * wolfSSL_UseOCSPStapling() (5.7.2) builds the session's request with
   * no back pointer to the session, and freeing a TLS 1.3 session that
   * received a staple then reads through that NULL (TLSX_CSR_Free:
   * csr->ssl->heap; UBSan caught it). From the context's request wolfSSL
   * builds the session's own, pointer set, when the staple arrives. With
   * stapling off in the certificate manager no status_request is sent
   * (TLSX_GetRequestSize), which is what mode off means. */
  if (mode != TLSW_OCSP_OFF) {
    r = wolfSSL_CTX_EnableOCSPStapling(w->ctx);
    if (r == WOLFSSL_SUCCESS) {
      r = wolfSSL_CTX_SetOCSP_Cb(w->ctx, no_lookup, NULL, NULL);
    }
    if (r == WOLFSSL_SUCCESS) {
      r = wolfSSL_CTX_UseOCSPStapling(w->ctx, WOLFSSL_CSR_OCSP, 0);
    }
  } else {
    r = wolfSSL_CTX_DisableOCSPStapling(w->ctx);
  }
  if (r == MEMORY_E) return tlswi_err_status(e, TLSW_ERR_NOMEM, r);
  /* Must-staple fails a handshake without a staple (TLS 1.3: a leaf
   * without one; TLS 1.2: no CertificateStatus). */
  if (r == WOLFSSL_SUCCESS) {
    r = mode == TLSW_OCSP_REQUIRE ? wolfSSL_CTX_EnableOCSPMustStaple(w->ctx)
                                  : wolfSSL_CTX_DisableOCSPMustStaple(w->ctx);
  }
  if (r == WOLFSSL_SUCCESS) return TLSW_OK;
  return tlswi_err_set(e, TLSW_ERR_INTERNAL, r,
                       "set_ocsp_stapling: wolfSSL refused (error %d)", r);
}

/*
 * The CertificateStatus message of a TLS 1.2 handshake, read off the wire.
 * wolfSSL's TLS 1.2 path reports every refused staple, a revoked one too,
 * as BAD_CERTIFICATE_STATUS_ERROR (DoCertificateStatus folds ProcessCSR's
 * OCSP_CERT_REVOKED into it; 5.5.4 and 5.7.2), so a refusal is worded from
 * the response itself (policy->ocsp_said). The server's flight is
 * plaintext up to its ChangeCipherSpec: the capture ends at the first
 * record that is not a handshake record (in TLS 1.3, right after the
 * ServerHello), and is freed then unless it holds the message.
 */
typedef struct wocsp {
  uint8_t hdr[5];        /* the record header being read */
  uint8_t hs[4];         /* the handshake message header being read */
  unsigned char hdr_len; /* bytes of hdr seen */
  unsigned char hs_len;  /* bytes of hs seen; 4: in the body */
  unsigned char keep;    /* the current message is CertificateStatus */
  unsigned char over;    /* nothing more to read */
  size_t rec_left;       /* handshake record bytes still to come */
  size_t msg_left;       /* bytes of the current message's body to come */
  size_t len;            /* bytes of msg kept */
  uint8_t *msg;          /* the CertificateStatus body, or NULL */
} wocsp;

/* A larger staple is not kept: the refusal is then worded generally. */
#define WB_OCSP_MAX 16384u

static size_t be24(const uint8_t *p) {
  return (size_t)p[0] << 16 | (size_t)p[1] << 8 | p[2];
}

/* A message header is complete: keep the body when it is the status. */
static void hs_start(wocsp *c) {
  c->msg_left = be24(c->hs + 1);
  c->keep = c->hs[0] == 22 && c->msg == NULL && c->msg_left <= WB_OCSP_MAX;
  if (c->keep) {
    c->msg = tlswi_malloc(c->msg_left > 0 ? c->msg_left : 1);
    c->len = 0;
    if (c->msg == NULL) c->over = 1; /* words only, as for a large one */
  }
}

/* Handshake bytes of one record: message headers and bodies. */
static void hs_bytes(wocsp *c, const uint8_t *p, size_t n) {
  while (n > 0 && !c->over) {
    if (c->hs_len < 4) {
      c->hs[c->hs_len++] = *p++;
      n--;
      if (c->hs_len == 4) hs_start(c);
    } else {
      size_t take = n < c->msg_left ? n : c->msg_left;
      if (c->keep) memcpy(c->msg + c->len, p, take);
      if (c->keep) c->len += take;
      p += take;
      n -= take;
      c->msg_left -= take;
    }
    if (c->hs_len == 4 && c->msg_left == 0 && !c->over) {
      c->hs_len = 0;
      if (c->keep) c->over = 1;
    }
  }
}

void tlswi_wb_ocsp_feed(wsess *s, const uint8_t *p, size_t n) {
  wocsp *c = s->role.ocsp;
  while (n > 0 && !c->over) {
    if (c->rec_left == 0) {
      size_t take = 5u - c->hdr_len < n ? 5u - c->hdr_len : n;
      memcpy(c->hdr + c->hdr_len, p, take);
      c->hdr_len = (unsigned char)(c->hdr_len + take);
      p += take;
      n -= take;
      if (c->hdr_len < 5) return;
      c->hdr_len = 0;
      if (c->hdr[0] != 22) c->over = 1; /* not a handshake record */
      c->rec_left = (size_t)c->hdr[3] << 8 | c->hdr[4];
      continue;
    }
    size_t take = n < c->rec_left ? n : c->rec_left;
    hs_bytes(c, p, take);
    p += take;
    n -= take;
    c->rec_left -= take;
  }
  if (c->over && (c->msg == NULL || !c->keep)) tlswi_wb_ocsp_free(s);
}

void tlswi_wb_ocsp_free(wsess *s) {
  /* role is the DTLS server's cookie there, not ours. */
  if (s->cfg == NULL || s->cfg->is_dtls || WB_IS_SERVER(s->cfg) ||
      s->role.ocsp == NULL) {
    return;
  }
  tlswi_free(s->role.ocsp->msg);
  tlswi_free(s->role.ocsp);
  s->role.ocsp = NULL;
}

/* What the captured TLS 1.2 staple says of the leaf (TLSW_OCSP_*). */
static int captured_says(const wsess *s) {
  const wocsp *c = s->role.ocsp;
  /* status_type ocsp(1), then a 24-bit length and the OCSPResponse. */
  if (c == NULL || c->msg == NULL || !c->keep || c->msg_left != 0 ||
      c->len < 4 || c->msg[0] != 1 || be24(c->msg + 1) != c->len - 4 ||
      s->peer == NULL) {
    return TLSW_OCSP_INVALID;
  }
  return s->cfg->policy->ocsp_said(c->msg + 4, c->len - 4, s->peer->der,
                                   s->peer->len);
}

int tlswi_wb_ocsp_setup(wsess *s, const tlsw_config *cfg, tlsw_err *e) {
  if (cfg->ocsp_mode == TLSW_OCSP_OFF || WB_IS_SERVER(cfg) || cfg->is_dtls) {
    return TLSW_OK;
  }
  /* The status_request itself is the context's (tlswi_wb_ctx_set_ocsp). */
  s->role.ocsp = tlswi_malloc(sizeof *s->role.ocsp);
  if (s->role.ocsp == NULL) {
    return tlswi_err_set(e, TLSW_ERR_NOMEM, 0,
                         "wrap: out of memory for OCSP stapling (%zu "
                         "bytes)",
                         sizeof *s->role.ocsp);
  }
  memset(s->role.ocsp, 0, sizeof *s->role.ocsp);
  return TLSW_OK;
}

void tlswi_wb_ocsp_done(wsess *s) {
  tlswi_wb_ocsp_free(s);
  if (s->cfg->ocsp_mode == TLSW_OCSP_OFF) return;
  /* wolfSSL keeps the producedDate of a staple only once it verified and
   * said good (ProcessCSR, 5.5.4 and 5.7.2). */
  unsigned char date[MAX_DATE_SIZE + 1];
  int fmt = 0;
  memset(date, 0, sizeof date);
  if (wolfSSL_get_ocsp_producedDate(s->ssl, date, sizeof date, &fmt) == 0) {
    s->vrec->ocsp = TLSW_OCSP_GOOD;
  }
}

/* Names the certificate the staple was for: the server's leaf, by its
 * subject when the verify callback kept it (TLS 1.2 checks the staple
 * after the certificate; TLS 1.3 before the leaf's callback). */
static void leaf_name(const wsess *s, char *buf, size_t cap) {
  buf[0] = '\0';
  if (s->peer != NULL) {
    s->cfg->policy->cert_subject(s->peer->der, s->peer->len, buf, cap);
  } else if (s->name.host != NULL) {
    snprintf(buf, cap, "the certificate of '%.60s'", s->name.host);
  }
}

int tlswi_wb_ocsp_failure(wsess *s, int err) {
  if (s->cfg->ocsp_mode == TLSW_OCSP_OFF || WB_IS_SERVER(s->cfg)) return 0;
  int said = TLSW_OCSP_REVOKED;
  switch (err) {
    case OCSP_CERT_REVOKED: break; /* TLS 1.3 */
    case BAD_CERTIFICATE_STATUS_ERROR:
    case OCSP_INVALID_STATUS:
      said = wolfSSL_version(s->ssl) == TLS1_3_VERSION ? TLSW_OCSP_INVALID
                                                       : captured_says(s);
      /* Good as read, yet refused: its signature or dates failed. */
      if (said == TLSW_OCSP_GOOD) said = TLSW_OCSP_INVALID;
      break;
    case OCSP_CERT_UNKNOWN:
    case OCSP_LOOKUP_FAIL:
    case OCSP_NEED_URL:
      if (s->cfg->ocsp_mode != TLSW_OCSP_REQUIRE) return 0;
      said = TLSW_OCSP_NONE;
      break;
    default: return 0;
  }
  tlsw_cert_reason r = TLSW_REASON_OCSP_MISSING;
  const char *detail = ": the server stapled none (TLSW_OCSP_REQUIRE)";
  if (said == TLSW_OCSP_REVOKED) {
    r = TLSW_REASON_REVOKED;
    detail = ": the OCSP response the server stapled says revoked";
  } else if (said == TLSW_OCSP_INVALID) {
    r = TLSW_REASON_OCSP_INVALID;
    detail =
        ": not signed by the issuer or its responder, not for this "
        "certificate, out of date, or not \"good\"";
  }
  s->vrec->ocsp = (unsigned char)said;
  char subject[96];
  leaf_name(s, subject, sizeof subject);
  s->vrec->checked = 1;
  return tlswi_wb_record_failure_ex(s, r, 0, subject, err, detail, 1);
}

#else

/* Referenced by session.c and errors.c; nothing to do without OCSP. */
int tlswi_wb_ocsp_setup(wsess *s, const tlsw_config *cfg, tlsw_err *e) {
  (void)s;
  (void)cfg;
  (void)e;
  return TLSW_OK;
}
void tlswi_wb_ocsp_done(wsess *s) {
  (void)s;
}
void tlswi_wb_ocsp_feed(wsess *s, const uint8_t *p, size_t n) {
  (void)s;
  (void)p;
  (void)n;
}
void tlswi_wb_ocsp_free(wsess *s) {
  (void)s;
}
int tlswi_wb_ocsp_failure(wsess *s, int err) {
  (void)s;
  (void)err;
  return 0;
}

#endif
