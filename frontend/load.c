/* load.c - ONNX protobuf -> ir_graph (placeholder until implemented). */
#include "frontend/frontend.h"
ir_graph *fe_load(const char *path) {
  ir_errorf(path, NULL, "loader not implemented yet");
  return NULL;
}
ir_graph *fe_load_bytes(const char *path, const uint8_t *data, size_t len) {
  (void)data; (void)len;
  return fe_load(path);
}
ir_buf *fe_read_tensor_pb(ir_arena *a, const char *path) {
  (void)a;
  ir_errorf(path, NULL, "TensorProto reader not implemented yet");
  return NULL;
}
