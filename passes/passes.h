/* passes.h - the optimisation pipeline: each pass is `void pass_<name>(Graph *)` in a
   file of its own, listed once in the pass table (manager.c) and run in that order. */
#ifndef PASSES_H
#define PASSES_H

#include "../ir/ir.h"

/* what the rewrite search did, for the report */
typedef struct {
	int explored;        /* graphs costed */
	double greedy_cost;  /* modelled cost after the greedy rules */
	double best_cost;    /* of the graph kept */
	double seconds;      /* time in the rewrite pass */
} SearchStats;

typedef struct {
	const char *dump_after; /* comma-separated pass names, or "all"; NULL for none */
	int verify_each;        /* run the verifier after every pass */
	FILE *dump;             /* where dumps go (stderr by default) */
	int level;              /* optimisation level: 0 turns rewriting off (-O0); default 1 */
	const unsigned char *enabled; /* per rule of rw_rules; NULL: all */
	int *rule_counts;       /* out: times each rule fired (rw_nrules entries), or NULL */
	int verbose;            /* print each rewrite and the search on stderr */
	SearchStats *search;    /* out, or NULL */
	double search_alpha;    /* keep graphs up to alpha times the best cost (1.05) */
	int search_budget;      /* graphs the search may cost; 0 turns it off (64) */
	double cost_ram;        /* cost of one arena byte, in estimated cycles (1) */
	double cost_flash;      /* cost of one byte of weights, in estimated cycles (0.05) */
	int qdq_float;          /* 1: quantized groups run as their float ops between
				   QuantizeLinear and DequantizeLinear kernels (--qdq float) */
	void (*progress)(const char *what, double fraction); /* told each pass, or NULL */
	const IrTarget *target; /* the core prepares make code for (--target); NULL portable */
	int64_t scratch_limit;  /* most scratch bytes of one kernel call (--scratch-limit);
				   -1 none */
	int int8_compact;       /* 1: int8 weights as the model has them, on any target
				   (--int8-layout compact) */
	int io_in_arena;        /* 1: graph inputs and outputs in the arena (--io-in-arena) */
	int patch_bands;        /* >= 2: the first layers run in that many bands of rows
				   (pass_patch; the CLI sets it under --ram-limit) */
	int schedule;           /* 1: pass_schedule may reorder nodes to lower the peak;
				   0: the order stays (--schedule given) */
} PassOptions;

#define PASS_DEFAULTS \
	{NULL, 0, NULL, 1, NULL, NULL, 0, NULL, 1.05, 64, 1.0, 0.05, 0, NULL, NULL, -1, 0, 0, 0, 1}

void pass_flow(Graph *g);     /* unrolls control flow, resolves sequences and optionals */
void pass_fold(Graph *g);     /* shape inference and constant folding, float16 widening */
void pass_identity(Graph *g); /* removes nodes whose output is their input unchanged */
void pass_dce(Graph *g);      /* removes nodes nothing reads */
void pass_quant(Graph *g);    /* QDQ groups and QLinear ops become integer ops */
void pass_rewrite(Graph *g);  /* graph substitution and fusion by the rules of rules.c */
void pass_patch(Graph *g);    /* the first layers in bands of rows (patch-based execution) */
void pass_lower(Graph *g);    /* lowers every node to kernel calls */
void pass_schedule(Graph *g); /* the order of nodes with the lowest peak of live bytes */
void pass_plan(Graph *g);     /* assigns arena offsets by liveness */

/* runs the pipeline; 0 on success, -1 when a pass reported errors */
int passes_run(Graph *g, const PassOptions *opt);
/* runs the pipeline up to and including the named pass */
int passes_run_until(Graph *g, const PassOptions *opt, const char *last);
const char *passes_names(void); /* "fold, identity, ..." for help texts */
const PassOptions *passes_options(void); /* of the pipeline running now (never NULL) */

/* infers one node and folds it when its inputs are constant (widening float16 first);
   -1 when its shapes could not be inferred */
int fold_node(Graph *g, int node);

/* a buffer to place (place.c): bytes, lifetime in steps (inclusive) and, out, its offset.
   The pieces of one buffer that grows (an in-place kernel's output larger than its input)
   get one offset; their lifetimes do not overlap. `with` is 0 for a buffer alone or the
   first piece, 1 + the first piece's index for the others. */
typedef struct {
	int64_t size, offset;
	int first, last;
	int with;
} PlaceBuf;

/* the largest sum of sizes (8-byte aligned) of buffers live at one step: no placement
   needs less */
int64_t place_live_peak(const PlaceBuf *b, int n);
/* offsets (8-byte aligned) where no two buffers live at one step share a byte, the pieces
   of a group at one offset, from the smallest arena several strategies found; returns
   its size, *live_peak the bound */
int64_t place_buffers(PlaceBuf *b, int n, int64_t *live_peak);

void plan_print(Graph *g, FILE *f);
int plan_check(Graph *g);     /* 0 when no two live buffers overlap */

#endif
