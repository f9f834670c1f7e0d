#include "support/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The allocator is configuration, written once before tlsw_init() and only
 * read afterwards; after init it is frozen, because memory already handed
 * out by one allocator must never reach another's free().
 */
static void *(*alloc_malloc)(size_t) = malloc;
static void *(*alloc_realloc)(void *, size_t) = realloc;
static void (*alloc_free)(void *) = free;
static int alloc_locked;

int tlswi_alloc_locked(void) {
  return __atomic_load_n(&alloc_locked, __ATOMIC_ACQUIRE);
}

int tlswi_alloc_set(void *(*malloc_fn)(size_t),
                    void *(*realloc_fn)(void *, size_t),
                    void (*free_fn)(void *)) {
  if (tlswi_alloc_locked()) return -1;
  alloc_malloc = malloc_fn;
  alloc_realloc = realloc_fn;
  alloc_free = free_fn;
  return 0;
}

void tlswi_alloc_lock(void) {
  __atomic_store_n(&alloc_locked, 1, __ATOMIC_RELEASE);
}

void *tlswi_malloc(size_t n) {
  return alloc_malloc(n ? n : 1);
}

void *tlswi_calloc(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) return NULL;
  size_t n = count * size;
  void *p = alloc_malloc(n ? n : 1);
  if (p != NULL) memset(p, 0, n);
  return p;
}

void *tlswi_realloc(void *p, size_t n) {
  return alloc_realloc(p, n ? n : 1);
}

void tlswi_free(void *p) {
  if (p != NULL) alloc_free(p);
}
