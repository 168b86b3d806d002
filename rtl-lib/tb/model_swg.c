/* model_swg.c - reference model of qr_swg; see model_swg.h. */
#include "model_swg.h"

#include <stdio.h>

int qr_swg_cfg_check(const qr_swg_cfg *c, char *err, size_t n) {
  if (c->elem_bits < 1 || c->c < 1 || c->simd < 1 || c->c % c->simd) {
    snprintf(err, n, "SIMD %d must divide C %d", c->simd, c->c);
    return -1;
  }
  if (c->kh < 1 || c->kw < 1 || c->sh < 1 || c->sw < 1 || c->dh < 1 || c->dw < 1) {
    snprintf(err, n, "kernel, stride and dilation must be >= 1");
    return -1;
  }
  if ((c->kh - 1) * c->dh + 1 > c->h || (c->kw - 1) * c->dw + 1 > c->w) {
    snprintf(err, n, "window larger than the image");
    return -1;
  }
  return 0;
}

int qr_swg_oh(const qr_swg_cfg *c) { return (c->h - (c->kh - 1) * c->dh - 1) / c->sh + 1; }
int qr_swg_ow(const qr_swg_cfg *c) { return (c->w - (c->kw - 1) * c->dw - 1) / c->sw + 1; }

size_t qr_swg_in_beats(const qr_swg_cfg *c) {
  return (size_t)c->h * (size_t)c->w * (size_t)(c->c / c->simd);
}

size_t qr_swg_out_beats(const qr_swg_cfg *c) {
  return (size_t)qr_swg_oh(c) * (size_t)qr_swg_ow(c) * (size_t)c->kh * (size_t)c->kw *
         (size_t)(c->c / c->simd);
}

void qr_swg_indices(const qr_swg_cfg *c, size_t *idx) {
  int cfn = c->c / c->simd, oh = qr_swg_oh(c), ow = qr_swg_ow(c);
  size_t j = 0;
  for (int oy = 0; oy < oh; oy++)
    for (int ox = 0; ox < ow; ox++)
      for (int a = 0; a < c->kh * c->kw * cfn; a++) {
        int kh, kw, cf;
        if (c->dw_order == 0) { /* for kh, for kw, for cf */
          cf = a % cfn;
          kw = (a / cfn) % c->kw;
          kh = a / cfn / c->kw;
        } else { /* for cf, for kh, for kw */
          kw = a % c->kw;
          kh = (a / c->kw) % c->kh;
          cf = a / (c->kw * c->kh);
        }
        size_t y = (size_t)oy * (size_t)c->sh + (size_t)kh * (size_t)c->dh;
        size_t x = (size_t)ox * (size_t)c->sw + (size_t)kw * (size_t)c->dw;
        idx[j++] = (y * (size_t)c->w + x) * (size_t)cfn + (size_t)cf;
      }
}

long qr_swg_buffer_beats(const qr_swg_cfg *c) {
  long cf = c->c / c->simd, oh = qr_swg_oh(c), ow = qr_swg_ow(c), w = c->w, h = c->h;
  long L = (long)c->kh * c->kw * cf;
  long S = ((long)(c->kh - 1) * c->dh * w + (long)(c->kw - 1) * c->dw + 1) * cf;
  long jcol = (long)c->sw * cf;
  long jrow = ((long)c->sh * w - (ow - 1) * c->sw) * cf;
  long jfrm = (h * w - (oh - 1) * c->sh * w - (ow - 1) * c->sw) * cf;
  long j = jfrm;
  if (ow > 1 && jcol > j) j = jcol;
  if (oh > 1 && jrow > j) j = jrow;
  long orow = ow * L, ilast = (h - (oh - 1) * c->sh) * w * cf;
  long x = (orow < (long)c->sh * w * cf && orow > ilast) ? orow - ilast : 0;
  return S + j + x + L + cf;
}
