/* ipxact.h - DIR/ip: the generated design as a self-contained Vivado IP
 * repository (IEEE 1685-2009 component.xml with Vivado's xilinx: vendor
 * extensions, every .sv and .mem copied under DIR/ip/hdl/) and a FuseSoC
 * CAPI2 core file for the same sources.
 *
 * The stream formats (widths, padding, frame lengths) that the IP, the board
 * scripts (boards/) and the host driver agree on are computed once here
 * (ipx_streams) from rtlgen's widths, so every consumer sees the same numbers.
 */
#ifndef QR_IPXACT_H
#define QR_IPXACT_H

#include "ir/hw.h"
#include "rtlgen/rtlgen.h"

/* vendor:library:name:version, as Vivado spells an IP's identity. */
typedef struct ipx_vlnv {
  const char *vendor, *library, *name, *version;
} ipx_vlnv;

/* NULL if s is a usable VLNV ("V:L:N:VER": four non-empty fields of letters,
 * digits, '.', '_', '-'; name starting with a letter; version digits and
 * dots), else a short reason (for the usage error). */
const char *ipx_vlnv_problem(const char *s);
/* Split s (or, if s is NULL, the default "qonnx-rtl.org:user:<top>:1.0")
 * into fields allocated in a.  s must have passed ipx_vlnv_problem. */
ipx_vlnv ipx_vlnv_make(ir_arena *a, const char *s, const char *top);
/* "V:L:N:VER" */
const char *ipx_vlnv_str(ir_arena *a, const ipx_vlnv *v);

/* One port of the generated top level (rtlgen's write_top). */
typedef struct ipx_port {
  const char *name;
  bool in;                 /* direction: in (true) or out */
  int width;               /* bits; 1 for scalar wires */
} ipx_port;
#define IPX_NPORTS 9
/* The top level's ports in declaration order. */
void ipx_ports(const hw_design *d, ipx_port ports[IPX_NPORTS]);

/* One direction of the stream boundary, as the IP, the DMA and the driver
 * see it.  A beat carries `elems` elements of `type`, element 0 in the least
 * significant bits, in tdata_bytes bytes.  In memory (DMA buffers) each beat
 * takes dma_beat_bytes = the next power of two >= tdata_bytes, zero padded. */
typedef struct ipx_stream {
  hw_etype type;
  int elems;               /* elements per beat */
  int tdata_bytes;         /* the IP's TDATA_NUM_BYTES */
  int mem_beat_bytes;      /* power of two >= tdata_bytes (beat in memory) */
  int64_t beats;           /* beats per frame */
  int64_t frame_elems;
} ipx_stream;
void ipx_streams(const hw_design *d, ipx_stream *in, ipx_stream *out);

/* Write dir/ip/ (dir is the temporary output directory; dir/rtl holds the
 * files listed in `files`): hdl/ copies, component.xml, <name>.core.
 * `family` is the target part's Vivado family (listed first among the
 * supported families).  Every file is written atomically. */
int ipx_write(const hw_design *d, const char *dir, const char *top, const rtl_files *files,
              const ipx_vlnv *v, const char *family);

/* Copy a file atomically (temporary sibling + rename); one error line
 * naming the file on failure. */
int ipx_copy_file(const char *from, const char *to);

#endif
