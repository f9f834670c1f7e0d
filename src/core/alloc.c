/* tlsw_set_allocator(): the public side of src/support/alloc.c. Here, in
 * the core, because the backend must be told too (its own allocations),
 * and support/ sits beneath the backend. */
#include <stddef.h>

#include "core/internal.h"
#include "support/alloc.h"
#include "tlswrap/tlswrap.h"

int tlsw_set_allocator(void *(*malloc_fn)(size_t),
                       void *(*realloc_fn)(void *, size_t),
                       void (*free_fn)(void *)) {
  if (malloc_fn == NULL || realloc_fn == NULL || free_fn == NULL) {
    return TLSW_ERR_ARG;
  }
  if (tlswi_alloc_locked()) return TLSW_ERR_STATE;
  /* The backend gets the support layer's functions, which call these:
   * that way its failures are counted too (tlswi_alloc_failures()). */
  const tlswi_alloc_fns *lib = &tlswi_alloc_for_library;
  int st = tlswi_backend_get()->set_allocator(lib->malloc_fn, lib->realloc_fn,
                                              lib->free_fn);
  if (st != TLSW_OK) return st;
  /* Locked in between only by a tlsw_init() racing this call, which the
   * API forbids (tlswrap.h); refuse rather than mix allocators. */
  if (tlswi_alloc_set(malloc_fn, realloc_fn, free_fn) != 0) {
    return TLSW_ERR_STATE;
  }
  return TLSW_OK;
}
