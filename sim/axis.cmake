# sim/axis.cmake: the AXI4-Stream harness library (qr_axis) and qr_add_rtl_test().
#
# qr_add_rtl_test(NAME tb_qr_foo TOP qr_foo
#                 SOURCES rtl/qr_foo.sv [more .sv]
#                 TB tb_qr_foo.c [more .c]
#                 IN_BITS "ElemBits*InElems"  OUT_BITS "ElemBits*OutElems"
#                 CONFIGS "ElemBits=4,InElems=8,OutElems=49" "ElemBits=1,InElems=3,OutElems=2" ...
#                 [TLAST] [ARGS --frames 300 ...] [VERILATOR_ARGS ...] [TIMEOUT seconds])
#
# One Verilated model holds every configuration: a generated sweep wrapper
# (<NAME>_sweep.sv) instantiates TOP once per CONFIGS entry and a `cfg` input selects
# the one that is driven, so a whole sweep costs one Verilator build.  IN_BITS/OUT_BITS
# are integer expressions over the parameter names (CMake math syntax) giving the
# tdata widths of one configuration; every name they use must be set in each config.  The generated <NAME>_info.c defines
# qr_tb_generated_info (configs, widths, sources) for the testbench, which runs each
# configuration in the Verilated model and, through a generated SV testbench, in Icarus.
# The test is registered with ctest label `rtl`.

find_package(verilator QUIET HINTS $ENV{VERILATOR_ROOT})
find_program(QR_IVERILOG iverilog)

add_library(qr_axis STATIC
  ${CMAKE_CURRENT_LIST_DIR}/axis_bits.c
  ${CMAKE_CURRENT_LIST_DIR}/axis_run.c
  ${CMAKE_CURRENT_LIST_DIR}/axis_icarus.c
  ${CMAKE_CURRENT_LIST_DIR}/axis_tb.c)
target_include_directories(qr_axis PUBLIC ${CMAKE_CURRENT_LIST_DIR})

set_property(GLOBAL PROPERTY QR_VERILATOR_FOUND ${verilator_FOUND})
set_property(GLOBAL PROPERTY QR_SIM_DIR ${CMAKE_CURRENT_LIST_DIR})

# Evaluate an integer expression over "Name=value,..." parameters.
function(_qr_eval_expr out expr params)
  string(REPLACE "," ";" plist "${params}")
  # Longest names first, so a name that is part of another is not replaced inside it.
  set(pairs "")
  foreach(p ${plist})
    string(REGEX MATCH "^([A-Za-z_][A-Za-z0-9_]*)=(.*)$" m "${p}")
    if(m)
      string(LENGTH "${CMAKE_MATCH_1}" len)
      math(EXPR key "1000 - ${len}")
      list(APPEND pairs "${key}|${CMAKE_MATCH_1}|${CMAKE_MATCH_2}")
    endif()
  endforeach()
  list(SORT pairs)
  set(e "${expr}")
  foreach(pair ${pairs})
    string(REPLACE "|" ";" fields "${pair}")
    list(GET fields 1 name)
    list(GET fields 2 value)
    string(REGEX REPLACE "([^A-Za-z0-9_]|^)${name}([^A-Za-z0-9_]|$)" "\\1(${value})\\2" e "${e}")
    string(REGEX REPLACE "([^A-Za-z0-9_]|^)${name}([^A-Za-z0-9_]|$)" "\\1(${value})\\2" e "${e}")
  endforeach()
  if(e MATCHES "[A-Za-z_]")
    # A name the configuration does not set (RTL defaults are not known here).
    set(${out} "" PARENT_SCOPE)
    return()
  endif()
  math(EXPR v "${e}")
  set(${out} ${v} PARENT_SCOPE)
endfunction()

# A test that fails with `why` (a configuration or lint problem found at configure
# time): one broken testbench must not stop everybody's configure.
function(_qr_failing_test name why)
  set(f ${CMAKE_CURRENT_BINARY_DIR}/${name}_gen/configure_failed.txt)
  file(WRITE ${f} "${why}\n")
  message(WARNING "qr_add_rtl_test(${name}): ${why}")
  # WILL_FAIL inverts: `cat` succeeds, so the test is reported failed, with the reason.
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} -E cat ${f})
  set_tests_properties(${name} PROPERTIES LABELS rtl WILL_FAIL TRUE)
endfunction()

function(qr_add_rtl_test)
  cmake_parse_arguments(A "TLAST" "NAME;TOP;IN_BITS;OUT_BITS;TIMEOUT"
                        "SOURCES;TB;CONFIGS;ARGS;VERILATOR_ARGS" ${ARGN})
  foreach(req NAME TOP SOURCES TB IN_BITS OUT_BITS CONFIGS)
    if(NOT A_${req})
      message(FATAL_ERROR "qr_add_rtl_test: ${req} is required")
    endif()
  endforeach()
  get_property(have_verilator GLOBAL PROPERTY QR_VERILATOR_FOUND)
  get_property(simdir GLOBAL PROPERTY QR_SIM_DIR)
  set(gen ${CMAKE_CURRENT_BINARY_DIR}/${A_NAME}_gen)
  file(MAKE_DIRECTORY ${gen})

  set(srcs "")
  foreach(s ${A_SOURCES})
    get_filename_component(abs "${s}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_LIST_DIR}")
    list(APPEND srcs "${abs}")
  endforeach()
  set(tbs "")
  foreach(s ${A_TB})
    get_filename_component(abs "${s}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_LIST_DIR}")
    list(APPEND tbs "${abs}")
  endforeach()

  # Widths per configuration, and the widest (the sweep's ports).
  set(iw_max 1)
  set(ow_max 1)
  set(n 0)
  set(cfg_c "")
  set(inst_sv "")
  set(ows "")
  foreach(cfg ${A_CONFIGS})
    _qr_eval_expr(iw "${A_IN_BITS}" "${cfg}")
    _qr_eval_expr(ow "${A_OUT_BITS}" "${cfg}")
    if(iw STREQUAL "" OR ow STREQUAL "")
      _qr_failing_test(${A_NAME} "config \"${cfg}\" must set every parameter used in IN_BITS \"${A_IN_BITS}\" and OUT_BITS \"${A_OUT_BITS}\"")
      return()
    endif()
    if(iw GREATER iw_max)
      set(iw_max ${iw})
    endif()
    if(ow GREATER ow_max)
      set(ow_max ${ow})
    endif()
    string(REPLACE "\"" "\\\"" cfg_esc "${cfg}")
    string(APPEND cfg_c "  {\"${cfg_esc}\", ${iw}, ${ow}},\n")
    # .A(1), .B(2)
    string(REPLACE "," ";" plist "${cfg}")
    set(pv "")
    foreach(p ${plist})
      string(REGEX REPLACE "^([^=]*)=(.*)$" ".\\1(\\2)" pp "${p}")
      list(APPEND pv "${pp}")
    endforeach()
    string(REPLACE ";" ", " pv "${pv}")
    set(tl "")
    if(A_TLAST)
      set(tl ",\n    .m_axis_tlast(lst[${n}])")
    endif()
    string(APPEND inst_sv
      "  // config ${n}: ${cfg}\n"
      "  ${A_TOP} #(${pv}) u_${n} (\n"
      "    .clk(clk), .rst_n(rst_n),\n"
      "    .s_axis_tdata(s_axis_tdata[${iw}-1:0]), .s_axis_tvalid(s_axis_tvalid && cfg == 8'd${n}),\n"
      "    .s_axis_tready(rdy[${n}]),\n"
      "    .m_axis_tdata(dat[${n}*OW +: ${ow}]), .m_axis_tvalid(vld[${n}]),\n"
      "    .m_axis_tready(m_axis_tready && cfg == 8'd${n})${tl});\n")
    list(APPEND ows ${ow})
    math(EXPR n "${n} + 1")
  endforeach()
  if(n GREATER 255)
    message(FATAL_ERROR "qr_add_rtl_test(${A_NAME}): at most 255 configs")
  endif()
  set(pad_sv "")
  set(i 0)
  foreach(ow ${ows})
    if(ow LESS ow_max)
      math(EXPR padw "${ow_max} - ${ow}")
      string(APPEND pad_sv "  assign dat[${i}*OW+${ow} +: ${padw}] = '0;\n")
    endif()
    math(EXPR i "${i} + 1")
  endforeach()
  set(tlast_port "")
  set(tlast_sel "")
  set(tlast_decl "")
  if(A_TLAST)
    set(tlast_port ",\n  output logic m_axis_tlast")
    set(tlast_decl "  wire [N-1:0] lst;\n")
    set(tlast_sel "    m_axis_tlast = 1'b0;\n    for (int i = 0; i < N; i++) if (cfg == 8'(i)) m_axis_tlast = lst[i];\n")
  endif()
  file(CONFIGURE OUTPUT ${gen}/${A_NAME}_sweep.sv CONTENT
"// generated by qr_add_rtl_test(${A_NAME}) in sim/axis.cmake: one ${A_TOP} per configuration,
// `cfg` selects the one that is driven (the others see tvalid = tready = 0).
`default_nettype none
/* verilator lint_off UNUSEDSIGNAL */  // a narrower configuration leaves high input bits unused
module ${A_NAME}_sweep (
  input  wire clk,
  input  wire rst_n,
  input  wire [7:0] cfg,
  input  wire [${iw_max}-1:0] s_axis_tdata,
  input  wire s_axis_tvalid,
  output logic s_axis_tready,
  output logic [${ow_max}-1:0] m_axis_tdata,
  output logic m_axis_tvalid,
  input  wire m_axis_tready${tlast_port}
);
  localparam int N = ${n}, OW = ${ow_max};
  wire [N-1:0] rdy, vld;
  wire [N*OW-1:0] dat;
${tlast_decl}${inst_sv}${pad_sv}
  always_comb begin
    s_axis_tready = 1'b0;
    m_axis_tvalid = 1'b0;
    m_axis_tdata = '0;
    for (int i = 0; i < N; i++) begin
      if (cfg == 8'(i)) begin
        s_axis_tready = rdy[i];
        m_axis_tvalid = vld[i];
        m_axis_tdata = dat[i*OW +: OW];
      end
    end
${tlast_sel}  end
endmodule
/* verilator lint_on UNUSEDSIGNAL */
`default_nettype wire
" @ONLY)

  # The testbench's view of the sweep.
  set(src_c "")
  foreach(s ${srcs})
    string(APPEND src_c "  \"${s}\",\n")
  endforeach()
  list(LENGTH srcs nsrc)
  if(A_TLAST)
    set(has_tlast 1)
  else()
    set(has_tlast 0)
  endif()
  file(CONFIGURE OUTPUT ${gen}/${A_NAME}_info.c CONTENT
"/* generated by qr_add_rtl_test(${A_NAME}) in sim/axis.cmake */
#include \"axis_tb.h\"
static const char *const sources[] = {
${src_c}  0};
static const qr_tb_config configs[] = {
${cfg_c}};
const qr_tb_info qr_tb_generated_info = {\"${A_NAME}\", \"${A_TOP}\", sources, ${nsrc},
                                         configs, ${n}, ${has_tlast}};
" @ONLY)

  # Per-test shim: the macros name the Verilated class and the sweep's ports.
  file(CONFIGURE OUTPUT ${gen}/${A_NAME}_shim.cpp CONTENT
"// generated by qr_add_rtl_test(${A_NAME}) in sim/axis.cmake
#define QR_VTOP V${A_NAME}
#define QR_PORT_CFG cfg
#define QR_S_BITS ${iw_max}
#define QR_M_BITS ${ow_max}
#define QR_HAS_M_TLAST ${has_tlast}
#include \"${simdir}/axis_shim.cpp\"
" @ONLY)

  set(vdir ${gen}/verilated)
  set(vargs -Wall -O1 --threads 1 ${A_VERILATOR_ARGS})
  set(vsrcs ${srcs} ${gen}/${A_NAME}_sweep.sv)
  set(lint_ok TRUE)
  if(have_verilator)
    # verilate() runs Verilator at configure time and reads the list of generated files
    # from its output; Verilator 5 names those files by hash, so a build-time re-run after
    # an RTL edit can leave that list stale.  Hence: reconfigure when the RTL changes, and
    # then re-verilate at configure time with a fresh directory.  Lint first, so a
    # warning in one unit disables (and fails) only its test instead of the configure.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${srcs})
    set(stale FALSE)
    if(NOT EXISTS ${vdir}/verilator_args.txt)
      set(stale TRUE)
    else()
      foreach(s ${vsrcs})
        if(${s} IS_NEWER_THAN ${vdir}/verilator_args.txt)
          set(stale TRUE)
        endif()
      endforeach()
    endif()
    if(stale)
      file(REMOVE_RECURSE ${vdir})
      execute_process(
        COMMAND ${VERILATOR_BIN} --lint-only ${vargs} --top ${A_NAME}_sweep ${vsrcs}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
      if(rc)
        set(lint_ok FALSE)
      endif()
    endif()
  endif()
  if(have_verilator AND NOT lint_ok)
    _qr_failing_test(${A_NAME} "Verilator lint failed, test disabled:\n${out}")
    return()
  endif()
  if(have_verilator)
    add_executable(${A_NAME} ${tbs} ${gen}/${A_NAME}_info.c ${gen}/${A_NAME}_shim.cpp)
    # C++20: Verilated code shifts CData/SData values left after their promotion to
    # int (e.g. `mem[rd_ptr] << 0x14U` for a 16-bit memory word), which overflows int
    # and is undefined in C++17 (UBSan "left shift of 40185 by 20 places cannot be
    # represented in type 'int'" in the Sanitize build); C++20 defines it as the
    # wrap-around Verilator intends.
    set_target_properties(${A_NAME} PROPERTIES CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON)
    verilate(${A_NAME}
      SOURCES ${vsrcs}
      TOP_MODULE ${A_NAME}_sweep
      PREFIX V${A_NAME}
      DIRECTORY ${vdir}
      VERILATOR_ARGS ${vargs}
      OPT_FAST -O1 -g0
      OPT_SLOW -O0 -g0
      OPT_GLOBAL -O1 -g0)
    set(sim_args "")
  else()
    message(STATUS "qr_add_rtl_test(${A_NAME}): Verilator not found, Icarus only")
    add_executable(${A_NAME} ${tbs} ${gen}/${A_NAME}_info.c)
    set(sim_args --sim=icarus)
  endif()
  target_link_libraries(${A_NAME} PRIVATE qr_axis m)
  target_include_directories(${A_NAME} PRIVATE ${CMAKE_CURRENT_LIST_DIR})
  if(NOT QR_IVERILOG)
    set(sim_args --sim=verilator)
  endif()
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  add_test(NAME ${A_NAME} COMMAND ${A_NAME} ${sim_args} ${A_ARGS})
  set_tests_properties(${A_NAME} PROPERTIES LABELS rtl TIMEOUT ${A_TIMEOUT})
endfunction()
