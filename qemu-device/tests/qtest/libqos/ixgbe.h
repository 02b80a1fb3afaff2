/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libqos driver for nicrig's Intel 82599 (ixgbe) model.
 *
 * Copyright (c) 2026 nicrig developers
 */

#ifndef QGRAPH_IXGBE_H
#define QGRAPH_IXGBE_H

#include "qgraph.h"
#include "pci.h"
#include "hw/net/ixgbe_regs.h"

#define QIXGBE_MAC          { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }
#define QIXGBE_QUEUES       4
#define QIXGBE_RING_DESCS   64      /* 1 KiB rings */
#define QIXGBE_BUF_SIZE     2048

/* MSI-X vectors the node programs through IVAR */
#define QIXGBE_RX_VECTOR(q) (q)
#define QIXGBE_TX_VECTOR(q) (8 + (q))
#define QIXGBE_MISC_VECTOR  16

typedef struct QIXGBE {
    QOSGraphObject obj;
    QPCIDevice pci_dev;
    QPCIBar mmio;
    QGuestAllocator *alloc;

    uint64_t tx_ring[QIXGBE_QUEUES];
    uint64_t rx_ring[QIXGBE_QUEUES];
    uint32_t tx_tail[QIXGBE_QUEUES];
    uint32_t rx_tail[QIXGBE_QUEUES];
} QIXGBE;

static inline uint32_t qixgbe_rxq_reg(int q, uint32_t off)
{
    return (q < 64 ? IXGBE_RXQ_BANK_LO + q * 0x40
                   : IXGBE_RXQ_BANK_HI + (q - 64) * 0x40) + off;
}

static inline uint32_t qixgbe_txq_reg(int q, uint32_t off)
{
    return IXGBE_TXQ_BANK + q * 0x40 + off;
}

static inline void qixgbe_write(QIXGBE *d, uint32_t reg, uint32_t val)
{
    qpci_io_writel(&d->pci_dev, d->mmio, reg, val);
}

static inline uint32_t qixgbe_read(QIXGBE *d, uint32_t reg)
{
    return qpci_io_readl(&d->pci_dev, d->mmio, reg);
}

/* Program and enable the rings of queue @q (both directions). */
void qixgbe_setup_queue(QIXGBE *d, int q);

/*
 * Put a descriptor on a ring and move the tail; returns the guest address
 * of the descriptor so the caller can look at the write-back.
 */
uint64_t qixgbe_tx_push(QIXGBE *d, int q, const IXGBETxDesc *desc);
uint64_t qixgbe_rx_push(QIXGBE *d, int q, uint64_t buf);

/* Wait (stepping the clock) until the status dword at @addr has @bit. */
bool qixgbe_wait_status(QIXGBE *d, uint64_t addr, uint32_t bit);
bool qixgbe_wait_msix(QIXGBE *d, uint16_t vector);

uint16_t qixgbe_eeprom_read(QIXGBE *d, uint16_t word);

#endif
