/* model_swg.h - reference model of qr_swg (rtl-lib/qr_swg.sv): the sliding-window
 * order as index math (the specification), the throughput bound and the RTL's buffer
 * size formula. */
#ifndef QR_MODEL_SWG_H
#define QR_MODEL_SWG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int elem_bits, c, h, w, kh, kw, sh, sw, dh, dw, simd, dw_order;
} qr_swg_cfg;

/* 0 if the configuration is valid, else -1 with a message in err. */
int qr_swg_cfg_check(const qr_swg_cfg *c, char *err, size_t n);
int qr_swg_oh(const qr_swg_cfg *c);
int qr_swg_ow(const qr_swg_cfg *c);
/* Beats per frame: input H*W*C/SIMD, output OH*OW*KH*KW*C/SIMD. */
size_t qr_swg_in_beats(const qr_swg_cfg *c);
size_t qr_swg_out_beats(const qr_swg_cfg *c);
/* idx[j] = the input beat (within the frame) that output beat j of a frame repeats,
 * for j < qr_swg_out_beats(c). */
void qr_swg_indices(const qr_swg_cfg *c, size_t *idx);
/* The buffer depth in beats that qr_swg.sv uses (Cap in its header comment). */
long qr_swg_buffer_beats(const qr_swg_cfg *c);

#ifdef __cplusplus
}
#endif
#endif
