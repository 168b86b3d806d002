/* example_rng.h - the example generator's own PRNG (splitmix64): the same seed
 * gives the same model on every machine and libc.  Internal to frontend/example*.c. */
#ifndef QR_EXAMPLE_RNG_H
#define QR_EXAMPLE_RNG_H
#include <math.h>
#include <stdint.h>

typedef struct qr_rng {
  uint64_t s;
} qr_rng;

static inline uint64_t qr_rnext(qr_rng *r) {
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
/* uniform in [0, 1) */
static inline double qr_runif(qr_rng *r) { return (double)(qr_rnext(r) >> 11) * 0x1.0p-53; }
static inline double qr_runif2(qr_rng *r, double lo, double hi) {
  return lo + (hi - lo) * qr_runif(r);
}
/* uniform integer in [lo, hi] */
static inline int qr_rint(qr_rng *r, int lo, int hi) {
  return lo + (int)(qr_rnext(r) % (uint64_t)(hi - lo + 1));
}
static inline int qr_rchance(qr_rng *r, double p) { return qr_runif(r) < p; }
/* standard normal (Box-Muller) */
static inline double qr_rnorm(qr_rng *r) {
  double u = qr_runif(r), v = qr_runif(r);
  return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

#endif
