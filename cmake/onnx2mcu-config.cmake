# onnx2mcu-config.cmake - find_package(onnx2mcu): onnx2mcu_add_model() (Onnx2mcu.cmake),
# using the onnx2mcu installed with this file (PREFIX/lib/cmake/onnx2mcu -> PREFIX/bin).
get_filename_component(_onnx2mcu_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
find_program(ONNX2MCU_EXECUTABLE onnx2mcu HINTS "${_onnx2mcu_prefix}/bin" NO_DEFAULT_PATH)
find_program(ONNX2MCU_EXECUTABLE onnx2mcu)
include("${CMAKE_CURRENT_LIST_DIR}/Onnx2mcu.cmake")
