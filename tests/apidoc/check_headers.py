#!/usr/bin/env python3
"""Every tlsw_ function declared in the public headers has a Doxygen comment
(/** ... */ or /// lines) right above it, with a line starting "Errors:" and
a @param for each of its parameters; a function that returns a value also
has @return or @retval. Doxygen's own WARN_NO_PARAMDOC covers part of this,
but only where doxygen is installed, and it says nothing about "Errors:".

The declarations are also held against what the library exports, so a
function the parser cannot read (say, behind a macro form it does not know)
fails instead of escaping the check: every tlsw_ function in the ABI
baseline (--abi abi/libtlswrap.abi) or exported by the built shared library
(--lib libtlswrap.so, read with nm) must be among the declarations found,
and, with --lib, every declaration found must be exported (a public
function left hidden cannot be called).

Usage: check_headers.py [--abi FILE] [--lib FILE] HEADER... (or a directory
of headers)
Exit 0 when every function passes, 1 naming each that does not, 2 on a
usage error or when no function was found at all (a parser gone blind must
not pass).
"""

import os
import re
import subprocess
import sys

# A function declaration at file scope: return type (after any upper-case
# macros, with arguments or not, e.g. TLSW_API TLSW_DEPRECATED("...")), a
# tlsw_ name, the parameter list (may span lines and contain
# function-pointer types), ';'.
DECL = re.compile(
    r"^(?P<attrs>(?:[A-Z_][A-Z0-9_]*\s*\((?:[^()]|\([^()]*\))*\)\s*"
    r"|[A-Z_][A-Z0-9_]*\s+)*)"
    r"(?P<ret>[A-Za-z_][\w \t*]*?[\s*])(?P<name>tlsw_\w+)\s*\((?P<params>[^;{]*?)\)\s*;",
    re.M | re.S,
)


def strip_comments(text):
    """The text with comments blanked (newlines kept, so offsets hold)."""

    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))

    return re.sub(r"/\*.*?\*/|//[^\n]*", blank, text, flags=re.S)


def split_params(params):
    """Top-level comma split: commas inside a function-pointer type's
    parentheses belong to that type."""
    out, depth, cur = [], 0, ""
    for ch in params:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [p.strip() for p in out if p.strip()]


def param_name(p):
    """The declared name of one parameter, or None when it has none."""
    m = re.search(r"\(\s*\*\s*(\w+)\s*\)\s*\(", p)  # void *(*malloc_fn)(...)
    if m:
        return m.group(1)
    p = re.sub(r"\[[^\]]*\]\s*$", "", p)  # uint8_t buf[16]
    words = re.findall(r"[A-Za-z_]\w*", p)
    if len(words) < 2 or words[-1] in ("const", "volatile"):
        return None  # a type alone: unnamed
    return words[-1]


def doc_before(text, start):
    """The doc comment that ends right before offset start (only white
    space between), or None. A plain /* */ comment there is not one."""
    head = text[:start].rstrip()
    if head.endswith("*/"):
        open_at = head.rfind("/*")
        if open_at < 0:
            return None
        comment = head[open_at:]
        if comment.startswith("/**") and not comment.startswith("/**/"):
            return comment
        return None
    # A run of /// lines.
    lines = head.split("\n")
    doc = []
    while lines and lines[-1].lstrip().startswith("///"):
        doc.insert(0, lines.pop())
    return "\n".join(doc) if doc else None


def comment_lines(doc):
    """The comment's lines without the comment markers and leading '*'."""
    body = doc
    if body.startswith("/**"):
        body = body[3:]
        if body.endswith("*/"):
            body = body[:-2]
    out = []
    for line in body.split("\n"):
        line = line.strip()
        if line.startswith("///"):
            line = line[3:]
        elif line.startswith("*"):
            line = line[1:]
        out.append(line.strip())
    return out


def check_text(path, text):
    """(names of functions found, problems) for one header's text."""
    bare = strip_comments(text)
    found, problems = [], []
    # Doxygen documents (and warns about) the members of a file only when
    # the file itself is documented: a header without @file escapes it.
    if not re.search(r"/\*\*(?:(?!\*/).)*?[@\\]file\b", text, re.S):
        problems.append(path + ": no /** @file ... */ comment")
    for m in DECL.finditer(bare):
        # TLSW_API / TLSW_DEPRECATED (tlswrap/export.h) mark a
        # declaration; they are not its return type.
        ret = re.sub(r"\bTLSW_(API|DEPRECATED)\b", "", m.group("ret"))
        ret = " ".join(ret.split())
        if ret.startswith(("typedef", "return", "#")):
            continue
        name = m.group("name")
        found.append(name)
        line = text.count("\n", 0, m.start("name")) + 1
        where = "%s:%d: %s()" % (path, line, name)
        doc = doc_before(text, m.start())
        if doc is None:
            problems.append(where + ": no /** ... */ doc comment right above it")
            continue
        lines = comment_lines(doc)
        if not any(l.startswith("Errors:") for l in lines):
            problems.append(where + ': the doc comment has no line starting "Errors:"')
        documented = set()
        for l in lines:
            pm = re.match(r"[@\\]param(?:\[[^\]]*\])?\s+(\w+(?:\s*,\s*\w+)*)", l)
            if pm:
                documented.update(n.strip() for n in pm.group(1).split(","))
        params = split_params(m.group("params"))
        if params == ["void"]:
            params = []
        for p in params:
            pname = param_name(p)
            if pname is None:
                problems.append(where + ": parameter '%s' has no name to document" % p)
            elif pname not in documented:
                problems.append(where + ": no @param for '%s'" % pname)
        if ret != "void" and not any(
            re.match(r"[@\\](return|returns|retval)\b", l) for l in lines
        ):
            problems.append(where + ": returns %s but has no @return or @retval" % ret)
    return found, problems


def abi_functions(path):
    """The function symbols named in an abidw baseline."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return set(re.findall(r"<elf-symbol name='(tlsw_\w+)' type='func-type'", text))


def lib_functions(path):
    """The tlsw_ functions a shared library exports (nm -D), or None with a
    reason when nm cannot read it."""
    try:
        out = subprocess.run(
            ["nm", "-D", "--defined-only", path],
            check=True, capture_output=True, text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        return None, "nm -D %s: %s" % (path, e)
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in ("T", "W", "i") and parts[2].startswith("tlsw_"):
            names.add(parts[2].split("@")[0])
    return names, None


def check_exports(found, abi=None, lib=None):
    """Problems between the declarations found and the exported functions."""
    problems = []
    declared = set(found)
    sources = []
    if abi:
        sources.append((abi, abi_functions(abi)))
    if lib:
        names, err = lib_functions(lib)
        if err:
            return [err]
        sources.append((lib, names))
        for name in sorted(declared - names):
            problems.append(
                "%s(): declared in the headers but not exported by %s "
                "(hidden: no export macro?)" % (name, lib)
            )
    for src, names in sources:
        if not names:
            problems.append("%s: no tlsw_ function found in it" % src)
        for name in sorted(names - declared):
            problems.append(
                "%s(): exported (%s) but no declaration the checker can read "
                "in the headers (an unknown macro form, or no prototype)"
                % (name, src)
            )
    return problems


def main(argv):
    paths = []
    abi = lib = None
    args = argv[1:]
    while args and args[0] in ("--abi", "--lib"):
        if len(args) < 2:
            print(__doc__.strip(), file=sys.stderr)
            return 2
        if args[0] == "--abi":
            abi = args[1]
        else:
            lib = args[1]
        args = args[2:]
    for a in args:
        if os.path.isdir(a):
            paths += sorted(
                os.path.join(a, f) for f in os.listdir(a) if f.endswith(".h")
            )
        else:
            paths.append(a)
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    found, problems = [], []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            names, probs = check_text(p, f.read())
        found += names
        problems += probs
    if not found:
        print("apidoc: no tlsw_ function declaration found in: " + " ".join(paths))
        return 2
    problems += check_exports(found, abi, lib)
    for p in problems:
        print(p)
    bad = {m.group(1) for m in (re.search(r"(tlsw_\w+)\(\): ", p) for p in problems) if m}
    if problems:
        print(
            "apidoc: %d of %d exported functions are not fully documented "
            "(%d problems in all)" % (len(bad), len(found), len(problems))
        )
        return 1
    print(
        "apidoc: all %d exported functions have a doc comment with an "
        "Errors: line and every @param%s"
        % (len(found), " (checked against %s)" % " and ".join(x for x in (abi, lib) if x)
           if abi or lib else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
