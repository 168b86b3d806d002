/* fuzz_common.h - shared by the libFuzzer targets in tests/fuzz/: the
 * diagnostics oracle and a scratch directory.
 *
 * Every target runs one stage of the compiler on the fuzzer's bytes with the
 * C `stderr` stream redirected into memory (fz_begin), then checks what was
 * printed (fz_end):
 *   - every line starts with "qonnx-rtl: " (so no message carries a raw
 *     newline out of the input, and nothing else writes to stderr);
 *   - a rejection printed exactly one error line (never NULL-without-message,
 *     never a cascade);
 *   - a success printed no error line (warnings are fine).
 * A violation prints the captured text to the real stderr and aborts, which
 * libFuzzer reports as a crash with the input saved.  ASan/UBSan write to
 * file descriptor 2 directly, so their reports are not captured.
 *
 * The same sources build without libFuzzer (replay_main.c supplies main()),
 * so regression inputs run through the very same checks in every build. */
#ifndef QR_FUZZ_COMMON_H
#define QR_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ir/ir.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *fz_saved_stderr, *fz_mem;
static char *fz_text;
static size_t fz_len;

static inline void fz_begin(void) {
  fflush(stderr);
  fz_text = NULL;
  fz_len = 0;
  fz_mem = open_memstream(&fz_text, &fz_len);
  if (!fz_mem) abort();
  fz_saved_stderr = stderr;
  stderr = fz_mem;
}

/* memmem without _GNU_SOURCE */
static inline const char *fz_find(const char *p, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (!memcmp(p + i, needle, k)) return p + i;
  return NULL;
}

static inline void fz_fail(const char *what, const char *why) {
  fprintf(fz_saved_stderr, "\nfuzz oracle: %s: %s; stderr was:\n----\n%s----\n", what, why,
          fz_text ? fz_text : "");
  fflush(fz_saved_stderr);
  abort();
}

/* failed: the stage reported failure.  what: the stage, for the report. */
static inline void fz_end(int failed, const char *what) {
  fflush(fz_mem);
  stderr = fz_saved_stderr;
  fclose(fz_mem); /* fz_text stays valid until freed */
  if (getenv("QR_FUZZ_SHOW")) /* debugging: what the stage said, and whether it failed */
    fprintf(stderr, "%s: %s\n%s", what, failed ? "rejected" : "accepted", fz_text ? fz_text : "");
  int lines = 0, errors = 0;
  const char *p = fz_text ? fz_text : "";
  while (*p) {
    const char *eol = strchr(p, '\n');
    size_t n = eol ? (size_t)(eol - p) : strlen(p);
    if (n < 11 || memcmp(p, "qonnx-rtl: ", 11)) fz_fail(what, "a line that is not a diagnostic");
    /* "...: error: ..." and not a warning whose text merely says "error: " */
    const char *e = fz_find(p, n, ": error: "), *w = fz_find(p, n, ": warning: ");
    if (e && (!w || e < w)) errors++;
    lines++;
    if (!eol) fz_fail(what, "the last line has no newline");
    p = eol + 1;
  }
  if (failed && errors != 1)
    fz_fail(what, errors ? "a rejection printed more than one error line"
                         : "a rejection printed no error line");
  if (!failed && errors) fz_fail(what, "a success printed an error line");
  (void)lines;
  free(fz_text);
  fz_text = NULL;
}

/* A private scratch directory, on tmpfs when there is one; removed at exit. */
static char fz_scratch_dir[256];
static inline void fz_scratch_remove(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", fz_scratch_dir);
  if (system(cmd) != 0) fprintf(stderr, "qr fuzz: could not remove %s\n", fz_scratch_dir);
}
static inline const char *fz_scratch(void) {
  char *dir = fz_scratch_dir;
  if (dir[0]) return dir;
  const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  snprintf(dir, sizeof fz_scratch_dir, "%s/qr-fuzz-%d-XXXXXX", base, (int)getpid());
  if (!mkdtemp(dir)) {
    perror("qr fuzz: mkdtemp");
    abort();
  }
  atexit(fz_scratch_remove);
  return dir;
}

/* Write bytes to a file (for readers that only take a path). */
static inline void fz_write_file(const char *path, const uint8_t *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
    perror(path);
    abort();
  }
}

#endif
