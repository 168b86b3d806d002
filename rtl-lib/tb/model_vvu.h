/* model_vvu.h - bit-exact C model of qr_vvu (depthwise convolution, optional
 * fused thresholds) and the writer of its WeightFile.
 *
 * Configuration mirrors qr_vvu's parameters (rtl-lib/qr_vvu.sv):
 *   c, k, pe, simd, num_vec            C, K, PE, SIMD, NumVec
 *   ibits, isigned, ibipolar           IBits, ISigned, IBipolar
 *   wbits, wsigned, wbipolar           WBits, WSigned, WBipolar
 *   acc_bits                           AccBits (0: the RTL default)
 *   num_thresholds, tbits, obits, obias  NumThresholds, TBits, OBits, OBias
 *                                      (tbits/obits 0: the RTL defaults)
 * Element values are plain integers; bipolar is -1/+1.
 *
 * Weight .mem (WeightFile): CF*SF words (CF = C/PE, SF = K/SIMD), word
 * cf*SF + sf holds PE*SIMD*WBits bits, W[cf*PE + p][sf*SIMD + s] at bits
 * [(s*PE + p)*WBits +: WBits] (bipolar: 1 = +1).  Threshold .mem: see
 * model_threshold.h with channels = C.  Hex, MSB first, one word per line.
 */
#ifndef QR_MODEL_VVU_H
#define QR_MODEL_VVU_H

#include <stdint.h>
#include <stdio.h>

#include "model_threshold.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct qr_vvu_cfg {
  int c, k, pe, simd, num_vec;
  int ibits, isigned, ibipolar;
  int wbits, wsigned, wbipolar;
  int acc_bits;
  int num_thresholds;
  int tbits, obits, obias;
} qr_vvu_cfg;

/* Fill the defaults the RTL would take (acc_bits, tbits, obits) and check the
 * parameters; -1 with a message in err (if non-NULL) when inconsistent. */
int qr_vvu_cfg_resolve(qr_vvu_cfg *c, char *err, size_t errlen);

/* The RTL's default AccBits: XW + WW + clog2(K). */
int qr_vvu_default_acc_bits(const qr_vvu_cfg *c);

/* The datapath qr_vvu selects (as qr_mvu): 0 xnor, 1 bipolar weights, 2 bipolar
 * inputs, 3 LUT multiplies, 4 DSP multiplies (MulStyle 0 = auto). */
int qr_vvu_mode(const qr_vvu_cfg *c, int mul_style);

/* y[v*C + ch] for num_vec pixels, windows x[(v*C + ch)*K + t]: the accumulator
 * sum_t W[ch][t] * x[ch][t] modulo 2^acc_bits (two's complement, as the RTL),
 * then, with thresholds, multithreshold(acc, thr[ch], T) + obias.  Returns how
 * many accumulators did not fit acc_bits (0 when acc_bits is right). */
int64_t qr_vvu_run(const qr_vvu_cfg *c, const int32_t *W /* C x K */,
                   const int64_t *thr /* C x T, or NULL */, const int64_t *x, int64_t *y);

/* Write the WeightFile / ThreshFile of this configuration.  -1 on I/O error or a
 * value that does not fit its type. */
int qr_vvu_write_weights(FILE *f, const qr_vvu_cfg *c, const int32_t *W /* C x K */);
int qr_vvu_write_thresholds(FILE *f, const qr_vvu_cfg *c, const int64_t *thr /* C x T */);

#ifdef __cplusplus
}
#endif

#endif
