#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t cli_http_request(char *out, size_t size, const char *host,
                        const char *port, const char *path,
                        const char *user_agent) {
  if (path[0] != '/') return 0;
  for (const char *p = path; *p; p++) {
    /* A space or CR/LF would let the path rewrite the request. */
    if ((unsigned char)*p <= 0x20 || *p == 0x7f) return 0;
  }
  int v6 = strchr(host, ':') != NULL;
  int show_port = port[0] != '\0' && strcmp(port, "443") != 0;
  int n = snprintf(out, size,
                   "GET %s HTTP/1.1\r\nHost: %s%s%s%s%s\r\nUser-Agent: %s\r\n"
                   "Accept: */*\r\nConnection: close\r\n\r\n",
                   path, v6 ? "[" : "", host, v6 ? "]" : "",
                   show_port ? ":" : "", show_port ? port : "", user_agent);
  if (n < 0 || (size_t)n >= size) return 0;
  return (size_t)n;
}

enum {
  R_HEAD,
  R_BODY_LEN,
  R_BODY_CLOSE,
  R_CHUNK_SIZE,
  R_CHUNK_DATA,
  R_CHUNK_CRLF,
  R_TRAILER,
  R_DONE,
  R_ERROR
};

void cli_http_resp_init(cli_http_resp *r) {
  memset(r, 0, sizeof *r);
}

static int fail(cli_http_resp *r, const char *msg) {
  snprintf(r->err, sizeof r->err, "%s", msg);
  r->state = R_ERROR;
  return -1;
}

/* Value of header `name` in the head (case-insensitive), or NULL. The
 * returned pointer runs to the end of that line. */
static const char *header(const char *head, const char *name, size_t *vlen) {
  size_t nl = strlen(name);
  const char *line = strstr(head, "\r\n");
  while (line != NULL && line[2] != '\r') {
    line += 2;
    const char *end = strstr(line, "\r\n");
    if (end == NULL) return NULL;
    if ((size_t)(end - line) > nl && strncasecmp(line, name, nl) == 0 &&
        line[nl] == ':') {
      const char *v = line + nl + 1;
      while (*v == ' ' || *v == '\t') v++;
      *vlen = (size_t)(end - v);
      while (*vlen > 0 && (v[*vlen - 1] == ' ' || v[*vlen - 1] == '\t')) {
        (*vlen)--;
      }
      return v;
    }
    line = end;
  }
  return NULL;
}

static int parse_head(cli_http_resp *r) {
  r->head[r->head_len] = '\0';
  int major, minor, status;
  int off = 0;
  if (sscanf(r->head, "HTTP/%d.%d %3d%n", &major, &minor, &status, &off) != 3 ||
      status < 100 || status > 999) {
    return fail(r, "the reply is not HTTP (no \"HTTP/1.x NNN\" status line)");
  }
  r->status = status;
  const char *reason = r->head + off;
  while (*reason == ' ') reason++;
  size_t rl = strcspn(reason, "\r\n");
  if (rl >= sizeof r->reason) rl = sizeof r->reason - 1;
  memcpy(r->reason, reason, rl);
  r->reason[rl] = '\0';
  if (status >= 100 && status < 200) { /* interim: a real head follows */
    r->head_len = 0;
    return 0;
  }
  size_t vl = 0;
  const char *te = header(r->head, "Transfer-Encoding", &vl);
  const char *cl;
  if (status == 204 || status == 304) {
    r->state = R_DONE;
  } else if (te != NULL) {
    if (vl < 7 || strncasecmp(te + vl - 7, "chunked", 7) != 0) {
      return fail(r, "unsupported Transfer-Encoding in the reply");
    }
    r->chunked = 1;
    r->state = R_CHUNK_SIZE;
  } else if ((cl = header(r->head, "Content-Length", &vl)) != NULL) {
    char num[24];
    char *end;
    if (vl == 0 || vl >= sizeof num) return fail(r, "bad Content-Length");
    memcpy(num, cl, vl);
    num[vl] = '\0';
    if (num[0] < '0' || num[0] > '9') return fail(r, "bad Content-Length");
    r->left = strtoull(num, &end, 10);
    if (*end != '\0') return fail(r, "bad Content-Length");
    r->has_length = 1;
    r->state = r->left ? R_BODY_LEN : R_DONE;
  } else {
    r->state = R_BODY_CLOSE;
  }
  return 0;
}

/* Collect one CRLF-terminated line into r->line; 1 when complete. */
static int take_line(cli_http_resp *r, const uint8_t **p, size_t *n) {
  while (*n > 0) {
    char c = (char)**p;
    (*p)++;
    (*n)--;
    if (c == '\n') {
      if (r->line_len > 0 && r->line[r->line_len - 1] == '\r') r->line_len--;
      r->line[r->line_len] = '\0';
      return 1;
    }
    if (r->line_len + 1 >= sizeof r->line) return -1;
    r->line[r->line_len++] = c;
  }
  return 0;
}

/* A whole line of the chunked framing is in r->line: move on. 0, or -1
 * (r->err). */
static int chunk_line(cli_http_resp *r) {
  r->line_len = 0;
  if (r->state == R_CHUNK_CRLF) {
    if (r->line[0] != '\0') return fail(r, "malformed chunked body");
    r->state = R_CHUNK_SIZE;
  } else if (r->state == R_CHUNK_SIZE) {
    char *end;
    if (!((r->line[0] >= '0' && r->line[0] <= '9') ||
          (r->line[0] >= 'a' && r->line[0] <= 'f') ||
          (r->line[0] >= 'A' && r->line[0] <= 'F'))) {
      return fail(r, "malformed chunk size");
    }
    r->left = strtoull(r->line, &end, 16);
    if (*end != '\0' && *end != ';' && *end != ' ') {
      return fail(r, "malformed chunk size");
    }
    r->state = r->left ? R_CHUNK_DATA : R_TRAILER;
  } else if (r->line[0] == '\0') {
    r->state = R_DONE;
  }
  return 0;
}

int cli_http_resp_feed(cli_http_resp *r, const uint8_t *p, size_t n,
                       cli_http_emit_fn emit, void *user) {
  while (n > 0 || r->state == R_DONE) {
    switch (r->state) {
      case R_HEAD: {
        if (r->head_len + 1 >= sizeof r->head) {
          return fail(r, "the reply's header is larger than 16 KB");
        }
        r->head[r->head_len++] = (char)*p++;
        n--;
        if (r->head_len >= 4 &&
            memcmp(r->head + r->head_len - 4, "\r\n\r\n", 4) == 0) {
          if (parse_head(r) != 0) return -1;
        }
        break;
      }
      case R_BODY_LEN:
      case R_CHUNK_DATA:
      case R_BODY_CLOSE: {
        size_t take = n;
        if (r->state != R_BODY_CLOSE && take > r->left) take = (size_t)r->left;
        if (emit(user, p, take) != 0) return fail(r, "cannot write the body");
        p += take;
        n -= take;
        if (r->state == R_BODY_CLOSE) break;
        r->left -= take;
        if (r->left == 0) {
          r->state = r->state == R_BODY_LEN ? R_DONE : R_CHUNK_CRLF;
        }
        break;
      }
      case R_CHUNK_CRLF:
      case R_CHUNK_SIZE:
      case R_TRAILER: {
        int got = take_line(r, &p, &n);
        if (got < 0) return fail(r, "malformed chunked body (line too long)");
        if (got > 0 && chunk_line(r) != 0) return -1;
        break;
      }
      case R_DONE: return 1;
      default: return -1;
    }
  }
  return 0;
}

int cli_http_resp_eof(cli_http_resp *r) {
  if (r->state == R_DONE || r->state == R_BODY_CLOSE) {
    r->state = R_DONE;
    return 1;
  }
  if (r->state == R_ERROR) return -1;
  return fail(r, r->state == R_HEAD
                     ? "the server closed the connection before a complete "
                       "reply head"
                     : "the server closed the connection before the end of "
                       "the body (truncated)");
}

int cli_http_parse_request(const char *buf, size_t len, char *method,
                           size_t msize, char *path, size_t psize) {
  /* The head ends at an empty line: CRLF CRLF, or a bare LF on either
   * line, which RFC 9112 2.2 lets a recipient accept (curl and browsers
   * send CRLF; people typing into nc send LF, and were left waiting for
   * --idle, issue #13). */
  const char *end = NULL;
  for (size_t i = 0; i < len && end == NULL; i++) {
    if (buf[i] != '\n') continue;
    size_t j = i + 1;
    if (j < len && buf[j] == '\r') j++;
    if (j < len && buf[j] == '\n') end = buf + i;
  }
  if (end == NULL) return 0;
  const char *sp1 = memchr(buf, ' ', (size_t)(end - buf));
  if (sp1 == NULL) return -1;
  const char *sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
  if (sp2 == NULL || strncmp(sp2 + 1, "HTTP/1.", 7) != 0) return -1;
  size_t ml = (size_t)(sp1 - buf), pl = (size_t)(sp2 - sp1 - 1);
  if (ml == 0 || ml >= msize || pl == 0 || pl >= psize) return -1;
  memcpy(method, buf, ml);
  method[ml] = '\0';
  memcpy(path, sp1 + 1, pl);
  path[pl] = '\0';
  return 1;
}

/* HTML-escape s into b (at most size-1 bytes, always terminated); bytes
 * that are not printable ASCII become '?' (the page is a demo, the path
 * text is attacker-controlled). */
static void html_escape(char *b, size_t size, const char *s) {
  size_t o = 0;
  for (; *s && o + 7 < size; s++) {
    const char *rep = NULL;
    switch (*s) {
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '&': rep = "&amp;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&#39;"; break;
      default: break;
    }
    if (rep != NULL) {
      memcpy(b + o, rep, strlen(rep));
      o += strlen(rep);
    } else {
      unsigned char c = (unsigned char)*s;
      b[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
  }
  b[o] = '\0';
}

char *cli_http_page(int status, const char *method, const char *path,
                    const char *version, const char *cipher, size_t *len) {
  const char *reason = status == 200   ? "OK"
                       : status == 405 ? "Method Not Allowed"
                       : status == 431 ? "Request Header Fields Too Large"
                                       : "Bad Request";
  char epath[1024], body[2048];
  html_escape(epath, sizeof epath, path ? path : "");
  int bl;
  if (status == 200) {
    bl = snprintf(body, sizeof body,
                  "<!doctype html>\n<html><head><title>tlsw-server</title>"
                  "</head><body>\n<h1>Hello from tlsw-server</h1>\n"
                  "<p>You asked for <code>%s</code> over %s with %s.</p>\n"
                  "</body></html>\n",
                  epath, version ? version : "?", cipher ? cipher : "?");
  } else {
    bl = snprintf(body, sizeof body,
                  "<!doctype html>\n<html><body><h1>%d %s</h1></body></html>\n",
                  status, reason);
  }
  if (bl < 0 || (size_t)bl >= sizeof body) return NULL;
  int head_only = method != NULL && strcmp(method, "HEAD") == 0;
  size_t cap = (size_t)bl + 512;
  char *out = malloc(cap);
  if (out == NULL) return NULL;
  int hl =
      snprintf(out, cap,
               "HTTP/1.1 %d %s\r\nServer: tlsw-server\r\n"
               "Content-Type: text/html; charset=utf-8\r\n"
               "Content-Length: %d\r\n%sConnection: close\r\n\r\n",
               status, reason, bl, status == 405 ? "Allow: GET, HEAD\r\n" : "");
  if (hl < 0 || (size_t)hl + (size_t)bl >= cap) {
    free(out);
    return NULL;
  }
  if (!head_only) memcpy(out + hl, body, (size_t)bl);
  *len = (size_t)hl + (head_only ? 0 : (size_t)bl);
  out[*len] = '\0'; /* room checked above */
  return out;
}

/* ASCII case-insensitive prefix test (strncasecmp is not C99). */
static int has_scheme(const char *s, const char *scheme) {
  size_t i = 0;
  for (; scheme[i] != '\0'; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != scheme[i]) return 0;
  }
  return 1;
}

int cli_url_split(const char *url, char *authority, size_t asize, char *path,
                  size_t psize, const char **why) {
  *why = "";
  const char *sep = strstr(url, "://");
  if (sep == NULL) return 0;
  if (has_scheme(url, "http://")) {
    *why =
        "http:// is plain text and tlsw-client speaks only TLS: use "
        "https:// (or a TLS port)";
    return -1;
  }
  if (!has_scheme(url, "https://")) {
    *why = "only https:// URLs are supported";
    return -1;
  }
  const char *a = url + 8;
  size_t alen = strcspn(a, "/?#");
  const char *rest = a + alen;
  if (memchr(a, '@', alen) != NULL) {
    *why = "user names or passwords in URLs (user@host) are not supported";
    return -1;
  }
  if (alen == 0 || alen >= asize) {
    *why = "the URL has no host (https://HOST[:PORT]/PATH)";
    return -1;
  }
  /* The fragment (#...) is for the browser; curl does not send it either. */
  size_t plen = strcspn(rest, "#");
  const char *prefix = rest[0] == '/' ? "" : "/"; /* "https://h?q" */
  if (plen + 2 > psize) {
    *why = "the URL's path is too long";
    return -1;
  }
  memcpy(authority, a, alen);
  authority[alen] = '\0';
  snprintf(path, psize, "%s%.*s", prefix, (int)plen, rest);
  return 1;
}
