/*
 * Address handling for the tools: HOST:PORT parsing (IPv4, [IPv6], names),
 * resolution with getaddrinfo, connecting with a deadline, listening.
 * Sockets returned here are non-blocking; the caller closes them.
 */
#ifndef TLSW_CLI_NET_H
#define TLSW_CLI_NET_H

#include <stddef.h>
#include <sys/socket.h>

/* Check a port number for the option (or argument) named what: decimal
 * digits only, from min to 65535. out gets it in canonical form ("0443" ->
 * "443"). Returns 0, or -1 after printing why. Shared by the client's
 * HOST:PORT and the server's --port, so both refuse the same input. */
int cli_parse_port(const char *s, long min, const char *what, char *out,
                   size_t outsz);

/* Parse "host", "host:port" or "[v6addr]:port" (an IPv6 address must be in
 * brackets: "::1:443" is ambiguous). A missing port is default_port; an
 * empty one ("host:") is an error. host/port get NUL-terminated copies.
 * Returns 0, or -1 after printing why. */
int cli_parse_hostport(const char *s, const char *default_port, char *host,
                       size_t hostsz, char *port, size_t portsz);

/* 1 if s is an IPv4 or IPv6 literal. */
int cli_is_ip_literal(const char *s);

/* Connect to host:port (socktype SOCK_STREAM or SOCK_DGRAM), trying each
 * address getaddrinfo returns until one works, each within timeout_ms.
 * Returns a connected non-blocking fd, or -1 with a one-line reason in err.
 * peer (may be NULL) gets the address used, as text. */
int cli_connect(const char *host, const char *port, int socktype,
                int timeout_ms, char *err, size_t errsz, char *peer,
                size_t peersz);

/* cli_connect from the *index-th address getaddrinfo returns (0: the
 * first). On success *index is the address used and *more says whether
 * others follow it: a UDP "connection" is only known to be refused when
 * the first datagrams come back refused, and the caller then tries
 * *index + 1 (localhost as ::1 first, a server on 127.0.0.1 only). */
int cli_connect_at(const char *host, const char *port, int socktype,
                   int timeout_ms, size_t *index, int *more, char *err,
                   size_t errsz, char *peer, size_t peersz);

/* Listen (TCP) or bind (UDP) on addr:port; addr NULL means 127.0.0.1.
 * Returns a non-blocking fd, or -1 with a reason in err. bound gets the
 * address and real port as text ("127.0.0.1:4433", "[::1]:4433"), and
 * *port_out the port number. */
int cli_listen(const char *addr, const char *port, int socktype, char *err,
               size_t errsz, char *bound, size_t boundsz, int *port_out);

/* "1.2.3.4:5" or "[::1]:5" for an address. */
void cli_addr_str(const struct sockaddr *sa, socklen_t len, char *buf,
                  size_t size);

/* Set or clear O_NONBLOCK. 0 or -1 (errno). */
int cli_set_nonblock(int fd, int on);

/* TCP_NODELAY on a TCP socket: a TLS record must leave at once, not wait
 * for the peer's delayed ACK (measured without it: echo through
 * tlsw-server at 1.5 MB/s against openssl s_server's 99.5, each burst
 * waiting ~40 ms; issue #14). Best effort: a failure is harmless. */
void cli_set_nodelay(int fd);

#endif
