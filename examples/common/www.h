/*
 * tlsw-server --www DIR: serve the files under DIR, like openssl s_server
 * -WWW. GET only; a request can never reach a file outside DIR: ".."
 * segments are refused, and the file's real path (symlinks resolved) must
 * lie under DIR's real path.
 */
#ifndef TLSW_CLI_WWW_H
#define TLSW_CLI_WWW_H

#include <stdio.h>

/* DIR's real path into root (for cli_www_open), or -1 after printing why
 * (missing, not a directory). */
int cli_www_root(const char *dir, char *root, size_t size);

/* Answer one request: on 200, *file is the open file (the caller closes
 * it) and *size its length; otherwise *file is NULL. The status is 200,
 * 400 (bad escape), 403 (outside DIR, "..", not a regular file, not
 * readable), 404 (no such file) or 405 (not GET). *ctype: the type from
 * the extension (application/octet-stream when unknown). */
int cli_www_open(const char *root, const char *method, const char *target,
                 FILE **file, long long *size, const char **ctype);

/* The response head for status (length: Content-Length of the body that
 * follows: the file for 200, a short text otherwise, which is appended
 * here). Returns a malloc'd string and its length in *len, NULL on OOM. */
char *cli_www_response(int status, const char *ctype, long long length,
                       size_t *len);

/* The whole answer to one request head (parsed: the result of
 * cli_http_parse_request, < 0 for a malformed one): the response head (or
 * error page) to send first, malloc'd, its length in *len (NULL on OOM);
 * *file and *file_next = 1 when the file's bytes follow. what gets
 * "STATUS METHOD PATH" for the log, control characters replaced. */
char *cli_www_answer(const char *root, int parsed, const char *method,
                     const char *path, FILE **file, int *file_next, size_t *len,
                     char *what, size_t wsize);

#endif
