# Onnx2mcu.cmake - onnx2mcu_add_model(): compiles an ONNX model to C when CMake
# configures, and makes the code a static library. include() this file, or, once
# installed, find_package(onnx2mcu). See docs/firmware.md.
#
#   onnx2mcu_add_model(TARGET MODEL [NAME name] [OUTPUT_DIR dir] [OPTIONS option...])
#
# TARGET is the static library made (link it into the firmware), MODEL the .onnx file
# (relative to the current source folder), NAME the C prefix (default: TARGET as a C
# identifier), OUTPUT_DIR the generated folder (default
# ${CMAKE_CURRENT_BINARY_DIR}/onnx2mcu/NAME), OPTIONS more options of onnx2mcu compile.
# CMake configures again, and so compiles the model again, when the model or any file of
# the depfile (external data, --bind and --calib files, onnx2mcu itself) changes. With
# --shared-runtime the kernels go once into the library onnx2mcu_runtime, which the model
# libraries link.
include_guard(GLOBAL)

# the prerequisites of the Make rule in depfile (onnx2mcu's escapes undone)
function(_onnx2mcu_depfile_files depfile out)
  file(READ "${depfile}" text)
  string(ASCII 1 space)
  string(REPLACE "\\\n" " " text "${text}")
  string(REPLACE "\\ " "${space}" text "${text}")
  string(REPLACE "\\#" "#" text "${text}")
  string(REPLACE "$$" "$" text "${text}")
  string(FIND "${text}" ": " colon)
  math(EXPR colon "${colon} + 2")
  string(SUBSTRING "${text}" ${colon} -1 text)
  string(STRIP "${text}" text)
  string(REGEX REPLACE "[ \t\n]+" ";" files "${text}")
  string(REPLACE "${space}" " " files "${files}")
  set(${out} ${files} PARENT_SCOPE)
endfunction()

# --shared-runtime: the files of name's NAME_RUNTIME_SOURCES not yet in onnx2mcu_runtime
# (by file name: the same name is the same file) go into it
function(_onnx2mcu_shared_runtime sources)
  get_property(names GLOBAL PROPERTY ONNX2MCU_RUNTIME_NAMES)
  set(new)
  foreach(src IN LISTS sources)
    get_filename_component(name "${src}" NAME)
    list(FIND names "${name}" at)
    if(at EQUAL -1)
      list(APPEND names "${name}")
      list(APPEND new "${src}")
    endif()
  endforeach()
  set_property(GLOBAL PROPERTY ONNX2MCU_RUNTIME_NAMES "${names}")
  if(NOT TARGET onnx2mcu_runtime)
    add_library(onnx2mcu_runtime STATIC ${new})
    target_link_libraries(onnx2mcu_runtime PRIVATE m)
  elseif(new)
    target_sources(onnx2mcu_runtime PRIVATE ${new})
  endif()
endfunction()

function(onnx2mcu_add_model target model)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "NAME;OUTPUT_DIR" "OPTIONS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "onnx2mcu_add_model(${target}): unexpected arguments "
                        "'${arg_UNPARSED_ARGUMENTS}' (OPTIONS goes before them?)")
  endif()
  if(NOT arg_NAME)
    string(MAKE_C_IDENTIFIER "${target}" arg_NAME)
  endif()
  if(NOT arg_OUTPUT_DIR)
    set(arg_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/onnx2mcu/${arg_NAME}")
  endif()
  if(NOT ONNX2MCU_EXECUTABLE)
    find_program(ONNX2MCU_EXECUTABLE onnx2mcu)
    if(NOT ONNX2MCU_EXECUTABLE)
      message(FATAL_ERROR "onnx2mcu_add_model: onnx2mcu not found (set ONNX2MCU_EXECUTABLE)")
    endif()
  endif()
  get_filename_component(model "${model}" ABSOLUTE)
  set(depfile "${arg_OUTPUT_DIR}.d")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${model}")
  execute_process(COMMAND "${ONNX2MCU_EXECUTABLE}" compile "${model}" -o "${arg_OUTPUT_DIR}"
                          -n "${arg_NAME}" --depfile "${depfile}" ${arg_OPTIONS}
                  RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "onnx2mcu could not compile ${model} (exit ${rc})")
  endif()
  _onnx2mcu_depfile_files("${depfile}" deps)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${deps})

  include("${arg_OUTPUT_DIR}/${arg_NAME}.cmake")
  add_library(${target} STATIC ${${arg_NAME}_SOURCES})
  target_include_directories(${target} PUBLIC "${${arg_NAME}_DIR}")
  target_link_libraries(${target} PRIVATE m)
  if(DEFINED ${arg_NAME}_RUNTIME_SOURCES)
    _onnx2mcu_shared_runtime("${${arg_NAME}_RUNTIME_SOURCES}")
    target_link_libraries(${target} PUBLIC onnx2mcu_runtime)
  endif()
endfunction()
