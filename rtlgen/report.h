/* report.h - DIR/report.json and DIR/report.html. */
#ifndef QR_REPORT_H
#define QR_REPORT_H

#include "ir/hw.h"
#include "sim/driver/verify.h"

/* What the caller knows beyond the design (all optional). */
typedef struct hw_report_extra {
  const char *model;       /* model path */
  const char *top;         /* top-level module name */
  double compile_s;        /* ONNX -> RTL seconds; 0: "compile_seconds": null and no
                            * time in the HTML.  The CLI passes 0 so that the report
                            * is byte-identical across runs (time goes to stderr). */
  const hw_fifo_sizing *fifo; /* FIFO sizing (--fifo), or NULL */
  int have_verify;
  qr_verify_result verify;
} hw_report_extra;

int hw_write_report(const hw_design *d, const hw_fold_opts *o, const char *dir,
                    const hw_report_extra *x);
#endif
