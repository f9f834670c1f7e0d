/* Certificate revocation lists (core/crl.c, backend/wolfssl/crl.c) over
 * the in-memory pair, on the test PKI's CRLs (tests/fixtures/gen-certs.sh,
 * made by openssl ca): a revoked server refused with REVOKED, a good one
 * accepted, no CRL from the leaf's issuer refused with NO_CRL, a client
 * certificate checked by a server, DER as well as PEM, and the loaders'
 * errors (junk, a CRL whose signer is not loaded, empty and missing
 * files). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ctxs.h"
#include "pair.h"
#include "tlswrap/tlswrap.h"
#include "verify_util.h"

typedef struct run {
  test_pair p;
  int cst, sst;
} run;

static void shake(run *r, tlsw_ctx *c, tlsw_ctx *s) {
  assert_int_equal(pair_init(&r->p, 32768, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&r->p, c, s, "localhost"), TLSW_OK);
  pair_handshake(&r->p, &r->cst, &r->sst);
}

static tlsw_ctx *client_with_crl(const char *crl) {
  tlsw_ctx *c = client_ctx();
  if (crl != NULL) {
    assert_int_equal(tlsw_ctx_load_crl_file(c, fixture(crl)), TLSW_OK);
  }
  return c;
}

static int client_against(const char *crl, const char *server_stem,
                          tlsw_cert_reason *reason) {
  tlsw_ctx *c = client_with_crl(crl);
  tlsw_ctx *s = server_ctx("ec");
  if (server_stem != NULL) {
    tlsw_ctx_free(s);
    s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
    char cert[64], key[64];
    snprintf(cert, sizeof cert, "%s.pem", server_stem);
    snprintf(key, sizeof key, "%s.key", server_stem);
    assert_int_equal(
        tlsw_ctx_load_cert_chain_file(s, fixture(cert), fixture(key), NULL),
        TLSW_OK);
  }
  run r;
  shake(&r, c, s);
  int st = r.cst;
  *reason = TLSW_REASON_NONE;
  tlsw_session_verify_info(r.p.cli, reason, NULL);
  if (st != TLSW_OK) {
    assert_non_null(strstr(tlsw_session_message(r.p.cli), "verify failed"));
  }
  pair_free(&r.p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
  return st;
}

static void revoked_and_good(void **state) {
  (void)state;
  tlsw_cert_reason why;
  /* Without CRLs the revoked leaf is as good as any. */
  assert_int_equal(client_against(NULL, "server-revoked", &why), TLSW_OK);
  assert_int_equal(client_against("ca-revoked.crl.pem", "server-revoked", &why),
                   TLSW_ERR_CERT_VERIFY);
  assert_int_equal(why, TLSW_REASON_REVOKED);
  assert_int_equal(client_against("ca-revoked.crl.der", "server-revoked", &why),
                   TLSW_ERR_CERT_VERIFY);
  assert_int_equal(why, TLSW_REASON_REVOKED);
  /* The same CRL leaves other leaves alone, and an empty one all. */
  assert_int_equal(client_against("ca-revoked.crl.pem", NULL, &why), TLSW_OK);
  assert_int_equal(client_against("ca-empty.crl.pem", "server-revoked", &why),
                   TLSW_OK);
}

static void issuer_without_crl(void **state) {
  (void)state;
  /* Only the other CA's CRL: nothing says our leaf is in good standing. */
  tlsw_ctx *c = client_ctx();
  assert_int_equal(tlsw_ctx_load_verify_file(c, fixture("other-ca.pem")),
                   TLSW_OK);
  assert_int_equal(tlsw_ctx_load_crl_file(c, fixture("other-ca.crl.pem")),
                   TLSW_OK);
  tlsw_ctx *s = server_ctx("ec");
  run r;
  shake(&r, c, s);
  assert_int_equal(r.cst, TLSW_ERR_CERT_VERIFY);
  tlsw_cert_reason why;
  tlsw_session_verify_info(r.p.cli, &why, NULL);
  assert_int_equal(why, TLSW_REASON_NO_CRL);
  assert_non_null(strstr(tlsw_session_message(r.p.cli), "CRL"));
  pair_free(&r.p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

static void server_checks_client(void **state) {
  (void)state;
  /* The client certificate is not revoked: a server with the CA's CRL of
   * revocations takes it; one with the other CA's CRL only cannot. */
  for (int round = 0; round < 2; round++) {
    tlsw_ctx *s = server_ctx("ec");
    assert_int_equal(tlsw_ctx_load_verify_file(s, fixture("ca.pem")), TLSW_OK);
    assert_int_equal(tlsw_ctx_set_verify_mode(s, TLSW_CERT_REQUIRED), TLSW_OK);
    if (round == 1) {
      assert_int_equal(tlsw_ctx_load_verify_file(s, fixture("other-ca.pem")),
                       TLSW_OK);
    }
    assert_int_equal(
        tlsw_ctx_load_crl_file(
            s, fixture(round == 0 ? "ca-revoked.crl.pem" : "other-ca.crl.pem")),
        TLSW_OK);
    tlsw_ctx *c = client_ctx();
    assert_int_equal(tlsw_ctx_load_cert_chain_file(c, fixture("client.pem"),
                                                   fixture("client.key"), NULL),
                     TLSW_OK);
    run r;
    shake(&r, c, s);
    if (round == 0) {
      assert_int_equal(r.sst, TLSW_OK);
    } else {
      assert_int_equal(r.sst, TLSW_ERR_CERT_VERIFY);
    }
    pair_free(&r.p);
    tlsw_ctx_free(c);
    tlsw_ctx_free(s);
  }
}

/* The whole chain (tlsw_ctx_set_crl_check_chain), on the matrix: its
 * "valid" leaf sits under an intermediate under the root. */
static int chain_case(int chain, const char *crl1, const char *crl2,
                      tlsw_cert_reason *why, int *depth) {
  tlsw_ctx *c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, 0);
  tlsw_ctx *s = vserver_ctx("valid", TLSW_CERT_NONE, 0);
  assert_non_null(c);
  assert_non_null(s);
  assert_int_equal(tlsw_ctx_set_crl_check_chain(c, chain), TLSW_OK);
  /* The intermediate's CRL verifies against it, so it must be known:
   * the peer sends it, but the CRL is loaded before; trust it too. */
  assert_int_equal(tlsw_ctx_load_verify_file(c, mpath("int.pem")), TLSW_OK);
  assert_int_equal(tlsw_ctx_load_crl_file(c, mpath(crl1)), TLSW_OK);
  if (crl2 != NULL) {
    assert_int_equal(tlsw_ctx_load_crl_file(c, mpath(crl2)), TLSW_OK);
  }
  run r;
  assert_int_equal(pair_init(&r.p, 32768, 0), TLSW_OK);
  assert_int_equal(pair_wrap(&r.p, c, s, "a.example.test"), TLSW_OK);
  pair_handshake(&r.p, &r.cst, &r.sst);
  *why = TLSW_REASON_NONE;
  *depth = -1;
  tlsw_session_verify_info(r.p.cli, why, depth);
  int st = r.cst;
  pair_free(&r.p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
  return st;
}

static void whole_chain(void **state) {
  (void)state;
  tlsw_cert_reason why;
  int depth;
  /* The leaf only: the intermediate's CRL is all it needs. */
  assert_int_equal(chain_case(0, "int.crl.pem", NULL, &why, &depth), TLSW_OK);
  /* The chain: the intermediate needs the root's CRL as well. */
  assert_int_equal(chain_case(1, "int.crl.pem", NULL, &why, &depth),
                   TLSW_ERR_CERT_VERIFY);
  assert_int_equal(why, TLSW_REASON_NO_CRL);
  assert_int_equal(depth, 1);
  assert_int_equal(chain_case(1, "int.crl.pem", "root.crl.pem", &why, &depth),
                   TLSW_OK);
  /* The root revoked the intermediate: only the chain check sees it. */
  assert_int_equal(
      chain_case(0, "int.crl.pem", "root-revoked-int.crl.pem", &why, &depth),
      TLSW_OK);
  assert_int_equal(
      chain_case(1, "int.crl.pem", "root-revoked-int.crl.pem", &why, &depth),
      TLSW_ERR_CERT_VERIFY);
  assert_int_equal(why, TLSW_REASON_REVOKED);
  assert_int_equal(depth, 1);
}

static void loader_errors(void **state) {
  (void)state;
  tlsw_ctx *c = client_ctx();
  static const uint8_t junk[] =
      "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 "
      "CRL-----\n";
  assert_int_equal(tlsw_ctx_load_crl_mem(NULL, junk, sizeof junk),
                   TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_crl_mem(c, NULL, 4), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_crl_mem(c, junk, 0), TLSW_ERR_ARG);
  assert_int_equal(tlsw_ctx_load_crl_mem(c, junk, sizeof junk - 1),
                   TLSW_ERR_CERT_INVALID);
  assert_non_null(strstr(tlsw_ctx_message(c), "CRL"));
  /* other-ca is not trusted by c: its CRL cannot be checked. */
  assert_int_equal(tlsw_ctx_load_crl_file(c, fixture("other-ca.crl.pem")),
                   TLSW_ERR_CERT_INVALID);
  assert_int_equal(tlsw_ctx_load_crl_file(c, fixture("no-such.crl")),
                   TLSW_ERR_FILE);
  assert_int_equal(tlsw_ctx_load_crl_file(c, NULL), TLSW_ERR_ARG);
  tlsw_ctx_free(c);
}

int main(void) {
  if (!(tlsw_backend_features() & TLSW_FEATURE_CRL)) {
    printf("skipped: no TLSW_FEATURE_CRL in this build\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(revoked_and_good),
      cmocka_unit_test(issuer_without_crl),
      cmocka_unit_test(server_checks_client),
      cmocka_unit_test(whole_chain),
      cmocka_unit_test(loader_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
