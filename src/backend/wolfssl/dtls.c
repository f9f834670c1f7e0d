/*
 * DTLS (doc §2): per-call datagram accounting, the outcomes wolfSSL has no
 * error code for (HelloVerifyRequest sent, datagram dropped, oversized
 * datagram, handshake timeout), and the retransmission timer.
 */
#include "backend/wolfssl/internal.h"
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include <errno.h>
#include <string.h>

#include "support/alloc.h"

/* Nothing here without DTLS in the wolfSSL build (internal.h). */
#if TLSW_WB_DTLS

/* DTLS outcomes that wolfSSL has no error code for. 0: none applies. */
int tlswi_wb_dtls_failure(wsess *s, int r) {
  if (s->dtls.hvr_sent) {
    /* Worded by the status table (core/status.c: MicroPython's message
     * for MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED). */
    return tlswi_err_status(s->err, TLSW_HELLO_VERIFY, 0);
  }
  int fresh = s->cfg->is_server && !s->dtls.ch_good;
  if (s->rx_too_big && !wolfSSL_is_init_finished(s->ssl) && !fresh) {
    return tlswi_err_set(s->err, TLSW_ERR_HANDSHAKE, 0,
                         "DTLS handshake failed: the peer sent a %s%zu-byte "
                         "datagram, but this wolfSSL build reads at most %d "
                         "bytes during a handshake; lower the peer's MTU "
                         "(e.g. openssl -mtu 1400)",
                         s->rx_too_big >= TLSW_DTLS_MAX_DATAGRAM ? ">= " : "",
                         s->rx_too_big, 1400);
  }
  int err = wolfSSL_get_error(s->ssl, r);
  int blocked =
      err == WOLFSSL_ERROR_WANT_READ || err == WOLFSSL_ERROR_WANT_WRITE;
  if (fresh && s->rx_count > 0 && s->io_status == 0 && !s->io_eof &&
      err != MEMORY_E && err != MEMORY_ERROR) {
    if (s->dtls.cookie13) {
      /* wolfSSL refuses a DTLS 1.3 hello whose cookie does not check
       * (5.7.2 DoClientHelloStateless), unlike DTLS 1.2's, which gets
       * another HelloVerifyRequest; nothing is kept either way. */
      return tlswi_err_set(s->err, TLSW_ERR_DATAGRAM_DROPPED, err,
                           "DTLS 1.3 ClientHello dropped: its cookie is not "
                           "valid for this peer (made for another "
                           "client_id, expired, or forged)");
    }
    /* The first datagram of a new peer was not an acceptable ClientHello
     * (garbage, a stray record or alert, a truncated or fragmented hello):
     * wolfSSL ignored it and sent nothing. */
    return tlswi_err_set(s->err, TLSW_ERR_DATAGRAM_DROPPED, err,
                         "invalid datagram dropped: the first datagram from "
                         "a new DTLS peer must be a ClientHello");
  }
  if (s->dtls.timed_out && !blocked && s->io_status == 0) {
    return tlswi_err_set(s->err, TLSW_ERR_TIMEOUT, err,
                         "DTLS handshake timed out: no answer from the peer "
                         "after %u retransmissions",
                         s->retransmits);
  }
  return 0;
}

void tlswi_wb_dtls_begin_call(wsess *s, int one_datagram) {
  s->rx_count = 0;
  s->tx_count = 0;
  s->rx_too_big = 0;
  s->dtls.rx_limit = (unsigned char)one_datagram;
}

size_t tlswi_wb_dtls_max_payload(const void *bsess) {
  const wsess *s = bsess;
  int n = wolfSSL_GetMaxOutputSize(s->ssl);
  return n > 0 ? (size_t)n : 0;
}

/* DTLS 1.3: wolfSSL still holds a flight of ours that the peer has not
 * acknowledged (RFC 9147 7: a client's Finished after wolfSSL counts the
 * handshake as finished). */
int tlswi_wb_dtls13_pending(const wsess *s) {
#if TLSW_WB_DTLS13
  return tlswi_wb_dtls13_on(s) && wolfSSL_dtls13_has_pending_msg(s->ssl);
#else
  (void)s;
  return 0;
#endif
}

/* The session negotiated (or, before that, offers) DTLS 1.3. */
int tlswi_wb_dtls13_on(const wsess *s) {
#if TLSW_WB_DTLS13
  return wolfSSL_version(s->ssl) == DTLS1_3_VERSION;
#else
  (void)s;
  return 0;
#endif
}

long tlswi_wb_dtls_timeout_ms(const void *bsess) {
  const wsess *s = bsess;
  if (wolfSSL_is_init_finished(s->ssl) && !tlswi_wb_dtls13_pending(s)) {
    return -1;
  }
  int sec = wolfSSL_dtls_get_current_timeout(s->ssl);
  if (sec <= 0) return -1;
  long ms = (long)sec * 1000;
#if TLSW_WB_DTLS13
  /* DTLS 1.3's short timer (a quarter, wolfSSL's advice): when it fires
   * wolfSSL only sends ACKs of what it got, and resends its flight at the
   * next one. Waiting the whole period instead doubled every
   * retransmission's delay. */
  if (tlswi_wb_dtls13_on(s) && wolfSSL_dtls13_use_quick_timeout(s->ssl)) {
    ms /= 4;
  }
#endif
  return ms;
}

int tlswi_wb_dtls_handle_timeout(void *bsess, unsigned *want) {
  wsess *s = bsess;
  s->last_want = 0;
  tlswi_wb_dtls_begin_call(s, 0);
  int r = wolfSSL_dtls_got_timeout(s->ssl);
  if (r == WOLFSSL_SUCCESS) {
    s->retransmits++;
    return TLSW_OK;
  }
  int err = wolfSSL_get_error(s->ssl, r);
  if (err != WOLFSSL_ERROR_WANT_READ && err != WOLFSSL_ERROR_WANT_WRITE &&
      s->io_status == 0) {
    /* got_timeout fails once the timer passed its maximum (doc §2). */
    return tlswi_err_set(s->err, TLSW_ERR_TIMEOUT, err,
                         "DTLS handshake timed out: no answer from the peer "
                         "after %u retransmissions",
                         s->retransmits);
  }
  int st = tlswi_wb_decode_failure(s, r);
  *want = s->last_want;
  return st;
}

int tlswi_wb_dtls_fresh(const void *bsess) {
  const wsess *s = bsess;
  return s->cfg->is_dtls && s->cfg->is_server && !s->dtls.ch_good;
}

/* One record of a received or sent datagram, bounds-checked. */
typedef struct drec {
  uint8_t type;
  unsigned epoch;
  const uint8_t *body;
  size_t len;
} drec;

static int next_record(const uint8_t *d, size_t n, size_t *off, drec *r) {
  if (n < 13 || *off > n - 13) return 0;
  const uint8_t *h = d + *off;
  size_t len = ((size_t)h[11] << 8) | h[12];
  if (len > n - *off - 13) return 0;
  r->type = h[0];
  r->epoch = ((unsigned)h[3] << 8) | h[4];
  r->body = h + 13;
  r->len = len;
  *off += 13 + len;
  return 1;
}

/* A plaintext handshake message: its type, message_seq, fragment_offset. */
static int plain_handshake(const drec *r, unsigned *type, unsigned *seq,
                           unsigned long *frag_off) {
  if (r->type != 22 || r->epoch != 0 || r->len < 12) return 0;
  const uint8_t *b = r->body;
  *type = b[0];
  *seq = ((unsigned)b[4] << 8) | b[5];
  *frag_off = ((unsigned long)b[6] << 16) | ((unsigned long)b[7] << 8) | b[8];
  return 1;
}

#if TLSW_WB_DTLS_FLIGHT_COPY
/*
 * The server's last flight (ChangeCipherSpec, Finished, and a
 * NewSessionTicket before them if one is sent), as sent: 5.5.4 sends it as
 * one 67-byte datagram (ECDSA P-256, ChaCha20-Poly1305), so a copy costs
 * sizeof(wflight) + 67 bytes, freed at the client's first application
 * record. Bounded: at most FLIGHT_DGRAMS datagrams and FLIGHT_BYTES bytes
 * (a larger flight is not kept: the session then behaves as 5.5.4 does),
 * and at most FLIGHT_RESENDS answers (OpenSSL's client retransmits 12
 * times, wolfSSL's 6), after which it is freed too. wolfSSL has no clock
 * to hand here, so there is no time limit; a session that never reads
 * keeps the copy until it is freed.
 */
#define FLIGHT_DGRAMS 4
#define FLIGHT_BYTES 2048
#define FLIGHT_RESENDS 12

struct wflight {
  uint16_t len[FLIGHT_DGRAMS];
  unsigned char n, resends;
  size_t used;
  uint8_t data[]; /* the datagrams, back to back */
};

/* Only handshake-layer records (CCS, handshake): part of a flight. Our
 * first application record or alert ends the flight. */
static int flight_records(const uint8_t *d, size_t n) {
  size_t off = 0;
  drec r;
  int any = 0;
  while (next_record(d, n, &off, &r)) {
    if (r.type != 20 && r.type != 22) return 0;
    any = 1;
  }
  return any && off == n;
}

void tlswi_wb_dtls_flight_free(wsess *s) {
  s->dtls.flight_over = 1;
  tlswi_free(s->flight);
  s->flight = NULL;
}

/* Called for every datagram a DTLS server sent: once wolfSSL counts the
 * handshake as finished, what it still sends before the next datagram
 * arrives is the last flight (5.5.4 flags the handshake finished before it
 * writes that flight; measured). */
void tlswi_wb_dtls_sent(wsess *s, const uint8_t *d, size_t n) {
  if (s->dtls.flight_over || !s->cfg->is_server ||
      !wolfSSL_is_init_finished(s->ssl)) {
    return;
  }
  wflight *f = s->flight;
  size_t used = f != NULL ? f->used : 0;
  if (!flight_records(d, n)) {
    s->dtls.flight_over = 1; /* the flight is complete; a copy stays */
    return;
  }
  if ((f != NULL && f->n == FLIGHT_DGRAMS) || used + n > FLIGHT_BYTES) {
    tlswi_wb_dtls_flight_free(s); /* too large to keep */
    return;
  }
  wflight *g = tlswi_realloc(f, sizeof *g + used + n);
  if (g == NULL) {
    /* Out of memory: lose only the workaround, not the session. */
    tlswi_wb_dtls_flight_free(s);
    return;
  }
  if (f == NULL) memset(g, 0, sizeof *g);
  memcpy(g->data + used, d, n);
  g->len[g->n++] = (uint16_t)n;
  g->used = used + n;
  s->flight = g;
}

/* The client resent its last flight: so did it lose ours. Best effort, as
 * a retransmission by wolfSSL would be: a datagram the transport refuses is
 * lost like any other. */
static void flight_resend(wsess *s) {
  wflight *f = s->flight;
  const uint8_t *p = f->data;
  int saved = errno;
  for (unsigned i = 0; i < f->n; i++) {
    size_t put = 0;
    if (s->io->send(s->io->io, p, f->len[i], &put) == TLSW_OK && put > 0) {
      s->tx_count++;
      s->tx_total++;
    }
    p += f->len[i];
  }
  errno = saved;
  if (++f->resends >= FLIGHT_RESENDS) tlswi_wb_dtls_flight_free(s);
}
#else
void tlswi_wb_dtls_flight_free(wsess *s) {
  (void)s;
}

void tlswi_wb_dtls_sent(wsess *s, const uint8_t *d, size_t n) {
  (void)s;
  (void)d;
  (void)n;
}
#endif

/*
 * A datagram for an established DTLS server, before wolfSSL sees it.
 * Returns 1 to drop it unread.
 *
 * A plaintext ClientHello: 5.7.2 fails an established session on one with
 * OUT_OF_ORDER_E and a fatal alert (MsgCheckEncryption): a stray or
 * delayed retransmission of the client's hello (3 of 200 handshakes in
 * test_dtls_loss), or anyone who can forge the client's address, would end
 * it. An established session never takes a plaintext hello (a restarted
 * peer is the UDP helper's business, docs/dtls.md), so it is dropped, as
 * dtls.md promises for every datagram without data for the session.
 *
 * With TLSW_WB_DTLS_FLIGHT_COPY, the first message of the client's last
 * flight again (message_seq one past its ClientHello's, from the start)
 * means our last flight was lost: resend it (RFC 6347 4.2.4).
 */
int tlswi_wb_dtls_screen(wsess *s, const uint8_t *d, size_t n) {
  if (!s->cfg->is_server || !wolfSSL_is_init_finished(s->ssl)) return 0;
  int hello = 0, again = 0;
  size_t off = 0;
  drec r;
  while (next_record(d, n, &off, &r)) {
    unsigned type, seq;
    unsigned long frag_off;
    if (!plain_handshake(&r, &type, &seq, &frag_off)) continue;
    if (type == 1) hello = 1;
    if (type != 1 && s->dtls.ch_seq_known && seq == (unsigned)s->ch_seq + 1u &&
        frag_off == 0) {
      again = 1;
    }
  }
#if TLSW_WB_DTLS_FLIGHT_COPY
  s->dtls.flight_over = 1; /* a datagram arrived: our flight is complete */
  if (again && !hello && s->flight != NULL) flight_resend(s);
#else
  (void)again;
#endif
  return hello;
}

#endif /* TLSW_WB_DTLS */
