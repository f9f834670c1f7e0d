/* Test support: a client and a server session joined in memory, and a
 * loop that drives both handshakes to completion. */
#ifndef TLSW_TEST_PAIR_H
#define TLSW_TEST_PAIR_H

#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

typedef struct test_pair {
  tlsw_membuf *c2s, *s2c;
  tlsw_memio cio, sio;
  tlsw_io cli_io, srv_io; /* may be replaced (e.g. fault injection) */
  tlsw_session *cli, *srv;
} test_pair;

/* Buffers of cap bytes each way; datagram for DTLS. Returns TLSW_OK. */
int pair_init(test_pair *p, size_t cap, int datagram);
/* Wrap both sides with handshakes deferred. */
int pair_wrap(test_pair *p, tlsw_ctx *cctx, tlsw_ctx *sctx,
              const char *hostname);
/* Alternate both handshakes until both finish or one fails (or max_rounds
 * pass). Returns TLSW_OK, or the first failing status; *cli_st / *srv_st
 * (may be NULL) get each side's last status. */
int pair_handshake(test_pair *p, int *cli_st, int *srv_st);
void pair_free(test_pair *p);

/* Path of a generated fixture: TLSW_TEST_CERTS "/" name (static buffer). */
const char *fixture(const char *name);

/* dir "/" name in one of 8 rotating static buffers: valid until 8 more
 * calls (of this, fixture() or the like), so several fit in one argument
 * list. Not thread-safe. */
const char *test_path(const char *dir, const char *name);

#endif
