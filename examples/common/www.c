/* realpath() is X/Open in glibc's headers. */
#define _XOPEN_SOURCE 700
#include "www.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

int cli_www_root(const char *dir, char *root, size_t size) {
  char real[PATH_MAX];
  struct stat st;
  if (realpath(dir, real) == NULL || stat(real, &st) != 0) {
    cli_msg("--www %s: %s", dir, strerror(errno));
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) {
    cli_msg("--www %s is not a directory (use --file FILE to send one file)",
            dir);
    return -1;
  }
  if (strlen(real) >= size) {
    cli_msg("--www %s: the path is too long", dir);
    return -1;
  }
  memcpy(root, real, strlen(real) + 1);
  return 0;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The request target's path, %-decoded, without the query. 0, or the
 * HTTP status that refuses it. */
static int decode_path(const char *target, char *out, size_t size) {
  /* Only origin-form ("/a/b"): an absolute URL or "*" names no file. */
  if (target[0] != '/') return 400;
  size_t n = 0;
  for (const char *p = target; *p != '\0' && *p != '?' && *p != '#'; p++) {
    char c = *p;
    if (c == '%') {
      int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
      if (lo < 0) return 400;
      c = (char)(hi * 16 + lo);
      p += 2;
      /* A NUL would cut the path short behind our back. */
      if (c == '\0') return 400;
    }
    if (n + 1 >= size) return 403;
    out[n++] = c;
  }
  out[n] = '\0';
  return 0;
}

/* 1 if any '/'-separated segment of path is "..". */
static int has_dotdot(const char *path) {
  for (const char *p = path; *p != '\0';) {
    size_t len = strcspn(p, "/");
    if (len == 2 && p[0] == '.' && p[1] == '.') return 1;
    p += len;
    while (*p == '/') p++;
  }
  return 0;
}

static const char *type_of(const char *path) {
  static const struct {
    const char *ext, *type;
  } types[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".json", "application/json"},
      {".css", "text/css"},
      {".js", "text/javascript"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".svg", "image/svg+xml"},
  };
  const char *slash = strrchr(path, '/');
  const char *dot = strrchr(slash ? slash : path, '.');
  if (dot != NULL) {
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
      if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    }
  }
  return "application/octet-stream";
}

int cli_www_open(const char *root, const char *method, const char *target,
                 FILE **file, long long *size, const char **ctype) {
  *file = NULL;
  *size = 0;
  *ctype = "text/plain; charset=utf-8";
  if (strcmp(method, "GET") != 0) return 405;
  char rel[PATH_MAX], joined[2 * PATH_MAX + 16], real[PATH_MAX];
  int st = decode_path(target, rel, sizeof rel);
  if (st != 0) return st;
  if (has_dotdot(rel) || strchr(rel, '\\') != NULL) return 403;
  snprintf(joined, sizeof joined, "%s%s", root, rel);
  struct stat sb;
  if (stat(joined, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    /* A directory is served by its index.html; there are no listings. */
    size_t jl = strlen(joined);
    snprintf(joined + jl, sizeof joined - jl, "%sindex.html",
             jl > 0 && joined[jl - 1] == '/' ? "" : "/");
  }
  if (realpath(joined, real) == NULL) {
    return errno == ENOENT || errno == ENOTDIR ? 404 : 403;
  }
  /* The file's real path must be under the root's: this is what keeps a
   * symlink in DIR from serving /etc/passwd. */
  size_t rl = strlen(root);
  if (strncmp(real, root, rl) != 0 || (real[rl] != '/' && rl > 1)) return 403;
  if (stat(real, &sb) != 0) return 404;
  if (!S_ISREG(sb.st_mode)) return 403;
  FILE *f = fopen(real, "rb");
  if (f == NULL) return errno == ENOENT ? 404 : 403;
  *file = f;
  *size = (long long)sb.st_size;
  *ctype = type_of(real);
  return 200;
}

char *cli_www_response(int status, const char *ctype, long long length,
                       size_t *len) {
  const char *reason = status == 200   ? "OK"
                       : status == 400 ? "Bad Request"
                       : status == 403 ? "Forbidden"
                       : status == 404 ? "Not Found"
                       : status == 405 ? "Method Not Allowed"
                                       : "Error";
  char body[64] = "";
  if (status != 200) {
    snprintf(body, sizeof body, "%d %s\n", status, reason);
    length = (long long)strlen(body);
    ctype = "text/plain; charset=utf-8";
  }
  size_t cap = 512;
  char *out = malloc(cap);
  if (out == NULL) return NULL;
  int n = snprintf(out, cap,
                   "HTTP/1.1 %d %s\r\nServer: tlsw-server\r\n"
                   "Content-Type: %s\r\nContent-Length: %lld\r\n%s"
                   "Connection: close\r\n\r\n%s",
                   status, reason, ctype, length,
                   status == 405 ? "Allow: GET\r\n" : "", body);
  if (n < 0 || (size_t)n >= cap) {
    free(out);
    return NULL;
  }
  *len = (size_t)n;
  return out;
}

char *cli_www_answer(const char *root, int parsed, const char *method,
                     const char *path, FILE **file, int *file_next, size_t *len,
                     char *what, size_t wsize) {
  long long size = 0;
  const char *ctype = "";
  *file_next = 0;
  int status =
      parsed < 0 ? 400 : cli_www_open(root, method, path, file, &size, &ctype);
  char *resp = cli_www_response(status, ctype, size, len);
  if (resp != NULL && status == 200 && size > 0) {
    *file_next = 1; /* the file's bytes follow the head */
  } else if (*file != NULL) {
    fclose(*file);
    *file = NULL;
  }
  snprintf(what, wsize, "%d %.16s %.100s", status, parsed < 0 ? "-" : method,
           parsed < 0 ? "-" : path);
  /* The log line quotes the client's path: no control characters. */
  for (char *q = what; *q; q++) {
    if ((unsigned char)*q < 0x20 || *q == 0x7f) *q = '?';
  }
  return resp;
}
