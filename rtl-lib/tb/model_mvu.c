/* model_mvu.c - see model_mvu.h. */
#include "model_mvu.h"

#include <stdlib.h>
#include <string.h>

static int elem_width(int bits, int is_signed, int bipolar) {
  return bipolar ? 1 : bits + (is_signed ? 0 : 1);
}

int qr_mvu_default_acc_bits(const qr_mvu_cfg *c) {
  return elem_width(c->ibits, c->isigned, c->ibipolar) +
         elem_width(c->wbits, c->wsigned, c->wbipolar) + qr_clog2(c->mw);
}

int qr_mvu_mode(const qr_mvu_cfg *c, int mul_style) {
  if (c->ibipolar && c->wbipolar) return 0;
  if (c->wbipolar) return 1;
  if (c->ibipolar) return 2;
  if (mul_style == 1 || (mul_style == 0 && c->ibits <= 4 && c->wbits <= 4)) return 3;
  return 4;
}

int qr_mvu_cfg_resolve(qr_mvu_cfg *c, char *err, size_t errlen) {
  const char *msg = NULL;
  if (c->acc_bits == 0) c->acc_bits = qr_mvu_default_acc_bits(c);
  if (c->tbits == 0) c->tbits = c->acc_bits + 1;
  if (c->obits == 0) c->obits = c->num_thresholds > 0 ? qr_clog2(c->num_thresholds + 1) : c->acc_bits;
  if (c->mw <= 0 || c->simd <= 0 || c->mw % c->simd != 0) msg = "SIMD must divide MW";
  else if (c->mh <= 0 || c->pe <= 0 || c->mh % c->pe != 0) msg = "PE must divide MH";
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
  if (msg && err) snprintf(err, errlen, "qr_mvu: %s", msg);
  return msg ? -1 : 0;
}

int qr_mvu_weight_fits(const qr_mvu_cfg *c, int64_t w) {
  if (c->wbipolar) return w == 1 || w == -1;
  return qr_fits(w, c->wbits, c->wsigned);
}

int qr_mvu_input_fits(const qr_mvu_cfg *c, int64_t x) {
  if (c->ibipolar) return x == 1 || x == -1;
  return qr_fits(x, c->ibits, c->isigned);
}

int64_t qr_mvu_run(const qr_mvu_cfg *c, const int32_t *W, const int64_t *thr, const int64_t *x,
                   int64_t *y) {
  int64_t wrapped = 0;
  for (int v = 0; v < c->num_vec; v++) {
    const int64_t *xv = x + (int64_t)v * c->mw;
    for (int n = 0; n < c->mh; n++) {
      const int32_t *wr = W + (int64_t)n * c->mw;
      int64_t acc = 0;
      for (int k = 0; k < c->mw; k++) acc += (int64_t)wr[k] * xv[k];
      int64_t acc_hw = qr_sext((uint64_t)acc, c->acc_bits);
      wrapped += acc_hw != acc;
      y[(int64_t)v * c->mh + n] =
          c->num_thresholds > 0
              ? qr_multithreshold(acc_hw, thr + (int64_t)n * c->num_thresholds,
                                  c->num_thresholds, c->obias)
              : acc_hw;
    }
  }
  return wrapped;
}

int qr_mvu_write_weights(FILE *f, const qr_mvu_cfg *c, const int32_t *W) {
  int sf_n = c->mw / c->simd, nf_n = c->mh / c->pe;
  int64_t bits = (int64_t)c->pe * c->simd * c->wbits;
  uint8_t *buf = (uint8_t *)calloc((size_t)(bits + 7) / 8, 1);
  if (!buf) return -1;
  int rc = 0;
  for (int nf = 0; nf < nf_n && rc == 0; nf++) {
    for (int sf = 0; sf < sf_n && rc == 0; sf++) {
      for (int p = 0; p < c->pe && rc == 0; p++) {
        for (int s = 0; s < c->simd; s++) {
          int64_t w = W[(int64_t)(nf * c->pe + p) * c->mw + sf * c->simd + s];
          if (!qr_mvu_weight_fits(c, w)) { rc = -1; break; }
          qr_mem_put(buf, ((int64_t)p * c->simd + s) * c->wbits, c->wbits,
                      qr_elem_encode(w, c->wbits, c->wbipolar));
        }
      }
      if (rc == 0) rc = qr_mem_write_word(f, buf, bits);
    }
  }
  free(buf);
  return rc;
}

int qr_mvu_write_thresholds(FILE *f, const qr_mvu_cfg *c, const int64_t *thr) {
  return qr_thresh_mem_write(f, c->mh, c->pe, c->num_thresholds, c->tbits, thr);
}

int qr_mvu_write_table(const char *prefix, const qr_mvu_cfg *c, const int64_t *thr) {
  int T = c->num_thresholds, A = c->acc_bits, nf = c->mh / c->pe;
  if (T <= 0 || A < 1 || A > 16 || c->obits < 1 || c->obits > 64 || c->pe > 10000) return -1;
  uint64_t mask = c->obits == 64 ? ~0ull : (1ull << c->obits) - 1;
  uint8_t word[8];
  for (int p = 0; p < c->pe; p++) {
    char path[4096];
    snprintf(path, sizeof path, "%s_%04d.mem", prefix, p);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    int rc = 0;
    for (int a = 0; a < nf && rc == 0; a++) {
      const int64_t *row = thr + (int64_t)(a * c->pe + p) * T;
      for (int64_t u = 0; u < ((int64_t)1 << A) && rc == 0; u++) {
        int64_t acc = u - ((int64_t)1 << (A - 1)); /* offset binary */
        uint64_t y = (uint64_t)qr_multithreshold(acc, row, T, c->obias) & mask;
        memset(word, 0, sizeof word);
        qr_mem_put(word, 0, c->obits, y);
        rc = qr_mem_write_word(f, word, c->obits);
      }
    }
    if (fclose(f) || rc) return -1;
  }
  return 0;
}
