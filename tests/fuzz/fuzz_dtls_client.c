/* fuzz_dtls_client: a DTLS client session (verification REQUIRED, host
 * "localhost", a client certificate to offer, as fuzz_tls_client) fed the
 * server's datagrams: what a device's DTLS client exposes to the network.
 * The session sends its ClientHello, then takes the datagrams one at a
 * time (fuzz_dtls_client_step): the HelloVerifyRequest (DTLS 1.3: a
 * HelloRetryRequest with a cookie), the server's flights after the
 * cookie; once the handshake is done it writes FUZZ_REQUEST and reads.
 *
 * Input: one byte of mode, then datagrams, each a 2-byte big-endian length
 * and its bytes (as fuzz_dtls_server). Mode bit 0 clear: a DTLS 1.2 client
 * context; set: one that speaks DTLS 1.2 and 1.3 (maximum 1.3). The other
 * bits are ignored. Seeds: the server's datagrams of recorded connections
 * (fuzz_record dtls_client): DTLS 1.2, DTLS 1.3, and the 1.2-and-1.3
 * client against a DTLS 1.2 server. */
#include <stdlib.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* [0]: DTLS 1.2, [1]: DTLS 1.2 and 1.3. */
static tlsw_ctx *ctx[2];
static fuzz_dgram g; /* the session's datagrams */

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_init();
  ctx[0] = fuzz_client_ctx(1, 0);
  ctx[1] = fuzz_client_ctx(1, TLSW_VERSION_TLS1_3);
  fuzz_dgram_new(&g);
  return 0;
}

/* A status after which the session takes the next datagram. */
static int goes_on(int st) {
  return st == TLSW_OK || st == TLSW_WANT_READ || st == TLSW_WANT_WRITE ||
         st == TLSW_ERR_DATAGRAM_DROPPED;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > FUZZ_MAX_INPUT) return -1;
  const uint8_t *p = data + 1, *d;
  size_t n = size - 1, dlen;
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = "localhost";
  tlsw_session *s = NULL;
  fuzz_dgram_drain(g.in); /* nothing of the last input may be read */
  fuzz_seed_role(FUZZ_ROLE_CLIENT);
  (void)tlsw_wrap(ctx[data[0] & 1], &g.io, &o, &s);
  if (s == NULL) abort(); /* only NULL arguments or out of memory */
  int st = tlsw_handshake(s), requested = 0; /* the ClientHello */
  fuzz_dgram_drain(g.out);
  while (goes_on(st) && fuzz_next_datagram(&p, &n, &d, &dlen)) {
    if (!fuzz_dgram_push(g.in, d, dlen)) break;
    st = fuzz_dtls_client_step(s, &requested);
    fuzz_dgram_drain(g.out);
  }
  fuzz_touch_session(s);
  fuzz_report("end", s, st);
  (void)tlsw_shutdown(s);
  tlsw_session_free(s);
  fuzz_dgram_drain(g.out);
  return 0;
}
