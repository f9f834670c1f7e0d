# cmake -P: run Doxygen on a configured Doxyfile and fail on any warning,
# listing them all. Inputs: DOXYGEN (empty: skip), DOXYFILE, OUTDIR, LOG
# (the WARN_LOGFILE the Doxyfile names), and optionally EXPECT_TITLE (text
# index.html must contain: the main page came from docs/api.md) or
# EXPECT_WARNINGS=1 (the self-test: pass only if doxygen did warn).
if(NOT DOXYGEN)
  # Matched by the test's SKIP_REGULAR_EXPRESSION.
  message("apidoc: SKIPPED: doxygen not found at configure time "
    "(scripts/setup.sh installs it; then re-run cmake)")
  return()
endif()
file(REMOVE_RECURSE ${OUTDIR}/html)
file(REMOVE ${LOG})
execute_process(COMMAND ${DOXYGEN} ${DOXYFILE}
  WORKING_DIRECTORY ${OUTDIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(warnings "")
if(EXISTS ${LOG})
  file(READ ${LOG} warnings)
endif()
string(STRIP "${warnings}" warnings)
string(REGEX MATCHALL "\n" _nl "${warnings}\n")
list(LENGTH _nl nwarn)
if(warnings STREQUAL "")
  set(nwarn 0)
endif()

if(EXPECT_WARNINGS)
  if(nwarn EQUAL 0 OR rc EQUAL 0)
    message(FATAL_ERROR "apidoc self-test: doxygen should have failed on "
      "the undocumented fixture, but exited ${rc} with ${nwarn} warnings")
  endif()
  message(STATUS "apidoc self-test: doxygen failed as it should "
    "(exit ${rc}, ${nwarn} warnings on the undocumented fixture)")
  return()
endif()

if(nwarn GREATER 0 OR NOT rc EQUAL 0)
  message(FATAL_ERROR "apidoc: doxygen exited ${rc} with ${nwarn} "
    "warning(s):\n${warnings}\n${err}")
endif()
if(NOT EXISTS ${OUTDIR}/html/index.html)
  message(FATAL_ERROR "apidoc: doxygen wrote no ${OUTDIR}/html/index.html")
endif()
if(EXPECT_TITLE)
  file(READ ${OUTDIR}/html/index.html index)
  string(FIND "${index}" "${EXPECT_TITLE}" at)
  if(at LESS 0)
    message(FATAL_ERROR "apidoc: the main page lacks \"${EXPECT_TITLE}\" "
      "(docs/api.md not used as the main page?)")
  endif()
endif()
message(STATUS "apidoc: doxygen built ${OUTDIR}/html with 0 warnings")
