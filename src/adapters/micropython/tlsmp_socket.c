/* SSLSocket: a tlsw_session over a MicroPython stream, as a stream. */
#include "tlsmp.h"

#if TLSMP_ENABLED

#include <stdio.h>
#include <string.h>

#include "py/mperrno.h"
#include "py/mphal.h"
#include "py/runtime.h"
#include "py/stream.h"

#define POLL_RDWR (MP_STREAM_POLL_RD | MP_STREAM_POLL_WR)

static void sock_release(tlsmp_sock_t *o) {
  tlsw_session_free(o->sess);
  o->sess = NULL;
#if MICROPY_PY_THREAD
  /* wolfSSL keeps a per-thread ECC cache of several MB that leaks when the
   * thread exits; MicroPython has no thread-exit hook, so threads other
   * than the main one drop it whenever they are done with a session. */
  if (!mp_thread_is_main_thread()) tlsw_thread_cleanup();
#endif
}

/* Re-raise a Python exception parked during the last tlswrap call. */
static void check_parked(tlsmp_sock_t *o) {
  mp_obj_t exc = MP_OBJ_NULL;
  if (o->io_exc != MP_OBJ_NULL) {
    exc = o->io_exc;
    o->io_exc = MP_OBJ_NULL;
  }
  if (o->ctx->cb_exc != MP_OBJ_NULL) {
    /* A context shared by threads may, rarely, hand one thread's callback
     * exception to another; the session that raised it failed anyway. */
    if (exc == MP_OBJ_NULL) exc = o->ctx->cb_exc;
    o->ctx->cb_exc = MP_OBJ_NULL;
  }
  if (exc != MP_OBJ_NULL) {
    if (o->last_error == 0) o->last_error = MP_EIO;
    o->last_status = TLSW_ERR_IO;
    o->last_msg[0] = '\0';
    nlr_raise(exc);
  }
}

static void remember(tlsmp_sock_t *o, int st) {
  o->last_status = st;
  const char *m = o->sess ? tlsw_session_message(o->sess) : "";
  snprintf(o->last_msg, sizeof o->last_msg, "%s", m);
}

/* Whether the session is finished after a call returned st: tlswrap's
 * status rule, and the session's own word for the one case a status alone
 * cannot tell (a fresh DTLS server session ended by a dropped datagram,
 * see tlswrap/status.h). */
static int session_ended(const tlsmp_sock_t *o, int st) {
  return tlsw_status_is_fatal(st) || tlsw_session_status(o->sess) != TLSW_OK;
}

/* DTLS: a junk datagram is dropped and costs nothing, so the call is made
 * again, unless it ended the session (then retrying would spin forever on
 * the sticky status). */
static int dropped_retry(const tlsmp_sock_t *o, int st) {
  return st == TLSW_ERR_DATAGRAM_DROPPED && !session_ended(o, st);
}

/* A failed handshake in the constructor: drop the state, leave the caller's
 * socket open (MicroPython does not close it), raise. */
static MP_NORETURN void ctor_fail(tlsmp_sock_t *o, int st) {
  remember(o, st);
  o->sock = MP_OBJ_NULL;
  sock_release(o);
  check_parked(o);
  tlsmp_raise_status(st, o->io_errno, o->last_msg);
}

/* wrap_socket()'s arguments as tlswrap options, with MicroPython's own
 * checks. The pointers borrow from the arguments, which outlive the wrap. */
static tlsw_wrap_opts wrap_opts(tlsmp_ctx_t *c, bool server_side,
                                mp_obj_t server_hostname, mp_obj_t client_id,
                                mp_obj_t session) {
  tlsw_wrap_opts opts = TLSW_WRAP_OPTS_INIT;
  opts.do_handshake_on_connect = 0; /* run by the caller, see handshake() */
  if (server_hostname != mp_const_none) {
    opts.server_hostname = mp_obj_str_get_str(server_hostname);
  } else if (!server_side && tlsw_ctx_get_verify_mode(tlsmp_live_ctx(c)) ==
                                 TLSW_CERT_REQUIRED) {
    mp_raise_ValueError(
        MP_ERROR_TEXT("CERT_REQUIRED requires server_hostname"));
  }
  if (c->protocol == TLSW_PROTOCOL_DTLS_SERVER) {
    mp_buffer_info_t id;
    if (client_id == mp_const_none ||
        !mp_get_buffer(client_id, &id, MP_BUFFER_READ) || id.len == 0) {
      tlsmp_raise_status(TLSW_ERR_ARG, 0, "");
    }
    opts.client_id = id.buf;
    opts.client_id_len = id.len;
  }
  if (session != mp_const_none) {
    /* Bytes from an earlier socket's `session`; read during tlsw_wrap(). */
    mp_buffer_info_t sb;
    mp_get_buffer_raise(session, &sb, MP_BUFFER_READ);
    opts.session = sb.buf;
    opts.session_len = sb.len;
  }
  return opts;
}

static tlsmp_sock_t *sock_alloc(tlsmp_ctx_t *c, mp_obj_t sock) {
  tlsmp_sock_t *o =
      mp_obj_malloc_with_finaliser(tlsmp_sock_t, &tlsmp_sock_type);
  o->ctx = c;
  o->sock = sock;
  o->sess = NULL;
  o->io.send = tlsmp_io_send;
  o->io.recv = tlsmp_io_recv;
  o->io.io = o;
  o->poll_mask = 0;
  o->last_error = 0;
  o->io_errno = 0;
  o->io_exc = MP_OBJ_NULL;
  o->last_status = TLSW_OK;
  o->last_msg[0] = '\0';
  o->cont_buf = NULL;
  o->cont_size = 0;
  o->deferred = TLSW_OK;
  return o;
}

/* Blocking, as with mbedTLS, even on a non-blocking socket. Exceptions
 * parked meanwhile make the transport fail, so the loop ends and the
 * caller raises them. */
static int handshake(tlsmp_sock_t *o) {
  int st;
  while ((st = tlsw_handshake(o->sess)) == TLSW_WANT_READ ||
         st == TLSW_WANT_WRITE || dropped_retry(o, st)) {
    if (st != TLSW_ERR_DATAGRAM_DROPPED) mp_event_wait_ms(1);
  }
  return st;
}

mp_obj_t tlsmp_sock_new(tlsmp_ctx_t *c, mp_obj_t sock, bool server_side,
                        bool do_handshake, mp_obj_t server_hostname,
                        mp_obj_t client_id, mp_obj_t session) {
  mp_get_stream_raise(
      sock, MP_STREAM_OP_READ | MP_STREAM_OP_WRITE | MP_STREAM_OP_IOCTL);
  tlsw_ctx *ctx = tlsmp_live_ctx(c);
  tlsw_wrap_opts opts =
      wrap_opts(c, server_side, server_hostname, client_id, session);
  tlsmp_sock_t *o = sock_alloc(c, sock);
  int st = tlsw_wrap(ctx, &o->io, &opts, &o->sess);
  if (st == TLSW_OK && do_handshake) st = handshake(o);
  if (st != TLSW_OK) {
    if (o->sess == NULL) {
      o->sock = MP_OBJ_NULL;
      tlsmp_raise_status(st, 0, "");
    }
    ctor_fail(o, st);
  }
  return MP_OBJ_FROM_PTR(o);
}

/* A failed read or write: remember it if fatal and raise now, so the first
 * report carries the full exception (later calls repeat it through
 * MP_STREAM_RAISE_ERROR). */
static mp_uint_t io_fail(tlsmp_sock_t *o, int st, int *errcode) {
  remember(o, st);
  check_parked(o);
  if (session_ended(o, st)) {
    o->last_error = tlsmp_errcode_of(st, o->io_errno);
    /* State is of no more use; the socket stays open until close(). */
    sock_release(o);
  }
  tlsmp_raise_status(st, o->io_errno, o->last_msg);
  (void)errcode;
  return MP_STREAM_ERROR;
}

static int sock_ready(tlsmp_sock_t *o, int *errcode) {
  o->poll_mask = 0;
  if (o->last_error != 0) {
    *errcode = o->last_error;
    return 0;
  }
  if (o->sess == NULL) {
    *errcode = MP_EBADF; /* closed */
    return 0;
  }
  return 1;
}

static mp_uint_t tlsmp_sock_read(mp_obj_t self_in, void *buf, mp_uint_t size,
                                 int *errcode) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  /*
   * read(n) calls this in a loop until n bytes came, and discards what it
   * already has if a later call fails with anything but EAGAIN. A peer that
   * writes and then closes (MicroPython never sends close_notify) makes
   * exactly that happen: data, then CONN_EOF in the same read(n). So a
   * failure in the call that continues a read which returned data is held
   * back: that call says EAGAIN (the data is delivered), and the next one
   * raises. The continuation is recognised by its buffer, which starts
   * where the data ended.
   */
  int cont = o->cont_buf != NULL && (uint8_t *)buf == o->cont_buf &&
             size == o->cont_size;
  o->cont_buf = NULL;
  if (o->deferred != TLSW_OK) {
    int held = o->deferred;
    o->deferred = TLSW_OK;
    return io_fail(o, held, errcode);
  }
  if (!sock_ready(o, errcode)) return MP_STREAM_ERROR;
  size_t n = 0;
  int st;
  while (dropped_retry(o, st = tlsw_read(o->sess, buf, size, &n))) {
    check_parked(o);
  }
  check_parked(o);
  if (st == TLSW_OK) {
    o->cont_buf = (uint8_t *)buf + n;
    o->cont_size = size - n;
    return n;
  }
  if (st == TLSW_CLOSED) return 0; /* close_notify: end of stream */
  if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    /* During a handshake a read may need to write first. */
    if (tlsw_session_want(o->sess) == TLSW_DIR_WRITE)
      o->poll_mask = MP_STREAM_POLL_WR;
    *errcode = MP_EWOULDBLOCK;
    return MP_STREAM_ERROR;
  }
  if (cont && session_ended(o, st)) {
    o->deferred = st;
    *errcode = MP_EWOULDBLOCK;
    return MP_STREAM_ERROR;
  }
  return io_fail(o, st, errcode);
}

static mp_uint_t tlsmp_sock_write(mp_obj_t self_in, const void *buf,
                                  mp_uint_t size, int *errcode) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  if (!sock_ready(o, errcode)) return MP_STREAM_ERROR;
  size_t n = 0;
  int st = tlsw_write(o->sess, buf, size, &n);
  check_parked(o);
  if (st == TLSW_OK) return n;
  if (st == TLSW_WANT_READ || st == TLSW_WANT_WRITE) {
    if (tlsw_session_want(o->sess) == TLSW_DIR_READ)
      o->poll_mask = MP_STREAM_POLL_RD;
    *errcode = MP_EWOULDBLOCK;
    return MP_STREAM_ERROR;
  }
  return io_fail(o, st, errcode);
}

static mp_uint_t tlsmp_sock_ioctl(mp_obj_t self_in, mp_uint_t request,
                                  uintptr_t arg, int *errcode) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  mp_obj_t sock = o->sock;
  uintptr_t asked = 0;
  mp_uint_t ret = 0;
  if (request == MP_STREAM_CLOSE) {
    if (sock == MP_OBJ_NULL) return 0; /* second close: nothing to do */
    /* No close_notify, as in MicroPython (its closenotify() PR was
     * rejected): close() must not block or fail on a dead peer. */
    o->sock = MP_OBJ_NULL;
    sock_release(o);
  } else if (request == MP_STREAM_POLL) {
    if (sock == MP_OBJ_NULL || o->last_error != 0) {
      return MP_STREAM_POLL_NVAL;
    }
    if (o->deferred != TLSW_OK) {
      /* A held-back failure: "ready", so the caller calls and gets it. */
      return arg & POLL_RDWR;
    }
    /* The handshake needs the other direction: wait on that one, and
     * report the caller's direction ready when it is, so they retry. */
    if (o->poll_mask && (arg & POLL_RDWR)) {
      asked = arg & POLL_RDWR;
      arg = (arg & ~asked) | o->poll_mask;
    }
    /* Decrypted data already buffered is readable without the socket. */
    if ((arg & MP_STREAM_POLL_RD) && o->sess &&
        tlsw_session_pending(o->sess) > 0) {
      ret |= MP_STREAM_POLL_RD;
      if (arg == MP_STREAM_POLL_RD) return MP_STREAM_POLL_RD;
    }
#ifdef MP_STREAM_RAISE_ERROR
    /* 1.28+: a repeated failure raises the full exception again. Before
     * (Debian's 1.25), MicroPython raises OSError(last_error) itself, the
     * code without its name, as its own mbedTLS module does there. */
  } else if (request == MP_STREAM_RAISE_ERROR) {
    if ((int)arg == o->last_error && o->last_status != TLSW_OK) {
      tlsmp_raise_status(o->last_status, o->io_errno, o->last_msg);
    }
    if ((int)arg > 0) mp_raise_OSError((int)arg);
    *errcode = MP_EINVAL;
    return MP_STREAM_ERROR;
#endif
  } else {
    *errcode = MP_EINVAL;
    return MP_STREAM_ERROR;
  }
  mp_uint_t r = mp_get_stream(sock)->ioctl(sock, request, arg, errcode);
  if (r == MP_STREAM_ERROR) return r;
  ret |= r;
  if (request == MP_STREAM_POLL && (ret & o->poll_mask)) {
    ret |= asked;
  }
  return ret;
}

static mp_obj_t tlsmp_sock_setblocking(mp_obj_t self_in, mp_obj_t flag) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  if (o->sock == MP_OBJ_NULL) mp_raise_OSError(MP_EBADF);
  mp_obj_t dest[3];
  mp_load_method(o->sock, MP_QSTR_setblocking, dest);
  dest[2] = flag;
  return mp_call_method_n_kw(1, 0, dest);
}
static MP_DEFINE_CONST_FUN_OBJ_2(tlsmp_sock_setblocking_obj,
                                 tlsmp_sock_setblocking);

static mp_obj_t tlsmp_sock_getpeercert(mp_obj_t self_in, mp_obj_t binary) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  if (!mp_obj_is_true(binary)) mp_raise_NotImplementedError(NULL);
  const uint8_t *der;
  size_t len;
  if (o->sess == NULL ||
      tlsw_session_peer_cert(o->sess, &der, &len) != TLSW_OK) {
    return mp_const_none;
  }
  return mp_obj_new_bytes(der, len);
}
static MP_DEFINE_CONST_FUN_OBJ_2(tlsmp_sock_getpeercert_obj,
                                 tlsmp_sock_getpeercert);

static mp_obj_t tlsmp_sock_cipher(mp_obj_t self_in) {
  tlsmp_sock_t *o = MP_OBJ_TO_PTR(self_in);
  const char *suite = o->sess ? tlsw_session_cipher(o->sess) : NULL;
  const char *version = o->sess ? tlsw_session_version(o->sess) : NULL;
  char buf[96];
  /* mbedTLS says "unknown" before the handshake; so does this. */
  if (suite == NULL || tlsw_mp_cipher_to_mbedtls(suite, buf, sizeof buf)) {
    strcpy(buf, "unknown");
  }
  mp_obj_t t[2] = {mp_obj_new_str_from_cstr(buf),
                   mp_obj_new_str_from_cstr(version ? version : "unknown")};
  return mp_obj_new_tuple(2, t);
}
static MP_DEFINE_CONST_FUN_OBJ_1(tlsmp_sock_cipher_obj, tlsmp_sock_cipher);

static const mp_rom_map_elem_t tlsmp_sock_locals_table[] = {
    {MP_ROM_QSTR(MP_QSTR_read), MP_ROM_PTR(&mp_stream_read_obj)},
    {MP_ROM_QSTR(MP_QSTR_readinto), MP_ROM_PTR(&mp_stream_readinto_obj)},
    {MP_ROM_QSTR(MP_QSTR_readline),
     MP_ROM_PTR(&mp_stream_unbuffered_readline_obj)},
    {MP_ROM_QSTR(MP_QSTR_write), MP_ROM_PTR(&mp_stream_write_obj)},
    /* As on MicroPython's DTLS-capable builds, for TLS sockets too. */
    {MP_ROM_QSTR(MP_QSTR_recv), MP_ROM_PTR(&mp_stream_read1_obj)},
    {MP_ROM_QSTR(MP_QSTR_recv_into), MP_ROM_PTR(&mp_stream_readinto_obj)},
    {MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&mp_stream_write1_obj)},
    {MP_ROM_QSTR(MP_QSTR_sendall), MP_ROM_PTR(&mp_stream_write_obj)},
    {MP_ROM_QSTR(MP_QSTR_setblocking), MP_ROM_PTR(&tlsmp_sock_setblocking_obj)},
    {MP_ROM_QSTR(MP_QSTR_close), MP_ROM_PTR(&mp_stream_close_obj)},
    {MP_ROM_QSTR(MP_QSTR___del__), MP_ROM_PTR(&mp_stream_close_obj)},
#if MICROPY_UNIX_COVERAGE
    {MP_ROM_QSTR(MP_QSTR_ioctl), MP_ROM_PTR(&mp_stream_ioctl_obj)},
#endif
    {MP_ROM_QSTR(MP_QSTR_getpeercert), MP_ROM_PTR(&tlsmp_sock_getpeercert_obj)},
    {MP_ROM_QSTR(MP_QSTR_cipher), MP_ROM_PTR(&tlsmp_sock_cipher_obj)},
    {MP_ROM_QSTR(MP_QSTR_selected_alpn_protocol),
     MP_ROM_PTR(&tlsmp_sock_selected_alpn_protocol_obj)},
    {MP_ROM_QSTR(MP_QSTR_group), MP_ROM_PTR(&tlsmp_sock_group_obj)},
    {MP_ROM_QSTR(MP_QSTR_key_update), MP_ROM_PTR(&tlsmp_sock_key_update_obj)},
};
static MP_DEFINE_CONST_DICT(tlsmp_sock_locals, tlsmp_sock_locals_table);

static const mp_stream_p_t tlsmp_sock_stream = {
    .read = tlsmp_sock_read,
    .write = tlsmp_sock_write,
    .ioctl = tlsmp_sock_ioctl,
};

MP_DEFINE_CONST_OBJ_TYPE(tlsmp_sock_type, MP_QSTR_SSLSocket, MP_TYPE_FLAG_NONE,
                         protocol, &tlsmp_sock_stream, attr, tlsmp_sock_attr,
                         locals_dict, &tlsmp_sock_locals);

#endif
