/* Private to the self-test library: never part of its ABI, so a change
 * here (ABIST_PRIVATE_V) must not fail the check. */
#ifndef ABIST_PRIVATE_H
#define ABIST_PRIVATE_H

struct abist_obj {
  int level;
#if ABIST_PRIVATE_V >= 2
  double spare[4];
#endif
  long long budget;
};

/* Not exported (hidden), not declared in the public header. */
int abist_internal_check(const struct abist_obj *o);

#endif
