/* POSIX socket transport (src/io/socket.c) over real sockets: socketpairs
 * and 127.0.0.1 TCP. Blocking, non-blocking, timeouts, EOF, EPIPE, reset,
 * EINTR, datagrams, and TLS sessions on top. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fault_io.h"
#include "child.h"
#include "ctxs.h"
#include "net.h"
#include "peer.h"
#include "pair.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static void set_nonblock(int fd, int on) {
  int fl = fcntl(fd, F_GETFL);
  assert_true(fl >= 0);
  fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
  assert_int_equal(fcntl(fd, F_SETFL, fl), 0);
}

static void stream_pair(int sv[2]) {
  assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

/* Fill fd's send path until it would block; returns the bytes queued. */
static size_t fill(int fd) {
  set_nonblock(fd, 1);
  static uint8_t junk[65536];
  size_t total = 0;
  for (;;) {
    ssize_t n = send(fd, junk, sizeof junk, MSG_NOSIGNAL);
    if (n < 0) {
      assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
      break;
    }
    total += (size_t)n;
  }
  set_nonblock(fd, 0);
  return total;
}

/* A connected 127.0.0.1 TCP pair; the port comes from the kernel. */
static void tcp_pair(int *client, int *server) {
  int port;
  int l = listen_any(&port);
  assert_true(l >= 0);
  *client = connect_once(port);
  assert_true(*client >= 0);
  *server = accept(l, NULL, NULL);
  assert_true(*server >= 0);
  close(l);
}

/* ------------------------------------------------------------------------ */
/* Transport                                                                 */

static void arg_errors(void **state) {
  (void)state;
  tlsw_sock t;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(NULL, 0, 0, &io), TLSW_ERR_ARG);
  assert_int_equal(tlsw_sock_io(&t, 0, 0, NULL), TLSW_ERR_ARG);
  assert_int_equal(tlsw_sock_io(&t, -1, 0, &io), TLSW_ERR_ARG);
  assert_int_equal(tlsw_sock_io(&t, 0, 0, &io), TLSW_OK);
  assert_ptr_equal(io.io, &t);
  assert_non_null(io.send);
  assert_non_null(io.recv);
  assert_int_equal(t.last_errno, 0);
}

static void blocking_roundtrip(void **state) {
  (void)state;
  int sv[2];
  stream_pair(sv);
  tlsw_sock ta, tb;
  tlsw_io a, b;
  assert_int_equal(tlsw_sock_io(&ta, sv[0], 0, &a), TLSW_OK);
  assert_int_equal(tlsw_sock_io(&tb, sv[1], 1000, &b), TLSW_OK);
  size_t n;
  assert_int_equal(a.send(a.io, (const uint8_t *)"hello", 5, &n), TLSW_OK);
  assert_int_equal(n, 5);
  uint8_t buf[16];
  assert_int_equal(b.recv(b.io, buf, sizeof buf, &n), TLSW_OK);
  assert_int_equal(n, 5);
  assert_memory_equal(buf, "hello", 5);
  /* A short recv buffer takes part, the rest stays for the next call. */
  assert_int_equal(b.send(b.io, (const uint8_t *)"abcdef", 6, &n), TLSW_OK);
  assert_int_equal(a.recv(a.io, buf, 2, &n), TLSW_OK);
  assert_int_equal(n, 2);
  assert_memory_equal(buf, "ab", 2);
  assert_int_equal(a.recv(a.io, buf, sizeof buf, &n), TLSW_OK);
  assert_int_equal(n, 4);
  assert_memory_equal(buf, "cdef", 4);
  close(sv[0]);
  close(sv[1]);
}

static void nonblocking_wants(void **state) {
  (void)state;
  int sv[2];
  stream_pair(sv);
  set_nonblock(sv[0], 1);
  tlsw_sock t;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(&t, sv[0], 0, &io), TLSW_OK);
  uint8_t buf[4096];
  size_t n = 99;
  assert_int_equal(io.recv(io.io, buf, sizeof buf, &n), TLSW_WANT_READ);
  assert_int_equal(n, 0);
  /* Fill until the kernel refuses: then WANT_WRITE, nothing taken. */
  memset(buf, 'x', sizeof buf);
  int st;
  size_t total = 0;
  for (int i = 0; i < 100000; i++) {
    st = io.send(io.io, buf, sizeof buf, &n);
    if (st != TLSW_OK) break;
    total += n;
  }
  assert_int_equal(st, TLSW_WANT_WRITE);
  assert_int_equal(n, 0);
  assert_true(total > 0);
  /* Would-block is not a failure. */
  assert_int_equal(t.last_errno, 0);
  close(sv[0]);
  close(sv[1]);
}

static void timeouts(void **state) {
  (void)state;
  int sv[2];
  stream_pair(sv);
  tlsw_sock t;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(&t, sv[0], 50, &io), TLSW_OK);
  uint8_t buf[64];
  size_t n = 99;
  errno = 0;
  assert_int_equal(io.recv(io.io, buf, sizeof buf, &n), TLSW_ERR_TIMEOUT);
  assert_int_equal(n, 0);
  assert_int_equal(t.last_errno, ETIMEDOUT);
  assert_int_equal(errno, ETIMEDOUT);
  /* Sending into a full socket times out too. */
  fill(sv[0]);
  t.last_errno = 0;
  assert_int_equal(io.send(io.io, buf, sizeof buf, &n), TLSW_ERR_TIMEOUT);
  assert_int_equal(n, 0);
  assert_int_equal(t.last_errno, ETIMEDOUT);
  close(sv[0]);
  close(sv[1]);
}

static void eof_and_epipe(void **state) {
  (void)state;
  int sv[2];
  stream_pair(sv);
  tlsw_sock t;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(&t, sv[0], 1000, &io), TLSW_OK);
  assert_int_equal(write(sv[1], "z", 1), 1);
  close(sv[1]);
  uint8_t buf[8];
  size_t n;
  assert_int_equal(io.recv(io.io, buf, sizeof buf, &n), TLSW_OK);
  assert_int_equal(n, 1);
  for (int i = 0; i < 2; i++) {
    n = 99;
    assert_int_equal(io.recv(io.io, buf, sizeof buf, &n), TLSW_OK);
    assert_int_equal(n, 0); /* EOF, repeatedly */
  }
  /* Sending to a closed peer: EPIPE as a reset, and no SIGPIPE (the test
   * process would die). */
  assert_int_equal(io.send(io.io, buf, 1, &n), TLSW_ERR_RESET);
  assert_int_equal(t.last_errno, EPIPE);
  close(sv[0]);
}

static void tcp_reset(void **state) {
  (void)state;
  int c, s;
  tcp_pair(&c, &s);
  /* SO_LINGER 0: close() sends RST instead of FIN. */
  struct linger lg = {1, 0};
  assert_int_equal(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
  close(s);
  tlsw_sock t;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(&t, c, 2000, &io), TLSW_OK);
  uint8_t buf[8];
  size_t n;
  assert_int_equal(io.recv(io.io, buf, sizeof buf, &n), TLSW_ERR_RESET);
  assert_int_equal(t.last_errno, ECONNRESET);
  close(c);
}

static void other_errors(void **state) {
  (void)state;
  /* Not a socket: ENOTSOCK surfaces as TLSW_ERR_IO with errno kept. */
  int p[2];
  assert_int_equal(pipe(p), 0);
  tlsw_sock t;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(&t, p[0], 0, &io), TLSW_OK);
  uint8_t buf[8];
  size_t n;
  assert_int_equal(io.recv(io.io, buf, sizeof buf, &n), TLSW_ERR_IO);
  assert_int_equal(t.last_errno, ENOTSOCK);
  close(p[0]);
  close(p[1]);
}

static void datagrams(void **state) {
  (void)state;
  int sv[2];
  assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
  tlsw_sock ta, tb;
  tlsw_io a, b;
  assert_int_equal(tlsw_sock_io(&ta, sv[0], 1000, &a), TLSW_OK);
  assert_int_equal(tlsw_sock_io(&tb, sv[1], 1000, &b), TLSW_OK);
  size_t n;
  assert_int_equal(a.send(a.io, (const uint8_t *)"one", 3, &n), TLSW_OK);
  assert_int_equal(a.send(a.io, (const uint8_t *)"second", 6, &n), TLSW_OK);
  uint8_t buf[64];
  assert_int_equal(b.recv(b.io, buf, sizeof buf, &n), TLSW_OK);
  assert_int_equal(n, 3);
  assert_int_equal(b.recv(b.io, buf, sizeof buf, &n), TLSW_OK);
  assert_int_equal(n, 6);
  assert_memory_equal(buf, "second", 6);
  /* An empty datagram is not an end of stream: it is skipped, blocking
   * (timed) and non-blocking alike. */
  assert_int_equal(send(sv[0], "", 0, 0), 0);
  assert_int_equal(a.send(a.io, (const uint8_t *)"after", 5, &n), TLSW_OK);
  assert_int_equal(b.recv(b.io, buf, sizeof buf, &n), TLSW_OK);
  assert_int_equal(n, 5);
  assert_memory_equal(buf, "after", 5);
  assert_int_equal(send(sv[0], "", 0, 0), 0);
  set_nonblock(sv[1], 1);
  tb.timeout_ms = 0;
  assert_int_equal(b.recv(b.io, buf, sizeof buf, &n), TLSW_WANT_READ);
  assert_int_equal(n, 0);
  /* With a timeout and only an empty datagram: a timeout, not EOF. */
  set_nonblock(sv[1], 0);
  tb.timeout_ms = 50;
  assert_int_equal(send(sv[0], "", 0, 0), 0);
  assert_int_equal(b.recv(b.io, buf, sizeof buf, &n), TLSW_ERR_TIMEOUT);
  close(sv[0]);
  close(sv[1]);
}

/* ------------------------------------------------------------------------ */
/* EINTR                                                                     */

static volatile sig_atomic_t signals;
static void on_signal(int sig) {
  (void)sig;
  signals++;
}

typedef struct poke {
  pthread_t target;
  int fd;    /* peer end */
  int drain; /* 1: read from fd (make room); 0: write to it */
} poke;

/* Interrupt the target twice while it is blocked, then unblock it. */
static void *poker(void *arg) {
  poke *p = arg;
  sleep_ms(60);
  pthread_kill(p->target, SIGUSR1);
  sleep_ms(60);
  pthread_kill(p->target, SIGUSR1);
  sleep_ms(60);
  if (p->drain) {
    static uint8_t sink[1 << 16];
    ssize_t got;
    do {
      got = read(p->fd, sink, sizeof sink);
    } while (got == (ssize_t)sizeof sink);
  } else {
    ssize_t w = write(p->fd, "wake", 4);
    (void)w;
  }
  return NULL;
}

static void eintr_case(int timeout_ms, int sending) {
  int sv[2];
  stream_pair(sv);
  if (sending) fill(sv[0]);
  tlsw_sock t;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(&t, sv[0], timeout_ms, &io), TLSW_OK);
  poke p = {pthread_self(), sv[1], sending};
  pthread_t th;
  signals = 0;
  assert_int_equal(pthread_create(&th, NULL, poker, &p), 0);
  uint8_t buf[8] = {0};
  size_t n = 0;
  int st = sending ? io.send(io.io, buf, sizeof buf, &n)
                   : io.recv(io.io, buf, sizeof buf, &n);
  pthread_join(th, NULL);
  assert_true(signals >= 2); /* the call really was interrupted */
  assert_int_equal(st, TLSW_OK);
  assert_true(n > 0);
  if (!sending) assert_memory_equal(buf, "wake", 4);
  close(sv[0]);
  close(sv[1]);
}

static void eintr_retried(void **state) {
  (void)state;
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = 0; /* no SA_RESTART: blocking calls fail with EINTR */
  sigemptyset(&sa.sa_mask);
  assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
  eintr_case(0, 0);    /* blocking recv() */
  eintr_case(5000, 0); /* poll() before recv() */
  eintr_case(0, 1);    /* blocking send() */
  eintr_case(5000, 1); /* poll() before send() */
  sigaction(SIGUSR1, &old, NULL);
}

/* ------------------------------------------------------------------------ */
/* TLS over sockets                                                          */

typedef struct echo_server {
  tlsw_ctx *ctx;
  int fd;
  int status; /* the last status of the server's loop */
  size_t echoed;
} echo_server;

/* Blocking server: handshake, echo until the client's close_notify. */
static void *echo_main(void *arg) {
  echo_server *e = arg;
  tlsw_sock t;
  tlsw_io io;
  tlsw_sock_io(&t, e->fd, 10000, &io);
  tlsw_session *s = NULL;
  int st = tlsw_wrap(e->ctx, &io, NULL, &s);
  static uint8_t buf[5000];
  while (st == TLSW_OK) {
    size_t n, off = 0;
    st = tlsw_read(s, buf, sizeof buf, &n);
    while (st == TLSW_OK && off < n) {
      size_t w;
      st = tlsw_write(s, buf + off, n - off, &w);
      off += w;
      e->echoed += w;
    }
  }
  if (st == TLSW_CLOSED) st = tlsw_shutdown(s) == TLSW_OK ? TLSW_CLOSED : st;
  e->status = st;
  tlsw_session_free(s);
  tlsw_thread_cleanup();
  return NULL;
}

static int wait_for(int fd, unsigned want) {
  struct pollfd p = {fd, 0, 0};
  if (want & TLSW_WANT_RD) p.events |= POLLIN;
  if (want & TLSW_WANT_WR) p.events |= POLLOUT;
  return poll(&p, 1, 10000);
}

/* A non-blocking client driven by tlsw_want() and poll(), against a
 * blocking server thread over 127.0.0.1 TCP: 100 KB echoed back. */
static void tls_over_tcp(void **state) {
  (void)state;
  tlsw_ctx *cctx = client_ctx();
  tlsw_ctx *sctx = server_ctx("rsa");
  int c, sfd;
  tcp_pair(&c, &sfd);
  echo_server e = {sctx, sfd, 0, 0};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, echo_main, &e), 0);

  set_nonblock(c, 1);
  tlsw_sock t;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(&t, c, 0, &io), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "127.0.0.1"; /* IP SAN, no SNI */
  tlsw_session *s = NULL;
  int st = tlsw_wrap(cctx, &io, &o, &s);
  while (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    assert_true(wait_for(c, tlsw_want(s)) > 0);
    st = tlsw_handshake(s);
  }
  if (st != TLSW_OK) fail_msg("%s", tlsw_session_message(s));
  const size_t total = 100000;
  uint8_t *out = malloc(total), *in = malloc(total);
  assert_non_null(out);
  assert_non_null(in);
  for (size_t i = 0; i < total; i++) out[i] = (uint8_t)(i * 7 + (i >> 8));
  size_t sent = 0, got = 0;
  while (got < total) {
    unsigned want = 0;
    if (sent < total) {
      size_t n;
      st = tlsw_write(s, out + sent, total - sent, &n);
      if (st == TLSW_OK)
        sent += n;
      else if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE)
        want |= tlsw_want(s);
      else
        fail_msg("write: %s", tlsw_session_message(s));
    }
    size_t n;
    st = tlsw_read(s, in + got, total - got, &n);
    if (st == TLSW_OK) {
      got += n;
      continue;
    }
    if (st != TLSW_WANT_READ && st != TLSW_WANT_WRITE) {
      fail_msg("read: %s", tlsw_session_message(s));
    }
    want |= tlsw_want(s);
    assert_true(wait_for(c, want) > 0);
  }
  assert_memory_equal(in, out, total);
  st = tlsw_shutdown(s);
  while (st == TLSW_WANT_WRITE) {
    assert_true(wait_for(c, TLSW_WANT_WR) > 0);
    st = tlsw_shutdown(s);
  }
  assert_int_equal(st, TLSW_OK);
  pthread_join(th, NULL);
  assert_int_equal(e.status, TLSW_CLOSED);
  assert_int_equal(e.echoed, total);
  tlsw_session_free(s);
  free(out);
  free(in);
  close(c);
  close(sfd);
  tlsw_ctx_free(cctx);
  tlsw_ctx_free(sctx);
}

/* A blocking client whose server never answers: the handshake times out
 * with TLSW_ERR_TIMEOUT, which is sticky. */
static void tls_handshake_timeout(void **state) {
  (void)state;
  int sv[2];
  stream_pair(sv);
  tlsw_ctx *c;
  assert_int_equal(tlsw_ctx_new(&c, TLSW_PROTOCOL_TLS_CLIENT), TLSW_OK);
  tlsw_sock t;
  tlsw_io io;
  assert_int_equal(tlsw_sock_io(&t, sv[0], 100, &io), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "localhost";
  tlsw_session *s;
  assert_int_equal(tlsw_wrap(c, &io, &o, &s), TLSW_ERR_TIMEOUT);
  assert_true(tlsw_session_message(s)[0] != '\0');
  assert_int_equal(tlsw_handshake(s), TLSW_ERR_TIMEOUT);
  assert_int_equal(tlsw_session_status(s), TLSW_ERR_TIMEOUT);
  tlsw_session_free(s);
  /* And a peer that resets mid-handshake. */
  close(sv[1]);
  assert_int_equal(tlsw_wrap(c, &io, &o, &s), TLSW_ERR_RESET);
  tlsw_session_free(s);
  close(sv[0]);
  tlsw_ctx_free(c);
}

/* ------------------------------------------------------------------------ */
/* Fault injection against a real peer                                       */

static child peer; /* large: static */

/* A peer_start_fn: gnutls-serv --echo on `port`; arg points to tls13. */
static int start_echo_server(child *c, int port, void *arg) {
  int tls13 = *(const int *)arg;
  char portstr[16], prio[64], crt[1024], key[1024];
  snprintf(prio, sizeof prio, "NORMAL:-VERS-ALL:+VERS-%s",
           tls13 ? "TLS1.3" : "TLS1.2");
  snprintf(crt, sizeof crt, "%s", fixture("server-ec.pem"));
  snprintf(key, sizeof key, "%s", fixture("server-ec.key"));
  snprintf(portstr, sizeof portstr, "%d", port);
  char *argv[] = {
      "gnutls-serv", "--echo",        "--port", portstr,      "--x509certfile",
      crt,           "--x509keyfile", key,      "--priority", prio,
      NULL};
  return child_start(c, argv);
}

/* gnutls-serv --echo on a free port; returns the connected socket. */
static int start_echo_peer(int tls13) {
  int fd = peer_connect_server(&peer, start_echo_server, &tls13, 5, 10000);
  if (fd < 0) {
    child_dump(&peer, "gnutls-serv");
    fail_msg("gnutls-serv never accepted a connection");
  }
  return fd;
}

/* Wait for the direction the session names. The peer's log is read while
 * waiting: gnutls-serv logs every echo, and a full pipe would stop it. */
static void wait_want(int fd, unsigned want, long long deadline,
                      const char *what) {
  struct pollfd p = {fd, 0, 0};
  if (want & TLSW_WANT_RD) p.events |= POLLIN;
  if (want & TLSW_WANT_WR) p.events |= POLLOUT;
  assert_true(p.events != 0);
  while (poll(&p, 1, 20) == 0) {
    child_pump(&peer);
    if (now_ms() > deadline) {
      child_stop(&peer, 1000);
      child_dump(&peer, "gnutls-serv");
      fail_msg("%s: timed out waiting for the socket", what);
    }
  }
}

/* A non-blocking tlsw client over tlsw_sock wrapped in fault_io (every
 * send/recv capped at `split` bytes, optionally every other call would
 * block), against gnutls-serv echoing 100 KB back: every byte returns, in
 * order, once. A second TLS implementation on the other side means
 * wolfSSL's quirks cannot cancel out as they might between two wolfSSL
 * sessions in memory. */
static void echo_through_faults(int tls13, size_t split, int block) {
  int fd = start_echo_peer(tls13);
  set_nonblock(fd, 1);
  /* Tiny segments must leave at once: with Nagle each waits for the
   * peer's delayed ACK (~40 ms), and gnutls-serv drops a connection it
   * finds that slow. */
  int one = 1;
  assert_int_equal(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one),
                   0);
  tlsw_ctx *c = client_ctx();
  tlsw_sock t;
  tlsw_io sio, io;
  assert_int_equal(tlsw_sock_io(&t, fd, 0, &sio), TLSW_OK);
  fault_io f;
  fault_io_init(&f, &sio, &io);
  f.send_cap = f.recv_cap = split;
  f.block_alternate = block;
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.server_hostname = "localhost";
  tlsw_session *s = NULL;
  long long deadline = now_ms() + 60000;
  int st = tlsw_wrap(c, &io, &o, &s);
  while (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    wait_want(fd, tlsw_want(s), deadline, "handshake");
    st = tlsw_handshake(s);
  }
  if (st != TLSW_OK) {
    child_stop(&peer, 1000);
    child_dump(&peer, "gnutls-serv");
    fail_msg("handshake (split %zu, block %d): %s", split, block,
             tlsw_session_message(s));
  }
  assert_string_equal(tlsw_session_version(s), tls13 ? "TLSv1.3" : "TLSv1.2");
  long long t_hs = now_ms();
  enum { TOTAL = 100000 };
  static uint8_t out[TOTAL], in[TOTAL];
  /* Printable lines: gnutls-serv echoes text (no NUL, no CR). */
  for (size_t i = 0; i < TOTAL; i++) {
    out[i] = (i % 64 == 63) ? '\n' : (uint8_t)('a' + (i * 11 + i / 64) % 26);
  }
  size_t sent = 0, got = 0;
  while (got < TOTAL) {
    /* Both calls' directions: a write blocked by injection waits on a
     * socket that is writable, a read on one that may stay quiet. */
    unsigned want = 0;
    int progress = 0;
    size_t n;
    if (sent < TOTAL) {
      st = tlsw_write(s, out + sent, TOTAL - sent, &n);
      if (st == TLSW_OK) {
        sent += n;
        progress = 1;
      } else if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
        want |= tlsw_want(s);
      } else {
        child_stop(&peer, 1000);
        child_dump(&peer, "gnutls-serv");
        fail_msg("write (TLS 1.%d, split %zu, block %d, sent %zu): %s",
                 tls13 ? 3 : 2, split, block, sent, tlsw_session_message(s));
      }
    }
    st = tlsw_read(s, in + got, TOTAL - got, &n);
    if (st == TLSW_OK) {
      /* Not "<= sent": after WANT_* a record may be in flight before
       * tlsw_write() reports it (session.h). */
      assert_true(got + n <= TOTAL);
      got += n;
      progress = 1;
    } else if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
      want |= tlsw_want(s);
    } else {
      child_stop(&peer, 1000);
      child_dump(&peer, "gnutls-serv");
      fail_msg("read (TLS 1.%d, split %zu, block %d, got %zu): %s",
               tls13 ? 3 : 2, split, block, got, tlsw_session_message(s));
    }
    if (!progress) {
      char what[96];
      snprintf(what, sizeof what, "echo (split %zu, sent %zu, got %zu)", split,
               sent, got);
      wait_want(fd, want, deadline, what);
    }
  }
  assert_memory_equal(in, out, TOTAL);
  print_message(
      "TLS 1.%d split %zu block %d: handshake %lld ms, echo %lld ms\n",
      tls13 ? 3 : 2, split, block, t_hs - (deadline - 60000), now_ms() - t_hs);
  if (block) assert_true(f.send_blocks > 0 && f.recv_blocks > 0);
  st = tlsw_shutdown(s);
  while (st == TLSW_WANT_WRITE || st == TLSW_WANT_READ) {
    wait_want(fd, tlsw_want(s), deadline, "shutdown");
    st = tlsw_shutdown(s);
  }
  assert_int_equal(st, TLSW_OK);
  tlsw_session_free(s);
  close(fd);
  child_stop(&peer, 1000);
  tlsw_ctx_free(c);
}

static void faults_against_gnutls(void **state) {
  (void)state;
  if (!have_tool("gnutls-serv")) {
    print_message("skipped: gnutls-serv not installed (gnutls-bin)\n");
    skip();
  }
  static const size_t splits[] = {1, 2, 7, 64, 1000};
  for (int v = 0; v < 2; v++) {
    for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
      echo_through_faults(v == 0, splits[i], (int)((i + (size_t)v) % 2));
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(arg_errors),
      cmocka_unit_test(blocking_roundtrip),
      cmocka_unit_test(nonblocking_wants),
      cmocka_unit_test(timeouts),
      cmocka_unit_test(eof_and_epipe),
      cmocka_unit_test(tcp_reset),
      cmocka_unit_test(other_errors),
      cmocka_unit_test(datagrams),
      cmocka_unit_test(eintr_retried),
      cmocka_unit_test(tls_over_tcp),
      cmocka_unit_test(tls_handshake_timeout),
      cmocka_unit_test(faults_against_gnutls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
