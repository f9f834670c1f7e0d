/*
 * tlswrap: TLS and DTLS over pluggable I/O, shaped like MicroPython's ssl.
 * Include this one header. See README.md for a short client.
 */
#ifndef TLSWRAP_H
#define TLSWRAP_H

#include "tlswrap/context.h"
#include "tlswrap/dtls.h"
#include "tlswrap/io.h"
#include "tlswrap/session.h"
#include "tlswrap/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility; this exports the API. */
#if defined(TLSW_BUILDING) && defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#define TLSW_VERSION_MAJOR 0
#define TLSW_VERSION_MINOR 1
#define TLSW_VERSION_PATCH 0
#define TLSW_VERSION_STRING "0.1.0"

/* "tlswrap 0.1.0 (wolfSSL 5.5.4)": static. */
const char *tlsw_version_string(void);

/* Name of the backend in use, e.g. "wolfssl". Static. */
const char *tlsw_backend_name(void);

/* Backend feature bits. */
#define TLSW_FEATURE_TLS13 0x01u
#define TLSW_FEATURE_DTLS 0x02u
#define TLSW_FEATURE_PSK 0x04u
#define TLSW_FEATURE_CA_DIR 0x08u
/* Certificate dates can be checked against tlsw_ctx_set_time(_callback). */
#define TLSW_FEATURE_TIME_SOURCE 0x10u
unsigned tlsw_backend_features(void);

/* One-time library initialisation. Called implicitly by tlsw_ctx_new();
 * thread-safe; calling it again is harmless. TLSW_OK or TLSW_ERR_INTERNAL. */
int tlsw_init(void);

/*
 * Release memory the backend keeps per thread. On Debian's wolfSSL build
 * this is the ECC fixed-point cache: up to ~12 MB per thread that did ECC,
 * which is leaked if the thread exits without this call. Call it in every
 * thread that used tlswrap, before the thread exits. The main thread may
 * skip it. Harmless when there is nothing to release.
 *
 * Default (documented in README): tlswrap keeps the cache, because it makes
 * later handshakes in that thread faster; a thread that wants a small
 * footprint can call this after each handshake.
 */
void tlsw_thread_cleanup(void);

/*
 * Route every heap allocation of tlswrap and of its backend through these
 * three functions (same contracts as malloc, realloc and free), e.g. to
 * count live bytes or to use a private heap. Call it before tlsw_init() and
 * before any other tlswrap call that may allocate; the functions must stay
 * valid for the life of the process. Process-wide: it also sets the
 * backend's allocator (wolfSSL_SetAllocators), which affects other users of
 * wolfSSL in the same process.
 * Errors: TLSW_ERR_ARG (a NULL function), TLSW_ERR_STATE (tlswrap is
 * already initialised: memory handed out by the old allocator must not
 * reach the new free), TLSW_ERR_INTERNAL (the backend refused).
 */
int tlsw_set_allocator(void *(*malloc_fn)(size_t),
                       void *(*realloc_fn)(void *, size_t),
                       void (*free_fn)(void *));

#if defined(TLSW_BUILDING) && defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif
