// axis_shim.cpp - the extern "C" face of one Verilated AXI4-Stream top (the only C++ in
// qonnx-rtl).  Compiled once per top; macros name the class and the ports, see
// sim/axis_tb.h.  tdata of any width is exchanged as uint32_t words, LSB first, through
// overloads for Verilator's CData/SData/IData/QData/VlWide<N>.
#include <cstdint>
#include <cstring>
#include <memory>

#include "verilated.h"

#include "axis_tb.h"

#ifndef QR_VTOP
#error "compile with -DQR_VTOP=<Verilated top class>"
#endif

#define QR_STR2(x) #x
#define QR_STR(x) QR_STR2(x)
#define QR_CAT2(a, b) a##b
#define QR_CAT(a, b) QR_CAT2(a, b)

#ifdef QR_VTOP_HEADER
#include QR_VTOP_HEADER
#else
#include QR_STR(QR_VTOP.h)
#endif

#if defined(QR_AP_PORTS) && QR_AP_PORTS
#ifndef QR_PORT_CLK
#define QR_PORT_CLK ap_clk
#endif
#ifndef QR_PORT_RST_N
#define QR_PORT_RST_N ap_rst_n
#endif
#ifndef QR_PORT_S
#define QR_PORT_S s_axis_0
#endif
#ifndef QR_PORT_M
#define QR_PORT_M m_axis_0
#endif
#ifndef QR_HAS_M_TLAST
#define QR_HAS_M_TLAST 1
#endif
#endif

#ifndef QR_PORT_CLK
#define QR_PORT_CLK clk
#endif
#ifndef QR_PORT_RST_N
#define QR_PORT_RST_N rst_n
#endif
#ifndef QR_PORT_S
#define QR_PORT_S s_axis
#endif
#ifndef QR_PORT_M
#define QR_PORT_M m_axis
#endif
#ifndef QR_HAS_M_TLAST
#define QR_HAS_M_TLAST 0
#endif

#define QR_S(sig) QR_CAT(QR_PORT_S, QR_CAT(_, sig))
#define QR_M(sig) QR_CAT(QR_PORT_M, QR_CAT(_, sig))

namespace {

// Capacity of a port's storage in 32-bit words.
constexpr int words_of(const CData &) { return 1; }
constexpr int words_of(const SData &) { return 1; }
constexpr int words_of(const IData &) { return 1; }
constexpr int words_of(const QData &) { return 2; }
template <std::size_t N> constexpr int words_of(const VlWide<N> &) { return (int)N; }

// Mask of the valid bits of word i of a `bits`-wide value (bits <= 0: all).
inline uint32_t word_mask(int bits, int i) {
  if (bits <= 0) return 0xffffffffu;
  int rest = bits - 32 * i;
  if (rest >= 32) return 0xffffffffu;
  if (rest <= 0) return 0;
  return (1u << rest) - 1u;
}

inline uint32_t word_in(const uint32_t *w, int n, int bits, int i) {
  return (i < n ? w[i] : 0u) & word_mask(bits, i);
}

void put(CData &p, const uint32_t *w, int n, int bits) { p = (CData)word_in(w, n, bits ? bits : 8, 0); }
void put(SData &p, const uint32_t *w, int n, int bits) { p = (SData)word_in(w, n, bits ? bits : 16, 0); }
void put(IData &p, const uint32_t *w, int n, int bits) { p = (IData)word_in(w, n, bits, 0); }
void put(QData &p, const uint32_t *w, int n, int bits) {
  p = (QData)word_in(w, n, bits, 0) | ((QData)word_in(w, n, bits, 1) << 32);
}
template <std::size_t N> void put(VlWide<N> &p, const uint32_t *w, int n, int bits) {
  for (std::size_t i = 0; i < N; i++) p[i] = word_in(w, n, bits, (int)i);
}

void get(const CData &p, uint32_t *w) { w[0] = p; }
void get(const SData &p, uint32_t *w) { w[0] = p; }
void get(const IData &p, uint32_t *w) { w[0] = p; }
void get(const QData &p, uint32_t *w) {
  w[0] = (uint32_t)p;
  w[1] = (uint32_t)(p >> 32);
}
template <std::size_t N> void get(const VlWide<N> &p, uint32_t *w) {
  for (std::size_t i = 0; i < N; i++) w[i] = p[i];
}

}  // namespace

struct qr_dut {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<QR_VTOP> top;
  int s_words, m_words;
  uint32_t m_buf[1024];
};

#ifdef QR_S_BITS
static const int qr_s_bits_exact = QR_S_BITS;
#else
static const int qr_s_bits_exact = 0;
#endif
#ifdef QR_M_BITS
static const int qr_m_bits_exact = QR_M_BITS;
#else
static const int qr_m_bits_exact = 0;
#endif

extern "C" {

qr_dut *qr_dut_new(void) {
  qr_dut *d = new qr_dut;
  d->ctx.reset(new VerilatedContext);
  d->top.reset(new QR_VTOP{d->ctx.get()});
  d->s_words = words_of(d->top->QR_S(tdata));
  d->m_words = words_of(d->top->QR_M(tdata));
  static_assert(sizeof(d->m_buf) / 4 >= 2, "");
  if (d->m_words > (int)(sizeof(d->m_buf) / 4)) {
    VL_PRINTF("qr_dut_new: m tdata wider than %d words\n", (int)(sizeof(d->m_buf) / 4));
    delete d;
    return nullptr;
  }
  d->top->QR_PORT_CLK = 0;
  d->top->QR_PORT_RST_N = 0;
  d->top->QR_S(tvalid) = 0;
  d->top->QR_M(tready) = 0;
  d->top->eval();
  return d;
}

void qr_dut_free(qr_dut *d) {
  if (!d) return;
  d->top->final();
  delete d;
}

int qr_dut_s_bits(const qr_dut *d) { return qr_s_bits_exact ? qr_s_bits_exact : 32 * d->s_words; }
int qr_dut_m_bits(const qr_dut *d) { return qr_m_bits_exact ? qr_m_bits_exact : 32 * d->m_words; }
int qr_dut_has_tlast(const qr_dut *) { return QR_HAS_M_TLAST; }

int qr_dut_has_cfg(const qr_dut *) {
#ifdef QR_PORT_CFG
  return 1;
#else
  return 0;
#endif
}

void qr_dut_set_clk(qr_dut *d, int v) { d->top->QR_PORT_CLK = v ? 1 : 0; }
void qr_dut_set_rst_n(qr_dut *d, int v) { d->top->QR_PORT_RST_N = v ? 1 : 0; }

void qr_dut_set_cfg(qr_dut *d, uint32_t v) {
#ifdef QR_PORT_CFG
  uint32_t w[1] = {v};
  put(d->top->QR_PORT_CFG, w, 1, 0);
#else
  (void)d;
  (void)v;
#endif
}

void qr_dut_set_s(qr_dut *d, const uint32_t *tdata, int nwords, int tvalid) {
  put(d->top->QR_S(tdata), tdata, nwords, qr_s_bits_exact);
  d->top->QR_S(tvalid) = tvalid ? 1 : 0;
}

int qr_dut_s_tready(qr_dut *d) { return d->top->QR_S(tready) ? 1 : 0; }
void qr_dut_set_m_tready(qr_dut *d, int v) { d->top->QR_M(tready) = v ? 1 : 0; }

int qr_dut_m(qr_dut *d, uint32_t *tdata, int *tlast) {
  get(d->top->QR_M(tdata), d->m_buf);
  int n = QR_WORDS(qr_dut_m_bits(d));
  std::memcpy(tdata, d->m_buf, sizeof(uint32_t) * (size_t)n);
  if (tlast) {
#if QR_HAS_M_TLAST
    *tlast = d->top->QR_M(tlast) ? 1 : 0;
#else
    *tlast = 0;
#endif
  }
  return d->top->QR_M(tvalid) ? 1 : 0;
}

void qr_dut_eval(qr_dut *d) { d->top->eval(); }

}  // extern "C"
