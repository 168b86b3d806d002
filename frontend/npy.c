/* npy.c - NumPy .npy files: a reader hardened against malformed input (it is
 * fuzzed) and an atomic writer; fe_read_tensor picks .npy or ONNX TensorProto.
 *
 * Format (numpy.lib.format): "\x93NUMPY", major, minor, header length (uint16 LE
 * for v1, uint32 LE for v2/v3), then an ASCII/UTF-8 Python dict literal
 * {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), } padded with spaces
 * and '\n', then the data in C order.  Read: <f2 <f4 <f8 (also big-endian),
 * i1..i8, u1..u8, b1; float data becomes float32, integer data int64.  Written:
 * <f4 for float32 buffers, <i8 for int64 ones. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/frontend.h"

#define NPY_MAX_HEADER (1 << 20) /* numpy itself refuses headers above ~10 KB */
#define NPY_MAX_FILE ((int64_t)1 << 34)

/* --------------------------------------------------------- header dict -- */

typedef struct npy_hdr {
  char kind;      /* 'f', 'i', 'u', 'b' */
  int size;       /* bytes per element */
  bool big;       /* big-endian data */
  bool fortran;
  int rank;
  int64_t dims[IR_MAX_RANK];
} npy_hdr;

typedef struct lexer {
  const char *p, *end;
  const char *path;
} lexer;

static void skip_ws(lexer *lx) {
  while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' ||
                             *lx->p == '\r'))
    lx->p++;
}

static bool eat(lexer *lx, char c) {
  skip_ws(lx);
  if (lx->p < lx->end && *lx->p == c) {
    lx->p++;
    return true;
  }
  return false;
}

static int bad(lexer *lx, const char *what) {
  return ir_errorf(lx->path, NULL, "malformed .npy header: %s", what);
}

/* A quoted string without escapes, at most cap-1 bytes. */
static int lex_string(lexer *lx, char *out, size_t cap) {
  skip_ws(lx);
  if (lx->p >= lx->end || (*lx->p != '\'' && *lx->p != '"')) return bad(lx, "expected a string");
  char q = *lx->p++;
  size_t k = 0;
  while (lx->p < lx->end && *lx->p != q) {
    if (*lx->p == '\\' || k + 1 >= cap) return bad(lx, "unexpected string");
    if ((unsigned char)*lx->p < 0x20 || *lx->p == 0x7f) /* would break the one-line error */
      return bad(lx, "control character in a string");
    out[k++] = *lx->p++;
  }
  if (lx->p >= lx->end) return bad(lx, "unterminated string");
  lx->p++;
  out[k] = 0;
  return 0;
}

static int lex_bool(lexer *lx, bool *out) {
  skip_ws(lx);
  size_t left = (size_t)(lx->end - lx->p);
  if (left >= 4 && !memcmp(lx->p, "True", 4)) {
    lx->p += 4;
    *out = true;
    return 0;
  }
  if (left >= 5 && !memcmp(lx->p, "False", 5)) {
    lx->p += 5;
    *out = false;
    return 0;
  }
  return bad(lx, "fortran_order must be True or False");
}

/* Non-negative integer (an old 'L' suffix is accepted), overflow-checked. */
static int lex_dim(lexer *lx, int64_t *out) {
  skip_ws(lx);
  if (lx->p >= lx->end || *lx->p < '0' || *lx->p > '9') return bad(lx, "expected a dimension");
  int64_t v = 0;
  while (lx->p < lx->end && *lx->p >= '0' && *lx->p <= '9') {
    if (v > (INT64_MAX - 9) / 10) return bad(lx, "dimension too large");
    v = v * 10 + (*lx->p++ - '0');
  }
  if (lx->p < lx->end && *lx->p == 'L') lx->p++;
  *out = v;
  return 0;
}

static int lex_shape(lexer *lx, npy_hdr *h) {
  if (!eat(lx, '(')) return bad(lx, "shape must be a tuple");
  h->rank = 0;
  if (eat(lx, ')')) return 0;
  for (;;) {
    if (h->rank >= IR_MAX_RANK)
      return ir_errorf(lx->path, NULL, ".npy array has more than %d dimensions", IR_MAX_RANK);
    if (lex_dim(lx, &h->dims[h->rank++])) return -1;
    if (eat(lx, ')')) return 0;
    if (!eat(lx, ',')) return bad(lx, "expected ',' or ')' in shape");
    if (eat(lx, ')')) return 0;
  }
}

/* '<f4' and friends. */
static int parse_descr(lexer *lx, const char *d, npy_hdr *h) {
  size_t n = strlen(d);
  if (n < 3 || n > 3 || (d[0] != '<' && d[0] != '>' && d[0] != '|' && d[0] != '='))
    return ir_errorf(lx->path, NULL, "unsupported .npy dtype '%s'", d);
  h->big = d[0] == '>';
  h->kind = d[1];
  h->size = d[2] - '0';
  bool ok = (h->kind == 'f' && (h->size == 2 || h->size == 4 || h->size == 8)) ||
            ((h->kind == 'i' || h->kind == 'u') &&
             (h->size == 1 || h->size == 2 || h->size == 4 || h->size == 8)) ||
            (h->kind == 'b' && h->size == 1);
  if (!ok)
    return ir_errorf(lx->path, NULL,
                     "unsupported .npy dtype '%s' (float16/32/64, int8..64, uint8..64, bool)",
                     d);
  return 0;
}

static int parse_header(const char *path, const char *text, size_t len, npy_hdr *h) {
  lexer lx = {text, text + len, path};
  bool seen[3] = {false, false, false};
  if (memchr(text, 0, len)) return bad(&lx, "NUL byte");
  if (!eat(&lx, '{')) return bad(&lx, "expected '{'");
  while (!eat(&lx, '}')) {
    char key[32], val[32];
    if (lex_string(&lx, key, sizeof key)) return -1;
    if (!eat(&lx, ':')) return bad(&lx, "expected ':'");
    int which = !strcmp(key, "descr") ? 0 : !strcmp(key, "fortran_order") ? 1
              : !strcmp(key, "shape") ? 2 : -1;
    if (which < 0) return ir_errorf(path, NULL, "malformed .npy header: unknown key '%s'", key);
    if (seen[which]) return ir_errorf(path, NULL, "malformed .npy header: duplicate key '%s'", key);
    seen[which] = true;
    if (which == 0 && (lex_string(&lx, val, sizeof val) || parse_descr(&lx, val, h))) return -1;
    if (which == 1 && lex_bool(&lx, &h->fortran)) return -1;
    if (which == 2 && lex_shape(&lx, h)) return -1;
    if (eat(&lx, ',')) continue;
    if (eat(&lx, '}')) break;
    return bad(&lx, "expected ',' or '}'");
  }
  skip_ws(&lx);
  if (lx.p != lx.end) return bad(&lx, "trailing characters after the dict");
  if (!seen[0] || !seen[1] || !seen[2]) return bad(&lx, "missing descr, fortran_order or shape");
  if (h->fortran)
    return ir_errorf(path, NULL,
                     ".npy array is in Fortran order; save it in C order "
                     "(np.save(f, np.ascontiguousarray(x)))");
  return 0;
}

/* ------------------------------------------------------------- data -- */

static uint64_t load_uint(const uint8_t *p, int size, bool big) {
  uint64_t v = 0;
  for (int i = 0; i < size; i++) v |= (uint64_t)p[big ? size - 1 - i : i] << (8 * i);
  return v;
}

static float half_to_float(uint16_t h) {
  int e = (h >> 10) & 31, m = h & 1023;
  float v = e == 0 ? ldexpf((float)m, -24)
          : e == 31 ? (m ? NAN : INFINITY)
                    : ldexpf((float)(m | 1024), e - 25);
  return (h & 0x8000) ? -v : v;
}

static int onnx_int_type(const npy_hdr *h) {
  if (h->kind == 'b') return ONNX_BOOL;
  static const int it[9] = {0, ONNX_INT8, ONNX_INT16, 0, ONNX_INT32, 0, 0, 0, ONNX_INT64};
  static const int ut[9] = {0, ONNX_UINT8, ONNX_UINT16, 0, ONNX_UINT32, 0, 0, 0, ONNX_UINT64};
  return h->kind == 'i' ? it[h->size] : ut[h->size];
}

static int convert(const char *path, const npy_hdr *h, const uint8_t *p, ir_buf *b) {
  for (int64_t k = 0; k < b->n; k++, p += h->size) {
    uint64_t u = load_uint(p, h->size, h->big);
    if (h->kind == 'f') {
      if (h->size == 2) {
        b->f[k] = half_to_float((uint16_t)u);
      } else if (h->size == 4) {
        uint32_t w = (uint32_t)u;
        memcpy(&b->f[k], &w, 4);
      } else {
        double d;
        memcpy(&d, &u, 8);
        b->f[k] = (float)d;
      }
    } else if (h->kind == 'i') {
      int sh = 64 - 8 * h->size; /* sign-extend */
      b->i[k] = (int64_t)(u << sh) >> sh;
    } else if (h->kind == 'u') {
      if (u > (uint64_t)INT64_MAX)
        return ir_errorf(path, NULL, "uint64 value %llu at index %lld does not fit int64",
                         (unsigned long long)u, (long long)k);
      b->i[k] = (int64_t)u;
    } else {
      b->i[k] = u != 0;
    }
  }
  return 0;
}

ir_buf *fe_read_npy_bytes(ir_arena *a, const char *path, const uint8_t *data, size_t len) {
  static const uint8_t magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (len < 10 || memcmp(data, magic, 6)) {
    ir_errorf(path, NULL, "not a .npy file (bad magic)");
    return NULL;
  }
  int major = data[6];
  size_t hlen, off;
  if (major == 1) {
    hlen = (size_t)data[8] | (size_t)data[9] << 8;
    off = 10;
  } else if (major == 2 || major == 3) {
    if (len < 12) {
      ir_errorf(path, NULL, "truncated .npy header");
      return NULL;
    }
    hlen = (size_t)data[8] | (size_t)data[9] << 8 | (size_t)data[10] << 16 |
           (size_t)data[11] << 24;
    off = 12;
  } else {
    ir_errorf(path, NULL, "unsupported .npy format version %d.%d", major, data[7]);
    return NULL;
  }
  if (hlen > NPY_MAX_HEADER || hlen > len - off) {
    ir_errorf(path, NULL, "truncated .npy header (%zu bytes announced, %zu present)", hlen,
              len - off);
    return NULL;
  }
  npy_hdr h = {0};
  if (parse_header(path, (const char *)data + off, hlen, &h)) return NULL;
  off += hlen;
  int64_t n = ir_shape_numel(h.rank, h.dims);
  if (n < 0 || n > IR_MAX_ELEMS) {
    char shape[IR_MAX_RANK * 24 + 4];
    size_t k = 0;
    for (int i = 0; i < h.rank; i++)
      k += (size_t)snprintf(shape + k, sizeof shape - k, "%s%lld", i ? ", " : "",
                            (long long)h.dims[i]);
    shape[k] = 0;
    ir_errorf(path, NULL, ".npy array of shape (%s) is too large", shape);
    return NULL;
  }
  uint64_t need = (uint64_t)n * (uint64_t)h.size;
  if (need != (uint64_t)(len - off)) {
    ir_errorf(path, NULL, ".npy data is %zu bytes, shape and dtype need %llu", len - off,
              (unsigned long long)need);
    return NULL;
  }
  ir_store st = h.kind == 'f' ? IR_F32 : IR_I64;
  ir_buf *b = ir_buf_new(a, st, st == IR_F32 ? ONNX_FLOAT : onnx_int_type(&h), h.rank, h.dims);
  if (!b) {
    ir_errorf(path, NULL, ".npy array is too large");
    return NULL;
  }
  if (convert(path, &h, data + off, b)) return NULL;
  return b;
}

/* Whole file into malloc'd memory (freed by the caller); NULL after an error. */
static uint8_t *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    ir_errorf(path, NULL, "cannot open: %s", strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > NPY_MAX_FILE) {
    ir_errorf(path, NULL, "not a regular file or too large");
    fclose(f);
    return NULL;
  }
  size_t n = (size_t)st.st_size;
  uint8_t *buf = malloc(n ? n : 1);
  if (!buf || fread(buf, 1, n, f) != n) {
    ir_errorf(path, NULL, "cannot read: %s", buf ? "short read" : "out of memory");
    free(buf);
    fclose(f);
    return NULL;
  }
  fclose(f);
  *len = n;
  return buf;
}

ir_buf *fe_read_npy(ir_arena *a, const char *path) {
  size_t len;
  uint8_t *data = slurp(path, &len);
  if (!data) return NULL;
  ir_buf *b = fe_read_npy_bytes(a, path, data, len);
  free(data);
  return b;
}

/* ----------------------------------------------------------- writer -- */

static size_t make_header(char *out, size_t cap, const ir_buf *b) {
  char shape[IR_MAX_RANK * 24 + 4];
  size_t k = 0;
  shape[k++] = '(';
  for (int i = 0; i < b->rank; i++)
    k += (size_t)snprintf(shape + k, sizeof shape - k, "%s%lld", i ? ", " : "",
                          (long long)b->dims[i]);
  if (b->rank == 1) shape[k++] = ',';
  shape[k++] = ')';
  shape[k] = 0;
  int n = snprintf(out + 10, cap - 10, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
                   b->store == IR_F32 ? "<f4" : "<i8", shape);
  size_t total = 10 + (size_t)n + 1; /* + '\n' */
  size_t padded = (total + 63) / 64 * 64;
  memset(out + 10 + n, ' ', padded - total);
  out[padded - 1] = '\n';
  size_t hlen = padded - 10;
  memcpy(out, "\x93NUMPY\x01\x00", 8);
  out[8] = (char)(hlen & 0xff);
  out[9] = (char)(hlen >> 8);
  return padded;
}

static int write_data(FILE *f, const ir_buf *b) {
  uint8_t chunk[4096];
  size_t k = 0, esz = b->store == IR_F32 ? 4 : 8;
  for (int64_t i = 0; i < b->n; i++) {
    uint64_t u;
    if (esz == 4) {
      uint32_t w;
      memcpy(&w, &b->f[i], 4);
      u = w;
    } else {
      u = (uint64_t)b->i[i];
    }
    for (size_t j = 0; j < esz; j++) chunk[k++] = (uint8_t)(u >> (8 * j));
    if (k + 8 > sizeof chunk) {
      if (fwrite(chunk, 1, k, f) != k) return -1;
      k = 0;
    }
  }
  return fwrite(chunk, 1, k, f) == k ? 0 : -1;
}

int fe_write_npy(const char *path, const ir_buf *b) {
  char hdr[IR_MAX_RANK * 24 + 256];
  size_t hl = make_header(hdr, sizeof hdr, b);
  size_t plen = strlen(path);
  char *tmp = malloc(plen + 16);
  if (!tmp) return ir_errorf(path, NULL, "out of memory");
  memcpy(tmp, path, plen);
  memcpy(tmp + plen, ".tmp.XXXXXX", 12);
  int fd = mkstemp(tmp);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
  if (!f) {
    int e = errno;
    if (fd >= 0) {
      close(fd);
      unlink(tmp);
    }
    free(tmp);
    return ir_errorf(path, NULL, "cannot write: %s", strerror(e));
  }
  int bad_write = fwrite(hdr, 1, hl, f) != hl || write_data(f, b);
  bad_write |= fclose(f) != 0;
  if (bad_write || rename(tmp, path)) {
    int e = errno;
    unlink(tmp);
    free(tmp);
    return ir_errorf(path, NULL, "cannot write: %s", strerror(e));
  }
  free(tmp);
  return 0;
}

/* ------------------------------------------------------- dispatch -- */

static bool ends_with(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && !strcmp(s + n - m, suf);
}

ir_buf *fe_read_tensor(ir_arena *a, const char *path) {
  if (ends_with(path, ".npy")) return fe_read_npy(a, path);
  if (ends_with(path, ".pb")) return fe_read_tensor_pb(a, path);
  ir_errorf(path, NULL, "unknown tensor file type (expected .npy or an ONNX TensorProto .pb)");
  return NULL;
}
