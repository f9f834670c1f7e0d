/* DTLS handshake timing on 127.0.0.1 (a figure, never asserted): the
 * tlswrap client (connected UDP socket, tlsw_sock_io) against the
 * tlswrap multi-peer server helper in a thread, cookie exchange included.
 * Usage: bench_dtls [handshakes] (default 50). Needs TLSW_TEST_CERTS or the
 * build's certificate directory. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "pair.h"
#include "tlswrap/dtls.h"
#include "tlswrap/transport.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct srv_arg {
  tlsw_ctx *ctx;
  int fd;
  int stop;
} srv_arg;

static void *serve(void *p) {
  srv_arg *a = p;
  tlsw_dtls_server *srv;
  if (tlsw_dtls_server_new(&srv, a->ctx, a->fd, NULL) != TLSW_OK) return NULL;
  while (!__atomic_load_n(&a->stop, __ATOMIC_ACQUIRE)) {
    long t = tlsw_dtls_server_timeout_ms(srv);
    struct pollfd pf = {a->fd, POLLIN, 0};
    poll(&pf, 1, t < 0 || t > 20 ? 20 : (int)t);
    tlsw_dtls_server_process(srv);
    tlsw_dtls_conn *c;
    while (tlsw_dtls_server_accept(srv, &c) == TLSW_OK) {
    }
    while ((c = tlsw_dtls_server_next_readable(srv)) != NULL) {
      char buf[1500];
      size_t n;
      int st;
      while ((st = tlsw_read(tlsw_dtls_conn_session(c), buf, sizeof buf, &n)) ==
                 TLSW_OK ||
             st == TLSW_ERR_DATAGRAM_DROPPED) {
      }
      if (st != TLSW_WANT_READ) tlsw_dtls_server_close(srv, c);
    }
  }
  tlsw_dtls_server_free(srv);
  tlsw_thread_cleanup(); /* this thread's ECC cache (tlswrap.h) */
  return NULL;
}

static int cmp(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 50;
  if (n < 1 || n > 100000) n = 50;
  tlsw_ctx *sctx, *cctx;
  if (tlsw_ctx_new(&sctx, TLSW_PROTOCOL_DTLS_SERVER) != TLSW_OK ||
      tlsw_ctx_new(&cctx, TLSW_PROTOCOL_DTLS_CLIENT) != TLSW_OK ||
      tlsw_ctx_load_cert_chain_file(sctx, fixture("server-ec.pem"),
                                    fixture("server-ec.key"),
                                    NULL) != TLSW_OK ||
      tlsw_ctx_load_verify_file(cctx, fixture("ca.pem")) != TLSW_OK) {
    fprintf(stderr, "bench_dtls: cannot load the test certificates from %s\n",
            fixture(""));
    return 1;
  }
  int port;
  int fd = udp_bound(&port);
  if (fd < 0) {
    perror("bench_dtls: udp socket");
    return 1;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  srv_arg sa = {sctx, fd, 0};
  pthread_t th;
  pthread_create(&th, NULL, serve, &sa);

  double *t = calloc((size_t)n, sizeof *t);
  int ok = 0;
  for (int i = 0; i < n; i++) {
    int cfd = udp_connected(port);
    tlsw_sock ts;
    tlsw_io io;
    tlsw_sock_io(&ts, cfd, 2000, &io);
    tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
    o.server_hostname = "localhost";
    tlsw_session *s;
    double t0 = now_s();
    int st = tlsw_wrap(cctx, &io, &o, &s);
    t[ok] = now_s() - t0;
    if (st == TLSW_OK) {
      ok++;
      tlsw_shutdown(s);
    } else {
      fprintf(stderr, "handshake %d: %s\n", i, tlsw_session_message(s));
    }
    tlsw_session_free(s);
    close(cfd);
  }
  __atomic_store_n(&sa.stop, 1, __ATOMIC_RELEASE);
  pthread_join(th, NULL);
  if (ok > 0) {
    qsort(t, (size_t)ok, sizeof *t, cmp);
    double sum = 0;
    for (int i = 0; i < ok; i++) sum += t[i];
    printf(
        "DTLS 1.2 handshake on 127.0.0.1 (ECDSA P-256 cert, X25519, "
        "cookie exchange, client and server in one process on %ld "
        "CPUs): %d/%d ok, mean %.2f ms, median %.2f ms, min %.2f ms, "
        "max %.2f ms\n",
        sysconf(_SC_NPROCESSORS_ONLN), ok, n, sum / ok * 1e3, t[ok / 2] * 1e3,
        t[0] * 1e3, t[ok - 1] * 1e3);
  }
  free(t);
  close(fd);
  tlsw_ctx_free(sctx);
  tlsw_ctx_free(cctx);
  return ok == n ? 0 : 1;
}
