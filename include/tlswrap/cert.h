/**
 * @file cert.h
 * @brief Reading a certificate's fields (subject, issuer, names, dates,
 *        key), for people and for rules of one's own.
 *
 * @defgroup cert Certificate fields
 * @{
 *
 * A parsed certificate is an opaque object made from DER bytes (a peer's,
 * from tlsw_session_peer_cert(), or any other). Nothing is verified here:
 * tlswrap verified the peer's chain during the handshake. Every byte from
 * the certificate is treated as hostile: the text forms hold no control
 * character (C0, DEL or C1); bytes that are not printable ASCII or valid
 * printable UTF-8 appear as `\xHH`, and `,`, `+`, `=`, `"` and `\` inside
 * a value are escaped with a backslash (RFC 4514), so one attribute cannot
 * pass for two. The same reader prints certificates in tlsw-client -v.
 */
#ifndef TLSWRAP_CERT_H
#define TLSWRAP_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "tlswrap/export.h"

TLSW_BEGIN_DECLS

/** @brief A parsed certificate (opaque; tlsw_cert_parse()). */
typedef struct tlsw_cert tlsw_cert;

/**
 * @brief Parse a DER certificate.
 *
 * @param der The certificate, DER (X.509 v1 to v3); not kept: the object
 *        holds its own copies of what it shows.
 * @param len Its length in bytes.
 * @param[out] out The new object, freed with tlsw_cert_free(); NULL on
 *        failure.
 * @retval TLSW_OK Parsed.
 * @retval TLSW_ERR_ARG der or out NULL, or len 0.
 * @retval TLSW_ERR_CERT_INVALID Not a DER certificate (or one whose
 *         subject, issuer, validity or subjectAltName cannot be read).
 * @retval TLSW_ERR_NOMEM Out of memory.
 *
 * Errors: TLSW_ERR_ARG, TLSW_ERR_CERT_INVALID, TLSW_ERR_NOMEM (there is
 * no object to carry a message).
 */
TLSW_API int tlsw_cert_parse(const uint8_t *der, size_t len, tlsw_cert **out);

/**
 * @brief Free a parsed certificate; every string it returned goes with it.
 *
 * @param c The certificate, or NULL (ignored).
 *
 * Errors: none.
 */
TLSW_API void tlsw_cert_free(tlsw_cert *c);

/**
 * @brief The subject, in certificate order: `CN=server, O=Example`.
 *
 * Attributes without a short name appear by OID (`2.5.4.97=...`),
 * multi-valued RDNs joined with ` + `, values of unknown string types as
 * `#HEX`.
 *
 * @param c The certificate, or NULL.
 * @return NUL-terminated, owned by c; "" when empty, NULL for NULL.
 *
 * Errors: none (NULL for NULL).
 */
TLSW_API const char *tlsw_cert_subject(const tlsw_cert *c);

/**
 * @brief The issuer, in the form of tlsw_cert_subject().
 *
 * @param c The certificate, or NULL.
 * @return NUL-terminated, owned by c; NULL for NULL.
 *
 * Errors: none (NULL for NULL).
 */
TLSW_API const char *tlsw_cert_issuer(const tlsw_cert *c);

/**
 * @brief The subjectAltName entries: `DNS:localhost, IP:127.0.0.1`.
 *
 * `DNS:`, `IP:` (IPv4 dotted, IPv6 in full), `email:`, `URI:`,
 * `DirName:` and `othername:<unsupported>`, in certificate order.
 *
 * @param c The certificate, or NULL.
 * @return NUL-terminated, owned by c; "" when it has none, NULL for NULL.
 *
 * Errors: none (NULL for NULL).
 */
TLSW_API const char *tlsw_cert_sans(const tlsw_cert *c);

/**
 * @brief The serial number, uppercase hex without separators (as
 *        `openssl x509 -serial` prints it).
 *
 * @param c The certificate, or NULL.
 * @return NUL-terminated, owned by c; NULL for NULL.
 *
 * Errors: none (NULL for NULL).
 */
TLSW_API const char *tlsw_cert_serial(const tlsw_cert *c);

/**
 * @brief The signature algorithm the issuer signed with, by OpenSSL's name
 *        (`ecdsa-with-SHA256`, `sha256WithRSAEncryption`, `rsassaPss`,
 *        `ED25519`, ...), or its OID dotted when it has none here.
 *
 * @param c The certificate, or NULL.
 * @return NUL-terminated, owned by c; NULL for NULL.
 *
 * Errors: none (NULL for NULL).
 */
TLSW_API const char *tlsw_cert_sig_alg(const tlsw_cert *c);

/**
 * @brief The SHA-256 fingerprint of the certificate's DER, as
 *        `openssl x509 -noout -fingerprint -sha256` prints it
 *        (`AB:CD:...`, 95 characters).
 *
 * @param c The certificate, or NULL.
 * @return NUL-terminated, owned by c; "" on a backend without SHA-256;
 *         NULL for NULL.
 *
 * Errors: none (NULL for NULL).
 */
TLSW_API const char *tlsw_cert_fingerprint_sha256(const tlsw_cert *c);

/**
 * @brief notBefore.
 *
 * @param c The certificate, or NULL.
 * @return Seconds since 1970-01-01 UTC; 0 for NULL.
 *
 * Errors: none (0 for NULL).
 */
TLSW_API int64_t tlsw_cert_not_before(const tlsw_cert *c);

/**
 * @brief notAfter.
 *
 * @param c The certificate, or NULL.
 * @return Seconds since 1970-01-01 UTC; 0 for NULL.
 *
 * Errors: none (0 for NULL).
 */
TLSW_API int64_t tlsw_cert_not_after(const tlsw_cert *c);

/**
 * @brief The public key's type and size.
 *
 * @param c The certificate, or NULL.
 * @param[out] bits Its size in bits (RSA: the modulus; EC: the curve's
 *        field), 0 when unknown; may be NULL.
 * @return "RSA", "EC", "Ed25519", "Ed448", or "unknown" (static); NULL
 *         for NULL.
 *
 * Errors: none (NULL for NULL).
 */
TLSW_API const char *tlsw_cert_key(const tlsw_cert *c, unsigned *bits);

/**
 * @brief Whether the certificate is a CA's (basicConstraints cA).
 *
 * @param c The certificate, or NULL.
 * @return 1 when basicConstraints says cA, else 0 (also for NULL).
 *
 * Errors: none (0 for NULL).
 */
TLSW_API int tlsw_cert_is_ca(const tlsw_cert *c);

/** @} */

TLSW_END_DECLS

#endif
