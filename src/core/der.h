/*
 * A minimal, allocation-free DER reader for the few certificate fields
 * tlswrap's own rules need: the public key's type and size, the
 * subjectAltName entries, the subject's common name, the signature
 * algorithm, whether it is self-issued, and keyUsage / extendedKeyUsage.
 * Backend-neutral: it reads the certificate bytes every backend can hand over,
 * so the rules built on it (key-size floor, host-name matching) do not depend
 * on a TLS library's object model. Every read is bounded by the input;
 * malformed input gives 0 / TLSW_DER_BAD, never a read past the end.
 */
#ifndef TLSW_CORE_DER_H
#define TLSW_CORE_DER_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h" /* tlsw_date, tlsw_cert_facts */

/* A window on DER bytes: reading a TLV moves it past the TLV. */
typedef struct tlswi_der_rd {
  const uint8_t *p;
  size_t n;
} tlswi_der_rd;

/* One TLV of r (low tag numbers, definite lengths up to 2^32-1): its tag
 * and contents, r moved past it. 1, or 0 when malformed or cut short. */
int tlswi_der_tlv(tlswi_der_rd *r, unsigned *tag, tlswi_der_rd *c);

/* The short name of a Name attribute ("CN", "O", "emailAddress" ...) by
 * its OID's content octets; NULL for one without a short name. */
const char *tlswi_der_attr_name(const uint8_t *oid, size_t n);

/* The serialNumber's content octets (pointing into der). 1, or 0 when the
 * certificate cannot be read. */
int tlswi_der_cert_serial(const uint8_t *der, size_t len, const uint8_t **sn,
                          size_t *sn_len);

typedef enum tlsw_key_kind {
  TLSW_KEY_UNKNOWN = 0,
  TLSW_KEY_RSA,
  TLSW_KEY_EC,
  TLSW_KEY_ED25519,
  TLSW_KEY_ED448
} tlsw_key_kind;

/* The subjectPublicKeyInfo of a DER certificate: its kind and size in bits
 * (RSA: the modulus; EC: the field of the named curve, or of the point when
 * the curve is not one we know). Returns 1, or 0 when the certificate
 * cannot be read. */
int tlswi_der_cert_key(const uint8_t *der, size_t len, tlsw_key_kind *kind,
                       unsigned *bits);

/* subjectAltName GeneralName tags (RFC 5280 4.2.1.6). */
#define TLSW_SAN_EMAIL 1
#define TLSW_SAN_DNS 2
#define TLSW_SAN_URI 6
#define TLSW_SAN_IP 7

/* Calls fn for each subjectAltName entry (tag, value bytes) until fn
 * returns nonzero. Returns TLSW_DER_NONE when the certificate has no
 * subjectAltName extension, TLSW_DER_BAD when it cannot be read, else fn's
 * last result (0: all seen, no match). */
#define TLSW_DER_NONE (-1)
#define TLSW_DER_BAD (-2)
int tlswi_der_cert_sans(const uint8_t *der, size_t len,
                        int (*fn)(void *user, unsigned tag, const uint8_t *v,
                                  size_t vlen),
                        void *user);

/* The subject's (last) commonName, copied NUL-terminated into out. Returns
 * its length, or 0 when there is none, it does not fit, or it holds a NUL. */
size_t tlswi_der_cert_subject_cn(const uint8_t *der, size_t len, char *out,
                                 size_t cap);

/* A certificate's dates, names, key and cA flag (tlsw_cert_facts, for the
 * backends: tlsw_policy.cert_facts). Returns 1, or 0 when the certificate or
 * one of its dates cannot be read; the pointers point into der. */
int tlswi_der_cert_facts(const uint8_t *der, size_t len, tlsw_cert_facts *f);

/* A Name's contents (tlsw_cert_facts.subject / .issuer) in the one-line
 * form wolfSSL and OpenSSL print ("/C=XX/O=Org/CN=name"), cut at a whole
 * attribute to fit cap; unknown attributes are left out. Returns the
 * length written. */
size_t tlswi_der_name_line(const uint8_t *name, size_t len, char *out,
                           size_t cap);

/* The certificate's signature algorithm when its hash is MD5, SHA-1 (or
 * MD2/MD4), by name ("ecdsa-with-SHA1"); "" for any other algorithm; NULL
 * when the certificate cannot be read. */
const char *tlswi_der_cert_weak_sig(const uint8_t *der, size_t len);

/* 1 when the issuer and subject names are the same bytes (self-issued:
 * a root, or a self-signed certificate), else 0. */
int tlswi_der_cert_self_issued(const uint8_t *der, size_t len);

/* keyUsage bits (RFC 5280 4.2.1.3, bit i as 1 << i) and the
 * extendedKeyUsage purposes TLS cares about. */
#define TLSW_KU_DIGITAL_SIGNATURE (1u << 0)
#define TLSW_EKU_SERVER_AUTH 1u
#define TLSW_EKU_CLIENT_AUTH 2u
#define TLSW_EKU_ANY 4u
typedef struct tlsw_der_usage {
  int has_key_usage;      /* the keyUsage extension is present */
  unsigned key_usage;     /* TLSW_KU_* bits */
  int has_ext_key_usage;  /* the extendedKeyUsage extension is present */
  unsigned ext_key_usage; /* TLSW_EKU_* bits */
} tlsw_der_usage;

/* The leaf's usage extensions into u. Returns 1, or 0 when the
 * certificate or one of them cannot be read. */
int tlswi_der_cert_usage(const uint8_t *der, size_t len, tlsw_der_usage *u);

#endif
