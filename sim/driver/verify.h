/* verify.h - `--verify`: simulate the generated design and compare bit for bit
 * with the integer model (which hw_check_float ties to the float graph). */
#ifndef QR_VERIFY_H
#define QR_VERIFY_H
#include <stdint.h>

#include "ir/hw.h"

typedef struct qr_verify_opts {
  int64_t frames;          /* random frames (ignored with input_npy) */
  const char *input_npy;   /* float inputs, run through host pre-processing */
  const char *sim;         /* "verilator", "icarus" or "both" */
  uint64_t seed;
  int jobs;
} qr_verify_opts;

typedef struct qr_verify_result {
  int64_t frames;
  int64_t mismatches;
  double cycles_per_frame; /* measured in steady state, no stalls */
  double analytic_cycles;  /* the bottleneck unit's cycles per frame */
  int64_t latency;         /* cycles from first input beat to last output beat, one frame */
  char first_mismatch[256];
  int ran_verilator, ran_icarus;
} qr_verify_result;

/* Build and run the simulation(s) in DIR/sim; 0 if every frame matched. */
int qr_verify(const hw_design *d, const char *dir, const char *top, const qr_verify_opts *o,
              qr_verify_result *r);
#endif
