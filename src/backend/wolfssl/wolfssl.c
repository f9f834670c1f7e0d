/*
 * The wolfSSL backend's vtable and its library-level operations (init,
 * version, per-thread cleanup, random bytes, allocator). The operations on
 * contexts and sessions live in the other files of this directory; see
 * internal.h for the map.
 */
#include "backend/wolfssl/internal.h"
/* internal.h comes first: it includes wolfssl/options.h. */
#include <wolfssl/version.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/memory.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/sha256.h>

#include <limits.h>

#include "support/alloc.h"

static void use_core_allocator(void) {
  /* Unless someone chose wolfSSL's allocator (tlsw_set_allocator() or
   * another user of wolfSSL in this program), give it the core's, which
   * call malloc and count failures: that is how a failed allocation inside
   * wolfSSL is reported as TLSW_ERR_NOMEM (support/alloc.h). */
  wolfSSL_Malloc_cb m = NULL;
  wolfSSL_Free_cb f = NULL;
  wolfSSL_Realloc_cb r = NULL;
  if (wolfSSL_GetAllocators(&m, &f, &r) == 0 && m == NULL && f == NULL &&
      r == NULL) {
    wolfSSL_SetAllocators(tlswi_alloc_for_library.malloc_fn,
                          tlswi_alloc_for_library.free_fn,
                          tlswi_alloc_for_library.realloc_fn);
  }
}

static int wb_global_init(const char **why) {
  use_core_allocator();
  /* Each failure with its own sentence (tlsw_init_message()): on a board
   * a failed DRBG self-test or a bad entropy hook is the likely one. */
  if (wolfSSL_Init() != WOLFSSL_SUCCESS) {
    *why =
        "tlsw_init: wolfSSL_Init failed (wolfCrypt's start-up: a "
        "self-test, or the platform's entropy seed)";
    return TLSW_ERR_INTERNAL;
  }
  WC_RNG rng;
  int rr = wc_InitRng(&rng);
  if (rr == 0) wc_FreeRng(&rng);
  if (rr == MEMORY_E) return TLSW_ERR_NOMEM;
  if (rr != 0) {
    *why =
        "tlsw_init: wolfSSL's random number generator failed its "
        "self-test or could not be seeded (wc_InitRng; on "
        "TLSW_PLATFORM=none: check tlsw_platform_ops.entropy)";
    return TLSW_ERR_INTERNAL;
  }
  int st = tlswi_wb_suites_init();
  if (st != TLSW_OK && st != TLSW_ERR_NOMEM) {
    *why =
        "tlsw_init: cannot read wolfSSL's cipher suite list "
        "(wolfSSL_get_cipher_list)";
  }
  return st;
}

/* Which wolfSSL build: "source/<profile>" or "system" (CMake sets it). */
#ifndef TLSW_WOLFSSL_BUILD
#define TLSW_WOLFSSL_BUILD "unknown"
#endif

static const char *wb_version(void) {
  return "tlswrap " TLSW_VERSION_STRING " (wolfSSL " LIBWOLFSSL_VERSION_STRING
         ", " TLSW_WOLFSSL_BUILD ")";
}

static void wb_thread_cleanup(void) {
#ifdef FP_ECC
  /* Frees the calling thread's FP_ECC cache (doc §6, §8). Builds without
   * the cache (the source profiles) have nothing per thread to free. */
  wc_ecc_fp_free();
#endif
}

/* Random bytes from a DRBG of wolfCrypt's own, made for the call: the
 * callers (cookie secrets, ticket keys) are rare, and one DRBG a call needs
 * no lock and no global state; wolfSSL_RAND_bytes() would need the
 * OpenSSL-compatibility layer. */
int tlswi_wb_random(uint8_t *buf, size_t len) {
  if (len > UINT_MAX) return TLSW_ERR_ARG;
  WC_RNG rng;
  int r = wc_InitRng(&rng);
  if (r == MEMORY_E) return TLSW_ERR_NOMEM;
  if (r != 0) return TLSW_ERR_INTERNAL;
  r = wc_RNG_GenerateBlock(&rng, buf, (word32)len);
  wc_FreeRng(&rng);
  return r == 0 ? TLSW_OK : TLSW_ERR_INTERNAL;
}

static int wb_sha256(const uint8_t *data, size_t len, uint8_t out[32]) {
  if (len > 0xffffffffu) return TLSW_ERR_ARG;
  return wc_Sha256Hash(data, (word32)len, out) == 0 ? TLSW_OK
                                                    : TLSW_ERR_INTERNAL;
}

static int wb_set_allocator(void *(*malloc_fn)(size_t),
                            void *(*realloc_fn)(void *, size_t),
                            void (*free_fn)(void *)) {
  return wolfSSL_SetAllocators(malloc_fn, free_fn, realloc_fn) == 0
             ? TLSW_OK
             : TLSW_ERR_INTERNAL;
}

/* What the build has: no filesystem, no CA directory or system store (the
 * core then refuses them with TLSW_ERR_UNSUPPORTED and a message). */
#ifndef NO_FILESYSTEM
#define WB_LOAD_CA_DIR tlswi_wb_ctx_load_ca_dir
#define WB_FEATURE_CA_DIR TLSW_FEATURE_CA_DIR
#else
#define WB_LOAD_CA_DIR NULL
#define WB_FEATURE_CA_DIR 0u
#endif
#ifdef WOLFSSL_SYS_CA_CERTS
#define WB_LOAD_CA_SYSTEM tlswi_wb_ctx_load_ca_system
#else
#define WB_LOAD_CA_SYSTEM NULL
#endif
#ifdef HAVE_ALPN
#define WB_FEATURE_ALPN TLSW_FEATURE_ALPN
#define WB_ALPN_SELECTED tlswi_wb_alpn_selected
#else
#define WB_FEATURE_ALPN 0u
#define WB_ALPN_SELECTED NULL
#endif
#ifdef HAVE_SECRET_CALLBACK
#define WB_FEATURE_KEYLOG TLSW_FEATURE_KEYLOG
#else
#define WB_FEATURE_KEYLOG 0u
#endif
#ifdef HAVE_KEYING_MATERIAL
#define WB_FEATURE_EXPORTER TLSW_FEATURE_EXPORTER
#define WB_EXPORT tlswi_wb_export_keying_material
#else
#define WB_FEATURE_EXPORTER 0u
#define WB_EXPORT NULL
#endif
#if TLSW_WB_RESUMPTION
#define WB_FEATURE_RESUMPTION TLSW_FEATURE_RESUMPTION
#define WB_SESS_SAVE tlswi_wb_sess_save
#else
#define WB_FEATURE_RESUMPTION 0u
#define WB_SESS_SAVE NULL
#endif
/* Every build: HAVE_SNI is required (internal.h), and sni.c switches
 * chains with or without the compatibility layer. */
#define WB_FEATURE_SERVER_SNI TLSW_FEATURE_SERVER_SNI
#ifdef WOLFSSL_ENCRYPTED_KEYS
#define WB_FEATURE_ENCKEYS TLSW_FEATURE_ENCRYPTED_KEYS
#else
#define WB_FEATURE_ENCKEYS 0u
#endif
#if TLSW_WB_TICKET_KEYS
#define WB_TICKET_KEYS tlswi_wb_ctx_set_ticket_keys
#else
#define WB_TICKET_KEYS NULL
#endif
#ifdef HAVE_CRL
#define WB_FEATURE_CRL TLSW_FEATURE_CRL
#define WB_LOAD_CRL tlswi_wb_ctx_load_crl
#define WB_CRL_MODE tlswi_wb_ctx_crl_mode
#else
#define WB_CRL_MODE NULL
#define WB_FEATURE_CRL 0u
#define WB_LOAD_CRL NULL
#endif
#if TLSW_WB_OCSP
#define WB_FEATURE_OCSP TLSW_FEATURE_OCSP
#define WB_SET_OCSP tlswi_wb_ctx_set_ocsp
#else
#define WB_FEATURE_OCSP 0u
#define WB_SET_OCSP NULL
#endif
#ifndef NO_PSK
#define WB_FEATURE_PSK TLSW_FEATURE_PSK
#else
#define WB_FEATURE_PSK 0u
#endif

#if TLSW_WB_DTLS13
#define WB_FEATURE_DTLS13 TLSW_FEATURE_DTLS13
#else
#define WB_FEATURE_DTLS13 0u
#endif
#if TLSW_WB_DTLS_CID
#define WB_FEATURE_DTLS_CID TLSW_FEATURE_DTLS_CID
#define WB_CTX_SET_DTLS_CID tlswi_wb_ctx_set_dtls_cid
#define WB_DTLS_CID tlswi_wb_dtls_cid
#else
#define WB_FEATURE_DTLS_CID 0u
#define WB_CTX_SET_DTLS_CID NULL
#define WB_DTLS_CID NULL
#endif
#if TLSW_WB_DTLS
#define WB_FEATURE_DTLS TLSW_FEATURE_DTLS
#define WB_DTLS_MAX_PAYLOAD tlswi_wb_dtls_max_payload
#define WB_DTLS_TIMEOUT_MS tlswi_wb_dtls_timeout_ms
#define WB_DTLS_HANDLE_TIMEOUT tlswi_wb_dtls_handle_timeout
#define WB_DTLS_FRESH tlswi_wb_dtls_fresh
#else
#define WB_FEATURE_DTLS 0u
#define WB_DTLS_MAX_PAYLOAD NULL
#define WB_DTLS_TIMEOUT_MS NULL
#define WB_DTLS_HANDLE_TIMEOUT NULL
#define WB_DTLS_FRESH NULL
#endif

/* Designated initializers: the vtable grows in the middle as well as at
 * the end, and a positional list would shift silently. */
const tlsw_backend tlswi_backend_wolfssl = {
    .name = "wolfssl",
    .features = TLSW_FEATURE_TLS13 | WB_FEATURE_DTLS | WB_FEATURE_CA_DIR |
                TLSW_FEATURE_TIME_SOURCE | WB_FEATURE_PSK | WB_FEATURE_ALPN |
                WB_FEATURE_KEYLOG | WB_FEATURE_EXPORTER |
                WB_FEATURE_RESUMPTION | WB_FEATURE_SERVER_SNI |
                WB_FEATURE_ENCKEYS | WB_FEATURE_CRL | WB_FEATURE_OCSP |
                WB_FEATURE_DTLS13 | WB_FEATURE_DTLS_CID,
    .ctx_size = sizeof(wctx),
    .sess_size = sizeof(wsess),
    .global_init = wb_global_init,
    .version = wb_version,
    .thread_cleanup = wb_thread_cleanup,
    .available_ciphers = tlswi_wb_available_ciphers,
    .random = tlswi_wb_random,
    .sha256 = wb_sha256,
    .ctx_init = tlswi_wb_ctx_init,
    .ctx_free = tlswi_wb_ctx_free,
    .ctx_set_verify = tlswi_wb_ctx_set_verify,
    .ctx_load_cert_chain = tlswi_wb_ctx_load_cert_chain,
    .ctx_load_ca_mem = tlswi_wb_ctx_load_ca_mem,
    .ctx_load_ca_dir = WB_LOAD_CA_DIR,
    .ctx_load_ca_system = WB_LOAD_CA_SYSTEM,
    .ctx_set_ciphers = tlswi_wb_ctx_set_ciphers,
    .ctx_get_ciphers = tlswi_wb_ctx_get_ciphers,
    .ctx_set_versions = tlswi_wb_ctx_set_versions,
    .sess_init = tlswi_wb_sess_init,
    .sess_free = tlswi_wb_sess_free,
    .handshake = tlswi_wb_handshake,
    .read = tlswi_wb_read,
    .write = tlswi_wb_write,
    .shutdown = tlswi_wb_shutdown,
    .pending = tlswi_wb_pending,
    .version_name = tlswi_wb_version_name,
    .cipher_name = tlswi_wb_cipher_name,
    .peer_cert = tlswi_wb_peer_cert,
    .peer_chain = tlswi_wb_peer_chain,
    .verify_result = tlswi_wb_verify_result,
    .dtls_max_payload = WB_DTLS_MAX_PAYLOAD,
    .dtls_timeout_ms = WB_DTLS_TIMEOUT_MS,
    .dtls_handle_timeout = WB_DTLS_HANDLE_TIMEOUT,
    .dtls_fresh = WB_DTLS_FRESH,
    .ctx_set_dtls_cid = WB_CTX_SET_DTLS_CID,
    .dtls_cid = WB_DTLS_CID,
    .alpn_selected = WB_ALPN_SELECTED,
    .sess_save = WB_SESS_SAVE,
    .resumed = tlswi_wb_resumed,
    .sess_host = tlswi_wb_sess_host,
    .key_update = tlswi_wb_key_update,
    .ctx_load_crl = WB_LOAD_CRL,
    .ctx_crl_mode = WB_CRL_MODE,
    .ctx_set_ocsp = WB_SET_OCSP,
    .ctx_set_ticket_keys = WB_TICKET_KEYS,
    .export_keying_material = WB_EXPORT,
    .ctx_set_groups = tlswi_wb_ctx_set_groups,
    .sess_group = tlswi_wb_sess_group,
    .sess_server_name = tlswi_wb_sess_server_name,
    .set_allocator = wb_set_allocator,
};
