/*
 * tlsw-server over TCP: one thread, non-blocking sessions and poll().
 * Each connection is stepped as far as it goes without blocking: the
 * handshake, then echo/--file/--http/--www, then close_notify and a
 * lingering close.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/http.h"
#include "common/net.h"
#include "common/www.h"
#include "server.h"

/* Outcomes of one piece of a turn in step_data(). */
enum { STEP_MORE, STEP_WAIT, STEP_NONE };

/* Accepts per loop turn: a flood of connections must not starve the
 * connections already in. */
#define ACCEPT_BATCH 64
/* How long accept() rests after EMFILE and the like, so that a listening
 * socket that stays readable does not spin the loop. */
#define ACCEPT_PAUSE_MS 100

static void note_events(conn *c) {
  unsigned w = tlsw_session_want(c->s);
  c->events = (short)(((w & TLSW_DIR_READ) ? POLLIN : 0) |
                      ((w & TLSW_DIR_WRITE) ? POLLOUT : 0));
  if (c->events == 0) c->events = POLLIN;
}

/* Produce the next plaintext to send into c->buf, per mode. Returns 1 if
 * there is some, 0 if the mode has nothing right now, -1 when done. */
static int refill(server *sv, conn *c) {
  if (sv->mode == MODE_FILE || c->file != NULL) {
    size_t n = fread(c->buf, 1, sizeof c->buf, c->file);
    if (n > 0) {
      c->len = n;
      c->off = 0;
      return 1;
    }
    if (ferror(c->file)) {
      srv_set_outcome(c, "error: reading --file failed: %s", strerror(errno));
    } else {
      srv_set_outcome(c, "ok: file sent");
    }
    return -1;
  }
  return 0;
}

/* The answer of --http (not --www) to a parsed request (r > 0) or an
 * unparsable one (r < 0). */
static void http_page(conn *c, int r, const char *method, const char *path) {
  int status = r < 0 ? 400
               : (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
                   ? 200
                   : 405;
  c->resp = cli_http_page(status, r < 0 ? "GET" : method, path,
                          tlsw_session_version(c->s), tlsw_session_cipher(c->s),
                          &c->len);
  char what[160];
  snprintf(what, sizeof what, "%d %.16s %.100s", status, r < 0 ? "-" : method,
           r < 0 ? "-" : path);
  for (char *q = what; *q; q++) {
    if ((unsigned char)*q < 0x20 || *q == 0x7f) *q = '?';
  }
  srv_set_outcome(c, "ok: http %s", what);
}

/* Add n request bytes; 1 once c->resp holds the answer, else 0. */
static int http_request(server *sv, conn *c, const uint8_t *p, size_t n) {
  if (c->req_len + n >= sizeof c->req) {
    c->resp = cli_http_page(431, "GET", NULL, NULL, NULL, &c->len);
    srv_set_outcome(c, "http: 431 request head too large");
    return 1;
  }
  memcpy(c->req + c->req_len, p, n);
  c->req_len += n;
  char method[16] = "", path[2048] = "";
  int r = cli_http_parse_request(c->req, c->req_len, method, sizeof method,
                                 path, sizeof path);
  if (r == 0) return 0;
  if (sv->mode == MODE_WWW) {
    char what[160];
    c->resp = cli_www_answer(sv->www_root, r, method, path, &c->file,
                             &c->file_next, &c->len, what, sizeof what);
    srv_set_outcome(c, "ok: http %s", what);
    return 1;
  }
  http_page(c, r, method, path);
  return 1;
}

/* 1 once the handshake is done and the data phase can start. */
static int step_handshake(server *sv, conn *c, long long now) {
  int st = tlsw_handshake(c->s);
  if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    note_events(c);
    return 0;
  }
  if (st != TLSW_OK) {
    srv_fail_conn(c, "handshake failed", st);
    return 0;
  }
  srv_record_handshake(sv, c);
  c->state = C_DATA;
  c->last_ms = now;
  if (sv->mode == MODE_FILE) {
    c->file = fopen(sv->file, "rb");
    if (c->file == NULL) {
      srv_set_outcome(c, "error: cannot open --file: %s", strerror(errno));
      srv_begin_close(c, now);
      return 0;
    }
  }
  return 1;
}

static int data_write(conn *c, long long now) {
  const uint8_t *out = c->resp ? (const uint8_t *)c->resp : c->buf;
  size_t w = 0;
  int st = tlsw_write(c->s, out + c->off, c->len - c->off, &w);
  if (st == TLSW_OK) {
    c->off += w;
    c->out += w;
    c->last_ms = now;
    return STEP_MORE;
  }
  if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    note_events(c);
    return STEP_WAIT;
  }
  srv_fail_conn(c, "error", st);
  return STEP_WAIT;
}

/* Everything buffered is out: what comes next. STEP_NONE: read. */
static int next_output(server *sv, conn *c, long long now) {
  if (c->resp != NULL && c->file_next) {
    /* --www: the head is out; the file follows through refill(). */
    free(c->resp);
    c->resp = NULL;
    c->file_next = 0;
    c->len = c->off = 0;
    return STEP_MORE;
  }
  if (c->resp != NULL) { /* the whole HTTP answer is out */
    srv_begin_close(c, now);
    return STEP_MORE;
  }
  int r = refill(sv, c);
  if (r < 0) srv_begin_close(c, now);
  return r != 0 ? STEP_MORE : STEP_NONE;
}

/* Echo and HTTP read; --file mode never gets here (it only sends). */
static int data_read(server *sv, conn *c, long long now) {
  size_t got = 0;
  uint8_t tmp[BUF_SIZE];
  int is_http = sv->mode == MODE_HTTP || sv->mode == MODE_WWW;
  int st = tlsw_read(c->s, is_http ? tmp : c->buf, BUF_SIZE, &got);
  if (st == TLSW_OK) {
    c->in += got;
    c->last_ms = now;
    if (sv->mode == MODE_ECHO) {
      c->len = got;
      c->off = 0;
    } else if (http_request(sv, c, tmp, got)) {
      c->off = 0;
      if (c->resp == NULL) {
        srv_set_outcome(c, "error: out of memory");
        srv_begin_close(c, now);
      }
    }
    return STEP_MORE;
  }
  if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    note_events(c);
    return STEP_WAIT;
  }
  if (st == TLSW_CLOSED) {
    srv_set_outcome(c, "ok: client closed");
    srv_begin_close(c, now);
    return STEP_MORE;
  }
  srv_fail_conn(c, "error", st);
  return STEP_WAIT;
}

/* 1 if the connection is now closing and the close can start now. */
static int step_data(server *sv, conn *c, long long now) {
  /* Bounded work per turn, so one fast client cannot starve the rest. */
  for (int k = 0; k < 32 && c->state == C_DATA; k++) {
    int r = c->off < c->len ? data_write(c, now) : next_output(sv, c, now);
    if (r == STEP_NONE) r = data_read(sv, c, now);
    if (r == STEP_WAIT) return 0;
  }
  if (c->state == C_DATA) {
    c->ready = 1; /* hit the per-turn limit: continue next turn */
    return 0;
  }
  return c->state == C_CLOSING;
}

static void step_closing(conn *c, long long now) {
  int st = tlsw_shutdown(c->s);
  if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    note_events(c);
    return;
  }
  if (st != TLSW_OK) {
    c->state = C_DONE;
    return;
  }
  srv_begin_linger(c, now);
}

static void step_linger(conn *c) {
  char junk[4096];
  for (int k = 0;; k++) {
    if (k == 64) { /* a client that keeps sending gets no more turns */
      c->ready = 1;
      return;
    }
    ssize_t n = recv(c->fd, junk, sizeof junk, 0);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    c->state = C_DONE; /* EOF or error: the client is gone */
    return;
  }
}

/* Drive one connection as far as it goes without blocking. */
static void step(server *sv, conn *c, long long now) {
  c->ready = 0;
  if (c->state == C_LINGER) {
    step_linger(c);
    return;
  }
  if (c->state == C_HANDSHAKE && !step_handshake(sv, c, now)) return;
  if (c->state == C_DATA && !step_data(sv, c, now)) return;
  if (c->state == C_CLOSING) step_closing(c, now);
}

/* A new connection on fd: make room for it (policy.c), then a session. */
static void admit(server *sv, int fd, const struct sockaddr_storage *ss,
                  socklen_t sl, long long now) {
  cli_set_nodelay(fd);
  addr_key k;
  srv_addr_key((const struct sockaddr *)ss, &k);
  srv_make_room(sv, &k, now);
  conn *c = srv_new_conn(now);
  if (c == NULL || cli_set_nonblock(fd, 1) != 0 || srv_add_conn(sv, c) != 0) {
    cli_msg("dropping a connection: out of memory or fcntl failed");
    free(c);
    close(fd);
    return;
  }
  c->fd = fd;
  c->key = k;
  cli_addr_str((const struct sockaddr *)ss, sl, c->peer, sizeof c->peer);
  tlsw_sock_io(&c->sock, fd, 0, &c->io);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  int st = tlsw_wrap(sv->ctx, &c->io, &o, &c->s);
  if (st != TLSW_OK) {
    srv_set_outcome(c, "error: cannot create a session: %s", tlsw_strerror(st));
    c->state = C_DONE;
  }
}

static void accept_some(server *sv, long long *resume_ms, long long now) {
  for (int k = 0; k < ACCEPT_BATCH; k++) {
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    int fd = accept(sv->lfd, (struct sockaddr *)&ss, &sl);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        /* EMFILE and friends: say so, keep serving the others. */
        cli_msg(
            "accept failed: %s (raise the open-file limit or lower "
            "--max-clients)",
            strerror(errno));
        *resume_ms = now + ACCEPT_PAUSE_MS;
      }
      break;
    }
    admit(sv, fd, &ss, sl, now);
  }
  srv_reap(sv, now); /* the evicted: their descriptors go now */
}

/* The poll set: [0] the listening socket (-1 while accepts rest), then
 * one entry per connection. Returns the poll timeout, or -2 when out of
 * memory. */
static long long build_pollset(server *sv, struct pollfd **pfd, size_t *pcap,
                               long long resume_ms, long long now) {
  if (*pcap < sv->nconns + 1) {
    struct pollfd *np = realloc(*pfd, (sv->nconns + 1) * 2 * sizeof *np);
    if (np == NULL) return -2;
    *pfd = np;
    *pcap = (sv->nconns + 1) * 2;
  }
  long long timeout = resume_ms > now ? resume_ms - now : -1;
  (*pfd)[0].fd = resume_ms > now ? -1 : sv->lfd;
  (*pfd)[0].events = POLLIN;
  (*pfd)[0].revents = 0;
  for (size_t i = 0; i < sv->nconns; i++) {
    conn *c = sv->conns[i];
    (*pfd)[i + 1].fd = c->fd;
    (*pfd)[i + 1].events = c->events;
    (*pfd)[i + 1].revents = 0;
    srv_fold_timeout(sv, c, now, &timeout);
  }
  return timeout;
}

int srv_serve_tls(server *sv) {
  struct pollfd *pfd = NULL;
  size_t pcap = 0;
  long long resume_ms = 0;
  int rc = CLI_EXIT_OK;
  while (!srv_stop_requested && (sv->count == 0 || sv->ended < sv->count)) {
    long long now = cli_now_ms();
    for (size_t i = 0; i < sv->nconns; i++) {
      if (sv->conns[i]->ready) step(sv, sv->conns[i], now);
      srv_check_timer(sv, sv->conns[i], now);
    }
    srv_reap(sv, now);
    if (sv->count > 0 && sv->ended >= sv->count) break;
    long long timeout = build_pollset(sv, &pfd, &pcap, resume_ms, now);
    if (timeout == -2) {
      cli_msg("out of memory");
      rc = CLI_EXIT_IO;
      break;
    }
    if (poll(pfd, sv->nconns + 1, cli_poll_timeout(timeout)) < 0) {
      if (errno == EINTR) continue;
      cli_msg("poll failed: %s", strerror(errno));
      rc = CLI_EXIT_IO;
      break;
    }
    now = cli_now_ms();
    size_t n = sv->nconns; /* accept_some appends; new ones step next turn */
    for (size_t i = 0; i < n; i++) {
      if (pfd[i + 1].revents != 0) step(sv, sv->conns[i], now);
    }
    if (pfd[0].revents != 0) accept_some(sv, &resume_ms, now);
  }
  free(pfd);
  return rc;
}
