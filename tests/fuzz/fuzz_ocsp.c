/* fuzz_ocsp: the core's reading of a stapled OCSP response
 * (src/core/ocsp.c, tlswi_ocsp_said), which words a TLS 1.2 refusal
 * ("revoked" or "invalid") from the CertificateStatus message a server
 * sent: bytes off the wire, parsed by tlswrap's own DER reader.
 *
 * Input: 2 bytes (big-endian) of leaf certificate length L, L bytes of
 * DER certificate (its serial is looked up), and the rest is the OCSP
 * response. Each piece is copied into a buffer of its exact size, so ASan
 * sees a read past either. The answer must be one of the three a staple
 * can say. Seeds: real responses made by openssl ocsp (good, revoked,
 * unknown, another signer's) with their leaf, and a leaf another response
 * is not for; made by record-seeds.sh. */
#include <stdlib.h>

#include "core/policy.h"
#include "fuzz_common.h"
#include "tlswrap/session.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_init();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2 || size > FUZZ_MAX_INPUT) return -1;
  size_t ll = (size_t)data[0] << 8 | data[1];
  if (ll > size - 2) ll = size - 2;
  uint8_t *leaf = fuzz_dup_exact(data + 2, ll);
  uint8_t *resp = fuzz_dup_exact(data + 2 + ll, size - 2 - ll);
  int said = tlswi_ocsp_said(resp, size - 2 - ll, leaf, ll);
  if (said != TLSW_OCSP_GOOD && said != TLSW_OCSP_REVOKED &&
      said != TLSW_OCSP_INVALID) {
    abort();
  }
  free(leaf);
  free(resp);
  return 0;
}
