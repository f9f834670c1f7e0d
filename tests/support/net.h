/* Test support: loopback TCP and UDP helpers. Everything binds and
 * connects to 127.0.0.1 only. */
#ifndef TLSW_TEST_NET_H
#define TLSW_TEST_NET_H

#include <netinet/in.h>

/* A port that was free a moment ago (bind 127.0.0.1:0, read it, close).
 * Another process can take it before the peer binds: callers retry. 0 on
 * failure. */
int free_port(void);

/* Listening socket on 127.0.0.1 with a kernel-chosen port (*port). -1 on
 * failure. */
int listen_any(int *port);

/* Accept one connection by the deadline (now_ms() value). -1 on timeout. */
int accept_by(int lfd, long long deadline);

/* One connection attempt to 127.0.0.1:port. -1 if refused. */
int connect_once(int port);

/* The IPv4 loopback address with `port`. */
struct sockaddr_in loopback(int port);

/* A UDP socket bound to 127.0.0.1 with a kernel-chosen port (*port). -1 on
 * failure. */
int udp_bound(int *port);

/* A UDP port that was free a moment ago, for peers that bind themselves
 * (callers retry if another process takes it first). 0 on failure. */
int free_udp_port(void);

/* A UDP socket connected to 127.0.0.1:port. -1 on failure. */
int udp_connected(int port);

#endif
