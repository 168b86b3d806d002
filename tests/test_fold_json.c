/* test_fold_json.c - the strict JSON reader (ir/json.c): values it accepts,
 * what it rejects (with the line:column and message checked), and a
 * mutation fuzz run: random edits of valid documents must parse or fail with
 * one error line, never crash or read out of bounds (run under the Sanitize
 * build type to make the last part bite).  Also the writers: string escaping
 * and doubles read back exactly.
 * Usage: test_fold_json [fuzz-iterations] [seed] */
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ir/json.h"

static int t_pass, t_fail;

static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (ok) {
    t_pass++;
  } else {
    t_fail++;
    fputs("FAIL: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
  }
  va_end(ap);
}

static char captured[4096];
static int saved_fd = -1;
static char cap_path[256];

static void cap_begin(void) {
  fflush(stderr);
  snprintf(cap_path, sizeof cap_path, "/tmp/test_fold_json.%d", (int)getpid());
  int fd = open(cap_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  saved_fd = dup(2);
  dup2(fd, 2);
  close(fd);
}

static const char *cap_end(void) {
  fflush(stderr);
  dup2(saved_fd, 2);
  close(saved_fd);
  FILE *f = fopen(cap_path, "r");
  size_t n = f ? fread(captured, 1, sizeof captured - 1, f) : 0;
  captured[n] = 0;
  if (f) fclose(f);
  unlink(cap_path);
  return captured;
}

static json_value *parse(ir_arena *a, const char *text, size_t len, const char **err) {
  cap_begin();
  json_value *v = json_parse(a, text, len, "t.json");
  *err = cap_end();
  return v;
}

static void good(ir_arena *a) {
  const char *err;
  const char doc[] = "\xEF\xBB\xBF{\n"
                     "  \"a\": [1, -0, 2.5e3, -1.25E-2, 9223372036854775807, -9223372036854775808,\n"
                     "          18446744073709551616, 0.1],\n"
                     "  \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00 \xc3\xa9\",\n"
                     "  \"t\": true, \"f\": false, \"n\": null, \"e\": {}, \"ea\": [],\n"
                     "  \"z\": \"a\\u0000b\", \"\": 1\n}\n";
  json_value *v = parse(a, doc, sizeof doc - 1, &err);
  check(v && v->type == JSON_OBJECT && v->len == 9, "good: object of 9 members (%s)", err);
  if (!v) return;
  const json_value *arr = json_find(v, "a")->value;
  check(arr->type == JSON_ARRAY && arr->len == 8, "good: array of 8");
  check(arr->items[0]->is_integer && arr->items[0]->integer == 1, "good: 1");
  check(arr->items[1]->is_integer && arr->items[1]->integer == 0, "good: -0 is integer 0");
  check(!arr->items[2]->is_integer && arr->items[2]->number == 2500, "good: 2.5e3");
  check(arr->items[3]->number == -0.0125, "good: -1.25E-2");
  check(arr->items[4]->is_integer && arr->items[4]->integer == INT64_MAX, "good: INT64_MAX exact");
  check(arr->items[5]->is_integer && arr->items[5]->integer == INT64_MIN, "good: INT64_MIN exact");
  check(!arr->items[6]->is_integer && arr->items[6]->number == 18446744073709551616.0,
        "good: 2^64 is a number, not an int64");
  check(arr->items[7]->number == 0.1, "good: 0.1");
  check(arr->line == 2 && arr->col == 8 && arr->items[6]->line == 3 && arr->items[6]->col == 11,
        "good: positions (array at %d:%d, 2^64 at %d:%d)", arr->line, arr->col, arr->items[6]->line,
        arr->items[6]->col);
  const json_value *s = json_find(v, "s")->value;
  const char want[] = "q\"\\/\b\f\n\r\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xc3\xa9";
  check(s->len == sizeof want - 1 && !memcmp(s->string, want, s->len), "good: escapes and UTF-8 decoded");
  check(json_find(v, "t")->value->boolean && !json_find(v, "f")->value->boolean &&
            json_find(v, "n")->value->type == JSON_NULL,
        "good: literals");
  const json_value *z = json_find(v, "z")->value;
  check(z->len == 3 && z->string[1] == 0, "good: \\u0000 kept with its length");
  check(json_find(v, "") != NULL && json_find(v, "missing") == NULL, "good: empty key, missing key");
  check(json_find(v, "e")->value->len == 0 && json_find(v, "ea")->value->len == 0, "good: empty {} []");
  /* not NUL-terminated: the reader must stop at len */
  char *copy = malloc(4);
  memcpy(copy, "[1]x", 4);
  v = parse(a, copy, 3, &err);
  check(v && v->type == JSON_ARRAY && v->len == 1, "good: no NUL terminator needed");
  free(copy);
  v = parse(a, " \t\r\n 42 \n", 9, &err);
  check(v && v->is_integer && v->integer == 42, "good: scalar at top level with whitespace");
}

typedef struct bad_case {
  const char *text, *where, *msg;
} bad_case;

static void bad(ir_arena *a) {
  static const bad_case cases[] = {
      {"", "t.json:1:1:", "empty input"},
      {"   \n  ", "t.json:2:3:", "empty input"},
      {"{", "t.json:1:2:", "unexpected end of input in the object opened at 1:1"},
      {"[1, 2", "t.json:1:6:", "unexpected end of input in the array opened at 1:1"},
      {"[1,]", "t.json:1:4:", "trailing comma before ']'"},
      {"{\"a\":1,}", "t.json:1:8:", "trailing comma before '}'"},
      {"{\"a\" 1}", "t.json:1:6:", "expected ':' after the key \"a\", got '1'"},
      {"{\"a\":1 \"b\":2}", "t.json:1:8:", "expected ',' or '}'"},
      {"[1 2]", "t.json:1:4:", "expected ',' or ']'"},
      {"{'a': 1}", "t.json:1:2:", "expected a string key"},
      {"'a'", "t.json:1:1:", "single quotes"},
      {"// c\n1", "t.json:1:1:", "comments are not allowed"},
      {"01", "t.json:1:1:", "leading zeros"},
      {"-", "t.json:1:2:", "expected a digit"},
      {"1.", "t.json:1:3:", "expected a digit after '.'"},
      {".5", "t.json:1:1:", "expected a value"},
      {"1e", "t.json:1:3:", "expected a digit in the exponent"},
      {"+1", "t.json:1:1:", "expected a value"},
      {"1e999", "t.json:1:1:", "out of range"},
      {"NaN", "t.json:1:1:", "expected a value"},
      {"tru", "t.json:1:1:", "invalid literal"},
      {"nulls", "t.json:1:5:", "unexpected 's' after the JSON value"},
      {"1 2", "t.json:1:3:", "after the JSON value"},
      {"\"abc", "t.json:1:1:", "unterminated string"},
      {"\"a\\", "t.json:1:1:", "unterminated string"},
      {"\"\\x\"", "t.json:1:2:", "invalid escape '\\x'"},
      {"\"\\u12G4\"", "t.json:1:2:", "four hex digits"},
      {"\"\\ud800\"", "t.json:1:2:", "not followed by a low surrogate"},
      {"\"\\udc00\"", "t.json:1:2:", "lone low surrogate"},
      {"\"a\tb\"", "t.json:1:3:", "control character U+0009"},
      {"[\n\"a\nb\"]", "t.json:2:3:", "control character U+000A"},
      {"\"\xc3\"", "t.json:1:2:", "invalid UTF-8"},
      {"\"\xc0\xaf\"", "t.json:1:2:", "invalid UTF-8"},
      {"\"\xed\xa0\x80\"", "t.json:1:2:", "invalid UTF-8"},
      {"\"\xf4\x90\x80\x80\"", "t.json:1:2:", "invalid UTF-8"},
      {"\xff", "t.json:1:1:", "byte 0xFF"},
      {"{\"k\": 1,\n \"j\": 2,\n \"k\": 3}", "t.json:3:2:", "duplicate key \"k\" in object (first at 1:2)"},
      {"[1]\n\n  ]", "t.json:3:3:", "unexpected ']' after the JSON value"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *err;
    json_value *v = parse(a, cases[i].text, strlen(cases[i].text), &err);
    bool one_line = !strncmp(err, "qonnx-rtl: t.json:", 18) && strchr(err, '\n') == err + strlen(err) - 1;
    check(!v && one_line && strstr(err, cases[i].where) && strstr(err, cases[i].msg),
          "bad %zu: \"%s\" -> %s ... %s; got: %s", i, cases[i].text, cases[i].where, cases[i].msg, err);
  }
  /* a NUL byte inside and outside strings */
  const char *err;
  check(!parse(a, "[1,\0]", 5, &err) && strstr(err, "byte 0x00"), "bad: NUL between values");
  check(!parse(a, "\"a\0b\"", 5, &err) && strstr(err, "U+0000"), "bad: NUL in a string");
  /* nesting: fine below the limit, an error (not a stack overflow) above */
  size_t deep = 200000;
  char *s = malloc(deep);
  memset(s, '[', deep);
  check(!parse(a, s, deep, &err) && strstr(err, "nesting deeper than"), "bad: 200000 x '[' -> nesting error");
  memset(s, '[', JSON_MAX_DEPTH);
  memset(s + JSON_MAX_DEPTH, ']', JSON_MAX_DEPTH);
  check(parse(a, s, 2 * JSON_MAX_DEPTH, &err) != NULL, "good: %d nested arrays", JSON_MAX_DEPTH);
  free(s);
  printf("reader: %zu malformed documents rejected with line:col\n", sizeof cases / sizeof cases[0]);
}

/* Large inputs stay linear: many keys (duplicate check by sorting). */
static void big(ir_arena *a) {
  int n = 200000;
  size_t cap = (size_t)n * 24 + 16, len = 0;
  char *s = malloc(cap);
  s[len++] = '{';
  for (int i = 0; i < n; i++) len += (size_t)snprintf(s + len, cap - len, "%s\"k%d\":%d", i ? "," : "", i, i);
  s[len++] = '}';
  const char *err;
  json_value *v = parse(a, s, len, &err);
  check(v && v->len == (size_t)n, "big: object of %d keys", n);
  /* the same with one duplicate at the end */
  len--;
  len += (size_t)snprintf(s + len, cap - len, ",\"k17\":0}");
  v = parse(a, s, len, &err);
  check(!v && strstr(err, "duplicate key \"k17\""), "big: the duplicate among %d keys is found", n + 1);
  free(s);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static void fuzz(long iters) {
  static const char *const seeds[] = {
      "{\"Defaults\": {\"ram_style\": [\"block\", [\"mvu\"]]}, \"mvu_0\": {\"PE\": 16, \"SIMD\": 49}}",
      "[1, -2.5e-3, true, false, null, \"a\\u00e9\\ud83d\\ude00\\n\", {\"x\": [[], {}]}]",
      "{\"a\": {\"b\": {\"c\": [0, 1e10, -0.0, \"\\\"\\\\\"]}}}",
      "\"\xe2\x82\xac \xf0\x9f\x98\x80\"",
  };
  static const char alphabet[] = "{}[]:,\"\\/ \n\t-+.0123456789eEtrufalsn\xc3\xa9\xff\x00u";
  ir_arena *a = ir_arena_new();
  long ok = 0, rejected = 0;
  int devnull = open("/dev/null", O_WRONLY);
  fflush(stderr);
  int saved = dup(2);
  dup2(devnull, 2);
  for (long it = 0; it < iters; it++) {
    const char *seed = seeds[rnd() % (sizeof seeds / sizeof seeds[0])];
    size_t n = strlen(seed);
    size_t cap = n + 64;
    char *buf = malloc(cap); /* exact size: ASan catches reads past len */
    memcpy(buf, seed, n);
    int edits = 1 + (int)(rnd() % 4);
    for (int e = 0; e < edits; e++) {
      int op = (int)(rnd() % 4);
      size_t pos = n ? rnd() % (n + 1) : 0;
      if (op == 0 && n) { /* replace */
        buf[pos % n] = alphabet[rnd() % (sizeof alphabet - 1)];
      } else if (op == 1 && n + 1 < cap) { /* insert */
        memmove(buf + pos + 1, buf + pos, n - pos);
        buf[pos] = alphabet[rnd() % (sizeof alphabet - 1)];
        n++;
      } else if (op == 2 && n) { /* delete */
        pos %= n;
        memmove(buf + pos, buf + pos + 1, n - pos - 1);
        n--;
      } else { /* truncate */
        n = pos;
      }
    }
    char *exact = malloc(n ? n : 1);
    memcpy(exact, buf, n);
    json_value *v = json_parse(a, exact, n, "fuzz.json");
    if (v) ok++;
    else rejected++;
    free(exact);
    free(buf);
    if (it % 1000 == 999) ir_arena_reset(a);
  }
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  close(devnull);
  ir_arena_free(a);
  check(ok > 0 && rejected > 0, "fuzz: both outcomes occur (%ld parsed, %ld rejected)", ok, rejected);
  printf("fuzz: %ld mutated documents, %ld parsed, %ld rejected, no crash\n", iters, ok, rejected);
}

static void writers(ir_arena *a) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  fputc('[', f);
  json_put_string(f, "a\"b\\c\n\t\x01\x7f \xc3\xa9");
  static const double vals[] = {0.1, 1.0 / 3, 1e300, -2.5e-7, 123456789012345678.0, 0, 5e-324};
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
    fputc(',', f);
    json_put_double(f, vals[i]);
  }
  fputc(',', f);
  json_put_double(f, NAN);
  fputc(']', f);
  fclose(f);
  const char *err;
  json_value *v = parse(a, buf, len, &err);
  check(v && v->type == JSON_ARRAY && v->len == 9, "writers: output parses: %s (%s)", buf, err);
  if (v) {
    check(!strcmp(v->items[0]->string, "a\"b\\c\n\t\x01\x7f \xc3\xa9"), "writers: string round trip");
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
      check(v->items[i + 1]->number == vals[i], "writers: %.17g reads back exactly", vals[i]);
    check(v->items[8]->type == JSON_NULL, "writers: NaN is written as null");
  }
  printf("writers: %s\n", buf);
  free(buf);
}

int main(int argc, char **argv) {
  long iters = argc > 1 ? atol(argv[1]) : 30000;
  if (argc > 2) rng = strtoull(argv[2], NULL, 0) | 1;
  ir_arena *a = ir_arena_new();
  good(a);
  bad(a);
  big(a);
  writers(a);
  ir_arena_free(a);
  fuzz(iters);
  printf("test_fold_json: %d passed, %d failed\n", t_pass, t_fail);
  return t_fail ? 1 : 0;
}
