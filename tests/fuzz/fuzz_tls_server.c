/* fuzz_tls_server: a TLS server session (TLS 1.3 and 1.2, client
 * certificates requested) fed the input as the client's bytes, in chunks
 * whose sizes the input gives (fuzz_common.h). Seeds: ClientHellos and
 * whole client flights recorded from a tlswrap client (fuzz_record). */
#include <stdlib.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tlsw_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_init();
  ctx = fuzz_server_ctx(0, 0);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return -1;
  fuzz_feed f;
  tlsw_io io;
  fuzz_feed_init(&f, data, size, &io);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  tlsw_session *s = NULL;
  fuzz_seed_role(FUZZ_ROLE_SERVER);
  (void)tlsw_wrap(ctx, &io, &o, &s);
  if (s == NULL) abort(); /* only NULL arguments or out of memory */
  fuzz_drive_tls(s, 1, size);
  tlsw_session_free(s);
  return 0;
}
