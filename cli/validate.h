/* validate.h - shared by validate.c and pernode.c. */
#ifndef CLI_VALIDATE_H
#define CLI_VALIDATE_H

#include "../codegen/codegen.h"
#include "cli.h"

typedef struct {
	double max_abs, max_rel, mean_abs, cosine, sqnr_db;
	int64_t nbad, first_bad;
} Metrics;

/* compares n elements; -1 when any is out of tolerance */
int val_compare(DType dt, const void *got, const void *ref, int64_t n, double atol, double rtol,
		Metrics *m);
void *val_read_bytes(const char *path, size_t want);
/* --per-node: compares the trace the generated code wrote in work/ with the host
   evaluation of the original graph; -1 when a node diverges */
int val_per_node(const CliOptions *o, Graph *g, const OnnxTensor *inputs, const char *work);

/* ---- validate --target (target.c) ---- */
/* a row of examples/firmware/boards/cores.txt */
typedef struct {
	char core[32];  /* --target name */
	char board[32]; /* qemu-system-arm -M, and its linker script BOARD.ld */
	char cpu[480];  /* code generation flags */
} ValTarget;

/* examples/firmware/boards, embedded at build time (build/gen/harness_files.c) */
extern const EmbeddedFile harness_files[];
extern const int harness_nfiles;

int val_target(const char *core, ValTarget *t); /* 0, or -1 when unknown */
int val_target_unknown(const char *core);       /* the usage error, listing the cores */
int val_target_tools(const CliOptions *o);      /* 0, or EXIT_IO when a tool is missing */
/* writes the harness into work/harness and the command building work/run.elf; 0 or -1 */
int val_target_build_cmd(const ValTarget *t, const CliOptions *o, const char *work,
			 const char *trace, char *cmd, size_t len);
int val_target_run(const ValTarget *t, const CliOptions *o, const char *work,
		   const char *set_work);

#endif
