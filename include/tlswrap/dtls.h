/*
 * DTLS 1.2: server cookies, retransmission timers, and a UDP server helper
 * that serves many peers from one unconnected socket.
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
 */
#ifndef TLSWRAP_DTLS_H
#define TLSWRAP_DTLS_H

#include <stddef.h>
#include <stdint.h>

#include "tlswrap/context.h"
#include "tlswrap/session.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility; this exports the API. */
#if defined(TLSW_BUILDING) && defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

/* ------------------------------------------------------------------------ */
/* Cookies (DTLS server contexts)                                            */

/*
 * Cookies are HMAC-SHA256 over the ClientHello and the client_id, keyed by
 * a 32-byte secret that lives in the context. The secret comes from the
 * backend's CSPRNG and is replaced every lifetime/2 seconds; a cookie made
 * with the previous secret is still accepted. So a cookie is accepted for at
 * least lifetime/2 and at most lifetime seconds after it was issued; an
 * older one (or one bound to another client_id) only earns another
 * HelloVerifyRequest, never a handshake.
 */
#define TLSW_DTLS_COOKIE_LIFETIME_DEFAULT 60u
#define TLSW_DTLS_COOKIE_LIFETIME_MAX 86400u

/* seconds: 2..TLSW_DTLS_COOKIE_LIFETIME_MAX. Applies from the next wrap.
 * Errors: TLSW_ERR_ARG (NULL ctx, out of range), TLSW_ERR_STATE (not a DTLS
 * server context). */
int tlsw_ctx_set_dtls_cookie_lifetime(tlsw_ctx *ctx, unsigned seconds);

/* Replace the cookie secret now (the current one becomes the previous one,
 * still accepted). For a suspected leak, or for tests. Errors: TLSW_ERR_ARG,
 * TLSW_ERR_STATE (not a DTLS server context), TLSW_ERR_INTERNAL (the CSPRNG
 * failed; the message says so). */
int tlsw_ctx_rotate_dtls_cookie_secret(tlsw_ctx *ctx);

/*
 * The context's clock: milliseconds from any fixed origin, never going
 * backwards. It drives cookie rotation and the retransmission deadlines of
 * tlsw_dtls_timeout_ms(). Default (now_ms NULL): clock_gettime
 * (CLOCK_MONOTONIC). Tests inject a fake clock here. The function must be
 * callable from every thread that uses the context; user is passed through.
 * Set it before wrapping sessions. Errors: TLSW_ERR_ARG (NULL ctx).
 */
typedef uint64_t (*tlsw_clock_fn)(void *user);
int tlsw_ctx_set_clock(tlsw_ctx *ctx, tlsw_clock_fn now_ms, void *user);

/* ------------------------------------------------------------------------ */
/* Retransmission (any DTLS session)                                         */

/*
 * Non-blocking callers: while a DTLS handshake waits for the peer
 * (TLSW_WANT_READ), tlsw_dtls_timeout_ms() gives the milliseconds until the
 * retransmission timer fires (0: it has fired), or -1 when no timer runs (no
 * handshake in flight, TLS session, NULL). Use it as the poll() timeout;
 * when it reaches 0 without a datagram, call tlsw_dtls_handle_timeout(),
 * which resends the last flight (the timer doubles, 1 s up to 64 s) and
 * returns TLSW_WANT_READ, TLSW_OK, or a fatal status (e.g. the peer stayed
 * silent past the backend's retry limit). Calling it early is harmless: it
 * returns TLSW_WANT_READ without resending.
 *
 * Blocking callers need neither: a transport whose recv returns
 * TLSW_ERR_TIMEOUT during the handshake (tlsw_sock_io with timeout_ms > 0)
 * makes the session retransmit and read again by itself.
 *
 * Errors: TLSW_ERR_ARG (NULL), TLSW_ERR_STATE (not DTLS), sticky statuses.
 */
long tlsw_dtls_timeout_ms(const tlsw_session *s);
int tlsw_dtls_handle_timeout(tlsw_session *s);

/* ------------------------------------------------------------------------ */
/* UDP                                                                       */

struct sockaddr;

/* client_id bytes for a peer address: family, port and address, in a form
 * that differs for every distinct IPv4/IPv6 address and port. out must hold
 * TLSW_UDP_CLIENT_ID_MAX bytes. Errors: TLSW_ERR_ARG (NULL, unsupported
 * family, short addrlen). */
#define TLSW_UDP_CLIENT_ID_MAX 24
int tlsw_udp_client_id(const struct sockaddr *addr, size_t addrlen,
                       uint8_t *out, size_t *out_len);

/*
 * tlsw_dtls_server: many DTLS peers on one unconnected UDP socket.
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
 *
 * A peer that restarts from the same address (a new plaintext ClientHello
 * to an established connection) gets a new connection once its cookie
 * checks; the old connection then reads TLSW_ERR_EOF (and its writes fail
 * with TLSW_ERR_RESET) until the caller closes it.
 *
 * Sessions handed out are ordinary tlsw_session objects: tlsw_read() returns
 * one queued record per call and TLSW_WANT_READ when the peer's queue is
 * empty; tlsw_write() sends one datagram. They belong to the helper: never
 * tlsw_session_free() them, use tlsw_dtls_server_close().
 */
typedef struct tlsw_dtls_server tlsw_dtls_server;
typedef struct tlsw_dtls_conn tlsw_dtls_conn;

typedef struct tlsw_dtls_server_opts {
  /* Peers with a session (handshaking or established) at most; while the
   * table is full, datagrams from new addresses are dropped unanswered
   * (counted in stats). 0: 64. */
  size_t max_conns;
  /* Bytes of datagrams queued per peer until it is read; beyond that,
   * datagrams are dropped, as a full socket buffer would. 0: 32768. */
  size_t inbox_bytes;
} tlsw_dtls_server_opts;

#define TLSW_DTLS_SERVER_OPTS_INIT \
  { 0, 0 }

typedef struct tlsw_dtls_server_stats {
  unsigned long datagrams;    /* read from the socket */
  unsigned long hello_verify; /* HelloVerifyRequests sent */
  unsigned long dropped;      /* junk, full inbox, table full */
  unsigned long handshakes;   /* completed */
  unsigned long failed;       /* handshakes that failed (peer freed) */
} tlsw_dtls_server_stats;

/*
 * Create a helper for ctx (a TLSW_PROTOCOL_DTLS_SERVER context; the helper
 * takes a reference) and fd (a bound UDP socket, IPv4 or IPv6; borrowed,
 * must stay open until tlsw_dtls_server_free). opts NULL: defaults.
 * Errors: TLSW_ERR_ARG (NULL, fd < 0, not a DTLS server context),
 * TLSW_ERR_NOMEM.
 */
int tlsw_dtls_server_new(tlsw_dtls_server **out, tlsw_ctx *ctx, int fd,
                         const tlsw_dtls_server_opts *opts);

/* Free the helper, every connection and its session (no close_notify is
 * sent), and drop the context reference. NULL is ignored. */
void tlsw_dtls_server_free(tlsw_dtls_server *srv);

/*
 * Read every datagram waiting on the socket (until EAGAIN, at most a few
 * hundred per call so one flood cannot starve the caller), route each,
 * advance handshakes and fire due retransmission timers. TLSW_OK, or
 * TLSW_ERR_IO when the socket itself failed (errno in the message of
 * tlsw_dtls_server_message). Per-peer failures never fail this call.
 */
int tlsw_dtls_server_process(tlsw_dtls_server *srv);

/* Milliseconds until tlsw_dtls_server_process() must run again for a
 * retransmission even without traffic; -1 when no handshake is in flight.
 * Use it as the poll() timeout. */
long tlsw_dtls_server_timeout_ms(const tlsw_dtls_server *srv);

/* The next connection whose handshake completed since the last call:
 * TLSW_OK with *out set, or TLSW_WANT_READ when there is none. */
int tlsw_dtls_server_accept(tlsw_dtls_server *srv, tlsw_dtls_conn **out);

/* The next established connection that received datagrams since it was
 * last returned here, or NULL. Read its session until TLSW_WANT_READ. */
tlsw_dtls_conn *tlsw_dtls_server_next_readable(tlsw_dtls_server *srv);

/* Remove a connection and free its session. Call tlsw_shutdown() on the
 * session first to send close_notify. c must come from this srv. */
void tlsw_dtls_server_close(tlsw_dtls_server *srv, tlsw_dtls_conn *c);

/* Established and handshaking connections in the table. */
size_t tlsw_dtls_server_count(const tlsw_dtls_server *srv);

/* Counters since creation; NULL srv gives zeros. */
tlsw_dtls_server_stats tlsw_dtls_server_get_stats(const tlsw_dtls_server *srv);

/* Message of the last failure of tlsw_dtls_server_process(); "" if none.
 * Owned by srv. */
const char *tlsw_dtls_server_message(const tlsw_dtls_server *srv);

/* The connection's session, owned by the helper (valid until close/free). */
tlsw_session *tlsw_dtls_conn_session(tlsw_dtls_conn *c);
/* The peer's address (valid until close/free); *len gets its length. */
const struct sockaddr *tlsw_dtls_conn_addr(const tlsw_dtls_conn *c,
                                           size_t *len);
/* A pointer the caller may attach to a connection. */
void tlsw_dtls_conn_set_user(tlsw_dtls_conn *c, void *user);
void *tlsw_dtls_conn_get_user(const tlsw_dtls_conn *c);

#if defined(TLSW_BUILDING) && defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif
