# The unix port's "standard" variant with tlswrap's `tls` module
# (scripts/micropython-build.sh). The standard variant's frozen manifest
# needs micropython-lib, which Debian's +ds source does not ship.
FROZEN_MANIFEST ?= $(VARIANT_DIR)/manifest.py
