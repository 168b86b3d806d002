/* axis_bits.c - bit vectors, the seeded RNG and per-cycle stall patterns.
 * Plain C11 that also compiles as C++. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis_tb.h"

/* ------------------------------------------------------------------- bits -- */

void qr_bits_put(uint32_t *w, int lsb, int width, uint64_t v) {
  for (int i = 0; i < width; i++) {
    int b = lsb + i;
    uint32_t m = 1u << (b & 31);
    if ((v >> i) & 1u)
      w[b >> 5] |= m;
    else
      w[b >> 5] &= ~m;
  }
}

uint64_t qr_bits_get(const uint32_t *w, int lsb, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; i++) {
    int b = lsb + i;
    v |= (uint64_t)((w[b >> 5] >> (b & 31)) & 1u) << i;
  }
  return v;
}

int64_t qr_bits_get_signed(const uint32_t *w, int lsb, int width) {
  uint64_t v = qr_bits_get(w, lsb, width);
  if (width < 64 && ((v >> (width - 1)) & 1u)) v |= ~(uint64_t)0 << width;
  return (int64_t)v;
}

void qr_bits_mask(uint32_t *w, int bits) {
  if (bits <= 0) return;
  int n = QR_WORDS(bits), rest = bits - 32 * (n - 1);
  if (rest < 32) w[n - 1] &= (1u << rest) - 1u;
}

int qr_bits_equal(const uint32_t *a, const uint32_t *b, int bits) {
  int n = QR_WORDS(bits);
  for (int i = 0; i < n; i++) {
    uint32_t m = 0xffffffffu;
    int rest = bits - 32 * i;
    if (rest < 32) m = (1u << rest) - 1u;
    if ((a[i] ^ b[i]) & m) return 0;
  }
  return 1;
}

void qr_bits_hex(const uint32_t *w, int bits, char *buf) {
  int nd = (bits + 3) / 4;
  for (int d = 0; d < nd; d++) {
    int lsb = 4 * (nd - 1 - d);
    int width = bits - lsb < 4 ? bits - lsb : 4;
    buf[d] = "0123456789abcdef"[qr_bits_get(w, lsb, width)];
  }
  buf[nd] = 0;
}

/* -------------------------------------------------------------------- rng -- */

void qr_rng_seed(qr_rng *r, uint64_t seed) { r->s = seed; }

uint64_t qr_rng_u64(qr_rng *r) { /* splitmix64 */
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint32_t qr_rng_below(qr_rng *r, uint32_t n) {
  if (n <= 1) return 0;
  return (uint32_t)(((qr_rng_u64(r) >> 32) * (uint64_t)n) >> 32);
}

int64_t qr_rng_range(qr_rng *r, int64_t lo, int64_t hi) {
  uint64_t span = (uint64_t)hi - (uint64_t)lo + 1u;
  if (span == 0) return (int64_t)qr_rng_u64(r); /* full 64-bit range */
  return (int64_t)((uint64_t)lo + qr_rng_u64(r) % span);
}

int qr_rng_chance(qr_rng *r, double p) {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return (double)(qr_rng_u64(r) >> 11) * (1.0 / 9007199254740992.0) < p;
}

void qr_rng_bits(qr_rng *r, uint32_t *w, int bits) {
  int n = QR_WORDS(bits);
  for (int i = 0; i < n; i++) w[i] = (uint32_t)qr_rng_u64(r);
  qr_bits_mask(w, bits);
}

uint64_t qr_seed_mix(uint64_t a, uint64_t b) {
  qr_rng r;
  qr_rng_seed(&r, a ^ (b * 0xd6e8feb86659fd93ull));
  qr_rng_u64(&r);
  return qr_rng_u64(&r);
}

/* ---------------------------------------------------------------- pattern -- */

void qr_pattern_random(qr_pattern *p, size_t len, double p_off, double burst, uint64_t seed) {
  qr_rng r;
  qr_rng_seed(&r, seed);
  if (len == 0) len = 1;
  p->len = len;
  p->on = (uint8_t *)malloc(len);
  if (!p->on) {
    fprintf(stderr, "qr_pattern_random: out of memory\n");
    abort();
  }
  if (burst <= 1.0 || p_off <= 0 || p_off >= 1) {
    for (size_t i = 0; i < len; i++) p->on[i] = (uint8_t)!qr_rng_chance(&r, p_off);
    return;
  }
  /* Two-state Markov chain: off runs of mean `burst`, on runs of mean
   * burst * (1 - p_off) / p_off, so that about p_off of the cycles are off. */
  double leave_off = 1.0 / burst;
  double mean_on = burst * (1.0 - p_off) / p_off;
  double leave_on = mean_on < 1.0 ? 1.0 : 1.0 / mean_on;
  int on = !qr_rng_chance(&r, p_off);
  for (size_t i = 0; i < len; i++) {
    p->on[i] = (uint8_t)on;
    if (qr_rng_chance(&r, on ? leave_on : leave_off)) on = !on;
  }
}

void qr_pattern_always(qr_pattern *p) {
  p->len = 1;
  p->on = (uint8_t *)malloc(1);
  if (!p->on) abort();
  p->on[0] = 1;
}

void qr_pattern_free(qr_pattern *p) {
  free(p->on);
  p->on = NULL;
  p->len = 0;
}

const char *qr_regime_name(qr_regime r) {
  switch (r) {
  case QR_REGIME_NONE: return "none";
  case QR_REGIME_GAPS: return "gaps";
  case QR_REGIME_BACKPRESSURE: return "backpressure";
  case QR_REGIME_BOTH: return "both";
  }
  return "?";
}

uint64_t qr_cycles_max_gap(const uint64_t *c, size_t from, size_t to) {
  uint64_t g = 0;
  for (size_t i = from + 1; i <= to; i++)
    if (c[i] - c[i - 1] > g) g = c[i] - c[i - 1];
  return g;
}
