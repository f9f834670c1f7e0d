#!/usr/bin/env python3
"""Fail when an #include in src/ crosses a layer the wrong way, or when
headers include each other in a cycle.

Usage: check-layers.py SRC_DIR

The layers (docs/design.md, "Layers"), lowest first:
  tlswrap/   the public headers: anyone may include them
  support/   messages, allocation: beneath everything
  platform/  once, mutex, clock, entropy, files: beneath everything
  backend/   backend.h (the vtable) and wolfssl/: never the core
  core/      reaches the backend only through backend/backend.h
  io/        transports: the public API, support/, platform/, io/'s own
             headers and core/ref.h only
  adapters/  the public API only
Only src/backend/wolfssl/ includes wolfSSL headers.
"""
import os
import re
import sys

INC = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def allowed(rel, target, system):
    """None when rel may include target, else the rule it breaks."""
    top = rel.split("/")[0]
    if system:
        if target.startswith("wolfssl/") and not rel.startswith("backend/wolfssl/"):
            return "only src/backend/wolfssl/ includes wolfSSL headers"
        return None
    if target.startswith("tlswrap/"):
        return None
    ttop = target.split("/")[0]
    beneath = ("support", "platform")
    if top in beneath and ttop not in beneath:
        return "src/%s/ includes only support/, platform/ and public " \
               "headers (it is beneath every layer)" % top
    if top == "backend" and ttop == "core":
        return "the backend never includes a core header (it gets what it " \
               "needs through backend/backend.h)"
    if top == "backend" and ttop not in ("backend",) + beneath:
        return "the backend includes only backend/, support/ and platform/ " \
               "headers"
    if top == "core" and ttop == "backend" and target != "backend/backend.h":
        return "the core reaches the backend only through backend/backend.h"
    if top == "io" and ttop not in beneath + ("io",) and target != "core/ref.h":
        return "transports include only support/, platform/, io/, " \
               "core/ref.h and public headers"
    if top == "adapters" and ttop in ("core", "backend", "support", "io"):
        return "adapters use the public API only"
    return None


def main(argv):
    root = argv[1]
    errors = []
    graph = {}
    for dirpath, _dirs, files in os.walk(root):
        for fn in sorted(files):
            if not fn.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, fn)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            edges = graph.setdefault(rel, [])
            with open(path, encoding="utf-8") as f:
                for no, line in enumerate(f, 1):
                    m = INC.match(line)
                    if not m:
                        continue
                    system, target = m.group(1) == "<", m.group(2)
                    why = allowed(rel, target, system)
                    if why:
                        errors.append("src/%s:%d: includes %s: %s" % (rel, no, target, why))
                    if not system and os.path.exists(os.path.join(root, target)):
                        edges.append(target)
                    elif not system and not target.startswith("tlswrap/"):
                        # A header next to the includer (adapters' own).
                        local = os.path.join(os.path.dirname(rel), target)
                        if os.path.exists(os.path.join(root, local)):
                            edges.append(os.path.normpath(local))
    # Cycles: depth-first search over the include graph.
    state = {}
    stack = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in graph.get(n, []):
            if state.get(m) == 1:
                cyc = stack[stack.index(m):] + [m]
                errors.append("include cycle: " + " -> ".join(cyc))
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)
    for e in errors:
        print(e)
    print("%d files checked, %d problems" % (len(graph), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
