/* The host "board" of the none-host build: the same tests as a plain
 * program; flash, static RAM and stack are a target's figures and are not
 * reported here. Its "UARTs" are TCP connections to 127.0.0.1 (the test
 * harness, not the library, may use POSIX). */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fw_board.h"

const int fw_board_measures = 0;

void fw_exit(int status) {
  exit(status);
}

uint64_t fw_board_ms(void) {
  return (uint64_t)clock() * 1000u / CLOCKS_PER_SEC;
}

size_t fw_flash_bytes(void) {
  return 0;
}

size_t fw_static_ram_bytes(void) {
  return 0;
}

size_t fw_stack_bytes(void) {
  return 0;
}

static int uart_fd[2] = {-1, -1};

int fw_uart_open(int n) {
  const char *port = getenv(n == 0 ? "FW_UART0_PORT" : "FW_UART1_PORT");
  if (n < 0 || n > 1 || port == NULL) return -1;
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)atoi(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  uart_fd[n] = fd;
  return 0;
}

int fw_uart_read(int n, uint8_t *buf, size_t len, size_t *got,
                 unsigned timeout_ms) {
  struct pollfd p = {uart_fd[n], POLLIN, 0};
  if (poll(&p, 1, (int)timeout_ms) != 1) return -1;
  ssize_t r = recv(uart_fd[n], buf, len, 0);
  if (r <= 0) return -1;
  *got = (size_t)r;
  return 0;
}

int fw_uart_write(int n, const uint8_t *buf, size_t len) {
  while (len > 0) {
    ssize_t r = send(uart_fd[n], buf, len, 0);
    if (r <= 0) return -1;
    buf += r;
    len -= (size_t)r;
  }
  return 0;
}
