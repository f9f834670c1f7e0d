/**
 * @file
 * @brief The transport contract: tlswrap never touches a socket.
 *
 * A session moves bytes only through the two callbacks below, which the
 * caller supplies (tlsw_io); tlswrap/transport.h has ready-made ones.
 *
 * @defgroup io Transport contract
 * @brief The two callbacks through which a session moves its bytes.
 *
 * Both callbacks are called only from within tlsw_* calls on the session
 * that owns them, on the caller's thread. They must not call back into that
 * session. Any status other than those listed for each is treated as
 * #TLSW_ERR_IO.
 * @{
 */
#ifndef TLSWRAP_IO_H
#define TLSWRAP_IO_H

#include "tlswrap/export.h"

#include <stddef.h>
#include <stdint.h>

TLSW_BEGIN_DECLS

/**
 * @brief send: transmit up to len (> 0) bytes from buf.
 *
 * For DTLS, one call is one datagram: take all len bytes or none.
 *
 * @param io The tlsw_io's `io` pointer, as given.
 * @param buf The bytes to send; valid only during the call.
 * @param len How many, never 0.
 * @param[out] out_n Set to how many bytes were taken.
 * @retval TLSW_OK With *out_n in 1..len: that many bytes were taken. A
 *         short count is fine; the session calls again with the rest.
 * @retval TLSW_WANT_WRITE Nothing was taken, the transport would block.
 *         The session returns #TLSW_WANT_WRITE to its caller.
 * @retval TLSW_ERR_IO The transport failed (as the two below). Leave errno
 *         set to the cause (0 if there is none); the session copies it into
 *         its message. The failure is fatal for the session.
 * @retval TLSW_ERR_RESET The transport failed: the connection was reset.
 * @retval TLSW_ERR_TIMEOUT The transport failed: it timed out.
 *
 * Errors: TLSW_ERR_IO / TLSW_ERR_RESET / TLSW_ERR_TIMEOUT (any other
 * status counts as TLSW_ERR_IO).
 */
typedef int (*tlsw_send_fn)(void *io, const uint8_t *buf, size_t len,
                            size_t *out_n);
/**
 * @brief recv: receive up to len bytes into buf.
 *
 * len is never 0 (a backend's zero-length probe is answered by the session
 * itself). For DTLS, one call returns one datagram; the session always
 * offers a buffer of at least #TLSW_DTLS_MAX_DATAGRAM bytes during the
 * handshake.
 *
 * @param io The tlsw_io's `io` pointer, as given.
 * @param[out] buf Where to store the bytes; valid only during the call.
 * @param len Its size, never 0.
 * @param[out] out_n Set to how many bytes were stored.
 * @retval TLSW_OK With *out_n in 1..len: that many bytes were stored. With
 *         *out_n == 0: end of stream (the peer closed the transport).
 * @retval TLSW_WANT_READ Nothing available now, the transport would block.
 * @retval TLSW_ERR_IO As for send (tlsw_send_fn), with #TLSW_ERR_RESET and
 *         #TLSW_ERR_TIMEOUT. For a DTLS handshake over a blocking
 *         transport, #TLSW_ERR_TIMEOUT is not fatal: it makes the session
 *         retransmit its last flight and read again.
 *
 * Errors: TLSW_ERR_IO / TLSW_ERR_RESET / TLSW_ERR_TIMEOUT, as for send.
 */
typedef int (*tlsw_recv_fn)(void *io, uint8_t *buf, size_t len, size_t *out_n);

/**
 * @brief A transport: two callbacks and the pointer handed to both.
 *
 * The session copies this struct; `io` is borrowed and must stay valid
 * until the session is freed.
 */
typedef struct tlsw_io {
  tlsw_send_fn send; /**< transmits bytes (see tlsw_send_fn) */
  tlsw_recv_fn recv; /**< receives bytes (see tlsw_recv_fn) */
  void *io;          /**< passed to both; borrowed, not freed by tlswrap */
} tlsw_io;

/** @brief Largest datagram a DTLS session sends or expects during a
 * handshake. */
#define TLSW_DTLS_MAX_DATAGRAM 1500

/** @} */

TLSW_END_DECLS

#endif
