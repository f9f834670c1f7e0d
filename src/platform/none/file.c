/* No files on the none platform: the loaders say so, and point at the
 * in-memory ones. */
#include "platform/platform.h"
#include "tlswrap/status.h"

int tlswi_read_file(const char *path, uint8_t **data, size_t *len,
                    tlsw_err *e) {
  *data = NULL;
  *len = 0;
  return tlswi_err_set(e, TLSW_ERR_UNSUPPORTED, 0,
                       "cannot read %s: this build has no file access "
                       "(TLSW_PLATFORM=none); load certificates and keys "
                       "from memory",
                       path);
}
