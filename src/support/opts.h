/* Reading a caller's extensible option struct (docs/design.md, "Packaging
 * and ABI policy"): its first member is the size the caller compiled it
 * with. Beneath every layer: includes nothing of tlswrap's. */
#ifndef TLSW_SUPPORT_OPTS_H
#define TLSW_SUPPORT_OPTS_H

#include <stddef.h>

enum {
  TLSWI_OPTS_OK = 0,
  TLSWI_OPTS_TOO_SMALL, /* struct_size 0, or older than the first version */
  TLSWI_OPTS_UNKNOWN    /* a newer caller set members this library lacks */
};

/* Copy the caller's struct src (of the size its first member, a size_t,
 * gives) into dst (the library's own, dst_size bytes): the members the
 * caller's version lacks become 0, which always means their default. A
 * caller built with a newer header may pass a larger struct as long as the
 * members this library does not know are 0; otherwise the library would
 * silently ignore a setting it was asked for. min_size is the size of the
 * struct's first published version. dst's first member is set to
 * dst_size. */
int tlswi_opts_in(void *dst, size_t dst_size, const void *src, size_t min_size);

#endif
