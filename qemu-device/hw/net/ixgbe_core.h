/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Intel 82599 10 GbE controller emulation: the hardware core.
 *
 * The PCI/QOM shell (ixgbe.c) owns the BARs, capabilities and the NIC
 * backend; everything the guest sees through registers and descriptor rings
 * lives here.
 *
 * Copyright (c) 2026 nicrig developers
 */

#ifndef HW_NET_IXGBE_CORE_H
#define HW_NET_IXGBE_CORE_H

#include "net/net.h"
#include "net/eth.h"
#include "hw/pci/pci_device.h"
#include "ixgbe_regs.h"

#define IXGBE_NUM_QUEUES        128
#define IXGBE_MSIX_VECTORS      64
#define IXGBE_EEPROM_WORDS      512     /* EEC.SIZE = 3 */
#define IXGBE_MAX_TX_FRAGS      64
#define IXGBE_MAX_RX_FRAME      (16 * KiB)

typedef struct IXGBETxContext {
    uint32_t vlan_macip_lens;
    uint32_t seqnum_seed;
    uint32_t type_tucmd_mlhl;
    uint32_t mss_l4len_idx;
} IXGBETxContext;

/* Per-queue transmit state carried between descriptors of one packet. */
typedef struct IXGBETxQueue {
    struct NetTxPkt *pkt;
    IXGBETxContext ctx[2];
    uint32_t first_cmd_type_len;
    uint32_t first_olinfo_status;
    bool first;         /* next data descriptor starts a packet */
    bool skip;          /* current packet is bad: drop it at EOP */
} IXGBETxQueue;

typedef struct IXGBECore {
    uint32_t mac[IXGBE_MAC_SIZE];
    uint16_t eeprom[IXGBE_EEPROM_WORDS];
    uint8_t permanent_mac[ETH_ALEN];

    /*
     * Interrupt causes and masks.  Queue causes are kept per interrupt
     * vector (IVAR allocation), 64 of them; in INTx/MSI mode only the low
     * 16 exist and show up as EICR[15:0].  Other causes are EICR[31:16].
     */
    uint64_t vec_cause;
    uint64_t vec_mask;
    uint64_t vec_automask;
    uint32_t misc_cause;
    uint32_t misc_mask;

    /* EITR moderation: a vector that fired stays quiet for its interval */
    QEMUTimer *eitr_timer[IXGBE_MSIX_VECTORS];
    uint64_t eitr_busy;     /* bit per vector: interval running */

    IXGBETxQueue txq[IXGBE_NUM_QUEUES];
    uint8_t rx_buf[IXGBE_MAX_RX_FRAME + 4];

    PCIDevice *owner;
    NICState *owner_nic;
    struct NetRxPkt *rx_pkt;

    /*
     * A frame found its ring full and waits in QEMU's queue (receive
     * returned 0): the next RDT write must flush.  Without one waiting, a
     * flush only costs a main-loop wake-up, once per refill.
     */
    bool rx_held;

    /*
     * Property fcs-on-wire: frames from the backend end in their FCS, so
     * a bad FCS and runts can be sent (QEMU's net layer has no FCS flag).
     */
    bool fcs_on_wire;
} IXGBECore;

void ixgbe_core_class_init(void);
void ixgbe_core_realize(IXGBECore *core, PCIDevice *owner, NICState *nic,
                        const uint8_t *macaddr);
void ixgbe_core_unrealize(IXGBECore *core);
void ixgbe_core_reset(IXGBECore *core);
int ixgbe_core_post_load(IXGBECore *core);

uint64_t ixgbe_core_read(IXGBECore *core, hwaddr addr, unsigned size);
void ixgbe_core_write(IXGBECore *core, hwaddr addr, uint64_t val,
                      unsigned size);

bool ixgbe_core_can_receive(IXGBECore *core);
ssize_t ixgbe_core_receive_iov(IXGBECore *core, const struct iovec *iov,
                               int iovcnt);
void ixgbe_core_set_link_status(IXGBECore *core);
void ixgbe_core_start_recv(IXGBECore *core);

#endif
