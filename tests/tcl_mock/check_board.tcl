# check_board.tcl - run one DIR/boards/<board>/build.tcl under vivado_mock.tcl
# and check what it built:
#   Zynq boards: our IP (the VLNV of DIR/ip/component.xml) and the AXI DMA
#   exist once; validate_bd_design passed after the last edit (every clock and
#   reset input driven, every interface connected, equal AXI4-Stream widths,
#   every reachable segment assigned, no overlaps); the streams run DMA ->
#   converters -> IP -> converters -> DMA with the widths design.json promises
#   (DMA stream = beat in memory capped at 1024 bits, padding removed by
#   keeping the low TDATA bits); one clock from the PS reaches the IP at the
#   asked frequency, the IP's reset comes from proc_sys_reset driven by the
#   PS; the DMA registers sit in the PS master's window; wrapper, bitstream
#   run and the .bit/.hwh copies happen.
#   Alveo: package_xo of the IP as a free-running kernel; link.cfg connects
#   qr_mm2s -> s_axis_0 and m_axis_0 -> qr_s2mm; the movers' widths equal the
#   IP's TDATA and design.json's beat in memory; the Makefile has the v++ steps.
#
# usage: tclsh check_board.tcl BOARD_DIR [-board-files] [-parts PARTS] [-expect-error REGEXP]
# Prints one line per check and "N passed, N failed"; exit 1 on any failure.

set here [file dirname [file normalize [info script]]]
source [file join $here vivado_mock.tcl]

set bdir [file normalize [lindex $argv 0]]
set expect_error {}
set board_files 0
for {set i 1} {$i < [llength $argv]} {incr i} {
  switch -- [lindex $argv $i] {
    -board-files { set board_files 1 }
    -parts { set mock::parts [split [lindex $argv [incr i]] ,] }
    -expect-error { set expect_error [lindex $argv [incr i]] }
    default { puts stderr "unknown option [lindex $argv $i]"; exit 2 }
  }
}

set passed 0
set failed 0
proc check {ok msg} {
  if {$ok} { incr ::passed; puts "ok  : $msg" } else { incr ::failed; puts "FAIL: $msg" }
}
proc finish {} {
  puts "$::passed passed, $::failed failed"
  exit [expr {$::failed ? 1 : 0}]
}

proc slurp {path} { set f [open $path]; set x [read $f]; close $f; return $x }
set design [slurp [file join $bdir design.json]]
# A number from design.json's object KEY ("input", "output") or top level.
proc jnum {obj key} {
  if {$obj eq {}} { regexp "\"$key\": (\[0-9.\]+)" $::design -> v; return $v }
  regexp "\"$obj\": \\{(\[^\}\]*)\\}" $::design -> body
  regexp "\"$key\": (\[0-9.\]+)" $body -> v
  return $v
}
regexp {"flow": "([a-z]+)"} $design -> flow
regexp {"top": "([^"]+)"} $design -> top
regexp {"board": "([^"]+)"} $design -> board
puts "-- $board ($flow): $bdir[expr {$board_files ? " with board files" : ""}]"

if {$board_files} {
  set bp [slurp [file join $bdir build.tcl]]
  regexp {set qr_board_part "([^"]+)"} $bp -> b
  set mock::board_parts [list $b]
}

set rc [catch {uplevel #0 [list source [file join $bdir build.tcl]]} msg]
if {$expect_error ne {}} {
  check [expr {$rc != 0 && [regexp -- $expect_error $msg]}] "build.tcl stops with an error matching '$expect_error': [lindex [split $msg \n] 0]"
  finish
}
check [expr {$rc == 0}] "build.tcl runs to the end under the mock[expr {$rc ? ": $msg" : ""}]"
if {$rc} finish

set ip [mock::read_component [file join $bdir .. .. ip component.xml]]
check [expr {[dict get $ip vlnv] eq $::qr_ip_vlnv}] "build.tcl uses the IP's VLNV [dict get $ip vlnv]"
set in_bytes [dict get $ip intf s_axis_0]
set in_bytes [lindex $in_bytes 2]
set out_bytes [lindex [dict get $ip intf m_axis_0] 2]

# ------------------------------------------------------------------ Vitis --
if {$flow eq "vitis"} {
  set xo $mock::xo
  check [expr {$xo ne {}}] "package_xo ran"
  if {$xo eq {}} finish
  check [expr {[dict get $xo kernel_name] eq $top}] "kernel name is the top module $top"
  check [expr {[file normalize [dict get $xo ip_directory]] eq [file normalize [file join $bdir .. .. ip]]}] \
      "-ip_directory is DIR/ip"
  check [expr {[dict get $xo ctrl_protocol] eq "ap_ctrl_none"}] "free-running kernel (ap_ctrl_none)"
  check [file exists [dict get $xo xo_path]] "the .xo is written ([file tail [dict get $xo xo_path]])"
  set cfg [slurp [file join $bdir link.cfg]]
  foreach want [list "nk=qr_mm2s:1:qr_mm2s_1" "nk=qr_s2mm:1:qr_s2mm_1" "nk=$top:1:${top}_1" \
                    "stream_connect=qr_mm2s_1.s:${top}_1.s_axis_0" "stream_connect=${top}_1.m_axis_0:qr_s2mm_1.s" \
                    "sp=qr_mm2s_1.mem:DDR\[0\]" "sp=qr_s2mm_1.mem:DDR\[0\]"] {
    check [expr {[string first $want\n $cfg] >= 0}] "link.cfg: $want"
  }
  check [expr {[lindex [dict get $ip intf s_axis_0] 0] eq "Slave" && [lindex [dict get $ip intf m_axis_0] 0] eq "Master"}] \
      "s_axis_0 is the IP's axis slave, m_axis_0 its master"
  foreach mover {qr_mm2s qr_s2mm} bytes [list $in_bytes $out_bytes] key {input output} {
    set src [slurp [file join $bdir $mover.cpp]]
    regexp {#define QR_TDATA_BITS ([0-9]+)} $src -> tb
    regexp {#define QR_MEM_BITS ([0-9]+)} $src -> mb
    regexp {#define QR_WORD_BITS ([0-9]+)} $src -> wb
    check [expr {$tb == $bytes * 8}] "$mover stream is $tb bits = the IP's TDATA ($bytes bytes)"
    check [expr {$mb == [jnum $key beat_bytes] * 8 && ($mb & ($mb - 1)) == 0}] "$mover memory beat $mb bits = design.json beat_bytes * 8, a power of two"
    check [expr {$wb <= 512 && $mb % $wb == 0}] "$mover AXI word $wb bits (<= 512, divides the beat)"
    check [string match "*extern \"C\" void ${mover}(*" $src] "$mover.cpp defines the kernel $mover"
  }
  set mk [slurp [file join $bdir Makefile]]
  foreach want {"-k qr_mm2s" "-k qr_s2mm" "--config link.cfg" "vivado -mode batch -source build.tcl"} {
    check [expr {[string first $want $mk] >= 0}] "Makefile: $want"
  }
  finish
}

# ------------------------------------------------------------------ Zynq ---
proc cells_of {kind} {
  set out {}
  dict for {n c} $mock::cells { if {[dict get $c kind] eq $kind} { lappend out $n } }
  return $out
}
set ours {}
dict for {n c} $mock::cells { if {[dict get $c vlnv] eq [dict get $ip vlnv]} { lappend ours $n } }
check [expr {[llength $ours] == 1}] "our IP is instantiated once ($ours)"
set ipc [lindex $ours 0]
set dmas [cells_of dma]
check [expr {$dmas eq {axi_dma_0}}] "one AXI DMA named axi_dma_0 (driver.py uses the name): $dmas"
set dcfg [dict get $mock::cells axi_dma_0 config]
check [expr {[dict get $dcfg c_include_sg] == 0}] "DMA in simple (register) mode, as PYNQ's driver uses it"
set ps [concat [cells_of ps7] [cells_of psu]]
check [expr {[llength $ps] == 1}] "one processing system ($ps)"
set pskind [dict get $mock::cells $ps kind]

check [expr {$mock::validated_at == $mock::changes}] "validate_bd_design ran after the last change"
set probs [mock::problems]
check [expr {![llength $probs]}] "design rules hold (all inputs driven, interfaces connected, widths equal, addresses assigned)[expr {[llength $probs] ? ": [join $probs {; }]" : ""}]"

# every interface of every cell connected
set open {}
foreach cell [dict keys $mock::cells] {
  foreach {n i} [dict get [mock::def $cell] intf] { if {![dict exists $mock::intf_peer $cell/$n]} { lappend open $cell/$n } }
}
check [expr {![llength $open]}] "every interface of every cell is connected $open"

# stream widths on every axis connection
foreach pair $mock::intf_nets {
  lassign $pair a b
  set ia [dict get [mock::def [lindex [split $a /] 0]] intf [lindex [split $a /] 1]]
  if {[lindex $ia 1] ne "axis"} continue
  set ib [dict get [mock::def [lindex [split $b /] 0]] intf [lindex [split $b /] 1]]
  check [expr {[lindex $ia 2] == [lindex $ib 2]}] "stream $a ([lindex $ia 2] bytes) -> $b ([lindex $ib 2] bytes)"
}

# the stream paths
proc follow {from to} {
  set path [list $from]
  set cur $from
  for {set k 0} {$k < 8} {incr k} {
    if {![dict exists $mock::intf_peer $cur]} { return [list 0 $path] }
    set cur [dict get $mock::intf_peer $cur]
    lappend path $cur
    if {$cur eq $to} { return [list 1 $path] }
    set cell [lindex [split $cur /] 0]
    if {[dict get $mock::cells $cell kind] ni {subset dwc}} { return [list 0 $path] }
    set cur $cell/M_AXIS
    lappend path $cur
  }
  return [list 0 $path]
}
lassign [follow axi_dma_0/M_AXIS_MM2S $ipc/s_axis_0] ok path
check $ok "input stream: [join $path { -> }]"
lassign [follow $ipc/m_axis_0 axi_dma_0/S_AXIS_S2MM] ok path
check $ok "output stream: [join $path { -> }]"

set pow2 {8 16 32 64 128 256 512 1024}
foreach key {input output} st {c_m_axis_mm2s_tdata_width c_s_axis_s2mm_tdata_width} tb [list $in_bytes $out_bytes] {
  set w [dict get $dcfg $st]
  set beat [jnum $key beat_bytes]
  check [expr {$w in $pow2}] "DMA $key stream $w bits is one of 8..1024 in powers of two"
  check [expr {$w == [jnum $key dma_bytes] * 8 && $w == 8 * min($beat, 128)}] \
      "DMA $key stream = the beat in memory ($beat bytes) capped at 1024 bits = design.json dma_bytes"
  check [expr {[jnum $key tdata_bytes] == $tb && $beat >= $tb && ($beat & ($beat - 1)) == 0}] \
      "$key: IP TDATA $tb bytes, beat in memory $beat bytes (power of two >= TDATA)"
}
if {[dict exists $mock::cells in_pad]} {
  check [expr {[dict get $mock::cells in_pad config TDATA_REMAP] eq "tdata\[[expr {$in_bytes * 8 - 1}]:0\]"}] \
      "in_pad keeps the low $in_bytes bytes of each beat (element 0 stays in the LSBs)"
}
if {[dict exists $mock::cells out_pad]} {
  check [string match "*,tdata\\\[[expr {$out_bytes * 8 - 1}]:0\\\]" [dict get $mock::cells out_pad config TDATA_REMAP]] \
      "out_pad puts the IP's $out_bytes bytes in the low bytes, zeros above"
}

# clock and reset
proc driver_of {pin} {
  if {![dict exists $mock::netof $pin]} { return {} }
  foreach p [dict get $mock::nets [dict get $mock::netof $pin]] {
    lassign [split $p /] c n
    if {[lindex [dict get [mock::def $c] pins $n] 0] eq "O"} { return $p }
  }
  return {}
}
set psclk [expr {$pskind eq "ps7" ? "$ps/FCLK_CLK0" : "$ps/pl_clk0"}]
set psrst [expr {$pskind eq "ps7" ? "$ps/FCLK_RESET0_N" : "$ps/pl_resetn0"}]
check [expr {[driver_of $ipc/ap_clk] eq $psclk}] "the IP's ap_clk is driven by the PS clock $psclk"
set clkpins {}
foreach cell [dict keys $mock::cells] {
  foreach {n p} [dict get [mock::def $cell] pins] {
    if {[lindex $p 0] eq "I" && [lindex $p 1] eq "clk"} { lappend clkpins $cell/$n }
  }
}
set other [lmap p $clkpins {expr {[driver_of $p] eq $psclk ? [continue] : $p}}]
check [expr {![llength $other]}] "one clock domain: all [llength $clkpins] clock inputs on $psclk $other"
set fkey [expr {$pskind eq "ps7" ? "PCW_FPGA0_PERIPHERAL_FREQMHZ" : "PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ"}]
set mhz [dict get $mock::cells $ps config $fkey]
check [expr {$mhz == [jnum {} clock_mhz]}] "PL clock set to $mhz MHz = --clock-mhz"
set rsts [cells_of rst]
check [expr {[llength $rsts] == 1}] "one proc_sys_reset ($rsts)"
set r [lindex $rsts 0]
check [expr {[driver_of $ipc/ap_rst_n] eq "$r/peripheral_aresetn"}] "the IP's ap_rst_n comes from $r/peripheral_aresetn (active low)"
check [expr {[driver_of $r/ext_reset_in] eq $psrst && [driver_of $r/slowest_sync_clk] eq $psclk}] \
    "$r is driven by the PS reset $psrst and clocked by $psclk"
check [expr {[driver_of axi_dma_0/axi_resetn] eq "$r/peripheral_aresetn"}] "the DMA's reset too"

# addresses
set needed [mock::needed]
set missing [lmap n $needed {expr {[mock::is_assigned {*}$n] ? [continue] : $n}}]
check [expr {[llength $needed] >= 3 && ![llength $missing]}] "all [llength $needed] reachable address segments are assigned $missing"
set reg [lsearch -inline -glob $mock::assigned "$ps/Data axi_dma_0/S_AXI_LITE/Reg *"]
check [expr {$reg ne {}}] "the DMA registers are mapped for the PS ([format 0x%X [lindex $reg 2]], [lindex $reg 3] bytes)"
foreach ch {MM2S S2MM} {
  set ddr [lsearch -inline -glob $mock::assigned "axi_dma_0/Data_$ch $ps/*DDR_LOW* *"]
  check [expr {$ddr ne {}}] "DMA $ch reaches the PS DDR ([lindex $ddr 1] at [format 0x%X [lindex $ddr 2]])"
}

# build steps
check [expr {[lsearch -glob $mock::log {make_wrapper*-top*}] >= 0 && [dict get $mock::project top] eq "qr_bd_wrapper"}] \
    "HDL wrapper made and set as top"
check [expr {[dict exists $mock::runs impl_1] && [dict get $mock::runs impl_1 to_step] eq "write_bitstream"}] \
    "implementation run to write_bitstream"
check [expr {[file exists [file join $bdir $top.bit]] && [file exists [file join $bdir $top.hwh]]}] \
    "$top.bit and $top.hwh copied beside driver.py (PYNQ overlay)"
finish
