/* The handshake summary printed by -v (on stderr). */
#ifndef TLSW_CLI_SUMMARY_H
#define TLSW_CLI_SUMMARY_H

#include <stdio.h>

#include "tlswrap/session.h"

/* Print protocol, cipher, the peer certificate (subject, issuer, validity,
 * SANs), the verification result and the handshake time to f. checked_name:
 * the name the certificate was checked against (NULL if none). The session
 * is only read. */
void cli_print_summary(FILE *f, const tlsw_session *s, long long handshake_ms,
                       const char *checked_name);

/* Print the peer certificate fields with the given line prefix. Returns 0,
 * or -1 if there is no certificate or it could not be parsed (a line saying
 * so is printed). */
int cli_print_peer_cert(FILE *f, const tlsw_session *s, const char *prefix);

#endif
