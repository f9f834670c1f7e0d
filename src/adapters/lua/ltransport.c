/*
 * Transports of a Lua connection.
 *
 * A LuaSocket TCP/UDP object is used through its file descriptor with
 * tlswrap's socket transport: no Lua call per record. LuaSocket keeps its
 * descriptors non-blocking and emulates timeouts with select/poll, so
 * EAGAIN surfaces as TLSW_WANT_* and this file does the waiting (poll with
 * the connection's own timeout), as LuaSec does.
 *
 * Any other object with send/receive methods (a cosocket-style table, a
 * test pipe, a UDP socket wrapper) is called back from inside tlswrap
 * through lua_pcall, so a Lua error never longjmps across tlswrap frames;
 * it becomes TLSW_ERR_IO and its text is kept for the connection's error.
 * Such a transport must not yield: it answers nil, "timeout" instead and the
 * connection returns nil, "wantread"/"wantwrite" to its caller.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ltlswrap.h"
#include "tlswrap/dtls.h"

double ltls_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double ltls_deadline(const ltls_conn *c) {
  if (c->timeout < 0) return -1.0;
  return ltls_now() + c->timeout;
}

/* DTLS retransmission: a handshake flight that got no answer in time is
 * sent again. Blocking calls wait at most until the timer fires (below);
 * non-blocking callers get it done by calling again (ltls_dtls_tick). */
void ltls_dtls_tick(ltls_conn *c) {
  if (c->datagram && c->s != NULL && tlsw_session_dtls_timeout_ms(c->s) == 0) {
    (void)tlsw_dtls_handle_timeout(c->s); /* a fatal status is sticky and
                                             comes back from the retried
                                             call */
  }
}

int ltls_wait(ltls_conn *c, double deadline) {
  if (!c->use_fd || c->timeout == 0 || c->s == NULL) return 0;
  unsigned want = tlsw_session_want(c->s);
  struct pollfd p;
  p.fd = c->fd;
  p.events = (short)(((want & TLSW_DIR_READ) ? POLLIN : 0) |
                     ((want & TLSW_DIR_WRITE) ? POLLOUT : 0));
  p.revents = 0;
  if (p.events == 0) return 0;
  for (;;) {
    int ms = -1;
    if (deadline >= 0) {
      double left = deadline - ltls_now();
      if (left <= 0) return 0;
      ms = (int)ceil(left * 1000.0);
    }
    long timer = c->datagram ? tlsw_session_dtls_timeout_ms(c->s) : -1;
    int by_timer = timer >= 0 && (ms < 0 || timer <= ms);
    if (by_timer) ms = (int)timer;
    int r = poll(&p, 1, ms);
    /* Errors and hang-ups count as ready: the retried call reports them. */
    if (r > 0) return 1;
    if (r == 0) {
      if (!by_timer) return 0;
      ltls_dtls_tick(c);
      return 1;
    }
    if (errno != EINTR) return 1;
  }
}

/* --- object transport ---------------------------------------------- */

/* Protected part of a callback: obj:<name>(arg) with 3 results.
 * 1: object, 2: method name (light), 3: bytes to send (light) or NULL,
 * 4: their length, or the most bytes to receive. Everything that can
 * allocate (and so raise) happens in here, under lua_pcall. */
static int call_method(lua_State *L) {
  const char *name = lua_touserdata(L, 2);
  const char *data = lua_touserdata(L, 3);
  lua_Integer n = lua_tointeger(L, 4);
  lua_getfield(L, 1, name);
  lua_pushvalue(L, 1);
  if (data != NULL) {
    lua_pushlstring(L, data, (size_t)n);
  } else {
    lua_pushinteger(L, n);
  }
  lua_call(L, 2, 3);
  return 3;
}

static void set_ioerr(ltls_conn *c, const char *what, const char *msg) {
  snprintf(c->ioerr, sizeof c->ioerr, "transport %s: %s", what,
           msg ? msg : "(no message)");
}

/* Run obj:name(data or n) protected. Leaves the 3 results on the stack and
 * returns 1, or records the error and returns 0 with the stack as before. */
static int pcall_transport(ltls_conn *c, const char *name, const void *data,
                           size_t n) {
  lua_State *L = c->L;
  lua_pushcfunction(L, call_method);
  lua_getiuservalue(L, c->self, LTLS_UV_SOCK);
  lua_pushlightuserdata(L, (void *)name);
  lua_pushlightuserdata(L, (void *)data);
  lua_pushinteger(L, (lua_Integer)n);
  if (lua_pcall(L, 4, 3, 0) != LUA_OK) {
    const char *m = lua_tostring(L, -1);
    set_ioerr(c, name, m ? m : "raised a non-string error");
    lua_pop(L, 1);
    return 0;
  }
  return 1;
}

static int is_would_block(const char *e) {
  return e != NULL &&
         (strcmp(e, "timeout") == 0 || strcmp(e, "wantread") == 0 ||
          strcmp(e, "wantwrite") == 0);
}

/* A count at idx: LuaSocket pushes floats (lua_pushnumber), cosockets
 * integers. 1 with *out set, or 0 when it is not a number. */
static int get_count(lua_State *L, int idx, lua_Integer *out) {
  if (lua_type(L, idx) != LUA_TNUMBER) return 0;
  if (!lua_isinteger(L, idx)) {
    lua_Number f = lua_tonumber(L, idx);
    *out = f >= 1 && f < 9.0e15 ? (lua_Integer)f : 0;
    return 1;
  }
  *out = lua_tointeger(L, idx);
  return 1;
}

static int obj_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  ltls_conn *c = io;
  lua_State *L = c->L;
  *out_n = 0;
  errno = 0;
  if (!lua_checkstack(L, 8)) {
    set_ioerr(c, "send", "Lua stack overflow");
    return TLSW_ERR_IO;
  }
  if (!pcall_transport(c, "send", buf, len)) return TLSW_ERR_IO;
  int st = TLSW_OK;
  lua_Integer n = 0;
  if (get_count(L, -3, &n)) {
    /* LuaSocket returns the index of the last byte sent, a cosocket the
     * count; for a send starting at byte 1 both are the count. */
    if (n <= 0) {
      st = TLSW_WANT_WRITE;
    } else {
      *out_n = (size_t)n > len ? len : (size_t)n;
    }
  } else if (lua_toboolean(L, -3)) {
    *out_n = len; /* plain true: all of it */
  } else {
    const char *e = lua_tostring(L, -2);
    lua_Integer part = 0;
    if (!get_count(L, -1, &part)) part = 0;
    if (is_would_block(e)) {
      if (part > 0) {
        *out_n = (size_t)part > len ? len : (size_t)part;
      } else {
        st = strcmp(e, "wantread") == 0 ? TLSW_WANT_READ : TLSW_WANT_WRITE;
      }
    } else if (e != NULL && strcmp(e, "closed") == 0) {
      set_ioerr(c, "send", "closed");
      errno = EPIPE;
      st = TLSW_ERR_RESET;
    } else {
      set_ioerr(c, "send", e ? e : "returned neither a count nor an error");
      st = TLSW_ERR_IO;
    }
  }
  lua_pop(L, 3);
  return st;
}

/* Copy up to len bytes of the string at the top (then popped) into buf;
 * keep what does not fit for the next call (streams) or drop it
 * (datagrams: one call is one datagram, as with recv(2)). */
static size_t take_string(ltls_conn *c, const char *s, size_t n, uint8_t *buf,
                          size_t len) {
  size_t k = n < len ? n : len;
  memcpy(buf, s, k);
  if (k < n && !c->datagram) {
    lua_pushvalue(c->L, -1);
    lua_setiuservalue(c->L, c->self, LTLS_UV_STASH);
    c->stash_off = k;
  }
  return k;
}

static int take_stash(ltls_conn *c, uint8_t *buf, size_t len, size_t *out_n) {
  lua_State *L = c->L;
  lua_getiuservalue(L, c->self, LTLS_UV_STASH);
  size_t n = 0;
  const char *s = lua_tolstring(L, -1, &n);
  if (s == NULL || c->stash_off >= n) {
    lua_pop(L, 1);
    return 0;
  }
  size_t k = n - c->stash_off < len ? n - c->stash_off : len;
  memcpy(buf, s + c->stash_off, k);
  c->stash_off += k;
  lua_pop(L, 1);
  if (c->stash_off >= n) {
    lua_pushnil(L);
    lua_setiuservalue(L, c->self, LTLS_UV_STASH);
    c->stash_off = 0;
  }
  *out_n = k;
  return 1;
}

static int obj_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  ltls_conn *c = io;
  lua_State *L = c->L;
  *out_n = 0;
  errno = 0;
  if (!lua_checkstack(L, 8)) {
    set_ioerr(c, "receive", "Lua stack overflow");
    return TLSW_ERR_IO;
  }
  if (take_stash(c, buf, len, out_n)) return TLSW_OK;
  if (c->obj_eof) return TLSW_OK; /* EOF, again */
  if (!pcall_transport(c, "receive", NULL, len)) return TLSW_ERR_IO;
  int st = TLSW_OK;
  size_t n = 0;
  const char *s = lua_tolstring(L, -3, &n);
  if (s != NULL && lua_type(L, -3) == LUA_TSTRING) {
    if (n == 0) {
      st = TLSW_WANT_READ;
    } else {
      lua_pushvalue(L, -3);
      *out_n = take_string(c, s, n, buf, len);
      lua_pop(L, 1);
    }
  } else {
    const char *e = lua_tostring(L, -2);
    /* LuaSocket returns the bytes it got before the error third. */
    const char *part =
        lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &n) : NULL;
    if (part == NULL) n = 0;
    int eof = e != NULL && strcmp(e, "closed") == 0;
    if (n > 0 && (eof || is_would_block(e))) {
      c->obj_eof = eof;
      *out_n = take_string(c, part, n, buf, len);
    } else if (eof) {
      c->obj_eof = 1; /* *out_n 0: end of stream */
    } else if (is_would_block(e)) {
      st = strcmp(e, "wantwrite") == 0 ? TLSW_WANT_WRITE : TLSW_WANT_READ;
    } else {
      set_ioerr(c, "receive", e ? e : "returned neither a string nor an error");
      st = TLSW_ERR_IO;
    }
  }
  lua_pop(L, 3);
  return st;
}

/* --- choosing the transport ---------------------------------------- */

/* LuaSocket objects print as "tcp{client}: 0x...", "udp{connected}: ...". */
static const char *luasocket_class(lua_State *L, int sidx, char *out,
                                   size_t size) {
  if (lua_type(L, sidx) != LUA_TUSERDATA) return NULL;
  if (luaL_getmetafield(L, sidx, "__index") == LUA_TNIL) return NULL;
  lua_pop(L, 1);
  const char *s = luaL_tolstring(L, sidx, NULL);
  const char *brace = strchr(s, '}');
  if ((strncmp(s, "tcp{", 4) != 0 && strncmp(s, "udp{", 4) != 0) ||
      brace == NULL || (size_t)(brace - s) + 2 > size) {
    lua_pop(L, 1);
    return NULL;
  }
  memcpy(out, s, (size_t)(brace - s) + 1);
  out[brace - s + 1] = '\0';
  lua_pop(L, 1);
  return out;
}

static int has_method(lua_State *L, int sidx, const char *name) {
  if (lua_type(L, sidx) == LUA_TUSERDATA) {
    if (luaL_getmetafield(L, sidx, "__index") == LUA_TNIL) return 0;
    lua_pop(L, 1);
  }
  lua_getfield(L, sidx, name);
  int ok = lua_isfunction(L, -1);
  if (!ok && luaL_getmetafield(L, -1, "__call") != LUA_TNIL) {
    ok = 1;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return ok;
}

void ltls_transport_init(lua_State *L, ltls_conn *c, int sidx, int dtls) {
  char cls[32];
  c->datagram = dtls;
  c->fd = -1;
  if (luasocket_class(L, sidx, cls, sizeof cls) != NULL) {
    const char *need = dtls ? "udp{connected}" : "tcp{client}";
    if (strcmp(cls, need) != 0) {
      luaL_argerror(L, 2,
                    lua_pushfstring(L,
                                    "a %s context needs a LuaSocket %s "
                                    "object, got %s%s",
                                    dtls ? "DTLS" : "TLS", need, cls,
                                    strcmp(cls, "udp{unconnected}") == 0
                                        ? " (call setpeername first)"
                                        : ""));
    }
    lua_getfield(L, sidx, "getfd");
    lua_pushvalue(L, sidx);
    lua_call(L, 1, 1);
    /* LuaSocket pushes the descriptor as a float. */
    int isnum = 0;
    lua_Number fd = lua_tonumberx(L, -1, &isnum);
    if (!isnum) fd = -1;
    lua_pop(L, 1);
    if (fd < 0 || fd > 0x7fffffff) {
      luaL_argerror(L, 2, "the socket is closed (getfd() < 0)");
    }
    c->fd = (int)fd;
    c->use_fd = 1;
    /* timeout_ms 0: tlswrap never waits itself, ltls_wait() does. */
    tlsw_sock_io(&c->sock, c->fd, 0, &c->io);
    return;
  }
  int t = lua_type(L, sidx);
  if ((t != LUA_TTABLE && t != LUA_TUSERDATA) || !has_method(L, sidx, "send") ||
      !has_method(L, sidx, "receive")) {
    luaL_argerror(L, 2,
                  "expected a LuaSocket TCP/UDP object or an object with "
                  "send and receive methods");
  }
  c->use_fd = 0;
  c->io.send = obj_send;
  c->io.recv = obj_recv;
  c->io.io = c;
}
