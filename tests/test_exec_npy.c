/* test_exec_npy.c - .npy reader and writer: files numpy wrote (every dtype we read,
 * format versions 1-3, big-endian, float16), byte-identical writer output,
 * malformed headers rejected with a message, a seeded mutation fuzz (no crash, no
 * sanitizer report), and the atomic write leaving nothing behind on failure.
 *
 * The byte strings below were written by Debian's numpy 1.24.2 (np.save /
 * np.lib.format.write_array); they are the reference. */
#include <dirent.h>
#include <math.h>
#include <sys/stat.h>

#include "frontend/frontend.h"
#include "tests/test_exec_util.h"

/* np.save([[1.5, -2.0, 3.0]]) with numpy 1.24.2 */
static const char ref_f4_1x3[] = "\223NUMPY\001\000v\000{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }                                                          \012\000\000\300\077\000\000\000\300\000\000@@";
#define REF_F4_1X3_LEN 140
/* np.save([7, -1]) with numpy 1.24.2 */
static const char ref_i8_2[] = "\223NUMPY\001\000v\000{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }                                                            \012\007\000\000\000\000\000\000\000\377\377\377\377\377\377\377\377";
#define REF_I8_2_LEN 144
/* np.save(2.5) with numpy 1.24.2 */
static const char ref_f4_scalar[] = "\223NUMPY\001\000v\000{'descr': '<f4', 'fortran_order': False, 'shape': (), }                                                              \012\000\000 @";
#define REF_F4_SCALAR_LEN 132
/* np.save(np.array([[0.1, -1e+300], [3.0, 4.0]], dtype='<f8')) */
static const char rd_f8[] = "\223NUMPY\001\000v\000{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }                                                          \012\232\231\231\231\231\231\271\077\234u\000\210<\3447\376\000\000\000\000\000\000\010@\000\000\000\000\000\000\020@";
#define RD_F8_LEN 160
/* np.save(np.array([-128, 127, 0], dtype='|i1')) */
static const char rd_i1[] = "\223NUMPY\001\000v\000{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }                                                            \012\200\177\000";
#define RD_I1_LEN 131
/* np.save(np.array([0, 255], dtype='|u1')) */
static const char rd_u1[] = "\223NUMPY\001\000v\000{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }                                                            \012\000\377";
#define RD_U1_LEN 130
/* np.save(np.array([65535, 1], dtype='<u2')) */
static const char rd_u2[] = "\223NUMPY\001\000v\000{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }                                                            \012\377\377\001\000";
#define RD_U2_LEN 132
/* np.save(np.array([-32768, 5], dtype='<i2')) */
static const char rd_i2[] = "\223NUMPY\001\000v\000{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }                                                            \012\000\200\005\000";
#define RD_I2_LEN 132
/* np.save(np.array([-2147483648, 7], dtype='<i4')) */
static const char rd_i4[] = "\223NUMPY\001\000v\000{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }                                                            \012\000\000\000\200\007\000\000\000";
#define RD_I4_LEN 136
/* np.save(np.array([4294967295], dtype='<u4')) */
static const char rd_u4[] = "\223NUMPY\001\000v\000{'descr': '<u4', 'fortran_order': False, 'shape': (1,), }                                                            \012\377\377\377\377";
#define RD_U4_LEN 132
/* np.save(np.array([9223372036854775807], dtype='<u8')) */
static const char rd_u8[] = "\223NUMPY\001\000v\000{'descr': '<u8', 'fortran_order': False, 'shape': (1,), }                                                            \012\377\377\377\377\377\377\377\177";
#define RD_U8_LEN 136
/* np.save(np.array([True, False, True], dtype='|b1')) */
static const char rd_b1[] = "\223NUMPY\001\000v\000{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }                                                            \012\001\000\001";
#define RD_B1_LEN 131
/* np.save(np.array([1.5, -0.25], dtype='>f4')) */
static const char rd_bf4[] = "\223NUMPY\001\000v\000{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }                                                            \012\077\300\000\000\276\200\000\000";
#define RD_BF4_LEN 136
/* np.save(np.array([1.5, -65504.0, 5.960464477539063e-08], dtype='<f2')) */
static const char rd_f2[] = "\223NUMPY\001\000v\000{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }                                                            \012\000>\377\373\001\000";
#define RD_F2_LEN 134
/* np.save(np.array([[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]], [[12.0, 13.0, 14.0, 15.0], [16.0, 17.0, 18.0, 19.0], [20.0, 21.0, 22.0, 23.0]]], dtype='<f4')) */
static const char rd_f4_3d[] = "\223NUMPY\001\000v\000{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }                                                       \012\000\000\000\000\000\000\200\077\000\000\000@\000\000@@\000\000\200@\000\000\240@\000\000\300@\000\000\340@\000\000\000A\000\000\020A\000\000 A\000\0000A\000\000@A\000\000PA\000\000`A\000\000pA\000\000\200A\000\000\210A\000\000\220A\000\000\230A\000\000\240A\000\000\250A\000\000\260A\000\000\270A";
#define RD_F4_3D_LEN 224
/* version 2.0 of [1, 2] <f4 */
static const char rd_v2[] = "\223NUMPY\002\000t\000\000\000{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }                                                          \012\000\000\200\077\000\000\000@";
#define RD_V2_LEN 136
/* version 3.0 of [1, 2] <f4 */
static const char rd_v3[] = "\223NUMPY\003\000t\000\000\000{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }                                                          \012\000\000\200\077\000\000\000@";
#define RD_V3_LEN 136
/* Fortran-order 2x3 */
static const char rd_fortran[] = "\223NUMPY\001\000v\000{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }                                                           \012\000\000\000\000\000\000@@\000\000\200\077\000\000\200@\000\000\000@\000\000\240@";
#define RD_FORTRAN_LEN 152

static ir_arena *A;

static ir_buf *rd(const char *data, size_t len) {
  return fe_read_npy_bytes(A, "mem.npy", (const uint8_t *)data, len);
}

static int shape_is(const ir_buf *b, int rank, int64_t d0, int64_t d1, int64_t d2) {
  int64_t d[3] = {d0, d1, d2};
  if (!b || b->rank != rank) return 0;
  for (int i = 0; i < rank && i < 3; i++)
    if (b->dims[i] != d[i]) return 0;
  return 1;
}

static void test_read_numpy_files(void) {
  int before = t_fail;
  ir_buf *b = rd(rd_f8, RD_F8_LEN);
  check(shape_is(b, 2, 2, 2, 0) && b->store == IR_F32 && b->f[0] == 0.1f &&
            isinf(b->f[1]) && b->f[1] < 0 && b->f[3] == 4.0f,
        "<f8 2x2 -> float32 (0.1, -1e300 -> -inf)");
  b = rd(rd_i1, RD_I1_LEN);
  check(shape_is(b, 1, 3, 0, 0) && b->store == IR_I64 && b->onnx_type == ONNX_INT8 &&
            b->i[0] == -128 && b->i[1] == 127 && b->i[2] == 0,
        "|i1 sign extension");
  b = rd(rd_u1, RD_U1_LEN);
  check(b && b->onnx_type == ONNX_UINT8 && b->i[0] == 0 && b->i[1] == 255, "|u1");
  b = rd(rd_u2, RD_U2_LEN);
  check(b && b->i[0] == 65535 && b->i[1] == 1, "<u2");
  b = rd(rd_i2, RD_I2_LEN);
  check(b && b->i[0] == -32768 && b->i[1] == 5, "<i2");
  b = rd(rd_i4, RD_I4_LEN);
  check(b && b->onnx_type == ONNX_INT32 && b->i[0] == -2147483648LL && b->i[1] == 7, "<i4");
  b = rd(rd_u4, RD_U4_LEN);
  check(b && b->i[0] == 4294967295LL, "<u4");
  b = rd(rd_u8, RD_U8_LEN);
  check(b && b->i[0] == INT64_MAX, "<u8 2^63-1");
  b = rd(rd_b1, RD_B1_LEN);
  check(b && b->onnx_type == ONNX_BOOL && b->i[0] == 1 && b->i[1] == 0 && b->i[2] == 1, "|b1");
  b = rd(rd_bf4, RD_BF4_LEN);
  check(b && b->f[0] == 1.5f && b->f[1] == -0.25f, ">f4 big-endian");
  b = rd(rd_f2, RD_F2_LEN);
  check(b && b->f[0] == 1.5f && b->f[1] == -65504.0f && fabsf(b->f[2] - 5.96e-8f) < 1e-9f,
        "<f2 (incl. subnormal)");
  b = rd(rd_f4_3d, RD_F4_3D_LEN);
  int ok = shape_is(b, 3, 2, 3, 4);
  for (int i = 0; ok && i < 24; i++) ok = b->f[i] == (float)i;
  check(ok, "<f4 2x3x4 C order");
  b = rd(rd_v2, RD_V2_LEN);
  check(b && b->n == 2 && b->f[1] == 2.0f, "format version 2.0");
  b = rd(rd_v3, RD_V3_LEN);
  check(b && b->n == 2 && b->f[1] == 2.0f, "format version 3.0");
  b = rd(ref_f4_scalar, REF_F4_SCALAR_LEN);
  check(b && b->rank == 0 && b->n == 1 && b->f[0] == 2.5f, "0-d array");
  printf("read: 15 numpy-written files (f2 f4 f8 >f4 i1 i2 i4 u1 u2 u4 u8 b1, v1/v2/v3, 0-d, "
         "3-d) %s\n",
         t_fail == before ? "ok" : "FAILED");
}

/* Writer output must be byte-identical to numpy's np.save. */
static void test_write_like_numpy(const char *dir) {
  int before = t_fail;
  struct {
    const char *ref;
    size_t len;
    ir_buf *b;
  } w[3];
  int64_t d13[2] = {1, 3}, d2 = 2;
  w[0].b = t_buf(A, 2, d13, (const float[]){1.5f, -2.0f, 3.0f});
  w[0].ref = ref_f4_1x3;
  w[0].len = REF_F4_1X3_LEN;
  w[1].b = ir_buf_new(A, IR_I64, ONNX_INT64, 1, &d2);
  w[1].b->i[0] = 7;
  w[1].b->i[1] = -1;
  w[1].ref = ref_i8_2;
  w[1].len = REF_I8_2_LEN;
  w[2].b = t_scalar(A, 2.5f);
  w[2].ref = ref_f4_scalar;
  w[2].len = REF_F4_SCALAR_LEN;
  for (int k = 0; k < 3; k++) {
    char *path = ir_sprintf(A, "%s/w%d.npy", dir, k);
    check(fe_write_npy(path, w[k].b) == 0, "write %s", path);
    FILE *f = fopen(path, "rb");
    char got[512];
    size_t n = f ? fread(got, 1, sizeof got, f) : 0;
    if (f) fclose(f);
    check(n == w[k].len && !memcmp(got, w[k].ref, n), "writer bytes == np.save bytes (%d)", k);
    ir_buf *back = fe_read_npy(A, path);
    check(back && back->n == w[k].b->n && back->store == w[k].b->store, "read back %d", k);
  }
  printf("write: f4 [1,3], i8 [2], f4 scalar byte-identical to np.save %s\n",
         t_fail == before ? "ok" : "FAILED");
}

/* A v1 file from a header text and data bytes. */
static size_t mk(char *out, const char *dict, const char *data, size_t dlen) {
  size_t h = strlen(dict);
  memcpy(out, "\223NUMPY\001\000", 8);
  out[8] = (char)(h & 255);
  out[9] = (char)(h >> 8);
  memcpy(out + 10, dict, h);
  memcpy(out + 10 + h, data, dlen);
  return 10 + h + dlen;
}

struct bad {
  const char *what;
  const char *raw; /* raw bytes (raw_len) or, if NULL, dict + data via mk() */
  size_t raw_len;
  const char *dict, *data;
  size_t dlen;
  const char *expect;
};

static const char *cur_bytes;
static size_t cur_len;
static ir_buf *cur_result;
static int read_current(void *arg) {
  (void)arg;
  cur_result = rd(cur_bytes, cur_len);
  return cur_result ? 0 : -1;
}

static void test_malformed(void) {
  int before = t_fail;
  static const struct bad cases[] = {
      {"bad magic", "\223NUMPX\001\000\000\000", 10, NULL, NULL, 0, "bad magic"},
      {"empty", "", 0, NULL, NULL, 0, "bad magic"},
      {"version 4", "\223NUMPY\004\000\000\000", 10, NULL, NULL, 0, "version 4.0"},
      {"header beyond file", "\223NUMPY\001\000\377\000{'descr'", 18, NULL, NULL, 0,
       "truncated .npy header"},
      {"v2 length cut", "\223NUMPY\002\000\010\000", 10, NULL, NULL, 0, "truncated"},
      {"v2 huge header", "\223NUMPY\002\000\377\377\377\177{", 13, NULL, NULL, 0, "truncated"},
      {"missing shape", NULL, 0, "{'descr': '<f4', 'fortran_order': False}", "", 0, "missing"},
      {"duplicate key", NULL, 0, "{'descr': '<f4', 'descr': '<f4', 'shape': ()}", "", 0,
       "duplicate key 'descr'"},
      {"unknown key", NULL, 0, "{'descr': '<f4', 'foo': False, 'shape': ()}", "", 0,
       "unknown key 'foo'"},
      {"complex dtype", NULL, 0, "{'descr': '<c8', 'fortran_order': False, 'shape': (), }", "", 0,
       "unsupported .npy dtype '<c8'"},
      {"unicode dtype", NULL, 0, "{'descr': '<U4', 'fortran_order': False, 'shape': (), }", "", 0,
       "unsupported .npy dtype"},
      {"struct dtype", NULL, 0, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': ()}",
       "", 0, "expected a string"},
      {"negative dim", NULL, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "",
       0, "expected a dimension"},
      {"huge dims", NULL, 0,
       "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999, 9), }", "",
       0, "too large"},
      {"dim overflow", NULL, 0,
       "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "", 0,
       "dimension too large"},
      {"rank 9", NULL, 0,
       "{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1), }", "", 0,
       "more than 8 dimensions"},
      {"data short", NULL, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n",
       "\0\0\200?", 4, "data is 4 bytes, shape and dtype need 8"},
      {"data long", NULL, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }\n",
       "\0\0\200?\0", 5, "data is 5 bytes, shape and dtype need 4"},
      {"unterminated string", NULL, 0, "{'descr': '<f4  ", "", 0, "unterminated string"},
      {"NUL in header", "\223NUMPY\001\000\006\000{'a\000'}", 16, NULL, NULL, 0, "NUL byte"},
      {"not a dict", NULL, 0, "['descr', 1]", "", 0, "expected '{'"},
      {"trailing junk", NULL, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': ()} xx\n", "",
       0, "trailing characters"},
      {"missing colon", NULL, 0, "{'descr' '<f4', 'fortran_order': False, 'shape': ()}", "", 0,
       "expected ':'"},
      {"bool spelled 0", NULL, 0, "{'descr': '<f4', 'fortran_order': 0, 'shape': (), }", "", 0,
       "fortran_order must be True or False"},
      {"fortran order", NULL, 0, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
       "", 0, "Fortran order"},
      {"u8 too big", NULL, 0, "{'descr': '<u8', 'fortran_order': False, 'shape': (1,), }",
       "\377\377\377\377\377\377\377\377", 8, "does not fit int64"},
  };
  int nc = (int)(sizeof cases / sizeof cases[0]);
  for (int k = 0; k < nc; k++) {
    const struct bad *c = &cases[k];
    static char file[1024];
    if (c->raw) {
      cur_bytes = c->raw;
      cur_len = c->raw_len;
    } else {
      cur_bytes = file;
      cur_len = mk(file, c->dict, c->data, c->dlen);
    }
    char msg[512];
    t_capture_stderr(read_current, NULL, msg, sizeof msg);
    check(cur_result == NULL, "%s: should be rejected", c->what);
    check(strstr(msg, "qonnx-rtl: mem.npy: error: ") == msg && strstr(msg, c->expect),
          "%s: message should contain '%s', got: %s", c->what, c->expect, msg);
    printf("  %-20s -> %s", c->what, msg);
  }
  cur_bytes = rd_fortran;
  cur_len = RD_FORTRAN_LEN;
  char msg[512];
  t_capture_stderr(read_current, NULL, msg, sizeof msg);
  check(cur_result == NULL && strstr(msg, "Fortran order"), "numpy Fortran-order file rejected");
  printf("malformed: %d bad headers/files and numpy's own Fortran-order file rejected %s\n", nc,
         t_fail == before ? "ok" : "FAILED");
}

/* Seeded mutations of valid files: the reader must never crash or read out of
 * bounds (run under the Sanitize build type), only accept or reject. */
static void test_fuzz(void) {
  int before = t_fail;
  const char *seeds[] = {rd_f4_3d, rd_f8, rd_v2, rd_b1};
  size_t lens[] = {RD_F4_3D_LEN, RD_F8_LEN, RD_V2_LEN, RD_B1_LEN};
  uint64_t x = 0x9e3779b97f4a7c15ull;
  int accepted = 0, rejected = 0, iters = 20000;
  FILE *devnull = fopen("/dev/null", "w");
  int saved = dup(2);
  fflush(stderr);
  dup2(fileno(devnull), 2);
  for (int it = 0; it < iters; it++) {
    int s = it % 4;
    uint8_t *buf = malloc(lens[s] + 8); /* exact-size copies so ASan sees overreads */
    size_t len = lens[s];
    memcpy(buf, seeds[s], len);
    int muts = 1 + (int)((x >> 60) & 3);
    for (int m = 0; m < muts; m++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      if (len == 0) break;
      size_t pos = (size_t)(x >> 32) % (len < 140 ? len : 140);
      switch ((x >> 8) & 3) {
      case 0: buf[pos] = (uint8_t)x; break;
      case 1: buf[pos] ^= (uint8_t)(1u << ((x >> 16) & 7)); break;
      case 2: len = pos; break; /* truncate */
      case 3: buf[pos] = "0123456789(),:' {}TFLx"[(x >> 16) % 22]; break;
      }
    }
    uint8_t *exact = malloc(len ? len : 1);
    memcpy(exact, buf, len);
    ir_arena_reset(A);
    if (fe_read_npy_bytes(A, "fuzz.npy", exact, len)) accepted++;
    else rejected++;
    free(exact);
    free(buf);
  }
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  fclose(devnull);
  check(accepted + rejected == iters, "fuzz ran");
  printf("fuzz: %d seeded mutations of 4 numpy files: %d accepted, %d rejected, no crash %s\n",
         iters, accepted, rejected, t_fail == before ? "ok" : "FAILED");
}

static int count_entries(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (e->d_name[0] != '.') n++;
  if (d) closedir(d);
  return n;
}

static int write_bad(void *arg) { return fe_write_npy((const char *)arg, t_scalar(A, 1)); }

static void test_atomic(const char *dir) {
  int before = t_fail;
  int n0 = count_entries(dir);
  char msg[512];
  char *bad_path = ir_sprintf(A, "%s/no/such/dir/x.npy", dir);
  check(t_capture_stderr(write_bad, bad_path, msg, sizeof msg) == -1 &&
            strstr(msg, "cannot write"),
        "write into a missing directory fails with a message: %s", msg);
  check(count_entries(dir) == n0, "nothing left behind after a failed write");
  char *p = ir_sprintf(A, "%s/atomic.npy", dir);
  check(fe_write_npy(p, t_scalar(A, 3)) == 0 && fe_write_npy(p, t_scalar(A, 4)) == 0,
        "overwrite");
  ir_buf *b = fe_read_npy(A, p);
  check(b && b->f[0] == 4.0f && count_entries(dir) == n0 + 1,
        "overwrite replaced the file, no temporary left");
  printf("atomic write: failure leaves nothing, overwrite leaves one file %s\n",
         t_fail == before ? "ok" : "FAILED");
}

int main(void) {
  A = ir_arena_new();
  char dir[] = "/tmp/qr_npy_test.XXXXXX";
  if (!mkdtemp(dir)) return 1;
  test_read_numpy_files();
  test_write_like_numpy(dir);
  test_malformed();
  test_atomic(dir);
  test_fuzz();
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd)) printf("note: could not remove %s\n", dir);
  ir_arena_free(A);
  return t_report("test_exec_npy");
}
