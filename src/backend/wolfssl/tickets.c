/*
 * Session-ticket keys a fleet of servers shares (tlsw_ctx_set_ticket_keys):
 * tickets sealed with ChaCha20-Poly1305 under a key derived from the
 * caller's secret, named by another derivation of it, so any server given
 * the same secret opens them, and one given the previous secret as well
 * keeps accepting tickets across a rotation. Without it, wolfSSL's own
 * callback seals tickets with keys it generates and rotates per context.
 */
#include "backend/wolfssl/internal.h"

#include <string.h>

#if TLSW_WB_TICKET_KEYS

#include <wolfssl/wolfcrypt/chacha20_poly1305.h>
#include <wolfssl/wolfcrypt/sha256.h>

/* SHA-256(label || secret): the name and the key come from one secret
 * without one telling anything of the other. */
static int derive(const char *label, const uint8_t *secret, size_t len,
                  uint8_t out[32]) {
  wc_Sha256 h;
  int r = wc_InitSha256(&h);
  if (r == 0)
    r = wc_Sha256Update(&h, (const byte *)label, (word32)strlen(label));
  if (r == 0) r = wc_Sha256Update(&h, secret, (word32)len);
  if (r == 0) r = wc_Sha256Final(&h, out);
  wc_Sha256Free(&h);
  return r;
}

static int find_key(const wctx *w, const byte name[WOLFSSL_TICKET_NAME_SZ]) {
  for (int i = 0; i < w->n_ticket_keys; i++) {
    if (memcmp(name, w->ticket_name[i], WOLFSSL_TICKET_NAME_SZ) == 0) return i;
  }
  return -1;
}

/* wolfSSL's SessionTicketEncCb: enc seals the ticket in place under the
 * current key; otherwise opens it under the key its name names. A ticket
 * under an unknown key, or one that fails to open, is rejected: the
 * handshake goes on in full, as RFC 5077 and RFC 8446 want. */
static int ticket_cb(WOLFSSL *ssl, byte key_name[WOLFSSL_TICKET_NAME_SZ],
                     byte iv[WOLFSSL_TICKET_IV_SZ],
                     byte mac[WOLFSSL_TICKET_MAC_SZ], int enc, byte *ticket,
                     int in_len, int *out_len, void *user) {
  const wctx *w = user;
  int idx = 0;
  if (enc) {
    memcpy(key_name, w->ticket_name[0], WOLFSSL_TICKET_NAME_SZ);
    if (tlswi_wb_random(iv, WOLFSSL_TICKET_IV_SZ) != TLSW_OK) {
      return WOLFSSL_TICKET_RET_REJECT;
    }
  } else if ((idx = find_key(w, key_name)) < 0) {
    return WOLFSSL_TICKET_RET_REJECT;
  }
  /* The name, the nonce and the length are authenticated with the data. */
  byte aad[WOLFSSL_TICKET_NAME_SZ + WOLFSSL_TICKET_IV_SZ + 2];
  memcpy(aad, key_name, WOLFSSL_TICKET_NAME_SZ);
  memcpy(aad + WOLFSSL_TICKET_NAME_SZ, iv, WOLFSSL_TICKET_IV_SZ);
  aad[sizeof aad - 2] = (byte)(in_len >> 8);
  aad[sizeof aad - 1] = (byte)in_len;
  int r =
      enc ? wc_ChaCha20Poly1305_Encrypt(w->ticket_key[idx], iv, aad, sizeof aad,
                                        ticket, (word32)in_len, ticket, mac)
          : wc_ChaCha20Poly1305_Decrypt(w->ticket_key[idx], iv, aad, sizeof aad,
                                        ticket, (word32)in_len, mac, ticket);
  if (r != 0) return WOLFSSL_TICKET_RET_REJECT;
  *out_len = in_len;
  /* TLS 1.2: a ticket opened under the previous key is replaced by a new
   * one under the current key. */
  if (!enc && idx > 0 && wolfSSL_GetVersion(ssl) != WOLFSSL_TLSV1_3) {
    return WOLFSSL_TICKET_RET_CREATE;
  }
  return WOLFSSL_TICKET_RET_OK;
}

int tlswi_wb_ctx_set_ticket_keys(void *bctx, const uint8_t *current,
                                 const uint8_t *previous, size_t len,
                                 tlsw_err *e) {
  wctx *w = bctx;
  w->loaded = 1; /* held by this WOLFSSL_CTX alone (context.c) */
  const uint8_t *secrets[2] = {current, previous};
  uint8_t name[32];
  int n = previous != NULL ? 2 : 1;
  for (int i = 0; i < n; i++) {
    if (derive("tlswrap ticket name", secrets[i], len, name) != 0 ||
        derive("tlswrap ticket key", secrets[i], len, w->ticket_key[i]) != 0) {
      return tlswi_err_set(e, TLSW_ERR_INTERNAL, 0,
                           "set_ticket_keys: SHA-256 failed");
    }
    memcpy(w->ticket_name[i], name, WOLFSSL_TICKET_NAME_SZ);
  }
  w->n_ticket_keys = n;
  if (wolfSSL_CTX_set_TicketEncCtx(w->ctx, w) != WOLFSSL_SUCCESS ||
      wolfSSL_CTX_set_TicketEncCb(w->ctx, ticket_cb) != WOLFSSL_SUCCESS) {
    return tlswi_err_set(e, TLSW_ERR_INTERNAL, 0,
                         "set_ticket_keys: wolfSSL refused the ticket "
                         "callback");
  }
  return TLSW_OK;
}

#endif
