/*
 * The wolfSSL backend's private interface: the state types and the
 * functions its files share. Only the files of src/backend/wolfssl/
 * include wolfSSL headers (the rest of tlswrap sees the backend through
 * the vtable in backend.h), and every one of them includes this header
 * first.
 *
 * Written against Debian's libwolfssl-dev 5.5.4, whose defaults are unsafe
 * and which has bugs we work around; every such place cites the section of
 * shared/docs/wolfssl-5.5.4.md ("doc §N") that measured it.
 *
 * What is tlswrap's own rule rather than wolfSSL glue (host names, SNI,
 * key sizes, dates, reason -> status, the verification sentences) lives in
 * the core (core/policy.c, core/hostname.c) and reaches this backend
 * through cfg->policy; nothing here includes a core header (ctest
 * "layering").
 *
 * Layout, one concern a file:
 *   wolfssl.c      the vtable tlswi_backend_wolfssl; library init, version,
 *                  thread cleanup, random bytes, allocator
 *   suites.c       suite table, default suites, a context's suite list
 *                  and version range
 *   crl.c          certificate revocation lists
 *   ocsp.c         OCSP stapling on the client: the request, the
 *                  staple's verdict
 *   tickets.c      session-ticket keys shared by a fleet of servers
 *   sni.c          server SNI: the requested name, the chain for it
 *   groups.c       key exchange groups: default, tlsw_ctx_set_groups, the
 *                  group agreed on
 *   context.c      WOLFSSL_CTX creation with safe settings
 *   load.c         own certificate chain and key, CA certificates
 *   verify.c       verify mode and the verify callback: the facts of each
 *                  certificate (dates, DER, issuer), judged by the core's
 *                  rules (tlsw_policy: dates, key floors, host name)
 *   psk.c          PSK callbacks
 *   session.c      WOLFSSL sessions: wrap, handshake, read, write, queries
 *   shutdown.c     the stash (TLS output the transport has not taken yet,
 *                  held by us, never by wolfSSL) and close_notify
 *   io.c           the wolfSSL I/O callbacks over tlsw_io
 *   errors.c       failed wolfSSL calls to statuses (a table of native
 *                  codes plus named cases); certificate failures handed to
 *                  the core as tlsw_failure records, which it words
 *   dtls.c         DTLS per-call accounting, failures, timers
 *   dtls_cookie.c  DTLS server cookies and secret rotation
 *   dtls_cid.c     DTLS connection IDs
 *
 * Functions shared between files carry the tlswi_wb_ prefix: tlswi_ like
 * every internal symbol of the library (tlsw_ is the public API's alone,
 * so a program linking libtlswrap.a statically meets only documented
 * names in tlsw_; tests/packaging checks it), wb_ for the wolfSSL backend.
 * Everything else is static.
 */
#ifndef TLSW_BACKEND_WOLFSSL_INTERNAL_H
#define TLSW_BACKEND_WOLFSSL_INTERNAL_H

/* The build's feature macros come first: options.h from ./configure, or,
 * for a firmware build (-DWOLFSSL_USER_SETTINGS), the user_settings.h that
 * settings.h includes; configure writes no options.h there. */
#ifndef WOLFSSL_USER_SETTINGS
#include <wolfssl/options.h>
#endif
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
#include <wolfssl/version.h>

/*
 * What tlswrap needs of a wolfSSL build, checked once, here, where the
 * backend meets wolfSSL (every backend file includes this header first).
 * A build without one of these would compile, then misbehave at run time,
 * so each is named in its own #error:
 *   >= 5.5.4                  the oldest release measured (doc §1-§10)
 *   WOLFSSL_ALWAYS_VERIFY_CB  host name and key checks run in the verify
 *                             callback, also for certificates wolfSSL
 *                             passed, and the peer's leaf is kept there
 *   WOLFSSL_VERIFY_CB_ALL_CERTS  ...for every certificate of the chain
 *                             (dates against a supplied time, key floors)
 *   WOLFSSL_TLS13, HAVE_SNI, HAVE_TLS_EXTENSIONS
 * The OpenSSL-compatibility layer (OPENSSL_EXTRA, OPENSSL_ALL),
 * SESSION_CERTS and KEEP_OUR_CERT are not needed (issue #11), and cost
 * memory in every session (issue #14); where a build has them, a few
 * calls use them (TLSW_WB_MAX_PROTO, TLSW_WB_MODES, TLSW_WB_SET_SSL_CTX,
 * ALPN's selection callback in alpn.c). DTLS, PSK, encrypted keys, a CA
 * directory, the system store, ALPN, the key log, the exporter and
 * resumption follow the build (wolfssl.c; tlsw_backend_features()).
 */
#if LIBWOLFSSL_VERSION_HEX < 0x05005004
#error "tlswrap needs wolfSSL 5.5.4 or later"
#endif
#ifndef WOLFSSL_ALWAYS_VERIFY_CB
#error \
    "tlswrap needs wolfSSL built with WOLFSSL_ALWAYS_VERIFY_CB (CFLAGS=-DWOLFSSL_ALWAYS_VERIFY_CB, or #define in user_settings.h)"
#endif
#ifndef WOLFSSL_VERIFY_CB_ALL_CERTS
#error \
    "tlswrap needs wolfSSL built with WOLFSSL_VERIFY_CB_ALL_CERTS (CFLAGS=-DWOLFSSL_VERIFY_CB_ALL_CERTS, or #define in user_settings.h)"
#endif
#ifndef WOLFSSL_TLS13
#error \
    "tlswrap needs wolfSSL built with TLS 1.3 (--enable-tls13, WOLFSSL_TLS13)"
#endif
#if !defined(HAVE_SNI) || !defined(HAVE_TLS_EXTENSIONS)
#error \
    "tlswrap needs wolfSSL built with SNI (--enable-sni: HAVE_SNI, HAVE_TLS_EXTENSIONS)"
#endif

/* wolfSSL_CTX_set_max_proto_version and wolfSSL_CTX_set_mode exist only
 * with the OpenSSL-compatibility layer (and, for the modes, a web-server
 * build); without them a TLS 1.2 cap is set per session
 * (tlswi_wb_sess_versions) and writes stop after one record by
 * themselves (session.c), as SSL_MODE_ENABLE_PARTIAL_WRITE makes them. */
#ifdef OPENSSL_EXTRA
#define TLSW_WB_MAX_PROTO 1
#else
#define TLSW_WB_MAX_PROTO 0
#endif
#if defined(OPENSSL_EXTRA) || defined(HAVE_WEBSERVER) || defined(HAVE_MEMCACHED)
#define TLSW_WB_MODES 1
#else
#define TLSW_WB_MODES 0
#endif
/* The smallest plaintext a TLS record can be limited to: wolfSSL's own
 * max_fragment_length code 6 (2^8; RFC 6066's smallest is 2^9). This build
 * has no record_size_limit (RFC 8449, down to 64), or this would be 64. */
#define TLSW_WB_MIN_RECORD 256u

/*
 * 5.5.4 defects tlswrap works around, by the first release measured without
 * them (the 5.7.2 source build; issue #10). Each workaround is compiled for
 * the builds that have the defect; its test runs on every build.
 */
#if LIBWOLFSSL_VERSION_HEX < 0x05007002
/* A TLS 1.2 server that requires a client certificate and gets none sends
 * no alert: the client hangs (session.c send_missing_cert_alert). */
#define TLSW_WB_FIX_MISSING_CERT_ALERT 1
#endif

/* Server SNI switches chains (sni.c) with the OpenSSL-compatibility
 * layer's wolfSSL_set_SSL_CTX() where the build has it; otherwise the
 * chosen context's chain and key, kept as loaded (wctx.pair), are loaded
 * into the session, natively (TLSW_WB_SET_SSL_CTX 0). */
#if defined(HAVE_SNI) && (defined(OPENSSL_ALL) || defined(OPENSSL_EXTRA) ||  \
                          defined(HAVE_STUNNEL) || defined(WOLFSSL_NGINX) || \
                          defined(WOLFSSL_HAPROXY) || defined(HAVE_LIGHTY))
#define TLSW_WB_SET_SSL_CTX 1
#else
#define TLSW_WB_SET_SSL_CTX 0
#endif

/* DTLS and the server side follow the build: a client-only wolfSSL
 * (NO_WOLFSSL_SERVER, no WOLFSSL_DTLS: the firmware-client profile) has
 * neither, the core is told so (tlsw_backend_features() without
 * TLSW_FEATURE_DTLS; ctx_init refuses a server context), and every test of
 * a context's kind below is a constant 0 there, so the compiler drops the
 * paths that would call what the build lacks. */
#ifdef WOLFSSL_DTLS
#define TLSW_WB_DTLS 1
#else
#define TLSW_WB_DTLS 0
#endif
#ifdef NO_WOLFSSL_SERVER
#define TLSW_WB_SERVER 0
#else
#define TLSW_WB_SERVER 1
#endif
#define WB_IS_DTLS(cfg) (TLSW_WB_DTLS && (cfg)->is_dtls)
/* DTLS 1.3 (RFC 9147): the source build's host profile has it
 * (--enable-dtls13); Debian's 5.5.4 does not. */
#if TLSW_WB_DTLS && defined(WOLFSSL_DTLS13)
#define TLSW_WB_DTLS13 1
#else
#define TLSW_WB_DTLS13 0
#endif
/* Connection IDs (RFC 9146/9147; dtls_cid.c): wolfSSL has them in DTLS
 * 1.3 only. A server's own ID is this long where the build allows it. */
#if TLSW_WB_DTLS13 && defined(WOLFSSL_DTLS_CID)
#define TLSW_WB_DTLS_CID 1
#else
#define TLSW_WB_DTLS_CID 0
#endif
#define TLSW_WB_CID_LEN 8
#define WB_IS_SERVER(cfg) (TLSW_WB_SERVER && (cfg)->is_server)

/* The key-exchange groups this build has: the default list and the PSK
 * list offer only these (a P-256-only firmware build would otherwise fail
 * every tlsw_ctx_new() on P-384). */
#if defined(HAVE_CURVE25519)
#define TLSW_WB_GROUP_X25519 WOLFSSL_ECC_X25519,
#else
#define TLSW_WB_GROUP_X25519
#endif
#if defined(HAVE_ECC) && !defined(NO_ECC256)
#define TLSW_WB_GROUP_P256 WOLFSSL_ECC_SECP256R1,
#else
#define TLSW_WB_GROUP_P256
#endif
#if defined(HAVE_ECC) && (defined(HAVE_ECC384) || defined(HAVE_ALL_CURVES))
#define TLSW_WB_GROUP_P384 WOLFSSL_ECC_SECP384R1,
#else
#define TLSW_WB_GROUP_P384
#endif

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "tlswrap/tlswrap.h"

#define MAX_CTX_SUITES 64

/*
 * Workarounds that only some wolfSSL releases need, keyed on the version
 * of the headers we compile against (both are measured on 5.5.4 and 5.7.2
 * only: releases in between keep the workaround, which costs a little but
 * is never wrong). Define either to 0 or 1 to override, e.g. to check that
 * a test fails without it.
 *
 * TLSW_WB_DTLS_BOUNCE: during a handshake 5.5.4 offers the recv callback
 * WOLFSSL_MAX_MTU (1400) bytes, less than io.h promises (doc §2), so io.c
 * reads through a TLSW_DTLS_MAX_DATAGRAM bounce buffer. 5.7.2 offers its
 * MTU plus DTLS_MTU_ADDITIONAL_READ_BUFFER, 1900 bytes (measured over the
 * whole of test_dtls: every recv was 1900), so it needs none.
 *
 * TLSW_WB_DTLS_FLIGHT_COPY: a 5.5.4 DTLS 1.2 server whose last flight
 * (ChangeCipherSpec, Finished) is lost never resends it when the client
 * retransmits its own last flight (RFC 6347 4.2.4 says it must), and
 * wolfSSL_dtls_retransmit() does nothing once the handshake is done: 15 of
 * 200 handshakes timed out at 10% loss (test_dtls_loss). dtls.c keeps a
 * copy of that flight and resends it. 5.7.2 resends it itself (same test,
 * 0 of 200).
 */
#ifndef TLSW_WB_DTLS_BOUNCE
#if LIBWOLFSSL_VERSION_HEX < 0x05007002
#define TLSW_WB_DTLS_BOUNCE 1
#else
#define TLSW_WB_DTLS_BOUNCE 0
#endif
#endif
#ifndef TLSW_WB_DTLS_FLIGHT_COPY
#if LIBWOLFSSL_VERSION_HEX < 0x05007002
#define TLSW_WB_DTLS_FLIGHT_COPY 1
#else
#define TLSW_WB_DTLS_FLIGHT_COPY 0
#endif
#endif

typedef struct wctx {
  WOLFSSL_CTX *ctx;
  const tlsw_config *cfg; /* the core context's settings; outlives us */
  const char *suites[MAX_CTX_SUITES];
  size_t n_suites;
  int min_v, max_v; /* TLSW_VERSION_* */
  /* tlsw_ctx_set_groups(), IANA code points; n_groups 0: the default list
   * (groups.c). */
  int groups[8];
  size_t n_groups;
  int cap_tls12; /* without TLSW_WB_MAX_PROTO: sessions fixed at 1.2 */
  /* DTLS: ctx was made with DTLS 1.2's method, not the 1.2-1.3 one. */
  unsigned char dtls12;
  /* Something only ctx holds was loaded or set (certificates, keys, CAs,
   * CRLs, ticket keys, PSK callbacks): ctx cannot be remade
   * (tlswi_wb_ctx_remethod). */
  unsigned char loaded;
  /* tlsw_ctx_set_ticket_keys() (tickets.c): [0] current, [1] previous. */
  int n_ticket_keys;
  uint8_t ticket_name[2][16];
  uint8_t ticket_key[2][32];
  /* A server's chain and key as loaded, for another context's sessions
   * whose SNI picks this one (sni.c; only without TLSW_WB_SET_SSL_CTX). */
  struct wpair *pair;
} wctx;

/* The non-CA certificate record: needed only when a peer sends a non-CA
 * certificate above the leaf, so allocated then (verify.c), not with every
 * session. */
typedef struct wnonca {
  int depth;         /* where it sat in the chain */
  size_t name_len;   /* its subject Name's DER length */
  uint8_t name[128]; /* ...and its first bytes, to match an issuer */
  char subject[96];  /* its subject, for messages */
} wnonca;

/* The peer's certificates, copied by the verify callback (verify.c), one
 * allocation of their exact size: the leaf for tlsw_session_peer_cert(),
 * and with tlsw_ctx_set_keep_peer_chain() every certificate it sent, in
 * its order (tlsw_session_peer_chain()). */
typedef struct wpeer {
  size_t n;      /* certificates of the chain as sent; 0: the leaf only
                    was kept (no tlsw_ctx_set_keep_peer_chain) */
  size_t len;    /* the leaf's length; der starts with it */
  uint8_t der[]; /* the leaf, then each further one as 4-byte length +
                    DER */
} wpeer;

/* A PSK client's identity and key, one allocation made at wrap time for
 * PSK sessions only; the key is wiped before it is freed (session.c). */
/* A DTLS server's last flight, kept while the client may still ask for it
 * again (dtls.c; only with TLSW_WB_DTLS_FLIGHT_COPY). */
typedef struct wflight wflight;

/* A DTLS session's flags, together: which of them can be set at once is
 * DTLS's business alone (dtls.c). */
typedef struct wdtls_flags {
  unsigned char hvr_sent;     /* our HelloVerifyRequest went out */
  unsigned char ch_good;      /* server: a ClientHello's cookie checked */
  unsigned char rx_limit;     /* this call may read one datagram only */
  unsigned char timed_out;    /* a transport timeout made us retransmit */
  unsigned char ch_seq_known; /* ch_seq is set */
  unsigned char can13;        /* the session may negotiate DTLS 1.3 */
  unsigned char cookie13;     /* server: a hello carried a 1.3 cookie */
#if TLSW_WB_DTLS_FLIGHT_COPY
  unsigned char flight_over; /* server: our last flight is complete */
#endif
} wdtls_flags;

typedef struct wpsk {
  size_t key_len;
  uint8_t key[64];
  char identity[]; /* NUL-terminated, allocated to its length */
} wpsk;

/*
 * A session's backend state. It is allocated with every session (core
 * session.c), so it keeps inline only what every session uses; rare or
 * variable-length data lives behind pointers allocated at wrap time or
 * when the case arises, never per read or write (issue #2: tlswrap's own
 * per-session state stays well under 1 KB; tests/test_session_size.c
 * measures it). Pointers and word-sized fields first, bytes last: no
 * padding between groups.
 */
typedef struct wsess {
  /* What every read, write and transport callback of an open TLS session
   * touches, together: one cache line on 64-bit hosts (64 bytes, checked
   * by tests/test_session_size.c), since a server moves between many
   * sessions. */
  WOLFSSL *ssl;
  const tlsw_config *cfg;
  const tlsw_io *io;
  /* TLS (shutdown.c): what wolfSSL sent that the transport has not taken
   * yet, held here rather than in wolfSSL (see tlswi_wb_stash_send);
   * pending while stash_off < stash_len. */
  size_t stash_len, stash_off;
  unsigned last_want; /* direction of the last blocked callback */
  int io_status;      /* transport failure seen by a callback, or 0 */
  /* 0 until wolfSSL sends a fatal alert; then 1 + how many more bytes may
   * go out: those up to the end of that alert (io.c). */
  unsigned fatal_room;
  unsigned wr_done; /* TLS: bytes a write that blocked has consumed */
  unsigned char io_eof;
  unsigned char stash_on;   /* tlswi_wb_tls_send stashes instead of blocking */
  unsigned char close_done; /* wolfSSL_shutdown() has run */
  /* TLS: the first 5 bytes of the transport's latest delivery, the record
   * header when wolfSSL read one, so that a record it refuses to parse can
   * still be named (errors.c); rx_hdr[0] is 0 when that delivery was
   * shorter (no record type is 0). */
  uint8_t rx_hdr[5];
  /* The rest: the handshake, verification, DTLS, failures. */
  tlsw_err *err;
  uint8_t *stash;
  /* Verification (verify.c); settings are copied at wrap time so later
   * context changes do not reach this session. */
  tlsw_verify_rec *vrec; /* the core's record of the outcome */
  tlsw_verify_fn verify_cb;
  void *verify_user;
  tlsw_time_fn time_cb;
  void *time_user;
  int64_t fixed_time;
  /* One string per role, sharing a pointer (tlswi_malloc, NULL: none):
   * the 600-byte budget per session (tests/test_session_size.c). */
  union {
    char *host; /* client: server_hostname to match (verify.c) */
    char *alpn; /* server: its ALPN list, for select_cb (alpn.c) */
  } name;
  wnonca *nonca; /* a sent non-CA certificate at depth > 0, or NULL */
  wpeer *peer;   /* the peer's leaf certificate, or NULL */
  /* PSK, copied from the config at wrap time (psk.c). */
  wpsk *psk; /* client key and identity, NULL unless a PSK client */
  tlsw_psk_fn psk_cb;
  void *psk_user;
  /* DTLS (dtls.c, dtls_cookie.c) */
  /* One pointer for two roles that never meet (the 600-byte budget,
   * tests/test_session_size.c); NULL: none.
   * - cookie_prev: a DTLS server's previous cookie secret;
   * - ocsp: a TLS client with OCSP stapling on, the capture of the
   *   CertificateStatus message (ocsp.c), until the handshake ends. */
  union {
    uint8_t *cookie_prev;
    struct wocsp *ocsp;
  } role;
#if TLSW_WB_DTLS_FLIGHT_COPY
  wflight *flight; /* server: copy of the last flight, or NULL */
#endif
  unsigned long tx_total; /* datagrams sent by this session */
  size_t rx_too_big;      /* size of a datagram we had to refuse */
  int io_errno;
  tlsw_verify_mode verify_mode;
  unsigned min_rsa_bits;       /* peer RSA keys below this are weak */
  unsigned rx_count, tx_count; /* DTLS: datagrams in/out during this call */
  unsigned retransmits;        /* DTLS */
  uint16_t ch_seq;        /* DTLS: message_seq of the ClientHello (16 bits) */
  unsigned char has_time; /* time_cb or fixed_time replaces the clock */
  unsigned char verify_abort; /* our callback failed the handshake */
  /* Another callback of ours (SNI) failed the handshake and worded why
   * in err: the alert wolfSSL then reports is our own (errors.c). */
  unsigned char hook_abort;
  unsigned char leaf_checked; /* the callback saw the depth-0 certificate */
  unsigned char cn_fallback;  /* tlsw_ctx_set_hostname_cn_fallback() */
  unsigned char cert_rules;   /* TLSW_RULE_* (policy->check_cert) */
  /* DTLS's flags (dtls.c, dtls_cookie.c, io.c), one byte each: bytes
   * last, no padding. */
  wdtls_flags dtls;
} wsess;

/* A DTLS cookie secret (the context's, core/cookie.h) */
#define TLSW_WB_COOKIE_LEN 32

/* Volatile stores, so the compiler cannot drop the wipe of a dead buffer. */
static inline void tlswi_wb_wipe(void *p, size_t n) {
  volatile uint8_t *v = p;
  while (n--) *v++ = 0;
}

/* wolfssl.c holds the vtable; the operations are defined in: */

/* sni.c: the servername callback on a server context; the session's
 * requested (server) or sent (client) name. */
void tlswi_wb_sni_ctx_init(wctx *w);
/* Keep (replacing any) or drop a server context's chain and key for SNI;
 * fmt: WOLFSSL_FILETYPE_PEM or _ASN1. The key is wiped when dropped. */
int tlswi_wb_sni_keep_pair(wctx *w, const uint8_t *cert, size_t cert_len,
                           int cert_fmt, const uint8_t *key, size_t key_len,
                           int key_fmt, int key_kind);
void tlswi_wb_sni_drop_pair(wctx *w);
const char *tlswi_wb_sess_server_name(const void *bsess);

/* key_kind: 'R' (RSA) or 'E' (EC) when the session's own key differs from
 * its context's, else 0. */
int tlswi_wb_sess_resuite(const wctx *w, WOLFSSL *ssl, int key_kind);

/* groups.c */
int tlswi_wb_apply_groups(wctx *w, const tlsw_config *cfg);
int tlswi_wb_ctx_set_groups(void *bctx, const tlsw_config *cfg,
                            const uint16_t *ids, size_t n, tlsw_err *e);
unsigned tlswi_wb_sess_group(const void *bsess);

/* suites.c */
int tlswi_wb_suites_init(void);
void tlswi_wb_default_suites(wctx *w);
int tlswi_wb_available_ciphers(const char **names, size_t max, size_t *out_n);
int tlswi_wb_apply_versions(wctx *w, const tlsw_config *cfg);
int tlswi_wb_apply_suites(wctx *w, tlsw_err *e);
int tlswi_wb_ctx_set_ciphers(void *bctx, const tlsw_config *cfg,
                             const char *const *names, size_t n, tlsw_err *e);
int tlswi_wb_ctx_get_ciphers(const void *bctx, const char **names, size_t max,
                             size_t *out_n);
int tlswi_wb_ctx_set_versions(void *bctx, const tlsw_config *cfg, int min_v,
                              int max_v, tlsw_err *e);
#if !TLSW_WB_MAX_PROTO
int tlswi_wb_sess_versions(const wctx *w, WOLFSSL *ssl);
#endif

/* context.c */
WOLFSSL_METHOD *tlswi_wb_method_for(const tlsw_config *cfg);
int tlswi_wb_ctx_init(void *bctx, const tlsw_config *cfg, tlsw_err *e);
int tlswi_wb_ctx_remethod(wctx *w, const tlsw_config *cfg, tlsw_err *e);
void tlswi_wb_ctx_free(void *bctx);

/* load.c */
int tlswi_wb_ctx_load_cert_chain(void *bctx, const tlsw_config *cfg,
                                 const uint8_t *cert, size_t cert_len,
                                 const uint8_t *key, size_t key_len,
                                 const char *password, tlsw_err *e);
int tlswi_wb_is_pem(const uint8_t *d, size_t len);

/* load_ca.c */
int tlswi_wb_ctx_load_ca_mem(void *bctx, const uint8_t *data, size_t len,
                             tlsw_err *e);
int tlswi_wb_ctx_load_ca_dir(void *bctx, const char *path, tlsw_err *e);
int tlswi_wb_ctx_load_ca_system(void *bctx, tlsw_err *e);

/* verify.c */
int tlswi_wb_apply_verify(wctx *w, const tlsw_config *cfg);
int tlswi_wb_ctx_set_verify(void *bctx, const tlsw_config *cfg, tlsw_err *e);
int tlswi_wb_verify_finish(wsess *s);

/* psk.c */
void tlswi_wb_apply_psk(wctx *w, const tlsw_config *cfg);

/* session.c */
int tlswi_wb_sess_init(void *bsess, void *bctx, const tlsw_config *cfg,
                       const tlsw_sess_params *p);
void tlswi_wb_sess_free(void *bsess);
int tlswi_wb_handshake(void *bsess, unsigned *want);
int tlswi_wb_read(void *bsess, void *buf, size_t len, size_t *out_n,
                  unsigned *want);
int tlswi_wb_write(void *bsess, const void *buf, size_t len, size_t *out_n,
                   unsigned *want);
size_t tlswi_wb_pending(const void *bsess);
const char *tlswi_wb_version_name(const void *bsess);
const char *tlswi_wb_cipher_name(const void *bsess);
int tlswi_wb_peer_cert(const void *bsess, const uint8_t **der, size_t *len);
/* alpn.c */
void tlswi_wb_alpn_ctx_init(wctx *w);
int tlswi_wb_alpn_setup(wsess *s, const tlsw_config *cfg, tlsw_err *e);
int tlswi_wb_alpn_selected(const void *bsess, const char **name, size_t *len);
/* From the server's SNI callback (sni.c): where wolfSSL has no selection
 * callback, narrow the session's ALPN list to the core's pick. */
int tlswi_wb_alpn_server_pick(wsess *s);

/* resume.c: resumption needs wolfSSL's session serialisation and
 * tickets. */
#if defined(HAVE_EXT_CACHE) && defined(HAVE_SESSION_TICKET)
#define TLSW_WB_RESUMPTION 1
#else
#define TLSW_WB_RESUMPTION 0
#endif
/* Shared ticket keys (tickets.c) seal with ChaCha20-Poly1305. */
#if TLSW_WB_RESUMPTION && defined(HAVE_CHACHA) && defined(HAVE_POLY1305)
#define TLSW_WB_TICKET_KEYS 1
#else
#define TLSW_WB_TICKET_KEYS 0
#endif
int tlswi_wb_resume_setup(wsess *s, const tlsw_config *cfg,
                          const tlsw_sess_params *p);
int tlswi_wb_sess_save(void *bsess, uint8_t *buf, size_t cap, size_t *len,
                       tlsw_err *e);
int tlswi_wb_resumed(const void *bsess);
const char *tlswi_wb_sess_host(const void *bsess);

/* secrets.c */
void tlswi_wb_secrets_setup(wsess *s, const tlsw_config *cfg);
void tlswi_wb_secrets_done(wsess *s);
int tlswi_wb_export_keying_material(void *bsess, const char *label,
                                    const uint8_t *context, size_t context_len,
                                    uint8_t *out, size_t out_len, tlsw_err *e);
int tlswi_wb_verify_result(const void *bsess);

/* shutdown.c */
int tlswi_wb_shutdown(void *bsess, unsigned *want);
int tlswi_wb_key_update(void *bsess, unsigned *want, tlsw_err *e);
int tlswi_wb_peer_chain(const void *bsess, size_t i, const uint8_t **der,
                        size_t *len);

/* tickets.c */
int tlswi_wb_ctx_set_ticket_keys(void *bctx, const uint8_t *current,
                                 const uint8_t *previous, size_t len,
                                 tlsw_err *e);
/* wolfssl.c: len random bytes from wolfCrypt's DRBG. */
int tlswi_wb_random(uint8_t *buf, size_t len);

/* crl.c */
int tlswi_wb_ctx_load_crl(void *bctx, const uint8_t *data, size_t len,
                          tlsw_err *e);
int tlswi_wb_ctx_crl_mode(void *bctx, tlsw_err *e);

/* ocsp.c: OCSP stapling needs the OCSP response verifier, status_request,
 * a client, and the producedDate query (ASN time) that tells a session
 * whose staple verified. */
#if defined(HAVE_OCSP) && defined(HAVE_CERTIFICATE_STATUS_REQUEST) && \
    !defined(NO_ASN_TIME) && !defined(NO_WOLFSSL_CLIENT)
#define TLSW_WB_OCSP 1
#else
#define TLSW_WB_OCSP 0
#endif
int tlswi_wb_ctx_set_ocsp(void *bctx, tlsw_err *e);
/* At wrap time: ask for a staple when the context's mode says so. */
int tlswi_wb_ocsp_setup(wsess *s, const tlsw_config *cfg, tlsw_err *e);
/* After a successful handshake: record a staple that verified. */
void tlswi_wb_ocsp_done(wsess *s);
/* A failed handshake's native code, when it is OCSP's: the failure worded
 * and recorded (its status), else 0. */
int tlswi_wb_ocsp_failure(wsess *s, int err);
/* io.c: bytes the transport delivered, while s->ocsp is set. */
void tlswi_wb_ocsp_feed(wsess *s, const uint8_t *p, size_t n);
/* sess_free: the capture, if any. */
void tlswi_wb_ocsp_free(wsess *s);
int tlswi_wb_stash_send(wsess *s, const uint8_t *buf, size_t sz);
/* The same after a first transport try of a stash that held nothing: r is
 * what tlswi_wb_tls_put() returned for buf. */
int tlswi_wb_stash_rest(wsess *s, const uint8_t *buf, size_t sz, int r);
/* Send the stash; TLSW_OK once it is all out, else TLSW_WANT_* (*want set)
 * or the transport's fatal status. */
int tlswi_wb_flush_stash(wsess *s, unsigned *want);
/* After a wolfSSL call made with stash_on failed: the status of a stash
 * that could not hold the output (no memory, over its bound), or 0. */
int tlswi_wb_stash_failure(wsess *s);
static inline int tlswi_wb_stash_pending(const wsess *s) {
  return s->stash_off < s->stash_len;
}

/* io.c: wolfSSL's I/O callbacks, one pair for TLS contexts and one for
 * DTLS contexts (context.c), so that the per-record path of each has no
 * branch for the other. */
int tlswi_wb_tls_recv(WOLFSSL *ssl, char *buf, int sz, void *vctx);
int tlswi_wb_tls_send(WOLFSSL *ssl, char *buf, int sz, void *vctx);
int tlswi_wb_dtls_recv(WOLFSSL *ssl, char *buf, int sz, void *vctx);
int tlswi_wb_dtls_send(WOLFSSL *ssl, char *buf, int sz, void *vctx);
/* The TLS transport side: bytes to the session's tlsw_io now, or a
 * WOLFSSL_CBIO_ERR_* code (what the stash flushes through). */
int tlswi_wb_tls_put(wsess *s, const uint8_t *buf, int sz);

/* errors.c */
tlsw_cert_reason tlswi_wb_cert_reason(int err);
int tlswi_wb_record_failure_ex(wsess *s, tlsw_cert_reason reason, int depth,
                               const char *subject, long code,
                               const char *detail, int force);
int tlswi_wb_record_failure(wsess *s, tlsw_cert_reason reason, int depth,
                            const char *subject, long code, const char *detail);
int tlswi_wb_decode_failure(wsess *s, int ret);
/* A transport failure seen by an I/O callback (s->io_status) as a status
 * and message; code: the native code to record. */
int tlswi_wb_io_failure(wsess *s, long code);

/* dtls.c */
int tlswi_wb_dtls_failure(wsess *s, int r);
void tlswi_wb_dtls_begin_call(wsess *s, int one_datagram);
size_t tlswi_wb_dtls_max_payload(const void *bsess);
long tlswi_wb_dtls_timeout_ms(const void *bsess);
int tlswi_wb_dtls_handle_timeout(void *bsess, unsigned *want);
int tlswi_wb_dtls_fresh(const void *bsess);
int tlswi_wb_dtls_screen(wsess *s, const uint8_t *d, size_t n);
void tlswi_wb_dtls_sent(wsess *s, const uint8_t *d, size_t n);
/* The peer's application data arrived: it has our last flight. */
void tlswi_wb_dtls_flight_free(wsess *s);

/* dtls_cookie.c */
void tlswi_wb_pick_cookie_secret(wsess *s, const uint8_t *d, size_t n);
int tlswi_wb_dtls13_pending(const wsess *s);
/* dtls_cid.c */
#if TLSW_WB_DTLS_CID
int tlswi_wb_ctx_set_dtls_cid(void *bctx, const tlsw_config *cfg, tlsw_err *e);
int tlswi_wb_dtls_cid_setup(wsess *s, const wctx *w, const tlsw_config *cfg,
                            tlsw_err *e);
int tlswi_wb_dtls_cid(const void *bsess, uint8_t *buf, size_t cap, size_t *len);
#endif
int tlswi_wb_dtls13_on(const wsess *s);
int tlswi_wb_dtls_cookie_setup(wsess *s, const tlsw_sess_params *p);
/* Wipe and free the previous cookie secret, if held. */
void tlswi_wb_drop_cookie_prev(wsess *s);

#if !TLSW_WB_DTLS
/* No DTLS session exists in such a build: nothing to free. */
static inline void tlswi_wb_dtls_flight_free_none(wsess *s) {
  (void)s;
}
#define tlswi_wb_dtls_flight_free tlswi_wb_dtls_flight_free_none
#define tlswi_wb_drop_cookie_prev tlswi_wb_dtls_flight_free_none
#endif

#endif
