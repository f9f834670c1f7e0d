/* Interop test support: loopback TCP helpers. Everything binds and
 * connects to 127.0.0.1 only. */
#ifndef TLSW_INTEROP_NET_H
#define TLSW_INTEROP_NET_H

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

#endif
