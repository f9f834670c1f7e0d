/* SSLContext: a tlsw_ctx with MicroPython's defaults and attributes. */
#include "tlsmp.h"

#if TLSMP_ENABLED

#include <string.h>

#include "py/mperrno.h"
#include "py/objarray.h"
#include "py/objstr.h"
#include "py/runtime.h"

/* The smallest RSA key accepted for load_cert_chain: MicroPython's tests and
 * many small devices use 512/1024-bit keys, and mbedTLS loads them. The
 * floor is lowered only around that call; the peer's chain is then held to
 * 2048 bits again when verified (tlswrap's default, and that of mbedTLS's
 * default X.509 profile), so what a client accepts is not weakened. */
#define OWN_MIN_RSA_BITS 512
#define PEER_MIN_RSA_BITS 2048

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

static size_t sorted_suites(const char ***out, size_t *alloc, int defaults_only,
                            int tls13);

static mp_obj_t tlsmp_ctx_make_new(const mp_obj_type_t *type, size_t n_args,
                                   size_t n_kw, const mp_obj_t *args) {
  mp_arg_check_num(n_args, n_kw, 1, 1, false);
  mp_int_t protocol = mp_obj_get_int(args[0]);
  if (protocol < TLSW_PROTOCOL_TLS_CLIENT ||
      protocol > TLSW_PROTOCOL_DTLS_SERVER) {
    mp_raise_ValueError(MP_ERROR_TEXT("invalid protocol"));
  }
  tlsmp_mem_install();
  tlsmp_ctx_t *c = mp_obj_malloc_with_finaliser(tlsmp_ctx_t, type);
  c->ctx = NULL;
  c->protocol = (int)protocol;
  c->verify_callback = mp_const_none;
  c->psk_identity = mp_const_none;
  c->psk_key = mp_const_none;
  c->server_psk_keys = mp_const_none;
  c->cb_exc = MP_OBJ_NULL;
  c->custom_ciphers = 0;
  c->min_version = TLSW_VERSION_TLS1_2;
  c->max_version =
      MICROPY_PY_TLSWRAP_TLS13 ? TLSW_VERSION_TLS1_3 : TLSW_VERSION_TLS1_2;
  int st = tlsw_ctx_new(&c->ctx, (tlsw_protocol)protocol);
  if (st != TLSW_OK) {
    c->ctx = NULL;
    tlsmp_raise_status(st, 0, "");
  }
  /* mbedTLS matches server_hostname against the CN of a certificate that
   * has no subjectAltName; programs (and MicroPython's test fixtures)
   * depend on it. */
  st = tlsw_ctx_set_hostname_cn_fallback(c->ctx, 1);
  if (st != TLSW_OK) tlsmp_raise_ctx(c, st);
  tlsmp_ctx_default_ciphers(c);
  if (!(protocol & 2)) {
    st = tlsw_ctx_set_version_range(c->ctx, (tlsw_tls_version)c->min_version,
                                    (tlsw_tls_version)c->max_version);
    if (st != TLSW_OK) tlsmp_raise_ctx(c, st);
  }
  return MP_OBJ_FROM_PTR(c);
}

/* TLS 1.3 suites are offered once the context may speak TLS 1.3 (the
 * build's default, or maximum_version). */
static int tls13_on(const tlsmp_ctx_t *c) {
  return c->max_version == TLSW_VERSION_TLS1_3;
}

void tlsmp_ctx_default_ciphers(tlsmp_ctx_t *c) {
  /* mbedTLS's default list also has CBC suites, and MicroPython peers may
   * be limited to one (MicroPython's own tests do this); tlswrap's default
   * is AEAD only. Take the ECDHE AEAD and CBC/SHA-2 suites, AEAD first. */
  const char **names;
  size_t alloc;
  size_t k = sorted_suites(&names, &alloc, 1, tls13_on(c));
  int st = k ? tlsw_ctx_set_ciphers(tlsmp_live_ctx(c), names, k) : TLSW_OK;
  m_del(const char *, names, alloc);
  if (st != TLSW_OK) tlsmp_raise_ctx(c, st);
}

tlsw_ctx *tlsmp_live_ctx(tlsmp_ctx_t *c) {
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
               : tlsw_ctx_set_psk(tlsmp_live_ctx(c), (const uint8_t *)id,
                                  id_len, key.buf, key.len);
  if (st != TLSW_OK) tlsmp_raise_status(st, 0, tlsw_ctx_message(c->ctx));
  c->custom_ciphers = 1; /* tlswrap chose the PSK suites: keep them */
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

static void attr_load(tlsmp_ctx_t *c, qstr attr, mp_obj_t *dest) {
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
}

static void set_verify_mode(tlsmp_ctx_t *c, mp_obj_t value) {
  mp_int_t mode = mp_obj_get_int(value);
  /* mbedTLS takes any int; values other than CERT_* have no meaning,
   * so they are refused here (CPython does the same). */
  if (mode < TLSW_CERT_NONE || mode > TLSW_CERT_REQUIRED) {
    mp_raise_ValueError(MP_ERROR_TEXT("invalid verify_mode"));
  }
  if (c->ctx == NULL) mp_raise_OSError(MP_EBADF);
  int st = tlsw_ctx_set_verify_mode(c->ctx, (tlsw_verify_mode)mode);
  if (st != TLSW_OK) tlsmp_raise_ctx(c, st);
}

/* An attribute this type does not store is left alone (dest[0] stays
 * set), so MicroPython raises AttributeError. */
static void attr_store(tlsmp_ctx_t *c, qstr attr, mp_obj_t *dest) {
  if (attr == MP_QSTR_verify_mode) {
    set_verify_mode(c, dest[1]);
    dest[0] = MP_OBJ_NULL;
  } else if (attr == MP_QSTR_verify_callback) {
    if (c->ctx == NULL) mp_raise_OSError(MP_EBADF);
    int st = tlsw_ctx_set_verify_callback(
        c->ctx, dest[1] == mp_const_none ? NULL : verify_trampoline, c);
    if (st != TLSW_OK) tlsmp_raise_ctx(c, st);
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
      int st =
          tlsw_ctx_set_psk_server_callback(tlsmp_live_ctx(c), psk_lookup, c);
      if (st != TLSW_OK) tlsmp_raise_ctx(c, st);
      c->custom_ciphers = 1;
    }
    c->server_psk_keys = dest[1];
    dest[0] = MP_OBJ_NULL;
  }
}

static void tlsmp_ctx_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  if ((dest[0] == MP_OBJ_NULL || dest[1] != MP_OBJ_NULL) &&
      tlsmp_ctx_attr_extra(c, attr, dest)) {
    return;
  }
  if (dest[0] == MP_OBJ_NULL) {
    attr_load(c, attr, dest);
  } else if (dest[1] != MP_OBJ_NULL) {
    attr_store(c, attr, dest);
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
static size_t sorted_suites(const char ***out, size_t *alloc, int defaults_only,
                            int tls13) {
  size_t n = 0;
  tlsw_available_ciphers(NULL, 0, &n);
  const char **names = m_new(const char *, n ? n : 1);
  tlsw_available_ciphers(names, n, &n);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (tlsw_mp_cipher_allowed(names[i], tls13) &&
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
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  /* Like mbedTLS: every suite the library offers (not just the enabled
   * ones), strongest first, in mbedTLS's names. */
  const char **names;
  size_t alloc;
  size_t k = sorted_suites(&names, &alloc, 0, tls13_on(c));
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

static mp_obj_t tlsmp_ctx_set_ciphers(mp_obj_t self_in, mp_obj_t list_in) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  size_t len;
  mp_obj_t *items;
  mp_obj_get_array(list_in, &len, &items); /* TypeError unless list/tuple */
  if (len == 0) tlsmp_raise_bad_config();
  /* Both mbedTLS ("TLS-ECDHE-...", "TLS1-3-...") and IANA names work. */
  enum { NAME_MAX_LEN = 96 };
  char *iana = m_new(char, len *NAME_MAX_LEN);
  const char **ptrs = m_new(const char *, len);
  for (size_t i = 0; i < len; i++) {
    const char *name = mp_obj_str_get_str(items[i]);
    char *dst = iana + i * NAME_MAX_LEN;
    if (tlsw_mp_cipher_to_iana(name, dst, NAME_MAX_LEN) != 0 ||
        !tlsw_mp_cipher_allowed(dst, tls13_on(c))) {
      tlsmp_raise_bad_config();
    }
    ptrs[i] = dst;
  }
  int st = tlsw_ctx_set_ciphers(tlsmp_live_ctx(c), ptrs, len);
  if (st == TLSW_OK) c->custom_ciphers = 1;
  m_del(const char *, ptrs, len);
  m_del(char, iana, len *NAME_MAX_LEN);
  if (st == TLSW_ERR_CIPHER || st == TLSW_ERR_ARG) tlsmp_raise_bad_config();
  if (st != TLSW_OK) tlsmp_raise_ctx(c, st);
  return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(tlsmp_ctx_set_ciphers_obj,
                                 tlsmp_ctx_set_ciphers);

static mp_obj_t tlsmp_ctx_load_cert_chain(mp_obj_t self_in, mp_obj_t cert_in,
                                          mp_obj_t key_in) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  tlsw_ctx *ctx = tlsmp_live_ctx(c);
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
  if (st != TLSW_OK) tlsmp_raise_ctx(c, st);
  return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(tlsmp_ctx_load_cert_chain_obj,
                                 tlsmp_ctx_load_cert_chain);

static mp_obj_t tlsmp_ctx_load_verify_locations(mp_obj_t self_in,
                                                mp_obj_t cadata) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  size_t len;
  const char *data = mp_obj_str_get_data(cadata, &len);
  int st =
      tlsw_ctx_load_verify_mem(tlsmp_live_ctx(c), (const uint8_t *)data, len);
  if (st == TLSW_ERR_CERT_INVALID || st == TLSW_ERR_ARG ||
      st == TLSW_ERR_CERT_WEAK_KEY) {
    mp_raise_ValueError(MP_ERROR_TEXT("invalid cert"));
  }
  if (st != TLSW_OK) tlsmp_raise_ctx(c, st);
  return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(tlsmp_ctx_load_verify_locations_obj,
                                 tlsmp_ctx_load_verify_locations);

static mp_obj_t tlsmp_ctx_wrap_socket(size_t n_args, const mp_obj_t *pos_args,
                                      mp_map_t *kw_args) {
  enum {
    ARG_server_side,
    ARG_do_handshake,
    ARG_server_hostname,
    ARG_client_id,
    ARG_session
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
      {MP_QSTR_session,
       MP_ARG_KW_ONLY | MP_ARG_OBJ,
       {.u_rom_obj = MP_ROM_NONE}},
  };
  mp_arg_val_t args[MP_ARRAY_SIZE(allowed)];
  mp_arg_parse_all(n_args - 2, pos_args + 2, kw_args, MP_ARRAY_SIZE(allowed),
                   allowed, args);
  return tlsmp_sock_new(
      MP_OBJ_TO_PTR(pos_args[0]), pos_args[1], args[ARG_server_side].u_bool,
      args[ARG_do_handshake].u_bool, args[ARG_server_hostname].u_obj,
      args[ARG_client_id].u_obj, args[ARG_session].u_obj);
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
    {MP_ROM_QSTR(MP_QSTR_set_alpn_protocols),
     MP_ROM_PTR(&tlsmp_ctx_set_alpn_protocols_obj)},
    {MP_ROM_QSTR(MP_QSTR_set_groups), MP_ROM_PTR(&tlsmp_ctx_set_groups_obj)},
    {MP_ROM_QSTR(MP_QSTR_load_crl), MP_ROM_PTR(&tlsmp_ctx_load_crl_obj)},
    {MP_ROM_QSTR(MP_QSTR_add_server_name),
     MP_ROM_PTR(&tlsmp_ctx_add_server_name_obj)},
};
static MP_DEFINE_CONST_DICT(tlsmp_ctx_locals, tlsmp_ctx_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(tlsmp_ctx_type, MP_QSTR_SSLContext, MP_TYPE_FLAG_NONE,
                         make_new, tlsmp_ctx_make_new, attr, tlsmp_ctx_attr,
                         locals_dict, &tlsmp_ctx_locals);

#endif
