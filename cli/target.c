/* target.c - validate --target CORE: the generated code and the validation driver built
   with arm-none-eabi-gcc into the bare-metal harness of examples/firmware/boards (carried
   in the binary) and run under qemu-system-arm on the core's board, the driver's files
   read and written on the host through semihosting. */
#include "validate.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TARGET_CFLAGS "-std=c99 -O2 -Wall -Wextra -Werror -pedantic -ffunction-sections " \
		      "-fdata-sections"
#define TARGET_TIMEOUT 600 /* seconds per data set; ONNX2MCU_TIMEOUT overrides */

/* row i of the harness's cores.txt: 0, or -1 past the last */
static int core_row(int i, ValTarget *t)
{
	const char *p = NULL;

	for (int k = 0; k < harness_nfiles; k++)
		if (!strcmp(harness_files[k].name, "cores.txt"))
			p = harness_files[k].text;
	while (p && *p) {
		size_t len = strcspn(p, "\n");
		if (len && *p != '#' && len < 512 && i-- == 0) {
			char line[512];
			int at = 0, got;
			memcpy(line, p, len);
			line[len] = 0;
			got = sscanf(line, "%31s %31s %n", t->core, t->board, &at);
			IR_ASSERT(got == 2 && at > 0);
			snprintf(t->cpu, sizeof t->cpu, "%s", line + at);
			return 0;
		}
		p += len + (p[len] != 0);
	}
	return -1;
}

int val_target(const char *core, ValTarget *t)
{
	for (int i = 0; !core_row(i, t); i++)
		if (!strcmp(t->core, core))
			return 0;
	return -1;
}

int val_target_unknown(const char *core)
{
	char msg[512];
	ValTarget t;
	size_t n = (size_t)snprintf(msg, sizeof msg, "validate cannot run on --target '%.64s' "
				    "(no emulated board); it runs on host", core);

	for (int i = 0; n < sizeof msg && !core_row(i, &t); i++)
		n += (size_t)snprintf(msg + n, sizeof msg - n, " %s", t.core);
	return cli_usage_error("validate", "%s", msg);
}

/* the program a command line starts with, as the shell would find it */
static int on_path(const char *cmd)
{
	char prog[1024], path[2048];
	const char *dirs = getenv("PATH"), *end;
	size_t n = strcspn(cmd, " \t");

	if (n >= sizeof prog)
		return 0;
	memcpy(prog, cmd, n);
	prog[n] = 0;
	if (strchr(prog, '/'))
		return !access(prog, X_OK);
	for (; dirs && *dirs; dirs = *end ? end + 1 : end) {
		end = dirs + strcspn(dirs, ":");
		snprintf(path, sizeof path, "%.*s/%s", (int)(end - dirs), dirs, prog);
		if (end > dirs && !access(path, X_OK))
			return 1;
	}
	return 0;
}

static const char *target_cc(const CliOptions *o)
{
	return o->cc ? o->cc : "arm-none-eabi-gcc";
}

static const char *target_qemu(const CliOptions *o)
{
	return o->qemu ? o->qemu : "qemu-system-arm";
}

int val_target_tools(const CliOptions *o)
{
	int rc = 0;

	if (!on_path(target_cc(o))) {
		fprintf(stderr, "onnx2mcu: --target needs the cross compiler '%s', which was not "
			"found (Debian: gcc-arm-none-eabi and libnewlib-arm-none-eabi; or --cc)\n",
			target_cc(o));
		rc = EXIT_IO;
	}
	if (!on_path(target_qemu(o))) {
		fprintf(stderr, "onnx2mcu: --target needs '%s', which was not found (Debian: "
			"qemu-system-arm; or --qemu)\n", target_qemu(o));
		rc = EXIT_IO;
	}
	return rc;
}

/* the harness files into work/harness; 0 or -1 */
static int write_harness(const char *work)
{
	char path[4400];

	snprintf(path, sizeof path, "%s/harness", work);
	mkdir(path, 0755);
	for (int i = 0; i < harness_nfiles; i++) {
		FILE *f;
		int bad;
		snprintf(path, sizeof path, "%s/harness/%s", work, harness_files[i].name);
		f = fopen(path, "w");
		if (!f)
			return -1;
		bad = fputs(harness_files[i].text, f) < 0;
		if (fclose(f) || bad)
			return -1;
	}
	return 0;
}

int val_target_build_cmd(const ValTarget *t, const CliOptions *o, const char *work,
			 const char *trace, char *cmd, size_t len)
{
	if (write_harness(work)) {
		fprintf(stderr, "onnx2mcu: cannot write the harness into %s/harness\n", work);
		return -1;
	}
	snprintf(cmd, len, "%s %s -mthumb %s -DO2M_TARGET %s -I'%s/gen' '%s'/gen/*.c '%s/driver.c' "
		 "'%s/harness/startup.c' -nostartfiles -L'%s/harness' -T %s.ld -Wl,--gc-sections "
		 "--specs=nano.specs --specs=rdimon.specs -lm -o '%s/run.elf'", target_cc(o),
		 t->cpu, o->cflags ? o->cflags : TARGET_CFLAGS, trace, work, work, work, work, work,
		 t->board, work);
	return 0;
}

/* path from QEMU's folder: as it is when absolute, else from ours */
static int absolute(const char *path, char *buf, size_t len)
{
	char cwd[4096];

	if (path[0] == '/')
		return snprintf(buf, len, "%s", path) < (int)len ? 0 : -1;
	if (!getcwd(cwd, sizeof cwd) || snprintf(buf, len, "%s/%s", cwd, path) >= (int)len) {
		fprintf(stderr, "onnx2mcu: cannot resolve %s\n", path);
		return -1;
	}
	return 0;
}

/* runs work/run.elf on the board with set_work as the folder its files are in: the
   driver's exit status, or -1 (said why) when QEMU did not run it to the end */
int val_target_run(const ValTarget *t, const CliOptions *o, const char *work,
		   const char *set_work)
{
	char elf[4200], qemu[4200], cmd[16384];
	const char *limit = getenv("ONNX2MCU_TIMEOUT"), *q = target_qemu(o);
	int secs = limit && atoi(limit) > 0 ? atoi(limit) : TARGET_TIMEOUT, rc;

	if (absolute(work, elf, sizeof elf) || (strchr(q, '/') && absolute(q, qemu, sizeof qemu)))
		return -1;
	snprintf(cmd, sizeof cmd, "cd '%s' && timeout -k 5 %d %s -M %s -display none -monitor none "
		 "-serial null -semihosting-config enable=on,target=native -kernel '%s/run.elf'",
		 set_work, secs, strchr(q, '/') ? qemu : q, t->board, elf);
	rc = system(cmd);
	rc = rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : 128 + (rc & 127);
	if (rc == 124 || rc == 137) {
		fprintf(stderr, "onnx2mcu: %s on %s did not finish within %d s (ONNX2MCU_TIMEOUT)\n",
			t->core, t->board, secs);
		return -1;
	}
	if (rc == 1 || rc >= 125 || rc < 0) { /* the driver never exits so: QEMU or the shell */
		fprintf(stderr, "onnx2mcu: %s failed (exit %d):\n  %s\n", target_qemu(o), rc, cmd);
		return -1;
	}
	return rc;
}
