/*
 * The X.509 fields the tools print: subject, issuer, validity and
 * subjectAltName, read by the library (tlswrap/cert.h: bounds-checked,
 * every byte from the peer escaped so that control characters never reach
 * the terminal). It does not verify anything (the handshake did that); it
 * only describes a certificate to a person.
 */
#ifndef TLSW_CLI_X509_INFO_H
#define TLSW_CLI_X509_INFO_H

#include <stddef.h>
#include <stdint.h>

typedef struct cli_x509 {
  char *subject;       /* "CN=server, O=Example"; malloc'd */
  char *issuer;        /* same form */
  char *sans;          /* "DNS:localhost, IP:127.0.0.1", "" if none */
  char not_before[32]; /* "2026-01-02 03:04:05 UTC" */
  char not_after[32];
  long long not_before_t; /* seconds since the epoch, UTC */
  long long not_after_t;
} cli_x509;

/* Parse a DER certificate. Returns 0 and fills *x (free with
 * cli_x509_free), or -1 if the data is malformed or memory ran out (*x
 * then holds nothing to free). */
int cli_x509_parse(const uint8_t *der, size_t len, cli_x509 *x);
void cli_x509_free(cli_x509 *x);

#endif
