/* The unix port's "standard" variant with tlswrap's `tls` module in place
 * of mbedTLS (scripts/micropython-build.sh, VARIANT_DIR=this directory).
 *
 * With mbedTLS and axTLS off, cryptolib and hashlib's MD5/SHA-1 have no
 * implementation (src/adapters/micropython/README.md). MicroPython 1.27 and
 * later let -DMICROPY_PY_CRYPTOLIB=0 etc. in CFLAGS_EXTRA say so; up to
 * 1.26 (Debian's 1.25 included) the unix variants define them to 1 when
 * SSL is on, and a command-line define is a redefinition error under the
 * port's -Werror. Overriding them here works with both. */
#include "variants/standard/mpconfigvariant.h"

#undef MICROPY_PY_CRYPTOLIB
#define MICROPY_PY_CRYPTOLIB (0)
#undef MICROPY_PY_HASHLIB_MD5
#define MICROPY_PY_HASHLIB_MD5 (0)
#undef MICROPY_PY_HASHLIB_SHA1
#define MICROPY_PY_HASHLIB_SHA1 (0)
