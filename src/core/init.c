#include <stdio.h>

#include "core/alloc.h"
#include "core/internal.h"
#include "platform/platform.h"
#include "tlswrap/tlswrap.h"

/* The only global state: the result of the one-time backend init, run
 * through the platform's once (wolfSSL's first Init is not itself
 * thread-safe). */
static int init_status = TLSW_ERR_INTERNAL;

const tlsw_backend *tlswi_backend_get(void) {
  return &tlswi_backend_wolfssl;
}

static void do_init(void) {
  /* From here on memory is live; the allocator must not change. */
  tlswi_alloc_lock();
  tlswi_platform_lock();
  init_status = tlswi_platform_check();
  if (init_status != TLSW_OK) return;
  init_status = tlswi_backend_get()->global_init();
  if (init_status != TLSW_OK) {
    tlswi_platform_init_failed(
        "tlsw_init: the backend failed to initialise (wolfSSL_Init, its "
        "random number generator's self-test, or its cipher list)");
  }
}

int tlsw_init(void) {
  tlswi_once(do_init);
  return init_status;
}

const char *tlsw_backend_name(void) {
  return tlswi_backend_get()->name;
}

unsigned tlsw_backend_features(void) {
  /* Files are the platform's to give: without them the loaders refuse. */
  unsigned f = tlswi_backend_get()->features | tlswi_platform_features();
  if (!(f & TLSW_FEATURE_FILES)) f &= ~TLSW_FEATURE_CA_DIR;
  return f;
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
