/* The POSIX platform: pthreads and CLOCK_MONOTONIC. Entropy is the
 * backend's own (wolfSSL reads getrandom or /dev/urandom). */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <time.h>

#include "platform/platform.h"
#include "tlswrap/tlswrap.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

void tlswi_once(void (*fn)(void)) {
  /* wolfSSL's first Init is not itself thread-safe. */
  pthread_once(&once, fn);
}

int tlswi_mutex_init(tlswi_mutex *m) {
  return pthread_mutex_init(&m->m, NULL) == 0 ? TLSW_OK : TLSW_ERR_NOMEM;
}

void tlswi_mutex_destroy(tlswi_mutex *m) {
  pthread_mutex_destroy(&m->m);
}

void tlswi_mutex_lock(tlswi_mutex *m) {
  pthread_mutex_lock(&m->m);
}

void tlswi_mutex_unlock(tlswi_mutex *m) {
  pthread_mutex_unlock(&m->m);
}

uint64_t tlswi_monotonic_ms(void) {
  const tlsw_platform_ops *o = tlswi_platform_ops();
  if (o->monotonic_ms != NULL) return o->monotonic_ms(o->user);
  struct timespec ts;
  /* CLOCK_MONOTONIC never jumps with wall-clock changes. */
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

unsigned tlswi_platform_features(void) {
  return TLSW_FEATURE_FILES;
}

int tlswi_platform_check(void) {
  return TLSW_OK;
}

int tlswi_platform_seed(unsigned char *out, unsigned int len) {
  /* Not called: the posix backend build seeds from the system. */
  (void)out;
  (void)len;
  return -1;
}

const char *tlswi_errno_text(int err) {
  return strerror(err);
}
