#!/usr/bin/env python3
"""Fail when a function in src/ is longer than the house limit.

Usage: check-functions.py SRC_DIR [--max N] [--list]

A function is a definition at file scope (brace depth 0) in the layout
clang-format gives this tree: its opening brace ends the line that closes
its parameter list, its closing brace stands alone in column 0. Its length
is counted from the first line of its signature to the closing brace,
both included, which is what a reader scrolls through. Comments, strings
and character literals are blanked first so braces inside them do not
count. Directories named in EXCLUDED are skipped, each with its reason.
"""
import os
import re
import sys

# Explicit, so nothing is skipped by accident.
EXCLUDED = {
    # None: the MicroPython module is split by object now (issue #16).
}


def blank(text):
    """Comments and literals become spaces; newlines survive."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * (j - i - 2) + c if j - i >= 2 else c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    with open(path, encoding="utf-8") as f:
        lines = blank(f.read()).split("\n")
    depth = 0
    start = None  # first line of the current top-level declaration
    name = None
    body_start = None
    for no, line in enumerate(lines, 1):
        stripped = line.strip()
        if depth == 0 and stripped.startswith("#"):
            start = None
            continue
        if depth == 0:
            if start is None and stripped:
                start = no
            if stripped.endswith(";") or stripped.endswith("}") and "{" not in line:
                start = None
        for ch in line:
            if ch == "{":
                if depth == 0:
                    body_start = no
                    text = " ".join(lines[(start or no) - 1:no])
                    m = re.search(r"([A-Za-z_]\w*)\s*\([^;]*\)\s*\{\s*$", text)
                    name = m.group(1) if m and "=" not in text.split("(")[0] else None
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    if name is not None:
                        yield name, start or body_start, no
                    start = None
                    name = None


def main(argv):
    root = argv[1]
    limit = 60
    if "--max" in argv:
        limit = int(argv[argv.index("--max") + 1])
    listing = "--list" in argv
    bad = []
    longest = (0, "", "")
    for dirpath, dirs, files in os.walk(root):
        rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
        if rel in EXCLUDED:
            print("skipped src/%s: %s" % (rel, EXCLUDED[rel]))
            dirs[:] = []
            continue
        for fn in sorted(files):
            if not fn.endswith(".c"):
                continue
            p = os.path.join(dirpath, fn)
            for name, a, b in functions(p):
                n = b - a + 1
                where = "%s:%d" % (os.path.relpath(p, os.path.dirname(root)), a)
                if n > longest[0]:
                    longest = (n, name, where)
                if listing:
                    print("%4d %s %s" % (n, where, name))
                if n > limit:
                    bad.append((n, where, name))
    print("longest function: %s (%d lines) at %s" % (longest[1], longest[0], longest[2]))
    for n, where, name in sorted(bad, reverse=True):
        print("%s: %s is %d lines (limit %d)" % (where, name, n, limit))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
