/* Server tools as child processes (see peer.h). */
#define _POSIX_C_SOURCE 200809L
#include "peer.h"

#include <stdio.h>
#include <stdlib.h>

#include "net.h"

int peer_connect_server(child *c, peer_start_fn start, void *arg, int attempts,
                        int wait_ms) {
  for (int attempt = 0; attempt < attempts; attempt++) {
    int port = free_port();
    if (port == 0 || start(c, port, arg) != 0) return -1;
    long long deadline = now_ms() + wait_ms;
    while (now_ms() < deadline) {
      int fd = connect_once(port);
      if (fd >= 0) return fd;
      if (child_exited(c)) break;    /* port taken, most likely */
      child_drain(c, now_ms() + 20); /* also paces the loop */
    }
    child_stop(c, 1000);
  }
  return -1;
}

int have_tool(const char *name) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
  return system(cmd) == 0;
}
