/**
 * @file
 * @brief DTLS 1.2: server cookies, retransmission timers, and a UDP server
 * helper that serves many peers from one unconnected socket.
 *
 * @defgroup dtls DTLS
 * @brief Server cookies, retransmission timers, and tlsw_dtls_server, a
 * UDP server helper for many peers on one socket.
 *
 * The stateless HelloVerify flow (MicroPython's): a DTLS server wraps every
 * datagram from an unknown peer with that peer's client_id (see
 * tlsw_wrap_opts). A ClientHello without a valid cookie makes the server
 * send a HelloVerifyRequest; the session then frees all its backend state
 * and fails with TLSW_HELLO_VERIFY ("Hello Verify Required"). Free it and
 * wrap again, with the same context and client_id, when the peer's next
 * datagram arrives: that wrap accepts the ClientHello carrying the cookie
 * and runs the handshake. Nothing is kept per peer until its cookie checks,
 * so memory stays constant however many peers knock. A first datagram that
 * is not a ClientHello (garbage, stray records, alerts) fails the fresh
 * session with TLSW_ERR_DATAGRAM_DROPPED, also without keeping state.
 *
 * tlsw_dtls_server (below) does all of this for a UDP socket.
 * docs/dtls.md explains the design and gives measured figures.
 * @{
 */
#ifndef TLSWRAP_DTLS_H
#define TLSWRAP_DTLS_H

#include "tlswrap/export.h"

#include <stddef.h>
#include <stdint.h>

#include "tlswrap/context.h"
#include "tlswrap/session.h"

TLSW_BEGIN_DECLS

/* ------------------------------------------------------------------------ */
/* Connection IDs (RFC 9146, RFC 9147 9)                                     */

/** @brief The largest connection ID tlsw_session_dtls_cid() gives. */
#define TLSW_DTLS_CID_MAX 32

/**
 * @brief Use DTLS connection IDs, so that a peer whose address changes
 *        (NAT rebinding, a new source port) keeps its session.
 *
 * On a server context each session asks its client to put an 8-byte
 * random connection ID on its records (where the wolfSSL build allows 8
 * bytes; else its maximum), and the UDP server helper (tlsw_dtls_server)
 * routes a datagram that carries one to its peer whatever address it
 * came from. On a client context the session offers connection IDs (it
 * sends the server's, and asks for none itself). A connection ID is used
 * when both ends offer it and the handshake is DTLS 1.3 (wolfSSL 5.7.2
 * has connection IDs in DTLS 1.3 only); otherwise the session runs
 * without. Needs #TLSW_FEATURE_DTLS_CID and a context whose maximum
 * version is 1.3 (tlsw_ctx_set_version_range()). Applies to sessions
 * wrapped afterwards. Off by default.
 *
 * @param ctx A DTLS context.
 * @param on 1: use connection IDs; 0: do not.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL, or on not 0 or 1.
 * @retval TLSW_ERR_STATE Not a DTLS context, or its maximum is DTLS 1.2.
 * @retval TLSW_ERR_UNSUPPORTED The build has no connection IDs.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_STATE, TLSW_ERR_UNSUPPORTED.
 */
TLSW_API int tlsw_ctx_set_dtls_cid(tlsw_ctx *ctx, int on);

/**
 * @brief The connection ID this session receives with: the one its peer
 *        puts on every record it sends (set by this end).
 *
 * @param s A DTLS session.
 * @param[out] buf Receives the connection ID (not NUL-terminated); NULL
 *        with cap 0 asks for the length only.
 * @param cap The size of buf; #TLSW_DTLS_CID_MAX is always enough.
 * @param[out] len Set to its length; 0 when none is in use (not
 *        negotiated yet, not offered, DTLS 1.2, an empty one). Not NULL.
 * @retval TLSW_OK *len set (and buf filled when cap is enough).
 * @retval TLSW_ERR_ARG s or len NULL, or buf NULL with cap > 0.
 * @retval TLSW_ERR_TOO_BIG cap is smaller than *len; buf untouched.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_TOO_BIG.
 */
TLSW_API int tlsw_session_dtls_cid(const tlsw_session *s, uint8_t *buf,
                                   size_t cap, size_t *len);

/* ------------------------------------------------------------------------ */
/* Cookies (DTLS server contexts)                                            */

/** @name Cookies (DTLS server contexts)
 *
 * Cookies are HMAC-SHA256 over the ClientHello and the client_id, keyed by
 * a 32-byte secret that lives in the context. The secret comes from the
 * backend's CSPRNG and is replaced every lifetime/2 seconds; a cookie made
 * with the previous secret is still accepted. So a cookie is accepted for at
 * least lifetime/2 and at most lifetime seconds after it was issued; an
 * older one (or one bound to another client_id) only earns another
 * HelloVerifyRequest, never a handshake.
 * @{
 */
/** @brief The cookie lifetime of a new DTLS server context, in seconds. */
#define TLSW_DTLS_COOKIE_LIFETIME_DEFAULT 60u
/** @brief The longest cookie lifetime, in seconds (one day). */
#define TLSW_DTLS_COOKIE_LIFETIME_MAX 86400u

/**
 * @brief Set the cookie lifetime. Applies from the next wrap.
 *
 * @param ctx A DTLS server context.
 * @param seconds 2..#TLSW_DTLS_COOKIE_LIFETIME_MAX.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG NULL ctx, out of range.
 * @retval TLSW_ERR_STATE Not a DTLS server context.
 *
 * Errors: TLSW_ERR_ARG (NULL ctx, out of range), TLSW_ERR_STATE (not a
 * DTLS server context).
 */
TLSW_API int tlsw_ctx_set_dtls_cookie_lifetime(tlsw_ctx *ctx, unsigned seconds);

/**
 * @brief Replace the cookie secret now (the current one becomes the
 * previous one, still accepted).
 *
 * For a suspected leak, or for tests.
 *
 * @param ctx A DTLS server context.
 * @retval TLSW_OK Replaced.
 * @retval TLSW_ERR_ARG ctx NULL.
 * @retval TLSW_ERR_STATE Not a DTLS server context.
 * @retval TLSW_ERR_INTERNAL The CSPRNG failed; the message says so.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_STATE (not a DTLS server context),
 * TLSW_ERR_INTERNAL (the CSPRNG failed; the message says so).
 */
TLSW_API int tlsw_ctx_rotate_dtls_cookie_secret(tlsw_ctx *ctx);
/** @} */

/**
 * @brief The context's clock: milliseconds from any fixed origin, never
 * going backwards.
 *
 * It drives cookie rotation and the retransmission deadlines of
 * tlsw_session_dtls_timeout_ms(). The function must be callable from every
 * thread that uses the context.
 *
 * @param user The pointer given to tlsw_ctx_set_clock(), passed through.
 * @return The current time in milliseconds.
 */
typedef uint64_t (*tlsw_clock_fn)(void *user);
/**
 * @brief Set the context's clock (tlsw_clock_fn). Tests inject a fake
 * clock here.
 *
 * Set it before wrapping sessions.
 *
 * @param ctx The context (any protocol).
 * @param now_ms The clock; NULL: the default, clock_gettime
 *        (CLOCK_MONOTONIC).
 * @param user Passed to now_ms; borrowed, must stay valid while the
 *        context is in use. Ignored when now_ms is NULL.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL.
 *
 * Errors: TLSW_ERR_ARG (NULL ctx).
 */
TLSW_API int tlsw_ctx_set_clock(tlsw_ctx *ctx, tlsw_clock_fn now_ms,
                                void *user);

/* ------------------------------------------------------------------------ */
/* Retransmission (any DTLS session)                                         */

/** @name Retransmission (any DTLS session)
 *
 * Non-blocking callers: while a DTLS handshake waits for the peer
 * (#TLSW_WANT_READ), tlsw_session_dtls_timeout_ms() gives the milliseconds
 * until the retransmission timer fires. Use it as the poll() timeout; when it
 * reaches 0 without a datagram, call tlsw_dtls_handle_timeout(), which
 * resends the last flight (the timer doubles, 1 s up to 64 s).
 *
 * Blocking callers need neither: a transport whose recv returns
 * #TLSW_ERR_TIMEOUT during the handshake (tlsw_sock_io() with timeout_ms >
 * 0) makes the session retransmit and read again by itself.
 * @{
 */

/**
 * @brief Milliseconds until the retransmission timer fires.
 *
 * @param s The session, or NULL.
 * @return The milliseconds (0: it has fired), or -1 when no timer runs (no
 *         handshake in flight, TLS session, NULL).
 *
 * Errors: none (-1 when no timer runs).
 */
TLSW_API long tlsw_session_dtls_timeout_ms(const tlsw_session *s);
/**
 * @brief Deprecated name of tlsw_session_dtls_timeout_ms(), kept (and exported)
 * through 0.x.
 * @deprecated Use tlsw_session_dtls_timeout_ms(); same behaviour.
 *
 * @param s The session, or NULL.
 * @return As tlsw_session_dtls_timeout_ms().
 *
 * Errors: none (-1 when no timer runs).
 */
TLSW_API TLSW_DEPRECATED long tlsw_dtls_timeout_ms(const tlsw_session *s);
/**
 * @brief Resend the last flight once the timer has fired.
 *
 * Calling it early is harmless: it returns #TLSW_WANT_READ without
 * resending.
 *
 * @param s A DTLS session.
 * @retval TLSW_WANT_READ Resent (or not due yet): wait for the peer.
 * @retval TLSW_OK The handshake is complete.
 * @retval TLSW_ERR_ARG s NULL.
 * @retval TLSW_ERR_STATE Not DTLS.
 * @return Or a fatal status (e.g. the peer stayed silent past the
 *         backend's retry limit), or the session's sticky status.
 *
 * Errors: TLSW_ERR_ARG (NULL), TLSW_ERR_STATE (not DTLS), sticky statuses
 * (e.g. the peer stayed silent past the backend's retry limit).
 */
TLSW_API int tlsw_dtls_handle_timeout(tlsw_session *s);
/** @} */

/* ------------------------------------------------------------------------ */
/* UDP                                                                       */

struct sockaddr;

/** @brief Size of the buffer tlsw_udp_client_id() fills. */
#define TLSW_UDP_CLIENT_ID_MAX 24
/**
 * @brief client_id bytes (tlsw_wrap_opts) for a peer address.
 *
 * Family, port and address (and an IPv6 scope), in a form that differs for
 * every distinct IPv4/IPv6 address and port.
 *
 * @param addr The peer's address (AF_INET or AF_INET6).
 * @param addrlen Its length, as from recvfrom().
 * @param[out] out Receives the bytes; must hold #TLSW_UDP_CLIENT_ID_MAX
 *        bytes.
 * @param[out] out_len Set to how many were written (0 on failure).
 * @retval TLSW_OK Written.
 * @retval TLSW_ERR_ARG NULL, unsupported family, short addrlen.
 *
 * Errors: TLSW_ERR_ARG (NULL, unsupported family, short addrlen).
 */
TLSW_API int tlsw_udp_client_id(const struct sockaddr *addr, size_t addrlen,
                                uint8_t *out, size_t *out_len);

/**
 * @brief tlsw_dtls_server: many DTLS peers on one unconnected UDP socket
 * (opaque).
 *
 * It reads datagrams with recvfrom(), keys peers by source address, runs the
 * stateless cookie exchange for unknown addresses (a tlsw_wrap per datagram,
 * nothing kept until the cookie checks), and keeps one session per verified
 * peer in a table (so a retransmitted ClientHello or a later flight reaches
 * the existing session). Sessions send with sendto() to their peer.
 *
 * The socket is the caller's: bound, and non-blocking (O_NONBLOCK) so the
 * helper never blocks; the helper never closes it. Everything runs on the
 * caller's thread, inside these calls. A poll() loop:
 *
 * @code
 *   for (;;) {
 *     struct pollfd p = {fd, POLLIN, 0};
 *     poll(&p, 1, (int)tlsw_dtls_server_timeout_ms(srv));
 *     tlsw_dtls_server_process(srv);              // reads, handshakes, timers
 *     tlsw_dtls_conn *c;
 *     while (tlsw_dtls_server_accept(srv, &c) == TLSW_OK) { ...new peer... }
 *     while ((c = tlsw_dtls_server_next_readable(srv)) != NULL) {
 *       tlsw_session *s = tlsw_dtls_conn_session(c);
 *       // tlsw_read() until TLSW_WANT_READ; on TLSW_CLOSED or an error:
 *       // tlsw_dtls_server_close(srv, c);
 *     }
 *   }
 * @endcode
 *
 * A peer that restarts from the same address (a new plaintext ClientHello
 * to an established connection) gets a new connection once its cookie
 * checks; the old connection then reads #TLSW_ERR_EOF (and its writes fail
 * with #TLSW_ERR_RESET) until the caller closes it.
 *
 * Sessions handed out are ordinary tlsw_session objects: tlsw_read() returns
 * one queued record per call and #TLSW_WANT_READ when the peer's queue is
 * empty; tlsw_write() sends one datagram. They belong to the helper: never
 * tlsw_session_free() them, use tlsw_dtls_server_close().
 */
typedef struct tlsw_dtls_server tlsw_dtls_server;
/** @brief One peer of a tlsw_dtls_server (opaque), owned by the helper:
 * valid until tlsw_dtls_server_close() or tlsw_dtls_server_free(). */
typedef struct tlsw_dtls_conn tlsw_dtls_conn;

/** @brief Options of tlsw_dtls_server_new(); start from
 * #TLSW_DTLS_SERVER_OPTS_INIT.
 *
 * Extensible like tlsw_wrap_opts: members are added only at the end, 0
 * always means a member's default. */
typedef struct tlsw_dtls_server_opts {
  /** sizeof(tlsw_dtls_server_opts) as the caller sees it; set by
   * #TLSW_DTLS_SERVER_OPTS_INIT. 0: #TLSW_ERR_ARG. */
  size_t struct_size;
  /** Peers with a session (handshaking or established) at most. While the
   * table is full, a new peer whose cookie checks takes the slot of the
   * oldest peer still handshaking (stats.evicted); when every peer is
   * established, datagrams from new addresses are dropped unanswered
   * (stats.dropped). 0: 64. */
  size_t max_conns;
  /** Bytes of datagrams queued per peer until it is read; beyond that,
   * datagrams are dropped, as a full socket buffer would. 0: 32768 (and
   * never less than one datagram, #TLSW_DTLS_MAX_DATAGRAM + 4). */
  size_t inbox_bytes;
  /** Milliseconds a peer that passed the cookie exchange has to complete
   * its handshake; a peer still handshaking then is freed (counted in
   * stats.expired), so a peer that stalls holds its slot only this long.
   * Timed on the context's clock (tlsw_ctx_set_clock()). 0: 30000, room
   * for four doubling retransmissions (1 + 2 + 4 + 8 s) and margin.
   * (Added in 0.2.x.) */
  unsigned long handshake_timeout_ms;
} tlsw_dtls_server_opts;

/** @brief The defaults of tlsw_dtls_server_opts. */
#define TLSW_DTLS_SERVER_OPTS_INIT \
  { sizeof(tlsw_dtls_server_opts), 0, 0, 0 }

/** @brief Counters of a tlsw_dtls_server since its creation
 * (tlsw_dtls_server_get_stats()).
 *
 * Counters are only ever added at the end; the caller passes the size it
 * was compiled with, so an older program reads the counters it knows. */
typedef struct tlsw_dtls_server_stats {
  unsigned long datagrams;    /**< read from the socket */
  unsigned long hello_verify; /**< HelloVerifyRequests sent */
  unsigned long dropped;      /**< junk, full inbox, table full */
  unsigned long handshakes;   /**< completed */
  unsigned long failed;       /**< handshakes that failed (peer freed) */
  /** Handshaking peers freed to make room for a new one whose cookie
   * checked while the table was full (the oldest goes first). (0.2.x) */
  unsigned long evicted;
  /** Handshaking peers freed at their handshake deadline
   * (handshake_timeout_ms). (0.2.x) */
  unsigned long expired;
  /** Peers moved to a new address: a datagram carrying their connection
   * ID came from there and authenticated (tlsw_ctx_set_dtls_cid()).
   * (0.2.x) */
  unsigned long moved;
} tlsw_dtls_server_stats;

/**
 * @brief Create a helper for a DTLS server context and a UDP socket.
 *
 * @param[out] out Set to the new helper (NULL on failure); free it with
 *        tlsw_dtls_server_free().
 * @param ctx A #TLSW_PROTOCOL_DTLS_SERVER context; the helper takes a
 *        reference, so the caller may free its own.
 * @param fd A bound, non-blocking UDP socket, IPv4 or IPv6; borrowed, must
 *        stay open until tlsw_dtls_server_free.
 * @param opts NULL: defaults (#TLSW_DTLS_SERVER_OPTS_INIT). Read during the
 *        call only.
 * @retval TLSW_OK *out is the new helper.
 * @retval TLSW_ERR_ARG NULL, fd < 0, not a DTLS server context,
 *         opts->struct_size not set (or options this library does not
 *         know set non-zero by a newer header).
 * @retval TLSW_ERR_NOMEM Out of memory.
 *
 * Errors: TLSW_ERR_ARG (NULL, fd < 0, not a DTLS server context, bad
 * struct_size), TLSW_ERR_NOMEM.
 */
TLSW_API int tlsw_dtls_server_new(tlsw_dtls_server **out, tlsw_ctx *ctx, int fd,
                                  const tlsw_dtls_server_opts *opts);

/**
 * @brief Free the helper, every connection and its session (no
 * close_notify is sent), and drop the context reference.
 *
 * @param srv The helper, or NULL (ignored).
 *
 * Errors: none.
 */
TLSW_API void tlsw_dtls_server_free(tlsw_dtls_server *srv);

/**
 * @brief Read every datagram waiting on the socket, route each, advance
 * handshakes, fire due retransmission timers, and free peers whose
 * handshake deadline passed (tlsw_dtls_server_opts.handshake_timeout_ms).
 *
 * Reads until EAGAIN, at most a few hundred datagrams per call so one
 * flood cannot starve the caller. Per-peer failures never fail this call.
 *
 * @param srv The helper.
 * @retval TLSW_OK Done (also when peers failed).
 * @retval TLSW_ERR_IO The socket itself failed (errno in the message of
 *         tlsw_dtls_server_message).
 * @retval TLSW_ERR_ARG srv NULL.
 *
 * Errors: TLSW_ERR_IO (the socket failed), TLSW_ERR_ARG (srv NULL).
 */
TLSW_API int tlsw_dtls_server_process(tlsw_dtls_server *srv);

/**
 * @brief Milliseconds until tlsw_dtls_server_process() must run again for
 * a retransmission or a handshake deadline even without traffic. Use it
 * as the poll() timeout.
 *
 * @param srv The helper, or NULL.
 * @return The milliseconds; -1 when no handshake is in flight (or for
 *         NULL).
 *
 * Errors: none (-1 when no handshake is in flight).
 */
TLSW_API long tlsw_dtls_server_timeout_ms(const tlsw_dtls_server *srv);

/**
 * @brief The next connection whose handshake completed since the last
 * call.
 *
 * @param srv The helper.
 * @param[out] out Set to the connection (NULL when none); owned by the
 *        helper.
 * @retval TLSW_OK *out is set.
 * @retval TLSW_WANT_READ There is none.
 * @retval TLSW_ERR_ARG srv or out NULL.
 *
 * Errors: TLSW_ERR_ARG (srv or out NULL).
 */
TLSW_API int tlsw_dtls_server_accept(tlsw_dtls_server *srv,
                                     tlsw_dtls_conn **out);

/**
 * @brief The next established connection that received datagrams since it
 * was last returned here. Read its session until #TLSW_WANT_READ.
 *
 * @param srv The helper, or NULL.
 * @return The connection (owned by the helper), or NULL when none (or for
 *         NULL).
 *
 * Errors: none (NULL when no connection is readable).
 */
TLSW_API tlsw_dtls_conn *tlsw_dtls_server_next_readable(tlsw_dtls_server *srv);

/**
 * @brief Remove a connection and free its session.
 *
 * Call tlsw_shutdown() on the session first to send close_notify. c and its
 * session are invalid afterwards.
 *
 * @param srv The helper.
 * @param c A connection that must come from this srv (ignored when it does
 *        not, or when either is NULL).
 *
 * Errors: none.
 */
TLSW_API void tlsw_dtls_server_close(tlsw_dtls_server *srv, tlsw_dtls_conn *c);

/**
 * @brief Established and handshaking connections in the table.
 *
 * @param srv The helper, or NULL.
 * @return The count; 0 for NULL.
 *
 * Errors: none.
 */
TLSW_API size_t tlsw_dtls_server_count(const tlsw_dtls_server *srv);

/**
 * @brief Counters since creation.
 *
 * Usage: `tlsw_dtls_server_stats st; tlsw_dtls_server_get_stats(srv, &st,
 * sizeof st);`
 *
 * @param srv The helper.
 * @param[out] out Where to copy the counters.
 * @param out_size sizeof(*out) as the caller was compiled: the library
 *        fills that many bytes, the counters it has and zeros for any it
 *        does not know (a caller built with a newer header).
 * @retval TLSW_OK Copied.
 * @retval TLSW_ERR_ARG srv or out NULL, out_size 0.
 *
 * Errors: TLSW_ERR_ARG (NULL srv or out, out_size 0).
 */
TLSW_API int tlsw_dtls_server_get_stats(const tlsw_dtls_server *srv,
                                        tlsw_dtls_server_stats *out,
                                        size_t out_size);

/**
 * @brief Message of the last failure of tlsw_dtls_server_process().
 *
 * @param srv The helper, or NULL.
 * @return A sentence for a person; "" if none (or for NULL). Owned by srv.
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_dtls_server_message(const tlsw_dtls_server *srv);

/**
 * @brief The connection's session.
 *
 * @param c The connection, or NULL.
 * @return The session, owned by the helper (valid until close/free; never
 *         tlsw_session_free() it); NULL for NULL.
 *
 * Errors: none.
 */
TLSW_API tlsw_session *tlsw_dtls_conn_session(tlsw_dtls_conn *c);
/**
 * @brief The peer's address.
 *
 * @param c The connection, or NULL.
 * @param[out] len Gets the address's length (0 for NULL c); may be NULL.
 * @return The address (valid until close/free); NULL for NULL.
 *
 * Errors: none.
 */
TLSW_API const struct sockaddr *tlsw_dtls_conn_addr(const tlsw_dtls_conn *c,
                                                    size_t *len);
/**
 * @brief Attach a pointer of the caller's to a connection.
 *
 * @param c The connection, or NULL (ignored).
 * @param user Any pointer; tlswrap never dereferences or frees it.
 *
 * Errors: none.
 */
TLSW_API void tlsw_dtls_conn_set_user(tlsw_dtls_conn *c, void *user);
/**
 * @brief The pointer attached with tlsw_dtls_conn_set_user().
 *
 * @param c The connection, or NULL.
 * @return The pointer; NULL if none was set (or for NULL).
 *
 * Errors: none.
 */
TLSW_API void *tlsw_dtls_conn_get_user(const tlsw_dtls_conn *c);

/** @} */

TLSW_END_DECLS

#endif
