/*
 * Just enough HTTP/1.1 for the tools: the client's --get (one request, a
 * streaming response parser that handles Content-Length, chunked bodies and
 * read-until-close) and the server's --http (parse one request head, build
 * one small page). Neither side keeps connections alive.
 */
#ifndef TLSW_CLI_HTTP_H
#define TLSW_CLI_HTTP_H

#include <stddef.h>
#include <stdint.h>

/* Request text for GET path on host (IPv6 literals get brackets; port
 * omitted when it is 443). Returns its length, or 0 if path is not a
 * plain absolute path ("/..." without spaces or control characters) or
 * the buffer is too small. */
size_t cli_http_request(char *out, size_t size, const char *host,
                        const char *port, const char *path,
                        const char *user_agent);

/* Split an https:// URL into authority ("host", "host:port", "[v6]:port")
 * and path ("/" when none; the query is kept, a #fragment dropped).
 * Returns 1 for an https URL, 0 when url is not a URL at all (no "://"),
 * -1 for a URL that cannot be used (*why says why: http://, another
 * scheme, user@host, no host). */
int cli_url_split(const char *url, char *authority, size_t asize, char *path,
                  size_t psize, const char **why);

typedef int (*cli_http_emit_fn)(void *user, const uint8_t *p, size_t n);

typedef struct cli_http_resp {
  int state;
  int status;       /* e.g. 200, once the head is parsed */
  char reason[64];  /* e.g. "OK" */
  char head[16384]; /* the response head while it arrives */
  size_t head_len;
  char line[128]; /* a chunk-size or trailer line */
  size_t line_len;
  unsigned long long left; /* bytes left in the body or chunk */
  int chunked, has_length;
  char err[160]; /* why parsing failed */
} cli_http_resp;

void cli_http_resp_init(cli_http_resp *r);
/* Feed response bytes; body bytes go to emit (whose non-zero return stops
 * with -1). Returns 0 (more wanted), 1 (response complete) or -1 (r->err
 * says why). */
int cli_http_resp_feed(cli_http_resp *r, const uint8_t *p, size_t n,
                       cli_http_emit_fn emit, void *user);
/* The connection ended: 1 if that completes the response (body delimited
 * by close), -1 if it cut the response short (r->err). */
int cli_http_resp_eof(cli_http_resp *r);

/* Server: look for a complete request head in buf. Returns 1 with method
 * and path filled (NUL-terminated, truncated paths are refused), 0 if more
 * bytes are needed, -1 if the request is malformed. */
int cli_http_parse_request(const char *buf, size_t len, char *method,
                           size_t msize, char *path, size_t psize);

/* Server: a complete response (head and an HTML page naming the path,
 * protocol and cipher, escaped) in a malloc'd buffer; status 200, 400, 405
 * or 431. For HEAD only the head is returned. *len excludes the NUL that
 * ends it. NULL on OOM. */
char *cli_http_page(int status, const char *method, const char *path,
                    const char *version, const char *cipher, size_t *len);

#endif
