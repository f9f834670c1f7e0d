#!/usr/bin/env python3
"""Self-test of check_headers.py: it must flag each defect of
undocumented.h by function name, pass a fully documented declaration, and
refuse input in which it finds no function at all."""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_headers  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
fixture = os.path.join(here, "undocumented.h")
with open(fixture, encoding="utf-8") as f:
    found, problems = check_headers.check_text("undocumented.h", f.read())

expect = {
    "tlsw_fixture_plain": "no /** ... */ doc comment",
    "tlsw_fixture_no_errors": 'no line starting "Errors:"',
    "tlsw_fixture_missing_param": "no @param for 'b'",
    "tlsw_fixture_fnptr": "no @param for 'alloc_fn'",
    "tlsw_fixture_no_return": "has no @return or @retval",
}
failures = []
if sorted(found) != sorted(expect):
    failures.append("found %s, expected %s" % (sorted(found), sorted(expect)))
for name, what in expect.items():
    if not any(name + "()" in p and what in p for p in problems):
        failures.append("%s: not flagged with '%s'" % (name, what))
if any("tlsw_fixture_missing_param" in p and "'a'" in p for p in problems):
    failures.append("tlsw_fixture_missing_param: 'a' is documented")

good = '''
/** @file A header. */
/**
 * @brief Fine.
 * @param[out] out Where.
 * @param cb, user The callback and its pointer.
 * @retval TLSW_OK Done.
 *
 * Errors: TLSW_ERR_ARG (out NULL).
 */
int tlsw_fixture_good(int **out,
                      int (*cb)(void *, int), void *user);
/// @brief Also fine.
/// Errors: none.
void tlsw_fixture_void(void);
'''
found, problems = check_headers.check_text("good.h", good)
if found != ["tlsw_fixture_good", "tlsw_fixture_void"] or problems:
    failures.append("good declarations: found %s, problems %s" % (found, problems))

found, problems = check_headers.check_text("nofile.h", good.replace("@file", ""))
if not any("nofile.h: no /** @file" in p for p in problems):
    failures.append("a header without @file is not flagged")

# Attribute macros with arguments before the return type do not hide a
# declaration (an export or deprecation macro on every prototype).
attr = """
/** @file A header. */
/**
 * @brief Old name.
 * @return 0.
 *
 * Errors: none.
 */
TLSW_API TLSW_DEPRECATED("use tlsw_fixture_new()") int tlsw_fixture_old(void);
"""
found, problems = check_headers.check_text("attr.h", attr)
if found != ["tlsw_fixture_old"] or problems:
    failures.append("attribute macros: found %s, problems %s" % (found, problems))

# Against the exports: a function in the ABI baseline that the parser did
# not find is flagged; with a library, so is a declared one it hides.
with tempfile.NamedTemporaryFile("w", suffix=".abi") as abi:
    abi.write(
        "<abi-corpus>\n"
        "<elf-symbol name='tlsw_fixture_good' type='func-type'/>\n"
        "<elf-symbol name='tlsw_fixture_macro' type='func-type'/>\n"
        "<elf-symbol name='tlsw_fixture_var' type='object-type'/>\n"
        "</abi-corpus>\n"
    )
    abi.flush()
    probs = check_headers.check_exports(["tlsw_fixture_good"], abi=abi.name)
    if len(probs) != 1 or "tlsw_fixture_macro(): exported" not in probs[0]:
        failures.append("ABI cross-check: %s" % probs)
    real = check_headers.lib_functions
    check_headers.lib_functions = lambda path: ({"tlsw_fixture_good"}, None)
    try:
        probs = check_headers.check_exports(
            ["tlsw_fixture_good", "tlsw_fixture_hidden"], lib="fake.so"
        )
    finally:
        check_headers.lib_functions = real
    if len(probs) != 1 or "tlsw_fixture_hidden(): declared" not in probs[0]:
        failures.append("library cross-check: %s" % probs)

with tempfile.NamedTemporaryFile("w", suffix=".h") as empty:
    empty.write("/** @file Nothing declared. */\n")
    empty.flush()
    if check_headers.main(["check_headers.py", empty.name]) != 2:
        failures.append("a header without declarations must exit 2")

for f in failures:
    print("apidoc self-test: " + f)
if failures:
    sys.exit(1)
print("apidoc self-test: check_headers.py flags every defect of the fixture")
