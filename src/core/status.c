#include <stddef.h>

#include "core/internal.h"
#include "core/policy.h"
#include "tlswrap/status.h"

typedef struct {
  int code;
  tlsw_category cat;
  const char *name;
  const char *text;
} status_info;

/* The single table of statuses; docs/errors.md mirrors it and
 * tests/test_status.c checks every entry has a message. */
static const status_info statuses[] = {
    {TLSW_OK, TLSW_CAT_OK, "TLSW_OK", "success"},
    {TLSW_WANT_READ, TLSW_CAT_BLOCKED, "TLSW_WANT_READ",
     "operation would block: waiting to read from the transport"},
    {TLSW_WANT_WRITE, TLSW_CAT_BLOCKED, "TLSW_WANT_WRITE",
     "operation would block: waiting to write to the transport"},
    {TLSW_CLOSED, TLSW_CAT_CLOSED, "TLSW_CLOSED",
     "connection closed by peer (close_notify)"},
    {TLSW_ERR_EOF, TLSW_CAT_CLOSED, "TLSW_ERR_EOF",
     "connection closed by peer without close_notify"},
    {TLSW_ERR_IO, TLSW_CAT_IO, "TLSW_ERR_IO", "transport I/O error"},
    {TLSW_ERR_TIMEOUT, TLSW_CAT_IO, "TLSW_ERR_TIMEOUT", "transport timed out"},
    {TLSW_ERR_RESET, TLSW_CAT_IO, "TLSW_ERR_RESET", "connection reset by peer"},
    {TLSW_ERR_FILE, TLSW_CAT_IO, "TLSW_ERR_FILE", "file cannot be read"},
    {TLSW_ERR_CERT_VERIFY, TLSW_CAT_CERT, "TLSW_ERR_CERT_VERIFY",
     TLSW_VERIFY_FAILED},
    {TLSW_ERR_CERT_UNTRUSTED, TLSW_CAT_CERT, "TLSW_ERR_CERT_UNTRUSTED",
     TLSW_VERIFY_FAILED ": not trusted (unknown issuer or "
                        "self-signed)"},
    {TLSW_ERR_CERT_EXPIRED, TLSW_CAT_CERT, "TLSW_ERR_CERT_EXPIRED",
     TLSW_VERIFY_FAILED ": certificate has expired"},
    {TLSW_ERR_CERT_NOT_YET_VALID, TLSW_CAT_CERT, "TLSW_ERR_CERT_NOT_YET_VALID",
     TLSW_VERIFY_FAILED ": certificate is not yet valid"},
    {TLSW_ERR_CERT_HOSTNAME, TLSW_CAT_CERT, "TLSW_ERR_CERT_HOSTNAME",
     TLSW_VERIFY_FAILED ": hostname mismatch"},
    {TLSW_ERR_CERT_MISSING, TLSW_CAT_CERT, "TLSW_ERR_CERT_MISSING",
     "peer did not return a certificate"},
    {TLSW_ERR_CERT_REJECTED, TLSW_CAT_CERT, "TLSW_ERR_CERT_REJECTED",
     "certificate rejected by the verify callback"},
    {TLSW_ERR_CERT_INVALID, TLSW_CAT_CERT, "TLSW_ERR_CERT_INVALID",
     "invalid certificate data"},
    {TLSW_ERR_KEY_INVALID, TLSW_CAT_CERT, "TLSW_ERR_KEY_INVALID",
     "invalid private key data"},
    {TLSW_ERR_KEY_PASSWORD, TLSW_CAT_CERT, "TLSW_ERR_KEY_PASSWORD",
     "private key is encrypted: password missing or wrong"},
    {TLSW_ERR_KEY_MISMATCH, TLSW_CAT_CERT, "TLSW_ERR_KEY_MISMATCH",
     "private key does not match the certificate"},
    {TLSW_ERR_CERT_WEAK_KEY, TLSW_CAT_CERT, "TLSW_ERR_CERT_WEAK_KEY",
     "key is too small (own key, or a certificate of the peer)"},
    {TLSW_ERR_HANDSHAKE, TLSW_CAT_PROTOCOL, "TLSW_ERR_HANDSHAKE",
     "handshake failed"},
    {TLSW_ERR_ALERT, TLSW_CAT_PROTOCOL, "TLSW_ERR_ALERT",
     "peer sent a fatal alert"},
    {TLSW_ERR_NO_SHARED_CIPHER, TLSW_CAT_PROTOCOL, "TLSW_ERR_NO_SHARED_CIPHER",
     "no shared cipher suite with the peer"},
    {TLSW_ERR_VERSION, TLSW_CAT_PROTOCOL, "TLSW_ERR_VERSION",
     "no shared protocol version with the peer"},
    {TLSW_ERR_BAD_RECORD, TLSW_CAT_PROTOCOL, "TLSW_ERR_BAD_RECORD",
     "malformed or unauthentic record from the peer"},
    {TLSW_HELLO_VERIFY, TLSW_CAT_PROTOCOL, "TLSW_HELLO_VERIFY",
     "Hello Verify Required"},
    {TLSW_ERR_DATAGRAM_DROPPED, TLSW_CAT_PROTOCOL, "TLSW_ERR_DATAGRAM_DROPPED",
     "invalid datagram dropped"},
    {TLSW_ERR_ARG, TLSW_CAT_USAGE, "TLSW_ERR_ARG", "invalid argument"},
    {TLSW_ERR_STATE, TLSW_CAT_USAGE, "TLSW_ERR_STATE",
     "operation not valid in this state"},
    {TLSW_ERR_UNSUPPORTED, TLSW_CAT_USAGE, "TLSW_ERR_UNSUPPORTED",
     "not supported by this backend"},
    {TLSW_ERR_CIPHER, TLSW_CAT_USAGE, "TLSW_ERR_CIPHER",
     "unknown cipher suite name"},
    {TLSW_ERR_HOSTNAME_REQUIRED, TLSW_CAT_USAGE, "TLSW_ERR_HOSTNAME_REQUIRED",
     "CERT_REQUIRED requires server_hostname"},
    {TLSW_ERR_TOO_BIG, TLSW_CAT_USAGE, "TLSW_ERR_TOO_BIG",
     "data larger than one datagram"},
    {TLSW_ERR_SHUT, TLSW_CAT_USAGE, "TLSW_ERR_SHUT",
     "session has been shut down"},
    {TLSW_ERR_NOMEM, TLSW_CAT_NOMEM, "TLSW_ERR_NOMEM", "out of memory"},
    {TLSW_ERR_INTERNAL, TLSW_CAT_INTERNAL, "TLSW_ERR_INTERNAL",
     "internal error in the TLS backend"},
};

static const status_info *find(int status) {
  for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
    if (statuses[i].code == status) return &statuses[i];
  }
  return NULL;
}

tlsw_category tlsw_status_category(int status) {
  const status_info *s = find(status);
  return s ? s->cat : TLSW_CAT_INTERNAL;
}

const char *tlsw_strerror(int status) {
  const status_info *s = find(status);
  return s ? s->text : "unknown tlswrap status";
}

const char *tlsw_status_name(int status) {
  const status_info *s = find(status);
  return s ? s->name : "TLSW_UNKNOWN";
}

const char *tlsw_category_name(tlsw_category cat) {
  switch (cat) {
    case TLSW_CAT_OK: return "ok";
    case TLSW_CAT_BLOCKED: return "blocked";
    case TLSW_CAT_CLOSED: return "closed";
    case TLSW_CAT_IO: return "io";
    case TLSW_CAT_CERT: return "cert";
    case TLSW_CAT_PROTOCOL: return "protocol";
    case TLSW_CAT_USAGE: return "usage";
    case TLSW_CAT_NOMEM: return "nomem";
    case TLSW_CAT_INTERNAL: return "internal";
  }
  return "unknown";
}

/* The "sticky" rule of status.h, by category so that a status added to a
 * category follows it; docs/errors.md's Sticky column is checked against
 * this (test_docs). The session-dependent exception (a fresh DTLS server
 * session ended by a dropped datagram) is decided in core/session.c. */
int tlsw_status_is_fatal(int status) {
  switch (tlsw_status_category(status)) {
    case TLSW_CAT_OK:
    case TLSW_CAT_BLOCKED:
    case TLSW_CAT_USAGE: return 0;
    case TLSW_CAT_CLOSED: return status != TLSW_CLOSED;
    case TLSW_CAT_PROTOCOL: return status != TLSW_ERR_DATAGRAM_DROPPED;
    default: return 1;
  }
}
