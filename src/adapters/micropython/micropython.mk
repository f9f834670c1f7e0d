# MicroPython user C module: `tls` on tlswrap (replaces modtls_mbedtls.c).
#
# Build the port with MicroPython's own TLS off and this directory's parent
# as USER_C_MODULES, e.g. for the unix port:
#   make -C ports/unix MICROPY_SSL_MBEDTLS=0 USER_C_MODULES=<tlswrap>/src/adapters \
#        TLSWRAP_LIB=<tlswrap build dir>/libtlswrap.a
# See README.md in this directory.

TLSWRAP_MOD_DIR := $(USERMOD_DIR)

# tlswrap checkout (headers) and the static library built from it.
TLSWRAP_ROOT ?= $(abspath $(TLSWRAP_MOD_DIR)/../../..)
TLSWRAP_LIB ?= $(TLSWRAP_ROOT)/build/libtlswrap.a
# What libtlswrap.a needs at link time: the default source build carries
# wolfSSL inside it (-lm for wolfSSL's math); a TLSW_WOLFSSL=system build
# needs "-lwolfssl -lpthread" here instead.
TLSWRAP_BACKEND_LIBS ?= -lpthread -lm

# MicroPython puts a module's objects in $(BUILD)/<module directory name>/
# (1.2x: the path below USER_C_MODULES), which for this directory is
# $(BUILD)/micropython: the unix port's binary. It finds them by stripping
# the USER_C_MODULES (1.25) or module directory (1.29) prefix from the
# source names; naming the sources "/./<absolute path>" matches neither, so
# their objects go under $(BUILD)/<absolute path> instead. (A "//" before
# the directory name did this for 1.29 only: 1.25's prefix still matched.)
TLSWRAP_MOD_SRC := /.$(abspath $(TLSWRAP_MOD_DIR))
SRC_USERMOD_C += $(TLSWRAP_MOD_SRC)/modtls_tlswrap.c
SRC_USERMOD_C += $(TLSWRAP_MOD_SRC)/tlsmp_context.c
SRC_USERMOD_C += $(TLSWRAP_MOD_SRC)/tlsmp_socket.c
SRC_USERMOD_C += $(TLSWRAP_MOD_SRC)/tlsmp_transport.c
SRC_USERMOD_C += $(TLSWRAP_MOD_SRC)/tlsmp_errors.c
SRC_USERMOD_C += $(TLSWRAP_MOD_SRC)/tlsmp_extra.c
SRC_USERMOD_C += $(TLSWRAP_MOD_SRC)/tlsw_mp_map.c
CFLAGS_USERMOD += -I$(TLSWRAP_ROOT)/include -I$(TLSWRAP_MOD_DIR)
LDFLAGS_USERMOD += $(TLSWRAP_LIB) $(TLSWRAP_BACKEND_LIBS)
