# The API reference (label apidoc): the header comments are Doxygen, and
# every exported function says how it fails.

set(_tlsw_apidoc_dir ${CMAKE_CURRENT_BINARY_DIR}/apidoc)
file(MAKE_DIRECTORY ${_tlsw_apidoc_dir} ${_tlsw_apidoc_dir}/selftest)

# Doxygen over the headers and docs/api.md, as the docs target runs it but
# into a directory of its own: any warning fails. Skipped (not passed)
# where doxygen is missing; setup.sh installs it, so CI runs it.
if(TLSW_DOXYGEN)
  tlsw_configure_doxyfile(${_tlsw_apidoc_dir}/Doxyfile ${_tlsw_apidoc_dir}
    ${_tlsw_apidoc_dir}/doxygen-warnings.log)
endif()
add_test(NAME apidoc_doxygen
  COMMAND ${CMAKE_COMMAND} -DDOXYGEN=${TLSW_DOXYGEN}
    -DDOXYFILE=${_tlsw_apidoc_dir}/Doxyfile -DOUTDIR=${_tlsw_apidoc_dir}
    -DLOG=${_tlsw_apidoc_dir}/doxygen-warnings.log
    "-DEXPECT_TITLE=Using the tlswrap API"
    -P ${CMAKE_CURRENT_SOURCE_DIR}/apidoc/run_doxygen.cmake)
set_tests_properties(apidoc_doxygen PROPERTIES LABELS apidoc TIMEOUT 120
  SKIP_REGULAR_EXPRESSION "apidoc: SKIPPED")

# The runner itself: on a header with undocumented declarations it must
# fail, or a Doxyfile that stopped counting warnings would pass silently.
if(TLSW_DOXYGEN)
  tlsw_configure_doxyfile(${_tlsw_apidoc_dir}/selftest/Doxyfile
    ${_tlsw_apidoc_dir}/selftest ${_tlsw_apidoc_dir}/selftest/warnings.log
    ${CMAKE_CURRENT_SOURCE_DIR}/apidoc/undocumented.h)
endif()
add_test(NAME apidoc_doxygen_selftest
  COMMAND ${CMAKE_COMMAND} -DDOXYGEN=${TLSW_DOXYGEN}
    -DDOXYFILE=${_tlsw_apidoc_dir}/selftest/Doxyfile
    -DOUTDIR=${_tlsw_apidoc_dir}/selftest
    -DLOG=${_tlsw_apidoc_dir}/selftest/warnings.log -DEXPECT_WARNINGS=1
    -P ${CMAKE_CURRENT_SOURCE_DIR}/apidoc/run_doxygen.cmake)
set_tests_properties(apidoc_doxygen_selftest PROPERTIES LABELS apidoc
  TIMEOUT 60 SKIP_REGULAR_EXPRESSION "apidoc: SKIPPED")

# Every tlsw_ function in include/tlswrap/*.h: a doc comment with an
# "Errors:" line and a @param per parameter (needs only Python 3). Every
# exported function must be among them: those of the ABI baseline and, when
# it is built, those libtlswrap.so exports (and no declared one hidden).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  set(_tlsw_apidoc_exports --abi ${PROJECT_SOURCE_DIR}/abi/libtlswrap.abi)
  if(TARGET tlswrap_shared)
    list(APPEND _tlsw_apidoc_exports --lib $<TARGET_FILE:tlswrap_shared>)
  endif()
  add_test(NAME apidoc_errors_params
    COMMAND Python3::Interpreter
      ${CMAKE_CURRENT_SOURCE_DIR}/apidoc/check_headers.py
      ${_tlsw_apidoc_exports} ${PROJECT_SOURCE_DIR}/include/tlswrap)
  set_tests_properties(apidoc_errors_params PROPERTIES LABELS apidoc
    TIMEOUT 30)
  # The checker against headers with each kind of defect.
  add_test(NAME apidoc_checker_selftest
    COMMAND Python3::Interpreter
      ${CMAKE_CURRENT_SOURCE_DIR}/apidoc/selftest.py)
  set_tests_properties(apidoc_checker_selftest PROPERTIES LABELS apidoc
    TIMEOUT 30)
else()
  # Not silently absent: setup.sh installs python3.
  add_test(NAME apidoc_errors_params
    COMMAND ${CMAKE_COMMAND} -E echo
      "apidoc: SKIPPED: python3 not found at configure time")
  set_tests_properties(apidoc_errors_params PROPERTIES LABELS apidoc
    SKIP_REGULAR_EXPRESSION "apidoc: SKIPPED")
endif()
