/* fuzz_tls_client: a TLS client session (TLS 1.3 and 1.2, verification
 * REQUIRED, host "localhost", a client certificate to offer) fed the
 * input as the server's bytes, in chunks
 * whose sizes the input gives (fuzz_common.h). Each input runs twice:
 * as the recorded client, and as one that asks for an OCSP staple
 * (TLSW_OCSP_REQUEST, where the build has it), whose session also reads
 * the server's plaintext records for a CertificateStatus message
 * (src/backend/wolfssl/ocsp.c, our own parser of the wire). The second
 * sends another ClientHello, so the recorded flights fail its Finished:
 * what it adds is the plaintext part. Seeds: server flights recorded from
 * a tlswrap server (fuzz_record), TLS 1.3 and 1.2. */
#include <stdlib.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tlsw_ctx *ctx, *ctx_ocsp;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_init();
  ctx = fuzz_client_ctx(0, 0);
  if (tlsw_backend_features() & TLSW_FEATURE_OCSP) {
    ctx_ocsp = fuzz_client_ctx(0, 0);
    if (tlsw_ctx_set_ocsp_stapling(ctx_ocsp, TLSW_OCSP_REQUEST) != TLSW_OK) {
      abort();
    }
  }
  return 0;
}

static void run(tlsw_ctx *c, const uint8_t *data, size_t size) {
  fuzz_feed f;
  tlsw_io io;
  fuzz_feed_init(&f, data, size, &io);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = "localhost";
  tlsw_session *s = NULL;
  fuzz_seed_role(FUZZ_ROLE_CLIENT);
  (void)tlsw_wrap(c, &io, &o, &s);
  if (s == NULL) abort(); /* only NULL arguments or out of memory */
  fuzz_drive_tls(s, 0, size);
  tlsw_session_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return -1;
  run(ctx, data, size);
  if (ctx_ocsp != NULL) run(ctx_ocsp, data, size);
  return 0;
}
