#include <stdio.h>

#include "support/alloc.h"
#include "core/internal.h"
#include "platform/platform.h"
#include "tlswrap/tlswrap.h"

/* The only global state: the result of the one-time backend init, run
 * through the platform's once (wolfSSL's first Init is not itself
 * thread-safe), and the flag that lets one thread at a time try again an
 * init that failed for lack of memory (a flag, not a mutex: making a mutex
 * may need the memory that is missing). */
static int init_status = TLSW_ERR_INTERNAL;
static int retrying;

const tlsw_backend *tlswi_backend_get(void) {
  return &tlswi_backend_wolfssl;
}

/* One try of the backend's init. A failure during which an allocation
 * failed is TLSW_ERR_NOMEM, whatever the backend made of it: that one is
 * worth another try later (issue #13: a device short of memory at boot
 * must not lose TLS until it restarts); any other failure is final. */
static void attempt(void) {
  unsigned failures = tlswi_alloc_failures();
  const char *why = NULL;
  int st = tlswi_backend_get()->global_init(&why);
  if (st != TLSW_OK && tlswi_alloc_failures() != failures) {
    st = TLSW_ERR_NOMEM;
  }
  if (st == TLSW_ERR_NOMEM) {
    tlswi_platform_init_failed(
        "tlsw_init: out of memory while the backend initialised; it is "
        "tried again on the next call");
  } else if (st != TLSW_OK) {
    tlswi_platform_init_failed(
        why != NULL ? why
                    : "tlsw_init: the backend failed to initialise "
                      "(wolfSSL_Init, its random number generator's "
                      "self-test, or its cipher list)");
  } else {
    tlswi_platform_init_failed(""); /* an earlier try's reason is void */
  }
  __atomic_store_n(&init_status, st, __ATOMIC_RELEASE);
}

static void do_init(void) {
  /* From here on memory is live; the allocator must not change. */
  tlswi_alloc_lock();
  tlswi_platform_lock();
  int st = tlswi_platform_check();
  if (st != TLSW_OK) {
    __atomic_store_n(&init_status, st, __ATOMIC_RELEASE);
    return;
  }
  attempt();
}

int tlsw_init(void) {
  tlswi_once(do_init);
  int st = __atomic_load_n(&init_status, __ATOMIC_ACQUIRE);
  int idle = 0;
  /* While another thread tries, this call reports NOMEM as it stands. */
  if (st == TLSW_ERR_NOMEM &&
      __atomic_compare_exchange_n(&retrying, &idle, 1, 0, __ATOMIC_ACQ_REL,
                                  __ATOMIC_ACQUIRE)) {
    if (__atomic_load_n(&init_status, __ATOMIC_ACQUIRE) == TLSW_ERR_NOMEM) {
      attempt();
    }
    st = __atomic_load_n(&init_status, __ATOMIC_ACQUIRE);
    __atomic_store_n(&retrying, 0, __ATOMIC_RELEASE);
  }
  return st;
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
