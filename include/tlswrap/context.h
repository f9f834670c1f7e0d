/*
 * tlsw_ctx: the configuration shared by sessions (like ssl.SSLContext).
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
 * configuration call.
 */
#ifndef TLSWRAP_CONTEXT_H
#define TLSWRAP_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility; this exports the API. */
#if defined(TLSW_BUILDING) && defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

typedef struct tlsw_ctx tlsw_ctx;

/* Values equal MicroPython's: bit 0 = server, bit 1 = DTLS. */
typedef enum tlsw_protocol {
  TLSW_PROTOCOL_TLS_CLIENT = 0,
  TLSW_PROTOCOL_TLS_SERVER = 1,
  TLSW_PROTOCOL_DTLS_CLIENT = 2,
  TLSW_PROTOCOL_DTLS_SERVER = 3
} tlsw_protocol;

/*
 * Verification modes (values equal MicroPython's CERT_*).
 * Client side:
 *   NONE      the server certificate is not checked at all.
 *   OPTIONAL  the chain and hostname are checked, a failure does NOT stop
 *             the handshake; the result is kept and must be read with
 *             tlsw_session_verify_result() or tlsw_session_verify_info()
 *             (never a silent NONE).
 *   REQUIRED  (default) any failure aborts the handshake; needs
 *             server_hostname.
 * Server side:
 *   NONE      (default) no client certificate is requested.
 *   OPTIONAL  a certificate is requested; none is fine, but one that is
 *             sent must verify (CPython's semantics).
 *   REQUIRED  a verifying client certificate is required.
 */
typedef enum tlsw_verify_mode {
  TLSW_CERT_NONE = 0,
  TLSW_CERT_OPTIONAL = 1,
  TLSW_CERT_REQUIRED = 2
} tlsw_verify_mode;

typedef enum tlsw_tls_version {
  TLSW_VERSION_DEFAULT = 0, /* min: TLS 1.2 / DTLS 1.2; max: newest */
  TLSW_VERSION_TLS1_2 = 0x0303,
  TLSW_VERSION_TLS1_3 = 0x0304
} tlsw_tls_version;

/* Create a context. On TLSW_OK, *out owns one reference. Defaults: TLS 1.2
 * minimum, AEAD ECDHE suites only (TLS 1.3 first), verify mode REQUIRED for
 * clients and NONE for servers, no certificates loaded (call
 * tlsw_ctx_load_default_certs() or load_verify_* to trust CAs).
 * Errors: TLSW_ERR_ARG (out NULL or bad protocol), TLSW_ERR_NOMEM,
 * TLSW_ERR_UNSUPPORTED (DTLS without backend support), TLSW_ERR_INTERNAL. */
int tlsw_ctx_new(tlsw_ctx **out, tlsw_protocol protocol);

/* Drop the caller's reference. NULL is ignored. Sessions keep the context
 * alive until they are freed. Do not use ctx after this call. */
void tlsw_ctx_free(tlsw_ctx *ctx);

/* The protocol given to tlsw_ctx_new(), or -1 for NULL. */
int tlsw_ctx_protocol(const tlsw_ctx *ctx);

/* Message of the last failing call on this context; "" when none. Owned by
 * the context; valid until the next configuration call or tlsw_ctx_free. */
const char *tlsw_ctx_message(const tlsw_ctx *ctx);

/* Verification (see tlsw_verify_mode). Errors: TLSW_ERR_ARG. */
int tlsw_ctx_set_verify_mode(tlsw_ctx *ctx, tlsw_verify_mode mode);
/* Current mode; TLSW_CERT_NONE for NULL. */
tlsw_verify_mode tlsw_ctx_get_verify_mode(const tlsw_ctx *ctx);

/*
 * Verify callback: called once per certificate the peer sent, deepest
 * (root-most) first (the trusted root itself is not sent, so not shown),
 * after tlswrap checked that certificate. Not called under CERT_NONE.
 * der/der_len: the certificate, valid only during the call. depth: 0 is the
 * peer's own certificate. preverify_ok: 1 if it passed every check: chain,
 * dates, key size and, at depth 0, the host name.
 * Return 0 to go on; non-zero rejects the handshake with
 * TLSW_ERR_CERT_REJECTED (even under CERT_OPTIONAL; message "certificate
 * verify failed: rejected by the verify callback (depth N, CN=...)") and no
 * later certificate is shown. Returning 0 cannot accept what verification
 * refused under CERT_REQUIRED. Servers get it for client certificates.
 * Runs on the thread of the session's handshake. NULL removes it.
 * Errors: TLSW_ERR_ARG. See docs/verification.md.
 */
typedef int (*tlsw_verify_fn)(void *user, const uint8_t *der, size_t der_len,
                              int depth, int preverify_ok);
int tlsw_ctx_set_verify_callback(tlsw_ctx *ctx, tlsw_verify_fn cb, void *user);

/*
 * Time source for certificate validity dates, for devices whose clock is
 * unset or untrusted. The callback returns the current time in seconds since
 * 1970-01-01 00:00 UTC, or a negative value when it does not know it:
 * verification then fails with TLSW_ERR_CERT_VERIFY (reason
 * TLSW_REASON_NO_TIME), so dates are never skipped silently (and CERT_NONE
 * never asks). It runs on the handshake's thread, once per certificate of
 * the peer's chain. The dates of the trusted root itself are not checked
 * (RFC 5280 treats trust anchors as inputs); the backend may still refuse to
 * load a CA that is expired by the system clock. NULL restores the system
 * clock. Applies to sessions wrapped afterwards.
 * Errors: TLSW_ERR_ARG, TLSW_ERR_UNSUPPORTED (the backend cannot check dates
 * against a supplied time; see tlsw_backend_features()).
 */
typedef int64_t (*tlsw_time_fn)(void *user);
int tlsw_ctx_set_time_callback(tlsw_ctx *ctx, tlsw_time_fn cb, void *user);
/* A fixed current time instead (seconds since the epoch, UTC; >= 0), e.g.
 * from a build date or the last NTP answer; -1 restores the system clock.
 * A callback, when set, takes precedence. Errors as above. */
int tlsw_ctx_set_time(tlsw_ctx *ctx, int64_t unix_time);

/* Password callback for encrypted keys: write the password (no NUL needed)
 * into buf (size bytes) and return its length, or -1 for none. */
typedef int (*tlsw_password_fn)(void *user, char *buf, size_t size);

/*
 * Certificate chain and private key.
 *
 * Formats are detected: data starting with "-----BEGIN" (after optional
 * white space) is PEM, anything else DER. The certificate data may hold a
 * chain: leaf first, then intermediates (PEM; for DER, concatenated
 * certificates). Keys: RSA or EC, PKCS#1/SEC1 or PKCS#8, optionally
 * encrypted. password: NUL-terminated, used for an encrypted key; when NULL,
 * the callback set by tlsw_ctx_set_password_callback() is asked, if any.
 * The key is checked against the certificate. Data is copied; the caller
 * keeps ownership of its buffers.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_FILE (file cannot be read),
 * TLSW_ERR_CERT_INVALID, TLSW_ERR_KEY_INVALID, TLSW_ERR_KEY_PASSWORD,
 * TLSW_ERR_KEY_MISMATCH, TLSW_ERR_CERT_WEAK_KEY, TLSW_ERR_NOMEM.
 * On failure the previously loaded chain (if any) stays in use.
 */
int tlsw_ctx_load_cert_chain(tlsw_ctx *ctx, const uint8_t *cert,
                             size_t cert_len, const uint8_t *key,
                             size_t key_len, const char *password);
/* The same from files. keyfile NULL: the key is in certfile (PEM). */
int tlsw_ctx_load_cert_chain_file(tlsw_ctx *ctx, const char *certfile,
                                  const char *keyfile, const char *password);
int tlsw_ctx_set_password_callback(tlsw_ctx *ctx, tlsw_password_fn cb,
                                   void *user);

/*
 * Trusted CAs. Each call adds to what is already trusted.
 *  _mem:  one PEM bundle with any number of certificates, or one or more
 *         concatenated DER certificates. Data is copied.
 *  _file: a file holding the same.
 *  _dir:  every PEM/DER certificate file in a directory (like capath).
 * Errors: TLSW_ERR_ARG, TLSW_ERR_FILE, TLSW_ERR_CERT_INVALID (nothing is
 * added from data that does not parse whole), TLSW_ERR_NOMEM.
 */
int tlsw_ctx_load_verify_mem(tlsw_ctx *ctx, const uint8_t *cadata, size_t len);
int tlsw_ctx_load_verify_file(tlsw_ctx *ctx, const char *cafile);
int tlsw_ctx_load_verify_dir(tlsw_ctx *ctx, const char *capath);
/* The system store (/etc/ssl/certs on Debian). */
int tlsw_ctx_load_default_certs(tlsw_ctx *ctx);

/*
 * Cipher suites by IANA name, e.g. "TLS_AES_128_GCM_SHA256",
 * "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256". Any suite the backend has may
 * be named (naming a weaker one is the caller's explicit choice). TLS 1.3
 * suites are moved in front of TLS 1.2 suites (keeping order within each).
 * A list without TLS 1.3 suites limits the context to TLS 1.2.
 * Errors: TLSW_ERR_ARG (NULL/empty list), TLSW_ERR_CIPHER (message names the
 * first unknown entry; the previous list stays). Names are copied.
 */
int tlsw_ctx_set_ciphers(tlsw_ctx *ctx, const char *const *names, size_t n);
/* The same from one string with ':' or ',' between names. */
int tlsw_ctx_set_cipher_string(tlsw_ctx *ctx, const char *list);
/* The context's enabled suites in IANA form, in preference order. names
 * receives up to max static strings; *out_n the total count (which may
 * exceed max: call with max 0 to size). Errors: TLSW_ERR_ARG. */
int tlsw_ctx_get_ciphers(const tlsw_ctx *ctx, const char **names, size_t max,
                         size_t *out_n);
/* Every suite the backend offers, IANA names, static. Same contract. */
int tlsw_available_ciphers(const char **names, size_t max, size_t *out_n);

/*
 * Smallest RSA key accepted, in bits (multiple of 8, 512..16384), both for
 * the key loaded with load_cert_chain and for certificates of the peer.
 * Defaults: 2048 for every certificate of the peer's chain (checked while
 * verifying, so not under CERT_NONE; like OpenSSL's security level 2, see
 * docs/verification.md) and the backend's 1024 for the own key. Setting it
 * sets both. Lowering it weakens security; it exists
 * for compatibility with small-device test fixtures (MicroPython's tests use
 * 512-bit keys). Applies to chains loaded and sessions wrapped afterwards.
 * Errors: TLSW_ERR_ARG (out of range or not a multiple of 8).
 */
int tlsw_ctx_set_min_rsa_bits(tlsw_ctx *ctx, unsigned bits);

/*
 * Host name check against the subject CN. Off (default): server_hostname is
 * matched against the certificate's subjectAltName entries only. On: a
 * certificate that has NO subjectAltName extension at all is matched
 * against its subject Common Name instead (DNS names only, never IP
 * literals), as RFC 6125 §6.4.4 permits and mbedTLS (hence MicroPython)
 * does. For peers with old or hand-made certificates (MicroPython's test
 * fixtures have CN only). Applies to sessions wrapped afterwards.
 * Errors: TLSW_ERR_ARG (ctx NULL).
 */
int tlsw_ctx_set_hostname_cn_fallback(tlsw_ctx *ctx, int on);

/*
 * Pre-shared keys (TLS 1.2 / DTLS 1.2 PSK, RFC 4279 and 5489).
 *
 * Setting either switches the context to PSK suites with an ephemeral key
 * exchange (ECDHE-PSK, DHE-PSK; AEAD first) and caps TLS at 1.2: no
 * certificate suite is offered or accepted afterwards, so a PSK peer never
 * falls back to certificates. tlsw_ctx_set_ciphers() afterwards may name
 * other suites again. Certificates are not involved: with a PSK suite
 * nothing is verified, whatever the verify mode.
 *
 * Client: the identity to present and the key. identity: 1..128 bytes, no
 * NUL byte (the backend carries identities as C strings); key: 1..64
 * bytes. Both are copied (and the key wiped when the context goes).
 * Errors: TLSW_ERR_ARG (NULL, a length out of range, a NUL in identity, a
 * server context), TLSW_ERR_UNSUPPORTED (backend without PSK).
 */
int tlsw_ctx_set_psk(tlsw_ctx *ctx, const uint8_t *identity,
                     size_t identity_len, const uint8_t *key, size_t key_len);

/*
 * Server: called once per handshake with the identity the client sent
 * (valid during the call). Write the key into key (key_max bytes, at least
 * 64) and return its length; return 0 or a negative value to reject the
 * client (unknown identity): the handshake then fails on both sides. Runs
 * on the handshake's thread, inside the tlswrap call that drives it.
 * Errors: TLSW_ERR_ARG (NULL ctx or cb, a client context),
 * TLSW_ERR_UNSUPPORTED.
 */
typedef int (*tlsw_psk_fn)(void *user, const uint8_t *identity,
                           size_t identity_len, uint8_t *key, size_t key_max);
int tlsw_ctx_set_psk_server_callback(tlsw_ctx *ctx, tlsw_psk_fn cb, void *user);

/* Protocol version range. min/max TLSW_VERSION_DEFAULT restore defaults.
 * Versions below TLS 1.2 are not offered by tlswrap at all.
 * Errors: TLSW_ERR_ARG (unknown version, min > max). */
int tlsw_ctx_set_version_range(tlsw_ctx *ctx, tlsw_tls_version min,
                               tlsw_tls_version max);

#if defined(TLSW_BUILDING) && defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif
