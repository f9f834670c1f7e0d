#include "support/opts.h"

#include <string.h>

int tlswi_opts_in(void *dst, size_t dst_size, const void *src,
                  size_t min_size) {
  size_t src_size;
  memcpy(&src_size, src, sizeof src_size);
  if (src_size < min_size) return TLSWI_OPTS_TOO_SMALL;
  if (src_size > dst_size) {
    const unsigned char *tail = (const unsigned char *)src + dst_size;
    for (size_t i = 0; i < src_size - dst_size; i++) {
      if (tail[i] != 0) return TLSWI_OPTS_UNKNOWN;
    }
  }
  memset(dst, 0, dst_size);
  memcpy(dst, src, src_size < dst_size ? src_size : dst_size);
  memcpy(dst, &dst_size, sizeof dst_size);
  return TLSWI_OPTS_OK;
}
