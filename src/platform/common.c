#include <string.h>

#include "platform/platform.h"
#include "tlswrap/status.h"

/*
 * Configuration, like the allocator (core/alloc.c): written before
 * tlsw_init(), read-only afterwards. The struct is copied member by member
 * up to the caller's size, so an older program's smaller struct leaves the
 * newer members NULL.
 */
static tlsw_platform_ops ops;
static int ops_locked;
static const char *init_reason = "";

int tlsw_set_platform(const tlsw_platform_ops *in) {
  size_t min = offsetof(tlsw_platform_ops, entropy) + sizeof in->entropy;
  if (in == NULL || in->size < min) return TLSW_ERR_ARG;
  if (__atomic_load_n(&ops_locked, __ATOMIC_ACQUIRE)) return TLSW_ERR_STATE;
  tlsw_platform_ops c;
  memset(&c, 0, sizeof c);
  memcpy(&c, in, in->size < sizeof c ? in->size : sizeof c);
  int n = (c.mutex_new != NULL) + (c.mutex_lock != NULL) +
          (c.mutex_unlock != NULL) + (c.mutex_free != NULL);
  if (n != 0 && n != 4) return TLSW_ERR_ARG;
  c.size = sizeof c;
  ops = c;
  return TLSW_OK;
}

const tlsw_platform_ops *tlswi_platform_ops(void) {
  return &ops;
}

void tlswi_platform_lock(void) {
  __atomic_store_n(&ops_locked, 1, __ATOMIC_RELEASE);
}

void tlswi_platform_init_failed(const char *reason) {
  init_reason = reason;
}

const char *tlsw_init_message(void) {
  return init_reason;
}
