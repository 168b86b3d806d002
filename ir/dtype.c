/* dtype.c - QONNX/FINN datatype names (finn_datatype annotations). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/ir.h"

int ir_dtype_parse(const char *s, ir_dtype *out) {
  ir_dtype d = {0};
  int bits = 0, ib = 0;
  char tail;
  if (!s) return -1;
  if (!strcmp(s, "FLOAT32") || !strcmp(s, "FLOAT16")) {
    d.kind = QDT_FLOAT32;
  } else if (!strcmp(s, "BIPOLAR")) {
    d.kind = QDT_BIPOLAR; d.bits = 1; d.is_signed = true;
  } else if (!strcmp(s, "BINARY")) {
    d.kind = QDT_INT; d.bits = 1;
  } else if (!strcmp(s, "TERNARY")) {
    d.kind = QDT_TERNARY; d.bits = 2; d.is_signed = true;
  } else if (sscanf(s, "UINT%d%c", &bits, &tail) == 1 && bits >= 1 && bits <= 64) {
    d.kind = QDT_INT; d.bits = bits;
  } else if (sscanf(s, "INT%d%c", &bits, &tail) == 1 && bits >= 1 && bits <= 64) {
    d.kind = QDT_INT; d.bits = bits; d.is_signed = true;
  } else if (sscanf(s, "FIXED<%d,%d>%c", &bits, &ib, &tail) == 2 && bits >= 1 &&
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
