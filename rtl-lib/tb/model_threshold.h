/* model_threshold.h - bit-exact C model of qr_threshold (and of the fused
 * thresholds of qr_mvu), the .mem writer for threshold files, and the small
 * bit-packing helpers the .mem writers and testbenches share.
 *
 * Semantics (QONNX MultiThreshold, FINN's order):
 *     y = #{t : v >= thr[t]} + obias, carried on the stream as y mod 2^obits.
 *
 * Threshold .mem layout (qr_threshold ThreshFile; qr_mvu ThreshFile with
 * channels = MH): channels/pe words, word f holds pe*T*tbits bits; threshold t
 * of channel f*pe + p is two's complement at bits [(p*T + t)*tbits +: tbits].
 * One word per line, hex, most significant digit first, ceil(bits/4) digits.
 */
#ifndef QR_MODEL_THRESHOLD_H
#define QR_MODEL_THRESHOLD_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- bits -- */

/* Put the low `width` (<= 64) bits of v at bit `pos` of an LSB-first buffer. */
void qr_mem_put(uint8_t *buf, int64_t pos, int width, uint64_t v);
/* Read `width` (<= 64) bits at bit `pos`. */
uint64_t qr_mem_get(const uint8_t *buf, int64_t pos, int width);
/* Two's complement value of the low `bits` bits of raw. */
int64_t qr_sext(uint64_t raw, int bits);
/* Does v fit in `bits` bits, two's complement (is_signed) or unsigned? */
int qr_fits(int64_t v, int bits, int is_signed);
/* Write one .mem word of `bits` bits from buf: hex, MSB first, newline. */
int qr_mem_write_word(FILE *f, const uint8_t *buf, int64_t bits);

/* An element on a stream: `bits` wide, signed or unsigned, or bipolar (1 bit,
 * 1 = +1, 0 = -1).  encode: value -> raw bits; decode: raw bits -> value. */
uint64_t qr_elem_encode(int64_t v, int bits, int bipolar);
int64_t qr_elem_decode(uint64_t raw, int bits, int is_signed, int bipolar);
int64_t qr_elem_min(int bits, int is_signed, int bipolar);
int64_t qr_elem_max(int bits, int is_signed, int bipolar);

/* ---------------------------------------------------------- thresholds -- */

/* #{t : v >= thr[t]} + obias (the arithmetic value; the RTL emits it mod
 * 2^obits). */
int64_t qr_multithreshold(int64_t v, const int64_t *thr, int num_thresholds, int obias);

/* Write a threshold .mem (layout above) for `channels` channels, `pe` per
 * word, T thresholds each, thr row-major channels x T.  -1 if a threshold does
 * not fit tbits (two's complement), pe does not divide channels, or on I/O
 * error. */
int qr_thresh_mem_write(FILE *f, int channels, int pe, int num_thresholds, int tbits,
                        const int64_t *thr);

typedef struct qr_threshold_cfg {
  int c, pe, num_vec;
  int ibits, isigned;
  int num_thresholds;
  int tbits;        /* 0: the RTL default, ibits + (isigned ? 1 : 2) */
  int obits;        /* 0: the RTL default, clog2(T + 1) */
  int obias;
} qr_threshold_cfg;

/* Fill the defaults the RTL would take and check the parameters; -1 with a
 * message in err (if non-NULL) if they are inconsistent. */
int qr_threshold_cfg_resolve(qr_threshold_cfg *c, char *err, size_t errlen);

/* y[v*C + ch] = multithreshold(x[v*C + ch]) for num_vec pixels. */
void qr_threshold_run(const qr_threshold_cfg *c, const int64_t *thr /* C x T */,
                      const int64_t *x, int64_t *y);

/* The ThreshFile of a qr_threshold with this configuration. */
int qr_threshold_write_thresholds(FILE *f, const qr_threshold_cfg *c, const int64_t *thr);

/* Ceil(log2(n)) as the RTL's $clog2 (0 for n <= 1). */
int qr_clog2(int64_t n);

#ifdef __cplusplus
}
#endif

#endif
