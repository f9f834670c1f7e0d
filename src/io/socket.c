/* POSIX socket transport for tlsw_io (see tlswrap/transport.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "tlswrap/status.h"
#include "tlswrap/transport.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* platforms without it use SO_NOSIGPIPE */
#endif

/* On a blocking socket with a timeout, wait for readiness first. Returns
 * TLSW_OK when ready, TLSW_ERR_TIMEOUT or TLSW_ERR_IO. A non-blocking
 * socket is never waited on: it answers EAGAIN itself. */
static int wait_ready(tlsw_sock *t, short events) {
  if (t->timeout_ms <= 0) return TLSW_OK;
  struct pollfd p;
  p.fd = t->fd;
  p.events = events;
  p.revents = 0;
  for (;;) {
    int r = poll(&p, 1, t->timeout_ms);
    if (r > 0) return TLSW_OK;
    if (r == 0) {
      t->last_errno = ETIMEDOUT;
      errno = ETIMEDOUT;
      return TLSW_ERR_TIMEOUT;
    }
    if (errno == EINTR) continue;
    t->last_errno = errno;
    return TLSW_ERR_IO;
  }
}

static int map_errno(tlsw_sock *t, int e, int want) {
  if (e == EAGAIN || e == EWOULDBLOCK) return want;
  t->last_errno = e;
  errno = e;
  if (e == ECONNRESET || e == EPIPE || e == ECONNABORTED) {
    return TLSW_ERR_RESET;
  }
  if (e == ETIMEDOUT) return TLSW_ERR_TIMEOUT;
  return TLSW_ERR_IO;
}

static int sock_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  tlsw_sock *t = io;
  *out_n = 0;
  int st = wait_ready(t, POLLOUT);
  if (st != TLSW_OK) return st;
  for (;;) {
    ssize_t n = send(t->fd, buf, len, MSG_NOSIGNAL);
    if (n >= 0) {
      *out_n = (size_t)n;
      return n > 0 ? TLSW_OK : TLSW_WANT_WRITE;
    }
    if (errno == EINTR) continue;
    /* SO_SNDTIMEO on a blocking socket also surfaces as EAGAIN. */
    if ((errno == EAGAIN || errno == EWOULDBLOCK) && t->timeout_ms > 0) {
      return map_errno(t, ETIMEDOUT, TLSW_WANT_WRITE);
    }
    return map_errno(t, errno, TLSW_WANT_WRITE);
  }
}

/* 1 for a datagram socket, where recv() returning 0 is an empty datagram,
 * not an end of stream (UDP has none). Asked only when that happens. */
static int is_datagram(int fd) {
  int type = 0;
  socklen_t len = sizeof type;
  return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
         type == SOCK_DGRAM;
}

static int sock_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  tlsw_sock *t = io;
  *out_n = 0;
  if (len == 0) return TLSW_WANT_READ;
  int st = wait_ready(t, POLLIN);
  if (st != TLSW_OK) return st;
  for (;;) {
    ssize_t n = recv(t->fd, buf, len, 0);
    if (n == 0 && is_datagram(t->fd)) {
      /* Reporting it as EOF would let anyone who can put one empty
       * datagram on the path end a DTLS session. Skip it and wait for the
       * next one, as a blocking or timed read would anyway. */
      st = wait_ready(t, POLLIN);
      if (st != TLSW_OK) return st;
      continue;
    }
    if (n >= 0) {
      *out_n = (size_t)n; /* 0: orderly EOF */
      return TLSW_OK;
    }
    if (errno == EINTR) continue;
    if ((errno == EAGAIN || errno == EWOULDBLOCK) && t->timeout_ms > 0) {
      return map_errno(t, ETIMEDOUT, TLSW_WANT_READ);
    }
    return map_errno(t, errno, TLSW_WANT_READ);
  }
}

int tlsw_sock_io(tlsw_sock *t, int fd, int timeout_ms, tlsw_io *io) {
  if (t == NULL || io == NULL || fd < 0) return TLSW_ERR_ARG;
  memset(t, 0, sizeof *t);
  t->fd = fd;
  t->timeout_ms = timeout_ms;
  t->last_errno = 0;
  io->send = sock_send;
  io->recv = sock_recv;
  io->io = t;
  return TLSW_OK;
}
