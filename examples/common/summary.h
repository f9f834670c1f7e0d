/* The handshake summary printed by -v (on stderr). */
#ifndef TLSW_CLI_SUMMARY_H
#define TLSW_CLI_SUMMARY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tlswrap/session.h"

/* The certificates the peer sent, as verification saw them (deepest
 * first), collected by cli_chain_cb: what -v shows besides the leaf. */
#define CLI_CHAIN_MAX 10
typedef struct cli_chain {
  int n;
  struct {
    int depth, ok;
    uint8_t *der; /* malloc'd copy */
    size_t len;
  } cert[CLI_CHAIN_MAX];
} cli_chain;

/* A tlsw_verify_fn (user: a zeroed cli_chain) that only records: it
 * returns 0, so verification decides as it would without it. */
int cli_chain_cb(void *user, const uint8_t *der, size_t der_len, int depth,
                 int preverify_ok);
void cli_chain_free(cli_chain *ch);

/* After a failed handshake (-v): the peer's certificate (the library keeps
 * it after a failed verification), the chain as far as it was checked,
 * and the verification outcome with its reason. */
void cli_print_failure(FILE *f, const tlsw_session *s, const cli_chain *ch);

/* Print protocol, cipher, the peer certificate (subject, issuer, validity,
 * SANs), the chain (ch, may be NULL), the verification result and the
 * handshake time to f. checked_name: the name the certificate was checked
 * against (NULL if none). The session is only read. */
void cli_print_summary(FILE *f, const tlsw_session *s, long long handshake_ms,
                       const char *checked_name, const cli_chain *ch);

/* Print the peer certificate fields with the given line prefix. Returns 0,
 * or -1 if there is no certificate or it could not be parsed (a line saying
 * so is printed). */
int cli_print_peer_cert(FILE *f, const tlsw_session *s, const char *prefix);

#endif
