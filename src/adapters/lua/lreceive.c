/*
 * conn:receive([pattern [, prefix]]) with LuaSocket's patterns and
 * partial-result convention:
 *   "*l" / "l"  a line, LF ends it, CR bytes are dropped (LuaSocket)
 *   "L"         a line with its LF kept (Lua 5.4 io style)
 *   "*a" / "a"  everything until the peer's close_notify
 *   n           exactly n bytes
 * On failure: nil, err, partial, where partial is prefix plus what was
 * consumed so far: a non-blocking caller passes it back as prefix.
 * DTLS: one record per call (patterns other than a count are refused).
 */
#include <string.h>

#include "ltlswrap.h"

/* Refill c->buf with one tlsw_read(), waiting as the timeout allows. */
static int fill(ltls_conn *c, double deadline) {
  c->first = c->last = 0;
  int st;
  size_t n = 0;
  c->busy = 1;
  for (;;) {
    ltls_dtls_tick(c);
    st = tlsw_read(c->s, c->buf, sizeof c->buf, &n);
    /* DTLS: a junk datagram was discarded; the next one may be good. */
    if (ltls_dropped_retry(c, st)) continue;
    if ((st != TLSW_WANT_READ && st != TLSW_WANT_WRITE) ||
        !ltls_wait(c, deadline)) {
      break;
    }
  }
  c->busy = 0;
  if (st == TLSW_OK) c->last = n;
  return st;
}

static int recv_count(ltls_conn *c, luaL_Buffer *b, size_t want,
                      double deadline) {
  size_t got = 0;
  while (got < want) {
    if (c->first == c->last) {
      int st = fill(c, deadline);
      if (st != TLSW_OK) return st;
    }
    size_t k = c->last - c->first;
    if (k > want - got) k = want - got;
    luaL_addlstring(b, (const char *)c->buf + c->first, k);
    c->first += k;
    got += k;
  }
  return TLSW_OK;
}

static int recv_line(ltls_conn *c, luaL_Buffer *b, int keep_lf,
                     double deadline) {
  for (;;) {
    if (c->first == c->last) {
      int st = fill(c, deadline);
      if (st != TLSW_OK) return st;
    }
    const unsigned char *p = c->buf + c->first;
    size_t k = c->last - c->first;
    const unsigned char *lf = memchr(p, '\n', k);
    size_t upto = lf ? (size_t)(lf - p) : k;
    for (size_t i = 0; i < upto; i++) {
      if (keep_lf || p[i] != '\r') luaL_addchar(b, (char)p[i]);
    }
    c->first += upto;
    if (lf != NULL) {
      if (keep_lf) luaL_addchar(b, '\n');
      c->first++;
      return TLSW_OK;
    }
  }
}

static int recv_all(ltls_conn *c, luaL_Buffer *b, double deadline) {
  for (;;) {
    if (c->first == c->last) {
      int st = fill(c, deadline);
      if (st == TLSW_CLOSED) return TLSW_OK;
      if (st != TLSW_OK) return st;
    }
    luaL_addlstring(b, (const char *)c->buf + c->first, c->last - c->first);
    c->first = c->last;
  }
}

/* DTLS: one record, at most n bytes of it (the rest is dropped, as with
 * recv(2) on a datagram socket). */
static int recv_datagram(lua_State *L, ltls_conn *c, lua_Integer n) {
  double deadline = ltls_deadline(c);
  int st = fill(c, deadline);
  if (st != TLSW_OK) {
    lua_pushnil(L);
    ltls_push_error(L, c, st);
    return 2;
  }
  size_t k = c->last < (size_t)n ? c->last : (size_t)n;
  lua_pushlstring(L, (const char *)c->buf, k);
  c->first = c->last = 0;
  return 1;
}

int ltls_conn_receive(lua_State *L) {
  ltls_conn *c = ltls_enter(L);
  size_t plen = 0;
  const char *prefix = luaL_optlstring(L, 3, "", &plen);
  int kind = 0; /* 'l', 'L', 'a' or 'n' */
  lua_Integer count = 0;
  if (lua_isnoneornil(L, 2)) {
    kind = c->datagram ? 'n' : 'l';
    count = LTLS_BUFSIZE;
  } else if (lua_type(L, 2) == LUA_TNUMBER) {
    count = luaL_checkinteger(L, 2);
    luaL_argcheck(L, count >= 0, 2, "count must not be negative");
    kind = 'n';
  } else {
    const char *p = luaL_checkstring(L, 2);
    if (p[0] == '*') p++;
    if (strcmp(p, "l") == 0 || strcmp(p, "L") == 0 || strcmp(p, "a") == 0) {
      kind = p[0];
    } else {
      return luaL_argerror(L, 2, "invalid receive pattern");
    }
    luaL_argcheck(L, !c->datagram, 2,
                  "a DTLS connection receives one record: give a size");
  }
  if (c->s == NULL) {
    lua_pushnil(L);
    lua_pushliteral(L, "closed");
    lua_pushlstring(L, prefix, plen);
    return 3;
  }
  if (c->datagram) {
    if (count == 0) {
      lua_pushliteral(L, "");
      return 1;
    }
    return recv_datagram(L, c, count);
  }

  double deadline = ltls_deadline(c);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addlstring(&b, prefix, plen);
  int st;
  switch (kind) {
    case 'n': st = recv_count(c, &b, (size_t)count, deadline); break;
    case 'a': st = recv_all(c, &b, deadline); break;
    default: st = recv_line(c, &b, kind == 'L', deadline); break;
  }
  luaL_pushresult(&b);
  if (st == TLSW_OK) return 1;
  lua_pushnil(L);
  ltls_push_error(L, c, st);
  lua_rotate(L, -3, -1); /* nil, err, partial */
  return 3;
}
