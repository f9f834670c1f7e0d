/*
 * The platform layer: everything tlswrap needs of the system beneath it
 * (one-time init, mutexes, a monotonic clock, entropy for the backend's
 * DRBG, whole-file reads), in one place, so the rest of the library is
 * plain C99 with no OS header. Two implementations, picked by CMake's
 * TLSW_PLATFORM: posix/ (pthreads, clock_gettime, stdio) and none/ (the
 * hooks of tlsw_set_platform(), tlswrap/platform.h; no files).
 *
 * common.c holds what both share: the installed hooks and tlsw_init's
 * failure reason.
 */
#ifndef TLSW_PLATFORM_PLATFORM_H
#define TLSW_PLATFORM_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "support/message.h"
#include "tlswrap/platform.h"

#if defined(TLSW_PLATFORM_POSIX)
#include <pthread.h>
/* Embedded, so a DTLS server context needs no second allocation. */
typedef struct tlswi_mutex {
  pthread_mutex_t m;
} tlswi_mutex;
#else
/* The handle from tlsw_platform_ops.mutex_new, or NULL (one thread). */
typedef struct tlswi_mutex {
  void *h;
} tlswi_mutex;
#endif

/* Run fn exactly once per process (tlsw_init's backend init). */
void tlswi_once(void (*fn)(void));

/* TLSW_OK, or TLSW_ERR_NOMEM when the system or hook cannot make one. */
int tlswi_mutex_init(tlswi_mutex *m);
void tlswi_mutex_destroy(tlswi_mutex *m);
void tlswi_mutex_lock(tlswi_mutex *m);
void tlswi_mutex_unlock(tlswi_mutex *m);

/* Monotonic milliseconds: the hook when one is installed, else the
 * system's (posix) or 0 (none). */
uint64_t tlswi_monotonic_ms(void);

/* errno's text for a message (posix: strerror), or NULL where the
 * platform has none: on none, strerror's table would be about 2.8 KB of a
 * firmware image's flash (newlib-nano, measured: issue #11) for numbers a
 * board's transport chose itself; messages then give the number alone. */
const char *tlswi_errno_text(int err);

/* Files larger than this are refused rather than read: no certificate
 * bundle comes near it, and a device must not be made to allocate more. */
#define TLSW_FILE_MAX (8u * 1024u * 1024u)

/* Whole-file read into a buffer from tlswi_malloc (freed with tlswi_free).
 * Fills e: TLSW_ERR_FILE / TLSW_ERR_NOMEM naming the path, or, on the none
 * platform, TLSW_ERR_UNSUPPORTED. */
int tlswi_read_file(const char *path, uint8_t **data, size_t *len, tlsw_err *e);

/* TLSW_FEATURE_FILES on posix, 0 on none. */
unsigned tlswi_platform_features(void);

/* The installed hooks (zeroed when none were set); read-only after
 * tlsw_init(). */
const tlsw_platform_ops *tlswi_platform_ops(void);
/* Freeze the hooks (tlsw_init): tlsw_set_platform then refuses. */
void tlswi_platform_lock(void);
/* Readiness check before the backend's init: TLSW_OK, or a status with
 * tlsw_init's reason recorded (none: no entropy hook). */
int tlswi_platform_check(void);
/* Keep a reason for tlsw_init_message(); called once, under tlswi_once. */
void tlswi_platform_init_failed(const char *reason);

/* The backend's entropy source on the none platform (user_settings.h names
 * it CUSTOM_RAND_GENERATE_SEED): 0 on success, as wolfSSL expects. */
int tlswi_platform_seed(unsigned char *out, unsigned int len);

#endif
