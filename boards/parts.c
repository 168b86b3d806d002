/* parts.c - the FPGA parts qonnx-rtl knows, their resources (the budget of
 * --fold=auto) and the boards that carry them: --part=NAME / --board=NAME.
 *
 * Resources are the device totals from the Xilinx product tables; BRAM is
 * counted in 18 kbit halves (one RAMB36 = two BRAM18), URAM in 288 kbit
 * blocks.  hw_find_part() accepts
 *   - a full Vivado part string ("xc7z020clg400-1"), any case;
 *   - the device name or any prefix of the part string at least as long as
 *     it ("xc7z020", "xczu7ev-ffvc1156");
 *   - a board name ("PYNQ-Z2", "pynq_z2", "ZCU104", "Alveo U250"), compared
 *     ignoring case and any character that is not a letter or a digit.
 * It returns NULL for anything else without printing; the caller prints the
 * error with hw_known_parts() listing what is accepted.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ir/hw.h"

typedef struct part_entry {
  const char *device;      /* "xc7z020": what a prefix must at least name */
  hw_part p;
} part_entry;

/*                 device      part string               family        LUT        FF      BRAM18 URAM  DSP */
static const part_entry parts[] = {
    {"xc7z020", {"xc7z020clg400-1", "zynq", 53200, 106400, 280, 0, 220}},
    {"xczu7ev", {"xczu7ev-ffvc1156-2-e", "zynquplus", 230400, 460800, 624, 96, 1728}},
    {"xck26", {"xck26-sfvc784-2LV-c", "zynquplus", 117120, 234240, 288, 64, 1248}},
    {"xczu3eg", {"xczu3eg-sbva484-1-e", "zynquplus", 70560, 141120, 432, 0, 360}},
    {"xcu250", {"xcu250-figd2104-2L-e", "virtexuplus", 1728000, 3456000, 5376, 1280, 12288}},
};
#define NPARTS ((int)(sizeof parts / sizeof parts[0]))

typedef struct board_entry {
  const char *name;        /* as printed */
  const char *alias;       /* another accepted spelling, or NULL */
  const char *device;
} board_entry;

static const board_entry boards[] = {
    {"PYNQ-Z1", NULL, "xc7z020"},
    {"PYNQ-Z2", NULL, "xc7z020"},
    {"ZCU104", NULL, "xczu7ev"},
    {"KV260", "Kria-KV260", "xck26"},
    {"Ultra96-V2", "Ultra96", "xczu3eg"},
    {"U250", "Alveo-U250", "xcu250"},
};
#define NBOARDS ((int)(sizeof boards / sizeof boards[0]))

/* Case-insensitive prefix test: does s start with prefix? */
static bool starts_with_ci(const char *s, const char *prefix) {
  for (; *prefix; s++, prefix++)
    if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix)) return false;
  return true;
}

/* Board names compare on letters and digits only, ignoring case. */
static bool board_eq(const char *a, const char *b) {
  for (;;) {
    while (*a && !isalnum((unsigned char)*a)) a++;
    while (*b && !isalnum((unsigned char)*b)) b++;
    if (!*a || !*b) return !*a && !*b;
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
    a++;
    b++;
  }
}

static const hw_part *by_device(const char *device) {
  for (int i = 0; i < NPARTS; i++)
    if (!strcmp(parts[i].device, device)) return &parts[i].p;
  return NULL;
}

const hw_part *hw_find_part(const char *name) {
  if (!name || !*name) return NULL;
  size_t n = strlen(name);
  /* part string or a prefix of it that names at least the device */
  for (int i = 0; i < NPARTS; i++)
    if (n >= strlen(parts[i].device) && n <= strlen(parts[i].p.part) &&
        starts_with_ci(parts[i].p.part, name))
      return &parts[i].p;
  for (int i = 0; i < NBOARDS; i++)
    if (board_eq(name, boards[i].name) || (boards[i].alias && board_eq(name, boards[i].alias)))
      return by_device(boards[i].device);
  return NULL;
}

const char *hw_known_parts(void) {
  static char list[512];
  if (list[0]) return list;
  size_t len = 0;
  for (int i = 0; i < NPARTS; i++) {
    len += (size_t)snprintf(list + len, sizeof list - len, "%s%s (", i ? ", " : "", parts[i].p.part);
    int nb = 0;
    for (int b = 0; b < NBOARDS; b++)
      if (!strcmp(boards[b].device, parts[i].device))
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", nb++ ? ", " : "",
                                boards[b].name);
    len += (size_t)snprintf(list + len, sizeof list - len, "%s)", nb ? "" : "no board");
    if (len >= sizeof list) break;
  }
  return list;
}
