/* fuzz_npy.c - libFuzzer target: .npy bytes through fe_read_npy_bytes.
 * Oracle (fuzz_common.h): no crash or sanitizer report, one error line per
 * rejection; an accepted array is consistent (rank, dims, n = product of
 * dims, the buffer of its store) and survives fe_write_npy -> fe_read_npy
 * bit for bit. */
#include "frontend/frontend.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  ir_verbosity = 0;
  return 0;
}

static void check_roundtrip(ir_arena *a, const ir_buf *b) {
  if (b->rank < 0 || b->rank > IR_MAX_RANK) fz_fail("fe_read_npy_bytes", "rank out of range");
  int64_t n = 1;
  for (int i = 0; i < b->rank; i++) {
    if (b->dims[i] < 0) fz_fail("fe_read_npy_bytes", "negative dimension");
    n *= b->dims[i];
  }
  if (n != b->n || n > IR_MAX_ELEMS) fz_fail("fe_read_npy_bytes", "n is not the product of dims");
  if (b->n && !(b->store == IR_F32 ? (void *)b->f : (void *)b->i))
    fz_fail("fe_read_npy_bytes", "no data buffer");
  if (b->n > 1 << 20) return; /* keep the round trip cheap */
  char path[300];
  snprintf(path, sizeof path, "%s/rt.npy", fz_scratch());
  if (fe_write_npy(path, b)) fz_fail("fe_write_npy", "cannot write an array the reader accepted");
  ir_buf *r = fe_read_npy(a, path);
  if (!r) fz_fail("fe_read_npy", "cannot read back what fe_write_npy wrote");
  size_t es = b->store == IR_F32 ? sizeof(float) : sizeof(int64_t);
  if (r->store != b->store || r->rank != b->rank || r->n != b->n ||
      memcmp(r->dims, b->dims, sizeof(int64_t) * (size_t)b->rank) ||
      (b->n && memcmp(b->store == IR_F32 ? (void *)r->f : (void *)r->i,
                      b->store == IR_F32 ? (void *)b->f : (void *)b->i, es * (size_t)b->n)))
    fz_fail("fe_write_npy", "write + read does not give the same array back");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ir_arena *a = ir_arena_new();
  fz_begin();
  ir_buf *b = fe_read_npy_bytes(a, "fuzz.npy", data, size);
  if (b) check_roundtrip(a, b);
  fz_end(!b, "fe_read_npy_bytes");
  ir_arena_free(a);
  return 0;
}
