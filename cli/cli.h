/* cli.h - shared by the command implementations in cli/. */
#ifndef CLI_H
#define CLI_H

#include "../frontend/onnx.h"
#include "../passes/calib.h"
#include "../passes/passes.h"

#include "o2m_version.h" /* O2M_VERSION, made by the Makefile */

enum { EXIT_MODEL = 1, EXIT_USAGE = 2, EXIT_IO = 3, EXIT_MISMATCH = 4 };

/* one quantized tensor of a model quantized by --quantize: how far it is from float */
typedef struct {
	const char *tensor; /* the float model's name for it */
	const char *node;   /* the node of the int8 graph that writes it, and its op */
	const char *op;
	double sqnr_db;     /* over the calibration samples */
} QuantLayer;

typedef struct {
	const char *model, *out, *name, *data, *reference, *cc, *cflags, *keep, *code;
	const char *target, *qemu; /* validate --target CORE, --qemu PATH */
	DimPin *dims;
	InputBind *binds;
	SeqLayout *layouts;  /* --seq, --empty */
	int ndims, nbinds, nlayouts;
	int shared_runtime, shape_inputs, per_node, quiet;
	double atol, rtol;
	PassOptions passes;
	unsigned char *rule_on; /* per rewrite rule: enabled (--disable-rule clears) */
	int *rule_counts;       /* per rewrite rule: times applied */
	SearchStats search;
	const char *report;     /* compile --report FILE.json */
	const char *depfile;    /* compile --depfile FILE */
	const char *report_html; /* compile --report-html FILE.html */
	const char *memory_plan; /* --memory-plan FILE.json */
	FileList files;         /* external data files the model was read with */
	char seq_text[1024];    /* the --seq and --empty options, for the stamp */
	int nodes_in;           /* nodes of the model as loaded */
	LoadOptions load;
	int quantize;           /* --quantize int8 */
	const char **calib;     /* --calib PATH, in order */
	int ncalib;
	CalibOptions calib_opt; /* --calib-method */
	void *calib_state;      /* the samples and the float graph, from cli_calibrate to
				   cli_quant_report */
	QuantLayer *qlayers;    /* per-layer SQNR of the int8 graph (cli_quant_report) */
	int nqlayers, qsamples;
	const struct Mcu *mcu;  /* --mcu NAME, or NULL */
	int64_t ram_limit;      /* --ram-limit (or the --mcu's SRAM); 0 for none */
	int patches_set;        /* --patches given: the compiler does not choose */
	int64_t unpatched_ram;  /* when --ram-limit chose patches: the RAM and estimated */
	int64_t unpatched_cycles; /* cycles of the build without them (the report says) */
	int64_t flash_limit;    /* --flash-limit (or the --mcu's flash); 0 for none */
	int force;              /* --force: over a limit is a warning */
	int arena_extern;       /* --arena extern: NAME_run_with takes the arena */
} CliOptions;

extern const char *usage_validate;
extern const char *usage_tensor;
extern const char *usage_ops;
extern const char *usage_rules;

/* the names of --calib-method's methods, by CalMethod */
extern const char *const cli_calib_methods[4];
/* --quantize int8: reads the --calib samples and quantizes g (passes/calib.c); 0 or -1 */
int cli_calibrate(Graph *g, CliOptions *o);
/* the pipeline on a loaded graph, with the calibration --quantize asks for; 0 or -1 */
int cli_passes(Graph *g, CliOptions *o);
/* after the pipeline: the per-layer SQNR of the int8 graph q against the float one on the
   calibration samples (o->qlayers, in schedule order); frees what cli_calibrate kept */
int cli_quant_report(Graph *q, CliOptions *o);
void cli_calib_free(CliOptions *o);
/* the float tensor an int8 one of a quantized graph stands for: NAME_quantized (a
   QuantizeLinear the calibration made) and NAME.q (one the quant pass made) stand for
   NAME; any other name for itself. In buf when shortened. */
const char *cli_float_name(const char *name, char *buf, size_t len);
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);
const char *cli_default_name(const char *model);
const char *cli_basename(const char *path);
/* a whole file, with a 0 after its bytes (*len of them when len is set); NULL when it
   cannot be read */
char *cli_slurp(const char *path, size_t *len);
Graph *cli_build(CliOptions *o);
void cli_free(CliOptions *o);
int cli_inspect(CliOptions *o);
int cli_validate(CliOptions *o);
int cli_tensor(int argc, char **argv);
int cli_ops(int argc, char **argv);
int cli_rules(int argc, char **argv);

/* report.c: per-layer table and JSON report of a compiled graph */
typedef struct {
	int kernels;
	int64_t macs, cycles, arena, weights;
} ReportTotals;
void cli_totals(Graph *g, ReportTotals *t);
/* one kernel call of the run function; calls are the steps of the schedule */
typedef struct {
	int node, call;  /* g->n[node]'s call-th kernel call */
	int out;         /* the tensor it writes (its node's first output), or -1 */
	IrCost cost;
	int64_t live;    /* arena bytes in use during the call */
	double sqnr_db;  /* --quantize: its int8 output against float; NAN when none */
} ReportLayer;
/* one arena buffer of the plan: bytes [offset, offset + size) in use from step first
   to step last (views of it included) */
typedef struct {
	int tensor;      /* the tensor it holds, or -1 for a scratch buffer */
	int node;        /* its producer (the node a scratch buffer belongs to), or -1 */
	int first, last;
	int64_t offset, size;
} ReportBuf;
typedef struct {
	ReportTotals tot;
	ReportLayer *layer;
	ReportBuf *buf;
	int nlayers, nbufs;
	int *node_step;  /* per node: the step of its first call (a node without calls: the
			    next call's) */
} Report;
/* what the layer table, the JSON report and the HTML page show; o may be NULL */
void cli_report_gather(Graph *g, const CliOptions *o, Report *r);
void cli_report_free(Report *r);
const char *cli_storage_name(const Graph *g, int t); /* arena, input, output, flash */
void cli_shape_text(const Tensor *t, char *buf, size_t len); /* "[1,49,10]" */
void cli_layers_print(Graph *g, FILE *f);
void cli_timeline_print(Graph *g, FILE *f); /* the arena as text, for inspect */
int cli_report_write(Graph *g, const CliOptions *o, const char *path);
/* --memory-plan FILE.json: every arena buffer {name, root, offset, size, first, last} */
int cli_memory_plan_write(Graph *g, const char *path);
/* output files appear whole or not at all: written to a temporary file in the same
   folder (in tmp, len bytes), then renamed over path by cli_out_close; a failure there
   says so on stderr and removes the temporary file */
FILE *cli_out_open(const char *path, char *tmp, size_t len);
int cli_out_close(FILE *f, const char *tmp, const char *path);

/* stamp.c: how the generated header says it was made, and validate --code's check */
typedef struct {
	char version[32];
	char sha256[65];     /* of the model file */
	char options[2048];  /* the options that change the output, canonical */
} CliStamp;
int cli_stamp(const CliOptions *o, const char *name, CliStamp *s);
int cli_stamp_check(const char *dir, const char *name, const CliStamp *want);

/* fit.c: the parts --mcu knows (cli/mcus.def) and the check against the limits */
typedef struct Mcu {
	const char *name, *family, *core;
	int64_t sram, flash; /* bytes */
	const char *note;
} Mcu;
extern const Mcu cli_mcus_table[];
extern const int cli_nmcus;
extern const char *usage_mcus;
const Mcu *cli_mcu_find(const char *name); /* case-insensitive; NULL when unknown */
int cli_mcus(int argc, char **argv);
/* RAM (arena + input and output buffers), of it the buffers, and weight bytes */
void cli_fit_bytes(Graph *g, int64_t *ram, int64_t *io, int64_t *flash);
/* 0 when g fits the limits (or --force); else errors and notes, and -1 */
int cli_fit_check(Graph *g, const CliOptions *o);
/* how much of the limits g takes, for the summary line ("" without limits) */
void cli_fit_text(Graph *g, const CliOptions *o, char *buf, size_t len);

/* progress.c: a line on stderr saying what a long compile is doing (a terminal only) */
void cli_progress_start(int quiet);
void cli_progress(const char *what, double fraction); /* fraction -1: unknown */
void cli_progress_end(void); /* erases the line */
double cli_now(void); /* seconds on a monotonic clock */

/* depfile.c: a Make rule `target: the model, its external data, bind files, onnx2mcu` */
int cli_depfile_write(const char *path, const char *target, const CliOptions *o);
/* the rule into f, relative paths after prefix (NULL: as they are), extra (NULL: none)
   among the prerequisites; and text written whole or not at all into path */
void cli_depfile_rule(FILE *f, const char *prefix, const char *target, const CliOptions *o,
		      const char *extra);
int cli_depfile_save(const char *path, const char *text, size_t len);

/* main.c: the options of cmd in argv (no command name) into o; 0 or an exit code */
int cli_parse(const char *cmd, int argc, char **argv, CliOptions *o);
/* main.c: compile with parsed options (o->model, o->out, ...); an exit code */
int cli_compile(CliOptions *o);
/* whether cmd takes option opt ("--dim"): 1 with a value, 0 as a flag, -2 when it is
   another command's option, -1 when there is no such option */
int cli_option_takes(const char *cmd, const char *opt);
/* build.c: onnx2mcu build FILE.json */
extern const char *usage_build;
int cli_build_project(int argc, char **argv);

/* html.c: compile --report-html FILE, one self-contained page (docs/memory-planning.md) */
int cli_html_write(Graph *g, const CliOptions *o, const CliStamp *s, const char *name,
		   const char *path);

#endif
