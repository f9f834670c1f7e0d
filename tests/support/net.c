/* Loopback TCP and UDP helpers for the tests (see net.h). */
#define _POSIX_C_SOURCE 200809L
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "child.h"

struct sockaddr_in loopback(int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

/* A socket of `type` bound to 127.0.0.1 with a kernel-chosen port (*port),
 * listening if it is a stream. */
static int bound(int type, int *port) {
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  struct sockaddr_in a = loopback(0);
  socklen_t len = sizeof a;
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      (type == SOCK_STREAM && listen(fd, 16) != 0) ||
      getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(a.sin_port);
  return fd;
}

/* A socket of `type` connected to 127.0.0.1:port. */
static int connected(int type, int port) {
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  struct sockaddr_in a = loopback(port);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

int listen_any(int *port) {
  return bound(SOCK_STREAM, port);
}

int free_port(void) {
  int port = 0;
  int fd = listen_any(&port);
  if (fd < 0) return 0;
  close(fd);
  return port;
}

int accept_by(int lfd, long long deadline) {
  for (;;) {
    long long left = deadline - now_ms();
    if (left <= 0) return -1;
    struct pollfd p = {lfd, POLLIN, 0};
    int r = poll(&p, 1, (int)left);
    if (r < 0 && errno != EINTR) return -1;
    if (r > 0) return accept(lfd, NULL, NULL);
  }
}

int connect_once(int port) {
  return connected(SOCK_STREAM, port);
}

int udp_bound(int *port) {
  return bound(SOCK_DGRAM, port);
}

int free_udp_port(void) {
  int port = 0;
  int fd = udp_bound(&port);
  if (fd < 0) return 0;
  close(fd);
  return port;
}

int udp_connected(int port) {
  return connected(SOCK_DGRAM, port);
}
