/*
 * tlsw_cert: a certificate's fields for people and for the caller's own
 * rules (tlswrap/cert.h), read by the core's DER reader (core/der.c) and
 * made safe to print by core/cert_text.c. Backend-neutral: any backend's
 * DER bytes will do.
 */
#include <string.h>

#include "core/cert_text.h"
#include "core/der.h"
#include "core/internal.h"
#include "core/policy.h"
#include "support/alloc.h"
#include "tlswrap/tlswrap.h"

struct tlsw_cert {
  char *subject, *issuer, *sans, *serial, *sig_alg;
  char fingerprint[3 * 32]; /* "AB:CD:..." (SHA-256), "" without one */
  int64_t not_before, not_after;
  tlsw_key_kind key;
  unsigned key_bits;
  int is_ca;
};

void tlsw_cert_free(tlsw_cert *c) {
  if (c == NULL) return;
  tlswi_free(c->subject);
  tlswi_free(c->issuer);
  tlswi_free(c->sans);
  tlswi_free(c->serial);
  tlswi_free(c->sig_alg);
  tlswi_free(c);
}

/* The text fields; TLSW_ERR_CERT_INVALID or _NOMEM. */
static int fill_text(tlsw_cert *c, const uint8_t *der, size_t len,
                     const tlsw_cert_facts *f) {
  tlswi_sbuf subj = {0}, iss = {0}, sans = {0}, sn = {0}, sig = {0};
  const uint8_t *serial;
  size_t serial_len;
  int bad = tlswi_text_name(&subj, f->subject, f->subject_len) != 0 ||
            tlswi_text_name(&iss, f->issuer, f->issuer_len) != 0 ||
            tlswi_text_sans(&sans, der, len) != 0 ||
            !tlswi_der_cert_serial(der, len, &serial, &serial_len) ||
            tlswi_text_sig_alg(&sig, der, len) != 0;
  if (!bad) tlswi_text_hex(&sn, serial, serial_len);
  c->subject = tlswi_sbuf_take(&subj);
  c->issuer = tlswi_sbuf_take(&iss);
  c->sans = tlswi_sbuf_take(&sans);
  c->serial = tlswi_sbuf_take(&sn);
  c->sig_alg = tlswi_sbuf_take(&sig);
  if (bad) return TLSW_ERR_CERT_INVALID;
  return c->subject && c->issuer && c->sans && c->serial && c->sig_alg
             ? TLSW_OK
             : TLSW_ERR_NOMEM;
}

/* SHA-256 of the whole DER, as `openssl x509 -fingerprint -sha256`
 * prints it; left empty on a backend without SHA-256. */
static void fingerprint(tlsw_cert *c, const uint8_t *der, size_t len) {
  static const char hex[] = "0123456789ABCDEF";
  const tlsw_backend *be = tlswi_backend_get();
  uint8_t md[32];
  c->fingerprint[0] = '\0';
  if (be == NULL || be->sha256 == NULL || be->sha256(der, len, md) != TLSW_OK) {
    return;
  }
  for (size_t i = 0; i < 32; i++) {
    c->fingerprint[3 * i] = hex[md[i] >> 4];
    c->fingerprint[3 * i + 1] = hex[md[i] & 15];
    c->fingerprint[3 * i + 2] = i + 1 < 32 ? ':' : '\0';
  }
}

int tlsw_cert_parse(const uint8_t *der, size_t len, tlsw_cert **out) {
  if (out == NULL) return TLSW_ERR_ARG;
  *out = NULL;
  if (der == NULL || len == 0) return TLSW_ERR_ARG;
  /* One certificate, nothing after it: bytes past its end are not part
   * of what we show, and hiding them would mislead. */
  tlswi_der_rd all = {der, len}, body;
  unsigned tag;
  tlsw_cert_facts f;
  if (!tlswi_der_tlv(&all, &tag, &body) || tag != 0x30 || all.n != 0 ||
      !tlswi_der_cert_facts(der, len, &f)) {
    return TLSW_ERR_CERT_INVALID;
  }
  tlsw_cert *c = tlswi_calloc(1, sizeof *c);
  if (c == NULL) return TLSW_ERR_NOMEM;
  int st = fill_text(c, der, len, &f);
  if (st != TLSW_OK) {
    tlsw_cert_free(c);
    return st;
  }
  c->not_before = tlswi_date_unix(&f.not_before);
  c->not_after = tlswi_date_unix(&f.not_after);
  if (!tlswi_der_cert_key(der, len, &c->key, &c->key_bits)) {
    c->key = TLSW_KEY_UNKNOWN;
    c->key_bits = 0;
  }
  c->is_ca = f.is_ca;
  fingerprint(c, der, len);
  *out = c;
  return TLSW_OK;
}

const char *tlsw_cert_subject(const tlsw_cert *c) {
  return c ? c->subject : NULL;
}

const char *tlsw_cert_issuer(const tlsw_cert *c) {
  return c ? c->issuer : NULL;
}

const char *tlsw_cert_sans(const tlsw_cert *c) {
  return c ? c->sans : NULL;
}

const char *tlsw_cert_serial(const tlsw_cert *c) {
  return c ? c->serial : NULL;
}

int64_t tlsw_cert_not_before(const tlsw_cert *c) {
  return c ? c->not_before : 0;
}

int64_t tlsw_cert_not_after(const tlsw_cert *c) {
  return c ? c->not_after : 0;
}

const char *tlsw_cert_key(const tlsw_cert *c, unsigned *bits) {
  if (bits != NULL) *bits = c ? c->key_bits : 0;
  if (c == NULL) return NULL;
  switch (c->key) {
    case TLSW_KEY_RSA: return "RSA";
    case TLSW_KEY_EC: return "EC";
    case TLSW_KEY_ED25519: return "Ed25519";
    case TLSW_KEY_ED448: return "Ed448";
    default: return "unknown";
  }
}

int tlsw_cert_is_ca(const tlsw_cert *c) {
  return c ? c->is_ca : 0;
}

const char *tlsw_cert_sig_alg(const tlsw_cert *c) {
  return c ? c->sig_alg : NULL;
}

const char *tlsw_cert_fingerprint_sha256(const tlsw_cert *c) {
  return c ? c->fingerprint : NULL;
}
