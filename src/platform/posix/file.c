#include "platform/platform.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/alloc.h"
#include "tlswrap/status.h"

int tlswi_read_file(const char *path, uint8_t **data, size_t *len,
                    tlsw_err *e) {
  *data = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    return tlswi_err_set(e, TLSW_ERR_FILE, errno, "cannot open %s: %s", path,
                         strerror(errno));
  }
  size_t cap = 4096, n = 0;
  uint8_t *buf = tlswi_malloc(cap);
  if (buf == NULL) {
    fclose(f);
    return tlswi_err_status(e, TLSW_ERR_NOMEM, 0);
  }
  for (;;) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
    if (n == cap) {
      if (cap >= TLSW_FILE_MAX) {
        tlswi_free(buf);
        fclose(f);
        return tlswi_err_set(e, TLSW_ERR_FILE, 0,
                             "cannot read %s: larger than %u bytes", path,
                             TLSW_FILE_MAX);
      }
      uint8_t *nb = tlswi_realloc(buf, cap * 2);
      if (nb == NULL) {
        tlswi_free(buf);
        fclose(f);
        return tlswi_err_status(e, TLSW_ERR_NOMEM, 0);
      }
      buf = nb;
      cap *= 2;
    }
  }
  int failed = ferror(f);
  int saved = errno;
  fclose(f);
  if (failed) {
    tlswi_free(buf);
    return tlswi_err_set(e, TLSW_ERR_FILE, saved, "cannot read %s: %s", path,
                         strerror(saved));
  }
  *data = buf;
  *len = n;
  return TLSW_OK;
}
