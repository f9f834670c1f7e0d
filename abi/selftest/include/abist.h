/* Public header of the ABI gate's self-test library (abi/selftest/run.sh).
 * ABIST_V selects a version of the API:
 *   1  the baseline
 *   2  a function added (compatible)
 *   3  a public struct member's type changed and a function removed
 *      (incompatible) */
#ifndef ABIST_H
#define ABIST_H

#define ABIST_API __attribute__((visibility("default")))

typedef struct abist_opts {
  int level;
#if ABIST_V >= 3
  long long budget;
#else
  int budget;
#endif
} abist_opts;

typedef struct abist_obj abist_obj; /* opaque: its contents are private */

ABIST_API abist_obj *abist_new(const abist_opts *opts);
ABIST_API void abist_free(abist_obj *o);
#if ABIST_V < 3
ABIST_API int abist_level(const abist_obj *o);
#endif
#if ABIST_V >= 2
ABIST_API int abist_budget(const abist_obj *o);
#endif

#endif
