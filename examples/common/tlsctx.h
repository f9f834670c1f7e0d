/* Context set-up shared by the tools: identity, trust, cipher lists. Each
 * function prints one line saying what went wrong and returns CLI_EXIT_*. */
#ifndef TLSW_CLI_TLSCTX_H
#define TLSW_CLI_TLSCTX_H

#include <stdio.h>

#include "tlswrap/context.h"
#include "tlswrap/session.h"

/* --cert/--key[/--pass]. key NULL: the key is in the cert file. pass_spec
 * as for cli_password() or NULL. Returns CLI_EXIT_OK or CLI_EXIT_USAGE. */
int cli_load_identity(tlsw_ctx *ctx, const char *cert, const char *key,
                      const char *pass_spec);

/* CA file (what) / directory. Returns CLI_EXIT_OK or CLI_EXIT_USAGE. */
int cli_load_ca_file(tlsw_ctx *ctx, const char *file, const char *what);
int cli_load_ca_dir(tlsw_ctx *ctx, const char *dir);

/* --ciphers "A,B,C" (IANA names). Returns CLI_EXIT_OK or CLI_EXIT_USAGE. */
int cli_set_ciphers(tlsw_ctx *ctx, const char *list);

/* --alpn "h2,http/1.1". Returns CLI_EXIT_OK or CLI_EXIT_USAGE. */
int cli_set_alpn(tlsw_ctx *ctx, const char *list);

/* --groups "X25519:P-256". Returns CLI_EXIT_OK or CLI_EXIT_USAGE. */
int cli_set_groups(tlsw_ctx *ctx, const char *list);

/* --crl FILE (after the CAs, which verify it). CLI_EXIT_OK or
 * CLI_EXIT_USAGE. */
int cli_load_crl(tlsw_ctx *ctx, const char *file);

/* 1 if the suite (IANA name) encrypts nothing (NULL cipher, integrity only). */
int cli_cipher_is_null(const char *name);

/* --list-ciphers: the suites the library offers, one per line, marking
 * those enabled by default
 * and putting suites without encryption under a heading of their own. Returns
 * CLI_EXIT_OK or an error exit. */
int cli_list_ciphers(FILE *out);

/* --version: the tool and library versions, the wolfSSL version and build
 * ("wolfSSL 5.7.2, source/host" or Debian's system library), the backend
 * and the features compiled in, by name. */
void cli_print_version(FILE *out, const char *prog);

/* SSLKEYLOGFILE (as curl and browsers read it): when set and not empty,
 * append every session's secrets to that file (created 0600) in the NSS
 * key log format. A build without key logging, or a file that cannot be
 * opened, is reported on stderr and the tool goes on: a debugging aid
 * must not stop the connection. The file stays open for the process. */
void cli_keylog_from_env(tlsw_ctx *ctx);

/* The largest --keymat-len the tools take (a log line must hold it). */
#define CLI_KEYMAT_MAX 128

/* --keymat-export: len bytes of exported keying material for label, as
 * upper-case hex (openssl's form) in out (cap >= 2 * len + 1). 0, or -1
 * with the library's reason in out. */
int cli_keymat_enable(tlsw_ctx *ctx, const char *label);
int cli_keymat_hex(tlsw_session *s, const char *label, long len, char *out,
                   size_t cap);

/* Make a context or print why not. Returns CLI_EXIT_OK with *ctx set. */
int cli_new_ctx(tlsw_ctx **ctx, tlsw_protocol protocol);

/* --msg: trace every record and handshake message of the sessions wrapped
 * from ctx on stderr, like openssl s_client -msg (tlswrap/msg.h). prefix
 * names the connection (may be ""). */
void cli_trace_messages(tlsw_ctx *ctx, const char *prefix);

#endif
