/* fifo_sim.c - a cycle-level simulation of a streaming design at beat
 * granularity, and FIFO sizing with it (issue #8).
 *
 * Every stream (an edge between two units, the design input, the design
 * output) is a sequence of handshakes T[0], T[1], ...: the cycle in which beat
 * k moves.  A beat moves when the producer offers it and the consumer takes
 * it, T[k] = max(offer(k), accept(k)), and each rtl-lib unit's timing is a set
 * of max-plus rules over earlier handshakes, e.g. qr_fifo of Depth D:
 *     accept(k) = max(Tin[k-1] + 1, Tout[k-D] + 1)     registered tready
 *     offer(k)  = max(Tin[k] + 1, Tout[k-1] + 1)       latency 1
 * A unit's next offer or accept is known as soon as the handshakes it depends
 * on are; units are stepped from a work queue whenever a neighbouring stream
 * moved.  Each beat is computed once, so the work is the number of beats, not
 * of cycles (an MVU's NF*SF cycles per vector cost NF output beats).
 *
 * Deadlock is exact for the model: events wait on each other in a cycle, no
 * unit can compute its next one and the queue runs dry before the last frame
 * left.  The rules mirror the RTL's registers and capacities (each module's
 * header): registered tready where the RTL has it, the same beats held inside
 * (qr_skid 2, output registers 1, qr_mvu two input vectors and its output
 * FIFO's credits, qr_swg Cap beats, row double buffers, qr_dwc's buffers).  A
 * model that holds no more than the RTL deadlocks whenever the RTL does;
 * latency off-by-ones only shift times.  hw_size_fifos adds a margin anyway.
 */
#include <stdlib.h>
#include <string.h>

#include "ir/hw.h"

/* ------------------------------------------------------------- streams -- */

typedef struct ring {
  int64_t *v;
  int64_t mask;            /* size - 1, size a power of two */
} ring;

typedef struct edge {
  int64_t n;               /* handshakes known: T[0 .. n-1] */
  int64_t beats, total;    /* per frame, in all simulated frames */
  int64_t offer, accept;   /* of beat n; -1 while unknown */
  ring t;                  /* T[k] at k & mask: the last `size` beats */
  int prod, cons;          /* unit indices; -1: design input / output */
} edge;

/* The RAM read pipeline of qr_swg, qr_upsample and qr_depth2space: issue
 * (address in, one per cycle) -> q register -> output register. */
typedef struct rdpipe {
  ring iss, qm;            /* issue and q_move cycle of each output beat */
  int64_t niss, nqm;
} rdpipe;

/* k / d and k % d of an index k that only grows: stepping a cursor along
 * costs less than dividing at every attempt of a rule. */
typedef struct divcur {
  int64_t k, q, r;
} divcur;

enum { P_FIFO, P_DUP, P_ADD, P_CONCAT, P_PAD, P_SWG, P_MVU, P_REDUCE, P_LABEL,
       P_GATHER, P_SCATTER, P_GEARBOX, P_ROWS };

typedef struct proc {
  int kind;
  int in[2], out[2];       /* edge indices (-1: none) */
  edge *ie[2], *oe[2];     /* the same edges (set once all exist) */
  union {
    struct { int64_t depth, lat; } fifo;
    struct { ring f; int64_t nf; } add;                 /* fire cycles */
    struct { int64_t na, nt, nm, nms[2], pos; ring m, ms[2]; } cat;
    struct { int64_t cf, ow, oh, h, w, pt, pl, ns, nc, c_cf, c_x, c_y; ring s, c; } pad;
    struct { int64_t cf, ow, oh, l, cap, jcol, jrow, jfrm, nwin, wp, nadv;
             int64_t *off;                               /* tap -> offset from the origin */
             int64_t r_tap, r_ox, r_oy, r_tl;            /* reader: beat niss's tap, window */
             int64_t w_ox, w_oy, w_tl;                   /* writer: window wp */
             ring adv; rdpipe rd; } swg;
    struct { int64_t sf, nf, fd, lat, ni, nr, i_nf, i_v; ring i, r; divcur in; } mvu;
    struct { int64_t n, glob, fin, cf, fd, lat; divcur in, out; } red;
    struct { int64_t nf; divcur in; } lab;
    struct { int64_t kr; divcur c; } gs;                 /* gather (input), scatter (output) */
    struct { int64_t ig, og, buf, aq, on; } gb;          /* gearbox, in groups; cursors */
    struct { int64_t ri, ro, nrd; ring rd_row; rdpipe rd; divcur in, out; } rows;
  } m;
} proc;

typedef struct sim {
  const hw_design *d;
  int n;                   /* processes = units */
  proc *p;
  int nedge;
  edge *e;
  int *queue, qhead, qlen, qmask; /* a ring of units to step, each at most once */
  bool *queued;            /* unit in the queue or being stepped */
  int frames;
  int64_t events, max_events;
  int64_t *frame_end;
  int64_t first_in;         /* cycle the design input's first beat moved */
  const char *bad;         /* a rule read a beat it should not have: a model bug */
} sim;

static int64_t mx(int64_t a, int64_t b) { return a > b ? a : b; }

static const divcur *dc_at(divcur *c, int64_t k, int64_t d) {
  for (; c->k < k; c->k++)
    if (++c->r == d) {
      c->r = 0;
      c->q++;
    }
  return c;
}

static int64_t pow2_at_least(int64_t x) {
  int64_t s = 8;
  while (s < x) s *= 2;
  return s;
}

static int ring_init(ring *r, int64_t size) {
  r->mask = pow2_at_least(size) - 1;
  r->v = calloc((size_t)r->mask + 1, sizeof(int64_t));
  return r->v ? 0 : -1;
}

static int64_t rget(const ring *r, int64_t k) { return r->v[k & r->mask]; }
static void rput(ring *r, int64_t k, int64_t v) { r->v[k & r->mask] = v; }

/* T[k] of a stream; k must be known and still in the ring. */
static int64_t tget(sim *s, const edge *e, int64_t k) {
  if ((uint64_t)(e->n - 1 - k) > (uint64_t)e->t.mask) { /* k >= n, or older than the ring */
    s->bad = "a unit model read a beat outside its window";
    return 0;
  }
  return rget(&e->t, k);
}

/* The first cycle after beat k moved (0 for k < 0: no constraint). */
static int64_t after(sim *s, const edge *e, int64_t k) { return k < 0 ? 0 : tget(s, e, k) + 1; }

/* Beat k has moved (or k < 0: nothing to wait for). */
static bool have(const edge *e, int64_t k) { return k < e->n; }

static bool step_fifo(sim *s, proc *p);

/* A stream of `unit` moved: step it soon.  `queued` is also set while a unit
 * is being stepped (it repeats its rules until none fires anyway).  A FIFO's
 * rules are two lines, so it is stepped here at once rather than queued: half
 * the units of a design are FIFOs. */
static void wake(sim *s, int unit) {
  if (unit < 0 || s->queued[unit]) return;
  proc *p = &s->p[unit];
  s->queued[unit] = true;
  if (p->kind == P_FIFO) {
    while (step_fifo(s, p) && !s->bad) {
    }
    s->queued[unit] = false;
    return;
  }
  s->queue[(s->qhead + s->qlen++) & s->qmask] = unit;
}

/* Both sides are known: the beat moves.  The design input is always valid and
 * the design output always ready, so their other side is set at once. */
static void commit(sim *s, edge *e) {
  int64_t t = mx(e->offer, e->accept);
  rput(&e->t, e->n, t);
  e->n++;
  e->offer = e->prod < 0 && e->n < e->total ? 0 : -1;
  e->accept = e->cons < 0 && e->n < e->total ? 0 : -1;
  s->events++;
  if (e->cons < 0 && e->n % e->beats == 0) s->frame_end[e->n / e->beats - 1] = t;
  if (e->prod < 0 && e->n == 1) s->first_in = t;
  wake(s, e->prod);
  wake(s, e->cons);
}

/* A side of beat n of e, if still unknown and the stream not done. */
static bool want_offer(const edge *e) { return e->offer < 0 && e->n < e->total; }
static bool want_accept(const edge *e) { return e->accept < 0 && e->n < e->total; }

static bool set_offer(sim *s, edge *e, int64_t v) {
  e->offer = v;
  if (e->accept >= 0) commit(s, e);
  return true;
}

static bool set_accept(sim *s, edge *e, int64_t v) {
  e->accept = v;
  if (e->offer >= 0) commit(s, e);
  return true;
}

/* ---------------------------------------------------------- unit rules -- */
/* Each step_* tries every rule of its unit once and says whether any fired;
 * the caller repeats until none does.  Comments name the RTL's reason. */

/* qr_fifo: occupancy `occ` counts every beat held; tready = occ_next < Depth
 * registered; "distributed" offers a beat 1 cycle after it entered, "block"
 * (Depth > 64 under "auto") 3 (RAM read register, output register). */
static bool step_fifo(sim *s, proc *p) {
  edge *in = p->ie[0], *out = p->oe[0];
  int64_t D = p->m.fifo.depth, k = in->n;
  bool any = false;
  if (want_accept(in) && have(out, k - D))
    any |= set_accept(s, in, mx(after(s, in, k - 1), after(s, out, k - D)));
  k = out->n;
  if (want_offer(out) && have(in, k))
    any |= set_offer(s, out, mx(tget(s, in, k) + p->m.fifo.lat, after(s, out, k - 1)));
  return any;
}

/* qr_dup: a qr_skid (2 beats, registered tready) per output; an input beat
 * goes into both at once, so it waits for both skids. */
static bool step_dup(sim *s, proc *p) {
  edge *in = p->ie[0], *o0 = p->oe[0], *o1 = p->oe[1];
  int64_t k = in->n;
  bool any = false;
  if (want_accept(in) && have(o0, k - 2) && have(o1, k - 2))
    any |= set_accept(s, in, mx(after(s, in, k - 1), mx(after(s, o0, k - 2), after(s, o1, k - 2))));
  for (int q = 0; q < 2; q++) {
    edge *o = q ? o1 : o0;
    k = o->n;
    if (want_offer(o) && have(in, k)) any |= set_offer(s, o, mx(tget(s, in, k) + 1, after(s, o, k - 1)));
  }
  return any;
}

/* A qr_skid in front of a unit's core: it takes beat k once the core has
 * taken beat k-2 (it holds 2), and offers beat k to the core the cycle after
 * it arrived and after the core took beat k-1. */
static bool skid_take(sim *s, edge *in, const ring *taken, int64_t ntaken) {
  int64_t k = in->n;
  if (!want_accept(in) || ntaken < k - 1) return false;
  return set_accept(s, in, mx(after(s, in, k - 1), k >= 2 ? rget(taken, k - 2) + 1 : 0));
}

static int64_t skid_valid(sim *s, edge *in, const ring *taken, int64_t k) {
  return mx(tget(s, in, k) + 1, k ? rget(taken, k - 1) + 1 : 0);
}

/* qr_add: both input skids hold a beat and the output register is free (or
 * leaving this cycle): fire; the sum is offered the next cycle. */
static bool step_add(sim *s, proc *p) {
  edge *a = p->ie[0], *b = p->ie[1], *out = p->oe[0];
  ring *f = &p->m.add.f;
  int64_t k = p->m.add.nf;
  bool any = skid_take(s, a, f, k) | skid_take(s, b, f, k);
  if (k < out->total && have(a, k) && have(b, k) && have(out, k - 1)) {
    int64_t t = mx(skid_valid(s, a, f, k), skid_valid(s, b, f, k));
    if (k) t = mx(t, tget(s, out, k - 1));
    rput(f, k, t);
    p->m.add.nf++;
    any = true;
  }
  k = out->n;
  if (want_offer(out) && p->m.add.nf > k) any |= set_offer(s, out, rget(f, k) + 1);
  return any;
}

/* qr_concat: per pixel CA/PE beats from a's skid, then CB/PE from b's; a beat
 * moves when the selected skid holds one and the output register is free. */
static bool step_concat(sim *s, proc *p) {
  edge *out = p->oe[0];
  bool any = false;
  for (int q = 0; q < 2; q++) any |= skid_take(s, p->ie[q], &p->m.cat.ms[q], p->m.cat.nms[q]);
  int64_t j = p->m.cat.nm;
  int q = p->m.cat.pos < p->m.cat.na ? 0 : 1;
  edge *in = p->ie[q];
  int64_t i = p->m.cat.nms[q];
  if (j < out->total && have(in, i) && have(out, j - 1)) {
    int64_t t = skid_valid(s, in, &p->m.cat.ms[q], i);
    if (j) t = mx(t, mx(rget(&p->m.cat.m, j - 1) + 1, tget(s, out, j - 1)));
    rput(&p->m.cat.ms[q], i, t);
    p->m.cat.nms[q]++;
    rput(&p->m.cat.m, j, t);
    p->m.cat.nm++;
    if (++p->m.cat.pos == p->m.cat.nt) p->m.cat.pos = 0;
    any = true;
  }
  j = out->n;
  if (want_offer(out) && p->m.cat.nm > j) any |= set_offer(s, out, rget(&p->m.cat.m, j) + 1);
  return any;
}

/* The next output position of qr_pad's core (channel group, column, row). */
static void pad_next(proc *p) {
  if (++p->m.pad.c_cf < p->m.pad.cf) return;
  p->m.pad.c_cf = 0;
  if (++p->m.pad.c_x < p->m.pad.ow) return;
  p->m.pad.c_x = 0;
  if (++p->m.pad.c_y == p->m.pad.oh) p->m.pad.c_y = 0;
}

/* qr_pad: the core steps through the output frame, one beat per cycle into
 * its output register; an interior beat takes the skid's beat, a frame's
 * first beat waits for the frame's first input beat, borders need nothing. */
static bool step_pad(sim *s, proc *p) {
  edge *in = p->ie[0], *out = p->oe[0];
  bool any = skid_take(s, in, &p->m.pad.c, p->m.pad.nc);
  int64_t j = p->m.pad.ns, y = p->m.pad.c_y - p->m.pad.pt, x = p->m.pad.c_x - p->m.pad.pl, i = p->m.pad.nc;
  bool interior = y >= 0 && y < p->m.pad.h && x >= 0 && x < p->m.pad.w;
  bool need_in = interior || (p->m.pad.c_cf == 0 && p->m.pad.c_x == 0 && p->m.pad.c_y == 0);
  if (j < out->total && have(out, j - 1) && (!need_in || have(in, i))) {
    int64_t t = need_in ? skid_valid(s, in, &p->m.pad.c, i) : 0;
    if (j) t = mx(t, mx(rget(&p->m.pad.s, j - 1) + 1, tget(s, out, j - 1)));
    rput(&p->m.pad.s, j, t);
    p->m.pad.ns++;
    if (interior) rput(&p->m.pad.c, p->m.pad.nc++, t);
    pad_next(p);
    any = true;
  }
  j = out->n;
  if (want_offer(out) && p->m.pad.ns > j) any |= set_offer(s, out, rget(&p->m.pad.s, j) + 1);
  return any;
}

/* The read pipeline after issue: q moves to the output register when that is
 * free or leaving; the output register offers the next cycle.  Issue of beat
 * j itself also needs q free or moving: rd_issue_after. */
static bool rd_advance(sim *s, rdpipe *r, edge *out) {
  bool any = false;
  int64_t j = r->nqm;
  if (j < r->niss && have(out, j - 1)) {
    rput(&r->qm, j, mx(rget(&r->iss, j) + 1, j ? tget(s, out, j - 1) : 0));
    r->nqm++;
    any = true;
  }
  j = out->n;
  if (want_offer(out) && r->nqm > j) any |= set_offer(s, out, rget(&r->qm, j) + 1);
  return any;
}

/* The earliest issue of the next beat as far as the pipeline goes (-1: not
 * known yet): after the previous issue, and when q is free or moving. */
static int64_t rd_issue_after(const rdpipe *r) {
  int64_t j = r->niss;
  if (r->nqm < j) return -1;
  return j ? mx(rget(&r->iss, j - 1) + 1, rget(&r->qm, j - 1)) : 0;
}

static void rd_issue(rdpipe *r, int64_t t) { rput(&r->iss, r->niss++, t); }

/* The origin (first input beat, all frames counted) of the window after the
 * one at (ox, oy) with origin tl: tl jumps to the next column, row or frame. */
static int64_t swg_next(const proc *p, int64_t *ox, int64_t *oy, int64_t tl) {
  if (++*ox < p->m.swg.ow) return tl + p->m.swg.jcol;
  *ox = 0;
  if (++*oy < p->m.swg.oh) return tl + p->m.swg.jrow;
  *oy = 0;
  return tl + p->m.swg.jfrm;
}

/* qr_swg: the writer takes beat g while lead = g - tl < Cap (registered), tl
 * being the current window's origin, which moves on when a window's last tap
 * issues; a tap issues once its input beat is written (the cycle after). */
static bool step_swg(sim *s, proc *p) {
  edge *in = p->ie[0], *out = p->oe[0];
  bool any = false;
  if (want_accept(in)) {
    int64_t g = in->n;
    while (p->m.swg.wp < p->m.swg.nwin && p->m.swg.w_tl <= g - p->m.swg.cap) {
      p->m.swg.wp++;
      p->m.swg.w_tl = swg_next(p, &p->m.swg.w_ox, &p->m.swg.w_oy, p->m.swg.w_tl);
    }
    int64_t wp = p->m.swg.wp;
    if (p->m.swg.nadv >= wp)
      any |= set_accept(s, in, mx(after(s, in, g - 1), wp ? rget(&p->m.swg.adv, wp - 1) + 1 : 0));
  }
  rdpipe *r = &p->m.swg.rd;
  int64_t j = r->niss, t0 = rd_issue_after(r), g = p->m.swg.r_tl + p->m.swg.off[p->m.swg.r_tap];
  if (j < out->total && t0 >= 0 && have(in, g)) {
    int64_t t = mx(t0, tget(s, in, g) + 1);
    rd_issue(r, t);
    if (++p->m.swg.r_tap == p->m.swg.l) {
      rput(&p->m.swg.adv, p->m.swg.nadv++, t);
      p->m.swg.r_tap = 0;
      p->m.swg.r_tl = swg_next(p, &p->m.swg.r_ox, &p->m.swg.r_oy, p->m.swg.r_tl);
    }
    any = true;
  }
  return rd_advance(s, r, out) | any;
}

/* qr_upsample / qr_depth2space: two banks of one input row; a row's first
 * beat waits for its bank, freed by the last read of the row two before; a
 * row is read (RO beats) once it is written whole. */
static bool step_rows(sim *s, proc *p) {
  edge *in = p->ie[0], *out = p->oe[0];
  int64_t ri = p->m.rows.ri, ro = p->m.rows.ro, k = in->n;
  bool any = false;
  if (want_accept(in)) {
    const divcur *c = dc_at(&p->m.rows.in, k, ri);
    bool first = c->r == 0 && c->q >= 2;
    if (!first || p->m.rows.nrd >= c->q - 1)
      any |= set_accept(s, in, mx(after(s, in, k - 1), first ? rget(&p->m.rows.rd_row, c->q - 2) + 1 : 0));
  }
  rdpipe *rd = &p->m.rows.rd;
  int64_t j = rd->niss, t0 = rd_issue_after(rd);
  const divcur *c = dc_at(&p->m.rows.out, j, ro);
  if (j < out->total && t0 >= 0 && have(in, (c->q + 1) * ri - 1)) {
    int64_t t = mx(t0, tget(s, in, (c->q + 1) * ri - 1) + 1);
    rd_issue(rd, t);
    if (c->r == ro - 1) rput(&p->m.rows.rd_row, p->m.rows.nrd++, t);
    any = true;
  }
  return rd_advance(s, rd, out) | any;
}

/* qr_mvu: beats of vector v go into bank v%2 once vector v-2 released it (its
 * last issue); a neuron fold is SF issue cycles, the last of them only with a
 * credit of the output FIFO (FD words, freed as they leave); the word is
 * offered 4 cycles after that last issue (5 through a threshold table).  The
 * first neuron fold of a vector streams: its synapse fold j issues no earlier
 * than the cycle after input beat j moved; the later folds have the whole
 * vector. */
static bool step_mvu(sim *s, proc *p) {
  edge *in = p->ie[0], *out = p->oe[0];
  int64_t sf = p->m.mvu.sf, k = in->n;
  bool any = false;
  if (want_accept(in)) {
    int64_t v = dc_at(&p->m.mvu.in, k, sf)->q;
    if (p->m.mvu.nr >= v - 1)
      any |= set_accept(s, in, mx(after(s, in, k - 1), v >= 2 ? rget(&p->m.mvu.r, v - 2) + 1 : 0));
  }
  k = p->m.mvu.ni;
  int64_t v = p->m.mvu.i_v;
  bool first = p->m.mvu.i_nf == 0;
  if (k < out->total && (!first || have(in, (v + 1) * sf - 1)) && have(out, k - p->m.mvu.fd)) {
    int64_t t = k ? rget(&p->m.mvu.i, k - 1) + 1 : 0; /* synapse fold 0 */
    if (first) {
      for (int64_t j = 0; j < sf; j++)
        t = mx(t + (j > 0), tget(s, in, v * sf + j) + 1);
    } else {
      t += sf - 1;
    }
    t = mx(t, after(s, out, k - p->m.mvu.fd));
    rput(&p->m.mvu.i, k, t);
    p->m.mvu.ni++;
    if (++p->m.mvu.i_nf == p->m.mvu.nf) {
      rput(&p->m.mvu.r, p->m.mvu.nr++, t);
      p->m.mvu.i_nf = 0;
      p->m.mvu.i_v++;
    }
    any = true;
  }
  k = out->n;
  if (want_offer(out) && p->m.mvu.ni > k)
    any |= set_offer(s, out, mx(rget(&p->m.mvu.i, k) + p->m.mvu.lat, after(s, out, k - 1)));
  return any;
}

/* Input beat i completes output k (or returns -1): every n-th beat, or for a
 * global average pool each of the last CF beats of a frame. */
static int64_t red_completes(proc *p, int64_t i) {
  if (!p->m.red.glob) {
    const divcur *c = dc_at(&p->m.red.in, i, p->m.red.n);
    return c->r == p->m.red.n - 1 ? c->q : -1;
  }
  int64_t fin = p->m.red.fin, cf = p->m.red.cf;
  const divcur *c = dc_at(&p->m.red.in, i, fin);
  return c->r < fin - cf ? -1 : c->q * cf + c->r - (fin - cf);
}

/* The input beat that completes output k. */
static int64_t red_last(proc *p, int64_t k) {
  if (!p->m.red.glob) return (k + 1) * p->m.red.n - 1;
  const divcur *c = dc_at(&p->m.red.out, k, p->m.red.cf);
  return c->q * p->m.red.fin + p->m.red.fin - p->m.red.cf + c->r;
}

/* qr_threshold, qr_maxpool, qr_avgpool, qr_vvu: one input beat per cycle; a
 * beat that completes an output is only taken with a credit of the output
 * FIFO (FD words), and the word is offered LAT cycles later. */
static bool step_reduce(sim *s, proc *p) {
  edge *in = p->ie[0], *out = p->oe[0];
  int64_t i = in->n, k = want_accept(in) ? red_completes(p, i) : -1, fd = p->m.red.fd;
  bool any = false;
  if (want_accept(in) && (k < 0 || have(out, k - fd)))
    any |= set_accept(s, in, mx(after(s, in, i - 1), k < 0 ? 0 : after(s, out, k - fd)));
  k = out->n;
  if (want_offer(out)) {
    int64_t last = red_last(p, k);
    if (have(in, last)) any |= set_offer(s, out, mx(tget(s, in, last) + p->m.red.lat, after(s, out, k - 1)));
  }
  return any;
}

/* qr_labelselect: input beats need its output skid ready (it holds 2
 * results); a frame's result is offered the cycle after its last beat. */
static bool step_label(sim *s, proc *p) {
  edge *in = p->ie[0], *out = p->oe[0];
  int64_t nf = p->m.lab.nf, i = in->n, f;
  bool any = false;
  if (want_accept(in) && have(out, (f = dc_at(&p->m.lab.in, i, nf)->q) - 2))
    any |= set_accept(s, in, mx(after(s, in, i - 1), after(s, out, f - 2)));
  f = out->n;
  if (want_offer(out) && have(in, (f + 1) * nf - 1))
    any |= set_offer(s, out, mx(tget(s, in, (f + 1) * nf - 1) + 1, after(s, out, f - 1)));
  return any;
}

/* qr_dwc gather (Kr input beats per output beat): a complete beat waits in
 * the assembly register while the output register is busy, and tready drops
 * until it moves on: output m's first input beat waits for output m-2 to
 * leave. */
static bool step_gather(sim *s, proc *p) {
  edge *in = p->ie[0], *out = p->oe[0];
  int64_t kr = p->m.gs.kr, i = in->n, m;
  bool any = false;
  if (want_accept(in)) {
    const divcur *c = dc_at(&p->m.gs.c, i, kr);
    bool first = c->r == 0;
    if (!first || have(out, c->q - 2))
      any |= set_accept(s, in, mx(after(s, in, i - 1), first ? after(s, out, c->q - 2) : 0));
  }
  m = out->n;
  if (want_offer(out) && have(in, (m + 1) * kr - 1))
    any |= set_offer(s, out, mx(tget(s, in, (m + 1) * kr - 1) + 1, after(s, out, m - 1)));
  return any;
}

/* qr_dwc scatter (Kr output beats per input beat): two input registers used
 * in turn; input n waits until input n-2's last slice left. */
static bool step_scatter(sim *s, proc *p) {
  edge *in = p->ie[0], *out = p->oe[0];
  int64_t kr = p->m.gs.kr, n = in->n;
  bool any = false;
  if (want_accept(in) && have(out, (n - 1) * kr - 1))
    any |= set_accept(s, in, mx(after(s, in, n - 1), after(s, out, (n - 1) * kr - 1)));
  int64_t m = out->n;
  if (want_offer(out)) {
    int64_t n_in = dc_at(&p->m.gs.c, m, kr)->q;
    if (have(in, n_in)) any |= set_offer(s, out, mx(tget(s, in, n_in) + 1, after(s, out, m - 1)));
  }
  return any;
}

static int64_t cdiv(int64_t a, int64_t b) { return a <= 0 ? -((-a) / b) : (a + b - 1) / b; }

/* qr_dwc gearbox: a buffer of BufG groups; an input beat (InG groups) is
 * taken while the groups held (registered) leave room for it, an output beat
 * (OutG groups) is offered once that many are held.  Cursors (both only
 * grow): aq outputs must have left before input in->n, input on completes
 * output out->n. */
static bool step_gearbox(sim *s, proc *p) {
  edge *in = p->ie[0], *out = p->oe[0];
  int64_t ig = p->m.gb.ig, og = p->m.gb.og, n = in->n;
  bool any = false;
  if (want_accept(in)) {
    while (p->m.gb.aq * og < (n + 1) * ig - p->m.gb.buf) p->m.gb.aq++;
    if (have(out, p->m.gb.aq - 1))
      any |= set_accept(s, in, mx(after(s, in, n - 1), after(s, out, p->m.gb.aq - 1)));
  }
  int64_t m = out->n;
  if (want_offer(out)) {
    while ((p->m.gb.on + 1) * ig < (m + 1) * og) p->m.gb.on++;
    if (have(in, p->m.gb.on)) any |= set_offer(s, out, mx(tget(s, in, p->m.gb.on) + 1, after(s, out, m - 1)));
  }
  return any;
}

static bool step(sim *s, proc *p) {
  switch (p->kind) {
  case P_FIFO: return step_fifo(s, p);
  case P_DUP: return step_dup(s, p);
  case P_ADD: return step_add(s, p);
  case P_CONCAT: return step_concat(s, p);
  case P_PAD: return step_pad(s, p);
  case P_SWG: return step_swg(s, p);
  case P_MVU: return step_mvu(s, p);
  case P_REDUCE: return step_reduce(s, p);
  case P_LABEL: return step_label(s, p);
  case P_GATHER: return step_gather(s, p);
  case P_SCATTER: return step_scatter(s, p);
  case P_GEARBOX: return step_gearbox(s, p);
  default: return step_rows(s, p);
  }
}

/* -------------------------------------------------------------- set-up -- */

/* qr_mvu / qr_vvu's output FIFO: enough credits for full rate at SF. */
static int64_t credit_depth(int64_t sf, int64_t lat) {
  int64_t need = lat / (sf > 0 ? sf : 1) + 1, d = 2;
  while (d < need) d *= 2;
  return d;
}

/* qr_swg's geometry; the tap offsets in the order the taps leave. */
static int setup_swg(proc *p, const hw_unit *u, int64_t *look_in) {
  int64_t cf = u->c / (u->simd > 0 ? u->simd : 1), w = u->iw, h = u->ih;
  int64_t oh = (h - (int64_t)(u->kh - 1) * u->dh - 1) / u->sh + 1, ow = (w - (int64_t)(u->kw - 1) * u->dw - 1) / u->sw + 1;
  p->kind = P_SWG;
  p->m.swg.cf = cf, p->m.swg.oh = oh, p->m.swg.ow = ow;
  p->m.swg.l = (int64_t)u->kh * u->kw * cf;
  p->m.swg.cap = hw_swg_buffer_beats(u);
  p->m.swg.jcol = (int64_t)u->sw * cf;
  p->m.swg.jrow = ((int64_t)u->sh * w - (ow - 1) * u->sw) * cf;
  p->m.swg.jfrm = (h * w - (oh - 1) * u->sh * w - (ow - 1) * u->sw) * cf;
  p->m.swg.off = calloc((size_t)p->m.swg.l, sizeof(int64_t));
  if (!p->m.swg.off) return -1;
  for (int64_t t = 0; t < p->m.swg.l; t++) {
    int64_t c, x, y;
    if (!u->dw_order) c = t % cf, x = t / cf % u->kw, y = t / (cf * u->kw);
    else x = t % u->kw, y = t / u->kw % u->kh, c = t / ((int64_t)u->kw * u->kh);
    p->m.swg.off[t] = (y * u->dh * w + x * u->dw) * cf + c;
  }
  /* the writer is at most Cap beats ahead of the oldest tap, and the reader
   * at most Cap windows (a jump is >= 1 beat) ahead of the writer's window */
  *look_in = p->m.swg.cap + 4;
  return ring_init(&p->m.swg.adv, p->m.swg.cap + 8) | ring_init(&p->m.swg.rd.iss, 8) |
         ring_init(&p->m.swg.rd.qm, 8);
}

/* Parameters of unit u's model, and how many of the latest beats of its
 * input and output streams its rules may still read (ring sizes).  Returns
 * 0, 1 for a kind without a model, -1 out of memory. */
static int setup_proc(proc *p, const hw_unit *u, int64_t *look_in, int64_t *look_out) {
  int64_t pe = u->pe > 0 ? u->pe : 1, simd = u->simd > 0 ? u->simd : 1;
  *look_in = *look_out = 4;
  switch (u->kind) {
  case HW_FIFO:
    p->kind = P_FIFO;
    p->m.fifo.depth = u->depth > 0 ? u->depth : 1;
    p->m.fifo.lat = u->depth > 64 ? 3 : 1; /* qr_fifo's AutoBlockDepth */
    *look_in = *look_out = p->m.fifo.depth + 4;
    return 0;
  case HW_DUP: p->kind = P_DUP; return 0;
  case HW_ADD: p->kind = P_ADD; return ring_init(&p->m.add.f, 8);
  case HW_CONCAT:
    p->kind = P_CONCAT;
    p->m.cat.na = u->ca / pe;
    p->m.cat.nt = (u->ca + u->cb) / pe;
    return ring_init(&p->m.cat.m, 8) | ring_init(&p->m.cat.ms[0], 8) | ring_init(&p->m.cat.ms[1], 8);
  case HW_PAD:
    p->kind = P_PAD;
    p->m.pad.cf = u->c / simd;
    p->m.pad.h = u->ih, p->m.pad.w = u->iw, p->m.pad.pt = u->pad[0], p->m.pad.pl = u->pad[2];
    p->m.pad.oh = u->ih + u->pad[0] + u->pad[1];
    p->m.pad.ow = u->iw + u->pad[2] + u->pad[3];
    return ring_init(&p->m.pad.s, 8) | ring_init(&p->m.pad.c, 8);
  case HW_SWG: return setup_swg(p, u, look_in);
  case HW_UPSAMPLE: case HW_D2S:
    p->kind = P_ROWS;
    if (u->kind == HW_UPSAMPLE) {
      p->m.rows.ri = (int64_t)u->iw * (u->c / simd);
      p->m.rows.ro = p->m.rows.ri * u->sh * u->sw;
    } else {
      p->m.rows.ri = p->m.rows.ro = (int64_t)u->iw * u->c * u->block * u->block / simd;
    }
    *look_in = 3 * p->m.rows.ri + 4;
    return ring_init(&p->m.rows.rd_row, 8) | ring_init(&p->m.rows.rd.iss, 8) | ring_init(&p->m.rows.rd.qm, 8);
  case HW_MVU:
    p->kind = P_MVU;
    p->m.mvu.sf = u->mw / simd;
    p->m.mvu.nf = u->mh / pe;
    /* issue to FIFO write: 4 cycles, 5 through a threshold table */
    p->m.mvu.lat = hw_uses_table(u) ? 5 : 4;
    p->m.mvu.fd = credit_depth(p->m.mvu.sf, p->m.mvu.lat);
    *look_in = 3 * p->m.mvu.sf + 4;
    *look_out = p->m.mvu.fd + 4;
    return ring_init(&p->m.mvu.i, p->m.mvu.fd + 8) | ring_init(&p->m.mvu.r, 8);
  case HW_THRESHOLD: case HW_MAXPOOL: case HW_AVGPOOL: case HW_VVU:
    p->kind = P_REDUCE;
    p->m.red.n = u->kind == HW_THRESHOLD ? 1 : u->kind == HW_VVU ? u->mw / simd : u->mw;
    p->m.red.glob = u->kind == HW_AVGPOOL && u->global;
    p->m.red.cf = u->mh / pe;
    p->m.red.fin = p->m.red.glob ? u->pixels * p->m.red.cf : 0;
    p->m.red.fd = u->kind == HW_VVU ? credit_depth(p->m.red.n, 4) : 4;
    p->m.red.lat = u->kind == HW_VVU ? 4 : 2;
    *look_in = (p->m.red.fd + 2) * (p->m.red.glob ? p->m.red.cf : p->m.red.n) + p->m.red.fin + 4;
    *look_out = p->m.red.fd + 4;
    return 0;
  case HW_LABELSELECT:
    p->kind = P_LABEL;
    p->m.lab.nf = u->mw / pe;
    *look_in = 3 * p->m.lab.nf + 4;
    return 0;
  case HW_DWC: {
    int64_t g = hw_gcd(u->in_elems, u->out_elems), ig = u->in_elems / g, og = u->out_elems / g;
    if (og > 1 && ig == 1) {
      p->kind = P_GATHER;
      p->m.gs.kr = og;
      *look_in = 3 * og + 4;
    } else if (og == 1) {
      p->kind = P_SCATTER;
      p->m.gs.kr = ig;
      *look_out = 3 * ig + 4;
    } else {
      p->kind = P_GEARBOX;
      p->m.gb.ig = ig, p->m.gb.og = og;
      p->m.gb.buf = (ig > og ? ig : og) + 2 * (ig < og ? ig : og) - 1; /* qr_dwc's BufG */
      p->m.gb.aq = cdiv(ig - p->m.gb.buf, og);
      *look_in = *look_out = p->m.gb.buf + 4;
    }
    return 0;
  }
  default:
    return 1;
  }
}

/* Beats per frame on input k of u (-1: not whole beats). */
static int64_t in_beats(const hw_unit *u, int k) {
  int64_t e = hw_unit_in_frame(u, k), b = hw_unit_in_per_beat(u);
  return b > 0 && e % b == 0 ? e / b : -1;
}

static int64_t out_beats(const hw_unit *u) {
  int64_t e = hw_unit_out_frame(u), b = hw_unit_out_per_beat(u);
  return b > 0 && e % b == 0 ? e / b : -1;
}

static void sim_free(sim *s) {
  if (s->p)
    for (int i = 0; i < s->n; i++) {
      /* every ring of every kind lies in the union: free them by kind */
      proc *p = &s->p[i];
      switch (p->kind) {
      case P_ADD: free(p->m.add.f.v); break;
      case P_CONCAT: free(p->m.cat.m.v); free(p->m.cat.ms[0].v); free(p->m.cat.ms[1].v); break;
      case P_PAD: free(p->m.pad.s.v); free(p->m.pad.c.v); break;
      case P_SWG: free(p->m.swg.off); free(p->m.swg.adv.v); free(p->m.swg.rd.iss.v); free(p->m.swg.rd.qm.v); break;
      case P_ROWS: free(p->m.rows.rd_row.v); free(p->m.rows.rd.iss.v); free(p->m.rows.rd.qm.v); break;
      case P_MVU: free(p->m.mvu.i.v); free(p->m.mvu.r.v); break;
      default: break;
      }
    }
  if (s->e)
    for (int i = 0; i < s->nedge; i++) free(s->e[i].t.v);
  free(s->p);
  free(s->e);
  free(s->queue);
  free(s->queued);
  free(s->frame_end);
}

/* One stream from producer (unit, port; unit -1: the design input) to
 * consumer `cons` (-1: the design output). */
static int add_edge(sim *s, int prod, int cons, int64_t beats) {
  edge *e = &s->e[s->nedge];
  e->prod = prod;
  e->cons = cons;
  e->beats = beats;
  e->total = beats * s->frames;
  e->offer = prod < 0 ? 0 : -1;
  e->accept = cons < 0 ? 0 : -1;
  return s->nedge++;
}

/* Streams between the units: every output port feeds exactly one consumer. */
static const char *connect(sim *s) {
  const hw_design *d = s->d;
  int n = d->nunits;
  for (int i = 0; i < n; i++) s->p[i].in[0] = s->p[i].in[1] = s->p[i].out[0] = s->p[i].out[1] = -1;
  int input_edge = -1;
  for (int i = 0; i < n; i++) {
    const hw_unit *u = &d->units[i];
    for (int k = 0; k < hw_nsrc(u); k++) {
      int src = hw_src(u, i, k), port = hw_src_port(u, k);
      int64_t b = in_beats(u, k);
      if (b <= 0) return "a stream of partial beats";
      if (src >= i || port < 0 || port > 1) return "units not in topological order";
      if (src >= 0 && (s->p[src].out[port] >= 0 || out_beats(&d->units[src]) != b))
        return "an output feeding two units, or producer and consumer disagreeing on beats per frame";
      if (src < 0 && input_edge >= 0) return "the design input feeding two units";
      int e = add_edge(s, src, i, b);
      s->p[i].in[k] = e;
      if (src >= 0) s->p[src].out[port] = e;
      else input_edge = e;
    }
  }
  int64_t b = out_beats(&d->units[n - 1]);
  if (b <= 0) return "a stream of partial beats";
  s->p[n - 1].out[0] = add_edge(s, n - 1, -1, b);
  for (int i = 0; i < n; i++) {
    int outs = d->units[i].kind == HW_DUP ? 2 : 1;
    for (int q = 0; q < outs; q++)
      if (s->p[i].out[q] < 0) return "a unit output that feeds nothing";
  }
  return NULL;
}

static const char *sim_init(sim *s, const hw_design *d, int frames, int64_t max_events) {
  memset(s, 0, sizeof *s);
  s->d = d;
  s->n = d->nunits;
  s->frames = frames;
  s->max_events = max_events;
  if (s->n < 1) return "an empty design";
  s->p = calloc((size_t)s->n, sizeof(proc));
  s->e = calloc((size_t)2 * s->n + 2, sizeof(edge));
  s->qmask = (int)pow2_at_least(s->n) - 1;
  s->queue = calloc((size_t)s->qmask + 1, sizeof(int));
  s->queued = calloc((size_t)s->n, sizeof(bool));
  s->frame_end = calloc((size_t)frames, sizeof(int64_t));
  if (!s->p || !s->e || !s->queue || !s->queued || !s->frame_end) return "out of memory";
  int64_t look_in[s->n], look_out[s->n];
  for (int i = 0; i < s->n; i++) {
    int rc = setup_proc(&s->p[i], &d->units[i], &look_in[i], &look_out[i]);
    if (rc < 0) return "out of memory";
    if (rc) return ir_sprintf(d->g->arena, "no timing model for unit %s (%s)", d->units[i].name,
                              hw_kind_name(d->units[i].kind));
  }
  const char *why = connect(s);
  if (why) return why;
  for (int i = 0; i < s->nedge; i++) {
    edge *e = &s->e[i];
    int64_t look = mx(e->prod >= 0 ? look_out[e->prod] : 4, e->cons >= 0 ? look_in[e->cons] : 4);
    if (ring_init(&e->t, 2 * look + 8)) return "out of memory";
  }
  for (int i = 0; i < s->n; i++) {
    proc *p = &s->p[i];
    for (int k = 0; k < 2; k++) {
      p->ie[k] = p->in[k] >= 0 ? &s->e[p->in[k]] : NULL;
      p->oe[k] = p->out[k] >= 0 ? &s->e[p->out[k]] : NULL;
    }
    if (p->kind == P_SWG) p->m.swg.nwin = frames * p->m.swg.oh * p->m.swg.ow;
  }
  return NULL;
}

/* A unit that refuses a beat offered to it, for the deadlock message. */
static int stalled_unit(const sim *s) {
  for (int i = 0; i < s->nedge; i++)
    if (s->e[i].offer >= 0 && s->e[i].accept < 0 && s->e[i].n < s->e[i].total) return s->e[i].cons;
  return -1;
}

static void run(sim *s) {
  for (int i = 0; i < s->n; i++) {
    s->queued[i] = true;
    s->queue[s->qlen++] = i;
  }
  while (s->qlen && !s->bad) {
    int i = s->queue[s->qhead];
    s->qhead = (s->qhead + 1) & s->qmask;
    s->qlen--;
    while (step(s, &s->p[i]) && !s->bad) {
    }
    s->queued[i] = false;
    if (s->max_events && s->events > s->max_events) {
      s->bad = "the simulation's work cap";
      return;
    }
  }
}

int hw_fifo_sim(const hw_design *d, int frames, int64_t max_events, hw_sim_result *r) {
  memset(r, 0, sizeof *r);
  r->stalled = -1;
  if (frames < 3) frames = 3;
  sim s;
  const char *why = sim_init(&s, d, frames, max_events);
  if (!why) {
    run(&s);
    why = s.bad;
  }
  r->events = s.events;
  if (!why) {
    edge *out = &s.e[s.p[s.n - 1].out[0]];
    r->done = out->n == out->total;
    r->deadlock = !r->done;
    if (r->deadlock) r->stalled = stalled_unit(&s);
    r->first_frame = s.frame_end[0];
    r->latency = s.frame_end[0] - s.first_in + 1; /* both counted, as --verify measures */
    if (r->done) r->cycles_per_frame = (double)(s.frame_end[frames - 1] - s.frame_end[frames - 3]) / 2;
  }
  r->why = why;
  sim_free(&s);
  return why ? -1 : 0;
}

/* ------------------------------------------------------------- sizing -- */

enum { SIM_FRAMES = 4 };   /* frame 0 fills the pipeline; the last two intervals are measured */

/* Work bounds, in beats simulated (about 20 ns each): all the runs of one
 * sizing (~2 s; past it the search keeps the depths that passed so far), and
 * the one run that checks a design with nothing to size (~0.1 s; a compile
 * of a big straight pipeline, ESPCN's 42M beats, does not pay ~1 s for it). */
static const int64_t SIZE_BUDGET = 100000000, CHECK_BUDGET = 5000000;

static int64_t fifo_bits(const hw_unit *u) { return (int64_t)u->depth * u->in_elems * hw_etype_bits(u->in); }

static int64_t total_fifo_bits(const hw_design *d, int *nfifo, int *ndeep) {
  int64_t bits = 0;
  *nfifo = *ndeep = 0;
  for (int i = 0; i < d->nunits; i++)
    if (d->units[i].kind == HW_FIFO) {
      bits += fifo_bits(&d->units[i]);
      ++*nfifo;
      *ndeep += d->units[i].depth > 2;
    }
  return bits;
}

static int64_t analytic_cycles(const hw_design *d) {
  int64_t c = 0;
  for (int i = 0; i < d->nunits; i++) c = mx(c, d->units[i].cycles);
  return c;
}

/* Beats one run simulates: every stream's beats over the frames. */
static int64_t run_beats(const hw_design *d, int frames) {
  int64_t n = out_beats(&d->units[d->nunits - 1]);
  for (int i = 0; i < d->nunits; i++)
    for (int k = 0; k < hw_nsrc(&d->units[i]); k++) n += in_beats(&d->units[i], k);
  return n * frames;
}

typedef struct sizer {
  hw_design *d;
  hw_fifo_sizing *r;
  const int *formula;      /* depth per unit after hw_insert_plumbing */
  double goal;             /* cycles per frame the chosen depths must reach */
  int64_t budget;          /* beats the remaining runs may simulate */
  hw_sim_result last;
} sizer;

/* One run at the current depths: 1 it reaches the goal without deadlock, 0
 * it does not, -1 it could not run (no model, or the work budget). */
static int probe(sizer *z) {
  if (z->budget < run_beats(z->d, SIM_FRAMES)) {
    z->last.why = "the simulation's work budget";
    return -1;
  }
  int rc = hw_fifo_sim(z->d, SIM_FRAMES, z->budget, &z->last);
  z->r->sims++;
  z->r->events += z->last.events;
  z->budget -= z->last.events;
  if (rc) return -1;
  return z->last.done && z->last.cycles_per_frame <= z->goal;
}

/* The add/concat FIFO f feeds (through dwcs), and on which input; -1 if none. */
static int join_of(const hw_design *d, int f, int *port) {
  for (int j = f + 1; j < d->nunits; j++)
    for (int k = 0; k < hw_nsrc(&d->units[j]); k++) {
      if (hw_src(&d->units[j], j, k) != f) continue;
      hw_kind kind = d->units[j].kind;
      if (kind == HW_DWC) return join_of(d, j, port);
      *port = k;
      return kind == HW_ADD || kind == HW_CONCAT ? j : -1;
    }
  return -1;
}

/* The dup a branch starts from: up input 0 from unit i. */
static int dup_of(const hw_design *d, int i) {
  while (i >= 0 && d->units[i].kind != HW_DUP) i = hw_src(&d->units[i], i, 0);
  return i;
}

/* "join of dup_0 -> add_0, branch 1: " for FIFO f, or "" if it feeds no join. */
static const char *where(const hw_design *d, int f) {
  int port, j = join_of(d, f, &port);
  if (j < 0) return "";
  int a = dup_of(d, hw_src(&d->units[f], f, 0));
  if (a < 0) return ir_sprintf(d->g->arena, "input %d of %s: ", port, d->units[j].name);
  return ir_sprintf(d->g->arena, "join of %s -> %s, branch %d: ", d->units[a].name, d->units[j].name, port);
}

/* The depth kept above the smallest that passed.  The models hold what the
 * RTL holds (checked in Verilator: the same deadlock depth and the same
 * cycles/frame on both sides of it), so that depth is safe from deadlock
 * already; the margin covers latency a model may miss in a unit not checked
 * that closely (a cycle missed on the long branch is a beat the short
 * branch's FIFO must hold at one beat per cycle): 2 beats plus 1/16.  A FIFO
 * that needs only 2 is a plain decoupling stage, like a straight edge's. */
static int with_margin(int depth) { return depth <= 2 ? 2 : depth + 2 + depth / 16; }

/* Smallest depth of FIFO f in [2, its depth] that passes with the other
 * depths as they are (the current depth passes); -1 if a run could not. */
static int search(sizer *z, int f) {
  hw_unit *u = &z->d->units[f];
  int lo = 2, hi = u->depth;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    u->depth = mid;
    int ok = probe(z);
    if (ok < 0) {
      u->depth = hi;
      return -1;
    }
    if (ok) hi = mid;
    else lo = mid + 1;
  }
  u->depth = hi;
  return hi;
}

/* Every FIFO above 2, one after the other, each searched with the others at
 * their current depths; the margin goes on at once, so each later search
 * runs with the final depths of the earlier ones.  Returns FIFOs sized. */
static int size_each(sizer *z) {
  int sized = 0;
  for (int f = 0; f < z->d->nunits; f++) {
    hw_unit *u = &z->d->units[f];
    if (u->kind != HW_FIFO || u->depth <= 2) continue;
    int found = search(z, f);
    if (found < 0) {
      u->note = ir_sprintf(z->d->g->arena, "%s%d beats by the formula (the cycle simulation stopped: %s)",
                           where(z->d, f), u->depth, z->last.why);
      break;
    }
    int depth = with_margin(found);
    u->depth = depth < z->formula[f] ? depth : z->formula[f];
    u->note = ir_sprintf(z->d->g->arena, "%s%d beats: %d is the smallest at which the cycle simulation "
                         "reaches %.0f cycles/frame without deadlock, + %d margin (formula: %d)",
                         where(z->d, f), u->depth, found, z->goal / 1.01, u->depth - found, z->formula[f]);
    sized++;
  }
  return sized;
}

/* The chosen depths together must pass.  They do when runs are monotone in
 * depth (the last search's passing run had them all); if not, double the
 * sized ones (at most to the formula) until they pass. */
static void joint_check(sizer *z) {
  for (int round = 0; round < 8; round++) {
    int ok = probe(z);
    if (ok > 0) {
      z->r->sim_after = z->last.cycles_per_frame;
      z->r->sim_latency = z->last.latency;
      return;
    }
    for (int f = 0; f < z->d->nunits; f++) {
      hw_unit *u = &z->d->units[f];
      if (u->kind != HW_FIFO || u->depth == z->formula[f]) continue;
      u->depth = ok < 0 || 2 * u->depth > z->formula[f] ? z->formula[f] : 2 * u->depth;
      u->note = ir_sprintf(z->d->g->arena, "%s%d beats (the smallest depths together failed the cycle "
                           "simulation: doubled%s)", where(z->d, f), u->depth,
                           u->depth == z->formula[f] ? " up to the formula" : "");
    }
    if (ok < 0) return;
  }
}

/* The formula's depths fail the simulation: deepen every FIFO above 2 (x2,
 * up to 64x) until it passes, and take that as the starting point. */
static int grow_formula(sizer *z, int *formula) {
  for (int round = 0; round < 6; round++) {
    for (int f = 0; f < z->d->nunits; f++)
      if (z->d->units[f].kind == HW_FIFO && z->d->units[f].depth > 2) z->d->units[f].depth *= 2;
    int ok = probe(z);
    if (ok < 0) break;
    if (!ok) continue;
    for (int f = 0; f < z->d->nunits; f++) formula[f] = z->d->units[f].depth;
    return 0;
  }
  for (int f = 0; f < z->d->nunits; f++) z->d->units[f].depth = formula[f];
  return -1;
}

int hw_size_fifos(hw_design *d, bool use_sim, hw_fifo_sizing *r) {
  memset(r, 0, sizeof *r);
  int ndeep;
  r->bits_before = r->bits_after = total_fifo_bits(d, &r->nfifo, &ndeep);
  r->ndeep = ndeep;
  r->analytic = analytic_cycles(d);
  if (!use_sim) {
    r->fallback = "--fifo=formula";
    return 0;
  }
  int *formula = ir_alloc_array(d->g->arena, (size_t)d->nunits, sizeof(int));
  for (int i = 0; i < d->nunits; i++) formula[i] = d->units[i].depth;
  sizer z = {.d = d, .r = r, .formula = formula, .budget = ndeep ? SIZE_BUDGET : CHECK_BUDGET};
  z.goal = 1.01 * (double)r->analytic;
  int ok = probe(&z);
  r->sim_before = r->sim_after = z.last.done ? z.last.cycles_per_frame : 0;
  r->sim_latency = z.last.done ? z.last.latency : 0;
  if (ok < 0) {
    r->fallback = ir_sprintf(d->g->arena, "%s (%.3gM beats a run)", z.last.why,
                             (double)run_beats(d, SIM_FRAMES) * 1e-6);
    return 0;
  }
  if (!ndeep) return 0;
  if (!ok && z.last.done) z.goal = 1.01 * z.last.cycles_per_frame; /* slower than analytic anyway */
  if (!ok && !z.last.done) {
    if (grow_formula(&z, formula)) {
      r->fallback = "the cycle simulation deadlocks at 64x the formula";
      return 0;
    }
    r->grown = 1;
  }
  r->nsized = size_each(&z);
  joint_check(&z);
  r->bits_after = total_fifo_bits(d, &r->nfifo, &ndeep);
  return 0;
}
