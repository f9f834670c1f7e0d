/*
 * tlswrap.SSLSocket for Lua: one tlsw_session over a LuaSocket object or a
 * send/receive object, with LuaSec's calling conventions:
 *   nil, "wantread" / nil, "wantwrite"  would block (timeout 0 or expired)
 *   nil, "closed"                       peer sent close_notify, or closed
 *   nil, message                        anything else (tlswrap's sentence)
 * Usage errors raise.
 */
#include <string.h>

#include "ltlswrap.h"
#include "tlswrap/dtls.h"

/* The LuaSocket object still owns the descriptor we use. The descriptor
 * stays with the LuaSocket object (unlike LuaSec, which takes it), so if
 * the program closed that object, the number may already name another
 * file: never touch it again. */
static int fd_still_ours(lua_State *L, ltls_conn *c) {
  lua_getiuservalue(L, 1, LTLS_UV_SOCK);
  lua_getfield(L, -1, "getfd");
  lua_pushvalue(L, -2);
  lua_call(L, 1, 1);
  int isnum = 0;
  lua_Number fd = lua_tonumberx(L, -1, &isnum);
  lua_pop(L, 2);
  return isnum && fd == (lua_Number)c->fd;
}

/* Bind the running state to the connection at argument 1, so object
 * transport callbacks call into the right coroutine. */
ltls_conn *ltls_enter(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  if (c->busy) {
    luaL_error(L, "SSLSocket used from inside its own transport callback");
  }
  if (c->use_fd && c->s != NULL && !fd_still_ours(L, c)) {
    tlsw_session_free(c->s); /* the connection reads as "closed" now */
    c->s = NULL;
  }
  c->L = L;
  c->self = 1;
  c->x->L = L; /* for verify_callback */
  c->x->conn_idx = 1;
  /* ioerr is kept: transport failures are sticky, and later calls repeat
   * the first one's words. */
  return c;
}

void ltls_push_error(lua_State *L, ltls_conn *c, int st) {
  switch (st) {
    case TLSW_WANT_READ: lua_pushliteral(L, "wantread"); return;
    case TLSW_WANT_WRITE: lua_pushliteral(L, "wantwrite"); return;
    case TLSW_CLOSED:
    case TLSW_ERR_SHUT: lua_pushliteral(L, "closed"); return;
    case TLSW_HELLO_VERIFY: lua_pushliteral(L, "Hello Verify Required"); return;
    default: break;
  }
  /* An object transport's own words beat "transport error". */
  if (c->ioerr[0] != '\0' && tlsw_status_category(st) == TLSW_CAT_IO) {
    lua_pushstring(L, c->ioerr);
    return;
  }
  const char *m = c->s ? tlsw_session_message(c->s) : "";
  lua_pushstring(L, m[0] != '\0' ? m : tlsw_strerror(st));
}

int ltls_dropped_retry(const ltls_conn *c, int st) {
  /* The session's own status, not the status alone: a fresh DTLS server
   * session is ended by the junk (sticky, like a HelloVerifyRequest), and
   * retrying it would spin (see tlswrap/status.h). */
  return st == TLSW_ERR_DATAGRAM_DROPPED &&
         tlsw_session_status(c->s) == TLSW_OK;
}

/* Run the handshake to completion, waiting as the timeout allows. */
static int run_handshake(ltls_conn *c) {
  double deadline = ltls_deadline(c);
  int st;
  c->busy = 1;
  for (;;) {
    ltls_dtls_tick(c);
    st = tlsw_handshake(c->s);
    if (ltls_dropped_retry(c, st)) continue;
    if ((st != TLSW_WANT_READ && st != TLSW_WANT_WRITE) ||
        !ltls_wait(c, deadline)) {
      break;
    }
  }
  c->busy = 0;
  return st;
}

static int conn_dohandshake(lua_State *L) {
  ltls_conn *c = ltls_enter(L);
  if (c->s == NULL) {
    lua_pushnil(L);
    lua_pushliteral(L, "closed");
    return 2;
  }
  int st = run_handshake(c);
  if (st == TLSW_OK) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  ltls_push_error(L, c, st);
  return 2;
}

/* wrap_socket()'s option table (stack index 3, or nil) as tlswrap options.
 * The strings stay on the stack (they are popped by the caller's return)
 * while tlsw_wrap() copies them. */
typedef struct wrap_args {
  tlsw_wrap_opts o;
  int hs_now;
  double timeout;
} wrap_args;

static void opt_string(lua_State *L, const char *key, const char **out,
                       size_t *len) {
  if (lua_getfield(L, 3, key) == LUA_TNIL) return;
  if (lua_type(L, -1) != LUA_TSTRING) {
    lua_pushfstring(L, "%s must be a string", key);
    luaL_argerror(L, 3, lua_tostring(L, -1));
  }
  *out = lua_tolstring(L, -1, len);
}

static wrap_args wrap_options(lua_State *L) {
  tlsw_wrap_opts init = TLSW_WRAP_OPTS_INIT;
  wrap_args a;
  a.o = init;
  a.o.do_handshake_on_connect = 0; /* run by the caller, with waiting */
  a.hs_now = 1;
  a.timeout = -1;
  if (lua_isnil(L, 3)) return a;
  lua_getfield(L, 3, "server_side");
  if (!lua_isnil(L, -1)) a.o.server_side = lua_toboolean(L, -1);
  lua_getfield(L, 3, "do_handshake_on_connect");
  if (!lua_isnil(L, -1)) a.hs_now = lua_toboolean(L, -1);
  opt_string(L, "server_hostname", &a.o.server_hostname, NULL);
  const char *id = NULL;
  opt_string(L, "client_id", &id, &a.o.client_id_len);
  if (id != NULL) a.o.client_id = (const uint8_t *)id;
  const char *sess = NULL;
  opt_string(L, "session", &sess, &a.o.session_len);
  if (sess != NULL) a.o.session = (const uint8_t *)sess;
  if (lua_getfield(L, 3, "timeout") != LUA_TNIL) {
    if (!lua_isnumber(L, -1)) {
      luaL_argerror(L, 3, "timeout must be a number");
    }
    a.timeout = lua_tonumber(L, -1);
  }
  return a;
}

/* The connection userdata, pushed, tied to its context (arg 1) and
 * transport (arg 2). */
static ltls_conn *conn_push(lua_State *L, ltls_ctx *x, double timeout,
                            int dtls) {
  ltls_conn *c = lua_newuserdatauv(L, sizeof *c, LTLS_NUV);
  memset(c, 0, sizeof *c - sizeof c->buf);
  c->timeout = timeout < 0 ? -1 : timeout;
  c->L = L;
  c->self = lua_gettop(L);
  c->x = x;
  x->L = L;
  x->conn_idx = c->self;
  luaL_setmetatable(L, LTLS_CONN_MT);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, c->self, LTLS_UV_CTX);
  lua_pushvalue(L, 2);
  lua_setiuservalue(L, c->self, LTLS_UV_SOCK);
  ltls_transport_init(L, c, 2, dtls);
  return c;
}

/* ctx:wrap_socket(sock [, {server_side=, server_hostname=,
 *                          do_handshake_on_connect=, client_id=,
 *                          session=}]) */
int ltls_wrap_socket(lua_State *L) {
  ltls_ctx *x = ltls_check_ctx(L, 1);
  luaL_checkany(L, 2);
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  int proto = tlsw_ctx_protocol(x->ctx);
  int dtls =
      proto == TLSW_PROTOCOL_DTLS_CLIENT || proto == TLSW_PROTOCOL_DTLS_SERVER;
  wrap_args a = wrap_options(L);
  ltls_conn *c = conn_push(L, x, a.timeout, dtls);
  c->busy = 1;
  int st = tlsw_wrap(x->ctx, &c->io, &a.o, &c->s);
  c->busy = 0;
  if (st == TLSW_OK && a.hs_now) st = run_handshake(c);
  if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    /* The handshake is under way but would block (timeout 0 or expired, or
     * an object transport that cannot wait): hand the connection out with
     * the reason, to be finished with dohandshake(). */
    ltls_push_error(L, c, st);
    return 2;
  }
  if (st != TLSW_OK) {
    lua_pushnil(L);
    ltls_push_error(L, c, st);
    /* A failed wrap leaves nothing to use: free the session now rather than
     * at the next collection (the transport stays the caller's). */
    tlsw_session_free(c->s);
    c->s = NULL;
    return 2;
  }
  return 1;
}

/* conn:send(data [, i [, j]]) -> last index sent | nil, err, last index */
static int conn_send(lua_State *L) {
  ltls_conn *c = ltls_enter(L);
  size_t len = 0;
  const char *data = luaL_checklstring(L, 2, &len);
  lua_Integer i = luaL_optinteger(L, 3, 1), j = luaL_optinteger(L, 4, -1);
  lua_Integer n = (lua_Integer)len;
  /* LuaSocket's (and string.sub's) index rules. */
  if (i < 0) i = n + i + 1 > 1 ? n + i + 1 : 1;
  if (i < 1) i = 1;
  if (j < 0) j = n + j + 1;
  if (j > n) j = n;
  if (c->s == NULL) {
    lua_pushnil(L);
    lua_pushliteral(L, "closed");
    lua_pushinteger(L, i - 1);
    return 3;
  }
  size_t start = (size_t)(i - 1), total = j >= i ? (size_t)(j - i + 1) : 0;
  size_t sent = 0;
  int st = TLSW_OK;
  double deadline = ltls_deadline(c);
  c->busy = 1;
  if (total == 0) st = tlsw_handshake(c->s);
  while (sent < total) {
    size_t k = 0;
    st = tlsw_write(c->s, data + start + sent, total - sent, &k);
    if (st == TLSW_OK) {
      sent += k;
      if (c->datagram) break; /* one record per send */
    } else if ((st != TLSW_WANT_READ && st != TLSW_WANT_WRITE) ||
               !ltls_wait(c, deadline)) {
      break;
    }
  }
  c->busy = 0;
  if (st == TLSW_OK) {
    lua_pushinteger(L, (lua_Integer)(start + sent));
    return 1;
  }
  lua_pushnil(L);
  ltls_push_error(L, c, st);
  lua_pushinteger(L, (lua_Integer)(start + sent));
  return 3;
}

static int call_close(lua_State *L) {
  if (lua_type(L, 1) != LUA_TTABLE && lua_type(L, 1) != LUA_TUSERDATA) {
    return 0;
  }
  lua_getfield(L, 1, "close");
  if (!lua_isfunction(L, -1)) return 0;
  lua_pushvalue(L, 1);
  lua_call(L, 1, 0);
  return 0;
}

/* Close politely (one close_notify, never waited for), free the session,
 * then close the wrapped transport as LuaSec and MicroPython do. */
static int conn_close(lua_State *L) {
  ltls_conn *c = ltls_enter(L);
  if (c->s != NULL) {
    c->busy = 1;
    if (tlsw_session_handshake_done(c->s) &&
        tlsw_session_status(c->s) == TLSW_OK) {
      (void)tlsw_shutdown(c->s);
    }
    tlsw_session_free(c->s);
    c->s = NULL;
    c->busy = 0;
    lua_pushcfunction(L, call_close);
    lua_getiuservalue(L, 1, LTLS_UV_SOCK);
    (void)lua_pcall(L, 1, 0, 0); /* its own close errors don't matter now */
    lua_settop(L, 1);
  }
  c->first = c->last = 0;
  lua_pushinteger(L, 1);
  return 1;
}

static int conn_gc(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  /* No Lua calls and no I/O from a finaliser: the transport object has its
   * own finaliser (LuaSocket closes its fd when collected). */
  tlsw_session_free(c->s);
  c->s = NULL;
  return 0;
}

static int conn_settimeout(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  lua_Number t = luaL_optnumber(L, 2, -1);
  c->timeout = t < 0 ? -1 : t;
  lua_pushinteger(L, 1);
  return 1;
}

static int conn_getpeercert(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  const uint8_t *der = NULL;
  size_t n = 0;
  if (c->s == NULL || tlsw_session_peer_cert(c->s, &der, &n) != TLSW_OK) {
    lua_pushnil(L);
    lua_pushliteral(L, "no peer certificate");
    return 2;
  }
  lua_pushlstring(L, (const char *)der, n);
  return 1;
}

static int conn_getpeerverification(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  int st = c->s ? tlsw_session_verify_result(c->s) : TLSW_ERR_STATE;
  if (st == TLSW_OK) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushboolean(L, 0);
  if (st == TLSW_ERR_STATE) {
    lua_pushliteral(L,
                    "the peer was not verified (CERT_NONE, no "
                    "certificate sent, or no handshake yet)");
  } else {
    lua_pushstring(L, tlsw_strerror(st));
  }
  return 2;
}

/* DTLS: seconds until the handshake's retransmission timer fires (0: call
 * dohandshake now), or nil when none runs. For a select() timeout. */
static int conn_dtls_timeout(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  long ms = c->s && c->datagram ? tlsw_session_dtls_timeout_ms(c->s) : -1;
  if (ms < 0) return 0;
  lua_pushnumber(L, (lua_Number)ms / 1000.0);
  return 1;
}

static int conn_cipher(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  const char *n = c->s ? tlsw_session_cipher(c->s) : NULL;
  if (n == NULL) return 0;
  lua_pushstring(L, n);
  lua_pushstring(L, tlsw_session_version(c->s));
  return 2;
}

/* conn:selected_alpn_protocol() (CPython's name): the name, or nil. */
static int conn_selected_alpn(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  const char *p = c->s ? tlsw_session_alpn(c->s) : NULL;
  if (p == NULL) return 0;
  lua_pushstring(L, p);
  return 1;
}

static int conn_version(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  const char *v = c->s ? tlsw_session_version(c->s) : NULL;
  if (v == NULL) return 0;
  lua_pushstring(L, v);
  return 1;
}

static int conn_getfd(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  if (c->s == NULL) {
    lua_pushinteger(L, -1);
    return 1;
  }
  if (c->use_fd) {
    lua_pushinteger(L, c->fd);
    return 1;
  }
  /* An object transport may have a descriptor of its own. */
  lua_getiuservalue(L, 1, LTLS_UV_SOCK);
  lua_getfield(L, -1, "getfd");
  if (!lua_isfunction(L, -1)) {
    lua_pushinteger(L, -1);
    return 1;
  }
  lua_pushvalue(L, -2);
  lua_call(L, 1, 1);
  return 1;
}

/* Bytes readable without touching the transport: socket.select() asks
 * this before waiting. */
static int conn_dirty(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  lua_pushboolean(L, c->first < c->last ||
                         (c->s != NULL && tlsw_session_pending(c->s) > 0));
  return 1;
}

static int conn_want(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  unsigned w = c->s ? tlsw_session_want(c->s) : 0;
  /* LuaSec's words. */
  lua_pushstring(L, (w & TLSW_DIR_READ)    ? "reading"
                    : (w & TLSW_DIR_WRITE) ? "writing"
                                           : "nothing");
  return 1;
}

static int conn_tostring(lua_State *L) {
  ltls_conn *c = luaL_checkudata(L, 1, LTLS_CONN_MT);
  lua_pushfstring(L, "<SSLSocket %p%s>", (void *)c, c->s ? "" : " (closed)");
  return 1;
}

void ltls_conn_register(lua_State *L) {
  static const luaL_Reg methods[] = {
      {"dohandshake", conn_dohandshake},
      {"receive", ltls_conn_receive},
      {"send", conn_send},
      {"close", conn_close},
      {"settimeout", conn_settimeout},
      {"getpeercert", conn_getpeercert},
      {"getpeercertificate", ltls_conn_getpeercertificate},
      {"getpeerchain", ltls_conn_getpeerchain},
      {"info", ltls_conn_info},
      {"key_update", ltls_conn_key_update},
      {"getpeerverification", conn_getpeerverification},
      {"cipher", conn_cipher},
      {"version", conn_version},
      {"selected_alpn_protocol", conn_selected_alpn},
      {"session", ltls_conn_session},
      {"session_reused", ltls_conn_session_reused},
      {"getfd", conn_getfd},
      {"dirty", conn_dirty},
      {"want", conn_want},
      {"dtls_timeout", conn_dtls_timeout},
      {NULL, NULL}};
  static const luaL_Reg meta[] = {{"__gc", conn_gc},
                                  {"__close", conn_close},
                                  {"__tostring", conn_tostring},
                                  {NULL, NULL}};
  luaL_newmetatable(L, LTLS_CONN_MT);
  luaL_setfuncs(L, meta, 0);
  luaL_newlib(L, methods);
  ltls_name_methods(L, LTLS_CONN_MT);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}
