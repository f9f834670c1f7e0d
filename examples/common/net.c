#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_parse_port(const char *s, long min, const char *what, char *out,
                   size_t outsz) {
  /* Digits only: strtol() would take "+44", " 44" or "44x" as 44, and
   * getaddrinfo() would take a port above 65535 modulo 65536. */
  size_t n = strspn(s, "0123456789");
  long v = 0;
  if (n == 0 || s[n] != '\0' || n > 5 ||
      cli_parse_long(s, min, 65535, &v) != 0) {
    cli_msg("%s wants a port number from %ld to 65535, not '%s'", what, min, s);
    return -1;
  }
  snprintf(out, outsz, "%ld", v);
  return 0;
}

int cli_parse_hostport(const char *s, const char *default_port, char *host,
                       size_t hostsz, char *port, size_t portsz) {
  const char *h = s, *p = NULL;
  size_t hlen;
  if (s[0] == '[') {
    const char *close = strchr(s, ']');
    if (close == NULL || (close[1] != '\0' && close[1] != ':')) {
      cli_msg("'%s' is not HOST:PORT; write IPv6 addresses as [::1]:4433", s);
      return -1;
    }
    h = s + 1;
    hlen = (size_t)(close - h);
    if (close[1] == ':') p = close + 2;
  } else {
    const char *colon = strchr(s, ':');
    if (colon != NULL && strchr(colon + 1, ':') != NULL) {
      /* "::1:443" is also a valid IPv6 address (::0.1.4.67): without
       * brackets nobody can tell where the address ends. */
      cli_msg(
          "'%s': write an IPv6 address in brackets, with the port after "
          "them: [::1]:443",
          s);
      return -1;
    }
    hlen = colon != NULL ? (size_t)(colon - s) : strlen(s);
    if (colon != NULL) p = colon + 1;
  }
  if (hlen == 0 || hlen >= hostsz) {
    cli_msg(
        "'%s' is not HOST:PORT (e.g. example.com:443, 127.0.0.1:4433, "
        "[::1]:4433)",
        s);
    return -1;
  }
  if (p != NULL && p[0] == '\0') {
    cli_msg(
        "'%s' ends with ':' but names no port: write %.*s:PORT, or drop "
        "the ':' for port %s",
        s, (int)(p - s - 1), s, default_port);
    return -1;
  }
  if (p == NULL) p = default_port;
  if (cli_parse_port(p, 1, "HOST:PORT", port, portsz) != 0) return -1;
  memcpy(host, h, hlen);
  host[hlen] = '\0';
  return 0;
}

int cli_is_ip_literal(const char *s) {
  unsigned char buf[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int cli_set_nonblock(int fd, int on) {
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) return -1;
  fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
  return fcntl(fd, F_SETFL, fl);
}

void cli_addr_str(const struct sockaddr *sa, socklen_t len, char *buf,
                  size_t size) {
  char host[INET6_ADDRSTRLEN + 16], serv[16]; /* numeric forms only */
  if (getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    snprintf(buf, size, "?");
    return;
  }
  if (sa->sa_family == AF_INET6) {
    snprintf(buf, size, "[%s]:%s", host, serv);
  } else {
    snprintf(buf, size, "%s:%s", host, serv);
  }
}

/* Non-blocking connect bounded by timeout_ms: 0, or -1 with errno. */
static int connect_within(int fd, const struct sockaddr *sa, socklen_t len,
                          int timeout_ms) {
  if (connect(fd, sa, len) == 0) return 0;
  if (errno != EINPROGRESS && errno != EINTR) return -1;
  long long deadline = cli_now_ms() + timeout_ms;
  for (;;) {
    long long left = deadline - cli_now_ms();
    if (left <= 0) {
      errno = ETIMEDOUT;
      return -1;
    }
    struct pollfd p = {fd, POLLOUT, 0};
    int r = poll(&p, 1, (int)left);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) continue;
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0) return -1;
    if (soerr != 0) {
      errno = soerr;
      return -1;
    }
    return 0;
  }
}

/* getaddrinfo for a client: 0 with *res, or -1 with the reason in err. */
static int resolve(const char *host, const char *port, int socktype,
                   struct addrinfo **res, char *err, size_t errsz) {
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = socktype;
  hints.ai_flags = AI_ADDRCONFIG;
  int gai = getaddrinfo(host, port, &hints, res);
  if (gai != 0 && gai != EAI_AGAIN && gai != EAI_MEMORY) {
    /* AI_ADDRCONFIG hides ::1 on hosts whose only IPv6 address is the
     * loopback; retry without it before giving up. */
    hints.ai_flags = 0;
    gai = getaddrinfo(host, port, &hints, res);
  }
  if (gai != 0) {
    snprintf(err, errsz, "cannot resolve %s port %s: %s; check the name", host,
             port, gai_strerror(gai));
    return -1;
  }
  return 0;
}

int cli_connect_at(const char *host, const char *port, int socktype,
                   int timeout_ms, size_t *index, int *more, char *err,
                   size_t errsz, char *peer, size_t peersz) {
  struct addrinfo *res = NULL;
  if (resolve(host, port, socktype, &res, err, errsz) != 0) return -1;
  int fd = -1, last_errno = 0;
  char last_addr[80] = "";
  size_t i = 0;
  struct addrinfo *ai = res;
  for (; ai != NULL && i < *index; ai = ai->ai_next) i++;
  for (; ai != NULL; ai = ai->ai_next, i++) {
    cli_addr_str(ai->ai_addr, ai->ai_addrlen, last_addr, sizeof last_addr);
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    if (socktype == SOCK_STREAM) cli_set_nodelay(fd);
    if (cli_set_nonblock(fd, 1) == 0 &&
        connect_within(fd, ai->ai_addr, ai->ai_addrlen, timeout_ms) == 0) {
      if (peer != NULL) snprintf(peer, peersz, "%s", last_addr);
      *index = i;
      *more = ai->ai_next != NULL;
      break;
    }
    last_errno = errno;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) {
    snprintf(err, errsz,
             "cannot connect to %s: %s; check that the server runs and the "
             "port is right",
             last_addr[0] ? last_addr : host,
             strerror(last_errno ? last_errno : EHOSTUNREACH));
  }
  return fd;
}

int cli_connect(const char *host, const char *port, int socktype,
                int timeout_ms, char *err, size_t errsz, char *peer,
                size_t peersz) {
  size_t index = 0;
  int more = 0;
  return cli_connect_at(host, port, socktype, timeout_ms, &index, &more, err,
                        errsz, peer, peersz);
}

int cli_listen(const char *addr, const char *port, int socktype, char *err,
               size_t errsz, char *bound, size_t boundsz, int *port_out) {
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = socktype;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  if (addr == NULL) addr = "127.0.0.1";
  int gai = getaddrinfo(addr, port, &hints, &res);
  if (gai != 0) {
    snprintf(err, errsz, "cannot use --bind %s --port %s: %s", addr, port,
             gai_strerror(gai));
    return -1;
  }
  int fd = -1, last_errno = 0;
  for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    int one = 1;
    /* Restarting the server must not wait for TIME_WAIT to expire. */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* A deep queue: the server evicts to make room (tlsw-server's
     * policy.c) but can only do so for connections it has accepted; a
     * full queue drops SYNs, and the client then retries a second later.
     * The kernel caps this at net.core.somaxconn. */
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
        (socktype != SOCK_STREAM || listen(fd, 4096) == 0) &&
        cli_set_nonblock(fd, 1) == 0) {
      break;
    }
    last_errno = errno;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) {
    snprintf(err, errsz,
             "cannot listen on %s port %s: %s; pick another --port (0 lets "
             "the system choose) or --bind address",
             addr, port, strerror(last_errno));
    return -1;
  }
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
    snprintf(err, errsz, "getsockname: %s", strerror(errno));
    close(fd);
    return -1;
  }
  cli_addr_str((struct sockaddr *)&ss, sl, bound, boundsz);
  *port_out = ss.ss_family == AF_INET6
                  ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                  : ntohs(((struct sockaddr_in *)&ss)->sin_port);
  return fd;
}

void cli_set_nodelay(int fd) {
  int one = 1;
  (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}
