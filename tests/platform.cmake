# The platform layer on POSIX (src/platform/posix); the none platform is
# tested by the firmware programs (tests/firmware.cmake).
tlsw_add_test(test_platform test_platform.c LABELS core)
