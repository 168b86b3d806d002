/* arena.c - bump allocator: one per compile (graph) and one per executor run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/ir.h"

typedef struct chunk {
  struct chunk *next;
  size_t size, used;
  _Alignas(16) unsigned char data[];
} chunk;

struct ir_arena {
  chunk *head;
};

enum { CHUNK_MIN = 1 << 16 };

ir_arena *ir_arena_new(void) {
  ir_arena *a = calloc(1, sizeof *a);
  if (!a) {
    fputs("qonnx-rtl: error: out of memory\n", stderr);
    abort();
  }
  return a;
}

void ir_arena_reset(ir_arena *a) {
  chunk *c = a->head;
  while (c) {
    chunk *next = c->next;
    free(c);
    c = next;
  }
  a->head = NULL;
}

void ir_arena_free(ir_arena *a) {
  if (!a) return;
  ir_arena_reset(a);
  free(a);
}

void *ir_alloc(ir_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (n == 0) n = 16;
  chunk *c = a->head;
  if (!c || c->size - c->used < n) {
    size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
    c = malloc(sizeof *c + size);
    if (!c) {
      fprintf(stderr, "qonnx-rtl: error: out of memory (asked for %zu bytes)\n", n);
      abort();
    }
    c->size = size;
    c->used = 0;
    /* A big one-off block goes behind the current chunk so the current
     * chunk's free space is not lost. */
    if (a->head && size == n) {
      c->next = a->head->next;
      a->head->next = c;
    } else {
      c->next = a->head;
      a->head = c;
    }
  }
  void *p = c->data + c->used;
  c->used += n;
  memset(p, 0, n);
  return p;
}

void *ir_alloc_array(ir_arena *a, size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) {
    fputs("qonnx-rtl: error: allocation size overflows\n", stderr);
    abort();
  }
  return ir_alloc(a, count * size);
}

char *ir_strdup(ir_arena *a, const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *d = ir_alloc(a, n);
  memcpy(d, s, n);
  return d;
}

char *ir_sprintf(ir_arena *a, const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = ir_alloc(a, (size_t)n + 1);
  vsnprintf(s, (size_t)n + 1, fmt, aq);
  va_end(aq);
  return s;
}
