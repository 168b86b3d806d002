/* npy.c - .npy reader/writer (placeholder until implemented). */
#include "frontend/frontend.h"
ir_buf *fe_read_npy(ir_arena *a, const char *path) {
  (void)a;
  ir_errorf(path, NULL, ".npy reader not implemented yet");
  return NULL;
}
ir_buf *fe_read_npy_bytes(ir_arena *a, const char *path, const uint8_t *data, size_t len) {
  (void)data; (void)len;
  return fe_read_npy(a, path);
}
int fe_write_npy(const char *path, const ir_buf *b) {
  (void)b;
  return ir_errorf(path, NULL, ".npy writer not implemented yet");
}
ir_buf *fe_read_tensor(ir_arena *a, const char *path) { return fe_read_npy(a, path); }
