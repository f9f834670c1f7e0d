/* The core's allocator: every allocation the core makes goes through these,
 * so tlsw_set_allocator() (tlswrap.h) sees all of tlswrap's heap use. */
#ifndef TLSW_CORE_ALLOC_H
#define TLSW_CORE_ALLOC_H

#include <stddef.h>

void *tlsw_malloc(size_t n);
void *tlsw_calloc(size_t count, size_t size);
void *tlsw_realloc(void *p, size_t n);
void tlsw_free(void *p);

/* Called once by tlsw_init(): from then on the allocator cannot change. */
void tlsw_alloc_lock(void);

#endif
