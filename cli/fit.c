/* fit.c - does the compiled model fit the part: --ram-limit, --flash-limit and --mcu NAME
   (the parts of cli/mcus.def, listed by `onnx2mcu mcus`). RAM is the arena plus the
   caller's input and output buffers; flash is the weights (NAME_WEIGHTS_SIZE; the code is
   not counted). Over a limit, compile stops with an error naming where the bytes go and
   what would help, unless --force. */
#include "../codegen/codegen.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const Mcu cli_mcus_table[] = {
#define MCU(name, family, core, sram, flash, note) {name, family, core, sram, flash, note},
#include "mcus.def"
#undef MCU
};
const int cli_nmcus = sizeof cli_mcus_table / sizeof *cli_mcus_table;

const char *usage_mcus =
	"usage: onnx2mcu mcus [--markdown]\n"
	"\n"
	"Lists the parts --mcu NAME knows: family, core, SRAM and flash (the limits --mcu\n"
	"sets; --ram-limit and --flash-limit override them).\n";

const Mcu *cli_mcu_find(const char *name)
{
	for (int i = 0; i < cli_nmcus; i++)
		if (!strcasecmp(cli_mcus_table[i].name, name))
			return &cli_mcus_table[i];
	return NULL;
}

/* "512K" for sizes that are whole KiB or MiB, else the byte count */
static const char *size_text(int64_t n, char *buf, size_t len)
{
	if (n >= 1 << 20 && n % (1 << 20) == 0)
		snprintf(buf, len, "%lldM", (long long)(n >> 20));
	else if (n >= 1 << 10 && n % (1 << 10) == 0)
		snprintf(buf, len, "%lldK", (long long)(n >> 10));
	else
		snprintf(buf, len, "%lld", (long long)n);
	return buf;
}

int cli_mcus(int argc, char **argv)
{
	int md = argc == 1 && !strcmp(argv[0], "--markdown");
	char s[32], f[32];

	if (argc && !md) {
		fprintf(stderr, "onnx2mcu: mcus takes only --markdown\n\n%s", usage_mcus);
		return EXIT_USAGE;
	}
	if (md)
		printf("# Parts `--mcu` knows\n\n"
		       "Generated from `cli/mcus.def` by `make docs`; `onnx2mcu mcus` prints the "
		       "same.\n`--mcu NAME` sets `--ram-limit` to the SRAM and `--flash-limit` to "
		       "the flash\nbelow (either option, given too, wins). SRAM counts every "
		       "on-chip RAM of the\npart; place the arena in the region you choose "
		       "(docs/firmware.md).\n\n"
		       "| part | family | core | SRAM | flash | note |\n"
		       "|---|---|---|---|---|---|\n");
	for (int i = 0; i < cli_nmcus; i++) {
		const Mcu *m = &cli_mcus_table[i];
		size_text(m->sram, s, sizeof s);
		size_text(m->flash, f, sizeof f);
		if (md)
			printf("| %s | %s | %s | %s | %s | %s |\n", m->name, m->family, m->core, s, f,
			       m->note);
		else
			printf("%-12s %-12s %-14s SRAM %5s  flash %4s  %s\n", m->name, m->family,
			       m->core, s, f, m->note);
	}
	return 0;
}

/* ---- the check ---- */

void cli_fit_bytes(Graph *g, int64_t *ram, int64_t *io, int64_t *flash)
{
	int *used = calloc((size_t)g->nt + 1, sizeof(int));

	IR_ASSERT(used);
	*io = 0;
	for (int i = 0; i < g->ninputs; i++)
		*io += ir_nbytes(&g->t[g->inputs[i]]);
	for (int i = 0; i < g->noutputs; i++)
		*io += ir_nbytes(&g->t[g->outputs[i]]);
	*ram = g->plan->arena_size + *io;
	*flash = codegen_weights(g, used);
	free(used);
}

/* the hint for a float model (one without integer ops) that does not fit */
static void int8_note(Graph *g)
{
	for (int i = 0; i < g->nn; i++)
		if (!g->n[i].dead && (op_info[g->n[i].op].flags & OPF_QUANT))
			return;
	ir_note(g, -1, "int8 (--quantize int8 --calib SAMPLES) needs about a quarter of the "
		"arena and of the weights");
}

/* a note at the kernel call where the most arena bytes are in use (the report's rows),
   naming the biggest buffers live there */
static void ram_notes(Graph *g)
{
	Report r;
	int peak = -1;

	cli_report_gather(g, NULL, &r);
	for (int k = 0; k < r.nlayers; k++)
		if (peak < 0 || r.layer[k].live > r.layer[peak].live)
			peak = k;
	if (peak >= 0 && r.layer[peak].live > 0) {
		char list[600] = "";
		int64_t shown = 0;
		for (int n = 0; n < 4; n++) { /* the four biggest live buffers, biggest first */
			ReportBuf *best = NULL;
			for (int b = 0; b < r.nbufs; b++)
				if (r.buf[b].first <= peak && r.buf[b].last >= peak && r.buf[b].size > 0 &&
				    (!best || r.buf[b].size > best->size))
					best = &r.buf[b];
			if (!best)
				break;
			if (strlen(list) < 480)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s'%s' %lld",
					 n ? ", " : "", best->tensor >= 0 ? g->t[best->tensor].name
					 : "scratch", (long long)best->size);
			shown += best->size;
			best->size = 0; /* listed */
		}
		ir_note(g, r.layer[peak].node, "the arena peaks here at %lld bytes; live: %s%s",
			(long long)r.layer[peak].live, list, shown < r.layer[peak].live ? ", ..." : "");
	}
	cli_report_free(&r);
}

/* notes naming the nodes with the most weight bytes */
static void flash_notes(Graph *g)
{
	int best[3] = {-1, -1, -1};
	int64_t bytes[3] = {0, 0, 0};

	for (int i = 0; i < g->nn; i++) {
		int64_t b = 0;
		if (g->n[i].dead)
			continue;
		for (int k = 0; k < g->n[i].nin; k++)
			if (g->n[i].in[k] >= 0 && g->plan->tensor[g->n[i].in[k]].kind == ST_CONST)
				b += ir_nbytes(&g->t[g->n[i].in[k]]);
		for (int r = 0; r < 3; r++) {
			if (b <= bytes[r])
				continue;
			memmove(&best[r + 1], &best[r], sizeof *best * (size_t)(2 - r));
			memmove(&bytes[r + 1], &bytes[r], sizeof *bytes * (size_t)(2 - r));
			best[r] = i;
			bytes[r] = b;
			break;
		}
	}
	for (int r = 0; r < 3 && best[r] >= 0; r++)
		ir_note(g, best[r], "%lld bytes of weights", (long long)bytes[r]);
}

static const char *limit_name(const CliOptions *o, int ram, char *buf, size_t len)
{
	int64_t lim = ram ? o->ram_limit : o->flash_limit;
	char s[32];

	if (o->mcu && lim == (ram ? o->mcu->sram : o->mcu->flash))
		snprintf(buf, len, "%s's %s %s", o->mcu->name, size_text(lim, s, sizeof s),
			 ram ? "SRAM" : "flash");
	else
		snprintf(buf, len, "%s %lld bytes", ram ? "--ram-limit" : "--flash-limit",
			 (long long)lim);
	return buf;
}

/* without limits: a warning when no part of the table could hold the model */
static void fit_any_part(Graph *g, int64_t ram, int64_t flash)
{
	int64_t sram_max = 0, flash_max = 0;

	for (int i = 0; i < cli_nmcus; i++) {
		if (cli_mcus_table[i].sram > sram_max)
			sram_max = cli_mcus_table[i].sram;
		if (cli_mcus_table[i].flash > flash_max)
			flash_max = cli_mcus_table[i].flash;
	}
	if (ram > sram_max)
		ir_warning(g, -1, "RAM %lld bytes (arena and buffers) is more than any part of "
			   "'onnx2mcu mcus' has (at most %lld)", (long long)ram, (long long)sram_max);
	if (flash > flash_max)
		ir_warning(g, -1, "weights %lld bytes are more than any part of 'onnx2mcu mcus' "
			   "holds (at most %lld)", (long long)flash, (long long)flash_max);
	if (ram > sram_max)
		ram_notes(g);
	if (flash > flash_max)
		flash_notes(g);
	if (ram > sram_max || flash > flash_max) {
		int8_note(g);
		ir_note(g, -1, "--mcu NAME or --ram-limit and --flash-limit make this an error");
	}
}

int cli_fit_check(Graph *g, const CliOptions *o)
{
	int64_t ram, io, flash;
	int over_ram, over_flash;
	char lim[96];
	void (*say)(Graph *, int, const char *, ...) = o->force ? ir_warning : ir_error;

	cli_fit_bytes(g, &ram, &io, &flash);
	if (!o->ram_limit && !o->flash_limit) {
		fit_any_part(g, ram, flash);
		return 0;
	}
	over_ram = o->ram_limit && ram > o->ram_limit;
	over_flash = o->flash_limit && flash > o->flash_limit;
	if (over_ram) {
		say(g, -1, "RAM %lld bytes (arena %lld + inputs and outputs %lld) is over %s",
		    (long long)ram, (long long)g->plan->arena_size, (long long)io,
		    limit_name(o, 1, lim, sizeof lim));
		ram_notes(g);
	}
	if (over_flash) {
		say(g, -1, "weights %lld bytes are over %s", (long long)flash,
		    limit_name(o, 0, lim, sizeof lim));
		flash_notes(g);
	}
	if (!over_ram && !over_flash)
		return 0;
	int8_note(g);
	if (over_ram && o->passes.level == 0)
		ir_note(g, -1, "-O1 (the default; -O0 is set) fuses layers and may plan a "
			"smaller arena");
	if (!o->force)
		ir_note(g, -1, "--force writes the code anyway");
	return o->force ? 0 : -1;
}

/* "; RAM 12% of 96K (stm32f401re), flash 40% of 512K" for the summary line */
void cli_fit_text(Graph *g, const CliOptions *o, char *buf, size_t len)
{
	int64_t ram, io, flash;
	char s[32];
	size_t n = 0;

	buf[0] = 0;
	if (!o->ram_limit && !o->flash_limit)
		return;
	cli_fit_bytes(g, &ram, &io, &flash);
	if (o->ram_limit)
		n += (size_t)snprintf(buf + n, len - n, ", RAM %.0f%% of %s", 100.0 * (double)ram /
				      (double)o->ram_limit, size_text(o->ram_limit, s, sizeof s));
	if (o->flash_limit && n < len)
		n += (size_t)snprintf(buf + n, len - n, ", weights %.0f%% of %s flash",
				      100.0 * (double)flash / (double)o->flash_limit,
				      size_text(o->flash_limit, s, sizeof s));
	if (o->mcu && n < len)
		snprintf(buf + n, len - n, " (%s)", o->mcu->name);
}
