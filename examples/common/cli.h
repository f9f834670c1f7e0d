/*
 * Shared pieces of tlsw-client and tlsw-server: exit codes, one-line error
 * reports with a hint, status classification, clocks.
 *
 * The tools use only the public tlswrap API (the headers in
 * include/tlswrap).
 */
#ifndef TLSW_CLI_H
#define TLSW_CLI_H

#include <stddef.h>

/* Exit statuses, documented in --help and docs/cli.md. Distinct so that
 * scripts can tell "fix your command line" from "the network is down" from
 * "the peer is not who it claims to be". */
enum cli_exit {
  CLI_EXIT_OK = 0,
  CLI_EXIT_USAGE = 2,     /* bad option, unreadable/invalid cert or key */
  CLI_EXIT_CONNECT = 3,   /* resolve/connect/bind failed */
  CLI_EXIT_VERIFY = 4,    /* the peer's certificate did not verify */
  CLI_EXIT_HANDSHAKE = 5, /* TLS/DTLS negotiation failed, fatal alert */
  CLI_EXIT_IO = 6         /* transport or stdin/stdout failure afterwards */
};

/* Longest single poll() wait in the tools' loops. A stop signal that lands
 * between a loop's check of its flag and its poll() would otherwise go
 * unseen until the next event, which for an idle server is never; with the
 * cap it is seen within a quarter second, at the cost of four wake-ups a
 * second. (ppoll/pselect would avoid them but are not in POSIX 2008.) */
#define CLI_POLL_MAX_MS 250

/* poll() timeout for a wait of ms milliseconds (< 0: no limit), capped at
 * CLI_POLL_MAX_MS. Callers re-check their own deadlines after each wake. */
int cli_poll_timeout(long long ms);

/* Program name used as the prefix of every message. Set once in main(). */
void cli_set_prog(const char *name);
const char *cli_prog(void);

/* Print "prog: <message>" plus newline on stderr. The message should say
 * what happened and what to try, in one line. */
void cli_msg(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Exit status for a failed handshake status (see enum cli_exit). */
int cli_handshake_exit(int status);

/* Exit status for a failure after the handshake (data phase). */
int cli_data_exit(int status);

/* Whether the session message msg (may be NULL) names a fatal alert that
 * refuses a certificate (bad_certificate, unknown_ca, certificate_required
 * and the like): after a TLS 1.3 handshake that is the server's verdict on
 * our certificate, a handshake failure; any other fatal alert then is not. */
int cli_alert_refuses_cert(const char *msg);

/* A short suggestion for a person, for a status seen by a client
 * (is_server 0) or by a server (1). Never NULL; "" when there is none. */
const char *cli_hint(int status, int is_server);

/* The same, refined by the session message msg (may be NULL): for a fatal
 * alert, the alert's name picks a more precise hint. */
const char *cli_hint_for(int status, const char *msg, int is_server);

/* msg without a leading prefix (and the ": " after it), so that "handshake
 * failed: " + a library message that already says "handshake failed: ..."
 * is not said twice. msg NULL gives "". */
const char *cli_after_prefix(const char *msg, const char *prefix);

/* Milliseconds of a monotonic clock. */
long long cli_now_ms(void);

/* Call handler on SIGINT and SIGTERM, without SA_RESTART: a blocking
 * poll() then returns EINTR, so the tool's loop sees the flag the handler
 * sets and can end politely (close_notify). */
void cli_on_stop_signals(void (*handler)(int));

/* Parse a decimal number in [min, max]; 0 ok, -1 not a number/out of range. */
int cli_parse_long(const char *s, long min, long max, long *out);

/* Resolve a password source like openssl's -pass: "pass:TEXT", "env:VAR"
 * or "file:PATH" (first line). Writes a NUL-terminated password into buf.
 * Returns 0, or -1 after printing what is wrong. */
int cli_password(const char *spec, char *buf, size_t size);

#endif
