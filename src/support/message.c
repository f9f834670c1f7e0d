#include "support/message.h"

#include <stdio.h>
#include <string.h>

#include "support/alloc.h"
#include "tlswrap/status.h"

/* Statuses an allocation failure cannot explain: success, would-block,
 * the peer's close, the transport's own failures (facts from its
 * callback), a DTLS datagram dropped (the session lives on, as if the
 * network had lost it), and NOMEM itself. */
static int explained_by_nomem(const tlsw_err *e, int status) {
  switch (tlsw_status_category(status)) {
    case TLSW_CAT_OK:
    case TLSW_CAT_BLOCKED:
    case TLSW_CAT_CLOSED:
    case TLSW_CAT_IO:
    case TLSW_CAT_NOMEM: return 0;
    default: break;
  }
  if (status == TLSW_ERR_DATAGRAM_DROPPED) return 0;
  return tlswi_alloc_failures() != e->alloc_mark;
}

/* "out of memory (" + what was written + ")", cut to fit. */
static void wrap_nomem(tlsw_err *e) {
  static const char head[] = "out of memory (";
  size_t hl = sizeof head - 1, cap = sizeof e->msg;
  size_t n = strlen(e->msg);
  if (n > cap - hl - 2) n = cap - hl - 2;
  memmove(e->msg + hl, e->msg, n);
  memcpy(e->msg, head, hl);
  e->msg[hl + n] = ')';
  e->msg[hl + n + 1] = '\0';
}

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
  return tlswi_err_settle(e, status);
}

int tlswi_err_set(tlsw_err *e, int status, long backend_code, const char *fmt,
                  ...) {
  va_list ap;
  va_start(ap, fmt);
  status = tlswi_err_vset(e, status, backend_code, fmt, ap);
  va_end(ap);
  return status; /* NOMEM when an allocation failed since the mark */
}

int tlswi_err_status(tlsw_err *e, int status, long backend_code) {
  return tlswi_err_set(e, status, backend_code, "%s", tlsw_strerror(status));
}

void tlswi_err_clear(tlsw_err *e) {
  e->status = 0;
  e->backend_code = 0;
  e->msg[0] = '\0';
  e->alloc_mark = tlswi_alloc_failures();
}

int tlswi_err_settle(tlsw_err *e, int status) {
  if (e == NULL || !explained_by_nomem(e, status)) return status;
  if (e->status != TLSW_ERR_NOMEM) {
    if (e->msg[0] == '\0') {
      snprintf(e->msg, sizeof e->msg, "%s", tlsw_strerror(status));
    }
    wrap_nomem(e);
    e->status = TLSW_ERR_NOMEM;
  }
  return TLSW_ERR_NOMEM;
}
