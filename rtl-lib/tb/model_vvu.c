/* model_vvu.c - see model_vvu.h. */
#include "model_vvu.h"

#include <stdlib.h>

static int elem_width(int bits, int is_signed, int bipolar) {
  return bipolar ? 1 : bits + (is_signed ? 0 : 1);
}

int qr_vvu_default_acc_bits(const qr_vvu_cfg *c) {
  return elem_width(c->ibits, c->isigned, c->ibipolar) +
         elem_width(c->wbits, c->wsigned, c->wbipolar) + qr_clog2(c->k);
}

int qr_vvu_mode(const qr_vvu_cfg *c, int mul_style) {
  if (c->ibipolar && c->wbipolar) return 0;
  if (c->wbipolar) return 1;
  if (c->ibipolar) return 2;
  if (mul_style == 1 || (mul_style == 0 && c->ibits <= 4 && c->wbits <= 4)) return 3;
  return 4;
}

int qr_vvu_cfg_resolve(qr_vvu_cfg *c, char *err, size_t errlen) {
  const char *msg = NULL;
  if (c->acc_bits == 0) c->acc_bits = qr_vvu_default_acc_bits(c);
  if (c->tbits == 0) c->tbits = c->acc_bits + 1;
  if (c->obits == 0) c->obits = c->num_thresholds > 0 ? qr_clog2(c->num_thresholds + 1) : c->acc_bits;
  if (c->k <= 0 || c->simd <= 0 || c->k % c->simd != 0) msg = "SIMD must divide K";
  else if (c->c <= 0 || c->pe <= 0 || c->c % c->pe != 0) msg = "PE must divide C";
  else if (c->num_vec < 1) msg = "NumVec must be >= 1";
  else if ((c->ibipolar && c->ibits != 1) || (c->wbipolar && c->wbits != 1))
    msg = "a bipolar operand has IBits/WBits = 1";
  else if (c->ibits < 1 || c->ibits > 32 || c->wbits < 1 || c->wbits > 32)
    msg = "IBits and WBits must be 1..32";
  else if (c->acc_bits < 2 || c->acc_bits > 62) msg = "AccBits must be 2..62";
  else if (c->num_thresholds < 0) msg = "NumThresholds must be >= 0";
  else if (c->num_thresholds == 0 && c->obits != c->acc_bits)
    msg = "without thresholds OBits must equal AccBits";
  else if (c->num_thresholds > 0 && (c->tbits < 1 || c->tbits > 63))
    msg = "TBits must be 1..63";
  else if (c->obits < 1 || c->obits > 62) msg = "OBits must be 1..62";
  if (msg && err) snprintf(err, errlen, "qr_vvu: %s", msg);
  return msg ? -1 : 0;
}

int64_t qr_vvu_run(const qr_vvu_cfg *c, const int32_t *W, const int64_t *thr, const int64_t *x,
                   int64_t *y) {
  int64_t wrapped = 0;
  for (int64_t v = 0; v < c->num_vec; v++) {
    for (int ch = 0; ch < c->c; ch++) {
      const int32_t *wr = W + (int64_t)ch * c->k;
      const int64_t *xw = x + (v * c->c + ch) * c->k;
      int64_t acc = 0;
      for (int t = 0; t < c->k; t++) acc += (int64_t)wr[t] * xw[t];
      int64_t acc_hw = qr_sext((uint64_t)acc, c->acc_bits);
      wrapped += acc_hw != acc;
      y[v * c->c + ch] = c->num_thresholds > 0
                             ? qr_multithreshold(acc_hw, thr + (int64_t)ch * c->num_thresholds,
                                                 c->num_thresholds, c->obias)
                             : acc_hw;
    }
  }
  return wrapped;
}

static int weight_fits(const qr_vvu_cfg *c, int64_t w) {
  if (c->wbipolar) return w == 1 || w == -1;
  return qr_fits(w, c->wbits, c->wsigned);
}

int qr_vvu_write_weights(FILE *f, const qr_vvu_cfg *c, const int32_t *W) {
  int sf_n = c->k / c->simd, cf_n = c->c / c->pe;
  int64_t bits = (int64_t)c->pe * c->simd * c->wbits;
  uint8_t *buf = (uint8_t *)calloc((size_t)(bits + 7) / 8, 1);
  if (!buf) return -1;
  int rc = 0;
  for (int cf = 0; cf < cf_n && rc == 0; cf++) {
    for (int sf = 0; sf < sf_n && rc == 0; sf++) {
      for (int s = 0; s < c->simd && rc == 0; s++) {
        for (int p = 0; p < c->pe; p++) {
          int64_t w = W[(int64_t)(cf * c->pe + p) * c->k + sf * c->simd + s];
          if (!weight_fits(c, w)) { rc = -1; break; }
          qr_mem_put(buf, ((int64_t)s * c->pe + p) * c->wbits, c->wbits,
                     qr_elem_encode(w, c->wbits, c->wbipolar));
        }
      }
      if (rc == 0) rc = qr_mem_write_word(f, buf, bits);
    }
  }
  free(buf);
  return rc;
}

int qr_vvu_write_thresholds(FILE *f, const qr_vvu_cfg *c, const int64_t *thr) {
  return qr_thresh_mem_write(f, c->c, c->pe, c->num_thresholds, c->tbits, thr);
}
