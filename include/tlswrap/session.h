/**
 * @file
 * @brief tlsw_session: one TLS or DTLS connection over a caller's
 * transport (like MicroPython's SSLSocket, minus the socket).
 *
 * @defgroup session Sessions
 * @brief One connection: wrap, handshake, read, write, shut down, and
 * what the handshake found.
 *
 * Lifetime: tlsw_wrap() creates it; tlsw_session_free() ends it. A session
 * holds a reference on its context (see context.h). One thread at a time
 * may use a session.
 *
 * Non-blocking use: any I/O call may return TLSW_WANT_READ or
 * TLSW_WANT_WRITE. Wait until the transport is ready in the direction
 * tlsw_session_want() names (it can be the other direction than the call
 * suggests: a read may need to write during the handshake), then repeat the
 * same call with the same arguments.
 *
 * Errors: a fatal status is sticky (see status.h). After one, every I/O call
 * returns it again without touching the transport, and
 * tlsw_session_message() says what happened.
 *
 * Every call that takes a session returns #TLSW_ERR_ARG for a NULL one.
 * @{
 */
#ifndef TLSWRAP_SESSION_H
#define TLSWRAP_SESSION_H

#include "tlswrap/export.h"

#include <stddef.h>
#include <stdint.h>

#include "tlswrap/context.h"
#include "tlswrap/io.h"

TLSW_BEGIN_DECLS

/** @brief A session (opaque): one connection, used by one thread at a
 * time. */
typedef struct tlsw_session tlsw_session;

/**
 * @brief Options of tlsw_wrap(); start from #TLSW_WRAP_OPTS_INIT.
 *
 * Read during tlsw_wrap() only: what it keeps, it copies.
 *
 * Extensible (docs/design.md, "Packaging and ABI policy"): struct_size
 * tells the library which version of this struct the caller was compiled
 * with. Members are only ever added at the end, and a member's 0 always
 * means its default, so a program built against an older header gets the
 * defaults of what it does not know, and a program built against a newer
 * header runs on an older library as long as it leaves the members that
 * library does not know at 0.
 */
typedef struct tlsw_wrap_opts {
  /** sizeof(tlsw_wrap_opts) as the caller sees it; #TLSW_WRAP_OPTS_INIT
   * sets it. 0 or a size smaller than the first version: #TLSW_ERR_ARG. */
  size_t struct_size;
  /** Must match the context: 1 for a server context, 0 for a client one
   * (CPython's server_side). -1: take it from the context. */
  int server_side;
  /** 1: tlsw_wrap() runs the handshake. 0: it runs on the first
   * tlsw_handshake(), tlsw_read() or tlsw_write(). */
  int do_handshake_on_connect;
  /** Client: the name sent as SNI (not for IP literals) and checked against
   * the certificate (DNS or IP SAN). Copied. NULL (or ""): no SNI, no name
   * check; refused under CERT_REQUIRED. Ignored by servers. */
  const char *server_hostname;
  /** DTLS server: bytes naming the peer's transport address (e.g. from
   * tlsw_udp_client_id()); the HelloVerify cookie is bound to them.
   * Required (non-empty) for DTLS servers, ignored otherwise. Copied. */
  const uint8_t *client_id;
  size_t client_id_len; /**< length of client_id in bytes */
  /** Client: resume this session, saved by tlsw_session_save() from an
   * earlier session of a context with the same verify mode, for the same
   * server_hostname (compared without case). A session the server no
   * longer accepts (expired, other ticket keys) costs nothing but a full
   * handshake: tlsw_session_resumed() tells. NULL: a full handshake.
   * Read during tlsw_wrap() only. Since 0.2. */
  const uint8_t *session;
  size_t session_len; /**< length of session in bytes */
} tlsw_wrap_opts;

/** @brief The defaults of tlsw_wrap_opts: server_side from the context,
 * handshake in tlsw_wrap(), no host name, no client_id. */
#define TLSW_WRAP_OPTS_INIT \
  { sizeof(tlsw_wrap_opts), -1, 1, NULL, NULL, 0, NULL, 0 }

/**
 * @brief Wrap a transport into a session (and, by default, run the
 * handshake).
 *
 * If the status is fatal (a usage error in opts, a failed handshake) the
 * session is dead: tlsw_session_message() explains, and
 * tlsw_session_free() releases it. The session takes a reference on ctx.
 *
 * @param ctx The context; not NULL. Its settings at this moment apply.
 * @param io The transport; not NULL, both callbacks set. io is copied
 *        (io->io is borrowed: it must stay valid until the session is
 *        freed).
 * @param opts NULL means #TLSW_WRAP_OPTS_INIT. Read during the call only.
 * @param[out] out Set to the new session whenever one could be made, that
 *        is for every status except #TLSW_ERR_ARG for a NULL ctx/io/out and
 *        #TLSW_ERR_NOMEM; otherwise NULL. The caller frees it (with
 *        tlsw_session_free()) in all cases.
 * @retval TLSW_OK Handshake done, or deferred.
 * @retval TLSW_WANT_READ Handshake under way: continue with
 *         tlsw_handshake().
 * @retval TLSW_WANT_WRITE The same, waiting to write.
 * @retval TLSW_HELLO_VERIFY DTLS server: cookie sent, wrap again for the
 *         next datagram.
 * @retval TLSW_ERR_HOSTNAME_REQUIRED A CERT_REQUIRED client without
 *         server_hostname.
 * @retval TLSW_ERR_ARG NULL ctx/io/out, a transport without send or recv,
 *         server_side does not match the context, missing client_id,
 *         opts->struct_size not set (or set by a newer header with members
 *         this library does not know given non-zero values).
 * @retval TLSW_ERR_NOMEM Out of memory.
 * @retval TLSW_ERR_STATE A server context with neither a certificate
 *         chain nor a PSK server callback, handshake not deferred. With the
 *         handshake deferred such a session is made (TLSW_OK, to be looked
 *         at, as MicroPython's ssl allows) and its first handshake, read or
 *         write fails with this status and the same reason.
 * @return Or any handshake status (tlsw_handshake()).
 *
 * Errors: TLSW_ERR_HOSTNAME_REQUIRED, TLSW_ERR_ARG (server_side does not
 * match the context, missing client_id), TLSW_ERR_NOMEM, TLSW_ERR_STATE (a
 * server context without credentials), TLSW_HELLO_VERIFY
 * and TLSW_ERR_DATAGRAM_DROPPED (DTLS server, see tlswrap/dtls.h), or any
 * handshake status.
 */
TLSW_API int tlsw_wrap(tlsw_ctx *ctx, const tlsw_io *io,
                       const tlsw_wrap_opts *opts, tlsw_session **out);

/**
 * @brief Free a session and its backend state.
 *
 * Sends nothing (call tlsw_shutdown() first for a close_notify). Does not
 * touch io->io. Drops the session's context reference. Strings and
 * certificates the session handed out are invalid afterwards.
 *
 * @param s The session, or NULL (ignored).
 *
 * Errors: none.
 */
TLSW_API void tlsw_session_free(tlsw_session *s);

/**
 * @brief Run (or continue) the handshake.
 *
 * @param s The session.
 * @retval TLSW_OK Once complete, and on every later call.
 * @retval TLSW_WANT_READ Blocked: wait for the direction tlsw_session_want()
 *         names, call again.
 * @retval TLSW_WANT_WRITE The same, waiting to write.
 * @retval TLSW_ERR_ARG s NULL.
 * @retval TLSW_ERR_SHUT The session was shut down before the handshake.
 * @return Or a fatal status (certificate, protocol, I/O: sticky), or the
 *         DTLS server statuses #TLSW_HELLO_VERIFY and
 *         #TLSW_ERR_DATAGRAM_DROPPED.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_SHUT, the sticky status of an earlier
 * failure, or any failure of the handshake: TLSW_ERR_CERT_*,
 * TLSW_ERR_HANDSHAKE, TLSW_ERR_ALERT, TLSW_ERR_NO_SHARED_CIPHER,
 * TLSW_ERR_VERSION, TLSW_ERR_BAD_RECORD, TLSW_ERR_EOF, the transport's
 * TLSW_ERR_IO / TLSW_ERR_RESET / TLSW_ERR_TIMEOUT, TLSW_ERR_NOMEM,
 * TLSW_ERR_INTERNAL.
 */
TLSW_API int tlsw_handshake(tlsw_session *s);

/**
 * @brief Whether the handshake has completed.
 *
 * @param s The session, or NULL.
 * @return 1 once the handshake has completed, else 0 (also for NULL).
 *
 * Errors: none.
 */
TLSW_API int tlsw_session_handshake_done(const tlsw_session *s);
/**
 * @brief Deprecated name of tlsw_session_handshake_done(), kept (and exported)
 * through 0.x.
 * @deprecated Use tlsw_session_handshake_done(); same behaviour.
 *
 * @param s The session, or NULL.
 * @return As tlsw_session_handshake_done().
 *
 * Errors: none.
 */
TLSW_API TLSW_DEPRECATED int tlsw_handshake_done(const tlsw_session *s);

/**
 * @brief Read up to len decrypted bytes (runs the handshake first if
 * needed).
 *
 * DTLS: each call consumes at most one datagram and returns bytes of one
 * record; when len is smaller than the record, the following reads return
 * the rest (nothing is discarded). A datagram that carried no application
 * data (junk, a forged or replayed record) gives
 * #TLSW_ERR_DATAGRAM_DROPPED: not sticky, read again.
 *
 * TLS: a read first sends what the session still owes the transport (the
 * rest of a record whose tlsw_write() returned TLSW_WANT_*, or a reply an
 * earlier read produced), and anything the read itself sends (an alert
 * for a bad record) goes out after it. While that output cannot be sent,
 * a read still returns data that has arrived, but one with nothing to
 * return gives #TLSW_WANT_WRITE (tlsw_session_want(): #TLSW_DIR_WRITE), not
 * #TLSW_WANT_READ, because the peer may be waiting for that output: wait
 * until the transport is writable and read again (or repeat the blocked
 * write). A close_notify still pending is tlsw_shutdown()'s to finish.
 *
 * @param s The session.
 * @param[out] buf Where to store the bytes; may be NULL only when len is 0.
 * @param len buf's size. len 0 returns TLSW_OK with *out_n 0 without I/O
 *        (after the handshake).
 * @param[out] out_n Set to the number of bytes stored (0 unless TLSW_OK).
 * @retval TLSW_OK With *out_n >= 1.
 * @retval TLSW_CLOSED Once the peer sent close_notify (and on every later
 *         read).
 * @retval TLSW_WANT_READ Blocked: wait for the direction tlsw_session_want()
 *         names, call again.
 * @retval TLSW_WANT_WRITE Blocked on output the session still owes (see
 *         above), or during the handshake.
 * @retval TLSW_ERR_DATAGRAM_DROPPED DTLS: a datagram without application
 *         data was dropped; not sticky.
 * @retval TLSW_ERR_ARG s or out_n NULL, or buf NULL with len > 0.
 * @retval TLSW_ERR_SHUT After a tlsw_shutdown() made before the handshake
 *         completed (after one made later, reads go on: see there).
 * @return Or a fatal status (sticky), e.g. #TLSW_ERR_EOF when the
 *         transport ends without close_notify.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_SHUT, TLSW_ERR_DATAGRAM_DROPPED, the
 * sticky status of an earlier failure, or a fatal status: any handshake
 * failure (see tlsw_handshake()), TLSW_ERR_EOF, TLSW_ERR_BAD_RECORD,
 * TLSW_ERR_ALERT, TLSW_ERR_IO / TLSW_ERR_RESET / TLSW_ERR_TIMEOUT,
 * TLSW_ERR_NOMEM, TLSW_ERR_INTERNAL.
 */
TLSW_API int tlsw_read(tlsw_session *s, void *buf, size_t len, size_t *out_n);

/**
 * @brief Write up to len bytes (runs the handshake first if needed).
 *
 * A short count means "call again with the rest", as with send(2). After
 * TLSW_WANT_*, call again with the same buf and len: part of it may
 * already be encrypted and in flight (a shorter len than that part is
 * #TLSW_ERR_ARG, not sticky; a tlsw_read() in between may finish sending
 * it, and the retry then returns at once). DTLS: one datagram per call.
 *
 * @param s The session.
 * @param buf The bytes; may be NULL only when len is 0. Not kept after the
 *        call returns TLSW_OK.
 * @param len How many. len 0 returns TLSW_OK, *out_n 0 (after the
 *        handshake). DTLS: at most tlsw_session_dtls_max_payload().
 * @param[out] out_n Set to the number of bytes taken (0 unless TLSW_OK).
 * @retval TLSW_OK With *out_n in 1..len bytes taken.
 * @retval TLSW_WANT_WRITE Blocked: call again with the same buf and len
 *         once the direction tlsw_session_want() names is ready.
 * @retval TLSW_WANT_READ The same, waiting to read (a handshake or a TLS
 *         1.3 key update).
 * @retval TLSW_ERR_TOO_BIG DTLS: len over tlsw_session_dtls_max_payload() (not
 *         sticky, nothing sent).
 * @retval TLSW_ERR_ARG s or out_n NULL, buf NULL with len > 0, or a retry
 *         shorter than what is already in flight (not sticky).
 * @retval TLSW_ERR_SHUT After tlsw_shutdown(); or after the peer's
 *         close_notify under TLS 1.2 and DTLS 1.2, which end the
 *         connection there (TLS 1.3 allows the half-close: writes go on).
 * @return Or a fatal status (sticky).
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_SHUT, TLSW_ERR_TOO_BIG, the sticky status
 * of an earlier failure, or a fatal status: any handshake failure (see
 * tlsw_handshake()), TLSW_ERR_IO / TLSW_ERR_RESET / TLSW_ERR_TIMEOUT,
 * TLSW_ERR_NOMEM, TLSW_ERR_INTERNAL.
 */
TLSW_API int tlsw_write(tlsw_session *s, const void *buf, size_t len,
                        size_t *out_n);

/**
 * @brief Decrypted bytes buffered in the session, readable without I/O.
 *
 * Check it before waiting for the transport to become readable.
 *
 * @param s The session, or NULL.
 * @return The byte count; 0 for NULL or a dead session.
 *
 * Errors: none.
 */
TLSW_API size_t tlsw_session_pending(const tlsw_session *s);
/**
 * @brief Deprecated name of tlsw_session_pending(), kept (and exported) through
 * 0.x.
 * @deprecated Use tlsw_session_pending(); same behaviour.
 *
 * @param s The session, or NULL.
 * @return As tlsw_session_pending().
 *
 * Errors: none.
 */
TLSW_API TLSW_DEPRECATED size_t tlsw_pending(const tlsw_session *s);

/**
 * @brief A direction the transport must become ready in: what
 * tlsw_session_want() reports. Its own names, so that it is not mistaken
 * for the statuses #TLSW_WANT_READ / #TLSW_WANT_WRITE (-1, -2), which say
 * that a call blocked.
 */
typedef enum tlsw_dir {
  TLSW_DIR_READ = 1, /**< waiting for the transport to be readable */
  TLSW_DIR_WRITE = 2 /**< waiting for the transport to be writable */
} tlsw_dir;

/** @brief Deprecated name of #TLSW_DIR_READ (same value), kept through
 * 0.x. A direction bit, not a status (#TLSW_WANT_READ is the status). */
#define TLSW_WANT_RD 1u
/** @brief Deprecated name of #TLSW_DIR_WRITE (same value), kept through
 * 0.x. A direction bit, not a status (#TLSW_WANT_WRITE is the status). */
#define TLSW_WANT_WR 2u
/**
 * @brief The direction the last TLSW_WANT_* status waits on.
 *
 * It can be the other direction than the call suggests: a read may need
 * to write during the handshake.
 *
 * @param s The session, or NULL.
 * @return #TLSW_DIR_READ, #TLSW_DIR_WRITE, or 0 when the last call did not
 *         block (also for NULL).
 *
 * Errors: none.
 */
TLSW_API unsigned tlsw_session_want(const tlsw_session *s);
/**
 * @brief Deprecated name of tlsw_session_want(), kept (and exported) through
 * 0.x.
 * @deprecated Use tlsw_session_want(); same behaviour.
 *
 * @param s The session, or NULL.
 * @return As tlsw_session_want().
 *
 * Errors: none.
 */
TLSW_API TLSW_DEPRECATED unsigned tlsw_want(const tlsw_session *s);

/**
 * @brief Send close_notify (once).
 *
 * Does not wait for the peer's close_notify: the connection is then
 * half-closed. Writes return #TLSW_ERR_SHUT; reads go on, returning what
 * the peer still sends and then #TLSW_CLOSED once its close_notify
 * arrives (read until TLSW_CLOSED to close both ways, as CPython's
 * unwrap() does).
 *
 * Before the handshake completed there is nothing to close politely. On a
 * session whose handshake never began (wrapped with the handshake
 * deferred, no I/O call yet) the session is marked shut, nothing is sent,
 * and reads and writes return #TLSW_ERR_SHUT. On one whose handshake has
 * begun and not completed it is #TLSW_ERR_STATE with a message, nothing
 * is sent and nothing changes (not sticky): free the session with
 * tlsw_session_free(), or finish the handshake and then shut down.
 *
 * @param s The session.
 * @retval TLSW_OK When sent (and on every later call); or, before any
 *         handshake step, marked shut.
 * @retval TLSW_WANT_WRITE To retry once the transport is writable.
 * @retval TLSW_ERR_STATE The handshake has begun and not completed.
 * @retval TLSW_ERR_ARG s NULL.
 * @return Or the sticky status of an earlier failure, or a fatal status of
 *         the transport.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_STATE (mid-handshake), the sticky status
 * of an earlier failure, the transport's TLSW_ERR_IO / TLSW_ERR_RESET /
 * TLSW_ERR_TIMEOUT, or another fatal status from the backend.
 */
TLSW_API int tlsw_shutdown(tlsw_session *s);

/**
 * @brief The sticky status.
 *
 * @param s The session.
 * @return #TLSW_OK while the session is healthy, else the fatal status
 *         that ended it; #TLSW_ERR_ARG for NULL.
 *
 * Errors: TLSW_ERR_ARG (s NULL).
 */
TLSW_API int tlsw_session_status(const tlsw_session *s);

/**
 * @brief A sentence for a person about the last failure.
 *
 * It describes the most recent call that failed, fatal or not (a dropped
 * DTLS datagram, a refused re-entry, a CERT_OPTIONAL verification
 * failure), and a later call that succeeds does not clear it: it answers
 * "what went wrong last", not "is the session healthy", which
 * tlsw_session_status() answers. Read it right after the failing call.
 *
 * @param s The session, or NULL.
 * @return e.g. "certificate verify failed: certificate has expired (depth
 *         0, CN=a.example.test)"; "" when none (or for NULL). Owned by the
 *         session, valid until its next call or free.
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_session_message(const tlsw_session *s);

/**
 * @brief The backend's native error code of the last failure (for logs).
 *
 * @param s The session, or NULL.
 * @return The code, 0 if none (or for NULL).
 *
 * Errors: none.
 */
TLSW_API long tlsw_session_backend_error(const tlsw_session *s);

/**
 * @brief The negotiated protocol version.
 *
 * @param s The session, or NULL.
 * @return After the handshake: "TLSv1.3", "TLSv1.2", "DTLSv1.2" (static);
 *         NULL before (and for NULL or a dead session).
 *
 * Errors: none (NULL before the handshake).
 */
TLSW_API const char *tlsw_session_version(const tlsw_session *s);
/**
 * @brief The negotiated cipher suite.
 *
 * @param s The session, or NULL.
 * @return After the handshake: the suite's IANA name (static); NULL before
 *         (and for NULL or a dead session).
 *
 * Errors: none (NULL before the handshake).
 */
TLSW_API const char *tlsw_session_cipher(const tlsw_session *s);
/**
 * @brief Attach the caller's pointer to a session (s2n's connection
 *        context, mbedTLS's user data): an event loop or an interpreter
 *        binding finds its own object from the session.
 *
 * @param s The session.
 * @param user Any pointer, or NULL; tlswrap never reads, frees or passes
 *        it anywhere else. It lives until the next call or
 *        tlsw_session_free(), also through a failure.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG s NULL.
 *
 * Errors: TLSW_ERR_ARG.
 */
TLSW_API int tlsw_session_set_user(tlsw_session *s, void *user);

/**
 * @brief The pointer given to tlsw_session_set_user().
 *
 * @param s The session, or NULL.
 * @return The pointer; NULL when none was set, and for NULL.
 *
 * Errors: none (NULL for NULL).
 */
TLSW_API void *tlsw_session_user(const tlsw_session *s);

/**
 * @brief Send a TLS 1.3 KeyUpdate: new traffic keys for what we send, and
 *        a request that the peer renew its own (RFC 8446 4.6.3).
 *
 * For long-lived connections that want fresh keys after a while or an
 * amount of data (the AEAD limits of RFC 8446 5.5 are far above what a
 * device sends, so this is policy, not a necessity). The peer answers
 * with its own KeyUpdate, which tlsw_read() takes in passing. Data
 * written afterwards uses the new keys.
 *
 * @param s An established TLS 1.3 session.
 * @retval TLSW_OK The KeyUpdate is made; it goes out now, or (the
 *         transport being full) first thing on the next call that reads
 *         or writes, before any later data.
 * @retval TLSW_WANT_WRITE, TLSW_WANT_READ Earlier output still waits for
 *         the transport and no KeyUpdate was made: call again when it is
 *         ready.
 * @retval TLSW_ERR_ARG s NULL.
 * @retval TLSW_ERR_STATE Before the handshake completed, or from inside
 *         one of the session's callbacks.
 * @retval TLSW_ERR_SHUT After tlsw_shutdown().
 * @retval TLSW_ERR_UNSUPPORTED A TLS 1.2 or DTLS session (no KeyUpdate
 *         there), or a backend without it.
 * @return A transport or fatal status otherwise (sticky, as for
 *         tlsw_write()).
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_STATE, TLSW_ERR_SHUT,
 * TLSW_ERR_UNSUPPORTED, transport statuses.
 */
TLSW_API int tlsw_session_key_update(tlsw_session *s);

/**
 * @brief The server name of the session (SNI).
 *
 * @param s The session, or NULL.
 * @return A server session: the name its client asked for, as sent, once
 *         the ClientHello was read (NULL: the client sent none). A client
 *         session: its server_hostname when SNI carries it (NULL for
 *         an IP literal or none; SNI itself drops a trailing dot). Owned
 *         by the
 *         session, valid until tlsw_session_free(); NULL for NULL or a
 *         dead session, and on a backend without it.
 *
 * Errors: none (NULL when there is none).
 */
TLSW_API const char *tlsw_session_server_name(const tlsw_session *s);
/**
 * @brief One certificate of those the peer sent: 0 is its leaf (as
 *        tlsw_session_peer_cert()), 1 the next, in the peer's order.
 *
 * The chain as the peer sent it, not the path verification built (the
 * trust anchor is usually not sent; a peer may send extra certificates).
 * Kept only by sessions of a context with tlsw_ctx_set_keep_peer_chain();
 * without it only index 0 answers. To count them, ask until
 * #TLSW_ERR_ARG.
 *
 * @param s The session.
 * @param index 0 for the leaf, then 1, 2 ...
 * @param[out] der Set to the DER certificate, owned by the session and
 *        valid until tlsw_session_free(); NULL on failure.
 * @param[out] der_len Its length; 0 on failure.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG A NULL argument, or index past the last
 *         certificate.
 * @retval TLSW_ERR_STATE None kept: before the handshake, a resumed
 *         session (no certificate was sent), a dead session, or index > 0
 *         without tlsw_ctx_set_keep_peer_chain().
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_STATE.
 */
TLSW_API int tlsw_session_peer_chain(const tlsw_session *s, size_t index,
                                     const uint8_t **der, size_t *der_len);

/**
 * @brief The key exchange group the handshake agreed on
 *        (tlsw_ctx_set_groups()).
 *
 * @param s The session, or NULL.
 * @return After the handshake: "X25519", "P-256", "P-384", "P-521",
 *         "X448" or "ffdhe2048"/"ffdhe3072"/"ffdhe4096" (static); NULL
 *         before, when none was used (a resumption or PSK handshake
 *         without (EC)DHE) or the backend cannot tell, and for NULL.
 *
 * Errors: none (NULL when there is none).
 */
TLSW_API const char *tlsw_session_group(const tlsw_session *s);
/**
 * @brief The ALPN protocol the handshake agreed on (tlsw_ctx_set_alpn()).
 *
 * @param s The session, or NULL.
 * @return The protocol's name, NUL-terminated, owned by the session and
 *         valid until tlsw_session_free(); NULL before the handshake, when
 *         no protocol was agreed (ALPN not set on either side, or the
 *         server ignored it), and for NULL.
 *
 * Errors: none (NULL when there is none).
 */
TLSW_API const char *tlsw_session_alpn(const tlsw_session *s);
/**
 * @brief Save a client session's resumption state (RFC 8446 §2.2 ticket,
 *        or a TLS 1.2 session ID or ticket) as bytes, to resume it later
 *        through tlsw_wrap_opts.session, in this process or another.
 *
 * TLS 1.3 servers send their tickets after the handshake: save once a
 * tlsw_read() has returned data (or TLSW_WANT_READ after the server's
 * first flight), not right after tlsw_handshake().
 *
 * **The bytes hold the session's master secret**: whoever has them can
 * decrypt what the resumed session sends (before TLS 1.3's fresh key
 * exchange) and impersonate this client to the server until the ticket
 * expires. Keep them as you keep a private key.
 *
 * @param s A client session whose handshake completed and that has not
 *        failed.
 * @param buf Where the bytes go, or NULL with cap 0 to ask the size.
 * @param cap Bytes at buf.
 * @param[out] len Set to the size the bytes take (also when buf is too
 *        small); not NULL.
 * @retval TLSW_OK buf holds *len bytes.
 * @retval TLSW_ERR_TOO_BIG cap is below *len (nothing written): call again
 *         with *len bytes.
 * @retval TLSW_ERR_ARG s or len NULL, buf NULL with cap non-zero, or a
 *         server session.
 * @retval TLSW_ERR_STATE Before the handshake completed, after the session
 *         failed, or (TLS 1.3) no ticket has arrived yet: read first.
 * @retval TLSW_ERR_UNSUPPORTED No #TLSW_FEATURE_RESUMPTION.
 * @retval TLSW_ERR_NOMEM, TLSW_ERR_INTERNAL The backend could not encode
 *         it.
 *
 * Errors: as above; the message is in tlsw_session_message().
 */
TLSW_API int tlsw_session_save(tlsw_session *s, uint8_t *buf, size_t cap,
                               size_t *len);

/**
 * @brief Whether the completed handshake resumed a saved session (client:
 *        tlsw_wrap_opts.session was accepted; server: the client offered a
 *        ticket or session ID this server accepted).
 *
 * A resumed client session inherits the verification of the session it
 * resumed (tlsw_session_verify_result() says TLSW_OK when that was
 * verified); the server sends no certificate, so tlsw_session_peer_cert()
 * may have none.
 *
 * @param s The session, or NULL.
 * @return 1 when resumed, 0 otherwise (before the handshake, NULL).
 *
 * Errors: none.
 */
TLSW_API int tlsw_session_resumed(const tlsw_session *s);

/** @brief What the server's stapled OCSP response said
 *  (tlsw_session_ocsp_status()). */
typedef enum tlsw_ocsp_status {
  TLSW_OCSP_NONE = 0,    /**< no staple checked (none asked for or sent, a
                              resumed session, or not yet) */
  TLSW_OCSP_GOOD = 1,    /**< a staple that verified and says good */
  TLSW_OCSP_REVOKED = 2, /**< a staple that says revoked (the handshake
                              failed) */
  TLSW_OCSP_INVALID = 3  /**< a staple that does not verify (the handshake
                              failed) */
} tlsw_ocsp_status;

/**
 * @brief The outcome of OCSP stapling (tlsw_ctx_set_ocsp_stapling()) for
 *        this session.
 *
 * Also after a handshake that failed, so that a tool can say why.
 *
 * @param s The session.
 * @return A #tlsw_ocsp_status (#TLSW_OCSP_GOOD once a staple verified;
 *         #TLSW_OCSP_REVOKED / #TLSW_OCSP_INVALID after the failure it
 *         caused), or TLSW_ERR_ARG (s NULL).
 *
 * Errors: TLSW_ERR_ARG.
 */
TLSW_API int tlsw_session_ocsp_status(const tlsw_session *s);

/**
 * @brief Derive keying material from the session's secrets (RFC 5705 for
 *        TLS 1.2 and DTLS 1.2, RFC 8446 §7.5 for TLS 1.3): the same bytes
 *        the peer gets with the same label and context.
 *
 * For protocols that bind to the TLS session (EAP-TLS, channel bindings
 * such as RFC 9266 `tls-exporter`, DTLS-SRTP keys). Both ends must use the
 * same label, context and length.
 *
 * @param s The session, after its handshake completed (OPEN, or later
 *        while the session has not failed), wrapped from a context with
 *        tlsw_ctx_set_exporter() on.
 * @param label The exporter label, NUL-terminated and not empty, e.g.
 *        "EXPERIMENTAL my-protocol" or "EXTRACTOR-dtls_srtp". The labels
 *        TLS itself uses ("client finished", "server finished", "master
 *        secret", "key expansion", "extended master secret") are refused.
 * @param context Context bytes, or NULL for none. In TLS 1.2 "no context"
 *        and an empty context give different material (RFC 5705 §4); TLS
 *        1.3 treats both as empty.
 * @param context_len Bytes at context (0 with NULL; below 65536).
 * @param out Where the material goes; out_len bytes are written on
 *        success and none on failure.
 * @param out_len How many bytes, 1 to 16384.
 * @retval TLSW_OK out holds out_len bytes.
 * @retval TLSW_ERR_ARG s, label or out NULL; an empty or reserved label;
 *         out_len 0 or over 16384; context_len over 65535 or non-zero with
 *         a NULL context.
 * @retval TLSW_ERR_STATE The handshake has not completed, the context did
 *         not enable the exporter when s was wrapped, or the session
 *         failed (its message still says why it failed).
 * @retval TLSW_ERR_UNSUPPORTED The backend has no exporter (no
 *         #TLSW_FEATURE_EXPORTER).
 * @retval TLSW_ERR_INTERNAL The backend could not derive it (the message
 *         gives its code).
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_STATE, TLSW_ERR_UNSUPPORTED,
 * TLSW_ERR_INTERNAL; the message is in tlsw_session_message().
 */

TLSW_API int tlsw_session_export_keying_material(tlsw_session *s,
                                                 const char *label,
                                                 const uint8_t *context,
                                                 size_t context_len,
                                                 uint8_t *out, size_t out_len);
/**
 * @brief The peer's certificate, DER.
 *
 * After a completed handshake; also after a handshake that failed because
 * the peer's certificate was refused (a TLSW_ERR_CERT_* status), so the
 * caller can show what was refused: the session keeps a copy of that leaf.
 *
 * @param s The session.
 * @param[out] der Set to the certificate (NULL on failure). It is owned by
 *        the session and stays valid until the session is freed.
 * @param[out] der_len Set to its length (0 on failure).
 * @retval TLSW_OK *der and *der_len are set.
 * @retval TLSW_ERR_ARG s, der or der_len NULL.
 * @retval TLSW_ERR_STATE No handshake (and no refused certificate) or no
 *         certificate.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_STATE (no handshake or no certificate).
 */
TLSW_API int tlsw_session_peer_cert(const tlsw_session *s, const uint8_t **der,
                                    size_t *der_len);

/**
 * @brief The outcome of verifying the peer (useful with CERT_OPTIONAL).
 *
 * @param s The session.
 * @retval TLSW_OK The peer was verified.
 * @retval TLSW_ERR_STATE Before the handshake or when nothing was verified
 *         (CERT_NONE, or a server that got no client certificate).
 * @retval TLSW_ERR_ARG s NULL.
 * @return Or TLSW_ERR_CERT_* if verification failed (and the message says
 *         why).
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_STATE, TLSW_ERR_CERT_* (verification
 * failed).
 */
TLSW_API int tlsw_session_verify_result(const tlsw_session *s);

/**
 * @brief Why a peer certificate failed verification, in machine form.
 *
 * The session message says the same for a person. The table of which case
 * gives which reason and status is in docs/verification.md. New reasons
 * are only ever appended (after #TLSW_REASON_OTHER), so a caller must
 * treat a value it does not know like #TLSW_REASON_OTHER.
 */
typedef enum tlsw_cert_reason {
  TLSW_REASON_NONE = 0,       /**< verified, or nothing was verified */
  TLSW_REASON_EXPIRED,        /**< notAfter is in the past */
  TLSW_REASON_NOT_YET_VALID,  /**< notBefore is in the future */
  TLSW_REASON_HOSTNAME,       /**< no SAN matches server_hostname */
  TLSW_REASON_UNKNOWN_ISSUER, /**< no trusted CA issued it */
  TLSW_REASON_SELF_SIGNED,    /**< self-signed and not trusted */
  TLSW_REASON_BAD_SIGNATURE,  /**< its signature does not verify */
  TLSW_REASON_NOT_CA,         /**< its issuer is not a CA certificate */
  TLSW_REASON_NO_PEER_CERT,   /**< the peer sent none, one was required */
  TLSW_REASON_WEAK_KEY,       /**< its key is below the minimum size */
  TLSW_REASON_REVOKED,        /**< revoked (CRL/OCSP) */
  TLSW_REASON_REJECTED,       /**< the verify callback said no */
  TLSW_REASON_NO_TIME,        /**< the time callback did not know the time */
  TLSW_REASON_OTHER,          /**< anything else: see the message */
  /* Added in 0.2.x, after OTHER so that no earlier value moves (ABI). */
  TLSW_REASON_WEAK_SIGNATURE, /**< signed with MD5 or SHA-1 (below the trust
                                   anchor; see
                                   tlsw_ctx_allow_weak_signatures()) */
  TLSW_REASON_KEY_USAGE, /**< the leaf's keyUsage / extendedKeyUsage does not
                              allow the peer's role */
  TLSW_REASON_NAME_CONSTRAINTS, /**< a name outside an issuer's name
                                     constraints */
  /** CRLs are loaded, but none from this certificate's issuer
   *  (tlsw_ctx_load_crl_mem()) */
  TLSW_REASON_NO_CRL,
  /** The stapled OCSP response does not verify, is not for this
   *  certificate, or says neither good nor revoked
   *  (tlsw_ctx_set_ocsp_stapling()) */
  TLSW_REASON_OCSP_INVALID,
  /** #TLSW_OCSP_REQUIRE, and the server stapled no OCSP response */
  TLSW_REASON_OCSP_MISSING
} tlsw_cert_reason;

/**
 * @brief Static English text of a reason, e.g. "certificate has expired".
 *
 * @param reason A reason.
 * @return A static string, never NULL ("unknown reason" for values outside
 *         the enum).
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_cert_reason_text(tlsw_cert_reason reason);

/**
 * @brief The verification outcome with its reason and the depth of the
 * failing certificate.
 *
 * Unlike tlsw_session_verify_result(), it also works after a handshake
 * that failed verification, so an adapter can build CPython-style
 * verify_code / verify_message from it.
 *
 * @param s The session.
 * @param[out] reason Set to the reason (#TLSW_REASON_NONE unless a
 *        failure); may be NULL.
 * @param[out] depth Set to the depth of the failing certificate (0: the
 *        peer's own; -1: no certificate); may be NULL.
 * @retval TLSW_OK Verified; reason NONE, depth -1.
 * @retval TLSW_ERR_CERT_MISSING A required certificate was not sent.
 * @retval TLSW_ERR_STATE Nothing was verified (yet, or at all: CERT_NONE,
 *         or a server that got no optional client certificate).
 * @retval TLSW_ERR_ARG s NULL.
 * @return Or the failure's TLSW_ERR_CERT_* status.
 *
 * Errors: TLSW_ERR_ARG (a NULL session), TLSW_ERR_STATE, the failure's
 * TLSW_ERR_CERT_* status.
 */
TLSW_API int tlsw_session_verify_info(const tlsw_session *s,
                                      tlsw_cert_reason *reason, int *depth);

/**
 * @brief DTLS: payload bytes one tlsw_write() can carry.
 *
 * @param s The session, or NULL.
 * @return The byte count; 0 for TLS, NULL or a dead session.
 *
 * Errors: none (0 for TLS or NULL).
 */
TLSW_API size_t tlsw_session_dtls_max_payload(const tlsw_session *s);
/**
 * @brief Deprecated name of tlsw_session_dtls_max_payload(), kept (and
 * exported) through 0.x.
 * @deprecated Use tlsw_session_dtls_max_payload(); same behaviour.
 *
 * @param s The session, or NULL.
 * @return As tlsw_session_dtls_max_payload().
 *
 * Errors: none (0 for TLS or NULL).
 */
TLSW_API TLSW_DEPRECATED size_t tlsw_dtls_max_payload(const tlsw_session *s);

/** @} */

TLSW_END_DECLS

#endif
