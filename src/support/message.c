#include "support/message.h"

#include <stdio.h>
#include <string.h>

#include "tlswrap/status.h"

int tlswi_err_vset(tlsw_err *e, int status, long backend_code, const char *fmt,
                   va_list ap) {
  if (e == NULL) return status;
  e->status = status;
  e->backend_code = backend_code;
  int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  if (n >= (int)sizeof e->msg) {
    /* Say the text was cut rather than leave a sentence that reads whole. */
    memcpy(e->msg + sizeof e->msg - 4, "...", 4);
  }
  return status;
}

int tlswi_err_set(tlsw_err *e, int status, long backend_code, const char *fmt,
                  ...) {
  va_list ap;
  va_start(ap, fmt);
  tlswi_err_vset(e, status, backend_code, fmt, ap);
  va_end(ap);
  return status;
}

int tlswi_err_status(tlsw_err *e, int status, long backend_code) {
  return tlswi_err_set(e, status, backend_code, "%s", tlsw_strerror(status));
}

void tlswi_err_clear(tlsw_err *e) {
  e->status = 0;
  e->backend_code = 0;
  e->msg[0] = '\0';
}
