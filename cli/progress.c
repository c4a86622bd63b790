/* progress.c - what a long compile is doing, on a terminal: after about a second, one
   line on stderr that names the stage (a pass, calibration, writing the weights) and how
   far it is, redrawn in place and erased at the end. Nothing when stderr is not a
   terminal or with -q. ONNX2MCU_PROGRESS_AFTER=SECONDS changes the second (0 draws from
   the start; tests use it with a pseudo-terminal). */
#include "cli.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double start, after = 1.0, drawn_at = -1;
static int on, drawn;

double cli_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_progress_start(int quiet)
{
	const char *env = getenv("ONNX2MCU_PROGRESS_AFTER");

	start = cli_now();
	on = !quiet && isatty(STDERR_FILENO);
	ir_before_diag = cli_progress_end;
	if (env && *env)
		after = atof(env);
}

void cli_progress(const char *what, double fraction)
{
	double t = cli_now() - start;

	if (!on || t < after || (fraction >= 0 && fraction < 1 && t - drawn_at < 0.1))
		return;
	if (fraction >= 0)
		fprintf(stderr, "\r\033[Konnx2mcu: %s %3.0f%% (%.1f s)", what, 100 * fraction, t);
	else
		fprintf(stderr, "\r\033[Konnx2mcu: %s (%.1f s)", what, t);
	fflush(stderr);
	drawn = 1;
	drawn_at = t;
}

void cli_progress_end(void)
{
	if (drawn)
		fputs("\r\033[K", stderr);
	drawn = 0;
}
