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
void tlswi_wb_pick_cookie_secret(wsess *s, const uint8_t *d, size_t n) {
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
    ok = wc_HmacSetKey(&h, WC_SHA256, s->role.cookie_prev,
                       TLSW_WB_COOKIE_LEN) == 0 &&
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
      wolfSSL_DTLS_SetCookieSecret(s->ssl, s->role.cookie_prev,
                                   TLSW_WB_COOKIE_LEN);
    }
  }
  tlswi_wb_wipe(mac, sizeof mac);
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
