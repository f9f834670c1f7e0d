/*
 * Pure-C tables for the MicroPython `tls` module on tlswrap: how tlswrap
 * statuses and cipher-suite names look to MicroPython programs, which were
 * written against mbedTLS. No MicroPython header is needed here, so the
 * mapping is unit-tested in tlswrap's own test suite (tests/micropython.cmake)
 * without a MicroPython build.
 */
#ifndef TLSW_MP_MAP_H
#define TLSW_MP_MAP_H

#include <stddef.h>

/*
 * The mbedTLS error that MicroPython programs see for a tlswrap status.
 * Returns 1 and sets *code (negative mbedTLS code) and *name (static
 * "MBEDTLS_ERR_..." string) when an equivalent exists, else 0. Verification
 * failures are not errors codes in MicroPython (they are ValueError with a
 * text, see tlsw_mp_verify_text) and return 0 here.
 */
int tlsw_mp_mbedtls_error(int status, int *code, const char **name);

/*
 * For a certificate verification status: the line mbedTLS's
 * mbedtls_x509_crt_verify_info() prints for the equivalent flag (without
 * prefix or newline), e.g. "The certificate validity has expired". NULL when
 * the status is not a verification failure with an mbedTLS equivalent.
 */
const char *tlsw_mp_verify_text(int status);

/* 1 if `iana` names a suite the module offers (strong cipher, ECDHE/DHE
 * with a certificate or a PSK, not TLS 1.3 unless tls13 is non-zero). */
int tlsw_mp_cipher_allowed(const char *iana, int tls13);

/* 1 if an allowed suite is also enabled by default: ECDHE with AEAD, or
 * CBC with a SHA-2 MAC (mbedTLS enables CBC by default too; SHA-1 CBC and
 * DHE suites are left to set_ciphers). */
int tlsw_mp_cipher_default(const char *iana);

/* Sort key reproducing mbedTLS's default preference order (smaller first). */
int tlsw_mp_cipher_rank(const char *iana);

/*
 * IANA name -> mbedTLS name: '_' becomes '-', and TLS 1.3 suites get the
 * "TLS1-3-" prefix ("TLS_AES_128_GCM_SHA256" -> "TLS1-3-AES-128-GCM-SHA256").
 * Returns 0, or -1 if out (size n) is too small.
 */
int tlsw_mp_cipher_to_mbedtls(const char *iana, char *out, size_t n);

/* Either style -> IANA name (the inverse of the above; IANA input is copied
 * unchanged). Returns 0, or -1 if out is too small. */
int tlsw_mp_cipher_to_iana(const char *name, char *out, size_t n);

#endif
