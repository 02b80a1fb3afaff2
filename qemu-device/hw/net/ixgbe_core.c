/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Intel 82599 10 GbE controller emulation: registers, EEPROM, link,
 * interrupts and the transmit/receive descriptor rings.
 *
 * Written against the 82599 datasheet and what the Linux ixgbe driver
 * expects; QEMU's igb model served as the reference for how a QEMU NIC is
 * put together.
 *
 * Copyright (c) 2026 nicrig developers
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qemu/log.h"
#include "qemu/bitops.h"
#include "qemu/timer.h"
#include "net/net.h"
#include "net/eth.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "system/dma.h"
#include <zlib.h>

#include "ixgbe_core.h"
#include "nicrig_adv.h"
#include "net_tx_pkt.h"
#include "net_rx_pkt.h"
#include "trace.h"

typedef uint32_t (*IXGBEReadFn)(IXGBECore *core, int index);
typedef void (*IXGBEWriteFn)(IXGBECore *core, int index, uint32_t val);


static void ixgbe_tx_ring_kick(IXGBECore *core, int q);
static ssize_t ixgbe_rx_frame(IXGBECore *core, const struct iovec *iov,
                              int iovcnt, bool loopback);

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static inline uint32_t ixgbe_rxq_base(int q)
{
    return q < 64 ? IXGBE_RXQ_BANK_LO + q * 0x40
                  : IXGBE_RXQ_BANK_HI + (q - 64) * 0x40;
}

static inline uint32_t ixgbe_txq_base(int q)
{
    return IXGBE_TXQ_BANK + q * 0x40;
}

static inline uint32_t *ixgbe_rxq_reg(IXGBECore *core, int q, uint32_t off)
{
    return &core->mac[IXGBE_IDX(ixgbe_rxq_base(q) + off)];
}

static inline uint32_t *ixgbe_txq_reg(IXGBECore *core, int q, uint32_t off)
{
    return &core->mac[IXGBE_IDX(ixgbe_txq_base(q) + off)];
}

static inline uint32_t *ixgbe_reg(IXGBECore *core, uint32_t off)
{
    return &core->mac[IXGBE_IDX(off)];
}

static bool ixgbe_link_up(IXGBECore *core)
{
    return core->owner_nic && !qemu_get_queue(core->owner_nic)->link_down;
}

static void ixgbe_stat_inc(IXGBECore *core, uint32_t off)
{
    uint32_t *r = ixgbe_reg(core, off);

    if (*r != UINT32_MAX) {
        (*r)++;
    }
}

/* Add to a 64-bit counter split over a low and a high register. */
static void ixgbe_stat_add64(IXGBECore *core, uint32_t lo, uint32_t hi,
                             uint64_t n)
{
    uint64_t v = ((uint64_t)*ixgbe_reg(core, hi) << 32) | *ixgbe_reg(core, lo);

    v += n;
    *ixgbe_reg(core, lo) = (uint32_t)v;
    *ixgbe_reg(core, hi) = (uint32_t)(v >> 32);
}

static void ixgbe_stat_size(IXGBECore *core, uint32_t first, size_t len)
{
    /* 64, 65-127, 128-255, 256-511, 512-1023, 1024-max */
    static const size_t limits[] = { 64, 127, 255, 511, 1023 };
    int i;

    for (i = 0; i < ARRAY_SIZE(limits); i++) {
        if (len <= limits[i]) {
            break;
        }
    }
    ixgbe_stat_inc(core, first + i * 4);
}

/* ------------------------------------------------------------------ */
/* EEPROM                                                              */
/* ------------------------------------------------------------------ */

static void ixgbe_eeprom_init(IXGBECore *core, const uint8_t *macaddr)
{
    uint16_t *ee = core->eeprom;
    uint16_t sum = 0;
    int i, j;

    for (i = 0; i < IXGBE_EEPROM_WORDS; i++) {
        ee[i] = 0xFFFF;
    }
    ee[0x00] = 0x0000;
    ee[IXGBE_EEPROM_CTRL_2] = 0x0000;
    ee[0x02] = 0x0000;
    /* One module pointer, the LAN core 0 section holding the MAC address */
    ee[IXGBE_EEPROM_LAN0_PTR] = 0x0040;
    ee[IXGBE_EEPROM_PBA0] = 0x0E11;     /* legacy PBA "E11111-000" style */
    ee[IXGBE_EEPROM_PBA1] = 0x1100;
    ee[IXGBE_EEPROM_DEV_CAPS] = 0x0000;
    ee[0x40] = 3;
    for (i = 0; i < 3; i++) {
        ee[0x41 + i] = macaddr[2 * i] | (macaddr[2 * i + 1] << 8);
    }

    /* Checksum as the driver computes it: words 0..0x3E plus sections */
    for (i = 0; i < IXGBE_EEPROM_CHECKSUM; i++) {
        sum += ee[i];
    }
    for (i = IXGBE_EEPROM_ANALOG_PTR; i < IXGBE_EEPROM_FW_PTR; i++) {
        uint16_t ptr = ee[i], len;

        if (ptr == 0 || ptr == 0xFFFF || ptr >= IXGBE_EEPROM_WORDS) {
            continue;
        }
        len = ee[ptr];
        if (len == 0 || len == 0xFFFF) {
            continue;
        }
        for (j = ptr + 1; j <= ptr + len && j < IXGBE_EEPROM_WORDS; j++) {
            sum += ee[j];
        }
    }
    ee[IXGBE_EEPROM_CHECKSUM] = IXGBE_EEPROM_SUM - sum;
}

static uint32_t ixgbe_eec_read(IXGBECore *core, int index)
{
    uint32_t v = core->mac[index];

    v |= IXGBE_EEC_PRES | IXGBE_EEC_ARD | 0x400 /* 16-bit addressing */ |
         (3 << IXGBE_EEC_SIZE_SHIFT);
    if (v & IXGBE_EEC_REQ) {
        v |= IXGBE_EEC_GNT;
    } else {
        v &= ~IXGBE_EEC_GNT;
    }
    return v;
}

static void ixgbe_eec_write(IXGBECore *core, int index, uint32_t val)
{
    /* Only the bit-bang request and pins are writable; no bit-banging. */
    core->mac[index] = val & (IXGBE_EEC_REQ | 0x3F);
}

static void ixgbe_eerd_write(IXGBECore *core, int index, uint32_t val)
{
    uint32_t addr = (val >> IXGBE_EERD_ADDR_SHIFT) & IXGBE_EERD_ADDR_MASK;
    uint16_t data = 0xFFFF;

    if (!(val & IXGBE_EERD_START)) {
        core->mac[index] = val & ~IXGBE_EERD_DONE;
        return;
    }
    if (addr < IXGBE_EEPROM_WORDS) {
        data = core->eeprom[addr];
    } else {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "ixgbe: EERD read of word 0x%x beyond EEPROM (%d)\n",
                      addr, IXGBE_EEPROM_WORDS);
    }
    trace_ixgbe_eeprom_read(addr, data);
    core->mac[index] = ((uint32_t)data << IXGBE_EERD_DATA_SHIFT) |
                       (addr << IXGBE_EERD_ADDR_SHIFT) | IXGBE_EERD_DONE;
}

static void ixgbe_eewr_write(IXGBECore *core, int index, uint32_t val)
{
    uint32_t addr = (val >> IXGBE_EERD_ADDR_SHIFT) & IXGBE_EERD_ADDR_MASK;
    uint16_t data = val >> IXGBE_EERD_DATA_SHIFT;

    if (val & IXGBE_EERD_START) {
        if (addr < IXGBE_EEPROM_WORDS) {
            core->eeprom[addr] = data;
            trace_ixgbe_eeprom_write(addr, data);
        } else {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "ixgbe: EEWR write of word 0x%x beyond EEPROM\n",
                          addr);
        }
    }
    core->mac[index] = (val & ~IXGBE_EERD_START) | IXGBE_EERD_DONE;
}

/* ------------------------------------------------------------------ */
/* Interrupts                                                          */
/* ------------------------------------------------------------------ */

static bool ixgbe_msix_mode(IXGBECore *core)
{
    return msix_enabled(core->owner);
}

/* Vector (MSI-X) or EICR bit (INTx/MSI) an IVAR byte points to, or -1. */
static int ixgbe_ivar_vector(IXGBECore *core, uint8_t ivar)
{
    if (!(ivar & IXGBE_IVAR_ALLOC_VAL)) {
        return -1;
    }
    if (ixgbe_msix_mode(core)) {
        return ivar & IXGBE_IVAR_VECTOR_MASK;
    }
    return ivar & 0xF;
}

static int ixgbe_queue_vector(IXGBECore *core, int q, bool tx)
{
    uint32_t ivar = core->mac[IXGBE_IDX(IXGBE_IVAR0) + (q >> 1)];
    int shift = 16 * (q & 1) + (tx ? 8 : 0);

    return ixgbe_ivar_vector(core, (ivar >> shift) & 0xFF);
}

static void ixgbe_update_intx(IXGBECore *core)
{
    bool level = false;

    if (!ixgbe_msix_mode(core) && !msi_enabled(core->owner)) {
        level = (core->vec_cause & core->vec_mask & IXGBE_EICR_RTX_QUEUE) ||
                (core->misc_cause & core->misc_mask);
    }
    trace_ixgbe_irq_intx(level);
    pci_set_irq(core->owner, level);
}

/* EITR interval of @vector in ns, 0 if moderation is off */
static int64_t ixgbe_eitr_interval_ns(IXGBECore *core, int vector)
{
    uint32_t off = vector < 24 ? IXGBE_EITR_LO + vector * 4
                               : IXGBE_EITR_HI + (vector - 24) * 4;
    uint32_t eitr = core->mac[IXGBE_IDX(off)] & IXGBE_EITR_INTERVAL_MASK;

    /* ITR interval in bits 11:3, in units of 2.048 us at 10 Gb/s */
    return (int64_t)(eitr >> 3) * 2048;
}

static void ixgbe_msix_fire(IXGBECore *core, int vector)
{
    uint64_t bit = 1ULL << vector;
    int64_t interval;

    if (core->eitr_busy & bit) {
        /* Moderated: the cause stays set and fires when the timer ends. */
        return;
    }
    interval = ixgbe_eitr_interval_ns(core, vector);
    if (interval) {
        core->eitr_busy |= bit;
        timer_mod(core->eitr_timer[vector],
                  qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + interval);
    }

    trace_ixgbe_irq_msix(vector);
    msix_notify(core->owner, vector);

    /* Auto-clear: EIAC for vectors 0..15, always for the others. */
    if (vector >= 16 || (core->mac[IXGBE_IDX(IXGBE_EIAC)] & bit)) {
        core->vec_cause &= ~bit;
    }
    if (core->mac[IXGBE_IDX(IXGBE_GPIE)] & IXGBE_GPIE_EIAME) {
        core->vec_mask &= ~(core->vec_automask & bit);
    }
}

/*
 * Deliver what is pending.  @misc_edge says whether an "other" cause became
 * pending just now: those causes are level-like and are not auto-cleared,
 * so their MSI-X message is sent once per new cause, not on every update.
 */
static void ixgbe_deliver_interrupts(IXGBECore *core, bool misc_edge)
{
    if (ixgbe_msix_mode(core)) {
        uint64_t pending = core->vec_cause & core->vec_mask;
        int v;

        for (v = 0; v < IXGBE_MSIX_VECTORS; v++) {
            if (pending & (1ULL << v)) {
                ixgbe_msix_fire(core, v);
            }
        }
        if (misc_edge) {
            uint32_t ivar_misc = core->mac[IXGBE_IDX(IXGBE_IVAR_MISC)];
            uint32_t pending_misc = core->misc_cause & core->misc_mask;
            int vec;

            /* IVAR_MISC byte 0: TCP timer, byte 1: all other causes */
            if (pending_misc & ~IXGBE_EICR_TCP_TIMER) {
                vec = ixgbe_ivar_vector(core, ivar_misc >> 8);
                if (vec >= 0) {
                    trace_ixgbe_irq_msix(vec);
                    msix_notify(core->owner, vec);
                }
            }
            if (pending_misc & IXGBE_EICR_TCP_TIMER) {
                vec = ixgbe_ivar_vector(core, ivar_misc);
                if (vec >= 0) {
                    trace_ixgbe_irq_msix(vec);
                    msix_notify(core->owner, vec);
                }
            }
        }
        return;
    }

    if (msi_enabled(core->owner)) {
        if ((core->vec_cause & core->vec_mask & IXGBE_EICR_RTX_QUEUE) ||
            (core->misc_cause & core->misc_mask)) {
            trace_ixgbe_irq_msi();
            msi_notify(core->owner, 0);
        }
        return;
    }
    ixgbe_update_intx(core);
}

typedef struct IXGBEEitrTimer {
    IXGBECore *core;
    int vector;
} IXGBEEitrTimer;

static void ixgbe_eitr_expired(void *opaque)
{
    IXGBEEitrTimer *t = opaque;

    t->core->eitr_busy &= ~(1ULL << t->vector);
    ixgbe_deliver_interrupts(t->core, false);
}

static void ixgbe_raise(IXGBECore *core, uint64_t vec, uint32_t misc)
{
    misc &= IXGBE_EICR_MISC_MASK;
    if (misc & IXGBE_EICR_OTHER_CAUSES) {
        misc |= IXGBE_EICR_OTHER;
    }
    trace_ixgbe_irq_cause(vec, misc);
    core->vec_cause |= vec;
    core->misc_cause |= misc;
    ixgbe_deliver_interrupts(core, misc != 0);
}

static void ixgbe_raise_queue(IXGBECore *core, int q, bool tx)
{
    int v = ixgbe_queue_vector(core, q, tx);

    if (v >= 0) {
        ixgbe_raise(core, 1ULL << v, 0);
    }
}

static uint32_t ixgbe_eicr_read(IXGBECore *core, int index)
{
    uint32_t v = (core->vec_cause & IXGBE_EICR_RTX_QUEUE) | core->misc_cause;

    /* Reading EICR clears it (the INTx/MSI handler relies on that). */
    core->vec_cause &= ~(uint64_t)IXGBE_EICR_RTX_QUEUE;
    core->misc_cause = 0;
    ixgbe_update_intx(core);
    return v;
}

static uint32_t ixgbe_eics_read(IXGBECore *core, int index)
{
    /* EICS reads EICR without the clear-on-read side effect. */
    return (core->vec_cause & IXGBE_EICR_RTX_QUEUE) | core->misc_cause;
}

static void ixgbe_eicr_write(IXGBECore *core, int index, uint32_t val)
{
    core->vec_cause &= ~(uint64_t)(val & IXGBE_EICR_RTX_QUEUE);
    core->misc_cause &= ~(val & IXGBE_EICR_MISC_MASK);
    ixgbe_update_intx(core);
}

static void ixgbe_eics_write(IXGBECore *core, int index, uint32_t val)
{
    ixgbe_raise(core, val & IXGBE_EICR_RTX_QUEUE, val & IXGBE_EICR_MISC_MASK);
}

static uint32_t ixgbe_eims_read(IXGBECore *core, int index)
{
    return (core->vec_mask & IXGBE_EICR_RTX_QUEUE) | core->misc_mask;
}

static void ixgbe_eims_write(IXGBECore *core, int index, uint32_t val)
{
    uint32_t new_misc = val & IXGBE_EICR_MISC_MASK & ~core->misc_mask;

    core->vec_mask |= val & IXGBE_EICR_RTX_QUEUE;
    core->misc_mask |= val & IXGBE_EICR_MISC_MASK;
    ixgbe_deliver_interrupts(core, (new_misc & core->misc_cause) != 0);
}

static void ixgbe_eimc_write(IXGBECore *core, int index, uint32_t val)
{
    core->vec_mask &= ~(uint64_t)(val & IXGBE_EICR_RTX_QUEUE);
    core->misc_mask &= ~(val & IXGBE_EICR_MISC_MASK);
    ixgbe_update_intx(core);
}

static void ixgbe_eiam_write(IXGBECore *core, int index, uint32_t val)
{
    core->mac[index] = val;
    core->vec_automask = (core->vec_automask & ~0xFFFFULL) | (val & 0xFFFF);
}

static int ixgbe_ex_bank(int index, uint32_t base)
{
    return (index - IXGBE_IDX(base)) & 1;
}

static uint32_t ixgbe_eims_ex_read(IXGBECore *core, int index)
{
    return core->vec_mask >> (32 * ixgbe_ex_bank(index, IXGBE_EIMS_EX0));
}

static void ixgbe_eims_ex_write(IXGBECore *core, int index, uint32_t val)
{
    core->vec_mask |= (uint64_t)val << (32 * ixgbe_ex_bank(index,
                                                         IXGBE_EIMS_EX0));
    ixgbe_deliver_interrupts(core, false);
}

static void ixgbe_eimc_ex_write(IXGBECore *core, int index, uint32_t val)
{
    core->vec_mask &= ~((uint64_t)val << (32 * ixgbe_ex_bank(index,
                                                           IXGBE_EIMC_EX0)));
    ixgbe_update_intx(core);
}

static uint32_t ixgbe_eics_ex_read(IXGBECore *core, int index)
{
    return core->vec_cause >> (32 * ixgbe_ex_bank(index, IXGBE_EICS_EX0));
}

static void ixgbe_eics_ex_write(IXGBECore *core, int index, uint32_t val)
{
    ixgbe_raise(core, (uint64_t)val << (32 * ixgbe_ex_bank(index,
                                                         IXGBE_EICS_EX0)), 0);
}

static uint32_t ixgbe_eiam_ex_read(IXGBECore *core, int index)
{
    return core->vec_automask >> (32 * ixgbe_ex_bank(index, IXGBE_EIAM_EX0));
}

static void ixgbe_eiam_ex_write(IXGBECore *core, int index, uint32_t val)
{
    int shift = 32 * ixgbe_ex_bank(index, IXGBE_EIAM_EX0);

    core->vec_automask &= ~(0xFFFFFFFFULL << shift);
    core->vec_automask |= (uint64_t)val << shift;
}

static void ixgbe_pbacl_write(IXGBECore *core, int index, uint32_t val)
{
    /* Clearing MSI-X pending bits is handled by QEMU's MSI-X emulation. */
}

/* ------------------------------------------------------------------ */
/* Reset and link                                                      */
/* ------------------------------------------------------------------ */

static void ixgbe_load_rar0(IXGBECore *core)
{
    const uint8_t *m = core->permanent_mac;

    *ixgbe_reg(core, IXGBE_RAL0) = m[0] | (m[1] << 8) | (m[2] << 16) |
                                   ((uint32_t)m[3] << 24);
    *ixgbe_reg(core, IXGBE_RAL0 + 4) = m[4] | (m[5] << 8) | IXGBE_RAH_AV;
}

static void ixgbe_reset(IXGBECore *core, bool sw)
{
    int q;

    trace_ixgbe_core_reset(sw);
    memset(core->mac, 0, sizeof(core->mac));
    for (q = 0; q < IXGBE_NUM_QUEUES; q++) {
        IXGBETxQueue *txq = &core->txq[q];

        if (txq->pkt) {
            net_tx_pkt_reset(txq->pkt, net_tx_pkt_unmap_frag_pci, core->owner);
        }
        memset(txq->ctx, 0, sizeof(txq->ctx));
        txq->first_cmd_type_len = txq->first_olinfo_status = 0;
        txq->first = true;
        txq->skip = false;
        *ixgbe_rxq_reg(core, q, IXGBE_RXQ_SRRCTL) = 0x00000402;
    }
    core->vec_cause = core->vec_mask = core->vec_automask = 0;
    core->misc_cause = core->misc_mask = 0;
    core->eitr_busy = 0;
    for (q = 0; q < IXGBE_MSIX_VECTORS; q++) {
        if (core->eitr_timer[q]) {
            timer_del(core->eitr_timer[q]);
        }
    }

    /* TXCRCEN, RXCRCSTRP, TXPADEN and RXLNGTHERREN, as the datasheet's */
    *ixgbe_reg(core, IXGBE_HLREG0) = 0x00002403 | IXGBE_HLREG0_RXLNGTHERREN;
    *ixgbe_reg(core, IXGBE_MAXFRS) = 0x05EE0000;
    *ixgbe_reg(core, IXGBE_VLNCTRL) = 0x00008100;
    *ixgbe_reg(core, IXGBE_RDRXCTL) = 0x00000880;
    *ixgbe_reg(core, IXGBE_RXPBSIZE0) = 512 << 10;
    *ixgbe_reg(core, IXGBE_TXPBSIZE0) = 160 << 10;
    *ixgbe_reg(core, IXGBE_AUTOC) = IXGBE_AUTOC_KX4_SUPP |
                                    IXGBE_AUTOC_KX_SUPP |
                                    IXGBE_AUTOC_KR_SUPP |
                                    IXGBE_AUTOC_LMS_KX4_KX_KR;
    *ixgbe_reg(core, IXGBE_ANLP1) = IXGBE_ANLP1_AN_STATE_ST;
    *ixgbe_reg(core, IXGBE_LEDCTL) = 0x00080604;
    ixgbe_load_rar0(core);

    if (core->owner) {
        ixgbe_update_intx(core);
    }
}

void ixgbe_core_set_link_status(IXGBECore *core)
{
    bool up = ixgbe_link_up(core);

    trace_ixgbe_link_status(up);
    ixgbe_raise(core, 0, IXGBE_EICR_LSC);
    if (up) {
        ixgbe_core_start_recv(core);
    }
}

static uint32_t ixgbe_links_read(IXGBECore *core, int index)
{
    if (!ixgbe_link_up(core)) {
        return 0;
    }
    return IXGBE_LINKS_UP | IXGBE_LINKS_STATUS | IXGBE_LINKS_SPEED_10G |
           IXGBE_LINKS_KX_AN_COMP;
}

static uint32_t ixgbe_status_read(IXGBECore *core, int index)
{
    uint32_t v = 0;     /* LAN ID 0: single function */

    if (ixgbe_link_up(core)) {
        v |= IXGBE_STATUS_LINKUP;
    }
    if (!(core->mac[IXGBE_IDX(IXGBE_CTRL)] & IXGBE_CTRL_GIO_DIS)) {
        v |= IXGBE_STATUS_GIO;
    }
    return v;
}

static void ixgbe_ctrl_write(IXGBECore *core, int index, uint32_t val)
{
    if (val & (IXGBE_CTRL_RST | IXGBE_CTRL_LNK_RST)) {
        /*
         * Both resets complete instantly; the driver polls for the bits to
         * self-clear.  A link reset on this part also resets the MAC.
         */
        ixgbe_reset(core, true);
        core->mac[index] = val & ~(IXGBE_CTRL_RST | IXGBE_CTRL_LNK_RST |
                                   IXGBE_CTRL_GIO_DIS);
        return;
    }
    core->mac[index] = val;
}

static void ixgbe_autoc_write(IXGBECore *core, int index, uint32_t val)
{
    /* Restart auto-negotiation completes at once. */
    core->mac[index] = val & ~IXGBE_AUTOC_AN_RESTART;
}

/* MDIO: there is no PHY on a KX4 backplane part, reads float high. */
static void ixgbe_msca_write(IXGBECore *core, int index, uint32_t val)
{
    trace_ixgbe_mdio_access(val);
    if (val & IXGBE_MSCA_MDI_COMMAND) {
        uint32_t op = (val >> IXGBE_MSCA_OP_SHIFT) & 3;

        if (op >= 2) {
            core->mac[IXGBE_IDX(IXGBE_MSRWD)] =
                (core->mac[IXGBE_IDX(IXGBE_MSRWD)] & 0xFFFF) | 0xFFFF0000;
        }
    }
    core->mac[index] = val & ~IXGBE_MSCA_MDI_COMMAND;
}

static uint32_t ixgbe_swsm_read(IXGBECore *core, int index)
{
    uint32_t v = core->mac[index];

    /* SMBI is a test-and-set bit: reading it grabs it. */
    core->mac[index] |= IXGBE_SWSM_SMBI;
    return v;
}

static void ixgbe_swsm_write(IXGBECore *core, int index, uint32_t val)
{
    core->mac[index] = val & (IXGBE_SWSM_SMBI | IXGBE_SWSM_SWESMBI);
}

static uint32_t ixgbe_fwsm_read(IXGBECore *core, int index)
{
    /*
     * "Firmware valid" keeps the driver from warning about a firmware
     * error; mode 0 (no pass-through) means no manageability to share with.
     */
    return IXGBE_FWSM_FW_VAL_BIT;
}

static uint32_t ixgbe_rdrxctl_read(IXGBECore *core, int index)
{
    return core->mac[index] | IXGBE_RDRXCTL_DMAIDONE;
}

static uint32_t ixgbe_ready_read(IXGBECore *core, int index)
{
    return IXGBE_SECRXSTAT_RDY;     /* SECRXSTAT / SECTXSTAT */
}

static void ixgbe_fdirctrl_write(IXGBECore *core, int index, uint32_t val)
{
    core->mac[index] = val | IXGBE_FDIRCTRL_INIT_DONE;
}

static void ixgbe_fdircmd_write(IXGBECore *core, int index, uint32_t val)
{
    /* Flow director filters are accepted and ignored (RSS decides). */
    core->mac[index] = val & ~IXGBE_FDIRCMD_CMD_MASK;
}

static void ixgbe_rxctrl_write(IXGBECore *core, int index, uint32_t val)
{
    core->mac[index] = val;
    if (val & IXGBE_RXCTRL_RXEN) {
        ixgbe_core_start_recv(core);
    }
}

static void ixgbe_dmatxctl_write(IXGBECore *core, int index, uint32_t val)
{
    int q;

    core->mac[index] = val;
    if (val & IXGBE_DMATXCTL_TE) {
        for (q = 0; q < IXGBE_NUM_QUEUES; q++) {
            ixgbe_tx_ring_kick(core, q);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Queue register banks                                                */
/* ------------------------------------------------------------------ */

/* Queue of an RX bank register: 0..63 at 0x1000, 64..127 at 0xD000. */
static int ixgbe_rxq_of(int index)
{
    uint32_t addr = index << 2;

    if (addr >= IXGBE_RXQ_BANK_HI) {
        return 64 + (addr - IXGBE_RXQ_BANK_HI) / 0x40;
    }
    return (addr - IXGBE_RXQ_BANK_LO) / 0x40;
}

static int ixgbe_txq_of(int index)
{
    return ((index << 2) - IXGBE_TXQ_BANK) / 0x40;
}

static void ixgbe_rdt_write(IXGBECore *core, int index, uint32_t val)
{
    int q = ixgbe_rxq_of(index);

    core->mac[index] = val & 0xFFFF;
    /*
     * New descriptors: hand over a frame that waits for them.  RDT moves
     * every few frames, so only flush when one is actually waiting
     * (qemu_flush_queued_packets() on an empty queue still schedules a
     * main-loop notification).
     */
    if (core->rx_held &&
        (*ixgbe_rxq_reg(core, q, IXGBE_RXQ_RXDCTL) & IXGBE_RXDCTL_ENABLE)) {
        ixgbe_core_start_recv(core);
    }
}

static void ixgbe_rxdctl_write(IXGBECore *core, int index, uint32_t val)
{
    uint32_t old = core->mac[index];

    val &= ~IXGBE_RXDCTL_SWFLSH;
    core->mac[index] = val;
    if (val & ~old & IXGBE_RXDCTL_ENABLE) {
        ixgbe_core_start_recv(core);
    }
}

static void ixgbe_tdt_write(IXGBECore *core, int index, uint32_t val)
{
    core->mac[index] = val & 0xFFFF;
    ixgbe_tx_ring_kick(core, ixgbe_txq_of(index));
}

static void ixgbe_txdctl_write(IXGBECore *core, int index, uint32_t val)
{
    uint32_t old = core->mac[index];

    if (val & IXGBE_TXDCTL_SWFLSH) {
        val &= ~(IXGBE_TXDCTL_SWFLSH | IXGBE_TXDCTL_ENABLE);
    }
    core->mac[index] = val;
    if (val & ~old & IXGBE_TXDCTL_ENABLE) {
        ixgbe_tx_ring_kick(core, ixgbe_txq_of(index));
    }
}

/* SRRCTL and DCA_RXCTRL of queues 0..15 also live at 0x2100 / 0x2200. */
static int ixgbe_rxq_alias(int index)
{
    uint32_t addr = index << 2;

    if (addr >= IXGBE_DCA_RXCTRL_ALIAS) {
        return IXGBE_IDX(ixgbe_rxq_base((addr - IXGBE_DCA_RXCTRL_ALIAS) / 4) +
                         IXGBE_RXQ_DCA_RXCTRL);
    }
    return IXGBE_IDX(ixgbe_rxq_base((addr - IXGBE_SRRCTL_ALIAS) / 4) +
                     IXGBE_RXQ_SRRCTL);
}

static uint32_t ixgbe_rxq_alias_read(IXGBECore *core, int index)
{
    return core->mac[ixgbe_rxq_alias(index)];
}

static void ixgbe_rxq_alias_write(IXGBECore *core, int index, uint32_t val)
{
    core->mac[ixgbe_rxq_alias(index)] = val;
}

/* RAL/RAH 0..15 also live at 0x5400. */
static int ixgbe_rar_alias(int index)
{
    return index - IXGBE_IDX(IXGBE_RAL_ALIAS) + IXGBE_IDX(IXGBE_RAL0);
}

static uint32_t ixgbe_rar_alias_read(IXGBECore *core, int index)
{
    return core->mac[ixgbe_rar_alias(index)];
}

static void ixgbe_rar_alias_write(IXGBECore *core, int index, uint32_t val)
{
    int i = ixgbe_rar_alias(index);

    core->mac[i] = (i & 1) ? val & IXGBE_RAH_WMASK : val;
}

/* ------------------------------------------------------------------ */
/* Rings                                                               */
/* ------------------------------------------------------------------ */

/* Validate guest programming of a ring; false (and a log line) if bad. */
static bool ixgbe_ring_get(IXGBECore *core, bool tx, int q, NicrigRing *r)
{
    uint32_t *(*reg)(IXGBECore *, int, uint32_t) =
        tx ? ixgbe_txq_reg : ixgbe_rxq_reg;

    return nicrig_ring_get(r, "ixgbe", tx ? "TX" : "RX", q,
                           *reg(core, q, 0x00), *reg(core, q, 0x04),
                           *reg(core, q, tx ? IXGBE_TXQ_TDLEN
                                            : IXGBE_RXQ_RDLEN),
                           reg(core, q, 0x10), reg(core, q, 0x18));
}

/* ------------------------------------------------------------------ */
/* Transmit                                                            */
/* ------------------------------------------------------------------ */

static void ixgbe_tx_loopback_cb(void *opaque, const struct iovec *iov,
                                 int iovcnt, const struct iovec *virt_iov,
                                 int virt_iovcnt)
{
    ixgbe_rx_frame(opaque, iov, iovcnt, true);
}

static bool ixgbe_tx_offloads(IXGBECore *core, IXGBETxQueue *txq)
{
    uint32_t olinfo = txq->first_olinfo_status;
    const IXGBETxContext *ctx =
        &txq->ctx[(olinfo >> IXGBE_TXD_IDX_SHIFT) & 1];
    struct NetTxPkt *pkt = txq->pkt;

    if (!(txq->first_cmd_type_len & IXGBE_TXD_CMD_DEXT)) {
        return true;
    }
    if (txq->first_cmd_type_len & IXGBE_TXD_CMD_TSE) {
        uint32_t mss = ctx->mss_l4len_idx >> IXGBE_TXC_MSS_SHIFT;

        if (!mss) {
            qemu_log_mask(LOG_GUEST_ERROR, "ixgbe: TSO with MSS 0\n");
            return false;
        }
        if (!net_tx_pkt_build_vheader(pkt, true, true, mss)) {
            return false;
        }
        net_tx_pkt_update_ip_checksums(pkt);
        return true;
    }
    if (olinfo & IXGBE_TXD_POPTS_TXSM) {
        bool sctp = (ctx->type_tucmd_mlhl & IXGBE_TXC_TUCMD_L4T_MASK) ==
                    IXGBE_TXC_TUCMD_L4T_SCTP;

        if (sctp ? !net_tx_pkt_update_sctp_checksum(pkt)
                 : !net_tx_pkt_build_vheader(pkt, false, true, 0)) {
            return false;
        }
    }
    if (olinfo & IXGBE_TXD_POPTS_IXSM) {
        net_tx_pkt_update_ip_hdr_checksum(pkt);
    }
    return true;
}

static void ixgbe_tx_stats(IXGBECore *core, int q)
{
    struct NetTxPkt *pkt = core->txq[q].pkt;
    size_t len = net_tx_pkt_get_total_len(pkt) + 4;

    ixgbe_stat_inc(core, IXGBE_GPTC);
    ixgbe_stat_inc(core, IXGBE_TPT);
    ixgbe_stat_add64(core, IXGBE_GOTCL, IXGBE_GOTCH, len);
    ixgbe_stat_size(core, IXGBE_PTC64, len);
    switch (net_tx_pkt_get_packet_type(pkt)) {
    case ETH_PKT_BCAST:
        ixgbe_stat_inc(core, IXGBE_BPTC);
        break;
    case ETH_PKT_MCAST:
        ixgbe_stat_inc(core, IXGBE_MPTC);
        break;
    default:
        break;
    }
    if (q < 16) {
        ixgbe_stat_inc(core, ixgbe_txq_base(q) + IXGBE_TXQ_QPTC);
        ixgbe_stat_add64(core, IXGBE_QBTC_L0 + q * 8, IXGBE_QBTC_L0 + q * 8 + 4,
                         len - 4);
    }
}

static void ixgbe_tx_packet_done(IXGBECore *core, int q)
{
    IXGBETxQueue *txq = &core->txq[q];
    struct NetTxPkt *pkt = txq->pkt;
    bool loopback = core->mac[IXGBE_IDX(IXGBE_HLREG0)] & IXGBE_HLREG0_LPBK;

    if (txq->skip) {
        trace_ixgbe_tx_drop(q, "bad descriptor chain");
    } else if (!net_tx_pkt_parse(pkt)) {
        trace_ixgbe_tx_drop(q, "unparsable packet");
    } else if (!ixgbe_tx_offloads(core, txq)) {
        trace_ixgbe_tx_drop(q, "offload setup failed");
    } else {
        if (txq->first_cmd_type_len & IXGBE_TXD_CMD_VLE) {
            int idx = (txq->first_olinfo_status >> IXGBE_TXD_IDX_SHIFT) & 1;
            uint16_t vlan = txq->ctx[idx].vlan_macip_lens >>
                            IXGBE_TXC_VLAN_SHIFT;

            net_tx_pkt_setup_vlan_header_ex(pkt, vlan,
                core->mac[IXGBE_IDX(IXGBE_VLNCTRL)] & 0xFFFF);
        }
        trace_ixgbe_tx_packet(q, net_tx_pkt_get_total_len(pkt), loopback);
        if (loopback) {
            net_tx_pkt_send_custom(pkt, false, ixgbe_tx_loopback_cb, core);
        } else if (ixgbe_link_up(core)) {
            net_tx_pkt_send(pkt, qemu_get_queue(core->owner_nic));
        }
        ixgbe_tx_stats(core, q);
    }
    net_tx_pkt_reset(pkt, net_tx_pkt_unmap_frag_pci, core->owner);
    txq->first = true;
    txq->skip = false;
}

static void ixgbe_tx_data_desc(IXGBECore *core, int q, const IXGBETxDesc *d)
{
    IXGBETxQueue *txq = &core->txq[q];
    uint32_t len = d->cmd_type_len & IXGBE_TXD_DTALEN_MASK;

    if (txq->first) {
        txq->first_cmd_type_len = d->cmd_type_len;
        txq->first_olinfo_status = d->olinfo_status;
        txq->first = false;
    }
    if (len > IXGBE_TXD_MAX_BUF && !txq->skip) {
        /*
         * The driver splits buffers at 16 KiB (IXGBE_MAX_DATA_PER_TXD);
         * what the hardware makes of a longer one is not documented, so
         * the packet is refused rather than sent.
         */
        qemu_log_mask(LOG_GUEST_ERROR,
                      "ixgbe: TX queue %d: data buffer of %u bytes "
                      "(limit %u); dropping packet\n", q, len,
                      IXGBE_TXD_MAX_BUF);
        txq->skip = true;
    }
    if (!txq->skip &&
        !nicrig_tx_add_buffer(core->owner, txq->pkt, "ixgbe", q, d->addr,
                              len)) {
        txq->skip = true;
    }
    if (d->cmd_type_len & IXGBE_TXD_CMD_EOP) {
        ixgbe_tx_packet_done(core, q);
    }
}

static void ixgbe_tx_ring_kick(IXGBECore *core, int q)
{
    NicrigRing r;
    uint32_t n, wb_head;
    bool report = false;

    if (!(core->mac[IXGBE_IDX(IXGBE_DMATXCTL)] & IXGBE_DMATXCTL_TE) ||
        !(*ixgbe_txq_reg(core, q, IXGBE_TXQ_TXDCTL) & IXGBE_TXDCTL_ENABLE)) {
        return;
    }
    if (*ixgbe_txq_reg(core, q, IXGBE_TXQ_TDH) ==
        *ixgbe_txq_reg(core, q, IXGBE_TXQ_TDT)) {
        return;
    }
    if (!ixgbe_ring_get(core, true, q, &r)) {
        return;
    }

    /* Never walk more than one ring's worth, whatever the guest did. */
    for (n = 0; n < r.size && *r.head != *r.tail; n++) {
        dma_addr_t addr = nicrig_ring_desc(&r, *r.head);
        IXGBETxDesc d;

        if (pci_dma_read(core->owner, addr, &d, sizeof(d)) != MEMTX_OK) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "ixgbe: TX queue %d: descriptor at 0x%" PRIx64
                          " not readable; queue stopped\n", q, addr);
            break;
        }
        d.addr = le64_to_cpu(d.addr);
        d.cmd_type_len = le32_to_cpu(d.cmd_type_len);
        d.olinfo_status = le32_to_cpu(d.olinfo_status);
        trace_ixgbe_tx_desc(q, *r.head, d.cmd_type_len, d.olinfo_status);

        if ((d.cmd_type_len & IXGBE_TXD_CMD_DEXT) &&
            ((d.cmd_type_len >> IXGBE_TXD_DTYP_SHIFT) & IXGBE_TXD_DTYP_MASK) ==
            IXGBE_TXD_DTYP_CTXT) {
            IXGBETxContext *ctx =
                &core->txq[q].ctx[(d.olinfo_status >> IXGBE_TXD_IDX_SHIFT) & 1];

            ctx->vlan_macip_lens = (uint32_t)d.addr;
            ctx->seqnum_seed = d.addr >> 32;
            ctx->type_tucmd_mlhl = d.cmd_type_len;
            ctx->mss_l4len_idx = d.olinfo_status;
        } else {
            if ((d.cmd_type_len & IXGBE_TXD_CMD_DEXT) &&
                ((d.cmd_type_len >> IXGBE_TXD_DTYP_SHIFT) &
                 IXGBE_TXD_DTYP_MASK) != IXGBE_TXD_DTYP_DATA) {
                qemu_log_mask(LOG_GUEST_ERROR,
                              "ixgbe: TX queue %d: unknown descriptor type "
                              "0x%x treated as data\n", q,
                              (d.cmd_type_len >> IXGBE_TXD_DTYP_SHIFT) & 0xF);
            }
            ixgbe_tx_data_desc(core, q, &d);
        }

        if (d.cmd_type_len & IXGBE_TXD_CMD_RS) {
            uint32_t sta = cpu_to_le32(IXGBE_TXD_STAT_DD);

            pci_dma_write(core->owner, addr + 12, &sta, sizeof(sta));
            report = true;
        }
        *r.head = (*r.head + 1) % r.size;
    }

    if (report) {
        uint32_t wbal = *ixgbe_txq_reg(core, q, IXGBE_TXQ_TDWBAL);

        if (wbal & IXGBE_TDWBAL_HEAD_WB_EN) {
            dma_addr_t wb = ((uint64_t)*ixgbe_txq_reg(core, q,
                                                      IXGBE_TXQ_TDWBAH) << 32) |
                            (wbal & ~3u);

            wb_head = cpu_to_le32(*r.head);
            pci_dma_write(core->owner, wb, &wb_head, sizeof(wb_head));
        }
        ixgbe_raise_queue(core, q, true);
    }
}

/* ------------------------------------------------------------------ */
/* Receive                                                             */
/* ------------------------------------------------------------------ */

void ixgbe_core_start_recv(IXGBECore *core)
{
    if (core->owner_nic) {
        /* Cleared first: the flush may hold the frame again. */
        core->rx_held = false;
        qemu_flush_queued_packets(qemu_get_queue(core->owner_nic));
    }
}

bool ixgbe_core_can_receive(IXGBECore *core)
{
    return true;    /* full rings are handled per packet in receive */
}

static bool ixgbe_mta_match(IXGBECore *core, const uint8_t *da)
{
    /* MCSTCTRL.MO picks which 12 bits of the address index the MTA */
    uint32_t mcst = core->mac[IXGBE_IDX(IXGBE_MCSTCTRL)];
    uint32_t vec = nicrig_mta_bit(mcst & IXGBE_MCSTCTRL_MO_MASK, da);

    if (!(mcst & IXGBE_MCSTCTRL_MFE)) {
        return false;
    }
    return core->mac[IXGBE_IDX(IXGBE_MTA0) + (vec >> 5)] & BIT(vec & 31);
}

static bool ixgbe_rx_filter(IXGBECore *core, const uint8_t *frame,
                            eth_pkt_types_e type)
{
    uint32_t fctrl = core->mac[IXGBE_IDX(IXGBE_FCTRL)];
    int i;

    switch (type) {
    case ETH_PKT_BCAST:
        return fctrl & (IXGBE_FCTRL_BAM | IXGBE_FCTRL_MPE);
    case ETH_PKT_MCAST:
        return (fctrl & IXGBE_FCTRL_MPE) || ixgbe_mta_match(core, frame);
    default:
        if (fctrl & IXGBE_FCTRL_UPE) {
            return true;
        }
        for (i = 0; i < 128; i++) {
            uint32_t ral = core->mac[IXGBE_IDX(IXGBE_RAL0) + 2 * i];
            uint32_t rah = core->mac[IXGBE_IDX(IXGBE_RAL0) + 2 * i + 1];
            uint8_t a[ETH_ALEN] = {
                ral, ral >> 8, ral >> 16, ral >> 24, rah, rah >> 8
            };

            if ((rah & IXGBE_RAH_AV) && !memcmp(a, frame, ETH_ALEN)) {
                return true;
            }
        }
        return false;
    }
}

static bool ixgbe_vlan_filter(IXGBECore *core, const uint8_t *frame,
                              size_t len)
{
    uint32_t vlnctrl = core->mac[IXGBE_IDX(IXGBE_VLNCTRL)];
    uint16_t tci;

    if (!(vlnctrl & IXGBE_VLNCTRL_VFE) || len < 18 ||
        lduw_be_p(frame + 12) != (vlnctrl & 0xFFFF)) {
        return true;
    }
    tci = lduw_be_p(frame + 14) & 0xFFF;
    return core->mac[IXGBE_IDX(IXGBE_VFTA0) + (tci >> 5)] & BIT(tci & 31);
}

typedef struct IXGBERxMeta {
    uint32_t hash;
    uint32_t rss_type;
    uint32_t pkt_type;
    uint32_t status;
    uint16_t vlan;
} IXGBERxMeta;

static int ixgbe_rss(IXGBECore *core, IXGBERxMeta *m)
{
    uint32_t mrqc = core->mac[IXGBE_IDX(IXGBE_MRQC)];
    bool ip4, ip6;
    EthL4HdrProto l4;
    NetRxPktRssType type;
    uint8_t key[40];
    uint8_t entry;
    int i;

    if ((mrqc & IXGBE_MRQC_MRQE_MASK) != 1) {
        return 0;
    }
    net_rx_pkt_get_protocols(core->rx_pkt, &ip4, &ip6, &l4);
    if (ip4 && l4 == ETH_L4_HDR_PROTO_TCP &&
        (mrqc & IXGBE_MRQC_RSS_IPV4_TCP)) {
        type = NetPktRssIpV4Tcp;
        m->rss_type = IXGBE_RXD_RSSTYPE_IPV4_TCP;
    } else if (ip4 && l4 == ETH_L4_HDR_PROTO_UDP &&
               (mrqc & IXGBE_MRQC_RSS_IPV4_UDP)) {
        type = NetPktRssIpV4Udp;
        m->rss_type = IXGBE_RXD_RSSTYPE_IPV4_UDP;
    } else if (ip4 && (mrqc & IXGBE_MRQC_RSS_IPV4)) {
        type = NetPktRssIpV4;
        m->rss_type = IXGBE_RXD_RSSTYPE_IPV4;
    } else if (ip6 && l4 == ETH_L4_HDR_PROTO_TCP &&
               (mrqc & IXGBE_MRQC_RSS_IPV6_TCP)) {
        type = NetPktRssIpV6Tcp;
        m->rss_type = IXGBE_RXD_RSSTYPE_IPV6_TCP;
    } else if (ip6 && l4 == ETH_L4_HDR_PROTO_UDP &&
               (mrqc & IXGBE_MRQC_RSS_IPV6_UDP)) {
        type = NetPktRssIpV6Udp;
        m->rss_type = IXGBE_RXD_RSSTYPE_IPV6_UDP;
    } else if (ip6 && (mrqc & IXGBE_MRQC_RSS_IPV6)) {
        type = NetPktRssIpV6;
        m->rss_type = IXGBE_RXD_RSSTYPE_IPV6;
    } else {
        return 0;
    }
    for (i = 0; i < 10; i++) {
        stl_le_p(key + 4 * i, core->mac[IXGBE_IDX(IXGBE_RSSRK0) + i]);
    }
    m->hash = net_rx_pkt_calc_rss_hash(core->rx_pkt, type, key);
    entry = core->mac[IXGBE_IDX(IXGBE_RETA0) + ((m->hash & 0x7F) >> 2)] >>
            (8 * (m->hash & 3));
    return entry & 0xF;
}

static void ixgbe_rx_pkt_type(IXGBERxMeta *m, bool ip4, bool ip6,
                              EthL4HdrProto l4)
{
    if (ip4) {
        m->pkt_type |= IXGBE_RXD_PKTTYPE_IPV4;
    } else if (ip6) {
        m->pkt_type |= IXGBE_RXD_PKTTYPE_IPV6;
    }
    switch (l4) {
    case ETH_L4_HDR_PROTO_TCP:
        m->pkt_type |= IXGBE_RXD_PKTTYPE_TCP;
        break;
    case ETH_L4_HDR_PROTO_UDP:
        m->pkt_type |= IXGBE_RXD_PKTTYPE_UDP;
        break;
    case ETH_L4_HDR_PROTO_SCTP:
        m->pkt_type |= IXGBE_RXD_PKTTYPE_SCTP;
        break;
    default:
        break;
    }
}

/*
 * Whether the TCP or UDP header at @l4 (@avail bytes up to the end of the
 * IP payload) is whole and its own length fits: the checksum engine cannot
 * sum what is not there.
 */
static bool ixgbe_rx_l4_hdr_ok(const uint8_t *l4, size_t avail, uint8_t proto)
{
    if (proto == IP_PROTO_TCP) {
        return avail >= sizeof(struct tcp_hdr) &&
               (l4[12] >> 4) * 4 >= sizeof(struct tcp_hdr) &&
               (l4[12] >> 4) * 4 <= avail;
    }
    return avail >= sizeof(struct udp_hdr) &&
           lduw_be_p(l4 + 4) >= sizeof(struct udp_hdr) &&
           lduw_be_p(l4 + 4) <= avail;
}

/*
 * Receive checksum results (IPCS/IPE, L4CS/UDPCS/L4E; an error counts in
 * XEC when the frame is stored, ixgbe_rx_count_errors).  The datasheet
 * (7.1.11, as recalled) does not say what the checksum engine makes of a
 * malformed header, so the model's rules, chosen to give the driver what
 * it relies on (a bad header is never "checksum good"):
 * - an IPv4 header that is cut off by the frame's end, has IHL < 5, or a
 *   total length shorter than its header: IPCS with IPE, no L4 check;
 * - an IP total (IPv6 payload) length beyond the frame's end, or a TCP/UDP
 *   header that is cut off or whose own length (data offset, UDP length)
 *   does not fit the IP payload: L4CS with L4E;
 * - anything else: the checksums over the lengths the IP header gives
 *   (trailing Ethernet padding is not summed).
 */
static void ixgbe_rx_csum(IXGBECore *core, IXGBERxMeta *m, const uint8_t *buf,
                          size_t len)
{
    size_t l3 = eth_get_l2_hdr_length(buf);
    uint16_t proto = lduw_be_p(buf + l3 - 2);
    bool ip4, ip6, valid, l4_ok = true;
    EthL4HdrProto l4;
    size_t l4off, l3_len = 0;
    uint8_t ip_p = 0;

    net_rx_pkt_get_protocols(core->rx_pkt, &ip4, &ip6, &l4);
    if (proto == ETH_P_IP && l3 < len && (buf[l3] >> 4) == 4) {
        const uint8_t *ip = buf + l3;
        size_t avail = len - l3, ihl = (ip[0] & 0xF) * 4;

        if (avail < sizeof(struct ip_header) || ihl < sizeof(struct ip_header)
            || ihl > avail || lduw_be_p(ip + 2) < ihl) {
            m->pkt_type |= IXGBE_RXD_PKTTYPE_IPV4;
            m->status |= IXGBE_RXD_STAT_IPCS | IXGBE_RXD_ERR_IPE;
            return;
        }
        l3_len = lduw_be_p(ip + 2);
        ip_p = ip[9];
    } else if (ip6) {
        l3_len = sizeof(struct ip6_header) +
                 lduw_be_p(buf + l3 + 4);   /* payload length */
        ip_p = net_rx_pkt_get_ip6_info(core->rx_pkt)->l4proto;
    }
    ixgbe_rx_pkt_type(m, ip4, ip6, l4);

    if (ip4 && net_rx_pkt_validate_l3_csum(core->rx_pkt, &valid)) {
        m->status |= IXGBE_RXD_STAT_IPCS;
        if (!valid) {
            m->status |= IXGBE_RXD_ERR_IPE;
        }
    }

    if ((ip4 || ip6) && (ip_p == IP_PROTO_TCP || ip_p == IP_PROTO_UDP) &&
        !(ip4 && net_rx_pkt_get_ip4_info(core->rx_pkt)->fragment) &&
        !(ip6 && net_rx_pkt_get_ip6_info(core->rx_pkt)->fragment)) {
        l4off = net_rx_pkt_get_l4_hdr_offset(core->rx_pkt);
        l4_ok = l3 + l3_len <= len && l4off <= l3 + l3_len &&
                ixgbe_rx_l4_hdr_ok(buf + l4off, l3 + l3_len - l4off, ip_p);
    }
    if (!l4_ok) {
        m->pkt_type |= ip_p == IP_PROTO_TCP ? IXGBE_RXD_PKTTYPE_TCP
                                            : IXGBE_RXD_PKTTYPE_UDP;
        m->status |= IXGBE_RXD_STAT_L4CS | IXGBE_RXD_ERR_TCPE |
                     (ip_p == IP_PROTO_UDP ? IXGBE_RXD_STAT_UDPCS : 0);
    } else if ((l4 == ETH_L4_HDR_PROTO_TCP || l4 == ETH_L4_HDR_PROTO_UDP) &&
               net_rx_pkt_validate_l4_csum(core->rx_pkt, &valid)) {
        m->status |= IXGBE_RXD_STAT_L4CS;
        if (l4 == ETH_L4_HDR_PROTO_UDP) {
            m->status |= IXGBE_RXD_STAT_UDPCS;
        }
        if (!valid) {
            m->status |= IXGBE_RXD_ERR_TCPE;
        }
    }
}

static void ixgbe_rx_stats(IXGBECore *core, int q, size_t len,
                           eth_pkt_types_e type)
{
    ixgbe_stat_inc(core, IXGBE_GPRC);
    ixgbe_stat_inc(core, IXGBE_TPR);
    ixgbe_stat_add64(core, IXGBE_GORCL, IXGBE_GORCH, len);
    ixgbe_stat_add64(core, IXGBE_TORL, IXGBE_TORH, len);
    ixgbe_stat_size(core, IXGBE_PRC64, len);
    if (type == ETH_PKT_BCAST) {
        ixgbe_stat_inc(core, IXGBE_BPRC);
    } else if (type == ETH_PKT_MCAST) {
        ixgbe_stat_inc(core, IXGBE_MPRC);
    }
    if (q < 16) {
        ixgbe_stat_inc(core, ixgbe_rxq_base(q) + IXGBE_RXQ_QPRC);
        ixgbe_stat_add64(core, ixgbe_rxq_base(q) + IXGBE_RXQ_QBRC_L,
                         ixgbe_rxq_base(q) + IXGBE_RXQ_QBRC_H, len);
    }
}

static void ixgbe_rx_no_desc(IXGBECore *core, int q)
{
    ixgbe_stat_inc(core, IXGBE_RNBC0);
    ixgbe_stat_inc(core, IXGBE_MPC0);
    if (q < 16) {
        ixgbe_stat_inc(core, IXGBE_QPRDC0 + q * 0x40);
    }
}

/*
 * Write back one advanced descriptor for @chunk bytes of the frame; the
 * frame's status, checksum and RSS results go in its last one (EOP).
 */
static void ixgbe_rx_desc_writeback(IXGBECore *core, dma_addr_t daddr,
                                    uint32_t chunk, bool eop,
                                    const IXGBERxMeta *m)
{
    uint32_t status = IXGBE_RXD_STAT_DD;
    uint64_t wb_lo, wb_hi;

    if (eop) {
        status |= IXGBE_RXD_STAT_EOP | m->status;
    }
    /* pkt_info/hdr_info, RSS hash | status_error, length, VLAN */
    wb_lo = (uint64_t)(m->rss_type | m->pkt_type) | (uint64_t)m->hash << 32;
    wb_hi = (uint64_t)status | (uint64_t)chunk << 32 |
            (uint64_t)m->vlan << 48;
    nicrig_rx_desc_writeback(core->owner, daddr, wb_lo, wb_hi);
}

/* Write one received frame into queue @q; false if it had no room. */
static bool ixgbe_rx_write(IXGBECore *core, int q, const uint8_t *data,
                           size_t len, const IXGBERxMeta *m)
{
    uint32_t srrctl = *ixgbe_rxq_reg(core, q, IXGBE_RXQ_SRRCTL);
    uint32_t bsize = (srrctl & IXGBE_SRRCTL_BSIZEPKT_MASK) * KiB;
    uint32_t avail, need, done = 0;
    NicrigRing r;

    if (!bsize) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "ixgbe: RX queue %d: SRRCTL.BSIZEPKT is 0\n", q);
        return false;
    }
    if (((srrctl >> IXGBE_SRRCTL_DESCTYPE_SHIFT) &
         IXGBE_SRRCTL_DESCTYPE_MASK) > IXGBE_SRRCTL_DESCTYPE_ADV_ONEBUF) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "ixgbe: RX queue %d: header split not modelled, "
                      "using one buffer\n", q);
    }
    if (!ixgbe_ring_get(core, false, q, &r)) {
        return false;
    }
    avail = (*r.tail + r.size - *r.head) % r.size;
    need = DIV_ROUND_UP(len, bsize);
    if (need > avail) {
        return false;
    }

    /* need <= avail < ring size: the walk is bounded by the ring */
    while (done < len) {
        dma_addr_t daddr = nicrig_ring_desc(&r, *r.head);
        uint32_t chunk = MIN(bsize, len - done);
        IXGBERxDescRead rd;

        if (pci_dma_read(core->owner, daddr, &rd, sizeof(rd)) != MEMTX_OK) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "ixgbe: RX queue %d: descriptor at 0x%" PRIx64
                          " not readable\n", q, daddr);
            return true;    /* consumed; nothing sensible left to do */
        }
        if (pci_dma_write(core->owner, le64_to_cpu(rd.pkt_addr), data + done,
                          chunk) != MEMTX_OK) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "ixgbe: RX queue %d: buffer 0x%" PRIx64
                          " not writable\n", q, le64_to_cpu(rd.pkt_addr));
        }
        ixgbe_rx_desc_writeback(core, daddr, chunk, done + chunk == len, m);
        done += chunk;
        *r.head = (*r.head + 1) % r.size;
    }
    return true;
}

/*
 * The max frame size (82599 datasheet, MAXFRS.MFS and HLREG0.JUMBOEN):
 * MFS counts from the destination address to the FCS inclusive and is
 * only used with JUMBOEN set; without it the limit is a fixed 1518.  A
 * frame carrying a VLAN tag (ethertype VLNCTRL.VET) may be 4 bytes longer.
 * Double VLAN (+8 with CTRL_EXT.EXTENDED_VLAN and DMATXCTL.GDV) is not
 * modelled: the 7.3 ixgbe driver never enables it.
 */
static size_t ixgbe_rx_max_frame(IXGBECore *core, const uint8_t *buf)
{
    size_t mfs = IXGBE_MAX_STD_FRAME;

    if (core->mac[IXGBE_IDX(IXGBE_HLREG0)] & IXGBE_HLREG0_JUMBOEN) {
        mfs = core->mac[IXGBE_IDX(IXGBE_MAXFRS)] >> IXGBE_MAXFRS_MFS_SHIFT;
    }
    if (lduw_be_p(buf + 12) == (core->mac[IXGBE_IDX(IXGBE_VLNCTRL)] & 0xFFFF)) {
        mfs += IXGBE_VLAN_TAG_LEN;
    }
    return mfs;
}

/*
 * The 802.3 length field check (HLREG0.RXLNGTHERREN, set at reset; RLEC):
 * a type/length field of 1500 or less (after a VET tag) is a length, and
 * must equal the bytes that follow the header, except that a frame of
 * minimum size may carry padding after a shorter payload.  This is the
 * 82599's RLEC (8.2.3.23, as recalled): unlike the 8254x/82576 RLEC, it
 * does not count frames over the size limit, those are ROC only.
 */
static bool ixgbe_rx_length_error(IXGBECore *core, const uint8_t *buf,
                                  size_t len)
{
    size_t hdr = ETH_HLEN;
    size_t data;
    uint16_t field = lduw_be_p(buf + 12);

    if (!(core->mac[IXGBE_IDX(IXGBE_HLREG0)] & IXGBE_HLREG0_RXLNGTHERREN)) {
        return false;
    }
    if (field == (core->mac[IXGBE_IDX(IXGBE_VLNCTRL)] & 0xFFFF) &&
        len >= ETH_HLEN + IXGBE_VLAN_TAG_LEN) {
        hdr += IXGBE_VLAN_TAG_LEN;
        field = lduw_be_p(buf + 16);
    }
    if (field > IXGBE_MAX_LENGTH_FIELD || len < hdr) {
        return false;       /* an ethertype */
    }
    data = len - hdr;
    return field > data || (field < data && data > ETH_ZLEN - ETH_HLEN);
}

/*
 * The MAC's checks on a frame that passed the address filter: undersize
 * (< 64 bytes with the FCS), oversize (over the max frame size), the FCS,
 * the length field.  @wire_len is the frame's length on the wire, FCS
 * included.  Returns the descriptor's error bits, 0 for a good frame.
 */
static uint32_t ixgbe_rx_mac_errors(IXGBECore *core, const uint8_t *buf,
                                    size_t len, size_t wire_len,
                                    bool fcs_bad)
{
    uint32_t ce = fcs_bad ? IXGBE_RXD_ERR_CE : 0;

    if (wire_len < ETH_ZLEN + ETH_FCS_LEN) {
        return IXGBE_RXD_ERR_USE | ce;
    }
    if (wire_len > ixgbe_rx_max_frame(core, buf)) {
        return IXGBE_RXD_ERR_OSE | ce;
    }
    if (ce || !ixgbe_rx_length_error(core, buf, len)) {
        return ce;
    }
    return IXGBE_RXD_ERR_LE;
}

/*
 * Count a frame's errors (its descriptor error bits) once, when it is
 * dropped for them or stored: a frame QEMU holds for a full ring comes
 * back.  Undersize is RUC, or RFC with a bad FCS; oversize ROC, or RJC
 * and CRCERRS; a bad FCS CRCERRS; the length field RLEC; a checksum error
 * XEC, only in a frame without MAC errors.
 */
static void ixgbe_rx_count_errors(IXGBECore *core, uint32_t err)
{
    bool ce = err & IXGBE_RXD_ERR_CE;

    if (err & IXGBE_RXD_ERR_USE) {
        ixgbe_stat_inc(core, ce ? IXGBE_RFC : IXGBE_RUC);
    } else if (err & IXGBE_RXD_ERR_OSE) {
        ixgbe_stat_inc(core, ce ? IXGBE_RJC : IXGBE_ROC);
        if (ce) {
            ixgbe_stat_inc(core, IXGBE_CRCERRS);
        }
    } else if (ce) {
        ixgbe_stat_inc(core, IXGBE_CRCERRS);
    } else if (err & IXGBE_RXD_ERR_LE) {
        ixgbe_stat_inc(core, IXGBE_RLEC);
    } else if (err & (IXGBE_RXD_ERR_IPE | IXGBE_RXD_ERR_TCPE)) {
        ixgbe_stat_inc(core, IXGBE_XEC);
    }
}

/*
 * Copy the frame from the backend into rx_buf; returns its length without
 * FCS and sets *@wire_len (with it) and *@fcs_bad.  QEMU's net layer
 * carries no FCS: the sending MAC computed a good one and padded the frame
 * to 60 bytes, so short frames are padded here.  With the fcs-on-wire
 * property, every frame from the backend ends in its FCS, which is
 * checked, and a short one is a runt.  Loopback frames have no FCS.
 */
static size_t ixgbe_rx_copy(IXGBECore *core, const struct iovec *iov,
                            int iovcnt, size_t size, bool loopback,
                            size_t *wire_len, bool *fcs_bad)
{
    uint8_t *buf = core->rx_buf;
    size_t len = iov_to_buf(iov, iovcnt, 0, buf, size);

    *fcs_bad = false;
    if (core->fcs_on_wire && !loopback) {
        *wire_len = len;
        if (len < ETH_FCS_LEN) {
            *fcs_bad = true;
            return 0;
        }
        len -= ETH_FCS_LEN;
        /* both as 32 bits: crc32() is a uLong, ldl_le_p() an int */
        *fcs_bad = (uint32_t)crc32(0, buf, len) !=
                   (uint32_t)ldl_le_p(buf + len);
        return len;
    }
    if (len < ETH_ZLEN) {
        memset(buf + len, 0, ETH_ZLEN - len);
        len = ETH_ZLEN;
    }
    *wire_len = len + ETH_FCS_LEN;
    return len;
}

/* Strip the VLAN tag into @m (RXDCTL.VME); the frame shrinks by 4. */
static size_t ixgbe_rx_vlan_strip(IXGBECore *core, uint32_t rxdctl,
                                  uint8_t *buf, size_t len, IXGBERxMeta *m)
{
    if (!(rxdctl & IXGBE_RXDCTL_VME) || len < 18 ||
        lduw_be_p(buf + 12) != (core->mac[IXGBE_IDX(IXGBE_VLNCTRL)] & 0xFFFF)) {
        return len;
    }
    m->vlan = lduw_be_p(buf + 14);
    m->status |= IXGBE_RXD_STAT_VP;
    memmove(buf + 12, buf + 16, len - 16);
    return len - 4;
}

/*
 * The offloads on the way to the descriptors: VLAN strip, the checksum
 * results, and the FCS when it is not stripped.  Returns the length the
 * guest gets.
 */
static size_t ixgbe_rx_offload(IXGBECore *core, uint32_t rxdctl,
                               uint8_t *buf, size_t len, IXGBERxMeta *m)
{
    size_t stripped = ixgbe_rx_vlan_strip(core, rxdctl, buf, len, m);

    if (stripped != len) {
        /* parse what the guest will see */
        struct iovec one = { .iov_base = buf, .iov_len = stripped };

        net_rx_pkt_set_protocols(core->rx_pkt, &one, 1, 0);
        len = stripped;
    }
    net_rx_pkt_attach_data(core->rx_pkt, buf, len, false);
    ixgbe_rx_csum(core, m, buf, len);

    if (!(core->mac[IXGBE_IDX(IXGBE_HLREG0)] & IXGBE_HLREG0_RXCRCSTRP)) {
        stl_le_p(buf + len, crc32(0, buf, len));
        len += 4;
    }
    return len;
}

/*
 * Hand the frame to queue @q: descriptors, statistics, interrupt.  A full
 * ring drops it with SRRCTL.DROP_EN, else QEMU holds it (return 0) until
 * the guest moves RDT, as the packet buffer would.
 */
static ssize_t ixgbe_rx_deliver(IXGBECore *core, int q, const uint8_t *buf,
                                size_t len, const IXGBERxMeta *m,
                                eth_pkt_types_e type, bool loopback,
                                size_t size)
{
    uint32_t srrctl = *ixgbe_rxq_reg(core, q, IXGBE_RXQ_SRRCTL);

    if (!ixgbe_rx_write(core, q, buf, len, m)) {
        if (!loopback && !(srrctl & IXGBE_SRRCTL_DROP_EN)) {
            trace_ixgbe_rx_drop(q, "no descriptors, holding");
            core->rx_held = true;
            return 0;
        }
        trace_ixgbe_rx_drop(q, "no descriptors");
        ixgbe_rx_no_desc(core, q);
        return size;
    }
    trace_ixgbe_rx_packet(q, len, m->hash);
    ixgbe_rx_count_errors(core, m->status);
    ixgbe_rx_stats(core, q, len, type);
    ixgbe_raise_queue(core, q, false);
    return size;
}

/*
 * Receive one frame: the address filter, the MAC's checks, the VLAN
 * filter, the queue (RSS), the offloads, then the descriptors.  A frame
 * with a MAC error is dropped, or with FCTRL.SBP (store bad packets)
 * delivered with its error bits.
 */
static ssize_t ixgbe_rx_frame(IXGBECore *core, const struct iovec *iov,
                              int iovcnt, bool loopback)
{
    size_t size = iov_size(iov, iovcnt);
    uint8_t *buf = core->rx_buf;
    IXGBERxMeta m = { 0 };
    eth_pkt_types_e type;
    struct iovec one;
    uint32_t rxdctl;
    size_t len, wire_len;
    bool fcs_bad;
    int q;

    if (!(core->mac[IXGBE_IDX(IXGBE_RXCTRL)] & IXGBE_RXCTRL_RXEN) ||
        (core->mac[IXGBE_IDX(IXGBE_SECRXCTRL)] & IXGBE_SECRXCTRL_RX_DIS)) {
        trace_ixgbe_rx_drop(-1, "receiver disabled");
        return size;
    }
    if (!loopback && !ixgbe_link_up(core)) {
        return size;
    }
    if (size > sizeof(core->rx_buf) - ETH_FCS_LEN) {
        /* beyond the packet buffer: never stored, whatever SBP says */
        ixgbe_stat_inc(core, IXGBE_ROC);
        trace_ixgbe_rx_drop(-1, "longer than the packet buffer (ROC)");
        return size;
    }
    len = ixgbe_rx_copy(core, iov, iovcnt, size, loopback, &wire_len,
                        &fcs_bad);
    if (len < ETH_HLEN) {
        /* no header to filter on: a runt the MAC discards */
        ixgbe_stat_inc(core, fcs_bad ? IXGBE_RFC : IXGBE_RUC);
        trace_ixgbe_rx_drop(-1, "runt without a header (RUC/RFC)");
        return size;
    }

    type = get_eth_packet_type((struct eth_header *)buf);
    if (!ixgbe_rx_filter(core, buf, type)) {
        trace_ixgbe_rx_drop(-1, "address filter");
        return size;
    }
    m.status = ixgbe_rx_mac_errors(core, buf, len, wire_len, fcs_bad);
    if (m.status &&
        !(core->mac[IXGBE_IDX(IXGBE_FCTRL)] & IXGBE_FCTRL_SBP)) {
        ixgbe_rx_count_errors(core, m.status);
        trace_ixgbe_rx_drop(-1, "MAC error (RUC/RFC/ROC/RJC/CRCERRS/RLEC)");
        return size;
    }
    if (!ixgbe_vlan_filter(core, buf, len)) {
        trace_ixgbe_rx_drop(-1, "VLAN filter");
        return size;
    }

    one.iov_base = buf;
    one.iov_len = len;
    net_rx_pkt_set_packet_type(core->rx_pkt, type);
    net_rx_pkt_set_protocols(core->rx_pkt, &one, 1, 0);
    q = ixgbe_rss(core, &m);

    rxdctl = *ixgbe_rxq_reg(core, q, IXGBE_RXQ_RXDCTL);
    if (!(rxdctl & IXGBE_RXDCTL_ENABLE)) {
        trace_ixgbe_rx_drop(q, "queue disabled");
        ixgbe_rx_no_desc(core, q);
        return size;
    }
    len = ixgbe_rx_offload(core, rxdctl, buf, len, &m);
    return ixgbe_rx_deliver(core, q, buf, len, &m, type, loopback, size);
}

ssize_t ixgbe_core_receive_iov(IXGBECore *core, const struct iovec *iov,
                               int iovcnt)
{
    return ixgbe_rx_frame(core, iov, iovcnt, false);
}

/* ------------------------------------------------------------------ */
/* The register table                                                  */
/* ------------------------------------------------------------------ */

/*
 * Every register the model knows, once: storage (RW with the bits a write
 * keeps), read-only, read-to-clear statistics, write-1-to-clear, or its
 * handlers (the hardware's behaviour lives there).  Entries without a
 * handler are stored and nothing else: the model keeps what the driver
 * wrote and does not act on it.  Anything else is a guest error that
 * reads 0 (ixgbe_core_read/write).
 */
typedef struct IXGBERegInfo {
    NicrigRegDecl d;        /* name, where, kind and write mask */
    IXGBEReadFn read;       /* or NULL: as the kind says */
    IXGBEWriteFn write;     /* or NULL: as the kind says */
} IXGBERegInfo;

#define REG(n, a, k, m)           { { n, a, 1, 0, k, m }, NULL, NULL }
#define ARR(n, a, c, s, k, m)     { { n, a, c, s, k, m }, NULL, NULL }
#define FN(n, a, rd, wr)          { { n, a, 1, 0, NICRIG_RW, ~0u }, rd, wr }
#define FNRO(n, a, rd)            { { n, a, 1, 0, NICRIG_RO, 0 }, rd, NULL }
#define ARRFN(n, a, c, s, rd, wr) { { n, a, c, s, NICRIG_RW, ~0u }, rd, wr }
/* one register of every RX queue, in both banks (0..63, 64..127) */
#define RXQ(n, off, k, m) \
    ARR(n, IXGBE_RXQ_BANK_LO + (off), 64, 0x40, k, m), \
    ARR(n, IXGBE_RXQ_BANK_HI + (off), 64, 0x40, k, m)
#define RXQFN(n, off, rd, wr) \
    ARRFN(n, IXGBE_RXQ_BANK_LO + (off), 64, 0x40, rd, wr), \
    ARRFN(n, IXGBE_RXQ_BANK_HI + (off), 64, 0x40, rd, wr)
#define TXQ(n, off, k, m)   ARR(n, IXGBE_TXQ_BANK + (off), 128, 0x40, k, m)

static const IXGBERegInfo ixgbe_regs[] = {
    /* general */
    FN("CTRL", IXGBE_CTRL, NULL, ixgbe_ctrl_write),
    FNRO("STATUS", IXGBE_STATUS, ixgbe_status_read),
    REG("CTRL_EXT", IXGBE_CTRL_EXT, NICRIG_RW, ~0u),
    REG("ESDP", IXGBE_ESDP, NICRIG_RW, ~0u),
    REG("I2CCTL", IXGBE_I2CCTL, NICRIG_RW, ~0u),
    REG("LEDCTL", IXGBE_LEDCTL, NICRIG_RW, ~0u),
    FN("EEC", IXGBE_EEC, ixgbe_eec_read, ixgbe_eec_write),
    FN("EERD", IXGBE_EERD, NULL, ixgbe_eerd_write),
    FN("EEWR", IXGBE_EEWR, NULL, ixgbe_eewr_write),
    REG("FLA", IXGBE_FLA, NICRIG_RW, ~0u),
    REG("GRC", IXGBE_GRC, NICRIG_RW, ~0u),
    FN("SWSM", IXGBE_SWSM, ixgbe_swsm_read, ixgbe_swsm_write),
    FNRO("FWSM", IXGBE_FWSM, ixgbe_fwsm_read),
    REG("FACTPS", IXGBE_FACTPS, NICRIG_RO, 0),
    REG("GSSR", IXGBE_GSSR, NICRIG_RW, ~0u),
    REG("GCR_EXT", IXGBE_GCR_EXT, NICRIG_RW, ~0u),
    /* QEMU's MSI-X emulation owns the pending bits */
    FN("PBACL", IXGBE_PBACL0, NULL, ixgbe_pbacl_write),

    /* interrupts */
    FN("EICR", IXGBE_EICR, ixgbe_eicr_read, ixgbe_eicr_write),
    FN("EICS", IXGBE_EICS, ixgbe_eics_read, ixgbe_eics_write),
    FN("EIMS", IXGBE_EIMS, ixgbe_eims_read, ixgbe_eims_write),
    FN("EIMC", IXGBE_EIMC, NULL, ixgbe_eimc_write),
    REG("EIAC", IXGBE_EIAC, NICRIG_RW, ~0u),
    FN("EIAM", IXGBE_EIAM, NULL, ixgbe_eiam_write),
    REG("GPIE", IXGBE_GPIE, NICRIG_RW, ~0u),
    REG("EITRSEL", IXGBE_EITRSEL, NICRIG_RW, ~0u),
    ARR("EITR", IXGBE_EITR_LO, 24, 4, NICRIG_RW, ~0u),
    ARR("EITR", IXGBE_EITR_HI, 104, 4, NICRIG_RW, ~0u),
    ARR("IVAR", IXGBE_IVAR0, 64, 4, NICRIG_RW, ~0u),
    REG("IVAR_MISC", IXGBE_IVAR_MISC, NICRIG_RW, ~0u),
    ARRFN("EICS_EX", IXGBE_EICS_EX0, 2, 4, ixgbe_eics_ex_read,
          ixgbe_eics_ex_write),
    ARRFN("EIMS_EX", IXGBE_EIMS_EX0, 2, 4, ixgbe_eims_ex_read,
          ixgbe_eims_ex_write),
    ARRFN("EIMC_EX", IXGBE_EIMC_EX0, 2, 4, NULL, ixgbe_eimc_ex_write),
    ARRFN("EIAM_EX", IXGBE_EIAM_EX0, 2, 4, ixgbe_eiam_ex_read,
          ixgbe_eiam_ex_write),

    /* receive queues */
    RXQ("RDBAL", IXGBE_RXQ_RDBAL, NICRIG_RW, 0xFFFFFF80),
    RXQ("RDBAH", IXGBE_RXQ_RDBAH, NICRIG_RW, ~0u),
    RXQ("RDLEN", IXGBE_RXQ_RDLEN, NICRIG_RW, 0x000FFF80),
    RXQ("DCA_RXCTRL", IXGBE_RXQ_DCA_RXCTRL, NICRIG_RW, ~0u),
    RXQ("RDH", IXGBE_RXQ_RDH, NICRIG_RW, 0xFFFF),
    RXQ("SRRCTL", IXGBE_RXQ_SRRCTL, NICRIG_RW, ~0u),
    RXQFN("RDT", IXGBE_RXQ_RDT, NULL, ixgbe_rdt_write),
    RXQFN("RXDCTL", IXGBE_RXQ_RXDCTL, NULL, ixgbe_rxdctl_write),
    RXQ("RSCCTL", IXGBE_RXQ_RSCCTL, NICRIG_RW, ~0u),    /* no RSC */
    ARR("QPRC", IXGBE_RXQ_BANK_LO + IXGBE_RXQ_QPRC, 16, 0x40, NICRIG_RC, 0),
    ARR("QBRC_L", IXGBE_RXQ_BANK_LO + IXGBE_RXQ_QBRC_L, 16, 0x40,
        NICRIG_RC, 0),
    ARR("QBRC_H", IXGBE_RXQ_BANK_LO + IXGBE_RXQ_QBRC_H, 16, 0x40,
        NICRIG_RC, 0),
    ARR("QPRDC", IXGBE_QPRDC0, 16, 0x40, NICRIG_RC, 0),
    ARRFN("SRRCTL", IXGBE_SRRCTL_ALIAS, 16, 4, ixgbe_rxq_alias_read,
          ixgbe_rxq_alias_write),
    ARRFN("DCA_RXCTRL", IXGBE_DCA_RXCTRL_ALIAS, 16, 4, ixgbe_rxq_alias_read,
          ixgbe_rxq_alias_write),

    /* transmit queues */
    TXQ("TDBAL", IXGBE_TXQ_TDBAL, NICRIG_RW, 0xFFFFFF80),
    TXQ("TDBAH", IXGBE_TXQ_TDBAH, NICRIG_RW, ~0u),
    TXQ("TDLEN", IXGBE_TXQ_TDLEN, NICRIG_RW, 0x000FFF80),
    TXQ("DCA_TXCTRL", IXGBE_TXQ_DCA_TXCTRL, NICRIG_RW, ~0u),
    TXQ("TDH", IXGBE_TXQ_TDH, NICRIG_RW, 0xFFFF),
    ARRFN("TDT", IXGBE_TXQ_BANK + IXGBE_TXQ_TDT, 128, 0x40, NULL,
          ixgbe_tdt_write),
    ARRFN("TXDCTL", IXGBE_TXQ_BANK + IXGBE_TXQ_TXDCTL, 128, 0x40, NULL,
          ixgbe_txdctl_write),
    ARR("QPTC", IXGBE_TXQ_BANK + IXGBE_TXQ_QPTC, 16, 0x40, NICRIG_RC, 0),
    TXQ("TDWBAL", IXGBE_TXQ_TDWBAL, NICRIG_RW, ~0u),
    TXQ("TDWBAH", IXGBE_TXQ_TDWBAH, NICRIG_RW, ~0u),
    FN("DMATXCTL", IXGBE_DMATXCTL, NULL, ixgbe_dmatxctl_write),
    REG("MTQC", IXGBE_MTQC, NICRIG_RW, ~0u),

    /* receive control and filters */
    FN("RDRXCTL", IXGBE_RDRXCTL, ixgbe_rdrxctl_read, NULL),
    FN("RXCTRL", IXGBE_RXCTRL, NULL, ixgbe_rxctrl_write),
    REG("RXCSUM", IXGBE_RXCSUM, NICRIG_RW, ~0u),
    REG("RFCTL", IXGBE_RFCTL, NICRIG_RW, ~0u),
    REG("FCTRL", IXGBE_FCTRL, NICRIG_RW, ~0u),
    REG("VLNCTRL", IXGBE_VLNCTRL, NICRIG_RW, ~0u),
    REG("MCSTCTRL", IXGBE_MCSTCTRL, NICRIG_RW, ~0u),
    ARR("MTA", IXGBE_MTA0, 128, 4, NICRIG_RW, ~0u),
    ARR("RAL", IXGBE_RAL0, 128, 8, NICRIG_RW, ~0u),
    ARR("RAH", IXGBE_RAL0 + 4, 128, 8, NICRIG_RW, IXGBE_RAH_WMASK),
    ARRFN("RAL/RAH", IXGBE_RAL_ALIAS, 32, 4, ixgbe_rar_alias_read,
          ixgbe_rar_alias_write),
    ARR("VFTA", IXGBE_VFTA0, 128, 4, NICRIG_RW, ~0u),
    ARR("PSRTYPE", IXGBE_PSRTYPE0, 16, 4, NICRIG_RW, ~0u),
    REG("MRQC", IXGBE_MRQC, NICRIG_RW, ~0u),
    ARR("RETA", IXGBE_RETA0, 32, 4, NICRIG_RW, ~0u),
    ARR("RSSRK", IXGBE_RSSRK0, 10, 4, NICRIG_RW, ~0u),
    REG("SECRXCTRL", IXGBE_SECRXCTRL, NICRIG_RW, ~0u),
    FNRO("SECRXSTAT", IXGBE_SECRXSTAT, ixgbe_ready_read),
    REG("SECTXCTRL", IXGBE_SECTXCTRL, NICRIG_RW, ~0u),
    FNRO("SECTXSTAT", IXGBE_SECTXSTAT, ixgbe_ready_read),
    /* flow director: accepted and ignored, RSS alone picks the queue */
    FN("FDIRCTRL", IXGBE_FDIRCTRL, NULL, ixgbe_fdirctrl_write),
    FN("FDIRCMD", IXGBE_FDIRCMD, NULL, ixgbe_fdircmd_write),
    REG("FDIRHASH", IXGBE_FDIRHASH, NICRIG_RW, ~0u),
    REG("FDIRHKEY", IXGBE_FDIRHKEY, NICRIG_RW, ~0u),
    REG("FDIRSKEY", IXGBE_FDIRSKEY, NICRIG_RW, ~0u),
    /* stored only: ethertype filters, pools (no VMDq), RSC, wake-up */
    ARR("ETQF", IXGBE_ETQF0, 8, 4, NICRIG_RW, ~0u),
    ARR("ETQS", IXGBE_ETQS0, 8, 4, NICRIG_RW, ~0u),
    ARR("MPSAR", IXGBE_MPSAR0, 256, 4, NICRIG_RW, ~0u),
    ARR("VMOLR", IXGBE_VMOLR0, 64, 4, NICRIG_RW, ~0u),
    ARR("VLVF", IXGBE_VLVF0, 64, 4, NICRIG_RW, ~0u),
    ARR("VLVFB", IXGBE_VLVFB0, 128, 4, NICRIG_RW, ~0u),
    ARR("UTA", IXGBE_UTA0, 128, 4, NICRIG_RW, ~0u),
    REG("VT_CTL", IXGBE_VT_CTL, NICRIG_RW, ~0u),
    REG("PFDTXGSWC", IXGBE_PFDTXGSWC, NICRIG_RW, ~0u),
    REG("RSCDBU", IXGBE_RSCDBU, NICRIG_RW, ~0u),
    REG("WUC", IXGBE_WUC, NICRIG_RW, ~0u),
    REG("WUFC", IXGBE_WUFC, NICRIG_RW, ~0u),
    REG("WUS", IXGBE_WUS, NICRIG_W1C, ~0u),

    /* DCB transmit arbiter: stored, one traffic class */
    REG("RTTDCS", IXGBE_RTTDCS, NICRIG_RW, ~0u),
    REG("RTTDQSEL", IXGBE_RTTDQSEL, NICRIG_RW, ~0u),
    REG("RTTBCNRC", IXGBE_RTTBCNRC, NICRIG_RW, ~0u),
    ARR("TXPBTHRESH", IXGBE_TXPBTHRESH0, 8, 4, NICRIG_RW, ~0u),

    /* time sync: stored, the clock does not run (no PTP timestamps) */
    REG("RXMTRL", IXGBE_RXMTRL, NICRIG_RW, ~0u),
    REG("TSYNCRXCTL", IXGBE_TSYNCRXCTL, NICRIG_RW, ~0u),
    ARR("RXSATRL/RXSTMPH/RXSATRH", IXGBE_RXSATRL, 3, 4, NICRIG_RO, 0),
    REG("RXSTMPL", IXGBE_RXSTMPL, NICRIG_RO, 0),
    REG("TSYNCTXCTL", IXGBE_TSYNCTXCTL, NICRIG_RW, ~0u),
    ARR("TXSTMPL/H", IXGBE_TXSTMPL, 2, 4, NICRIG_RO, 0),
    ARR("SYSTIML/H, TIMINCA, TIMADJL/H, TSAUXC", IXGBE_SYSTIML, 6, 4,
        NICRIG_RW, ~0u),

    /* manageability and firmware: none */
    REG("MMNGC", IXGBE_MMNGC, NICRIG_RO, 0),
    REG("HICR", IXGBE_HICR, NICRIG_RO, 0),
    REG("FWSTS", IXGBE_FWSTS, NICRIG_RW, ~0u),

    /* packet buffers and flow control: stored, no flow control */
    REG("PFCTOP", IXGBE_PFCTOP, NICRIG_RW, ~0u),
    ARR("FCTTV", IXGBE_FCTTV0, 4, 4, NICRIG_RW, ~0u),
    ARR("FCRTL", IXGBE_FCRTL0, 8, 4, NICRIG_RW, IXGBE_FCRT_WMASK),
    ARR("FCRTH", IXGBE_FCRTH0, 8, 4, NICRIG_RW, IXGBE_FCRT_WMASK),
    REG("FCRTV", IXGBE_FCRTV, NICRIG_RW, ~0u),
    ARR("RXPBSIZE", IXGBE_RXPBSIZE0, 8, 4, NICRIG_RW, ~0u),
    ARR("TXPBSIZE", IXGBE_TXPBSIZE0, 8, 4, NICRIG_RW, ~0u),
    REG("FCCFG", IXGBE_FCCFG, NICRIG_RW, ~0u),
    REG("MFLCN", IXGBE_MFLCN, NICRIG_RW, ~0u),

    /* MAC and link */
    REG("PCS1GLCTL", IXGBE_PCS1GLCTL, NICRIG_RW, ~0u),
    REG("PCS1GANA", IXGBE_PCS1GANA, NICRIG_RW, ~0u),
    REG("PCS1GLSTA", IXGBE_PCS1GLSTA, NICRIG_RO, 0),
    REG("LINKS2", IXGBE_LINKS2, NICRIG_RO, 0),
    REG("HLREG0", IXGBE_HLREG0, NICRIG_RW, ~0u),
    REG("HLREG1", IXGBE_HLREG1, NICRIG_RO, 0),
    FN("MSCA", IXGBE_MSCA, NULL, ixgbe_msca_write),
    REG("MSRWD", IXGBE_MSRWD, NICRIG_RW, ~0u),
    REG("MAXFRS", IXGBE_MAXFRS, NICRIG_RW, ~0u),
    FN("AUTOC", IXGBE_AUTOC, NULL, ixgbe_autoc_write),
    FNRO("LINKS", IXGBE_LINKS, ixgbe_links_read),
    REG("AUTOC2", IXGBE_AUTOC2, NICRIG_RW, ~0u),
    REG("AUTOC3", IXGBE_AUTOC3, NICRIG_RW, ~0u),
    REG("ANLP1", IXGBE_ANLP1, NICRIG_RO, 0),
    REG("ANLP2", IXGBE_ANLP2, NICRIG_RO, 0),

    /*
     * Statistics.  The model counts CRCERRS, RLEC, PRC*, GPRC, BPRC,
     * MPRC, GPTC, GORC, GOTC, RUC, RFC, ROC, TOR, TPR, TPT, PTC*, MPTC,
     * BPTC and XEC in the MAC block, and MPC, RNBC, QPRC, QPRDC, QBRC,
     * QPTC, QBTC; every other counter reads 0.
     */
    ARR("MAC statistics", IXGBE_STATS_LO,
        (IXGBE_STATS_HI - IXGBE_STATS_LO) / 4 + 1, 4, NICRIG_RC, 0),
    ARR("PXONTXC", IXGBE_PXONTXC0, 8, 4, NICRIG_RC, 0),
    ARR("PXON2OFFCNT", IXGBE_PXON2OFFCNT0, 8, 4, NICRIG_RC, 0),
    ARR("PXOFFTXC", IXGBE_PXOFFTXC0, 8, 4, NICRIG_RC, 0),
    REG("LXONTXC", IXGBE_LXONTXC, NICRIG_RC, 0),
    REG("LXOFFTXC", IXGBE_LXOFFTXC, NICRIG_RC, 0),
    ARR("MPC", IXGBE_MPC0, 8, 4, NICRIG_RC, 0),
    ARR("RNBC", IXGBE_RNBC0, 8, 4, NICRIG_RC, 0),
    ARR("PXONRXC", IXGBE_PXONRXC0, 8, 4, NICRIG_RC, 0),
    ARR("PXOFFRXC", IXGBE_PXOFFRXC0, 8, 4, NICRIG_RC, 0),
    REG("LXONRXC", IXGBE_LXONRXC, NICRIG_RC, 0),
    REG("LXOFFRXC", IXGBE_LXOFFRXC, NICRIG_RC, 0),
    REG("MNGPTC", IXGBE_MNGPTC, NICRIG_RC, 0),
    ARR("RXDGPC/RXDGBC", IXGBE_RXDGPC, 3, 4, NICRIG_RC, 0),
    ARR("TXDGPC/TXDGBC", IXGBE_TXDGPC, 3, 4, NICRIG_RC, 0),
    REG("SSVPC", IXGBE_SSVPC, NICRIG_RC, 0),
    ARR("QBTC", IXGBE_QBTC_L0, 32, 4, NICRIG_RC, 0),
    REG("FCCRC", IXGBE_FCCRC, NICRIG_RC, 0),
    REG("FDIRLEN", IXGBE_FDIRLEN, NICRIG_RC, 0),
    ARR("FDIRUSTAT/FSTAT/MATCH/MISS", IXGBE_FDIRUSTAT, 4, 4, NICRIG_RC, 0),
};

#undef REG
#undef ARR
#undef FN
#undef FNRO
#undef ARRFN
#undef RXQ
#undef RXQFN
#undef TXQ

/* register index -> 1 + its ixgbe_regs[] entry, 0 if none */
static uint16_t ixgbe_reg_map[IXGBE_MAC_SIZE];

void ixgbe_core_class_init(void)
{
    nicrig_reg_map_build(ixgbe_reg_map, IXGBE_MAC_SIZE, ixgbe_regs,
                         ARRAY_SIZE(ixgbe_regs), sizeof(ixgbe_regs[0]));
}

static const IXGBERegInfo *ixgbe_reg_info(hwaddr addr)
{
    return nicrig_reg_lookup(ixgbe_reg_map, IXGBE_MAC_SIZE, addr >> 2,
                             ixgbe_regs, sizeof(ixgbe_regs[0]));
}

uint64_t ixgbe_core_read(IXGBECore *core, hwaddr addr, unsigned size)
{
    const IXGBERegInfo *ri = ixgbe_reg_info(addr);
    int index = addr >> 2;
    uint32_t val;

    if (!ri) {
        nicrig_reg_unknown("ixgbe", addr, false, 0);
        trace_ixgbe_mmio_read_unknown(addr);
        return 0;
    }
    val = ri->read ? ri->read(core, index)
                   : nicrig_reg_load(&ri->d, &core->mac[index]);
    trace_ixgbe_mmio_read(addr, ri->d.name, val);
    return val;
}

void ixgbe_core_write(IXGBECore *core, hwaddr addr, uint64_t val,
                      unsigned size)
{
    const IXGBERegInfo *ri = ixgbe_reg_info(addr);
    int index = addr >> 2;

    if (!ri) {
        nicrig_reg_unknown("ixgbe", addr, true, val);
        trace_ixgbe_mmio_write_unknown(addr, val);
        return;
    }
    trace_ixgbe_mmio_write(addr, ri->d.name, val);
    if (ri->write) {
        ri->write(core, index, val);
    } else if (!nicrig_reg_store(&ri->d, &core->mac[index], val)) {
        trace_ixgbe_mmio_write_ro(addr, val);
    }
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */
/* ------------------------------------------------------------------ */

void ixgbe_core_realize(IXGBECore *core, PCIDevice *owner, NICState *nic,
                        const uint8_t *macaddr)
{
    int q;

    core->owner = owner;
    core->owner_nic = nic;
    memcpy(core->permanent_mac, macaddr, ETH_ALEN);
    ixgbe_eeprom_init(core, macaddr);
    for (q = 0; q < IXGBE_NUM_QUEUES; q++) {
        net_tx_pkt_init(&core->txq[q].pkt, IXGBE_MAX_TX_FRAGS);
    }
    net_rx_pkt_init(&core->rx_pkt);
    for (q = 0; q < IXGBE_MSIX_VECTORS; q++) {
        IXGBEEitrTimer *t = g_new(IXGBEEitrTimer, 1);

        t->core = core;
        t->vector = q;
        core->eitr_timer[q] = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                           ixgbe_eitr_expired, t);
    }
    ixgbe_reset(core, false);
}

void ixgbe_core_unrealize(IXGBECore *core)
{
    int q;

    for (q = 0; q < IXGBE_NUM_QUEUES; q++) {
        net_tx_pkt_reset(core->txq[q].pkt, net_tx_pkt_unmap_frag_pci,
                         core->owner);
        net_tx_pkt_uninit(core->txq[q].pkt);
        core->txq[q].pkt = NULL;
    }
    net_rx_pkt_uninit(core->rx_pkt);
    core->rx_pkt = NULL;
    for (q = 0; q < IXGBE_MSIX_VECTORS; q++) {
        g_free(core->eitr_timer[q]->opaque);
        timer_free(core->eitr_timer[q]);
        core->eitr_timer[q] = NULL;
    }
}

void ixgbe_core_reset(IXGBECore *core)
{
    ixgbe_reset(core, false);
}

int ixgbe_core_post_load(IXGBECore *core)
{
    /* A packet half-way through its descriptors is restarted. */
    int q;

    for (q = 0; q < IXGBE_NUM_QUEUES; q++) {
        core->txq[q].first = true;
        core->txq[q].skip = false;
    }
    /* Moderation intervals restart from scratch; send what is pending. */
    core->eitr_busy = 0;
    ixgbe_deliver_interrupts(core, false);
    return 0;
}
