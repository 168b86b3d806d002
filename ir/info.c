/* info.c - `qonnx-rtl info` (placeholder until implemented). */
#include <stdio.h>
#include "cli.h"
int qr_cmd_info(int argc, char **argv) {
  (void)argc; (void)argv;
  fprintf(stderr, "qonnx-rtl: error: 'info' is not implemented yet\n");
  return 1;
}
