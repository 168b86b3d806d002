/* model_threshold.c - see model_threshold.h. */
#include "model_threshold.h"

#include <stdlib.h>
#include <string.h>

int qr_clog2(int64_t n) {
  int b = 0;
  while (b < 63 && ((int64_t)1 << b) < n) b++;
  return b;
}

void qr_mem_put(uint8_t *buf, int64_t pos, int width, uint64_t v) {
  for (int i = 0; i < width; i++) {
    int64_t q = pos + i;
    uint8_t m = (uint8_t)(1u << (q & 7));
    if ((v >> i) & 1) buf[q >> 3] |= m;
    else buf[q >> 3] &= (uint8_t)~m;
  }
}

uint64_t qr_mem_get(const uint8_t *buf, int64_t pos, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; i++) {
    int64_t q = pos + i;
    v |= (uint64_t)((buf[q >> 3] >> (q & 7)) & 1) << i;
  }
  return v;
}

int64_t qr_sext(uint64_t raw, int bits) {
  if (bits >= 64) return (int64_t)raw;
  uint64_t m = ((uint64_t)1 << bits) - 1;
  raw &= m;
  if (raw >> (bits - 1)) raw |= ~m;
  return (int64_t)raw;
}

int qr_fits(int64_t v, int bits, int is_signed) {
  if (bits >= 63) return 1;
  if (is_signed) return v >= -((int64_t)1 << (bits - 1)) && v < ((int64_t)1 << (bits - 1));
  return v >= 0 && v < ((int64_t)1 << bits);
}

int qr_mem_write_word(FILE *f, const uint8_t *buf, int64_t bits) {
  static const char hex[] = "0123456789abcdef";
  for (int64_t d = (bits + 3) / 4 - 1; d >= 0; d--) {
    int w = (int)(bits - 4 * d < 4 ? bits - 4 * d : 4);
    if (fputc(hex[qr_mem_get(buf, 4 * d, w)], f) == EOF) return -1;
  }
  return fputc('\n', f) == EOF ? -1 : 0;
}

uint64_t qr_elem_encode(int64_t v, int bits, int bipolar) {
  if (bipolar) return v > 0 ? 1 : 0;
  return bits >= 64 ? (uint64_t)v : (uint64_t)v & (((uint64_t)1 << bits) - 1);
}

int64_t qr_elem_decode(uint64_t raw, int bits, int is_signed, int bipolar) {
  if (bipolar) return (raw & 1) ? 1 : -1;
  if (is_signed) return qr_sext(raw, bits);
  return bits >= 64 ? (int64_t)raw : (int64_t)(raw & (((uint64_t)1 << bits) - 1));
}

int64_t qr_elem_min(int bits, int is_signed, int bipolar) {
  if (bipolar) return -1;
  return is_signed ? -((int64_t)1 << (bits - 1)) : 0;
}

int64_t qr_elem_max(int bits, int is_signed, int bipolar) {
  if (bipolar) return 1;
  return is_signed ? ((int64_t)1 << (bits - 1)) - 1 : ((int64_t)1 << bits) - 1;
}

int64_t qr_multithreshold(int64_t v, const int64_t *thr, int num_thresholds, int obias) {
  int64_t n = 0;
  for (int t = 0; t < num_thresholds; t++) n += v >= thr[t];
  return n + obias;
}

int qr_thresh_mem_write(FILE *f, int channels, int pe, int num_thresholds, int tbits,
                        const int64_t *thr) {
  if (pe <= 0 || channels % pe != 0 || num_thresholds <= 0 || tbits <= 0 || tbits > 64)
    return -1;
  int64_t bits = (int64_t)pe * num_thresholds * tbits;
  uint8_t *buf = (uint8_t *)calloc((size_t)(bits + 7) / 8, 1);
  if (!buf) return -1;
  int rc = 0;
  for (int fold = 0; fold < channels / pe && rc == 0; fold++) {
    for (int p = 0; p < pe && rc == 0; p++) {
      const int64_t *row = thr + (int64_t)(fold * pe + p) * num_thresholds;
      for (int t = 0; t < num_thresholds; t++) {
        if (!qr_fits(row[t], tbits, 1)) { rc = -1; break; }
        qr_mem_put(buf, ((int64_t)p * num_thresholds + t) * tbits, tbits, (uint64_t)row[t]);
      }
    }
    if (rc == 0) rc = qr_mem_write_word(f, buf, bits);
  }
  free(buf);
  return rc;
}

int qr_threshold_cfg_resolve(qr_threshold_cfg *c, char *err, size_t errlen) {
  const char *msg = NULL;
  if (c->tbits == 0) c->tbits = c->ibits + (c->isigned ? 1 : 2);
  if (c->obits == 0) c->obits = qr_clog2(c->num_thresholds + 1);
  if (c->obits == 0) c->obits = 1;
  if (c->c <= 0 || c->pe <= 0 || c->c % c->pe != 0) msg = "PE must divide C";
  else if (c->num_vec < 1) msg = "NumVec must be >= 1";
  else if (c->ibits < 1 || c->ibits > 32) msg = "IBits must be 1..32";
  else if (c->num_thresholds < 1) msg = "NumThresholds must be >= 1";
  else if (c->tbits < 1 || c->tbits > 64) msg = "TBits must be 1..64";
  else if (c->obits < 1 || c->obits > 32) msg = "OBits must be 1..32";
  if (msg && err) snprintf(err, errlen, "qr_threshold: %s", msg);
  return msg ? -1 : 0;
}

void qr_threshold_run(const qr_threshold_cfg *c, const int64_t *thr, const int64_t *x,
                      int64_t *y) {
  for (int64_t i = 0; i < (int64_t)c->num_vec * c->c; i++)
    y[i] = qr_multithreshold(x[i], thr + (i % c->c) * c->num_thresholds, c->num_thresholds,
                             c->obias);
}

int qr_threshold_write_thresholds(FILE *f, const qr_threshold_cfg *c, const int64_t *thr) {
  return qr_thresh_mem_write(f, c->c, c->pe, c->num_thresholds, c->tbits, thr);
}
