/* load.c - ONNX protobuf -> ir_graph.
 *
 * The file is unpacked by protobuf-c into a temporary arena (protobuf-c's
 * allocator hook), converted at once into our own types (tensors, nodes,
 * attributes, initializer values as ir_buf) in the graph's arena, and the
 * protobuf structs are dropped with that temporary arena.  Then the graph is
 * checked (frontend/check.c) and ordered topologically.  Every failure prints
 * one line `qonnx-rtl: FILE: [node "N" (OP): ]error: WHAT` and returns NULL.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "frontend/fe_priv.h"
#include "onnx.pb-c.h"

/* ---------------------------------------------------- protobuf-c glue -- */

static void *pb_alloc(void *data, size_t size) { return ir_alloc(data, size); }
static void pb_free(void *data, void *p) { (void)data; (void)p; }

static ProtobufCAllocator pb_allocator(ir_arena *a) {
  ProtobufCAllocator al = {pb_alloc, pb_free, a};
  return al;
}

/* Read a whole file into arena a.  *len gets its size. */
uint8_t *fe_read_file(ir_arena *a, const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    ir_errorf(path, NULL, "cannot open: %s", strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = NULL;
  for (;;) {
    uint8_t *nb = ir_alloc(a, cap);
    if (buf) memcpy(nb, buf, n);
    buf = nb;
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    if (cap > SIZE_MAX / 2) {
      fclose(f);
      ir_errorf(path, NULL, "file too large");
      return NULL;
    }
    cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    ir_errorf(path, NULL, "read error");
    return NULL;
  }
  *len = n;
  return buf;
}

/* ------------------------------------------------ TensorProto -> ir_buf -- */

typedef struct lctx {
  const char *file;
  ir_graph *g;            /* NULL when reading a lone TensorProto */
  bool warned_double;
} lctx;

static int elem_size(int t) {
  switch (t) {
  case ONNX_BOOL: case ONNX_INT8: case ONNX_UINT8: return 1;
  case ONNX_INT16: case ONNX_UINT16: case ONNX_FLOAT16: return 2;
  case ONNX_FLOAT: case ONNX_INT32: case ONNX_UINT32: return 4;
  case ONNX_INT64: case ONNX_UINT64: case ONNX_DOUBLE: return 8;
  default: return 0;
  }
}

static uint64_t le_bytes(const uint8_t *p, int size) {
  uint64_t v = 0;
  for (int k = size - 1; k >= 0; k--) v = (v << 8) | p[k];
  return v;
}

/* One little-endian element of ONNX type t as double (integers exactly). */
static int raw_elem(int t, const uint8_t *p, double *d, int64_t *i) {
  uint64_t u = le_bytes(p, elem_size(t));
  union { uint32_t u; float f; } f32;
  union { uint64_t u; double d; } f64;
  switch (t) {
  case ONNX_FLOAT: f32.u = (uint32_t)u; *d = f32.f; return 0;
  case ONNX_DOUBLE: f64.u = u; *d = f64.d; return 0;
  case ONNX_BOOL: *i = u != 0; return 0;
  case ONNX_INT8: *i = (int8_t)(uint8_t)u; return 0;
  case ONNX_UINT8: case ONNX_UINT16: case ONNX_UINT32: *i = (int64_t)u; return 0;
  case ONNX_INT16: *i = (int16_t)(uint16_t)u; return 0;
  case ONNX_INT32: *i = (int32_t)(uint32_t)u; return 0;
  case ONNX_INT64: *i = (int64_t)u; return 0;
  case ONNX_UINT64:
    if (u > (uint64_t)INT64_MAX) return -1;
    *i = (int64_t)u;
    return 0;
  default: return -1;
  }
}

static int tensor_err(const lctx *c, const ir_node *node, const char *name, const char *fmt,
                      ...) __attribute__((format(printf, 4, 5)));
static int tensor_err(const lctx *c, const ir_node *node, const char *name, const char *fmt,
                      ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return ir_errorf(c->file, node, "tensor \"%s\": %s", name, msg);
}

/* How many values the typed repeated field for type t holds, or -1. */
static int64_t typed_count(const Onnx__TensorProto *tp, int t) {
  switch (t) {
  case ONNX_FLOAT: return (int64_t)tp->n_float_data;
  case ONNX_DOUBLE: return (int64_t)tp->n_double_data;
  case ONNX_INT64: return (int64_t)tp->n_int64_data;
  case ONNX_UINT32: case ONNX_UINT64: return (int64_t)tp->n_uint64_data;
  case ONNX_BOOL: case ONNX_INT8: case ONNX_UINT8: case ONNX_INT16: case ONNX_UINT16:
  case ONNX_INT32: return (int64_t)tp->n_int32_data;
  default: return -1;
  }
}

static int typed_elem(const Onnx__TensorProto *tp, int t, int64_t k, double *d, int64_t *i) {
  switch (t) {
  case ONNX_FLOAT: *d = tp->float_data[k]; return 0;
  case ONNX_DOUBLE: *d = tp->double_data[k]; return 0;
  case ONNX_INT64: *i = tp->int64_data[k]; return 0;
  case ONNX_UINT32: *i = (int64_t)(uint32_t)tp->uint64_data[k]; return 0;
  case ONNX_UINT64:
    if (tp->uint64_data[k] > (uint64_t)INT64_MAX) return -1;
    *i = (int64_t)tp->uint64_data[k];
    return 0;
  case ONNX_BOOL: *i = tp->int32_data[k] != 0; return 0;
  case ONNX_INT8: *i = (int8_t)tp->int32_data[k]; return 0;
  case ONNX_UINT8: *i = (uint8_t)tp->int32_data[k]; return 0;
  case ONNX_INT16: *i = (int16_t)tp->int32_data[k]; return 0;
  case ONNX_UINT16: *i = (uint16_t)tp->int32_data[k]; return 0;
  default: *i = tp->int32_data[k]; return 0;
  }
}

/* Element type and shape of a TensorProto, checked before anything is
 * allocated (a 2^40-element tensor must be an error, never an allocation). */
static int tensor_header(lctx *c, const ir_node *node, const Onnx__TensorProto *tp,
                         const char *name, int *type, int *rank, int64_t *dims) {
  int t = tp->has_data_type ? tp->data_type : ONNX_UNDEFINED;
  if (tp->has_data_location && tp->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL)
    return tensor_err(c, node, name, "data is stored in an external file, which is not "
                      "supported (save the model with its weights inside)");
  if (tp->n_external_data)
    return tensor_err(c, node, name, "external data is not supported (save the model "
                      "with its weights inside)");
  if (tp->segment) return tensor_err(c, node, name, "segmented tensors are not supported");
  if (t == ONNX_FLOAT16)
    return tensor_err(c, node, name, "element type float16 is not supported (convert "
                      "the model to float32)");
  if (elem_size(t) == 0)
    return tensor_err(c, node, name, "element type %s (%d) is not supported",
                      ir_onnx_type_name(t), t);
  if (tp->n_dims > IR_MAX_RANK)
    return tensor_err(c, node, name, "rank %zu is more than the %d we handle", tp->n_dims,
                      IR_MAX_RANK);
  int64_t numel = 1;
  bool over = false;
  for (size_t k = 0; k < tp->n_dims; k++) {
    int64_t d = tp->dims[k];
    if (d < 0) return tensor_err(c, node, name, "negative dimension %lld", (long long)d);
    if (d && numel > INT64_MAX / d) over = true;
    else numel *= d;
    dims[k] = d;
  }
  if (over || numel > IR_MAX_ELEMS) {
    char count[32], shape[IR_MAX_RANK * 21 + 3] = "[";
    snprintf(count, sizeof count, over ? "more than 2^63" : "%lld", (long long)numel);
    for (size_t k = 0; k < tp->n_dims; k++)
      snprintf(shape + strlen(shape), sizeof shape - strlen(shape), "%s%lld", k ? "," : "",
               (long long)dims[k]);
    strcat(shape, "]");
    return tensor_err(c, node, name, "shape %s has %s elements, more than the %lld we "
                      "handle", shape, count, (long long)IR_MAX_ELEMS);
  }
  *type = t;
  *rank = (int)tp->n_dims;
  return 0;
}

/* TensorProto -> ir_buf in arena a (raw_data little-endian or typed fields). */
static ir_buf *tensor_value(lctx *c, ir_arena *a, const ir_node *node,
                            const Onnx__TensorProto *tp) {
  const char *name = tp->name ? tp->name : "";
  int t = 0, rank = 0;
  int64_t dims[IR_MAX_RANK];
  if (tensor_header(c, node, tp, name, &t, &rank, dims)) return NULL;
  int store = t == ONNX_DOUBLE ? IR_F32 : ir_store_of(t);
  if (t == ONNX_UINT64) store = IR_I64;
  ir_buf *b = ir_buf_new(a, (ir_store)store, t == ONNX_DOUBLE ? ONNX_FLOAT : t, rank, dims);
  if (!b) {
    tensor_err(c, node, name, "cannot hold this tensor");
    return NULL;
  }
  int es = elem_size(t);
  bool raw = tp->has_raw_data || tp->raw_data.len;
  if (raw && (uint64_t)tp->raw_data.len != (uint64_t)b->n * (uint64_t)es) {
    tensor_err(c, node, name, "raw_data holds %zu bytes, but %lld %s elements need %lld",
               tp->raw_data.len, (long long)b->n, ir_onnx_type_name(t),
               (long long)(b->n * es));
    return NULL;
  }
  int64_t have = raw ? b->n : typed_count(tp, t);
  if (!raw && have != b->n) {
    tensor_err(c, node, name, "holds %lld values, but its shape needs %lld", (long long)have,
               (long long)b->n);
    return NULL;
  }
  for (int64_t k = 0; k < b->n; k++) {
    double d = 0;
    int64_t i = 0;
    int bad = raw ? raw_elem(t, tp->raw_data.data + k * es, &d, &i)
                  : typed_elem(tp, t, k, &d, &i);
    if (bad) {
      tensor_err(c, node, name, "uint64 value at index %lld does not fit in int64",
                 (long long)k);
      return NULL;
    }
    if (b->store == IR_F32) b->f[k] = (float)d;
    else b->i[k] = i;
  }
  if (t == ONNX_DOUBLE && !c->warned_double) {
    c->warned_double = true;
    ir_warnf(c->file, node, "tensor \"%s\" is float64; converted to float32 (later float64 "
             "tensors too)", name);
  }
  return b;
}

ir_buf *fe_read_tensor_pb(ir_arena *a, const char *path) {
  ir_arena *tmp = ir_arena_new();
  size_t len = 0;
  ir_buf *b = NULL;
  uint8_t *data = fe_read_file(tmp, path, &len);
  if (!data) goto out;
  if (len == 0) {
    ir_errorf(path, NULL, "empty file (expected an ONNX TensorProto)");
    goto out;
  }
  ProtobufCAllocator al = pb_allocator(tmp);
  Onnx__TensorProto *tp = onnx__tensor_proto__unpack(&al, len, data);
  if (!tp) {
    ir_errorf(path, NULL, "not an ONNX TensorProto (protobuf parse failed)");
    goto out;
  }
  lctx c = {path, NULL, false};
  b = tensor_value(&c, a, NULL, tp);
out:
  ir_arena_free(tmp);
  return b;
}

/* ------------------------------------------------- value infos, shapes -- */

/* Type and shape from a ValueInfoProto.  A dim_param, a missing dim_value or
 * a dim_value of 0 (as some exporters write for "unknown") is -1. */
static int value_info_shape(lctx *c, const Onnx__ValueInfoProto *vi, ir_tensor *t,
                            bool must_be_tensor) {
  const Onnx__TypeProto *tp = vi->type;
  if (!tp) return 0;
  if (tp->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE || !tp->tensor_type) {
    if (!must_be_tensor) return 0;
    return ir_errorf(c->file, NULL, "graph input/output \"%s\" is not a tensor (sequences, "
                     "maps and optionals are not supported)", t->name);
  }
  const Onnx__TypeProto__Tensor *tt = tp->tensor_type;
  if (t->init) return 0; /* the initializer's own type and shape win */
  if (tt->has_elem_type) t->onnx_type = tt->elem_type;
  if (!tt->shape) return 0;
  if (tt->shape->n_dim > IR_MAX_RANK)
    return ir_errorf(c->file, NULL, "tensor \"%s\" has rank %zu, more than the %d we handle",
                     t->name, tt->shape->n_dim, IR_MAX_RANK);
  t->rank = (int)tt->shape->n_dim;
  for (int k = 0; k < t->rank; k++) {
    const Onnx__TensorShapeProto__Dimension *d = tt->shape->dim[k];
    bool known = d && d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE &&
                 d->dim_value > 0;
    t->dims[k] = known ? d->dim_value : -1;
  }
  return fe_check_tensor_size(c->file, NULL, t);
}

/* ---------------------------------------------------------- attributes -- */

static const char *bytes_str(ir_arena *a, ProtobufCBinaryData s) {
  char *p = ir_alloc(a, s.len + 1);
  if (s.len) memcpy(p, s.data, s.len);
  return p;
}

/* Old exporters leave AttributeProto.type unset: guess it from the fields. */
static int attr_type(const Onnx__AttributeProto *ap) {
  if (ap->has_type) return ap->type;
  if (ap->t) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR;
  if (ap->n_floats) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS;
  if (ap->n_ints) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS;
  if (ap->n_strings) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS;
  if (ap->has_s) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING;
  if (ap->has_f) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT;
  if (ap->has_i) return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT;
  return ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__UNDEFINED;
}

static int convert_attr(lctx *c, ir_node *n, const Onnx__AttributeProto *ap, ir_attr *at) {
  ir_arena *a = c->g->arena;
  at->name = ir_strdup(a, ap->name ? ap->name : "");
  switch (attr_type(ap)) {
  case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT:
    at->kind = IR_ATTR_FLOAT;
    at->f = ap->f;
    break;
  case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT:
    at->kind = IR_ATTR_INT;
    at->i = ap->i;
    break;
  case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING:
    at->kind = IR_ATTR_STRING;
    at->s = bytes_str(a, ap->s);
    break;
  case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR:
    at->kind = IR_ATTR_TENSOR;
    if (!ap->t) return ir_errorf(c->file, n, "attribute '%s' has no tensor", at->name);
    if (!(at->t = tensor_value(c, a, n, ap->t))) return -1;
    break;
  case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS:
    at->kind = IR_ATTR_FLOATS;
    at->n = (int)ap->n_floats;
    at->floats = ir_alloc_array(a, ap->n_floats + 1, sizeof(float));
    if (ap->n_floats) memcpy(at->floats, ap->floats, ap->n_floats * sizeof(float));
    break;
  case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS:
    at->kind = IR_ATTR_INTS;
    at->n = (int)ap->n_ints;
    at->ints = ir_alloc_array(a, ap->n_ints + 1, sizeof(int64_t));
    if (ap->n_ints) memcpy(at->ints, ap->ints, ap->n_ints * sizeof(int64_t));
    break;
  case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS:
    at->kind = IR_ATTR_STRINGS;
    at->n = (int)ap->n_strings;
    at->strings = ir_alloc_array(a, ap->n_strings + 1, sizeof(char *));
    for (size_t k = 0; k < ap->n_strings; k++) at->strings[k] = bytes_str(a, ap->strings[k]);
    break;
  default:
    at->kind = IR_ATTR_OTHER; /* graphs, sparse tensors, type protos: kept by name only */
    break;
  }
  return 0;
}

/* --------------------------------------------------------------- nodes -- */

static bool empty(const char *s) { return !s || !*s; }

static int convert_node(lctx *c, const Onnx__NodeProto *np) {
  ir_graph *g = c->g;
  const char *op_type = np->op_type ? np->op_type : "";
  if (np->n_input > 1024 || np->n_output > 1024 || np->n_attribute > 1024)
    return ir_errorf(c->file, NULL, "node \"%s\" (%s) has more than 1024 inputs, outputs "
                     "or attributes", np->name ? np->name : "", op_type);
  ir_node *n = ir_add_node(g, np->name, op_type, np->domain, (int)np->n_input,
                           (int)np->n_output);
  for (int k = 0; k < n->nin; k++)
    n->in[k] = empty(np->input[k]) ? NULL : ir_get_tensor(g, np->input[k]);
  for (int k = 0; k < n->nout; k++)
    n->out[k] = empty(np->output[k]) ? NULL : ir_get_tensor(g, np->output[k]);
  n->nattrs = (int)np->n_attribute;
  n->attrs = ir_alloc_array(g->arena, np->n_attribute + 1, sizeof(ir_attr));
  for (int k = 0; k < n->nattrs; k++)
    if (convert_attr(c, n, np->attribute[k], &n->attrs[k])) return -1;
  return 0;
}

/* ------------------------------------------------------------- the graph -- */

static int convert_opset(lctx *c, const Onnx__ModelProto *m) {
  c->g->opset = -1; /* none imported; fe_check() decides whether that matters */
  for (size_t k = 0; k < m->n_opset_import; k++) {
    const Onnx__OperatorSetIdProto *o = m->opset_import[k];
    if (ir_domain_of(o->domain) == IR_DOM_ONNX && (empty(o->domain) ||
                                                   !strcmp(o->domain, "ai.onnx")))
      c->g->opset = o->has_version ? o->version : 0;
  }
  return 0;
}

static int convert_initializers(lctx *c, const Onnx__GraphProto *gp) {
  for (size_t k = 0; k < gp->n_initializer; k++) {
    const Onnx__TensorProto *tp = gp->initializer[k];
    if (empty(tp->name)) return ir_errorf(c->file, NULL, "initializer #%zu has no name", k);
    ir_tensor *t = ir_get_tensor(c->g, tp->name);
    if (t->init)
      return ir_errorf(c->file, NULL, "initializer \"%s\" is given twice", tp->name);
    if (!(t->init = tensor_value(c, c->g->arena, NULL, tp))) return -1;
    t->onnx_type = t->init->onnx_type;
    t->rank = t->init->rank;
    memcpy(t->dims, t->init->dims, sizeof t->dims);
  }
  return 0;
}

static int convert_io(lctx *c, const Onnx__GraphProto *gp) {
  ir_graph *g = c->g;
  g->inputs = ir_alloc_array(g->arena, gp->n_input + 1, sizeof(ir_tensor *));
  g->outputs = ir_alloc_array(g->arena, gp->n_output + 1, sizeof(ir_tensor *));
  for (size_t k = 0; k < gp->n_input; k++) {
    const Onnx__ValueInfoProto *vi = gp->input[k];
    if (empty(vi->name)) return ir_errorf(c->file, NULL, "graph input #%zu has no name", k);
    ir_tensor *t = ir_get_tensor(g, vi->name);
    if (t->init || t->is_input) continue; /* initializers listed as inputs are constants */
    t->is_input = true;
    g->inputs[g->ninputs++] = t;
    if (value_info_shape(c, vi, t, true)) return -1;
  }
  for (size_t k = 0; k < gp->n_output; k++) {
    const Onnx__ValueInfoProto *vi = gp->output[k];
    if (empty(vi->name)) return ir_errorf(c->file, NULL, "graph output #%zu has no name", k);
    ir_tensor *t = ir_get_tensor(g, vi->name);
    if (t->is_output) continue;
    t->is_output = true;
    g->outputs[g->noutputs++] = t;
    if (value_info_shape(c, vi, t, true)) return -1;
  }
  for (size_t k = 0; k < gp->n_value_info; k++) {
    const Onnx__ValueInfoProto *vi = gp->value_info[k];
    ir_tensor *t = empty(vi->name) ? NULL : ir_find_tensor(g, vi->name);
    if (t && !t->is_input && !t->is_output && value_info_shape(c, vi, t, false)) return -1;
  }
  return 0;
}

/* graph.quantization_annotation: finn_datatype -> dtype, tensor_layout -> layout. */
static int convert_annotations(lctx *c, const Onnx__GraphProto *gp) {
  for (size_t k = 0; k < gp->n_quantization_annotation; k++) {
    const Onnx__TensorAnnotation *an = gp->quantization_annotation[k];
    ir_tensor *t = ir_find_tensor(c->g, an->tensor_name);
    if (!t) continue; /* annotation of a tensor the graph does not use */
    for (size_t e = 0; e < an->n_quant_parameter_tensor_names; e++) {
      const Onnx__StringStringEntryProto *kv = an->quant_parameter_tensor_names[e];
      const char *key = kv->key ? kv->key : "", *val = kv->value ? kv->value : "";
      if (!strcmp(key, "finn_datatype")) {
        if (ir_dtype_parse(val, &t->dtype))
          return ir_errorf(c->file, NULL, "tensor \"%s\": unknown finn_datatype annotation "
                           "'%s'", t->name, val);
        t->dtype_annotated = true;
      } else if (!strcmp(key, "tensor_layout")) {
        t->layout = ir_strdup(c->g->arena, val);
      }
    }
  }
  return 0;
}

/* Names end up in one-line diagnostics: refuse control characters at once. */
static bool printable(const char *s) {
  for (; s && *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f) return false;
  return true;
}

static int bad_name(lctx *c, const char *what, size_t idx) {
  return ir_errorf(c->file, NULL, "%s #%zu has a name with control characters in it", what,
                   idx);
}

static int check_names(lctx *c, const Onnx__GraphProto *gp) {
  for (size_t k = 0; k < gp->n_node; k++) {
    const Onnx__NodeProto *np = gp->node[k];
    bool ok = printable(np->name) && printable(np->op_type) && printable(np->domain);
    for (size_t j = 0; ok && j < np->n_input; j++) ok = printable(np->input[j]);
    for (size_t j = 0; ok && j < np->n_output; j++) ok = printable(np->output[j]);
    for (size_t j = 0; ok && j < np->n_attribute; j++) ok = printable(np->attribute[j]->name);
    if (!ok) return bad_name(c, "node", k);
  }
  for (size_t k = 0; k < gp->n_initializer; k++)
    if (!printable(gp->initializer[k]->name)) return bad_name(c, "initializer", k);
  for (size_t k = 0; k < gp->n_input; k++)
    if (!printable(gp->input[k]->name)) return bad_name(c, "graph input", k);
  for (size_t k = 0; k < gp->n_output; k++)
    if (!printable(gp->output[k]->name)) return bad_name(c, "graph output", k);
  for (size_t k = 0; k < gp->n_value_info; k++)
    if (!printable(gp->value_info[k]->name)) return bad_name(c, "value_info", k);
  for (size_t k = 0; k < gp->n_quantization_annotation; k++) {
    const Onnx__TensorAnnotation *an = gp->quantization_annotation[k];
    bool ok = printable(an->tensor_name);
    for (size_t e = 0; ok && e < an->n_quant_parameter_tensor_names; e++)
      ok = printable(an->quant_parameter_tensor_names[e]->key) &&
           printable(an->quant_parameter_tensor_names[e]->value);
    if (!ok) return bad_name(c, "quantization annotation", k);
  }
  return 0;
}

static int convert_graph(lctx *c, const Onnx__ModelProto *m) {
  const Onnx__GraphProto *gp = m->graph;
  c->g->name = ir_strdup(c->g->arena, gp->name ? gp->name : "");
  if (check_names(c, gp)) return -1;
  if (convert_opset(c, m) || convert_initializers(c, gp) || convert_io(c, gp)) return -1;
  for (size_t k = 0; k < gp->n_node; k++)
    if (convert_node(c, gp->node[k])) return -1;
  /* value_info may name tensors that only nodes create: read it again now. */
  for (size_t k = 0; k < gp->n_value_info; k++) {
    const Onnx__ValueInfoProto *vi = gp->value_info[k];
    ir_tensor *t = empty(vi->name) ? NULL : ir_find_tensor(c->g, vi->name);
    if (t && !t->is_input && !t->is_output && t->rank < 0 &&
        value_info_shape(c, vi, t, false))
      return -1;
  }
  return convert_annotations(c, gp);
}

static const Onnx__ModelProto *parse_model(const char *path, ir_arena *tmp,
                                           const uint8_t *data, size_t len) {
  if (len == 0) {
    ir_errorf(path, NULL, "empty file (not an ONNX model)");
    return NULL;
  }
  ProtobufCAllocator al = pb_allocator(tmp);
  Onnx__ModelProto *m = onnx__model_proto__unpack(&al, len, data);
  if (!m) {
    ir_errorf(path, NULL, "not an ONNX model (protobuf parse failed)");
    return NULL;
  }
  if (!m->graph) {
    if (!m->has_ir_version && !m->n_opset_import)
      ir_errorf(path, NULL, "not an ONNX model (no graph, no ir_version, no opset_import)");
    else
      ir_errorf(path, NULL, "model has no graph");
    return NULL;
  }
  return m;
}

ir_graph *fe_load_bytes(const char *path, const uint8_t *data, size_t len) {
  ir_arena *tmp = ir_arena_new();
  const Onnx__ModelProto *m = parse_model(path, tmp, data, len);
  ir_graph *g = NULL;
  if (m) {
    g = ir_graph_new(path);
    lctx c = {g->file, g, false};
    if (convert_graph(&c, m)) {
      ir_graph_free(g);
      g = NULL;
    }
  }
  ir_arena_free(tmp); /* the protobuf structs go; the graph keeps its own copies */
  if (g && (fe_check(g) || ir_toposort(g))) {
    ir_graph_free(g);
    g = NULL;
  }
  return g;
}

ir_graph *fe_load(const char *path) {
  ir_arena *tmp = ir_arena_new();
  size_t len = 0;
  uint8_t *data = fe_read_file(tmp, path, &len);
  ir_graph *g = data ? fe_load_bytes(path, data, len) : NULL;
  ir_arena_free(tmp);
  return g;
}
