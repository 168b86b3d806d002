/* axis_tb.h - AXI4-Stream test harness: drive a Verilated (or Icarus) DUT cycle by
 * cycle from C.  See sim/README.md for a walk-through.
 *
 * Layers, bottom up:
 *   bits      a beat's tdata is an array of uint32_t words, LSB first (element 0 of a
 *             beat in the least significant bits, as on the stream).
 *   rng       splitmix64, always seeded explicitly.
 *   pattern   a per-cycle on/off array (cyclic) saying whether the source may raise
 *             tvalid / whether the sink raises tready in cycle c.  Generated once in C
 *             and used by both simulators, so both see exactly the same stalls.
 *   dut       the Verilated model behind a thin extern "C" shim (axis_shim.cpp, the only
 *             C++), compiled once per Verilated top.
 *   run       one stream run: words in, words out, the cycle of every handshake, protocol
 *             checks on the DUT output; in Verilator (qr_axis_run_dut) or in Icarus
 *             (qr_axis_run_icarus, generated SV testbench, $readmemh in, $fwrite out).
 *   tb        a unit testbench's main loop: configs of a sweep, four regimes, pass/fail
 *             counts, "N passed, N failed".
 *
 * This header compiles as C11 and as C++ (verilator --exe --build compiles .c with g++).
 */
#ifndef QR_AXIS_TB_H
#define QR_AXIS_TB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------- bits -- */

#define QR_WORDS(bits) (((bits) + 31) / 32)

/* Put/get a field of `width` (1..64) bits at bit `lsb` of a word array. */
void qr_bits_put(uint32_t *w, int lsb, int width, uint64_t v);
uint64_t qr_bits_get(const uint32_t *w, int lsb, int width);
/* Sign-extended get (field is two's complement). */
int64_t qr_bits_get_signed(const uint32_t *w, int lsb, int width);
/* Clear bits at and above `bits` in the last word (QR_WORDS(bits) words). */
void qr_bits_mask(uint32_t *w, int bits);
/* 1 if the low `bits` bits of a and b are equal. */
int qr_bits_equal(const uint32_t *a, const uint32_t *b, int bits);
/* Hex, most significant digit first, ceil(bits/4) digits; buf >= bits/4 + 2 chars. */
void qr_bits_hex(const uint32_t *w, int bits, char *buf);

/* -------------------------------------------------------------------- rng -- */

typedef struct {
  uint64_t s;
} qr_rng;

void qr_rng_seed(qr_rng *r, uint64_t seed);
uint64_t qr_rng_u64(qr_rng *r);
uint32_t qr_rng_below(qr_rng *r, uint32_t n);          /* uniform in [0, n), n >= 1 */
int64_t qr_rng_range(qr_rng *r, int64_t lo, int64_t hi); /* uniform in [lo, hi] */
int qr_rng_chance(qr_rng *r, double p);                /* 1 with probability p */
void qr_rng_bits(qr_rng *r, uint32_t *w, int bits);    /* random beat, masked */
/* Mix several values into one seed (for per-config, per-regime seeds). */
uint64_t qr_seed_mix(uint64_t a, uint64_t b);

/* ---------------------------------------------------------------- pattern -- */

/* Cycle c (counted from the end of reset) uses on[c % len]. */
typedef struct {
  uint8_t *on;
  size_t len;
} qr_pattern;

/* Random pattern: about p_off of the cycles are off, in runs of mean length `burst`
 * (burst <= 1: independent cycles).  Deterministic in `seed`. */
void qr_pattern_random(qr_pattern *p, size_t len, double p_off, double burst, uint64_t seed);
void qr_pattern_always(qr_pattern *p); /* len 1, on */
void qr_pattern_free(qr_pattern *p);

/* The four stall regimes every stream unit is tested under. */
typedef enum {
  QR_REGIME_NONE = 0,     /* source always valid, sink always ready */
  QR_REGIME_GAPS = 1,     /* random tvalid gaps at the input */
  QR_REGIME_BACKPRESSURE = 2, /* random tready backpressure at the output */
  QR_REGIME_BOTH = 3
} qr_regime;
#define QR_NUM_REGIMES 4
const char *qr_regime_name(qr_regime r);

/* -------------------------------------------------------------------- dut -- */

/* A Verilated top behind axis_shim.cpp.  The shim is compiled per top with
 *   -DQR_VTOP=Vname                      the Verilated class (header Vname.h)
 *   -DQR_PORT_CLK=clk -DQR_PORT_RST_N=rst_n
 *   -DQR_PORT_S=s_axis -DQR_PORT_M=m_axis   port-name prefixes (_tdata, _tvalid, ...)
 *   -DQR_HAS_M_TLAST=1                   the top has <M>_tlast
 *   -DQR_PORT_CFG=cfg                    optional sweep-selector input
 *   -DQR_S_BITS=n -DQR_M_BITS=n          optional exact tdata widths (else word capacity)
 *   -DQR_AP_PORTS=1                      shorthand for ap_clk, ap_rst_n, s_axis_0, m_axis_0,
 *                                        tlast (generated tops)
 * Data words are exchanged LSB first; any tdata width (CData..VlWide<N>) works. */
typedef struct qr_dut qr_dut;

qr_dut *qr_dut_new(void);
void qr_dut_free(qr_dut *d);
int qr_dut_s_bits(const qr_dut *d);   /* tdata width (QR_S_BITS, else 32 * words) */
int qr_dut_m_bits(const qr_dut *d);
int qr_dut_has_tlast(const qr_dut *d);
int qr_dut_has_cfg(const qr_dut *d);
void qr_dut_set_clk(qr_dut *d, int v);
void qr_dut_set_rst_n(qr_dut *d, int v);
void qr_dut_set_cfg(qr_dut *d, uint32_t v);  /* no-op without a cfg port */
/* Source side: words beyond the port width are ignored, missing ones are zero. */
void qr_dut_set_s(qr_dut *d, const uint32_t *tdata, int nwords, int tvalid);
int qr_dut_s_tready(qr_dut *d);
void qr_dut_set_m_tready(qr_dut *d, int v);
/* Sink side: writes QR_WORDS(qr_dut_m_bits(d)) words, *tlast if tlast != NULL
 * (0 without a tlast port); returns tvalid. */
int qr_dut_m(qr_dut *d, uint32_t *tdata, int *tlast);
void qr_dut_eval(qr_dut *d);

/* -------------------------------------------------------------------- run -- */

/* One stream run.  Cycle semantics (identical in both simulators):
 *   reset: rst_n = 0 for 4 clock cycles with s_tvalid = 0, m_tready = 0; then cycle 0.
 *   in cycle c the source drives tvalid = 1 if it holds an unaccepted beat (AXI: tvalid
 *   never drops before the handshake), else if beats remain and valid->on[c % len];
 *   the sink drives tready = ready->on[c % len].  A handshake happens in cycle c if
 *   tvalid && tready before the rising edge that ends cycle c.
 *   The run ends when all n_in beats went in and n_out came out, followed by
 *   drain_cycles with tready = 1 in which the DUT must not present another beat.
 * Protocol checks on the DUT output: once tvalid && !tready, the next cycle must have
 * tvalid = 1 and the same tdata (and tlast).  Source tdata is garbage (Verilator) or
 * X (Icarus) while tvalid = 0.  The source is checked too (the same rule, against the
 * harness itself).  In Icarus, the SV checker rtl-lib/qr_axis_check.sv is bound to both
 * streams as well and adds X/Z checks; its rule is named in err. */
typedef struct {
  int in_bits, out_bits;   /* tdata widths of this configuration */
  const uint32_t *in;      /* n_in beats, QR_WORDS(in_bits) words each */
  size_t n_in;
  size_t n_out;            /* expected output beats */
  const qr_pattern *valid; /* NULL = always */
  const qr_pattern *ready; /* NULL = always */
  uint64_t max_cycles;     /* timeout; 0 = 20000 + 64 * (n_in + n_out) */
  int drain_cycles;        /* 0 = 16; < 0 = none */
  uint32_t cfg;            /* sweep selector (ignored without a cfg port) */
  const char *progress;    /* non-NULL: a progress line on stderr, labelled with this,
                              15 s into the run and every 30 s after */
  size_t out_per_frame;    /* output beats per frame, for progress in frames (0: beats) */
  uint64_t expected_cycles; /* for progress: about how long the run is in cycles, so that it
                               can say how long is left (0: unknown) */
} qr_axis_run;

typedef struct {
  uint32_t *out;        /* n_out beats of QR_WORDS(out_bits) words */
  uint8_t *last;        /* n_out tlast bits (all 0 without tlast) */
  uint64_t *in_cycle;   /* cycle of each input handshake */
  uint64_t *out_cycle;  /* cycle of each output handshake */
  size_t n_in, n_out;   /* beats that did transfer */
  uint64_t cycles;      /* cycles until the last beat came out (excluding drain) */
  int ok;               /* 1: finished, no timeout, no protocol error */
  char err[256];        /* why not ok */
} qr_axis_result;

void qr_axis_result_free(qr_axis_result *r);

/* Seconds on a monotonic clock (for wall times and progress). */
double qr_axis_now_s(void);

/* Run in the Verilated model.  Returns r->ok. */
int qr_axis_run_dut(qr_dut *d, const qr_axis_run *run, qr_axis_result *r);

/* A streaming run in the Verilated model, for runs too long to hold in memory (a soak
 * test of a million frames): same cycle semantics and protocol checks as
 * qr_axis_run_dut, but run->in is not used: beat i is asked from source() once, when it
 * is first offered (fill QR_WORDS(in_bits) words), and every accepted output beat is
 * handed to sink() in order, with its tlast and handshake cycle.  A callback returning
 * non-zero ends the run as failed.  r receives no beat arrays (out, last, in_cycle,
 * out_cycle stay NULL): only n_in, n_out, cycles, ok and err.  Returns r->ok. */
typedef struct {
  void *ctx;
  int (*source)(void *ctx, size_t i, uint32_t *beat);
  int (*sink)(void *ctx, size_t i, const uint32_t *beat, int last, uint64_t cycle);
} qr_axis_stream;

int qr_axis_run_dut_stream(qr_dut *d, const qr_axis_run *run, const qr_axis_stream *s,
                           qr_axis_result *r);

/* The DUT for an Icarus run.  Port names default to the unit convention. */
typedef struct {
  const char *top;                  /* module name */
  const char *params;               /* "A=1,B=2" -> #(.A(1), .B(2)); NULL = none */
  const char *const *sources;       /* .sv files */
  int n_sources;
  int has_tlast;                    /* <m>_tlast port exists */
  const char *clk, *rst_n;          /* NULL: "clk", "rst_n" */
  const char *s_prefix, *m_prefix;  /* NULL: "s_axis", "m_axis" */
} qr_icarus_dut;

/* Generate an SV testbench, run iverilog -g2012 + vvp in a temp dir, read the output
 * back.  The compiled testbench is cached per (dut, sizes) until qr_icarus_cleanup()
 * (registered with atexit).  QR_KEEP_TMP=1 in the environment keeps the temp dirs.
 * Returns r->ok. */
int qr_axis_run_icarus(const qr_icarus_dut *dut, const qr_axis_run *run, qr_axis_result *r);
void qr_icarus_cleanup(void);

/* Largest distance between consecutive cycles c[i] - c[i-1] for i in (from, to]
 * (steady-state throughput: 1 means one beat per cycle). */
uint64_t qr_cycles_max_gap(const uint64_t *c, size_t from, size_t to);

/* --------------------------------------------------------------------- tb -- */

/* A parameter configuration of a sweep, as written by qr_add_rtl_test(). */
typedef struct {
  const char *params;   /* "ElemBits=4,InElems=8,OutElems=49" */
  int in_bits, out_bits;
} qr_tb_config;

typedef struct {
  const char *name;     /* test name */
  const char *top;      /* DUT module */
  const char *const *sources;
  int n_sources;
  const qr_tb_config *configs;
  int n_configs;
  int has_tlast;
} qr_tb_info;

/* Defined by the <name>_info.c that qr_add_rtl_test() generates. */
extern const qr_tb_info qr_tb_generated_info;

/* Integer parameter `name` from "A=1,B=2" (def if absent). */
long qr_param(const char *params, const char *name, long def);

typedef struct {
  const qr_tb_info *info;
  qr_dut *dut;           /* Verilated sweep model, NULL if not used */
  int use_verilator, use_icarus;
  uint64_t seed;         /* --seed N (default 1) */
  int frames;            /* --frames N (default 200): frames per config and regime */
  int only;              /* --config I: run only config I (default -1 = all) */
  int verbose;           /* -v */
  double p_gap;          /* off probability of the input valid pattern (default 0.3) */
  double p_stall;        /* off probability of the output ready pattern (default 0.3) */
  double burst_gap, burst_stall; /* mean off-run lengths (default 1 and 3) */
  size_t pattern_len;    /* default 8191 */
  long passed, failed;   /* counts of runs and extra checks */
  long frames_checked;
  long runs;             /* qr_tb_run calls (seeds differ per call) */
} qr_tb;

/* Parses --seed, --frames, --config, --sim=verilator|icarus|both, -v, --p-gap,
 * --p-stall; creates the Verilated model if this binary has one.  Returns 0 or
 * exits with a usage error. */
int qr_tb_init(qr_tb *tb, int argc, char **argv, const qr_tb_info *info);
/* 1 if config i should run (--config). */
int qr_tb_want(const qr_tb *tb, int cfg);
/* The seed for data and patterns of (config, regime): mixes --seed, cfg and regime. */
uint64_t qr_tb_seed(const qr_tb *tb, int cfg, int regime);
/* Stream `in` through config `cfg` under `regime` in every selected simulator and
 * compare with expect (and expect_last unless NULL) bit for bit; Verilator and Icarus
 * must also agree on the cycle of every handshake.  `frames` is only counted for the
 * report.  If res != NULL it receives the result of the first simulator run (free it
 * with qr_axis_result_free).  One pass or fail per simulator.  Returns 1 if all ok. */
int qr_tb_run(qr_tb *tb, int cfg, qr_regime regime, const uint32_t *in, size_t n_in,
              const uint32_t *expect, const uint8_t *expect_last, size_t n_out, long frames,
              qr_axis_result *res);
/* Same, with explicit patterns/options filled in by the caller (in/out widths, cfg
 * and n_in/n_out come from run). */
int qr_tb_run_custom(qr_tb *tb, int cfg, const char *what, const qr_axis_run *run,
                     const uint32_t *expect, const uint8_t *expect_last, long frames,
                     qr_axis_result *res);
/* An extra check (e.g. throughput): counts a pass or prints the message and a fail. */
int qr_tb_check(qr_tb *tb, int ok, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Prints "<name>: N passed, N failed (...)", frees the model; returns the exit code. */
int qr_tb_finish(qr_tb *tb);

#ifdef __cplusplus
}
#endif
#endif
