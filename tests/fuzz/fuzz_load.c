/* fuzz_load: the loaders, on PEM and DER that the input gives:
 * tlsw_ctx_load_cert_chain (chain + key; without a password, with one, or
 * with a password callback), tlsw_ctx_load_verify_mem (CA data) and
 * tlsw_ctx_load_crl_mem (CRLs).
 *
 * Input: byte 0 picks the call (low 3 bits: 0 chain + key, 1 chain + key
 * with a password, 2 CA data, 3 chain + key with the password callback,
 * 4-7 CRLs; bit 0 of a CRL op loads the CRLs before the CA rather than
 * after, so the signature check finds no issuer, and bit 1 asks for the
 * whole chain to be checked first). With a password: byte 1 is its length
 * L (at most 64) and L bytes follow. Chain + key, and CA + CRLs: 2 bytes
 * (big-endian) of the first piece's length, that piece (certificate, or
 * CA data), and the rest is the second (key, or CRLs). Each piece is
 * copied into a buffer of its exact size, so ASan sees a read past any of
 * them. Seeds: real chains and keys (RSA, EC; PEM, DER; PKCS#1, SEC1,
 * PKCS#8, encrypted with "fuzz"), and CRLs (empty, revoking, PEM, DER,
 * two in one PEM, another CA's), made by record-seeds.sh. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_init();
  return 0;
}

typedef struct pw {
  const uint8_t *p;
  size_t n;
} pw;

static int password_cb(void *user, char *buf, size_t size) {
  pw *w = user;
  if (w->n > size) return -1;
  memcpy(buf, w->p, w->n);
  return (int)w->n;
}

/* CA data, then the CRLs (or the other way round: a CRL whose issuer is
 * not loaded yet must be refused, not trusted). */
static void load_crls(tlsw_ctx *ctx, unsigned op, const uint8_t *p, size_t n) {
  if (n < 2) return;
  size_t al = (size_t)p[0] << 8 | p[1];
  p += 2;
  n -= 2;
  if (al > n) al = n;
  uint8_t *ca = fuzz_dup_exact(p, al), *crl = fuzz_dup_exact(p + al, n - al);
  if (op & 2u) (void)tlsw_ctx_set_crl_check_chain(ctx, 1);
  if (op & 1u) (void)tlsw_ctx_load_crl_mem(ctx, crl, n - al);
  (void)tlsw_ctx_load_verify_mem(ctx, ca, al);
  if (!(op & 1u)) (void)tlsw_ctx_load_crl_mem(ctx, crl, n - al);
  free(ca);
  free(crl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > FUZZ_MAX_INPUT) return -1;
  unsigned op = data[0] & 7u;
  const uint8_t *p = data + 1;
  size_t n = size - 1;
  char password[65] = "";
  pw w = {NULL, 0};
  if (op == 1 || op == 3) {
    if (n < 1) return 0;
    size_t l = p[0] > 64 ? 64 : p[0];
    if (l > n - 1) l = n - 1;
    memcpy(password, p + 1, l);
    password[l] = '\0';
    w.p = p + 1;
    w.n = l;
    p += 1 + l;
    n -= 1 + l;
  }

  tlsw_ctx *ctx = NULL;
  fuzz_seed_role(FUZZ_ROLE_OTHER);
  if (tlsw_ctx_new(&ctx, TLSW_PROTOCOL_TLS_SERVER) != TLSW_OK) abort();
  if (op == 2) {
    uint8_t *ca = fuzz_dup_exact(p, n);
    (void)tlsw_ctx_load_verify_mem(ctx, ca, n);
    free(ca);
  } else if (op >= 4) {
    load_crls(ctx, op, p, n);
  } else if (n >= 2) {
    size_t cl = (size_t)p[0] << 8 | p[1];
    p += 2;
    n -= 2;
    if (cl > n) cl = n;
    uint8_t *cert = fuzz_dup_exact(p, cl),
            *key = fuzz_dup_exact(p + cl, n - cl);
    if (op == 3) (void)tlsw_ctx_set_password_callback(ctx, password_cb, &w);
    (void)tlsw_ctx_load_cert_chain(ctx, cert, cl, key, n - cl,
                                   op == 1 ? password : NULL);
    free(cert);
    free(key);
  }
  volatile size_t m = strlen(tlsw_ctx_message(ctx));
  (void)m;
  tlsw_ctx_free(ctx);
  return 0;
}
