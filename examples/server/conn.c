/* tlsw-server: one connection's bookkeeping (outcome, log line, timers)
 * and the list of connections. */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/tlsctx.h"
#include "common/x509_info.h"
#include "server.h"

void srv_set_outcome(conn *c, const char *fmt, ...) {
  if (c->outcome[0] != '\0') return; /* the first cause is the real one */
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->outcome, sizeof c->outcome, fmt, ap);
  va_end(ap);
}

/* Lingering close: stop sending, then read (and drop) what the client
 * still sends, until it closes. Closing a socket with unread input makes
 * the kernel send a reset, which can destroy data (or an alert the library
 * just sent) that the client has not read yet. */
void srv_begin_linger(conn *c, long long now) {
  shutdown(c->fd, SHUT_WR);
  c->state = C_LINGER;
  c->state_ms = now;
  c->events = POLLIN;
  c->ready = 1;
}

void srv_fail_conn(conn *c, const char *what, int st) {
  char detail[320];
  const char *hint = cli_hint_for(st, tlsw_session_message(c->s), 1);
  snprintf(detail, sizeof detail, "%s%s%s",
           cli_after_prefix(tlsw_session_message(c->s), what),
           hint[0] ? "; " : "", hint);
  srv_set_outcome(c, "%s: %s", what, detail);
  if (c->dc == NULL && c->fd >= 0) {
    /* The client then learns why, instead of "connection reset". */
    srv_begin_linger(c, cli_now_ms());
  } else {
    c->state = C_DONE;
  }
}

void srv_begin_close(conn *c, long long now) {
  c->state = C_CLOSING;
  c->state_ms = now;
  c->ready = 1;
}

/* Remember what the log line will need once the handshake is done. */
void srv_record_handshake(server *sv, conn *c) {
  const char *v = tlsw_session_version(c->s);
  const char *ci = tlsw_session_cipher(c->s);
  snprintf(c->version, sizeof c->version, "%s", v ? v : "-");
  snprintf(c->cipher, sizeof c->cipher, "%s", ci ? ci : "-");
  const char *ap = tlsw_session_alpn(c->s);
  c->alpn[0] = '\0';
  if (ap != NULL) snprintf(c->alpn, sizeof c->alpn, " alpn=%.50s", ap);
  c->resumed = tlsw_session_resumed(c->s);
  c->group = tlsw_session_group(c->s);
  const char *sn = tlsw_session_server_name(c->s);
  c->sni[0] = '\0';
  if (sn != NULL) {
    snprintf(c->sni, sizeof c->sni, " sni=%.70s", sn);
    /* The client chose these bytes: one token, no control characters. */
    for (char *q = c->sni + 5; *q; q++) {
      if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f) *q = '?';
    }
  }
  c->keymat[0] = '\0';
  if (sv->keymat_label != NULL) {
    char hex[2 * CLI_KEYMAT_MAX + 1];
    int ok = cli_keymat_hex(c->s, sv->keymat_label, sv->keymat_len, hex,
                            sizeof hex) == 0;
    snprintf(c->keymat, sizeof c->keymat, " keymat=%s", ok ? hex : "(failed)");
  }
  /* --dtls-cid: the connection ID's length, when one was agreed on (the
   * log line's keymat slot has room for both). */
  size_t id_len = 0;
  if (sv->dtls_cid && tlsw_session_dtls_cid(c->s, NULL, 0, &id_len) == 0 &&
      id_len > 0) {
    size_t used = strlen(c->keymat);
    snprintf(c->keymat + used, sizeof c->keymat - used, " cid=%zu", id_len);
  }
  if (sv->verify == TLSW_CERT_NONE) return;
  const uint8_t *der;
  size_t len;
  cli_x509 x;
  if (tlsw_session_peer_cert(c->s, &der, &len) != TLSW_OK) {
    snprintf(c->client_cert, sizeof c->client_cert, " client-cert=none");
  } else if (cli_x509_parse(der, len, &x) == 0) {
    snprintf(c->client_cert, sizeof c->client_cert, " client-cert=\"%s\"",
             x.subject);
    cli_x509_free(&x);
  } else {
    snprintf(c->client_cert, sizeof c->client_cert,
             " client-cert=(unparsable)");
  }
}

void srv_log_conn(server *sv, conn *c, long long now) {
  if (sv->quiet) return;
  /* Messages can quote peer-supplied text (a certificate name): no control
   * characters reach the log. */
  for (char *q = c->outcome; *q; q++) {
    if ((unsigned char)*q < 0x20 || *q == 0x7f) *q = '?';
  }
  fprintf(stderr, "%s: %s %s %s%s%s%s%s%s%s in=%llu out=%llu %.2fs%s %s\n",
          cli_prog(), c->peer, c->version[0] ? c->version : "-",
          c->cipher[0] ? c->cipher : "-", c->group ? " group=" : "",
          c->group ? c->group : "", c->sni, c->resumed ? " resumed" : "",
          c->alpn, c->keymat, c->in, c->out,
          (double)(now - c->start_ms) / 1000.0, c->client_cert,
          c->outcome[0] ? c->outcome : "ok");
  fflush(stderr);
}

void srv_free_conn(server *sv, conn *c) {
  if (c->file != NULL) fclose(c->file);
  free(c->resp);
  if (c->dc != NULL) {
    tlsw_dtls_server_close(sv->dsrv, c->dc); /* frees the session */
  } else {
    tlsw_session_free(c->s);
    if (c->fd >= 0) close(c->fd);
  }
  free(c);
}

/* Timers: handshake limit, idle limit, close/linger limit. */
long long srv_deadline(const server *sv, const conn *c) {
  switch (c->state) {
    case C_HANDSHAKE: return c->start_ms + sv->timeout_s * 1000;
    case C_DATA: return sv->idle_s > 0 ? c->last_ms + sv->idle_s * 1000 : -1;
    case C_CLOSING:
    case C_LINGER: return c->state_ms + LINGER_MS;
    default: return -1;
  }
}

void srv_fold_timeout(const server *sv, const conn *c, long long now,
                      long long *timeout) {
  long long d = c->ready ? now : srv_deadline(sv, c);
  if (d >= 0 && (*timeout < 0 || d - now < *timeout)) {
    *timeout = d > now ? d - now : 0;
  }
}

void srv_check_timer(server *sv, conn *c, long long now) {
  long long d = srv_deadline(sv, c);
  if (d < 0 || now < d) return;
  if (c->state == C_HANDSHAKE) {
    srv_set_outcome(c, "handshake failed: no handshake within --timeout");
    c->state = C_DONE;
  } else if (c->state == C_DATA) {
    srv_set_outcome(c, "closed: idle longer than --idle");
    srv_begin_close(c, now);
  } else {
    c->state = C_DONE; /* the client did not finish closing: drop it */
  }
}

conn *srv_new_conn(long long now) {
  conn *c = calloc(1, sizeof *c);
  if (c == NULL) return NULL;
  c->fd = -1;
  c->start_ms = c->last_ms = now;
  c->state = C_HANDSHAKE;
  c->events = POLLIN;
  c->ready = 1;
  return c;
}

int srv_add_conn(server *sv, conn *c) {
  conn **n = realloc(sv->conns, (sv->nconns + 1) * sizeof *n);
  if (n == NULL) return -1;
  sv->conns = n;
  sv->conns[sv->nconns++] = c;
  if (sv->nconns > sv->peak) sv->peak = sv->nconns;
  return 0;
}

/* Log, free and remove finished connections. */
void srv_reap(server *sv, long long now) {
  size_t j = 0;
  for (size_t i = 0; i < sv->nconns; i++) {
    conn *c = sv->conns[i];
    if (c->state == C_DONE) {
      srv_log_conn(sv, c, now);
      srv_free_conn(sv, c);
      sv->ended++;
    } else {
      sv->conns[j++] = c;
    }
  }
  sv->nconns = j;
}

void srv_close_all(server *sv) {
  long long now = cli_now_ms();
  for (size_t i = 0; i < sv->nconns; i++) {
    conn *c = sv->conns[i];
    /* One polite attempt; nobody waits for a server that is going away. */
    if (c->state == C_DATA) tlsw_shutdown(c->s);
    srv_set_outcome(c, "closed: server stopping");
    c->state = C_DONE;
  }
  srv_reap(sv, now);
  free(sv->conns);
  sv->conns = NULL;
}
