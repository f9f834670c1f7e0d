/*
 * Certificates from Lua, in LuaSec's shape: conn:getpeercertificate()
 * gives an object with :subject(), :issuer(), :notbefore(), :notafter(),
 * :validat(t), :serial(), :sans(), :pem(), :der(), :key(); conn:info()
 * gives a table describing the connection. Read by the library
 * (tlswrap/cert.h), so every string is safe to print.
 */
#include <stdlib.h>
#include <string.h>

#include "ltlswrap.h"

#define LTLS_CERT_MT "tlswrap.x509"

typedef struct ltls_cert {
  tlsw_cert *c; /* NULL after __gc */
  size_t der_len;
  unsigned char der[]; /* kept for :der() and :pem() */
} ltls_cert;

static ltls_cert *check_cert(lua_State *L) {
  ltls_cert *x = luaL_checkudata(L, 1, LTLS_CERT_MT);
  if (x->c == NULL) luaL_error(L, "certificate already freed");
  return x;
}

/* Push a new certificate object for der (nil, message when unreadable). */
static int push_cert(lua_State *L, const uint8_t *der, size_t len) {
  ltls_cert *x = lua_newuserdatauv(L, sizeof *x + len, 0);
  x->c = NULL;
  x->der_len = len;
  memcpy(x->der, der, len);
  luaL_setmetatable(L, LTLS_CERT_MT);
  int st = tlsw_cert_parse(der, len, &x->c);
  if (st != TLSW_OK) {
    lua_pushnil(L);
    lua_pushstring(L, tlsw_strerror(st));
    return 2;
  }
  return 1;
}

static int cert_subject(lua_State *L) {
  lua_pushstring(L, tlsw_cert_subject(check_cert(L)->c));
  return 1;
}

static int cert_issuer(lua_State *L) {
  lua_pushstring(L, tlsw_cert_issuer(check_cert(L)->c));
  return 1;
}

static int cert_sans(lua_State *L) {
  lua_pushstring(L, tlsw_cert_sans(check_cert(L)->c));
  return 1;
}

static int cert_serial(lua_State *L) {
  lua_pushstring(L, tlsw_cert_serial(check_cert(L)->c));
  return 1;
}

static int cert_notbefore(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)tlsw_cert_not_before(check_cert(L)->c));
  return 1;
}

static int cert_notafter(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)tlsw_cert_not_after(check_cert(L)->c));
  return 1;
}

/* cert:validat(t) -> boolean: t (seconds since 1970) within the dates. */
static int cert_validat(lua_State *L) {
  ltls_cert *x = check_cert(L);
  lua_Integer t = luaL_checkinteger(L, 2);
  lua_pushboolean(
      L, t >= tlsw_cert_not_before(x->c) && t <= tlsw_cert_not_after(x->c));
  return 1;
}

/* cert:key() -> type, bits */
static int cert_key(lua_State *L) {
  unsigned bits = 0;
  lua_pushstring(L, tlsw_cert_key(check_cert(L)->c, &bits));
  lua_pushinteger(L, (lua_Integer)bits);
  return 2;
}

static int cert_sig_alg(lua_State *L) {
  lua_pushstring(L, tlsw_cert_sig_alg(check_cert(L)->c));
  return 1;
}

/* cert:digest(["sha256"]) -> lowercase hex without separators (LuaSec's
 * form); SHA-256 only. */
static int cert_digest(lua_State *L) {
  ltls_cert *x = check_cert(L);
  const char *alg = luaL_optstring(L, 2, "sha256");
  luaL_argcheck(L, strcmp(alg, "sha256") == 0, 2, "only \"sha256\"");
  const char *fp = tlsw_cert_fingerprint_sha256(x->c);
  if (fp == NULL || fp[0] == '\0') {
    lua_pushnil(L);
    lua_pushliteral(L, "no SHA-256 in this build");
    return 2;
  }
  char hex[65];
  size_t n = 0;
  for (const char *p = fp; *p != '\0' && n < 64; p++) {
    if (*p != ':')
      hex[n++] = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
  }
  lua_pushlstring(L, hex, n);
  return 1;
}

static int cert_der(lua_State *L) {
  ltls_cert *x = check_cert(L);
  lua_pushlstring(L, (const char *)x->der, x->der_len);
  return 1;
}

/* cert:pem() -> "-----BEGIN CERTIFICATE-----\n..." (64-column base64) */
static int cert_pem(lua_State *L) {
  static const char b64[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  ltls_cert *x = check_cert(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "-----BEGIN CERTIFICATE-----\n");
  for (size_t i = 0, col = 0; i < x->der_len; i += 3) {
    unsigned long v = (unsigned long)x->der[i] << 16;
    size_t n = x->der_len - i < 3 ? x->der_len - i : 3;
    if (n > 1) v |= (unsigned long)x->der[i + 1] << 8;
    if (n > 2) v |= x->der[i + 2];
    char q[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63],
                 n > 1 ? b64[(v >> 6) & 63] : '=', n > 2 ? b64[v & 63] : '='};
    luaL_addlstring(&b, q, 4);
    if ((col += 4) == 64 || i + 3 >= x->der_len) {
      luaL_addchar(&b, '\n');
      col = 0;
    }
  }
  luaL_addstring(&b, "-----END CERTIFICATE-----\n");
  luaL_pushresult(&b);
  return 1;
}

static int cert_gc(lua_State *L) {
  ltls_cert *x = luaL_checkudata(L, 1, LTLS_CERT_MT);
  tlsw_cert_free(x->c);
  x->c = NULL;
  return 0;
}

static int cert_tostring(lua_State *L) {
  ltls_cert *x = luaL_checkudata(L, 1, LTLS_CERT_MT);
  lua_pushfstring(L, "<x509 %s>", x->c ? tlsw_cert_subject(x->c) : "(freed)");
  return 1;
}

/* conn:getpeercertificate() -> x509 | nil, message */
int ltls_conn_getpeercertificate(lua_State *L) {
  ltls_conn *c = ltls_enter(L);
  const uint8_t *der = NULL;
  size_t n = 0;
  if (c->s == NULL || tlsw_session_peer_cert(c->s, &der, &n) != TLSW_OK) {
    lua_pushnil(L);
    lua_pushliteral(L, "no peer certificate");
    return 2;
  }
  return push_cert(L, der, n);
}

/* conn:getpeerchain() -> {x509, ...} (the leaf first, as the peer sent
 * them) | nil, message */
int ltls_conn_getpeerchain(lua_State *L) {
  ltls_conn *c = ltls_enter(L);
  const uint8_t *der = NULL;
  size_t n = 0;
  if (c->s == NULL || tlsw_session_peer_chain(c->s, 0, &der, &n) != TLSW_OK) {
    lua_pushnil(L);
    lua_pushliteral(L, "no peer certificate");
    return 2;
  }
  lua_newtable(L);
  for (size_t i = 0; tlsw_session_peer_chain(c->s, i, &der, &n) == TLSW_OK;
       i++) {
    if (push_cert(L, der, n) != 1) return 2; /* nil, message */
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static void set_str(lua_State *L, const char *k, const char *v) {
  if (v == NULL) return;
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}

/* conn:info() -> {protocol=, cipher=, group=, alpn=, server_name=,
 * resumed=} | nil, message (before the handshake) */
int ltls_conn_info(lua_State *L) {
  ltls_conn *c = ltls_enter(L);
  if (c->s == NULL || !tlsw_session_handshake_done(c->s)) {
    lua_pushnil(L);
    lua_pushliteral(L, "no handshake yet");
    return 2;
  }
  lua_createtable(L, 0, 6);
  set_str(L, "protocol", tlsw_session_version(c->s));
  set_str(L, "cipher", tlsw_session_cipher(c->s));
  set_str(L, "group", tlsw_session_group(c->s));
  set_str(L, "alpn", tlsw_session_alpn(c->s));
  set_str(L, "server_name", tlsw_session_server_name(c->s));
  lua_pushboolean(L, tlsw_session_resumed(c->s));
  lua_setfield(L, -2, "resumed");
  return 1;
}

void ltls_cert_register(lua_State *L) {
  static const luaL_Reg methods[] = {{"subject", cert_subject},
                                     {"issuer", cert_issuer},
                                     {"sans", cert_sans},
                                     {"serial", cert_serial},
                                     {"notbefore", cert_notbefore},
                                     {"notafter", cert_notafter},
                                     {"validat", cert_validat},
                                     {"key", cert_key},
                                     {"der", cert_der},
                                     {"pem", cert_pem},
                                     {"sig_alg", cert_sig_alg},
                                     {"digest", cert_digest},
                                     {NULL, NULL}};
  static const luaL_Reg meta[] = {
      {"__gc", cert_gc}, {"__tostring", cert_tostring}, {NULL, NULL}};
  luaL_newmetatable(L, LTLS_CERT_MT);
  luaL_setfuncs(L, meta, 0);
  luaL_newlib(L, methods);
  ltls_name_methods(L, LTLS_CERT_MT);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}
