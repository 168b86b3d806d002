/* model_mvu.h - bit-exact C model of qr_mvu and the writer of its .mem files.
 *
 * Configuration mirrors qr_mvu's parameters (rtl-lib/qr_mvu.sv):
 *   mw, mh, pe, simd, num_vec          MW, MH, PE, SIMD, NumVec
 *   ibits, isigned, ibipolar           IBits, ISigned, IBipolar
 *   wbits, wsigned, wbipolar           WBits, WSigned, WBipolar
 *   acc_bits                           AccBits (0: the RTL default)
 *   num_thresholds, tbits, obits, obias  NumThresholds, TBits, OBits, OBias
 *                                      (tbits/obits 0: the RTL defaults)
 *   thresh_style                       ThreshStyle (0 comparators, 1 table)
 * Element values are plain integers; bipolar is -1/+1.
 *
 * Weight .mem (WeightFile): NF*SF words (NF = MH/PE, SF = MW/SIMD), word
 * nf*SF + sf holds PE*SIMD*WBits bits, W[nf*PE + p][sf*SIMD + s] at bits
 * [(p*SIMD + s)*WBits +: WBits] (bipolar: 1 = +1).  Threshold .mem: see
 * model_threshold.h with channels = MH.  Hex, MSB first, one word per line.
 */
#ifndef QR_MODEL_MVU_H
#define QR_MODEL_MVU_H

#include <stdint.h>
#include <stdio.h>

#include "model_threshold.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct qr_mvu_cfg {
  int mw, mh, pe, simd, num_vec;
  int ibits, isigned, ibipolar;
  int wbits, wsigned, wbipolar;
  int acc_bits;
  int num_thresholds;
  int tbits, obits, obias;
  int thresh_style;
} qr_mvu_cfg;

/* Fill the defaults the RTL would take (acc_bits, tbits, obits) and check the
 * parameters; -1 with a message in err (if non-NULL) when inconsistent. */
int qr_mvu_cfg_resolve(qr_mvu_cfg *c, char *err, size_t errlen);

/* The RTL's default AccBits: XW + WW + clog2(MW), XW = IBits (+1 unsigned, 1
 * bipolar), likewise WW. */
int qr_mvu_default_acc_bits(const qr_mvu_cfg *c);

/* The datapath qr_mvu selects: 0 xnor, 1 bipolar weights, 2 bipolar inputs,
 * 3 LUT multiplies, 4 DSP multiplies (MulStyle 0 = auto). */
int qr_mvu_mode(const qr_mvu_cfg *c, int mul_style);

/* Is w a valid weight / x a valid input element of this configuration? */
int qr_mvu_weight_fits(const qr_mvu_cfg *c, int64_t w);
int qr_mvu_input_fits(const qr_mvu_cfg *c, int64_t x);

/* y[v*MH + n] for num_vec vectors x[v*MW + k]: the accumulator
 * sum_k W[n][k] * x[k] taken modulo 2^acc_bits (two's complement, as the RTL),
 * then, with thresholds, multithreshold(acc, thr[n], T) + obias.  Values are
 * arithmetic; the stream carries them mod 2^obits.  Returns how many
 * accumulators did not fit acc_bits (0 when acc_bits is right). */
int64_t qr_mvu_run(const qr_mvu_cfg *c, const int32_t *W /* MH x MW */,
                   const int64_t *thr /* MH x T, or NULL */, const int64_t *x, int64_t *y);

/* Write the WeightFile / ThreshFile of this configuration.  -1 on I/O error
 * or a value that does not fit its type. */
int qr_mvu_write_weights(FILE *f, const qr_mvu_cfg *c, const int32_t *W /* MH x MW */);
int qr_mvu_write_thresholds(FILE *f, const qr_mvu_cfg *c, const int64_t *thr /* MH x T */);
/* ThreshStyle 1: write the PE table files <prefix>_<p, 4 digits>.mem (word
 * nf * 2^AccBits + acc + 2^(AccBits-1): the activation of that accumulator
 * value; see qr_mvu.sv).  Needs the resolved acc_bits/obits. */
int qr_mvu_write_table(const char *prefix, const qr_mvu_cfg *c, const int64_t *thr /* MH x T */);

#ifdef __cplusplus
}
#endif

#endif
