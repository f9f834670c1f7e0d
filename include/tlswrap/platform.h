/**
 * @file
 * @brief The platform hooks for a build without an operating system
 * (TLSW_PLATFORM=none): monotonic clock, entropy and mutexes, set by one
 * call.
 *
 * @defgroup platform Platform
 * @brief What tlswrap needs of the system under it, for boards and RTOSes.
 *
 * A POSIX build (TLSW_PLATFORM=posix, the default) takes all of it from the
 * system: pthread_once, pthread mutexes, clock_gettime(CLOCK_MONOTONIC),
 * the backend's own entropy source (/dev/urandom, getrandom) and stdio for
 * the *_file loaders; there tlsw_set_platform() is accepted but only its
 * clock is used.
 *
 * A TLSW_PLATFORM=none build has no such defaults. The program calls
 * tlsw_set_platform() once, before tlsw_init() or any other tlswrap call,
 * from one thread; tlsw_init() must likewise run once before a second thread
 * uses tlswrap (the none platform's one-time init is a plain flag, since
 * there is no portable once primitive to build it on). File, CA-directory
 * and system-store loaders return TLSW_ERR_UNSUPPORTED there: load
 * certificates and keys from memory.
 * @{
 */
#ifndef TLSWRAP_PLATFORM_H
#define TLSWRAP_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "tlswrap/export.h"

TLSW_BEGIN_DECLS

/**
 * @brief The hooks a board or RTOS provides. Zero-initialise it, set
 * @c size to sizeof(tlsw_platform_ops) and fill what the platform has.
 *
 * @c size lets later versions add members at the end: a program compiled
 * against these headers keeps working with a newer library, which treats
 * members beyond @c size as NULL.
 */
typedef struct tlsw_platform_ops {
  /** sizeof(tlsw_platform_ops) as the caller compiled it. */
  size_t size;
  /** Passed to every hook. */
  void *user;
  /**
   * Milliseconds from any fixed origin, never going backwards. Drives the
   * DTLS cookie-secret rotation and the DTLS retransmission timers of
   * contexts without tlsw_ctx_set_clock(). NULL: the clock stands at 0
   * (cookie secrets then rotate only by tlsw_ctx_rotate_dtls_cookie_secret,
   * and DTLS timers never expire unless a context has its own clock).
   */
  uint64_t (*monotonic_ms)(void *user);
  /**
   * Fill buf with len bytes from a true entropy source (a hardware TRNG):
   * this seeds the backend's DRBG, which all keys and nonces come from.
   * Return 0 on success, non-zero on failure (every handshake then fails).
   * Required on TLSW_PLATFORM=none; ignored on posix, where the backend
   * reads the system's source.
   */
  int (*entropy)(void *user, uint8_t *buf, size_t len);
  /**
   * Create a mutex, storing its handle in *mutex; 0 on success. With all
   * four mutex hooks NULL tlswrap assumes one thread (a DTLS server
   * context's cookie secrets are then unlocked). Either all four or none.
   */
  int (*mutex_new)(void *user, void **mutex);
  /** Lock a mutex made by mutex_new. */
  void (*mutex_lock)(void *user, void *mutex);
  /** Unlock it. */
  void (*mutex_unlock)(void *user, void *mutex);
  /** Destroy it. */
  void (*mutex_free)(void *user, void *mutex);
} tlsw_platform_ops;

/**
 * @brief Install the platform hooks (TLSW_PLATFORM=none builds; see the
 * file comment for posix).
 *
 * The struct is copied (up to ops->size bytes): it need not outlive the
 * call; the hooks and @c user must stay valid for the life of the process.
 * Call before tlsw_init() and any other tlswrap call, from one thread.
 *
 * @param ops The hooks; ops->size must be at least the size of the members
 *        up to and including @c entropy.
 * @retval TLSW_OK Installed.
 * @retval TLSW_ERR_ARG ops NULL, ops->size too small, or only some of the
 *         four mutex hooks set; nothing changed.
 * @retval TLSW_ERR_STATE tlswrap is already initialised; nothing changed.
 *
 * Errors: TLSW_ERR_ARG (NULL, too small a size, mutex hooks not all or
 * none), TLSW_ERR_STATE (called after tlsw_init()).
 */
TLSW_API int tlsw_set_platform(const tlsw_platform_ops *ops);

/**
 * @brief Why the last failed tlsw_init() failed, as a sentence.
 *
 * @return A static string: "" while tlsw_init() has not failed; never
 *         freed by the caller.
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_init_message(void);

TLSW_END_DECLS

/** @} */

#endif
