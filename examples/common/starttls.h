/*
 * tlsw-client --starttls PROTO: the plaintext exchange that turns an SMTP,
 * IMAP or POP3 connection into a TLS one (as openssl s_client -starttls),
 * on the connected socket before the handshake.
 */
#ifndef TLSW_CLI_STARTTLS_H
#define TLSW_CLI_STARTTLS_H

/* 1 if proto is one this tool speaks (smtp, imap, pop3). */
int cli_starttls_known(const char *proto);

/* Run the exchange on the non-blocking socket fd within timeout_ms.
 * Returns 0 when the server agreed to start TLS, or -1 after printing one
 * line that quotes what the server said. */
int cli_starttls(int fd, const char *proto, const char *peer, int timeout_ms);

#endif
