/* target.c - the cores `--target` names: which instructions each has. Prepares read
   them from the graph (pass_lower sets g->target); the generated code states its target
   and stops a build for a core without the instructions it was made to use. */
#include "ir.h"

#include <string.h>

static const IrTarget targets[] = {
	/* name, DSP, FPU, MVE, flags */
	{"host", 0, 2, 0, ""},
	{"cortex-m0plus", 0, 0, 0, "-mcpu=cortex-m0plus"},
	{"cortex-m3", 0, 0, 0, "-mcpu=cortex-m3"},
	{"cortex-m4", 1, 1, 0, "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard"},
	{"cortex-m7", 1, 2, 0, "-mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard"},
	{"cortex-m33", 1, 1, 0, "-mcpu=cortex-m33 -mfpu=fpv5-sp-d16 -mfloat-abi=hard"},
	{"cortex-m55", 1, 2, 1, "-mcpu=cortex-m55 -mfloat-abi=hard"},
};

const IrTarget *ir_target_find(const char *name)
{
	for (size_t i = 0; i < sizeof targets / sizeof *targets; i++)
		if (!strcmp(targets[i].name, name))
			return &targets[i];
	return NULL;
}

const char *ir_target_names(void)
{
	static char names[160];

	if (!names[0])
		for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
			if (i)
				strcat(names, " ");
			strcat(names, targets[i].name);
		}
	return names;
}

int ir_int8_packed(const Graph *g)
{
	return g->target && strcmp(g->target->name, "host") && !g->int8_compact;
}
