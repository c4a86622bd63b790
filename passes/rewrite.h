/* rewrite.h - the rewrite engine (rewrite.c) and its rules (rules*.c). A rule is one row
   of data: a name, a pattern written in the rule language (docs/rewrites.md), a guard
   that checks what the pattern cannot say, and a builder that makes the right side.
   The engine matches every rule at every node to a fixpoint. */
#ifndef REWRITE_H
#define REWRITE_H

#include "passes.h"

#define RW_MAXN 16 /* nodes in one pattern */
#define RW_MAXV 16 /* variables in one pattern */
#define RW_MAXIN 8 /* operands of one pattern node */

/* a pattern compiled from its text */
typedef struct {
	OpKind ops[12];
	int nops;
	char name[16];    /* '#name', or "" */
	int nin, rest;    /* listed operands; rest: '...' lets further inputs be anything */
	int in[RW_MAXIN]; /* >= 0: pattern node; < 0: variable -1 - in */
} RwNode;

typedef struct {
	char name[16];    /* "" for '_' */
	int is_const;     /* ':c' */
	int optional;     /* '?': may be an absent input */
} RwVar;

typedef struct {
	RwNode node[RW_MAXN]; /* node 0 is the root */
	int nnode;
	RwVar var[RW_MAXV];
	int nvar;
} RwPattern;

/* what a pattern matched: a node per pattern node, a tensor (or -1) per variable */
typedef struct {
	const RwPattern *pat;
	int node[RW_MAXN];
	int var[RW_MAXV];
} RwMatch;

typedef struct {
	const char *name;    /* for --disable-rule, the report and -v */
	const char *pattern; /* the left side in the rule language */
	int (*guard)(Graph *g, const RwMatch *m);  /* 1: the rule applies */
	int (*build)(Graph *g, const RwMatch *m);  /* makes the right side; 0 done, -1 gave up
						      without changing the graph */
	const char *doc;     /* one line for docs/rewrites.md */
} RwRule;

extern const RwRule rw_rules[];        /* applied greedily: each is always a win */
extern const int rw_nrules;
extern const RwRule rw_search_rules[]; /* explored by the search: a win or not */
extern const int rw_nsearch_rules;

/* ---- the engine ---- */
int rw_parse(const char *text, RwPattern *p, char *err, size_t errlen); /* 0 ok */
/* matches rule r's pattern with its root at node; fills m; 1 on a match */
int rw_match(Graph *g, const RwPattern *p, int node, RwMatch *m);
/* applies the enabled rules to a fixpoint; counts[r] += times rule r fired.
   enabled may be NULL (all); returns the number of rewrites */
int rw_run(Graph *g, const unsigned char *enabled, int *counts, int verbose);
int rw_rule_find(const char *name); /* -1 when unknown */
/* rule r of the table matches at node (and its guard holds); with apply, builds it
   too. 1 when it matched (and was built). The caller runs ir_toposort after building. */
int rw_try_at(Graph *g, const RwRule *rules, int nrules, int r, int node, int apply);
/* the same with another rule table (tests bring their own) */
int rw_run_rules(Graph *g, const RwRule *rules, int n, const unsigned char *enabled,
		 int *counts, int verbose);

/* the cost-guided search over rw_search_rules (search.c); g is replaced by the best
   graph found when it beats the greedy one */
void rw_search(Graph *g, const PassOptions *o, SearchStats *st);

/* ---- what guards and builders use ---- */
int rw_t(const RwMatch *m, const char *var);  /* tensor of $var, -1 when absent */
int rw_n(const RwMatch *m, const char *name); /* node of #name, -1 when unknown */
/* a new node of op writing the existing tensor out (or a new tensor when out < 0);
   inputs ins[0..nin), absent as -1; attributes copied from node `like` when >= 0.
   Records the ONNX nodes of the match as fused into it. Returns the node id. */
int rw_node(Graph *g, const RwMatch *m, OpKind op, const int *ins, int nin, int out, int like);
/* a new constant tensor */
int rw_const(Graph *g, const char *name, DType dt, int rank, const int64_t *dims,
	     const void *data);
/* kills a node, or every matched node (their uses leave the use index) */
void rw_kill_node(Graph *g, int node);
void rw_kill_match(Graph *g, const RwMatch *m);
int rw_root_out(const Graph *g, const RwMatch *m); /* the output the rule replaces */
/* infers the shapes of node's outputs; -1 when it fails (the builder gives up) */
int rw_infer(Graph *g, int node);
/* t holds one value (any shape of one element, or all elements equal) equal to v */
int rw_const_all(Graph *g, int t, double v);
/* t is a constant whose every element equals the first; the value in *v */
int rw_const_scalar(Graph *g, int t, double *v);
/* the constant as float32 values (a fresh array in the graph arena), NULL if not float */
float *rw_floats(Graph *g, int t);

#endif
