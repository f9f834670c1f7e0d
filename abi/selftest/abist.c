/* The ABI gate's self-test library; see include/abist.h. */
#include <stdlib.h>

#include "abist.h"
#include "private.h"

int abist_internal_check(const struct abist_obj *o) {
  return o->level >= 0;
}

abist_obj *abist_new(const abist_opts *opts) {
  abist_obj *o = calloc(1, sizeof *o);
  if (o != NULL) {
    o->level = opts->level;
    o->budget = opts->budget;
  }
  return o;
}

void abist_free(abist_obj *o) {
  free(o);
}

#if ABIST_V < 3
int abist_level(const abist_obj *o) {
  return abist_internal_check(o) ? o->level : -1;
}
#endif

#if ABIST_V >= 2
int abist_budget(const abist_obj *o) {
  return (int)o->budget;
}
#endif
