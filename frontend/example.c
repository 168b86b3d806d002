/* example.c - `qonnx-rtl example`: built-in QONNX models (placeholder until implemented). */
#include <stdio.h>
#include "cli.h"
int qr_cmd_example(int argc, char **argv) {
  (void)argc; (void)argv;
  fprintf(stderr, "qonnx-rtl: error: 'example' is not implemented yet\n");
  return 1;
}
