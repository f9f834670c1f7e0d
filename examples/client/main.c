/*
 * tlsw-client: connect to a TLS (or DTLS) server, show what was negotiated,
 * and relay stdin/stdout over the secure channel, in the spirit of
 * `openssl s_client` and `curl`. Built on the public tlswrap API only.
 */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "common/cli.h"
#include "common/net.h"
#include "common/starttls.h"

/* Connect to the next address of HOST (from c->addr_index). */
static int connect_next(client *c) {
  char err[512];
  c->fd =
      cli_connect_at(c->host, c->port, c->dtls ? SOCK_DGRAM : SOCK_STREAM,
                     (int)(c->timeout_s * 1000), &c->addr_index, &c->more_addrs,
                     err, sizeof err, c->peer, sizeof c->peer);
  if (c->fd < 0) {
    cli_msg("%s", err);
    return CLI_EXIT_CONNECT;
  }
  if (c->verbose) {
    fprintf(stderr, "* connected to %s (%s)\n", c->peer,
            c->dtls ? "UDP" : "TCP");
  }
  if (c->starttls != NULL && cli_starttls(c->fd, c->starttls, c->peer,
                                          (int)(c->timeout_s * 1000)) != 0) {
    return CLI_EXIT_HANDSHAKE;
  }
  tlsw_sock_io(&c->sock, c->fd, 0, &c->io);
  return CLI_EXIT_OK;
}

/* Connect and handshake, moving on to the next resolved address when a
 * DTLS peer refuses the first flight (TCP learns that in connect()). */
static int connect_and_handshake(client *c) {
  for (;;) {
    int rc = connect_next(c);
    if (rc != CLI_EXIT_OK) return rc;
    if ((rc = client_do_handshake(c)) != HANDSHAKE_NEXT_ADDR) return rc;
    tlsw_session_free(c->s);
    c->s = NULL;
    close(c->fd);
    c->fd = -1;
    c->addr_index++;
  }
}

int main(int argc, char **argv) {
  cli_set_prog("tlsw-client");
  /* A peer that hangs up must give an error status, not kill us. */
  signal(SIGPIPE, SIG_IGN);
  client c;
  memset(&c, 0, sizeof c);
  c.fd = -1;
  c.wait_s = 2;
  c.timeout_s = 10;
  int rc = client_parse_args(&c, argc, argv);
  if (rc != CLI_EXIT_OK) return rc;
  if ((rc = client_setup_ctx(&c)) != CLI_EXIT_OK) goto out;
  if ((rc = client_load_session(&c)) != CLI_EXIT_OK) goto out;

  if ((rc = connect_and_handshake(&c)) != CLI_EXIT_OK) goto out;
  rc = c.get_path != NULL ? client_http_get(&c) : client_relay(&c);
  /* close_notify in every case the session is still healthy (a bad HTTP
   * reply is no reason to cut the connection rudely); on a dead session
   * tlsw_shutdown() just returns its sticky error. */
  if (c.get_path != NULL) client_close_session(&c);
out:
  tlsw_session_free(c.s);
  tlsw_ctx_free(c.ctx);
  free(c.sess);
  cli_chain_free(&c.chain);
  if (c.fd >= 0) close(c.fd);
  return rc;
}
