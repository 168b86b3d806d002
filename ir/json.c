/* json.c - a small strict JSON reader (see json.h for what it accepts) and
 * JSON writing helpers (string escaping, exact doubles, atomic files).
 *
 * Hardening: the reader never reads past `len` and never relies on a NUL
 * terminator; recursion is bounded by JSON_MAX_DEPTH; every loop advances the
 * position, so time is linear in the input (duplicate keys are found by
 * sorting, not by comparing every pair); memory is at most a small constant
 * times the input size.  Numbers are converted with strtod on a copied token,
 * which assumes the "C" numeric locale (qonnx-rtl never calls setlocale).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ir/json.h"

typedef struct parser {
  ir_arena *a;
  const char *s;
  size_t len, pos;
  int line;                /* line of pos (1-based) */
  size_t line_start;       /* offset of the first byte of that line */
  const char *file;
} parser;

static int col_of(const parser *p, size_t pos) {
  size_t c = pos >= p->line_start ? pos - p->line_start + 1 : 1;
  return c > INT_MAX ? INT_MAX : (int)c;
}

/* One error line at (line, col); always NULL. */
static void *fail_lc(parser *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void *fail_lc(parser *p, int line, int col, const char *fmt, ...) {
  const char *where = ir_sprintf(p->a, "%s:%d:%d", p->file ? p->file : "<json>", line, col);
  va_list ap;
  va_start(ap, fmt);
  ir_verrorf(where, NULL, fmt, ap);
  va_end(ap);
  return NULL;
}
#define FAIL_AT(p, pos, ...) fail_lc((p), (p)->line, col_of((p), (pos)), __VA_ARGS__)

/* "'x'", "byte 0xNN" or "end of input" for the byte at pos. */
static const char *describe(parser *p, size_t pos) {
  if (pos >= p->len) return "end of input";
  unsigned char c = (unsigned char)p->s[pos];
  if (c > 0x20 && c < 0x7f) return ir_sprintf(p->a, "'%c'", c);
  if (c == ' ') return "a space";
  return ir_sprintf(p->a, "byte 0x%02X", c);
}

static void skip_ws(parser *p) {
  while (p->pos < p->len) {
    char c = p->s[p->pos];
    if (c == '\n') {
      if (p->line < INT_MAX) p->line++;
      p->pos++;
      p->line_start = p->pos;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      p->pos++;
    } else {
      break;
    }
  }
}

static json_value *new_value(parser *p, json_type t) {
  json_value *v = ir_alloc(p->a, sizeof *v);
  v->type = t;
  v->line = p->line;
  v->col = col_of(p, p->pos);
  return v;
}

/* ------------------------------------------------------------ strings -- */

static int hex4(const char *s) {
  int v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

static size_t put_utf8(char *o, unsigned cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18));
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Length of the valid UTF-8 sequence at s[0..n) (lead byte >= 0x80), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t k;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    k = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    k = 3;
    if (c == 0xE0) lo = 0xA0;       /* no overlongs */
    if (c == 0xED) hi = 0x9F;       /* no surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    k = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;       /* <= U+10FFFF */
  } else {
    return 0;
  }
  if (n < k) return 0;
  if (s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < k; i++)
    if (s[i] < 0x80 || s[i] > 0xBF) return 0;
  return k;
}

/* p->pos is at the opening quote.  On success p->pos is past the closing one. */
static int parse_string(parser *p, const char **out, size_t *out_len) {
  size_t open = p->pos, start = open + 1, end = start;
  while (end < p->len && p->s[end] != '"') end += p->s[end] == '\\' ? 2 : 1;
  if (end >= p->len) {
    FAIL_AT(p, open, "unterminated string (no closing '\"' before the end of input)");
    return -1;
  }
  /* Every escape decodes to at most as many bytes as it takes in the input. */
  char *o = ir_alloc(p->a, end - start + 1);
  size_t n = 0, q = start;
  while (q < end) {
    unsigned char c = (unsigned char)p->s[q];
    if (c == '\\') {
      char e = p->s[q + 1];
      static const char names[] = "\"\\/bfnrt", map[] = "\"\\/\b\f\n\r\t";
      const char *simple = e ? strchr(names, e) : NULL;
      if (simple) {
        o[n++] = map[simple - names];
        q += 2;
        continue;
      }
      if (e != 'u') {
        FAIL_AT(p, q, "invalid escape '\\%s' in string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                e > 0x20 && e < 0x7f ? ir_sprintf(p->a, "%c", e) : "?");
        return -1;
      }
      int cp = q + 6 <= end ? hex4(p->s + q + 2) : -1;
      if (cp < 0) {
        FAIL_AT(p, q, "\\u must be followed by four hex digits");
        return -1;
      }
      size_t esc = q;
      q += 6;
      if (cp >= 0xDC00 && cp <= 0xDFFF) {
        FAIL_AT(p, esc, "lone low surrogate \\u%04X in string", (unsigned)cp);
        return -1;
      }
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        int lo = q + 6 <= end && p->s[q] == '\\' && p->s[q + 1] == 'u' ? hex4(p->s + q + 2) : -1;
        if (lo < 0xDC00 || lo > 0xDFFF) {
          FAIL_AT(p, esc, "high surrogate \\u%04X is not followed by a low surrogate \\uDC00..\\uDFFF",
                  (unsigned)cp);
          return -1;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        q += 6;
      }
      n += put_utf8(o + n, (unsigned)cp);
    } else if (c < 0x20) {
      FAIL_AT(p, q, "control character U+%04X in string must be escaped", c);
      return -1;
    } else if (c < 0x80) {
      o[n++] = (char)c;
      q++;
    } else {
      size_t k = utf8_seq((const unsigned char *)p->s + q, end - q);
      if (!k) {
        FAIL_AT(p, q, "invalid UTF-8 in string (byte 0x%02X)", c);
        return -1;
      }
      memcpy(o + n, p->s + q, k);
      n += k;
      q += k;
    }
  }
  o[n] = 0;
  *out = o;
  *out_len = n;
  p->pos = end + 1;
  return 0;
}

/* ------------------------------------------------------------ numbers -- */

static bool is_digit(const parser *p, size_t i) {
  return i < p->len && p->s[i] >= '0' && p->s[i] <= '9';
}

static json_value *parse_number(parser *p) {
  json_value *v = new_value(p, JSON_NUMBER);
  size_t start = p->pos, i = start;
  bool neg = false, integer = true;
  if (i < p->len && p->s[i] == '-') {
    neg = true;
    i++;
  }
  if (!is_digit(p, i)) return FAIL_AT(p, i, "invalid number: expected a digit, got %s", describe(p, i));
  if (p->s[i] == '0') {
    i++;
    if (is_digit(p, i)) return FAIL_AT(p, start, "invalid number: leading zeros are not allowed");
  } else {
    while (is_digit(p, i)) i++;
  }
  size_t int_end = i;
  if (i < p->len && p->s[i] == '.') {
    integer = false;
    i++;
    if (!is_digit(p, i))
      return FAIL_AT(p, i, "invalid number: expected a digit after '.', got %s", describe(p, i));
    while (is_digit(p, i)) i++;
  }
  if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
    integer = false;
    i++;
    if (i < p->len && (p->s[i] == '+' || p->s[i] == '-')) i++;
    if (!is_digit(p, i))
      return FAIL_AT(p, i, "invalid number: expected a digit in the exponent, got %s", describe(p, i));
    while (is_digit(p, i)) i++;
  }
  char *tok = ir_alloc(p->a, i - start + 1);
  memcpy(tok, p->s + start, i - start);
  tok[i - start] = 0;
  errno = 0;
  v->number = strtod(tok, NULL);
  if (!isfinite(v->number)) return FAIL_AT(p, start, "number %s is out of range", tok);
  if (integer) {
    /* exact int64, or not an integer for our purposes */
    uint64_t m = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    bool fits = true;
    for (size_t k = start + (neg ? 1 : 0); k < int_end && fits; k++) {
      unsigned d = (unsigned)(p->s[k] - '0');
      if (m > (lim - d) / 10) fits = false;
      else m = m * 10 + d;
    }
    if (fits) {
      v->is_integer = true;
      v->integer = neg ? (m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m) : (int64_t)m;
    }
  }
  p->pos = i;
  return v;
}

/* -------------------------------------------------------------- values -- */

static json_value *parse_value(parser *p, int depth);

static int cmp_member(const void *x, const void *y) {
  const json_member *a = *(const json_member *const *)x, *b = *(const json_member *const *)y;
  size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
  int c = memcmp(a->key, b->key, n);
  if (c) return c;
  if (a->key_len != b->key_len) return a->key_len < b->key_len ? -1 : 1;
  return a < b ? -1 : a > b;   /* members live in one array: file order */
}

static json_value *check_duplicates(parser *p, json_value *v) {
  if (v->len < 2) return v;
  json_member **sorted = malloc(v->len * sizeof *sorted);
  if (!sorted) abort();
  for (size_t i = 0; i < v->len; i++) sorted[i] = &v->members[i];
  qsort(sorted, v->len, sizeof *sorted, cmp_member);
  /* In each run of equal keys (file order within the run) the second
   * member is the first repetition; report the earliest such in the file. */
  const json_member *dup = NULL, *first = NULL;
  for (size_t i = 1; i < v->len; i++) {
    const json_member *x = sorted[i - 1], *y = sorted[i];
    bool same = x->key_len == y->key_len && !memcmp(x->key, y->key, x->key_len);
    bool run_start = i < 2 || !(sorted[i - 2]->key_len == x->key_len &&
                                !memcmp(sorted[i - 2]->key, x->key, x->key_len));
    if (same && run_start && (!dup || y < dup)) {
      dup = y;
      first = x;
    }
  }
  free(sorted);
  if (dup)
    return fail_lc(p, dup->line, dup->col, "duplicate key \"%s\" in object (first at %d:%d)",
                   json_shown(p->a, dup->key, dup->key_len), first->line, first->col);
  return v;
}

/* Keys and strings in messages: escaped, so a message stays one line and
 * shows every byte (a newline, a NUL). */
const char *json_shown(ir_arena *a, const char *s, size_t len) {
  char *o = ir_alloc_array(a, len + 1, 6), *p = o;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      *p++ = '\\';
      *p++ = (char)c;
    } else if (c == '\n' || c == '\t' || c == '\r') {
      *p++ = '\\';
      *p++ = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
    } else if (c < 0x20 || c == 0x7f) {
      p += sprintf(p, "\\u%04x", c);
    } else {
      *p++ = (char)c;
    }
  }
  *p = 0;
  return o;
}

static json_value *parse_object(parser *p, int depth) {
  json_value *v = new_value(p, JSON_OBJECT);
  size_t cap = 0;
  p->pos++;
  skip_ws(p);
  if (p->pos < p->len && p->s[p->pos] == '}') {
    p->pos++;
    return v;
  }
  for (;;) {
    skip_ws(p);
    if (p->pos >= p->len)
      return FAIL_AT(p, p->pos, "unexpected end of input in the object opened at %d:%d", v->line, v->col);
    if (p->s[p->pos] != '"') {
      if (p->s[p->pos] == '}' && v->len)
        return FAIL_AT(p, p->pos, "trailing comma before '}' is not allowed");
      return FAIL_AT(p, p->pos, "expected a string key, got %s", describe(p, p->pos));
    }
    if (v->len == cap) {
      size_t ncap = cap ? cap * 2 : 4;
      json_member *m = ir_alloc_array(p->a, ncap, sizeof *m);
      if (v->len) memcpy(m, v->members, v->len * sizeof *m);
      v->members = m;
      cap = ncap;
    }
    json_member *m = &v->members[v->len];
    m->line = p->line;
    m->col = col_of(p, p->pos);
    if (parse_string(p, &m->key, &m->key_len)) return NULL;
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != ':')
      return FAIL_AT(p, p->pos, "expected ':' after the key \"%s\", got %s",
                     json_shown(p->a, m->key, m->key_len), describe(p, p->pos));
    p->pos++;
    if (!(m->value = parse_value(p, depth + 1))) return NULL;
    v->len++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ',') {
      p->pos++;
      continue;
    }
    if (p->pos < p->len && p->s[p->pos] == '}') {
      p->pos++;
      return check_duplicates(p, v);
    }
    if (p->pos >= p->len)
      return FAIL_AT(p, p->pos, "unexpected end of input in the object opened at %d:%d", v->line, v->col);
    return FAIL_AT(p, p->pos, "expected ',' or '}' after an object member, got %s", describe(p, p->pos));
  }
}

static json_value *parse_array(parser *p, int depth) {
  json_value *v = new_value(p, JSON_ARRAY);
  size_t cap = 0;
  p->pos++;
  skip_ws(p);
  if (p->pos < p->len && p->s[p->pos] == ']') {
    p->pos++;
    return v;
  }
  for (;;) {
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']' && v->len)
      return FAIL_AT(p, p->pos, "trailing comma before ']' is not allowed");
    json_value *e = parse_value(p, depth + 1);
    if (!e) return NULL;
    if (v->len == cap) {
      size_t ncap = cap ? cap * 2 : 4;
      json_value **it = ir_alloc_array(p->a, ncap, sizeof *it);
      if (v->len) memcpy(it, v->items, v->len * sizeof *it);
      v->items = it;
      cap = ncap;
    }
    v->items[v->len++] = e;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ',') {
      p->pos++;
      continue;
    }
    if (p->pos < p->len && p->s[p->pos] == ']') {
      p->pos++;
      return v;
    }
    if (p->pos >= p->len)
      return FAIL_AT(p, p->pos, "unexpected end of input in the array opened at %d:%d", v->line, v->col);
    return FAIL_AT(p, p->pos, "expected ',' or ']' after an array element, got %s", describe(p, p->pos));
  }
}

static json_value *parse_literal(parser *p, const char *word, json_type t, bool b) {
  size_t n = strlen(word);
  if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
    return FAIL_AT(p, p->pos, "invalid literal (expected true, false or null)");
  json_value *v = new_value(p, t);
  v->boolean = b;
  p->pos += n;
  return v;
}

static json_value *parse_value(parser *p, int depth) {
  skip_ws(p);
  if (p->pos >= p->len) return FAIL_AT(p, p->pos, "unexpected end of input, expected a value");
  if (depth >= JSON_MAX_DEPTH)
    return FAIL_AT(p, p->pos, "nesting deeper than %d levels", JSON_MAX_DEPTH);
  char c = p->s[p->pos];
  switch (c) {
  case '{': return parse_object(p, depth);
  case '[': return parse_array(p, depth);
  case '"': {
    json_value *v = new_value(p, JSON_STRING);
    return parse_string(p, &v->string, &v->len) ? NULL : v;
  }
  case 't': return parse_literal(p, "true", JSON_BOOL, true);
  case 'f': return parse_literal(p, "false", JSON_BOOL, false);
  case 'n': return parse_literal(p, "null", JSON_NULL, false);
  default:
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number(p);
    if (c == '\'') return FAIL_AT(p, p->pos, "strings take double quotes, not single quotes");
    if (c == '/') return FAIL_AT(p, p->pos, "comments are not allowed in JSON");
    return FAIL_AT(p, p->pos, "expected a value, got %s", describe(p, p->pos));
  }
}

json_value *json_parse(ir_arena *a, const char *text, size_t len, const char *file) {
  parser p = {a, text, len, 0, 1, 0, file};
  if (!text) p.len = 0;
  if (p.len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) p.pos = p.line_start = 3;
  skip_ws(&p);
  if (p.pos >= p.len) return FAIL_AT(&p, p.pos, "empty input, expected a JSON value");
  json_value *v = parse_value(&p, 0);
  if (!v) return NULL;
  skip_ws(&p);
  if (p.pos < p.len) return FAIL_AT(&p, p.pos, "unexpected %s after the JSON value", describe(&p, p.pos));
  return v;
}

json_value *json_parse_file(ir_arena *a, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    ir_errorf(path, NULL, "cannot open: %s", strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  if (!buf) abort();
  for (;;) {
    if (n == cap) {
      if (cap >= JSON_MAX_FILE) {
        free(buf);
        fclose(f);
        ir_errorf(path, NULL, "file is larger than %zu MiB; not a folding/config file?",
                  JSON_MAX_FILE >> 20);
        return NULL;
      }
      cap *= 2;
      char *nb = realloc(buf, cap);
      if (!nb) abort();
      buf = nb;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  bool err = ferror(f);
  int saved = errno;
  fclose(f);
  if (err) {
    free(buf);
    ir_errorf(path, NULL, "cannot read: %s", strerror(saved));
    return NULL;
  }
  json_value *v = json_parse(a, buf, n, path);
  free(buf);
  return v;
}

const json_member *json_find(const json_value *obj, const char *key) {
  if (!obj || obj->type != JSON_OBJECT) return NULL;
  size_t n = strlen(key);
  for (size_t i = 0; i < obj->len; i++)
    if (obj->members[i].key_len == n && !memcmp(obj->members[i].key, key, n)) return &obj->members[i];
  return NULL;
}

const char *json_type_name(json_type t) {
  switch (t) {
  case JSON_NULL: return "null";
  case JSON_BOOL: return "a boolean";
  case JSON_NUMBER: return "a number";
  case JSON_STRING: return "a string";
  case JSON_ARRAY: return "an array";
  case JSON_OBJECT: return "an object";
  }
  return "?";
}

/* ------------------------------------------------------------ writing -- */

void json_put_string(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
    switch (*c) {
    case '"': fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\n': fputs("\\n", f); break;
    case '\r': fputs("\\r", f); break;
    case '\t': fputs("\\t", f); break;
    default:
      if (*c < 0x20 || *c == 0x7f) fprintf(f, "\\u%04x", *c);
      else fputc(*c, f);
    }
  }
  fputc('"', f);
}

void json_put_double(FILE *f, double v) {
  if (!isfinite(v)) {
    fputs("null", f);
    return;
  }
  char buf[40];
  if (v == floor(v) && fabs(v) < 1e15) { /* whole numbers as integers: 53200, not 5.32e+04 */
    fprintf(f, "%.0f", v == 0 ? 0.0 : v);
    return;
  }
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (strtod(buf, NULL) == v) break;
  }
  fputs(buf, f);
}

FILE *json_atomic_open(json_atomic *w, const char *path) {
  w->path = path;
  w->f = NULL;
  size_t n = strlen(path) + 16;
  w->tmp = malloc(n);
  if (!w->tmp) abort();
  snprintf(w->tmp, n, "%s.tmpXXXXXX", path);
  int fd = mkstemp(w->tmp);
  if (fd < 0) {
    ir_errorf(path, NULL, "cannot create a temporary file beside it: %s", strerror(errno));
    free(w->tmp);
    w->tmp = NULL;
    return NULL;
  }
  (void)fchmod(fd, 0644);
  w->f = fdopen(fd, "w");
  if (!w->f) {
    ir_errorf(path, NULL, "cannot write: %s", strerror(errno));
    close(fd);
    unlink(w->tmp);
    free(w->tmp);
    w->tmp = NULL;
  }
  return w->f;
}

int json_atomic_close(json_atomic *w, bool ok) {
  if (!w->f) return -1;
  bool err = ferror(w->f) != 0;
  if (fclose(w->f) != 0) err = true;
  w->f = NULL;
  int rc = 0;
  if (ok && err) {
    ir_errorf(w->path, NULL, "write error: %s", strerror(errno));
    rc = -1;
  } else if (ok && rename(w->tmp, w->path) != 0) {
    ir_errorf(w->path, NULL, "cannot rename %s to it: %s", w->tmp, strerror(errno));
    rc = -1;
  }
  if (!ok || rc) {
    unlink(w->tmp);
    if (!ok) rc = -1;
  }
  free(w->tmp);
  w->tmp = NULL;
  return rc;
}
