# cmake -P script: compiles every VM source for Cortex-M4 at -Os and fails if the
# summed text+data of the objects exceeds LIMIT bytes. Prints the arm-none-eabi-size table.
set(HILSIM_ROOT ${ROOT})
include(${ROOT}/vm/sources.cmake)
file(MAKE_DIRECTORY ${OUT})
set(objs)
foreach(src ${HILSIM_VM_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  set(obj ${OUT}/${name}.o)
  execute_process(COMMAND ${GXX} -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os
      -std=c++17 -ffreestanding -fno-exceptions -fno-rtti -ffunction-sections -fdata-sections
      -fno-threadsafe-statics -I${ROOT} -c ${src} -o ${obj}
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "arm compile failed: ${src}")
  endif()
  list(APPEND objs ${obj})
endforeach()
execute_process(COMMAND ${SIZE} -t ${objs} OUTPUT_VARIABLE table RESULT_VARIABLE rc)
message("${table}")
string(REGEX MATCH "\n[ \t]*([0-9]+)[ \t]+([0-9]+)[ \t]+([0-9]+)[^\n]*\\(TOTALS\\)" m "${table}")
math(EXPR total "${CMAKE_MATCH_1} + ${CMAKE_MATCH_2}")
message("VM text+data on Cortex-M4 -Os: ${total} bytes (limit ${LIMIT})")
if(total GREATER LIMIT)
  message(FATAL_ERROR "VM too large for the flash budget")
endif()
