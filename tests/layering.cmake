# The architecture as tests (docs/design.md, "Layers"): no #include crosses
# a layer the wrong way (a backend file including a core header fails), no
# include cycle, and no function in src/ over 60 lines. Plain scripts over
# the sources, so they fail the same on every build.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME layering
    COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/scripts/check-layers.py
      ${PROJECT_SOURCE_DIR}/src)
  add_test(NAME function_length
    COMMAND Python3::Interpreter
      ${PROJECT_SOURCE_DIR}/scripts/check-functions.py
      ${PROJECT_SOURCE_DIR}/src --max 60)
  set_tests_properties(layering function_length PROPERTIES LABELS "core;docs")
endif()
