/* The old names of the session queries (now tlsw_session_*), kept as real
 * exported functions through 0.x so that programs built against them, and
 * binaries linked to them, keep working (docs/design.md, "Names"). */
#include "tlswrap/tlswrap.h"

int tlsw_handshake_done(const tlsw_session *s) {
  return tlsw_session_handshake_done(s);
}

size_t tlsw_pending(const tlsw_session *s) {
  return tlsw_session_pending(s);
}

unsigned tlsw_want(const tlsw_session *s) {
  return tlsw_session_want(s);
}

size_t tlsw_dtls_max_payload(const tlsw_session *s) {
  return tlsw_session_dtls_max_payload(s);
}

long tlsw_dtls_timeout_ms(const tlsw_session *s) {
  return tlsw_session_dtls_timeout_ms(s);
}
