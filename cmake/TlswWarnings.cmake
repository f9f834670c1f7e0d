# House rule: warning-free under gcc and clang with -Wall -Wextra -Wpedantic.
function(tlsw_set_warnings target)
  if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
      -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2)
    if(TLSW_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
