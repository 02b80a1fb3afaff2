/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libqos driver for nicrig's Intel I225 (igc) model.
 *
 * Copyright (c) 2026 nicrig developers
 */

#ifndef QGRAPH_IGC_H
#define QGRAPH_IGC_H

#include "qgraph.h"
#include "pci.h"
#include "hw/net/igc_regs.h"

#define QIGC_MAC            { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 }
#define QIGC_QUEUES         4
#define QIGC_RING_DESCS     64      /* 1 KiB rings */
#define QIGC_BUF_SIZE       2048
#define QIGC_VECTORS        5

/* MSI-X vectors the node programs: misc 0, queue q on q + 1 (RX and TX) */
#define QIGC_MISC_VECTOR    0
#define QIGC_QUEUE_VECTOR(q) (1 + (q))

typedef struct QIGC {
    QOSGraphObject obj;
    QPCIDevice pci_dev;
    QPCIBar mmio;
    QGuestAllocator *alloc;

    uint64_t tx_ring[QIGC_QUEUES];
    uint64_t rx_ring[QIGC_QUEUES];
    uint32_t tx_tail[QIGC_QUEUES];
    uint32_t rx_tail[QIGC_QUEUES];
} QIGC;

static inline uint32_t qigc_q_reg(bool tx, int q, uint32_t off)
{
    return (tx ? IGC_TXQ0 : IGC_RXQ0) + q * IGC_Q_STRIDE + off;
}

static inline void qigc_write(QIGC *d, uint32_t reg, uint32_t val)
{
    qpci_io_writel(&d->pci_dev, d->mmio, reg, val);
}

static inline uint32_t qigc_read(QIGC *d, uint32_t reg)
{
    return qpci_io_readl(&d->pci_dev, d->mmio, reg);
}

/* Program and enable both rings of queue @q, as igc_configure_*_ring do */
void qigc_setup_queue(QIGC *d, int q);

/* Put a descriptor on a ring and move the tail; returns its address */
uint64_t qigc_tx_push(QIGC *d, int q, uint64_t addr, uint32_t cmd,
                      uint32_t olinfo);
uint64_t qigc_rx_push(QIGC *d, int q, uint64_t buf);

/* Wait (stepping the clock) for @bit in the dword at @addr / a vector */
bool qigc_wait_status(QIGC *d, uint64_t addr, uint32_t bit);
bool qigc_wait_msix(QIGC *d, uint16_t vector);

uint16_t qigc_nvm_read(QIGC *d, uint16_t word);
/* An MDIC access to PHY @phy; the MDIC value it ended with */
uint32_t qigc_mdic(QIGC *d, int phy, int reg, bool write, uint16_t val);

#endif
