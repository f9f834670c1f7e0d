/* Test support: a real TLS server tool (openssl s_server, gnutls-serv) as
 * a child process on a free TCP port of 127.0.0.1, connected to. */
#ifndef TLSW_TEST_PEER_H
#define TLSW_TEST_PEER_H

#include <stddef.h>

#include "child.h"

/* Starts the server tool in c (with child_start) listening on `port`.
 * Returns 0, or -1 if it could not be started. */
typedef int (*peer_start_fn)(child *c, int port, void *arg);

/* Start a server tool on a free port and connect to it. The port comes from
 * a bind+close probe (free_port), so another process may take it before
 * the tool binds: the tool then exits and this tries again with a new port,
 * up to `attempts` times. Readiness is a connect loop with a deadline of
 * wait_ms per attempt (no fixed sleep); the first connection that succeeds
 * is the caller's, who owns and closes it. Returns that socket, or -1 when
 * no attempt succeeded: c is stopped then and keeps the last tool's output
 * for child_dump. The caller stops c (child_stop) in every case. */
int peer_connect_server(child *c, peer_start_fn start, void *arg, int attempts,
                        int wait_ms);

/* The start of an `openssl s_server` command line, for a peer_start_fn:
 * one connection on 127.0.0.1:port, serving the certificate file crt
 * (only its first certificate is sent) with the key file key. Fills
 * argv[0..10) and returns 10, for the caller to add its own options and
 * the NULL. acc (at least 32 bytes) holds the address; it, crt and key
 * must live until child_start() has run. */
int peer_openssl_server_argv(char **argv, char *acc, size_t acc_cap, int port,
                             char *crt, char *key);

/* 1 if the program `name` is on PATH. */
int have_tool(const char *name);

#endif
