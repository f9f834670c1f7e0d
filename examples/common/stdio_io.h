/* Plain file-descriptor helpers for the tools' stdin/stdout relay. */
#ifndef TLSW_CLI_STDIO_IO_H
#define TLSW_CLI_STDIO_IO_H

#include <stddef.h>
#include <sys/types.h>

/* Write all n bytes to fd, retrying on EINTR and waiting with poll() if the
 * descriptor is non-blocking. 0, or -1 with errno. */
int cli_write_all(int fd, const void *p, size_t n);

/* Wait until fd is ready for events (POLLIN/POLLOUT) or timeout_ms passes
 * (< 0: forever). 1 ready, 0 timeout, -1 error (errno; EINTR returns -1). */
int cli_wait_fd(int fd, short events, int timeout_ms);

#endif
