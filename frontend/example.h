/* example.h - built-in QONNX example models (frontend/example_gen.c), written by
 * `qonnx-rtl example` (frontend/example.c) and used directly by tests.
 *
 * Fixed models mirror the Brevitas BNN-PYNQ exports: tfc-w1a1, tfc-w1a2,
 * tfc-w2a2 (784-64-64-64-10 MLP, same op sequence as shared/models/mnist-tfc)
 * and cnv-w1a1, cnv-w1a2, cnv-w2a2 (CIFAR-10 CNV).  Random models (mlp, cnn)
 * take every unset option from the seed, so `example mlp --seed 7` is a whole
 * family of tests; explicit options override single choices.  Random CNNs may
 * hold residual blocks, concats, dilated convs, average pools and a
 * GlobalAveragePool (see qr_ex_conv; `example --help` for the syntax).  All
 * values come from our own PRNG (splitmix64), never libc rand(): same seed,
 * same bytes. */
#ifndef QR_EXAMPLE_H
#define QR_EXAMPLE_H
#include <stdint.h>

#include "frontend/onnx_build.h"

#define QR_EX_MAX_LAYERS 16
#define QR_EX_MAX_CONVS 8

typedef enum { QR_EX_MLP = 1, QR_EX_CNN = 2 } qr_ex_kind;
/* How quantizer scales are chosen: all 1 (integer tensors), powers of two,
 * arbitrary floats, or per-output-channel weight scales. */
typedef enum { QR_SC_UNIT = 0, QR_SC_POW2 = 1, QR_SC_FLOAT = 2, QR_SC_CHAN = 3 } qr_ex_scale;

/* One conv layer of a random CNN.  res > 0 starts a residual block: this conv
 * and the next res-1 ones form the branch whose output is Added to the block's
 * input; cat: this conv runs in parallel with the previous one on the same
 * input and their outputs are concatenated on channels. */
typedef struct qr_ex_conv {
  int oc, k, s, p, g; /* output channels, kernel, stride, padding, group */
  int d;              /* dilation (1: none) */
  int res, cat;
} qr_ex_conv;

/* A random model.  Every int field is -1 ("draw from the seed") until
 * qr_ex_resolve() fills it; the arrays count as unset while their count is 0. */
typedef struct qr_ex_spec {
  qr_ex_kind kind;
  uint64_t seed;
  int nlayers;                       /* mlp: in, hidden..., out; cnn: FC widths */
  int layers[QR_EX_MAX_LAYERS];
  int in_c, in_h, in_w;              /* cnn input (batch 1, NCHW) */
  int nconvs;
  qr_ex_conv conv[QR_EX_MAX_CONVS];
  int npool;                         /* -1 unset; else pool[i]: maxpool 2x2 after conv i */
  int pool[QR_EX_MAX_CONVS];
  int navgpool;                      /* -1 unset; else avgpool[i]: 2x2 AveragePool + Quant */
  int avgpool[QR_EX_MAX_CONVS];
  int gap;                           /* GlobalAveragePool + Quant before the FC layers */
  int extras;                        /* 0 unless set (never drawn): a conv stack drawn
                                      * from the seed also draws res/cat/dilation/avgpool/gap */
  int wbits, abits, ibits;           /* weight / activation / input bits (1..8) */
  int wsigned, asigned, isigned;
  int narrow;                        /* narrow range on every Quant */
  int rounding;                      /* index into qr_ex_rounding_names (activations) */
  int scale;                         /* qr_ex_scale */
  int bn, bias, relu, iquant, outq, transpose;
} qr_ex_spec;

extern const char *const qr_ex_rounding_names[7];

/* An unset spec of the given kind and seed. */
void qr_ex_spec_init(qr_ex_spec *s, qr_ex_kind kind, uint64_t seed);
/* Draw every unset field from the seed and check the result; -1 after one error
 * line (e.g. a conv stack that shrinks the image to nothing). */
int qr_ex_resolve(qr_ex_spec *s);
/* The options that rebuild exactly this model ("--seed 3 --layers 49,10,7 ..."). */
const char *qr_ex_spec_str(ir_arena *a, const qr_ex_spec *s);
/* Output size of a conv along one axis: (in + 2p - d(k-1) - 1) / s + 1. */
int qr_ex_conv_out(int in, const qr_ex_conv *c);
/* One `example mlp|cnn` option (e.g. "--convs", "8:3:1:1,res:8:3:1:1") into
 * an unresolved spec: 0, or 2 after a usage message. */
int qr_ex_parse_option(qr_ex_spec *s, const char *opt, const char *val);
/* Build a resolved random model. */
ob_model *qr_ex_build(const qr_ex_spec *s);

/* The fixed models by name ("tfc-w2a2", "cnv-w2a2", ...); NULL after an error
 * line if the name is unknown.  seed only changes the (random) parameters. */
ob_model *qr_ex_build_named(const char *name, uint64_t seed);
/* Names and one-line descriptions of the fixed models, NULL-terminated. */
extern const char *const qr_ex_names[];
extern const char *const qr_ex_descr[];

#endif
