#include "core/der.h"

#include <string.h>

/* A window on DER bytes: reading a TLV moves it past the TLV. */
typedef tlswi_der_rd rd;

/* One TLV of r: its tag and contents. 0 when malformed or cut short. */
static int tlv(rd *r, unsigned *tag, rd *c) {
  if (r->n < 2 || (r->p[0] & 0x1f) == 0x1f) return 0; /* no high tags */
  size_t len = r->p[1], hdr = 2;
  if (len >= 0x80) {
    size_t k = len & 0x7f;
    if (k == 0 || k > 4 || r->n < 2 + k) return 0;
    len = 0;
    for (size_t i = 0; i < k; i++) len = (len << 8) | r->p[2 + i];
    hdr = 2 + k;
  }
  if (len > r->n - hdr) return 0;
  *tag = r->p[0];
  c->p = r->p + hdr;
  c->n = len;
  r->p += hdr + len;
  r->n -= hdr + len;
  return 1;
}

int tlswi_der_tlv(tlswi_der_rd *r, unsigned *tag, tlswi_der_rd *c) {
  return tlv(r, tag, c);
}

static int expect(rd *r, unsigned tag, rd *c) {
  unsigned t;
  return tlv(r, &t, c) && t == tag;
}

static int oid_is(rd oid, const uint8_t *want, size_t n) {
  return oid.n == n && memcmp(oid.p, want, n) == 0;
}
#define OID_IS(o, bytes) oid_is(o, bytes, sizeof bytes)

/* The TBSCertificate (RFC 5280 4.1) up to its subject and key; rest holds
 * what follows (unique IDs, extensions). issuer may be NULL. */
static int tbs_parts(const uint8_t *der, size_t len, rd *issuer, rd *subject,
                     rd *spki, rd *rest) {
  rd r = {der, len}, cert, t, skip, in;
  if (der == NULL || !expect(&r, 0x30, &cert) || !expect(&cert, 0x30, &t)) {
    return 0;
  }
  if (t.n > 0 && t.p[0] == 0xa0 && !expect(&t, 0xa0, &skip)) return 0;
  if (!expect(&t, 0x02, &skip) || !expect(&t, 0x30, &skip) || /* serial, alg */
      !expect(&t, 0x30, &in) || !expect(&t, 0x30, &skip) ||   /* validity */
      !expect(&t, 0x30, subject) || !expect(&t, 0x30, spki)) {
    return 0;
  }
  if (issuer != NULL) *issuer = in;
  *rest = t;
  return 1;
}

int tlswi_der_cert_serial(const uint8_t *der, size_t len, const uint8_t **sn,
                          size_t *sn_len) {
  rd r = {der, len}, cert, t, skip, serial;
  if (der == NULL || !expect(&r, 0x30, &cert) || !expect(&cert, 0x30, &t)) {
    return 0;
  }
  if (t.n > 0 && t.p[0] == 0xa0 && !expect(&t, 0xa0, &skip)) return 0;
  if (!expect(&t, 0x02, &serial)) return 0;
  *sn = serial.p;
  *sn_len = serial.n;
  return 1;
}

static int tbs_fields(const uint8_t *der, size_t len, rd *subject, rd *spki,
                      rd *rest) {
  return tbs_parts(der, len, NULL, subject, spki, rest);
}

static const uint8_t OID_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                  0x0d, 0x01, 0x01, 0x01};
static const uint8_t OID_RSA_PSS[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                      0x0d, 0x01, 0x01, 0x0a};
static const uint8_t OID_EC[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t OID_ED25519[] = {0x2b, 0x65, 0x70};
static const uint8_t OID_ED448[] = {0x2b, 0x65, 0x71};

static const struct {
  uint8_t oid[8];
  size_t len;
  unsigned bits;
} curves[] = {
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}, 8, 256}, /* P-256 */
    {{0x2b, 0x81, 0x04, 0x00, 0x22}, 5, 384},                   /* P-384 */
    {{0x2b, 0x81, 0x04, 0x00, 0x23}, 5, 521},                   /* P-521 */
    {{0x2b, 0x81, 0x04, 0x00, 0x21}, 5, 224},                   /* P-224 */
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x01}, 8, 192}, /* P-192 */
    {{0x2b, 0x81, 0x04, 0x00, 0x0a}, 5, 256},                   /* secp256k1 */
};

/* Bits of a positive INTEGER's value (leading zero bytes ignored). */
static unsigned int_bits(rd v) {
  while (v.n > 0 && v.p[0] == 0) {
    v.p++;
    v.n--;
  }
  if (v.n == 0 || v.n > 0xffffff) return 0;
  unsigned bits = (unsigned)v.n * 8, top = v.p[0];
  while ((top & 0x80) == 0) {
    top <<= 1;
    bits--;
  }
  return bits;
}

static unsigned ec_bits(rd params, rd point) {
  rd oid;
  if (expect(&params, 0x06, &oid)) {
    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
      if (oid_is(oid, curves[i].oid, curves[i].len)) return curves[i].bits;
    }
  }
  /* An unknown curve: its size from the point (04 X Y, or 02/03 X). */
  if (point.n < 2) return 0;
  if (point.p[0] == 4) return (unsigned)((point.n - 1) / 2 * 8);
  return (point.p[0] == 2 || point.p[0] == 3) ? (unsigned)(point.n - 1) * 8 : 0;
}

int tlswi_der_cert_key(const uint8_t *der, size_t len, tlsw_key_kind *kind,
                       unsigned *bits) {
  rd subject, spki, rest, alg, oid, key;
  *kind = TLSW_KEY_UNKNOWN;
  *bits = 0;
  if (!tbs_fields(der, len, &subject, &spki, &rest) ||
      !expect(&spki, 0x30, &alg) || !expect(&alg, 0x06, &oid) ||
      !expect(&spki, 0x03, &key) || key.n < 1 || key.p[0] != 0) {
    return 0;
  }
  key.p++; /* the BIT STRING's count of unused bits, 0 */
  key.n--;
  if (OID_IS(oid, OID_RSA) || OID_IS(oid, OID_RSA_PSS)) {
    rd seq, n;
    if (!expect(&key, 0x30, &seq) || !expect(&seq, 0x02, &n)) return 0;
    *kind = TLSW_KEY_RSA;
    *bits = int_bits(n);
  } else if (OID_IS(oid, OID_EC)) {
    *kind = TLSW_KEY_EC;
    *bits = ec_bits(alg, key);
  } else if (OID_IS(oid, OID_ED25519)) {
    *kind = TLSW_KEY_ED25519;
    *bits = 256;
  } else if (OID_IS(oid, OID_ED448)) {
    *kind = TLSW_KEY_ED448;
    *bits = 456;
  }
  return *bits != 0 || *kind == TLSW_KEY_UNKNOWN;
}

static const uint8_t OID_SAN[] = {0x55, 0x1d, 0x11};

/* The value (the OCTET STRING's contents) of the extension oid, if the
 * certificate has it: 1 found, 0 absent, -1 malformed. */
static int find_ext(const uint8_t *der, size_t len, const uint8_t *want,
                    size_t want_len, rd *value) {
  rd subject, spki, rest, c;
  unsigned tag;
  if (!tbs_fields(der, len, &subject, &spki, &rest)) return -1;
  while (rest.n > 0) {
    if (!tlv(&rest, &tag, &c)) return -1;
    if (tag != 0xa3) continue; /* issuer/subject unique IDs */
    rd exts, ext, oid, crit;
    if (!expect(&c, 0x30, &exts)) return -1;
    while (exts.n > 0) {
      if (!expect(&exts, 0x30, &ext) || !expect(&ext, 0x06, &oid)) return -1;
      if (ext.n > 0 && ext.p[0] == 0x01 && !expect(&ext, 0x01, &crit)) {
        return -1;
      }
      if (!expect(&ext, 0x04, value)) return -1;
      if (oid_is(oid, want, want_len)) return 1;
    }
  }
  return 0;
}

/* The subjectAltName extension's GeneralNames, if the certificate has one:
 * 1 found, 0 absent, -1 malformed. */
static int find_san(const uint8_t *der, size_t len, rd *names) {
  rd val;
  int found = find_ext(der, len, OID_SAN, sizeof OID_SAN, &val);
  if (found <= 0) return found;
  return expect(&val, 0x30, names) ? 1 : -1;
}

int tlswi_der_cert_sans(const uint8_t *der, size_t len,
                        int (*fn)(void *user, unsigned tag, const uint8_t *v,
                                  size_t vlen),
                        void *user) {
  rd names, v;
  int found = find_san(der, len, &names);
  if (found <= 0) return found == 0 ? TLSW_DER_NONE : TLSW_DER_BAD;
  while (names.n > 0) {
    unsigned tag;
    if (!tlv(&names, &tag, &v)) return TLSW_DER_BAD;
    /* Context-specific choices only; constructed ones (otherName,
     * directoryName) are passed on too, with their raw contents. */
    if ((tag & 0xc0) != 0x80) return TLSW_DER_BAD;
    int r = fn(user, tag & 0x1f, v.p, v.n);
    if (r != 0) return r;
  }
  return 0;
}

static const uint8_t OID_CN[] = {0x55, 0x04, 0x03};

size_t tlswi_der_cert_subject_cn(const uint8_t *der, size_t len, char *out,
                                 size_t cap) {
  rd subject, spki, rest, set, atv, oid, val;
  unsigned tag;
  if (cap == 0) return 0;
  out[0] = '\0';
  if (!tbs_fields(der, len, &subject, &spki, &rest)) return 0;
  while (subject.n > 0) {
    if (!expect(&subject, 0x31, &set)) return 0;
    while (set.n > 0) {
      if (!expect(&set, 0x30, &atv) || !expect(&atv, 0x06, &oid) ||
          !tlv(&atv, &tag, &val)) {
        return 0;
      }
      /* UTF8String, PrintableString, T61String, IA5String: the first CN,
       * as wolfSSL's and OpenSSL's lookups by NID return it. */
      if (!OID_IS(oid, OID_CN)) continue;
      if ((tag != 0x0c && tag != 0x13 && tag != 0x14 && tag != 0x16) ||
          val.n >= cap || memchr(val.p, '\0', val.n) != NULL) {
        return 0;
      }
      memcpy(out, val.p, val.n);
      out[val.n] = '\0';
      return val.n;
    }
  }
  return 0;
}

/* A UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ), the only
 * forms RFC 5280 4.1.2.5 allows, into out. 0 when it is neither. */
static int der_time(unsigned tag, rd v, tlsw_date *out) {
  size_t ylen = tag == 0x17 ? 2 : tag == 0x18 ? 4 : 0;
  if (ylen == 0 || v.n != ylen + 11 || v.p[v.n - 1] != 'Z') return 0;
  int f[7];
  size_t at = 0;
  for (int i = 0; i < 6; i++) {
    size_t w = i == 0 ? ylen : 2;
    f[i] = 0;
    for (size_t k = 0; k < w; k++, at++) {
      if (v.p[at] < '0' || v.p[at] > '9') return 0;
      f[i] = f[i] * 10 + (v.p[at] - '0');
    }
  }
  /* RFC 5280: a two-digit year below 50 is 20YY, else 19YY. */
  if (ylen == 2) f[0] += f[0] < 50 ? 2000 : 1900;
  if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 ||
      f[4] > 59 || f[5] > 60) {
    return 0;
  }
  out->year = f[0];
  out->month = f[1];
  out->day = f[2];
  out->hour = f[3];
  out->minute = f[4];
  out->second = f[5];
  return 1;
}

static const uint8_t OID_BASIC_CONSTRAINTS[] = {0x55, 0x1d, 0x13};

/* basicConstraints' cA flag (RFC 5280 4.2.1.9) from the extensions' TLVs
 * (rest: what follows the key in the TBSCertificate); 0 when absent. */
static int der_is_ca(rd rest) {
  rd c, exts, ext, oid, val, seq, b;
  unsigned tag;
  while (rest.n > 0) {
    if (!tlv(&rest, &tag, &c)) return 0;
    if (tag != 0xa3 || !expect(&c, 0x30, &exts)) continue;
    while (exts.n > 0) {
      if (!expect(&exts, 0x30, &ext) || !expect(&ext, 0x06, &oid)) return 0;
      if (ext.n > 0 && ext.p[0] == 0x01 && !expect(&ext, 0x01, &b)) return 0;
      if (!expect(&ext, 0x04, &val)) return 0;
      if (!OID_IS(oid, OID_BASIC_CONSTRAINTS)) continue;
      return expect(&val, 0x30, &seq) && expect(&seq, 0x01, &b) && b.n == 1 &&
             b.p[0] != 0;
    }
  }
  return 0;
}

int tlswi_der_cert_facts(const uint8_t *der, size_t len, tlsw_cert_facts *f) {
  rd r = {der, len}, cert, t, skip, issuer, validity, subject, spki, tv;
  unsigned tag;
  memset(f, 0, sizeof *f);
  if (der == NULL || !expect(&r, 0x30, &cert) || !expect(&cert, 0x30, &t)) {
    return 0;
  }
  if (t.n > 0 && t.p[0] == 0xa0 && !expect(&t, 0xa0, &skip)) return 0;
  if (!expect(&t, 0x02, &skip) || !expect(&t, 0x30, &skip) ||
      !expect(&t, 0x30, &issuer) || !expect(&t, 0x30, &validity)) {
    return 0;
  }
  if (!expect(&t, 0x30, &subject)) return 0;
  const uint8_t *spki_at = t.p; /* the whole TLV, for the backend */
  if (!expect(&t, 0x30, &spki)) return 0;
  if (!tlv(&validity, &tag, &tv) || !der_time(tag, tv, &f->not_before) ||
      !tlv(&validity, &tag, &tv) || !der_time(tag, tv, &f->not_after)) {
    return 0;
  }
  f->issuer = issuer.p;
  f->issuer_len = issuer.n;
  f->subject = subject.p;
  f->subject_len = subject.n;
  f->spki = spki_at;
  f->spki_len = (size_t)(t.p - spki_at);
  f->is_ca = der_is_ca(t);
  return 1;
}

/* Short names of the attributes wolfSSL's and OpenSSL's one-line form
 * print (X509_NAME_oneline): 2.5.4.x and emailAddress, DC. */
const char *tlswi_der_attr_name(const uint8_t *oid_p, size_t oid_n) {
  rd oid = {oid_p, oid_n};
  static const uint8_t EMAIL[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                  0x0d, 0x01, 0x09, 0x01};
  static const uint8_t DC[] = {0x09, 0x92, 0x26, 0x89, 0x93,
                               0xf2, 0x2c, 0x64, 0x01, 0x19};
  if (oid.n == 3 && oid.p[0] == 0x55 && oid.p[1] == 0x04) {
    switch (oid.p[2]) {
      case 3: return "CN";
      case 5: return "serialNumber";
      case 6: return "C";
      case 7: return "L";
      case 8: return "ST";
      case 9: return "street";
      case 10: return "O";
      case 11: return "OU";
      case 4: return "SN";
      case 12: return "title";
      case 42: return "GN";
      default: return NULL;
    }
  }
  static const uint8_t UID[] = {0x09, 0x92, 0x26, 0x89, 0x93,
                                0xf2, 0x2c, 0x64, 0x01, 0x01};
  if (OID_IS(oid, EMAIL)) return "emailAddress";
  if (OID_IS(oid, UID)) return "UID";
  return OID_IS(oid, DC) ? "DC" : NULL;
}

size_t tlswi_der_name_line(const uint8_t *name, size_t len, char *out,
                           size_t cap) {
  rd r = {name, len}, set, atv, oid, val;
  unsigned tag;
  size_t at = 0;
  if (cap == 0) return 0;
  out[0] = '\0';
  while (r.n > 0 && expect(&r, 0x31, &set)) {
    while (set.n > 0 && expect(&set, 0x30, &atv) && expect(&atv, 0x06, &oid) &&
           tlv(&atv, &tag, &val)) {
      const char *sn = tlswi_der_attr_name(oid.p, oid.n);
      size_t need = sn ? 2 + strlen(sn) + val.n : 0;
      if (sn == NULL || memchr(val.p, '\0', val.n) != NULL) continue;
      if (at + need >= cap) return at; /* cut at a whole attribute */
      out[at++] = '/';
      memcpy(out + at, sn, strlen(sn));
      at += strlen(sn);
      out[at++] = '=';
      memcpy(out + at, val.p, val.n);
      at += val.n;
      out[at] = '\0';
    }
  }
  return at;
}

/* Signature algorithms whose hash has practical collisions (RFC 5280
 * 4.1.1.2 names them; RFC 8446 4.2.3 keeps SHA-1 for legacy only). */
static const struct {
  uint8_t oid[9];
  size_t len;
  const char *name;
} weak_sigs[] = {
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x02},
     9,
     "md2WithRSAEncryption"},
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x03},
     9,
     "md4WithRSAEncryption"},
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04},
     9,
     "md5WithRSAEncryption"},
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05},
     9,
     "sha1WithRSAEncryption"},
    {{0x2b, 0x0e, 0x03, 0x02, 0x1d}, 5, "sha1WithRSAEncryption"}, /* OIW */
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01}, 7, "ecdsa-with-SHA1"},
    {{0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03}, 7, "dsa-with-SHA1"},
};
static const uint8_t OID_SHA1[] = {0x2b, 0x0e, 0x03, 0x02, 0x1a};
static const uint8_t OID_MD5[] = {0x2a, 0x86, 0x48, 0x86,
                                  0xf7, 0x0d, 0x02, 0x05};

/* RSASSA-PSS's hash (RFC 4055 3.1): hashAlgorithm [0] defaults to SHA-1.
 * The weak name, "" for a strong hash, NULL when unreadable. */
static const char *pss_weak(rd params) {
  rd seq, hash, alg, oid;
  if (!expect(&params, 0x30, &seq)) return NULL;
  if (seq.n == 0 || seq.p[0] != 0xa0) return "RSASSA-PSS with SHA-1";
  if (!expect(&seq, 0xa0, &hash) || !expect(&hash, 0x30, &alg) ||
      !expect(&alg, 0x06, &oid)) {
    return NULL;
  }
  if (OID_IS(oid, OID_SHA1)) return "RSASSA-PSS with SHA-1";
  if (OID_IS(oid, OID_MD5)) return "RSASSA-PSS with MD5";
  return "";
}

const char *tlswi_der_cert_weak_sig(const uint8_t *der, size_t len) {
  rd r = {der, len}, cert, tbs, alg, oid;
  if (der == NULL || !expect(&r, 0x30, &cert) || !expect(&cert, 0x30, &tbs) ||
      !expect(&cert, 0x30, &alg) || !expect(&alg, 0x06, &oid)) {
    return NULL;
  }
  for (size_t i = 0; i < sizeof weak_sigs / sizeof weak_sigs[0]; i++) {
    if (oid_is(oid, weak_sigs[i].oid, weak_sigs[i].len)) {
      return weak_sigs[i].name;
    }
  }
  return OID_IS(oid, OID_RSA_PSS) ? pss_weak(alg) : "";
}

int tlswi_der_cert_self_issued(const uint8_t *der, size_t len) {
  rd issuer, subject, spki, rest;
  return tbs_parts(der, len, &issuer, &subject, &spki, &rest) &&
         issuer.n == subject.n && memcmp(issuer.p, subject.p, issuer.n) == 0;
}

static const uint8_t OID_KU[] = {0x55, 0x1d, 0x0f};
static const uint8_t OID_EKU[] = {0x55, 0x1d, 0x25};
static const uint8_t OID_ANY_EKU[] = {0x55, 0x1d, 0x25, 0x00};
static const uint8_t OID_SERVER_AUTH[] = {0x2b, 0x06, 0x01, 0x05,
                                          0x05, 0x07, 0x03, 0x01};
static const uint8_t OID_CLIENT_AUTH[] = {0x2b, 0x06, 0x01, 0x05,
                                          0x05, 0x07, 0x03, 0x02};

/* keyUsage's BIT STRING: bit i of RFC 5280 4.2.1.3 as 1 << i. */
static int key_usage_bits(rd val, unsigned *bits) {
  rd bs;
  if (!expect(&val, 0x03, &bs) || bs.n < 1 || bs.p[0] > 7) return 0;
  *bits = 0;
  for (size_t i = 0; i < 16 && i / 8 + 1 < bs.n; i++) {
    if (bs.p[1 + i / 8] & (0x80u >> (i % 8))) *bits |= 1u << i;
  }
  return 1;
}

static int eku_bits(rd val, unsigned *bits) {
  rd seq, oid;
  if (!expect(&val, 0x30, &seq)) return 0;
  *bits = 0;
  while (seq.n > 0) {
    if (!expect(&seq, 0x06, &oid)) return 0;
    if (OID_IS(oid, OID_SERVER_AUTH)) *bits |= TLSW_EKU_SERVER_AUTH;
    if (OID_IS(oid, OID_CLIENT_AUTH)) *bits |= TLSW_EKU_CLIENT_AUTH;
    if (OID_IS(oid, OID_ANY_EKU)) *bits |= TLSW_EKU_ANY;
  }
  return 1;
}

int tlswi_der_cert_usage(const uint8_t *der, size_t len, tlsw_der_usage *u) {
  rd val;
  memset(u, 0, sizeof *u);
  int ku = find_ext(der, len, OID_KU, sizeof OID_KU, &val);
  if (ku < 0 || (ku == 1 && !key_usage_bits(val, &u->key_usage))) return 0;
  u->has_key_usage = ku == 1;
  int eku = find_ext(der, len, OID_EKU, sizeof OID_EKU, &val);
  if (eku < 0 || (eku == 1 && !eku_bits(val, &u->ext_key_usage))) return 0;
  u->has_ext_key_usage = eku == 1;
  return 1;
}
