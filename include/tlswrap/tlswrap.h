/**
 * @file
 * @brief tlswrap: TLS and DTLS over pluggable I/O, shaped like
 * MicroPython's ssl. Include this one header.
 *
 * It includes every other public header except tlswrap/transport.h (the
 * ready-made transports). See README.md for a short client.
 *
 * @defgroup library Library
 * @brief Version, backend, one-time initialisation, per-thread memory and
 * the allocator.
 * @{
 */
#ifndef TLSWRAP_H
#define TLSWRAP_H

#include "tlswrap/export.h"

#include "tlswrap/cert.h"
#include "tlswrap/context.h"
#include "tlswrap/dtls.h"
#include "tlswrap/io.h"
#include "tlswrap/msg.h"
#include "tlswrap/platform.h"
#include "tlswrap/session.h"
#include "tlswrap/status.h"

TLSW_BEGIN_DECLS

/** @brief Major version of the headers (the library's: tlsw_version_string()).
 */
#define TLSW_VERSION_MAJOR 0
/** @brief Minor version of the headers. */
#define TLSW_VERSION_MINOR 2
/** @brief Patch version of the headers. */
#define TLSW_VERSION_PATCH 0
/** @brief The headers' version as a string. */
#define TLSW_VERSION_STRING "0.2.0"

/**
 * @brief The library's version and its backend's.
 *
 * @return A static string, e.g. "tlswrap 0.1.0 (wolfSSL 5.5.4)"; never
 *         freed by the caller.
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_version_string(void);

/**
 * @brief Name of the backend in use, e.g. "wolfssl".
 *
 * @return A static string.
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_backend_name(void);

/** @name Backend feature bits (tlsw_backend_features())
 * @{ */
/** @brief TLS 1.3. */
#define TLSW_FEATURE_TLS13 0x01u
/** @brief DTLS 1.2 (the TLSW_PROTOCOL_DTLS_* contexts). */
#define TLSW_FEATURE_DTLS 0x02u
/** @brief Pre-shared keys (tlsw_ctx_set_psk()). */
#define TLSW_FEATURE_PSK 0x04u
/** @brief CA directories (tlsw_ctx_load_verify_dir()). */
#define TLSW_FEATURE_CA_DIR 0x08u
/** @brief Certificate dates can be checked against
 * tlsw_ctx_set_time(_callback). */
#define TLSW_FEATURE_TIME_SOURCE 0x10u
/** @brief Files: the *_file loaders, CA directories and the system store
 * (absent on TLSW_PLATFORM=none builds, where they return
 * TLSW_ERR_UNSUPPORTED). */
#define TLSW_FEATURE_FILES 0x20u
/** @brief ALPN (tlsw_ctx_set_alpn()). */
#define TLSW_FEATURE_ALPN 0x40u
/** @brief Key logging (tlsw_ctx_set_keylog_callback()). */
#define TLSW_FEATURE_KEYLOG 0x80u
/** @brief The keying-material exporter
 * (tlsw_session_export_keying_material()). */
#define TLSW_FEATURE_EXPORTER 0x100u
/** @brief Session resumption: tlsw_session_save(), tlsw_wrap_opts.session
 * and server tickets. */
#define TLSW_FEATURE_RESUMPTION 0x200u
/** @brief Encrypted private keys (PKCS#8 PBES2, traditional PEM) can be
 *  loaded with a password (tlsw_ctx_load_cert_chain()); without it they
 *  are refused with TLSW_ERR_UNSUPPORTED. */
#define TLSW_FEATURE_ENCRYPTED_KEYS 0x400u
/** @brief Server SNI: tlsw_ctx_add_server_name(),
 * tlsw_ctx_set_sni_callback() (0x400 and 0x800 are reserved). */
#define TLSW_FEATURE_SERVER_SNI 0x1000u
/** @brief Certificate revocation lists (tlsw_ctx_load_crl_mem()). */
#define TLSW_FEATURE_CRL 0x2000u
/** @brief OCSP stapling on the client (tlsw_ctx_set_ocsp_stapling()). */
#define TLSW_FEATURE_OCSP 0x4000u
/** @brief DTLS 1.3 (RFC 9147): DTLS contexts negotiate DTLS 1.2 or 1.3
 * (tlsw_ctx_set_version_range(); docs/dtls.md). Without it DTLS contexts
 * speak DTLS 1.2 and a DTLS 1.3 minimum is TLSW_ERR_UNSUPPORTED. */
#define TLSW_FEATURE_DTLS13 0x8000u
/** @brief DTLS connection IDs (tlsw_ctx_set_dtls_cid(); with DTLS 1.3):
 * a peer whose address changes keeps its session. */
#define TLSW_FEATURE_DTLS_CID 0x10000u
/** @} */

/**
 * @brief What the backend in use can do.
 *
 * @return The TLSW_FEATURE_* bits of the backend (#TLSW_FEATURE_TLS13
 *         ...).
 *
 * Errors: none.
 */
TLSW_API unsigned tlsw_backend_features(void);

/**
 * @brief One-time library initialisation.
 *
 * Called implicitly by tlsw_ctx_new() (and tlsw_available_ciphers());
 * thread-safe; calling it again is harmless. After it, tlsw_set_allocator()
 * refuses to change the allocator.
 *
 * @retval TLSW_OK The library is ready (also on every later call).
 * @retval TLSW_ERR_NOMEM An allocation failed while the backend
 *         initialised: nothing is lost, and the next call (this one, or
 *         one that calls it) tries again.
 * @retval TLSW_ERR_INTERNAL The backend failed to initialise, or (on
 *         TLSW_PLATFORM=none) no entropy hook is installed; every later
 *         call returns it again, and tlsw_init_message() says why.
 *
 * Errors: TLSW_ERR_NOMEM (tried again on the next call),
 * TLSW_ERR_INTERNAL (final; the reason: tlsw_init_message()).
 */
TLSW_API int tlsw_init(void);

/**
 * @brief Release memory the backend keeps per thread.
 *
 * On Debian's wolfSSL build this is the ECC fixed-point cache: up to
 * ~12 MB per thread that did ECC, which is leaked if the thread exits
 * without this call. Call it in every
 * thread that used tlswrap, before the thread exits. The main thread may
 * skip it. Harmless when there is nothing to release.
 *
 * Default (documented in README): tlswrap keeps the cache, because it makes
 * later handshakes in that thread faster; a thread that wants a small
 * footprint can call this after each handshake.
 *
 * Errors: none.
 */
TLSW_API void tlsw_thread_cleanup(void);

/**
 * @brief Route every heap allocation of tlswrap and of its backend through
 * these three functions.
 *
 * They have the same contracts as malloc, realloc and free; e.g. to count
 * live bytes or to use a private heap. (The in-memory buffers of
 * tlswrap/transport.h, tlsw_membuf_new(), still use the C library's
 * malloc and free.) Call it before tlsw_init() and
 * before any other tlswrap call that may allocate; the functions must stay
 * valid for the life of the process. Process-wide: it also sets the
 * backend's allocator (wolfSSL_SetAllocators), which affects other users of
 * wolfSSL in the same process.
 *
 * @param malloc_fn Replaces malloc(); must not be NULL.
 * @param realloc_fn Replaces realloc(); must not be NULL.
 * @param free_fn Replaces free(); must not be NULL.
 * @retval TLSW_OK The functions are in use from now on.
 * @retval TLSW_ERR_ARG A NULL function; nothing changed.
 * @retval TLSW_ERR_STATE tlswrap is already initialised; nothing changed.
 * @retval TLSW_ERR_INTERNAL The backend refused; nothing changed.
 *
 * Errors: TLSW_ERR_ARG (a NULL function), TLSW_ERR_STATE (tlswrap is
 * already initialised: memory handed out by the old allocator must not
 * reach the new free), TLSW_ERR_INTERNAL (the backend refused).
 */
TLSW_API int tlsw_set_allocator(void *(*malloc_fn)(size_t),
                                void *(*realloc_fn)(void *, size_t),
                                void (*free_fn)(void *));

/** @} */

TLSW_END_DECLS

#endif
