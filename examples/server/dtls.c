/*
 * tlsw-server over DTLS: the library's multi-peer UDP helper
 * (tlsw_dtls_server) does the datagram work, the stateless HelloVerify
 * cookies and the handshakes; here each established peer is an echo
 * connection.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "common/net.h"
#include "server.h"

static void dtls_step(conn *c, long long now) {
  for (int k = 0; k < 64 && c->state == C_DATA; k++) {
    int st;
    if (c->off < c->len) {
      size_t w = 0;
      st = tlsw_write(c->s, c->buf + c->off, c->len - c->off, &w);
      if (st == TLSW_OK) {
        c->off += w;
        c->out += w;
        continue;
      }
      if (st == TLSW_WANT_WRITE || st == TLSW_WANT_READ) {
        c->ready = 1; /* socket buffer full: try again next turn */
        return;
      }
    } else {
      size_t got = 0;
      st = tlsw_read(c->s, c->buf, sizeof c->buf, &got);
      if (st == TLSW_OK) {
        c->in += got;
        c->len = got;
        c->off = 0;
        c->last_ms = now;
        continue;
      }
      if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) return;
      if (st == TLSW_ERR_DATAGRAM_DROPPED) continue;
      if (st == TLSW_CLOSED) {
        srv_set_outcome(c, "ok: client closed");
        srv_begin_close(c, now);
        break;
      }
    }
    srv_fail_conn(c, "error", st);
    return;
  }
  if (c->state == C_DATA) {
    c->ready = 1;
    return;
  }
  if (c->state == C_CLOSING) {
    tlsw_shutdown(c->s); /* one datagram; a lost one is the peer's loss */
    c->state = C_DONE;
  }
}

/* Wait for a datagram, a peer's deadline or the helper's retransmission
 * timer. Returns 0, or -1 when poll() failed. */
static int dtls_wait(server *sv) {
  long long now = cli_now_ms();
  long long timeout = tlsw_dtls_server_timeout_ms(sv->dsrv);
  for (size_t i = 0; i < sv->nconns; i++) {
    srv_fold_timeout(sv, sv->conns[i], now, &timeout);
  }
  struct pollfd p = {sv->lfd, POLLIN, 0};
  if (poll(&p, 1, cli_poll_timeout(timeout)) < 0 && errno != EINTR) {
    cli_msg("poll failed: %s", strerror(errno));
    return -1;
  }
  return 0;
}

/* The helper drops peers whose handshake fails without handing them out;
 * its counter is all there is to log. */
static void log_failed_handshakes(server *sv) {
  tlsw_dtls_server_stats stats;
  tlsw_dtls_server_get_stats(sv->dsrv, &stats, sizeof stats);
  if (stats.failed <= sv->dtls_failed) return;
  if (!sv->quiet) {
    cli_msg(
        "DTLS: %lu handshake(s) failed (peer not known to the UDP "
        "helper; e.g. a client without a required certificate)",
        stats.failed - sv->dtls_failed);
  }
  sv->dtls_failed = stats.failed;
}

/* Take the peers whose handshake completed, and mark the readable ones. */
static void take_peers(server *sv, long long now) {
  tlsw_dtls_conn *dc;
  while (tlsw_dtls_server_accept(sv->dsrv, &dc) == TLSW_OK) {
    size_t alen = 0;
    const struct sockaddr *sa = tlsw_dtls_conn_addr(dc, &alen);
    addr_key k;
    srv_addr_key(sa, &k);
    srv_make_room(sv, &k, now); /* as for TCP: see policy.c */
    conn *c = srv_new_conn(now);
    if (c == NULL || srv_add_conn(sv, c) != 0) {
      free(c);
      tlsw_dtls_server_close(sv->dsrv, dc);
      continue;
    }
    c->dc = dc;
    c->s = tlsw_dtls_conn_session(dc);
    c->state = C_DATA;
    cli_addr_str(sa, (socklen_t)alen, c->peer, sizeof c->peer);
    c->key = k;
    srv_record_handshake(sv, c);
    tlsw_dtls_conn_set_user(dc, c);
  }
  while ((dc = tlsw_dtls_server_next_readable(sv->dsrv)) != NULL) {
    conn *c = tlsw_dtls_conn_get_user(dc);
    if (c != NULL) c->ready = 1;
  }
}

int srv_serve_dtls(server *sv) {
  tlsw_dtls_server_opts o = TLSW_DTLS_SERVER_OPTS_INIT;
  /* The helper drops hellos from new peers while its table is full, so
   * with every slot taken by an established peer that sits, nobody new
   * would get in until --idle. The helper's table is a quarter larger
   * than --max-clients: handshakes always have room, and the peer that
   * completes one takes the slot of the one idle the longest
   * (srv_make_room in take_peers), as over TCP. */
  o.max_conns = (size_t)sv->max_clients + (size_t)(sv->max_clients + 3) / 4;
  int st = tlsw_dtls_server_new(&sv->dsrv, sv->ctx, sv->lfd, &o);
  if (st != TLSW_OK) {
    cli_msg("cannot start the DTLS server: %s", tlsw_strerror(st));
    return CLI_EXIT_IO;
  }
  while (!srv_stop_requested && (sv->count == 0 || sv->ended < sv->count)) {
    if (dtls_wait(sv) != 0) return CLI_EXIT_IO;
    if (tlsw_dtls_server_process(sv->dsrv) != TLSW_OK) {
      cli_msg("the UDP socket failed: %s", tlsw_dtls_server_message(sv->dsrv));
      return CLI_EXIT_IO;
    }
    long long now = cli_now_ms();
    log_failed_handshakes(sv);
    take_peers(sv, now);
    for (size_t i = 0; i < sv->nconns; i++) {
      conn *c = sv->conns[i];
      if (c->ready) {
        c->ready = 0;
        dtls_step(c, now);
      }
      srv_check_timer(sv, c, now);
      if (c->state == C_CLOSING) dtls_step(c, now);
    }
    srv_reap(sv, now);
  }
  return CLI_EXIT_OK;
}
