/* axis_run.h - internals shared by the harness's C files (not part of the API). */
#ifndef QR_AXIS_RUN_H
#define QR_AXIS_RUN_H

#include "axis_tb.h"

#ifdef __cplusplus
extern "C" {
#endif

void *qr_xcalloc(size_t n, size_t size); /* aborts on OOM */
void qr_axis_result_init(qr_axis_result *r, const qr_axis_run *run);
/* Record the first failure reason; returns 0. */
int qr_axis_fail(qr_axis_result *r, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
uint64_t qr_axis_max_cycles(const qr_axis_run *run);
/* If run->progress and the time has come (*next_s, advanced by 30 s), one line on
 * stderr: cycles simulated, beats or frames out, simulated cycles per second. */
void qr_axis_progress(const qr_axis_run *run, double t0, double *next_s, uint64_t cycle,
                      size_t n_out);
int qr_axis_drain(const qr_axis_run *run);

#ifdef __cplusplus
}
#endif
#endif
