/*
 * The newer context and connection settings from Lua, each one call over
 * the public API: ctx:set_groups("X25519:P-256"), ctx:load_crl(path or
 * {cadata-like data=...}), ctx:set_ticket_keys(secret[, previous]),
 * ctx:add_server_name(name, other_ctx) (server SNI), and
 * conn:key_update(). Settings answer true or nil, message, as the other
 * setters do; argument errors raise.
 */
#include <string.h>

#include "ltlswrap.h"

/* ctx:set_groups("X25519:P-256") | ctx:set_groups(nil): the default */
int ltls_ctx_set_groups(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  const char *list = luaL_optstring(L, 2, NULL);
  return ltls_ctx_result(L, c, tlsw_ctx_set_groups(c->ctx, list));
}

/* ctx:load_crl("crl.pem") | ctx:load_crl{data = pem_or_der} */
int ltls_ctx_load_crl(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  if (lua_type(L, 2) == LUA_TSTRING) {
    return ltls_ctx_result(L, c,
                           tlsw_ctx_load_crl_file(c->ctx, lua_tostring(L, 2)));
  }
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_getfield(L, 2, "data");
  size_t n = 0;
  const char *d = luaL_checklstring(L, -1, &n);
  return ltls_ctx_result(L, c,
                         tlsw_ctx_load_crl_mem(c->ctx, (const uint8_t *)d, n));
}

/* ctx:set_ticket_keys(secret [, previous]) */
int ltls_ctx_set_ticket_keys(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  size_t n = 0, m = 0;
  const char *cur = luaL_checklstring(L, 2, &n);
  const char *prev = luaL_optlstring(L, 3, NULL, &m);
  luaL_argcheck(L, prev == NULL || m == n, 3,
                "the previous secret must be as long as the current one");
  return ltls_ctx_result(L, c,
                         tlsw_ctx_set_ticket_keys(c->ctx, (const uint8_t *)cur,
                                                  (const uint8_t *)prev, n));
}

/* ctx:add_server_name(name, other_ctx): the library keeps other_ctx's
 * chain alive itself (it takes a reference), so the Lua object may go. */
int ltls_ctx_add_server_name(lua_State *L) {
  ltls_ctx *c = ltls_check_ctx(L, 1);
  const char *name = luaL_checkstring(L, 2);
  ltls_ctx *other = ltls_check_ctx(L, 3);
  return ltls_ctx_result(L, c,
                         tlsw_ctx_add_server_name(c->ctx, name, other->ctx));
}

/* conn:key_update() -> true | nil, message */
int ltls_conn_key_update(lua_State *L) {
  ltls_conn *c = ltls_enter(L);
  if (c->s == NULL) {
    lua_pushnil(L);
    lua_pushliteral(L, "closed");
    return 2;
  }
  int st = tlsw_session_key_update(c->s);
  if (st == TLSW_OK) {
    lua_pushboolean(L, 1);
    return 1;
  }
  ltls_push_error(L, c, st);
  lua_pushnil(L);
  lua_insert(L, -2);
  return 2;
}
