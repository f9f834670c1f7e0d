/* tlsw_bench: what the three drivers (tlswrap, raw wolfSSL, OpenSSL) share.
 * This header includes no TLS library's headers, so every driver can use
 * it; wolfSSL's and OpenSSL's headers define the same names and must never
 * meet in one file. */
#ifndef TLSW_BENCH_H
#define TLSW_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* ---- The in-memory transport: the same ring for every library ---------- */

/* A fixed-size byte ring, one per direction. In datagram mode every write
 * is one datagram (a 2-byte length, then the bytes) and every read returns
 * one whole datagram, as a UDP socket would. */
typedef struct bench_ring {
  uint8_t *buf;
  size_t cap, head, len;
  int dgram;
  /* DTLS HelloVerifyRequests written (kept across ring_reset), so the
   * table can show that the cookie exchange really took place. */
  unsigned long hello_verify;
} bench_ring;

int ring_init(bench_ring *r, size_t cap, int dgram);
void ring_free(bench_ring *r);
void ring_reset(bench_ring *r);
/* Bytes taken (stream: up to n; datagram: n or 0), 0 when full. */
size_t ring_write(bench_ring *r, const uint8_t *p, size_t n);
/* Bytes stored in p (datagram: the whole datagram, cut to n), 0 when
 * empty. */
size_t ring_read(bench_ring *r, uint8_t *p, size_t n);

/* One side's view of a link: where it writes, where it reads. */
typedef struct bench_end {
  bench_ring *tx, *rx;
} bench_end;

/* Both directions of one client/server pair, and each side's view. */
typedef struct bench_link {
  bench_ring c2s, s2c;
  bench_end cli, srv;
} bench_link;

/* Large enough for a whole handshake flight with an RSA chain and for a
 * 16 KiB record plus its overhead several times over: no library ever
 * sees a full ring in these loops. */
#define BENCH_RING_CAP (256u * 1024u)

/* The link must not move after link_init (its ends point into it). */
int link_init(bench_link *l, int dgram);
void link_reset(bench_link *l);
void link_free(bench_link *l);
/* " +HelloVerifyRequest" once the server side of l has sent one, else "". */
const char *link_note(const bench_link *l);

/* 1 when tlswrap's default suite list puts AES-GCM first (it follows the
 * wolfSSL build: AES-GCM first with AES instructions), so the raw wolfSSL
 * and OpenSSL drivers offer the same order (drv_tlswrap.c). */
int bench_aes_first(void);

/* ---- What is measured --------------------------------------------------- */

typedef enum bench_kind {
  BENCH_HANDSHAKE, /* one full handshake: new sessions, handshake, free */
  BENCH_BULK,      /* client writes 16 KiB, server reads it */
  BENCH_ECHO       /* client writes 64 bytes, server echoes them back */
} bench_kind;

typedef enum bench_proto { BENCH_TLS13, BENCH_TLS12, BENCH_DTLS12 } bench_proto;

typedef struct bench_case {
  const char *label;
  bench_kind kind;
  bench_proto proto;
  int rsa;           /* server certificate RSA-2048 (else ECDSA P-256) */
  int p256_share;    /* client offers only P-256 (the key share is P-256) */
  const char *suite; /* client's only suite (IANA name), or NULL: defaults */
  int sessions;      /* BENCH_ECHO: pairs served round-robin */
} bench_case;

/* Certificates generated at run time (tests/fixtures/gen-certs.sh). */
typedef struct bench_certs {
  char ca[512];      /* the CA both server certificates chain to */
  char ec_cert[512]; /* leaf for "localhost", ECDSA P-256 */
  char ec_key[512];
  char rsa_cert[512]; /* the same, RSA-2048 */
  char rsa_key[512];
} bench_certs;

#define BENCH_HOST "localhost"
#define BENCH_BULK_CHUNK 16384u
#define BENCH_ECHO_SIZE 64u

/* One library. setup() builds the contexts for a case (and, for bulk and
 * echo, the established sessions); it returns 0, or -1 with a reason in
 * why when the case cannot be measured. run() does one unit of work (one
 * handshake, one 16 KiB transfer, one round trip on each session) and
 * returns 0, or -1 with a reason in why. */
typedef struct bench_lib {
  const char *name;
  int (*setup)(void **state, const bench_case *c, const bench_certs *certs,
               char *why, size_t why_len);
  int (*run)(void *state, char *why, size_t why_len);
  /* What the last handshake negotiated, e.g. "TLSv1.3
   * TLS_AES_128_GCM_SHA256 x25519", for the table's notes. */
  void (*describe)(void *state, char *buf, size_t len);
  void (*teardown)(void *state);
  /* Frees every client (server: 0) or server (1) session of an
   * established set (bulk, echo), leaving the contexts: what that gives
   * back is the heap an idle session holds. */
  void (*free_side)(void *state, int server);
} bench_lib;

extern const bench_lib bench_lib_tlswrap;
extern const bench_lib bench_lib_wolfssl;
extern const bench_lib bench_lib_openssl;

/* Installs the counting allocator in tlswrap (and so in wolfSSL). */
int bench_tlswrap_init(void);
/* The same for OpenSSL; must run before anything allocates in it. */
int bench_openssl_init(void);
/* The wolfSSL version string of the library linked. */
const char *bench_wolfssl_version(void);
const char *bench_openssl_version(void);

/* ---- The counting allocator -------------------------------------------- */

/* Calls to malloc and realloc, and the bytes they asked for, since start;
 * and the bytes allocated and not yet freed. Single-threaded, so plain
 * counters. */
extern unsigned long bench_alloc_calls;
extern unsigned long long bench_alloc_bytes;
extern long long bench_alloc_live;

void *bench_malloc(size_t n);
void *bench_realloc(void *p, size_t n);
void bench_free(void *p);

#endif
