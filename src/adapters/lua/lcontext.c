/*
 * tlswrap.SSLContext for Lua: a userdata owning one tlsw_ctx reference.
 *
 * Conventions (LuaSec's, and Lua's io library's): a wrong argument type or
 * value raises; a failure of the operation itself (file missing, bad
 * certificate, wrong password, unknown cipher) returns nil, message, so
 * callers write assert(ctx:load_cert_chain(...)).
 */
#include <stdlib.h>
#include <string.h>

#include "ltlswrap.h"

ltls_ctx *ltls_check_ctx(lua_State *L, int idx) {
  ltls_ctx *c = luaL_checkudata(L, idx, LTLS_CTX_MT);
  if (c->ctx == NULL) luaL_argerror(L, idx, "the SSLContext was finalized");
  return c;
}

int ltls_ctx_result(lua_State *L, ltls_ctx *c, int st) {
  if (st == TLSW_OK) {
    lua_pushboolean(L, 1);
    return 1;
  }
  const char *m = tlsw_ctx_message(c->ctx);
  lua_pushnil(L);
  lua_pushstring(L, (m != NULL && m[0] != '\0') ? m : tlsw_strerror(st));
  return 2;
}

int ltls_ctx_new(lua_State *L) {
  lua_Integer p = luaL_checkinteger(L, 1);
  luaL_argcheck(L,
                p >= TLSW_PROTOCOL_TLS_CLIENT && p <= TLSW_PROTOCOL_DTLS_SERVER,
                1, "expected one of tlswrap.PROTOCOL_*");
  /* Uservalues: 1 the verify_callback, 2 the msg callback. */
  ltls_ctx *c = lua_newuserdatauv(L, sizeof *c, 2);
  c->ctx = NULL;
  c->L = NULL;
  c->conn_idx = 0;
  c->min_v = c->max_v = 0;
  luaL_setmetatable(L, LTLS_CTX_MT);
  int st = tlsw_ctx_new(&c->ctx, (tlsw_protocol)p);
  if (st != TLSW_OK) {
    return luaL_error(L, "SSLContext: %s", tlsw_strerror(st));
  }
  /* For conn:getpeerchain(), as LuaSec has it without asking: a Lua host
   * can spare the 1-3 KB a session holds (where the backend can keep it). */
  (void)tlsw_ctx_set_keep_peer_chain(c->ctx, 1);
  return 1;
}

static int ctx_gc(lua_State *L) {
  ltls_ctx *c = luaL_checkudata(L, 1, LTLS_CTX_MT);
  /* Sessions hold their own references: the tlsw_ctx lives on until the
   * last connection made from it is freed. */
  tlsw_ctx_free(c->ctx);
  c->ctx = NULL;
  return 0;
}

static int ctx_tostring(lua_State *L) {
  ltls_ctx *c = luaL_checkudata(L, 1, LTLS_CTX_MT);
  lua_pushfstring(L, "<SSLContext %p>", (void *)c);
  return 1;
}

/*
 * A certificate or key argument is data rather than a path when it starts
 * (after white space) with "-----BEGIN", or when it cannot be a path: it
 * holds a NUL byte, or starts like DER (0x30 then a long-form length byte
 * 0x81..0x84, which is never valid UTF-8 text).
 */
static int is_data(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && strchr(" \t\r\n", s[i]) != NULL) i++;
  if (n - i >= 10 && memcmp(s + i, "-----BEGIN", 10) == 0) return 1;
  if (memchr(s, '\0', n) != NULL) return 1;
  return n >= 2 && (unsigned char)s[0] == 0x30 && (unsigned char)s[1] >= 0x81 &&
         (unsigned char)s[1] <= 0x84;
}

/* Whole file into a Lua string on the stack, or nil, message. */
static int push_file(lua_State *L, const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "cannot open %s", path);
    return 0;
  }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  size_t n;
  do {
    char *p = luaL_prepbuffer(&b);
    n = fread(p, 1, LUAL_BUFFERSIZE, f);
    luaL_addsize(&b, n);
  } while (n == LUAL_BUFFERSIZE);
  int bad = ferror(f);
  fclose(f);
  luaL_pushresult(&b);
  if (bad) {
    lua_pop(L, 1);
    lua_pushnil(L);
    lua_pushfstring(L, "cannot read %s", path);
    return 0;
  }
  return 1;
}

/* ctx:load_cert_chain(cert [, key [, password]]) */
static int ctx_load_cert_chain(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  size_t cn = 0, kn = 0;
  const char *cert = luaL_checklstring(L, 2, &cn);
  const char *key = luaL_optlstring(L, 3, NULL, &kn);
  const char *pw = luaL_optstring(L, 4, NULL);
  int cdata = is_data(cert, cn), kdata = key != NULL && is_data(key, kn);
  if (!cdata && (key == NULL || !kdata)) {
    return ltls_ctx_result(
        L, c, tlsw_ctx_load_cert_chain_file(c->ctx, cert, key, pw));
  }
  if (key == NULL) {
    return luaL_argerror(L, 3, "a key is required when cert is data");
  }
  /* Mixed path and data: read the path here, then load both as data. */
  if (!cdata) {
    if (!push_file(L, cert)) return 2;
    cert = lua_tolstring(L, -1, &cn);
  }
  if (!kdata) {
    if (!push_file(L, key)) return 2;
    key = lua_tolstring(L, -1, &kn);
  }
  return ltls_ctx_result(
      L, c,
      tlsw_ctx_load_cert_chain(c->ctx, (const uint8_t *)cert, cn,
                               (const uint8_t *)key, kn, pw));
}

/* ctx:load_verify_locations{cafile=, capath=, cadata=} or (cafile) */
static int ctx_load_verify_locations(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  const char *file = NULL, *path = NULL, *data = NULL;
  size_t dn = 0;
  if (lua_type(L, 2) == LUA_TSTRING) {
    file = lua_tostring(L, 2);
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_getfield(L, 2, "cafile");
    lua_getfield(L, 2, "capath");
    lua_getfield(L, 2, "cadata");
    file = lua_isnil(L, -3) ? NULL : luaL_checkstring(L, -3);
    path = lua_isnil(L, -2) ? NULL : luaL_checkstring(L, -2);
    data = lua_isnil(L, -1) ? NULL : luaL_checklstring(L, -1, &dn);
    if (file == NULL && path == NULL && data == NULL) {
      return luaL_argerror(L, 2, "give at least one of cafile, capath, cadata");
    }
  }
  int st = TLSW_OK;
  if (file != NULL) st = tlsw_ctx_load_verify_file(c->ctx, file);
  if (st == TLSW_OK && path != NULL)
    st = tlsw_ctx_load_verify_dir(c->ctx, path);
  if (st == TLSW_OK && data != NULL) {
    st = tlsw_ctx_load_verify_mem(c->ctx, (const uint8_t *)data, dn);
  }
  return ltls_ctx_result(L, c, st);
}

static int ctx_load_default_certs(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  return ltls_ctx_result(L, c, tlsw_ctx_load_default_certs(c->ctx));
}

static int ctx_get_ciphers(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  size_t n = 0;
  tlsw_ctx_get_ciphers(c->ctx, NULL, 0, &n);
  const char **names = lua_newuserdatauv(L, (n ? n : 1) * sizeof *names, 0);
  size_t got = 0;
  tlsw_ctx_get_ciphers(c->ctx, names, n, &got);
  if (got > n) got = n;
  lua_createtable(L, (int)got, 0);
  for (size_t i = 0; i < got; i++) {
    lua_pushstring(L, names[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* ctx:set_ciphers{"TLS_AES_128_GCM_SHA256", ...} or ("A:B") */
static int ctx_set_ciphers(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  if (lua_type(L, 2) == LUA_TSTRING) {
    luaL_argcheck(L, lua_rawlen(L, 2) > 0, 2, "empty cipher list");
    return ltls_ctx_result(
        L, c, tlsw_ctx_set_cipher_string(c->ctx, lua_tostring(L, 2)));
  }
  luaL_checktype(L, 2, LUA_TTABLE);
  size_t n = (size_t)lua_rawlen(L, 2);
  luaL_argcheck(L, n > 0, 2, "empty cipher list");
  const char **names = lua_newuserdatauv(L, n * sizeof *names, 0);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, 2, (lua_Integer)i + 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      return luaL_argerror(L, 2, "cipher names must be strings");
    }
    /* The table keeps the string alive until the call returns. */
    names[i] = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  return ltls_ctx_result(L, c, tlsw_ctx_set_ciphers(c->ctx, names, n));
}

/* ctx:set_alpn_protocols{"h2", "http/1.1"} (CPython's name and shape): the
 * names are joined with commas for tlsw_ctx_set_alpn(), so a name holding
 * a comma is refused here rather than split there. */
static int ctx_set_alpn_protocols(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  size_t n = (size_t)lua_rawlen(L, 2);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, 2, (lua_Integer)i + 1);
    size_t len;
    const char *p = lua_tolstring(L, -1, &len);
    if (lua_type(L, -1) != LUA_TSTRING || len == 0 || memchr(p, ',', len)) {
      return luaL_argerror(L, 2,
                           "protocol names must be non-empty strings "
                           "without commas");
    }
    lua_pop(L, 1);
    if (i > 0) luaL_addchar(&b, ',');
    luaL_addlstring(&b, p, len);
  }
  luaL_pushresult(&b);
  return ltls_ctx_result(L, c, tlsw_ctx_set_alpn(c->ctx, lua_tostring(L, -1)));
}

/* Protected part of the verify callback: fn(der, depth, preverify_ok). */
static int call_verify(lua_State *L) {
  /* 1: function, 2: der (light), 3: length, 4: depth, 5: preverify_ok */
  const char *der = lua_touserdata(L, 2);
  lua_Integer n = lua_tointeger(L, 3);
  lua_pushvalue(L, 1);
  lua_pushlstring(L, der, (size_t)n);
  lua_pushvalue(L, 4);
  lua_pushboolean(L, lua_toboolean(L, 5));
  lua_call(L, 3, 1);
  return 1;
}

/* Runs inside a handshake, on the connection's state (ltls_enter). An
 * error, or any result but true or 0, rejects: a callback that forgets to
 * answer fails closed. 0 is accepted so MicroPython-style callbacks work. */
static int verify_trampoline(void *user, const uint8_t *der, size_t der_len,
                             int depth, int preverify_ok) {
  ltls_ctx *x = user;
  lua_State *L = x->L;
  if (L == NULL || !lua_checkstack(L, 8)) return 1;
  lua_pushcfunction(L, call_verify);
  lua_getiuservalue(L, x->conn_idx, LTLS_UV_CTX);
  lua_getiuservalue(L, -1, 1);
  lua_remove(L, -2);
  lua_pushlightuserdata(L, (void *)der);
  lua_pushinteger(L, (lua_Integer)der_len);
  lua_pushinteger(L, depth);
  lua_pushboolean(L, preverify_ok);
  int reject = 1;
  int idx = x->conn_idx; /* a handshake inside the callback rebinds these */
  int ok = lua_pcall(L, 5, 1, 0) == LUA_OK;
  x->L = L;
  x->conn_idx = idx;
  if (ok) {
    reject = !((lua_isboolean(L, -1) && lua_toboolean(L, -1)) ||
               (lua_isinteger(L, -1) && lua_tointeger(L, -1) == 0));
  }
  lua_pop(L, 1);
  return reject;
}

/* The message trace (tlswrap/msg.h), called inside a tlswrap call on the
 * connection's state like verify_trampoline: the Lua function gets a table
 * {sent, content_type, content, length, encrypted, datagram, handshake,
 * alert_level, alert}. Its errors are ignored: a trace must not change
 * the connection. */
static void msg_trampoline(void *user, const tlsw_msg *m) {
  ltls_ctx *x = user;
  lua_State *L = x->L;
  if (L == NULL || !lua_checkstack(L, 8)) return;
  lua_getiuservalue(L, x->conn_idx, LTLS_UV_CTX);
  lua_getiuservalue(L, -1, 2);
  lua_remove(L, -2);
  if (!lua_isfunction(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  lua_createtable(L, 0, 9);
  lua_pushboolean(L, m->sent);
  lua_setfield(L, -2, "sent");
  lua_pushboolean(L, m->datagram);
  lua_setfield(L, -2, "datagram");
  lua_pushinteger(L, (lua_Integer)m->content_type);
  lua_setfield(L, -2, "content_type");
  lua_pushstring(L, tlsw_content_type_name(m->content_type));
  lua_setfield(L, -2, "content");
  lua_pushinteger(L, (lua_Integer)m->length);
  lua_setfield(L, -2, "length");
  lua_pushboolean(L, m->encrypted);
  lua_setfield(L, -2, "encrypted");
  if (m->handshake_type >= 0) {
    lua_pushstring(L, tlsw_handshake_type_name(m->handshake_type));
    lua_setfield(L, -2, "handshake");
  }
  if (m->alert_level >= 0) {
    lua_pushstring(L, m->alert_level == 2 ? "fatal" : "warning");
    lua_setfield(L, -2, "alert_level");
    lua_pushstring(L, tlsw_alert_name(m->alert_description));
    lua_setfield(L, -2, "alert");
  }
  int idx = x->conn_idx;
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) lua_pop(L, 1); /* the error */
  x->L = L;
  x->conn_idx = idx;
}

/* ctx:set_msg_callback(fn) or (nil): trace the connections wrapped from
 * now on (tlsw-client --msg's library side). */
static int ctx_set_msg_callback(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_settop(L, 2);
  lua_pushvalue(L, 2);
  lua_setiuservalue(L, 1, 2);
  return ltls_ctx_result(
      L, c,
      tlsw_ctx_set_msg_callback(c->ctx, lua_isnil(L, 2) ? NULL : msg_trampoline,
                                c));
}

/* ctx.minimum_version / maximum_version = "TLSv1.2" | "TLSv1.3" (CPython's
 * TLSVersion names; nil restores the default). */
static int set_version(lua_State *L, ltls_ctx *c, int is_min) {
  int v = 0;
  if (!lua_isnil(L, 3)) {
    const char *s = luaL_checkstring(L, 3);
    if (strcmp(s, "TLSv1.2") == 0) {
      v = TLSW_VERSION_TLS1_2;
    } else if (strcmp(s, "TLSv1.3") == 0) {
      v = TLSW_VERSION_TLS1_3;
    } else {
      return luaL_argerror(L, 3, "expected \"TLSv1.2\" or \"TLSv1.3\"");
    }
  }
  int min = is_min ? v : c->min_v, max = is_min ? c->max_v : v;
  if (tlsw_ctx_set_version_range(c->ctx, (tlsw_tls_version)min,
                                 (tlsw_tls_version)max) != TLSW_OK) {
    return luaL_error(L, "%s: %s",
                      is_min ? "minimum_version" : "maximum_version",
                      tlsw_ctx_message(c->ctx));
  }
  if (is_min) {
    c->min_v = v;
  } else {
    c->max_v = v;
  }
  return 0;
}

static int ctx_index(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "verify_mode") == 0) {
    lua_pushinteger(L, tlsw_ctx_get_verify_mode(c->ctx));
    return 1;
  }
  if (strcmp(k, "protocol") == 0) {
    lua_pushinteger(L, tlsw_ctx_protocol(c->ctx));
    return 1;
  }
  if (strcmp(k, "verify_callback") == 0) {
    lua_getiuservalue(L, 1, 1);
    return 1;
  }
  if (strcmp(k, "minimum_version") == 0) {
    lua_pushstring(L, c->min_v == TLSW_VERSION_TLS1_3 ? "TLSv1.3" : "TLSv1.2");
    return 1;
  }
  if (strcmp(k, "maximum_version") == 0) {
    lua_pushstring(L, c->max_v == TLSW_VERSION_TLS1_2 ? "TLSv1.2" : "TLSv1.3");
    return 1;
  }
  luaL_getmetafield(L, 1, "methods");
  lua_getfield(L, -1, k);
  return 1;
}

static int ctx_newindex(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "verify_callback") == 0) {
    if (!lua_isnil(L, 3)) luaL_checktype(L, 3, LUA_TFUNCTION);
    int st = tlsw_ctx_set_verify_callback(
        c->ctx, lua_isnil(L, 3) ? NULL : verify_trampoline, c);
    if (st != TLSW_OK) {
      return luaL_error(L, "verify_callback: %s", tlsw_ctx_message(c->ctx));
    }
    lua_settop(L, 3);
    lua_setiuservalue(L, 1, 1);
    return 0;
  }
  if (strcmp(k, "minimum_version") == 0 || strcmp(k, "maximum_version") == 0) {
    return set_version(L, c, k[1] == 'i');
  }
  if (strcmp(k, "verify_mode") != 0) {
    return luaL_error(L, "SSLContext has no writable field '%s'", k);
  }
  lua_Integer m = luaL_checkinteger(L, 3);
  luaL_argcheck(L, m >= TLSW_CERT_NONE && m <= TLSW_CERT_REQUIRED, 3,
                "expected tlswrap.CERT_NONE, CERT_OPTIONAL or CERT_REQUIRED");
  if (tlsw_ctx_set_verify_mode(c->ctx, (tlsw_verify_mode)m) != TLSW_OK) {
    return luaL_error(L, "verify_mode: %s", tlsw_ctx_message(c->ctx));
  }
  return 0;
}

void ltls_ctx_register(lua_State *L) {
  static const luaL_Reg methods[] = {
      {"load_cert_chain", ctx_load_cert_chain},
      {"load_verify_locations", ctx_load_verify_locations},
      {"load_default_certs", ctx_load_default_certs},
      {"get_ciphers", ctx_get_ciphers},
      {"set_ciphers", ctx_set_ciphers},
      {"set_alpn_protocols", ctx_set_alpn_protocols},
      {"set_groups", ltls_ctx_set_groups},
      {"load_crl", ltls_ctx_load_crl},
      {"set_ticket_keys", ltls_ctx_set_ticket_keys},
      {"add_server_name", ltls_ctx_add_server_name},
      {"set_msg_callback", ctx_set_msg_callback},
      {"wrap_socket", ltls_wrap_socket},
      {NULL, NULL}};
  static const luaL_Reg meta[] = {{"__gc", ctx_gc},
                                  {"__close", ctx_gc},
                                  {"__tostring", ctx_tostring},
                                  {"__index", ctx_index},
                                  {"__newindex", ctx_newindex},
                                  {NULL, NULL}};
  luaL_newmetatable(L, LTLS_CTX_MT);
  luaL_setfuncs(L, meta, 0);
  luaL_newlib(L, methods);
  ltls_name_methods(L, LTLS_CTX_MT);
  lua_setfield(L, -2, "methods");
  lua_pop(L, 1);
}
