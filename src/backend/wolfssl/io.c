/*
 * The wolfSSL I/O callbacks (doc §1): wolfSSL reads and writes through the
 * session's tlsw_io, and transport outcomes are kept on the session for
 * tlswi_wb_decode_failure(). DTLS adds datagram accounting, full-size
 * receives and the HelloVerifyRequest handling of a stateless server
 * (doc §2). During a TLS shutdown output goes to the stash (shutdown.c).
 */
#include "backend/wolfssl/internal.h"

#include <errno.h>
#include <string.h>

#include "support/hints.h"

#if TLSW_WB_DTLS && TLSW_WB_DTLS_BOUNCE
/*
 * Receive one datagram. wolfSSL 5.5.4 offers only WOLFSSL_MAX_MTU (1400)
 * bytes during a handshake (doc §2), less than io.h promises and less than
 * a peer with a 1500-byte MTU may send; a transport would silently cut
 * such a datagram. So small buffers are served from a full-size bounce
 * buffer and a datagram that does not fit is reported (rx_too_big), never
 * truncated. (Builds that do not need it: internal.h.)
 */
static int dtls_transport_recv(wsess *s, uint8_t *buf, size_t sz, size_t *n) {
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
#elif TLSW_WB_DTLS
/* This wolfSSL offers at least TLSW_DTLS_MAX_DATAGRAM bytes (internal.h);
 * should a build of it offer less, say so rather than let the transport
 * cut datagrams. */
static int dtls_transport_recv(wsess *s, uint8_t *buf, size_t sz, size_t *n) {
  if (sz >= TLSW_DTLS_MAX_DATAGRAM) return s->io->recv(s->io->io, buf, sz, n);
  *n = 0;
  tlswi_err_set(s->err, TLSW_ERR_IO, 0,
                "wolfSSL offered a %zu-byte DTLS receive buffer, less than "
                "the %d bytes a datagram may need; rebuild tlswrap with "
                "-DTLSW_WB_DTLS_BOUNCE=1 for this wolfSSL",
                sz, TLSW_DTLS_MAX_DATAGRAM);
  errno = 0;
  return TLSW_ERR_IO;
}
#endif

/* A transport failure the callback reported: keep it (and errno) for the
 * session's message, and give wolfSSL the code that ends its call. Any
 * status outside the io.h contract counts as TLSW_ERR_IO. */
static int io_failed(wsess *s, int st, const char *which) {
  s->io_errno = errno;
  switch (st) {
    case TLSW_ERR_RESET:
      s->io_status = TLSW_ERR_RESET;
      return WOLFSSL_CBIO_ERR_CONN_RST;
    case TLSW_ERR_TIMEOUT:
      s->io_status = TLSW_ERR_TIMEOUT;
      return WOLFSSL_CBIO_ERR_GENERAL;
    case TLSW_ERR_IO:
      s->io_status = TLSW_ERR_IO;
      return WOLFSSL_CBIO_ERR_GENERAL;
    default:
      /* Any other status is the callback's bug: say so, rather than a
       * plain "transport I/O error" that sends people to the network
       * (issue #13). The message survives, as callback_overran's. */
      s->io_status = TLSW_ERR_IO;
      s->io_errno = 0;
      tlswi_err_set(s->err, TLSW_ERR_IO, 0,
                    "transport %s callback returned %s (%d), outside its "
                    "contract (tlswrap/io.h: TLSW_OK, TLSW_WANT_*, "
                    "TLSW_ERR_IO, TLSW_ERR_RESET or TLSW_ERR_TIMEOUT); "
                    "taken as a transport failure",
                    which, tlsw_status_name(st), st);
      return WOLFSSL_CBIO_ERR_GENERAL;
  }
}

/* A callback that claims more bytes than the buffer held broke the io.h
 * contract: fail the session rather than trust the count. */
static int callback_overran(wsess *s, const char *which, size_t n, int sz) {
  s->io_status = TLSW_ERR_IO;
  s->io_errno = 0;
  tlswi_err_set(s->err, TLSW_ERR_IO, 0,
                "transport %s callback reported %zu bytes for a %d-byte "
                "buffer",
                which, n, sz);
  return WOLFSSL_CBIO_ERR_GENERAL;
}

/* TLS: wolfSSL reads a record header (5 bytes) on its own before the body;
 * keep the first bytes of the latest delivery so that a refused header can
 * be explained (errors.c). A constant-size copy: this runs for every
 * record. */
static void keep_header(wsess *s, const uint8_t *d, size_t n) {
  if (n >= sizeof s->rx_hdr) {
    memcpy(s->rx_hdr, d, sizeof s->rx_hdr);
  } else {
    s->rx_hdr[0] = 0; /* not a header */
  }
}

#if TLSW_WB_DTLS
/* DTLS bookkeeping for a datagram the transport delivered (n > 0, within
 * the buffer). Returns 1 when it was dropped unread. */
static int note_datagram(wsess *s, const uint8_t *d, size_t n) {
  s->rx_count++;
  s->dtls.timed_out = 0;
  /* Dropped unread: it carried nothing for this session (dtls.c). */
  if (tlswi_wb_dtls_screen(s, d, n)) return 1;
  if (WB_IS_SERVER(s->cfg) && !s->dtls.ch_good) {
    if (n >= 25 && d[0] == 22 && d[13] == 1) {
      s->ch_seq = (uint16_t)(((unsigned)d[17] << 8) | d[18]);
      s->dtls.ch_seq_known = 1;
    }
    tlswi_wb_pick_cookie_secret(s, d, n);
  }
  return 0;
}
#endif

/* The transport's status as wolfSSL's recv callback answer. */
static TLSW_NOINLINE int recv_result(wsess *s, int st, size_t n, int sz) {
  switch (st) {
    case TLSW_OK:
      if (n == 0) {
        s->io_eof = 1;
        return WOLFSSL_CBIO_ERR_CONN_CLOSE;
      }
      if (n > (size_t)sz) return callback_overran(s, "recv", n, sz);
      s->last_want = 0;
      return (int)n;
    case TLSW_WANT_READ:
      s->last_want = TLSW_DIR_READ;
      return WOLFSSL_CBIO_ERR_WANT_READ;
    case TLSW_WANT_WRITE:
      s->last_want = TLSW_DIR_WRITE;
      return WOLFSSL_CBIO_ERR_WANT_READ;
    case TLSW_ERR_TIMEOUT:
      s->io_errno = errno;
      if (WB_IS_DTLS(s->cfg) &&
          (!wolfSSL_is_init_finished(s->ssl) || tlswi_wb_dtls13_pending(s)) &&
          s->tx_total > 0) {
        /* Blocking DTLS handshake: wolfSSL retransmits and reads again.
         * (Before we sent anything there is nothing to resend, and a
         * server waiting for a first ClientHello just times out.) */
        s->dtls.timed_out = 1;
        s->retransmits++;
        return WOLFSSL_CBIO_ERR_TIMEOUT;
      }
      return io_failed(s, st, "recv");
    default: return io_failed(s, st, "recv");
  }
}

/*
 * The TLS recv callback, called twice per record (header, then body): the
 * transport's bytes straight into wolfSSL's buffer, and the outcome as
 * wolfSSL's code. Nothing else runs when the transport delivers.
 */
int tlswi_wb_tls_recv(WOLFSSL *ssl, char *buf, int sz, void *vctx) {
  (void)ssl;
  wsess *s = vctx;
  if (sz <= 0) {
    /* wolfSSL probes the transport with sz 0 after a shutdown (doc §9);
     * never hand that to the caller's callback. */
    return WOLFSSL_CBIO_ERR_WANT_READ;
  }
  size_t n = 0;
  errno = 0;
  int st = s->io->recv(s->io->io, (uint8_t *)buf, (size_t)sz, &n);
  if (st == TLSW_OK && n - 1 < (size_t)sz) { /* 1 to sz bytes */
    keep_header(s, (const uint8_t *)buf, n);
    if (s->role.ocsp != NULL) tlswi_wb_ocsp_feed(s, (const uint8_t *)buf, n);
    s->last_want = 0;
    return (int)n;
  }
  return recv_result(s, st, n, sz);
}

#if TLSW_WB_DTLS
int tlswi_wb_dtls_recv(WOLFSSL *ssl, char *buf, int sz, void *vctx) {
  (void)ssl;
  wsess *s = vctx;
  if (s->dtls.hvr_sent) {
    /* DTLS: stop right after our HelloVerifyRequest (doc §2). */
    return WOLFSSL_CBIO_ERR_WANT_READ;
  }
  if (sz <= 0) return WOLFSSL_CBIO_ERR_WANT_READ; /* as tlswi_wb_tls_recv */
  if (s->dtls.rx_limit && s->rx_count > 0) {
    /* One datagram per call: a fresh server session answers exactly one
     * (stateless), and a read returns after the datagram it consumed. */
    s->last_want = TLSW_DIR_READ;
    return WOLFSSL_CBIO_ERR_WANT_READ;
  }
  size_t n = 0;
  errno = 0;
  int st = dtls_transport_recv(s, (uint8_t *)buf, (size_t)sz, &n);
  if (s->rx_too_big) s->rx_count++;
  if (st == TLSW_OK && n > 0 && n <= (size_t)sz &&
      note_datagram(s, (const uint8_t *)buf, n)) {
    s->last_want = TLSW_DIR_READ;
    return WOLFSSL_CBIO_ERR_WANT_READ;
  }
  return recv_result(s, st, n, sz);
}

/* A DTLS handshake record whose message is HelloVerifyRequest (type 3):
 * 13-byte DTLS record header, then the handshake header (doc §2). */
static int is_hello_verify(const uint8_t *b, size_t len) {
  return len >= 14 && b[0] == 22 && b[3] == 0 && b[4] == 0 && b[13] == 3;
}

/* What a server sends before a ClientHello's cookie checked is its
 * stateless answer: a HelloVerifyRequest (DTLS 1.2) or, in DTLS 1.3, a
 * HelloRetryRequest, which is a plaintext ServerHello (type 2; RFC 9147
 * 5.1). A real ServerHello goes out only after ch_good. */
static int is_stateless_reply(const wsess *s, const uint8_t *b, size_t len) {
  if (is_hello_verify(b, len)) return 1;
  return !s->dtls.ch_good && len >= 14 && b[0] == 22 && b[3] == 0 &&
         b[4] == 0 && b[13] == 2;
}
#endif

/* How many of the sz bytes wolfSSL hands over may go out: after a fatal
 * alert, nothing (RFC 8446 6, RFC 5246 7.2.2: the connection is closed).
 * wolfSSL may send a second one: with TLS 1.2 ChaCha20-Poly1305 its AEAD
 * check sends bad_record_mac and ProcessReply another (measured:
 * tests/test_alerts.c). wolfSSL notes an alert before it builds it, so the
 * first output after the note ends with that alert: everything up to the
 * end of it goes out, nothing after. */
static int allowed(wsess *s, int sz) {
  if (s->fatal_room == 0) {
    WOLFSSL_ALERT_HISTORY h;
    if (wolfSSL_get_alert_history(s->ssl, &h) == WOLFSSL_SUCCESS &&
        h.last_tx.level == alert_fatal) {
      s->fatal_room = 1u + (unsigned)sz;
    }
    return sz;
  }
  unsigned left = s->fatal_room - 1u;
  return left < (unsigned)sz ? (int)left : sz;
}

/* The transport's answer to a send that did not take 1 to sz bytes, as
 * wolfSSL's code. */
static TLSW_NOINLINE int send_result(wsess *s, int st, size_t n, int sz) {
  switch (st) {
    case TLSW_OK:
      if (n == 0) {
        s->last_want = TLSW_DIR_WRITE;
        return WOLFSSL_CBIO_ERR_WANT_WRITE;
      }
      return callback_overran(s, "send", n, sz);
    case TLSW_WANT_WRITE:
      s->last_want = TLSW_DIR_WRITE;
      return WOLFSSL_CBIO_ERR_WANT_WRITE;
    case TLSW_WANT_READ:
      s->last_want = TLSW_DIR_READ;
      return WOLFSSL_CBIO_ERR_WANT_WRITE;
    default: return io_failed(s, st, "send");
  }
}

/* The transport has already failed (or ended) and the session with it:
 * nothing more goes out. wolfSSL would still send an alert here:
 * bad_record_mac for a record cut short by EOF or a read error
 * (WOLFSSL_EXTRA_ALERTS), which tells the peer a lie, and over a record the
 * transport took only in part, corrupts the stream (the peer saw "Sanity
 * check on ciphertext failed"): tests/test_fault_sweep.c. Such output is
 * dropped as if sent. */
static int transport_over(const wsess *s) {
  return s->io_eof || s->io_status != 0;
}

int tlswi_wb_tls_put(wsess *s, const uint8_t *buf, int sz) {
  if (transport_over(s)) return sz;
  size_t n = 0;
  errno = 0;
  int st = s->io->send(s->io->io, buf, (size_t)sz, &n);
  if (st == TLSW_OK && n - 1 < (size_t)sz) { /* 1 to sz bytes */
    s->last_want = 0;
    return (int)n;
  }
  return send_result(s, st, n, sz);
}

/*
 * The TLS send callback. Outside a read, write or shutdown (a handshake),
 * straight to the transport; inside one (stash_on), what the transport
 * does not take now is kept in the stash (shutdown.c), and output that
 * arrives while older bytes wait is queued behind them.
 */
int tlswi_wb_tls_send(WOLFSSL *ssl, char *buf, int sz, void *vctx) {
  (void)ssl;
  wsess *s = vctx;
  if (sz <= 0) return 0;
  int take = allowed(s, sz);
  if (take == 0) return sz; /* dropped: see allowed() */
  const uint8_t *b = (const uint8_t *)buf;
  int r;
  if (s->stash_on && tlswi_wb_stash_pending(s)) {
    r = tlswi_wb_stash_send(s, b, (size_t)take);
  } else {
    r = tlswi_wb_tls_put(s, b, take);
    if (r != take && s->stash_on) r = tlswi_wb_stash_rest(s, b, take, r);
  }
  if (r > 0 && s->fatal_room != 0) s->fatal_room -= (unsigned)r;
  return r;
}

#if TLSW_WB_DTLS
static int dtls_put(wsess *s, const uint8_t *cbuf, int sz) {
  if (transport_over(s)) return sz;
  if (s->dtls.cookie13 && !s->dtls.ch_good && WB_IS_SERVER(s->cfg)) {
    /* The alert wolfSSL sends for a DTLS 1.3 hello whose cookie failed:
     * a stateless server answers an unproven address with its cookie
     * reply only, so the hello is dropped as junk is (dtls.c). */
    return sz;
  }
  const uint8_t *buf = cbuf;
  size_t n = 0;
  errno = 0;
  uint8_t hvr[256];
  if (WB_IS_SERVER(s->cfg) && s->dtls.ch_seq_known &&
      (size_t)sz <= sizeof hvr && is_hello_verify(buf, (size_t)sz)) {
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
    buf = hvr;
  }
  int st = s->io->send(s->io->io, buf, (size_t)sz, &n);
  if (st != TLSW_OK || n - 1 >= (size_t)sz) return send_result(s, st, n, sz);
  s->last_want = 0;
  s->tx_count++;
  s->tx_total++;
  tlswi_wb_dtls_sent(s, buf, n);
  if (WB_IS_SERVER(s->cfg) && is_stateless_reply(s, buf, (size_t)sz)) {
    s->dtls.hvr_sent = 1;
  }
  return (int)n;
}

int tlswi_wb_dtls_send(WOLFSSL *ssl, char *buf, int sz, void *vctx) {
  (void)ssl;
  wsess *s = vctx;
  if (sz <= 0) return 0;
  int take = allowed(s, sz);
  if (take == 0) return sz; /* dropped: see allowed() */
  int r = dtls_put(s, (const uint8_t *)buf, take);
  if (r > 0 && s->fatal_room != 0) s->fatal_room -= (unsigned)r;
  return r;
}
#endif
