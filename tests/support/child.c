/* Child processes for the tests that drive real peers (see child.h). */
#define _POSIX_C_SOURCE 200809L
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

int child_start(child *c, char *const argv[]) {
  int in[2], out[2];
  c->pid = 0;
  c->in_fd = c->out_fd = -1;
  c->out_len = 0;
  c->out[0] = '\0';
  if (pipe(in) != 0) return -1;
  if (pipe(out) != 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    errno = e;
    return -1;
  }
  if (pid == 0) {
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126); /* parent already gone */
#else
    (void)parent;
#endif
    signal(SIGPIPE, SIG_DFL);
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(out[1], 2);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execvp(argv[0], argv);
    fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  /* The parent never blocks on the child: reads are driven by poll(). */
  fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
  fcntl(in[1], F_SETFD, FD_CLOEXEC);
  fcntl(out[0], F_SETFD, FD_CLOEXEC);
  c->pid = pid;
  c->in_fd = in[1];
  c->out_fd = out[0];
  return 0;
}

/* One poll+read round of at most wait_ms. Returns 0 on progress or
 * timeout, -1 at EOF (or when there is no pipe any more). */
static int read_some(child *c, int wait_ms) {
  if (c->out_fd < 0) return -1;
  struct pollfd p = {c->out_fd, POLLIN, 0};
  int r = poll(&p, 1, wait_ms < 0 ? 0 : wait_ms);
  if (r <= 0) return 0;
  size_t room = sizeof c->out - 1 - c->out_len;
  char sink[4096];
  /* When the buffer is full, keep reading (and dropping) so the child is
   * never blocked on a full pipe. */
  char *dst = room > 0 ? c->out + c->out_len : sink;
  size_t cap = room > 0 ? room : sizeof sink;
  ssize_t n = read(c->out_fd, dst, cap);
  if (n > 0) {
    if (room > 0) {
      c->out_len += (size_t)n;
      c->out[c->out_len] = '\0';
    }
    return 0;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
  close(c->out_fd);
  c->out_fd = -1;
  return -1;
}

int child_wait_for_from(child *c, size_t from, const char *needle,
                        long long deadline) {
  for (;;) {
    if (from <= c->out_len && strstr(c->out + from, needle) != NULL) return 1;
    long long left = deadline - now_ms();
    if (left <= 0) return 0;
    if (read_some(c, left > 50 ? 50 : (int)left) < 0) {
      return from <= c->out_len && strstr(c->out + from, needle) != NULL;
    }
  }
}

int child_wait_for(child *c, const char *needle, long long deadline) {
  return child_wait_for_from(c, 0, needle, deadline);
}

void child_pump(child *c) {
  size_t before;
  do {
    before = c->out_len;
    if (read_some(c, 0) < 0) return;
  } while (c->out_len != before);
}

int child_drain(child *c, long long deadline) {
  for (;;) {
    long long left = deadline - now_ms();
    if (left <= 0) return c->out_fd < 0;
    if (read_some(c, left > 50 ? 50 : (int)left) < 0) return 1;
  }
}

int child_send(child *c, const char *s) {
  size_t len = strlen(s), off = 0;
  if (c->in_fd < 0) return -1;
  while (off < len) {
    ssize_t n = write(c->in_fd, s + off, len - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    off += (size_t)n;
  }
  return 0;
}

void child_close_stdin(child *c) {
  if (c->in_fd >= 0) {
    close(c->in_fd);
    c->in_fd = -1;
  }
}

int child_exited(child *c) {
  if (c->pid <= 0) return 1;
  int status;
  pid_t r = waitpid(c->pid, &status, WNOHANG);
  if (r == c->pid || (r < 0 && errno == ECHILD)) {
    c->pid = 0;
    return 1;
  }
  return 0;
}

void child_stop(child *c, int grace_ms) {
  child_close_stdin(c);
  if (c->pid > 0) {
    kill(c->pid, SIGTERM);
    long long deadline = now_ms() + grace_ms;
    while (!child_exited(c) && now_ms() < deadline) {
      read_some(c, 20);
    }
    if (c->pid > 0) {
      kill(c->pid, SIGKILL);
      waitpid(c->pid, NULL, 0);
      c->pid = 0;
    }
  }
  /* Whatever is still in the pipe; EOF comes at once now. */
  child_drain(c, now_ms() + 200);
  if (c->out_fd >= 0) {
    close(c->out_fd);
    c->out_fd = -1;
  }
}

void child_dump(const child *c, const char *label) {
  fprintf(stderr, "----- output of %s (%zu bytes) -----\n%s\n-----\n", label,
          c->out_len, c->out);
}
