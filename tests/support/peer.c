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

int peer_openssl_server_argv(char **argv, char *acc, size_t acc_cap, int port,
                             char *crt, char *key) {
  snprintf(acc, acc_cap, "127.0.0.1:%d", port);
  int n = 0;
  argv[n++] = "openssl";
  argv[n++] = "s_server";
  argv[n++] = "-accept";
  argv[n++] = acc;
  argv[n++] = "-naccept";
  argv[n++] = "1";
  argv[n++] = "-cert";
  argv[n++] = crt;
  argv[n++] = "-key";
  argv[n++] = key;
  return n;
}
