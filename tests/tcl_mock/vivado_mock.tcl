# vivado_mock.tcl - the Vivado Tcl commands qonnx-rtl's build.tcl scripts use,
# for plain tclsh: they record the project and the block design instead of
# building anything, and fail where Vivado fails (unknown part, IP or board
# part, a pin or interface that does not exist or is already connected, an
# out-of-range IP parameter, a board preset without board files, an address
# outside the master's reach).  validate_bd_design checks the design as Vivado
# would (every clock/reset input driven, every interface of every cell
# connected, AXI4-Stream widths equal on both ends, every reachable address
# segment assigned, no overlaps); check_board.tcl then inspects the record.
#
# The IP catalog holds the Xilinx IPs the scripts instantiate (pins,
# interfaces, address spaces and segments as their Vivado definitions have
# them, with the parameters that switch ports on and size streams) and every
# IP-XACT component.xml found under the project's ip_repo_paths, read with
# regular expressions (ports, axis bus interfaces, TDATA_NUM_BYTES, VLNV).
#
# Settings (before sourcing build.tcl): mock::parts, mock::board_parts.

namespace eval mock {
  variable parts {xc7z020clg400-1 xczu7ev-ffvc1156-2-e xck26-sfvc784-2LV-c xczu3eg-sbva484-1-e
                  xcu250-figd2104-2L-e}
  variable board_parts {}
  variable project {}        ;# dict: name dir part board_part ip_repo_paths top
  variable catalog {}        ;# vlnv -> kind (builtin name or "user:<path>")
  variable user_ips {}       ;# vlnv -> parsed component dict
  variable cells {}          ;# name -> dict vlnv kind config
  variable netof {}          ;# "cell/pin" -> net id
  variable nets {}           ;# net id -> list of "cell/pin"
  variable nextnet 0
  variable intf_nets {}      ;# list of {a b}
  variable intf_peer {}      ;# "cell/intf" -> other end
  variable ext_ports {}      ;# external interface ports: name -> mode
  variable assigned {}       ;# list of {space seg offset range}
  variable changes 0         ;# design edits; validated_at = changes at last validate
  variable validated_at -1
  variable log {}            ;# every command, in order
  variable files {}          ;# project files
  variable runs {}           ;# run -> dict
  variable xo {}             ;# package_xo arguments
  variable bd {}
}

proc mock::fail {msg} { return -code error "ERROR: \[mock\] $msg" }
proc mock::note {args} { lappend mock::log $args }
proc mock::edit {} { incr mock::changes }

# ------------------------------------------------------------- IP catalog --

set mock::catalog [dict create \
  xilinx.com:ip:processing_system7:5.5 ps7 \
  xilinx.com:ip:zynq_ultra_ps_e:3.3 psu xilinx.com:ip:zynq_ultra_ps_e:3.5 psu \
  xilinx.com:ip:axi_dma:7.1 dma xilinx.com:ip:smartconnect:1.0 smartconnect \
  xilinx.com:ip:proc_sys_reset:5.0 rst xilinx.com:ip:axis_subset_converter:1.1 subset \
  xilinx.com:ip:axis_dwidth_converter:1.1 dwc]

# Parameter defaults and allowed values of the builtin IPs.
proc mock::defaults {kind} {
  switch $kind {
    ps7 { return {PCW_USE_M_AXI_GP0 1 PCW_USE_S_AXI_HP0 0 PCW_EN_CLK0_PORT 1 PCW_EN_RST0_PORT 1
                  PCW_S_AXI_HP0_DATA_WIDTH 64 PCW_FPGA0_PERIPHERAL_FREQMHZ 50} }
    psu { return {PSU__USE__M_AXI_GP0 1 PSU__USE__M_AXI_GP1 1 PSU__USE__M_AXI_GP2 0 PSU__USE__S_AXI_GP2 0
                  PSU__FPGA_PL0_ENABLE 1 PSU__SAXIGP2__DATA_WIDTH 128 PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ 100} }
    dma { return {c_include_sg 1 c_sg_length_width 14 c_addr_width 32 c_include_mm2s 1 c_include_s2mm 1
                  c_m_axis_mm2s_tdata_width 32 c_m_axi_mm2s_data_width 32 c_s_axis_s2mm_tdata_width 32
                  c_m_axi_s2mm_data_width 32 c_mm2s_burst_size 16 c_s2mm_burst_size 16} }
    smartconnect { return {NUM_SI 1 NUM_MI 1} }
    rst { return {} }
    subset { return {S_TDATA_NUM_BYTES 1 M_TDATA_NUM_BYTES 1 S_HAS_TLAST 0 M_HAS_TLAST 0 S_HAS_TKEEP 0
                     M_HAS_TKEEP 0 TDATA_REMAP {tdata[7:0]} TLAST_REMAP {1'b0}} }
    dwc { return {S_TDATA_NUM_BYTES 1 M_TDATA_NUM_BYTES 1 HAS_TLAST 0 HAS_TKEEP 0} }
  }
  return {}
}

proc mock::check_param {cell kind key value} {
  set pow2 {8 16 32 64 128 256 512 1024}
  switch $kind {
    ps7 { if {![string match PCW_* $key]} { mock::fail "$cell: no parameter $key" } }
    psu { if {![string match PSU__* $key]} { mock::fail "$cell: no parameter $key" } }
    dma {
      if {![dict exists [mock::defaults dma] $key]} { mock::fail "$cell: no parameter $key" }
      if {[string match *tdata_width $key] && $value ni $pow2} {
        mock::fail "$cell: $key $value is not one of $pow2" }
      if {[string match *data_width $key] && ![string match *tdata* $key] && $value ni [lrange $pow2 2 end]} {
        mock::fail "$cell: $key $value is not one of [lrange $pow2 2 end]" }
      if {$key eq "c_addr_width" && ($value < 32 || $value > 64)} { mock::fail "$cell: c_addr_width $value" }
      if {$key eq "c_sg_length_width" && ($value < 8 || $value > 26)} { mock::fail "$cell: $key $value" }
    }
    smartconnect {
      if {$key ni {NUM_SI NUM_MI NUM_CLKS}} { mock::fail "$cell: no parameter $key" }
      if {$value < 1 || $value > 16} { mock::fail "$cell: $key $value out of 1..16" }
    }
    subset - dwc {
      if {![dict exists [mock::defaults $kind] $key]} { mock::fail "$cell: no parameter $key" }
      if {[string match *TDATA_NUM_BYTES $key] && ($value < 1 || $value > 512)} {
        mock::fail "$cell: $key $value out of 1..512" }
    }
    rst { mock::fail "$cell: no parameter $key" }
  }
}

proc mock::on {cfg key} { expr {[dict get $cfg $key] == 1} }

# The pins, interfaces, address spaces and segments of a cell as configured.
#   pins:   name -> {dir type required}     (type clk rst intr data)
#   intf:   name -> {mode bus bytes}        (bytes: TDATA_NUM_BYTES for axis)
#   spaces: name -> {intf width base size}  (master address spaces)
#   segs:   "intfname/seg" -> {pin base size}  (base -1: relocatable)
proc mock::def {cell} {
  set c [dict get $mock::cells $cell]
  set kind [dict get $c kind]
  set cfg [dict get $c config]
  set pins {}; set intf {}; set spaces {}; set segs {}
  switch -glob $kind {
    ps7 {
      dict set pins FCLK_CLK0 {O clk 0}
      dict set pins FCLK_RESET0_N {O rst 0}
      dict set intf DDR {Master ddrx 0}
      dict set intf FIXED_IO {Master fixedio 0}
      if {[mock::on $cfg PCW_USE_M_AXI_GP0]} {
        dict set pins M_AXI_GP0_ACLK {I clk 1}
        dict set intf M_AXI_GP0 {Master aximm 0}
        dict set spaces Data {M_AXI_GP0 32 0x40000000 0x40000000}
      }
      if {[mock::on $cfg PCW_USE_S_AXI_HP0]} {
        dict set pins S_AXI_HP0_ACLK {I clk 1}
        dict set intf S_AXI_HP0 {Slave aximm 0}
        dict set segs S_AXI_HP0/HP0_DDR_LOWOCM {S_AXI_HP0 0 0x20000000}
      }
    }
    psu {
      if {[mock::on $cfg PSU__FPGA_PL0_ENABLE]} {
        dict set pins pl_clk0 {O clk 0}
        dict set pins pl_resetn0 {O rst 0}
      }
      foreach {gp name clk} {GP0 M_AXI_HPM0_FPD maxihpm0_fpd_aclk GP1 M_AXI_HPM1_FPD maxihpm1_fpd_aclk
                              GP2 M_AXI_HPM0_LPD maxihpm0_lpd_aclk} {
        if {[mock::on $cfg PSU__USE__M_AXI_$gp]} {
          dict set pins $clk {I clk 1}
          dict set intf $name {Master aximm 0}
        }
      }
      if {[mock::on $cfg PSU__USE__M_AXI_GP0]} { dict set spaces Data {M_AXI_HPM0_FPD 40 0xA0000000 0x10000000} }
      if {[mock::on $cfg PSU__USE__S_AXI_GP2]} {
        dict set pins saxihp0_fpd_aclk {I clk 1}
        dict set intf S_AXI_HP0_FPD {Slave aximm 0}
        dict set segs SAXIGP2/HP0_DDR_LOW {S_AXI_HP0_FPD 0 0x80000000}
        dict set segs SAXIGP2/HP0_DDR_HIGH {S_AXI_HP0_FPD 0x800000000 0x80000000}
        dict set segs SAXIGP2/HP0_LPS_OCM {S_AXI_HP0_FPD 0xFF000000 0x01000000}
        dict set segs SAXIGP2/HP0_QSPI {S_AXI_HP0_FPD 0xC0000000 0x20000000}
      }
    }
    dma {
      dict set pins s_axi_lite_aclk {I clk 1}
      dict set pins axi_resetn {I rst 1}
      dict set intf S_AXI_LITE {Slave aximm 0}
      dict set segs S_AXI_LITE/Reg {S_AXI_LITE -1 0x10000}
      set aw [dict get $cfg c_addr_width]
      if {[mock::on $cfg c_include_mm2s]} {
        dict set pins m_axi_mm2s_aclk {I clk 1}
        dict set pins mm2s_introut {O intr 0}
        dict set intf M_AXI_MM2S {Master aximm 0}
        dict set intf M_AXIS_MM2S [list Master axis [expr {[dict get $cfg c_m_axis_mm2s_tdata_width] / 8}]]
        dict set spaces Data_MM2S [list M_AXI_MM2S $aw 0 [expr {1 << $aw}]]
      }
      if {[mock::on $cfg c_include_s2mm]} {
        dict set pins m_axi_s2mm_aclk {I clk 1}
        dict set pins s2mm_introut {O intr 0}
        dict set intf M_AXI_S2MM {Master aximm 0}
        dict set intf S_AXIS_S2MM [list Slave axis [expr {[dict get $cfg c_s_axis_s2mm_tdata_width] / 8}]]
        dict set spaces Data_S2MM [list M_AXI_S2MM $aw 0 [expr {1 << $aw}]]
      }
      if {[mock::on $cfg c_include_sg]} {
        dict set pins m_axi_sg_aclk {I clk 1}
        dict set intf M_AXI_SG {Master aximm 0}
        dict set spaces Data_SG [list M_AXI_SG $aw 0 [expr {1 << $aw}]]
      }
    }
    smartconnect {
      dict set pins aclk {I clk 1}
      dict set pins aresetn {I rst 1}
      for {set i 0} {$i < [dict get $cfg NUM_SI]} {incr i} {
        dict set intf [format S%02d_AXI $i] {Slave aximm 0} }
      for {set i 0} {$i < [dict get $cfg NUM_MI]} {incr i} {
        dict set intf [format M%02d_AXI $i] {Master aximm 0} }
    }
    rst {
      dict set pins slowest_sync_clk {I clk 1}
      dict set pins ext_reset_in {I rst 1}
      dict set pins aux_reset_in {I rst 0}
      dict set pins mb_debug_sys_rst {I rst 0}
      dict set pins dcm_locked {I data 0}
      foreach p {peripheral_aresetn interconnect_aresetn peripheral_reset mb_reset bus_struct_reset} {
        dict set pins $p {O rst 0} }
    }
    subset - dwc {
      dict set pins aclk {I clk 1}
      dict set pins aresetn {I rst 1}
      dict set intf S_AXIS [list Slave axis [dict get $cfg S_TDATA_NUM_BYTES]]
      dict set intf M_AXIS [list Master axis [dict get $cfg M_TDATA_NUM_BYTES]]
    }
    user {
      set ip [dict get $mock::user_ips [dict get $c vlnv]]
      foreach {n p} [dict get $ip pins] { dict set pins $n $p }
      foreach {n i} [dict get $ip intf] { dict set intf $n $i }
    }
  }
  return [dict create pins $pins intf $intf spaces $spaces segs $segs kind $kind]
}

# -------------------------------------------------- our IP: component.xml --

proc mock::read_component {path} {
  set f [open $path]; set x [read $f]; close $f
  foreach k {vendor library name version} {
    if {![regexp "<spirit:$k>(\[^<\]*)</spirit:$k>" $x -> $k]} { mock::fail "$path: no spirit:$k" }
  }
  set vlnv "$vendor:$library:$name:$version"
  set ports {}
  foreach {- body} [regexp -all -inline {<spirit:port>(.*?)</spirit:port>} $x] {
    regexp {<spirit:name>([^<]*)</spirit:name>} $body -> pn
    regexp {<spirit:direction>([^<]*)</spirit:direction>} $body -> dir
    set w 1
    if {[regexp {<spirit:left[^>]*>([0-9]+)</spirit:left>\s*<spirit:right[^>]*>([0-9]+)</spirit:right>} $body -> l r]} {
      set w [expr {$l - $r + 1}]
    }
    dict set ports $pn [list $dir $w]
  }
  set intf {}; set mapped {}; set pins {}
  foreach {- body} [regexp -all -inline {<spirit:busInterface>(.*?)</spirit:busInterface>} $x] {
    regexp {<spirit:name>([^<]*)</spirit:name>} $body -> bn
    regexp {<spirit:busType [^>]*spirit:library="([^"]*)" spirit:name="([^"]*)"} $body -> blib btype
    set mode [expr {[string match *<spirit:master/>* $body] ? "Master" : "Slave"}]
    set maps {}
    foreach {- lp pp} [regexp -all -inline {<spirit:logicalPort>\s*<spirit:name>([^<]*)</spirit:name>\s*</spirit:logicalPort>\s*<spirit:physicalPort>\s*<spirit:name>([^<]*)</spirit:name>} $body] {
      if {![dict exists $ports $pp]} { mock::fail "$path: $bn maps $lp to missing port $pp" }
      dict set maps $lp $pp
      lappend mapped $pp
    }
    if {$btype eq "axis"} {
      if {![regexp {<spirit:name>TDATA_NUM_BYTES</spirit:name>\s*<spirit:value[^>]*>([0-9]+)<} $body -> nb]} {
        mock::fail "$path: $bn has no TDATA_NUM_BYTES" }
      set tw [lindex [dict get $ports [dict get $maps TDATA]] 1]
      if {$nb * 8 != $tw} { mock::fail "$path: $bn TDATA_NUM_BYTES $nb but TDATA is $tw bits" }
      dict set intf $bn [list $mode axis $nb]
    } elseif {$btype eq "clock"} {
      dict set pins [dict get $maps CLK] {I clk 1}
    } elseif {$btype eq "reset"} {
      dict set pins [dict get $maps RST] {I rst 1}
    } else {
      dict set intf $bn [list $mode $btype 0]
    }
  }
  foreach {pn p} $ports {
    if {$pn ni $mapped} { dict set pins $pn [list [expr {[lindex $p 0] eq "in" ? "I" : "O"}] data 1] }
  }
  regexp {<spirit:modelName>([^<]*)</spirit:modelName>} $x -> model
  return [dict create vlnv $vlnv pins $pins intf $intf ports $ports path $path model $model]
}

# ----------------------------------------------------- project commands --

proc get_parts {args} {
  set pat [lindex $args end]
  return [lsearch -all -inline -glob $mock::parts $pat]
}
proc get_board_parts {args} {
  set pat [lindex $args end]
  return [lsearch -all -inline -glob $mock::board_parts $pat]
}
proc create_project {args} {
  mock::note create_project {*}$args
  set part [lindex $args [expr {[lsearch $args -part] + 1}]]
  if {$part ni $mock::parts} { mock::fail "create_project: part '$part' could not be found" }
  set pos [lsearch -not -all -inline -regexp $args {^-}]
  set mock::project [dict create name [lindex $pos 0] dir [lindex $pos 1] part $part board_part {} ip_repo_paths {} top {}]
  file mkdir [lindex $pos 1]
  return [lindex $pos 0]
}
proc current_project {} {
  if {$mock::project eq {}} { mock::fail "no open project" }
  return project:[dict get $mock::project name]
}
proc current_fileset {} { return fileset:sources_1 }
proc get_filesets {name} { return fileset:$name }

proc set_property {args} {
  mock::note set_property {*}$args
  if {[lindex $args 0] eq "-dict"} {
    set kv [lindex $args 1]; set objs [lindex $args 2]
  } else {
    set kv [list [lindex $args 0] [lindex $args 1]]; set objs [lindex $args 2]
  }
  foreach obj $objs {
    set obj [string trimleft $obj /]
    foreach {k v} $kv {
      if {[string match project:* $obj]} {
        switch $k {
          board_part { if {$v ni $mock::board_parts} { mock::fail "board part $v is not installed" } }
          ip_repo_paths {}
          default { mock::fail "set_property $k on the project is not modelled" }
        }
        dict set mock::project $k $v
      } elseif {[string match fileset:* $obj]} {
        dict set mock::project $k $v
      } elseif {[dict exists $mock::cells $obj]} {
        if {![string match CONFIG.* $k]} { mock::fail "set_property $k on cell $obj" }
        set key [string range $k 7 end]
        mock::check_param $obj [dict get $mock::cells $obj kind] $key $v
        dict set mock::cells $obj config $key $v
        mock::edit
      } else {
        mock::fail "set_property: no object '$obj'"
      }
    }
  }
}

proc get_property {name obj} {
  set obj [string trimleft $obj /]
  if {[string match run:* $obj]} { return [dict get $mock::runs [string range $obj 4 end] $name] }
  if {[dict exists $mock::cells $obj] && [string match CONFIG.* $name]} {
    return [dict get $mock::cells $obj config [string range $name 7 end]]
  }
  mock::fail "get_property $name of '$obj' is not modelled"
}

proc update_ip_catalog {args} {
  mock::note update_ip_catalog {*}$args
  foreach repo [dict get $mock::project ip_repo_paths] {
    foreach xml [concat [glob -nocomplain [file join $repo component.xml]] \
                        [glob -nocomplain [file join $repo * component.xml]]] {
      set ip [mock::read_component $xml]
      dict set mock::user_ips [dict get $ip vlnv] $ip
      dict set mock::catalog [dict get $ip vlnv] user
    }
  }
}
proc get_ipdefs {args} {
  set pat [lindex [lsearch -not -all -inline -regexp $args {^-}] 0]
  return [lsearch -all -inline -glob [dict keys $mock::catalog] $pat]
}

# ------------------------------------------------------- block design ----

proc create_bd_design {name} {
  mock::note create_bd_design $name
  if {$mock::project eq {}} { mock::fail "create_bd_design: no project" }
  set mock::bd $name
  lappend mock::files [file join [dict get $mock::project dir] bd $name $name.bd]
  return $name
}

proc create_bd_cell {args} {
  mock::note create_bd_cell {*}$args
  set vlnv [lindex $args [expr {[lsearch $args -vlnv] + 1}]]
  set name [lindex $args end]
  if {$mock::bd eq {}} { mock::fail "create_bd_cell: no block design" }
  if {![dict exists $mock::catalog $vlnv]} { mock::fail "create_bd_cell: IP '$vlnv' is not in the catalog" }
  if {[dict exists $mock::cells $name]} { mock::fail "create_bd_cell: a cell '$name' exists" }
  set kind [dict get $mock::catalog $vlnv]
  dict set mock::cells $name [dict create vlnv $vlnv kind $kind config [mock::defaults $kind]]
  mock::edit
  return /$name
}

proc get_bd_cells {args} {
  set pats [lsearch -not -all -inline -regexp $args {^-}]
  set out {}
  foreach pat [concat {*}$pats] {
    foreach c [dict keys $mock::cells [string trimleft $pat /]] { lappend out /$c }
  }
  return $out
}

# "cell/name" objects of one kind (pins or intf) that exist as configured.
proc mock::objects {what quiet args} {
  set out {}
  foreach o [concat {*}$args] {
    set o [string trimleft $o /]
    set cell [lindex [split $o /] 0]; set n [join [lrange [split $o /] 1 end] /]
    if {[dict exists $mock::cells $cell] && [dict exists [dict get [mock::def $cell] $what] $n]} {
      lappend out /$o
    } elseif {$what eq "intf" && [dict exists $mock::ext_ports $o]} {
      lappend out /$o
    } elseif {!$quiet} {
      puts "WARNING: \[mock\] no $what '$o'"
    }
  }
  return $out
}
proc get_bd_pins {args} {
  set q [expr {"-quiet" in $args}]
  return [mock::objects pins $q {*}[lsearch -not -all -inline -regexp $args {^-}]]
}
proc get_bd_intf_pins {args} {
  set q [expr {"-quiet" in $args}]
  return [mock::objects intf $q {*}[lsearch -not -all -inline -regexp $args {^-}]]
}
proc get_bd_addr_spaces {name} {
  set name [string trimleft $name /]
  set cell [lindex [split $name /] 0]
  if {![dict exists $mock::cells $cell] || ![dict exists [dict get [mock::def $cell] spaces] [lindex [split $name /] 1]]} {
    puts "WARNING: \[mock\] no address space '$name'"; return {}
  }
  return /$name
}
proc get_bd_addr_segs {name} {
  set name [string trimleft $name /]
  set cell [lindex [split $name /] 0]
  if {![dict exists $mock::cells $cell] || ![dict exists [dict get [mock::def $cell] segs] [join [lrange [split $name /] 1 end] /]]} {
    puts "WARNING: \[mock\] no address segment '$name'"; return {}
  }
  return /$name
}

proc connect_bd_intf_net {args} {
  mock::note connect_bd_intf_net {*}$args
  set objs [lsearch -not -all -inline -regexp $args {^-}]
  if {[llength $objs] != 2 || [llength [lindex $objs 0]] != 1 || [llength [lindex $objs 1]] != 1} {
    mock::fail "connect_bd_intf_net needs two interface objects, got '$objs'"
  }
  lassign [lmap o $objs {string trimleft $o /}] a b
  foreach o [list $a $b] {
    if {[dict exists $mock::intf_peer $o]} { mock::fail "connect_bd_intf_net: $o is already connected" }
  }
  set mode {}
  foreach o [list $a $b] {
    set cell [lindex [split $o /] 0]
    lappend mode [lindex [dict get [mock::def $cell] intf [lindex [split $o /] 1]] 0]
  }
  if {[lsort $mode] ne {Master Slave}} { mock::fail "connect_bd_intf_net: $a ([lindex $mode 0]) to $b ([lindex $mode 1])" }
  lappend mock::intf_nets [list $a $b]
  dict set mock::intf_peer $a $b
  dict set mock::intf_peer $b $a
  mock::edit
}

proc connect_bd_net {args} {
  mock::note connect_bd_net {*}$args
  set objs [lsearch -not -all -inline -regexp $args {^-}]
  set pins {}
  foreach o $objs {
    if {![llength $o]} { mock::fail "connect_bd_net: an empty object list (a pin that does not exist?)" }
    foreach p $o { lappend pins [string trimleft $p /] }
  }
  if {[llength $pins] < 2} { mock::fail "connect_bd_net needs two pins" }
  set net {}
  foreach p $pins { if {[dict exists $mock::netof $p]} { set net [dict get $mock::netof $p]; break } }
  if {$net eq {}} { set net [incr mock::nextnet]; dict set mock::nets $net {} }
  foreach p $pins {
    if {[dict exists $mock::netof $p] && [dict get $mock::netof $p] ne $net} {
      mock::fail "connect_bd_net: $p is on another net already" }
    if {![dict exists $mock::netof $p]} {
      dict set mock::netof $p $net
      dict lappend mock::nets $net $p
    }
  }
  mock::edit
}

proc apply_bd_automation {args} {
  mock::note apply_bd_automation {*}$args
  set rule [lindex $args [expr {[lsearch $args -rule] + 1}]]
  set cfg [lindex $args [expr {[lsearch $args -config] + 1}]]
  set cell [string trimleft [lindex $args end] /]
  if {[dict exists $cfg apply_board_preset] && [dict get $cfg apply_board_preset] == 1 &&
      [dict get $mock::project board_part] eq {}} {
    mock::fail "apply_bd_automation: apply_board_preset 1 without a board part"
  }
  switch $rule {
    xilinx.com:bd_rule:processing_system7 {
      if {[dict get $mock::cells $cell kind] ne "ps7"} { mock::fail "$rule on $cell" }
      foreach p [split [dict get $cfg make_external] ", "] {
        if {$p eq {}} continue
        dict set mock::ext_ports $p Slave
        dict set mock::intf_peer $cell/$p $p
        dict set mock::intf_peer $p $cell/$p
      }
    }
    xilinx.com:bd_rule:zynq_ultra_ps_e {
      if {[dict get $mock::cells $cell kind] ne "psu"} { mock::fail "$rule on $cell" }
    }
    default { mock::fail "apply_bd_automation rule $rule is not modelled (connect explicitly)" }
  }
  mock::edit
}

# ---------------------------------------------------------- addressing ----

# Slave segments a master interface reaches (through smartconnects).
proc mock::reach {pin {depth 0}} {
  if {$depth > 8 || ![dict exists $mock::intf_peer $pin]} { return {} }
  set peer [dict get $mock::intf_peer $pin]
  set cell [lindex [split $peer /] 0]
  if {![dict exists $mock::cells $cell]} { return {} }
  set d [mock::def $cell]
  if {[dict get $d kind] eq "smartconnect"} {
    set out {}
    foreach {n i} [dict get $d intf] {
      if {[lindex $i 0] eq "Master"} { lappend out {*}[mock::reach $cell/$n [expr {$depth + 1}]] }
    }
    return $out
  }
  set out {}
  foreach {s seg} [dict get $d segs] {
    if {"$cell/[lindex $seg 0]" eq $peer} { lappend out $cell/$s }
  }
  return $out
}

# Every (space, segment) pair that must get an address.
proc mock::needed {} {
  set out {}
  foreach cell [dict keys $mock::cells] {
    foreach {sp s} [dict get [mock::def $cell] spaces] {
      foreach seg [mock::reach $cell/[lindex $s 0]] {
        set sd [dict get [mock::def [lindex [split $seg /] 0]] segs [join [lrange [split $seg /] 1 end] /]]
        set base [lindex $sd 1]; set size [lindex $sd 2]
        if {$base >= 0 && $base + $size > (1 << [lindex $s 1])} continue ;# beyond the master's reach
        lappend out [list $cell/$sp $seg]
      }
    }
  }
  return $out
}

proc mock::is_assigned {space seg} {
  foreach a $mock::assigned { if {[lindex $a 0] eq $space && [lindex $a 1] eq $seg} { return 1 } }
  return 0
}

proc mock::assign {space seg offset range} {
  set cell [lindex [split $space /] 0]
  set s [dict get [mock::def $cell] spaces [lindex [split $space /] 1]]
  if {[list $space $seg] ni [mock::needed]} { mock::fail "assign_bd_address: $seg is not reachable from $space" }
  set sd [dict get [mock::def [lindex [split $seg /] 0]] segs [join [lrange [split $seg /] 1 end] /]]
  lassign $sd - base size
  if {$range eq {}} { set range $size }
  if {$base >= 0} {
    if {$offset ne {} && $offset != $base} { mock::fail "assign_bd_address: $seg is fixed at [format 0x%X $base]" }
    set offset $base
  } elseif {$offset eq {}} {
    set offset [lindex $s 2]
    foreach a $mock::assigned {
      if {[lindex $a 0] eq $space && $offset < [lindex $a 2] + [lindex $a 3] && [lindex $a 2] < $offset + $range} {
        set offset [expr {([lindex $a 2] + [lindex $a 3] + $range - 1) / $range * $range}]
      }
    }
  }
  if {$offset % $range} { mock::fail "assign_bd_address: offset [format 0x%X $offset] not aligned to range $range" }
  if {$base < 0 && ($offset < [lindex $s 2] || $offset + $range > [lindex $s 2] + [lindex $s 3])} {
    mock::fail "assign_bd_address: [format 0x%X $offset] is outside $space's window"
  }
  set mock::assigned [lsearch -all -inline -not -glob $mock::assigned [list $space $seg *]]
  lappend mock::assigned [list $space $seg $offset $range]
  mock::edit
}

proc mock::size {s} {
  if {[regexp {^([0-9]+)([KMG])$} $s -> n u]} { return [expr {$n << ([string first $u KMG] * 10 + 10)}] }
  return $s
}

proc assign_bd_address {args} {
  mock::note assign_bd_address {*}$args
  set offset {}; set range {}; set space {}; set segs {}
  for {set i 0} {$i < [llength $args]} {incr i} {
    set a [lindex $args $i]
    switch -- $a {
      -offset { set offset [expr {[lindex $args [incr i]]}] }
      -range { set range [mock::size [lindex $args [incr i]]] }
      -target_address_space { set space [string trimleft [lindex $args [incr i]] /] }
      -force {}
      default { lappend segs {*}[lmap s $a {string trimleft $s /}] }
    }
  }
  if {$space eq {} && $segs eq {}} {
    foreach n [mock::needed] { if {![mock::is_assigned {*}$n]} { mock::assign {*}$n {} {} } }
    return
  }
  if {$space eq {} || [llength $segs] != 1} { mock::fail "assign_bd_address: form not modelled: $args" }
  mock::assign $space [lindex $segs 0] $offset $range
}

# --------------------------------------------------------- validation -----

proc mock::problems {} {
  set out {}
  # nets: one driver each
  foreach {net pins} $mock::nets {
    set drivers {}
    foreach p $pins {
      lassign [split $p /] c n
      if {[dict exists $mock::cells $c] && [lindex [dict get [mock::def $c] pins $n] 0] eq "O"} { lappend drivers $p }
    }
    if {[llength $drivers] != 1} { lappend out "net of $pins has [llength $drivers] drivers ($drivers)" }
  }
  foreach cell [dict keys $mock::cells] {
    set d [mock::def $cell]
    foreach {n p} [dict get $d pins] {
      if {[lindex $p 0] eq "I" && [lindex $p 2] && ![dict exists $mock::netof $cell/$n]} {
        lappend out "input pin $cell/$n ([lindex $p 1]) is not connected"
      }
    }
    foreach {n i} [dict get $d intf] {
      if {![dict exists $mock::intf_peer $cell/$n]} { lappend out "interface $cell/$n is not connected"; continue }
      set peer [dict get $mock::intf_peer $cell/$n]
      set pc [lindex [split $peer /] 0]
      if {[dict exists $mock::cells $pc]} {
        set pi [dict get [mock::def $pc] intf [lindex [split $peer /] 1]]
        if {[lindex $pi 1] ne [lindex $i 1]} { lappend out "$cell/$n ([lindex $i 1]) connected to $peer ([lindex $pi 1])" }
        if {[lindex $i 1] eq "axis" && [lindex $pi 2] != [lindex $i 2]} {
          lappend out "$cell/$n TDATA_NUM_BYTES [lindex $i 2] but $peer has [lindex $pi 2]"
        }
      }
    }
    set kind [dict get $d kind]
    set cfg [dict get $mock::cells $cell config]
    if {$kind eq "subset"} {
      set bits 0
      foreach part [split [dict get $cfg TDATA_REMAP] ,] {
        set part [string trim $part]
        if {[regexp {^tdata\[([0-9]+):([0-9]+)\]$} $part -> l r]} {
          if {$l >= [dict get $cfg S_TDATA_NUM_BYTES] * 8 || $r > $l} { lappend out "$cell: $part outside S_AXIS" }
          incr bits [expr {$l - $r + 1}]
        } elseif {[regexp {^([0-9]+)'b([01]+)$} $part -> n v] && [string length $v] == $n} {
          incr bits $n
        } else {
          lappend out "$cell: cannot read TDATA_REMAP part '$part'"
        }
      }
      if {$bits != [dict get $cfg M_TDATA_NUM_BYTES] * 8} {
        lappend out "$cell: TDATA_REMAP gives $bits bits, M_AXIS has [expr {[dict get $cfg M_TDATA_NUM_BYTES] * 8}]"
      }
    }
    if {$kind eq "dwc"} {
      set s [dict get $cfg S_TDATA_NUM_BYTES]; set m [dict get $cfg M_TDATA_NUM_BYTES]
      if {$s % $m && $m % $s} { lappend out "$cell: $s -> $m bytes is not an integer ratio" }
    }
    if {$kind eq "dma"} {
      foreach ch {mm2s s2mm} st {c_m_axis_mm2s_tdata_width c_s_axis_s2mm_tdata_width} {
        if {[dict get $cfg $st] > [dict get $cfg c_m_axi_${ch}_data_width]} {
          lappend out "$cell: $st [dict get $cfg $st] wider than c_m_axi_${ch}_data_width"
        }
      }
    }
  }
  foreach n [mock::needed] {
    if {![mock::is_assigned {*}$n]} { lappend out "segment [lindex $n 1] is not assigned in [lindex $n 0]" }
  }
  foreach a $mock::assigned {
    foreach b $mock::assigned {
      if {$a ne $b && [lindex $a 0] eq [lindex $b 0] &&
          [lindex $a 2] < [lindex $b 2] + [lindex $b 3] && [lindex $b 2] < [lindex $a 2] + [lindex $a 3]} {
        lappend out "[lindex $a 1] and [lindex $b 1] overlap in [lindex $a 0]"
      }
    }
  }
  return $out
}

proc validate_bd_design {args} {
  mock::note validate_bd_design
  set p [mock::problems]
  if {[llength $p]} { mock::fail "validate_bd_design:\n  [join $p "\n  "]" }
  set mock::validated_at $mock::changes
}
proc save_bd_design {args} { mock::note save_bd_design }

# ------------------------------------------------------- files and runs ---

proc get_files {args} {
  set pat [lindex [lsearch -not -all -inline -regexp $args {^-}] end]
  set out {}
  foreach f $mock::files { if {[string match *$pat [file tail $f]] || [string match $pat [file tail $f]]} { lappend out $f } }
  return $out
}
proc make_wrapper {args} {
  mock::note make_wrapper {*}$args
  if {$mock::validated_at != $mock::changes} { mock::fail "make_wrapper: block design changed since validation" }
  set w [file join [dict get $mock::project dir] hdl ${mock::bd}_wrapper.v]
  if {"-import" in $args} { lappend mock::files $w }
  return $w
}
proc update_compile_order {args} {}
proc launch_runs {args} {
  mock::note launch_runs {*}$args
  set run [lindex [lsearch -not -all -inline -regexp $args {^-}] 0]
  if {[dict get $mock::project top] ne "${mock::bd}_wrapper"} { mock::fail "launch_runs: top is not the block design wrapper" }
  if {![string match *wrapper* [join $mock::files]]} { mock::fail "launch_runs: no wrapper in the sources" }
  set dir [file join [dict get $mock::project dir] [dict get $mock::project name].runs $run]
  file mkdir $dir
  set to [lindex $args [expr {[lsearch $args -to_step] + 1}]]
  if {$to eq "write_bitstream"} {
    set f [open [file join $dir ${mock::bd}_wrapper.bit] w]; puts $f "mock bitstream"; close $f
    set hwh [file join [dict get $mock::project dir] hw_handoff ${mock::bd}.hwh]
    file mkdir [file dirname $hwh]
    set f [open $hwh w]; puts $f "<MODULES/>"; close $f
    lappend mock::files $hwh
  }
  dict set mock::runs $run [dict create PROGRESS 100% DIRECTORY $dir STATS.WNS 0.5 to_step $to]
}
proc wait_on_run {run} { mock::note wait_on_run $run }
proc get_runs {name} { return run:$name }
proc open_run {run} { mock::note open_run $run }
proc report_utilization {args} { mock::report $args }
proc report_timing_summary {args} { mock::report $args }
proc mock::report {args} {
  set args [concat {*}$args]
  set f [open [lindex $args [expr {[lsearch $args -file] + 1}]] w]; puts $f "mock report"; close $f
}

# ------------------------------------------------------------ Vitis -------

proc package_xo {args} {
  mock::note package_xo {*}$args
  set opts {}
  for {set i 0} {$i < [llength $args]} {incr i} {
    set a [lindex $args $i]
    if {$a eq "-force"} { dict set opts force 1; continue }
    dict set opts [string trimleft $a -] [lindex $args [incr i]]
  }
  foreach k {xo_path kernel_name ip_directory ctrl_protocol} {
    if {![dict exists $opts $k]} { mock::fail "package_xo: -$k missing" }
  }
  set xml [file join [dict get $opts ip_directory] component.xml]
  if {![file exists $xml]} { mock::fail "package_xo: no component.xml in [dict get $opts ip_directory]" }
  set ip [mock::read_component $xml]
  if {[dict get $ip model] ne [dict get $opts kernel_name]} {
    mock::fail "package_xo: kernel [dict get $opts kernel_name] is not the IP's top [dict get $ip model]" }
  foreach p {ap_clk ap_rst_n} {
    if {![dict exists $ip pins $p]} { mock::fail "package_xo: a Vitis RTL kernel needs $p" } }
  set mock::xo $opts
  set f [open [dict get $opts xo_path] w]; puts $f "mock xo"; close $f
}
