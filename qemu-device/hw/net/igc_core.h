/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Intel I225 2.5 GbE controller emulation: the hardware core.
 *
 * The PCI/QOM shell (igc.c) owns the BAR, capabilities and the NIC
 * backend; the registers the guest sees, the queues and the clock live
 * here (igc_core.c).
 *
 * Copyright (c) 2026 nicrig developers
 */

#ifndef HW_NET_IGC_CORE_H
#define HW_NET_IGC_CORE_H

#include "qemu/units.h"
#include "net/net.h"
#include "net/eth.h"
#include "hw/pci/pci_device.h"
#include "qemu/timer.h"
#include "igc_regs.h"

#define IGC_MMIO_SIZE           (128 * KiB)
#define IGC_MAC_SIZE            (IGC_MMIO_SIZE / 4)
#define IGC_MSIX_VECTORS        5
#define IGC_NUM_QUEUES          4
#define IGC_NVM_WORDS           1024    /* EECD.SIZE_EX = 4: 2^(4+6) */
#define IGC_PHY_REGS            32
#define IGC_MMD_REGS            0x40    /* device 7 (AN) registers 0..0x3F */
#define IGC_MAX_TX_FRAGS        64
/* The largest frame taken from the cable: RLPML's 14 bits */
#define IGC_MAX_RX_FRAME        (16 * KiB)
#define IGC_NUM_TIMERS          2       /* SYSTIM (timer 0) and SYSTIM_1 */

/* The context a TX context descriptor leaves for the data after it */
typedef struct IGCTxContext {
    uint32_t vlan_macip_lens;
    uint32_t launch_time;
    uint32_t type_tucmd_mlhl;
    uint32_t mss_l4len_idx;
} IGCTxContext;

typedef struct IGCCore IGCCore;

typedef struct IGCTxQueue {
    IGCCore *core;
    int index;
    struct NetTxPkt *pkt;
    IGCTxContext ctx;
    uint32_t first_cmd_type_len;    /* of the packet's first data descriptor */
    uint32_t first_olinfo_status;
    bool first;                     /* next data descriptor starts a packet */
    bool skip;                      /* the packet is dropped at EOP */
    /*
     * Launch time (TXQCTL.QUEUE_MODE_LAUNCHT): the packet at the head
     * waits for its time, launch_virt on QEMU's virtual clock, and the
     * timer kicks the ring then.
     */
    bool launch_held;
    int64_t launch_virt;
    QEMUTimer *launch_timer;
} IGCTxQueue;

/* One PTP timer: guest time = offset + QEMU's virtual clock */
typedef struct IGCTimer {
    int64_t offset_ns;
    uint32_t latched_s;     /* SYSTIMH as latched by the last SYSTIML read */
    uint32_t pending_ns;    /* SYSTIML written, waiting for SYSTIMH */
} IGCTimer;

/* One vector's EITR moderation timer */
typedef struct IGCEitr {
    IGCCore *core;
    int vector;
    QEMUTimer *timer;
} IGCEitr;

struct IGCCore {
    uint32_t mac[IGC_MAC_SIZE];
    uint16_t nvm[IGC_NVM_WORDS];
    uint16_t phy[IGC_PHY_REGS];
    uint16_t mmd_an[IGC_MMD_REGS];
    uint16_t mmd_ctrl;      /* PHY reg 13: function and device */
    uint16_t mmd_addr;      /* address latched through PHY reg 14 */
    uint8_t permanent_mac[ETH_ALEN];

    IGCTxQueue txq[IGC_NUM_QUEUES];
    IGCTimer timer[IGC_NUM_TIMERS];
    IGCEitr eitr[IGC_MSIX_VECTORS];
    uint32_t eitr_busy;     /* vectors inside their EITR interval */
    struct NetRxPkt *rx_pkt;
    uint8_t rx_buf[IGC_TS_HDR_LEN + IGC_MAX_RX_FRAME + ETH_FCS_LEN];
    /*
     * A frame found its ring full and waits in QEMU's queue (receive
     * returned 0); the next RDT write or queue enable flushes it.
     */
    bool rx_held;
    /*
     * Property fcs-on-wire: frames from the backend end in their FCS, so
     * a bad FCS and runts can be sent (QEMU's net layer has no FCS flag).
     */
    bool fcs_on_wire;

    PCIDevice *owner;
    NICState *owner_nic;
};

void igc_core_class_init(void);
void igc_core_realize(IGCCore *core, PCIDevice *owner, NICState *nic,
                      const uint8_t *macaddr);
void igc_core_unrealize(IGCCore *core);
void igc_core_reset(IGCCore *core);

uint64_t igc_core_read(IGCCore *core, hwaddr addr, unsigned size);
void igc_core_write(IGCCore *core, hwaddr addr, uint64_t val, unsigned size);

bool igc_core_can_receive(IGCCore *core);
ssize_t igc_core_receive_iov(IGCCore *core, const struct iovec *iov,
                             int iovcnt);
void igc_core_set_link_status(IGCCore *core);

#endif
