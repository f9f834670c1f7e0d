/* tlswrap's allocator: every allocation tlswrap itself makes goes through
 * these, so tlsw_set_allocator() (tlswrap.h, core/alloc.c) sees all of its
 * heap use. Beneath every layer: includes nothing of tlswrap's. */
#ifndef TLSW_SUPPORT_ALLOC_H
#define TLSW_SUPPORT_ALLOC_H

#include <stddef.h>

void *tlswi_malloc(size_t n);
void *tlswi_calloc(size_t count, size_t size);
void *tlswi_realloc(void *p, size_t n);
void tlswi_free(void *p);

/* Install the functions; 0, or -1 once tlswi_alloc_lock() has run (the
 * caller has already checked the arguments and told the backend). */
int tlswi_alloc_set(void *(*malloc_fn)(size_t),
                    void *(*realloc_fn)(void *, size_t),
                    void (*free_fn)(void *));
/* 1 once tlswi_alloc_lock() has run. */
int tlswi_alloc_locked(void);
/* Called once by tlsw_init(): from then on the allocator cannot change. */
void tlswi_alloc_lock(void);

#endif
