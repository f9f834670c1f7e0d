/*
 * Resumption from Lua, with CPython's names: conn:session() gives the
 * saved session as a string, ctx:wrap_socket(sock, {session = s}) offers
 * it again, conn:session_reused() says whether the server took it.
 */
#include <stdlib.h>

#include "ltlswrap.h"

/* conn:session() -> bytes | nil, message */
int ltls_conn_session(lua_State *L) {
  ltls_conn *c = ltls_enter(L);
  if (c->s == NULL) {
    lua_pushnil(L);
    lua_pushliteral(L, "closed");
    return 2;
  }
  size_t len = 0;
  int st = tlsw_session_save(c->s, NULL, 0, &len);
  if (st == TLSW_ERR_TOO_BIG) {
    luaL_Buffer b;
    unsigned char *p = (unsigned char *)luaL_buffinitsize(L, &b, len);
    st = tlsw_session_save(c->s, p, len, &len);
    if (st == TLSW_OK) {
      luaL_pushresultsize(&b, len);
      return 1;
    }
  }
  lua_pushnil(L);
  lua_pushstring(L, tlsw_session_message(c->s));
  return 2;
}

/* conn:session_reused() -> boolean */
int ltls_conn_session_reused(lua_State *L) {
  ltls_conn *c = ltls_enter(L);
  lua_pushboolean(L, c->s != NULL && tlsw_session_resumed(c->s));
  return 1;
}
