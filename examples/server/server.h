/*
 * tlsw-server's pieces: the connection record and the server state shared
 * by the TCP loop (tcp.c), the DTLS loop (dtls.c), the per-connection
 * bookkeeping (conn.c) and the admission policy (policy.c).
 */
#ifndef TLSW_SERVER_H
#define TLSW_SERVER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "tlswrap/dtls.h"
#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

enum mode { MODE_ECHO, MODE_FILE, MODE_HTTP, MODE_WWW };
enum cstate { C_HANDSHAKE, C_DATA, C_CLOSING, C_LINGER, C_DONE };

#define BUF_SIZE 16384
#define LINGER_MS 2000

/* The per-address key: an IPv4 address, or the /64 prefix of an IPv6 one
 * (one host usually owns a whole /64, so counting single IPv6 addresses
 * would cap nothing). len 0: no key (e.g. a UNIX socket). */
typedef struct addr_key {
  unsigned char len;
  unsigned char b[8];
} addr_key;

typedef struct conn {
  int fd; /* TCP: the connection; DTLS: -1 */
  tlsw_sock sock;
  tlsw_io io;
  tlsw_session *s;
  tlsw_dtls_conn *dc; /* DTLS: the helper's connection */
  char peer[80];
  addr_key key;
  enum cstate state;
  short events; /* what the session waits for */
  int ready;    /* has work left without waiting */
  long long start_ms, last_ms, state_ms;
  unsigned long long in, out;
  uint8_t buf[BUF_SIZE]; /* plaintext waiting to be written */
  size_t len, off;
  FILE *file;
  int file_next; /* --www: send file after resp */
  char *resp;    /* --http/--www response (head) */
  char req[8192];
  size_t req_len;
  char outcome[400];
  char client_cert[200];
  char alpn[64];                /* " alpn=NAME" once agreed, else empty */
  char sni[80];                 /* " sni=NAME" when the client sent one */
  const char *group;            /* the agreed group (static), or NULL */
  char keymat[2 * 128 + 10];    /* " keymat=HEX" (--keymat-export) */
  int resumed;                  /* the handshake resumed a session */
  char version[16], cipher[80]; /* kept: a failed close frees the session */
} conn;

#define SRV_MAX_SNI 32

typedef struct server {
  const char *cert, *key, *pass, *bind, *client_ca, *ciphers, *alpn, *groups,
      *crl, *file, *www;
  int tls_min, tls_max;     /* --tls-min/--tls-max/-tls1_x; 0: default */
  const char *keymat_label; /* --keymat-export, or NULL */
  long keymat_len;
  char www_root[4096]; /* --www DIR's real path */
  const char *port;
  char port_buf[8];
  int dtls, dtls_cid, quiet, msg, verify,
      no_tickets; /* verify: -1 unset, else tlsw_verify_mode */
  enum mode mode;
  long max_clients, max_per_addr, timeout_s, idle_s, count;
  long ended;
  unsigned long evicted;     /* connections dropped to make room */
  size_t peak;               /* most connections at once */
  unsigned long dtls_failed; /* failed DTLS handshakes already logged */
  tlsw_ctx *ctx;
  int lfd;
  conn **conns;
  size_t nconns;
  tlsw_dtls_server *dsrv;
  const char *ticket_key, *ticket_key_prev; /* files (tickets.c) */
  /* --sni NAME:CERT[:KEY], as given (sni.c) */
  const char *sni[SRV_MAX_SNI];
  size_t n_sni;
} server;

/* Set by SIGINT/SIGTERM; the loops end when they see it. */
extern volatile sig_atomic_t srv_stop_requested;

/* ---- tickets.c ---- */
/* --ticket-key/--ticket-key-prev into sv->ctx; CLI_EXIT_OK or
 * CLI_EXIT_USAGE. */
int srv_set_ticket_keys(server *sv);

/* ---- sni.c ---- */
/* --sni SPEC: checked and kept; CLI_EXIT_OK or CLI_EXIT_USAGE. */
int srv_add_sni(server *sv, const char *spec);
/* Each --sni chain into sv->ctx; CLI_EXIT_OK or CLI_EXIT_USAGE. */
int srv_load_sni(server *sv);

/* ---- conn.c ---- */
void srv_set_outcome(conn *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void srv_fail_conn(conn *c, const char *what, int st);
void srv_begin_close(conn *c, long long now);
void srv_begin_linger(conn *c, long long now);
void srv_record_handshake(server *sv, conn *c);
conn *srv_new_conn(long long now);
int srv_add_conn(server *sv, conn *c);
void srv_free_conn(server *sv, conn *c);
void srv_log_conn(server *sv, conn *c, long long now);
long long srv_deadline(const server *sv, const conn *c);
void srv_check_timer(server *sv, conn *c, long long now);
/* Fold the wait until c's next deadline (or 0 if it is ready) into
 * *timeout (< 0: none yet). */
void srv_fold_timeout(const server *sv, const conn *c, long long now,
                      long long *timeout);
void srv_reap(server *sv, long long now);
void srv_close_all(server *sv);

/* ---- policy.c ---- */
void srv_addr_key(const struct sockaddr *sa, addr_key *k);
/* Make room for a newcomer from key k: when k's address already holds
 * --max-per-addr connections, or all --max-clients slots are taken, drop
 * one (see policy.c for which) so that the newcomer always gets in. */
void srv_make_room(server *sv, const addr_key *k, long long now);

/* ---- tcp.c, dtls.c ---- */
int srv_serve_tls(server *sv);
int srv_serve_dtls(server *sv);

#endif
