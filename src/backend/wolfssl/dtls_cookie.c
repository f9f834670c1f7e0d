/*
 * DTLS server cookies (doc §2): the context's secret replaces wolfSSL's
 * per-object one, a cookie made with the previous (rotated) secret is still
 * accepted, and a checked ClientHello ends the stateless phase.
 */
#include "backend/wolfssl/internal.h"
#include <wolfssl/wolfcrypt/hmac.h>

#include <string.h>

#include "support/alloc.h"

/* Nothing here without DTLS in the wolfSSL build (internal.h). */
#if TLSW_WB_DTLS

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

/* HMAC-SHA256(key, part[0] || part[1] || ...) == mac, compared in
 * constant time: the cookie is attacker-chosen. */
static int hmac_ok(const uint8_t *key, const uint8_t *const *part,
                   const size_t *len, size_t n, const uint8_t *mac) {
  Hmac h;
  uint8_t out[WC_SHA256_DIGEST_SIZE];
  int ok = wc_HmacInit(&h, NULL, INVALID_DEVID) == 0;
  if (ok) {
    ok = wc_HmacSetKey(&h, WC_SHA256, key, TLSW_WB_COOKIE_LEN) == 0;
    for (size_t i = 0; ok && i < n; i++) {
      ok = wc_HmacUpdate(&h, part[i], (word32)len[i]) == 0;
    }
    ok = ok && wc_HmacFinal(&h, out) == 0;
    wc_HmacFree(&h);
  }
  uint8_t diff = 0;
  for (size_t i = 0; i < sizeof out; i++) diff |= out[i] ^ mac[i];
  tlswi_wb_wipe(out, sizeof out);
  return ok && diff == 0;
}

/* The ClientHello fields that cookies cover (RFC 6347 4.2.1, RFC 8446
 * 4.2.2), each a bounds-checked slice of the datagram. */
typedef struct chello {
  const uint8_t *pv, *random, *sid, *cookie, *cs, *comp, *exts;
  size_t sid_len, cookie_len, cs_len, comp_len, exts_len;
} chello;

/* The first record of d, when it is a plaintext, unfragmented
 * ClientHello. */
static int parse_hello(const uint8_t *d, size_t n, chello *c) {
  rd r = {d, n};
  const uint8_t *rec = rd_take(&r, 13);
  if (rec == NULL || rec[0] != 22 || rec[3] != 0 || rec[4] != 0) return 0;
  size_t rec_len = ((size_t)rec[11] << 8) | rec[12];
  if (rec_len > r.left) return 0;
  r.left = rec_len;
  const uint8_t *hs = rd_take(&r, 12);
  if (hs == NULL || hs[0] != 1) return 0; /* client_hello, unfragmented */
  if (hs[6] != 0 || hs[7] != 0 || hs[8] != 0 ||
      memcmp(hs + 1, hs + 9, 3) != 0) {
    return 0;
  }
  memset(c, 0, sizeof *c);
  c->pv = rd_take(&r, 2);
  c->random = rd_take(&r, 32);
  c->sid = rd_vec(&r, 1, &c->sid_len);
  c->cookie = rd_vec(&r, 1, &c->cookie_len);
  c->cs = rd_vec(&r, 2, &c->cs_len);
  c->comp = rd_vec(&r, 1, &c->comp_len);
  if (c->pv == NULL || c->random == NULL || c->sid == NULL ||
      c->cookie == NULL || c->cs == NULL || c->comp == NULL) {
    return 0;
  }
  c->exts = rd_vec(&r, 2, &c->exts_len); /* NULL: none */
  return 1;
}

/* DTLS 1.3's cookie: the data of the cookie extension (44) of a
 * ClientHello, or NULL. */
static const uint8_t *cookie_ext(const chello *c, size_t *len) {
  rd r = {c->exts, c->exts != NULL ? c->exts_len : 0};
  while (r.left >= 4) {
    const uint8_t *t = rd_take(&r, 2);
    size_t ext_len = 0;
    const uint8_t *ext = rd_vec(&r, 2, &ext_len);
    if (t == NULL || ext == NULL) return NULL;
    if (t[0] == 0 && t[1] == 44) {
      rd e = {ext, ext_len};
      return rd_vec(&e, 2, len);
    }
  }
  return NULL;
}

/*
 * Secret rotation: wolfSSL checks a cookie against one secret only, the one
 * set on the object. When the context rotated its secret between our
 * HelloVerifyRequest (or DTLS 1.3 HelloRetryRequest) and the client's
 * second ClientHello, the cookie was made with what is now the previous
 * secret. We recompute wolfSSL's cookie with the previous secret and, if it
 * matches, hand that secret to wolfSSL before it looks at the datagram.
 * - DTLS 1.2: HMAC-SHA256(secret, peer || client_version || random ||
 *   session_id || cipher_suites || compression) (5.5.4 src/dtls.c
 *   CreateDtlsCookie; doc §2 measured it byte for byte), the 32-byte
 *   legacy cookie.
 * - DTLS 1.3 (5.7.2 src/tls13.c CreateCookieExt, TlsCheckCookie): the
 *   cookie extension carries data || HMAC-SHA256(secret, data || peer),
 *   data being the hash of the first ClientHello, the suite and the key
 *   share group.
 * Anything unexpected just leaves the current secret: the worst case is
 * one more round trip (DTLS 1.2) or a refused hello (1.3), never a weaker
 * check. Also notes that a DTLS 1.3 hello carried a cookie, for the
 * message if wolfSSL refuses it (dtls.c).
 */
void tlswi_wb_pick_cookie_secret(wsess *s, const uint8_t *d, size_t n) {
  chello c;
  if (!parse_hello(d, n, &c)) return;
  size_t ext_len = 0;
  const uint8_t *ext = cookie_ext(&c, &ext_len);
  if (ext != NULL) s->dtls.cookie13 = 1;
  if (s->role.cookie_prev == NULL) return;
  /* The cookie's peer bytes: the session's client_id. */
  uint8_t peer[128];
  unsigned peer_len = sizeof peer;
  if (wolfSSL_dtls_get_peer(s->ssl, peer, &peer_len) != WOLFSSL_SUCCESS) {
    return;
  }
  if (c.cookie_len == WC_SHA256_DIGEST_SIZE) {
    const uint8_t *part[] = {peer, c.pv, c.random, c.sid, c.cs, c.comp};
    size_t len[] = {peer_len, 2, 32, c.sid_len, c.cs_len, c.comp_len};
    if (hmac_ok(s->role.cookie_prev, part, len, 6, c.cookie)) {
      wolfSSL_DTLS_SetCookieSecret(s->ssl, s->role.cookie_prev,
                                   TLSW_WB_COOKIE_LEN);
    }
    return;
  }
#if TLSW_WB_DTLS13
  if (ext != NULL && ext_len > WC_SHA256_DIGEST_SIZE) {
    size_t data_len = ext_len - WC_SHA256_DIGEST_SIZE;
    const uint8_t *part[] = {ext, peer};
    size_t len[] = {data_len, peer_len};
    if (hmac_ok(s->role.cookie_prev, part, len, 2, ext + data_len)) {
      wolfSSL_send_hrr_cookie(s->ssl, s->role.cookie_prev, TLSW_WB_COOKIE_LEN);
    }
  }
#endif
}

/* Fires only for a ClientHello whose cookie checked (doc §2). */
static int ch_good_cb(WOLFSSL *ssl, void *user) {
  (void)ssl;
  wsess *s = user;
  s->dtls.ch_good = 1;
  /* From here the handshake is an ordinary one: a blocking transport may
   * carry it to the end within this call. */
  s->dtls.rx_limit = 0;
  tlswi_wb_drop_cookie_prev(s);
  return 0;
}

void tlswi_wb_drop_cookie_prev(wsess *s) {
  if (s->role.cookie_prev == NULL) return;
  tlswi_wb_wipe(s->role.cookie_prev, TLSW_WB_COOKIE_LEN);
  tlswi_free(s->role.cookie_prev);
  s->role.cookie_prev = NULL;
}

/* A DTLS server session's cookie state, from the context (wrap time). */
int tlswi_wb_dtls_cookie_setup(wsess *s, const tlsw_sess_params *p) {
  int st = TLSW_OK;
  /* client_id becomes the cookie's peer bytes (doc §2). */
  if (wolfSSL_dtls_set_peer(s->ssl, (void *)(uintptr_t)p->client_id,
                            (unsigned)p->client_id_len) != WOLFSSL_SUCCESS) {
    st = tlswi_err_status(p->err, TLSW_ERR_NOMEM, 0);
  }
  /* The context's secret replaces wolfSSL's per-object random one,
   * which would make every cookie fail on the next object (doc §2).
   * Note: returns 0 on success, not WOLFSSL_SUCCESS. */
  if (st == TLSW_OK && p->cookie_secret != NULL &&
      wolfSSL_DTLS_SetCookieSecret(s->ssl, p->cookie_secret,
                                   (unsigned)p->cookie_secret_len) != 0) {
    st = tlswi_err_set(p->err, TLSW_ERR_INTERNAL, 0,
                       "cannot set the DTLS cookie secret");
  }
#if TLSW_WB_DTLS13
  /* DTLS 1.3's HelloRetryRequest cookie has its own secret in wolfSSL:
   * the same one (a session negotiates one version). */
  if (st == TLSW_OK && p->cookie_secret != NULL && s->dtls.can13 &&
      wolfSSL_send_hrr_cookie(s->ssl, p->cookie_secret,
                              (unsigned)p->cookie_secret_len) !=
          WOLFSSL_SUCCESS) {
    st = tlswi_err_set(p->err, TLSW_ERR_INTERNAL, 0,
                       "cannot set the DTLS 1.3 cookie secret");
  }
#endif
  /* Only while the context holds a rotated secret: out of line, freed
   * (wiped) once a ClientHello's cookie checked. */
  if (st == TLSW_OK && p->cookie_prev_secret != NULL &&
      p->cookie_secret_len == TLSW_WB_COOKIE_LEN) {
    s->role.cookie_prev = tlswi_malloc(TLSW_WB_COOKIE_LEN);
    if (s->role.cookie_prev == NULL) {
      st = tlswi_err_set(p->err, TLSW_ERR_NOMEM, 0,
                         "wrap: out of memory for the previous DTLS cookie "
                         "secret (%u bytes)",
                         (unsigned)TLSW_WB_COOKIE_LEN);
    } else {
      memcpy(s->role.cookie_prev, p->cookie_prev_secret, TLSW_WB_COOKIE_LEN);
    }
  }
  if (st == TLSW_OK &&
      wolfDTLS_SetChGoodCb(s->ssl, ch_good_cb, s) != WOLFSSL_SUCCESS) {
    st = tlswi_err_set(p->err, TLSW_ERR_INTERNAL, 0,
                       "cannot install the DTLS ClientHello callback");
  }
  return st;
}

#endif /* TLSW_WB_DTLS */
