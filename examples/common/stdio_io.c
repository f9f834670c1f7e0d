#include "stdio_io.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

int cli_wait_fd(int fd, short events, int timeout_ms) {
  struct pollfd p = {fd, events, 0};
  int r = poll(&p, 1, timeout_ms);
  return r < 0 ? -1 : r > 0;
}

int cli_write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n > 0) {
    ssize_t w = write(fd, c, n);
    if (w > 0) {
      c += w;
      n -= (size_t)w;
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      /* stdout inherited in non-blocking mode (e.g. from a shell pipeline
       * built by another program): wait instead of dropping bytes. */
      if (cli_wait_fd(fd, POLLOUT, -1) < 0 && errno != EINTR) return -1;
      continue;
    }
    if (w == 0) errno = EIO;
    return -1;
  }
  return 0;
}
