/* ir.h - the one place the qonnx-rtl graph IR is defined.
 *
 * A compile is one pass down the pipe of DESIGN.md.  The frontend turns an ONNX
 * protobuf into an ir_graph (tensors + nodes, every node keeping its ONNX name),
 * the passes in ir/ rewrite it, and later stages lower it to hardware units.
 *
 * Memory: every graph owns one arena (ir_arena); nothing in a graph is freed on
 * its own.  The executor uses a second arena per run for intermediate values.
 *
 * Errors: functions that can fail return int (0 ok, -1 error) after printing one
 * line through ir_error()/ir_errorf(); only main() exits.
 */
#ifndef QR_IR_H
#define QR_IR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IR_MAX_RANK 8
/* Largest tensor we agree to hold (elements).  Anything larger is rejected with
 * a clear error where its size is first known (loader, shape inference). */
#define IR_MAX_ELEMS ((int64_t)1 << 31)

/* ---------------------------------------------------------------- arena -- */

typedef struct ir_arena ir_arena;

ir_arena *ir_arena_new(void);
void ir_arena_free(ir_arena *a);
void ir_arena_reset(ir_arena *a);        /* drop everything, keep the arena */
void *ir_alloc(ir_arena *a, size_t n);   /* zeroed, 16-byte aligned; aborts on OOM */
void *ir_alloc_array(ir_arena *a, size_t count, size_t size); /* overflow-checked */
char *ir_strdup(ir_arena *a, const char *s);
char *ir_sprintf(ir_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---------------------------------------------------------- diagnostics -- */

struct ir_node;
/* Print "qonnx-rtl: FILE: node "NAME" (OP): error: MSG" (node may be NULL,
 * file may be NULL).  Always returns -1 so callers can `return ir_error(...)`. */
int ir_errorf(const char *file, const struct ir_node *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int ir_verrorf(const char *file, const struct ir_node *node, const char *fmt,
               va_list ap);
#if defined(__clang_analyzer__) && !defined(QR_DIAG_IMPL)
/* For the static analyzer only (clang-tidy, tests/lint.cmake): it sees one
 * file at a time, so without this it takes `return ir_errorf(...)` for a
 * possible 0 and reports every output of a failed helper as garbage. */
#define ir_errorf(...) (ir_errorf(__VA_ARGS__), -1)
#define ir_verrorf(...) (ir_verrorf(__VA_ARGS__), -1)
#endif
void ir_warnf(const char *file, const struct ir_node *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Verbosity for progress lines (-q = 0, default 1, -v = 2). */
extern int ir_verbosity;
void ir_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---------------------------------------------------------- element type -- */

/* Storage of values.  The golden executor computes in float32 (QONNX semantics);
 * index/shape tensors and integer ONNX tensors are held as int64. */
typedef enum { IR_F32 = 0, IR_I64 = 1 } ir_store;

/* ONNX TensorProto.DataType codes we meet (subset; values are ONNX's). */
enum {
  ONNX_UNDEFINED = 0, ONNX_FLOAT = 1, ONNX_UINT8 = 2, ONNX_INT8 = 3,
  ONNX_UINT16 = 4, ONNX_INT16 = 5, ONNX_INT32 = 6, ONNX_INT64 = 7,
  ONNX_STRING = 8, ONNX_BOOL = 9, ONNX_FLOAT16 = 10, ONNX_DOUBLE = 11,
  ONNX_UINT32 = 12, ONNX_UINT64 = 13
};
const char *ir_onnx_type_name(int onnx_type);
/* How a value of this ONNX type is stored; returns -1 for unsupported types. */
int ir_store_of(int onnx_type);

/* A QONNX/FINN datatype annotation (finn_datatype), or what inference found. */
typedef enum {
  QDT_UNKNOWN = 0, /* not inferred (yet) */
  QDT_FLOAT32,     /* real-valued */
  QDT_INT,         /* bits, is_signed; narrow range possible */
  QDT_BIPOLAR,     /* {-1, +1}, one bit */
  QDT_TERNARY,     /* {-1, 0, +1} */
  QDT_FIXED,       /* FIXED<bits, int_bits>: scaled signed integer */
  QDT_SCALED       /* integer times a non-unit scale (not hardware-ready) */
} ir_dtype_kind;

typedef struct ir_dtype {
  ir_dtype_kind kind;
  int bits;        /* QDT_INT/QDT_FIXED: total bits; BIPOLAR: 1 */
  bool is_signed;
  bool narrow;     /* signed and narrow: -(2^(b-1))+1 .. 2^(b-1)-1 */
  int int_bits;    /* QDT_FIXED only */
} ir_dtype;

/* "UINT8", "INT4", "BIPOLAR", "BINARY" (= UINT1), "TERNARY", "FLOAT32", "FIXED<8,4>" */
int ir_dtype_parse(const char *s, ir_dtype *out);
const char *ir_dtype_name(ir_arena *a, ir_dtype dt); /* canonical FINN spelling */
double ir_dtype_min(ir_dtype dt);
double ir_dtype_max(ir_dtype dt);
bool ir_dtype_is_integer(ir_dtype dt);  /* INT, BIPOLAR, TERNARY */

/* ---------------------------------------------------------------- values -- */

/* A concrete tensor value: shape + data.  Used for initializers, constants and
 * every intermediate value the executor computes. */
typedef struct ir_buf {
  ir_store store;
  int onnx_type;              /* the ONNX element type it stands for */
  int rank;
  int64_t dims[IR_MAX_RANK];
  int64_t n;                  /* number of elements (product of dims) */
  float *f;                   /* store == IR_F32 */
  int64_t *i;                 /* store == IR_I64 */
} ir_buf;

/* Allocate a buffer in arena a; returns NULL (no message) if the element count
 * overflows or exceeds IR_MAX_ELEMS. */
ir_buf *ir_buf_new(ir_arena *a, ir_store store, int onnx_type, int rank,
                   const int64_t *dims);
ir_buf *ir_buf_clone(ir_arena *a, const ir_buf *b);
int64_t ir_shape_numel(int rank, const int64_t *dims); /* -1 on overflow/unknown */
double ir_buf_get(const ir_buf *b, int64_t idx);       /* value as double */
void ir_buf_set(ir_buf *b, int64_t idx, double v);

/* ------------------------------------------------------------ the graph -- */

typedef enum {
  IR_ATTR_FLOAT, IR_ATTR_INT, IR_ATTR_STRING, IR_ATTR_TENSOR,
  IR_ATTR_FLOATS, IR_ATTR_INTS, IR_ATTR_STRINGS, IR_ATTR_OTHER
} ir_attr_kind;

typedef struct ir_attr {
  const char *name;
  ir_attr_kind kind;
  float f;
  int64_t i;
  const char *s;
  int n;                      /* length of floats/ints/strings */
  float *floats;
  int64_t *ints;
  const char **strings;
  ir_buf *t;
} ir_attr;

typedef struct ir_node ir_node;
typedef struct ir_opinfo ir_opinfo;

typedef struct ir_tensor {
  int id;                     /* index into graph->tensors */
  const char *name;
  int onnx_type;              /* ONNX element type, ONNX_UNDEFINED if unknown */
  int rank;                   /* -1: shape unknown */
  int64_t dims[IR_MAX_RANK];  /* -1: that dimension unknown */
  ir_buf *init;               /* constant value (initializer or folded), or NULL */
  ir_dtype dtype;             /* QONNX datatype (annotation or inferred) */
  bool dtype_annotated;       /* dtype came from quantization_annotation */
  const char *layout;         /* tensor_layout annotation, or NULL */
  ir_node *producer;          /* NULL for graph inputs and constants */
  bool is_input, is_output;
} ir_tensor;

/* Operator domains: every QONNX alias (onnx.brevitas, finn.custom_op.general,
 * qonnx.custom_op.general and their sub-modules) is IR_DOM_QONNX. */
typedef enum { IR_DOM_ONNX = 0, IR_DOM_QONNX = 1, IR_DOM_UNKNOWN = 2 } ir_domain;
ir_domain ir_domain_of(const char *domain_string); /* NULL and "" -> ONNX */

struct ir_node {
  int id;                     /* index into graph->nodes */
  const char *name;           /* ONNX node name (synthesised "OpType_N" if empty) */
  const char *op_type;
  const char *domain;         /* as written in the file ("" for ONNX) */
  ir_domain dom;
  const ir_opinfo *op;        /* registry entry, NULL if unknown */
  int nin, nout;
  ir_tensor **in;             /* an optional input left empty is NULL */
  ir_tensor **out;
  int nattrs;
  ir_attr *attrs;
  bool dead;                  /* removed by a pass; skipped everywhere */
};

typedef struct ir_graph {
  ir_arena *arena;
  const char *file;           /* model path, for diagnostics */
  const char *name;
  int64_t opset;              /* default-domain opset version */
  int ntensors, cap_tensors;
  ir_tensor **tensors;
  int nnodes, cap_nodes;
  ir_node **nodes;            /* kept in topological order by ir_toposort() */
  int ninputs, noutputs;
  ir_tensor **inputs;         /* graph inputs that are not initializers */
  ir_tensor **outputs;
} ir_graph;

ir_graph *ir_graph_new(const char *file);
void ir_graph_free(ir_graph *g);
ir_tensor *ir_find_tensor(const ir_graph *g, const char *name);
ir_tensor *ir_get_tensor(ir_graph *g, const char *name); /* find or create */
ir_tensor *ir_new_tensor(ir_graph *g, const char *hint); /* fresh unique name */
ir_node *ir_add_node(ir_graph *g, const char *name, const char *op_type,
                     const char *domain, int nin, int nout);
const ir_attr *ir_attr_find(const ir_node *n, const char *name);
int64_t ir_attr_int(const ir_node *n, const char *name, int64_t dflt);
float ir_attr_float(const ir_node *n, const char *name, float dflt);
const char *ir_attr_str(const ir_node *n, const char *name, const char *dflt);
/* Consumers of tensor t (live nodes), written into out[] up to max; returns count. */
int ir_consumers(const ir_graph *g, const ir_tensor *t, ir_node **out, int max);
/* Replace every use of `from` by `to` in live nodes and graph outputs. */
void ir_replace_uses(ir_graph *g, ir_tensor *from, ir_tensor *to);
/* Drop dead nodes and unreferenced tensors' producers; renumber ids. */
void ir_compact(ir_graph *g);
/* Order nodes topologically; error (naming a node on the cycle) if cyclic. */
int ir_toposort(ir_graph *g);
/* Structural invariants: every live node's inputs produced earlier or constant
 * or graph inputs, single producer per tensor, registry entry present, shapes
 * consistent with the op's shape rule.  Run after every pass in tests. */
int ir_verify(const ir_graph *g, const char *after_pass);
/* Human-readable dump, as --dump-after prints it. */
void ir_dump(const ir_graph *g, void *file /* FILE* */);
/* --dump-after=STAGE (ir/verify.c): print "== after STAGE" and the graph to
 * stdout when opt_stage names this stage; opt_stage NULL does nothing.  An
 * unknown opt_stage is a usage error line listing the valid names (-1). */
int qr_dump_after(const char *opt_stage, const char *stage, const ir_graph *g);
int qr_dump_stage_valid(const char *name); /* 1 if STAGE is a --dump-after name */

/* --------------------------------------------------------- op registry -- */

typedef struct ir_exec_ctx {
  ir_arena *arena;            /* values of this run; reset between runs */
  const ir_graph *g;
} ir_exec_ctx;

/* Shape rule: from the node's input tensors (rank/dims/onnx_type, and init for
 * constant inputs) set rank/dims/onnx_type of its outputs.  -1 with an error
 * line naming the node if the inputs are inconsistent. */
typedef int (*ir_shape_fn)(ir_graph *g, ir_node *n);
/* Executor: compute out[0..nout-1] from in[0..nin-1] (an absent optional input
 * is NULL).  Allocate outputs with ir_buf_new(ctx->arena, ...). */
typedef int (*ir_exec_fn)(ir_exec_ctx *ctx, const ir_node *n, ir_buf *const *in,
                          ir_buf **out);

struct ir_opinfo {
  ir_domain dom;
  const char *op_type;
  int min_in, max_in;         /* accepted input count */
  int min_out, max_out;
  ir_shape_fn shape;
  ir_exec_fn exec;
  /* later: lowering to hardware units sits here, next to shape and exec */
};

/* Look up (domain, op_type); NULL if we do not support it. */
const ir_opinfo *ir_op_lookup(ir_domain dom, const char *op_type);
/* The whole table, for listing (`--help`, tests). */
const ir_opinfo *ir_op_table(int *count);

/* Datatype inference as qonnx's InferDataTypes (ir/dtype_infer.c): respects
 * annotations, derives Quant/BipolarQuant/MultiThreshold outputs, integer
 * initializers, and exact integer ranges through integer ops. */
int ir_infer_dtypes(ir_graph *g);

/* ------------------------------------------------------------ executor -- */

/* Run the graph on inputs (one ir_buf per graph input, in order) and return
 * the graph outputs (allocated in ctx->arena).  If `all` is non-NULL it gets
 * every tensor's value indexed by tensor id (for debugging and comparisons). */
int ir_execute(ir_exec_ctx *ctx, const ir_graph *g, ir_buf *const *inputs,
               ir_buf **outputs, ir_buf **all);

/* Run the given nodes in order; vals[] (indexed by tensor id, g->ntensors
 * long) supplies their non-constant inputs and receives their outputs. */
int ir_exec_nodes(ir_exec_ctx *ctx, ir_node *const *nodes, int n, ir_buf **vals);

#endif
