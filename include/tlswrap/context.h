/**
 * @file
 * @brief tlsw_ctx: the configuration shared by sessions (like
 * ssl.SSLContext).
 *
 * @defgroup context Contexts
 * @brief The configuration shared by sessions: role, verification,
 * certificates, suites, versions, pre-shared keys.
 *
 * Lifetime: a context is reference-counted. tlsw_ctx_new() returns it with
 * one reference, owned by the caller; every session made from it holds one
 * more. tlsw_ctx_free() drops the caller's reference, so the caller may free
 * the context while sessions still use it: the memory goes when the last
 * session is freed. (This suits garbage-collected adapters, where the
 * order of finalisers is not known.)
 *
 * Threads: configuration calls (load_*, set_*) must not run concurrently
 * with each other or with tlsw_wrap() on the same context. Once configured,
 * a context may be used by tlsw_wrap() from several threads at once.
 * Settings apply to sessions wrapped afterwards, never to existing ones.
 *
 * Messages: a failing call on a context stores a sentence for a person in
 * the context (tlsw_ctx_message()). It is overwritten by the next failing
 * configuration call (every configuration call clears it first, so it only
 * ever describes the latest one).
 *
 * Every configuration call returns #TLSW_ERR_ARG for a NULL context, and
 * after a failure the context keeps what it had unless the call says
 * otherwise.
 * @{
 */
#ifndef TLSWRAP_CONTEXT_H
#define TLSWRAP_CONTEXT_H

#include "tlswrap/export.h"

#include <stddef.h>
#include <stdint.h>

TLSW_BEGIN_DECLS

/**
 * @brief A context (opaque, reference-counted): see the group's
 * description for its lifetime and threading rules.
 */
typedef struct tlsw_ctx tlsw_ctx;

/**
 * @brief The role of a context and its sessions.
 *
 * Values equal MicroPython's: bit 0 = server, bit 1 = DTLS.
 */
typedef enum tlsw_protocol {
  TLSW_PROTOCOL_TLS_CLIENT = 0,  /**< TLS client */
  TLSW_PROTOCOL_TLS_SERVER = 1,  /**< TLS server */
  TLSW_PROTOCOL_DTLS_CLIENT = 2, /**< DTLS 1.2 client */
  TLSW_PROTOCOL_DTLS_SERVER = 3  /**< DTLS 1.2 server (cookies: dtls.h) */
} tlsw_protocol;

/**
 * @brief Verification modes (values equal MicroPython's CERT_*).
 *
 * Client side:
 * - NONE: the server certificate is not checked at all.
 * - OPTIONAL: the chain and hostname are checked, a failure does NOT stop
 *   the handshake; the result is kept and must be read with
 *   tlsw_session_verify_result() or tlsw_session_verify_info() (never a
 *   silent NONE).
 * - REQUIRED (default): any failure aborts the handshake; needs
 *   server_hostname.
 *
 * Server side:
 * - NONE (default): no client certificate is requested.
 * - OPTIONAL: a certificate is requested; none is fine, but one that is
 *   sent must verify (CPython's semantics).
 * - REQUIRED: a verifying client certificate is required.
 */
typedef enum tlsw_verify_mode {
  TLSW_CERT_NONE = 0,     /**< client: no check; server: no request */
  TLSW_CERT_OPTIONAL = 1, /**< checked, failure kept, not fatal */
  TLSW_CERT_REQUIRED = 2  /**< any failure aborts the handshake */
} tlsw_verify_mode;

/** @brief Protocol versions, as on the wire (tlsw_ctx_set_version_range()). */
typedef enum tlsw_tls_version {
  TLSW_VERSION_DEFAULT = 0,     /**< min: (D)TLS 1.2; max: TLS's newest,
                                     DTLS 1.2 */
  TLSW_VERSION_TLS1_2 = 0x0303, /**< TLS 1.2 */
  TLSW_VERSION_TLS1_3 = 0x0304  /**< TLS 1.3 */
} tlsw_tls_version;

/**
 * @brief Create a context.
 *
 * Defaults: TLS 1.2 minimum, AEAD ECDHE suites only (TLS 1.3 first),
 * verify mode REQUIRED for clients and NONE for servers, no certificates
 * loaded (call tlsw_ctx_load_default_certs() or load_verify_* to trust
 * CAs). Initialises the library (tlsw_init()) on first use.
 *
 * @param[out] out Set to the new context; on TLSW_OK, *out owns one
 *        reference (free it with tlsw_ctx_free()). Set to NULL on failure.
 * @param protocol Client or server, TLS or DTLS.
 * @retval TLSW_OK *out is the new context.
 * @retval TLSW_ERR_ARG out NULL or bad protocol.
 * @retval TLSW_ERR_NOMEM Out of memory.
 * @retval TLSW_ERR_UNSUPPORTED DTLS without backend support.
 * @retval TLSW_ERR_INTERNAL The backend failed to initialise or to make its
 *         context.
 *
 * Errors: TLSW_ERR_ARG (out NULL or bad protocol), TLSW_ERR_NOMEM,
 * TLSW_ERR_UNSUPPORTED (DTLS without backend support), TLSW_ERR_INTERNAL.
 */
TLSW_API int tlsw_ctx_new(tlsw_ctx **out, tlsw_protocol protocol);

/**
 * @brief Create a context, and say why when it cannot be made.
 *
 * tlsw_ctx_new() with a reason: a context that could not be made has no
 * tlsw_ctx_message() to read, so the sentence is copied to the caller's
 * buffer instead (e.g. "tlsw_ctx_new: cannot set key exchange groups", or
 * a failed tlsw_init()'s tlsw_init_message()). Thread-safe: nothing is
 * kept in the library.
 *
 * @param[out] out As for tlsw_ctx_new().
 * @param protocol As for tlsw_ctx_new().
 * @param[out] why Receives the reason, NUL-terminated and cut to fit,
 *        on failure; "" on success. May be NULL (then why_len is ignored).
 * @param why_len Size of why in bytes (256 holds any reason).
 * @return As tlsw_ctx_new().
 *
 * Errors: as tlsw_ctx_new(); each with its reason in why.
 */
TLSW_API int tlsw_ctx_new_ex(tlsw_ctx **out, tlsw_protocol protocol, char *why,
                             size_t why_len);

/**
 * @brief Drop the caller's reference.
 *
 * Sessions (and DTLS server helpers) keep the context alive until they are
 * freed. Do not use ctx after this call.
 *
 * @param ctx The context, or NULL (ignored).
 *
 * Errors: none.
 */
TLSW_API void tlsw_ctx_free(tlsw_ctx *ctx);

/**
 * @brief The protocol given to tlsw_ctx_new().
 *
 * @param ctx The context, or NULL.
 * @return A tlsw_protocol value, or -1 for NULL.
 *
 * Errors: none (-1 for NULL).
 */
TLSW_API int tlsw_ctx_protocol(const tlsw_ctx *ctx);

/**
 * @brief Message of the last failing call on this context.
 *
 * @param ctx The context, or NULL.
 * @return A sentence for a person; "" when none (or for NULL). Owned by
 *         the context; valid until the next configuration call or
 *         tlsw_ctx_free.
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_ctx_message(const tlsw_ctx *ctx);

/**
 * @brief Set the verification mode (see tlsw_verify_mode).
 *
 * @param ctx The context.
 * @param mode #TLSW_CERT_NONE, #TLSW_CERT_OPTIONAL or #TLSW_CERT_REQUIRED.
 * @retval TLSW_OK Set, for sessions wrapped afterwards.
 * @retval TLSW_ERR_ARG ctx NULL, or mode not one of the three.
 *
 * Errors: TLSW_ERR_ARG.
 */
TLSW_API int tlsw_ctx_set_verify_mode(tlsw_ctx *ctx, tlsw_verify_mode mode);
/**
 * @brief The current verification mode.
 *
 * @param ctx The context, or NULL.
 * @return The mode; #TLSW_CERT_NONE for NULL.
 *
 * Errors: none (TLSW_CERT_NONE for NULL).
 */
TLSW_API tlsw_verify_mode tlsw_ctx_get_verify_mode(const tlsw_ctx *ctx);

/**
 * @brief Verify callback: called once per certificate the peer sent.
 *
 * Deepest (root-most) first (the trusted root itself is not sent, so not
 * shown), after tlswrap checked that certificate. Not called under
 * CERT_NONE. Returning 0 cannot accept what verification refused under
 * CERT_REQUIRED. Servers get it for client certificates. Runs on the
 * thread of the session's handshake. See docs/verification.md.
 *
 * @param user The pointer given to tlsw_ctx_set_verify_callback().
 * @param der The certificate, DER; valid only during the call.
 * @param der_len Its length in bytes.
 * @param depth 0 is the peer's own certificate.
 * @param preverify_ok 1 if it passed every check: chain, dates, key size
 *        and, at depth 0, the host name; else 0.
 * @return 0 to go on; non-zero rejects the handshake with
 *         #TLSW_ERR_CERT_REJECTED (even under CERT_OPTIONAL; message
 *         "certificate verify failed: rejected by the verify callback
 *         (depth N, CN=...)") and no later certificate is shown.
 */
typedef int (*tlsw_verify_fn)(void *user, const uint8_t *der, size_t der_len,
                              int depth, int preverify_ok);
/**
 * @brief Set (or, with NULL, remove) the verify callback (tlsw_verify_fn).
 *
 * @param ctx The context.
 * @param cb The callback; NULL removes it.
 * @param user Passed to cb; borrowed, must stay valid while sessions may
 *        call cb. Ignored when cb is NULL.
 * @retval TLSW_OK Set, for sessions wrapped afterwards.
 * @retval TLSW_ERR_ARG ctx NULL.
 *
 * Errors: TLSW_ERR_ARG.
 */
TLSW_API int tlsw_ctx_set_verify_callback(tlsw_ctx *ctx, tlsw_verify_fn cb,
                                          void *user);

/**
 * @brief Time source for certificate validity dates, for devices whose
 * clock is unset or untrusted.
 *
 * If it does not know the time, verification fails with
 * #TLSW_ERR_CERT_VERIFY (reason #TLSW_REASON_NO_TIME), so dates are never
 * skipped silently (and CERT_NONE never asks). It runs on the handshake's
 * thread, once per certificate of the peer's chain. The dates of the
 * trusted root itself are not checked (RFC 5280 treats trust anchors as
 * inputs); the backend may still refuse to load a CA that is expired by the
 * system clock.
 *
 * @param user The pointer given to tlsw_ctx_set_time_callback().
 * @return The current time in seconds since 1970-01-01 00:00 UTC, or a
 *         negative value when it does not know it.
 */
typedef int64_t (*tlsw_time_fn)(void *user);
/**
 * @brief Set the time source (tlsw_time_fn) for certificate dates.
 *
 * Applies to sessions wrapped afterwards. A callback takes precedence over
 * a fixed time set with tlsw_ctx_set_time().
 *
 * @param ctx The context.
 * @param cb The time source; NULL restores the system clock (which needs
 *        no backend support).
 * @param user Passed to cb; borrowed, must stay valid while sessions may
 *        call cb. Ignored when cb is NULL.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL.
 * @retval TLSW_ERR_UNSUPPORTED The backend cannot check dates against a
 *         supplied time (no #TLSW_FEATURE_TIME_SOURCE).
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED (the backend cannot check
 * dates against a supplied time; see tlsw_backend_features()).
 */
TLSW_API int tlsw_ctx_set_time_callback(tlsw_ctx *ctx, tlsw_time_fn cb,
                                        void *user);
/**
 * @brief A fixed current time for certificate dates instead, e.g. from a
 * build date or the last NTP answer.
 *
 * A callback, when set (tlsw_ctx_set_time_callback()), takes precedence.
 * Applies to sessions wrapped afterwards.
 *
 * @param ctx The context.
 * @param unix_time Seconds since the epoch, UTC; >= 0. -1 restores the
 *        system clock (which needs no backend support).
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL, or unix_time negative other than -1.
 * @retval TLSW_ERR_UNSUPPORTED As for tlsw_ctx_set_time_callback().
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED (as above).
 */
TLSW_API int tlsw_ctx_set_time(tlsw_ctx *ctx, int64_t unix_time);

/**
 * @brief Password callback for encrypted keys.
 *
 * Asked by tlsw_ctx_load_cert_chain() and tlsw_ctx_load_cert_chain_file()
 * when the key is encrypted and no password was passed.
 *
 * @param user The pointer given to tlsw_ctx_set_password_callback().
 * @param[out] buf Where to write the password (no NUL needed).
 * @param size buf's size in bytes.
 * @return The password's length, or -1 for none.
 */
typedef int (*tlsw_password_fn)(void *user, char *buf, size_t size);

/**
 * @brief Load the context's own certificate chain and private key.
 *
 * Formats are detected: data starting with "-----BEGIN" (after optional
 * white space) is PEM, anything else DER. The certificate data may hold a
 * chain: leaf first, then intermediates (PEM; for DER, concatenated
 * certificates). Keys: RSA or EC, PKCS#1/SEC1 or PKCS#8, optionally
 * encrypted. The key is checked against the certificate (and its size
 * against tlsw_ctx_set_min_rsa_bits()). Data is copied; the caller keeps
 * ownership of its buffers.
 *
 * @param ctx The context.
 * @param cert The certificate (chain), PEM or DER; not NULL.
 * @param cert_len Its length in bytes, > 0.
 * @param key The private key, PEM or DER; not NULL.
 * @param key_len Its length in bytes, > 0.
 * @param password NUL-terminated, used for an encrypted key; when NULL,
 *        the callback set by tlsw_ctx_set_password_callback() is asked, if
 *        any.
 * @retval TLSW_OK Loaded; it replaces any chain loaded before.
 * @retval TLSW_ERR_ARG ctx NULL, or no certificate or no key data.
 * @retval TLSW_ERR_CERT_INVALID The certificate data does not parse.
 * @retval TLSW_ERR_KEY_INVALID The key data does not parse.
 * @retval TLSW_ERR_KEY_PASSWORD Encrypted key: password missing or wrong.
 * @retval TLSW_ERR_KEY_MISMATCH The key does not belong to the certificate.
 * @retval TLSW_ERR_CERT_WEAK_KEY The key is too small.
 * @retval TLSW_ERR_UNSUPPORTED An encrypted key, on a build that cannot
 *         decrypt keys (no #TLSW_FEATURE_ENCRYPTED_KEYS).
 * @retval TLSW_ERR_NOMEM Out of memory.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_FILE (file cannot be read; the _file
 * variant), TLSW_ERR_CERT_INVALID, TLSW_ERR_KEY_INVALID,
 * TLSW_ERR_KEY_PASSWORD, TLSW_ERR_KEY_MISMATCH, TLSW_ERR_CERT_WEAK_KEY,
 * TLSW_ERR_UNSUPPORTED (no #TLSW_FEATURE_ENCRYPTED_KEYS), TLSW_ERR_NOMEM. On
 * failure the previously loaded chain (if any) stays in use.
 */
TLSW_API int tlsw_ctx_load_cert_chain(tlsw_ctx *ctx, const uint8_t *cert,
                                      size_t cert_len, const uint8_t *key,
                                      size_t key_len, const char *password);
/**
 * @brief The same as tlsw_ctx_load_cert_chain(), from files.
 *
 * @param ctx The context.
 * @param certfile Path of the certificate (chain); not NULL.
 * @param keyfile Path of the key; NULL: the key is in certfile (PEM).
 * @param password As for tlsw_ctx_load_cert_chain().
 * @retval TLSW_OK Loaded; it replaces any chain loaded before.
 * @retval TLSW_ERR_ARG ctx or certfile NULL.
 * @retval TLSW_ERR_FILE A file cannot be opened or read.
 * @retval TLSW_ERR_CERT_INVALID As for tlsw_ctx_load_cert_chain(), also
 *         for an empty certfile (#TLSW_ERR_KEY_INVALID for an empty
 *         keyfile); and every other status listed there.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_FILE, TLSW_ERR_CERT_INVALID,
 * TLSW_ERR_KEY_INVALID, TLSW_ERR_KEY_PASSWORD, TLSW_ERR_KEY_MISMATCH,
 * TLSW_ERR_CERT_WEAK_KEY, TLSW_ERR_NOMEM. On failure the previously loaded
 * chain (if any) stays in use.
 */
TLSW_API int tlsw_ctx_load_cert_chain_file(tlsw_ctx *ctx, const char *certfile,
                                           const char *keyfile,
                                           const char *password);
/**
 * @brief Set (or, with NULL, remove) the password callback
 * (tlsw_password_fn) for encrypted keys loaded afterwards.
 *
 * @param ctx The context.
 * @param cb The callback; NULL removes it.
 * @param user Passed to cb; borrowed, must stay valid while keys are
 *        loaded. Ignored when cb is NULL.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL.
 *
 * Errors: TLSW_ERR_ARG.
 */
TLSW_API int tlsw_ctx_set_password_callback(tlsw_ctx *ctx, tlsw_password_fn cb,
                                            void *user);

/**
 * @brief Trust the CAs in memory: one PEM bundle with any number of
 * certificates, or one or more concatenated DER certificates.
 *
 * Each load_verify call (and tlsw_ctx_load_default_certs()) adds to what
 * is already trusted. Data is copied.
 *
 * @param ctx The context.
 * @param cadata The certificates; not NULL.
 * @param len Their length in bytes, > 0.
 * @retval TLSW_OK Every certificate was added.
 * @retval TLSW_ERR_ARG ctx NULL, or no data.
 * @retval TLSW_ERR_CERT_INVALID Nothing is added from data that does not
 *         parse whole.
 * @retval TLSW_ERR_NOMEM Out of memory.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_CERT_INVALID (nothing is added from data
 * that does not parse whole), TLSW_ERR_NOMEM.
 */
TLSW_API int tlsw_ctx_load_verify_mem(tlsw_ctx *ctx, const uint8_t *cadata,
                                      size_t len);
/**
 * @brief Trust the CAs in a file holding the same as
 * tlsw_ctx_load_verify_mem() takes.
 *
 * @param ctx The context.
 * @param cafile Its path; not NULL.
 * @retval TLSW_OK Every certificate was added.
 * @retval TLSW_ERR_ARG ctx or cafile NULL.
 * @retval TLSW_ERR_FILE The file cannot be opened or read.
 * @retval TLSW_ERR_CERT_INVALID An empty file, or data that does not parse
 *         whole (nothing is added).
 * @retval TLSW_ERR_NOMEM Out of memory.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_FILE, TLSW_ERR_CERT_INVALID (nothing is
 * added from data that does not parse whole), TLSW_ERR_NOMEM.
 */
TLSW_API int tlsw_ctx_load_verify_file(tlsw_ctx *ctx, const char *cafile);
/**
 * @brief Trust every PEM/DER certificate file in a directory (like
 * capath).
 *
 * @param ctx The context.
 * @param capath The directory; not NULL.
 * @retval TLSW_OK The certificates were added.
 * @retval TLSW_ERR_ARG ctx or capath NULL.
 * @retval TLSW_ERR_FILE Missing, unreadable, or no certificates.
 * @retval TLSW_ERR_UNSUPPORTED The backend has no CA directories (no
 *         #TLSW_FEATURE_CA_DIR).
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_FILE, TLSW_ERR_UNSUPPORTED.
 */
TLSW_API int tlsw_ctx_load_verify_dir(tlsw_ctx *ctx, const char *capath);
/**
 * @brief Trust the system store (/etc/ssl/certs on Debian).
 *
 * @param ctx The context.
 * @retval TLSW_OK The system CAs were added.
 * @retval TLSW_ERR_ARG ctx NULL.
 * @retval TLSW_ERR_FILE The store cannot be loaded (is ca-certificates
 *         installed?).
 * @retval TLSW_ERR_UNSUPPORTED The backend has no system store.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_FILE, TLSW_ERR_UNSUPPORTED.
 */
TLSW_API int tlsw_ctx_load_default_certs(tlsw_ctx *ctx);

/**
 * @brief Load certificate revocation lists; from then on the peer's
 *        certificate is checked against them.
 *
 * Once any CRL is loaded, the peer's leaf must be covered by a CRL of its
 * issuer: a revoked one fails verification with #TLSW_REASON_REVOKED, and
 * one whose issuer has no CRL loaded with #TLSW_REASON_NO_CRL (the strict
 * reading, as OpenSSL's X509_V_FLAG_CRL_CHECK and CPython's
 * VERIFY_CRL_CHECK_LEAF: a missing list is no proof of good standing).
 * Intermediate certificates are not checked. Each CRL's signature is
 * verified against the CAs loaded so far, so load the CAs first. A CRL
 * past its nextUpdate fails verification too (the backend's clock);
 * reload fresh CRLs into a new context, as they are published.
 *
 * @param ctx The context (client or server: a server checks its clients).
 * @param data One or more PEM CRLs (`-----BEGIN X509 CRL-----`), or one
 *        DER CRL; not kept.
 * @param len Its length in bytes.
 * @retval TLSW_OK Loaded.
 * @retval TLSW_ERR_ARG ctx or data NULL, or len 0.
 * @retval TLSW_ERR_CERT_INVALID Not a CRL, or one whose signature does not
 *         verify against the loaded CAs (the message says which).
 * @retval TLSW_ERR_UNSUPPORTED No #TLSW_FEATURE_CRL (wolfSSL without
 *         HAVE_CRL).
 * @retval TLSW_ERR_NOMEM Out of memory.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_CERT_INVALID, TLSW_ERR_UNSUPPORTED,
 * TLSW_ERR_NOMEM.
 */
TLSW_API int tlsw_ctx_load_crl_mem(tlsw_ctx *ctx, const uint8_t *data,
                                   size_t len);

/**
 * @brief tlsw_ctx_load_crl_mem() with the CRLs read from a file.
 *
 * @param ctx The context.
 * @param path A PEM or DER CRL file.
 * @retval TLSW_OK Loaded.
 * @retval TLSW_ERR_ARG ctx or path NULL.
 * @retval TLSW_ERR_FILE The file cannot be read (the message says why), or
 *         a platform without files.
 * @retval TLSW_ERR_CERT_INVALID An empty file, or as tlsw_ctx_load_crl_mem().
 * @retval TLSW_ERR_UNSUPPORTED No #TLSW_FEATURE_CRL.
 *
 * Errors: as tlsw_ctx_load_crl_mem(), and TLSW_ERR_FILE.
 */
TLSW_API int tlsw_ctx_load_crl_file(tlsw_ctx *ctx, const char *path);

/**
 * @brief Check CRLs for the whole chain, not only the leaf.
 *
 * With it, every certificate the chain holds below the trust anchor must
 * be covered by a CRL of its issuer and not be on it (OpenSSL's
 * X509_V_FLAG_CRL_CHECK_ALL, CPython's VERIFY_CRL_CHECK_CHAIN): an
 * intermediate revoked by the root fails with #TLSW_REASON_REVOKED at its
 * depth, one whose issuer has no CRL loaded with #TLSW_REASON_NO_CRL.
 * Nothing is checked until a CRL is loaded. Applies to handshakes from now
 * on.
 *
 * @param ctx The context.
 * @param chain 1: the whole chain; 0: the leaf only (the default).
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL.
 * @retval TLSW_ERR_UNSUPPORTED No #TLSW_FEATURE_CRL.
 * @retval TLSW_ERR_INTERNAL The backend refused; the setting stays.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED, TLSW_ERR_INTERNAL.
 */
TLSW_API int tlsw_ctx_set_crl_check_chain(tlsw_ctx *ctx, int chain);

/** @brief OCSP stapling modes of a client (tlsw_ctx_set_ocsp_stapling()). */
typedef enum tlsw_ocsp_mode {
  TLSW_OCSP_OFF = 0,     /**< no status_request sent (the default) */
  TLSW_OCSP_REQUEST = 1, /**< ask for a staple; verify one if sent, connect
                              without one */
  TLSW_OCSP_REQUIRE = 2  /**< ask for a staple; fail without a good one */
} tlsw_ocsp_mode;

/**
 * @brief Ask the server for a stapled OCSP response (RFC 6066
 *        status_request) and check the one it sends.
 *
 * A client sends status_request; a server that staples answers with the
 * OCSP response for its certificate (TLS 1.2: a CertificateStatus message;
 * TLS 1.3: in the leaf's Certificate entry). The response must be signed
 * by the leaf's issuer (a CA loaded with tlsw_ctx_load_ca_mem() and
 * friends) or by a responder that issuer delegated (extendedKeyUsage
 * OCSPSigning), be for the leaf, and say "good"; otherwise the handshake
 * fails: "revoked" with #TLSW_REASON_REVOKED, anything else that does not
 * verify with #TLSW_REASON_OCSP_INVALID, and under #TLSW_OCSP_REQUIRE no
 * staple at all with #TLSW_REASON_OCSP_MISSING (each a
 * #TLSW_ERR_CERT_VERIFY, the message saying which). These end the
 * handshake even under #TLSW_CERT_OPTIONAL. Only the leaf is covered
 * (status_request carries one response). The response's thisUpdate /
 * nextUpdate are checked against the system clock (the backend's), not a
 * time set with tlsw_ctx_set_time().
 *
 * tlswrap never asks an OCSP responder itself (no network access beyond
 * the session's transport): the staple is the only source. A resumed
 * session carries no staple and is not checked again
 * (tlsw_session_ocsp_status() says #TLSW_OCSP_NONE). The request is the
 * context's (wolfSSL keeps it there), so a change applies to every
 * handshake that has not started yet, of sessions already wrapped too;
 * set the mode before wrapping (a TLS 1.2 session wrapped while the mode
 * was off may report a revoked staple as #TLSW_REASON_OCSP_INVALID, not
 * #TLSW_REASON_REVOKED).
 *
 * @param ctx A TLS client context.
 * @param mode #TLSW_OCSP_OFF, #TLSW_OCSP_REQUEST or #TLSW_OCSP_REQUIRE.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL, a server context, or an unknown mode (the
 *         message says which).
 * @retval TLSW_ERR_UNSUPPORTED No #TLSW_FEATURE_OCSP (wolfSSL without
 *         HAVE_OCSP and HAVE_CERTIFICATE_STATUS_REQUEST), or a DTLS
 *         context (stapling is for TLS here).
 * @retval TLSW_ERR_INTERNAL The backend refused; the setting stays.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED, TLSW_ERR_INTERNAL.
 */
TLSW_API int tlsw_ctx_set_ocsp_stapling(tlsw_ctx *ctx, int mode);

/**
 * @brief Set the cipher suites, by IANA name, e.g.
 * "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256".
 *
 * Any suite the backend has may be named (naming a weaker one is the
 * caller's explicit choice). TLS 1.3 suites are moved in front of TLS 1.2
 * suites (keeping order within each). A list without TLS 1.3 suites limits
 * the context to TLS 1.2. Names are copied.
 *
 * @param ctx The context.
 * @param names The suite names, in preference order; not NULL.
 * @param n How many, > 0.
 * @retval TLSW_OK The list is in use for sessions wrapped afterwards.
 * @retval TLSW_ERR_ARG ctx NULL, or a NULL/empty list.
 * @retval TLSW_ERR_CIPHER An empty, unknown or unusable entry; the message
 *         names the first one, and the previous list stays.
 *
 * Errors: TLSW_ERR_ARG (NULL/empty list), TLSW_ERR_CIPHER (message names
 * the first unknown entry; the previous list stays).
 */
TLSW_API int tlsw_ctx_set_ciphers(tlsw_ctx *ctx, const char *const *names,
                                  size_t n);
/**
 * @brief The same as tlsw_ctx_set_ciphers(), from one string with ':' or
 * ',' between names (spaces are skipped too).
 *
 * @param ctx The context.
 * @param list The names, NUL-terminated; not NULL. Copied.
 * @retval TLSW_OK The list is in use for sessions wrapped afterwards.
 * @retval TLSW_ERR_ARG ctx or list NULL, or no name in it.
 * @retval TLSW_ERR_CIPHER An unknown or unusable name (the message names
 *         it; the previous list stays), or more than 128 names.
 * @retval TLSW_ERR_NOMEM Out of memory.
 *
 * Errors: TLSW_ERR_ARG (NULL/empty list), TLSW_ERR_CIPHER (message names
 * the first unknown entry; the previous list stays), TLSW_ERR_NOMEM.
 */
TLSW_API int tlsw_ctx_set_cipher_string(tlsw_ctx *ctx, const char *list);
/**
 * @brief The context's enabled suites in IANA form, in preference order.
 *
 * @param ctx The context.
 * @param[out] names Receives up to max static strings (never freed by the
 *        caller); may be NULL when max is 0.
 * @param max The capacity of names.
 * @param[out] out_n The total count, which may exceed max: call with max 0
 *        to size.
 * @retval TLSW_OK Done.
 * @retval TLSW_ERR_ARG ctx or out_n NULL, or names NULL with max > 0.
 *
 * Errors: TLSW_ERR_ARG.
 */
TLSW_API int tlsw_ctx_get_ciphers(const tlsw_ctx *ctx, const char **names,
                                  size_t max, size_t *out_n);
/**
 * @brief Every suite the backend offers, IANA names, static.
 *
 * Same contract as tlsw_ctx_get_ciphers(). Initialises the library
 * (tlsw_init()) on first use.
 *
 * @param[out] names Receives up to max static strings; may be NULL when max
 *        is 0.
 * @param max The capacity of names.
 * @param[out] out_n The total count, which may exceed max.
 * @retval TLSW_OK Done.
 * @retval TLSW_ERR_ARG out_n NULL, or names NULL with max > 0.
 * @retval TLSW_ERR_INTERNAL The library failed to initialise (tlsw_init()).
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_INTERNAL.
 */
TLSW_API int tlsw_available_ciphers(const char **names, size_t max,
                                    size_t *out_n);

/**
 * @brief Smallest RSA key accepted, in bits, both for the key loaded with
 * load_cert_chain and for certificates of the peer.
 *
 * Defaults: 2048 for every certificate of the peer's chain (checked while
 * verifying, so not under CERT_NONE; like OpenSSL's security level 2, see
 * docs/verification.md) and the backend's 1024 for the own key. Setting it
 * sets both. Lowering it weakens security; it exists for compatibility with
 * small-device test fixtures (MicroPython's tests use 512-bit keys).
 * Applies to chains loaded and sessions wrapped afterwards.
 *
 * @param ctx The context.
 * @param bits A multiple of 8, 512..16384.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL, bits out of range or not a multiple of 8.
 *
 * Errors: TLSW_ERR_ARG (out of range or not a multiple of 8).
 */
TLSW_API int tlsw_ctx_set_min_rsa_bits(tlsw_ctx *ctx, unsigned bits);

/**
 * @brief Host name check against the subject CN, for certificates without
 * subjectAltName (opt-in).
 *
 * Off (default): server_hostname is matched against the certificate's
 * subjectAltName entries only. On: a certificate that has NO
 * subjectAltName extension at all is matched against its subject Common
 * Name instead (DNS names only, never IP literals), as RFC 6125 §6.4.4
 * permits and mbedTLS (hence MicroPython) does. For peers with old or
 * hand-made certificates (MicroPython's test fixtures have CN only).
 * Applies to sessions wrapped afterwards.
 *
 * @param ctx The context.
 * @param on Non-zero: on; 0: off.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL.
 *
 * Errors: TLSW_ERR_ARG (ctx NULL).
 */
TLSW_API int tlsw_ctx_set_hostname_cn_fallback(tlsw_ctx *ctx, int on);

/**
 * @brief Accept MD5 and SHA-1 certificate signatures (opt-in).
 *
 * Off (default): a certificate the peer sent whose signature uses MD5 or
 * SHA-1 (md5WithRSAEncryption, sha1WithRSAEncryption, ecdsa-with-SHA1,
 * dsa-with-SHA1, RSASSA-PSS over SHA-1 or MD5; MD2 and MD4 too) fails
 * verification with #TLSW_REASON_WEAK_SIGNATURE (status
 * #TLSW_ERR_CERT_VERIFY). Collisions for both are practical (SHA-1:
 * SHAttered, 2017), so such a signature no longer proves who issued the
 * certificate; the CA/Browser Forum stopped SHA-1 issuance in 2016. A
 * self-issued certificate (a trust anchor the peer also sent) is not
 * judged by its own signature. On: for peers with old certificates that
 * cannot be reissued; every other rule still applies. Applies to sessions
 * wrapped afterwards.
 *
 * @param ctx The context.
 * @param allow Non-zero: accept them; 0: refuse them (the default).
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL.
 *
 * Errors: TLSW_ERR_ARG (ctx NULL).
 */
TLSW_API int tlsw_ctx_allow_weak_signatures(tlsw_ctx *ctx, int allow);

/**
 * @brief Pre-shared keys, client side: the identity to present and the key
 * (TLS 1.2 / DTLS 1.2 PSK, RFC 4279 and 5489).
 *
 * Setting either this or tlsw_ctx_set_psk_server_callback() switches the
 * context to PSK suites with an ephemeral key exchange (ECDHE-PSK,
 * DHE-PSK; AEAD first) and caps TLS at 1.2: no certificate suite is offered
 * or accepted afterwards, so a PSK peer never falls back to certificates.
 * tlsw_ctx_set_ciphers() afterwards may name other suites again.
 * Certificates are not involved: with a PSK suite nothing is verified,
 * whatever the verify mode.
 *
 * @param ctx A client context.
 * @param identity 1..128 bytes, no NUL byte (the backend carries
 *        identities as C strings). Copied.
 * @param identity_len Its length.
 * @param key 1..64 bytes. Copied (and wiped when the context goes).
 * @param key_len Its length.
 * @retval TLSW_OK Set, for sessions wrapped afterwards.
 * @retval TLSW_ERR_ARG NULL, a length out of range, a NUL in identity, a
 *         server context.
 * @retval TLSW_ERR_UNSUPPORTED Backend without PSK (no #TLSW_FEATURE_PSK),
 *         or without an ephemeral PSK suite.
 *
 * Errors: TLSW_ERR_ARG (NULL, a length out of range, a NUL in identity, a
 * server context), TLSW_ERR_UNSUPPORTED (backend without PSK).
 */
TLSW_API int tlsw_ctx_set_psk(tlsw_ctx *ctx, const uint8_t *identity,
                              size_t identity_len, const uint8_t *key,
                              size_t key_len);

/**
 * @brief Pre-shared keys, server side: looks up the key for the identity
 * the client sent.
 *
 * Called once per handshake. Runs on the handshake's thread, inside the
 * tlswrap call that drives it.
 *
 * @param user The pointer given to tlsw_ctx_set_psk_server_callback().
 * @param identity The identity the client sent; valid during the call.
 * @param identity_len Its length.
 * @param[out] key Where to write the key.
 * @param key_max key's size in bytes, at least 64.
 * @return The key's length; 0 or a negative value rejects the client
 *         (unknown identity): the handshake then fails on both sides.
 */
typedef int (*tlsw_psk_fn)(void *user, const uint8_t *identity,
                           size_t identity_len, uint8_t *key, size_t key_max);
/**
 * @brief Set the server's PSK lookup (tlsw_psk_fn); switches the context
 * to PSK suites as tlsw_ctx_set_psk() describes.
 *
 * @param ctx A server context.
 * @param cb The lookup; not NULL.
 * @param user Passed to cb; borrowed, must stay valid while sessions may
 *        call cb.
 * @retval TLSW_OK Set, for sessions wrapped afterwards.
 * @retval TLSW_ERR_ARG NULL ctx or cb, a client context.
 * @retval TLSW_ERR_UNSUPPORTED Backend without PSK.
 *
 * Errors: TLSW_ERR_ARG (NULL ctx or cb, a client context),
 * TLSW_ERR_UNSUPPORTED.
 */
TLSW_API int tlsw_ctx_set_psk_server_callback(tlsw_ctx *ctx, tlsw_psk_fn cb,
                                              void *user);

/**
 * @brief Protocol version range.
 *
 * Versions below TLS 1.2 are not offered by tlswrap at all. Applies to
 * sessions wrapped afterwards.
 *
 * On a DTLS context TLSW_VERSION_TLS1_2/1_3 mean DTLS 1.2/1.3. DTLS 1.3
 * needs #TLSW_FEATURE_DTLS13; the default maximum there is DTLS 1.2, and
 * a maximum of 1.3 offers 1.2 and 1.3 (docs/dtls.md). The maximum picks
 * the backend's DTLS method, so it must be set before anything is loaded
 * into the context (certificates, keys, CAs, CRLs, ticket keys, PSK);
 * a later change between 1.2 and 1.3 is TLSW_ERR_STATE. Without
 * #TLSW_FEATURE_DTLS13 a maximum of 1.3 means the newest, DTLS 1.2.
 *
 * @param ctx The context.
 * @param min The lowest version; #TLSW_VERSION_DEFAULT restores the
 *        default (1.2).
 * @param max The highest version; #TLSW_VERSION_DEFAULT restores the
 *        default (TLS: the newest; DTLS: 1.2).
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL, an unknown version, or min > max.
 * @retval TLSW_ERR_UNSUPPORTED A DTLS context with min 1.3 on a build
 *         without DTLS 1.3.
 * @retval TLSW_ERR_STATE A DTLS context's maximum moved between 1.2 and
 *         1.3 after something was loaded into it; the previous range
 *         stays.
 * @retval TLSW_ERR_INTERNAL The backend refused the range; the previous
 *         one stays.
 *
 * Errors: TLSW_ERR_ARG (unknown version, min > max), TLSW_ERR_UNSUPPORTED,
 * TLSW_ERR_STATE, TLSW_ERR_INTERNAL.
 */
TLSW_API int tlsw_ctx_set_version_range(tlsw_ctx *ctx, tlsw_tls_version min,
                                        tlsw_tls_version max);

/**
 * @brief Set the key exchange groups, in order of preference.
 *
 * A TLS 1.3 client sends its key share for the first group and lists the
 * others (a server that wants another answers with HelloRetryRequest, one
 * more round trip); a server uses the client's key share when its group
 * is in this list, else asks (HelloRetryRequest) for the first group of
 * this list that the client supports. In TLS 1.2 the list also limits the
 * curves of the server's ECDSA certificate (RFC 8422 5.1): a P-256
 * certificate needs P-256 in the client's list. The default, X25519 then
 * P-256 then P-384, is the cheapest first. Applies to sessions wrapped
 * afterwards; the previous list stays on any error.
 *
 * Example: `tlsw_ctx_set_groups(ctx, "P-256:X25519");` (a P-256 key share,
 * for a peer or a benchmark that needs one).
 *
 * @param ctx A TLS context.
 * @param list Names separated by ':' or ',' (OpenSSL's `-groups` syntax),
 *        ASCII case-insensitive: `X25519`, `P-256` (or `secp256r1`,
 *        `prime256v1`), `P-384` (`secp384r1`), `P-521` (`secp521r1`),
 *        `X448`, `ffdhe2048`, `ffdhe3072`, `ffdhe4096`; 8 at most, each
 *        once. NULL or "": the default list.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL, an empty or unknown name, a name given
 *         twice, more than 8.
 * @retval TLSW_ERR_UNSUPPORTED A group this build of the backend lacks
 *         (the message names it), or a DTLS context: wolfSSL can add DTLS
 *         1.2 groups but not replace its list, so DTLS keeps the default
 *         (X25519, P-256, P-384, as far as the build has them).
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED.
 */
TLSW_API int tlsw_ctx_set_groups(tlsw_ctx *ctx, const char *list);

/**
 * @brief Chooses a server's certificate for a client's requested name
 *        (tlsw_ctx_set_sni_callback()).
 *
 * Called during the handshake, from inside tlsw_handshake() (or the read
 * or write that runs it), when no name added with
 * tlsw_ctx_add_server_name() matches. Must not call into the session.
 *
 * @param user The pointer given with the callback.
 * @param name The name the client asked for (SNI, RFC 6066), as sent
 *        (ASCII, not case-folded), NUL-terminated, valid during the call;
 *        NULL when the client sent none.
 * @param[out] chain Leave NULL to present the context's own certificate,
 *        or set to a TLS or DTLS server context (the same protocol) with a
 *        certificate chain loaded, which must stay alive while sessions
 *        use it (the simplest: as long as this context). Only its chain
 *        and key are used.
 * @return #TLSW_OK to go on; anything else refuses the handshake with an
 *         unrecognized_name alert (the server session fails with
 *         #TLSW_ERR_HANDSHAKE saying so).
 */
typedef int (*tlsw_sni_fn)(void *user, const char *name, tlsw_ctx **chain);

/**
 * @brief Present another certificate chain to clients asking for a name
 *        (server SNI).
 *
 * A server context answers with its own chain (tlsw_ctx_load_cert_chain())
 * unless the client's SNI names one added here: an exact name first (ASCII
 * case-insensitive), then a wildcard `*.example.com` standing for one
 * label; otherwise the SNI callback, if any, decides. Each added chain is
 * a context of its own, loaded as usual (so its key is checked against its
 * certificate); only its chain and key are used. The requested name is
 * tlsw_session_server_name() on the server's session.
 *
 * @param ctx A server context.
 * @param name A DNS name or `*.` and a name of two labels or more; 253
 *        bytes at most, letters, digits, '-' and '.'; not an IP literal;
 *        copied. Each name once.
 * @param chain A server context of the same protocol with a chain loaded;
 *        ctx takes a reference (tlsw_ctx_free() on it stays the caller's),
 *        released when ctx is freed.
 * @retval TLSW_OK Added.
 * @retval TLSW_ERR_ARG NULL argument, ctx or chain not a server, protocols
 *         differ, chain without a certificate or equal to ctx, a bad or
 *         repeated name.
 * @retval TLSW_ERR_UNSUPPORTED The backend cannot switch chains (no
 *         #TLSW_FEATURE_SERVER_SNI; every wolfSSL build tlswrap accepts
 *         has it today).
 * @retval TLSW_ERR_NOMEM Out of memory; nothing added.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED, TLSW_ERR_NOMEM.
 */
TLSW_API int tlsw_ctx_add_server_name(tlsw_ctx *ctx, const char *name,
                                      tlsw_ctx *chain);

/**
 * @brief Decide the certificate for names tlsw_ctx_add_server_name() does
 *        not cover, or refuse them (server SNI).
 *
 * @param ctx A server context.
 * @param cb Called for each handshake whose requested name (or the lack
 *        of one) matched no added name; NULL removes it.
 * @param user Passed to cb.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL or not a server.
 * @retval TLSW_ERR_UNSUPPORTED No #TLSW_FEATURE_SERVER_SNI.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED.
 */
TLSW_API int tlsw_ctx_set_sni_callback(tlsw_ctx *ctx, tlsw_sni_fn cb,
                                       void *user);

/**
 * @brief Set the ALPN protocols (RFC 7301) of sessions wrapped from now on.
 *
 * A client offers them in the order given; the server's choice is
 * tlsw_session_alpn(). A server agrees on the first of its own list that
 * the client offered (server preference; on a wolfSSL build older than
 * 5.7.2 without OPENSSL_ALL the client's order decides),
 * and when the client offered ALPN but none of these, it fails the
 * handshake with a no_application_protocol alert (#TLSW_ERR_HANDSHAKE
 * saying so). A client that offered none, or a server that set none, goes
 * on without ALPN. A client whose server ignores ALPN completes the
 * handshake with tlsw_session_alpn() NULL: check it before speaking a
 * protocol that needs the agreement (HTTP/2).
 *
 * Example: `tlsw_ctx_set_alpn(ctx, "h2,http/1.1");`
 *
 * @param ctx The context.
 * @param protocols Comma-separated names, each 1 to 255 printable ASCII
 *        bytes without spaces, 1024 bytes at most in all; copied. NULL or
 *        "": no ALPN.
 * @retval TLSW_OK Set (or cleared).
 * @retval TLSW_ERR_ARG NULL ctx, an empty or too long name, a space or a
 *         non-printable byte, a list over 1024 bytes; the previous list
 *         stays.
 * @retval TLSW_ERR_UNSUPPORTED The backend has no ALPN (no
 *         #TLSW_FEATURE_ALPN).
 * @retval TLSW_ERR_NOMEM Out of memory; the previous list stays.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED, TLSW_ERR_NOMEM.
 */
TLSW_API int tlsw_ctx_set_alpn(tlsw_ctx *ctx, const char *protocols);

/**
 * @brief Receives one key-log line (tlsw_ctx_set_keylog_callback()).
 *
 * @param user The pointer given with the callback.
 * @param line One line of the NSS key log format, NUL-terminated, without
 *        a newline: `LABEL <client random, hex> <secret, hex>`, e.g.
 *        `CLIENT_TRAFFIC_SECRET_0 5f1a... 9c3e...`. Valid during the call
 *        only.
 *
 * Called from inside a handshake call of the session (tlsw_handshake(), or
 * the first tlsw_read() / tlsw_write()), in the thread making it; it must
 * not call back into that session. Must not fail: what it does with the
 * line (append to a file, print it) is its own affair.
 */
typedef void (*tlsw_keylog_fn)(void *user, const char *line);

/**
 * @brief Hand the session secrets of every session wrapped from now on to
 *        cb, in the NSS key log format, so a capture can be decrypted
 *        (Wireshark's "(Pre)-Master-Secret log filename", `tshark -o
 *        tls.keylog_file:FILE`).
 *
 * TLS 1.3 gives five lines per handshake (CLIENT_HANDSHAKE_TRAFFIC_SECRET,
 * SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_TRAFFIC_SECRET_0,
 * SERVER_TRAFFIC_SECRET_0, EXPORTER_SECRET), TLS 1.2 and DTLS 1.2 one
 * (CLIENT_RANDOM with the master secret): the lines OpenSSL's
 * `-keylogfile` writes for the same connection. A resumed TLS 1.2
 * session derives no new master secret and logs nothing.
 *
 * **Anyone holding these lines can read the traffic**: set it for
 * debugging only (the command-line tools do when `SSLKEYLOGFILE` is set,
 * as curl and browsers do); the default is no callback.
 *
 * @param ctx The context.
 * @param cb The callback, or NULL to stop logging. Sessions read the
 *        context's callback when a secret is derived: NULL stops their
 *        logging too, and a new callback receives their later lines; a
 *        session wrapped while there was none logs nothing.
 * @param user Passed to cb; tlswrap never dereferences it.
 * @retval TLSW_OK Set (or cleared).
 * @retval TLSW_ERR_ARG ctx NULL.
 * @retval TLSW_ERR_UNSUPPORTED The backend cannot reveal its secrets (no
 *         #TLSW_FEATURE_KEYLOG: a wolfSSL built without
 *         HAVE_SECRET_CALLBACK, such as Debian 12's 5.5.4); clearing it
 *         always succeeds.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED.
 */
TLSW_API int tlsw_ctx_set_keylog_callback(tlsw_ctx *ctx, tlsw_keylog_fn cb,
                                          void *user);

/**
 * @brief Let sessions wrapped from now on export keying material
 *        (tlsw_session_export_keying_material()).
 *
 * Off by default, because the exporter needs the handshake's secrets and
 * randoms after the handshake: on wolfSSL they stay in memory for the
 * session's life (about 5.5 KB more per session on the host build, see
 * docs/api.md), where otherwise they are wiped when the handshake ends. Turn it
 * on only for a protocol that exports (EAP-TLS, DTLS-SRTP, channel bindings).
 *
 * @param ctx The context.
 * @param enable 1: keep what the exporter needs; 0: do not (the default).
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL.
 * @retval TLSW_ERR_UNSUPPORTED enable with a backend that has no exporter
 *         (no #TLSW_FEATURE_EXPORTER).
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED.
 */
TLSW_API int tlsw_ctx_set_exporter(tlsw_ctx *ctx, int enable);

/**
 * @brief Session tickets (RFC 8446 §4.6.1, RFC 5077) for sessions wrapped
 *        from now on. On by default.
 *
 * A server issues tickets (TLS 1.3, and TLS 1.2 to clients that ask),
 * encrypted with keys the context generates and rotates itself (wolfSSL's
 * default: a new key every hour, tickets valid for
 * their lifetime hint), so it keeps no state per client; turning them off
 * makes every TLS 1.3 connection a full handshake. TLS 1.2 clients can
 * still resume by session ID from wolfSSL's own session cache (a fixed
 * table of the wolfSSL build, shared by the process's contexts). A client
 * asks TLS 1.2 servers for a ticket (TLS 1.3 servers send theirs
 * unasked); resuming one is tlsw_session_save() and
 * tlsw_wrap_opts.session.
 *
 * @param ctx The context.
 * @param enable 1: tickets (default); 0: none.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL.
 * @retval TLSW_ERR_UNSUPPORTED enable with a build without tickets (no
 *         #TLSW_FEATURE_RESUMPTION).
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED.
 */
TLSW_API int tlsw_ctx_set_session_tickets(tlsw_ctx *ctx, int enable);

/**
 * @brief Keep every certificate the peer sends, not only its leaf, for
 *        tlsw_session_peer_chain() (LuaSec's getpeerchain(), OpenSSL's
 *        SSL_get_peer_cert_chain()).
 *
 * Off by default: a chain costs each session about 1 to 3 KB, held until
 * it is freed. Applies to sessions whose handshake runs afterwards.
 *
 * @param ctx The context.
 * @param keep 1 to keep them, 0 for the leaf only.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL.
 * @retval TLSW_ERR_UNSUPPORTED A backend that keeps the leaf only.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED.
 */
TLSW_API int tlsw_ctx_set_keep_peer_chain(tlsw_ctx *ctx, int keep);

/**
 * @brief Seal session tickets with a secret a fleet of servers shares, so
 *        that a client resumes on any of them.
 *
 * By default each server context seals tickets with keys of its own,
 * made at random and rotated (wolfSSL's), so a ticket resumes only on the
 * context that issued it. With this call tickets are sealed
 * (ChaCha20-Poly1305, under a key derived from current) so that every
 * context given the same secret opens them. To rotate, give each server
 * (new, old): tickets sealed under old still resume (TLS 1.2 ones are
 * replaced by a ticket under new), new ones are sealed under new. A
 * ticket under any other secret is simply not resumed: the handshake goes
 * on in full. Keep the secrets as secret as a private key (whoever has
 * them can read every resumed session's tickets); rotate them at least
 * daily (RFC 8446 4.6.1 lets tickets live 7 days at most; tlswrap's last 2
 * hours on the 5.7.2 host build). Call it before sessions are made from
 * the context, not while other threads handshake on it.
 *
 * @param ctx A server context.
 * @param current The secret sealing new tickets: 32 to 64 random bytes;
 *        copied (only what is derived from it is kept).
 * @param previous The secret before it, still accepted; NULL: none.
 * @param len The length of each secret.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx or current NULL, a client context, len not 32
 *         to 64, or previous equal to current.
 * @retval TLSW_ERR_UNSUPPORTED No #TLSW_FEATURE_RESUMPTION, or a backend
 *         that cannot seal tickets with its caller's keys.
 * @retval TLSW_ERR_INTERNAL The backend refused (the message says so).
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED, TLSW_ERR_INTERNAL.
 */
TLSW_API int tlsw_ctx_set_ticket_keys(tlsw_ctx *ctx, const uint8_t *current,
                                      const uint8_t *previous, size_t len);

/** @} */

TLSW_END_DECLS

#endif
