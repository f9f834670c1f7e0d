# cmake -P driver for the install test (tests/install.cmake):
#   1. cmake --install BUILD_DIR into a fresh prefix under WORK,
#   2. build tests/consumer with find_package(tlswrap), static and shared,
#   3. build it with pkg-config, shared and static,
#   4. run all four programs,
#   5. compile every installed public header on its own (strict C99).
# Inputs: BUILD_DIR, SRC (tests/consumer), HEADERS_DIR (include/tlswrap),
# WORK, CC, CONFIG, EXTRA_FLAGS
# (e.g. sanitizer flags the installed library was built with), WOLFSSL
# (TLSW_WOLFSSL: system links the installed wolfSSL; source carries it
# inside libtlswrap, so nothing of wolfSSL may show to the consumer).
cmake_minimum_required(VERSION 3.20)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "FAILED (${rc}): ${cmd}\n${out}\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

function(expect_tlswrap prog)
  run(${prog})
  if(NOT run_out MATCHES "^tlswrap [0-9]+\\.[0-9]+\\.[0-9]+")
    message(FATAL_ERROR "${prog} printed '${run_out}', expected a version")
  endif()
  message(STATUS "${prog}: ${run_out}")
endfunction()

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
set(installed libtlswrap.a libtlswrap.so cmake/tlswrap/tlswrapConfig.cmake
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
if(WOLFSSL STREQUAL "source")
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

# find_package(tlswrap)
run(${CMAKE_COMMAND} -S ${SRC} -B ${WORK}/cmake-build
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${CC}
    -DCMAKE_BUILD_TYPE=${CONFIG} "-DCMAKE_C_FLAGS=${EXTRA_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${EXTRA_FLAGS}")
run(${CMAKE_COMMAND} --build ${WORK}/cmake-build --config ${CONFIG})
file(GLOB_RECURSE exe_static ${WORK}/cmake-build/consumer_static)
file(GLOB_RECURSE exe_shared ${WORK}/cmake-build/consumer_shared)
if(NOT exe_static OR NOT exe_shared)
  message(FATAL_ERROR "consumer programs were not built")
endif()
expect_tlswrap(${exe_static})
expect_tlswrap(${exe_shared})
# The shared one must really use the installed libtlswrap.so.
run(ldd ${exe_shared})
if(NOT run_out MATCHES "${libdir}/libtlswrap\\.so")
  message(FATAL_ERROR "consumer_shared does not load ${libdir}/libtlswrap.so:\n${run_out}")
endif()
if(WOLFSSL STREQUAL "source" AND run_out MATCHES "libwolfssl")
  message(FATAL_ERROR "the source build's libtlswrap.so loads a libwolfssl:\n${run_out}")
endif()

# pkg-config
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${pcdir})
run(${PKG_CONFIG} --modversion tlswrap)
message(STATUS "pkg-config --modversion tlswrap: ${run_out}")
run(${PKG_CONFIG} --cflags --libs tlswrap)
separate_arguments(pc_flags UNIX_COMMAND "${run_out}")
run(${PKG_CONFIG} --static --libs tlswrap)
separate_arguments(pc_static UNIX_COMMAND "${run_out}")
if(NOT pc_static MATCHES "-lpthread")
  message(FATAL_ERROR "pkg-config --static misses pthread: ${pc_static}")
endif()
if(WOLFSSL STREQUAL "system" AND NOT pc_static MATCHES "-lwolfssl")
  message(FATAL_ERROR "pkg-config --static misses wolfssl: ${pc_static}")
elseif(WOLFSSL STREQUAL "source" AND pc_static MATCHES "wolfssl")
  message(FATAL_ERROR "pkg-config names wolfssl, which libtlswrap carries: ${pc_static}")
endif()
run(${PKG_CONFIG} --cflags tlswrap)
separate_arguments(pc_cflags UNIX_COMMAND "${run_out}")
separate_arguments(extra UNIX_COMMAND "${EXTRA_FLAGS}")
run(${CC} ${extra} ${SRC}/main.c ${pc_flags} -o ${WORK}/pc_shared)
# The installed headers compile together, and each on its own (it includes
# what it needs), as strict C99 without warnings.
set(strict -std=c99 -Wall -Wextra -Wpedantic -Werror)
run(${CC} ${extra} ${strict} ${WORK}/all_headers.c ${pc_flags}
    -o ${WORK}/all_headers)
foreach(h ${src_headers})
  file(WRITE ${WORK}/one_header.c "#include <tlswrap/${h}>\nint tlsw_consumer_dummy;\n")
  run(${CC} ${strict} ${pc_cflags} -fsyntax-only ${WORK}/one_header.c)
endforeach()
# Static: the same flags, with the archive chosen explicitly (the linker
# prefers the .so when both sit in one directory).
list(TRANSFORM pc_static REPLACE "^-ltlswrap$" "-l:libtlswrap.a")
run(${CC} ${extra} ${SRC}/main.c ${pc_cflags} ${pc_static} -o ${WORK}/pc_static)
# Prepended, not replaced: a wolfSSL the system build found in a private
# prefix must stay reachable.
set(ENV{LD_LIBRARY_PATH} "${libdir}:$ENV{LD_LIBRARY_PATH}")
expect_tlswrap(${WORK}/pc_shared)
expect_tlswrap(${WORK}/pc_static)
run(ldd ${WORK}/pc_static)
if(run_out MATCHES "libtlswrap")
  message(FATAL_ERROR "pc_static loads libtlswrap.so:\n${run_out}")
endif()
