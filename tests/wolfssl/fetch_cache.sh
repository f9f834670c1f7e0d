#!/bin/sh
# scripts/wolfssl-fetch.sh from a filled cache: works offline (no apt-get
# on PATH), unpacks with Debian's patches, and refuses a .dsc whose SHA-256
# is not the pin's.   Usage: fetch_cache.sh SOURCE_DIR DL_DIR WORK_DIR
set -eu
src=$1 dl=$2 work=$3
rm -rf "$work"
mkdir -p "$work/bin" "$work/cache"
cp -a "$dl" "$work/cache/dl"
# Offline: an apt-get first on PATH that fails and leaves a mark, so any
# download attempt fails the test.
cat >"$work/bin/apt-get" <<EOT
#!/bin/sh
touch "$work/apt-called"
exit 1
EOT
chmod +x "$work/bin/apt-get"
export PATH="$work/bin:$PATH"
out=$(sh "$src/scripts/wolfssl-fetch.sh" "$work/cache" 2>"$work/err") || {
  cat "$work/err"
  echo "FAIL: offline fetch from a filled cache failed"
  exit 1
}
dir=$(printf '%s\n' "$out" | tail -n 1)
[ -f "$dir/configure.ac" ] && [ -f "$dir/.tlsw-unpacked" ] || {
  echo "FAIL: $dir is not an unpacked wolfSSL tree"
  exit 1
}
# Debian's patches are applied (quilt's record of them).
[ -d "$dir/.pc" ] || { echo "FAIL: Debian's patches were not applied"; exit 1; }
[ ! -e "$work/apt-called" ] || { echo "FAIL: apt-get was called although the cache is full"; exit 1; }
echo "ok: offline fetch unpacked $dir"

# A .dsc that is not the pinned one is refused, and nothing is unpacked.
rm -rf "$dir"
dsc=$(ls "$work/cache/dl"/*.dsc)
printf '\n' >>"$dsc"
if sh "$src/scripts/wolfssl-fetch.sh" "$work/cache" >/dev/null 2>"$work/err"; then
  echo "FAIL: a .dsc with the wrong SHA-256 was accepted"
  exit 1
fi
grep -q "refusing" "$work/err" || { cat "$work/err"; echo "FAIL: no clear message"; exit 1; }
[ ! -d "$dir" ] || { echo "FAIL: unpacked despite the bad checksum"; exit 1; }
echo "ok: $(cat "$work/err")"
rm -rf "$work"
echo "fetch_cache: 2 passed, 0 failed"
