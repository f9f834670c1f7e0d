/*
 * The options tlsw-client and tlsw-server share (--cert, --key, --pass,
 * --dtls, --ciphers, --alpn, --groups, --tls-min/--tls-max, --keymat-export,
 * --keymat-len, --list-ciphers, --timeout, --msg, --help, --version): one table
 * entry and one handler each, so the two tools spell, check and word them the
 * same way.
 */
#ifndef TLSW_CLI_OPTS_H
#define TLSW_CLI_OPTS_H

#include "args.h"
#include "tlswrap/tlswrap.h"

/* Ids of the shared options; a tool's own ids stay below CLI_O_BASE. */
enum {
  CLI_O_BASE = 1000,
  CLI_O_CERT,
  CLI_O_KEY,
  CLI_O_PASS,
  CLI_O_DTLS,
  CLI_O_CIPHERS,
  CLI_O_LIST_CIPHERS,
  CLI_O_TIMEOUT,
  CLI_O_MSG,
  CLI_O_HELP,
  CLI_O_VERSION,
  CLI_O_ALPN,
  CLI_O_TLS_MIN,
  CLI_O_TLS_MAX,
  CLI_O_TLS12,
  CLI_O_TLS13,
  CLI_O_KEYMAT,
  CLI_O_KEYMAT_LEN,
  CLI_O_GROUPS,
  CLI_O_CRL,
  CLI_O_DTLS_CID
};

/* The shared entries, for the start of a tool's cli_opt table. */
#define CLI_COMMON_OPTS                                                     \
  {"cert", 0, 1, CLI_O_CERT}, {"key", 0, 1, CLI_O_KEY},                     \
      {"pass", 0, 1, CLI_O_PASS}, {"dtls", 0, 0, CLI_O_DTLS},               \
      {"dtls-cid", 0, 0, CLI_O_DTLS_CID}, {"ciphers", 0, 1, CLI_O_CIPHERS}, \
      {"alpn", 0, 1, CLI_O_ALPN}, {"groups", 0, 1, CLI_O_GROUPS},           \
      {"tls-min", 0, 1, CLI_O_TLS_MIN}, {"tls-max", 0, 1, CLI_O_TLS_MAX},   \
      {"tls1_2", 0, 0, CLI_O_TLS12}, {"tls1_3", 0, 0, CLI_O_TLS13},         \
      {"keymat-export", 0, 1, CLI_O_KEYMAT},                                \
      {"keymat-len", 0, 1, CLI_O_KEYMAT_LEN}, {"crl", 0, 1, CLI_O_CRL},     \
      {"list-ciphers", 0, 0, CLI_O_LIST_CIPHERS},                           \
      {"timeout", 0, 1, CLI_O_TIMEOUT}, {"msg", 0, 0, CLI_O_MSG},           \
      {"help", 'h', 0, CLI_O_HELP}, {                                       \
    "version", 0, 0, CLI_O_VERSION                                          \
  }

/* What the shared options set. The caller fills in the defaults (and
 * usage, printed by --help) before parsing. */
typedef struct cli_common {
  const char *cert, *key, *pass, *ciphers, *alpn, *groups;
  const char *crl; /* --crl FILE, or NULL */
  int dtls, msg;
  int dtls_cid;         /* --dtls-cid: DTLS connection IDs */
  int tls_min, tls_max; /* tlsw_tls_version; 0: the library's default */
  long timeout_s;
  const char *usage;
  /* --keymat-export LABEL (NULL: none) and --keymat-len (default 20, as
   * openssl's -keymatexportlen). */
  const char *keymat_label;
  long keymat_len;
} cli_common;

/* Apply option id with value v (NULL for a flag). Returns 1 if it was a
 * shared option (applied), 0 if it is the tool's own, -1 after printing
 * why the value is wrong. --help, --version and --list-ciphers print and
 * exit the process. */
int cli_common_opt(cli_common *c, int id, const char *v);

/* Apply --tls-min/--tls-max/-tls1_2/-tls1_3 to ctx. CLI_EXIT_OK, or
 * CLI_EXIT_USAGE after printing the library's reason. */
int cli_set_versions(tlsw_ctx *ctx, int tls_min, int tls_max);

/* --dtls-cid (on) on ctx: CLI_EXIT_OK, or CLI_EXIT_USAGE after printing
 * the library's reason (no DTLS 1.3, no connection IDs in the build). */
int cli_set_dtls_cid(tlsw_ctx *ctx, int on);

/* Whole seconds from min to max for option what ("--idle"). 0, or -1
 * after printing "WHAT wants whole seconds from MIN to MAX, not 'V'". */
int cli_parse_seconds(const char *v, long min, long max, const char *what,
                      long *out);

#endif
