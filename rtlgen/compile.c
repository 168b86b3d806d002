/* compile.c - `qonnx-rtl MODEL.onnx`: the compile pipeline (not built yet). */
#include <stdio.h>
#include "cli.h"
int qr_cmd_compile(int argc, char **argv) {
  (void)argc;
  fprintf(stderr, "qonnx-rtl: %s: error: compiling to RTL is not implemented yet\n", argv[0]);
  return 1;
}
