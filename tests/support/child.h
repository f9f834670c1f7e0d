/* Test support: a peer program (openssl, gnutls-cli, ...) run as a child
 * process with its stdin and its merged stdout/stderr on pipes. */
#ifndef TLSW_TEST_CHILD_H
#define TLSW_TEST_CHILD_H

#include <stddef.h>
#include <sys/types.h>

typedef struct child {
  pid_t pid;            /* 0 when not running */
  int in_fd;            /* write end of the child's stdin, -1 once closed */
  int out_fd;           /* read end of its stdout+stderr, -1 at EOF */
  char out[256 * 1024]; /* everything it printed, NUL-terminated */
  size_t out_len;
} child;

/* Milliseconds on a monotonic clock. */
long long now_ms(void);

/* Sleep ms milliseconds, resuming after signals (tests that raise signals
 * on purpose must not have their pauses cut short). */
void sleep_ms(long ms);

/* Start argv[0] (looked up in PATH). The child gets SIGKILL if the test
 * process dies, so a crashed or timed-out test leaves nothing behind.
 * Returns 0, or -1 with errno set. */
int child_start(child *c, char *const argv[]);

/* Read what the child printed until `needle` appears, EOF, or the deadline
 * (now_ms() value). Returns 1 if the needle is in the output. */
int child_wait_for(child *c, const char *needle, long long deadline);
/* The same, looking only at output from offset `from` on. */
int child_wait_for_from(child *c, size_t from, const char *needle,
                        long long deadline);

/* Read whatever the child has printed so far, without waiting. */
void child_pump(child *c);

/* Read until EOF or the deadline. Returns 1 at EOF. */
int child_drain(child *c, long long deadline);

/* Write all of s to the child's stdin. Returns 0 or -1. */
int child_send(child *c, const char *s);

/* Close the child's stdin (many tools then end the session). */
void child_close_stdin(child *c);

/* 1 if the child has exited (reaps it), 0 if it runs. */
int child_exited(child *c);

/* Stop the child: close stdin, SIGTERM, wait up to grace_ms, SIGKILL, reap,
 * and read what is left of its output. Safe to call twice or on a child
 * that never started. */
void child_stop(child *c, int grace_ms);

/* Print the child's output (for a failing test). */
void child_dump(const child *c, const char *label);

#endif
