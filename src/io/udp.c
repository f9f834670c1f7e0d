/* UDP helpers for DTLS: client_id from a peer address (tlswrap/dtls.h). */
#define _POSIX_C_SOURCE 200809L
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "tlswrap/dtls.h"
#include "tlswrap/status.h"

/*
 * Layout: a family tag, the port, the address (and for IPv6 the scope, so
 * fe80::1%eth0 and fe80::1%eth1 are different peers). Fixed-size fields
 * keep distinct addresses distinct; the bytes are only ever compared and
 * fed to the cookie HMAC, never parsed back.
 */
int tlsw_udp_client_id(const struct sockaddr *addr, size_t addrlen,
                       uint8_t *out, size_t *out_len) {
  if (out_len != NULL) *out_len = 0;
  if (addr == NULL || out == NULL || out_len == NULL) return TLSW_ERR_ARG;
  if (addr->sa_family == AF_INET && addrlen >= sizeof(struct sockaddr_in)) {
    struct sockaddr_in a;
    memcpy(&a, addr, sizeof a);
    out[0] = 4;
    memcpy(out + 1, &a.sin_port, 2);
    memcpy(out + 3, &a.sin_addr, 4);
    *out_len = 7;
    return TLSW_OK;
  }
  if (addr->sa_family == AF_INET6 && addrlen >= sizeof(struct sockaddr_in6)) {
    struct sockaddr_in6 a;
    memcpy(&a, addr, sizeof a);
    uint32_t scope = a.sin6_scope_id;
    out[0] = 6;
    memcpy(out + 1, &a.sin6_port, 2);
    memcpy(out + 3, &a.sin6_addr, 16);
    memcpy(out + 19, &scope, 4);
    *out_len = 23;
    return TLSW_OK;
  }
  return TLSW_ERR_ARG;
}
