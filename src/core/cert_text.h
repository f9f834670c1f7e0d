/*
 * Certificate fields as text a person can read and no terminal acts on
 * (core/cert_text.c): names "CN=a, O=b" with RFC 4514 escapes, SANs
 * "DNS:x, IP:1.2.3.4", every byte that is not printable ASCII or valid
 * printable UTF-8 shown as \xHH. For tlsw_cert (core/cert.c).
 */
#ifndef TLSW_CORE_CERT_TEXT_H
#define TLSW_CORE_CERT_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* A growable string; an allocation failure is remembered (oom), not
 * lost, and the string then taken is NULL. */
typedef struct tlswi_sbuf {
  char *s;
  size_t len, cap;
  int oom;
} tlswi_sbuf;

/* "" for an empty string, NULL after an allocation failure (b freed). */
char *tlswi_sbuf_take(tlswi_sbuf *b);

/* A Name's contents (its RDNs) in certificate order: "CN=a, O=b"; -1 when
 * malformed. */
int tlswi_text_name(tlswi_sbuf *b, const uint8_t *name, size_t len);

/* The subjectAltName extension of a DER certificate: "DNS:a, IP:1.2.3.4";
 * nothing for a certificate without one; -1 when malformed. */
int tlswi_text_sans(tlswi_sbuf *b, const uint8_t *der, size_t len);

/* Bytes as uppercase hex, no separators. */
void tlswi_text_hex(tlswi_sbuf *b, const uint8_t *p, size_t n);

/* The certificate's signature algorithm by OpenSSL's name
 * ("ecdsa-with-SHA256"), or its OID dotted; -1 when unreadable. */
int tlswi_text_sig_alg(tlswi_sbuf *b, const uint8_t *der, size_t len);

#endif
