/* fuzz_cli_http: the tools' HTTP/1.1 parsers (examples/common/http.c):
 * the client's streaming response parser (Content-Length, chunked,
 * read-until-close) and the server's request-head parser, with the page
 * the server builds from what it parsed.
 *
 * Input: byte 0 picks the parser (bit 0: 0 response, 1 request). Response:
 * the rest is fed in pieces whose sizes come from byte 1 (so a head or a
 * chunk size is split across feeds), then end of stream. Request: the rest
 * is the bytes received so far. Seeds: real responses and requests. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int emit(void *user, const uint8_t *p, size_t n) {
  size_t *sum = user;
  *sum += n;
  if (n > 0) *sum += p[0] + p[n - 1];
  return 0;
}

static cli_http_resp resp; /* 16 KB of head buffer: not on the stack */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2 || size > FUZZ_MAX_INPUT) return -1;
  const uint8_t *p = data + 2;
  size_t n = size - 2;
  if ((data[0] & 1u) == 0) {
    size_t piece = 1 + data[1], sum = 0;
    cli_http_resp_init(&resp);
    int r = 0;
    while (n > 0 && r == 0) {
      size_t k = n < piece ? n : piece;
      uint8_t *q = malloc(k); /* exact size: ASan sees a read past it */
      if (q == NULL) abort();
      memcpy(q, p, k);
      r = cli_http_resp_feed(&resp, q, k, emit, &sum);
      free(q);
      p += k;
      n -= k;
    }
    if (r == 0) r = cli_http_resp_eof(&resp);
    if (r < -1 || r > 1) abort();
    if (r == -1 && memchr(resp.err, '\0', sizeof resp.err) == NULL) abort();
    return 0;
  }
  char *buf = malloc(n ? n : 1);
  if (buf == NULL) abort();
  if (n) memcpy(buf, p, n);
  char method[16], path[1024];
  size_t msize = 1 + data[1] % sizeof method;
  int r = cli_http_parse_request(buf, n, method, msize, path, sizeof path);
  if (r == 1) {
    if (strlen(method) >= msize || strlen(path) >= sizeof path) abort();
    size_t len;
    char *page = cli_http_page(200, method, path, "TLSv1.3",
                               "TLS_AES_128_GCM_SHA256", &len);
    if (page != NULL && strlen(page) != len) abort();
    free(page);
  } else if (r != 0 && r != -1) {
    abort();
  }
  free(buf);
  return 0;
}
