/*
 * MicroPython's `tls` module on tlswrap: a drop-in replacement for
 * extmod/modtls_mbedtls.c, so the frozen ssl.py and every program written
 * for it keep working. Written from MicroPython's documented and tested
 * behaviour (see README.md for what differs and why); uses only tlswrap's
 * public API.
 *
 * Rule kept throughout: no nlr jump (MicroPython exception) ever crosses a
 * tlswrap call. Python code that runs inside one (the underlying stream's
 * read/write, verify_callback) is wrapped in nlr_push; an exception is
 * parked in the socket or context and re-raised once the tlswrap call has
 * returned, so tlswrap's and wolfSSL's state stay consistent.
 */
#include "py/mpconfig.h"

#if MICROPY_PY_SSL && !MICROPY_SSL_MBEDTLS && !MICROPY_SSL_AXTLS

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "py/mperrno.h"
#include "py/mphal.h"
#include "py/objarray.h"
#include "py/objstr.h"
#include "py/runtime.h"
#include "py/stream.h"

#include "tlswrap/tlswrap.h"
#include "tlsw_mp_map.h"

/* MicroPython's unix mbedTLS build speaks TLS 1.2 only, and programs and
 * tests rely on its TLS 1.2 behaviour (e.g. when a missing client
 * certificate is noticed). Define as 1 to allow TLS 1.3 as well. */
#ifndef MICROPY_PY_TLSWRAP_TLS13
#define MICROPY_PY_TLSWRAP_TLS13 (0)
#endif

/* 1: tls._mem() reports the C heap held by tlswrap and wolfSSL (for
 * measurements; adds a size header to every allocation). */
#ifndef MICROPY_PY_TLSWRAP_MEMSTATS
#define MICROPY_PY_TLSWRAP_MEMSTATS (0)
#endif

#define POLL_RDWR (MP_STREAM_POLL_RD | MP_STREAM_POLL_WR)

/* The smallest RSA key accepted for load_cert_chain: MicroPython's tests and
 * many small devices use 512/1024-bit keys, and mbedTLS loads them. The
 * floor is lowered only around that call; the peer's chain is then held to
 * 2048 bits again when verified (tlswrap's default, and that of mbedTLS's
 * default X.509 profile), so what a client accepts is not weakened. */
#define OWN_MIN_RSA_BITS 512
#define PEER_MIN_RSA_BITS 2048

#if MICROPY_PY_TLSWRAP_MEMSTATS
/*
 * Measurement build only (off by default): count the C heap that tlswrap
 * and wolfSSL hold, for the per-socket figures in README.md. Each block
 * carries its size in a header; counters are updated atomically because the
 * unix port runs threads without a GIL.
 */
#include <stdlib.h>
typedef union {
  size_t size;
  long double align_ld; /* C99 has no max_align_t */
  long long align_ll;
  void *align_p;
} memhdr;
static size_t mem_live, mem_peak;
static void mem_add(size_t n) {
  size_t now = __atomic_add_fetch(&mem_live, n, __ATOMIC_RELAXED);
  size_t peak = __atomic_load_n(&mem_peak, __ATOMIC_RELAXED);
  while (now > peak &&
         !__atomic_compare_exchange_n(&mem_peak, &peak, now, 1,
                                      __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
  }
}
static void *mem_malloc(size_t n) {
  memhdr *h = malloc(sizeof(memhdr) + n);
  if (h == NULL) return NULL;
  h->size = n;
  mem_add(n);
  return h + 1;
}
static void mem_free(void *p) {
  if (p == NULL) return;
  memhdr *h = (memhdr *)p - 1;
  __atomic_sub_fetch(&mem_live, h->size, __ATOMIC_RELAXED);
  free(h);
}
static void *mem_realloc(void *p, size_t n) {
  if (p == NULL) return mem_malloc(n);
  memhdr *h = (memhdr *)p - 1;
  size_t old = h->size;
  memhdr *nh = realloc(h, sizeof(memhdr) + n);
  if (nh == NULL) return NULL;
  nh->size = n;
  __atomic_sub_fetch(&mem_live, old, __ATOMIC_RELAXED);
  mem_add(n);
  return nh + 1;
}

/* tls._mem(reset_peak=False) -> (live C heap bytes, peak since reset). */
static mp_obj_t tlsmp_mem(size_t n_args, const mp_obj_t *args) {
  mp_obj_t t[2] = {mp_obj_new_int_from_uint(mem_live),
                   mp_obj_new_int_from_uint(mem_peak)};
  if (n_args > 0 && mp_obj_is_true(args[0])) {
    __atomic_store_n(&mem_peak, mem_live, __ATOMIC_RELAXED);
  }
  return mp_obj_new_tuple(2, t);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(tlsmp_mem_obj, 0, 1, tlsmp_mem);
#endif

typedef struct _tlsmp_ctx_t {
  mp_obj_base_t base;
  tlsw_ctx *ctx;
  int protocol;
  mp_obj_t verify_callback;
  mp_obj_t psk_identity, psk_key, server_psk_keys;
  /* An exception raised by verify_callback during a handshake, re-raised
   * by the socket once tlswrap has returned. */
  mp_obj_t cb_exc;
} tlsmp_ctx_t;

typedef struct _tlsmp_sock_t {
  mp_obj_base_t base;
  tlsmp_ctx_t *ctx;
  mp_obj_t sock; /* MP_OBJ_NULL once closed */
  tlsw_session *sess;
  tlsw_io io;
  uintptr_t poll_mask; /* direction the protocol needs, see ioctl */
  int last_error;      /* sticky: errno (> 0) or error code (< 0) */
  int io_errno;        /* errno of the last transport failure */
  mp_obj_t io_exc;     /* exception raised by the underlying stream */
  /* What to raise again for a sticky error; copied because the session
   * may be gone by then. */
  int last_status;
  char last_msg[160];
  /* Where a read that returned data ended, to recognise the next call of
   * the same read(n) loop, and a fatal status held back for the next call
   * (see tlsmp_sock_read). */
  uint8_t *cont_buf;
  mp_uint_t cont_size;
  int deferred;
} tlsmp_sock_t;

static const mp_obj_type_t tlsmp_ctx_type;
static const mp_obj_type_t tlsmp_sock_type;

/******************************************************************************/
/* Errors */

static MP_NORETURN void raise_code_name(int code, const char *name) {
  mp_obj_t args[2] = {MP_OBJ_NEW_SMALL_INT(code),
                      mp_obj_new_str_from_cstr(name)};
  nlr_raise(mp_obj_exception_make_new(&mp_type_OSError, 2, 0, args));
}

/*
 * Raise what MicroPython's mbedTLS module raises for the same failure:
 * OSError(errno) for the transport and ENOMEM, ValueError with mbedTLS's
 * verify text for a failed verification, OSError(code, 'MBEDTLS_ERR_...')
 * where mbedTLS has the same error, and otherwise
 * OSError(tlswrap status, tlswrap's message).
 */
static MP_NORETURN void raise_status(int status, int io_errno,
                                     const char *msg) {
  tlsw_category cat = tlsw_status_category(status);
  if (cat == TLSW_CAT_NOMEM) mp_raise_OSError(MP_ENOMEM);
  if (cat == TLSW_CAT_IO && io_errno > 0) mp_raise_OSError(io_errno);
  const char *vtext = tlsw_mp_verify_text(status);
  if (vtext != NULL) {
    mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("\n%s\n"), vtext);
  }
  if (status == TLSW_ERR_CERT_VERIFY) {
    /* No single mbedTLS flag matches; keep the shape, tlswrap's words. */
    mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("\n%s\n"),
                      msg[0] ? msg : tlsw_strerror(status));
  }
  int code;
  const char *name;
  if (tlsw_mp_mbedtls_error(status, &code, &name)) raise_code_name(code, name);
  mp_obj_t args[2] = {
      MP_OBJ_NEW_SMALL_INT(status),
      mp_obj_new_str_from_cstr(msg[0] ? msg : tlsw_strerror(status))};
  nlr_raise(mp_obj_exception_make_new(&mp_type_OSError, 2, 0, args));
}

/* The stream-layer error code for a status: errno where MicroPython would
 * raise OSError(errno), else the code MicroPython programs compare. */
static int errcode_of(int status, int io_errno) {
  tlsw_category cat = tlsw_status_category(status);
  if (cat == TLSW_CAT_NOMEM) return MP_ENOMEM;
  if (cat == TLSW_CAT_IO && io_errno > 0) return io_errno;
  int code;
  const char *name;
  if (tlsw_mp_mbedtls_error(status, &code, &name)) return code;
  return status;
}

static MP_NORETURN void raise_ctx(tlsmp_ctx_t *c, int status) {
  raise_status(status, 0, tlsw_ctx_message(c->ctx));
}

/******************************************************************************/
/* SSLContext */

static int verify_trampoline(void *user, const uint8_t *der, size_t der_len,
                             int depth, int preverify_ok) {
  (void)preverify_ok;
  tlsmp_ctx_t *c = user;
  if (c->verify_callback == mp_const_none || c->cb_exc != MP_OBJ_NULL) {
    return c->cb_exc != MP_OBJ_NULL;
  }
  /* Called inside tlswrap: an exception must not escape from here. */
  nlr_buf_t nlr;
  int ret = 1;
  if (nlr_push(&nlr) == 0) {
    mp_obj_array_t cert;
    mp_obj_memoryview_init(&cert, 'B', 0, der_len, (void *)der);
    mp_obj_t r = mp_call_function_2(c->verify_callback, MP_OBJ_FROM_PTR(&cert),
                                    MP_OBJ_NEW_SMALL_INT(depth));
    ret = mp_obj_get_int(r) != 0;
    nlr_pop();
  } else {
    c->cb_exc = MP_OBJ_FROM_PTR(nlr.ret_val);
  }
  return ret;
}

static size_t sorted_suites(const char ***out, size_t *alloc,
                            int defaults_only);

static mp_obj_t tlsmp_ctx_make_new(const mp_obj_type_t *type, size_t n_args,
                                   size_t n_kw, const mp_obj_t *args) {
  mp_arg_check_num(n_args, n_kw, 1, 1, false);
  mp_int_t protocol = mp_obj_get_int(args[0]);
  if (protocol < TLSW_PROTOCOL_TLS_CLIENT ||
      protocol > TLSW_PROTOCOL_DTLS_SERVER) {
    mp_raise_ValueError(MP_ERROR_TEXT("invalid protocol"));
  }
#if MICROPY_PY_TLSWRAP_MEMSTATS
  /* Only possible before tlswrap's first initialisation; later calls fail
   * harmlessly with TLSW_ERR_STATE. */
  tlsw_set_allocator(mem_malloc, mem_realloc, mem_free);
#endif
  tlsmp_ctx_t *c = mp_obj_malloc_with_finaliser(tlsmp_ctx_t, type);
  c->ctx = NULL;
  c->protocol = (int)protocol;
  c->verify_callback = mp_const_none;
  c->psk_identity = mp_const_none;
  c->psk_key = mp_const_none;
  c->server_psk_keys = mp_const_none;
  c->cb_exc = MP_OBJ_NULL;
  int st = tlsw_ctx_new(&c->ctx, (tlsw_protocol)protocol);
  if (st != TLSW_OK) {
    c->ctx = NULL;
    raise_status(st, 0, "");
  }
  /* mbedTLS matches server_hostname against the CN of a certificate that
   * has no subjectAltName; programs (and MicroPython's test fixtures)
   * depend on it. */
  st = tlsw_ctx_set_hostname_cn_fallback(c->ctx, 1);
  if (st != TLSW_OK) raise_ctx(c, st);
  /* mbedTLS's default list also has CBC suites, and MicroPython peers may
   * be limited to one (MicroPython's own tests do this); tlswrap's default
   * is AEAD only. Take the ECDHE AEAD and CBC/SHA-2 suites, AEAD first. */
  const char **names;
  size_t alloc;
  size_t k = sorted_suites(&names, &alloc, 1);
  st = k ? tlsw_ctx_set_ciphers(c->ctx, names, k) : TLSW_OK;
  m_del(const char *, names, alloc);
  if (st != TLSW_OK) raise_ctx(c, st);
  if (!(protocol & 2)) {
    st = tlsw_ctx_set_version_range(
        c->ctx, TLSW_VERSION_TLS1_2,
        MICROPY_PY_TLSWRAP_TLS13 ? TLSW_VERSION_TLS1_3 : TLSW_VERSION_TLS1_2);
    if (st != TLSW_OK) raise_ctx(c, st);
  }
  return MP_OBJ_FROM_PTR(c);
}

static tlsw_ctx *live_ctx(tlsmp_ctx_t *c) {
  if (c->ctx == NULL) mp_raise_OSError(MP_EBADF);
  return c->ctx;
}

/* mbedTLS's MBEDTLS_PSK_MAX_LEN in MicroPython's configuration: a longer key
 * is refused there, and programs (and tests) expect the same here. */
#define PSK_MAX_KEY_LEN 48

/* Client PSK: applied once both attributes are set, in either order. */
static void apply_client_psk(tlsmp_ctx_t *c) {
  if (c->psk_identity == mp_const_none || c->psk_key == mp_const_none) return;
  size_t id_len;
  const char *id = mp_obj_str_get_data(c->psk_identity, &id_len);
  mp_buffer_info_t key;
  mp_get_buffer_raise(c->psk_key, &key, MP_BUFFER_READ);
  int st = key.len > PSK_MAX_KEY_LEN
               ? TLSW_ERR_ARG
               : tlsw_ctx_set_psk(live_ctx(c), (const uint8_t *)id, id_len,
                                  key.buf, key.len);
  if (st != TLSW_OK) raise_status(st, 0, tlsw_ctx_message(c->ctx));
}

/*
 * Server PSK: server_psk_keys.get(identity) once per handshake, so a dict or
 * any object with get() works. None, an exception or a result that is not
 * a buffer (or is too long) rejects the client. Runs inside tlswrap, so no
 * exception may escape; MicroPython's mbedTLS module swallows it too.
 */
static int psk_lookup(void *user, const uint8_t *identity, size_t id_len,
                      uint8_t *key, size_t key_max) {
  tlsmp_ctx_t *c = user;
  if (c->server_psk_keys == mp_const_none) return -1;
  int n = -1;
  nlr_buf_t nlr;
  if (nlr_push(&nlr) == 0) {
    mp_obj_t dest[3];
    mp_load_method(c->server_psk_keys, MP_QSTR_get, dest);
    dest[2] = mp_obj_new_bytes(identity, id_len);
    mp_obj_t r = mp_call_method_n_kw(1, 0, dest);
    mp_buffer_info_t buf;
    if (r != mp_const_none && mp_get_buffer(r, &buf, MP_BUFFER_READ) &&
        buf.len > 0 && buf.len <= key_max && buf.len <= PSK_MAX_KEY_LEN) {
      memcpy(key, buf.buf, buf.len);
      n = (int)buf.len;
    }
    nlr_pop();
  }
  return n;
}

static void tlsmp_ctx_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  if (dest[0] == MP_OBJ_NULL) {
    if (attr == MP_QSTR_verify_mode) {
      dest[0] = MP_OBJ_NEW_SMALL_INT(tlsw_ctx_get_verify_mode(c->ctx));
    } else if (attr == MP_QSTR_verify_callback) {
      dest[0] = c->verify_callback;
    } else if (attr == MP_QSTR_psk_identity) {
      dest[0] = c->psk_identity;
    } else if (attr == MP_QSTR_psk_key) {
      dest[0] = c->psk_key;
    } else if (attr == MP_QSTR_server_psk_keys) {
      dest[0] = c->server_psk_keys;
    } else {
      dest[1] = MP_OBJ_SENTINEL; /* continue in locals_dict */
    }
  } else if (dest[1] != MP_OBJ_NULL) {
    if (attr == MP_QSTR_verify_mode) {
      mp_int_t mode = mp_obj_get_int(dest[1]);
      /* mbedTLS takes any int; values other than CERT_* have no meaning,
       * so they are refused here (CPython does the same). */
      if (mode < TLSW_CERT_NONE || mode > TLSW_CERT_REQUIRED) {
        mp_raise_ValueError(MP_ERROR_TEXT("invalid verify_mode"));
      }
      if (c->ctx == NULL) mp_raise_OSError(MP_EBADF);
      int st = tlsw_ctx_set_verify_mode(c->ctx, (tlsw_verify_mode)mode);
      if (st != TLSW_OK) raise_ctx(c, st);
      dest[0] = MP_OBJ_NULL;
    } else if (attr == MP_QSTR_verify_callback) {
      if (c->ctx == NULL) mp_raise_OSError(MP_EBADF);
      int st = tlsw_ctx_set_verify_callback(
          c->ctx, dest[1] == mp_const_none ? NULL : verify_trampoline, c);
      if (st != TLSW_OK) raise_ctx(c, st);
      c->verify_callback = dest[1];
      dest[0] = MP_OBJ_NULL;
    } else if (attr == MP_QSTR_psk_identity || attr == MP_QSTR_psk_key) {
      if (attr == MP_QSTR_psk_identity) {
        c->psk_identity = dest[1];
      } else {
        c->psk_key = dest[1];
      }
      dest[0] = MP_OBJ_NULL;
      apply_client_psk(c);
    } else if (attr == MP_QSTR_server_psk_keys) {
      /* Only servers look keys up; on a client it is just stored. */
      if (c->protocol & 1) {
        int st = tlsw_ctx_set_psk_server_callback(live_ctx(c), psk_lookup, c);
        if (st != TLSW_OK) raise_ctx(c, st);
      }
      c->server_psk_keys = dest[1];
      dest[0] = MP_OBJ_NULL;
    }
  }
}

static mp_obj_t tlsmp_ctx_del(mp_obj_t self_in) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  /* Sockets hold their own tlswrap reference, so this is safe whatever
   * order the collector finalises objects in; NULL makes it idempotent. */
  tlsw_ctx_free(c->ctx);
  c->ctx = NULL;
  return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(tlsmp_ctx_del_obj, tlsmp_ctx_del);

/* The suites the module offers (IANA names, static strings), in mbedTLS's
 * preference order. With defaults_only, just those enabled by default.
 * Returns the count; *out is an m_new array of *alloc entries. */
static size_t sorted_suites(const char ***out, size_t *alloc,
                            int defaults_only) {
  size_t n = 0;
  tlsw_available_ciphers(NULL, 0, &n);
  const char **names = m_new(const char *, n ? n : 1);
  tlsw_available_ciphers(names, n, &n);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (tlsw_mp_cipher_allowed(names[i], MICROPY_PY_TLSWRAP_TLS13) &&
        (!defaults_only || tlsw_mp_cipher_default(names[i]))) {
      names[k++] = names[i];
    }
  }
  /* Insertion sort: a few dozen entries, and it is stable. */
  for (size_t i = 1; i < k; i++) {
    const char *v = names[i];
    int r = tlsw_mp_cipher_rank(v);
    size_t j = i;
    for (; j > 0 && tlsw_mp_cipher_rank(names[j - 1]) > r; j--) {
      names[j] = names[j - 1];
    }
    names[j] = v;
  }
  *out = names;
  *alloc = n ? n : 1;
  return k;
}

static mp_obj_t tlsmp_ctx_get_ciphers(mp_obj_t self_in) {
  (void)self_in;
  /* Like mbedTLS: every suite the library offers (not just the enabled
   * ones), strongest first, in mbedTLS's names. */
  const char **names;
  size_t alloc;
  size_t k = sorted_suites(&names, &alloc, 0);
  mp_obj_t list = mp_obj_new_list(0, NULL);
  char buf[96];
  for (size_t i = 0; i < k; i++) {
    if (tlsw_mp_cipher_to_mbedtls(names[i], buf, sizeof buf) == 0) {
      mp_obj_list_append(list, mp_obj_new_str_from_cstr(buf));
    }
  }
  m_del(const char *, names, alloc);
  return list;
}
static MP_DEFINE_CONST_FUN_OBJ_1(tlsmp_ctx_get_ciphers_obj,
                                 tlsmp_ctx_get_ciphers);

static MP_NORETURN void raise_bad_config(void) {
  int code;
  const char *name;
  tlsw_mp_mbedtls_error(TLSW_ERR_CIPHER, &code, &name);
  raise_code_name(code, name);
}

static mp_obj_t tlsmp_ctx_set_ciphers(mp_obj_t self_in, mp_obj_t list_in) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  size_t len;
  mp_obj_t *items;
  mp_obj_get_array(list_in, &len, &items); /* TypeError unless list/tuple */
  if (len == 0) raise_bad_config();
  /* Both mbedTLS ("TLS-ECDHE-...", "TLS1-3-...") and IANA names work. */
  enum { NAME_MAX_LEN = 96 };
  char *iana = m_new(char, len *NAME_MAX_LEN);
  const char **ptrs = m_new(const char *, len);
  for (size_t i = 0; i < len; i++) {
    const char *name = mp_obj_str_get_str(items[i]);
    char *dst = iana + i * NAME_MAX_LEN;
    if (tlsw_mp_cipher_to_iana(name, dst, NAME_MAX_LEN) != 0 ||
        !tlsw_mp_cipher_allowed(dst, MICROPY_PY_TLSWRAP_TLS13)) {
      raise_bad_config();
    }
    ptrs[i] = dst;
  }
  int st = tlsw_ctx_set_ciphers(live_ctx(c), ptrs, len);
  m_del(const char *, ptrs, len);
  m_del(char, iana, len *NAME_MAX_LEN);
  if (st == TLSW_ERR_CIPHER || st == TLSW_ERR_ARG) raise_bad_config();
  if (st != TLSW_OK) raise_ctx(c, st);
  return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(tlsmp_ctx_set_ciphers_obj,
                                 tlsmp_ctx_set_ciphers);

static mp_obj_t tlsmp_ctx_load_cert_chain(mp_obj_t self_in, mp_obj_t cert_in,
                                          mp_obj_t key_in) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  tlsw_ctx *ctx = live_ctx(c);
  size_t key_len, cert_len = 1;
  const char *key = mp_obj_str_get_data(key_in, &key_len);
  /* MicroPython parses the key before it even looks at the certificate, so
   * a bad key wins over a missing one. tlswrap also checks the key first;
   * a placeholder certificate lets it do that when cert is not data, and
   * the TypeError comes after. */
  const char *cert = "\x30";
  int cert_is_data = mp_obj_is_str_or_bytes(cert_in);
  if (cert_is_data) cert = mp_obj_str_get_data(cert_in, &cert_len);
  int st = tlsw_ctx_set_min_rsa_bits(ctx, OWN_MIN_RSA_BITS);
  if (st == TLSW_OK) {
    st = tlsw_ctx_load_cert_chain(ctx, (const uint8_t *)cert, cert_len,
                                  (const uint8_t *)key, key_len, NULL);
    int st2 = tlsw_ctx_set_min_rsa_bits(ctx, PEER_MIN_RSA_BITS);
    if (st == TLSW_OK) st = st2;
  }
  if (st == TLSW_ERR_KEY_INVALID || st == TLSW_ERR_KEY_PASSWORD ||
      (st == TLSW_ERR_ARG && key_len == 0)) {
    mp_raise_ValueError(MP_ERROR_TEXT("invalid key"));
  }
  if (!cert_is_data) mp_obj_str_get_data(cert_in, &cert_len); /* TypeError */
  if (st == TLSW_ERR_CERT_INVALID || st == TLSW_ERR_CERT_WEAK_KEY ||
      st == TLSW_ERR_ARG) {
    mp_raise_ValueError(MP_ERROR_TEXT("invalid cert"));
  }
  if (st == TLSW_ERR_KEY_MISMATCH) {
    mp_raise_ValueError(MP_ERROR_TEXT("key does not match the certificate"));
  }
  if (st != TLSW_OK) raise_ctx(c, st);
  return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(tlsmp_ctx_load_cert_chain_obj,
                                 tlsmp_ctx_load_cert_chain);

static mp_obj_t tlsmp_ctx_load_verify_locations(mp_obj_t self_in,
                                                mp_obj_t cadata) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  size_t len;
  const char *data = mp_obj_str_get_data(cadata, &len);
  int st = tlsw_ctx_load_verify_mem(live_ctx(c), (const uint8_t *)data, len);
  if (st == TLSW_ERR_CERT_INVALID || st == TLSW_ERR_ARG ||
      st == TLSW_ERR_CERT_WEAK_KEY) {
    mp_raise_ValueError(MP_ERROR_TEXT("invalid cert"));
  }
  if (st != TLSW_OK) raise_ctx(c, st);
  return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(tlsmp_ctx_load_verify_locations_obj,
                                 tlsmp_ctx_load_verify_locations);

static mp_obj_t tlsmp_sock_new(tlsmp_ctx_t *c, mp_obj_t sock, bool server_side,
                               bool do_handshake, mp_obj_t server_hostname,
                               mp_obj_t client_id);

static mp_obj_t tlsmp_ctx_wrap_socket(size_t n_args, const mp_obj_t *pos_args,
                                      mp_map_t *kw_args) {
  enum {
    ARG_server_side,
    ARG_do_handshake,
    ARG_server_hostname,
    ARG_client_id
  };
  static const mp_arg_t allowed[] = {
      {MP_QSTR_server_side, MP_ARG_KW_ONLY | MP_ARG_BOOL, {.u_bool = false}},
      {MP_QSTR_do_handshake_on_connect,
       MP_ARG_KW_ONLY | MP_ARG_BOOL,
       {.u_bool = true}},
      {MP_QSTR_server_hostname,
       MP_ARG_KW_ONLY | MP_ARG_OBJ,
       {.u_rom_obj = MP_ROM_NONE}},
      {MP_QSTR_client_id,
       MP_ARG_KW_ONLY | MP_ARG_OBJ,
       {.u_rom_obj = MP_ROM_NONE}},
  };
  mp_arg_val_t args[MP_ARRAY_SIZE(allowed)];
  mp_arg_parse_all(n_args - 2, pos_args + 2, kw_args, MP_ARRAY_SIZE(allowed),
                   allowed, args);
  return tlsmp_sock_new(
      MP_OBJ_TO_PTR(pos_args[0]), pos_args[1], args[ARG_server_side].u_bool,
      args[ARG_do_handshake].u_bool, args[ARG_server_hostname].u_obj,
      args[ARG_client_id].u_obj);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(tlsmp_ctx_wrap_socket_obj, 2,
                                  tlsmp_ctx_wrap_socket);

static const mp_rom_map_elem_t tlsmp_ctx_locals_table[] = {
    {MP_ROM_QSTR(MP_QSTR___del__), MP_ROM_PTR(&tlsmp_ctx_del_obj)},
    {MP_ROM_QSTR(MP_QSTR_get_ciphers), MP_ROM_PTR(&tlsmp_ctx_get_ciphers_obj)},
    {MP_ROM_QSTR(MP_QSTR_set_ciphers), MP_ROM_PTR(&tlsmp_ctx_set_ciphers_obj)},
    {MP_ROM_QSTR(MP_QSTR_load_cert_chain),
     MP_ROM_PTR(&tlsmp_ctx_load_cert_chain_obj)},
    {MP_ROM_QSTR(MP_QSTR_load_verify_locations),
     MP_ROM_PTR(&tlsmp_ctx_load_verify_locations_obj)},
    {MP_ROM_QSTR(MP_QSTR_wrap_socket), MP_ROM_PTR(&tlsmp_ctx_wrap_socket_obj)},
};
static MP_DEFINE_CONST_DICT(tlsmp_ctx_locals, tlsmp_ctx_locals_table);

static MP_DEFINE_CONST_OBJ_TYPE(tlsmp_ctx_type, MP_QSTR_SSLContext,
                                MP_TYPE_FLAG_NONE, make_new, tlsmp_ctx_make_new,
                                attr, tlsmp_ctx_attr, locals_dict,
                                &tlsmp_ctx_locals);

/******************************************************************************/
/* Transport: tlswrap -> the underlying MicroPython stream */

static int map_errno(tlsmp_sock_t *o, int err) {
  o->io_errno = err;
  errno = err; /* tlswrap copies errno into its message */
  if (err == MP_ETIMEDOUT) return TLSW_ERR_TIMEOUT;
  if (err == MP_ECONNRESET) return TLSW_ERR_RESET;
  return TLSW_ERR_IO;
}

static int io_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  tlsmp_sock_t *o = io;
  if (o->sock == MP_OBJ_NULL || o->io_exc != MP_OBJ_NULL) {
    return map_errno(o, MP_EBADF);
  }
  nlr_buf_t nlr;
  int st;
  if (nlr_push(&nlr) == 0) {
    int err = 0;
    mp_uint_t n = mp_get_stream(o->sock)->write(o->sock, buf, len, &err);
    nlr_pop();
    if (n == MP_STREAM_ERROR) {
      st = mp_is_nonblocking_error(err) ? TLSW_WANT_WRITE : map_errno(o, err);
    } else if (n == 0) {
      /* A stream that takes nothing is not "try again": treat as gone. */
      st = map_errno(o, MP_EPIPE);
    } else {
      *out_n = n;
      st = TLSW_OK;
    }
  } else {
    o->io_exc = MP_OBJ_FROM_PTR(nlr.ret_val);
    st = map_errno(o, MP_EIO);
  }
  return st;
}

static int io_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  tlsmp_sock_t *o = io;
  if (o->sock == MP_OBJ_NULL || o->io_exc != MP_OBJ_NULL) {
    return map_errno(o, MP_EBADF);
  }
  nlr_buf_t nlr;
  int st;
  if (nlr_push(&nlr) == 0) {
    int err = 0;
    mp_uint_t n = mp_get_stream(o->sock)->read(o->sock, buf, len, &err);
    nlr_pop();
    if (n == MP_STREAM_ERROR) {
      st = mp_is_nonblocking_error(err) ? TLSW_WANT_READ : map_errno(o, err);
    } else {
      *out_n = n; /* 0 is end of stream */
      st = TLSW_OK;
    }
  } else {
    o->io_exc = MP_OBJ_FROM_PTR(nlr.ret_val);
    st = map_errno(o, MP_EIO);
  }
  return st;
}

/******************************************************************************/
/* SSLSocket */

static void sock_release(tlsmp_sock_t *o) {
  tlsw_session_free(o->sess);
  o->sess = NULL;
#if MICROPY_PY_THREAD
  /* wolfSSL keeps a per-thread ECC cache of several MB that leaks when the
   * thread exits; MicroPython has no thread-exit hook, so threads other
   * than the main one drop it whenever they are done with a session. */
  if (!mp_thread_is_main_thread()) tlsw_thread_cleanup();
#endif
}

/* Re-raise a Python exception parked during the last tlswrap call. */
static void check_parked(tlsmp_sock_t *o) {
  mp_obj_t exc = MP_OBJ_NULL;
  if (o->io_exc != MP_OBJ_NULL) {
    exc = o->io_exc;
    o->io_exc = MP_OBJ_NULL;
  }
  if (o->ctx->cb_exc != MP_OBJ_NULL) {
    /* A context shared by threads may, rarely, hand one thread's callback
     * exception to another; the session that raised it failed anyway. */
    if (exc == MP_OBJ_NULL) exc = o->ctx->cb_exc;
    o->ctx->cb_exc = MP_OBJ_NULL;
  }
  if (exc != MP_OBJ_NULL) {
    if (o->last_error == 0) o->last_error = MP_EIO;
    o->last_status = TLSW_ERR_IO;
    o->last_msg[0] = '\0';
    nlr_raise(exc);
  }
}

static void remember(tlsmp_sock_t *o, int st) {
  o->last_status = st;
  const char *m = o->sess ? tlsw_session_message(o->sess) : "";
  snprintf(o->last_msg, sizeof o->last_msg, "%s", m);
}

/* Whether the session is finished after a call returned st: tlswrap's
 * status rule, and the session's own word for the one case a status alone
 * cannot tell (a fresh DTLS server session ended by a dropped datagram,
 * see tlswrap/status.h). */
static int session_ended(const tlsmp_sock_t *o, int st) {
  return tlsw_status_is_fatal(st) || tlsw_session_status(o->sess) != TLSW_OK;
}

/* DTLS: a junk datagram is dropped and costs nothing, so the call is made
 * again, unless it ended the session (then retrying would spin forever on
 * the sticky status). */
static int dropped_retry(const tlsmp_sock_t *o, int st) {
  return st == TLSW_ERR_DATAGRAM_DROPPED && !session_ended(o, st);
}

/* A failed handshake in the constructor: drop the state, leave the caller's
 * socket open (MicroPython does not close it), raise. */
static MP_NORETURN void ctor_fail(tlsmp_sock_t *o, int st) {
  remember(o, st);
  o->sock = MP_OBJ_NULL;
  sock_release(o);
  check_parked(o);
  raise_status(st, o->io_errno, o->last_msg);
}

static mp_obj_t tlsmp_sock_new(tlsmp_ctx_t *c, mp_obj_t sock, bool server_side,
                               bool do_handshake, mp_obj_t server_hostname,
                               mp_obj_t client_id) {
  mp_get_stream_raise(
      sock, MP_STREAM_OP_READ | MP_STREAM_OP_WRITE | MP_STREAM_OP_IOCTL);
  tlsw_ctx *ctx = live_ctx(c);
  tlsw_wrap_opts opts = TLSW_WRAP_OPTS_INIT;
  opts.do_handshake_on_connect = 0; /* run below, with parked exceptions */
  if (server_hostname != mp_const_none) {
    opts.server_hostname = mp_obj_str_get_str(server_hostname);
  } else if (!server_side &&
             tlsw_ctx_get_verify_mode(ctx) == TLSW_CERT_REQUIRED) {
    mp_raise_ValueError(
        MP_ERROR_TEXT("CERT_REQUIRED requires server_hostname"));
  }
  if (c->protocol == TLSW_PROTOCOL_DTLS_SERVER) {
    mp_buffer_info_t id;
    if (client_id == mp_const_none ||
        !mp_get_buffer(client_id, &id, MP_BUFFER_READ) || id.len == 0) {
      raise_status(TLSW_ERR_ARG, 0, "");
    }
    opts.client_id = id.buf;
    opts.client_id_len = id.len;
  }

  tlsmp_sock_t *o =
      mp_obj_malloc_with_finaliser(tlsmp_sock_t, &tlsmp_sock_type);
  o->ctx = c;
  o->sock = sock;
  o->sess = NULL;
  o->io.send = io_send;
  o->io.recv = io_recv;
  o->io.io = o;
  o->poll_mask = 0;
  o->last_error = 0;
  o->io_errno = 0;
  o->io_exc = MP_OBJ_NULL;
  o->last_status = TLSW_OK;
  o->last_msg[0] = '\0';
  o->cont_buf = NULL;
  o->cont_size = 0;
  o->deferred = TLSW_OK;

  int st = tlsw_wrap(ctx, &o->io, &opts, &o->sess);
  if (st == TLSW_OK && do_handshake) {
    /* Blocking, as with mbedTLS, even on a non-blocking socket. */
    while ((st = tlsw_handshake(o->sess)) == TLSW_WANT_READ ||
           st == TLSW_WANT_WRITE || dropped_retry(o, st)) {
      if (st != TLSW_ERR_DATAGRAM_DROPPED) mp_event_wait_ms(1);
    }
  }
  if (st != TLSW_OK) {
    if (o->sess == NULL) {
      o->sock = MP_OBJ_NULL;
      raise_status(st, 0, "");
    }
    ctor_fail(o, st);
  }
  return MP_OBJ_FROM_PTR(o);
}

/* A failed read or write: remember it if fatal and raise now, so the first
 * report carries the full exception (later calls repeat it through
 * MP_STREAM_RAISE_ERROR). */
static mp_uint_t io_fail(tlsmp_sock_t *o, int st, int *errcode) {
  remember(o, st);
  check_parked(o);
  if (session_ended(o, st)) {
    o->last_error = errcode_of(st, o->io_errno);
    /* State is of no more use; the socket stays open until close(). */
    sock_release(o);
  }
  raise_status(st, o->io_errno, o->last_msg);
  (void)errcode;
  return MP_STREAM_ERROR;
}

static int sock_ready(tlsmp_sock_t *o, int *errcode) {
  o->poll_mask = 0;
  if (o->last_error != 0) {
    *errcode = o->last_error;
    return 0;
  }
  if (o->sess == NULL) {
    *errcode = MP_EBADF; /* closed */
    return 0;
  }
  return 1;
}

static mp_uint_t tlsmp_sock_read(mp_obj_t self_in, void *buf, mp_uint_t size,
                                 int *errcode) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  /*
   * read(n) calls this in a loop until n bytes came, and discards what it
   * already has if a later call fails with anything but EAGAIN. A peer that
   * writes and then closes (MicroPython never sends close_notify) makes
   * exactly that happen: data, then CONN_EOF in the same read(n). So a
   * failure in the call that continues a read which returned data is held
   * back: that call says EAGAIN (the data is delivered), and the next one
   * raises. The continuation is recognised by its buffer, which starts
   * where the data ended.
   */
  int cont = o->cont_buf != NULL && (uint8_t *)buf == o->cont_buf &&
             size == o->cont_size;
  o->cont_buf = NULL;
  if (o->deferred != TLSW_OK) {
    int held = o->deferred;
    o->deferred = TLSW_OK;
    return io_fail(o, held, errcode);
  }
  if (!sock_ready(o, errcode)) return MP_STREAM_ERROR;
  size_t n = 0;
  int st;
  while (dropped_retry(o, st = tlsw_read(o->sess, buf, size, &n))) {
    check_parked(o);
  }
  check_parked(o);
  if (st == TLSW_OK) {
    o->cont_buf = (uint8_t *)buf + n;
    o->cont_size = size - n;
    return n;
  }
  if (st == TLSW_CLOSED) return 0; /* close_notify: end of stream */
  if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    /* During a handshake a read may need to write first. */
    if (tlsw_want(o->sess) == TLSW_WANT_WR) o->poll_mask = MP_STREAM_POLL_WR;
    *errcode = MP_EWOULDBLOCK;
    return MP_STREAM_ERROR;
  }
  if (cont && session_ended(o, st)) {
    o->deferred = st;
    *errcode = MP_EWOULDBLOCK;
    return MP_STREAM_ERROR;
  }
  return io_fail(o, st, errcode);
}

static mp_uint_t tlsmp_sock_write(mp_obj_t self_in, const void *buf,
                                  mp_uint_t size, int *errcode) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  if (!sock_ready(o, errcode)) return MP_STREAM_ERROR;
  size_t n = 0;
  int st = tlsw_write(o->sess, buf, size, &n);
  check_parked(o);
  if (st == TLSW_OK) return n;
  if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    if (tlsw_want(o->sess) == TLSW_WANT_RD) o->poll_mask = MP_STREAM_POLL_RD;
    *errcode = MP_EWOULDBLOCK;
    return MP_STREAM_ERROR;
  }
  return io_fail(o, st, errcode);
}

static mp_uint_t tlsmp_sock_ioctl(mp_obj_t self_in, mp_uint_t request,
                                  uintptr_t arg, int *errcode) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  mp_obj_t sock = o->sock;
  uintptr_t asked = 0;
  mp_uint_t ret = 0;
  if (request == MP_STREAM_CLOSE) {
    if (sock == MP_OBJ_NULL) return 0; /* second close: nothing to do */
    /* No close_notify, as in MicroPython (its closenotify() PR was
     * rejected): close() must not block or fail on a dead peer. */
    o->sock = MP_OBJ_NULL;
    sock_release(o);
  } else if (request == MP_STREAM_POLL) {
    if (sock == MP_OBJ_NULL || o->last_error != 0) {
      return MP_STREAM_POLL_NVAL;
    }
    if (o->deferred != TLSW_OK) {
      /* A held-back failure: "ready", so the caller calls and gets it. */
      return arg & POLL_RDWR;
    }
    /* The handshake needs the other direction: wait on that one, and
     * report the caller's direction ready when it is, so they retry. */
    if (o->poll_mask && (arg & POLL_RDWR)) {
      asked = arg & POLL_RDWR;
      arg = (arg & ~asked) | o->poll_mask;
    }
    /* Decrypted data already buffered is readable without the socket. */
    if ((arg & MP_STREAM_POLL_RD) && o->sess && tlsw_pending(o->sess) > 0) {
      ret |= MP_STREAM_POLL_RD;
      if (arg == MP_STREAM_POLL_RD) return MP_STREAM_POLL_RD;
    }
  } else if (request == MP_STREAM_RAISE_ERROR) {
    if ((int)arg == o->last_error && o->last_status != TLSW_OK) {
      raise_status(o->last_status, o->io_errno, o->last_msg);
    }
    if ((int)arg > 0) mp_raise_OSError((int)arg);
    *errcode = MP_EINVAL;
    return MP_STREAM_ERROR;
  } else {
    *errcode = MP_EINVAL;
    return MP_STREAM_ERROR;
  }
  mp_uint_t r = mp_get_stream(sock)->ioctl(sock, request, arg, errcode);
  if (r == MP_STREAM_ERROR) return r;
  ret |= r;
  if (request == MP_STREAM_POLL && (ret & o->poll_mask)) {
    ret |= asked;
  }
  return ret;
}

static mp_obj_t tlsmp_sock_setblocking(mp_obj_t self_in, mp_obj_t flag) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  if (o->sock == MP_OBJ_NULL) mp_raise_OSError(MP_EBADF);
  mp_obj_t dest[3];
  mp_load_method(o->sock, MP_QSTR_setblocking, dest);
  dest[2] = flag;
  return mp_call_method_n_kw(1, 0, dest);
}
static MP_DEFINE_CONST_FUN_OBJ_2(tlsmp_sock_setblocking_obj,
                                 tlsmp_sock_setblocking);

static mp_obj_t tlsmp_sock_getpeercert(mp_obj_t self_in, mp_obj_t binary) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  if (!mp_obj_is_true(binary)) mp_raise_NotImplementedError(NULL);
  const uint8_t *der;
  size_t len;
  if (o->sess == NULL ||
      tlsw_session_peer_cert(o->sess, &der, &len) != TLSW_OK) {
    return mp_const_none;
  }
  return mp_obj_new_bytes(der, len);
}
static MP_DEFINE_CONST_FUN_OBJ_2(tlsmp_sock_getpeercert_obj,
                                 tlsmp_sock_getpeercert);

static mp_obj_t tlsmp_sock_cipher(mp_obj_t self_in) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  const char *suite = o->sess ? tlsw_session_cipher(o->sess) : NULL;
  const char *version = o->sess ? tlsw_session_version(o->sess) : NULL;
  char buf[96];
  /* mbedTLS says "unknown" before the handshake; so does this. */
  if (suite == NULL || tlsw_mp_cipher_to_mbedtls(suite, buf, sizeof buf)) {
    strcpy(buf, "unknown");
  }
  mp_obj_t t[2] = {mp_obj_new_str_from_cstr(buf),
                   mp_obj_new_str_from_cstr(version ? version : "unknown")};
  return mp_obj_new_tuple(2, t);
}
static MP_DEFINE_CONST_FUN_OBJ_1(tlsmp_sock_cipher_obj, tlsmp_sock_cipher);

static const mp_rom_map_elem_t tlsmp_sock_locals_table[] = {
    {MP_ROM_QSTR(MP_QSTR_read), MP_ROM_PTR(&mp_stream_read_obj)},
    {MP_ROM_QSTR(MP_QSTR_readinto), MP_ROM_PTR(&mp_stream_readinto_obj)},
    {MP_ROM_QSTR(MP_QSTR_readline),
     MP_ROM_PTR(&mp_stream_unbuffered_readline_obj)},
    {MP_ROM_QSTR(MP_QSTR_write), MP_ROM_PTR(&mp_stream_write_obj)},
    /* As on MicroPython's DTLS-capable builds, for TLS sockets too. */
    {MP_ROM_QSTR(MP_QSTR_recv), MP_ROM_PTR(&mp_stream_read1_obj)},
    {MP_ROM_QSTR(MP_QSTR_recv_into), MP_ROM_PTR(&mp_stream_readinto_obj)},
    {MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&mp_stream_write1_obj)},
    {MP_ROM_QSTR(MP_QSTR_sendall), MP_ROM_PTR(&mp_stream_write_obj)},
    {MP_ROM_QSTR(MP_QSTR_setblocking), MP_ROM_PTR(&tlsmp_sock_setblocking_obj)},
    {MP_ROM_QSTR(MP_QSTR_close), MP_ROM_PTR(&mp_stream_close_obj)},
    {MP_ROM_QSTR(MP_QSTR___del__), MP_ROM_PTR(&mp_stream_close_obj)},
#if MICROPY_UNIX_COVERAGE
    {MP_ROM_QSTR(MP_QSTR_ioctl), MP_ROM_PTR(&mp_stream_ioctl_obj)},
#endif
    {MP_ROM_QSTR(MP_QSTR_getpeercert), MP_ROM_PTR(&tlsmp_sock_getpeercert_obj)},
    {MP_ROM_QSTR(MP_QSTR_cipher), MP_ROM_PTR(&tlsmp_sock_cipher_obj)},
};
static MP_DEFINE_CONST_DICT(tlsmp_sock_locals, tlsmp_sock_locals_table);

static const mp_stream_p_t tlsmp_sock_stream = {
    .read = tlsmp_sock_read,
    .write = tlsmp_sock_write,
    .ioctl = tlsmp_sock_ioctl,
};

static MP_DEFINE_CONST_OBJ_TYPE(tlsmp_sock_type, MP_QSTR_SSLSocket,
                                MP_TYPE_FLAG_NONE, protocol, &tlsmp_sock_stream,
                                locals_dict, &tlsmp_sock_locals);

/******************************************************************************/
/* Module */

static const mp_rom_map_elem_t tlsmp_module_table[] = {
    {MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_tls)},
    {MP_ROM_QSTR(MP_QSTR_SSLContext), MP_ROM_PTR(&tlsmp_ctx_type)},
    /* No MBEDTLS_VERSION: programs use it to detect mbedTLS and then
     * expect mbedTLS-only output. */
    {MP_ROM_QSTR(MP_QSTR_PROTOCOL_TLS_CLIENT),
     MP_ROM_INT(TLSW_PROTOCOL_TLS_CLIENT)},
    {MP_ROM_QSTR(MP_QSTR_PROTOCOL_TLS_SERVER),
     MP_ROM_INT(TLSW_PROTOCOL_TLS_SERVER)},
    {MP_ROM_QSTR(MP_QSTR_PROTOCOL_DTLS_CLIENT),
     MP_ROM_INT(TLSW_PROTOCOL_DTLS_CLIENT)},
    {MP_ROM_QSTR(MP_QSTR_PROTOCOL_DTLS_SERVER),
     MP_ROM_INT(TLSW_PROTOCOL_DTLS_SERVER)},
    {MP_ROM_QSTR(MP_QSTR_CERT_NONE), MP_ROM_INT(TLSW_CERT_NONE)},
    {MP_ROM_QSTR(MP_QSTR_CERT_OPTIONAL), MP_ROM_INT(TLSW_CERT_OPTIONAL)},
    {MP_ROM_QSTR(MP_QSTR_CERT_REQUIRED), MP_ROM_INT(TLSW_CERT_REQUIRED)},
#if MICROPY_PY_TLSWRAP_MEMSTATS
    {MP_ROM_QSTR(MP_QSTR__mem), MP_ROM_PTR(&tlsmp_mem_obj)},
#endif
};
static MP_DEFINE_CONST_DICT(tlsmp_module_globals, tlsmp_module_table);

const mp_obj_module_t tlsmp_module = {
    .base = {&mp_type_module},
    .globals = (mp_obj_dict_t *)&tlsmp_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_tls, tlsmp_module);

#endif
