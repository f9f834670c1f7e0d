/* Test support: a counting allocator for tlsw_set_allocator() that can
 * fail one chosen request, and a seeded random generator. One program's
 * state (the allocator is process-wide); not thread-safe. */
#ifndef TLSW_TEST_ALLOC_H
#define TLSW_TEST_ALLOC_H

#include <stddef.h>
#include <stdint.h>

typedef struct test_alloc_stats {
  unsigned long requests; /* malloc and realloc calls so far */
  unsigned long fail_at;  /* 0: never; else fail request number N */
  unsigned long failed;   /* requests failed on purpose so far */
  long long live_bytes;   /* bytes handed out and not freed */
} test_alloc_stats;

extern test_alloc_stats test_alloc;

/* Install the counting functions with tlsw_set_allocator() (before
 * anything initialises tlswrap). Returns its status. */
int test_alloc_install(void);

/* splitmix64: a fixed seed gives the same sequence every run. */
uint64_t test_rand(uint64_t *state);

#endif
