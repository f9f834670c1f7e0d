/* The core's allocator: every allocation the core makes goes through these,
 * so tlsw_set_allocator() (tlswrap.h) sees all of tlswrap's heap use. */
#ifndef TLSW_CORE_ALLOC_H
#define TLSW_CORE_ALLOC_H

#include <stddef.h>

void *tlswi_malloc(size_t n);
void *tlswi_calloc(size_t count, size_t size);
void *tlswi_realloc(void *p, size_t n);
void tlswi_free(void *p);

/* Called once by tlsw_init(): from then on the allocator cannot change. */
void tlswi_alloc_lock(void);

#endif
