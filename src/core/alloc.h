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

/* How many allocations have failed so far in the calling thread (in the
 * whole program where there are no threads). A public call notes the
 * count when it starts; if the count moved by the time it fails, the
 * failure was a lack of memory, whatever the backend made of it
 * (message.h). The backend's own allocations are counted too: it is
 * given these functions (tlsw_set_allocator(), and the backend's init
 * when nobody else chose its allocator). */
unsigned tlswi_alloc_failures(void);

#endif
