/*
 * The transport of an SSLSocket: tlswrap's send/recv callbacks on the
 * underlying MicroPython stream. They run inside tlswrap calls, so a Python
 * exception is caught here and parked in the socket (see tlsmp.h).
 */
#include "tlsmp.h"

#if TLSMP_ENABLED

#include <errno.h>

#include "py/mperrno.h"
#include "py/runtime.h"
#include "py/stream.h"

static int map_errno(tlsmp_sock_t *o, int err) {
  o->io_errno = err;
  errno = err; /* tlswrap copies errno into its message */
  if (err == MP_ETIMEDOUT) return TLSW_ERR_TIMEOUT;
  if (err == MP_ECONNRESET) return TLSW_ERR_RESET;
  return TLSW_ERR_IO;
}

int tlsmp_io_send(void *io, const uint8_t *buf, size_t len, size_t *out_n) {
  tlsmp_sock_t *o = io;
  if (o->sock == MP_OBJ_NULL || o->io_exc != MP_OBJ_NULL) {
    return map_errno(o, MP_EBADF);
  }
  nlr_buf_t nlr;
  int st;
  if (nlr_push(&nlr) == 0) {
    int err = 0;
    mp_uint_t n = mp_get_stream(o->sock)->write(o->sock, buf, len, &err);
    nlr_pop();
    if (n == MP_STREAM_ERROR) {
      st = mp_is_nonblocking_error(err) ? TLSW_WANT_WRITE : map_errno(o, err);
    } else if (n == 0) {
      /* A stream that takes nothing is not "try again": treat as gone. */
      st = map_errno(o, MP_EPIPE);
    } else {
      *out_n = n;
      st = TLSW_OK;
    }
  } else {
    o->io_exc = MP_OBJ_FROM_PTR(nlr.ret_val);
    st = map_errno(o, MP_EIO);
  }
  return st;
}

int tlsmp_io_recv(void *io, uint8_t *buf, size_t len, size_t *out_n) {
  tlsmp_sock_t *o = io;
  if (o->sock == MP_OBJ_NULL || o->io_exc != MP_OBJ_NULL) {
    return map_errno(o, MP_EBADF);
  }
  nlr_buf_t nlr;
  int st;
  if (nlr_push(&nlr) == 0) {
    int err = 0;
    mp_uint_t n = mp_get_stream(o->sock)->read(o->sock, buf, len, &err);
    nlr_pop();
    if (n == MP_STREAM_ERROR) {
      st = mp_is_nonblocking_error(err) ? TLSW_WANT_READ : map_errno(o, err);
    } else {
      *out_n = n; /* 0 is end of stream */
      st = TLSW_OK;
    }
  } else {
    o->io_exc = MP_OBJ_FROM_PTR(nlr.ret_val);
    st = map_errno(o, MP_EIO);
  }
  return st;
}

#endif
