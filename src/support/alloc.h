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

/* How many allocations have failed so far in the calling thread (in the
 * whole program where there are no threads). A public call notes the
 * count when it starts; if the count moved by the time it fails, the
 * failure was a lack of memory, whatever the backend made of it
 * (message.h). The backend's own allocations are counted too: it is
 * given these functions (tlsw_set_allocator(), and the backend's init
 * when nobody else chose its allocator). */
unsigned tlswi_alloc_failures(void);
/* The counter itself, for the inline read every read and write makes
 * (message.h tlswi_err_mark; issue #14): per thread where threads exist,
 * as above. */
#if defined(__GNUC__) && (defined(__unix__) || defined(__APPLE__))
extern __thread unsigned tlswi_alloc_failure_count;
#else
extern unsigned tlswi_alloc_failure_count;
#endif

/* The functions to give a TLS library (wolfSSL's allocator): they allocate
 * like tlswi_malloc/_realloc/_free, failures counted, but are other
 * functions, so that a program telling tlswrap's own requests from the
 * library's (tests/test_session_size.c wraps tlswi_malloc at link time)
 * still can. */
typedef struct tlswi_alloc_fns {
  void *(*malloc_fn)(size_t);
  void *(*realloc_fn)(void *, size_t);
  void (*free_fn)(void *);
} tlswi_alloc_fns;
extern const tlswi_alloc_fns tlswi_alloc_for_library;

#endif
