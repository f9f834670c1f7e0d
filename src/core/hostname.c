/*
 * Host name matching: server_hostname against the leaf certificate's
 * subjectAltName, by our own RFC 6125 rules rather than a TLS library's;
 * and what SNI may carry. Backend-neutral: it reads the certificate's DER
 * (core/der.c), which every backend can hand over.
 */
#include <string.h>

#include "core/der.h"
#include "core/policy.h"

/* Strict dotted-quad IPv4 or RFC 4291 IPv6 text (no zone, optional
 * trailing dotted quad): exactly what inet_pton accepts. Returns 4 or 16
 * with the address in out, 0 when text is not an IP literal. Our own
 * parser: inet_pton is POSIX, and the core must build where only C99 is. */
static size_t parse_ipv4(const char *t, size_t n, uint8_t *out) {
  size_t i = 0;
  for (int part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= n || t[i] != '.') return 0;
      i++;
    }
    unsigned v = 0;
    size_t digits = 0;
    size_t first = i;
    while (i < n && t[i] >= '0' && t[i] <= '9' && digits < 4) {
      v = v * 10 + (unsigned)(t[i] - '0');
      i++;
      digits++;
    }
    /* No leading zeros, as inet_pton: resolvers read "010" as octal 8, so
     * "127.0.0.010" must not match a certificate for 127.0.0.10 (issue
     * #13; tests/test_hostname.c compares with inet_pton). */
    if (digits == 0 || digits > 3 || v > 255) return 0;
    if (digits > 1 && t[first] == '0') return 0;
    out[part] = (uint8_t)v;
  }
  return i == n ? 4 : 0;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static size_t parse_ipv6(const char *t, size_t n, uint8_t *out) {
  uint8_t w[16];
  int nw = 0, gap = -1; /* bytes written; position of "::" */
  size_t i = 0;
  if (n >= 2 && t[0] == ':' && t[1] == ':') {
    gap = 0;
    i = 2;
  } else if (n >= 1 && t[0] == ':') {
    return 0;
  }
  while (i < n) {
    /* A trailing dotted quad fills the last 32 bits. */
    size_t j = i;
    while (j < n && t[j] != ':' && t[j] != '.') j++;
    if (j < n && t[j] == '.') {
      if (nw > 12 || parse_ipv4(t + i, n - i, w + nw) != 4) return 0;
      nw += 4;
      i = n;
      break;
    }
    unsigned v = 0;
    size_t digits = 0;
    while (i < n && hexval(t[i]) >= 0) {
      v = v * 16 + (unsigned)hexval(t[i]);
      i++;
      if (++digits > 4) return 0;
    }
    if (digits == 0 || nw > 14) return 0;
    w[nw++] = (uint8_t)(v >> 8);
    w[nw++] = (uint8_t)v;
    if (i == n) break;
    if (t[i] != ':') return 0;
    i++;
    if (i < n && t[i] == ':') {
      if (gap >= 0) return 0;
      gap = nw;
      i++;
    } else if (i == n) {
      return 0; /* a single trailing ':' */
    }
  }
  if (gap < 0) {
    if (nw != 16) return 0;
    memcpy(out, w, 16);
    return 16;
  }
  if (nw > 14) return 0; /* "::" stands for at least one group */
  memset(out, 0, 16);
  memcpy(out, w, (size_t)gap);
  memcpy(out + 16 - (nw - gap), w + gap, (size_t)(nw - gap));
  return 16;
}

size_t tlswi_parse_ip(const char *t, uint8_t *out) {
  size_t n = strlen(t);
  if (parse_ipv4(t, n, out) == 4) return 4;
  if (memchr(t, ':', n) != NULL) return parse_ipv6(t, n, out);
  return 0;
}

static int ascii_ieq(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
    if (x != y) return 0;
  }
  return 1;
}

/*
 * One SAN dNSName against the host name, RFC 6125 as browsers and CPython
 * (OpenSSL with X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS) apply it: ASCII
 * case-insensitive; a wildcard only as the whole left-most label, standing
 * for exactly one non-empty label, and only above a name of two or more
 * labels ("*.example.test" yes, "*.test" no); no partial wildcards
 * ("f*.example.test"). One trailing dot on either side is ignored.
 */
int tlswi_dns_match(const char *pat, size_t plen, const char *host) {
  size_t hlen = strlen(host);
  if (hlen > 0 && host[hlen - 1] == '.') hlen--;
  if (plen > 0 && pat[plen - 1] == '.') plen--;
  if (plen == 0 || hlen == 0 || memchr(pat, '\0', plen) != NULL) return 0;
  if (plen >= 2 && pat[0] == '*' && pat[1] == '.') {
    const char *rest = pat + 1; /* ".example.test" */
    size_t rlen = plen - 1;
    if (memchr(rest + 1, '.', rlen - 1) == NULL) return 0;
    if (memchr(rest, '*', rlen) != NULL) return 0;
    const char *dot = memchr(host, '.', hlen);
    if (dot == NULL || dot == host) return 0;
    size_t tail = hlen - (size_t)(dot - host);
    return tail == rlen && ascii_ieq(dot, rest, rlen);
  }
  if (memchr(pat, '*', plen) != NULL) return 0;
  return plen == hlen && ascii_ieq(pat, host, hlen);
}

typedef struct san_match {
  const char *host;
  const uint8_t *ip; /* the host as an address, or NULL */
  size_t iplen;
} san_match;

static int san_entry(void *user, unsigned tag, const uint8_t *v, size_t n) {
  const san_match *m = user;
  if (m->ip != NULL) {
    return tag == TLSW_SAN_IP && n == m->iplen && memcmp(v, m->ip, n) == 0;
  }
  return tag == TLSW_SAN_DNS && n > 0 &&
         tlswi_dns_match((const char *)v, n, m->host);
}

/*
 * server_hostname against the leaf's subjectAltName (read from its DER,
 * core/der.c). We match names ourselves instead of
 * wolfSSL_check_domain_name(): 5.5.4 lets a dNSName "127.0.0.1" match the
 * IP literal 127.0.0.1 (measured), and falls back to the CN. Rules: an IP
 * literal matches iPAddress entries only (byte compare, IPv4 or IPv6); a
 * name matches dNSName entries only (dns_match); the subject CN is not used
 * (RFC 6125 §6.4.4 allows it only without SANs; browsers and Go dropped
 * it), unless cn_fallback is on and the certificate has no subjectAltName
 * at all. A subjectAltName that cannot be read matches nothing.
 */
int tlswi_host_matches(const char *host, const uint8_t *der, size_t len,
                       int cn_fallback) {
  uint8_t ip[16];
  san_match m = {host, ip, tlswi_parse_ip(host, ip)};
  if (m.iplen == 0) m.ip = NULL;
  int r = tlswi_der_cert_sans(der, len, san_entry, &m);
  if (r == TLSW_DER_NONE) {
    /* tlsw_ctx_set_hostname_cn_fallback(): RFC 6125 §6.4.4 lets the CN
     * stand in only when there is no subjectAltName at all, and only for
     * DNS names. */
    char cn[256];
    size_t cnlen = tlswi_der_cert_subject_cn(der, len, cn, sizeof cn);
    return cn_fallback && m.ip == NULL && cnlen > 0 &&
           tlswi_dns_match(cn, cnlen, host);
  }
  return r > 0;
}

/* What SNI must not carry: an IPv4/IPv6 literal, or anything made of
 * digits and dots only (no DNS name is; "127.1" is an address to many
 * resolvers). */
static int is_ip_literal(const char *host) {
  uint8_t ip[16];
  return tlswi_parse_ip(host, ip) != 0 ||
         strspn(host, "0123456789.") == strlen(host) ||
         strchr(host, ':') != NULL;
}

/* SNI carries DNS names only (RFC 6066), never IP literals, and without
 * the trailing dot of an absolute name. */
size_t tlswi_sni_len(const char *host) {
  if (host == NULL || is_ip_literal(host)) return 0;
  size_t n = strlen(host);
  if (n > 1 && host[n - 1] == '.') n--;
  return n;
}
