/* onnx_build.c - building ONNX/QONNX ModelProtos with protobuf-c, and writing
 * them atomically.  See onnx_build.h.  No checking of the graph on purpose:
 * tests use this to write broken models. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "frontend/onnx_build.h"

struct ob_model {
  ir_arena *arena;
  Onnx__ModelProto *model;
  Onnx__GraphProto *graph;
  int typed_data;
};

/* ------------------------------------------------------------- helpers -- */

/* Append item to a protobuf-c repeated field (pointer array + count).  The
 * array is copied each time, so arrays edited by hand stay valid. */
static void append(ir_arena *a, void *arr_field, size_t *count, void *item) {
  void ***arr = arr_field;
  void **next = ir_alloc_array(a, *count + 1, sizeof(void *));
  if (*count) memcpy(next, *arr, *count * sizeof(void *));
  next[(*count)++] = item;
  *arr = next;
}

static char *sdup(ob_model *m, const char *s) { return ir_strdup(m->arena, s ? s : ""); }

ob_model *ob_new(const char *graph_name) {
  ir_arena *a = ir_arena_new();
  ob_model *m = ir_alloc(a, sizeof *m);
  m->arena = a;
  m->model = ir_alloc(a, sizeof *m->model);
  onnx__model_proto__init(m->model);
  m->graph = ir_alloc(a, sizeof *m->graph);
  onnx__graph_proto__init(m->graph);
  m->graph->name = sdup(m, graph_name);
  m->model->graph = m->graph;
  m->model->has_ir_version = 1;
  m->model->ir_version = 7;
  m->model->producer_name = sdup(m, "qonnx-rtl");
  m->model->producer_version = sdup(m, "0.1");
  return m;
}

void ob_free(ob_model *m) {
  if (m) ir_arena_free(m->arena);
}

ir_arena *ob_arena(ob_model *m) { return m->arena; }
Onnx__ModelProto *ob_proto(ob_model *m) { return m->model; }

void ob_set_ir_version(ob_model *m, int64_t v) {
  m->model->has_ir_version = 1;
  m->model->ir_version = v;
}

void ob_set_producer(ob_model *m, const char *name, const char *version) {
  m->model->producer_name = sdup(m, name);
  m->model->producer_version = sdup(m, version);
}

void ob_set_doc(ob_model *m, const char *doc) { m->model->doc_string = sdup(m, doc); }

void ob_opset(ob_model *m, const char *domain, int64_t version) {
  const char *d = domain ? domain : "";
  for (size_t i = 0; i < m->model->n_opset_import; i++) {
    Onnx__OperatorSetIdProto *o = m->model->opset_import[i];
    if (!strcmp(o->domain ? o->domain : "", d)) {
      o->version = version;
      return;
    }
  }
  Onnx__OperatorSetIdProto *o = ir_alloc(m->arena, sizeof *o);
  onnx__operator_set_id_proto__init(o);
  o->domain = sdup(m, d);
  o->has_version = 1;
  o->version = version;
  append(m->arena, &m->model->opset_import, &m->model->n_opset_import, o);
}

static Onnx__StringStringEntryProto *entry(ob_model *m, const char *k, const char *v) {
  Onnx__StringStringEntryProto *e = ir_alloc(m->arena, sizeof *e);
  onnx__string_string_entry_proto__init(e);
  e->key = sdup(m, k);
  e->value = sdup(m, v);
  return e;
}

void ob_metadata(ob_model *m, const char *key, const char *value) {
  append(m->arena, &m->model->metadata_props, &m->model->n_metadata_props,
         entry(m, key, value));
}

/* --------------------------------------------------------- value infos -- */

static Onnx__ValueInfoProto *value_info(ob_model *m, const char *name, int elem_type,
                                        int rank, const int64_t *dims) {
  Onnx__ValueInfoProto *vi = ir_alloc(m->arena, sizeof *vi);
  onnx__value_info_proto__init(vi);
  vi->name = sdup(m, name);
  Onnx__TypeProto *tp = ir_alloc(m->arena, sizeof *tp);
  onnx__type_proto__init(tp);
  Onnx__TypeProto__Tensor *tt = ir_alloc(m->arena, sizeof *tt);
  onnx__type_proto__tensor__init(tt);
  tt->has_elem_type = 1;
  tt->elem_type = elem_type;
  if (rank >= 0) {
    Onnx__TensorShapeProto *sh = ir_alloc(m->arena, sizeof *sh);
    onnx__tensor_shape_proto__init(sh);
    for (int i = 0; i < rank; i++) {
      Onnx__TensorShapeProto__Dimension *d = ir_alloc(m->arena, sizeof *d);
      onnx__tensor_shape_proto__dimension__init(d);
      if (dims[i] >= 0) {
        d->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE;
        d->dim_value = dims[i];
      } else {
        d->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM;
        d->dim_param = i == 0 ? sdup(m, "N") : ir_sprintf(m->arena, "d%d", i);
      }
      append(m->arena, &sh->dim, &sh->n_dim, d);
    }
    tt->shape = sh;
  }
  tp->value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE;
  tp->tensor_type = tt;
  vi->type = tp;
  return vi;
}

Onnx__ValueInfoProto *ob_input(ob_model *m, const char *name, int elem_type, int rank,
                               const int64_t *dims) {
  Onnx__ValueInfoProto *vi = value_info(m, name, elem_type, rank, dims);
  append(m->arena, &m->graph->input, &m->graph->n_input, vi);
  return vi;
}

Onnx__ValueInfoProto *ob_output(ob_model *m, const char *name, int elem_type, int rank,
                                const int64_t *dims) {
  Onnx__ValueInfoProto *vi = value_info(m, name, elem_type, rank, dims);
  append(m->arena, &m->graph->output, &m->graph->n_output, vi);
  return vi;
}

Onnx__ValueInfoProto *ob_value_info(ob_model *m, const char *name, int elem_type,
                                    int rank, const int64_t *dims) {
  Onnx__ValueInfoProto *vi = value_info(m, name, elem_type, rank, dims);
  append(m->arena, &m->graph->value_info, &m->graph->n_value_info, vi);
  return vi;
}

/* -------------------------------------------------------------- tensors -- */

void ob_set_typed_data(ob_model *m, int typed) { m->typed_data = typed; }

static Onnx__TensorProto *tensor_head(ob_model *m, const char *name, int data_type,
                                      int rank, const int64_t *dims) {
  Onnx__TensorProto *t = ir_alloc(m->arena, sizeof *t);
  onnx__tensor_proto__init(t);
  t->name = sdup(m, name);
  t->has_data_type = 1;
  t->data_type = data_type;
  if (rank > 0) {
    t->n_dims = (size_t)rank;
    t->dims = ir_alloc_array(m->arena, (size_t)rank, sizeof(int64_t));
    memcpy(t->dims, dims, (size_t)rank * sizeof(int64_t));
  }
  return t;
}

static size_t numel(int rank, const int64_t *dims) {
  int64_t n = ir_shape_numel(rank, dims);
  return n < 0 ? 0 : (size_t)n;
}

/* Little-endian bytes of n 4- or 8-byte values (float / int64) from `words`,
 * whatever the host byte order. */
static void set_raw_le(ob_model *m, Onnx__TensorProto *t, const void *words, size_t n,
                       size_t size) {
  uint8_t *raw = ir_alloc_array(m->arena, n ? n : 1, size);
  const uint8_t *src = words;
  for (size_t i = 0; i < n; i++) {
    uint64_t v;
    if (size == 4) {
      uint32_t w;
      memcpy(&w, src + i * 4, 4);
      v = w;
    } else {
      memcpy(&v, src + i * 8, 8);
    }
    for (size_t b = 0; b < size; b++) raw[i * size + b] = (uint8_t)(v >> (8 * b));
  }
  t->has_raw_data = 1;
  t->raw_data.data = raw;
  t->raw_data.len = n * size;
}

Onnx__TensorProto *ob_tensor_f32(ob_model *m, const char *name, int rank,
                                 const int64_t *dims, const float *data) {
  Onnx__TensorProto *t = tensor_head(m, name, ONNX_FLOAT, rank, dims);
  size_t n = numel(rank, dims);
  if (m->typed_data) {
    t->n_float_data = n;
    t->float_data = ir_alloc_array(m->arena, n ? n : 1, sizeof(float));
    if (n) memcpy(t->float_data, data, n * sizeof(float));
  } else {
    set_raw_le(m, t, data, n, sizeof(float));
  }
  return t;
}

Onnx__TensorProto *ob_tensor_i64(ob_model *m, const char *name, int rank,
                                 const int64_t *dims, const int64_t *data) {
  Onnx__TensorProto *t = tensor_head(m, name, ONNX_INT64, rank, dims);
  size_t n = numel(rank, dims);
  if (m->typed_data) {
    t->n_int64_data = n;
    t->int64_data = ir_alloc_array(m->arena, n ? n : 1, sizeof(int64_t));
    if (n) memcpy(t->int64_data, data, n * sizeof(int64_t));
  } else {
    set_raw_le(m, t, data, n, sizeof(int64_t));
  }
  return t;
}

static Onnx__TensorProto *add_init(ob_model *m, Onnx__TensorProto *t) {
  append(m->arena, &m->graph->initializer, &m->graph->n_initializer, t);
  return t;
}

Onnx__TensorProto *ob_init_f32(ob_model *m, const char *name, int rank,
                               const int64_t *dims, const float *data) {
  return add_init(m, ob_tensor_f32(m, name, rank, dims, data));
}

Onnx__TensorProto *ob_init_i64(ob_model *m, const char *name, int rank,
                               const int64_t *dims, const int64_t *data) {
  return add_init(m, ob_tensor_i64(m, name, rank, dims, data));
}

Onnx__TensorProto *ob_init_scalar_f32(ob_model *m, const char *name, float v) {
  return ob_init_f32(m, name, 0, NULL, &v);
}

Onnx__TensorProto *ob_init_raw(ob_model *m, const char *name, int data_type, int rank,
                               const int64_t *dims, const void *bytes, size_t len) {
  Onnx__TensorProto *t = tensor_head(m, name, data_type, rank, dims);
  uint8_t *raw = ir_alloc(m->arena, len ? len : 1);
  if (len) memcpy(raw, bytes, len);
  t->has_raw_data = 1;
  t->raw_data.data = raw;
  t->raw_data.len = len;
  return add_init(m, t);
}

/* ---------------------------------------------------------------- nodes -- */

/* Split "a,,b" into fields; NULL or "" gives none. */
static int split_names(ob_model *m, const char *list, char ***out) {
  *out = NULL;
  if (!list || !*list) return 0;
  int n = 1;
  for (const char *p = list; *p; p++) n += *p == ',';
  char **v = ir_alloc_array(m->arena, (size_t)n, sizeof(char *));
  const char *start = list;
  for (int i = 0; i < n; i++) {
    const char *end = strchr(start, ',');
    size_t len = end ? (size_t)(end - start) : strlen(start);
    v[i] = ir_alloc(m->arena, len + 1);
    memcpy(v[i], start, len);
    start = end ? end + 1 : start + len;
  }
  *out = v;
  return n;
}

Onnx__NodeProto *ob_node_v(ob_model *m, const char *name, const char *op_type,
                           const char *domain, int nin, const char *const *in, int nout,
                           const char *const *out) {
  Onnx__NodeProto *n = ir_alloc(m->arena, sizeof *n);
  onnx__node_proto__init(n);
  n->name = sdup(m, name);
  n->op_type = sdup(m, op_type);
  n->domain = sdup(m, domain);
  for (int i = 0; i < nin; i++) append(m->arena, &n->input, &n->n_input, sdup(m, in[i]));
  for (int i = 0; i < nout; i++)
    append(m->arena, &n->output, &n->n_output, sdup(m, out[i]));
  append(m->arena, &m->graph->node, &m->graph->n_node, n);
  return n;
}

Onnx__NodeProto *ob_node(ob_model *m, const char *name, const char *op_type,
                         const char *domain, const char *inputs, const char *outputs) {
  char **in, **out;
  int nin = split_names(m, inputs, &in);
  int nout = split_names(m, outputs, &out);
  return ob_node_v(m, name, op_type, domain, nin, (const char *const *)in, nout,
                   (const char *const *)out);
}

/* ----------------------------------------------------------- attributes -- */

Onnx__AttributeProto *ob_attr_bare(ob_model *m, Onnx__NodeProto *n, const char *name,
                                   Onnx__AttributeProto__AttributeType type) {
  Onnx__AttributeProto *a = ir_alloc(m->arena, sizeof *a);
  onnx__attribute_proto__init(a);
  a->name = sdup(m, name);
  a->has_type = 1;
  a->type = type;
  append(m->arena, &n->attribute, &n->n_attribute, a);
  return a;
}

Onnx__AttributeProto *ob_attr_int(ob_model *m, Onnx__NodeProto *n, const char *name,
                                  int64_t v) {
  Onnx__AttributeProto *a = ob_attr_bare(m, n, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT);
  a->has_i = 1;
  a->i = v;
  return a;
}

Onnx__AttributeProto *ob_attr_float(ob_model *m, Onnx__NodeProto *n, const char *name,
                                    float v) {
  Onnx__AttributeProto *a =
      ob_attr_bare(m, n, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT);
  a->has_f = 1;
  a->f = v;
  return a;
}

static ProtobufCBinaryData bytes_of(ob_model *m, const char *s) {
  ProtobufCBinaryData b;
  b.len = strlen(s ? s : "");
  b.data = (uint8_t *)sdup(m, s);
  return b;
}

Onnx__AttributeProto *ob_attr_str(ob_model *m, Onnx__NodeProto *n, const char *name,
                                  const char *v) {
  Onnx__AttributeProto *a =
      ob_attr_bare(m, n, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING);
  a->has_s = 1;
  a->s = bytes_of(m, v);
  return a;
}

Onnx__AttributeProto *ob_attr_ints(ob_model *m, Onnx__NodeProto *n, const char *name,
                                   int count, const int64_t *v) {
  Onnx__AttributeProto *a = ob_attr_bare(m, n, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS);
  a->n_ints = count > 0 ? (size_t)count : 0;
  a->ints = ir_alloc_array(m->arena, a->n_ints + 1, sizeof(int64_t));
  if (a->n_ints) memcpy(a->ints, v, a->n_ints * sizeof(int64_t));
  return a;
}

Onnx__AttributeProto *ob_attr_floats(ob_model *m, Onnx__NodeProto *n, const char *name,
                                     int count, const float *v) {
  Onnx__AttributeProto *a =
      ob_attr_bare(m, n, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS);
  a->n_floats = count > 0 ? (size_t)count : 0;
  a->floats = ir_alloc_array(m->arena, a->n_floats + 1, sizeof(float));
  if (a->n_floats) memcpy(a->floats, v, a->n_floats * sizeof(float));
  return a;
}

Onnx__AttributeProto *ob_attr_strs(ob_model *m, Onnx__NodeProto *n, const char *name,
                                   int count, const char *const *v) {
  Onnx__AttributeProto *a =
      ob_attr_bare(m, n, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS);
  a->n_strings = count > 0 ? (size_t)count : 0;
  a->strings = ir_alloc_array(m->arena, a->n_strings + 1, sizeof(ProtobufCBinaryData));
  for (size_t i = 0; i < a->n_strings; i++) a->strings[i] = bytes_of(m, v[i]);
  return a;
}

Onnx__AttributeProto *ob_attr_tensor(ob_model *m, Onnx__NodeProto *n, const char *name,
                                     Onnx__TensorProto *t) {
  Onnx__AttributeProto *a =
      ob_attr_bare(m, n, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR);
  a->t = t;
  return a;
}

Onnx__AttributeProto *ob_attr_graph(ob_model *m, Onnx__NodeProto *n, const char *name,
                                    const char *graph_name) {
  Onnx__AttributeProto *a =
      ob_attr_bare(m, n, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPH);
  Onnx__GraphProto *g = ir_alloc(m->arena, sizeof *g);
  onnx__graph_proto__init(g);
  g->name = sdup(m, graph_name);
  a->g = g;
  return a;
}

/* ----------------------------------------------------------- annotation -- */

void ob_annotate(ob_model *m, const char *tensor, const char *key, const char *value) {
  Onnx__GraphProto *g = m->graph;
  Onnx__TensorAnnotation *ta = NULL;
  for (size_t i = 0; i < g->n_quantization_annotation && !ta; i++)
    if (!strcmp(g->quantization_annotation[i]->tensor_name, tensor))
      ta = g->quantization_annotation[i];
  if (!ta) {
    ta = ir_alloc(m->arena, sizeof *ta);
    onnx__tensor_annotation__init(ta);
    ta->tensor_name = sdup(m, tensor);
    append(m->arena, &g->quantization_annotation, &g->n_quantization_annotation, ta);
  }
  append(m->arena, &ta->quant_parameter_tensor_names, &ta->n_quant_parameter_tensor_names,
         entry(m, key, value));
}

/* -------------------------------------------------------------- writing -- */

uint8_t *ob_pack(ob_model *m, size_t *len) {
  size_t n = onnx__model_proto__get_packed_size(m->model);
  uint8_t *buf = ir_alloc(m->arena, n ? n : 1);
  *len = onnx__model_proto__pack(m->model, buf);
  return buf;
}

static int write_all(int fd, const uint8_t *p, size_t len) {
  while (len) {
    ssize_t k = write(fd, p, len);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    p += k;
    len -= (size_t)k;
  }
  return 0;
}

int ob_write_file_atomic(const char *path, const void *data, size_t len) {
  static unsigned counter;
  char tmp[4096];
  int fd = -1;
  for (int tries = 0; fd < 0 && tries < 100; tries++) {
    int k = snprintf(tmp, sizeof tmp, "%s.tmp.%ld.%u", path, (long)getpid(), counter++);
    if (k < 0 || (size_t)k >= sizeof tmp) return ir_errorf(path, NULL, "path too long");
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) return ir_errorf(path, NULL, "cannot create temporary file: %s", strerror(errno));
  if (write_all(fd, data, len) < 0) {
    int e = errno;
    close(fd);
    unlink(tmp);
    return ir_errorf(path, NULL, "cannot write: %s", strerror(e ? e : EIO));
  }
  if (close(fd) < 0) {
    int e = errno;
    unlink(tmp);
    return ir_errorf(path, NULL, "cannot write: %s", strerror(e));
  }
  if (rename(tmp, path) < 0) {
    int e = errno;
    unlink(tmp);
    return ir_errorf(path, NULL, "cannot rename temporary file into place: %s", strerror(e));
  }
  return 0;
}

int ob_write(ob_model *m, const char *path) {
  size_t len;
  uint8_t *buf = ob_pack(m, &len);
  return ob_write_file_atomic(path, buf, len);
}
