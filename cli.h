/* cli.h - the subcommands main() dispatches to; each lives in the stage it drives.
 * Each returns the process exit code: 0 ok, 1 error in the input, 2 usage error. */
#ifndef QR_CLI_H
#define QR_CLI_H

int qr_cmd_info(int argc, char **argv);     /* ir/info.c */
int qr_cmd_exec(int argc, char **argv);     /* ir/exec.c */
int qr_cmd_example(int argc, char **argv);  /* frontend/example.c */
int qr_cmd_compile(int argc, char **argv);  /* rtlgen/compile.c: MODEL -> RTL */

#endif
