/*
 * Certificate fields as safe text (cert_text.h). Every byte comes from a
 * peer and is treated as hostile: the output holds no control character
 * (C0, DEL, C1), so that printing a certificate cannot move a terminal's
 * cursor or hide text (fuzz_cli_x509 checks this).
 */
#include "core/cert_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/der.h"
#include "support/alloc.h"

static void sb_add(tlswi_sbuf *b, const char *p, size_t n) {
  if (b->oom) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1) cap *= 2;
    char *ns = tlswi_realloc(b->s, cap);
    if (ns == NULL) {
      b->oom = 1;
      return;
    }
    b->s = ns;
    b->cap = cap;
  }
  memcpy(b->s + b->len, p, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void sb_str(tlswi_sbuf *b, const char *s) {
  sb_add(b, s, strlen(s));
}

/* A short formatted piece (a number, an escape: under 64 bytes). */
static void sb_fmt(tlswi_sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void sb_fmt(tlswi_sbuf *b, const char *fmt, ...) {
  char tmp[64];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0) {
    sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
  }
}

char *tlswi_sbuf_take(tlswi_sbuf *b) {
  if (!b->oom && b->s == NULL) sb_add(b, "", 0);
  if (b->oom) {
    tlswi_free(b->s);
    b->s = NULL;
    return NULL;
  }
  return b->s;
}

void tlswi_text_hex(tlswi_sbuf *b, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) sb_fmt(b, "%02X", p[i]);
}

/* Length of a valid UTF-8 sequence at p (a printable code point), or 0:
 * overlong forms, surrogates, beyond Unicode, and C1 controls (which some
 * terminals act on) are all shown escaped. */
static size_t utf8_seq(const uint8_t *p, size_t n) {
  unsigned c = p[0];
  size_t len = c >= 0xc2 && c <= 0xdf   ? 2
               : c >= 0xe0 && c <= 0xef ? 3
               : c >= 0xf0 && c <= 0xf4 ? 4
                                        : 0;
  if (len == 0 || len > n) return 0;
  unsigned long cp = c & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3f);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
      (cp >= 0x80 && cp <= 0x9f)) {
    return 0;
  }
  return len;
}

/* Bytes as text: printable ASCII and valid UTF-8 as they are, the rest as
 * \xHH. special: characters to escape with a backslash (RFC 4514 style,
 * so that "CN=a\, O=b" cannot pass for two attributes). */
static void put_text(tlswi_sbuf *b, const uint8_t *p, size_t n, int utf8,
                     const char *special) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c >= 0x20 && c < 0x7f) {
      if (c == '\\' || (special != NULL && strchr(special, c) != NULL)) {
        sb_add(b, "\\", 1);
      }
      sb_add(b, (const char *)&c, 1);
      i++;
      continue;
    }
    size_t l = (utf8 && c >= 0x80) ? utf8_seq(p + i, n - i) : 0;
    if (l > 0) {
      sb_add(b, (const char *)p + i, l);
      i += l;
    } else {
      sb_fmt(b, "\\x%02X", c);
      i++;
    }
  }
}

/* One code point (BMPString, UniversalString) as UTF-8 if printable, else
 * escaped. */
static void put_codepoint(tlswi_sbuf *b, unsigned long cp,
                          const char *special) {
  uint8_t u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (uint8_t)cp;
    put_text(b, u, 1, 0, special);
    return;
  }
  if (cp < 0x800) {
    u[0] = (uint8_t)(0xc0 | (cp >> 6));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (uint8_t)(0xe0 | (cp >> 12));
    n = 3;
  } else if (cp <= 0x10ffff) {
    u[0] = (uint8_t)(0xf0 | (cp >> 18));
    n = 4;
  } else {
    sb_fmt(b, "\\U%08lX", cp);
    return;
  }
  for (size_t i = 1; i < n; i++) {
    u[i] = (uint8_t)(0x80 | ((cp >> (6 * (n - 1 - i))) & 0x3f));
  }
  if (utf8_seq(u, n) == n) {
    sb_add(b, (const char *)u, n);
  } else {
    sb_fmt(b, "\\u%04lX", cp);
  }
}

static void put_hex(tlswi_sbuf *b, const uint8_t *p, size_t n) {
  sb_add(b, "#", 1);
  tlswi_text_hex(b, p, n);
}

/* UCS-2 (w 2) or UCS-4 (w 4) big-endian code points. */
static void put_wide(tlswi_sbuf *b, tlswi_der_rd v, size_t w,
                     const char *special) {
  if (v.n % w != 0) {
    put_hex(b, v.p, v.n);
    return;
  }
  for (size_t i = 0; i < v.n; i += w) {
    unsigned long cp = 0;
    for (size_t k = 0; k < w; k++) cp = (cp << 8) | v.p[i + k];
    put_codepoint(b, cp, special);
  }
}

/* An attribute value of any DirectoryString-like type. */
static void put_string(tlswi_sbuf *b, unsigned tag, tlswi_der_rd v,
                       const char *special) {
  switch (tag) {
    case 0x0c: /* UTF8String */ put_text(b, v.p, v.n, 1, special); break;
    case 0x13: /* PrintableString */
    case 0x16: /* IA5String */
    case 0x14: /* TeletexString: shown byte-wise, high bytes escaped */
    case 0x1a: /* VisibleString */ put_text(b, v.p, v.n, 0, special); break;
    case 0x1e: /* BMPString */ put_wide(b, v, 2, special); break;
    case 0x1c: /* UniversalString */ put_wide(b, v, 4, special); break;
    default: put_hex(b, v.p, v.n);
  }
}

/* Dotted form of an OID's content octets; -1 if malformed. */
static int put_oid(tlswi_sbuf *b, tlswi_der_rd oid) {
  if (oid.n == 0) return -1;
  unsigned long long v = 0;
  int first = 1;
  for (size_t i = 0; i < oid.n; i++) {
    if (v > (~0ull >> 7)) return -1;
    v = (v << 7) | (oid.p[i] & 0x7f);
    if (oid.p[i] & 0x80) {
      if (i + 1 == oid.n) return -1;
      continue;
    }
    if (first) {
      unsigned long long a = v < 80 ? v / 40 : 2;
      sb_fmt(b, "%llu.%llu", a, v - a * 40);
      first = 0;
    } else {
      sb_fmt(b, ".%llu", v);
    }
    v = 0;
  }
  return 0;
}

static int expect(tlswi_der_rd *r, unsigned tag, tlswi_der_rd *c) {
  unsigned t;
  return tlswi_der_tlv(r, &t, c) && t == tag;
}

int tlswi_text_name(tlswi_sbuf *b, const uint8_t *name_p, size_t len) {
  tlswi_der_rd name = {name_p, len};
  for (int first_rdn = 1; name.n > 0; first_rdn = 0) {
    tlswi_der_rd rdn;
    if (!expect(&name, 0x31, &rdn)) return -1;
    if (!first_rdn) sb_str(b, ", ");
    for (int first_atv = 1; rdn.n > 0; first_atv = 0) {
      tlswi_der_rd atv, oid, val;
      unsigned vtag;
      if (!expect(&rdn, 0x30, &atv) || !expect(&atv, 0x06, &oid) ||
          !tlswi_der_tlv(&atv, &vtag, &val)) {
        return -1;
      }
      if (!first_atv) sb_str(b, " + ");
      const char *nm = tlswi_der_attr_name(oid.p, oid.n);
      if (nm != NULL) {
        sb_str(b, nm);
      } else if (put_oid(b, oid) != 0) {
        return -1;
      }
      sb_str(b, "=");
      put_string(b, vtag, val, ",+=\"");
    }
  }
  return 0;
}

/* One GeneralName of a subjectAltName. */
static int put_san(tlswi_sbuf *b, unsigned tag, tlswi_der_rd v) {
  static const char *const text_tags[] = {NULL, "email:", "DNS:", NULL,
                                          NULL, NULL,     "URI:"};
  unsigned t = tag & 0x1f;
  if ((tag == 0x81 || tag == 0x82 || tag == 0x86) && text_tags[t] != NULL) {
    sb_str(b, text_tags[t]);
    put_text(b, v.p, v.n, 0, ",");
  } else if (tag == 0x87) {
    sb_str(b, "IP:");
    if (v.n == 4) {
      for (size_t i = 0; i < 4; i++) sb_fmt(b, "%s%u", i ? "." : "", v.p[i]);
    } else if (v.n == 16) {
      /* Full form, no :: compression: unambiguous and short code. */
      for (size_t i = 0; i < 16; i += 2) {
        sb_fmt(b, "%s%x", i ? ":" : "", (unsigned)(v.p[i] << 8 | v.p[i + 1]));
      }
    } else {
      put_hex(b, v.p, v.n);
    }
  } else if (tag == 0xa4) { /* directoryName: [4] EXPLICIT Name */
    tlswi_der_rd nm;
    if (!expect(&v, 0x30, &nm)) return -1;
    sb_str(b, "DirName:");
    return tlswi_text_name(b, nm.p, nm.n);
  } else if (tag == 0xa0) {
    sb_str(b, "othername:<unsupported>");
  } else {
    sb_fmt(b, "<type %u>", t);
  }
  return 0;
}

typedef struct san_walk {
  tlswi_sbuf *b;
  int n;
} san_walk;

static int san_entry(void *user, unsigned tag, const uint8_t *v, size_t n) {
  san_walk *w = user;
  tlswi_der_rd val = {v, n};
  if (w->n++ > 0) sb_str(w->b, ", ");
  /* der.c hands the tag number; the contexts are: 0 and 4 constructed. */
  unsigned full = (tag == 0 || tag == 4 ? 0xa0u : 0x80u) | tag;
  return put_san(w->b, full, val) != 0 ? 1 : 0;
}

int tlswi_text_sans(tlswi_sbuf *b, const uint8_t *der, size_t len) {
  san_walk w = {b, 0};
  int r = tlswi_der_cert_sans(der, len, san_entry, &w);
  return r == TLSW_DER_NONE ? 0 : r == 0 ? 0 : -1;
}

/* The signature algorithms of today's certificates, by OpenSSL's names
 * (the weak ones are der.c's). */
static const struct {
  uint8_t oid[9];
  uint8_t len;
  const char *name;
} sig_names[] = {
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b},
     9,
     "sha256WithRSAEncryption"},
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c},
     9,
     "sha384WithRSAEncryption"},
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d},
     9,
     "sha512WithRSAEncryption"},
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e},
     9,
     "sha224WithRSAEncryption"},
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a}, 9, "rsassaPss"},
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01}, 8, "ecdsa-with-SHA224"},
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02}, 8, "ecdsa-with-SHA256"},
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03}, 8, "ecdsa-with-SHA384"},
    {{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04}, 8, "ecdsa-with-SHA512"},
    {{0x2b, 0x65, 0x70}, 3, "ED25519"},
    {{0x2b, 0x65, 0x71}, 3, "ED448"},
};

int tlswi_text_sig_alg(tlswi_sbuf *b, const uint8_t *der, size_t len) {
  tlswi_der_rd r = {der, len}, cert, tbs, alg, oid;
  if (!expect(&r, 0x30, &cert) || !expect(&cert, 0x30, &tbs) ||
      !expect(&cert, 0x30, &alg) || !expect(&alg, 0x06, &oid)) {
    return -1;
  }
  for (size_t i = 0; i < sizeof sig_names / sizeof sig_names[0]; i++) {
    if (oid.n == sig_names[i].len &&
        memcmp(oid.p, sig_names[i].oid, oid.n) == 0) {
      sb_str(b, sig_names[i].name);
      return 0;
    }
  }
  const char *weak = tlswi_der_cert_weak_sig(der, len);
  if (weak != NULL && weak[0] != '\0') {
    sb_str(b, weak);
    return 0;
  }
  return put_oid(b, oid);
}
