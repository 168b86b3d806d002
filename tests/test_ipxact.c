/* test_ipxact.c - DIR/ip/ of real compiles, checked from the outside:
 *   - component.xml is accepted by `xmllint --schema` against IEEE 1685-2009;
 *   - every port of the generated top-level SystemVerilog is in the model with
 *     the same direction and width, and nothing else is;
 *   - bus interfaces: s_axis_0 slave / m_axis_0 master (xilinx.com axis, port
 *     maps incl. TLAST on the output, TDATA_NUM_BYTES = TDATA width / 8),
 *     ap_clk (ASSOCIATED_BUSIF s_axis_0:m_axis_0, ASSOCIATED_RESET ap_rst_n),
 *     ap_rst_n (POLARITY ACTIVE_LOW); every mapped port exists;
 *   - both file sets list every file of DIR/rtl, each present under DIR/ip
 *     with the same bytes; views name the top module; MemDir is a model
 *     parameter; the part's family is supported;
 *   - the FuseSoC core names the same VLNV and files;
 *   - --ip-vlnv sets the identity, and malformed ones are usage errors.
 *
 * usage: test_ipxact QONNX_RTL SHARED_DIR WORKDIR     (exit 77: no SHARED_DIR)
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

static int passed, failed;
static const char *qr, *shared, *work;

static void check(int ok, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("%s: ", ok ? "ok  " : "FAIL");
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  if (ok)
    passed++;
  else
    failed++;
}

static int run(const char *fmt, ...) {
  char cmd[8192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  int rc = system(cmd);
  return rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
    fclose(f);
    free(b);
    return NULL;
  }
  fclose(f);
  b[n] = 0;
  if (len) *len = (size_t)n;
  return b;
}

static bool same_file(const char *a, const char *b) {
  size_t la, lb;
  char *x = slurp(a, &la), *y = slurp(b, &lb);
  bool same = x && y && la == lb && !memcmp(x, y, la);
  free(x);
  free(y);
  return same;
}

/* ------------------------------------------------------------ XPath --- */

static xmlXPathContextPtr ctx;

static xmlNodeSetPtr nodes(xmlNodePtr at, const char *xpath, xmlXPathObjectPtr *keep) {
  ctx->node = at ? at : xmlDocGetRootElement(ctx->doc);
  *keep = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
  return *keep ? (*keep)->nodesetval : NULL;
}

/* Text of the first node matching xpath under `at` (static buffer), or "". */
static const char *text(xmlNodePtr at, const char *xpath) {
  static char buf[8][1024];
  static int k;
  xmlXPathObjectPtr o;
  xmlNodeSetPtr s = nodes(at, xpath, &o);
  char *out = buf[k++ % 8];
  out[0] = 0;
  if (s && s->nodeNr > 0) {
    xmlChar *c = xmlNodeGetContent(s->nodeTab[0]);
    snprintf(out, 1024, "%s", c ? (const char *)c : "");
    xmlFree(c);
  }
  xmlXPathFreeObject(o);
  return out;
}

static int count(xmlNodePtr at, const char *xpath) {
  xmlXPathObjectPtr o;
  xmlNodeSetPtr s = nodes(at, xpath, &o);
  int n = s ? s->nodeNr : 0;
  xmlXPathFreeObject(o);
  return n;
}

static xmlNodePtr first(const char *xpath) {
  xmlXPathObjectPtr o;
  xmlNodeSetPtr s = nodes(NULL, xpath, &o);
  xmlNodePtr n = s && s->nodeNr ? s->nodeTab[0] : NULL;
  xmlXPathFreeObject(o);
  return n;
}

/* ---------------------------------------------------------- SV ports --- */

typedef struct svport {
  char name[128];
  bool in;
  int width;
} svport;

/* The ANSI port list of `module top`: "input wire [N:0] name". */
static int sv_ports(const char *path, svport *p, int max, bool *has_memdir) {
  char *s = slurp(path, NULL);
  if (!s) return -1;
  int n = 0;
  *has_memdir = strstr(s, "parameter MemDir") != NULL;
  char *body = strstr(s, ") (");
  for (char *line = body ? strtok(body, "\n") : NULL; line && n < max; line = strtok(NULL, "\n")) {
    while (*line == ' ') line++;
    if (!strncmp(line, ");", 2)) break;
    bool in = !strncmp(line, "input", 5), out = !strncmp(line, "output", 6);
    if (!in && !out) continue;
    char *q = line + (in ? 5 : 6);
    while (*q == ' ') q++;
    if (!strncmp(q, "wire", 4) || !strncmp(q, "logic", 5)) q += *q == 'w' ? 4 : 5;
    while (*q == ' ') q++;
    int w = 1;
    if (*q == '[') {
      w = atoi(q + 1) + 1;
      q = strchr(q, ']') + 1;
      while (*q == ' ') q++;
    }
    int k = 0;
    while (k < 127 && (q[k] == '_' || (q[k] >= 'a' && q[k] <= 'z') || (q[k] >= 'A' && q[k] <= 'Z') ||
                       (q[k] >= '0' && q[k] <= '9')))
      k++;
    memcpy(p[n].name, q, (size_t)k);
    p[n].name[k] = 0;
    p[n].in = in;
    p[n].width = w;
    n++;
  }
  free(s);
  return n;
}

/* ------------------------------------------------------- one compile --- */

static bool listed(xmlNodePtr fs, const char *name) {
  char xp[1024];
  snprintf(xp, sizeof xp, "spirit:file[spirit:name='hdl/%s']", name);
  return count(fs, xp) == 1;
}

static void check_busif(const char *name, const char *lib, const char *type, const char *mode,
                        const char *const *maps) {
  char xp[1024];
  snprintf(xp, sizeof xp, "//spirit:busInterface[spirit:name='%s']", name);
  xmlNodePtr bi = first(xp);
  check(bi != NULL, "bus interface %s exists", name);
  if (!bi) return;
  check(!strcmp(text(bi, "spirit:busType/@spirit:library"), lib) &&
            !strcmp(text(bi, "spirit:busType/@spirit:name"), type) &&
            !strcmp(text(bi, "spirit:busType/@spirit:vendor"), "xilinx.com"),
        "%s is xilinx.com:%s:%s:1.0", name, lib, type);
  snprintf(xp, sizeof xp, "spirit:%s", mode);
  check(count(bi, xp) == 1, "%s is a %s", name, mode);
  int n = 0;
  for (; maps[n]; n += 2) {
    snprintf(xp, sizeof xp, "spirit:portMaps/spirit:portMap[spirit:logicalPort/spirit:name='%s']"
                            "/spirit:physicalPort/spirit:name",
             maps[n]);
    const char *phys = text(bi, xp);
    check(!strcmp(phys, maps[n + 1]), "%s maps %s to %s (got '%s')", name, maps[n], maps[n + 1], phys);
  }
  check(count(bi, "spirit:portMaps/spirit:portMap") == n / 2, "%s has exactly %d port maps", name, n / 2);
}

static const char *param(const char *busif, const char *name) {
  char xp[1024];
  snprintf(xp, sizeof xp,
           "//spirit:busInterface[spirit:name='%s']/spirit:parameters/spirit:parameter[spirit:name='%s']/spirit:value",
           busif, name);
  return text(NULL, xp);
}

/* Compile `model` into work/<tag> with extra options; check DIR/ip. */
static void check_compile(const char *tag, const char *model, const char *opts, const char *vlnv,
                          const char *family) {
  printf("-- %s: %s %s\n", tag, model, opts);
  char dir[1024], path[4096];
  snprintf(dir, sizeof dir, "%s/%s", work, tag);
  run("rm -rf '%s'", dir);
  int rc = run("'%s' -q '%s' -o '%s' %s", qr, model, dir, opts);
  check(rc == 0, "%s compiles (exit %d)", tag, rc);
  if (rc) return;
  snprintf(path, sizeof path, "%s/ip/component.xml", dir);
  rc = run("xmllint --noout --schema '%s/schemas/ipxact-1685-2009/index.xsd' '%s' 2>'%s/xmllint.log'",
           shared, path, dir);
  check(rc == 0, "xmllint --schema IEEE 1685-2009 accepts %s (exit %d)", path, rc);

  xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
  check(doc != NULL, "component.xml parses");
  if (!doc) return;
  ctx = xmlXPathNewContext(doc);
  xmlXPathRegisterNs(ctx, BAD_CAST "spirit", BAD_CAST "http://www.spiritconsortium.org/XMLSchema/SPIRIT/1685-2009");
  xmlXPathRegisterNs(ctx, BAD_CAST "xilinx", BAD_CAST "http://www.xilinx.com");

  char got[1024];
  snprintf(got, sizeof got, "%s:%s:%s:%s", text(NULL, "/spirit:component/spirit:vendor"),
           text(NULL, "/spirit:component/spirit:library"), text(NULL, "/spirit:component/spirit:name"),
           text(NULL, "/spirit:component/spirit:version"));
  check(!strcmp(got, vlnv), "VLNV is %s (got %s)", vlnv, got);

  /* views -> top, file sets */
  char top[256];
  snprintf(top, sizeof top, "%s",
           text(NULL, "//spirit:view[spirit:name='xilinx_anylanguagesynthesis']/spirit:modelName"));
  check(top[0] && !strcmp(top, text(NULL, "//spirit:view[spirit:name='xilinx_anylanguagebehavioralsimulation']/spirit:modelName")),
        "synthesis and simulation views name the top module '%s'", top);

  /* ports */
  svport sv[32];
  bool has_memdir = false;
  snprintf(path, sizeof path, "%s/rtl/%s.sv", dir, top);
  int nsv = sv_ports(path, sv, 32, &has_memdir);
  check(nsv >= 9, "the top level %s has its ports (%d)", path, nsv);
  for (int i = 0; i < nsv; i++) {
    char xp[1024];
    snprintf(xp, sizeof xp, "//spirit:model/spirit:ports/spirit:port[spirit:name='%.127s']", sv[i].name);
    xmlNodePtr port = first(xp);
    if (!port) {
      check(0, "port %s is in component.xml", sv[i].name);
      continue;
    }
    const char *dirn = text(port, "spirit:wire/spirit:direction");
    int left = count(port, "spirit:wire/spirit:vector") ? atoi(text(port, "spirit:wire/spirit:vector/spirit:left")) : 0;
    int right = count(port, "spirit:wire/spirit:vector") ? atoi(text(port, "spirit:wire/spirit:vector/spirit:right")) : 0;
    check(!strcmp(dirn, sv[i].in ? "in" : "out") && left - right + 1 == sv[i].width,
          "port %s: %s, %d bit(s) in SV; component.xml: %s, %d", sv[i].name, sv[i].in ? "in" : "out",
          sv[i].width, dirn, left - right + 1);
  }
  check(count(NULL, "//spirit:model/spirit:ports/spirit:port") == nsv, "component.xml has no other ports");
  check(has_memdir && count(NULL, "//spirit:modelParameter[spirit:name='MemDir']") == 1,
        "MemDir is a parameter of the SV and a model parameter");

  /* bus interfaces */
  check_busif("s_axis_0", "interface", "axis", "slave",
              (const char *const[]){"TDATA", "s_axis_0_tdata", "TVALID", "s_axis_0_tvalid", "TREADY",
                                    "s_axis_0_tready", NULL});
  check_busif("m_axis_0", "interface", "axis", "master",
              (const char *const[]){"TDATA", "m_axis_0_tdata", "TVALID", "m_axis_0_tvalid", "TREADY",
                                    "m_axis_0_tready", "TLAST", "m_axis_0_tlast", NULL});
  check_busif("ap_clk", "signal", "clock", "slave", (const char *const[]){"CLK", "ap_clk", NULL});
  check_busif("ap_rst_n", "signal", "reset", "slave", (const char *const[]){"RST", "ap_rst_n", NULL});
  for (int i = 0; i < nsv; i++) {
    int w = sv[i].width;
    if (!strcmp(sv[i].name, "s_axis_0_tdata") || !strcmp(sv[i].name, "m_axis_0_tdata")) {
      const char *bi = sv[i].name[0] == 's' ? "s_axis_0" : "m_axis_0";
      check(w % 8 == 0 && atoi(param(bi, "TDATA_NUM_BYTES")) * 8 == w,
            "%s TDATA_NUM_BYTES %s = %d bits / 8", bi, param(bi, "TDATA_NUM_BYTES"), w);
    }
  }
  check(!strcmp(param("ap_clk", "ASSOCIATED_BUSIF"), "s_axis_0:m_axis_0"),
        "ap_clk ASSOCIATED_BUSIF s_axis_0:m_axis_0 (got '%s')", param("ap_clk", "ASSOCIATED_BUSIF"));
  check(!strcmp(param("ap_clk", "ASSOCIATED_RESET"), "ap_rst_n"), "ap_clk ASSOCIATED_RESET ap_rst_n");
  check(!strcmp(param("ap_rst_n", "POLARITY"), "ACTIVE_LOW"), "ap_rst_n POLARITY ACTIVE_LOW");
  {
    xmlXPathObjectPtr o;
    xmlNodeSetPtr s = nodes(NULL, "//spirit:physicalPort/spirit:name", &o);
    int bad = 0;
    for (int i = 0; s && i < s->nodeNr; i++) {
      xmlChar *c = xmlNodeGetContent(s->nodeTab[i]);
      char xp[1024];
      snprintf(xp, sizeof xp, "//spirit:model/spirit:ports/spirit:port[spirit:name='%s']", (const char *)c);
      bad += count(NULL, xp) != 1;
      xmlFree(c);
    }
    xmlXPathFreeObject(o);
    check(!bad, "every mapped physical port is a port of the model");
  }

  /* file sets */
  static const char *const sets[] = {"xilinx_anylanguagesynthesis_view_fileset",
                                     "xilinx_anylanguagebehavioralsimulation_view_fileset"};
  for (int k = 0; k < 2; k++) {
    char xp[1024];
    snprintf(xp, sizeof xp, "//spirit:fileSet[spirit:name='%s']", sets[k]);
    xmlNodePtr fs = first(xp);
    check(fs != NULL, "file set %s exists and a view refers to it", sets[k]);
    if (!fs) continue;
    snprintf(xp, sizeof xp, "//spirit:view/spirit:fileSetRef[spirit:localName='%s']", sets[k]);
    check(count(NULL, xp) == 1, "one view refers to %s", sets[k]);
    /* every listed file exists, equals DIR/rtl's, has the right type */
    xmlXPathObjectPtr o;
    xmlNodeSetPtr s = nodes(fs, "spirit:file", &o);
    int nf = s ? s->nodeNr : 0, bad_exist = 0, bad_type = 0;
    for (int i = 0; i < nf; i++) {
      char name[512], ip_path[2048], rtl_path[2048];
      snprintf(name, sizeof name, "%s", text(s->nodeTab[i], "spirit:name"));
      snprintf(ip_path, sizeof ip_path, "%s/ip/%s", dir, name);
      snprintf(rtl_path, sizeof rtl_path, "%s/rtl/%s", dir, strncmp(name, "hdl/", 4) ? name : name + 4);
      if (!same_file(ip_path, rtl_path)) {
        bad_exist++;
        printf("      %s missing or not equal to %s\n", ip_path, rtl_path);
      }
      const char *ty = strstr(name, ".mem") ? text(s->nodeTab[i], "spirit:userFileType")
                                             : text(s->nodeTab[i], "spirit:fileType");
      bad_type += strcmp(ty, strstr(name, ".mem") ? "mem" : "systemVerilogSource") != 0;
    }
    xmlXPathFreeObject(o);
    check(nf > 0 && !bad_exist, "%s: all %d files exist under DIR/ip and equal DIR/rtl's", sets[k], nf);
    check(!bad_type, "%s: .sv are systemVerilogSource, .mem userFileType mem", sets[k]);
    /* every file of DIR/rtl is listed */
    snprintf(path, sizeof path, "%s/rtl", dir);
    DIR *dd = opendir(path);
    int nrtl = 0, missing = 0;
    for (struct dirent *e; dd && (e = readdir(dd));) {
      if (e->d_name[0] == '.') continue;
      nrtl++;
      if (!listed(fs, e->d_name)) {
        missing++;
        printf("      rtl/%s not in %s\n", e->d_name, sets[k]);
      }
    }
    if (dd) closedir(dd);
    check(!missing && nrtl == nf, "%s lists all %d files of DIR/rtl and no others", sets[k], nrtl);
  }

  /* vendor extensions */
  char xp[1024];
  snprintf(xp, sizeof xp, "//xilinx:coreExtensions/xilinx:supportedFamilies/xilinx:family[text()='%s']", family);
  check(count(NULL, xp) == 1, "supported families include the part's family %s", family);
  check(!strcmp(text(NULL, "//xilinx:coreExtensions/xilinx:taxonomies/xilinx:taxonomy"), "/UserIP"),
        "taxonomy /UserIP");
  check(text(NULL, "//xilinx:coreExtensions/xilinx:displayName")[0] != 0, "display name set");

  /* FuseSoC core */
  const char *name = text(NULL, "/spirit:component/spirit:name");
  snprintf(path, sizeof path, "%s/ip/%s.core", dir, name);
  char *core = slurp(path, NULL);
  check(core != NULL, "FuseSoC core %s exists", path);
  if (core) {
    char want[1100];
    snprintf(want, sizeof want, "name: \"%s\"", vlnv);
    check(!strncmp(core, "CAPI=2:", 7) && strstr(core, want) != NULL, "core is CAPI=2 with %s", want);
    snprintf(path, sizeof path, "%s/rtl", dir);
    DIR *dd = opendir(path);
    int missing = 0;
    for (struct dirent *e; dd && (e = readdir(dd));) {
      if (e->d_name[0] == '.') continue;
      snprintf(want, sizeof want, "- hdl/%s", e->d_name);
      missing += strstr(core, want) == NULL;
    }
    if (dd) closedir(dd);
    check(!missing, "core lists every file of DIR/rtl");
    snprintf(want, sizeof want, "toplevel: %s\n", top);
    check(strstr(core, want) != NULL, "core's toplevel is %s", top);
    free(core);
  }
  xmlXPathFreeContext(ctx);
  xmlFreeDoc(doc);
}

static void check_bad_vlnv(const char *model, const char *vlnv) {
  char dir[4096], err[4096];
  snprintf(dir, sizeof dir, "%s/badvlnv", work);
  snprintf(err, sizeof err, "%s/badvlnv.err", work);
  run("rm -rf '%s'", dir);
  int rc = run("'%s' -q '%s' -o '%s' --ip-vlnv='%s' 2>'%s'", qr, model, dir, vlnv, err);
  char *e = slurp(err, NULL);
  int lines = 0;
  for (char *p = e; p && *p; p++) lines += *p == '\n';
  if (e && lines) e[strlen(e) - 1] = 0;
  struct stat st;
  check(rc == 2 && e && !strncmp(e, "qonnx-rtl: error: --ip-vlnv", 27) && lines == 1 && stat(dir, &st) != 0,
        "--ip-vlnv='%s' is a usage error (exit %d, one line, no output): %s", vlnv, rc, e ? e : "");
  free(e);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: test_ipxact QONNX_RTL SHARED_DIR WORKDIR\n");
    return 2;
  }
  qr = argv[1];
  shared = argv[2];
  work = argv[3];
  char path[4096];
  struct stat st;
  snprintf(path, sizeof path, "%s/schemas/ipxact-1685-2009/index.xsd", shared);
  if (stat(path, &st) != 0) {
    printf("skip: %s not found (shared/ absent)\n", path);
    return 77;
  }
  if (run("xmllint --version >/dev/null 2>&1") != 0) {
    printf("skip: xmllint not installed (Debian libxml2-utils)\n");
    return 77;
  }
  run("mkdir -p '%s'", work);
  static const struct {
    const char *tag, *example, *opts, *family;
  } cases[] = {
      {"tfc_w1a1", "tfc-w1a1", "", "zynq"},
      {"tfc_w2a2", "tfc-w2a2", "--board=zcu104", "zynquplus"},
      {"tfc_w2a2_none", "tfc-w2a2", "--fold=none", "zynq"},
      {"mlp_odd", "mlp --seed 7 --layers 37,13,5 --wbits 3 --abits 3 --ibits 5", "", "zynq"},
      {"mlp_signed", "mlp --seed 11 --layers 21,9,3 --wbits 5 --abits 7 --ibits 7 --isigned 1",
       "--board=u250", "virtexuplus"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char model[4096], vlnv[512];
    snprintf(model, sizeof model, "%s/%s.onnx", work, cases[i].tag);
    int rc = run("'%s' -q example %s -o '%s'", qr, cases[i].example, model);
    check(rc == 0, "example %s written", cases[i].example);
    snprintf(vlnv, sizeof vlnv, "qonnx-rtl.org:user:qr_%s:1.0", cases[i].tag);
    if (!rc) check_compile(cases[i].tag, model, cases[i].opts, vlnv, cases[i].family);
  }
  snprintf(path, sizeof path, "%s/models/mnist-tfc/TFC_2W2A.onnx", shared);
  if (stat(path, &st) == 0)
    check_compile("TFC_2W2A", path, "", "qonnx-rtl.org:user:qr_TFC_2W2A:1.0", "zynq");
  else
    check(0, "shipped model %s present", path);
  snprintf(path, sizeof path, "%s/tfc_w1a1.onnx", work);
  check_compile("custom_vlnv", path, "--ip-vlnv=acme.com:nn:my_net-ip:2.13 --top=my_top",
                "acme.com:nn:my_net-ip:2.13", "zynq");
  check_bad_vlnv(path, "acme.com:nn:my_ip");
  check_bad_vlnv(path, "acme.com:nn:my_ip:1.0:extra");
  check_bad_vlnv(path, "acme.com::my_ip:1.0");
  check_bad_vlnv(path, "acme.com:nn:9ip:1.0");
  check_bad_vlnv(path, "acme.com:nn:my_ip:1.x");
  check_bad_vlnv(path, "acme com:nn:my_ip:1.0");
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
