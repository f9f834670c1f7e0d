/*
 * wolfSSL profile "firmware": a Cortex-M (or any bare-metal / RTOS) build
 * for tlswrap with TLSW_PLATFORM=none. wolfSSL is compiled with
 * -DWOLFSSL_USER_SETTINGS and this file, not with ./configure
 * (cmake/wolfssl/build-user.sh; docs/firmware.md). One macro a line, each
 * with its reason.
 *
 * The same file builds on the host (the none-host test, plain C math) and
 * on a Cortex-M (SP Cortex-M assembly, picked by the target's macros below).
 */
#ifndef TLSW_FIRMWARE_USER_SETTINGS_H
#define TLSW_FIRMWARE_USER_SETTINGS_H

/* --- Platform: no OS ---------------------------------------------------- */
/* One thread: no mutexes inside wolfSSL (tlswrap's own are platform hooks). */
#define SINGLE_THREADED
/* No files: certificates and keys come from memory. */
#define NO_FILESYSTEM
/* tlswrap installs its own I/O callbacks: no socket code at all. */
#define WOLFSSL_USER_IO
#define WOLFSSL_NO_SOCK
/* No writev(): not on a board. */
#define NO_WRITEV
/* No /dev/random: the seed comes from the platform's entropy hook. */
#define NO_DEV_RANDOM
/* wolfSSL's DRBG seed: tlswrap's platform layer calls the program's
 * tlsw_platform_ops.entropy (src/platform/none/none.c). */
extern int tlswi_platform_seed(unsigned char *out, unsigned int len);
#define CUSTOM_RAND_GENERATE_SEED tlswi_platform_seed
/* Heap instead of stack for big temporaries (bignums, hashes, certificate
 * parsing): keeps the stack high-water mark under the 8 KB. */
#define WOLFSSL_SMALL_STACK
/* The library's own 4-byte alignment: Cortex-M4 loads need nothing more. */
#define WOLFSSL_GENERAL_ALIGNMENT 4
/* 64-bit integers exist (newlib, gcc). */
#define SIZEOF_LONG_LONG 8
/* No wolfSSL test or benchmark main(). */
#define NO_MAIN_DRIVER
/* TLS 1.3 ticket ages in ms from time() (the default asks gettimeofday,
 * which a board's libc lacks). */
#define XTIME_MS(t) ((long long)time(NULL) * 1000)
/* A one-entry session cache: the default table is 1.2 MB of .bss with
 * SESSION_CERTS (measured: ssl.o; still large without), and NO_SESSION_CACHE
 * does not link in 5.7.2 with TLS 1.3 PSK (internal.c's
 * GetSesionFromCacheOrExt). */
#define MICRO_SESSION_CACHE
/* Peer chains of at most 4 certificates (leaf, 2 intermediates, root;
 * default 9): a device talks to servers it knows. */
#define MAX_CHAIN_DEPTH 4
/* Certificate dates are checked with time() (newlib: _gettimeofday; the
 * board's libc must give it, or the program supplies a time with
 * tlsw_ctx_set_time, which tlswrap checks dates against). */

/* --- Math: single precision, P-256 and X25519 only ---------------------- */
/* SP math only (no multi-precision fallback): only the sizes below exist. */
#define WOLFSSL_SP_MATH
/* SP code for ECC (P-256). */
#define WOLFSSL_HAVE_SP_ECC
/* The smaller (slower per op, much smaller in flash) SP variant. */
#define WOLFSSL_SP_SMALL
#if defined(__arm__) && defined(__thumb2__)
/* Cortex-M3/M4/M7 assembly for the SP bignum loops (UMULL/UMAAL). */
#define WOLFSSL_SP_ASM
#define WOLFSSL_SP_ARM_CORTEX_M_ASM
#if defined(__ARM_ARCH_7M__)
/* Cortex-M3 (ARMv7-M) lacks UMAAL, which the assembly uses by default
 * (measured: sp_cortexm.c does not assemble for -mcpu=cortex-m3 without
 * this; not run: the tests run on a Cortex-M4). */
#define WOLFSSL_SP_NO_UMAAL
#endif
#endif
/* Constant-time ECC scalar multiplication. */
#define ECC_TIMING_RESISTANT
#define TFM_TIMING_RESISTANT

/* --- Public-key algorithms ---------------------------------------------- */
/* ECDSA and ECDHE over P-256 only: no other curve is compiled. */
#define HAVE_ECC
#define ECC_USER_CURVES
/* ECDSA verification with Shamir's trick: faster, same size. */
#define ECC_SHAMIR
/* X25519 key exchange (the first group tlswrap offers). Not
 * CURVE25519_SMALL: that saves 3.9 KB but is 30x slower (issue #11). */
#define HAVE_CURVE25519
/* No RSA, DH, DSA: the test PKI and the profile are P-256 only. A device
 * that must verify RSA servers adds RSA back (WOLFSSL_HAVE_SP_RSA). */
#define NO_RSA
#define NO_DH
#define NO_DSA

/* --- Symmetric ------------------------------------------------------------ */
/* AEAD suites only: ChaCha20-Poly1305 and AES-GCM (128 and 256). */
#define HAVE_CHACHA
#define HAVE_POLY1305
#define HAVE_AESGCM
/* The 4-bit GCM table (256 B), not the 4 KB one. */
#define GCM_SMALL
/* No CBC suites (tlswrap's defaults are AEAD-only). */
#define NO_AES_CBC
/* AES-192 is not in any TLS suite. */
#define NO_AES_192
/* The rolled SHA-2 loops: 7.8 KB less flash for SHA-512/384 (measured,
 * _Transform_Sha512), slower per block, which a handshake barely sees. */
#define USE_SLOW_SHA256
#define USE_SLOW_SHA512
/* AES with the 256-byte S-box instead of the 4 x 1 KB T-tables (Te, Td: 8 KB
 * measured). Cortex-M4 has no data cache, so the tables bought speed only. */
#define WOLFSSL_AES_SMALL_TABLES
/* SHA-384 (AES-256-GCM suites, P-384 signatures on peers' chains), which
 * needs the SHA-512 core. SHA-256 is on by default. */
#define WOLFSSL_SHA384
#define WOLFSSL_SHA512
/* Nothing obsolete. */
#define NO_RC4
#define NO_MD4
#define NO_DES3
#define NO_OLD_TLS
#define WOLFSSL_NO_SHAKE128
#define WOLFSSL_NO_SHAKE256
/* No MD5: TLS 1.2 and 1.3 never use it (NO_OLD_TLS); the compat layer's
 * references kept it linked (measured: 2.8 KB less flash without it). SHA-1
 * stays: certificate key identifiers and wolfSSL's name hashes use it. */
#define NO_MD5

/* --- Protocols ------------------------------------------------------------ */
/* TLS 1.3 and 1.2, DTLS 1.2. The client-only variant (profile
 * firmware-client, which defines TLSW_FIRMWARE_CLIENT_ONLY and includes
 * this file) drops DTLS and the server side: tlswrap compiles both out
 * with them (tlsw_backend_features() without TLSW_FEATURE_DTLS, server and
 * DTLS contexts refused with TLSW_ERR_UNSUPPORTED). */
#define WOLFSSL_TLS13
#ifdef TLSW_FIRMWARE_CLIENT_ONLY
#define NO_WOLFSSL_SERVER
#else
#define WOLFSSL_DTLS
#endif
/* The extensions TLS 1.3 requires, and the ones tlswrap's API offers. */
#define HAVE_TLS_EXTENSIONS
#define HAVE_SUPPORTED_CURVES
#define HAVE_HKDF
#define HAVE_EXTENDED_MASTER
#define HAVE_ENCRYPT_THEN_MAC
#define HAVE_SNI
#define HAVE_ALPN
/* RFC 6066 max_fragment_length: a client can ask for 512-4096 B records,
 * so an idle session holds far less than 2 x 16 KB. */
#define HAVE_MAX_FRAGMENT
/* RFC 8446 D.4 middlebox-compatible ChangeCipherSpec (as the host build). */
#define WOLFSSL_TLS13_MIDDLEBOX_COMPAT
/* tlswrap's DTLS code sets the MTU (wolfSSL_dtls_set_mtu). */
#ifdef WOLFSSL_DTLS
#define WOLFSSL_DTLS_MTU
#endif
/* PSK (tlsw_ctx_set_psk) stays: NO_PSK is not defined. */

/* --- What tlswrap's backend needs ----------------------------------------- */
/* No OpenSSL-compatibility layer (OPENSSL_EXTRA, OPENSSL_ALL, and so no
 * OPENSSL_EXTRA_X509_SMALL), no SESSION_CERTS, no KEEP_OUR_CERT, no
 * KEEP_PEER_CERT: tlswrap's backend uses wolfSSL's native API
 * (src/backend/wolfssl/internal.h names what it needs). Certificate dates
 * and names come from tlswrap's own DER reader, the key check from
 * wolfCrypt, the peer's leaf from a copy made in the verify callback.
 * Measured cost of the layer before this (issue #11): docs/firmware.md. */
/* Not WOLFSSL_ALT_CERT_CHAINS (the host build has it: a chain that reaches
 * a trusted CA before its end is accepted although the peer sent more).
 * With SESSION_CERTS it kept a second copy of the peer's chain in every
 * session: 8.2 KB of heap per session (measured: sizeof(WOLFSSL_SESSION)
 * 16,888 -> 8,680 B on Cortex-M4) and as much again in the session cache's
 * .bss. A device talking to
 * its own servers controls their chains; one that must accept cross-signed
 * chains with extra certificates adds it back and pays this. */
/* tlswrap's verify callback sees every certificate, also without error:
 * host name, key size and dates are checked there. */
#define WOLFSSL_ALWAYS_VERIFY_CB
#define WOLFSSL_VERIFY_CB_ALL_CERTS
/* Send the alert a failure deserves (e.g. decode_error). */
#define WOLFSSL_EXTRA_ALERTS
/* TLS exporters (tlswrap's keying-material call). */
#define HAVE_KEYING_MATERIAL

#endif
