/* The none platform: every service is a hook of tlsw_set_platform()
 * (tlswrap/platform.h), for boards and RTOSes without POSIX. */
#include "platform/platform.h"
#include "tlswrap/tlswrap.h"

static int once_done;

void tlswi_once(void (*fn)(void)) {
  /* A plain flag: platform.h requires the first tlsw_init() before a
   * second thread uses tlswrap, so no race can reach here. */
  if (!once_done) {
    once_done = 1;
    fn();
  }
}

int tlswi_mutex_init(tlswi_mutex *m) {
  const tlsw_platform_ops *o = tlswi_platform_ops();
  m->h = NULL;
  if (o->mutex_new == NULL) return TLSW_OK;
  return o->mutex_new(o->user, &m->h) == 0 ? TLSW_OK : TLSW_ERR_NOMEM;
}

void tlswi_mutex_destroy(tlswi_mutex *m) {
  const tlsw_platform_ops *o = tlswi_platform_ops();
  if (o->mutex_free != NULL && m->h != NULL) o->mutex_free(o->user, m->h);
  m->h = NULL;
}

void tlswi_mutex_lock(tlswi_mutex *m) {
  const tlsw_platform_ops *o = tlswi_platform_ops();
  if (o->mutex_lock != NULL) o->mutex_lock(o->user, m->h);
}

void tlswi_mutex_unlock(tlswi_mutex *m) {
  const tlsw_platform_ops *o = tlswi_platform_ops();
  if (o->mutex_unlock != NULL) o->mutex_unlock(o->user, m->h);
}

uint64_t tlswi_monotonic_ms(void) {
  const tlsw_platform_ops *o = tlswi_platform_ops();
  return o->monotonic_ms != NULL ? o->monotonic_ms(o->user) : 0;
}

unsigned tlswi_platform_features(void) {
  return 0;
}

int tlswi_platform_check(void) {
  if (tlswi_platform_ops()->entropy == NULL) {
    tlswi_platform_init_failed(
        "tlsw_init: no entropy source: on TLSW_PLATFORM=none call "
        "tlsw_set_platform() with an entropy hook first");
    return TLSW_ERR_INTERNAL;
  }
  return TLSW_OK;
}

int tlswi_platform_seed(unsigned char *out, unsigned int len) {
  const tlsw_platform_ops *o = tlswi_platform_ops();
  if (o->entropy == NULL) return -1;
  return o->entropy(o->user, out, len) == 0 ? 0 : -1;
}

const char *tlswi_errno_text(int err) {
  (void)err;
  return NULL;
}
