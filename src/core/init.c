#include <pthread.h>
#include <stdio.h>

#include "support/alloc.h"
#include "core/internal.h"
#include "tlswrap/tlswrap.h"

/* The only global state: the result of the one-time backend init. wolfSSL's
 * first Init is not itself thread-safe, hence pthread_once. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_status = TLSW_ERR_INTERNAL;

const tlsw_backend *tlswi_backend_get(void) {
  return &tlswi_backend_wolfssl;
}

static void do_init(void) {
  /* From here on memory is live; the allocator must not change. */
  tlswi_alloc_lock();
  init_status = tlswi_backend_get()->global_init();
}

int tlsw_init(void) {
  pthread_once(&init_once, do_init);
  return init_status;
}

const char *tlsw_backend_name(void) {
  return tlswi_backend_get()->name;
}

unsigned tlsw_backend_features(void) {
  return tlswi_backend_get()->features;
}

const char *tlsw_version_string(void) {
  return tlswi_backend_get()->version();
}

void tlsw_thread_cleanup(void) {
  const tlsw_backend *be = tlswi_backend_get();
  if (be->thread_cleanup) be->thread_cleanup();
}

int tlsw_available_ciphers(const char **names, size_t max, size_t *out_n) {
  if (out_n == NULL || (names == NULL && max > 0)) return TLSW_ERR_ARG;
  int st = tlsw_init();
  if (st != TLSW_OK) return st;
  return tlswi_backend_get()->available_ciphers(names, max, out_n);
}
