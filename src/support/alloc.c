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

/* Per thread where threads exist, so one thread running out of memory
 * never turns another thread's unrelated failure into TLSW_ERR_NOMEM.
 * Bare-metal builds have one thread and no thread-local storage. */
#if defined(__GNUC__) && (defined(__unix__) || defined(__APPLE__))
__thread unsigned tlswi_alloc_failure_count;
#else
unsigned tlswi_alloc_failure_count;
#endif

unsigned tlswi_alloc_failures(void) {
  return tlswi_alloc_failure_count;
}

static void *counted(void *p) {
  if (p == NULL) tlswi_alloc_failure_count++;
  return p;
}

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
  return counted(alloc_malloc(n ? n : 1));
}

void *tlswi_calloc(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) return counted(NULL);
  size_t n = count * size;
  void *p = counted(alloc_malloc(n ? n : 1));
  if (p != NULL) memset(p, 0, n);
  return p;
}

void *tlswi_realloc(void *p, size_t n) {
  return counted(alloc_realloc(p, n ? n : 1));
}

void tlswi_free(void *p) {
  if (p != NULL) alloc_free(p);
}

static void *lib_malloc(size_t n) {
  return counted(alloc_malloc(n ? n : 1));
}

static void *lib_realloc(void *p, size_t n) {
  return counted(alloc_realloc(p, n ? n : 1));
}

static void lib_free(void *p) {
  if (p != NULL) alloc_free(p);
}

const tlswi_alloc_fns tlswi_alloc_for_library = {lib_malloc, lib_realloc,
                                                 lib_free};
