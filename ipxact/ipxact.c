/* ipxact.c - DIR/ip/: component.xml (IEEE 1685-2009, written with libxml2 in
 * the shape Vivado's IP packager gives it), hdl/ copies of every .sv and .mem,
 * and a FuseSoC CAPI2 core (see ipxact.h).
 *
 * Layout of the component, element order as the 1685-2009 schema demands:
 *   vendor/library/name/version
 *   busInterfaces  s_axis_0 (axis slave), m_axis_0 (axis master, TLAST),
 *                  ap_rst_n (reset, ACTIVE_LOW), ap_clk (clock, ASSOCIATED_BUSIF
 *                  s_axis_0:m_axis_0, ASSOCIATED_RESET ap_rst_n)
 *   model          views (synthesis, simulation) -> file sets; ports; MemDir
 *   fileSets       every .sv (systemVerilogSource) and .mem (userFileType mem)
 *   description, parameters (MemDir, Component_Name)
 *   vendorExtensions xilinx:coreExtensions (supported families, /UserIP, ...)
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "frontend/onnx_build.h"
#include "ipxact/ipxact.h"
#include "ir/json.h"
#include "rtlgen/outdir.h"

#define SPIRIT_NS "http://www.spiritconsortium.org/XMLSchema/SPIRIT/1685-2009"
#define XILINX_NS "http://www.xilinx.com"
#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"

/* -------------------------------------------------------------- VLNV --- */

static bool vlnv_char(char c) { return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-'; }

const char *ipx_vlnv_problem(const char *s) {
  const char *f[4];
  size_t len[4];
  int n = 0;
  const char *p = s;
  for (;;) {
    if (n == 4) return "needs exactly four fields vendor:library:name:version";
    f[n] = p;
    while (*p && *p != ':') p++;
    len[n] = (size_t)(p - f[n]);
    n++;
    if (!*p) break;
    p++;
  }
  if (n != 4) return "needs exactly four fields vendor:library:name:version";
  for (int i = 0; i < 4; i++) {
    if (!len[i]) return "has an empty field";
    for (size_t k = 0; k < len[i]; k++)
      if (!vlnv_char(f[i][k])) return "fields may hold only letters, digits, '.', '_' and '-'";
  }
  if (!isalpha((unsigned char)f[2][0])) return "the name must start with a letter";
  for (size_t k = 0; k < len[3]; k++)
    if (!isdigit((unsigned char)f[3][k]) && f[3][k] != '.') return "the version must be digits and dots (1.0)";
  if (f[3][0] == '.' || f[3][len[3] - 1] == '.' || strstr(f[3], "..")) return "the version must be digits and dots (1.0)";
  return NULL;
}

ipx_vlnv ipx_vlnv_make(ir_arena *a, const char *s, const char *top) {
  ipx_vlnv v;
  if (!s) {
    v.vendor = "qonnx-rtl.org";
    v.library = "user";
    v.name = ir_strdup(a, top);
    v.version = "1.0";
    return v;
  }
  char *c = ir_strdup(a, s), *f[4] = {c, NULL, NULL, NULL};
  for (int i = 1; i < 4; i++) {
    f[i] = strchr(f[i - 1], ':');
    if (!f[i]) abort(); /* checked by ipx_vlnv_problem */
    *f[i]++ = 0;
  }
  v.vendor = f[0];
  v.library = f[1];
  v.name = f[2];
  v.version = f[3];
  return v;
}

const char *ipx_vlnv_str(ir_arena *a, const ipx_vlnv *v) {
  return ir_sprintf(a, "%s:%s:%s:%s", v->vendor, v->library, v->name, v->version);
}

/* ------------------------------------------------------ ports, streams -- */

void ipx_ports(const hw_design *d, ipx_port p[IPX_NPORTS]) {
  int iw = rtl_in_tdata_bits(d), ow = rtl_out_tdata_bits(d);
  const ipx_port ports[IPX_NPORTS] = {
      {"ap_clk", true, 1},          {"ap_rst_n", true, 1},         {"s_axis_0_tdata", true, iw},
      {"s_axis_0_tvalid", true, 1}, {"s_axis_0_tready", false, 1}, {"m_axis_0_tdata", false, ow},
      {"m_axis_0_tvalid", false, 1}, {"m_axis_0_tready", true, 1}, {"m_axis_0_tlast", false, 1},
  };
  memcpy(p, ports, sizeof ports);
}

static int pow2_at_least(int n) {
  int p = 1;
  while (p < n) p *= 2;
  return p;
}

void ipx_streams(const hw_design *d, ipx_stream *in, ipx_stream *out) {
  in->type = d->in_type;
  in->elems = rtl_in_elems_per_beat(d);
  in->tdata_bytes = rtl_in_tdata_bits(d) / 8;
  in->mem_beat_bytes = pow2_at_least(in->tdata_bytes);
  in->beats = rtl_in_beats_per_frame(d);
  in->frame_elems = d->in_elems;
  out->type = d->out_type;
  out->elems = rtl_out_elems_per_beat(d);
  out->tdata_bytes = rtl_out_tdata_bits(d) / 8;
  out->mem_beat_bytes = pow2_at_least(out->tdata_bytes);
  out->beats = rtl_out_beats_per_frame(d);
  out->frame_elems = d->out_elems;
}

/* ------------------------------------------------------------- files --- */

int ipx_copy_file(const char *from, const char *to) {
  FILE *f = fopen(from, "rb");
  if (!f) return ir_errorf(from, NULL, "cannot read: %s", strerror(errno));
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  if (!buf) abort();
  for (;;) {
    if (len == cap && !(buf = realloc(buf, cap *= 2))) abort();
    size_t n = fread(buf + len, 1, cap - len, f);
    if (!n) break;
    len += n;
  }
  int err = ferror(f);
  fclose(f);
  int rc = err ? ir_errorf(from, NULL, "read failed") : ob_write_file_atomic(to, buf, len);
  free(buf);
  return rc;
}

static bool has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), k = strlen(suf);
  return n >= k && !strcmp(s + n - k, suf);
}

/* ----------------------------------------------------------- the XML --- */

typedef struct xw {
  xmlNsPtr sp, xi, xsi;
  ir_arena *a;
} xw;

/* <spirit:NAME>text</spirit:NAME> (text escaped; NULL = empty element). */
static xmlNodePtr sp(xw *w, xmlNodePtr parent, const char *name, const char *text) {
  return xmlNewTextChild(parent, w->sp, BAD_CAST name, text ? BAD_CAST text : NULL);
}

static xmlNodePtr xi(xw *w, xmlNodePtr parent, const char *name, const char *text) {
  return xmlNewTextChild(parent, w->xi, BAD_CAST name, text ? BAD_CAST text : NULL);
}

static void sp_attr(xw *w, xmlNodePtr n, const char *name, const char *value) {
  xmlNewNsProp(n, w->sp, BAD_CAST name, BAD_CAST value);
}

/* <spirit:busType spirit:vendor=.. library name version/> and its _rtl abstraction. */
static void bus_type(xw *w, xmlNodePtr bi, const char *library, const char *name) {
  xmlNodePtr t = sp(w, bi, "busType", NULL);
  sp_attr(w, t, "vendor", "xilinx.com");
  sp_attr(w, t, "library", library);
  sp_attr(w, t, "name", name);
  sp_attr(w, t, "version", "1.0");
  xmlNodePtr a = sp(w, bi, "abstractionType", NULL);
  sp_attr(w, a, "vendor", "xilinx.com");
  sp_attr(w, a, "library", library);
  sp_attr(w, a, "name", ir_sprintf(w->a, "%s_rtl", name));
  sp_attr(w, a, "version", "1.0");
}

static void port_map(xw *w, xmlNodePtr maps, const char *logical, const char *physical) {
  xmlNodePtr m = sp(w, maps, "portMap", NULL);
  sp(w, sp(w, m, "logicalPort", NULL), "name", logical);
  sp(w, sp(w, m, "physicalPort", NULL), "name", physical);
}

/* A bus-interface parameter with Vivado's id BUSIFPARAM_VALUE.<IF>.<NAME>. */
static void bus_param(xw *w, xmlNodePtr params, const char *busif, const char *name,
                      const char *value, bool is_long) {
  xmlNodePtr p = sp(w, params, "parameter", NULL);
  sp(w, p, "name", name);
  xmlNodePtr v = sp(w, p, "value", value);
  if (is_long) sp_attr(w, v, "format", "long");
  char *id = ir_sprintf(w->a, "BUSIFPARAM_VALUE.%s.%s", busif, name);
  for (char *c = id; *c; c++) *c = (char)toupper((unsigned char)*c);
  sp_attr(w, v, "id", id);
}

static void axis_busif(xw *w, xmlNodePtr bis, const char *name, bool master, int tdata_bytes) {
  xmlNodePtr bi = sp(w, bis, "busInterface", NULL);
  sp(w, bi, "name", name);
  bus_type(w, bi, "interface", "axis");
  sp(w, bi, master ? "master" : "slave", NULL);
  xmlNodePtr maps = sp(w, bi, "portMaps", NULL);
  static const char *const sig[] = {"TDATA", "TVALID", "TREADY", "TLAST"};
  for (int i = 0; i < (master ? 4 : 3); i++) {
    char *phys = ir_sprintf(w->a, "%s_%s", name, sig[i]);
    for (char *c = phys + strlen(name); *c; c++) *c = (char)tolower((unsigned char)*c);
    port_map(w, maps, sig[i], phys);
  }
  xmlNodePtr params = sp(w, bi, "parameters", NULL);
  bus_param(w, params, name, "TDATA_NUM_BYTES", ir_sprintf(w->a, "%d", tdata_bytes), true);
  bus_param(w, params, name, "HAS_TLAST", master ? "1" : "0", true);
}

static void signal_busif(xw *w, xmlNodePtr bis, const char *name, const char *kind,
                         const char *logical, const char *const *params) {
  xmlNodePtr bi = sp(w, bis, "busInterface", NULL);
  sp(w, bi, "name", name);
  bus_type(w, bi, "signal", kind);
  sp(w, bi, "slave", NULL);
  port_map(w, sp(w, bi, "portMaps", NULL), logical, name);
  xmlNodePtr ps = sp(w, bi, "parameters", NULL);
  for (; params[0]; params += 2) bus_param(w, ps, name, params[0], params[1], false);
}

static const char *const view_names[2] = {"xilinx_anylanguagesynthesis",
                                          "xilinx_anylanguagebehavioralsimulation"};

static void views(xw *w, xmlNodePtr model, const char *top) {
  static const char *const disp[2] = {"Synthesis", "Simulation"};
  static const char *const env[2] = {":vivado.xilinx.com:synthesis", ":vivado.xilinx.com:simulation"};
  xmlNodePtr vs = sp(w, model, "views", NULL);
  for (int i = 0; i < 2; i++) {
    xmlNodePtr v = sp(w, vs, "view", NULL);
    sp(w, v, "name", view_names[i]);
    sp(w, v, "displayName", disp[i]);
    sp(w, v, "envIdentifier", env[i]);
    sp(w, v, "language", "SystemVerilog");
    sp(w, v, "modelName", top);
    sp(w, sp(w, v, "fileSetRef", NULL), "localName",
       ir_sprintf(w->a, "%s_view_fileset", view_names[i]));
  }
}

static void ports(xw *w, xmlNodePtr model, const hw_design *d) {
  ipx_port p[IPX_NPORTS];
  ipx_ports(d, p);
  xmlNodePtr ps = sp(w, model, "ports", NULL);
  for (int i = 0; i < IPX_NPORTS; i++) {
    xmlNodePtr port = sp(w, ps, "port", NULL);
    sp(w, port, "name", p[i].name);
    xmlNodePtr wire = sp(w, port, "wire", NULL);
    sp(w, wire, "direction", p[i].in ? "in" : "out");
    if (p[i].width > 1) {
      xmlNodePtr vec = sp(w, wire, "vector", NULL);
      sp_attr(w, sp(w, vec, "left", ir_sprintf(w->a, "%d", p[i].width - 1)), "format", "long");
      sp_attr(w, sp(w, vec, "right", "0"), "format", "long");
    }
    xmlNodePtr td = sp(w, sp(w, wire, "wireTypeDefs", NULL), "wireTypeDef", NULL);
    sp(w, td, "typeName", p[i].width > 1 ? "std_logic_vector" : "std_logic");
    for (int k = 0; k < 2; k++) sp(w, td, "viewNameRef", view_names[k]);
    if (!strcmp(p[i].name, "m_axis_0_tready")) /* unconnected: never stall */
      sp_attr(w, sp(w, sp(w, wire, "driver", NULL), "defaultValue", "1"), "format", "long");
  }
}

static void model_params(xw *w, xmlNodePtr model) {
  xmlNodePtr mps = sp(w, model, "modelParameters", NULL);
  xmlNodePtr mp = sp(w, mps, "modelParameter", NULL);
  xmlNewNsProp(mp, w->xsi, BAD_CAST "type", BAD_CAST "spirit:nameValueTypeType");
  sp_attr(w, mp, "dataType", "string");
  sp(w, mp, "name", "MemDir");
  sp(w, mp, "displayName", "Mem Dir");
  xmlNodePtr v = sp(w, mp, "value", NULL);
  sp_attr(w, v, "resolve", "generated");
  sp_attr(w, v, "id", "MODELPARAM_VALUE.MemDir");
}

static void file_sets(xw *w, xmlNodePtr comp, const rtl_files *files) {
  xmlNodePtr fss = sp(w, comp, "fileSets", NULL);
  for (int i = 0; i < 2; i++) {
    xmlNodePtr fs = sp(w, fss, "fileSet", NULL);
    sp(w, fs, "name", ir_sprintf(w->a, "%s_view_fileset", view_names[i]));
    /* sources first (in rtlgen's order: library units, then the top), then memories */
    for (int pass = 0; pass < 2; pass++)
      for (int k = 0; k < files->n; k++) {
        bool mem = has_suffix(files->name[k], ".mem");
        if (mem != (pass == 1)) continue;
        xmlNodePtr f = sp(w, fs, "file", NULL);
        sp(w, f, "name", ir_sprintf(w->a, "hdl/%s", files->name[k]));
        if (mem) {
          sp(w, f, "userFileType", "mem");
        } else {
          sp(w, f, "fileType", has_suffix(files->name[k], ".v") ? "verilogSource" : "systemVerilogSource");
          sp(w, f, "logicalName", "xil_defaultlib");
        }
      }
  }
}

static void comp_params(xw *w, xmlNodePtr comp, const ipx_vlnv *v) {
  xmlNodePtr ps = sp(w, comp, "parameters", NULL);
  xmlNodePtr p = sp(w, ps, "parameter", NULL);
  sp(w, p, "name", "MemDir");
  sp(w, p, "displayName", "Mem Dir");
  xmlNodePtr val = sp(w, p, "value", NULL);
  sp_attr(w, val, "resolve", "user");
  sp_attr(w, val, "id", "PARAM_VALUE.MemDir");
  p = sp(w, ps, "parameter", NULL);
  sp(w, p, "name", "Component_Name");
  char *cname = ir_sprintf(w->a, "%s_v%s", v->name, v->version);
  for (char *c = cname; *c; c++)
    if (*c == '.' || *c == '-') *c = '_';
  val = sp(w, p, "value", cname);
  sp_attr(w, val, "resolve", "user");
  sp_attr(w, val, "id", "PARAM_VALUE.Component_Name");
  sp_attr(w, val, "order", "1");
}

/* The part's family first, then the other families the RTL is known to fit
 * (plain synchronous SystemVerilog, inferred RAM/ROM and DSP). */
static const char *const families[] = {"zynq",        "zynquplus",   "virtexuplus", "virtexuplusHBM",
                                       "kintexuplus", "artixuplus",  "virtexu",     "kintexu",
                                       "virtex7",     "kintex7",     "artix7",      "spartan7",
                                       "versal",      NULL};

static void vendor_ext(xw *w, xmlNodePtr comp, const ipx_vlnv *v, const char *family) {
  xmlNodePtr ce = xi(w, sp(w, comp, "vendorExtensions", NULL), "coreExtensions", NULL);
  xmlNodePtr sf = xi(w, ce, "supportedFamilies", NULL);
  if (family) xmlNewNsProp(xi(w, sf, "family", family), w->xi, BAD_CAST "lifeCycle", BAD_CAST "Production");
  for (int i = 0; families[i]; i++)
    if (!family || strcmp(family, families[i]))
      xmlNewNsProp(xi(w, sf, "family", families[i]), w->xi, BAD_CAST "lifeCycle", BAD_CAST "Production");
  xi(w, xi(w, ce, "taxonomies", NULL), "taxonomy", "/UserIP");
  xi(w, ce, "displayName", v->name);
  xi(w, ce, "definitionSource", "package_project");
  xi(w, ce, "vendorDisplayName", v->vendor);
  xi(w, ce, "coreRevision", "1");
}

static int write_component_xml(const hw_design *d, const char *path, const char *top,
                               const rtl_files *files, const ipx_vlnv *v, const char *family) {
  ir_arena *a = d->g->arena;
  xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
  xmlNodePtr comp = xmlNewNode(NULL, BAD_CAST "component");
  xmlDocSetRootElement(doc, comp);
  xw w = {0};
  w.a = a;
  w.xi = xmlNewNs(comp, BAD_CAST XILINX_NS, BAD_CAST "xilinx");
  w.sp = xmlNewNs(comp, BAD_CAST SPIRIT_NS, BAD_CAST "spirit");
  w.xsi = xmlNewNs(comp, BAD_CAST XSI_NS, BAD_CAST "xsi");
  xmlSetNs(comp, w.sp);

  sp(&w, comp, "vendor", v->vendor);
  sp(&w, comp, "library", v->library);
  sp(&w, comp, "name", v->name);
  sp(&w, comp, "version", v->version);

  ipx_stream in, out;
  ipx_streams(d, &in, &out);
  xmlNodePtr bis = sp(&w, comp, "busInterfaces", NULL);
  axis_busif(&w, bis, "s_axis_0", false, in.tdata_bytes);
  axis_busif(&w, bis, "m_axis_0", true, out.tdata_bytes);
  signal_busif(&w, bis, "ap_rst_n", "reset", "RST", (const char *const[]){"POLARITY", "ACTIVE_LOW", NULL});
  signal_busif(&w, bis, "ap_clk", "clock", "CLK",
               (const char *const[]){"ASSOCIATED_BUSIF", "s_axis_0:m_axis_0", "ASSOCIATED_RESET",
                                     "ap_rst_n", NULL});

  xmlNodePtr model = sp(&w, comp, "model", NULL);
  views(&w, model, top);
  ports(&w, model, d);
  model_params(&w, model);
  file_sets(&w, comp, files);
  sp(&w, comp, "description",
     ir_sprintf(a, "qonnx-rtl streaming accelerator for %s: %lld x %s in (%d per beat), "
                   "%lld x %s out (%d per beat)",
                d->g->file, (long long)in.frame_elems, hw_etype_name(a, in.type), in.elems,
                (long long)out.frame_elems, hw_etype_name(a, out.type), out.elems));
  comp_params(&w, comp, v);
  vendor_ext(&w, comp, v, family);

  xmlChar *buf = NULL;
  int len = 0;
  xmlDocDumpFormatMemoryEnc(doc, &buf, &len, "UTF-8", 1);
  xmlFreeDoc(doc);
  if (!buf) return ir_errorf(path, NULL, "cannot serialise the XML");
  int rc = ob_write_file_atomic(path, buf, (size_t)len);
  xmlFree(buf);
  return rc;
}

/* ------------------------------------------------------ FuseSoC core --- */

static int write_core(const hw_design *d, const char *path, const char *top, const rtl_files *files,
                      const ipx_vlnv *v) {
  json_atomic wa;
  FILE *f = json_atomic_open(&wa, path);
  if (!f) return -1;
  fprintf(f, "CAPI=2:\n"
             "# FuseSoC core of the qonnx-rtl design %s (generated from %s; the same\n"
             "# sources as component.xml).  The .mem files are copied beside the\n"
             "# simulator's working directory, where $readmemh looks with MemDir \"\".\n"
             "name: \"%s:%s:%s:%s\"\n"
             "description: \"qonnx-rtl streaming accelerator %s\"\n\n"
             "filesets:\n  rtl:\n    file_type: systemVerilogSource\n    files:\n",
          top, d->g->file, v->vendor, v->library, v->name, v->version, top);
  for (int k = 0; k < files->n; k++)
    if (!has_suffix(files->name[k], ".mem")) fprintf(f, "      - hdl/%s\n", files->name[k]);
  fprintf(f, "  mem:\n    file_type: user\n    files:\n");
  int nmem = 0;
  for (int k = 0; k < files->n; k++)
    if (has_suffix(files->name[k], ".mem")) {
      fprintf(f, "      - hdl/%s: {copyto: %s}\n", files->name[k], files->name[k]);
      nmem++;
    }
  if (!nmem) fprintf(f, "      []\n");
  fprintf(f, "\ntargets:\n"
             "  default: &default\n"
             "    filesets: [rtl, mem]\n"
             "    toplevel: %s\n"
             "    parameters: [MemDir]\n"
             "  lint:\n"
             "    <<: *default\n"
             "    default_tool: verilator\n"
             "    tools:\n"
             "      verilator:\n"
             "        mode: lint-only\n"
             "        verilator_options: [-Wno-fatal]\n"
             "  sim:\n"
             "    <<: *default\n"
             "    default_tool: icarus\n"
             "    tools:\n"
             "      icarus:\n"
             "        iverilog_options: [-g2012]\n\n"
             "parameters:\n"
             "  MemDir:\n"
             "    datatype: str\n"
             "    paramtype: vlogparam\n"
             "    description: directory prefix of the .mem files (empty = working directory)\n",
          top);
  return json_atomic_close(&wa, true);
}

/* --------------------------------------------------------- the whole --- */

int ipx_write(const hw_design *d, const char *dir, const char *top, const rtl_files *files,
              const ipx_vlnv *v, const char *family) {
  ir_arena *a = d->g->arena;
  const char *ip = ir_sprintf(a, "%s/ip", dir), *hdl = ir_sprintf(a, "%s/ip/hdl", dir);
  if (od_mkdirs(hdl)) return ir_errorf(hdl, NULL, "cannot create: %s", strerror(errno));
  for (int k = 0; k < files->n; k++)
    if (ipx_copy_file(ir_sprintf(a, "%s/rtl/%s", dir, files->name[k]),
                      ir_sprintf(a, "%s/%s", hdl, files->name[k])))
      return -1;
  if (write_component_xml(d, ir_sprintf(a, "%s/component.xml", ip), top, files, v, family)) return -1;
  return write_core(d, ir_sprintf(a, "%s/%s.core", ip, v->name), top, files, v);
}
