/* rtlgen.h - hardware IR -> SystemVerilog top level, unit parameters, .mem files. */
#ifndef QR_RTLGEN_H
#define QR_RTLGEN_H

#include <stdio.h>

#include "ir/hw.h"

/* Insert the plumbing the folding needs: a width converter wherever a unit's
 * output beat (PE elements) differs from the next unit's input beat (SIMD
 * elements), and a FIFO between every two compute units. */
int hw_insert_plumbing(hw_design *d);

/* Stream widths at the top level (tdata padded to whole bytes, DESIGN.md). */
int rtl_in_elems_per_beat(const hw_design *d);
int rtl_out_elems_per_beat(const hw_design *d);
int rtl_in_tdata_bits(const hw_design *d);
int rtl_out_tdata_bits(const hw_design *d);
int64_t rtl_out_beats_per_frame(const hw_design *d);
int64_t rtl_in_beats_per_frame(const hw_design *d);

/* Write DIR/<top>.sv, the library units it instantiates and every .mem file
 * into dir (which exists).  Appends every written file name to `files` (for
 * IP-XACT file sets) if non-NULL. */
typedef struct rtl_files {
  int n, cap;
  const char **name;       /* relative to dir; grown in the design's arena */
} rtl_files;
int rtlgen_write(const hw_design *d, const char *dir, const char *top, rtl_files *files);

/* Pack one frame of element values (integer meaning; bipolar -1/+1) into
 * stream beats of `tdata_bits`, `elems` elements of `bits` each per beat,
 * element 0 in the least significant bits.  words_per_beat = ceil(tdata_bits/32).
 * Returns the number of beats. */
int64_t rtl_pack(const int64_t *vals, int64_t n, int elems, hw_etype t, int tdata_bits,
                 uint32_t *words);
/* The inverse; sign-extends signed elements, maps bipolar bits to -1/+1. */
void rtl_unpack(const uint32_t *words, int64_t nbeats, int elems, hw_etype t, int tdata_bits,
                int64_t *vals);

#endif
