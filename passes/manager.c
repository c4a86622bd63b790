/* manager.c - the pass table and the loop that runs it, with the verifier after each
   pass when asked and IR dumps after the passes named by --dump-after. */
#include "passes.h"

#include <string.h>

static const struct {
	const char *name;
	void (*run)(Graph *);
} pass_table[] = {
	{"flow", pass_flow},
	{"fold", pass_fold},
	{"identity", pass_identity},
	{"dce", pass_dce},
	{"quant", pass_quant},
	{"rewrite", pass_rewrite},
	{"patch", pass_patch},
	{"lower", pass_lower},
	{"schedule", pass_schedule},
	{"plan", pass_plan},
};
#define NPASSES (int)(sizeof pass_table / sizeof pass_table[0])

static int listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (!list)
		return 0;
	if (!strcmp(list, "all"))
		return 1;
	for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
			return 1;
	return 0;
}

static const PassOptions defaults = PASS_DEFAULTS;
static const PassOptions *current = &defaults;

const PassOptions *passes_options(void) { return current; }

int passes_run_until(Graph *g, const PassOptions *opt, const char *last)
{
	FILE *dump = opt && opt->dump ? opt->dump : stderr;

	current = opt ? opt : &defaults;
	g->target = current->target;
	g->scratch_limit = current->scratch_limit;
	g->int8_compact = current->int8_compact;
	g->io_in_arena = current->io_in_arena;
	g->patch_bands = current->patch_bands;
	for (int i = 0; i < NPASSES; i++) {
		if (opt && opt->progress)
			opt->progress(pass_table[i].name, -1);
		pass_table[i].run(g);
		if (g->nerrors)
			return -1;
		if (opt && opt->verify_each && ir_verify(g, pass_table[i].name))
			ir_die(__FILE__, __LINE__, "IR verification failed");
		if (opt && opt->verify_each && g->plan && plan_check(g))
			ir_die(__FILE__, __LINE__, "the memory plan overlaps live tensors");
		if (opt && listed(opt->dump_after, pass_table[i].name)) {
			fprintf(dump, "=== after %s ===\n", pass_table[i].name);
			ir_print(g, dump);
			if (g->plan)
				plan_print(g, dump);
		}
		if (last && !strcmp(pass_table[i].name, last))
			break;
	}
	return 0;
}

int passes_run(Graph *g, const PassOptions *opt) { return passes_run_until(g, opt, NULL); }

const char *passes_names(void)
{
	static char buf[256];

	if (!buf[0])
		for (int i = 0; i < NPASSES; i++)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? ", " : "",
				 pass_table[i].name);
	return buf;
}
