/*
 * What MicroPython's mbedTLS `tls` module does not have, under CPython's
 * names where CPython has the feature: ALPN (set_alpn_protocols,
 * selected_alpn_protocol), resumption (session, session_reused,
 * wrap_socket(session=)), versions (minimum_version, maximum_version,
 * TLSVersion), groups (set_groups, group). The rest under the Lua adapter's
 * names: load_crl, add_server_name (server SNI through a second context),
 * key_update. Programs written for mbedTLS never meet them.
 */
#include "tlsmp.h"

#if TLSMP_ENABLED

#include <string.h>

#include "py/mperrno.h"
#include "py/mphal.h"
#include "py/runtime.h"

/* A usage error of an addition is a ValueError with tlswrap's words, as
 * CPython raises for a bad ALPN name or group; the rest as elsewhere. */
static MP_NORETURN void extra_fail(tlsmp_ctx_t *c, int st) {
  if (st == TLSW_ERR_ARG || st == TLSW_ERR_CERT_INVALID) {
    mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s"),
                      tlsw_ctx_message(c->ctx));
  }
  tlsmp_raise_ctx(c, st);
}

/* Names of a list or tuple of str joined by sep into an m_new buffer
 * (*alloc bytes); a name holding sep cannot be said to tlswrap. */
static char *join_names(mp_obj_t list_in, char sep, size_t *alloc) {
  size_t n;
  mp_obj_t *items;
  mp_obj_get_array(list_in, &n, &items); /* TypeError unless list/tuple */
  size_t total = 1;
  for (size_t i = 0; i < n; i++) {
    size_t len;
    const char *s = mp_obj_str_get_data(items[i], &len);
    if (len == 0 || len > 255 || memchr(s, sep, len) || strlen(s) != len) {
      mp_raise_ValueError(MP_ERROR_TEXT("invalid protocol name"));
    }
    total += len + 1;
  }
  char *out = m_new(char, total);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len;
    const char *s = mp_obj_str_get_data(items[i], &len);
    if (k) out[k++] = sep;
    memcpy(out + k, s, len);
    k += len;
  }
  out[k] = '\0';
  *alloc = total;
  return out;
}

/* ctx.set_alpn_protocols(["h2", "http/1.1"]) (CPython); [] clears. */
static mp_obj_t ctx_set_alpn_protocols(mp_obj_t self_in, mp_obj_t list_in) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  tlsw_ctx *ctx = tlsmp_live_ctx(c);
  size_t alloc;
  char *list = join_names(list_in, ',', &alloc);
  int st = tlsw_ctx_set_alpn(ctx, list);
  m_del(char, list, alloc);
  if (st == TLSW_ERR_UNSUPPORTED) {
    mp_raise_NotImplementedError(MP_ERROR_TEXT("ALPN"));
  }
  if (st != TLSW_OK) extra_fail(c, st);
  return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_2(tlsmp_ctx_set_alpn_protocols_obj,
                          ctx_set_alpn_protocols);

/* ctx.set_groups("X25519:P-256") (CPython 3.15's shape), or a list. */
static mp_obj_t ctx_set_groups(mp_obj_t self_in, mp_obj_t groups) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  tlsw_ctx *ctx = tlsmp_live_ctx(c);
  int st;
  if (mp_obj_is_str(groups)) {
    st = tlsw_ctx_set_groups(ctx, mp_obj_str_get_str(groups));
  } else {
    size_t alloc;
    char *list = join_names(groups, ':', &alloc);
    st = tlsw_ctx_set_groups(ctx, list);
    m_del(char, list, alloc);
  }
  if (st != TLSW_OK) extra_fail(c, st);
  return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_2(tlsmp_ctx_set_groups_obj, ctx_set_groups);

/* ctx.load_crl(data): PEM or DER CRLs, checked against the loaded CAs. */
static mp_obj_t ctx_load_crl(mp_obj_t self_in, mp_obj_t data_in) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  tlsw_ctx *ctx = tlsmp_live_ctx(c);
  mp_buffer_info_t data;
  mp_get_buffer_raise(data_in, &data, MP_BUFFER_READ);
  int st = tlsw_ctx_load_crl_mem(ctx, data.buf, data.len);
  if (st != TLSW_OK) extra_fail(c, st);
  return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_2(tlsmp_ctx_load_crl_obj, ctx_load_crl);

/* ctx.add_server_name("name", other_ctx): clients asking for name get
 * other_ctx's chain; tlswrap keeps its own reference on it. */
static mp_obj_t ctx_add_server_name(mp_obj_t self_in, mp_obj_t name,
                                    mp_obj_t chain_in) {
  tlsmp_ctx_t *c = MP_OBJ_TO_PTR(self_in);
  if (!mp_obj_is_type(chain_in, &tlsmp_ctx_type)) {
    mp_raise_TypeError(MP_ERROR_TEXT("expected an SSLContext"));
  }
  tlsmp_ctx_t *chain = MP_OBJ_TO_PTR(chain_in);
  int st = tlsw_ctx_add_server_name(tlsmp_live_ctx(c), mp_obj_str_get_str(name),
                                    tlsmp_live_ctx(chain));
  if (st != TLSW_OK) extra_fail(c, st);
  return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(tlsmp_ctx_add_server_name_obj, ctx_add_server_name);

/* minimum_version / maximum_version (CPython): TLSVersion values, which
 * are the wire versions tlswrap takes. TLS contexts only. */
int tlsmp_ctx_attr_extra(tlsmp_ctx_t *c, qstr attr, mp_obj_t *dest) {
  int is_min = attr == MP_QSTR_minimum_version;
  if (!is_min && attr != MP_QSTR_maximum_version) return 0;
  if (dest[0] == MP_OBJ_NULL) {
    dest[0] = MP_OBJ_NEW_SMALL_INT(is_min ? c->min_version : c->max_version);
    return 1;
  }
  mp_int_t v = mp_obj_get_int(dest[1]);
  if ((c->protocol & 2) ||
      (v != TLSW_VERSION_TLS1_2 && v != TLSW_VERSION_TLS1_3)) {
    mp_raise_ValueError(MP_ERROR_TEXT("unsupported protocol version"));
  }
  int lo = is_min ? (int)v : c->min_version;
  int hi = is_min ? c->max_version : (int)v;
  int st = tlsw_ctx_set_version_range(tlsmp_live_ctx(c), (tlsw_tls_version)lo,
                                      (tlsw_tls_version)hi);
  if (st != TLSW_OK) extra_fail(c, st);
  int suites_change = hi != c->max_version && !c->custom_ciphers;
  c->min_version = lo;
  c->max_version = hi;
  /* The default suites follow the range: TLS 1.3's come and go with it. */
  if (suites_change) tlsmp_ctx_default_ciphers(c);
  dest[0] = MP_OBJ_NULL;
  return 1;
}

static mp_obj_t sock_str_or_none(const char *s) {
  return s ? mp_obj_new_str_from_cstr(s) : mp_const_none;
}

static mp_obj_t sock_selected_alpn_protocol(mp_obj_t self_in) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  return sock_str_or_none(o->sess ? tlsw_session_alpn(o->sess) : NULL);
}
MP_DEFINE_CONST_FUN_OBJ_1(tlsmp_sock_selected_alpn_protocol_obj,
                          sock_selected_alpn_protocol);

static mp_obj_t sock_group(mp_obj_t self_in) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  return sock_str_or_none(o->sess ? tlsw_session_group(o->sess) : NULL);
}
MP_DEFINE_CONST_FUN_OBJ_1(tlsmp_sock_group_obj, sock_group);

/* sock.key_update(): a TLS 1.3 KeyUpdate, blocking like the handshake. */
static mp_obj_t sock_key_update(mp_obj_t self_in) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  if (o->sess == NULL) mp_raise_OSError(MP_EBADF);
  int st;
  while ((st = tlsw_session_key_update(o->sess)) == TLSW_WANT_WRITE ||
         st == TLSW_WANT_READ) {
    mp_event_wait_ms(1);
  }
  if (st != TLSW_OK) {
    tlsmp_raise_status(st, o->io_errno, tlsw_session_message(o->sess));
  }
  return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_1(tlsmp_sock_key_update_obj, sock_key_update);

/* sock.session: the saved state as bytes, for wrap_socket(session=) here
 * or in a later process (CPython gives an SSLSession object; bytes can be
 * kept across a deep sleep). None while there is none to save. */
static mp_obj_t sock_session(tlsmp_sock_t *o) {
  size_t len = 0;
  if (o->sess == NULL ||
      tlsw_session_save(o->sess, NULL, 0, &len) != TLSW_ERR_TOO_BIG) {
    return mp_const_none;
  }
  vstr_t v;
  vstr_init_len(&v, len);
  if (tlsw_session_save(o->sess, (uint8_t *)v.buf, len, &len) != TLSW_OK) {
    vstr_clear(&v);
    return mp_const_none;
  }
  v.len = len;
  return mp_obj_new_bytes_from_vstr(&v);
}

/* Read-only attributes of SSLSocket; others go on to its locals_dict. */
void tlsmp_sock_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  if (dest[0] != MP_OBJ_NULL) return; /* no stores */
  if (attr == MP_QSTR_session) {
    dest[0] = sock_session(o);
  } else if (attr == MP_QSTR_session_reused) {
    dest[0] = mp_obj_new_bool(o->sess && tlsw_session_resumed(o->sess));
  } else if (attr == MP_QSTR_server_hostname) {
    dest[0] =
        sock_str_or_none(o->sess ? tlsw_session_server_name(o->sess) : NULL);
  } else {
    dest[1] = MP_OBJ_SENTINEL;
  }
}

static const mp_rom_map_elem_t tlsmp_version_locals_table[] = {
    {MP_ROM_QSTR(MP_QSTR_TLSv1_2), MP_ROM_INT(TLSW_VERSION_TLS1_2)},
    {MP_ROM_QSTR(MP_QSTR_TLSv1_3), MP_ROM_INT(TLSW_VERSION_TLS1_3)},
};
static MP_DEFINE_CONST_DICT(tlsmp_version_locals, tlsmp_version_locals_table);

/* tls.TLSVersion.TLSv1_2 / TLSv1_3, CPython's values (0x0303, 0x0304). */
MP_DEFINE_CONST_OBJ_TYPE(tlsmp_version_type, MP_QSTR_TLSVersion,
                         MP_TYPE_FLAG_NONE, locals_dict, &tlsmp_version_locals);

#endif
