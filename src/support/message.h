/* A failure record: status, backend code and a sentence for a person.
 * Beneath every layer (src/support/): the core and the backend both fill it.
 * Embedded in contexts and sessions; the backend fills it. */
#ifndef TLSW_SUPPORT_MESSAGE_H
#define TLSW_SUPPORT_MESSAGE_H

#include <stdarg.h>

#include "support/alloc.h"

/* Long enough for "certificate verify failed: <reason> (depth N, <subject>)"
 * with a typical subject; longer text is cut with "...". Keeps a session's
 * own state well under 1 KB. */
#define TLSW_MSG_MAX 192

typedef struct tlsw_err {
  int status;
  unsigned alloc_mark; /* tlswi_alloc_failures() when the call began */
  long backend_code;
  char msg[TLSW_MSG_MAX];
} tlsw_err;

#if defined(__GNUC__)
#define TLSW_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TLSW_PRINTF(a, b)
#endif

/* Record a failure and return its status, so callers can `return
 * tlswi_err_set(...)`: status, or TLSW_ERR_NOMEM when an allocation
 * failed since the mark (tlswi_err_mark, below). */
int tlswi_err_set(tlsw_err *e, int status, long backend_code, const char *fmt,
                  ...) TLSW_PRINTF(4, 5);
int tlswi_err_vset(tlsw_err *e, int status, long backend_code, const char *fmt,
                   va_list ap) TLSW_PRINTF(4, 0);
/* Record a failure whose message is tlsw_strerror(status). */
int tlswi_err_status(tlsw_err *e, int status, long backend_code);
/* Clear the record and mark the start of a public call (below). */
void tlswi_err_clear(tlsw_err *e);
/* Mark the start of a public call without clearing the record (a
 * session's record keeps its sticky failure).
 *
 * Whatever the backend reports, a failure during a call in which an
 * allocation failed is recorded and returned as TLSW_ERR_NOMEM, "out of
 * memory (<what the backend said>)": wolfSSL turns a failed allocation
 * into a parse error, a cipher error or a bogus alert depending on where
 * it struck, and only this tells the application the truth. Inline: every
 * read and write runs it. */
static inline void tlswi_err_mark(tlsw_err *e) {
  e->alloc_mark = tlswi_alloc_failure_count;
}
/* The status to return for a backend call that returned status with e as
 * its record: TLSW_ERR_NOMEM (and a record that says so) when an
 * allocation failed since the mark, else status unchanged. */
int tlswi_err_settle(tlsw_err *e, int status);

#endif
