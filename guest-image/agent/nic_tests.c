// SPDX-License-Identifier: GPL-2.0
/*
 * nic_tests.c - tests of the NIC itself rather than of the metadata path.
 */
#include <stdio.h>
#include <string.h>

#include "agent.h"

/* *verdict: -1 until ethtool says, then 1 if it passed, else 0. */
static void ethtool_line(struct agent *a, char *line, void *verdict)
{
	ctl_send(a, "# %s", line);
	if (strstr(line, "The test result is"))
		*(int *)verdict = strstr(line, "PASS") != NULL;
}

/*
 * ethtool -t IF offline: the driver's own register, EEPROM, interrupt and
 * loopback tests against the (emulated) hardware.  Every line ethtool
 * prints goes back as a diagnostic; the verdict is ethtool's.
 */
int test_ethtool_selftest(struct agent *a, const char *name, int arg __maybe_unused)
{
	int passed = -1, rc;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), ETHTOOL " -t %s offline 2>&1", a->ifname);
	rc = run_cmd_lines(a, cmd, ethtool_line, &passed);
	if (rc == -1) {
		ctl_send(a, "end %s error cannot run ethtool", name);
		return -1;
	}
	if (passed < 0) {
		ctl_send(a, "end %s error ethtool -t printed no verdict (exit status %d)", name, rc);
		return -1;
	}
	/* The self-test resets the NIC: wait for the link before the next test. */
	if (link_wait_carrier(a->ifname, 20000))
		ctl_send(a, "# %s has no carrier after the self-test", a->ifname);
	ctl_send(a, "reader %s ethtool %s %s", name, passed ? "pass" : "fail",
		 passed ? "ethtool -t offline: PASS" : "ethtool -t offline: FAIL (see the lines above)");
	ctl_send(a, "end %s %s", name, passed ? "pass" : "fail");
	return passed ? 0 : -1;
}
