# The API reference: HTML from the public headers' Doxygen comments, with
# docs/api.md as its main page, into <build>/docs/html.
#
#   cmake --build <build> --target docs
#
# The target exists only when doxygen is found, and is not part of ALL
# unless TLSW_BUILD_DOCS is ON (which then also installs the HTML under
# share/doc/tlswrap/html). Any Doxygen warning fails it: an undocumented
# declaration or parameter is a build error, not a gap found later.
#
# Sets, for tests/apidoc.cmake: TLSW_DOXYGEN (the executable, empty when
# none was found) and TLSW_DOXYFILE_IN.
option(TLSW_BUILD_DOCS
  "Build the HTML API reference with ALL and install it (needs doxygen)" OFF)

find_package(Doxygen QUIET)
set(TLSW_DOXYFILE_IN ${PROJECT_SOURCE_DIR}/docs/Doxyfile.in)
set(TLSW_DOXYGEN "")
if(DOXYGEN_FOUND)
  set(TLSW_DOXYGEN ${DOXYGEN_EXECUTABLE})
elseif(TLSW_BUILD_DOCS)
  message(FATAL_ERROR "TLSW_BUILD_DOCS is ON but doxygen was not found "
    "(Debian: apt-get install doxygen, or scripts/setup.sh)")
endif()

# The input, in a fixed order so the output does not depend on the
# directory listing.
file(GLOB TLSW_DOC_HEADERS CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/include/tlswrap/*.h)
list(SORT TLSW_DOC_HEADERS)
# errors.md too: api.md links to it, and it is the table of statuses the
# headers refer to.
set(TLSW_DOC_INPUTS ${TLSW_DOC_HEADERS} ${PROJECT_SOURCE_DIR}/docs/api.md
  ${PROJECT_SOURCE_DIR}/docs/errors.md)

# tlsw_configure_doxyfile(<out> <output dir> <warning log> [inputs...]):
# the Doxyfile for one run (inputs: TLSW_DOC_INPUTS by default); the docs
# target and the test each have their own, so that a test run never races
# with a build of the target.
function(tlsw_configure_doxyfile out outdir log)
  set(inputs ${ARGN})
  if(NOT inputs)
    set(inputs ${TLSW_DOC_INPUTS})
  endif()
  set(TLSW_DOXY_OUTPUT "${outdir}")
  set(TLSW_DOXY_WARN_LOG "${log}")
  set(TLSW_DOXY_INPUT "")
  foreach(f ${inputs})
    string(APPEND TLSW_DOXY_INPUT " \"${f}\"")
  endforeach()
  configure_file(${TLSW_DOXYFILE_IN} ${out} @ONLY)
endfunction()

if(DOXYGEN_FOUND)
  set(_tlsw_docs_dir ${PROJECT_BINARY_DIR}/docs)
  tlsw_configure_doxyfile(${_tlsw_docs_dir}/Doxyfile ${_tlsw_docs_dir}
    ${_tlsw_docs_dir}/doxygen-warnings.log)
  set(_tlsw_docs_stamp ${_tlsw_docs_dir}/html/index.html)
  # Doxygen's exit status already fails on warnings (FAIL_ON_WARNINGS);
  # the old html is removed first so no stale page survives a rename.
  add_custom_command(OUTPUT ${_tlsw_docs_stamp}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${_tlsw_docs_dir}/html
    COMMAND ${DOXYGEN_EXECUTABLE} ${_tlsw_docs_dir}/Doxyfile
    DEPENDS ${TLSW_DOC_INPUTS} ${_tlsw_docs_dir}/Doxyfile
    WORKING_DIRECTORY ${_tlsw_docs_dir}
    COMMENT "Building the API reference (Doxygen) in ${_tlsw_docs_dir}/html"
    VERBATIM)
  if(TLSW_BUILD_DOCS)
    add_custom_target(docs ALL DEPENDS ${_tlsw_docs_stamp})
    install(DIRECTORY ${_tlsw_docs_dir}/html
      DESTINATION ${CMAKE_INSTALL_DOCDIR})
  else()
    add_custom_target(docs DEPENDS ${_tlsw_docs_stamp})
  endif()
endif()
