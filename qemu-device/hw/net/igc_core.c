/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Intel I225 2.5 GbE controller emulation: the hardware core.
 *
 * Written against what the Linux 7.3 igc driver programs and expects (see
 * qemu-device/README.md for the list, and what is not modelled):
 * - probe and link: EECD with flash detected, NVM through EERD/SRWR with
 *   the 0xBABA checksum, the MAC loaded into RA[0] on every reset,
 *   SWSM/SW_FW_SYNC, CTRL.RST and PHY reset (PHPM), the GPY PHY at MDIC
 *   address 0 with its MMD device 7, STATUS at 2.5 Gb/s full duplex;
 * - 4 RX and 4 TX queues with advanced descriptors, one buffer per
 *   descriptor, frames over several descriptors, RSS (Toeplitz, RETA),
 *   IPv4/TCP/UDP checksum offload and TSO on TX, VLAN insert/strip and
 *   filtering, unicast/multicast/broadcast filters, the statistics
 *   counters the driver reads;
 * - MSI-X through IVAR0/IVAR_MISC with EIAC/EIAM, EICS and EITR
 *   moderation; MSI and INTx;
 * - the two PTP timers in seconds/nanoseconds, the timestamp header in
 *   front of received frames (TSIP), the four TX timestamp registers and
 *   the time sync interrupt.
 *
 * Every register is declared once in igc_regs[] with how it behaves; an
 * access to an undeclared one is a guest error.
 *
 * Copyright (c) 2026 nicrig developers
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "qemu/timer.h"
#include "net/net.h"
#include "net/eth.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "system/dma.h"
#include <zlib.h>

#include "igc_core.h"
#include "igc_regs.h"
#include "nicrig_adv.h"
#include "net_tx_pkt.h"
#include "net_rx_pkt.h"
#include "trace.h"

#define R(off)          ((off) >> 2)

static void igc_raise_misc(IGCCore *core, uint32_t cause);
static void igc_tx_ring_kick(IGCCore *core, int q);
static ssize_t igc_rx_frame(IGCCore *core, const struct iovec *iov,
                            int iovcnt, bool loopback);

static inline uint32_t *igc_q_reg(IGCCore *core, bool tx, int q,
                                  uint32_t off)
{
    return &core->mac[R((tx ? IGC_TXQ0 : IGC_RXQ0) + q * IGC_Q_STRIDE + off)];
}

/* Statistics: 32-bit counters saturate, 64-bit pairs carry (L then H) */
static void igc_stat_add(IGCCore *core, uint32_t off, uint32_t n)
{
    uint32_t *c = &core->mac[R(off)];

    *c = *c > UINT32_MAX - n ? UINT32_MAX : *c + n;
}

static void igc_stat_add64(IGCCore *core, uint32_t lo, uint64_t n)
{
    uint64_t v = core->mac[R(lo)] | (uint64_t)core->mac[R(lo + 4)] << 32;

    v += n;
    core->mac[R(lo)] = v;
    core->mac[R(lo + 4)] = v >> 32;
}

/* The size bucket counters PRC64..PRC1522 and PTC64..PTC1522 */
static void igc_stat_size(IGCCore *core, uint32_t first, size_t len)
{
    static const size_t top[] = { 64, 127, 255, 511, 1023 };
    int i;

    for (i = 0; i < ARRAY_SIZE(top) && len > top[i]; i++) {
        continue;
    }
    igc_stat_add(core, first + 4 * i, 1);
}

/* ---- link and PHY ---- */

static bool igc_link_up(IGCCore *core)
{
    return !qemu_get_queue(core->owner_nic)->link_down &&
           !(core->phy[IGC_PHY_BMCR] & BIT(11));  /* power-down */
}

static void igc_update_link(IGCCore *core, bool notify)
{
    bool up = igc_link_up(core);
    uint32_t old = core->mac[R(IGC_STATUS)];
    uint32_t speed = IGC_STATUS_SPEED_1000 | IGC_STATUS_SPEED_2500;
    uint32_t st = old & ~(IGC_STATUS_LU | speed);

    if (up) {
        st |= IGC_STATUS_LU | IGC_STATUS_FD | speed;
        core->phy[IGC_PHY_BMSR] |= IGC_BMSR_LINK | IGC_BMSR_ANEG_COMPLETE;
    } else {
        core->phy[IGC_PHY_BMSR] &= ~(IGC_BMSR_LINK | IGC_BMSR_ANEG_COMPLETE);
    }
    core->mac[R(IGC_STATUS)] = st;
    trace_igc_link_status(up);
    if (notify && (old ^ st) & IGC_STATUS_LU) {
        igc_raise_misc(core, IGC_ICR_LSC);
    }
}

static void igc_phy_reset(IGCCore *core)
{
    memset(core->phy, 0, sizeof(core->phy));
    memset(core->mmd_an, 0, sizeof(core->mmd_an));
    core->mmd_ctrl = core->mmd_addr = 0;
    core->phy[IGC_PHY_BMCR] = 0x1140;          /* AN enable, 1000 FD */
    core->phy[IGC_PHY_BMSR] = 0x7949;          /* 10/100 caps, ext status, AN */
    core->phy[IGC_PHY_ID1] = 0x67C9;           /* GPY211 as fitted on I225 */
    core->phy[IGC_PHY_ID2] = 0xDC00;
    core->phy[IGC_PHY_ANAR] = 0x0DE1;
    core->phy[IGC_PHY_ANLPAR] = 0xCDE1;        /* partner: all speeds, pause */
    core->phy[IGC_PHY_1000T_CTRL] = 0x0200;
    core->phy[IGC_PHY_1000T_STATUS] = 0x3C00;  /* local+remote RX OK, LP 1000 */
    core->mmd_an[0x20] = BIT(7);           /* advertise 2.5G */
    core->mmd_an[0x21] = BIT(5);           /* partner 2.5G capable */
}

static uint16_t *igc_mmd_reg(IGCCore *core)
{
    if ((core->mmd_ctrl & 0x1F) != IGC_MMD_DEV_AN ||
        core->mmd_addr >= IGC_MMD_REGS) {
        return NULL;
    }
    return &core->mmd_an[core->mmd_addr];
}

static uint16_t igc_phy_read(IGCCore *core, unsigned reg)
{
    uint16_t *r;

    switch (reg) {
    case IGC_PHY_MMD_CTRL:
        return core->mmd_ctrl;
    case IGC_PHY_MMD_DATA:
        if (!(core->mmd_ctrl & IGC_MMD_FUNC_DATA)) {
            return core->mmd_addr;
        }
        r = igc_mmd_reg(core);
        return r ? *r : 0;
    default:
        return core->phy[reg];
    }
}

static void igc_phy_write(IGCCore *core, unsigned reg, uint16_t val)
{
    uint16_t *r;

    switch (reg) {
    case IGC_PHY_BMCR:
        if (val & IGC_BMCR_RESET) {
            igc_phy_reset(core);
            igc_update_link(core, true);
            return;
        }
        core->phy[IGC_PHY_BMCR] = val & ~IGC_BMCR_ANRESTART;
        igc_update_link(core, true);
        return;
    case IGC_PHY_BMSR:
    case IGC_PHY_ID1:
    case IGC_PHY_ID2:
    case IGC_PHY_ANLPAR:
    case IGC_PHY_1000T_STATUS:
        return;                            /* read-only */
    case IGC_PHY_MMD_CTRL:
        core->mmd_ctrl = val;
        return;
    case IGC_PHY_MMD_DATA:
        if (!(core->mmd_ctrl & IGC_MMD_FUNC_DATA)) {
            core->mmd_addr = val;
            return;
        }
        r = igc_mmd_reg(core);
        if (r) {
            *r = val;
        }
        return;
    default:
        core->phy[reg] = val;
    }
}

static void igc_write_mdic(IGCCore *core, int index, uint32_t val)
{
    unsigned phy = (val >> IGC_MDIC_PHY_SHIFT) & 0x1F;
    unsigned reg = (val >> IGC_MDIC_REG_SHIFT) & 0x1F;

    trace_igc_mdic(val);
    val &= ~(IGC_MDIC_READY | IGC_MDIC_ERROR);
    if (phy != 0) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: MDIC access to PHY address %u (only 0 exists)\n",
                      phy);
        val |= IGC_MDIC_ERROR;
    } else if (val & IGC_MDIC_OP_READ) {
        val = (val & ~IGC_MDIC_DATA_MASK) | igc_phy_read(core, reg);
    } else if (val & IGC_MDIC_OP_WRITE) {
        igc_phy_write(core, reg, val & IGC_MDIC_DATA_MASK);
    } else {
        qemu_log_mask(LOG_GUEST_ERROR, "igc: MDIC 0x%08x has no opcode\n",
                      val);
        val |= IGC_MDIC_ERROR;
    }
    core->mac[index] = val | IGC_MDIC_READY;
}

/* ---- NVM ---- */

static void igc_nvm_init(IGCCore *core, const uint8_t *macaddr)
{
    uint16_t sum = 0;
    int i;

    memset(core->nvm, 0, sizeof(core->nvm));
    for (i = 0; i < 3; i++) {
        core->nvm[i] = macaddr[2 * i] | (macaddr[2 * i + 1] << 8);
    }
    for (i = 0; i < IGC_NVM_CHECKSUM_WORD; i++) {
        sum += core->nvm[i];
    }
    core->nvm[IGC_NVM_CHECKSUM_WORD] = IGC_NVM_SUM - sum;
}

static void igc_write_eerd(IGCCore *core, int index, uint32_t val)
{
    uint32_t addr = (val >> IGC_EERD_ADDR_SHIFT) & 0x3FFF;
    uint16_t data = 0;

    if (!(val & IGC_EERD_START)) {
        core->mac[index] = val & ~IGC_EERD_DONE;
        return;
    }
    if (addr < IGC_NVM_WORDS) {
        data = core->nvm[addr];
    } else {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: EERD read of NVM word 0x%x beyond %u words\n",
                      addr, IGC_NVM_WORDS);
    }
    trace_igc_nvm_read(addr, data);
    core->mac[index] = (val & 0xFFFC) | IGC_EERD_DONE |
                       ((uint32_t)data << IGC_EERD_DATA_SHIFT);
}

static void igc_write_srwr(IGCCore *core, int index, uint32_t val)
{
    uint32_t addr = (val >> IGC_EERD_ADDR_SHIFT) & 0x3FFF;

    if (val & IGC_EERD_START) {
        if (addr < IGC_NVM_WORDS) {
            core->nvm[addr] = val >> IGC_EERD_DATA_SHIFT;
            trace_igc_nvm_write(addr, val >> IGC_EERD_DATA_SHIFT);
        } else {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "igc: SRWR write of NVM word 0x%x beyond %u words\n",
                          addr, IGC_NVM_WORDS);
        }
    }
    core->mac[index] = (val & 0xFFFC) | IGC_EERD_DONE;
}

/* ---- interrupts ---- */

static bool igc_msix_mode(IGCCore *core)
{
    return msix_enabled(core->owner) &&
           (core->mac[R(IGC_GPIE)] & IGC_GPIE_MSIX_MODE);
}

/* EITR interval of vector @v (bits 14:2, in microseconds) in ns; 0: off */
static int64_t igc_eitr_interval_ns(IGCCore *core, int v)
{
    return (int64_t)((core->mac[R(IGC_EITR0) + v] >> 2) & 0x1FFF) * SCALE_US;
}

/*
 * Send the MSI-X messages of every pending, unmasked vector.  A vector
 * inside its EITR interval keeps its cause pending; the interval's timer
 * sends it.
 */
static void igc_msix_fire(IGCCore *core)
{
    uint32_t pending = core->mac[R(IGC_EICR)] & core->mac[R(IGC_EIMS)];
    int64_t interval;
    int v;

    for (v = 0; v < IGC_MSIX_VECTORS; v++) {
        if (!(pending & BIT(v)) || (core->eitr_busy & BIT(v))) {
            continue;
        }
        interval = igc_eitr_interval_ns(core, v);
        if (interval) {
            core->eitr_busy |= BIT(v);
            timer_mod(core->eitr[v].timer,
                      qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + interval);
        }
        if (core->mac[R(IGC_EIAC)] & BIT(v)) {
            core->mac[R(IGC_EICR)] &= ~BIT(v);
        }
        if ((core->mac[R(IGC_GPIE)] & IGC_GPIE_EIAME) &&
            (core->mac[R(IGC_EIAM)] & BIT(v))) {
            core->mac[R(IGC_EIMS)] &= ~BIT(v);
        }
        trace_igc_irq_msix(v);
        msix_notify(core->owner, v);
    }
}

static void igc_eitr_expired(void *opaque)
{
    IGCEitr *e = opaque;

    e->core->eitr_busy &= ~BIT(e->vector);
    igc_msix_fire(e->core);
}

/* An IVAR byte: the vector it names, or -1 if not valid. */
static int igc_ivar_vector(IGCCore *core, uint8_t ivar, const char *what,
                           int q)
{
    unsigned v = ivar & IGC_IVAR_VECTOR_MASK;

    if (!(ivar & IGC_IVAR_VALID)) {
        return -1;
    }
    if (v >= IGC_MSIX_VECTORS) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: IVAR entry for %s %d names vector %u of %u\n",
                      what, q, v, IGC_MSIX_VECTORS);
        return -1;
    }
    return v;
}

/* INTx follows ICR & IMS as a level; MSI is sent for each new cause. */
static void igc_legacy_update(IGCCore *core, bool new_cause)
{
    bool active = core->mac[R(IGC_ICR)] & core->mac[R(IGC_IMS)];

    if (msi_enabled(core->owner)) {
        if (active && new_cause) {
            trace_igc_irq_msi();
            msi_notify(core->owner, 0);
        }
        return;
    }
    trace_igc_irq_intx(active);
    pci_set_irq(core->owner, active);
}

/* "Other" causes in ICR: LSC, TS, ...; through IVAR_MISC in MSI-X mode. */
static void igc_raise_misc(IGCCore *core, uint32_t cause)
{
    core->mac[R(IGC_ICR)] |= cause;
    if (igc_msix_mode(core)) {
        int v = igc_ivar_vector(core, core->mac[R(IGC_IVAR_MISC)] >> 8,
                                "misc", 0);

        if (v >= 0 && (cause & core->mac[R(IGC_IMS)])) {
            core->mac[R(IGC_EICR)] |= BIT(v);
            igc_msix_fire(core);
        }
        return;
    }
    igc_legacy_update(core, cause & core->mac[R(IGC_IMS)]);
}

/* IVAR0[q / 2]: RX entry in byte 2 * (q & 1), TX entry in the next byte */
static void igc_raise_queue(IGCCore *core, int q, bool tx)
{
    if (igc_msix_mode(core)) {
        uint32_t ivar = core->mac[R(IGC_IVAR0) + q / 2];
        int v = igc_ivar_vector(core, ivar >> (16 * (q & 1) + (tx ? 8 : 0)),
                                tx ? "TX queue" : "RX queue", q);

        if (v >= 0) {
            core->mac[R(IGC_EICR)] |= BIT(v);
            igc_msix_fire(core);
        }
        return;
    }
    igc_raise_misc(core, tx ? IGC_ICR_TXDW : IGC_ICR_RXT0);
}

static uint32_t igc_read_icr(IGCCore *core, int index)
{
    uint32_t val = core->mac[index];

    core->mac[index] = 0;
    if (!igc_msix_mode(core)) {
        igc_legacy_update(core, false);
    }
    return val;
}

static void igc_write_ics(IGCCore *core, int index, uint32_t val)
{
    igc_raise_misc(core, val);
}

static void igc_write_icr(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_ICR)] &= ~val;
    if (!igc_msix_mode(core)) {
        igc_legacy_update(core, false);
    }
}

static void igc_write_ims(IGCCore *core, int index, uint32_t val)
{
    /* causes already pending when unmasked are delivered now */
    uint32_t pending = val & ~core->mac[R(IGC_IMS)] & core->mac[R(IGC_ICR)];

    core->mac[R(IGC_IMS)] |= val;
    if (pending) {
        igc_raise_misc(core, pending);
    }
}

static void igc_write_imc(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_IMS)] &= ~val;
    if (!igc_msix_mode(core)) {
        igc_legacy_update(core, false);
    }
}

static void igc_write_eics(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_EICR)] |= val & (BIT(IGC_MSIX_VECTORS) - 1);
    igc_msix_fire(core);
}

static void igc_write_eicr(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_EICR)] &= ~val;
}

static void igc_write_eims(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_EIMS)] |= val & (BIT(IGC_MSIX_VECTORS) - 1);
    igc_msix_fire(core);
}

static void igc_write_eimc(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_EIMS)] &= ~val;
}

/* ---- PTP clock: two timers in seconds + nanoseconds ---- */

static int64_t igc_timer_now(IGCCore *core, int t)
{
    return core->timer[t].offset_ns + qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

/* timer 0 is SYSTIM at 0xB600, timer 1 SYSTIM_1 at 0xB688 */
static int igc_timer_of(int index)
{
    return index >= R(IGC_SYSTIMR_1) ? 1 : 0;
}

/* SYSTIML latches the whole time; SYSTIMH returns the latched seconds. */
static uint32_t igc_read_systiml(IGCCore *core, int index)
{
    int t = igc_timer_of(index);
    int64_t now = igc_timer_now(core, t);

    core->timer[t].latched_s = now / NANOSECONDS_PER_SECOND;
    return now % NANOSECONDS_PER_SECOND;
}

static uint32_t igc_read_systimh(IGCCore *core, int index)
{
    return core->timer[igc_timer_of(index)].latched_s;
}

static void igc_write_systiml(IGCCore *core, int index, uint32_t val)
{
    core->timer[igc_timer_of(index)].pending_ns =
        MIN(val, NANOSECONDS_PER_SECOND - 1);
}

static void igc_write_systimh(IGCCore *core, int index, uint32_t val)
{
    IGCTimer *t = &core->timer[igc_timer_of(index)];
    int64_t want = (int64_t)val * NANOSECONDS_PER_SECOND + t->pending_ns;

    t->offset_ns = want - qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    trace_igc_systim_set(igc_timer_of(index), val, t->pending_ns);
}

/* TIMADJ: signed offset, bit 31 the sign, added to timer 0 at once */
static void igc_write_timadj(IGCCore *core, int index, uint32_t val)
{
    int64_t adj = val & 0x7FFFFFFF;

    core->timer[0].offset_ns += (val & BIT(31)) ? -adj : adj;
    core->mac[index] = val;
}

static void igc_timestamp(IGCCore *core, int t, uint32_t *ns, uint32_t *s)
{
    int64_t now = igc_timer_now(core, t);

    *ns = now % NANOSECONDS_PER_SECOND;
    *s = now / NANOSECONDS_PER_SECOND;
}

/* TXSTMPH_n read frees register set n for the next TX timestamp */
static uint32_t igc_read_txstmph(IGCCore *core, int index)
{
    static const uint32_t h[] = {
        IGC_TXSTMPH0, IGC_TXSTMPH1, IGC_TXSTMPH2, IGC_TXSTMPH3
    };
    int n;

    for (n = 0; n < ARRAY_SIZE(h); n++) {
        if (index == R(h[n])) {
            core->mac[R(IGC_TSYNCTXCTL)] &= ~BIT(n);
        }
    }
    return core->mac[index];
}

static void igc_tx_timestamp(IGCCore *core, int q, uint32_t cmd,
                             uint32_t olinfo)
{
    static const uint32_t l[] = {
        IGC_TXSTMPL0, IGC_TXSTMPL1, IGC_TXSTMPL2, IGC_TXSTMPL3
    };
    int n = (cmd >> IGC_TXD_TSTAMP_REG_SHIFT) & 3;
    int t = (olinfo & IGC_TXD_PTP_TIMER_1) ? 1 : 0;
    uint32_t ns, s;

    if (!(core->mac[R(IGC_TSYNCTXCTL)] & IGC_TSYNCTXCTL_ENABLED)) {
        return;
    }
    if (core->mac[R(IGC_TSYNCTXCTL)] & BIT(n)) {
        /* the driver has not read the last one: the hardware keeps it */
        trace_igc_tx_timestamp_busy(q, n);
        return;
    }
    igc_timestamp(core, t, &ns, &s);
    core->mac[R(l[n])] = ns;
    core->mac[R(l[n] + 4)] = s;
    core->mac[R(IGC_TSYNCTXCTL)] |= BIT(n);
    core->mac[R(IGC_TSICR)] |= IGC_TSICR_TXTS;
    trace_igc_tx_timestamp(q, n, t, s, ns);
    if (core->mac[R(IGC_TSIM)] & IGC_TSICR_TXTS) {
        igc_raise_misc(core, IGC_ICR_TS);
    }
}

/* The counters one direction's frames go into (igc_frame_stats) */
typedef struct IGCFrameCounters {
    uint32_t good, total, octets, total_octets, size64, bcast, mcast;
} IGCFrameCounters;

static const IGCFrameCounters igc_rx_counters = {
    IGC_GPRC, IGC_TPR, IGC_GORCL, IGC_TORL, IGC_PRC64, IGC_BPRC, IGC_MPRC,
};
static const IGCFrameCounters igc_tx_counters = {
    IGC_GPTC, IGC_TPT, IGC_GOTCL, IGC_TOTL, IGC_PTC64, IGC_BPTC, IGC_MPTC,
};

/* A frame of @len bytes (without FCS) sent or received */
static void igc_frame_stats(IGCCore *core, const IGCFrameCounters *c,
                            size_t len, eth_pkt_types_e type)
{
    len += ETH_FCS_LEN;
    igc_stat_add(core, c->good, 1);
    igc_stat_add(core, c->total, 1);
    igc_stat_add64(core, c->octets, len);
    igc_stat_add64(core, c->total_octets, len);
    igc_stat_size(core, c->size64, len);
    if (type == ETH_PKT_BCAST) {
        igc_stat_add(core, c->bcast, 1);
    } else if (type == ETH_PKT_MCAST) {
        igc_stat_add(core, c->mcast, 1);
    }
}

/* ---- rings ---- */

/* Validate the guest's programming of a ring; false (and a log) if bad. */
static bool igc_ring_get(IGCCore *core, bool tx, int q, NicrigRing *r)
{
    return nicrig_ring_get(r, "igc", tx ? "TX" : "RX", q,
                           *igc_q_reg(core, tx, q, IGC_Q_BAL),
                           *igc_q_reg(core, tx, q, IGC_Q_BAH),
                           *igc_q_reg(core, tx, q, IGC_Q_LEN),
                           igc_q_reg(core, tx, q, IGC_Q_HEAD),
                           igc_q_reg(core, tx, q, IGC_Q_TAIL));
}

/* ---- transmit ---- */

static void igc_tx_loopback_cb(void *opaque, const struct iovec *iov,
                               int iovcnt, const struct iovec *virt_iov,
                               int virt_iovcnt)
{
    igc_rx_frame(opaque, iov, iovcnt, true);
}

static bool igc_tx_offloads(IGCCore *core, IGCTxQueue *txq)
{
    uint32_t cmd = txq->first_cmd_type_len;
    uint32_t olinfo = txq->first_olinfo_status;
    struct NetTxPkt *pkt = txq->pkt;

    if (cmd & IGC_TXD_CMD_TSE) {
        uint32_t mss = txq->ctx.mss_l4len_idx >> IGC_TXC_MSS_SHIFT;

        if (!mss) {
            qemu_log_mask(LOG_GUEST_ERROR, "igc: TSO with MSS 0\n");
            return false;
        }
        if (!net_tx_pkt_build_vheader(pkt, true, true, mss)) {
            return false;
        }
        net_tx_pkt_update_ip_checksums(pkt);
        return true;
    }
    if ((olinfo & IGC_TXD_POPTS_TXSM) &&
        !net_tx_pkt_build_vheader(pkt, false, true, 0)) {
        return false;
    }
    if (olinfo & IGC_TXD_POPTS_IXSM) {
        net_tx_pkt_update_ip_hdr_checksum(pkt);
    }
    return true;
}


static void igc_tx_packet_done(IGCCore *core, int q)
{
    IGCTxQueue *txq = &core->txq[q];
    struct NetTxPkt *pkt = txq->pkt;
    bool loopback = (core->mac[R(IGC_RCTL)] >> 6 & 3) == 1;   /* LBM_MAC */

    if (txq->skip) {
        trace_igc_tx_drop(q, "bad descriptor chain");
    } else if (!net_tx_pkt_parse(pkt)) {
        trace_igc_tx_drop(q, "unparsable packet");
    } else if (!igc_tx_offloads(core, txq)) {
        trace_igc_tx_drop(q, "offload setup failed");
    } else {
        if (txq->first_cmd_type_len & IGC_TXD_CMD_VLE) {
            net_tx_pkt_setup_vlan_header_ex(pkt,
                txq->ctx.vlan_macip_lens >> IGC_TXC_VLAN_SHIFT,
                core->mac[R(IGC_VET)] & 0xFFFF);
        }
        trace_igc_tx_packet(q, net_tx_pkt_get_total_len(pkt), loopback);
        if (loopback) {
            net_tx_pkt_send_custom(pkt, false, igc_tx_loopback_cb, core);
        } else if (igc_link_up(core)) {
            net_tx_pkt_send(pkt, qemu_get_queue(core->owner_nic));
        }
        if (txq->first_cmd_type_len & IGC_TXD_MAC_TSTAMP) {
            igc_tx_timestamp(core, q, txq->first_cmd_type_len,
                             txq->first_olinfo_status);
        }
        igc_frame_stats(core, &igc_tx_counters, net_tx_pkt_get_total_len(pkt),
                        net_tx_pkt_get_packet_type(pkt));
    }
    net_tx_pkt_reset(pkt, net_tx_pkt_unmap_frag_pci, core->owner);
    txq->first = true;
    txq->skip = false;
}

static void igc_tx_data_desc(IGCCore *core, int q, uint64_t addr,
                             uint32_t cmd, uint32_t olinfo)
{
    IGCTxQueue *txq = &core->txq[q];
    uint32_t len = cmd & IGC_TXD_DTALEN_MASK;

    if (txq->first) {
        txq->first_cmd_type_len = cmd;
        txq->first_olinfo_status = olinfo;
        txq->first = false;
    }
    if (!txq->skip &&
        !nicrig_tx_add_buffer(core->owner, txq->pkt, "igc", q, addr, len)) {
        txq->skip = true;
    }
    if (cmd & IGC_TXD_CMD_EOP) {
        igc_tx_packet_done(core, q);
    }
}

/*
 * Launch time.  With TQAVCTRL.TRANSMIT_MODE_TSN and the queue's
 * TXQCTL.QUEUE_MODE_LAUNCHT, a packet leaves no earlier than its launch
 * time: the offset in its context descriptor from the start of the cycle
 * (QBVCYCLET ns long, cycles counted from BASET on SYSTIM) it belongs to,
 * the current one, or the next one when the context says FIRST.  The
 * queue stops at the packet until then (the hardware's launch queue is a
 * FIFO); a wait is bounded by the cycle and offset fields (< 8.6 s).
 */
static bool igc_launch_mode(IGCCore *core, int q)
{
    return (core->mac[R(IGC_TQAVCTRL)] & IGC_TQAVCTRL_TRANSMIT_MODE_TSN) &&
           (core->mac[R(IGC_TXQCTL0) + q] & IGC_TXQCTL_QUEUE_MODE_LAUNCHT);
}

/* Nanoseconds until the head packet of queue q may leave, 0 for now. */
static int64_t igc_launch_wait(IGCCore *core, int q)
{
    const IGCTxContext *ctx = &core->txq[q].ctx;
    int64_t cycle = core->mac[R(IGC_QBVCYCLET)];
    int64_t base = (int64_t)core->mac[R(IGC_BASET_H)] * NANOSECONDS_PER_SECOND +
                   core->mac[R(IGC_BASET_L)];
    int64_t now = igc_timer_now(core, 0);
    int64_t into, start, launch;

    if (!cycle) {
        qemu_log_mask(LOG_GUEST_ERROR, "igc: TX queue %d: launch time with "
                      "QBVCYCLET 0; the packet goes at once\n", q);
        return 0;
    }
    into = (now - base) % cycle;
    if (into < 0) {
        into += cycle;          /* before BASET: cycles extend backwards */
    }
    start = now - into;
    if (ctx->mss_l4len_idx & IGC_TXC_TSN_FIRST) {
        start += cycle;
    }
    launch = start + ctx->launch_time;
    trace_igc_tx_launch(q, ctx->launch_time,
                        !!(ctx->mss_l4len_idx & IGC_TXC_TSN_FIRST),
                        launch > now ? launch - now : 0);
    return launch > now ? launch - now : 0;
}

/*
 * True if the packet starting at the head of queue q must wait (the
 * queue's timer is armed to kick it); false once its time has come.
 */
static bool igc_launch_hold(IGCCore *core, int q)
{
    IGCTxQueue *txq = &core->txq[q];
    int64_t virt, wait;

    /* most queues are not in launch mode: no clock read per packet */
    if (!igc_launch_mode(core, q)) {
        txq->launch_held = false;
        return false;
    }
    virt = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    if (!txq->launch_held) {
        wait = igc_launch_wait(core, q);
        if (!wait) {
            return false;
        }
        txq->launch_held = true;
        txq->launch_virt = virt + wait;
    }
    if (virt < txq->launch_virt) {
        timer_mod(txq->launch_timer, txq->launch_virt);
        return true;
    }
    txq->launch_held = false;
    return false;
}

static void igc_launch_cancel(IGCTxQueue *txq)
{
    txq->launch_held = false;
    if (txq->launch_timer) {
        timer_del(txq->launch_timer);
    }
}

static void igc_launch_expired(void *opaque)
{
    IGCTxQueue *txq = opaque;

    igc_tx_ring_kick(txq->core, txq->index);
}

static void igc_tx_ring_kick(IGCCore *core, int q)
{
    NicrigRing r;
    uint32_t n;
    bool report = false;

    if (!(core->mac[R(IGC_TCTL)] & IGC_TCTL_EN) ||
        !(*igc_q_reg(core, true, q, IGC_Q_DCTL) & IGC_DCTL_ENABLE) ||
        *igc_q_reg(core, true, q, IGC_Q_HEAD) ==
        *igc_q_reg(core, true, q, IGC_Q_TAIL) ||
        !igc_ring_get(core, true, q, &r)) {
        return;
    }

    /* Never walk more than one ring's worth, whatever the guest did. */
    for (n = 0; n < r.size && *r.head != *r.tail; n++) {
        dma_addr_t daddr = nicrig_ring_desc(&r, *r.head);
        uint8_t raw[NICRIG_DESC_SIZE];
        uint64_t addr;
        uint32_t cmd, olinfo, dtyp;

        if (pci_dma_read(core->owner, daddr, raw, sizeof(raw)) != MEMTX_OK) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "igc: TX queue %d: descriptor at 0x%" PRIx64
                          " not readable; queue stopped\n", q, daddr);
            break;
        }
        addr = ldq_le_p(raw);
        cmd = ldl_le_p(raw + 8);
        olinfo = ldl_le_p(raw + 12);
        dtyp = (cmd >> IGC_TXD_DTYP_SHIFT) & IGC_TXD_DTYP_MASK;
        trace_igc_tx_desc(q, *r.head, cmd, olinfo);

        if ((cmd & IGC_TXD_CMD_DEXT) && dtyp == IGC_TXD_DTYP_CTXT) {
            IGCTxContext *ctx = &core->txq[q].ctx;

            ctx->vlan_macip_lens = addr;
            ctx->launch_time = addr >> 32;
            ctx->type_tucmd_mlhl = cmd;
            ctx->mss_l4len_idx = olinfo;
        } else {
            if (core->txq[q].first && igc_launch_hold(core, q)) {
                break;          /* the head packet waits for its launch time */
            }
            if (!(cmd & IGC_TXD_CMD_DEXT) || dtyp != IGC_TXD_DTYP_DATA) {
                qemu_log_mask(LOG_GUEST_ERROR,
                              "igc: TX queue %d: descriptor %u is not an "
                              "advanced data descriptor (DEXT %d, DTYP %u); "
                              "treated as one\n", q, *r.head,
                              !!(cmd & IGC_TXD_CMD_DEXT), dtyp);
            }
            igc_tx_data_desc(core, q, addr, cmd, olinfo);
        }

        if (cmd & IGC_TXD_CMD_RS) {
            uint32_t sta = cpu_to_le32(IGC_TXD_STAT_DD);

            pci_dma_write(core->owner, daddr + 12, &sta, sizeof(sta));
            report = true;
        }
        *r.head = (*r.head + 1) % r.size;
    }
    if (report) {
        igc_raise_queue(core, q, true);
    }
}

/* ---- receive ---- */

static void igc_rx_flush_held(IGCCore *core)
{
    if (core->rx_held) {
        /* cleared first: the flush may hold the frame again */
        core->rx_held = false;
        qemu_flush_queued_packets(qemu_get_queue(core->owner_nic));
    }
}

bool igc_core_can_receive(IGCCore *core)
{
    return true;    /* full rings are handled per frame in receive */
}

static bool igc_mta_match(IGCCore *core, const uint8_t *da)
{
    /* RCTL.MO picks which 12 bits of the address index the MTA */
    uint32_t vec = nicrig_mta_bit(core->mac[R(IGC_RCTL)] >> IGC_RCTL_MO_SHIFT,
                                  da);

    return core->mac[R(IGC_MTA) + (vec >> 5)] & BIT(vec & 31);
}

static bool igc_addr_filter(IGCCore *core, const uint8_t *frame,
                            eth_pkt_types_e type)
{
    uint32_t rctl = core->mac[R(IGC_RCTL)];
    int i;

    switch (type) {
    case ETH_PKT_BCAST:
        return rctl & (IGC_RCTL_BAM | IGC_RCTL_MPE);
    case ETH_PKT_MCAST:
        return (rctl & IGC_RCTL_MPE) || igc_mta_match(core, frame);
    default:
        if (rctl & IGC_RCTL_UPE) {
            return true;
        }
        for (i = 0; i < 16; i++) {
            uint32_t ral = core->mac[R(IGC_RAL0) + 2 * i];
            uint32_t rah = core->mac[R(IGC_RAH0) + 2 * i];
            uint8_t a[ETH_ALEN] = {
                ral, ral >> 8, ral >> 16, ral >> 24, rah, rah >> 8
            };

            /* AV set, ASEL (bits 17:16) 0: a destination address */
            if ((rah & BIT(31)) && !(rah & (3 << 16)) &&
                !memcmp(a, frame, ETH_ALEN)) {
                return true;
            }
        }
        return false;
    }
}

static bool igc_is_vlan(IGCCore *core, const uint8_t *frame, size_t len)
{
    return len >= ETH_HLEN + IGC_VLAN_TAG_LEN &&
           lduw_be_p(frame + 12) == (core->mac[R(IGC_VET)] & 0xFFFF);
}

static bool igc_vlan_filter(IGCCore *core, const uint8_t *frame, size_t len)
{
    uint16_t vid;

    if (!(core->mac[R(IGC_RCTL)] & IGC_RCTL_VFE) || !igc_is_vlan(core, frame,
                                                              len)) {
        return true;
    }
    vid = lduw_be_p(frame + 14) & 0xFFF;
    return core->mac[R(IGC_VFTA) + (vid >> 5)] & BIT(vid & 31);
}

/*
 * Long frames: with RCTL.LPE the limit is RLPML (FCS included), without
 * it 1518 bytes, 1522 with a VLAN tag.  @on_wire includes the FCS.
 * Longer frames are counted in ROC.
 */
static bool igc_rx_oversize(IGCCore *core, const struct iovec *iov,
                            int iovcnt, size_t on_wire)
{
    uint8_t et[2];

    if (core->mac[R(IGC_RCTL)] & IGC_RCTL_LPE) {
        return on_wire > (core->mac[R(IGC_RLPML)] & 0x3FFF);
    }
    if (iov_to_buf(iov, iovcnt, 12, et, 2) == 2 &&
        lduw_be_p(et) == (core->mac[R(IGC_VET)] & 0xFFFF)) {
        return on_wire > IGC_MAX_STD_FRAME + IGC_VLAN_TAG_LEN;
    }
    return on_wire > IGC_MAX_STD_FRAME;
}

typedef struct IGCRxMeta {
    uint32_t hash;
    uint32_t rss_type;
    uint32_t status;
    uint16_t vlan;
} IGCRxMeta;

/* RSS: the hash and type of the frame, and the queue RETA names */
static int igc_rss(IGCCore *core, IGCRxMeta *m)
{
    uint32_t mrqc = core->mac[R(IGC_MRQC)];
    int def_q = (mrqc >> IGC_MRQC_DEF_Q_SHIFT) & IGC_MRQC_DEF_Q_MASK;
    NetRxPktRssType type;
    EthL4HdrProto l4;
    bool ip4, ip6;
    uint8_t key[40], entry;
    int i;

    if (def_q >= IGC_NUM_QUEUES) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: MRQC default queue %d of %d\n", def_q,
                      IGC_NUM_QUEUES);
        def_q = 0;
    }
    if ((mrqc & IGC_MRQC_MRQE_MASK) != IGC_MRQC_MRQE_RSS) {
        return def_q;
    }
    net_rx_pkt_get_protocols(core->rx_pkt, &ip4, &ip6, &l4);
    if (ip4 && l4 == ETH_L4_HDR_PROTO_TCP && (mrqc & IGC_MRQC_IPV4_TCP)) {
        type = NetPktRssIpV4Tcp;
        m->rss_type = IGC_RSSTYPE_TCP_IPV4;
    } else if (ip4 && l4 == ETH_L4_HDR_PROTO_UDP &&
               (mrqc & IGC_MRQC_IPV4_UDP)) {
        type = NetPktRssIpV4Udp;
        m->rss_type = IGC_RSSTYPE_UDP_IPV4;
    } else if (ip4 && (mrqc & IGC_MRQC_IPV4)) {
        type = NetPktRssIpV4;
        m->rss_type = IGC_RSSTYPE_IPV4;
    } else if (ip6 && l4 == ETH_L4_HDR_PROTO_TCP &&
               (mrqc & (IGC_MRQC_IPV6_TCP | IGC_MRQC_IPV6_TCP_EX))) {
        type = NetPktRssIpV6Tcp;
        m->rss_type = IGC_RSSTYPE_TCP_IPV6;
    } else if (ip6 && l4 == ETH_L4_HDR_PROTO_UDP &&
               (mrqc & IGC_MRQC_IPV6_UDP)) {
        type = NetPktRssIpV6Udp;
        m->rss_type = IGC_RSSTYPE_UDP_IPV6;
    } else if (ip6 && (mrqc & IGC_MRQC_IPV6)) {
        type = NetPktRssIpV6;
        m->rss_type = IGC_RSSTYPE_IPV6;
    } else {
        return def_q;
    }
    for (i = 0; i < 10; i++) {
        stl_le_p(key + 4 * i, core->mac[R(IGC_RSSRK) + i]);
    }
    m->hash = net_rx_pkt_calc_rss_hash(core->rx_pkt, type, key);
    entry = core->mac[R(IGC_RETA) + ((m->hash & 0x7F) >> 2)] >>
            (8 * (m->hash & 3));
    trace_igc_rx_rss(m->hash, m->rss_type, entry);
    if (entry >= IGC_NUM_QUEUES) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: RETA entry %u names queue %u of %d\n",
                      m->hash & 0x7F, entry, IGC_NUM_QUEUES);
        return def_q;
    }
    return entry;
}

static void igc_rx_csum(IGCCore *core, IGCRxMeta *m)
{
    uint32_t rxcsum = core->mac[R(IGC_RXCSUM)];
    bool ip4, ip6, valid;
    EthL4HdrProto l4;

    if (!(rxcsum & (IGC_RXCSUM_IPOFL | IGC_RXCSUM_TUOFL))) {
        m->status |= IGC_RXD_STAT_IXSM;
        return;
    }
    net_rx_pkt_get_protocols(core->rx_pkt, &ip4, &ip6, &l4);
    if (ip4 && (rxcsum & IGC_RXCSUM_IPOFL) &&
        net_rx_pkt_validate_l3_csum(core->rx_pkt, &valid)) {
        m->status |= IGC_RXD_STAT_IPCS;
        if (!valid) {
            m->status |= IGC_RXD_ERR_IPE;
        }
    }
    if ((l4 == ETH_L4_HDR_PROTO_TCP || l4 == ETH_L4_HDR_PROTO_UDP) &&
        (rxcsum & IGC_RXCSUM_TUOFL) &&
        net_rx_pkt_validate_l4_csum(core->rx_pkt, &valid)) {
        m->status |= l4 == ETH_L4_HDR_PROTO_UDP ? IGC_RXD_STAT_UDPCS
                                                : IGC_RXD_STAT_TCPCS;
        if (!valid) {
            m->status |= IGC_RXD_ERR_L4E;
        }
    }
}


static void igc_rx_no_desc(IGCCore *core, int q)
{
    igc_stat_add(core, IGC_RNBC, 1);
    igc_stat_add(core, IGC_MPC, 1);
    igc_stat_add(core, IGC_RXQ0 + q * IGC_Q_STRIDE + IGC_Q_RQDPC, 1);
}

/* Write one received frame into queue @q; false if it had no room. */
static bool igc_rx_write(IGCCore *core, int q, const uint8_t *data,
                         size_t len, const IGCRxMeta *m)
{
    uint32_t srrctl = *igc_q_reg(core, false, q, IGC_Q_SRRCTL);
    uint32_t bsize = (srrctl & IGC_SRRCTL_BSIZEPKT_MASK) * KiB;
    uint32_t avail, need, done = 0;
    NicrigRing r;

    if (!bsize) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: RX queue %d: SRRCTL.BSIZEPKT is 0\n", q);
        return false;
    }
    if (((srrctl >> IGC_SRRCTL_DESCTYPE_SHIFT) & IGC_SRRCTL_DESCTYPE_MASK) !=
        IGC_SRRCTL_DESCTYPE_ONEBUF) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: RX queue %d: descriptor type %u not modelled, "
                      "using advanced one-buffer\n", q,
                      (srrctl >> IGC_SRRCTL_DESCTYPE_SHIFT) &
                      IGC_SRRCTL_DESCTYPE_MASK);
    }
    if (!igc_ring_get(core, false, q, &r)) {
        return false;
    }
    avail = (*r.tail + r.size - *r.head) % r.size;
    need = DIV_ROUND_UP(len, bsize);
    if (need > avail) {
        return false;
    }

    while (done < len) {
        dma_addr_t daddr = nicrig_ring_desc(&r, *r.head);
        uint32_t chunk = MIN(bsize, len - done);
        uint32_t status = IGC_RXD_STAT_DD;
        uint64_t pkt_addr;

        if (pci_dma_read(core->owner, daddr, &pkt_addr, 8) != MEMTX_OK) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "igc: RX queue %d: descriptor at 0x%" PRIx64
                          " not readable\n", q, daddr);
            return true;    /* consumed; nothing sensible left to do */
        }
        pkt_addr = le64_to_cpu(pkt_addr);
        if (pci_dma_write(core->owner, pkt_addr, data + done, chunk) !=
            MEMTX_OK) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "igc: RX queue %d: buffer 0x%" PRIx64
                          " not writable\n", q, pkt_addr);
        }
        done += chunk;
        if (done == len) {
            status |= IGC_RXD_STAT_EOP | m->status;
        } else {
            status |= m->status & IGC_RXD_STAT_TSIP;
        }
        /* pkt_info (RSS type) | RSS hash; status_error | length | VLAN */
        nicrig_rx_desc_writeback(core->owner, daddr,
                              m->rss_type | (uint64_t)m->hash << 32,
                              status | (uint64_t)chunk << 32 |
                              (uint64_t)m->vlan << 48);
        *r.head = (*r.head + 1) % r.size;
    }
    return true;
}

/*
 * The timestamp header (TSIP): 16 bytes in front of the frame, timer 1
 * then timer 0 as SRRCTL's TIMER1SEL/TIMER0SEL pick them, each as
 * nanoseconds then seconds, little endian; the length includes it.
 */
static void igc_rx_ts_header(IGCCore *core, uint32_t srrctl, uint8_t *hdr)
{
    int t1 = (srrctl >> IGC_SRRCTL_TIMER1SEL_SHIFT) & 3;
    int t0 = (srrctl >> IGC_SRRCTL_TIMER0SEL_SHIFT) & 3;
    uint32_t ns, s;

    igc_timestamp(core, t1 < IGC_NUM_TIMERS ? t1 : 0, &ns, &s);
    stl_le_p(hdr, ns);
    stl_le_p(hdr + 4, s);
    igc_timestamp(core, t0 < IGC_NUM_TIMERS ? t0 : 0, &ns, &s);
    stl_le_p(hdr + 8, ns);
    stl_le_p(hdr + 12, s);
}

/*
 * With fcs-on-wire, the MAC's checks of the FCS: a frame under 64 bytes
 * with it is a runt, counted in RUC (RFC with a bad FCS) and dropped; a
 * bad FCS is counted in CRCERRS and the frame dropped, or with RCTL.SBP
 * (store bad packets) delivered with RXE.  Returns the length without the
 * FCS, 0 if the frame is dropped.
 */
static size_t igc_rx_check_fcs(IGCCore *core, const uint8_t *buf, size_t len,
                               IGCRxMeta *m)
{
    bool bad = len < ETH_FCS_LEN ||
               (uint32_t)crc32(0, buf, len - ETH_FCS_LEN) !=
               (uint32_t)ldl_le_p(buf + len - ETH_FCS_LEN);

    if (len < ETH_ZLEN + ETH_FCS_LEN) {
        igc_stat_add(core, bad ? IGC_RFC : IGC_RUC, 1);
        trace_igc_rx_drop(-1, bad ? "fragment (RFC)" : "runt (RUC)");
        return 0;
    }
    if (bad) {
        igc_stat_add(core, IGC_CRCERRS, 1);
        if (!(core->mac[R(IGC_RCTL)] & IGC_RCTL_SBP)) {
            trace_igc_rx_drop(-1, "bad FCS (CRCERRS)");
            return 0;
        }
        m->status |= IGC_RXD_ERR_RXE;
    }
    return len - ETH_FCS_LEN;
}

static ssize_t igc_rx_frame(IGCCore *core, const struct iovec *iov,
                            int iovcnt, bool loopback)
{
    size_t size = iov_size(iov, iovcnt);
    uint8_t *buf = core->rx_buf + IGC_TS_HDR_LEN;
    uint8_t *start = buf;
    IGCRxMeta m = { 0 };
    eth_pkt_types_e type;
    struct iovec one;
    uint32_t srrctl;
    size_t len, wire_len, on_wire;
    bool fcs;
    int q;

    if (!(core->mac[R(IGC_RCTL)] & IGC_RCTL_EN)) {
        trace_igc_rx_drop(-1, "receiver disabled");
        return size;
    }
    if (!loopback && !igc_link_up(core)) {
        return size;
    }
    /* QEMU's net layer carries no FCS: the sender's MAC added a good one */
    fcs = core->fcs_on_wire && !loopback;
    on_wire = fcs ? size : size + ETH_FCS_LEN;
    if (on_wire > IGC_MAX_RX_FRAME + ETH_FCS_LEN ||
        igc_rx_oversize(core, iov, iovcnt, on_wire)) {
        igc_stat_add(core, IGC_ROC, 1);
        trace_igc_rx_drop(-1, "oversized (ROC)");
        return size;
    }
    len = iov_to_buf(iov, iovcnt, 0, buf, size);
    if (fcs) {
        len = igc_rx_check_fcs(core, buf, len, &m);
        if (!len) {
            return size;
        }
    } else if (len < ETH_ZLEN) {
        memset(buf + len, 0, ETH_ZLEN - len);     /* the sender padded it */
        len = ETH_ZLEN;
    }
    wire_len = len;     /* what the counters count, VLAN tag included */

    type = get_eth_packet_type((struct eth_header *)buf);
    if (!igc_addr_filter(core, buf, type) ||
        !igc_vlan_filter(core, buf, len)) {
        trace_igc_rx_drop(-1, "address/VLAN filter");
        return size;
    }

    one.iov_base = buf;
    one.iov_len = len;
    net_rx_pkt_set_packet_type(core->rx_pkt, type);
    net_rx_pkt_set_protocols(core->rx_pkt, &one, 1, 0);
    q = igc_rss(core, &m);
    if (!(core->mac[R(IGC_RXCSUM)] & IGC_RXCSUM_PCSD)) {
        m.hash = 0;     /* the dword carries IP id and checksum instead */
    }

    srrctl = *igc_q_reg(core, false, q, IGC_Q_SRRCTL);
    if (!(*igc_q_reg(core, false, q, IGC_Q_DCTL) & IGC_DCTL_ENABLE)) {
        trace_igc_rx_drop(q, "queue disabled");
        igc_rx_no_desc(core, q);
        return size;
    }

    /* VLAN strip (CTRL.VME), then parse what the guest will see */
    if ((core->mac[R(IGC_CTRL)] & IGC_CTRL_VME) &&
        igc_is_vlan(core, buf, len)) {
        m.vlan = lduw_be_p(buf + 14);
        m.status |= IGC_RXD_STAT_VP;
        memmove(buf + 12, buf + 16, len - 16);
        len -= IGC_VLAN_TAG_LEN;
        one.iov_len = len;
        net_rx_pkt_set_protocols(core->rx_pkt, &one, 1, 0);
    }
    net_rx_pkt_attach_data(core->rx_pkt, buf, len, false);
    igc_rx_csum(core, &m);

    if (!(core->mac[R(IGC_RCTL)] & IGC_RCTL_SECRC)) {
        stl_le_p(buf + len, crc32(0, buf, len));
        len += ETH_FCS_LEN;
    }
    if ((srrctl & IGC_SRRCTL_TIMESTAMP) &&
        (core->mac[R(IGC_TSYNCRXCTL)] & IGC_TSYNCRXCTL_ENABLED)) {
        start = core->rx_buf;
        igc_rx_ts_header(core, srrctl, start);
        len += IGC_TS_HDR_LEN;
        m.status |= IGC_RXD_STAT_TSIP;
    }

    if (!igc_rx_write(core, q, start, len, &m)) {
        if (!loopback && !(srrctl & IGC_SRRCTL_DROP_EN)) {
            /* hold it in QEMU's queue until the guest refills the ring */
            trace_igc_rx_drop(q, "no descriptors, holding");
            core->rx_held = true;
            return 0;
        }
        trace_igc_rx_drop(q, "no descriptors");
        igc_rx_no_desc(core, q);
        return size;
    }
    trace_igc_rx_packet(q, len, m.hash);
    igc_frame_stats(core, &igc_rx_counters, wire_len, type);
    igc_raise_queue(core, q, false);
    return size;
}

ssize_t igc_core_receive_iov(IGCCore *core, const struct iovec *iov,
                             int iovcnt)
{
    return igc_rx_frame(core, iov, iovcnt, false);
}

/* ---- queue registers ---- */

/* The bits of a queue register the hardware keeps */
static uint32_t igc_q_reg_mask(uint32_t off, uint32_t val)
{
    switch (off) {
    case IGC_Q_BAL:
        return val & ~(NICRIG_RING_ALIGN - 1);
    case IGC_Q_LEN:
        return val & 0xFFF80;
    case IGC_Q_HEAD:
    case IGC_Q_TAIL:
        return val & 0xFFFF;
    case IGC_Q_DCTL:
        return val & ~IGC_DCTL_SWFLUSH;     /* the flush completes at once */
    default:
        return val;
    }
}

/* A tail write, or a queue being enabled, lets the queue work */
static bool igc_q_kicked(uint32_t off, uint32_t old, uint32_t val)
{
    return off == IGC_Q_TAIL ||
           (off == IGC_Q_DCTL && (val & ~old & IGC_DCTL_ENABLE));
}

static void igc_write_rxq(IGCCore *core, int index, uint32_t val)
{
    uint32_t off = (index << 2) & (IGC_Q_STRIDE - 1);
    uint32_t old = core->mac[index];

    core->mac[index] = val = igc_q_reg_mask(off, val);
    if (igc_q_kicked(off, old, val)) {
        igc_rx_flush_held(core);
    }
}

static void igc_write_txq(IGCCore *core, int index, uint32_t val)
{
    uint32_t off = (index << 2) & (IGC_Q_STRIDE - 1);
    int q = ((index << 2) - IGC_TXQ0) / IGC_Q_STRIDE;
    uint32_t old = core->mac[index];

    core->mac[index] = val = igc_q_reg_mask(off, val);
    if (off == IGC_Q_DCTL && !(val & IGC_DCTL_ENABLE)) {
        /* a packet half-read when the queue stops is lost */
        net_tx_pkt_reset(core->txq[q].pkt, net_tx_pkt_unmap_frag_pci,
                         core->owner);
        core->txq[q].first = true;
        core->txq[q].skip = false;
        igc_launch_cancel(&core->txq[q]);
    }
    if (igc_q_kicked(off, old, val)) {
        igc_tx_ring_kick(core, q);
    }
}

static void igc_write_tctl(IGCCore *core, int index, uint32_t val)
{
    uint32_t old = core->mac[index];
    int q;

    core->mac[index] = val;
    if (val & ~old & IGC_TCTL_EN) {
        for (q = 0; q < IGC_NUM_QUEUES; q++) {
            igc_tx_ring_kick(core, q);
        }
    }
}

static void igc_write_rctl(IGCCore *core, int index, uint32_t val)
{
    uint32_t old = core->mac[index];

    core->mac[index] = val;
    if (val & ~old & IGC_RCTL_EN) {
        igc_rx_flush_held(core);
    }
}

/* ---- control, semaphores ---- */

static void igc_write_ctrl(IGCCore *core, int index, uint32_t val)
{
    if (val & IGC_CTRL_RST) {
        trace_igc_core_reset(true);
        igc_core_reset(core);
        igc_legacy_update(core, false);     /* drop a level INTx */
        return;
    }
    if (val & IGC_CTRL_PHY_RST) {
        igc_phy_reset(core);
    }
    core->mac[index] = val & ~IGC_CTRL_PHY_RST;
    /* GIO master disable completes at once: no DMA is ever in flight */
    if (val & IGC_CTRL_GIO_MASTER_DISABLE) {
        core->mac[R(IGC_STATUS)] &= ~IGC_STATUS_GIO_MASTER_EN;
    } else {
        core->mac[R(IGC_STATUS)] |= IGC_STATUS_GIO_MASTER_EN;
    }
    igc_update_link(core, true);
}

static uint32_t igc_read_swsm(IGCCore *core, int index)
{
    uint32_t val = core->mac[index];

    core->mac[index] |= IGC_SWSM_SMBI;      /* read-to-set */
    return val;
}

static uint32_t igc_read_tsicr(IGCCore *core, int index)
{
    uint32_t val = core->mac[index];

    core->mac[index] = 0;
    return val;
}

/* ---- the register table ---- */

typedef uint32_t (*igc_reader)(IGCCore *core, int index);
typedef void (*igc_writer)(IGCCore *core, int index, uint32_t val);

typedef struct IGCRegInfo {
    NicrigRegDecl d;    /* name, where, kind and write mask */
    igc_reader read;    /* or NULL: the stored value */
    igc_writer write;   /* or NULL: as the kind says */
} IGCRegInfo;

#define REG(n, a, k, m)          { { n, a, 1, 0, k, m }, NULL, NULL }
#define ARR(n, a, c, s, k, m)    { { n, a, c, s, k, m }, NULL, NULL }
#define FN(n, a, rd, wr)         { { n, a, 1, 0, NICRIG_RW, ~0u }, rd, wr }
#define FNRO(n, a, rd)           { { n, a, 1, 0, NICRIG_RO, 0 }, rd, NULL }
#define ARRFN(n, a, c, s, rd, wr) { { n, a, c, s, NICRIG_RW, ~0u }, rd, wr }

static const IGCRegInfo igc_regs[] = {
    /* general */
    FN("CTRL", IGC_CTRL, NULL, igc_write_ctrl),
    REG("STATUS", IGC_STATUS, NICRIG_RO, 0),
    REG("EECD", IGC_EECD, NICRIG_RO, 0),
    REG("CTRL_EXT", IGC_CTRL_EXT, NICRIG_RW, ~0u),
    FN("MDIC", IGC_MDIC, NULL, igc_write_mdic),
    REG("FCAL", IGC_FCAL, NICRIG_RW, ~0u),
    REG("FCAH", IGC_FCAH, NICRIG_RW, 0xFFFF),
    REG("FCT", IGC_FCT, NICRIG_RW, 0xFFFF),
    REG("CONNSW", IGC_CONNSW, NICRIG_RW, ~0u),
    REG("VET", IGC_VET, NICRIG_RW, ~0u),
    REG("TSSDP", IGC_TSSDP, NICRIG_RW, ~0u),
    FN("RCTL", IGC_RCTL, NULL, igc_write_rctl),
    REG("LTRC", IGC_LTRC, NICRIG_RW, ~0u),
    REG("FCTTV", IGC_FCTTV, NICRIG_RW, 0xFFFF),
    FN("TCTL", IGC_TCTL, NULL, igc_write_tctl),
    REG("TIPG", IGC_TIPG, NICRIG_RW, 0x3FFFFFFF),
    REG("LEDCTL", IGC_LEDCTL, NICRIG_RW, ~0u),
    REG("EEER", IGC_EEER, NICRIG_RW, ~0u),
    REG("EEE_SU", IGC_EEE_SU, NICRIG_RW, ~0u),
    REG("IPCNFG", IGC_IPCNFG, NICRIG_RW, ~0u),
    REG("PHPM", IGC_PHPM, NICRIG_RO, 0),
    /* interrupts */
    FN("ICR", IGC_ICR, igc_read_icr, igc_write_icr),
    FN("ICS", IGC_ICS, NULL, igc_write_ics),
    FN("IMS", IGC_IMS, NULL, igc_write_ims),
    FN("IMC", IGC_IMC, NULL, igc_write_imc),
    REG("IAM", IGC_IAM, NICRIG_RW, ~0u),
    REG("GPIE", IGC_GPIE, NICRIG_RW, ~0u),
    FN("EICS", IGC_EICS, NULL, igc_write_eics),
    FN("EIMS", IGC_EIMS, NULL, igc_write_eims),
    FN("EIMC", IGC_EIMC, NULL, igc_write_eimc),
    REG("EIAC", IGC_EIAC, NICRIG_RW, BIT(IGC_MSIX_VECTORS) - 1),
    REG("EIAM", IGC_EIAM, NICRIG_RW, BIT(IGC_MSIX_VECTORS) - 1),
    FN("EICR", IGC_EICR, igc_read_icr, igc_write_eicr),
    ARR("EITR", IGC_EITR0, IGC_MSIX_VECTORS, 4, NICRIG_RW, ~0u),
    ARR("IVAR0", IGC_IVAR0, IGC_NUM_QUEUES / 2, 4, NICRIG_RW, 0x9F9F9F9F),
    REG("IVAR_MISC", IGC_IVAR_MISC, NICRIG_RW, 0x9F00),
    /* packet buffers and flow control */
    REG("FCRTL", IGC_FCRTL, NICRIG_RW, ~0u),
    REG("FCRTH", IGC_FCRTH, NICRIG_RW, 0x3FFF0),
    REG("RXPBS", IGC_RXPBS, NICRIG_RW, ~0u),
    REG("FCRTV", IGC_FCRTV, NICRIG_RW, ~0u),
    REG("TXPBS", IGC_TXPBS, NICRIG_RW, ~0u),
    /* TSN: the launch-time cycle (igc_launch_*); the rest stored */
    REG("GTXOFFSET", IGC_GTXOFFSET, NICRIG_RW, ~0u),
    REG("BASET_L", IGC_BASET_L, NICRIG_RW, ~0u),
    REG("BASET_H", IGC_BASET_H, NICRIG_RW, ~0u),
    REG("QBVCYCLET", IGC_QBVCYCLET, NICRIG_RW, ~0u),
    REG("QBVCYCLET_S", IGC_QBVCYCLET_S, NICRIG_RW, ~0u),
    ARR("STQT", IGC_STQT0, IGC_NUM_QUEUES, 4, NICRIG_RW, ~0u),
    ARR("ENDQT", IGC_ENDQT0, IGC_NUM_QUEUES, 4, NICRIG_RW, ~0u),
    ARR("TXQCTL", IGC_TXQCTL0, IGC_NUM_QUEUES, 4, NICRIG_RW, ~0u),
    ARR("TQAVCC", IGC_TQAVCC0, IGC_NUM_QUEUES, 0x40, NICRIG_RW, ~0u),
    ARR("TQAVHC", IGC_TQAVHC0, IGC_NUM_QUEUES, 0x40, NICRIG_RW, ~0u),
    REG("TXARB", IGC_TXARB, NICRIG_RW, ~0u),
    REG("DTXMXPKTSZ", IGC_DTXMXPKTSZ, NICRIG_RW, ~0u),
    REG("TQAVCTRL", IGC_TQAVCTRL, NICRIG_RW, ~0u),
    /* statistics */
    ARR("stats", IGC_STATS_FIRST, (IGC_STATS_LAST - IGC_STATS_FIRST) / 4, 4,
        NICRIG_RC, 0),
    ARR("PRM counters", IGC_PRMPTDRCNT, (IGC_PRMEXCPRCNT - IGC_PRMPTDRCNT) / 4
        + 1, 4, NICRIG_RC, 0),
    /* receive filters */
    REG("RXCSUM", IGC_RXCSUM, NICRIG_RW, ~0u),
    REG("RLPML", IGC_RLPML, NICRIG_RW, 0x3FFF),
    REG("RFCTL", IGC_RFCTL, NICRIG_RW, ~0u),
    ARR("MTA", IGC_MTA, 128, 4, NICRIG_RW, ~0u),
    ARR("RAL", IGC_RAL0, 16, 8, NICRIG_RW, ~0u),
    ARR("RAH", IGC_RAH0, 16, 8, NICRIG_RW, 0x900FFFFF),
    ARR("PSRTYPE", IGC_PSRTYPE0, 4, 4, NICRIG_RW, ~0u),
    REG("VLANPQF", IGC_VLANPQF, NICRIG_RW, ~0u),
    ARR("VFTA", IGC_VFTA, 128, 4, NICRIG_RW, ~0u),
    REG("MRQC", IGC_MRQC, NICRIG_RW, ~0u),
    ARR("RETA", IGC_RETA, 32, 4, NICRIG_RW, ~0u),
    ARR("RSSRK", IGC_RSSRK, 10, 4, NICRIG_RW, ~0u),
    ARR("ETQF", IGC_ETQF0, 8, 4, NICRIG_RW, ~0u),
    ARR("FTQF", IGC_FTQF0, 8, 4, NICRIG_RW, ~0u),
    ARR("IMIR", IGC_IMIR0, 8, 4, NICRIG_RW, ~0u),
    ARR("IMIREXT", IGC_IMIREXT0, 8, 4, NICRIG_RW, ~0u),
    REG("FHFTSL", IGC_FHFTSL, NICRIG_RW, ~0u),
    ARR("FHFT", IGC_FHFT, 4 * 64, 4, NICRIG_RW, ~0u),
    ARR("FHFT_EXT", IGC_FHFT_EXT, 4 * 64, 4, NICRIG_RW, ~0u),
    ARR("UTA", IGC_UTA, 128, 4, NICRIG_RW, ~0u),
    REG("TSYNCRXCFG", IGC_TSYNCRXCFG, NICRIG_RW, ~0u),
    /* wake-up, manageability, semaphores */
    REG("WUC", IGC_WUC, NICRIG_RW, ~0u),
    REG("WUFC", IGC_WUFC, NICRIG_RW, ~0u),
    REG("WUFC_EXT", IGC_WUFC_EXT, NICRIG_RW, ~0u),
    REG("WUS", IGC_WUS, NICRIG_RW, ~0u),
    REG("WUPL", IGC_WUPL, NICRIG_RW, ~0u),
    ARR("WUPM", IGC_WUPM, 32, 4, NICRIG_RW, ~0u),
    REG("MANC", IGC_MANC, NICRIG_RW, ~0u),
    REG("FACTPS", IGC_FACTPS, NICRIG_RO, 0),
    FN("SWSM", IGC_SWSM, igc_read_swsm, NULL),
    REG("FWSM", IGC_FWSM, NICRIG_RO, 0),
    REG("SW_FW_SYNC", IGC_SW_FW_SYNC, NICRIG_RW, ~0u),
    REG("LTRMINV", IGC_LTRMINV, NICRIG_RW, ~0u),
    REG("LTRMAXV", IGC_LTRMAXV, NICRIG_RW, ~0u),
    /* time sync */
    FN("SYSTIML", IGC_SYSTIML, igc_read_systiml, igc_write_systiml),
    FN("SYSTIMH", IGC_SYSTIMH, igc_read_systimh, igc_write_systimh),
    REG("TIMINCA", IGC_TIMINCA, NICRIG_RW, ~0u),
    FN("TIMADJ", IGC_TIMADJ, NULL, igc_write_timadj),
    REG("TSYNCTXCTL", IGC_TSYNCTXCTL, NICRIG_RW, ~IGC_TSYNCTXCTL_TXTT_MASK),
    REG("TXSTMPL_0", IGC_TXSTMPL0, NICRIG_RO, 0),
    FNRO("TXSTMPH_0", IGC_TXSTMPH0, igc_read_txstmph),
    REG("TSYNCRXCTL", IGC_TSYNCRXCTL, NICRIG_RW, ~0u),
    REG("TSAUXC", IGC_TSAUXC, NICRIG_RW, ~0u),
    ARR("TRGTTIM/FREQOUT/AUXSTMP", IGC_TRGTTIML0, 10, 4, NICRIG_RW, ~0u),
    FNRO("TSICR", IGC_TSICR, igc_read_tsicr),
    REG("TSIM", IGC_TSIM, NICRIG_RW, ~0u),
    REG("SYSTIMR_1", IGC_SYSTIMR_1, NICRIG_RO, 0),
    FN("SYSTIML_1", IGC_SYSTIML_1, igc_read_systiml, igc_write_systiml),
    FN("SYSTIMH_1", IGC_SYSTIMH_1, igc_read_systimh, igc_write_systimh),
    REG("TIMINCA_1", IGC_TIMINCA_1, NICRIG_RW, ~0u),
    REG("TXSTMPL_1", IGC_TXSTMPL1, NICRIG_RO, 0),
    FNRO("TXSTMPH_1", IGC_TXSTMPH1, igc_read_txstmph),
    REG("TXSTMPL_2", IGC_TXSTMPL2, NICRIG_RO, 0),
    FNRO("TXSTMPH_2", IGC_TXSTMPH2, igc_read_txstmph),
    REG("TXSTMPL_3", IGC_TXSTMPL3, NICRIG_RO, 0),
    FNRO("TXSTMPH_3", IGC_TXSTMPH3, igc_read_txstmph),
    REG("SYSTIMR", IGC_SYSTIMR, NICRIG_RO, 0),
    /* queues: RDBAL .. RQDPC, TDBAL .. TXDCTL */
    ARRFN("RX queue", IGC_RXQ0, IGC_NUM_QUEUES * IGC_Q_STRIDE / 4, 4,
          NULL, igc_write_rxq),
    ARRFN("TX queue", IGC_TXQ0, IGC_NUM_QUEUES * IGC_Q_STRIDE / 4, 4,
          NULL, igc_write_txq),
    /* NVM and PTM */
    FN("EERD", IGC_EERD, NULL, igc_write_eerd),
    FN("SRWR", IGC_SRWR, NULL, igc_write_srwr),
    ARR("PTM", IGC_PTM_CTRL, (IGC_PTM_TDELAY - IGC_PTM_CTRL) / 4 + 1, 4,
        NICRIG_RW, ~0u),
};

/* register index -> 1 + its igc_regs[] entry, 0 if none */
static uint16_t igc_reg_map[IGC_MAC_SIZE];

void igc_core_class_init(void)
{
    nicrig_reg_map_build(igc_reg_map, IGC_MAC_SIZE, igc_regs,
                         ARRAY_SIZE(igc_regs), sizeof(igc_regs[0]));
}

static const IGCRegInfo *igc_reg(hwaddr addr)
{
    return nicrig_reg_lookup(igc_reg_map, IGC_MAC_SIZE, addr >> 2, igc_regs,
                             sizeof(igc_regs[0]));
}

uint64_t igc_core_read(IGCCore *core, hwaddr addr, unsigned size)
{
    const IGCRegInfo *ri = igc_reg(addr);
    int index = addr >> 2;
    uint32_t val;

    if (!ri) {
        nicrig_reg_unknown("igc", addr, false, 0);
        trace_igc_mmio_read_unknown(addr);
        return 0;
    }
    if (ri->read) {
        val = ri->read(core, index);
        if (ri->d.kind == NICRIG_RC) {
            core->mac[index] = 0;
        }
    } else {
        val = nicrig_reg_load(&ri->d, &core->mac[index]);
    }
    trace_igc_mmio_read(addr, ri->d.name, val);
    return val;
}

void igc_core_write(IGCCore *core, hwaddr addr, uint64_t val, unsigned size)
{
    const IGCRegInfo *ri = igc_reg(addr);
    int index = addr >> 2;

    if (!ri) {
        nicrig_reg_unknown("igc", addr, true, val);
        trace_igc_mmio_write_unknown(addr, val);
        return;
    }
    trace_igc_mmio_write(addr, ri->d.name, val);
    if (ri->write) {
        ri->write(core, index, val);
    } else if (!nicrig_reg_store(&ri->d, &core->mac[index], val)) {
        trace_igc_mmio_write_ro(addr, val);
    }
}

/* ---- reset and link ---- */

void igc_core_reset(IGCCore *core)
{
    const uint8_t *m = core->permanent_mac;
    int q;

    for (q = 0; q < IGC_NUM_QUEUES; q++) {
        if (core->txq[q].pkt) {
            net_tx_pkt_reset(core->txq[q].pkt, net_tx_pkt_unmap_frag_pci,
                             core->owner);
        }
        memset(&core->txq[q].ctx, 0, sizeof(core->txq[q].ctx));
        core->txq[q].first = true;
        core->txq[q].skip = false;
        igc_launch_cancel(&core->txq[q]);
    }
    memset(core->mac, 0, sizeof(core->mac));
    memset(core->timer, 0, sizeof(core->timer));
    for (q = 0; q < IGC_MSIX_VECTORS; q++) {
        if (core->eitr[q].timer) {
            timer_del(core->eitr[q].timer);
        }
    }
    core->eitr_busy = 0;
    core->mac[R(IGC_EECD)] = IGC_EECD_AUTO_RD | IGC_EECD_FLASH_DETECTED |
                             IGC_EECD_FLUDONE | (4 << IGC_EECD_SIZE_EX_SHIFT);
    core->mac[R(IGC_PHPM)] = IGC_PHPM_RST_COMPL;
    core->mac[R(IGC_STATUS)] = IGC_STATUS_GIO_MASTER_EN;
    core->mac[R(IGC_MDIC)] = IGC_MDIC_READY;
    core->mac[R(IGC_VET)] = ETH_P_VLAN;
    core->mac[R(IGC_RXCSUM)] = IGC_RXCSUM_IPOFL | IGC_RXCSUM_TUOFL;
    core->mac[R(IGC_RLPML)] = 0x2600;   /* 9728 */
    for (q = 0; q < IGC_NUM_QUEUES; q++) {
        /* 2 KiB buffers, advanced one-buffer descriptors */
        *igc_q_reg(core, false, q, IGC_Q_SRRCTL) =
            2 | IGC_SRRCTL_DESCTYPE_ONEBUF << IGC_SRRCTL_DESCTYPE_SHIFT;
    }
    /* the NVM's MAC words land in RA[0] with Address Valid */
    core->mac[R(IGC_RAL0)] = m[0] | m[1] << 8 | m[2] << 16 |
                             (uint32_t)m[3] << 24;
    core->mac[R(IGC_RAH0)] = m[4] | m[5] << 8 | BIT(31);
    core->rx_held = false;
    igc_phy_reset(core);
    igc_update_link(core, false);
}

void igc_core_set_link_status(IGCCore *core)
{
    igc_update_link(core, true);
}

void igc_core_realize(IGCCore *core, PCIDevice *owner, NICState *nic,
                      const uint8_t *macaddr)
{
    int q;

    core->owner = owner;
    core->owner_nic = nic;
    memcpy(core->permanent_mac, macaddr, ETH_ALEN);
    igc_nvm_init(core, macaddr);
    for (q = 0; q < IGC_NUM_QUEUES; q++) {
        core->txq[q].core = core;
        core->txq[q].index = q;
        net_tx_pkt_init(&core->txq[q].pkt, IGC_MAX_TX_FRAGS);
        core->txq[q].launch_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                                 igc_launch_expired,
                                                 &core->txq[q]);
    }
    net_rx_pkt_init(&core->rx_pkt);
    for (q = 0; q < IGC_MSIX_VECTORS; q++) {
        core->eitr[q].core = core;
        core->eitr[q].vector = q;
        core->eitr[q].timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                           igc_eitr_expired, &core->eitr[q]);
    }
    igc_core_reset(core);
}

void igc_core_unrealize(IGCCore *core)
{
    int q;

    for (q = 0; q < IGC_NUM_QUEUES; q++) {
        net_tx_pkt_reset(core->txq[q].pkt, net_tx_pkt_unmap_frag_pci,
                         core->owner);
        net_tx_pkt_uninit(core->txq[q].pkt);
        core->txq[q].pkt = NULL;
        timer_free(core->txq[q].launch_timer);
        core->txq[q].launch_timer = NULL;
    }
    net_rx_pkt_uninit(core->rx_pkt);
    core->rx_pkt = NULL;
    for (q = 0; q < IGC_MSIX_VECTORS; q++) {
        timer_free(core->eitr[q].timer);
        core->eitr[q].timer = NULL;
    }
}
