/* A program outside the tlswrap tree, built against an installed copy (see
 * tests/install.cmake). It makes a context too, so that the link really
 * needs wolfSSL and a missing dependency in the package files shows up. */
#include <stdio.h>
#include <string.h>

#include <tlswrap/tlswrap.h>

int main(void) {
  const char *v = tlsw_version_string();
  tlsw_ctx *ctx = NULL;
  int st = tlsw_ctx_new(&ctx, TLSW_PROTOCOL_TLS_CLIENT);
  if (st != TLSW_OK) {
    fprintf(stderr, "tlsw_ctx_new: %s\n", tlsw_strerror(st));
    return 1;
  }
  tlsw_ctx_free(ctx);
  printf("%s\n", v);
  return strncmp(v, "tlswrap ", 8) == 0 ? 0 : 1;
}
