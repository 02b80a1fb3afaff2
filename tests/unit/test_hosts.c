// SPDX-License-Identifier: GPL-2.0
/*
 * test_hosts.c - `nicrig matrix --hosts`: a host that refuses the connection
 * (a libvirt URI whose socket has no daemon behind it) has its boot rerun
 * on another host ("direct", the fake QEMU), the results are the one-host
 * run's cell for cell, and the failure is reported; with no working host
 * left, the boots are cells that say so.  And kcidb.json, the cells for
 * KernelCI, and the libvirt engine's domain XML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "harness.h"
#include "matrix.h"
#include "run.h"
#include "runner.h"

/* A checkout with rigs h1 and h2, test t, and the fake QEMU that passes it. */
static void hosts_env(struct env *env)
{
	char exe[512], text[1024];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = '\0';
	memset(env, 0, sizeof(*env));
	snprintf(env->top, sizeof(env->top), "%s/hosts/top", unit_tmpdir());
	snprintf(env->cache, sizeof(env->cache), "%s/hosts/cache", unit_tmpdir());
	snprintf(env->accel, sizeof(env->accel), "tcg");
	snprintf(text, sizeof(text), "#!/bin/sh\nexec '%s' --fake-qemu pass \"$@\"\n", exe);
	snprintf(env->qemu, sizeof(env->qemu), "%s", unit_write("hosts/bin/qemu", text));
	chmod(env->qemu, 0755);
	unit_write("hosts/top/rigs/h1.rig", "NIC=igb\nBOOT_TIMEOUT=10\nTESTS=t\n");
	unit_write("hosts/top/rigs/h2.rig", "NIC=igb\nBOOT_TIMEOUT=10\nTESTS=t\n");
	unit_write("hosts/top/tests/cases/t.test", "DESCRIPTION=fake test\nCOUNT=5\nTIMEOUT=5\n");
	unit_write("hosts/top/tests/expectations", "t * * * pass the fake guest passes\n");
	unit_write("hosts/cache/build/linux-baseline/build/arch/x86/boot/bzImage", "fake kernel");
	unit_write("hosts/top/build/guest/initramfs.cpio.gz", "fake initramfs");
}

/* matrix_run in a child (its table goes to out/matrix.log); its exit status. */
static int matrix_in_child(const struct env *env, struct matrix_opts *mo, const char *out)
{
	char log[700];
	int st = 0;
	pid_t pid;

	mkdir(out, 0755);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		snprintf(log, sizeof(log), "%s.log", out);
		if (!freopen(log, "w", stdout) || dup2(fileno(stdout), 2) < 0)
			_exit(3);
		mo->out_dir = out;
		st = matrix_run(env, mo);
		fflush(NULL);
		_exit(st);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* cells.tsv's columns but the seconds, per boot, all in one string. */
static void cells_without_time(const char *out, char *buf, size_t len)
{
	static const char *const boots[] = { "h1-baseline", "h2-baseline" };
	size_t o = 0;

	buf[0] = '\0';
	for (int b = 0; b < 2; b++) {
		char path[700], line[1024];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s/cells.tsv", out, boots[b]);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f) && o < len) {
			char *tab = line;

			/* drop field 8 (seconds): rig nic variant test reader expected observed SECONDS ... */
			for (int i = 0; i < 7 && tab; i++)
				tab = strchr(tab + 1, '\t');
			if (tab && strchr(tab + 1, '\t'))
				memmove(tab, strchr(tab + 1, '\t'), strlen(strchr(tab + 1, '\t')) + 1);
			o += snprintf(buf + o, len - o, "%s", line);
		}
		if (f)
			fclose(f);
	}
}

TEST(matrix_refusing_host_has_its_boot_rerun_elsewhere)
{
	struct matrix_opts one = { .rigs = { "h1", "h2" }, .nrigs = 2, .variants = { "baseline" },
				   .nvariants = 1, .jobs = 1 };
	struct matrix_opts two = one;
	char refusing[600], out1[600], out2[600], kept[700], want[2048];
	static char a[8192], b[8192];
	struct env env;
	const char *st;

	hosts_env(&env);
	snprintf(refusing, sizeof(refusing), "qemu+unix:///system?socket=%s/hosts/no-daemon.sock",
		 unit_tmpdir());
	two.hosts[0] = refusing;
	two.hosts[1] = "direct";
	two.nhosts = 2;
	snprintf(out1, sizeof(out1), "%s/hosts/one-host", unit_tmpdir());
	snprintf(out2, sizeof(out2), "%s/hosts/two-hosts", unit_tmpdir());
	EXPECT_EQ(0, matrix_in_child(&env, &one, out1));
	EXPECT_EQ(0, matrix_in_child(&env, &two, out2));

	st = unit_slurp(out2, "status");
	EXPECT_CONTAINS(st, "RESULT=pass\n");
	EXPECT_CONTAINS(st, "\nHOSTS=2\nHOSTS_FAILED=1\nBOOTS_RETRIED=1\n");
	snprintf(want, sizeof(want), "host 1 %s: 0 boot(s), FAILED: libvirt: cannot connect to %s: "
		 "Failed to connect socket to '%s/hosts/no-daemon.sock'", refusing, refusing, unit_tmpdir());
	EXPECT_CONTAINS(unit_slurp(out2, "hosts.txt"), want);
	EXPECT_CONTAINS(unit_slurp(out2, "hosts.txt"), "\nhost 2 direct: 2 boot(s)\n");
	snprintf(want, sizeof(want), "boot h1-baseline: host 2, after: host 1 (%s) failed\n", refusing);
	EXPECT_CONTAINS(unit_slurp(out2, "hosts.txt"), want);
	/* the failed attempt is kept, its cause in it */
	snprintf(kept, sizeof(kept), "%s/h1-baseline-failed-on-host1", out2);
	EXPECT_CONTAINS(unit_slurp(kept, "qemu.log"), "libvirt: cannot connect to");
	snprintf(want, sizeof(want), "# matrix: host 1 (%s) failed: libvirt: cannot connect to", refusing);
	EXPECT_CONTAINS(unit_slurp(unit_tmpdir(), "hosts/two-hosts.log"), want);
	/* the same cells as on one host */
	cells_without_time(out1, a, sizeof(a));
	cells_without_time(out2, b, sizeof(b));
	EXPECT_TRUE(a[0] != '\0');
	EXPECT_STR_EQ(a, b);
}

TEST(matrix_with_every_host_failed_reports_the_boots_not_run)
{
	struct matrix_opts mo = { .rigs = { "h1", "h2" }, .nrigs = 2, .variants = { "baseline" },
				  .nvariants = 1, .hosts = { NULL, NULL }, .nhosts = 2 };
	char h1[600], h2[600], out[600];
	struct env env;
	const char *st;

	hosts_env(&env);
	snprintf(h1, sizeof(h1), "qemu+unix:///system?socket=%s/hosts/none-1.sock", unit_tmpdir());
	snprintf(h2, sizeof(h2), "qemu+unix:///system?socket=%s/hosts/none-2.sock", unit_tmpdir());
	mo.hosts[0] = h1;
	mo.hosts[1] = h2;
	snprintf(out, sizeof(out), "%s/hosts/no-host", unit_tmpdir());
	EXPECT_EQ(1, matrix_in_child(&env, &mo, out));
	st = unit_slurp(out, "status");
	EXPECT_CONTAINS(st, "RESULT=fail\n");
	EXPECT_CONTAINS(st, "\nBOOTS=2\nBOOTS_WITHOUT_RESULTS=2\nHOSTS=2\nHOSTS_FAILED=2\n");
	EXPECT_CONTAINS(unit_slurp(out, "table.txt"), "h1/baseline/-/boot");
	EXPECT_CONTAINS(unit_slurp(unit_tmpdir(), "hosts/no-host.log"), "not run: no host left (host 1 (");
}

TEST(kcidb_json_has_a_checkout_a_build_per_variant_and_a_test_per_cell)
{
	struct report_cell cells[] = {
		{ "igb", "igb", "baseline", "xdp_pass_meta", "dynptr", "pass", "pass", "", NULL, 1.5, 1 },
		{ "igb", "igb", "core-only", "xsk_zc_pass_meta", "dynptr", "fail", "fail", "bad \"meta\"",
		  NULL, 2.0, 1 },
		{ "veth", "veth", "baseline", "xsk_zc_pass_meta", "data_meta", "error", "error", "", NULL, 0, 1 },
		{ "igb", "igb", "baseline", "-", "kernel_log", "pass", "none", "", NULL, 0, 0 },
	};
	char path[600], cmd[700];
	const char *k;

	snprintf(path, sizeof(path), "%s/kcidb.json", unit_tmpdir());
	EXPECT_EQ(0, report_kcidb(path, cells, 4, 0, "/x/results/matrix-1"));
	k = unit_slurp(unit_tmpdir(), "kcidb.json");
	EXPECT_CONTAINS(k, "{\"version\": {\"major\": 4, \"minor\": 1},");
	EXPECT_CONTAINS(k, "\"checkouts\": [{\"id\": \"nicrig:matrix-1@19700101T000000Z\", \"origin\": \"nicrig\"");
	EXPECT_CONTAINS(k, "{\"id\": \"nicrig:matrix-1@19700101T000000Z:baseline\", \"checkout_id\": \"nicrig:matrix-1@19700101T000000Z\"");
	EXPECT_CONTAINS(k, "{\"id\": \"nicrig:matrix-1@19700101T000000Z:core-only\", \"checkout_id\"");
	/* one build per variant, however many cells name it */
	EXPECT_TRUE(strstr(strstr(k, "\"config_name\": \"baseline\"") + 1, "\"config_name\": \"baseline\"") == NULL);
	EXPECT_CONTAINS(k, "\"path\": \"nicrig.igb.xdp_pass_meta.dynptr\", \"status\": \"PASS\", \"start_time\": \"1970-01-01T00:00:00Z\"");
	EXPECT_CONTAINS(k, "\"path\": \"nicrig.igb.xsk_zc_pass_meta.dynptr\", \"status\": \"FAIL\"");
	EXPECT_CONTAINS(k, "\"matched\": true, \"detail\": \"bad \\\"meta\\\"\"");
	EXPECT_CONTAINS(k, "\"path\": \"nicrig.veth.xsk_zc_pass_meta.data_meta\", \"status\": \"SKIP\"");
	EXPECT_CONTAINS(k, "\"path\": \"nicrig.igb.kernel_log\", \"status\": \"ERROR\"");
	/* well-formed JSON, as a consumer reads it */
	snprintf(cmd, sizeof(cmd), "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' '%s' 2>&1", path);
	EXPECT_EQ(0, system(cmd));
}

/*
 * The domain XML: the direct engine's machine in libvirt's terms, the NIC
 * and its cable passed through, QEMU as the runner's user, and every path
 * escaped (a results directory may hold any character).
 */
TEST(libvirt_domain_xml_is_the_direct_engines_machine)
{
	struct env env;
	struct rig rig;
	struct run_opts o = { .trace = "igb_rx*" };
	struct run_result *res = calloc(1, sizeof(*res));
	struct run r = { .env = &env, .o = &o, .res = res, .variant = "baseline" };
	struct launch l = { .kernel = "/k/bzImage", .initrd = "/k/initrd", .append = "console=ttyS0 a=1",
			    .console = "/out/a&b\"c/console.log" };
	char err[256], path[600], cmd[700], want[700];
	char *xml;
	FILE *f;

	ASSERT_TRUE(res != NULL);
	hosts_env(&env);
	ASSERT_TRUE(rig_load(&rig, env.top, "h1", err, sizeof(err)) == 0);
	o.rig = &rig;
	snprintf(r.proc.tmp, sizeof(r.proc.tmp), "/tmp/nicrig.AbC123");
	snprintf(res->out_dir, sizeof(res->out_dir), "/out/a&b\"c");
	xml = libvirt_domain_xml(&r, &l, "nicrig-h1-baseline-AbC123");
	ASSERT_TRUE(xml != NULL);
	EXPECT_CONTAINS(xml, "<domain type=\"qemu\" xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\">");
	EXPECT_CONTAINS(xml, "<name>nicrig-h1-baseline-AbC123</name>");
	EXPECT_CONTAINS(xml, "<kernel>/k/bzImage</kernel>");
	EXPECT_CONTAINS(xml, "<cmdline>console=ttyS0 a=1</cmdline>");
	EXPECT_CONTAINS(xml, "<cpu mode=\"maximum\"/>");
	snprintf(want, sizeof(want), "<emulator>%s</emulator>", env.qemu);
	EXPECT_CONTAINS(xml, want);
	EXPECT_CONTAINS(xml, "<source path=\"/out/a&amp;b&quot;c/console.log\"/>\n      <target port=\"0\"/>");
	EXPECT_CONTAINS(xml, "<source mode=\"connect\" path=\"/tmp/nicrig.AbC123/control.sock\"/>\n"
			"      <target port=\"1\"/>");
	snprintf(want, sizeof(want), "<label>+%u:+%u</label>", (unsigned int)getuid(), (unsigned int)getgid());
	EXPECT_CONTAINS(xml, want);
	EXPECT_CONTAINS(xml, "<qemu:arg value=\"dgram,id=wire,local.type=unix,local.path=/tmp/nicrig.AbC123/qemu.sock,"
			"remote.type=unix,remote.path=/tmp/nicrig.AbC123/wire.sock\"/>");
	EXPECT_CONTAINS(xml, "<qemu:arg value=\"igb,netdev=wire,mac=52:54:00:6e:72:01,romfile=\"/>");
	EXPECT_CONTAINS(xml, "<qemu:arg value=\"enable=igb_rx*\"/>");
	EXPECT_CONTAINS(xml, "<qemu:arg value=\"/out/a&amp;b&quot;c/device-trace.log\"/>");
	/* well-formed, as libvirt parses it */
	snprintf(path, sizeof(path), "%s/domain.xml", unit_tmpdir());
	f = fopen(path, "w");
	ASSERT_TRUE(f != NULL);
	fputs(xml, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' '%s' 2>&1",
		 path);
	EXPECT_EQ(0, system(cmd));
	free(xml);
	free(res);
}
