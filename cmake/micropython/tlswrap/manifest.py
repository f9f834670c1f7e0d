# Frozen content of the MicroPython unix binary CI builds for the adapter's
# tests (scripts/micropython-build.sh). The standard variant's manifest
# needs micropython-lib (mip, ssl.py, unix-ffi), which Debian's +ds source
# does not ship; the tests import `tls` directly. asyncio is in the
# MicroPython tree itself, and the README says asyncio's ssl= works.
include("$(MPY_DIR)/extmod/asyncio")
