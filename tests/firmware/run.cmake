# cmake "-DCMD=<program;args>" "-DLINE=<regex>" -P run.cmake
#
# Runs one firmware image and passes only when it exits 0 (a failed
# handshake exits non-zero through semihosting) and printed exactly one
# line matching LINE. The line is echoed so ctest -V shows the figures.
execute_process(COMMAND ${CMD} OUTPUT_VARIABLE out ERROR_VARIABLE err
  RESULT_VARIABLE rc TIMEOUT 100)
message("${out}${err}")
if(NOT rc STREQUAL "0")
  message(FATAL_ERROR "the image exited with '${rc}'")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${out}")
list(LENGTH lines n)
if(NOT n EQUAL 1 OR NOT out MATCHES "^${LINE}\n$")
  message(FATAL_ERROR "expected exactly one line matching '${LINE}'")
endif()
