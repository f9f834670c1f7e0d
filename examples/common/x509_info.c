#include "x509_info.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- growable string; an allocation failure is remembered, not lost ---- */

typedef struct sbuf {
  char *s;
  size_t len, cap;
  int oom;
} sbuf;

static void sb_add(sbuf *b, const char *p, size_t n) {
  if (b->oom) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1) cap *= 2;
    char *ns = realloc(b->s, cap);
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

static void sb_str(sbuf *b, const char *s) {
  sb_add(b, s, strlen(s));
}

static void sb_fmt(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void sb_fmt(sbuf *b, const char *fmt, ...) {
  char tmp[64];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0)
    sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Take the string out of b: "" for an empty one, NULL on OOM. */
static char *sb_take(sbuf *b) {
  if (!b->oom && b->s == NULL) sb_add(b, "", 0);
  if (b->oom) {
    free(b->s);
    return NULL;
  }
  return b->s;
}

/* ---- DER ---- */

typedef struct span {
  const uint8_t *p;
  size_t n;
} span;

/* Read one TLV from *in (advancing it). Only low tag numbers (all that
 * X.509 uses) and definite lengths up to 2^32-1 are accepted; anything
 * else, or a length past the end, is malformed. */
static int der_next(span *in, unsigned *tag, span *val) {
  if (in->n < 2) return -1;
  unsigned t = in->p[0];
  if ((t & 0x1f) == 0x1f) return -1;
  size_t len = in->p[1], hdr = 2;
  if (len & 0x80) {
    size_t nb = len & 0x7f;
    if (nb == 0 || nb > 4 || in->n < 2 + nb) return -1;
    len = 0;
    for (size_t i = 0; i < nb; i++) len = (len << 8) | in->p[2 + i];
    hdr += nb;
  }
  if (len > in->n - hdr) return -1;
  *tag = t;
  val->p = in->p + hdr;
  val->n = len;
  in->p += hdr + len;
  in->n -= hdr + len;
  return 0;
}

static int der_expect(span *in, unsigned tag, span *val) {
  unsigned t;
  if (der_next(in, &t, val) != 0 || t != tag) return -1;
  return 0;
}

/* ---- text ---- */

/* Length of a valid UTF-8 sequence at p (printable code point), or 0. */
static size_t utf8_seq(const uint8_t *p, size_t n) {
  unsigned c = p[0];
  size_t len;
  unsigned long cp;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (len > n) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3f);
  }
  /* Overlong forms, surrogates, beyond Unicode, and C1 controls (which
   * some terminals act on) are all shown escaped. */
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
      (cp >= 0x80 && cp <= 0x9f)) {
    return 0;
  }
  return len;
}

/* Append bytes as text: printable ASCII and valid UTF-8 as they are, the
 * rest as \xHH. special: characters to escape with a backslash (RFC 4514
 * style, so that "CN=a\, O=b" cannot pass for two attributes). */
static void put_text(sbuf *b, const uint8_t *p, size_t n, int utf8,
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

/* Append one code point as UTF-8 if printable, else escaped. */
static void put_codepoint(sbuf *b, unsigned long cp, const char *special) {
  uint8_t u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (uint8_t)cp;
    put_text(b, u, 1, 0, special);
    return;
  }
  if (cp < 0x800) {
    u[0] = (uint8_t)(0xc0 | (cp >> 6));
    u[1] = (uint8_t)(0x80 | (cp & 0x3f));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (uint8_t)(0xe0 | (cp >> 12));
    u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
    u[2] = (uint8_t)(0x80 | (cp & 0x3f));
    n = 3;
  } else if (cp <= 0x10ffff) {
    u[0] = (uint8_t)(0xf0 | (cp >> 18));
    u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
    u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
    u[3] = (uint8_t)(0x80 | (cp & 0x3f));
    n = 4;
  } else {
    sb_fmt(b, "\\U%08lX", cp);
    return;
  }
  if (utf8_seq(u, n) == n) {
    sb_add(b, (const char *)u, n);
  } else {
    sb_fmt(b, "\\u%04lX", cp);
  }
}

static void put_hex(sbuf *b, const uint8_t *p, size_t n) {
  sb_add(b, "#", 1);
  for (size_t i = 0; i < n; i++) sb_fmt(b, "%02X", p[i]);
}

/* An attribute value of any DirectoryString-like type. */
static void put_string(sbuf *b, unsigned tag, span v, const char *special) {
  switch (tag) {
    case 0x0c: /* UTF8String */ put_text(b, v.p, v.n, 1, special); break;
    case 0x13: /* PrintableString */
    case 0x16: /* IA5String */
    case 0x14: /* TeletexString: shown byte-wise, high bytes escaped */
    case 0x1a: /* VisibleString */ put_text(b, v.p, v.n, 0, special); break;
    case 0x1e: /* BMPString: UCS-2 big-endian */
      if (v.n % 2 != 0) {
        put_hex(b, v.p, v.n);
        break;
      }
      for (size_t i = 0; i < v.n; i += 2) {
        put_codepoint(b, ((unsigned long)v.p[i] << 8) | v.p[i + 1], special);
      }
      break;
    case 0x1c: /* UniversalString: UCS-4 big-endian */
      if (v.n % 4 != 0) {
        put_hex(b, v.p, v.n);
        break;
      }
      for (size_t i = 0; i < v.n; i += 4) {
        put_codepoint(b,
                      ((unsigned long)v.p[i] << 24) |
                          ((unsigned long)v.p[i + 1] << 16) |
                          ((unsigned long)v.p[i + 2] << 8) | v.p[i + 3],
                      special);
      }
      break;
    default: put_hex(b, v.p, v.n);
  }
}

/* Dotted form of an OID's content octets; -1 if malformed. */
static int put_oid(sbuf *b, span oid) {
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

static const struct {
  const char *der; /* content octets */
  size_t len;
  const char *name;
} attr_names[] = {
    {"\x55\x04\x03", 3, "CN"},
    {"\x55\x04\x06", 3, "C"},
    {"\x55\x04\x07", 3, "L"},
    {"\x55\x04\x08", 3, "ST"},
    {"\x55\x04\x09", 3, "street"},
    {"\x55\x04\x0a", 3, "O"},
    {"\x55\x04\x0b", 3, "OU"},
    {"\x55\x04\x05", 3, "serialNumber"},
    {"\x55\x04\x0c", 3, "title"},
    {"\x55\x04\x2a", 3, "GN"},
    {"\x55\x04\x04", 3, "SN"},
    {"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", 9, "emailAddress"},
    {"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19", 10, "DC"},
    {"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x01", 10, "UID"},
};

/* Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }.
 * Printed in the order of the certificate, like "CN=a, O=b". */
static int put_name(sbuf *b, span name) {
  int first_rdn = 1;
  while (name.n > 0) {
    span rdn;
    if (der_expect(&name, 0x31, &rdn) != 0) return -1;
    if (!first_rdn) sb_str(b, ", ");
    first_rdn = 0;
    int first_atv = 1;
    while (rdn.n > 0) {
      span atv, oid, val;
      unsigned vtag;
      if (der_expect(&rdn, 0x30, &atv) != 0 ||
          der_expect(&atv, 0x06, &oid) != 0 ||
          der_next(&atv, &vtag, &val) != 0) {
        return -1;
      }
      if (!first_atv) sb_str(b, " + ");
      first_atv = 0;
      const char *nm = NULL;
      for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
        if (attr_names[i].len == oid.n &&
            memcmp(attr_names[i].der, oid.p, oid.n) == 0) {
          nm = attr_names[i].name;
        }
      }
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

/* ---- time ---- */

static int digits(const uint8_t *p, size_t n, int *out) {
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] < '0' || p[i] > '9') return -1;
    v = v * 10 + (p[i] - '0');
  }
  *out = v;
  return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ (the forms
 * RFC 5280 allows). */
static int parse_time(span *in, char *text, size_t textsz, long long *t) {
  unsigned tag;
  span v;
  if (der_next(in, &tag, &v) != 0) return -1;
  int y, mo, d, h, mi, s;
  const uint8_t *p = v.p;
  if (tag == 0x17 && v.n == 13) {
    if (digits(p, 2, &y) != 0) return -1;
    y += y < 50 ? 2000 : 1900;
    p += 2;
  } else if (tag == 0x18 && v.n == 15) {
    if (digits(p, 4, &y) != 0) return -1;
    p += 4;
  } else {
    return -1;
  }
  if (digits(p, 2, &mo) || digits(p + 2, 2, &d) || digits(p + 4, 2, &h) ||
      digits(p + 6, 2, &mi) || digits(p + 8, 2, &s) || p[10] != 'Z' || mo < 1 ||
      mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return -1;
  }
  *t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  snprintf(text, textsz, "%04d-%02d-%02d %02d:%02d:%02d UTC", y, mo, d, h, mi,
           s);
  return 0;
}

/* ---- subjectAltName ---- */

static int put_sans(sbuf *b, span ext_value) {
  span names;
  if (der_expect(&ext_value, 0x30, &names) != 0 || ext_value.n != 0) {
    return -1;
  }
  int first = 1;
  while (names.n > 0) {
    unsigned tag;
    span v;
    if (der_next(&names, &tag, &v) != 0) return -1;
    if (!first) sb_str(b, ", ");
    first = 0;
    switch (tag) {
      case 0x81:
        sb_str(b, "email:");
        put_text(b, v.p, v.n, 0, ",");
        break;
      case 0x82:
        sb_str(b, "DNS:");
        put_text(b, v.p, v.n, 0, ",");
        break;
      case 0x86:
        sb_str(b, "URI:");
        put_text(b, v.p, v.n, 0, ",");
        break;
      case 0x87:
        sb_str(b, "IP:");
        if (v.n == 4) {
          sb_fmt(b, "%u.%u.%u.%u", v.p[0], v.p[1], v.p[2], v.p[3]);
        } else if (v.n == 16) {
          /* Full form, no :: compression: unambiguous and short code. */
          for (size_t i = 0; i < 16; i += 2) {
            sb_fmt(b, "%s%x", i ? ":" : "",
                   (unsigned)(v.p[i] << 8 | v.p[i + 1]));
          }
        } else {
          put_hex(b, v.p, v.n);
        }
        break;
      case 0xa4: { /* directoryName: [4] EXPLICIT Name */
        span nm;
        if (der_expect(&v, 0x30, &nm) != 0) return -1;
        sb_str(b, "DirName:");
        if (put_name(b, nm) != 0) return -1;
        break;
      }
      case 0xa0: sb_str(b, "othername:<unsupported>"); break;
      default: sb_fmt(b, "<type %u>", tag & 0x1f);
    }
  }
  return 0;
}

/* Extensions ::= SEQUENCE OF SEQUENCE { OID, critical BOOLEAN DEFAULT
 * FALSE, value OCTET STRING }. Only subjectAltName (2.5.29.17) is read. */
static int read_extensions(span exts, sbuf *sans) {
  span seq;
  if (der_expect(&exts, 0x30, &seq) != 0) return -1;
  while (seq.n > 0) {
    span ext, oid, val;
    unsigned tag;
    if (der_expect(&seq, 0x30, &ext) != 0 ||
        der_expect(&ext, 0x06, &oid) != 0 || der_next(&ext, &tag, &val) != 0) {
      return -1;
    }
    if (tag == 0x01 && der_next(&ext, &tag, &val) != 0) return -1;
    if (tag != 0x04) return -1;
    if (oid.n == 3 && memcmp(oid.p, "\x55\x1d\x11", 3) == 0) {
      if (put_sans(sans, val) != 0) return -1;
    }
  }
  return 0;
}

int cli_x509_parse(const uint8_t *der, size_t len, cli_x509 *x) {
  memset(x, 0, sizeof *x);
  if (der == NULL) return -1;
  span all = {der, len}, cert, tbs, v;
  unsigned tag;
  sbuf subj = {0}, iss = {0}, sans = {0};
  int ok = 0;
  if (der_expect(&all, 0x30, &cert) != 0 || all.n != 0 ||
      der_expect(&cert, 0x30, &tbs) != 0) {
    goto out;
  }
  span rest = tbs;
  if (der_next(&rest, &tag, &v) != 0) goto out;
  if (tag == 0xa0 && der_next(&rest, &tag, &v) != 0) goto out; /* version */
  if (tag != 0x02) goto out; /* serialNumber */
  span issuer, validity, subject;
  if (der_expect(&rest, 0x30, &v) != 0 ||        /* signature alg */
      der_expect(&rest, 0x30, &issuer) != 0 ||   /* issuer */
      der_expect(&rest, 0x30, &validity) != 0 || /* validity */
      der_expect(&rest, 0x30, &subject) != 0 ||  /* subject */
      der_expect(&rest, 0x30, &v) != 0) {        /* subjectPublicKeyInfo */
    goto out;
  }
  if (parse_time(&validity, x->not_before, sizeof x->not_before,
                 &x->not_before_t) != 0 ||
      parse_time(&validity, x->not_after, sizeof x->not_after,
                 &x->not_after_t) != 0 ||
      validity.n != 0) {
    goto out;
  }
  if (put_name(&subj, subject) != 0 || put_name(&iss, issuer) != 0) goto out;
  while (rest.n > 0) {
    if (der_next(&rest, &tag, &v) != 0) goto out;
    if (tag == 0xa3 && read_extensions(v, &sans) != 0) goto out;
  }
  ok = 1;
out:
  x->subject = ok ? sb_take(&subj) : (free(subj.s), NULL);
  x->issuer = ok ? sb_take(&iss) : (free(iss.s), NULL);
  x->sans = ok ? sb_take(&sans) : (free(sans.s), NULL);
  if (!ok || x->subject == NULL || x->issuer == NULL || x->sans == NULL) {
    cli_x509_free(x);
    return -1;
  }
  return 0;
}

void cli_x509_free(cli_x509 *x) {
  if (x == NULL) return;
  free(x->subject);
  free(x->issuer);
  free(x->sans);
  memset(x, 0, sizeof *x);
}
