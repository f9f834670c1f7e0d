/* fuzz_dtls_server: DTLS server sessions fed datagrams, the way an
 * application runs the stateless cookie exchange (tlswrap/dtls.h): every
 * datagram from a peer without a session is wrapped in a fresh session,
 * which answers a ClientHello without a valid cookie with a
 * HelloVerifyRequest (DTLS 1.3: a HelloRetryRequest with a cookie), drops
 * anything else and keeps nothing; a ClientHello
 * with a valid cookie starts the handshake, and the datagrams after it go
 * to that session.
 *
 * Input: one byte of mode, then datagrams, each a 2-byte big-endian length
 * and its bytes. Mode bit 0 clear: every datagram is the peer's, from the
 * first one (fresh sessions). Set: the session starts from a valid
 * ClientHello with cookie (made at start-up by a real exchange, the same
 * one fuzz_record makes), so the fuzzer works on what follows the cookie
 * without having to find one. Mode bit 1 clear: a DTLS 1.2 server
 * context; set: one that speaks DTLS 1.2 and 1.3 (maximum 1.3), met by a
 * DTLS 1.3 client, whose valid ClientHello with the HelloRetryRequest's
 * cookie bit 0 then starts from. (The DTLS 1.2 seeds have mode 0 or 1: bit
 * 1 was added later and keeps their meaning.) The other bits are ignored.
 * Seeds: recorded client flights of all four kinds. */
#include <stdlib.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* [0]: DTLS 1.2, [1]: DTLS 1.2 and 1.3; each with the ClientHello with a
 * valid cookie that its kind of client sends. */
static tlsw_ctx *ctx[2];
static fuzz_buf ch2[2];
static fuzz_dgram g; /* the session's datagrams */

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_init();
  /* fuzz_record makes its seeds in this order (record_dtls). */
  for (int v = 0; v < 2; v++) {
    int max = v ? TLSW_VERSION_TLS1_3 : 0;
    ctx[v] = fuzz_server_ctx(1, max);
    tlsw_ctx *cctx = fuzz_client_ctx(1, max);
    fuzz_dtls_cookie_exchange(ctx[v], cctx, NULL, &ch2[v], NULL);
    tlsw_ctx_free(cctx);
  }
  fuzz_dgram_new(&g);
  return 0;
}

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > FUZZ_MAX_INPUT) return -1;
  int after_cookie = data[0] & 1, v = data[0] >> 1 & 1;
  const uint8_t *p = data + 1;
  size_t n = size - 1;
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.client_id = fuzz_client_id;
  o.client_id_len = fuzz_client_id_len;
  tlsw_session *s = NULL;
  int st = TLSW_ERR_STATE, replied = 0;
  const uint8_t *d;
  size_t dlen, k;
  uint8_t buf[2048];

  int first = after_cookie;
  while (first || fuzz_next_datagram(&p, &n, &d, &dlen)) {
    if (first) d = ch2[v].p, dlen = ch2[v].n, first = 0;
    if (!fuzz_dgram_push(g.in, d, dlen)) break;
    if (s == NULL) {
      fuzz_seed_role(FUZZ_ROLE_SERVER);
      st = tlsw_wrap(ctx[v], &g.io, &o, &s);
      if (s == NULL) abort();
      fuzz_touch_session(s);
      if (!blocked(st) && st != TLSW_OK) {
        /* HelloVerifyRequest sent, or the datagram dropped: nothing is
         * kept, the next datagram gets a fresh session. */
        tlsw_session_free(s);
        s = NULL;
      }
    } else if (!tlsw_session_handshake_done(s)) {
      st = tlsw_handshake(s);
    } else {
      st = tlsw_read(s, buf, sizeof buf, &k);
      if (st == TLSW_OK && !replied) {
        replied = 1;
        (void)tlsw_write(s, FUZZ_REPLY, sizeof FUZZ_REPLY - 1, &k);
      }
    }
    fuzz_dgram_drain(g.out);
    if (s != NULL && !blocked(st) && st != TLSW_OK &&
        st != TLSW_ERR_DATAGRAM_DROPPED) {
      break; /* the session failed: the rest of the input would be ignored */
    }
  }
  if (s != NULL) {
    fuzz_touch_session(s);
    fuzz_report(replied ? "replied" : "end", s, st);
    (void)tlsw_shutdown(s);
    tlsw_session_free(s);
  }
  fuzz_dgram_drain(g.out);
  return 0;
}
