/*
 * DTLS (doc §2): per-call datagram accounting, the outcomes wolfSSL has no
 * error code for (HelloVerifyRequest sent, datagram dropped, oversized
 * datagram, handshake timeout), and the retransmission timer.
 */
#include "backend/wolfssl/internal.h"
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

/* DTLS outcomes that wolfSSL has no error code for. 0: none applies. */
int tlsw_wb_dtls_failure(wsess *s, int r) {
  if (s->hvr_sent) {
    /* MicroPython's message for MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED. */
    return tlsw_err_set(s->err, TLSW_HELLO_VERIFY, 0, "Hello Verify Required");
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
  int blocked =
      err == WOLFSSL_ERROR_WANT_READ || err == WOLFSSL_ERROR_WANT_WRITE;
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

void tlsw_wb_dtls_begin_call(wsess *s, int one_datagram) {
  s->rx_count = 0;
  s->tx_count = 0;
  s->rx_too_big = 0;
  s->rx_limit = (unsigned char)one_datagram;
}

size_t tlsw_wb_dtls_max_payload(const void *bsess) {
  const wsess *s = bsess;
  int n = wolfSSL_GetMaxOutputSize(s->ssl);
  return n > 0 ? (size_t)n : 0;
}

long tlsw_wb_dtls_timeout_ms(const void *bsess) {
  const wsess *s = bsess;
  if (wolfSSL_is_init_finished(s->ssl)) return -1;
  int sec = wolfSSL_dtls_get_current_timeout(s->ssl);
  return sec > 0 ? (long)sec * 1000 : -1;
}

int tlsw_wb_dtls_handle_timeout(void *bsess, unsigned *want) {
  wsess *s = bsess;
  s->last_want = 0;
  tlsw_wb_dtls_begin_call(s, 0);
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
  int st = tlsw_wb_decode_failure(s, r);
  *want = s->last_want;
  return st;
}

int tlsw_wb_dtls_fresh(const void *bsess) {
  const wsess *s = bsess;
  return s->cfg->is_dtls && s->cfg->is_server && !s->ch_good;
}
