# TLSW_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer everywhere,
# with UB made fatal so a test run cannot pass over it.
if(TLSW_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
