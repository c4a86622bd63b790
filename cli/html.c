/* html.c - compile --report-html FILE: one self-contained page (inline CSS and SVG, no
   script): stamp, totals, bars of cycles and of arena bytes live per kernel call, the
   arena timeline (a rectangle per planned buffer: steps across, offsets down) and the
   layer table, all from cli_report_gather like --report and inspect. */
#include "../codegen/codegen.h"
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
	MAX_BARS = 2000,   /* bar chart rows; beyond, consecutive calls share a bar */
	MAX_RECTS = 4000,  /* timeline rectangles; beyond, only the largest are drawn */
	MAX_ROWS = 5000,   /* layer table rows; the JSON report has them all */
	BAR_H = 14, LABEL_W = 220, BAR_W = 270,
	TL_W = 1100, TL_H = 380, TL_L = 80, TL_T = 10, TL_B = 30,
};

/* s as HTML text or attribute value; at most max characters (UTF-8), then "..." */
static void put_text(FILE *f, const char *s, int max)
{
	int n = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c & 0xc0) != 0x80 && max > 0 && n++ == max) {
			fputs("...", f);
			return;
		}
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(c < 0x20 ? ' ' : c, f);
		}
	}
}

static void put_esc(FILE *f, const char *s)
{
	put_text(f, s, 0);
}

/* a colour per op type, the same on every page */
static int op_hue(const char *op)
{
	unsigned h = 2166136261u;

	while (*op)
		h = (h ^ (unsigned char)*op++) * 16777619u;
	return (int)(h % 360);
}

static const char *css =
	"body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff}"
	"h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}"
	"code{font:12px ui-monospace,monospace;background:#f3f3f3;padding:1px 3px;"
	"word-break:break-all}"
	".stamp{color:#555;margin:2px 0}"
	"table{border-collapse:collapse}"
	"td,th{padding:3px 8px;border-bottom:1px solid #e4e4e4;text-align:left;"
	"vertical-align:top;white-space:nowrap}"
	"th{background:#f6f6f6}td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"td.name{white-space:normal;word-break:break-all}table.totals td{font-size:16px}"
	".charts{display:flex;flex-wrap:wrap;gap:24px}"
	".scroll{max-height:640px;overflow-y:auto;overflow-x:hidden}"
	"svg text{font:11px system-ui,sans-serif;fill:#333}svg .axis{stroke:#999}"
	"svg rect.buf{stroke:#fff;stroke-width:.5}svg rect.thin{stroke:none}"
	"svg rect:hover{opacity:.7}"
	".note{color:#777;font-size:12px}";

static void put_header(FILE *f, const CliOptions *o, const CliStamp *s, const char *name,
		       const Report *r)
{
	const ReportTotals *t = &r->tot;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
	put_esc(f, cli_basename(o->model));
	fprintf(f, " - onnx2mcu report</title>\n<style>%s</style></head>\n<body>\n<h1>", css);
	put_esc(f, o->model);
	fprintf(f, "</h1>\n<p class=\"stamp\">compiled by onnx2mcu %s as <code>", s->version);
	put_esc(f, name);
	fprintf(f, "</code>; model SHA-256 <code>%s</code></p>\n<p class=\"stamp\">options: "
		"<code>", s->sha256);
	put_esc(f, s->options[0] ? s->options : "(defaults)");
	fprintf(f, "</code></p>\n<table class=\"totals\"><tr><th>kernel calls</th><th>MACs</th>"
		"<th>arena bytes</th><th>weights bytes</th><th>estimated cycles (Cortex-M4)</th>"
		"</tr>\n<tr id=\"totals\"><td class=\"n\">%d</td><td class=\"n\">%lld</td>"
		"<td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
		"</tr></table>\n", t->kernels, (long long)t->macs, (long long)t->arena,
		(long long)t->weights, (long long)t->cycles);
	if (o->nqlayers)
		fprintf(f, "<p class=\"stamp\">%s against float on %d calibration sample%s: "
			"the SQNR column of the layer table.</p>\n",
			o->calib_opt.a16 ? "a16w8" : "int8", o->qsamples,
			o->qsamples == 1 ? "" : "s");
}

/* one bar chart: per group of `per` calls, the sum (cycles) or the peak (live bytes) */
static void put_bars(FILE *f, Graph *g, const Report *r, int cycles)
{
	int per = r->nlayers > MAX_BARS ? (r->nlayers + MAX_BARS - 1) / MAX_BARS : 1;
	int nbars = (r->nlayers + per - 1) / per;
	double *val = calloc((size_t)nbars + 1, sizeof *val), top = 1;

	IR_ASSERT(val);
	for (int k = 0; k < r->nlayers; k++) {
		double *v = &val[k / per];
		*v = cycles ? *v + (double)r->layer[k].cost.cycles : fmax(*v, (double)r->layer[k].live);
		top = fmax(top, *v);
	}
	fprintf(f, "<div><h3>%s</h3><div class=\"scroll\">\n<svg class=\"bars\" id=\"%s\" "
		"xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">\n",
		cycles ? "estimated cycles" : "arena bytes live", cycles ? "cycles" : "ram",
		LABEL_W + BAR_W + 90, nbars * BAR_H + 4);
	for (int b = 0; b < nbars; b++) {
		int lo = b * per, hi = lo + per < r->nlayers ? lo + per : r->nlayers;
		const Node *n = &g->n[r->layer[lo].node];
		double v = val[b];
		int y = b * BAR_H + 2;
		fprintf(f, "<g><title>");
		if (per > 1)
			fprintf(f, "calls %d-%d: ", lo, hi - 1);
		else {
			fprintf(f, "#%d ", lo);
			put_esc(f, n->name);
			fprintf(f, " (");
			put_esc(f, n->op_type);
			fprintf(f, "): ");
		}
		fprintf(f, "%.0f %s</title><text x=\"%d\" y=\"%d\" text-anchor=\"end\">", v,
			cycles ? "cycles" : "bytes", LABEL_W - 4, y + BAR_H - 4);
		if (per > 1)
			fprintf(f, "#%d-%d", lo, hi - 1);
		else {
			fprintf(f, "#%d ", lo);
			put_text(f, n->name, 28);
		}
		fprintf(f, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
			"fill=\"hsl(%d,55%%,55%%)\"/><text x=\"%.1f\" y=\"%d\">%.0f</text></g>\n",
			LABEL_W, y, BAR_W * v / top, BAR_H - 3, per > 1 ? 210 : op_hue(n->op_type),
			LABEL_W + BAR_W * v / top + 4, y + BAR_H - 4, v);
	}
	fprintf(f, "</svg></div>\n");
	free(val);
	if (per > 1)
		fprintf(f, "<p class=\"note\">%d kernel calls: each bar stands for %d in a row "
			"(%s).</p>\n", r->nlayers, per, cycles ? "their sum" : "their peak");
	fprintf(f, "</div>\n");
}

static const ReportBuf *sort_bufs;

/* the same buffer order on every run, scattered over the schedule */
static unsigned scatter(unsigned i)
{
	i = (i ^ (i >> 16)) * 0x45d9f3bu;
	return i ^ (i >> 16);
}

/* larger area (bytes times steps) first; among equals, a sample spread over the steps */
static int by_area(const void *x, const void *y)
{
	int i = *(const int *)x, j = *(const int *)y;
	const ReportBuf *p = &sort_bufs[i], *q = &sort_bufs[j];
	double a = (double)p->size * (p->last - p->first + 1);
	double b = (double)q->size * (q->last - q->first + 1);
	unsigned hi = scatter((unsigned)i), hj = scatter((unsigned)j);

	if (a != b)
		return a > b ? -1 : 1;
	return hi != hj ? (hi < hj ? -1 : 1) : i - j;
}

static int by_index(const void *x, const void *y)
{
	return *(const int *)x - *(const int *)y;
}

static void put_buf(FILE *f, Graph *g, const Report *r, const ReportBuf *b)
{
	double sx = (double)(TL_W - TL_L - 10) / r->nlayers, sy = (double)TL_H / r->tot.arena;
	double w = (b->last - b->first + 1) * sx, h = fmax((double)b->size * sy, 0.5);
	const Node *n = b->node >= 0 ? &g->n[b->node] : NULL;

	fprintf(f, "<rect class=\"buf%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
		"fill=\"hsl(%d,60%%,%d%%)\"><title>", w < 3 || h < 3 ? " thin" : "", TL_L + b->first * sx,
		TL_T + (double)b->offset * sy, w, h,
		n ? op_hue(n->op_type) : 0, b->tensor < 0 ? 82 : 44 + 9 * (b->first % 3));
	if (b->tensor >= 0) {
		fprintf(f, "tensor ");
		put_esc(f, g->t[b->tensor].name);
	} else
		fprintf(f, "scratch");
	fprintf(f, "\n%lld bytes at [%lld, %lld)\nsteps %d-%d\n", (long long)b->size,
		(long long)b->offset, (long long)(b->offset + b->size), b->first, b->last);
	if (n) {
		fprintf(f, "%s ", b->tensor >= 0 ? "written by" : "of");
		put_esc(f, n->name);
		fprintf(f, " (");
		put_esc(f, n->op_type);
		fputc(')', f);
	} else
		fprintf(f, "no producer");
	fprintf(f, "</title></rect>\n");
}

/* the arena timeline: x the step (kernel call), y the byte offset */
static void put_timeline(FILE *f, Graph *g, const Report *r)
{
	int *order, n = r->nbufs < MAX_RECTS ? r->nbufs : MAX_RECTS;

	if (!r->nbufs || !r->tot.arena || !r->nlayers) {
		fprintf(f, "<p class=\"note\">No arena: every tensor lives in the caller's buffers "
			"or in flash.</p>\n");
		return;
	}
	order = malloc(sizeof(int) * (size_t)(r->nbufs + 1));
	IR_ASSERT(order);
	for (int b = 0; b < r->nbufs; b++)
		order[b] = b;
	sort_bufs = r->buf;
	if (n < r->nbufs) /* the largest, drawn in their own order */
		qsort(order, (size_t)r->nbufs, sizeof(int), by_area);
	qsort(order, (size_t)n, sizeof(int), by_index);
	fprintf(f, "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\">\n<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f7f7f7\"/>\n",
		TL_W, TL_T + TL_H + TL_B, TL_L, TL_T, TL_W - TL_L - 10, TL_H);
	for (int i = 0; i <= 4; i++) { /* byte offsets down the side, steps along the bottom */
		double y = TL_T + TL_H * i / 4.0;
		int step = (int)((double)r->nlayers * i / 4);
		fprintf(f, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%lld</text>\n", TL_L - 4, TL_L,
			y, y, TL_L - 6, y + 4, (long long)(r->tot.arena * i / 4));
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%d</text>\n",
			TL_L + (TL_W - TL_L - 10) * (double)step / r->nlayers, TL_T + TL_H + 16,
			i == 4 ? "end" : "middle", step);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">step (kernel call)</text>\n",
		TL_W - 10, TL_T + TL_H + 28);
	for (int i = 0; i < n; i++)
		put_buf(f, g, r, &r->buf[order[i]]);
	fprintf(f, "</svg>\n<p class=\"note\">Byte offset down, step across; hover a buffer for "
		"its tensor, size and producer. Pale: scratch.");
	if (n < r->nbufs)
		fprintf(f, " The %d largest of %d buffers are drawn (of equal ones, a sample).", n,
			r->nbufs);
	fprintf(f, "</p>\n");
	free(order);
}

static void put_row(FILE *f, Graph *g, const Report *r, int k, int sqnr)
{
	const ReportLayer *l = &r->layer[k];
	const Node *n = &g->n[l->node];
	char shape[96] = "-";

	if (l->out >= 0)
		cli_shape_text(&g->t[l->out], shape, sizeof shape);
	fprintf(f, "<tr><td class=\"n\">%d</td><td class=\"name\">", k);
	put_esc(f, n->name);
	fprintf(f, "</td><td>");
	put_esc(f, n->op_type);
	fprintf(f, "</td><td>%s</td><td>%s</td><td>", kernel_table[n->low->call[l->call].kernel].name,
		shape);
	if (l->out >= 0 && g->plan->tensor[l->out].kind == ST_ARENA)
		fprintf(f, "arena @%lld", (long long)g->plan->tensor[l->out].offset);
	else
		fprintf(f, "%s", l->out >= 0 ? cli_storage_name(g, l->out) : "-");
	fprintf(f, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%lld"
		"</td>", (long long)l->cost.macs, (long long)l->cost.cycles, (long long)l->live);
	if (sqnr && isnan(l->sqnr_db))
		fprintf(f, "<td></td>");
	else if (sqnr)
		fprintf(f, isfinite(l->sqnr_db) ? "<td class=\"n\">%.1f</td>" : "<td class=\"n\">exact"
			"</td>", l->sqnr_db);
	fprintf(f, "</tr>\n");
}

static void put_table(FILE *f, Graph *g, const CliOptions *o, const Report *r)
{
	int n = r->nlayers < MAX_ROWS ? r->nlayers : MAX_ROWS;

	fprintf(f, "<table id=\"layers\">\n<thead><tr><th>#</th><th>node</th><th>op</th>"
		"<th>kernel</th><th>output shape</th><th>output in</th><th>MACs</th>"
		"<th>est. cycles</th><th>arena bytes live</th>%s</tr></thead>\n<tbody>\n",
		o->nqlayers ? "<th>SQNR dB</th>" : "");
	for (int k = 0; k < n; k++)
		put_row(f, g, r, k, o->nqlayers > 0);
	fprintf(f, "</tbody></table>\n");
	if (n < r->nlayers)
		fprintf(f, "<p class=\"note\">The first %d of %d kernel calls; --report FILE.json "
			"lists them all.</p>\n", n, r->nlayers);
}

int cli_html_write(Graph *g, const CliOptions *o, const CliStamp *s, const char *name,
		   const char *path)
{
	char tmp[4200];
	FILE *f = cli_out_open(path, tmp, sizeof tmp);
	Report r;

	if (!f)
		return -1;
	cli_report_gather(g, o, &r);
	put_header(f, o, s, name, &r);
	if (r.nlayers) {
		fprintf(f, "<h2>Per layer</h2>\n<div class=\"charts\">\n");
		put_bars(f, g, &r, 1);
		put_bars(f, g, &r, 0);
		fprintf(f, "</div>\n");
	}
	fprintf(f, "<h2>Arena timeline</h2>\n");
	put_timeline(f, g, &r);
	fprintf(f, "<h2>Layers</h2>\n");
	put_table(f, g, o, &r);
	fprintf(f, "</body></html>\n");
	cli_report_free(&r);
	return cli_out_close(f, tmp, path);
}
