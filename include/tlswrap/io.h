/*
 * The transport contract: tlswrap never touches a socket. A session moves
 * bytes only through the two callbacks below, which the caller supplies.
 */
#ifndef TLSWRAP_IO_H
#define TLSWRAP_IO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * send: transmit up to len (> 0) bytes from buf.
 *   - TLSW_OK with *out_n in 1..len: that many bytes were taken. A short
 *     count is fine; the session calls again with the rest.
 *   - TLSW_WANT_WRITE: nothing was taken, the transport would block. The
 *     session returns TLSW_WANT_WRITE to its caller.
 *   - TLSW_ERR_IO / TLSW_ERR_RESET / TLSW_ERR_TIMEOUT: the transport failed.
 *     Leave errno set to the cause (0 if there is none); the session copies
 *     it into its message. The failure is fatal for the session.
 *   For DTLS, one call is one datagram: take all len bytes or none.
 *
 * recv: receive up to len bytes into buf.
 *   - TLSW_OK with *out_n in 1..len: that many bytes were stored.
 *   - TLSW_OK with *out_n == 0: end of stream (the peer closed the transport).
 *   - TLSW_WANT_READ: nothing available now, the transport would block.
 *   - TLSW_ERR_IO / TLSW_ERR_RESET / TLSW_ERR_TIMEOUT: as for send.
 *     For a DTLS handshake over a blocking transport, TLSW_ERR_TIMEOUT is not
 *     fatal: it makes the session retransmit its last flight and read again.
 *   len is never 0 (a backend's zero-length probe is answered by the
 *   session itself).
 *   For DTLS, one call returns one datagram; the session always offers a
 *   buffer of at least TLSW_DTLS_MAX_DATAGRAM bytes during the handshake.
 *
 * Both callbacks are called only from within tlsw_* calls on the session
 * that owns them, on the caller's thread. They must not call back into that
 * session. Any other status is treated as TLSW_ERR_IO.
 */
typedef int (*tlsw_send_fn)(void *io, const uint8_t *buf, size_t len,
                            size_t *out_n);
typedef int (*tlsw_recv_fn)(void *io, uint8_t *buf, size_t len, size_t *out_n);

/* A transport: two callbacks and the pointer handed to both. The session
 * copies this struct; `io` is borrowed and must stay valid until the session
 * is freed. */
typedef struct tlsw_io {
  tlsw_send_fn send;
  tlsw_recv_fn recv;
  void *io;
} tlsw_io;

/* Largest datagram a DTLS session sends or expects during a handshake. */
#define TLSW_DTLS_MAX_DATAGRAM 1500

#ifdef __cplusplus
}
#endif

#endif
