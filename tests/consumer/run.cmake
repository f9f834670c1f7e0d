# cmake -P driver for the install tests (tests/install.cmake,
# tests/packaging.cmake):
#   1. cmake --install BUILD_DIR into a fresh prefix under WORK,
#   2. with MANIFEST=ON, compare every installed file with the list the
#      build should install (nothing missing, nothing extra),
#   3. build tests/consumer with find_package(tlswrap) for each installed
#      library, and check the version and components it must refuse,
#   4. build it with pkg-config, shared and/or static,
#   5. run every program,
#   6. compile every installed public header on its own (strict C99).
# Inputs: BUILD_DIR, SRC (tests/consumer), SOURCE_DIR (the tlswrap tree),
# WORK, CC, CONFIG, EXTRA_FLAGS (e.g. sanitizer flags the installed library
# was built with), WOLFSSL (TLSW_WOLFSSL: system links the installed
# wolfSSL; source carries it inside libtlswrap, so nothing of wolfSSL may
# show to the consumer), STATIC and SHARED (TLSW_BUILD_STATIC/SHARED),
# VERSION and SOVERSION (the project's and the SONAME's), and for the
# manifest: MANIFEST, LIBDIR, INCLUDEDIR, BINDIR, DOCDIR, MANDIR (the
# build's CMAKE_INSTALL_* values), TOOLS (the installed programs), LUA
# (ON if the Lua module is installed).
cmake_minimum_required(VERSION 3.20)

include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)

function(expect_tlswrap prog)
  run(${prog})
  if(NOT run_out MATCHES "^tlswrap [0-9]+\\.[0-9]+\\.[0-9]+")
    message(FATAL_ERROR "${prog} printed '${run_out}', expected a version")
  endif()
  message(STATUS "${prog}: ${run_out}")
endfunction()

set(HEADERS_DIR ${SOURCE_DIR}/include/tlswrap)
set(prefix ${WORK}/prefix)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
if(NOT CONFIG)
  set(CONFIG Debug)
endif()
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${CONFIG})

# The layout other build systems rely on.
file(GLOB libdir_pc ${prefix}/lib*/pkgconfig/tlswrap.pc
     ${prefix}/lib*/*/pkgconfig/tlswrap.pc)
list(LENGTH libdir_pc n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one installed tlswrap.pc, found: ${libdir_pc}")
endif()
get_filename_component(pcdir ${libdir_pc} DIRECTORY)
get_filename_component(libdir ${pcdir} DIRECTORY)
# Every public header of the source tree is installed.
file(GLOB src_headers RELATIVE ${HEADERS_DIR} ${HEADERS_DIR}/*.h)
if(NOT src_headers)
  message(FATAL_ERROR "no headers found in ${HEADERS_DIR}")
endif()
set(all_headers_c "/* Every installed header together. */\n")
foreach(h ${src_headers})
  if(NOT EXISTS ${prefix}/include/tlswrap/${h})
    message(FATAL_ERROR "not installed: include/tlswrap/${h}")
  endif()
  string(APPEND all_headers_c "#include <tlswrap/${h}>\n")
endforeach()
string(APPEND all_headers_c
  "int main(void) { return tlsw_version_string()[0] == 't' ? 0 : 1; }\n")
file(WRITE ${WORK}/all_headers.c "${all_headers_c}")

# The libraries: exactly the ones asked for (a static-only build must not
# install a .so that the linker would then prefer), with the SONAME chain.
set(lib_files "")
set(no_lib_files "")
if(STATIC)
  list(APPEND lib_files libtlswrap.a)
else()
  list(APPEND no_lib_files libtlswrap.a)
endif()
set(so_files libtlswrap.so libtlswrap.so.${SOVERSION} libtlswrap.so.${VERSION})
if(SHARED)
  list(APPEND lib_files ${so_files})
else()
  list(APPEND no_lib_files ${so_files})
endif()
foreach(f ${no_lib_files})
  if(EXISTS ${libdir}/${f})
    message(FATAL_ERROR "installed ${libdir}/${f}, which was not asked for "
      "(TLSW_BUILD_STATIC=${STATIC} TLSW_BUILD_SHARED=${SHARED})")
  endif()
endforeach()
set(installed ${lib_files} pkgconfig/tlswrap.pc cmake/tlswrap/tlswrapConfig.cmake
    cmake/tlswrap/tlswrapConfigVersion.cmake cmake/tlswrap/tlswrapTargets.cmake)
if(WOLFSSL STREQUAL "system")
  list(APPEND installed cmake/tlswrap/FindWolfSSL.cmake)
elseif(EXISTS ${libdir}/cmake/tlswrap/FindWolfSSL.cmake)
  message(FATAL_ERROR "the source build installed FindWolfSSL.cmake: a "
    "consumer would look for a wolfSSL it does not need")
endif()
foreach(f ${installed})
  if(NOT EXISTS ${libdir}/${f})
    message(FATAL_ERROR "not installed: ${libdir}/${f}")
  endif()
endforeach()
if(SHARED)
  run(readelf -d ${libdir}/libtlswrap.so.${VERSION})
  if(NOT run_out MATCHES "Library soname: \\[libtlswrap\\.so\\.${SOVERSION}\\]")
    message(FATAL_ERROR "libtlswrap.so's SONAME is not libtlswrap.so.${SOVERSION}:\n${run_out}")
  endif()
endif()
if(SHARED AND WOLFSSL STREQUAL "source")
  # libtlswrap.so exports tlswrap's API and nothing of the wolfSSL inside it
  # (which would clash with another wolfSSL in the same process).
  run(nm -D --defined-only ${libdir}/libtlswrap.so)
  string(REGEX MATCHALL "[^\n]* [TDRB] [^\n]*" syms "${run_out}")
  foreach(line ${syms})
    if(NOT line MATCHES " tlsw_[A-Za-z0-9_]+$")
      message(FATAL_ERROR "libtlswrap.so exports a foreign symbol: ${line}")
    endif()
  endforeach()
endif()

# Every file installed, against the list this configuration must install:
# a new file the install rules forget, or one they install by mistake (a
# stray build artefact, a .so of a static-only build), fails here.
foreach(d LIBDIR INCLUDEDIR BINDIR DOCDIR MANDIR)
  if(MANIFEST AND IS_ABSOLUTE "${${d}}")
    message(STATUS "no manifest check: ${d} is absolute (${${d}})")
    set(MANIFEST OFF)
  endif()
endforeach()
if(MANIFEST)
  set(want "")
  foreach(h ${src_headers})
    list(APPEND want ${INCLUDEDIR}/tlswrap/${h})
  endforeach()
  foreach(f ${installed})
    list(APPEND want ${LIBDIR}/${f})
  endforeach()
  # One per configuration installed, named after it.
  string(TOLOWER "${CONFIG}" config_lc)
  list(APPEND want ${LIBDIR}/cmake/tlswrap/tlswrapTargets-${config_lc}.cmake)
  foreach(t ${TOOLS})
    list(APPEND want ${BINDIR}/${t})
  endforeach()
  if(LUA)
    list(APPEND want ${LIBDIR}/lua/5.4/tlswrap.so)
  endif()
  foreach(f LICENSE README.md CHANGELOG.md)
    list(APPEND want ${DOCDIR}/${f})
  endforeach()
  file(GLOB docs RELATIVE ${SOURCE_DIR}/docs ${SOURCE_DIR}/docs/*.md)
  foreach(f ${docs})
    list(APPEND want ${DOCDIR}/docs/${f})
  endforeach()
  file(GLOB pages RELATIVE ${SOURCE_DIR}/man ${SOURCE_DIR}/man/*.[1-9])
  foreach(f ${pages})
    string(REGEX REPLACE ".*\\.([1-9])$" "\\1" sec ${f})
    list(APPEND want ${MANDIR}/man${sec}/${f})
  endforeach()
  foreach(f tlsw-client.1 tlsw-server.1 tlswrap.7)
    if(NOT f IN_LIST pages)
      message(FATAL_ERROR "man/${f} is missing from the source tree")
    endif()
  endforeach()
  file(GLOB_RECURSE have LIST_DIRECTORIES false RELATIVE ${prefix} ${prefix}/*)
  list(SORT want)
  list(SORT have)
  set(missing ${want})
  list(REMOVE_ITEM missing ${have})
  set(extra ${have})
  list(REMOVE_ITEM extra ${want})
  if(missing OR extra)
    string(REPLACE ";" "\n  " missing "${missing}")
    string(REPLACE ";" "\n  " extra "${extra}")
    message(FATAL_ERROR "the install differs from what this configuration "
      "must install.\nmissing:\n  ${missing}\nunexpected:\n  ${extra}")
  endif()
  list(LENGTH have n)
  message(STATUS "installed files: ${n}, as expected")
endif()

# find_package(tlswrap), asking for this minor version.
string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" _ "${VERSION}")
set(major ${CMAKE_MATCH_1})
set(minor ${CMAKE_MATCH_2})
set(consumer_args -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${CC}
    -DCMAKE_BUILD_TYPE=${CONFIG} "-DCMAKE_C_FLAGS=${EXTRA_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${EXTRA_FLAGS}")
run(${CMAKE_COMMAND} -S ${SRC} -B ${WORK}/cmake-build ${consumer_args}
    -DTLSW_WANT_VERSION=${major}.${minor})
run(${CMAKE_COMMAND} --build ${WORK}/cmake-build --config ${CONFIG})
set(progs consumer_default)
if(STATIC)
  list(APPEND progs consumer_static)
endif()
if(SHARED)
  list(APPEND progs consumer_shared)
endif()
foreach(p ${progs})
  file(GLOB_RECURSE exe ${WORK}/cmake-build/${p})
  if(NOT exe)
    message(FATAL_ERROR "consumer program ${p} was not built")
  endif()
  expect_tlswrap(${exe})
  set(exe_${p} ${exe})
endforeach()
if(SHARED)
  # The shared one must really use the installed libtlswrap.so.
  run(ldd ${exe_consumer_shared})
  if(NOT run_out MATCHES "${libdir}/libtlswrap\\.so\\.${SOVERSION}")
    message(FATAL_ERROR "consumer_shared does not load ${libdir}/libtlswrap.so.${SOVERSION}:\n${run_out}")
  endif()
  if(WOLFSSL STREQUAL "source" AND run_out MATCHES "libwolfssl")
    message(FATAL_ERROR "the source build's libtlswrap.so loads a libwolfssl:\n${run_out}")
  endif()
endif()
if(STATIC)
  run(ldd ${exe_consumer_static})
  if(run_out MATCHES "libtlswrap")
    message(FATAL_ERROR "consumer_static loads libtlswrap.so:\n${run_out}")
  endif()
endif()

# What the package must refuse: another minor version (0.x: a minor may
# break the API), and a component that was not installed.
function(expect_refused what)
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC}
      -B ${WORK}/refused-build ${consumer_args} ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  file(REMOVE_RECURSE ${WORK}/refused-build)
  if(rc EQUAL 0)
    message(FATAL_ERROR "find_package(tlswrap) accepted ${what}")
  endif()
  message(STATUS "refused, as it must: ${what}")
endfunction()
math(EXPR next ${minor}+1)
if(major EQUAL 0)
  expect_refused("${major}.${next} from a ${VERSION} install"
    -DTLSW_WANT_VERSION=${major}.${next})
  if(minor GREATER 0)
    math(EXPR prev ${minor}-1)
    expect_refused("${major}.${prev} from a ${VERSION} install"
      -DTLSW_WANT_VERSION=${major}.${prev})
  endif()
endif()
if(NOT STATIC)
  expect_refused("COMPONENTS static from a shared-only install"
    -DTLSW_WANT_COMPONENTS=static)
endif()
if(NOT SHARED)
  expect_refused("COMPONENTS shared from a static-only install"
    -DTLSW_WANT_COMPONENTS=shared)
endif()

# pkg-config
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${pcdir})
run(${PKG_CONFIG} --modversion tlswrap)
string(STRIP "${run_out}" pc_version)
if(NOT pc_version STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config --modversion tlswrap: '${pc_version}', expected ${VERSION}")
endif()
message(STATUS "pkg-config --modversion tlswrap: ${pc_version}")
run(${PKG_CONFIG} --cflags --libs tlswrap)
separate_arguments(pc_flags UNIX_COMMAND "${run_out}")
run(${PKG_CONFIG} --static --libs tlswrap)
separate_arguments(pc_static UNIX_COMMAND "${run_out}")
run(${PKG_CONFIG} --libs tlswrap)
separate_arguments(pc_libs UNIX_COMMAND "${run_out}")
if(STATIC)
  # A static link needs pthreads and the system build's wolfSSL: in
  # --static when a .so is installed too, in every link when not.
  if(SHARED)
    set(check_static pc_static)
  else()
    set(check_static pc_libs)
  endif()
  if(NOT ${check_static} MATCHES "-lpthread")
    message(FATAL_ERROR "pkg-config misses pthread: ${${check_static}}")
  endif()
  if(WOLFSSL STREQUAL "system" AND NOT ${check_static} MATCHES "-lwolfssl")
    message(FATAL_ERROR "pkg-config misses wolfssl: ${${check_static}}")
  endif()
endif()
if(WOLFSSL STREQUAL "source" AND pc_static MATCHES "wolfssl")
  message(FATAL_ERROR "pkg-config names wolfssl, which libtlswrap carries: ${pc_static}")
endif()
if(SHARED)
  foreach(f -lpthread -lm -lwolfssl)
    if(f IN_LIST pc_libs)
      message(FATAL_ERROR "pkg-config --libs names ${f}, a dependency "
        "libtlswrap.so carries itself: ${pc_libs}")
    endif()
  endforeach()
endif()
run(${PKG_CONFIG} --cflags tlswrap)
separate_arguments(pc_cflags UNIX_COMMAND "${run_out}")
separate_arguments(extra UNIX_COMMAND "${EXTRA_FLAGS}")
# The plain link: the .so when installed, else the archive.
run(${CC} ${extra} ${SRC}/main.c ${pc_flags} -o ${WORK}/pc_default)
# The installed headers compile together, and each on its own (it includes
# what it needs), as strict C99 without warnings.
set(strict -std=c99 -Wall -Wextra -Wpedantic -Werror)
run(${CC} ${extra} ${strict} ${WORK}/all_headers.c ${pc_flags}
    -o ${WORK}/all_headers)
foreach(h ${src_headers})
  file(WRITE ${WORK}/one_header.c "#include <tlswrap/${h}>\nint tlsw_consumer_dummy;\n")
  run(${CC} ${strict} ${pc_cflags} -fsyntax-only ${WORK}/one_header.c)
endforeach()
# Prepended, not replaced: a wolfSSL the system build found in a private
# prefix must stay reachable.
set(ENV{LD_LIBRARY_PATH} "${libdir}:$ENV{LD_LIBRARY_PATH}")
expect_tlswrap(${WORK}/pc_default)
run(ldd ${WORK}/pc_default)
if(SHARED AND NOT run_out MATCHES "libtlswrap\\.so\\.${SOVERSION}")
  message(FATAL_ERROR "pc_default does not load libtlswrap.so:\n${run_out}")
elseif(NOT SHARED AND run_out MATCHES "libtlswrap")
  message(FATAL_ERROR "pc_default loads a libtlswrap.so:\n${run_out}")
endif()
if(STATIC AND SHARED)
  # Static: the same flags, with the archive chosen explicitly (the linker
  # prefers the .so when both sit in one directory).
  list(TRANSFORM pc_static REPLACE "^-ltlswrap$" "-l:libtlswrap.a")
  run(${CC} ${extra} ${SRC}/main.c ${pc_cflags} ${pc_static} -o ${WORK}/pc_static)
  expect_tlswrap(${WORK}/pc_static)
  run(ldd ${WORK}/pc_static)
  if(run_out MATCHES "libtlswrap")
    message(FATAL_ERROR "pc_static loads libtlswrap.so:\n${run_out}")
  endif()
endif()
