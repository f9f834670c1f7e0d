#!/bin/sh
# The man_pages test (tests/packaging.cmake): man/check.sh MANDIR [TOOL...]
#   1. every page MANDIR/*.[1-9] renders without a single warning, with
#      groff -man -ww and, where man-db is installed, man --warnings;
#   2. for each TOOL (the built program), MANDIR/<tool>.1 has an entry
#      under OPTIONS for every option that "TOOL --help" lists (each
#      --long-option word before its examples, each -x short option), and
#      none for a long option the tool does not list, so a new option
#      cannot ship without its page, nor a page keep an option that is gone.
set -eu
mandir=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
fail() {
  echo "FAILED: $*"
  failures=$((failures + 1))
}

for page in "$mandir"/*.[1-9]; do
  name=$(basename "$page")
  groff -man -Tutf8 -ww -z "$page" >"$tmp/out" 2>"$tmp/err" || fail "$name: groff exited $?"
  if [ -s "$tmp/err" ]; then
    fail "$name: groff warnings:"
    sed 's/^/  | /' "$tmp/err"
  fi
  if command -v man >/dev/null 2>&1; then
    # man-db formats for the terminal width: fix it, so the result does not
    # depend on where the test runs.
    MANWIDTH=80 MAN_KEEP_FORMATTING= man --warnings -l "$page" >/dev/null 2>"$tmp/err" ||
      fail "$name: man -l exited $?"
    if [ -s "$tmp/err" ]; then
      fail "$name: man --warnings:"
      sed 's/^/  | /' "$tmp/err"
    fi
  fi
  echo "rendered: $name"
done

for tool in "$@"; do
  name=$(basename "$tool")
  page="$mandir/$name.1"
  if [ ! -f "$page" ]; then
    fail "$name has no man page $page"
    continue
  fi
  "$tool" --help >"$tmp/help" 2>&1 || fail "$name --help exited $?"
  # Plain text of the page: -Tascii with no overstriking, so "\-\-cafile"
  # reads "--cafile".
  groff -man -Tascii -P-cbou "$page" 2>/dev/null >"$tmp/page"
  # The page's option entries: the tags of its OPTIONS list, such as
  # "       -k, --insecure" (a mention in prose does not document one).
  sed -n '/^OPTIONS/,/^[A-Z]/p' "$tmp/page" |
    grep -E '^       (-[A-Za-z0-9], )?--[a-z0-9]' >"$tmp/tags" || true
  grep -o -- '--[a-z0-9][a-z0-9-]*' "$tmp/tags" | sort -u >"$tmp/documented"
  sed -n 's/^ *\(-[A-Za-z0-9]\), .*/\1/p' "$tmp/tags" | sort -u >"$tmp/documented_short"
  # Long options as words anywhere in --help up to its examples (which may
  # show another program's options: "curl --cacert"); short ones where an
  # option line starts ("  -k, --insecure").
  sed '/^Examples:/,$d' "$tmp/help" | grep -o -- '--[a-z0-9][a-z0-9-]*' |
    sort -u >"$tmp/long"
  sed -n 's/^ *\(-[A-Za-z0-9]\), .*/\1/p' "$tmp/help" | sort -u >"$tmp/short"
  before=$failures
  for kind in long short; do
    [ $kind = long ] && doc="$tmp/documented" || doc="$tmp/documented_short"
    while read -r opt; do
      grep -qx -e "$opt" "$doc" ||
        fail "$name: $opt is in --help but has no entry under OPTIONS in $page"
    done <"$tmp/$kind"
  done
  # And the other way: an entry for a long option the tool does not list.
  while read -r opt; do
    grep -qx -e "$opt" "$tmp/long" ||
      fail "$name: $page documents $opt, which --help does not list"
  done <"$tmp/documented"
  [ $failures -eq $before ] || continue
  echo "options: $name: the $(cat "$tmp/long" "$tmp/short" | wc -l) options of --help all have an entry in $name.1"
done

if [ $failures -ne 0 ]; then
  echo "man pages: $failures problem(s)"
  exit 1
fi
echo "man pages: ok"
