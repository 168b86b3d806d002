/* axis_run.c - one stream run through the Verilated model, cycle by cycle.
 * The cycle semantics are documented in axis_tb.h; axis_icarus.c generates an SV
 * testbench that follows the same steps, so both simulators see the same stimulus.
 *
 * Protocol checks every cycle: on the DUT's output (tvalid held until the handshake,
 * tdata/tlast stable while tvalid && !tready, no extra beats), and on the source, i.e.
 * this file itself: once it offered a beat that was not taken, the next cycle must
 * offer the same beat again (the Icarus testbench binds rtl-lib/qr_axis_check.sv to
 * both streams for the same purpose).  QR_AXIS_INJECT=source-drop (test hook, see
 * axis_icarus.c) makes the source break that rule once, to show the check works. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "axis_run.h"

void *qr_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) {
    fprintf(stderr, "qr_axis: out of memory\n");
    abort();
  }
  return p;
}

void qr_axis_result_init(qr_axis_result *r, const qr_axis_run *run) {
  memset(r, 0, sizeof *r);
  r->out = (uint32_t *)qr_xcalloc(run->n_out * (size_t)QR_WORDS(run->out_bits), sizeof(uint32_t));
  r->last = (uint8_t *)qr_xcalloc(run->n_out, 1);
  r->in_cycle = (uint64_t *)qr_xcalloc(run->n_in, sizeof(uint64_t));
  r->out_cycle = (uint64_t *)qr_xcalloc(run->n_out, sizeof(uint64_t));
}

void qr_axis_result_free(qr_axis_result *r) {
  free(r->out);
  free(r->last);
  free(r->in_cycle);
  free(r->out_cycle);
  memset(r, 0, sizeof *r);
}

int qr_axis_fail(qr_axis_result *r, const char *fmt, ...) {
  if (r->err[0]) return 0; /* keep the first reason */
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->err, sizeof r->err, fmt, ap);
  va_end(ap);
  r->ok = 0;
  return 0;
}

uint64_t qr_axis_max_cycles(const qr_axis_run *run) {
  return run->max_cycles ? run->max_cycles : 20000u + 64u * (uint64_t)(run->n_in + run->n_out);
}

int qr_axis_drain(const qr_axis_run *run) {
  return run->drain_cycles == 0 ? 16 : run->drain_cycles < 0 ? 0 : run->drain_cycles;
}

double qr_axis_now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void qr_axis_progress(const qr_axis_run *run, double t0, double *next_s, uint64_t cycle,
                      size_t n_out) {
  if (!run->progress) return;
  double t = qr_axis_now_s() - t0;
  if (t < *next_s) return;
  *next_s += 30;
  size_t opf = run->out_per_frame;
  char done[96];
  if (opf)
    snprintf(done, sizeof done, "%zu of %zu frames out", n_out / opf, run->n_out / opf);
  else
    snprintf(done, sizeof done, "%zu of %zu beats out", n_out, run->n_out);
  double rate = t > 0 ? (double)cycle / t : 0.0;
  char left[64] = "";
  if (run->expected_cycles > cycle && rate > 0) {
    double l = (double)(run->expected_cycles - cycle) / rate;
    if (l < 120) snprintf(left, sizeof left, ", about %.0f s left", l);
    else if (l < 7200) snprintf(left, sizeof left, ", about %.0f min left", l / 60);
    else snprintf(left, sizeof left, ", about %.1f h left", l / 3600);
  }
  fprintf(stderr, "tb_design: %s: cycle %llu, %s, %.0f s, %.0f cycles/s%s\n", run->progress,
          (unsigned long long)cycle, done, t, rate, left);
  fflush(stderr);
}

static int pat_on(const qr_pattern *p, uint64_t c) {
  return p ? p->on[c % p->len] != 0 : 1;
}

static void clock_cycle(qr_dut *d) {
  qr_dut_set_clk(d, 1);
  qr_dut_eval(d);
  qr_dut_set_clk(d, 0);
  qr_dut_eval(d);
}

/* The cycle loop of both entry points.  Beat i of the source is fetched once, when it
 * is first offered (from run->in, or from the stream's callback), and every accepted
 * output beat goes to r's arrays (array run) or to the stream's sink. */
static int run_loop(qr_dut *d, const qr_axis_run *run, const qr_axis_stream *st,
                    qr_axis_result *r) {
  r->ok = 1;
  if (!d) return qr_axis_fail(r, "no Verilated model");
  int sb = qr_dut_s_bits(d), mb = qr_dut_m_bits(d);
  if (run->in_bits > sb || run->out_bits > mb)
    return qr_axis_fail(r, "run is %d -> %d bits but the model's ports are %d -> %d bits",
                        run->in_bits, run->out_bits, sb, mb);
  int iw = QR_WORDS(run->in_bits), ow = QR_WORDS(run->out_bits);
  int sw = QR_WORDS(sb), mw = QR_WORDS(mb);
  uint32_t *garbage = (uint32_t *)qr_xcalloc((size_t)sw, sizeof(uint32_t));
  uint32_t *mdata = (uint32_t *)qr_xcalloc((size_t)mw, sizeof(uint32_t));
  uint32_t *pdata = (uint32_t *)qr_xcalloc((size_t)mw, sizeof(uint32_t));
  uint32_t *cur = (uint32_t *)qr_xcalloc((size_t)iw, sizeof(uint32_t));   /* beat cur_i */
  uint32_t *sdata = (uint32_t *)qr_xcalloc((size_t)iw, sizeof(uint32_t)); /* last offered */
  size_t cur_i = (size_t)-1;
  const char *inj = getenv("QR_AXIS_INJECT");
  int inject = inj && !strcmp(inj, "source-drop");
  qr_rng g;
  qr_rng_seed(&g, 0x5eed0000u ^ (uint64_t)run->n_in);

  /* Reset: 4 cycles with everything idle. */
  qr_dut_set_cfg(d, run->cfg);
  qr_dut_set_clk(d, 0);
  qr_dut_set_rst_n(d, 0);
  qr_dut_set_s(d, garbage, sw, 0);
  qr_dut_set_m_tready(d, 0);
  qr_dut_eval(d);
  for (int i = 0; i < 4; i++) clock_cycle(d);
  qr_dut_set_rst_n(d, 1);

  uint64_t maxc = qr_axis_max_cycles(run);
  int drain = qr_axis_drain(run), draining = 0, dleft = 0;
  int holding = 0, pstall = 0, plast = 0, sstall = 0;
  size_t ni = 0, no = 0;
  double t0 = run->progress ? qr_axis_now_s() : 0, next_s = 15;
  for (uint64_t c = 0;; c++) {
    if ((c & 4095) == 0 && run->progress) qr_axis_progress(run, t0, &next_s, c, no);
    if (c >= maxc) {
      qr_axis_fail(r, "timeout after %llu cycles: %zu of %zu beats in, %zu of %zu out",
                   (unsigned long long)c, ni, run->n_in, no, run->n_out);
      break;
    }
    int v = holding || (!draining && ni < run->n_in && pat_on(run->valid, c));
    if (inject && holding && ni > 0) {
      v = 0;
      inject = 0;
    }
    if (v && cur_i != ni) {
      if (st) {
        if (st->source(st->ctx, ni, cur)) {
          qr_axis_fail(r, "cycle %llu: the stream's source failed at beat %zu",
                       (unsigned long long)c, ni);
          break;
        }
        qr_bits_mask(cur, run->in_bits);
      } else {
        memcpy(cur, run->in + ni * (size_t)iw, sizeof(uint32_t) * (size_t)iw);
      }
      cur_i = ni;
    }
    /* The source's own AXI rule: a beat offered and not taken is offered again,
     * unchanged, in the next cycle. */
    if (sstall && (!v || memcmp(sdata, cur, sizeof(uint32_t) * (size_t)iw))) {
      qr_axis_fail(r, "cycle %llu: testbench source broke AXI: s_axis_tvalid dropped or "
                      "s_axis_tdata changed before the handshake", (unsigned long long)c);
      break;
    }
    if (v) {
      memcpy(sdata, cur, sizeof(uint32_t) * (size_t)iw);
      qr_dut_set_s(d, cur, iw, 1);
    } else {
      qr_rng_bits(&g, garbage, sb);
      qr_dut_set_s(d, garbage, sw, 0);
    }
    int rdy = draining ? 1 : pat_on(run->ready, c);
    qr_dut_set_m_tready(d, rdy);
    qr_dut_eval(d);

    int srdy = qr_dut_s_tready(d);
    sstall = v && !srdy;
    int lst = 0;
    int mv = qr_dut_m(d, mdata, &lst);
    qr_bits_mask(mdata, run->out_bits);
    if (pstall) {
      if (!mv) {
        qr_axis_fail(r, "cycle %llu: m_axis_tvalid dropped while the beat was not accepted",
                     (unsigned long long)c);
        break;
      }
      if (!qr_bits_equal(mdata, pdata, run->out_bits) || lst != plast) {
        qr_axis_fail(r, "cycle %llu: m_axis_tdata/tlast changed while tvalid && !tready",
                     (unsigned long long)c);
        break;
      }
    }
    pstall = mv && !rdy;
    memcpy(pdata, mdata, sizeof(uint32_t) * (size_t)mw);
    plast = lst;

    if (v && srdy) {
      if (!st) r->in_cycle[ni] = c;
      ni++;
      holding = 0;
    } else {
      holding = v;
    }
    if (mv && rdy) {
      if (draining || no >= run->n_out) {
        qr_axis_fail(r, "cycle %llu: extra output beat (%zu expected)", (unsigned long long)c,
                     run->n_out);
        break;
      }
      if (st) {
        if (st->sink(st->ctx, no, mdata, lst, c)) {
          qr_axis_fail(r, "cycle %llu: the stream's sink stopped the run at beat %zu",
                       (unsigned long long)c, no);
          break;
        }
      } else {
        memcpy(r->out + no * (size_t)ow, mdata, sizeof(uint32_t) * (size_t)ow);
        r->last[no] = (uint8_t)lst;
        r->out_cycle[no] = c;
      }
      no++;
    }
    clock_cycle(d);
    if (!draining && ni == run->n_in && no == run->n_out) {
      r->cycles = c + 1;
      draining = 1;
      dleft = drain;
      if (dleft <= 0) break;
    } else if (draining) {
      if (--dleft <= 0) break;
    }
  }
  r->n_in = ni;
  r->n_out = no;
  free(garbage);
  free(mdata);
  free(pdata);
  free(cur);
  free(sdata);
  return r->ok;
}

int qr_axis_run_dut(qr_dut *d, const qr_axis_run *run, qr_axis_result *r) {
  qr_axis_result_init(r, run);
  return run_loop(d, run, NULL, r);
}

int qr_axis_run_dut_stream(qr_dut *d, const qr_axis_run *run, const qr_axis_stream *s,
                           qr_axis_result *r) {
  memset(r, 0, sizeof *r);
  if (!s || !s->source || !s->sink) return qr_axis_fail(r, "stream without source or sink");
  return run_loop(d, run, s, r);
}
