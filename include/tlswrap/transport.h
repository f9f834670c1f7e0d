/*
 * Ready-made transports for tlsw_io: POSIX sockets and in-memory buffers.
 * They live in libtlswrap for convenience; the core never calls them.
 */
#ifndef TLSWRAP_TRANSPORT_H
#define TLSWRAP_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "tlswrap/io.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility; this exports the API. */
#if defined(TLSW_BUILDING) && defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

/*
 * POSIX socket transport: TCP streams, or connected UDP sockets (one
 * datagram per call). The caller owns the fd; the transport never closes it.
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
  int fd;
  int timeout_ms;
  int last_errno; /* errno of the last failure, 0 if none */
} tlsw_sock;

/* Fill *t and *io for fd. t must outlive the session using io.
 * Errors: TLSW_ERR_ARG (NULL, fd < 0). */
int tlsw_sock_io(tlsw_sock *t, int fd, int timeout_ms, tlsw_io *io);

/*
 * In-memory transport, like CPython's MemoryBIO: a bounded byte queue.
 * Stream mode keeps bytes; datagram mode keeps message boundaries (each
 * write is one datagram, each read returns one, truncated to the reader's
 * buffer). A write that does not fit returns TLSW_WANT_WRITE (stream mode
 * takes what fits); an empty queue returns TLSW_WANT_READ, or EOF (TLSW_OK,
 * 0 bytes) after tlsw_membuf_close().
 */
typedef struct tlsw_membuf tlsw_membuf;

/* capacity: bytes held at most (> 0). datagram: 0 stream, 1 datagram.
 * Errors: TLSW_ERR_ARG, TLSW_ERR_NOMEM. */
int tlsw_membuf_new(tlsw_membuf **out, size_t capacity, int datagram);
void tlsw_membuf_free(tlsw_membuf *b); /* NULL ignored */
/* Application side: put bytes in, take bytes out (same statuses as the
 * callbacks above). */
int tlsw_membuf_write(tlsw_membuf *b, const uint8_t *buf, size_t len,
                      size_t *out_n);
int tlsw_membuf_read(tlsw_membuf *b, uint8_t *buf, size_t len, size_t *out_n);
size_t tlsw_membuf_used(const tlsw_membuf *b);
/* Mark end of stream: once drained, reads return EOF. */
void tlsw_membuf_close(tlsw_membuf *b);

/* A session's transport over two buffers: it reads from `in` and writes to
 * `out`. Both are borrowed and must outlive the session. */
typedef struct tlsw_memio {
  tlsw_membuf *in;
  tlsw_membuf *out;
} tlsw_memio;
int tlsw_memio_init(tlsw_memio *m, tlsw_membuf *in, tlsw_membuf *out,
                    tlsw_io *io);

#if defined(TLSW_BUILDING) && defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif
