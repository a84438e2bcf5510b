# The VM's source list, shared by the host build (vm/CMakeLists.txt) and firmware
# projects (include this file with HILSIM_ROOT set to the repository root).
# Compile flags the sources need everywhere: -fno-exceptions -fno-rtti, C++17.
if(NOT HILSIM_ROOT)
  set(HILSIM_ROOT ${CMAKE_CURRENT_LIST_DIR}/..)
endif()
set(HILSIM_VM_SOURCES
  ${HILSIM_ROOT}/vm/mem.cpp
  ${HILSIM_ROOT}/vm/gc.cpp
  ${HILSIM_ROOT}/vm/str.cpp
  ${HILSIM_ROOT}/vm/dict.cpp
  ${HILSIM_ROOT}/vm/object.cpp
  ${HILSIM_ROOT}/vm/ops.cpp
  ${HILSIM_ROOT}/vm/format.cpp
  ${HILSIM_ROOT}/vm/lexer.cpp
  ${HILSIM_ROOT}/vm/compiler.cpp
  ${HILSIM_ROOT}/vm/expr.cpp
  ${HILSIM_ROOT}/vm/func.cpp
  ${HILSIM_ROOT}/vm/stmt.cpp
  ${HILSIM_ROOT}/vm/interp.cpp
  ${HILSIM_ROOT}/vm/calls.cpp
  ${HILSIM_ROOT}/vm/builtins.cpp
  ${HILSIM_ROOT}/vm/methods.cpp
  ${HILSIM_ROOT}/vm/bytecode.cpp
  ${HILSIM_ROOT}/vm/api.cpp
)
set(HILSIM_VM_FLAGS -fno-exceptions -fno-rtti)
