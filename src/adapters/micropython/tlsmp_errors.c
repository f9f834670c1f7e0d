/*
 * Errors of MicroPython's `tls` module: what MicroPython's mbedTLS module
 * raises for the same failure (the tables are in tlsw_mp_map.c).
 */
#include "tlsmp.h"

#if TLSMP_ENABLED

#include "py/mperrno.h"
#include "py/runtime.h"

MP_NORETURN void tlsmp_raise_code_name(int code, const char *name) {
  mp_obj_t args[2] = {MP_OBJ_NEW_SMALL_INT(code),
                      mp_obj_new_str_from_cstr(name)};
  nlr_raise(mp_obj_exception_make_new(&mp_type_OSError, 2, 0, args));
}

/*
 * Raise what MicroPython's mbedTLS module raises for the same failure:
 * OSError(errno) for the transport and ENOMEM, ValueError with mbedTLS's
 * verify text for a failed verification, OSError(code, 'MBEDTLS_ERR_...')
 * where mbedTLS has the same error, and otherwise
 * OSError(tlswrap status, tlswrap's message).
 */
MP_NORETURN void tlsmp_raise_status(int status, int io_errno, const char *msg) {
  tlsw_category cat = tlsw_status_category(status);
  if (cat == TLSW_CAT_NOMEM) mp_raise_OSError(MP_ENOMEM);
  if (cat == TLSW_CAT_IO && io_errno > 0) mp_raise_OSError(io_errno);
  const char *vtext = tlsw_mp_verify_text(status);
  if (vtext != NULL) {
    mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("\n%s\n"), vtext);
  }
  if (status == TLSW_ERR_CERT_VERIFY) {
    /* No single mbedTLS flag matches; keep the shape, tlswrap's words. */
    mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("\n%s\n"),
                      msg[0] ? msg : tlsw_strerror(status));
  }
  int code;
  const char *name;
  if (tlsw_mp_mbedtls_error(status, &code, &name)) {
    tlsmp_raise_code_name(code, name);
  }
  mp_obj_t args[2] = {
      MP_OBJ_NEW_SMALL_INT(status),
      mp_obj_new_str_from_cstr(msg[0] ? msg : tlsw_strerror(status))};
  nlr_raise(mp_obj_exception_make_new(&mp_type_OSError, 2, 0, args));
}

/* The stream-layer error code for a status: errno where MicroPython would
 * raise OSError(errno), else the code MicroPython programs compare. */
int tlsmp_errcode_of(int status, int io_errno) {
  tlsw_category cat = tlsw_status_category(status);
  if (cat == TLSW_CAT_NOMEM) return MP_ENOMEM;
  if (cat == TLSW_CAT_IO && io_errno > 0) return io_errno;
  int code;
  const char *name;
  if (tlsw_mp_mbedtls_error(status, &code, &name)) return code;
  return status;
}

MP_NORETURN void tlsmp_raise_ctx(tlsmp_ctx_t *c, int status) {
  tlsmp_raise_status(status, 0, tlsw_ctx_message(c->ctx));
}

MP_NORETURN void tlsmp_raise_bad_config(void) {
  int code;
  const char *name;
  tlsw_mp_mbedtls_error(TLSW_ERR_CIPHER, &code, &name);
  tlsmp_raise_code_name(code, name);
}

#endif
