/*
 * Shared by the fuzz targets and by fuzz_record (which records their seed
 * corpora): the contexts the targets fuzz, a deterministic entropy source
 * for wolfSSL, and in-memory transports.
 *
 * Why one file for both: a recorded peer flight replays into a target only
 * if the target's session draws the same random bytes (client random, key
 * share, signature nonces) as the session that was recorded. So both build
 * their contexts and sessions with these functions, and every session's
 * wolfSSL RNG is seeded from a fixed label per role (fuzz_seed_role()).
 */
#ifndef TLSW_FUZZ_COMMON_H
#define TLSW_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

/* Largest input a session target reads; libFuzzer's -max_len should stay
 * at or below it (the recorded flights are 1-4 KB). */
#define FUZZ_MAX_INPUT 65536

/* The roles whose RNG seeds differ (so a client and a server do not draw
 * the same key share). */
enum { FUZZ_ROLE_CLIENT = 1, FUZZ_ROLE_SERVER = 2, FUZZ_ROLE_OTHER = 3 };

/* Once per process: wolfSSL's seed callback, tlsw_init(). Aborts on
 * failure (a target that cannot set up must not report "no crash"). */
void fuzz_init(void);
/* The seed of every wolfSSL RNG instantiated from now on. */
void fuzz_seed_role(int role);

/* Contexts, configured as the targets fuzz them (fixed time, fixed clock,
 * the embedded CA and leaf):
 *   TLS server: leaf + key, client certificates requested (OPTIONAL) and
 *     checked against the CA; max_version 0 or TLSW_VERSION_TLS1_2.
 *   TLS client: REQUIRED against the CA, leaf + key as client certificate.
 *   DTLS server / client: the same as TLS, DTLS 1.2 (max_version 0) or
 *     1.2 to 1.3 (TLSW_VERSION_TLS1_3).
 * Abort on failure; the caller frees them. */
tlsw_ctx *fuzz_server_ctx(int dtls, int max_version);
tlsw_ctx *fuzz_client_ctx(int dtls, int max_version);

/* A stream transport that serves `in` as the peer's bytes in chunks: each
 * chunk is a 2-byte big-endian length and that many bytes (a short last
 * chunk is what is left). A recv returns bytes of one chunk only, so the
 * input decides how the peer's records are split across reads. After the
 * input: end of stream. send takes everything and only counts it. */
typedef struct fuzz_feed {
  const uint8_t *p;
  size_t n;
  size_t chunk_left;
  size_t sent;
} fuzz_feed;
void fuzz_feed_init(fuzz_feed *f, const uint8_t *p, size_t n, tlsw_io *io);

/* Splits `in` into length-prefixed datagrams (2-byte big-endian length,
 * like the chunks above). Returns 1 with *d / *dlen set, 0 at the end. */
int fuzz_next_datagram(const uint8_t **p, size_t *n, const uint8_t **d,
                       size_t *dlen);

/* The client_id every DTLS server session is wrapped with. */
extern const uint8_t fuzz_client_id[];
extern const size_t fuzz_client_id_len;

/* Bytes a growing buffer of recorded output (fuzz_record). */
typedef struct fuzz_buf {
  uint8_t *p;
  size_t n, cap;
} fuzz_buf;
void fuzz_buf_add(fuzz_buf *b, const void *p, size_t n);
/* Appends a chunk / datagram header and its bytes. */
void fuzz_buf_add_chunk(fuzz_buf *b, const void *p, size_t n);
void fuzz_buf_free(fuzz_buf *b);

/* A DTLS client session and its datagram buffers (it reads s2c, writes
 * c2s through mio). */
typedef struct fuzz_dtls_client {
  tlsw_session *cli;
  tlsw_membuf *c2s, *s2c;
  tlsw_memio mio;
} fuzz_dtls_client;
void fuzz_dtls_client_free(fuzz_dtls_client *c);

/* The DTLS cookie exchange against a server context: a client session
 * (role client) sends its ClientHello, a fresh server session answers
 * with a HelloVerifyRequest, the client answers with the ClientHello that
 * carries the cookie, which is stored in *ch2 (and the first one in *ch1,
 * unless NULL). *c (unless NULL) gets the client to continue with; else it
 * is freed. Aborts when the exchange does not go as expected. */
void fuzz_dtls_cookie_exchange(tlsw_ctx *sctx, tlsw_ctx *cctx, fuzz_buf *ch1,
                               fuzz_buf *ch2, fuzz_dtls_client *c);
/* The same, also recording the server's answer to the first ClientHello
 * (HelloVerifyRequest, or DTLS 1.3's HelloRetryRequest) in *hvr (unless
 * NULL): the first datagram fuzz_dtls_client's seeds give the client. */
void fuzz_dtls_cookie_exchange_hvr(tlsw_ctx *sctx, tlsw_ctx *cctx,
                                   fuzz_buf *ch1, fuzz_buf *hvr, fuzz_buf *ch2,
                                   fuzz_dtls_client *c);

/* Datagram buffers of the DTLS targets: drop every queued datagram (what
 * a session sent, or left unread); queue one datagram after dropping
 * what was left (an empty one, which cannot be queued, becomes one zero
 * byte). push returns 0 when the datagram cannot be queued. */
void fuzz_dgram_drain(tlsw_membuf *b);
/* A DTLS session's transport: it reads datagrams from `in` (64 KB) and
 * writes them to `out` (1 MB), through `io`. new aborts on failure. */
typedef struct fuzz_dgram {
  tlsw_membuf *in, *out;
  tlsw_memio mio;
  tlsw_io io;
} fuzz_dgram;
void fuzz_dgram_new(fuzz_dgram *g);
void fuzz_dgram_free(fuzz_dgram *g);
int fuzz_dgram_push(tlsw_membuf *b, const uint8_t *d, size_t n);

/* What fuzz_dtls_client does with each server datagram once it is queued
 * (fuzz_record drives its recorded client the same way, so the seeds
 * replay): during the handshake, one tlsw_handshake() call, and when it
 * completes, the FUZZ_REQUEST write (*requested set); after it, one
 * tlsw_read(). Returns the status of that call (of the write if it
 * failed). */
int fuzz_dtls_client_step(tlsw_session *s, int *requested);

/* What the targets say after a request the application sends, and the
 * request the client sends: part of the recorded flights. */
#define FUZZ_REQUEST "GET / HTTP/1.0\r\n\r\n"
#define FUZZ_REPLY "HTTP/1.0 200 OK\r\n\r\nhello"

#endif

/* Drives a TLS session over a fuzz_feed as an application would: the
 * handshake, the session's read-outs (version, cipher, peer certificate,
 * verification result), then a client writes FUZZ_REQUEST, a server
 * answers the first data it reads with FUZZ_REPLY, and both read until
 * the input ends or the session fails; then tlsw_shutdown(). Every loop is
 * bounded by the input's length. */
void fuzz_drive_tls(tlsw_session *s, int server, size_t input_len);
/* With FUZZ_VERBOSE set: one line on stderr about a session's state. */
void fuzz_report(const char *what, tlsw_session *s, int st);
/* Reads every accessor of a session, so that what the handshake left
 * (strings, certificate) is touched under ASan. */
void fuzz_touch_session(tlsw_session *s);
/* A heap copy of exactly n bytes (so ASan sees a read past them), plus a
 * NUL for str_exact; aborts when out of memory. The caller frees it. */
uint8_t *fuzz_dup_exact(const uint8_t *p, size_t n);
char *fuzz_str_exact(const uint8_t *p, size_t n);
