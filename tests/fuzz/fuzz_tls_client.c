/* fuzz_tls_client: a TLS client session (TLS 1.3 and 1.2, verification
 * REQUIRED, host "localhost", a client certificate to offer) fed the
 * input as the server's bytes, in chunks
 * whose sizes the input gives (fuzz_common.h). Seeds: server flights
 * recorded from a tlswrap server (fuzz_record), TLS 1.3 and 1.2. */
#include <stdlib.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tlsw_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_init();
  ctx = fuzz_client_ctx(0, 0);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return -1;
  fuzz_feed f;
  tlsw_io io;
  fuzz_feed_init(&f, data, size, &io);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = "localhost";
  tlsw_session *s = NULL;
  fuzz_seed_role(FUZZ_ROLE_CLIENT);
  (void)tlsw_wrap(ctx, &io, &o, &s);
  if (s == NULL) abort(); /* only NULL arguments or out of memory */
  fuzz_drive_tls(s, 0, size);
  tlsw_session_free(s);
  return 0;
}
