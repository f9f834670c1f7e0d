/*
 * The backend contract, shaped like curl's vtls: one const vtable per TLS
 * library, with a name, feature bits and the size of its private state. The
 * core allocates that state (ctx_size / sess_size bytes, zeroed, aligned
 * for any type) and hands it to every operation as `void *`.
 *
 * The one header between the core and a backend: it includes only public
 * headers and src/support/ (never a core header), and a backend includes
 * nothing of the core's; what the core lends a backend (its rules and
 * wording) travels through tlsw_policy below. scripts/check-layers.py
 * (ctest "layering") holds both to it.
 *
 * Conventions for every operation that returns int: a tlsw status. On
 * failure the operation fills the tlsw_err it was given (status, native
 * code, message); verification failures go through tlsw_policy.report,
 * which words them. I/O operations set *want to TLSW_DIR_READ /
 * TLSW_DIR_WRITE whenever they return TLSW_WANT_*.
 *
 * Optional operations (marked so) may be NULL, each with its own meaning
 * to the core, never an error: thread_cleanup (nothing to free),
 * dtls_max_payload (0: no limit known), dtls_timeout_ms (no timer runs),
 * dtls_handle_timeout (nothing to resend: TLSW_WANT_READ), dtls_fresh (no
 * session counts as fresh). A backend without DTLS leaves the DTLS
 * entries NULL and TLSW_FEATURE_DTLS clear, and tlsw_ctx_new() refuses DTLS
 * contexts with TLSW_ERR_UNSUPPORTED.
 */
#ifndef TLSW_BACKEND_H
#define TLSW_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "support/message.h"
#include "tlswrap/context.h"
#include "tlswrap/io.h"
#include "tlswrap/session.h"

/* The outcome of verifying the peer. The core owns it (it must outlive the
 * backend state of a session that failed); the core's report() fills it
 * from what the backend found during the handshake. */
typedef struct tlsw_verify_rec {
  unsigned char checked; /* 1 once a peer certificate was examined */
  /* tlsw_ocsp_status: what the stapled OCSP response said. A byte beside
   * checked, so the record stays 16 bytes (the session budget). */
  unsigned char ocsp;
  int status; /* TLSW_OK, or the first failure's TLSW_ERR_CERT_* */
  int reason; /* tlsw_cert_reason of the first failure */
  int depth;  /* depth of the failing certificate, -1 when none */
} tlsw_verify_rec;

/* A certificate date in UTC, as the certificate states it; each backend
 * converts its library's date type into this. */
typedef struct tlsw_date {
  int year;                             /* e.g. 2026 */
  int month, day, hour, minute, second; /* month 1-12 */
} tlsw_date;

/* What a backend needs of a certificate besides its library's verdict,
 * read from the DER by the core (core/der.c), so no backend needs its
 * library's certificate objects for them (wolfSSL's cost the
 * OpenSSL-compatibility layer: issue #11). Pointers point into the DER. */
typedef struct tlsw_cert_facts {
  tlsw_date not_before, not_after;
  int is_ca;           /* basicConstraints cA is TRUE */
  const uint8_t *spki; /* the SubjectPublicKeyInfo, tag and length included */
  size_t spki_len;
  const uint8_t *subject; /* the subject Name's contents (its RDNs) */
  size_t subject_len;
  const uint8_t *issuer; /* the issuer Name's contents */
  size_t issuer_len;
} tlsw_cert_facts;

/* A failure as facts, for the core to word (tlsw_policy.report): the
 * backend never writes a verification sentence itself. */
typedef struct tlsw_failure {
  int status;              /* TLSW_ERR_*; ignored when reason is set */
  long native;             /* the backend library's own code, or 0 */
  tlsw_cert_reason reason; /* a certificate failure's reason, or NONE */
  int depth;               /* the failing certificate's depth, -1: none */
  const char *subject;     /* its subject, or NULL */
  const char *detail;      /* appended to the reason text, or NULL */
  int alert;               /* TLSW_ERR_ALERT: the alert received, or -1 */
  int force;               /* replace an earlier certificate failure (the verify
                            * callback's rejection: it is what ends the handshake) */
} tlsw_failure;

/*
 * tlswrap's own rules, which the core lends every backend (core/policy.c,
 * core/hostname.c): a backend finds the facts (a certificate's DER and
 * dates, a suite's name, a native error) and asks these for the verdict
 * and the sentence, so a backend on another TLS library reuses them
 * unchanged. Reached through tlsw_config.policy, never NULL.
 */
struct tlsw_config; /* below: it points at the policy */

typedef struct tlsw_policy {
  /* 1 when host names the leaf (RFC 6125 / iPAddress; see hostname.c). */
  int (*host_matches)(const char *host, const uint8_t *der, size_t len,
                      int cn_fallback);
  /* The key-size floor for a peer's certificate: NONE, or WEAK_KEY / OTHER
   * with detail filled (detail, cap: the text to append to the reason). */
  tlsw_cert_reason (*check_key)(unsigned min_rsa_bits, const uint8_t *der,
                                size_t len, char *detail, size_t cap);
  /* now (seconds since 1970 UTC; negative: unknown) against the validity
   * dates: NONE, NOT_YET_VALID, EXPIRED or NO_TIME. */
  tlsw_cert_reason (*check_dates)(int64_t now, const tlsw_date *not_before,
                                  const tlsw_date *not_after);
  /* 1 when a negotiated suite (IANA or backend name) is a PSK suite. */
  int (*is_psk_suite)(const char *suite);
  /* Word a failure into e and, for a certificate failure, record it in v
   * (the first one wins unless force). Returns the failure's status (a
   * certificate failure already recorded: the recorded one). */
  int (*report)(tlsw_err *e, tlsw_verify_rec *v, const tlsw_failure *f);
  /* A server's ALPN choice: the first of ours (a comma-separated list)
   * that offered (the ClientHello's length-prefixed names) holds; 1 and
   * *sel pointing into offered, or 0: nothing in common. */
  int (*alpn_select)(const char *ours, const uint8_t *offered, size_t len,
                     const uint8_t **sel, uint8_t *sel_len);
  /* A secret for the key log (core/secrets.c): formats the NSS line
   * "label <client random> <secret>" and calls cfg->keylog_cb. label is
   * the NSS name (CLIENT_RANDOM, CLIENT_TRAFFIC_SECRET_0 ...); random is
   * the 32-byte ClientHello random. */
  void (*keylog)(const struct tlsw_config *cfg, const char *label,
                 const uint8_t *random, size_t random_len,
                 const uint8_t *secret, size_t secret_len);
  /* A DER certificate's dates, names, key and cA flag: 1, or 0 when it
   * (or one of its dates) cannot be read. */
  int (*cert_facts)(const uint8_t *der, size_t len, tlsw_cert_facts *out);
  /* How messages name a certificate: "CN=<its CN>", else the subject's
   * one-line form ("/C=XX/O=Org"), NUL-terminated in buf (cut to fit). */
  void (*cert_subject)(const uint8_t *der, size_t len, char *buf, size_t cap);
  /* tlswrap's rules on one certificate the peer sent, read from its DER
   * (depth: 0 the leaf): no MD5/SHA-1 signature unless rules has
   * TLSW_RULE_ALLOW_WEAK_SIG (a self-issued certificate excepted), and
   * for the leaf, keyUsage / extendedKeyUsage fit for the peer's role
   * (rules: the session's copy of tlsw_config.cert_rules). NONE, or
   * WEAK_SIGNATURE / KEY_USAGE / OTHER with detail filled. */
  tlsw_cert_reason (*check_cert)(unsigned rules, const uint8_t *der, size_t len,
                                 int depth, char *detail, size_t cap);
  /* A server's SNI choice (core/sni.c) for the client's name (NULL: none
   * sent): TLSW_OK with *bctx the backend context whose chain to present
   * (NULL: cfg's own), or a refusal worded into e (send
   * unrecognized_name). */
  int (*sni_select)(const struct tlsw_config *cfg, const char *name,
                    void **bctx, tlsw_err *e);
  /* What a DER OCSPResponse says of the leaf (DER): TLSW_OCSP_GOOD,
   * _REVOKED, or _INVALID (unreadable, not successful, no SingleResponse
   * for the leaf's serial, or "unknown"). It reads, never verifies: for
   * wording a refusal the backend's verifier already made. */
  int (*ocsp_said)(const uint8_t *resp, size_t len, const uint8_t *leaf,
                   size_t leaf_len);
} tlsw_policy;

/* Settings the core keeps for a context and passes down. */
typedef struct tlsw_config {
  const tlsw_policy *policy; /* the core's rules; static, never NULL */
  tlsw_protocol protocol;
  int is_server;
  int is_dtls;
  tlsw_verify_mode verify_mode;
  tlsw_verify_fn verify_cb;
  void *verify_user;
  tlsw_password_fn password_cb;
  void *password_user;
  /* Smallest RSA key accepted, own or peer's, in bits; 0: backend default
   * (1024 on wolfSSL). Applied when keys are loaded and sessions made. */
  unsigned min_rsa_bits;
  /* 1: a leaf without subjectAltName is matched by its subject CN. */
  int host_cn_fallback;
  /* 1: a certificate chain and key are loaded (set by the core). A server
   * without one or a PSK callback is never given to sess_init. */
  int has_chain;
  /* PSK (tlsw_ctx_set_psk / _server_callback). psk_key_len > 0: client
   * PSK set; psk_cb != NULL: server lookup set. The backend installs its
   * PSK hooks in ctx_set_ciphers when either is present. */
  uint8_t psk_identity[129]; /* NUL-terminated */
  size_t psk_identity_len;
  uint8_t psk_key[64];
  size_t psk_key_len;
  tlsw_psk_fn psk_cb;
  void *psk_user;
  /* Certificate dates are checked against time_cb(time_user) when set,
   * else against fixed_time when has_fixed_time, else the system clock.
   * Only for backends with TLSW_FEATURE_TIME_SOURCE. */
  tlsw_time_fn time_cb;
  void *time_user;
  int64_t fixed_time;
  int has_fixed_time;
  /* ALPN protocols, comma-separated and checked (core/alpn.c), or NULL:
   * none. A client offers them in this order, a server picks the first of
   * them the client offered. Copied by sess_init. */
  char *alpn;
  /* Key log (tlsw_ctx_set_keylog_callback), or NULL: none. A backend with
   * TLSW_FEATURE_KEYLOG hands each secret to policy->keylog with this. */
  tlsw_keylog_fn keylog_cb;
  void *keylog_user;
  /* 1: sessions keep what export_keying_material needs
   * (tlsw_ctx_set_exporter). */
  int exporter;
  /* 0: no session tickets (tlsw_ctx_set_session_tickets); default 1. */
  int tickets;
  /* 1: sessions keep every certificate the peer sent
   * (tlsw_ctx_set_keep_peer_chain), not only the leaf. */
  int keep_peer_chain;
  /* 1: CRLs are checked for every certificate of the chain below the
   * trust anchor, not only the leaf (tlsw_ctx_set_crl_check_chain). */
  int crl_chain;
  int crl_loaded; /* set by the core once a CRL is loaded */
  /* tlsw_ocsp_mode (tlsw_ctx_set_ocsp_stapling): a client asks for an
   * OCSP staple (sess_init) and checks it. */
  int ocsp_mode;
  /* 1: DTLS connection IDs (tlsw_ctx_set_dtls_cid; sess_init). */
  int dtls_cid;
  /* TLSW_RULE_* for policy->check_cert; a backend copies it into each
   * session at sess_init (settings apply to sessions wrapped afterwards). */
  unsigned cert_rules;
} tlsw_config;

/* tlsw_config.cert_rules */
#define TLSW_RULE_PEER_IS_CLIENT 1u /* a server's context: check clientAuth */
#define TLSW_RULE_ALLOW_WEAK_SIG 2u /* tlsw_ctx_allow_weak_signatures() */

/* What a new session is made from. io, err and verify point into the core
 * session and stay valid for the whole life of the backend session; every
 * other pointer is valid during sess_init only (the backend copies what it
 * keeps), as its field says. */
typedef struct tlsw_sess_params {
  const tlsw_io *io;
  const char *server_hostname; /* NULL: none; valid during sess_init only */
  /* What SNI carries: the first sni_len bytes of server_hostname (the
   * core's rule, core/hostname.c: no IP literal, no trailing dot); 0: send
   * no SNI. */
  size_t sni_len;
  const uint8_t *client_id; /* valid during sess_init only */
  size_t client_id_len;
  tlsw_err *err; /* the session's failure record, for callbacks */
  /* DTLS server cookie secrets (current; previous or NULL), each
   * cookie_secret_len bytes. Valid during sess_init only: the backend copies
   * what it keeps, so the context may rotate them at any time. */
  const uint8_t *cookie_secret;
  const uint8_t *cookie_prev_secret;
  size_t cookie_secret_len;
  tlsw_verify_rec *verify; /* the session's verification record */
  /* Client: the backend's part of a saved session (sess_save's bytes) to
   * resume, or NULL; valid during sess_init only. The core has checked
   * that it was saved for this host and verify mode. */
  const uint8_t *resume;
  size_t resume_len;
} tlsw_sess_params;

typedef struct tlsw_backend {
  const char *name;
  unsigned features; /* TLSW_FEATURE_* */
  size_t ctx_size;
  size_t sess_size;

  /* Library */
  /* Called once, under the platform once (again after TLSW_ERR_NOMEM). On
   * another failure *why may be set to a static sentence for
   * tlsw_init_message(). */
  int (*global_init)(const char **why);
  const char *(*version)(void);
  void (*thread_cleanup)(void); /* optional */
  int (*available_ciphers)(const char **names, size_t max, size_t *out_n);
  /* Fill buf with len random bytes from the backend's CSPRNG. */
  int (*random)(uint8_t *buf, size_t len);
  /* Optional: SHA-256 of data into out (certificate fingerprints). */
  int (*sha256)(const uint8_t *data, size_t len, uint8_t out[32]);

  /* Contexts */
  int (*ctx_init)(void *bctx, const tlsw_config *cfg, tlsw_err *e);
  void (*ctx_free)(void *bctx);
  int (*ctx_set_verify)(void *bctx, const tlsw_config *cfg, tlsw_err *e);
  int (*ctx_load_cert_chain)(void *bctx, const tlsw_config *cfg,
                             const uint8_t *cert, size_t cert_len,
                             const uint8_t *key, size_t key_len,
                             const char *password, tlsw_err *e);
  int (*ctx_load_ca_mem)(void *bctx, const uint8_t *data, size_t len,
                         tlsw_err *e);
  int (*ctx_load_ca_dir)(void *bctx, const char *path, tlsw_err *e);
  int (*ctx_load_ca_system)(void *bctx, tlsw_err *e);
  int (*ctx_set_ciphers)(void *bctx, const tlsw_config *cfg,
                         const char *const *names, size_t n, tlsw_err *e);
  int (*ctx_get_ciphers)(const void *bctx, const char **names, size_t max,
                         size_t *out_n);
  int (*ctx_set_versions)(void *bctx, const tlsw_config *cfg, int min_v,
                          int max_v, tlsw_err *e);

  /* Sessions */
  int (*sess_init)(void *bsess, void *bctx, const tlsw_config *cfg,
                   const tlsw_sess_params *p);
  void (*sess_free)(void *bsess);
  int (*handshake)(void *bsess, unsigned *want);
  int (*read)(void *bsess, void *buf, size_t len, size_t *out_n,
              unsigned *want);
  int (*write)(void *bsess, const void *buf, size_t len, size_t *out_n,
               unsigned *want);
  int (*shutdown)(void *bsess, unsigned *want);
  size_t (*pending)(const void *bsess);
  const char *(*version_name)(const void *bsess);
  const char *(*cipher_name)(const void *bsess);
  int (*peer_cert)(const void *bsess, const uint8_t **der, size_t *len);
  /* Optional: certificate i (0: the leaf) of those the peer sent, kept when
   * cfg->keep_peer_chain: TLSW_OK, TLSW_ERR_ARG past the last,
   * TLSW_ERR_STATE when none was kept. */
  int (*peer_chain)(const void *bsess, size_t i, const uint8_t **der,
                    size_t *len);
  /* TLSW_OK, a TLSW_ERR_CERT_* status, or TLSW_ERR_STATE (not verified). */
  int (*verify_result)(const void *bsess);

  /* DTLS (each optional; see the top of this file) */
  size_t (*dtls_max_payload)(const void *bsess);
  /* ms until the retransmission timer fires, or -1 when none runs. */
  long (*dtls_timeout_ms)(const void *bsess);
  int (*dtls_handle_timeout)(void *bsess, unsigned *want);
  /* DTLS server: 1 while the session has not accepted a ClientHello with a
   * valid cookie (it holds no per-peer state worth keeping), else 0. */
  int (*dtls_fresh)(const void *bsess);
  /* Optional (NULL: no connection IDs). ctx_set_dtls_cid: whether
   * cfg->dtls_cid can apply to this context (TLSW_OK, or a status with
   * e set); dtls_cid: the session's receive connection ID into buf (cap
   * bytes), *len its length (0: none); TLSW_ERR_TOO_BIG when cap is
   * short. */
  int (*ctx_set_dtls_cid)(void *bctx, const tlsw_config *cfg, tlsw_err *e);
  int (*dtls_cid)(const void *bsess, uint8_t *buf, size_t cap, size_t *len);

  /* Route the backend's own allocations (called before global_init). */
  /* Optional (NULL: never any): the ALPN protocol a completed handshake
   * agreed on, *name not NUL-terminated and valid while bsess lives;
   * TLSW_OK with *len 0 when none was. */
  int (*alpn_selected)(const void *bsess, const char **name, size_t *len);
  /* Optional (NULL: no exporter): RFC 5705 / RFC 8446 7.5 keying
   * material of a completed handshake; the core has checked the arguments
   * (label not reserved, context NULL only with context_len 0). */
  /* Optional (NULL: no resumption). sess_save: the client session's state
   * as bytes into buf (NULL: size only), *len their size; TLSW_ERR_TOO_BIG
   * when cap is short, TLSW_ERR_STATE when there is nothing to resume
   * yet. resumed: 1 when the completed handshake resumed a session. */
  int (*sess_save)(void *bsess, uint8_t *buf, size_t cap, size_t *len,
                   tlsw_err *e);
  int (*resumed)(const void *bsess);
  /* A client session's server_hostname as wrapped, or NULL. */
  const char *(*sess_host)(const void *bsess);
  /* Optional (NULL: none): send a TLS 1.3 KeyUpdate requesting the
   * peer's (the core has checked: an established TLS session, not in a
   * callback). TLSW_OK: made (maybe still queued, leaving before later
   * output); TLSW_WANT_*: earlier output blocks and nothing was made. */
  int (*key_update)(void *bsess, unsigned *want, tlsw_err *e);
  /* Optional (NULL: no CRLs): load CRLs (PEM or DER) and check the
   * peer's leaf against them from now on. */
  int (*ctx_load_crl)(void *bctx, const uint8_t *data, size_t len, tlsw_err *e);
  /* With ctx_load_crl: apply cfg->crl_chain to CRLs already loaded. */
  int (*ctx_crl_mode)(void *bctx, tlsw_err *e);
  /* Optional (NULL: no OCSP stapling): apply cfg->ocsp_mode to the
   * context (a TLS client: checked by the core). Never a responder
   * lookup: the staple is the only source. */
  int (*ctx_set_ocsp)(void *bctx, tlsw_err *e);
  /* Optional (NULL: the backend's own ticket keys only): seal tickets
   * under a key derived from current (len bytes, checked by the core) and
   * also open those sealed under previous (NULL: none). */
  int (*ctx_set_ticket_keys)(void *bctx, const uint8_t *current,
                             const uint8_t *previous, size_t len, tlsw_err *e);
  int (*export_keying_material)(void *bsess, const char *label,
                                const uint8_t *context, size_t context_len,
                                uint8_t *out, size_t out_len, tlsw_err *e);
  /* Optional (NULL: the backend's own groups only). Key exchange groups
   * in order of preference, IANA code points (n 0: the default list); the
   * core has checked the names, n <= 8 and no repeats. */
  int (*ctx_set_groups)(void *bctx, const tlsw_config *cfg, const uint16_t *ids,
                        size_t n, tlsw_err *e);
  /* Optional: the IANA code point of the group a completed handshake
   * agreed on, 0 when none (or unknown). */
  unsigned (*sess_group)(const void *bsess);
  /* Optional: a server session's requested name (SNI), a client's sent
   * one; NULL when none. Valid while bsess lives. */
  const char *(*sess_server_name)(const void *bsess);
  int (*set_allocator)(void *(*malloc_fn)(size_t),
                       void *(*realloc_fn)(void *, size_t),
                       void (*free_fn)(void *));
} tlsw_backend;

/* The backend compiled in (wolfSSL): src/backend/wolfssl/, the only files
 * that include wolfSSL headers. */
extern const tlsw_backend tlswi_backend_wolfssl;

#endif
