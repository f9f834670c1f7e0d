/*
 * Internal declarations of the Lua 5.4 module (tlswrap.so). The module is a
 * thin layer over tlswrap's public API (the headers in include/tlswrap/) and
 * never includes anything else of tlswrap or any backend header.
 */
#ifndef LTLSWRAP_H
#define LTLSWRAP_H

#include <stddef.h>

#include <lauxlib.h>
#include <lua.h>

#include "tlswrap/tlswrap.h"
#include "tlswrap/transport.h"

#define LTLS_CTX_MT "tlswrap.SSLContext"
#define LTLS_CONN_MT "tlswrap.SSLSocket"

/* Uservalues of a connection userdata: they keep the Lua objects the C
 * side points into (or calls) alive for as long as the connection. */
#define LTLS_UV_CTX 1   /* the SSLContext userdata */
#define LTLS_UV_SOCK 2  /* the wrapped transport object */
#define LTLS_UV_STASH 3 /* bytes a transport returned beyond what was asked */
#define LTLS_NUV 3

/* LuaSocket's buffer is 8 KB; one TLS record is up to 16 KB, so a buffer
 * of one record lets most receive() calls cost one tlsw_read(). */
#define LTLS_BUFSIZE 16384

typedef struct ltls_ctx {
  tlsw_ctx *ctx; /* NULL after __gc */
  /* For verify_callback (kept in uservalue 1): the state and stack index
   * of the connection whose handshake is running. Lua runs one at a time. */
  lua_State *L;
  int conn_idx;
  /* minimum_version / maximum_version as set (tlsw_tls_version; 0: the
   * library's default), since the library has no getter. */
  int min_v, max_v;
} ltls_ctx;

typedef struct ltls_conn {
  tlsw_session *s; /* NULL once closed */
  ltls_ctx *x;     /* its context (kept alive by LTLS_UV_CTX) */
  tlsw_io io;
  tlsw_sock sock;     /* transport state when use_fd */
  int use_fd;         /* 1: a LuaSocket fd; 0: the object's send/receive */
  int fd;             /* use_fd only */
  int datagram;       /* DTLS: receive/send move whole records */
  double timeout;     /* seconds; < 0 waits forever; 0 never waits */
  int busy;           /* inside a tlsw_* call: guards re-entry from callbacks */
  int obj_eof;        /* object transport reported "closed" */
  lua_State *L;       /* state of the running method (object callbacks) */
  int self;           /* stack index of this userdata in L */
  size_t stash_off;   /* read position in the LTLS_UV_STASH string */
  char ioerr[200];    /* the object transport's own error text */
  size_t first, last; /* unread bytes of buf */
  unsigned char buf[LTLS_BUFSIZE];
} ltls_conn;

/* lcontext.c */
/* Make the methods table on top of the stack findable by name, so that an
 * argument error in a method called without its name (pcall(ctx.f, ...),
 * a local alias, a callback) says "tlswrap.SSLContext.f" instead of "?":
 * luaL_argerror looks such functions up in package.loaded, two levels
 * deep. Leaves the stack as it was. */
void ltls_name_methods(lua_State *L, const char *name);

void ltls_ctx_register(lua_State *L);
int ltls_ctx_new(lua_State *L);
ltls_ctx *ltls_check_ctx(lua_State *L, int idx);
/* A setter's answer: true, or nil and the context's message. */
int ltls_ctx_result(lua_State *L, ltls_ctx *c, int st);

/* lconn.c */
void ltls_conn_register(lua_State *L);
int ltls_wrap_socket(lua_State *L);  /* ctx:wrap_socket(sock, opts) */
ltls_conn *ltls_enter(lua_State *L); /* check arg 1, bind L; may raise */
/* The LuaSec-style error string for a status (pushed on the stack). */
void ltls_push_error(lua_State *L, ltls_conn *c, int status);
/* 1 when a call that returned status should be made again: a DTLS junk
 * datagram was dropped and the session lives on. */
int ltls_dropped_retry(const ltls_conn *c, int status);

/* ltransport.c */
/* Set up c->io for the object at stack index sidx (a LuaSocket TCP/UDP
 * object or a table with send/receive). Raises on usage errors. */
void ltls_transport_init(lua_State *L, ltls_conn *c, int sidx, int dtls);
/* Monotonic clock in seconds. */
double ltls_now(void);
/* Absolute deadline for an operation starting now under c->timeout;
 * < 0 means none. */
double ltls_deadline(const ltls_conn *c);
/* After a TLSW_WANT_* status: wait (fd transports only) until the session's
 * direction is ready or the deadline passes. 1: ready, retry. 0: give up
 * and report the WANT status. */
int ltls_wait(ltls_conn *c, double deadline);
/* DTLS: resend the last handshake flight if its timer has fired. */
void ltls_dtls_tick(ltls_conn *c);

/* lsession.c */
int ltls_conn_session(lua_State *L);

/* lextra.c */
int ltls_ctx_set_groups(lua_State *L);
int ltls_ctx_load_crl(lua_State *L);
int ltls_ctx_set_ticket_keys(lua_State *L);
int ltls_ctx_add_server_name(lua_State *L);
int ltls_conn_key_update(lua_State *L);

/* lcert.c */
void ltls_cert_register(lua_State *L);
int ltls_conn_getpeercertificate(lua_State *L);
int ltls_conn_info(lua_State *L);
int ltls_conn_getpeerchain(lua_State *L);
int ltls_conn_session_reused(lua_State *L);

/* lreceive.c */
int ltls_conn_receive(lua_State *L);

#endif
