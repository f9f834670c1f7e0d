/* Print a TCP (or, with "udp", UDP) port on 127.0.0.1 that is free right
 * now: bind port 0, read the port back, close. For peers such as
 * gnutls-serv that cannot report the port they got. Another process could
 * take the port before the peer binds it, so callers retry on failure.
 *
 * "freeport mute": listen on a TCP port, print it, and never accept or
 * answer (the kernel still completes connections into the backlog): a
 * server that does not speak, for handshake timeouts. Runs until killed.
 * "freeport mute-udp": the same on UDP (bound, datagrams never read).
 *
 * "freeport hold PORT": connect to 127.0.0.1:PORT, send nothing, and print
 * "closed" once the server hangs up: a client that does not speak. Gives up
 * after 30 s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"

static int hold(const char *port) {
  int fd = connect_once(atoi(port));
  if (fd < 0) {
    perror("freeport: connect");
    return 1;
  }
  alarm(30);
  char buf[256];
  while (read(fd, buf, sizeof buf) > 0) continue;
  printf("closed\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "hold") == 0) return hold(argv[2]);
  int udp = argc > 1 && strcmp(argv[1], "udp") == 0;
  int mute = argc > 1 && strncmp(argv[1], "mute", 4) == 0;
  if (argc > 1 && strcmp(argv[1], "mute-udp") == 0) udp = 1;
  /* A TCP socket listens even when only its port is wanted: harmless, and
   * the mute server needs it. */
  int port = 0;
  int fd = udp ? udp_bound(&port) : listen_any(&port);
  if (fd < 0) {
    perror("freeport");
    return 1;
  }
  printf("%d\n", port);
  fflush(stdout);
  while (mute) pause();
  close(fd);
  return 0;
}
