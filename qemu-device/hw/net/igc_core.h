/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Intel I225 2.5 GbE controller emulation: the hardware core.
 *
 * The PCI/QOM shell (igc.c) owns the BAR, capabilities and the NIC
 * backend; the registers the guest sees live here.  This first step models
 * probe and link only (NVM, semaphores, reset, GPY PHY over MDIC/MMD,
 * STATUS at 2.5 Gb/s, LSC through MSI-X); no queues, no frames.
 *
 * Copyright (c) 2026 nicrig developers
 */

#ifndef HW_NET_IGC_CORE_H
#define HW_NET_IGC_CORE_H

#include "qemu/units.h"
#include "net/net.h"
#include "net/eth.h"
#include "hw/pci/pci_device.h"

#define IGC_MMIO_SIZE           (128 * KiB)
#define IGC_MAC_SIZE            (IGC_MMIO_SIZE / 4)
#define IGC_MSIX_VECTORS        5
#define IGC_NVM_WORDS           1024    /* EECD.SIZE_EX = 4: 2^(4+6) */
#define IGC_PHY_REGS            32
#define IGC_MMD_REGS            0x40    /* device 7 (AN) registers 0..0x3F */

typedef struct IGCCore {
    uint32_t mac[IGC_MAC_SIZE];
    uint16_t nvm[IGC_NVM_WORDS];
    uint16_t phy[IGC_PHY_REGS];
    uint16_t mmd_an[IGC_MMD_REGS];
    uint16_t mmd_ctrl;      /* PHY reg 13: function and device */
    uint16_t mmd_addr;      /* address latched through PHY reg 14 */
    uint8_t permanent_mac[ETH_ALEN];

    PCIDevice *owner;
    NICState *owner_nic;
} IGCCore;

void igc_core_realize(IGCCore *core, PCIDevice *owner, NICState *nic,
                      const uint8_t *macaddr);
void igc_core_reset(IGCCore *core);

uint64_t igc_core_read(IGCCore *core, hwaddr addr, unsigned size);
void igc_core_write(IGCCore *core, hwaddr addr, uint64_t val, unsigned size);

void igc_core_set_link_status(IGCCore *core);

#endif
