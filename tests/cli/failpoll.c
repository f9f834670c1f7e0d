/*
 * LD_PRELOAD shim for the exit-status test: poll() fails with ENOMEM once
 * it has been called FAILPOLL_AFTER times. It stands in for the OS edge
 * (a failing poll() cannot be provoked on purpose otherwise), so the
 * servers' documented exit status 6 is exercised for real.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>

int poll(struct pollfd *fds, nfds_t nfds, int timeout) {
  static long calls; /* the shim's own counter; test-only code */
  const char *after = getenv("FAILPOLL_AFTER");
  if (after != NULL && ++calls > atol(after)) {
    errno = ENOMEM;
    return -1;
  }
  int (*real)(struct pollfd *, nfds_t, int);
  *(void **)&real = dlsym(RTLD_NEXT, "poll");
  return real(fds, nfds, timeout);
}
