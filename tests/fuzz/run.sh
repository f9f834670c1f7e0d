#!/bin/sh
# Runs fuzz targets for a fixed time each, one after the other:
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]   (default: all)
#
# BUILD_DIR is a TLSW_FUZZ=ON build. Each target starts from its committed
# seeds (tests/fuzz/corpus/<name>/, read only: new inputs go to a scratch
# directory) and runs for SECONDS; one line per target gives libFuzzer's
# figures. A crash, leak, sanitizer report or timeout fails the run and
# keeps the input that caused it in fuzz-artifacts/ (under the current
# directory). scripts/test.sh runs this with 10 seconds per target;
# tests/fuzz/README.md says how to run them for hours.
set -u
build=${1:?usage: $0 BUILD_DIR SECONDS [TARGET...]}
secs=${2:?usage: $0 BUILD_DIR SECONDS [TARGET...]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
targets=${*:-tls_server tls_client dtls_server dtls_client load lists hostname ocsp cli_http cli_x509}
artifacts=$PWD/fuzz-artifacts
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM
failed=""
# A recorded whole-connection seed must still replay to the peer's
# close_notify after a complete handshake: once what our sessions send
# changes (an extension, the profile), the recording no longer matches
# the transcript, the seed stops at the first check, and the fuzzer starts
# far from the protocol's depths without saying so. Such a seed fails the
# run; tests/fuzz/README.md says how to record it again.
stale_seeds() { # target
  for s in "$here/corpus/$1"/*-all "$here/corpus/$1"/*cookie-rest; do
    [ -e "$s" ] || continue
    if ! FUZZ_VERBOSE=1 "$build/fuzz_$1" "$s" 2>&1 |
      grep -q "TLSW_CLOSED, handshake done"; then
      echo "fuzz $1: the seed $(basename "$s") no longer replays to a complete handshake and close_notify (record it again: tests/fuzz/README.md)"
      return 1
    fi
  done
}

for t in $targets; do
  exe=$build/fuzz_$t
  if [ ! -x "$exe" ]; then
    echo "fuzz $t: $exe is missing (build with -DTLSW_FUZZ=ON)"
    failed="$failed $t"
    continue
  fi
  if ! stale_seeds "$t"; then
    failed="$failed $t"
    continue
  fi
  mkdir -p "$scratch/$t" "$artifacts"
  log=$scratch/$t.log
  # -timeout: one input taking a second is a hang for these targets;
  # -rss_limit_mb: a leak or runaway allocation fails instead of swapping.
  "$exe" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 \
    -max_len=16384 -print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
    "$scratch/$t" "$here/corpus/$t" >"$log" 2>&1
  rc=$?
  stats=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if [ $rc -eq 0 ]; then
    echo "fuzz $t: ok, ${secs}s, $execs execs; $stats"
  else
    echo "fuzz $t: FAILED (exit $rc); the report:"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20
    failed="$failed $t"
  fi
done
if [ -n "$failed" ]; then
  echo "fuzz: FAILED:$failed"
  exit 1
fi
echo "fuzz: PASS ($targets)"
