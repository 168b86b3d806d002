/* replay_main.c - main() for the fuzz targets when they are built without
 * libFuzzer: runs LLVMFuzzerTestOneInput once on every file named on the
 * command line (a directory: every regular file in it, in name order), so
 * corpora and crash regressions replay through the same harness and oracle
 * in the normal build.  Prints one line per input and a summary; any oracle
 * violation aborts (non-zero exit), as under libFuzzer. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ran;

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  size_t cap = 1 << 16, n = 0, got;
  uint8_t *buf = malloc(cap);
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0)
    if ((n += got) == cap) buf = realloc(buf, cap *= 2);
  fclose(f);
  if (!buf) abort();
  /* an exact-size copy, so ASan sees reads past the end as libFuzzer's would */
  uint8_t *exact = malloc(n ? n : 1);
  if (!exact) abort();
  memcpy(exact, buf, n);
  free(buf);
  printf("replay %s (%zu bytes)\n", path, n);
  fflush(stdout);
  LLVMFuzzerTestOneInput(exact, n);
  free(exact);
  ran++;
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path) {
  struct stat st;
  if (stat(path, &st)) {
    perror(path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) return run_file(path);
  DIR *d = opendir(path);
  if (!d) {
    perror(path);
    return -1;
  }
  char **names = NULL;
  size_t k = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    names = realloc(names, (k + 1) * sizeof *names);
    size_t len = strlen(path) + strlen(e->d_name) + 2;
    names[k] = malloc(len);
    snprintf(names[k++], len, "%s/%s", path, e->d_name);
  }
  closedir(d);
  qsort(names, k, sizeof *names, cmp_str);
  int rc = 0;
  for (size_t i = 0; i < k; i++) {
    if (!stat(names[i], &st) && S_ISREG(st.st_mode) && run_file(names[i])) rc = -1;
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  LLVMFuzzerInitialize(&argc, &argv);
  int rc = 0;
  for (int i = 1; i < argc; i++)
    if (run_path(argv[i])) rc = 1;
  printf("%s: %d inputs replayed without an oracle violation or crash%s\n", argv[0], ran,
         rc ? " (some paths could not be read)" : "");
  return rc;
}
