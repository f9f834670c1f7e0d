/*
 * A tiny tlswrap TLS echo server for the Lua tests, on the public API only.
 * Usage: tlsw_lua_echo_server CERT KEY [CONNECTIONS]
 * Binds 127.0.0.1 on a free port, prints "PORT <n>" and serves CONNECTIONS
 * (default 1) clients one after another, echoing bytes until each closes.
 * alarm(30) bounds its life even if the test driving it dies.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

static int serve(tlsw_ctx *ctx, int fd) {
  tlsw_sock t;
  tlsw_io io;
  tlsw_sock_io(&t, fd, 10000, &io);
  tlsw_session *s = NULL;
  int st = tlsw_wrap(ctx, &io, NULL, &s);
  char buf[4096];
  while (st == TLSW_OK) {
    size_t n = 0, off = 0;
    st = tlsw_read(s, buf, sizeof buf, &n);
    while (st == TLSW_OK && off < n) {
      size_t k = 0;
      st = tlsw_write(s, buf + off, n - off, &k);
      off += k;
    }
  }
  if (st == TLSW_CLOSED) {
    (void)tlsw_shutdown(s);
  } else {
    fprintf(stderr, "echo server: %s\n", tlsw_session_message(s));
  }
  tlsw_session_free(s);
  return st == TLSW_CLOSED ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s CERT KEY [CONNECTIONS]\n", argv[0]);
    return 2;
  }
  int count = argc > 3 ? atoi(argv[3]) : 1;
  alarm(30);
  tlsw_ctx *ctx = NULL;
  if (tlsw_ctx_new(&ctx, TLSW_PROTOCOL_TLS_SERVER) != TLSW_OK ||
      tlsw_ctx_load_cert_chain_file(ctx, argv[1], argv[2], NULL) != TLSW_OK) {
    fprintf(stderr, "echo server: %s\n", ctx ? tlsw_ctx_message(ctx) : "");
    return 1;
  }
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t al = sizeof a;
  if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) != 0 ||
      listen(ls, 8) != 0 || getsockname(ls, (struct sockaddr *)&a, &al) != 0) {
    perror("echo server");
    return 1;
  }
  printf("PORT %d\n", ntohs(a.sin_port));
  fflush(stdout);
  int bad = 0;
  for (int i = 0; i < count; i++) {
    int fd = accept(ls, NULL, NULL);
    if (fd < 0) {
      perror("accept");
      return 1;
    }
    bad |= serve(ctx, fd);
    close(fd);
  }
  close(ls);
  tlsw_ctx_free(ctx);
  return bad;
}
