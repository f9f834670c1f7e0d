/*
 * tlsw-client's pieces: option parsing and context set-up (args.c), the
 * handshake and waiting on the session (session.c), the stdin/stdout
 * relay and --get (relay.c), connecting (main.c).
 */
#ifndef TLSW_CLIENT_H
#define TLSW_CLIENT_H

#include <stddef.h>
#include <stdio.h>

#include "common/summary.h"

#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

typedef struct client {
  const char *target, *cafile, *capath, *servername, *cert, *key, *pass;
  const char *crl, *ciphers, *alpn, *groups, *get_path, *starttls;
  int tls_min, tls_max;           /* --tls-min/--tls-max/-tls1_x; 0: default */
  const char *keymat_label;       /* --keymat-export, or NULL */
  const char *sess_in, *sess_out; /* --sess-in / --sess-out FILE */
  uint8_t *sess;                  /* --sess-in's bytes (malloc), or NULL */
  size_t sess_len;
  long keymat_len;
  int insecure, dtls, dtls_cid, verbose, msg, show_certs;
  int ocsp; /* --ocsp / --ocsp-require: a tlsw_ocsp_mode; 0: off */
  long wait_s, timeout_s;
  char host[256], port[32], peer[80];
  char authority[300], url_path[2048]; /* from an https:// URL */
  int fd;
  size_t addr_index; /* which resolved address fd is connected to */
  int more_addrs;    /* 1 if others follow it */
  tlsw_sock sock;
  tlsw_io io;
  tlsw_ctx *ctx;
  tlsw_session *s;
  cli_chain chain; /* -v: the certificates verification saw */
} client;

/* args.c: the command line into c (exit status CLI_EXIT_OK or a usage
 * error), then the context it asks for. */
int client_parse_args(client *c, int argc, char **argv);
int client_setup_ctx(client *c);

/* session.c */
/* do_handshake(): the UDP peer refused the first flight and another
 * address is left to try. */
#define HANDSHAKE_NEXT_ADDR (-1)
/* Wrap c->fd and run the handshake within --timeout. CLI_EXIT_* or
 * HANDSHAKE_NEXT_ADDR. */
int client_do_handshake(client *c);
int client_wait_session(client *c, long long wait_ms);

/* resume.c: --sess-in read into c->sess (CLI_EXIT_OK or a usage error
 * said), and --sess-out written before the session closes (a failure is
 * reported on stderr, the exit status stays the connection's). */
int client_load_session(client *c);
void client_save_session(client *c);
int client_report_data_failure(client *c, int st);
void client_close_session(client *c);
int client_send_all(client *c, const void *buf, size_t n);

/* relay.c */
int client_http_get(client *c);
/* SIGINT/SIGTERM from now on end the relay with close_notify. */
void client_catch_stop_signals(void);
int client_relay(client *c);

/* showcerts.c: --show-certs, after the handshake. */
void client_show_certs(FILE *f, const tlsw_session *s);

#endif
