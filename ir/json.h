/* json.h - a small strict JSON reader (RFC 8259) and the few helpers the
 * folding and report writers share.
 *
 * Reader: objects, arrays, strings (every escape, \uXXXX with surrogate
 * pairs, UTF-8 validated), numbers, true/false/null.  Strict: no comments,
 * no trailing commas, no single quotes, no NaN/Infinity, no leading zeros,
 * no duplicate keys in an object, nothing after the value but whitespace.
 * A UTF-8 byte order mark at the start is skipped.  Nesting is limited to
 * JSON_MAX_DEPTH.  The input need not be NUL-terminated and is never read
 * past `len`.  Every value records where it starts (line and byte column,
 * both from 1).  Errors print one line
 *     qonnx-rtl: FILE:LINE:COL: error: WHAT
 * and the parser returns NULL.  Everything is allocated in the caller's arena.
 */
#ifndef QR_JSON_H
#define QR_JSON_H

#include <stdio.h>

#include "ir/ir.h"

#define JSON_MAX_DEPTH 128
/* json_parse_file refuses larger files. */
#define JSON_MAX_FILE ((size_t)64 << 20)

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json_value json_value;

typedef struct json_member {
  const char *key;         /* NUL-terminated; may contain NUL (\u0000): see key_len */
  size_t key_len;
  int line, col;           /* where the key starts */
  json_value *value;
} json_member;

struct json_value {
  json_type type;
  int line, col;
  bool boolean;            /* JSON_BOOL */
  double number;           /* JSON_NUMBER */
  bool is_integer;         /* written without fraction/exponent and fits int64 */
  int64_t integer;         /* valid when is_integer */
  const char *string;      /* JSON_STRING: UTF-8, NUL-terminated */
  size_t len;              /* JSON_STRING: bytes; ARRAY/OBJECT: count */
  json_value **items;      /* JSON_ARRAY */
  json_member *members;    /* JSON_OBJECT, in file order */
};

/* Parse text[0..len).  `file` names the input in error lines (may be NULL). */
json_value *json_parse(ir_arena *a, const char *text, size_t len, const char *file);
/* Read and parse a file; an unreadable file is an error naming it. */
json_value *json_parse_file(ir_arena *a, const char *path);

/* The member of an object with this key, or NULL. */
const json_member *json_find(const json_value *obj, const char *key);
const char *json_type_name(json_type t);
/* s[0..len) as it may appear inside "..." of a one-line message: quotes,
 * backslashes and control characters escaped as in JSON (\n, \u0000). */
const char *json_shown(ir_arena *a, const char *s, size_t len);

/* ------------------------------------------------------------ writing -- */

/* Write s as a JSON string literal (quotes included, escapes as needed). */
void json_put_string(FILE *f, const char *s);
/* A double as JSON: whole numbers as integers, else the shortest "%.*g" that
 * reads back exactly; null if not finite. */
void json_put_double(FILE *f, double v);

/* Atomic file writes: json_atomic_open creates a temporary file beside
 * `path`; json_atomic_close(ok) flushes and renames it over `path`, or
 * removes it (ok == false, or a write error).  Both print their error line
 * and return NULL / -1 on failure. */
typedef struct json_atomic {
  FILE *f;
  char *tmp;
  const char *path;
} json_atomic;
FILE *json_atomic_open(json_atomic *w, const char *path);
int json_atomic_close(json_atomic *w, bool ok);

#endif
