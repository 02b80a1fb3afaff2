/* SPDX-License-Identifier: GPL-2.0 */
/* qmp.h - QEMU's monitor protocol, the little the fault tests need. */
#ifndef NICRIG_QMP_H
#define NICRIG_QMP_H

#include <stdbool.h>
#include <stddef.h>

/* Connects to QEMU's QMP socket and enters command mode: the fd, or -1 after a message. */
int qmp_open(const char *path, char *err, size_t errlen);
/* set_link NETDEV up|down: 0, or -1 with QEMU's answer in err. */
int qmp_set_link(int fd, const char *netdev, bool up, char *err, size_t errlen);

#endif /* NICRIG_QMP_H */
