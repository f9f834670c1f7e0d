/*
 * Sessions: a WOLFSSL object wrapped with the settings copied at wrap time
 * (verification, SNI and host name, PSK, DTLS), and the handshake, read,
 * write and query operations on it. Shutdown is in shutdown.c.
 */
#include "backend/wolfssl/internal.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "support/alloc.h"
#include "support/hints.h"

/* Verification settings as they are now (context.h: settings apply to
 * sessions wrapped afterwards). */
static void copy_settings(wsess *s, const tlsw_config *cfg,
                          const tlsw_sess_params *p) {
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
  s->cn_fallback = cfg->host_cn_fallback != 0;
  s->cert_rules = (unsigned char)cfg->cert_rules;
  s->psk_cb = cfg->psk_cb;
  s->psk_user = cfg->psk_user;
  /* No wolfSSL_SetMinRsaKey_Sz() on the session: check_key() enforces
   * min_rsa_bits while verifying; wolfSSL's would also apply under
   * CERT_NONE (and to our own key). */
}

/* Only PSK clients carry a key: out of line, so other sessions do not pay
 * for it (internal.h, wpsk). */
static int copy_psk(wsess *s, const tlsw_config *cfg, tlsw_err *e) {
  if (cfg->psk_key_len == 0) return TLSW_OK;
  size_t id_len = cfg->psk_identity_len;
  s->psk = tlswi_malloc(sizeof *s->psk + id_len + 1);
  if (s->psk == NULL) {
    return tlswi_err_set(e, TLSW_ERR_NOMEM, 0,
                         "wrap: out of memory for the session's PSK "
                         "identity and key (%zu bytes)",
                         sizeof *s->psk + id_len + 1);
  }
  s->psk->key_len = cfg->psk_key_len;
  memcpy(s->psk->key, cfg->psk_key, cfg->psk_key_len);
  memcpy(s->psk->identity, cfg->psk_identity, id_len);
  s->psk->identity[id_len] = '\0';
  return TLSW_OK;
}

/* SNI, and the name verify_cb matches at depth 0 (the core's
 * tlsw_policy.host_matches), only when verifying; not by
 * wolfSSL_check_domain_name(), whose rules differ. */
static int set_host(wsess *s, const tlsw_sess_params *p) {
  const char *host = p->server_hostname;
  if (host == NULL) return TLSW_OK;
  /* What SNI carries, and how long a host name may be, are the core's
   * rules (p->sni_len, core/hostname.c; TLSW_HOST_MAX, checked in
   * tlsw_wrap()). */
  size_t sni_len = p->sni_len;
  if (sni_len > 0 &&
      wolfSSL_UseSNI(s->ssl, WOLFSSL_SNI_HOST_NAME, host,
                     (unsigned short)sni_len) != WOLFSSL_SUCCESS) {
    return tlswi_err_set(p->err, TLSW_ERR_NOMEM, 0,
                         "wrap: out of memory for the SNI extension "
                         "(server_hostname, %zu bytes)",
                         sni_len);
  }
  size_t host_len = strlen(host);
  /* Exact length, once per session (freed in tlswi_wb_sess_free). */
  s->name.host = tlswi_malloc(host_len + 1);
  if (s->name.host == NULL) {
    return tlswi_err_set(p->err, TLSW_ERR_NOMEM, 0,
                         "wrap: out of memory for server_hostname "
                         "(%zu bytes)",
                         host_len + 1);
  }
  memcpy(s->name.host, host, host_len + 1);
  return TLSW_OK;
}

int tlswi_wb_sess_init(void *bsess, void *bctx, const tlsw_config *cfg,
                       const tlsw_sess_params *p) {
  wsess *s = bsess;
  wctx *w = bctx;
  s->cfg = cfg;
  s->io = p->io;
  s->err = p->err;
  s->ssl = wolfSSL_new(w->ctx);
  if (s->ssl == NULL) return tlswi_err_status(p->err, TLSW_ERR_NOMEM, 0);
  wolfSSL_SetIOReadCtx(s->ssl, s);
  wolfSSL_SetIOWriteCtx(s->ssl, s);
  wolfSSL_SetCertCbCtx(s->ssl, s); /* verify_cb's way back to us */
  copy_settings(s, cfg, p);
  int st = copy_psk(s, cfg, p->err);
#if !TLSW_WB_MAX_PROTO
  if (st == TLSW_OK && !WB_IS_DTLS(cfg) && tlswi_wb_sess_versions(w, s->ssl)) {
    st = tlswi_err_status(p->err, TLSW_ERR_NOMEM, 0);
  }
#endif
  if (st == TLSW_OK) st = set_host(s, p);
  if (st == TLSW_OK) st = tlswi_wb_alpn_setup(s, cfg, p->err);
  if (st == TLSW_OK) st = tlswi_wb_ocsp_setup(s, cfg, p->err);
  if (st == TLSW_OK) tlswi_wb_secrets_setup(s, cfg);
  if (st == TLSW_OK) st = tlswi_wb_resume_setup(s, cfg, p);
#if TLSW_WB_DTLS
  if (st == TLSW_OK && cfg->is_dtls) {
    wolfSSL_dtls_set_using_nonblock(s->ssl, 1);
    s->dtls.can13 = (unsigned char)(TLSW_WB_DTLS13 && !w->dtls12);
    if (WB_IS_SERVER(cfg)) st = tlswi_wb_dtls_cookie_setup(s, p);
  }
#endif
#if TLSW_WB_DTLS_CID
  if (st == TLSW_OK && cfg->is_dtls) {
    st = tlswi_wb_dtls_cid_setup(s, w, cfg, p->err);
  }
#endif
  /* The core does not call sess_free after a failed sess_init. */
  if (st != TLSW_OK) tlswi_wb_sess_free(s);
  return st;
}

void tlswi_wb_sess_free(void *bsess) {
  wsess *s = bsess;
  tlswi_free(s->stash);
  s->stash = NULL;
  tlswi_wb_ocsp_free(s); /* before the cookie: they share role */
  tlswi_wb_drop_cookie_prev(s);
  tlswi_wb_dtls_flight_free(s);
  if (s->psk != NULL) {
    tlswi_wb_wipe(s->psk, sizeof *s->psk + strlen(s->psk->identity) + 1);
    tlswi_free(s->psk);
    s->psk = NULL;
  }
  tlswi_free(s->name.host);
  s->name.host = NULL;
  tlswi_free(s->nonca);
  s->nonca = NULL;
  tlswi_free(s->peer);
  s->peer = NULL;
  if (s->ssl != NULL) wolfSSL_free(s->ssl);
  s->ssl = NULL;
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
#ifndef TLSW_WB_FIX_MISSING_CERT_ALERT
  (void)s; /* 5.7.2 sends the alert itself (measured) */
#else
  if (WB_IS_DTLS(s->cfg) || !WB_IS_SERVER(s->cfg) ||
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
#endif
}

int tlswi_wb_handshake(void *bsess, unsigned *want) {
  wsess *s = bsess;
  s->last_want = 0;
#if TLSW_WB_DTLS
  if (s->cfg->is_dtls)
    tlswi_wb_dtls_begin_call(s, WB_IS_SERVER(s->cfg) && !s->dtls.ch_good);
#endif
#if TLSW_WB_SERVER
  int r = s->cfg->is_server ? wolfSSL_accept(s->ssl) : wolfSSL_connect(s->ssl);
#else
  int r = wolfSSL_connect(s->ssl);
#endif
  if (r == WOLFSSL_SUCCESS) {
    tlswi_wb_secrets_done(s);
    tlswi_wb_ocsp_done(s);
    return tlswi_wb_verify_finish(s);
  }
#if TLSW_WB_DTLS
  if (s->cfg->is_dtls) {
    int dst = tlswi_wb_dtls_failure(s, r);
    if (dst != 0) return dst;
  }
#endif
  int st = tlswi_wb_decode_failure(s, r);
  if (st == TLSW_ERR_CERT_MISSING) send_missing_cert_alert(s);
  *want = s->last_want;
  return st;
}

/* A failed wolfSSL call made with the stash on: a stash that could not
 * hold the output explains it better than wolfSSL's code does. */
static int call_failed(wsess *s, int r, unsigned *want) {
  int st = tlswi_wb_stash_failure(s);
  if (st == 0) st = tlswi_wb_decode_failure(s, r);
  *want = s->last_want;
  return st;
}

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

/* What a TLS read that returned no data (r <= 0) amounts to, with our own
 * output still in the stash or not (tlswi_wb_read). */
static TLSW_NOINLINE int tls_read_failed(wsess *s, int r, unsigned *want) {
  int st = call_failed(s, r, want);
  if (!tlswi_wb_stash_pending(s)) return st;
  if (st == TLSW_WANT_READ && !s->close_done) {
    /* (A pending close_notify is tlsw_shutdown()'s to report.) */
    int fst = tlswi_wb_flush_stash(s, want);
    if (fst != TLSW_OK) return fst;
    *want = TLSW_DIR_READ;
    return st;
  }
  if (!blocked(st)) {
    /* The session ends (or the peer closed): our alert, if any, gets one
     * try before the backend state is freed. */
    unsigned ignored = 0;
    (void)tlswi_wb_flush_stash(s, &ignored);
  }
  return st;
}

#if TLSW_WB_DTLS
static TLSW_NOINLINE int dtls_read(wsess *s, void *buf, size_t len,
                                   size_t *out_n, unsigned *want) {
  tlswi_wb_dtls_begin_call(s, 1);
  int r = wolfSSL_read(s->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
  if (r > 0) {
    /* The peer's data proves it has our last flight (dtls.c). */
    tlswi_wb_dtls_flight_free(s);
    *out_n = (size_t)r;
    return TLSW_OK;
  }
  int err = wolfSSL_get_error(s->ssl, r);
  if (s->rx_count > 0 && err == WOLFSSL_ERROR_WANT_READ &&
      tlswi_wb_dtls13_on(s) && !s->rx_too_big) {
    /* DTLS 1.3 carries handshake messages after the handshake (the
     * server's NewSessionTicket, KeyUpdate) and ACKs of our own; wolfSSL
     * took them and may have answered (an ACK). Nothing for the
     * application: read again, blocking or not. */
    s->last_want = TLSW_DIR_READ;
    return tlswi_err_set(s->err, TLSW_ERR_DATAGRAM_DROPPED, 0,
                         "datagram consumed without application data (a "
                         "DTLS 1.3 handshake message or ACK, or junk): read "
                         "again");
  }
  if (s->rx_count > 0 && s->tx_count == 0 && err == WOLFSSL_ERROR_WANT_READ) {
    /* The datagram this call consumed held no application data: junk, a
     * record that failed authentication, or a stray alert. wolfSSL
     * discarded it; the session is unharmed. (If we answered it, it was the
     * peer's retransmitted handshake flight: plain WANT_READ.) */
    s->last_want = TLSW_DIR_READ;
    if (s->rx_too_big) {
      return tlswi_err_set(s->err, TLSW_ERR_DATAGRAM_DROPPED, 0,
                           "invalid datagram dropped: %zu bytes is larger "
                           "than a DTLS record can be",
                           s->rx_too_big);
    }
    return tlswi_err_set(s->err, TLSW_ERR_DATAGRAM_DROPPED, 0,
                         "invalid datagram dropped: it carried no "
                         "application data for this session");
  }
  int st = tlswi_wb_decode_failure(s, r);
  *want = s->last_want;
  return st;
}
#endif

/*
 * TLS read. Our own pending output goes out first (BearSSL's rule), then
 * wolfSSL reads with the stash on, so whatever the read itself sends (an
 * alert for a bad record, a KeyUpdate reply) is queued behind that output,
 * never built over it: with output pending, 5.5.4 built its bad_record_mac
 * alert at the wrong offset and sent the peer 24 bytes of stale heap memory
 * (tests/test_regress.c). A transport that cannot take our output yet does
 * not stop the read (both sides of a full pipe may be reading); only a read
 * with nothing to return reports TLSW_WANT_WRITE while our output waits,
 * since the peer may be waiting for it (session.h).
 */
int tlswi_wb_read(void *bsess, void *buf, size_t len, size_t *out_n,
                  unsigned *want) {
  wsess *s = bsess;
  s->last_want = 0;
#if TLSW_WB_DTLS
  if (s->cfg->is_dtls) return dtls_read(s, buf, len, out_n, want);
#endif
  if (tlswi_wb_stash_pending(s)) {
    int fst = tlswi_wb_flush_stash(s, want);
    if (fst != TLSW_OK && !blocked(fst)) return fst;
    s->last_want = 0;
  }
  s->stash_on = 1;
  int r = wolfSSL_read(s->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
  s->stash_on = 0;
  if (r <= 0) return tls_read_failed(s, r, want);
  *out_n = (size_t)r;
  return TLSW_OK;
}

/* The retry of a write whose record the transport took only in part: now
 * that the stash is out, it returns what wolfSSL consumed then, as
 * wolfSSL_write's own retry does. */
static TLSW_NOINLINE int finish_blocked_write(wsess *s, size_t len,
                                              size_t *out_n) {
  if (len < s->wr_done) {
    return tlswi_err_set(s->err, TLSW_ERR_ARG, 0,
                         "write retried with %zu bytes after TLSW_WANT_*, but "
                         "the blocked write already took %u: call again with "
                         "the same buffer and length",
                         len, s->wr_done);
  }
  *out_n = s->wr_done;
  s->wr_done = 0;
  return TLSW_OK;
}

/* A TLS write that failed (r <= 0), or whose record the transport did not
 * take whole (it waits in the stash): TLSW_WANT_* until the record is out,
 * then, on the retry with the same buf and len, the count taken. */
static TLSW_NOINLINE int tls_write_held(wsess *s, int r, unsigned *want) {
  if (r <= 0) return call_failed(s, r, want);
  s->wr_done = (unsigned)r;
  *want = s->last_want == TLSW_DIR_READ ? TLSW_DIR_READ : TLSW_DIR_WRITE;
  return *want == TLSW_DIR_READ ? TLSW_WANT_READ : TLSW_WANT_WRITE;
}

#if TLSW_WB_DTLS
static TLSW_NOINLINE int dtls_write(wsess *s, const void *buf, size_t len,
                                    size_t *out_n, unsigned *want) {
  int r = wolfSSL_write(s->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
  if (r > 0) {
    *out_n = (size_t)r;
    return TLSW_OK;
  }
  int st = tlswi_wb_decode_failure(s, r);
  *want = s->last_want;
  return st;
}
#endif

/*
 * TLS write, with the stash on (see tlswi_wb_read for why wolfSSL must
 * never hold output between calls). For the caller nothing changes:
 * TLSW_WANT_* until the record is out, then, on the retry with the same
 * buf and len, the count taken (session.h).
 */
int tlswi_wb_write(void *bsess, const void *buf, size_t len, size_t *out_n,
                   unsigned *want) {
  wsess *s = bsess;
  s->last_want = 0;
  if (s->close_done) {
    /* Our close_notify is built and maybe partly sent: a record now would
     * land inside it (or after it, which the peer must ignore). */
    return tlswi_err_set(s->err, TLSW_ERR_SHUT, 0,
                         "write after tlsw_shutdown(): finish the shutdown; "
                         "no data can follow close_notify");
  }
#if TLSW_WB_DTLS
  if (s->cfg->is_dtls) return dtls_write(s, buf, len, out_n, want);
#endif
  if (tlswi_wb_stash_pending(s)) {
    int fst = tlswi_wb_flush_stash(s, want);
    if (fst != TLSW_OK) return fst;
  }
  if (s->wr_done > 0) return finish_blocked_write(s, len, out_n);
#if !TLSW_WB_MODES
  /* One record a call, as SSL_MODE_ENABLE_PARTIAL_WRITE gives elsewhere.
   * No record is smaller than TLSW_WB_MIN_RECORD, so a write that fits
   * one skips the look-up (46 instructions, 6 % of tlswrap's cost in a
   * 64-byte echo round trip: callgrind, bench/). */
  if (len > TLSW_WB_MIN_RECORD) {
    int rec = wolfSSL_GetMaxOutputSize(s->ssl);
    if (rec > 0 && len > (size_t)rec) len = (size_t)rec;
  }
#endif
  s->stash_on = 1;
  int r = wolfSSL_write(s->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
  s->stash_on = 0;
  if (r <= 0 || tlswi_wb_stash_pending(s)) return tls_write_held(s, r, want);
  *out_n = (size_t)r;
  return TLSW_OK;
}

size_t tlswi_wb_pending(const void *bsess) {
  const wsess *s = bsess;
  int n = wolfSSL_pending(s->ssl);
  return n > 0 ? (size_t)n : 0;
}

const char *tlswi_wb_version_name(const void *bsess) {
  const wsess *s = bsess;
  return wolfSSL_get_version(s->ssl);
}

const char *tlswi_wb_cipher_name(const void *bsess) {
  const wsess *s = bsess;
  int cs = wolfSSL_get_current_cipher_suite(s->ssl);
  if (cs < 0) return NULL;
  /* wolfSSL_get_cipher_name() gives wolfSSL's own names (doc §4). */
  return wolfSSL_get_cipher_name_iana_from_suite((unsigned char)(cs >> 8),
                                                 (unsigned char)(cs & 0xff));
}

int tlswi_wb_peer_cert(const void *bsess, const uint8_t **der, size_t *len) {
  const wsess *s = bsess;
  /* The leaf the verify callback copied (verify.c keep_leaf): wolfSSL's
   * own copies need SESSION_CERTS (a 2 KB slot per chain level in every
   * session) or KEEP_PEER_CERT (a decoded X509 per session). */
  if (s->peer == NULL || s->peer->len == 0) return TLSW_ERR_STATE;
  *der = s->peer->der;
  *len = s->peer->len;
  return TLSW_OK;
}

int tlswi_wb_peer_chain(const void *bsess, size_t i, const uint8_t **der,
                        size_t *len) {
  const wsess *s = bsess;
  if (s->peer == NULL || s->peer->len == 0) return TLSW_ERR_STATE;
  if (s->peer->n == 0) return TLSW_ERR_STATE; /* the leaf only was kept */
  if (i >= s->peer->n) return TLSW_ERR_ARG;
  const uint8_t *p = s->peer->der;
  size_t l = s->peer->len;
  for (size_t k = 0; k < i; k++) {
    p += l;
    l = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
    p += 4;
  }
  *der = p;
  *len = l;
  return TLSW_OK;
}

int tlswi_wb_verify_result(const void *bsess) {
  const wsess *s = bsess;
  if (s->verify_mode == TLSW_CERT_NONE || !s->vrec->checked) {
    return TLSW_ERR_STATE;
  }
  return s->vrec->status;
}
