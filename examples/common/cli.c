#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tlswrap/status.h"

/* Set once at start-up by main(), read-only afterwards. */
static const char *prog_name = "tlsw";

void cli_set_prog(const char *name) {
  prog_name = name;
}

const char *cli_prog(void) {
  return prog_name;
}

void cli_msg(const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  /* Messages quote peer-supplied text (certificate names, alert texts):
   * keep control characters away from the terminal. */
  for (char *q = line; *q; q++) {
    if ((unsigned char)*q < 0x20 || *q == 0x7f) *q = '?';
  }
  fprintf(stderr, "%s: %s\n", prog_name, line);
  fflush(stderr);
}

static int is_verify_status(int st) {
  return st <= TLSW_ERR_CERT_VERIFY && st >= TLSW_ERR_CERT_REJECTED;
}

int cli_handshake_exit(int st) {
  if (is_verify_status(st)) return CLI_EXIT_VERIFY;
  /* Everything else that stops a handshake (alerts, no shared suite, the
   * peer hanging up or timing out mid-handshake, a non-TLS peer) is a
   * handshake failure: the transport itself was up. */
  return CLI_EXIT_HANDSHAKE;
}

int cli_data_exit(int st) {
  /* TLS 1.3 clients learn that the server rejected their certificate only
   * on the first read after the handshake: report it as what it is. */
  if (is_verify_status(st)) return CLI_EXIT_VERIFY;
  if (tlsw_status_category(st) == TLSW_CAT_PROTOCOL) return CLI_EXIT_HANDSHAKE;
  return CLI_EXIT_IO;
}

/* The alerts that refuse a certificate, as the session message names them
 * ("peer sent alert: bad_certificate (42)"). */
static int names_cert_refusal(const char *msg) {
  static const char *const names[] = {
      "bad_certificate",     "unknown_ca",          "unsupported_certificate",
      "certificate_unknown", "certificate_revoked", "certificate_expired"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strstr(msg, names[i]) != NULL) return 1;
  }
  return 0;
}

int cli_alert_refuses_cert(const char *msg) {
  return msg != NULL && (strstr(msg, "certificate_required") != NULL ||
                         names_cert_refusal(msg));
}

/* Hints for the alerts a peer sends most often; the session message names
 * the alert ("peer sent alert: bad_certificate (42)"). */
static const char *alert_hint(const char *msg, int is_server) {
  if (msg == NULL) return NULL;
  if (strstr(msg, "certificate_required") != NULL) {
    return is_server ? NULL
                     : "the server requires a client certificate: use --cert "
                       "FILE --key FILE";
  }
  if (names_cert_refusal(msg)) {
    return is_server ? "the client does not accept this server's certificate "
                       "(does it trust the CA, is the name right?)"
                     : "the server does not accept our certificate: check "
                       "that --cert is a client certificate (for TLS client "
                       "authentication) issued by a CA the server trusts";
  }
  if (strstr(msg, "no_application_protocol") != NULL) {
    return is_server ? "the client shares no ALPN protocol with --alpn"
                     : "the server shares none of the ALPN protocols "
                       "offered (--alpn); openssl s_client -alpn shows what "
                       "it accepts";
  }
  if (strstr(msg, "protocol_version") != NULL) {
    return "no TLS version in common (tlswrap speaks TLS 1.2 and 1.3)";
  }
  return NULL;
}

const char *cli_hint_for(int st, const char *msg, int is_server) {
  if (st == TLSW_ERR_HANDSHAKE && msg != NULL && strstr(msg, "(ALPN)")) {
    return "check --alpn on both sides";
  }
  if (st == TLSW_ERR_ALERT) {
    const char *h = alert_hint(msg, is_server);
    if (h != NULL) return h;
  }
  return cli_hint(st, is_server);
}

const char *cli_hint(int st, int is_server) {
  switch (st) {
    case TLSW_ERR_CERT_UNTRUSTED:
      return is_server ? "pass the client's issuing CA with --client-ca FILE"
                       : "pass the issuing CA with --cafile FILE or --capath "
                         "DIR (or --insecure to skip verification)";
    case TLSW_ERR_CERT_HOSTNAME:
      return "use --servername NAME with a name the certificate holds (-v "
             "shows its SANs)";
    case TLSW_ERR_CERT_EXPIRED:
    case TLSW_ERR_CERT_NOT_YET_VALID:
      return "check the clocks of both machines, or renew the certificate";
    case TLSW_ERR_CERT_MISSING:
      return is_server ? "the client must send a certificate (--verify "
                         "optional accepts clients without one)"
                       : "the server wants a client certificate: use --cert "
                         "FILE --key FILE";
    case TLSW_ERR_CERT_VERIFY:
    case TLSW_ERR_CERT_REJECTED:
      return is_server ? "check the client's certificate chain"
                       : "check the server's certificate chain with -v";
    case TLSW_ERR_ALERT:
      return is_server ? "the client refused the handshake; it may not trust "
                         "this certificate"
                       : "the server refused the handshake: no common "
                         "cipher suite (--ciphers), key exchange group "
                         "(--groups) or version, or it wants "
                         "a client certificate (--cert FILE --key FILE)";
    case TLSW_ERR_NO_SHARED_CIPHER:
      return "the two sides share no cipher suite: check --ciphers "
             "(--list-ciphers shows what is available)";
    case TLSW_ERR_VERSION:
      return "the peer speaks no TLS 1.2 or 1.3 (older versions are refused "
             "on purpose)";
    case TLSW_ERR_BAD_RECORD:
    case TLSW_ERR_HANDSHAKE:
      return is_server ? "the client may not speak TLS (or DTLS with --dtls)"
                       : "is this a TLS server (or DTLS: --dtls)? Check the "
                         "port";
    case TLSW_ERR_EOF:
    case TLSW_ERR_RESET:
      return is_server ? "the client went away"
                       : "the server closed the connection: is it a TLS "
                         "server (or DTLS: --dtls) on that port, or does it "
                         "require a client certificate (--cert/--key)?";
    case TLSW_ERR_TIMEOUT:
      return is_server ? "the client stopped answering"
                       : "the server did not answer in time; check host, "
                         "port and --dtls, or raise --timeout";
    case TLSW_ERR_IO: return "check the network path to the peer";
    default: return "";
  }
}

long long cli_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cli_parse_long(const char *s, long min, long max, long *out) {
  if (s == NULL || *s == '\0') return -1;
  char *end = NULL;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno != 0 || *end != '\0' || v < min || v > max) return -1;
  *out = v;
  return 0;
}

int cli_password(const char *spec, char *buf, size_t size) {
  const char *v = NULL;
  if (strncmp(spec, "pass:", 5) == 0) {
    v = spec + 5;
  } else if (strncmp(spec, "env:", 4) == 0) {
    v = getenv(spec + 4);
    if (v == NULL) {
      cli_msg("--pass %s: the environment variable %s is not set", spec,
              spec + 4);
      return -1;
    }
  } else if (strncmp(spec, "file:", 5) == 0) {
    FILE *f = fopen(spec + 5, "r");
    if (f == NULL ||
        fgets(buf, (int)(size > INT_MAX ? INT_MAX : size), f) == NULL) {
      cli_msg("--pass %s: cannot read the password file: %s", spec,
              strerror(errno ? errno : EIO));
      if (f != NULL) fclose(f);
      return -1;
    }
    fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
  } else {
    cli_msg(
        "--pass wants pass:TEXT, env:VARIABLE or file:PATH (env: and "
        "file: keep the password out of the process list)");
    return -1;
  }
  if (strlen(v) >= size) {
    cli_msg("--pass: the password is longer than %zu bytes", size - 1);
    return -1;
  }
  memcpy(buf, v, strlen(v) + 1);
  return 0;
}

int cli_poll_timeout(long long ms) {
  return ms < 0 || ms > CLI_POLL_MAX_MS ? CLI_POLL_MAX_MS : (int)ms;
}

void cli_on_stop_signals(void (*handler)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

const char *cli_after_prefix(const char *msg, const char *prefix) {
  if (msg == NULL) return "";
  size_t n = strlen(prefix);
  if (strncmp(msg, prefix, n) != 0) return msg;
  msg += n;
  if (*msg == ':') msg++;
  while (*msg == ' ') msg++;
  return *msg ? msg : "no details";
}
