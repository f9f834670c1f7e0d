/*
 * LD_PRELOAD shim for the DTLS address-fallback test: the name in
 * DUALHOST_NAME resolves to ::1 first, then 127.0.0.1, as "localhost"
 * does on hosts whose /etc/hosts lists "::1 localhost" first (Debian's
 * default). It stands in for the resolver (the OS edge: /etc/hosts cannot
 * be changed by a test), so the fallback is exercised on every machine;
 * everything after resolution is real (sockets, ICMP, DTLS).
 *
 * glibc only: its freeaddrinfo() frees node by node, so two results can be
 * chained into one list. Elsewhere the shim resolves nothing special and
 * the test, seeing one address, skips.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

typedef int (*gai_fn)(const char *, const char *, const struct addrinfo *,
                      struct addrinfo **);

int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res) {
  gai_fn real;
  *(void **)&real = dlsym(RTLD_NEXT, "getaddrinfo");
  const char *name = getenv("DUALHOST_NAME");
#if defined(__GLIBC__)
  if (node != NULL && name != NULL && strcmp(node, name) == 0) {
    struct addrinfo h, *v6 = NULL, *v4 = NULL;
    memset(&h, 0, sizeof h);
    if (hints != NULL) h = *hints;
    h.ai_family = AF_UNSPEC;
    h.ai_flags = (h.ai_flags & ~AI_ADDRCONFIG) | AI_NUMERICHOST;
    int r = real("::1", service, &h, &v6);
    if (r != 0) return r;
    r = real("127.0.0.1", service, &h, &v4);
    if (r != 0) {
      freeaddrinfo(v6);
      return r;
    }
    struct addrinfo *t = v6;
    while (t->ai_next != NULL) t = t->ai_next;
    t->ai_next = v4;
    *res = v6;
    return 0;
  }
#else
  (void)name;
#endif
  return real(node, service, hints, res);
}
