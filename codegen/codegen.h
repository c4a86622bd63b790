/* codegen.h - IR to standalone C: NAME.h, NAME.c and the runtime-stub files the model
   uses, written to a folder that replaces the old one only once complete. */
#ifndef CODEGEN_H
#define CODEGEN_H

#include "../ir/ir.h"

typedef struct {
	const char *name;       /* C prefix of every public symbol (-n NAME) */
	const char *model;      /* model file name, for the banner */
	int shared_runtime;     /* keep kernel names o2m_* (one runtime for several models) */
	int arena_extern;       /* --arena extern: NAME_run_with(arena, ...) takes the arena */
	const char *model_sha256; /* the stamp in NAME.h: the model file's SHA-256 and the */
	const char *options;      /* options that change the output (NULL: no stamp) */
	/* told how far the writing is (fraction of the weights written), or NULL */
	void (*progress)(const char *what, double fraction);
} EmitOptions;

/* Writes the generated sources of a planned graph into dir atomically: into a new
   folder first, which then replaces dir. 0 on success; errors are printed. */
int codegen_write(Graph *g, const char *dir, const EmitOptions *opt);

/* the pieces, for tests and validate: emit into an existing folder */
int codegen_emit(Graph *g, const char *dir, const EmitOptions *opt);

/* runtime-stub sources embedded at build time (build/gen/runtime_files.c) */
typedef struct {
	const char *name;
	const char *text;
} EmbeddedFile;
extern const EmbeddedFile runtime_files[];
extern const int runtime_nfiles;

/* printing parameter structs (codegen/params.c) */
const char *params_type_name(ParamType pt);
size_t params_size(ParamType pt);
int params_print(FILE *f, ParamType pt, const void *p); /* 1 when it used INFINITY/NAN */
int params_check(void); /* 0 when every descriptor covers its struct exactly */

int codegen_is_ident(const char *s);

/* bytes of flash the weights take (NAME_WEIGHTS_SIZE): the constants kernels read and
   the constants prepares made; marks used[t] for each constant emitted (zeroed array of
   g->nt ints) */
int64_t codegen_weights(Graph *g, int *used);
/* how many weights files (NAME_weights.c, NAME_weights1.c, ...) the model's code has */
int codegen_weight_parts(Graph *g);

#endif
