/* The tools' HTTP pieces: the streaming response parser of --get (fed in
 * every possible split), the request builder, and the server's request
 * parser and page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

typedef struct sink {
  char b[4096];
  size_t n;
} sink;

static int to_sink(void *user, const uint8_t *p, size_t n) {
  sink *s = user;
  if (s->n + n > sizeof s->b) return -1;
  memcpy(s->b + s->n, p, n);
  s->n += n;
  return 0;
}

/* Feed resp in two parts split at `cut`, then (if asked) signal EOF.
 * Returns the last parser result; the body lands in *out. */
static int feed_split(const char *resp, size_t cut, int eof, sink *out,
                      cli_http_resp *r) {
  size_t len = strlen(resp);
  cli_http_resp_init(r);
  memset(out, 0, sizeof *out);
  int st = cli_http_resp_feed(r, (const uint8_t *)resp, cut, to_sink, out);
  if (st != 0) return st;
  st = cli_http_resp_feed(r, (const uint8_t *)resp + cut, len - cut, to_sink,
                          out);
  if (st == 0 && eof) st = cli_http_resp_eof(r);
  return st;
}

static void check_all_splits(const char *resp, int eof, int want_st,
                             const char *want_body, int want_status) {
  cli_http_resp *r = malloc(sizeof *r);
  sink *out = malloc(sizeof *out);
  assert_non_null(r);
  assert_non_null(out);
  for (size_t cut = 0; cut <= strlen(resp); cut++) {
    int st = feed_split(resp, cut, eof, out, r);
    assert_int_equal(st, want_st);
    if (want_st == 1) {
      assert_int_equal(r->status, want_status);
      assert_int_equal(out->n, strlen(want_body));
      assert_memory_equal(out->b, want_body, out->n);
    }
  }
  free(r);
  free(out);
}

static void content_length(void **state) {
  (void)state;
  check_all_splits(
      "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nX: y\r\n\r\nhello world", 0, 1,
      "hello world", 200);
  /* Bytes after the body (a pipelined junk) are not part of it. */
  check_all_splits("HTTP/1.1 200 OK\r\ncontent-length:  3 \r\n\r\nabcdef", 0, 1,
                   "abc", 200);
  check_all_splits("HTTP/1.1 204 No Content\r\n\r\n", 0, 1, "", 204);
}

static void chunked(void **state) {
  (void)state;
  check_all_splits(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n1;ext=1\r\n \r\nA\r\n0123456789\r\n0\r\n"
      "Trailer: x\r\n\r\n",
      0, 1, "hello 0123456789", 200);
  /* Interim 100 Continue, then the real answer. */
  check_all_splits(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\n"
      "Transfer-Encoding: chunked\r\n\r\n3\r\nnop\r\n0\r\n\r\n",
      0, 1, "nop", 404);
}

static void until_close(void **state) {
  (void)state;
  check_all_splits("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nall of it", 1, 1,
                   "all of it", 200);
}

static void malformed_and_truncated(void **state) {
  (void)state;
  cli_http_resp *r = malloc(sizeof *r);
  sink *out = malloc(sizeof *out);
  assert_non_null(r);
  assert_non_null(out);
  /* Truncated by the connection closing. */
  assert_int_equal(
      feed_split("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 5, 1, out,
                 r),
      -1);
  assert_non_null(strstr(r->err, "truncated"));
  assert_int_equal(feed_split("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                              "chunked\r\n\r\n5\r\nhel",
                              3, 1, out, r),
                   -1);
  assert_int_equal(feed_split("HTTP/1.1 200 OK\r\nContent-Le", 3, 1, out, r),
                   -1);
  /* Not HTTP, bad numbers, unknown coding. */
  assert_int_equal(feed_split("SSH-2.0-x\r\n\r\n", 1, 0, out, r), -1);
  assert_int_equal(
      feed_split("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 1, 0, out, r),
      -1);
  assert_int_equal(feed_split("HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n",
                              1, 0, out, r),
                   -1);
  assert_int_equal(feed_split("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                              "chunked\r\n\r\nzz\r\n",
                              1, 0, out, r),
                   -1);
  assert_int_equal(feed_split("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                              "gzip\r\n\r\n",
                              1, 0, out, r),
                   -1);
  /* A head larger than the parser holds is refused, not truncated. */
  cli_http_resp_init(r);
  char big[20000];
  memset(big, 'a', sizeof big);
  memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
  assert_int_equal(
      cli_http_resp_feed(r, (const uint8_t *)big, sizeof big, to_sink, out),
      -1);
  free(r);
  free(out);
}

static void request(void **state) {
  (void)state;
  char b[512];
  size_t n =
      cli_http_request(b, sizeof b, "example.com", "443", "/x?y=1", "ua/1");
  assert_true(n > 0);
  assert_string_equal(b,
                      "GET /x?y=1 HTTP/1.1\r\nHost: example.com\r\n"
                      "User-Agent: ua/1\r\nAccept: */*\r\n"
                      "Connection: close\r\n\r\n");
  n = cli_http_request(b, sizeof b, "::1", "8443", "/", "ua");
  assert_non_null(strstr(b, "\r\nHost: [::1]:8443\r\n"));
  /* A path that could rewrite the request is refused. */
  assert_int_equal(cli_http_request(b, sizeof b, "h", "1", "/a b", "ua"), 0);
  assert_int_equal(cli_http_request(b, sizeof b, "h", "1", "/a\r\nX: 1", "ua"),
                   0);
  assert_int_equal(cli_http_request(b, sizeof b, "h", "1", "rel", "ua"), 0);
  assert_int_equal(cli_http_request(b, 20, "h", "1", "/", "ua"), 0);
}

static void urls(void **state) {
  (void)state;
  char a[64], p[64];
  const char *why;
  assert_int_equal(cli_url_split("https://localhost:4433/a/b?x=1#frag", a,
                                 sizeof a, p, sizeof p, &why),
                   1);
  assert_string_equal(a, "localhost:4433");
  assert_string_equal(p, "/a/b?x=1");
  assert_int_equal(
      cli_url_split("HTTPS://[::1]:443", a, sizeof a, p, sizeof p, &why), 1);
  assert_string_equal(a, "[::1]:443");
  assert_string_equal(p, "/");
  assert_int_equal(cli_url_split("https://h?q", a, sizeof a, p, sizeof p, &why),
                   1);
  assert_string_equal(p, "/?q");
  assert_int_equal(
      cli_url_split("localhost:443", a, sizeof a, p, sizeof p, &why), 0);
  assert_int_equal(
      cli_url_split("http://localhost/", a, sizeof a, p, sizeof p, &why), -1);
  assert_non_null(strstr(why, "https://"));
  assert_int_equal(
      cli_url_split("ftp://localhost/", a, sizeof a, p, sizeof p, &why), -1);
  assert_int_equal(
      cli_url_split("https://u:pw@h/", a, sizeof a, p, sizeof p, &why), -1);
  assert_int_equal(cli_url_split("https:///x", a, sizeof a, p, sizeof p, &why),
                   -1);
  char big[80];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  char url[100];
  snprintf(url, sizeof url, "https://%s/", big);
  assert_int_equal(cli_url_split(url, a, sizeof a, p, sizeof p, &why), -1);
}

static void server_side(void **state) {
  (void)state;
  char m[16], p[64];
  const char *req = "GET /a<b> HTTP/1.1\r\nHost: x\r\n\r\n";
  for (size_t n = 0; n < strlen(req); n++) {
    assert_int_equal(cli_http_parse_request(req, n, m, sizeof m, p, sizeof p),
                     0);
  }
  assert_int_equal(
      cli_http_parse_request(req, strlen(req), m, sizeof m, p, sizeof p), 1);
  assert_string_equal(m, "GET");
  assert_string_equal(p, "/a<b>");
  assert_int_equal(
      cli_http_parse_request("garbage\r\n\r\n", 11, m, sizeof m, p, sizeof p),
      -1);
  assert_int_equal(
      cli_http_parse_request("GET / FTP\r\n\r\n", 13, m, sizeof m, p, sizeof p),
      -1);
  /* A head ended by bare LFs (RFC 9112 2.2; issue #13: it was never
   * answered and the connection held until --idle). */
  static const char *const lf[] = {"GET /lf HTTP/1.0\n\n",
                                   "GET /lf HTTP/1.0\r\n\n",
                                   "GET /lf HTTP/1.0\nHost: x\r\n\r\n"};
  for (size_t i = 0; i < sizeof lf / sizeof lf[0]; i++) {
    assert_int_equal(
        cli_http_parse_request(lf[i], strlen(lf[i]), m, sizeof m, p, sizeof p),
        1);
    assert_string_equal(p, "/lf");
    assert_int_equal(cli_http_parse_request(lf[i], strlen(lf[i]) - 1, m,
                                            sizeof m, p, sizeof p),
                     0);
  }

  size_t len = 0;
  char *page = cli_http_page(200, "GET", "/a<b>&\"", "TLSv1.3",
                             "TLS_AES_128_GCM_SHA256", &len);
  assert_non_null(page);
  assert_int_equal(strlen(page), len);
  assert_non_null(strstr(page, "<code>/a&lt;b&gt;&amp;&quot;</code>"));
  const char *body = strstr(page, "\r\n\r\n") + 4;
  char cl[64];
  snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", strlen(body));
  assert_non_null(strstr(page, cl));
  free(page);
  page = cli_http_page(200, "HEAD", "/", "v", "c", &len);
  assert_non_null(page);
  assert_int_equal(len, (size_t)(strstr(page, "\r\n\r\n") + 4 - page));
  free(page);
  page = cli_http_page(405, "POST", "/", "v", "c", &len);
  assert_non_null(strstr(page, "HTTP/1.1 405 Method Not Allowed\r\n"));
  assert_non_null(strstr(page, "Allow: GET, HEAD\r\n"));
  free(page);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(content_length),
      cmocka_unit_test(chunked),
      cmocka_unit_test(until_close),
      cmocka_unit_test(malformed_and_truncated),
      cmocka_unit_test(request),
      cmocka_unit_test(server_side),
      cmocka_unit_test(urls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
