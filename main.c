/* main.c - qonnx-rtl command line: global options, then one subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ir/ir.h"

static const char usage[] =
    "usage: qonnx-rtl [-q|-v] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  info MODEL.onnx [--json]          ops, shapes, dtypes, MACs, BOPs, weight bits\n"
    "  exec MODEL.onnx -i X -o Y.npy     golden executor (QONNX float32 semantics);\n"
    "                                    X is .npy or an ONNX TensorProto .pb\n"
    "  example NAME [--seed S] -o M.onnx write a built-in QONNX model\n"
    "                                    (`qonnx-rtl example --list` names them)\n"
    "  MODEL.onnx [options]              compile to RTL (`qonnx-rtl MODEL.onnx --help`)\n"
    "\n"
    "global options:\n"
    "  -q   quiet: errors only      -v   verbose progress\n"
    "  -h, --help   this text       --version\n"
    "\n"
    "Each command takes --help.  Errors name the file and ONNX node and exit non-zero\n"
    "(1: bad input, 2: bad usage); no partial output is left behind.\n";

int main(int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strcmp(argv[i], "-q")) {
      ir_verbosity = 0;
    } else if (!strcmp(argv[i], "-v")) {
      ir_verbosity = 2;
    } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(usage, stdout);
      return 0;
    } else if (!strcmp(argv[i], "--version")) {
      puts("qonnx-rtl 0.1");
      return 0;
    } else {
      break; /* compile options; the compile command parses them */
    }
  }
  if (i >= argc) {
    fputs(usage, stderr);
    return 2;
  }
  const char *cmd = argv[i];
  int sub_argc = argc - i;
  char **sub_argv = argv + i;
  if (!strcmp(cmd, "info")) return qr_cmd_info(sub_argc, sub_argv);
  if (!strcmp(cmd, "exec")) return qr_cmd_exec(sub_argc, sub_argv);
  if (!strcmp(cmd, "example")) return qr_cmd_example(sub_argc, sub_argv);
  /* MODEL.onnx [options], or options first: the compile command parses both
   * and reports unknown options and a missing model itself. */
  return qr_cmd_compile(sub_argc, sub_argv);
}
