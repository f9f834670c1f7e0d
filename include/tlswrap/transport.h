/**
 * @file
 * @brief Ready-made transports for tlsw_io: POSIX sockets and in-memory
 * buffers.
 *
 * They live in libtlswrap for convenience; the core never calls them.
 *
 * @defgroup transport Ready-made transports
 * @brief tlsw_io over POSIX sockets (tlsw_sock_io()) and over in-memory
 * buffers (tlsw_membuf, tlsw_memio_init()).
 * @{
 */
#ifndef TLSWRAP_TRANSPORT_H
#define TLSWRAP_TRANSPORT_H

#include "tlswrap/export.h"

#include <stddef.h>
#include <stdint.h>

#include "tlswrap/io.h"

TLSW_BEGIN_DECLS

/**
 * @brief POSIX socket transport: TCP streams, or connected UDP sockets (one
 * datagram per call).
 *
 * The caller owns the fd; the transport never closes it.
 *
 * Blocking and non-blocking sockets both work. On a non-blocking socket,
 * EAGAIN/EWOULDBLOCK become TLSW_WANT_READ/TLSW_WANT_WRITE. On a blocking
 * socket, timeout_ms > 0 bounds each wait (poll()) and an expiry returns
 * TLSW_ERR_TIMEOUT; timeout_ms <= 0 waits forever. EINTR is retried.
 * ECONNRESET/EPIPE give TLSW_ERR_RESET, EOF gives TLSW_OK with 0 bytes,
 * other errors TLSW_ERR_IO with errno kept. SIGPIPE is never raised
 * (MSG_NOSIGNAL). On a UDP socket an empty datagram is skipped, never
 * reported as EOF (UDP has no end of stream).
 */
typedef struct tlsw_sock {
  int fd;         /**< the socket; borrowed, never closed */
  int timeout_ms; /**< bound of each wait on a blocking socket; <= 0:
                       none */
  int last_errno; /**< errno of the last failure, 0 if none */
  /** Room for state added in a later 0.x release without changing the
   * struct's size, so the caller's allocation stays right (ABI policy,
   * docs/design.md); tlsw_sock_io() clears it. Never touch it. */
  void *reserved[4];
} tlsw_sock;

/**
 * @brief Fill *t and *io for fd.
 *
 * @param[out] t The transport's state; t must outlive the session using
 *        io.
 * @param fd A connected socket (TCP or UDP), blocking or not; the caller
 *        keeps it and closes it.
 * @param timeout_ms > 0: each wait on a blocking socket is bounded to this
 *        many ms (then TLSW_ERR_TIMEOUT); <= 0: waits forever. Unused on a
 *        non-blocking socket.
 * @param[out] io Filled with the callbacks and t, for tlsw_wrap() (which
 *        copies it).
 * @retval TLSW_OK Filled.
 * @retval TLSW_ERR_ARG t or io NULL, fd < 0.
 *
 * Errors: TLSW_ERR_ARG (NULL, fd < 0).
 */
TLSW_API int tlsw_sock_io(tlsw_sock *t, int fd, int timeout_ms, tlsw_io *io);

/**
 * @brief In-memory transport, like CPython's MemoryBIO: a bounded byte
 * queue (opaque).
 *
 * Stream mode keeps bytes; datagram mode keeps message boundaries (each
 * write is one datagram, each read returns one, truncated to the reader's
 * buffer). A write that does not fit returns TLSW_WANT_WRITE (stream mode
 * takes what fits); an empty queue returns TLSW_WANT_READ, or EOF (TLSW_OK,
 * 0 bytes) after tlsw_membuf_close().
 */
typedef struct tlsw_membuf tlsw_membuf;

/**
 * @brief Create a buffer.
 *
 * Its memory comes from the C library's malloc, not from
 * tlsw_set_allocator()'s functions.
 *
 * @param[out] out Set to the new buffer (NULL on failure); free it with
 *        tlsw_membuf_free() after every session using it.
 * @param capacity Bytes held at most (> 0; in datagram mode > 4, which a
 *        length prefix per datagram takes from it).
 * @param datagram 0 stream, 1 datagram.
 * @retval TLSW_OK *out is the new buffer.
 * @retval TLSW_ERR_ARG out NULL, capacity too small, datagram neither 0
 *         nor 1.
 * @retval TLSW_ERR_NOMEM Out of memory.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_NOMEM.
 */
TLSW_API int tlsw_membuf_new(tlsw_membuf **out, size_t capacity, int datagram);
/**
 * @brief Free a buffer and the bytes it holds.
 *
 * @param b The buffer, or NULL (ignored).
 *
 * Errors: none.
 */
TLSW_API void tlsw_membuf_free(tlsw_membuf *b); /* NULL ignored */
/**
 * @brief Application side: put bytes in (same statuses as the send
 * callback, tlsw_send_fn).
 *
 * @param b The buffer.
 * @param buf The bytes; may be NULL only when len is 0. Copied.
 * @param len How many.
 * @param[out] out_n Set to how many were taken: stream mode takes what
 *        fits, datagram mode all or nothing.
 * @retval TLSW_OK *out_n bytes taken (0 for len 0).
 * @retval TLSW_WANT_WRITE Full: nothing taken.
 * @retval TLSW_ERR_TOO_BIG Datagram mode: larger than the buffer could
 *         ever hold.
 * @retval TLSW_ERR_RESET Written after tlsw_membuf_close().
 * @retval TLSW_ERR_ARG b or out_n NULL, or buf NULL with len > 0.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_TOO_BIG, TLSW_ERR_RESET.
 */
TLSW_API int tlsw_membuf_write(tlsw_membuf *b, const uint8_t *buf, size_t len,
                               size_t *out_n);
/**
 * @brief Application side: take bytes out (same statuses as the recv
 * callback, tlsw_recv_fn).
 *
 * @param b The buffer.
 * @param[out] buf Where to store them; may be NULL only when len is 0.
 * @param len buf's size. Datagram mode: the rest of a longer datagram is
 *        discarded, as UDP does.
 * @param[out] out_n Set to how many were stored.
 * @retval TLSW_OK *out_n >= 1 bytes, or 0: EOF (empty after
 *         tlsw_membuf_close()).
 * @retval TLSW_WANT_READ Empty (not closed), or len 0.
 * @retval TLSW_ERR_ARG b or out_n NULL, or buf NULL with len > 0.
 *
 * Errors: TLSW_ERR_ARG.
 */
TLSW_API int tlsw_membuf_read(tlsw_membuf *b, uint8_t *buf, size_t len,
                              size_t *out_n);
/**
 * @brief Bytes held (in datagram mode including a 4-byte length per
 * datagram).
 *
 * @param b The buffer, or NULL.
 * @return The byte count; 0 for NULL.
 *
 * Errors: none.
 */
TLSW_API size_t tlsw_membuf_used(const tlsw_membuf *b);
/**
 * @brief Mark end of stream: once drained, reads return EOF; writes fail
 * with #TLSW_ERR_RESET from now on.
 *
 * @param b The buffer, or NULL (ignored).
 *
 * Errors: none.
 */
TLSW_API void tlsw_membuf_close(tlsw_membuf *b);

/**
 * @brief A session's transport over two buffers: it reads from `in` and
 * writes to `out`.
 *
 * Both are borrowed and must outlive the session.
 */
typedef struct tlsw_memio {
  tlsw_membuf *in;  /**< the session reads from it (the network's bytes) */
  tlsw_membuf *out; /**< the session writes to it (bytes for the network) */
  /** Room for later state without a size change, as in tlsw_sock;
   * tlsw_memio_init() clears it. Never touch it. */
  void *reserved[2];
} tlsw_memio;
/**
 * @brief Fill *m and *io: a transport over in and out.
 *
 * @param[out] m The transport's state; must outlive the session using io.
 * @param in The buffer the session reads from; borrowed, must outlive the
 *        session.
 * @param out The buffer the session writes to; borrowed, must outlive the
 *        session.
 * @param[out] io Filled with the callbacks and m, for tlsw_wrap().
 * @retval TLSW_OK Filled.
 * @retval TLSW_ERR_ARG Any argument NULL.
 *
 * Errors: TLSW_ERR_ARG (NULL).
 */
TLSW_API int tlsw_memio_init(tlsw_memio *m, tlsw_membuf *in, tlsw_membuf *out,
                             tlsw_io *io);

/** @} */

TLSW_END_DECLS

#endif
