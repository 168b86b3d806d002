/* dtype.c - QONNX/FINN datatype names (finn_datatype annotations). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/ir.h"

/* A whole number of at most 3 digits at s (a '-' first if neg_ok): the end,
 * or NULL.  Not sscanf("%d"): that skips spaces, takes a '+', and wraps
 * "UINT4294967297" into UINT1 (out of int range it is undefined). */
static const char *small_int(const char *s, bool neg_ok, int *out) {
  bool neg = neg_ok && *s == '-';
  s += neg;
  int v = 0, k = 0;
  for (; s[k] >= '0' && s[k] <= '9'; k++) {
    if (k == 3) return NULL;
    v = v * 10 + (s[k] - '0');
  }
  if (!k) return NULL;
  *out = neg ? -v : v;
  return s + k;
}

int ir_dtype_parse(const char *s, ir_dtype *out) {
  ir_dtype d = {0};
  int bits = 0, ib = 0;
  const char *e;
  if (!s) return -1;
  if (!strcmp(s, "FLOAT32") || !strcmp(s, "FLOAT16")) {
    d.kind = QDT_FLOAT32;
  } else if (!strcmp(s, "BIPOLAR")) {
    d.kind = QDT_BIPOLAR; d.bits = 1; d.is_signed = true;
  } else if (!strcmp(s, "BINARY")) {
    d.kind = QDT_INT; d.bits = 1;
  } else if (!strcmp(s, "TERNARY")) {
    d.kind = QDT_TERNARY; d.bits = 2; d.is_signed = true;
  } else if (!strncmp(s, "UINT", 4) && (e = small_int(s + 4, false, &bits)) && !*e && bits >= 1 &&
             bits <= 64) {
    d.kind = QDT_INT; d.bits = bits;
  } else if (!strncmp(s, "INT", 3) && (e = small_int(s + 3, false, &bits)) && !*e && bits >= 1 &&
             bits <= 64) {
    d.kind = QDT_INT; d.bits = bits; d.is_signed = true;
  } else if (!strncmp(s, "FIXED<", 6) && (e = small_int(s + 6, false, &bits)) && *e == ',' &&
             (e = small_int(e + 1, true, &ib)) && e[0] == '>' && !e[1] && bits >= 1 &&
             bits <= 64 && ib <= bits) {
    d.kind = QDT_FIXED; d.bits = bits; d.int_bits = ib; d.is_signed = true;
  } else {
    return -1;
  }
  *out = d;
  return 0;
}

const char *ir_dtype_name(ir_arena *a, ir_dtype d) {
  switch (d.kind) {
  case QDT_FLOAT32: return "FLOAT32";
  case QDT_BIPOLAR: return "BIPOLAR";
  case QDT_TERNARY: return "TERNARY";
  case QDT_INT:
    if (d.bits == 1 && !d.is_signed) return "BINARY";
    return ir_sprintf(a, "%s%s%d", d.narrow ? "N" : "", d.is_signed ? "INT" : "UINT",
                      d.bits);
  case QDT_FIXED: return ir_sprintf(a, "FIXED<%d,%d>", d.bits, d.int_bits);
  case QDT_SCALED: return ir_sprintf(a, "SCALED%s%d", d.is_signed ? "INT" : "UINT", d.bits);
  default: return "?";
  }
}

double ir_dtype_min(ir_dtype d) {
  switch (d.kind) {
  case QDT_BIPOLAR: case QDT_TERNARY: return -1;
  case QDT_INT: case QDT_SCALED:
    if (!d.is_signed) return 0;
    return -ldexp(1, d.bits - 1) + (d.narrow ? 1 : 0);
  case QDT_FIXED: return -ldexp(1, d.int_bits - 1);
  default: return -INFINITY;
  }
}

double ir_dtype_max(ir_dtype d) {
  switch (d.kind) {
  case QDT_BIPOLAR: case QDT_TERNARY: return 1;
  case QDT_INT: case QDT_SCALED:
    if (!d.is_signed) return ldexp(1, d.bits) - 1 - (d.narrow ? 1 : 0);
    return ldexp(1, d.bits - 1) - 1;
  case QDT_FIXED: return ldexp(1, d.int_bits - 1) - ldexp(1, d.int_bits - d.bits);
  default: return INFINITY;
  }
}

bool ir_dtype_is_integer(ir_dtype d) {
  return d.kind == QDT_INT || d.kind == QDT_BIPOLAR || d.kind == QDT_TERNARY;
}
