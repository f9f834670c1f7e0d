/*
 * tlsw_session: one TLS or DTLS connection over a caller's transport (like
 * MicroPython's SSLSocket, minus the socket).
 *
 * Lifetime: tlsw_wrap() creates it; tlsw_session_free() ends it. A session
 * holds a reference on its context (see context.h). One thread at a time
 * may use a session.
 *
 * Non-blocking use: any I/O call may return TLSW_WANT_READ or
 * TLSW_WANT_WRITE. Wait until the transport is ready in the direction
 * tlsw_want() names (it can be the other direction than the call suggests:
 * a read may need to write during the handshake), then repeat the same call
 * with the same arguments.
 *
 * Errors: a fatal status is sticky (see status.h). After one, every I/O call
 * returns it again without touching the transport, and
 * tlsw_session_message() says what happened.
 */
#ifndef TLSWRAP_SESSION_H
#define TLSWRAP_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "tlswrap/context.h"
#include "tlswrap/io.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility; this exports the API. */
#if defined(TLSW_BUILDING) && defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

typedef struct tlsw_session tlsw_session;

typedef struct tlsw_wrap_opts {
  /* Must match the context: 1 for a server context, 0 for a client one
   * (CPython's server_side). -1: take it from the context. */
  int server_side;
  /* 1: tlsw_wrap() runs the handshake. 0: it runs on the first
   * tlsw_handshake(), tlsw_read() or tlsw_write(). */
  int do_handshake_on_connect;
  /* Client: the name sent as SNI (not for IP literals) and checked against
   * the certificate (DNS or IP SAN). Copied. NULL: no SNI, no name check;
   * refused under CERT_REQUIRED. Ignored by servers. */
  const char *server_hostname;
  /* DTLS server: bytes naming the peer's transport address; the HelloVerify
   * cookie is bound to them. Required (non-empty) for DTLS servers, ignored
   * otherwise. Copied. */
  const uint8_t *client_id;
  size_t client_id_len;
} tlsw_wrap_opts;

#define TLSW_WRAP_OPTS_INIT \
  { -1, 1, NULL, NULL, 0 }

/*
 * Wrap a transport into a session. io is copied (io->io is borrowed).
 * opts NULL means TLSW_WRAP_OPTS_INIT.
 *
 * *out: set to the new session whenever one could be made, that is for
 * every status except TLSW_ERR_ARG for a NULL ctx/io/out and TLSW_ERR_NOMEM;
 * otherwise NULL. The caller frees it in all cases. If the status is fatal
 * (a usage error in opts, a failed handshake) the session is dead:
 * tlsw_session_message() explains, and tlsw_session_free() releases it.
 *
 * Returns TLSW_OK (handshake done, or deferred), TLSW_WANT_READ /
 * TLSW_WANT_WRITE (handshake under way: continue with tlsw_handshake()),
 * TLSW_HELLO_VERIFY (DTLS server: cookie sent, wrap again for the next
 * datagram), TLSW_ERR_HOSTNAME_REQUIRED, TLSW_ERR_ARG (server_side does not
 * match the context, missing client_id), or any handshake status.
 */
int tlsw_wrap(tlsw_ctx *ctx, const tlsw_io *io, const tlsw_wrap_opts *opts,
              tlsw_session **out);

/* Free a session and its backend state. Sends nothing (call
 * tlsw_shutdown() first for a close_notify). Does not touch io->io. Drops
 * the session's context reference. NULL is ignored. */
void tlsw_session_free(tlsw_session *s);

/* Run (or continue) the handshake. TLSW_OK once complete, and on every
 * later call. */
int tlsw_handshake(tlsw_session *s);

/* 1 once the handshake has completed, else 0. */
int tlsw_handshake_done(const tlsw_session *s);

/*
 * Read up to len decrypted bytes (runs the handshake first if needed).
 * TLSW_OK with *out_n >= 1; TLSW_CLOSED once the peer sent close_notify (and
 * on every later read); TLSW_WANT_*; or a fatal status. len 0 returns
 * TLSW_OK with *out_n 0 without I/O. DTLS: each call consumes at most one
 * datagram and returns bytes of one record; when len is smaller than the
 * record, the following reads return the rest (nothing is discarded). A
 * datagram that carried no application data (junk, a forged or replayed
 * record) gives TLSW_ERR_DATAGRAM_DROPPED: not sticky, read again.
 * TLS: a read first sends what the session still owes the transport (the
 * rest of a record whose tlsw_write() returned TLSW_WANT_*, or a reply an
 * earlier read produced), and anything the read itself sends (an alert
 * for a bad record) goes out after it. While that output cannot be sent,
 * a read still returns data that has arrived, but one with nothing to
 * return gives TLSW_WANT_WRITE (tlsw_want(): TLSW_WANT_WR), not
 * TLSW_WANT_READ, because the peer may be waiting for that output: wait
 * until the transport is writable and read again (or repeat the blocked
 * write). A close_notify still pending is tlsw_shutdown()'s to finish.
 */
int tlsw_read(tlsw_session *s, void *buf, size_t len, size_t *out_n);

/*
 * Write up to len bytes (runs the handshake first if needed). TLSW_OK with
 * *out_n in 1..len bytes taken: a short count means "call again with the
 * rest", as with send(2). After TLSW_WANT_*, call again with the same buf
 * and len: part of it may already be encrypted and in flight (a shorter
 * len than that part is TLSW_ERR_ARG, not sticky; a tlsw_read() in between
 * may finish sending it, and the retry then returns at once). DTLS: one
 * datagram per call; len over tlsw_dtls_max_payload() is TLSW_ERR_TOO_BIG
 * (not sticky, nothing sent). len 0 returns TLSW_OK, *out_n 0.
 */
int tlsw_write(tlsw_session *s, const void *buf, size_t len, size_t *out_n);

/* Decrypted bytes buffered in the session, readable without I/O. */
size_t tlsw_pending(const tlsw_session *s);

#define TLSW_WANT_RD 1u
#define TLSW_WANT_WR 2u
/* The direction the last TLSW_WANT_* status waits on: TLSW_WANT_RD,
 * TLSW_WANT_WR, or 0 when the last call did not block. */
unsigned tlsw_want(const tlsw_session *s);

/* Send close_notify (once). TLSW_OK when sent; TLSW_WANT_WRITE to retry.
 * Does not wait for the peer's close_notify. After it, reads and writes
 * return TLSW_ERR_SHUT. */
int tlsw_shutdown(tlsw_session *s);

/* The sticky status (TLSW_OK while the session is healthy). */
int tlsw_session_status(const tlsw_session *s);

/* A sentence for a person about the last failure, e.g. "certificate verify
 * failed: certificate has expired (depth 0, CN=a.example.test)". "" when
 * none. Owned by the session, valid until its next call or free. */
const char *tlsw_session_message(const tlsw_session *s);

/* The backend's native error code of the last failure (for logs), 0 if
 * none. */
long tlsw_session_backend_error(const tlsw_session *s);

/* After the handshake: "TLSv1.3", "TLSv1.2", "DTLSv1.2"; NULL before. */
const char *tlsw_session_version(const tlsw_session *s);
/* After the handshake: the suite's IANA name; NULL before. */
const char *tlsw_session_cipher(const tlsw_session *s);
/* The peer's certificate, DER. *der stays valid until the session is freed.
 * Errors: TLSW_ERR_ARG, TLSW_ERR_STATE (no handshake or no certificate). */
int tlsw_session_peer_cert(const tlsw_session *s, const uint8_t **der,
                           size_t *der_len);

/* The outcome of verifying the peer (useful with CERT_OPTIONAL): TLSW_OK if
 * the peer was verified, TLSW_ERR_CERT_* if verification failed (and the
 * message says why), TLSW_ERR_STATE before the handshake or when nothing was
 * verified (CERT_NONE, or a server that got no client certificate). */
int tlsw_session_verify_result(const tlsw_session *s);

/* Why a peer certificate failed verification, in machine form (the session
 * message says the same for a person). The table of which case gives which
 * reason and status is in docs/verification.md. */
typedef enum tlsw_cert_reason {
  TLSW_REASON_NONE = 0,       /* verified, or nothing was verified */
  TLSW_REASON_EXPIRED,        /* notAfter is in the past */
  TLSW_REASON_NOT_YET_VALID,  /* notBefore is in the future */
  TLSW_REASON_HOSTNAME,       /* no SAN matches server_hostname */
  TLSW_REASON_UNKNOWN_ISSUER, /* no trusted CA issued it */
  TLSW_REASON_SELF_SIGNED,    /* self-signed and not trusted */
  TLSW_REASON_BAD_SIGNATURE,  /* its signature does not verify */
  TLSW_REASON_NOT_CA,         /* its issuer is not a CA certificate */
  TLSW_REASON_NO_PEER_CERT,   /* the peer sent none, one was required */
  TLSW_REASON_WEAK_KEY,       /* its key is below the minimum size */
  TLSW_REASON_REVOKED,        /* revoked (CRL/OCSP) */
  TLSW_REASON_REJECTED,       /* the verify callback said no */
  TLSW_REASON_NO_TIME,        /* the time callback did not know the time */
  TLSW_REASON_OTHER           /* anything else: see the message */
} tlsw_cert_reason;

/* Static English text of a reason, e.g. "certificate has expired". Never
 * NULL ("unknown reason" for values outside the enum). */
const char *tlsw_cert_reason_text(tlsw_cert_reason reason);

/*
 * The verification outcome with its reason and the depth of the failing
 * certificate (0: the peer's own; -1: no certificate). Unlike
 * tlsw_session_verify_result(), it also works after a handshake that failed
 * verification, so an adapter can build CPython-style verify_code /
 * verify_message from it. reason and depth may be NULL.
 * Returns TLSW_OK (verified; reason NONE, depth -1), the failure's
 * TLSW_ERR_CERT_* status (TLSW_ERR_CERT_MISSING when a required
 * certificate was not sent), TLSW_ERR_STATE when nothing was verified (yet,
 * or at all: CERT_NONE, or a server that got no optional client
 * certificate), or TLSW_ERR_ARG for a NULL session.
 */
int tlsw_session_verify_info(const tlsw_session *s, tlsw_cert_reason *reason,
                             int *depth);

/* DTLS: payload bytes one tlsw_write() can carry. 0 for TLS or NULL. */
size_t tlsw_dtls_max_payload(const tlsw_session *s);

#if defined(TLSW_BUILDING) && defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif
