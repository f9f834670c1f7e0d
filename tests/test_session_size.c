/* Issue #2's ground rule: tlswrap's own per-session state (not counting
 * wolfSSL's objects) stays well under 1 KB; an ordinary TLS client or
 * server session costs at most TLSW_SESSION_BUDGET bytes. Measured, not
 * computed: a counting allocator installed with tlsw_set_allocator() sees
 * every allocation, and tells tlswrap's from wolfSSL's by the path it
 * took: tlswrap allocates only through tlswi_malloc/_calloc/_realloc
 * (src/support/alloc.c), which this program wraps at link time
 * (-Wl,--wrap, session_size.cmake) to mark the requests made inside them.
 * That holds whether wolfSSL is a shared library (system build) or linked
 * into the same program (source build). Also
 * checked: rare data is allocated only when its case
 * occurs (a non-CA certificate in the chain, a PSK client), reads and
 * writes allocate nothing, a PSK key is wiped before its memory is freed,
 * and a failed lazy allocation ends the handshake with TLSW_ERR_NOMEM.
 *
 * Its own program: the allocator must be set before anything initialises
 * tlswrap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/wolfssl/internal.h"
#include "core/internal.h"
#include "ctxs.h"
#include "pair.h"
#include "verify_util.h"

/* The bound asserted for an ordinary TLS session (issue #2's "~600"). */
#define TLSW_SESSION_BUDGET 600

/* ------------------------------------------------------------------------ */
/* The counting allocator                                                    */

/* Before each block: its size and whether tlswrap asked for it. The header
 * is a tlsw_max_align multiple, so the block stays aligned for any type. */
typedef union hdr {
  struct {
    size_t size;
    int ours;
  } h;
  tlsw_max_align align;
} hdr;

static struct {
  int in_tlsw; /* inside tlswi_malloc/_calloc/_realloc */
  size_t live_ours, live_theirs;
  unsigned long calls_ours;
  size_t last_ours;      /* size of tlswrap's latest allocation */
  size_t fail_size;      /* a tlswrap request of this size fails; 0: none */
  unsigned long failed;  /* requests failed for fail_size */
  const uint8_t *secret; /* freed tlswrap blocks must not contain this */
  size_t secret_len;
  unsigned long secret_seen;
} mem;

/* The link-time wrappers: every tlswrap allocation passes through one. */
void *__real_tlswi_malloc(size_t n);
void *__real_tlswi_calloc(size_t count, size_t size);
void *__real_tlswi_realloc(void *p, size_t n);
void *__wrap_tlswi_malloc(size_t n);
void *__wrap_tlswi_calloc(size_t count, size_t size);
void *__wrap_tlswi_realloc(void *p, size_t n);

void *__wrap_tlswi_malloc(size_t n) {
  mem.in_tlsw++;
  void *p = __real_tlswi_malloc(n);
  mem.in_tlsw--;
  return p;
}

void *__wrap_tlswi_calloc(size_t count, size_t size) {
  mem.in_tlsw++;
  void *p = __real_tlswi_calloc(count, size);
  mem.in_tlsw--;
  return p;
}

void *__wrap_tlswi_realloc(void *p, size_t n) {
  mem.in_tlsw++;
  void *q = __real_tlswi_realloc(p, n);
  mem.in_tlsw--;
  return q;
}

static void *block_init(hdr *b, size_t n, int ours) {
  b->h.size = n;
  b->h.ours = ours;
  if (ours) {
    mem.live_ours += n;
    mem.calls_ours++;
    mem.last_ours = n;
  } else {
    mem.live_theirs += n;
  }
  return b + 1;
}

static void block_drop(hdr *b) {
  if (b->h.ours) {
    mem.live_ours -= b->h.size;
  } else {
    mem.live_theirs -= b->h.size;
  }
}

static void *count_malloc(size_t n) {
  int ours = mem.in_tlsw > 0;
  if (ours && mem.fail_size != 0 && n == mem.fail_size) {
    mem.failed++;
    return NULL;
  }
  hdr *b = malloc(sizeof(hdr) + n);
  return b == NULL ? NULL : block_init(b, n, ours);
}

static void count_free(void *p) {
  if (p == NULL) return;
  hdr *b = (hdr *)p - 1;
  if (b->h.ours && mem.secret != NULL && b->h.size >= mem.secret_len) {
    const uint8_t *d = p;
    for (size_t i = 0; i + mem.secret_len <= b->h.size; i++) {
      if (memcmp(d + i, mem.secret, mem.secret_len) == 0) {
        mem.secret_seen++;
        break;
      }
    }
  }
  block_drop(b);
  free(b);
}

static void *count_realloc(void *p, size_t n) {
  if (p == NULL) return count_malloc(n);
  hdr *b = (hdr *)p - 1;
  int ours = b->h.ours;
  size_t old = b->h.size;
  hdr *nb = realloc(b, sizeof(hdr) + n);
  if (nb == NULL) return NULL;
  if (ours) {
    mem.live_ours = mem.live_ours - old + n;
    mem.calls_ours++;
  } else {
    mem.live_theirs = mem.live_theirs - old + n;
  }
  nb->h.size = n;
  return nb + 1;
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static size_t session_block(void) {
  return TLSW_ALIGN_UP(sizeof(struct tlsw_session)) +
         tlswi_backend_get()->sess_size;
}

/* Wrap one side (handshake deferred) and return tlswrap's bytes for it. */
static size_t wrap_side(tlsw_ctx *ctx, const tlsw_io *io, const char *host,
                        tlsw_session **out, size_t *theirs) {
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = host;
  size_t ours0 = mem.live_ours, theirs0 = mem.live_theirs;
  assert_int_equal(tlsw_wrap(ctx, io, &o, out), TLSW_OK);
  *theirs = mem.live_theirs - theirs0;
  return mem.live_ours - ours0;
}

static int blocked(int st) {
  return st == TLSW_WANT_READ || st == TLSW_WANT_WRITE;
}

/* Send n bytes each way, in pieces, with both sides reading as they go. */
static void exchange(test_pair *p, size_t n) {
  uint8_t out[700], in[700];
  memset(out, 'x', sizeof out);
  tlsw_session *from[2] = {p->cli, p->srv}, *to[2] = {p->srv, p->cli};
  for (int dir = 0; dir < 2; dir++) {
    size_t sent = 0, got = 0;
    for (int round = 0; got < n && round < 10000; round++) {
      size_t k = 0;
      if (sent < n) {
        size_t want = n - sent < sizeof out ? n - sent : sizeof out;
        int st = tlsw_write(from[dir], out, want, &k);
        assert_true(st == TLSW_OK || blocked(st));
        if (st == TLSW_OK) sent += k;
      }
      int st = tlsw_read(to[dir], in, sizeof in, &k);
      assert_true(st == TLSW_OK || blocked(st));
      if (st == TLSW_OK) got += k;
    }
    assert_int_equal(got, n);
  }
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */

static void ordinary_tls_sessions(void **state) {
  (void)state;
  tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  const char *host = "localhost";
  size_t cw, sw;
  unsigned long calls0 = mem.calls_ours;
  size_t cli = wrap_side(c, &p.cli_io, host, &p.cli, &cw);
  size_t srv = wrap_side(s, &p.srv_io, NULL, &p.srv, &sw);
  /* The client: one block plus its host name, exactly; the server: one
   * block. Nothing else of ours. */
  assert_int_equal(cli, session_block() + strlen(host) + 1);
  assert_int_equal(srv, session_block());
  assert_int_equal(mem.calls_ours - calls0, 3);

  size_t ours0 = mem.live_ours, theirs0 = mem.live_theirs;
  calls0 = mem.calls_ours;
  int cs = TLSW_OK, ss = TLSW_OK;
  assert_int_equal(pair_handshake(&p, &cs, &ss), TLSW_OK);
  /* A successful handshake (no non-CA certificate) allocates one block of
   * ours: the client's copy of the server's leaf, for
   * tlsw_session_peer_cert() (instead of wolfSSL's SESSION_CERTS, a 2 KB
   * slot per chain level in every session: issue #11); the server, which
   * asked for no certificate, none. So these and the figures above are
   * the sessions' whole state. */
  const uint8_t *leaf;
  size_t leaf_len;
  assert_int_equal(tlsw_session_peer_cert(p.cli, &leaf, &leaf_len), TLSW_OK);
  assert_int_equal(mem.calls_ours - calls0, 1);
  assert_int_equal(mem.live_ours, ours0 + sizeof(wpeer) + leaf_len);
  print_message(
      "per session, tlswrap: client %zu bytes (struct tlsw_session "
      "%zu, aligned %zu + backend %zu + host name %zu), server "
      "%zu bytes\n",
      cli, sizeof(struct tlsw_session),
      (size_t)TLSW_ALIGN_UP(sizeof(struct tlsw_session)),
      tlswi_backend_get()->sess_size, strlen(host) + 1, srv);
  print_message(
      "wolfSSL's (not ours): client %zu + server %zu bytes after "
      "wrap; its live total grew %zd bytes in the handshake\n",
      cw, sw, (ptrdiff_t)(mem.live_theirs - theirs0));
  assert_true(cli <= TLSW_SESSION_BUDGET);
  assert_true(srv <= TLSW_SESSION_BUDGET);

  /* No heap allocation of ours per read or write. */
  calls0 = mem.calls_ours;
  exchange(&p, 20000);
  assert_int_equal(mem.calls_ours - calls0, 0);

  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
}

/* OCSP stapling asked for (tlsw_ctx_set_ocsp_stapling): the session block
 * is the same; a client adds only the small capture of a TLS 1.2
 * CertificateStatus (backend ocsp.c), freed once the server's plaintext
 * flight is over, and wolfSSL its status_request extension. The server
 * here staples nothing (tlswrap servers do not), so the capture never
 * holds a response; a response kept is its own length (a few hundred
 * bytes) until the handshake ends. */
/* The capture's size, as ocsp_client_session measured it. */
static size_t ocsp_capture;

static void ocsp_client_session(void **state) {
  (void)state;
  if (!(tlsw_backend_features() & TLSW_FEATURE_OCSP)) skip();
  size_t capture = 0;
  for (int v = 0; v < 2; v++) {
    tlsw_ctx *c = client_ctx(), *s = server_ctx("ec");
    tlsw_ctx *plain = client_ctx();
    if (v == 1) set_version(c, TLSW_VERSION_TLS1_2);
    if (v == 1) set_version(plain, TLSW_VERSION_TLS1_2);
    assert_int_equal(tlsw_ctx_set_ocsp_stapling(c, TLSW_OCSP_REQUEST), TLSW_OK);
    test_pair p, q;
    assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
    assert_int_equal(pair_init(&q, 1 << 16, 0), TLSW_OK);
    const char *host = "localhost";
    size_t cw, pw;
    size_t base = wrap_side(plain, &q.cli_io, host, &q.cli, &pw);
    size_t cli = wrap_side(c, &p.cli_io, host, &p.cli, &cw);
    size_t sw;
    (void)wrap_side(s, &p.srv_io, NULL, &p.srv, &sw);
    capture = cli - base;
    assert_int_equal(base, session_block() + strlen(host) + 1);
    assert_true(capture > 0 && capture <= 64);
    size_t ours0 = mem.live_ours;
    int cs = TLSW_OK, ss = TLSW_OK;
    assert_int_equal(pair_handshake(&p, &cs, &ss), TLSW_OK);
    assert_int_equal(tlsw_session_ocsp_status(p.cli), TLSW_OCSP_NONE);
    const uint8_t *leaf;
    size_t leaf_len;
    assert_int_equal(tlsw_session_peer_cert(p.cli, &leaf, &leaf_len), TLSW_OK);
    /* The capture is gone; the leaf copy is what every client keeps. */
    assert_int_equal(mem.live_ours, ours0 - capture + sizeof(wpeer) + leaf_len);
    print_message(
        "OCSP stapling on, %s client: tlswrap %zu bytes at wrap (%zu + "
        "capture %zu, freed in the handshake), wolfSSL %zu bytes after "
        "wrap (%zd more than without)\n",
        v == 0 ? "TLS 1.3" : "TLS 1.2", cli, base, capture, cw,
        (ptrdiff_t)(cw - pw));
    pair_free(&p);
    pair_free(&q);
    tlsw_ctx_free(c);
    tlsw_ctx_free(plain);
    tlsw_ctx_free(s);
  }
  ocsp_capture = capture;
}

/* The capture not allocated: the wrap fails, and says why. */
static void ocsp_capture_nomem(void **state) {
  (void)state;
  if (!(tlsw_backend_features() & TLSW_FEATURE_OCSP)) skip();
  assert_true(ocsp_capture > 0); /* measured by ocsp_client_session */
  tlsw_ctx *c = client_ctx();
  assert_int_equal(tlsw_ctx_set_ocsp_stapling(c, TLSW_OCSP_REQUEST), TLSW_OK);
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  tlsw_wrap_opts o = TLSW_WRAP_OPTS_INIT;
  o.do_handshake_on_connect = 0;
  o.server_hostname = "localhost";
  mem.fail_size = ocsp_capture;
  mem.failed = 0;
  tlsw_session *cs = NULL;
  int st = tlsw_wrap(c, &p.cli_io, &o, &cs);
  mem.fail_size = 0;
  assert_int_equal(st, TLSW_ERR_NOMEM);
  assert_int_equal(mem.failed, 1);
  assert_non_null(cs);
  assert_non_null(strstr(tlsw_session_message(cs), "OCSP stapling"));
  tlsw_session_free(cs);
  pair_free(&p);
  tlsw_ctx_free(c);
}

/* What every read, write and transport callback of an open session
 * touches sits at the start of each state (issue #14: a server moving
 * between many sessions pays a cache miss per line): the backend's hot
 * fields fill exactly its first 64 bytes on a 64-bit host, and the core's
 * (up to the allocation mark) its first 64. */
static void hot_fields_first(void **state) {
  (void)state;
  if (sizeof(void *) != 8) skip();
  assert_int_equal(offsetof(wsess, err), 64);
  assert_true(offsetof(struct tlsw_session, err) +
                  offsetof(tlsw_err, backend_code) <=
              64);
  assert_true(offsetof(struct tlsw_session, in_call) < 64);
}

/* The server answers with the key for "micropython", else no key. */
static int lookup_key(void *user, const uint8_t *identity, size_t len,
                      uint8_t *key, size_t key_max) {
  (void)user;
  if (len != 11 || memcmp(identity, "micropython", 11) != 0) return -1;
  if (key_max < 17) return -1;
  memcpy(key, "secret-shared-key", 17);
  return 17;
}

static void psk_client_session(void **state) {
  (void)state;
  static const char id[] = "micropython", key[] = "secret-shared-key";
  tlsw_ctx *c = new_ctx(TLSW_PROTOCOL_TLS_CLIENT);
  tlsw_ctx *s = new_ctx(TLSW_PROTOCOL_TLS_SERVER);
  assert_int_equal(tlsw_ctx_set_psk(c, (const uint8_t *)id, strlen(id),
                                    (const uint8_t *)key, strlen(key)),
                   TLSW_OK);
  assert_int_equal(tlsw_ctx_set_psk_server_callback(s, lookup_key, NULL),
                   TLSW_OK);
  test_pair p;
  assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
  size_t cw, sw;
  const char *host = "a.example.test";
  size_t cli = wrap_side(c, &p.cli_io, host, &p.cli, &cw);
  size_t srv = wrap_side(s, &p.srv_io, NULL, &p.srv, &sw);
  /* Only a PSK client carries the identity and key. */
  size_t psk = sizeof(wpsk) + strlen(id) + 1;
  assert_int_equal(cli, session_block() + strlen(host) + 1 + psk);
  assert_int_equal(srv, session_block());
  print_message(
      "PSK client session: %zu bytes (of which identity and key "
      "%zu)\n",
      cli, psk);
  int cs = TLSW_OK, ss = TLSW_OK;
  assert_int_equal(pair_handshake(&p, &cs, &ss), TLSW_OK);
  assert_non_null(strstr(tlsw_session_cipher(p.cli), "_PSK_"));

  /* The key is wiped before tlswrap frees its copy. */
  mem.secret = (const uint8_t *)key;
  mem.secret_len = strlen(key);
  mem.secret_seen = 0;
  pair_free(&p);
  tlsw_ctx_free(c);
  tlsw_ctx_free(s);
  unsigned long seen = mem.secret_seen;
  mem.secret = NULL;
  assert_int_equal(seen, 0);
}

/* A chain through a non-CA certificate: the record naming it is allocated
 * only then; if that allocation fails, the handshake fails closed with
 * TLSW_ERR_NOMEM and says why. */
static void nonca_record_is_lazy(void **state) {
  (void)state;
  for (int fail = 0; fail < 2; fail++) {
    tlsw_ctx *s = vserver_ctx("nonca", TLSW_CERT_NONE, TLSW_VERSION_DEFAULT);
    tlsw_ctx *c = vclient_ctx(TLSW_CERT_REQUIRED, NULL, TLSW_VERSION_DEFAULT);
    assert_non_null(s);
    assert_non_null(c);
    test_pair p;
    assert_int_equal(pair_init(&p, 1 << 16, 0), TLSW_OK);
    assert_int_equal(pair_wrap(&p, c, s, "a.example.test"), TLSW_OK);
    unsigned long calls0 = mem.calls_ours;
    mem.fail_size = fail ? sizeof(wnonca) : 0;
    mem.failed = 0;
    int cs, ss;
    vdrive(&p, &cs, &ss);
    mem.fail_size = 0;
    /* (The failed session has released its backend state by now, the
     * record with it, so count allocations rather than live bytes.) */
    if (!fail) {
      assert_int_equal(cs, TLSW_ERR_CERT_VERIFY);
      /* The record, the backend's copy of the leaf (verify.c keep_leaf),
       * then the copy of the refused certificate that the failed session
       * keeps for tlsw_session_peer_cert() once its backend state is gone
       * (core/session.c; only on a verification failure). */
      const uint8_t *der;
      size_t der_len;
      assert_int_equal(tlsw_session_peer_cert(p.cli, &der, &der_len), TLSW_OK);
      assert_int_equal(mem.calls_ours - calls0, 3);
      assert_int_equal(mem.last_ours, sizeof(struct tlsw_kept_cert) + der_len);
      assert_non_null(strstr(tlsw_session_message(p.cli), "not a CA"));
    } else {
      assert_int_equal(cs, TLSW_ERR_NOMEM);
      assert_int_equal(mem.failed, 1);
      assert_int_equal(mem.calls_ours - calls0, 0);
      assert_non_null(strstr(tlsw_session_message(p.cli), "out of memory"));
      print_message(
          "non-CA record: %zu bytes, only when needed; on failure: "
          "%s\n",
          sizeof(wnonca), tlsw_session_message(p.cli));
    }
    pair_free(&p);
    tlsw_ctx_free(c);
    tlsw_ctx_free(s);
  }
}

int main(void) {
  if (tlsw_set_allocator(count_malloc, count_realloc, count_free) != TLSW_OK) {
    fprintf(stderr, "tlsw_set_allocator failed\n");
    return 1;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ordinary_tls_sessions),
      cmocka_unit_test(hot_fields_first),
      cmocka_unit_test(ocsp_client_session),
      cmocka_unit_test(ocsp_capture_nomem),
      cmocka_unit_test(psk_client_session),
      cmocka_unit_test(nonca_record_is_lazy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
