/* stamp.c - what the generated header records about how it was made: the onnx2mcu
   version, the model's SHA-256 and the options that change the output, and the check
   of `validate --code DIR` that the code there was made from this model with these
   options. */
#include "../passes/rewrite.h"
#include "cli.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* --quantize and its options; a calibration file stands by its content's SHA-256, a
   folder by its name */
static void quant_options(const CliOptions *o, char *buf, size_t len)
{
	const CalibOptions *c = &o->calib_opt;
	char hex[65];

	add(buf, len, c->a16 ? " --quantize a16w8" : " --quantize int8");
	for (int i = 0; i < o->ncalib; i++) {
		if (sha256_file(o->calib[i], hex))
			add(buf, len, " --calib %s", o->calib[i]);
		else
			add(buf, len, " --calib sha256:%.16s", hex);
	}
	if (c->method != CAL_MINMAX)
		add(buf, len, " --calib-method %s", cli_calib_methods[c->method]);
	if (c->method == CAL_PERCENTILE)
		add(buf, len, "=%g", c->percentile);
	for (int i = 0; i < c->nper_tensor; i++) {
		add(buf, len, " --calib-method %s=%s", c->per_tensor[i].tensor,
		    cli_calib_methods[c->per_tensor[i].method]);
		if (c->per_tensor[i].method == CAL_PERCENTILE)
			add(buf, len, "=%g", c->per_tensor[i].percentile);
	}
	for (int i = 0; i < c->nkeep_float; i++)
		add(buf, len, " --keep-float %s", c->keep_float[i]);
	for (int i = 0; i < c->na16_nodes; i++)
		add(buf, len, " --a16w8 %s", c->a16_nodes[i]);
	if (c->io_float)
		add(buf, len, " --io float");
}

/* the options that change the generated code, in one canonical order: -o, -q, --report,
   --depfile, -v and the dumps do not; a --bind file stands by its content's SHA-256 */
static void stamp_options(const CliOptions *o, const char *name, char *buf, size_t len)
{
	const PassOptions def = PASS_DEFAULTS;
	const PassOptions *p = &o->passes;
	char hex[65];

	snprintf(buf, len, "-n %s", name);
	if (p->level == 0)
		add(buf, len, " -O0");
	if (o->shared_runtime)
		add(buf, len, " --shared-runtime");
	if (o->arena_extern)
		add(buf, len, " --arena extern");
	if (p->io_in_arena)
		add(buf, len, " --io-in-arena");
	for (int r = 0; r < rw_nrules; r++)
		if (!o->rule_on[r])
			add(buf, len, " --disable-rule %s", rw_rules[r].name);
	if (p->search_budget != def.search_budget)
		add(buf, len, " --search-budget %d", p->search_budget);
	if (p->search_alpha != def.search_alpha)
		add(buf, len, " --search-alpha %g", p->search_alpha);
	if (p->cost_ram != def.cost_ram)
		add(buf, len, " --cost-ram %g", p->cost_ram);
	if (p->cost_flash != def.cost_flash)
		add(buf, len, " --cost-flash %g", p->cost_flash);
	if (p->target)
		add(buf, len, " --target %s", p->target->name);
	if (p->scratch_limit >= 0)
		add(buf, len, " --scratch-limit %lld", (long long)p->scratch_limit);
	if (p->int8_compact)
		add(buf, len, " --int8-layout compact");
	if (!p->schedule)
		add(buf, len, " --schedule given");
	if (p->patch_bands > 1)
		add(buf, len, " --patches %d", p->patch_bands);
	for (int i = 0; i < o->ndims; i++)
		add(buf, len, " --dim %s=%lld", o->dims[i].name, (long long)o->dims[i].value);
	for (int i = 0; i < o->nbinds; i++) {
		if (sha256_file(o->binds[i].path, hex))
			snprintf(hex, sizeof hex, "unreadable");
		add(buf, len, " --bind %s=sha256:%.16s", o->binds[i].input, hex);
	}
	add(buf, len, "%s", o->seq_text);
	if (p->qdq_float)
		add(buf, len, " --qdq float");
	if (o->quantize)
		quant_options(o, buf, len);
	for (char *c = buf; *c; c++) /* it is a C string literal in the header */
		if (*c == '"' || *c == '\\' || !isprint((unsigned char)*c))
			*c = '?';
}

int cli_stamp(const CliOptions *o, const char *name, CliStamp *s)
{
	snprintf(s->version, sizeof s->version, "%s", O2M_VERSION);
	stamp_options(o, name, s->options, sizeof s->options);
	if (sha256_file(o->model, s->sha256)) {
		fprintf(stderr, "onnx2mcu: cannot read %s\n", o->model);
		return -1;
	}
	return 0;
}

/* the string of `#define PREFIX_<key> "..."` in the header text, or NULL */
static const char *macro(const char *text, const char *up, const char *key, char *out,
			 size_t len)
{
	char def[300];
	const char *p, *q;

	snprintf(def, sizeof def, "#define %s_%s \"", up, key);
	p = strstr(text, def);
	if (!p)
		return NULL;
	p += strlen(def);
	q = strchr(p, '"');
	if (!q || (size_t)(q - p) >= len)
		return NULL;
	snprintf(out, len, "%.*s", (int)(q - p), p);
	return out;
}

int cli_stamp_check(const char *dir, const char *name, const CliStamp *want)
{
	char path[4400], up[256], sha[80], opts[sizeof want->options], ver[64];
	char *text = NULL;
	size_t n = 0, i;
	FILE *f;

	for (i = 0; name[i] && i + 1 < sizeof up; i++)
		up[i] = (char)toupper((unsigned char)name[i]);
	up[i] = 0;
	snprintf(path, sizeof path, "%s/%s.h", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "onnx2mcu: --code %s: no %s.h there (made with another -n?)\n", dir,
			name);
		return EXIT_USAGE;
	}
	text = calloc(1, 1 << 20);
	if (text)
		n = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	if (!text || !n || !macro(text, up, "MODEL_SHA256", sha, sizeof sha) ||
	    !macro(text, up, "O2M_OPTIONS", opts, sizeof opts) ||
	    !macro(text, up, "O2M_VERSION", ver, sizeof ver)) {
		fprintf(stderr, "onnx2mcu: --code %s: %s.h carries no stamp (model SHA-256, "
			"options); compile the model again\n", dir, name);
		free(text);
		return EXIT_USAGE;
	}
	free(text);
	if (strcmp(sha, want->sha256)) {
		fprintf(stderr, "onnx2mcu: --code %s: made from another model (SHA-256 %.16s..., "
			"this one's is %.16s...)\n", dir, sha, want->sha256);
		return EXIT_USAGE;
	}
	if (strcmp(opts, want->options)) {
		fprintf(stderr, "onnx2mcu: --code %s: made with other options ('%s'; validate "
			"would use '%s')\n", dir, opts, want->options);
		return EXIT_USAGE;
	}
	if (strcmp(ver, want->version)) {
		fprintf(stderr, "onnx2mcu: --code %s: made by onnx2mcu %s, this is %s\n", dir, ver,
			want->version);
		return EXIT_USAGE;
	}
	return 0;
}
