/*
 * luaopen_tlswrap: the Lua 5.4 module. The surface mirrors MicroPython's
 * ssl module (SSLContext, wrap_socket, PROTOCOL_*, CERT_*) with LuaSec's
 * conventions for results and errors; see docs/lua.md.
 */
#include "ltlswrap.h"

#if defined(__GNUC__)
#define LTLS_EXPORT __attribute__((visibility("default")))
#else
#define LTLS_EXPORT
#endif

LTLS_EXPORT int luaopen_tlswrap(lua_State *L);

static void set_int(lua_State *L, const char *name, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, name);
}

void ltls_name_methods(lua_State *L, const char *name) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

int luaopen_tlswrap(lua_State *L) {
  if (tlsw_init() != TLSW_OK) {
    return luaL_error(L, "tlswrap: the TLS backend failed to initialise");
  }
  ltls_ctx_register(L);
  ltls_conn_register(L);
  ltls_cert_register(L);
  static const luaL_Reg funcs[] = {{"SSLContext", ltls_ctx_new}, {NULL, NULL}};
  luaL_newlib(L, funcs);
  set_int(L, "PROTOCOL_TLS_CLIENT", TLSW_PROTOCOL_TLS_CLIENT);
  set_int(L, "PROTOCOL_TLS_SERVER", TLSW_PROTOCOL_TLS_SERVER);
  set_int(L, "PROTOCOL_DTLS_CLIENT", TLSW_PROTOCOL_DTLS_CLIENT);
  set_int(L, "PROTOCOL_DTLS_SERVER", TLSW_PROTOCOL_DTLS_SERVER);
  set_int(L, "CERT_NONE", TLSW_CERT_NONE);
  set_int(L, "CERT_OPTIONAL", TLSW_CERT_OPTIONAL);
  set_int(L, "CERT_REQUIRED", TLSW_CERT_REQUIRED);
  unsigned f = tlsw_backend_features();
  lua_pushboolean(L, (f & TLSW_FEATURE_DTLS) != 0);
  lua_setfield(L, -2, "HAS_DTLS");
  lua_pushboolean(L, (f & TLSW_FEATURE_TLS13) != 0);
  lua_setfield(L, -2, "HAS_TLSv1_3");
  lua_pushboolean(L, (f & TLSW_FEATURE_ALPN) != 0);
  lua_setfield(L, -2, "HAS_ALPN");
  lua_pushstring(L, tlsw_version_string());
  lua_setfield(L, -2, "_VERSION");
  return 1;
}
