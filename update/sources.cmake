# The update-format sources (version, bundle header, manifest), shared by the host build
# (update/CMakeLists.txt) and firmware projects (include this file, and crypto/sources.cmake,
# with HILSIM_ROOT set to the repository root; add HILSIM_ROOT to the include path).
# Freestanding C++17: no heap, no exceptions, no libc beyond memcpy/memset.
if(NOT HILSIM_ROOT)
  set(HILSIM_ROOT ${CMAKE_CURRENT_LIST_DIR}/..)
endif()
set(HILSIM_UPDATE_SOURCES
  ${HILSIM_ROOT}/update/version.cpp
  ${HILSIM_ROOT}/update/bundle.cpp
  ${HILSIM_ROOT}/update/manifest.cpp
)
set(HILSIM_UPDATE_FLAGS -fno-exceptions -fno-rtti)
