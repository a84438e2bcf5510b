# cmake -P script behind ctest "vm: fuzz ...": builds the libFuzzer target (clang, ASan+UBSan)
# in its own build directory OUT from the project at ROOT, then fuzzes for SECONDS seconds,
# starting from the checked-in seed corpus. Any crash, leak, UB report or timeout fails.
# The long runs the note reports are the same binary without -max_total_time.
foreach(v ROOT OUT SECONDS)
  if(NOT ${v})
    message(FATAL_ERROR "short_run.cmake: -D${v}=... is required")
  endif()
endforeach()
find_program(CLANGXX clang++)
find_program(CLANG clang)
if(NOT CLANGXX OR NOT CLANG)
  message(FATAL_ERROR "clang/clang++ not found: run ./setup.sh (it installs clang and libclang-rt-14-dev)")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${ROOT} -B ${OUT} -G Ninja -DHILSIM_FUZZ=ON
                        -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=${CLANG} -DCMAKE_CXX_COMPILER=${CLANGXX}
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the fuzz build in ${OUT} failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${OUT} --target hilsim-vm-fuzz RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building hilsim-vm-fuzz failed")
endif()
# A scratch corpus, so the run never writes into the source tree.
file(REMOVE_RECURSE ${OUT}/fuzz-corpus)
file(COPY ${ROOT}/vm/fuzz/corpus/ DESTINATION ${OUT}/fuzz-corpus)
execute_process(COMMAND ${OUT}/hilsim-vm-fuzz -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
                        -print_final_stats=1 ${OUT}/fuzz-corpus
                WORKING_DIRECTORY ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the fuzzer found a problem (exit ${rc}); the crashing input is in ${OUT}")
endif()
message("fuzzed for ${SECONDS} s: nothing found")
