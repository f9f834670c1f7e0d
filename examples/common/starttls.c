#include "starttls.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "stdio_io.h"

int cli_starttls_known(const char *proto) {
  return strcmp(proto, "smtp") == 0 || strcmp(proto, "imap") == 0 ||
         strcmp(proto, "pop3") == 0;
}

/* One line (without CR LF) into buf, read a byte at a time: nothing after
 * the server's last plaintext line may be consumed here, as it belongs to
 * the TLS handshake. 0, or -1 (timeout, EOF, error: *why says which). */
static int read_line(int fd, char *buf, size_t size, long long deadline,
                     const char **why) {
  size_t n = 0;
  for (;;) {
    char ch;
    ssize_t r = recv(fd, &ch, 1, 0);
    if (r == 1) {
      if (ch == '\n') break;
      if (n + 1 < size && ch != '\r') buf[n++] = ch;
      continue;
    }
    if (r == 0) {
      *why = "the server closed the connection";
      return -1;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      *why = strerror(errno);
      return -1;
    }
    long long left = deadline - cli_now_ms();
    if (left <= 0) {
      *why = "no answer within --timeout";
      return -1;
    }
    cli_wait_fd(fd, POLLIN, (int)left);
  }
  buf[n] = '\0';
  for (char *q = buf; *q; q++) { /* quoted in our messages */
    if ((unsigned char)*q < 0x20 || *q == 0x7f) *q = '?';
  }
  return 0;
}

/* Read a reply; SMTP replies continue while the 4th character is '-'. */
static int read_reply(int fd, int smtp, char *buf, size_t size,
                      long long deadline, const char **why) {
  do {
    if (read_line(fd, buf, size, deadline, why) != 0) return -1;
  } while (smtp && strlen(buf) >= 4 && buf[3] == '-');
  return 0;
}

int cli_starttls(int fd, const char *proto, const char *peer, int timeout_ms) {
  long long deadline = cli_now_ms() + timeout_ms;
  int smtp = strcmp(proto, "smtp") == 0, imap = strcmp(proto, "imap") == 0;
  /* Greeting, (SMTP: EHLO), the STARTTLS command, and the prefix of the
   * answer that means "go ahead". */
  const char *greet_ok = smtp ? "220" : imap ? "* OK" : "+OK";
  const char *cmd = smtp   ? "STARTTLS\r\n"
                    : imap ? "a1 STARTTLS\r\n"
                           : "STLS\r\n";
  const char *go = smtp ? "220" : imap ? "a1 OK" : "+OK";
  char line[512];
  const char *why = "";
  const char *step = "greeting";
  if (read_reply(fd, smtp, line, sizeof line, deadline, &why) != 0) goto io;
  if (strncmp(line, greet_ok, strlen(greet_ok)) != 0) goto refused;
  if (smtp) {
    step = "EHLO";
    const char ehlo[] = "EHLO tlsw-client\r\n";
    if (cli_write_all(fd, ehlo, sizeof ehlo - 1) != 0) goto err;
    if (read_reply(fd, 1, line, sizeof line, deadline, &why) != 0) goto io;
    if (strncmp(line, "250", 3) != 0) goto refused;
  }
  step = "STARTTLS";
  if (cli_write_all(fd, cmd, strlen(cmd)) != 0) goto err;
  for (;;) {
    if (read_reply(fd, smtp, line, sizeof line, deadline, &why) != 0) goto io;
    /* IMAP may send untagged lines ("* ...") before the tagged answer. */
    if (!imap || strncmp(line, "* ", 2) != 0) break;
  }
  if (strncmp(line, go, strlen(go)) != 0) goto refused;
  return 0;
refused:
  cli_msg("%s: %s STARTTLS failed at the %s: the server said \"%s\"", peer,
          proto, step, line);
  return -1;
io:
  cli_msg(
      "%s: %s STARTTLS failed at the %s: %s; is it a %s server on that "
      "port?",
      peer, proto, step, why, proto);
  return -1;
err:
  cli_msg("%s: %s STARTTLS: cannot send: %s", peer, proto, strerror(errno));
  return -1;
}
