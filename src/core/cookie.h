/* DTLS server cookie secrets: one per context, rotated on a schedule, and
 * the clock that drives it (see tlswrap/dtls.h for the behaviour). */
#ifndef TLSW_CORE_COOKIE_H
#define TLSW_CORE_COOKIE_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "platform/platform.h"
#include "support/message.h"
#include "tlswrap/dtls.h"

#define TLSW_COOKIE_SECRET_LEN 32

typedef struct tlsw_cookie_keys {
  tlswi_mutex lock; /* wraps on one context may run on many threads */
  uint8_t cur[TLSW_COOKIE_SECRET_LEN];
  uint8_t prev[TLSW_COOKIE_SECRET_LEN];
  int have_cur, have_prev;
  uint64_t cur_since_ms; /* start of the current secret's period */
  unsigned lifetime_s;
} tlsw_cookie_keys;

/* A snapshot handed to one wrap. Wiped by tlswi_cookie_snapshot_wipe. */
typedef struct tlsw_cookie_snapshot {
  uint8_t cur[TLSW_COOKIE_SECRET_LEN];
  uint8_t prev[TLSW_COOKIE_SECRET_LEN];
  int have_prev;
} tlsw_cookie_snapshot;

/* Monotonic milliseconds from clock, or the platform's when clock NULL. */
uint64_t tlswi_clock_now(tlsw_clock_fn clock, void *user);

/* Allocate keys (no secret yet: it is made on first use). */
int tlswi_cookie_new(tlsw_cookie_keys **out);
/* Wipe and free. NULL ignored. */
void tlswi_cookie_free(tlsw_cookie_keys *k);
int tlswi_cookie_set_lifetime(tlsw_cookie_keys *k, unsigned seconds);
/* Rotate now. TLSW_OK or TLSW_ERR_INTERNAL (CSPRNG failed; e filled). */
int tlswi_cookie_rotate(tlsw_cookie_keys *k, const tlsw_backend *be,
                        uint64_t now_ms, tlsw_err *e);
/* The secrets valid at now_ms, rotating first when a period has passed. */
int tlswi_cookie_get(tlsw_cookie_keys *k, const tlsw_backend *be,
                     uint64_t now_ms, tlsw_cookie_snapshot *out, tlsw_err *e);
void tlswi_cookie_snapshot_wipe(tlsw_cookie_snapshot *s);

#endif
