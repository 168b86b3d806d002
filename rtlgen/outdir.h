/* outdir.h - all-or-nothing output directories. */
#ifndef QR_OUTDIR_H
#define QR_OUTDIR_H
#include <sys/types.h>

#include "ir/ir.h"

/* 0 if dir may be written: absent, an empty directory, or (force) any directory. */
int od_check_target(const char *dir, int force);
/* Create a temporary sibling of dir to write into; NULL after an error line. */
char *od_begin(ir_arena *a, const char *dir);
/* Replace dir by tmp (the old dir, if any, is removed only after success). */
int od_commit(ir_arena *a, const char *tmp, const char *dir);
int od_remove_tree(const char *path);
/* A process group working in the temporary directory (0: none): a fatal signal
 * (SIGINT, SIGTERM, SIGHUP) stops it before the directory is removed. */
void od_set_child(pid_t pgid);
int od_mkdirs(const char *path);
#endif
