/*
 * Internal declarations of MicroPython's `tls` module on tlswrap, shared by
 * its files (one per object: modtls_tlswrap.c the module, tlsmp_context.c
 * SSLContext, tlsmp_socket.c SSLSocket, tlsmp_transport.c the stream under
 * a socket, tlsmp_errors.c the exceptions). The module uses only tlswrap's
 * public API.
 *
 * Rule kept throughout: no nlr jump (MicroPython exception) ever crosses a
 * tlswrap call. Python code that runs inside one (the underlying stream's
 * read/write, verify_callback) is wrapped in nlr_push; an exception is
 * parked in the socket or context and re-raised once the tlswrap call has
 * returned, so tlswrap's and wolfSSL's state stay consistent.
 */
#ifndef TLSMP_H
#define TLSMP_H

#include "py/mpconfig.h"

/* The module replaces MicroPython's own TLS: built only when that is off. */
#define TLSMP_ENABLED \
  (MICROPY_PY_SSL && !MICROPY_SSL_MBEDTLS && !MICROPY_SSL_AXTLS)

#if TLSMP_ENABLED

#include <stddef.h>
#include <stdint.h>

#include "py/obj.h"
#include "tlswrap/tlswrap.h"
#include "tlsw_mp_map.h"

/* MicroPython 1.26 renamed NORETURN to MP_NORETURN; 1.25 (Debian trixie's,
 * what CI builds) has only the old name. */
#ifndef MP_NORETURN
#define MP_NORETURN NORETURN
#endif

/* MicroPython's unix mbedTLS build speaks TLS 1.2 only, and programs and
 * tests rely on its TLS 1.2 behaviour (e.g. when a missing client
 * certificate is noticed). Define as 1 to allow TLS 1.3 as well. */
#ifndef MICROPY_PY_TLSWRAP_TLS13
#define MICROPY_PY_TLSWRAP_TLS13 (0)
#endif

/* 1: tls._mem() reports the C heap held by tlswrap and wolfSSL (for
 * measurements; adds a size header to every allocation). */
#ifndef MICROPY_PY_TLSWRAP_MEMSTATS
#define MICROPY_PY_TLSWRAP_MEMSTATS (0)
#endif

typedef struct _tlsmp_ctx_t {
  mp_obj_base_t base;
  tlsw_ctx *ctx;
  int protocol;
  mp_obj_t verify_callback;
  mp_obj_t psk_identity, psk_key, server_psk_keys;
  /* An exception raised by verify_callback during a handshake, re-raised
   * by the socket once tlswrap has returned. */
  mp_obj_t cb_exc;
  int min_version, max_version; /* TLS contexts: the range set */
  int custom_ciphers;           /* set_ciphers() was called */
} tlsmp_ctx_t;

typedef struct _tlsmp_sock_t {
  mp_obj_base_t base;
  tlsmp_ctx_t *ctx;
  mp_obj_t sock; /* MP_OBJ_NULL once closed */
  tlsw_session *sess;
  tlsw_io io;
  uintptr_t poll_mask; /* direction the protocol needs, see ioctl */
  int last_error;      /* sticky: errno (> 0) or error code (< 0) */
  int io_errno;        /* errno of the last transport failure */
  mp_obj_t io_exc;     /* exception raised by the underlying stream */
  /* What to raise again for a sticky error; copied because the session
   * may be gone by then. */
  int last_status;
  char last_msg[160];
  /* Where a read that returned data ended, to recognise the next call of
   * the same read(n) loop, and a fatal status held back for the next call
   * (see tlsmp_sock_read). */
  uint8_t *cont_buf;
  mp_uint_t cont_size;
  int deferred;
} tlsmp_sock_t;

extern const mp_obj_type_t tlsmp_ctx_type;
extern const mp_obj_type_t tlsmp_sock_type;

/* modtls_tlswrap.c: with MICROPY_PY_TLSWRAP_MEMSTATS, count tlswrap's heap
 * (only possible before tlswrap's first initialisation); else nothing. */
void tlsmp_mem_install(void);

/* tlsmp_errors.c: raise what MicroPython's mbedTLS module raises for the
 * same failure; the stream-layer error code of a status. */
MP_NORETURN void tlsmp_raise_code_name(int code, const char *name);
MP_NORETURN void tlsmp_raise_status(int status, int io_errno, const char *msg);
MP_NORETURN void tlsmp_raise_ctx(tlsmp_ctx_t *c, int status);
MP_NORETURN void tlsmp_raise_bad_config(void);
int tlsmp_errcode_of(int status, int io_errno);

/* tlsmp_context.c: the context, or OSError(EBADF) once it is freed. */
tlsw_ctx *tlsmp_live_ctx(tlsmp_ctx_t *c);
/* tlsmp_context.c: the module's default suites, with TLS 1.3's when the
 * context's maximum_version is TLS 1.3. */
void tlsmp_ctx_default_ciphers(tlsmp_ctx_t *c);

/* tlsmp_socket.c: ctx.wrap_socket(). */
mp_obj_t tlsmp_sock_new(tlsmp_ctx_t *c, mp_obj_t sock, bool server_side,
                        bool do_handshake, mp_obj_t server_hostname,
                        mp_obj_t client_id, mp_obj_t session);

/* tlsmp_transport.c: tlswrap's transport callbacks (io is the socket). */
int tlsmp_io_send(void *io, const uint8_t *buf, size_t len, size_t *out_n);
int tlsmp_io_recv(void *io, uint8_t *buf, size_t len, size_t *out_n);

/* tlsmp_extra.c: the features MicroPython's mbedTLS module lacks (ALPN,
 * resumption, versions, groups, CRLs, server SNI, KeyUpdate). */
extern const mp_obj_type_t tlsmp_version_type;
MP_DECLARE_CONST_FUN_OBJ_2(tlsmp_ctx_set_alpn_protocols_obj);
MP_DECLARE_CONST_FUN_OBJ_2(tlsmp_ctx_set_groups_obj);
MP_DECLARE_CONST_FUN_OBJ_2(tlsmp_ctx_load_crl_obj);
MP_DECLARE_CONST_FUN_OBJ_3(tlsmp_ctx_add_server_name_obj);
MP_DECLARE_CONST_FUN_OBJ_1(tlsmp_sock_selected_alpn_protocol_obj);
MP_DECLARE_CONST_FUN_OBJ_1(tlsmp_sock_group_obj);
MP_DECLARE_CONST_FUN_OBJ_1(tlsmp_sock_key_update_obj);
/* minimum_version / maximum_version: 1 when attr is one of them (loaded or
 * stored through dest as in an attr handler), 0 otherwise. */
int tlsmp_ctx_attr_extra(tlsmp_ctx_t *c, qstr attr, mp_obj_t *dest);
/* SSLSocket's attr handler: session, session_reused, server_hostname. */
void tlsmp_sock_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest);

#endif /* TLSMP_ENABLED */
#endif
