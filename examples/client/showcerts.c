/*
 * --show-certs: every certificate the server sent, in its order, as PEM on
 * stderr with its subject and issuer above it (as openssl s_client
 * -showcerts prints them; stdout carries the data). The library keeps the
 * chain (tlsw_ctx_set_keep_peer_chain) and reads the names.
 */
#include <stdio.h>

#include "client.h"
#include "tlswrap/tlswrap.h"

static void put_pem(FILE *f, const uint8_t *der, size_t len) {
  static const char b64[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  fputs("-----BEGIN CERTIFICATE-----\n", f);
  size_t col = 0;
  for (size_t i = 0; i < len; i += 3) {
    size_t n = len - i < 3 ? len - i : 3;
    unsigned long v = (unsigned long)der[i] << 16;
    if (n > 1) v |= (unsigned long)der[i + 1] << 8;
    if (n > 2) v |= der[i + 2];
    fputc(b64[(v >> 18) & 63], f);
    fputc(b64[(v >> 12) & 63], f);
    fputc(n > 1 ? b64[(v >> 6) & 63] : '=', f);
    fputc(n > 2 ? b64[v & 63] : '=', f);
    if ((col += 4) == 64) {
      fputc('\n', f);
      col = 0;
    }
  }
  if (col > 0) fputc('\n', f);
  fputs("-----END CERTIFICATE-----\n", f);
}

void client_show_certs(FILE *f, const tlsw_session *s) {
  const uint8_t *der;
  size_t len;
  fputs("* certificates the server sent:\n", f);
  size_t i = 0;
  for (; tlsw_session_peer_chain(s, i, &der, &len) == TLSW_OK; i++) {
    tlsw_cert *c = NULL;
    int parsed = tlsw_cert_parse(der, len, &c) == TLSW_OK;
    fprintf(f, " %zu s:%s\n   i:%s\n", i,
            parsed ? tlsw_cert_subject(c) : "(unreadable)",
            parsed ? tlsw_cert_issuer(c) : "(unreadable)");
    tlsw_cert_free(c);
    put_pem(f, der, len);
  }
  if (i == 0) fputs("*   (none: a resumed session sends none)\n", f);
  fflush(f);
}
