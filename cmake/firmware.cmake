# hilsim_add_firmware(NAME SOURCE_DIR)
# Builds a firmware CMake project with the arm-none-eabi toolchain as an external project.
# Its images land in build/firmware/NAME/. The target is rebuilt on every build so edits to
# firmware sources are always picked up (the external build itself is incremental).
include(ExternalProject)
function(hilsim_add_firmware name source_dir)
  set(out ${CMAKE_BINARY_DIR}/firmware/${name})
  ExternalProject_Add(firmware-${name}
    SOURCE_DIR ${source_dir}
    BINARY_DIR ${out}
    CMAKE_ARGS
      -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/arm-none-eabi.cmake
      -DCMAKE_BUILD_TYPE=MinSizeRel
      -DHILSIM_ROOT=${PROJECT_SOURCE_DIR}
    CMAKE_GENERATOR ${CMAKE_GENERATOR}
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    USES_TERMINAL_BUILD ON)
  set_property(GLOBAL APPEND PROPERTY HILSIM_FIRMWARE_TARGETS firmware-${name})
endfunction()
