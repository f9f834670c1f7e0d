# Cortex-M4 bare metal with Debian's arm-none-eabi-gcc and newlib-nano
# (packages gcc-arm-none-eabi, libnewlib-arm-none-eabi: scripts/setup.sh).
#
#   cmake --preset cortex-m4      (CMakePresets.json sets this file)
#
# Soft-float ABI: runs on every Cortex-M4, with or without the FPU
# (tlswrap and wolfSSL do no floating point). Every function and object in
# its own section, and --gc-sections, so the image keeps only what is
# called: the flash figures in docs/firmware.md depend on it.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR cortex-m4)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
# No OS to link a test program for: CMake's compiler checks build a library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_C_FLAGS_INIT
  "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft --specs=nano.specs -ffunction-sections -fdata-sections")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,--gc-sections")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
