/*
 * tlswrap's backend-neutral rules (core/policy.c, core/hostname.c): what a
 * host name matches, what SNI carries, key-size floors, certificate dates,
 * which statuses certificate reasons give, and the wording of every
 * verification failure. The backend reaches them through the tlsw_policy
 * table (backend/backend.h); the core and tests call them directly.
 */
#ifndef TLSW_CORE_POLICY_H
#define TLSW_CORE_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"

/* The start of every verification sentence, worded here only (the status
 * table, core/status.c, and tlswi_report() build on it). */
#define TLSW_VERIFY_FAILED "certificate verify failed"

/* The table handed to the backend in tlsw_config.policy. */
extern const tlsw_policy tlswi_policy;

/* Strict dotted-quad IPv4 or RFC 4291 IPv6 text: 4 or 16 with the address
 * in out, 0 when t is not an IP literal. */
size_t tlswi_parse_ip(const char *t, uint8_t *out);
int tlswi_host_matches(const char *host, const uint8_t *der, size_t len,
                       int cn_fallback);
/* One DNS name pattern (a SAN dNSName, or a server name added for SNI:
 * "*.example.test" stands for one label) against host; 1 on a match. */
int tlswi_dns_match(const char *pat, size_t plen, const char *host);
/* Longest server_hostname a session takes (a DNS name is at most 253);
 * tlsw_wrap() refuses a longer one, so every backend may rely on it. */
#define TLSW_HOST_MAX 255

/* How many bytes of host SNI carries; 0: none (no host, or an IP
 * literal). At most TLSW_HOST_MAX for a host tlsw_wrap() accepted. */
size_t tlswi_sni_len(const char *host);

/* A certificate date as seconds since 1970-01-01 UTC. */
int64_t tlswi_date_unix(const tlsw_date *t);
int tlswi_reason_status(tlsw_cert_reason r);
tlsw_cert_reason tlswi_check_key(unsigned min_rsa_bits, const uint8_t *der,
                                 size_t len, char *detail, size_t cap);
tlsw_cert_reason tlswi_check_cert(unsigned rules, const uint8_t *der,
                                  size_t len, int depth, char *detail,
                                  size_t cap);
tlsw_cert_reason tlswi_check_dates(int64_t now, const tlsw_date *not_before,
                                   const tlsw_date *not_after);
int tlswi_is_psk_suite(const char *suite);
void tlswi_cert_subject(const uint8_t *der, size_t len, char *buf, size_t cap);
int tlswi_report(tlsw_err *e, tlsw_verify_rec *v, const tlsw_failure *f);
/* core/ocsp.c */
int tlswi_ocsp_said(const uint8_t *resp, size_t len, const uint8_t *leaf,
                    size_t leaf_len);
/* core/secrets.c */
void tlswi_keylog(const tlsw_config *cfg, const char *label,
                  const uint8_t *random, size_t random_len,
                  const uint8_t *secret, size_t secret_len);

#endif
