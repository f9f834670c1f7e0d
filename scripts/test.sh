#!/bin/bash
# The whole check, as CI runs it (.ci/run):
#   1. scripts/setup.sh (packages; needs root if any are missing)
#   2. preset "default": wolfSSL built from the pinned source (host
#      profile), configure, build, then the MicroPython unix binary with
#      the `tls` module on that build's libtlswrap.a (step micropython/build:
#      scripts/micropython-build.sh, Debian's MicroPython source, cached in
#      build/_micropython; its tests mp_* run in this ctest), ctest
#   3. preset "debug-asan": the same with clang, ASan+UBSan in tlswrap and
#      in wolfSSL itself
#   4. preset "system": Debian's prebuilt wolfSSL 5.5.4, build, ctest
#   5. preset "cortex-m4": the firmware build (arm-none-eabi-gcc, the
#      firmware wolfSSL profile), its images run under qemu-system-arm
#      -M mps2-an386 (docs/firmware.md); about 1 min the first time
#   6. a Release build with the other compiler (gcc if the default one is
#      clang, else clang), so -Werror holds under both compilers
#   7. the API reference (docs target of the default build: Doxygen, any
#      warning fails it)
#   8. the ABI gate on the default preset's build (scripts/abi-check.sh;
#      ctest runs it there too, as abi_check: this step names it in the
#      summary)
#   9. the fuzz targets (clang, TLSW_FUZZ=ON, build/fuzz): built, then each
#      run for 10 s from its seed corpus; a crash, leak or sanitizer
#      report fails it (tests/fuzz/README.md)
# The wolfSSL builds are kept in build/_wolfssl (one per compiler and
# flags): only the first run builds them (about a minute each).
# Every step runs even if an earlier one failed (except after a setup
# failure); the last line is a one-line summary and the exit status is 0
# only if every step passed.
set -uo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)
results=()
failed_steps=()
failed=0

step() { # name command...
  local name=$1 t0 rc
  shift
  echo
  echo "==== $name: $*"
  t0=$(date +%s)
  "$@"
  rc=$?
  if [ $rc -eq 0 ]; then
    results+=("$name ok ($(($(date +%s) - t0))s)")
  else
    results+=("$name FAILED")
    failed_steps+=("$name")
    failed=1
  fi
  return $rc
}

# Test count from ctest's own summary line, for the final report.
ctest_preset() { # preset
  local log rc
  log=$(mktemp)
  ctest --preset "$1" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  counts[$1]=$(grep -Eo '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1)
  # Names from ctest's "The following tests FAILED:" list.
  failures[$1]=$(sed -n '/The following tests FAILED:/,$p' "$log" |
    sed -n 's/^[[:space:]]*[0-9]* - \([^ ]*\).*/\1/p' | tr '\n' ' ')
  rm -f "$log"
  return "$rc"
}
declare -A counts failures

if ! step setup scripts/setup.sh; then
  echo "test.sh: FAILED: scripts/setup.sh could not install the packages"
  exit 1
fi

# The default build's ctest runs the MicroPython adapter's tests with the
# binary micropython/build makes (if that step fails, they fail: the path
# is configured, the binary is missing).
mp_bin=$PWD/build/_micropython/bin/micropython
presets="default debug-asan system"
for preset in $presets; do
  args=()
  [ "$preset" = default ] && args=(-DTLSW_MICROPYTHON="$mp_bin")
  if step "$preset/configure" cmake --preset "$preset" "${args[@]}" &&
     step "$preset/build" cmake --build --preset "$preset"; then
    if [ "$preset" = default ]; then
      step micropython/build scripts/micropython-build.sh \
        build/default/libtlswrap.a build/_micropython
    fi
    step "$preset/test" ctest_preset "$preset"
  fi
done

# The firmware images under QEMU, after the main suites (the cross-built
# wolfSSL is cached in build/_wolfssl like the others).
if step cortex-m4/configure cmake --preset cortex-m4 &&
   step cortex-m4/build cmake --build --preset cortex-m4; then
  step cortex-m4/test ctest_preset cortex-m4
fi

# The default preset uses the system compiler (cc): build once with the
# other one.
other=release-clang
if grep -qs 'set(CMAKE_C_COMPILER_ID "Clang")' build/default/CMakeFiles/*/CMakeCCompiler.cmake; then
  other=release-gcc
fi
step "$other/configure" cmake --preset "$other" &&
  step "$other/build" cmake --build --preset "$other"

step docs cmake --build --preset default --target docs

# The ABI gate, on the reference build (the default preset).
if [ -e build/default/libtlswrap.so ]; then
  step abi scripts/abi-check.sh build/default
fi

# The fuzz targets: their own build (wolfSSL with the fuzzing flags is a
# cached variant of its own), then 10 s each.
fuzz_build() {
  cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
    -DTLSW_FUZZ=ON -DTLSW_BUILD_TESTS=OFF -DTLSW_BUILD_LUA=OFF \
    -DTLSW_WOLFSSL_CACHE_DIR="$PWD/build/_wolfssl" &&
    cmake --build build/fuzz -j2
}
step fuzz/build fuzz_build &&
  step fuzz/run tests/fuzz/run.sh build/fuzz 10

echo
echo "==== summary"
for r in "${results[@]}"; do echo "  $r"; done
for p in $presets; do
  echo "  ctest $p: ${counts[$p]:-not run}${failures[$p]:+ (failed: ${failures[$p]% })}"
done
total=$(($(date +%s) - start))
if [ $failed -eq 0 ]; then
  echo "test.sh: PASS (${total}s): default ${counts[default]:-?}; debug-asan ${counts[debug-asan]:-?}; system ${counts[system]:-?}; cortex-m4 ${counts[cortex-m4]:-?} under QEMU; $other built warning-free; ABI matches abi/libtlswrap.abi"
else
  ftests="${failures[default]:-}${failures[debug-asan]:-}${failures[system]:-}"
  echo "test.sh: FAILED (${total}s): ${failed_steps[*]}${ftests:+; failing tests: ${ftests% }}"
fi
exit $failed
