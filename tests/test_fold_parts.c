/* test_fold_parts.c - the part table (boards/parts.c): every part's resources
 * and Vivado part string, lookup by part, device prefix and board name in any
 * case and spelling, and unknown names (NULL, and the list for the error). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ir/hw.h"

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

typedef struct want {
  const char *part, *family;
  double lut, ff, bram18, uram, dsp;
} want;

static const want parts[] = {
    {"xc7z020clg400-1", "zynq", 53200, 106400, 280, 0, 220},
    {"xczu7ev-ffvc1156-2-e", "zynquplus", 230400, 460800, 624, 96, 1728},
    {"xck26-sfvc784-2LV-c", "zynquplus", 117120, 234240, 288, 64, 1248},
    {"xczu3eg-sbva484-1-e", "zynquplus", 70560, 141120, 432, 0, 360},
    {"xcu250-figd2104-2L-e", "virtexuplus", 1728000, 3456000, 5376, 1280, 12288},
};

static void lookup(const char *name, const char *part) {
  const hw_part *p = hw_find_part(name);
  check(p && !strcmp(p->part, part), "\"%s\" -> %s (got %s)", name, part, p ? p->part : "NULL");
}

int main(void) {
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    const want *w = &parts[i];
    const hw_part *p = hw_find_part(w->part);
    check(p != NULL, "%s is known", w->part);
    if (!p) continue;
    check(!strcmp(p->part, w->part) && !strcmp(p->family, w->family), "%s: part string and family %s",
          w->part, p->family);
    check(p->lut == w->lut && p->ff == w->ff && p->bram18 == w->bram18 && p->uram == w->uram &&
              p->dsp == w->dsp,
          "%s: %g LUT %g FF %g BRAM18 %g URAM %g DSP", w->part, p->lut, p->ff, p->bram18, p->uram, p->dsp);
    printf("%-22s %-12s %9.0f LUT %9.0f FF %5.0f BRAM18 %5.0f URAM %6.0f DSP\n", p->part, p->family,
           p->lut, p->ff, p->bram18, p->uram, p->dsp);
  }
  /* part strings in any case, device names and longer prefixes */
  lookup("XC7Z020CLG400-1", "xc7z020clg400-1");
  lookup("xc7z020", "xc7z020clg400-1");
  lookup("xczu7ev", "xczu7ev-ffvc1156-2-e");
  lookup("xczu7ev-ffvc1156", "xczu7ev-ffvc1156-2-e");
  lookup("xck26", "xck26-sfvc784-2LV-c");
  lookup("XCK26-SFVC784-2LV-C", "xck26-sfvc784-2LV-c");
  lookup("xczu3eg", "xczu3eg-sbva484-1-e");
  lookup("xcu250", "xcu250-figd2104-2L-e");
  /* boards, any case, with or without separators */
  lookup("PYNQ-Z1", "xc7z020clg400-1");
  lookup("pynq-z2", "xc7z020clg400-1");
  lookup("Pynq_Z2", "xc7z020clg400-1");
  lookup("pynqz1", "xc7z020clg400-1");
  lookup("ZCU104", "xczu7ev-ffvc1156-2-e");
  lookup("zcu104", "xczu7ev-ffvc1156-2-e");
  lookup("KV260", "xck26-sfvc784-2LV-c");
  lookup("kria-kv260", "xck26-sfvc784-2LV-c");
  lookup("Ultra96-V2", "xczu3eg-sbva484-1-e");
  lookup("ultra96v2", "xczu3eg-sbva484-1-e");
  lookup("Ultra96", "xczu3eg-sbva484-1-e");
  lookup("U250", "xcu250-figd2104-2L-e");
  lookup("Alveo U250", "xcu250-figd2104-2L-e");
  lookup("alveo-u250", "xcu250-figd2104-2L-e");
  /* unknown: NULL, and no partial guesses */
  static const char *const unknown[] = {"xc7a35t", "xc7z", "xc7z010", "xc7z020clg400-1x", "xczu",
                                        "zcu102", "pynq", "", "PYNQ-Z3", "u25", "xc"};
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
    check(hw_find_part(unknown[i]) == NULL, "\"%s\" is unknown", unknown[i]);
  check(hw_find_part(NULL) == NULL, "NULL is unknown");
  const char *list = hw_known_parts();
  printf("known: %s\n", list);
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
    check(strstr(list, parts[i].part) != NULL, "the list names %s", parts[i].part);
  static const char *const boards[] = {"PYNQ-Z1", "PYNQ-Z2", "ZCU104", "KV260", "Ultra96-V2", "U250"};
  for (size_t i = 0; i < sizeof boards / sizeof boards[0]; i++)
    check(strstr(list, boards[i]) != NULL, "the list names board %s", boards[i]);
  printf("test_fold_parts: %d passed, %d failed\n", t_pass, t_fail);
  return t_fail ? 1 : 0;
}
