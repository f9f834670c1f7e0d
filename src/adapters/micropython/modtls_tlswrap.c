/*
 * MicroPython's `tls` module on tlswrap: a drop-in replacement for
 * extmod/modtls_mbedtls.c, so the frozen ssl.py and every program written
 * for it keep working. Written from MicroPython's documented and tested
 * behaviour (see README.md for what differs and why); uses only tlswrap's
 * public API. This file is the module itself; tlsmp.h maps the others and
 * states the rule about exceptions they all keep.
 */
#include "tlsmp.h"

#if TLSMP_ENABLED

#include "py/runtime.h"

#if MICROPY_PY_TLSWRAP_MEMSTATS
/*
 * Measurement build only (off by default): count the C heap that tlswrap
 * and wolfSSL hold, for the per-socket figures in README.md. Each block
 * carries its size in a header; counters are updated atomically because the
 * unix port runs threads without a GIL.
 */
#include <stdlib.h>
typedef union {
  size_t size;
  long double align_ld; /* C99 has no max_align_t */
  long long align_ll;
  void *align_p;
} memhdr;
static size_t mem_live, mem_peak;
static void mem_add(size_t n) {
  size_t now = __atomic_add_fetch(&mem_live, n, __ATOMIC_RELAXED);
  size_t peak = __atomic_load_n(&mem_peak, __ATOMIC_RELAXED);
  while (now > peak &&
         !__atomic_compare_exchange_n(&mem_peak, &peak, now, 1,
                                      __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
  }
}
static void *mem_malloc(size_t n) {
  memhdr *h = malloc(sizeof(memhdr) + n);
  if (h == NULL) return NULL;
  h->size = n;
  mem_add(n);
  return h + 1;
}
static void mem_free(void *p) {
  if (p == NULL) return;
  memhdr *h = (memhdr *)p - 1;
  __atomic_sub_fetch(&mem_live, h->size, __ATOMIC_RELAXED);
  free(h);
}
static void *mem_realloc(void *p, size_t n) {
  if (p == NULL) return mem_malloc(n);
  memhdr *h = (memhdr *)p - 1;
  size_t old = h->size;
  memhdr *nh = realloc(h, sizeof(memhdr) + n);
  if (nh == NULL) return NULL;
  nh->size = n;
  __atomic_sub_fetch(&mem_live, old, __ATOMIC_RELAXED);
  mem_add(n);
  return nh + 1;
}

/* tls._mem(reset_peak=False) -> (live C heap bytes, peak since reset). */
static mp_obj_t tlsmp_mem(size_t n_args, const mp_obj_t *args) {
  mp_obj_t t[2] = {mp_obj_new_int_from_uint(mem_live),
                   mp_obj_new_int_from_uint(mem_peak)};
  if (n_args > 0 && mp_obj_is_true(args[0])) {
    __atomic_store_n(&mem_peak, mem_live, __ATOMIC_RELAXED);
  }
  return mp_obj_new_tuple(2, t);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(tlsmp_mem_obj, 0, 1, tlsmp_mem);

void tlsmp_mem_install(void) {
  /* Later calls fail harmlessly with TLSW_ERR_STATE. */
  tlsw_set_allocator(mem_malloc, mem_realloc, mem_free);
}
#else
void tlsmp_mem_install(void) {}
#endif

/******************************************************************************/
/* Module */

static const mp_rom_map_elem_t tlsmp_module_table[] = {
    {MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_tls)},
    {MP_ROM_QSTR(MP_QSTR_SSLContext), MP_ROM_PTR(&tlsmp_ctx_type)},
    {MP_ROM_QSTR(MP_QSTR_TLSVersion), MP_ROM_PTR(&tlsmp_version_type)},
    /* No MBEDTLS_VERSION: programs use it to detect mbedTLS and then
     * expect mbedTLS-only output. */
    {MP_ROM_QSTR(MP_QSTR_PROTOCOL_TLS_CLIENT),
     MP_ROM_INT(TLSW_PROTOCOL_TLS_CLIENT)},
    {MP_ROM_QSTR(MP_QSTR_PROTOCOL_TLS_SERVER),
     MP_ROM_INT(TLSW_PROTOCOL_TLS_SERVER)},
    {MP_ROM_QSTR(MP_QSTR_PROTOCOL_DTLS_CLIENT),
     MP_ROM_INT(TLSW_PROTOCOL_DTLS_CLIENT)},
    {MP_ROM_QSTR(MP_QSTR_PROTOCOL_DTLS_SERVER),
     MP_ROM_INT(TLSW_PROTOCOL_DTLS_SERVER)},
    {MP_ROM_QSTR(MP_QSTR_CERT_NONE), MP_ROM_INT(TLSW_CERT_NONE)},
    {MP_ROM_QSTR(MP_QSTR_CERT_OPTIONAL), MP_ROM_INT(TLSW_CERT_OPTIONAL)},
    {MP_ROM_QSTR(MP_QSTR_CERT_REQUIRED), MP_ROM_INT(TLSW_CERT_REQUIRED)},
#if MICROPY_PY_TLSWRAP_MEMSTATS
    {MP_ROM_QSTR(MP_QSTR__mem), MP_ROM_PTR(&tlsmp_mem_obj)},
#endif
};
static MP_DEFINE_CONST_DICT(tlsmp_module_globals, tlsmp_module_table);

const mp_obj_module_t tlsmp_module = {
    .base = {&mp_type_module},
    .globals = (mp_obj_dict_t *)&tlsmp_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_tls, tlsmp_module);

#endif