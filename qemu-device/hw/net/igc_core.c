/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Intel I225 2.5 GbE controller emulation: the hardware core, first step.
 *
 * Modelled: what the Linux 7.3 igc driver needs to probe and bring the link
 * up -- EECD with flash detected, NVM through EERD/SRWR with the 0xBABA
 * checksum, the MAC loaded into RA[0] on every reset, SWSM/SW_FW_SYNC,
 * CTRL.RST and PHY reset (PHPM), the GPY PHY at MDIC address 0 with its
 * MMD device 7, STATUS at 2.5 Gb/s full duplex, and the LSC interrupt
 * through IVAR_MISC to an MSI-X vector (or MSI/INTx).  Not modelled yet:
 * RX/TX queues, RSS, offloads, PTP; see qemu-device/README.md.
 *
 * Copyright (c) 2026 nicrig developers
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "net/net.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"

#include "igc_core.h"
#include "trace.h"

/* Register offsets (byte addresses in BAR0) */
#define IGC_CTRL        0x00000
#define IGC_STATUS      0x00008
#define IGC_EECD        0x00010
#define IGC_CTRL_EXT    0x00018
#define IGC_MDIC        0x00020
#define IGC_PHPM        0x00E14
#define IGC_ICR         0x01500
#define IGC_ICS         0x01504
#define IGC_IMS         0x01508
#define IGC_IMC         0x0150C
#define IGC_IAM         0x01510
#define IGC_GPIE        0x01514
#define IGC_EICS        0x01520
#define IGC_EIMS        0x01524
#define IGC_EIMC        0x01528
#define IGC_EIAC        0x0152C
#define IGC_EIAM        0x01530
#define IGC_EICR        0x01580
#define IGC_IVAR_MISC   0x01740
#define IGC_RAL0        0x05400
#define IGC_RAH0        0x05404
#define IGC_MANC        0x05820
#define IGC_SWSM        0x05B50
#define IGC_SW_FW_SYNC  0x05B5C
#define IGC_EERD        0x12014
#define IGC_SRWR        0x12018

#define R(off)          ((off) >> 2)

#define CTRL_GIO_MASTER_DISABLE BIT(2)
#define CTRL_RST                BIT(26)
#define CTRL_PHY_RST            BIT(31)

#define STATUS_FD               BIT(0)
#define STATUS_LU               BIT(1)
#define STATUS_SPEED_1000       BIT(7)
#define STATUS_GIO_MASTER_EN    BIT(19)
#define STATUS_SPEED_2500       BIT(22)

#define EECD_AUTO_RD            BIT(9)
#define EECD_SIZE_EX_SHIFT      11
#define EECD_FLASH_DETECTED     BIT(19)
#define EECD_FLUDONE            BIT(26)

#define PHPM_RST_COMPL          BIT(8)

#define EERD_START              BIT(0)
#define EERD_DONE               BIT(1)
#define EERD_ADDR_SHIFT         2
#define EERD_DATA_SHIFT         16

#define MDIC_DATA_MASK          0xFFFF
#define MDIC_REG_SHIFT          16
#define MDIC_PHY_SHIFT          21
#define MDIC_OP_WRITE           BIT(26)
#define MDIC_OP_READ            BIT(27)
#define MDIC_READY              BIT(28)
#define MDIC_ERROR              BIT(30)

#define SWSM_SMBI               BIT(0)

#define ICR_LSC                 BIT(2)
#define GPIE_MSIX_MODE          BIT(4)
#define GPIE_EIAME              BIT(30)
#define IVAR_VALID              0x80

#define NVM_CHECKSUM_WORD       0x3F
#define NVM_SUM                 0xBABA

/* PHY registers (clause 22) and the MMD window */
#define PHY_BMCR                0
#define PHY_BMSR                1
#define PHY_ID1                 2
#define PHY_ID2                 3
#define PHY_ANAR                4
#define PHY_ANLPAR              5
#define PHY_1000T_CTRL          9
#define PHY_1000T_STATUS        10
#define PHY_MMD_CTRL            13
#define PHY_MMD_DATA            14

#define BMCR_ANRESTART          BIT(9)
#define BMCR_RESET              BIT(15)
#define BMSR_LINK               BIT(2)
#define BMSR_ANEG_COMPLETE      BIT(5)
#define MMD_DEV_AN              7
#define MMD_FUNC_DATA           0x4000

static void igc_update_interrupts(IGCCore *core);

static uint32_t igc_reg_read_plain(IGCCore *core, int index)
{
    return core->mac[index];
}

static void igc_reg_write_plain(IGCCore *core, int index, uint32_t val)
{
    core->mac[index] = val;
}

static uint32_t igc_reg_read_clear(IGCCore *core, int index)
{
    uint32_t val = core->mac[index];

    core->mac[index] = 0;
    igc_update_interrupts(core);
    return val;
}

/* ---- link and PHY ---- */

static bool igc_link_up(IGCCore *core)
{
    return !qemu_get_queue(core->owner_nic)->link_down &&
           !(core->phy[PHY_BMCR] & BIT(11));  /* power-down */
}

static void igc_update_link(IGCCore *core, bool notify)
{
    bool up = igc_link_up(core);
    uint32_t old = core->mac[R(IGC_STATUS)];
    uint32_t st = old & ~(STATUS_LU | STATUS_SPEED_1000 | STATUS_SPEED_2500);

    if (up) {
        st |= STATUS_LU | STATUS_FD | STATUS_SPEED_1000 | STATUS_SPEED_2500;
        core->phy[PHY_BMSR] |= BMSR_LINK | BMSR_ANEG_COMPLETE;
    } else {
        core->phy[PHY_BMSR] &= ~(BMSR_LINK | BMSR_ANEG_COMPLETE);
    }
    core->mac[R(IGC_STATUS)] = st;
    trace_igc_link_status(up);
    if (notify && (old ^ st) & STATUS_LU) {
        core->mac[R(IGC_ICR)] |= ICR_LSC;
        igc_update_interrupts(core);
    }
}

static void igc_phy_reset(IGCCore *core)
{
    memset(core->phy, 0, sizeof(core->phy));
    memset(core->mmd_an, 0, sizeof(core->mmd_an));
    core->mmd_ctrl = core->mmd_addr = 0;
    core->phy[PHY_BMCR] = 0x1140;          /* AN enable, 1000 FD */
    core->phy[PHY_BMSR] = 0x7949;          /* 10/100 caps, ext status, AN */
    core->phy[PHY_ID1] = 0x67C9;           /* GPY211 as fitted on I225 */
    core->phy[PHY_ID2] = 0xDC00;
    core->phy[PHY_ANAR] = 0x0DE1;
    core->phy[PHY_ANLPAR] = 0xCDE1;        /* partner: all speeds, pause */
    core->phy[PHY_1000T_CTRL] = 0x0200;
    core->phy[PHY_1000T_STATUS] = 0x3C00;  /* local+remote RX OK, LP 1000 */
    core->mmd_an[0x20] = BIT(7);           /* advertise 2.5G */
    core->mmd_an[0x21] = BIT(5);           /* partner 2.5G capable */
}

static uint16_t *igc_mmd_reg(IGCCore *core)
{
    if ((core->mmd_ctrl & 0x1F) != MMD_DEV_AN ||
        core->mmd_addr >= IGC_MMD_REGS) {
        return NULL;
    }
    return &core->mmd_an[core->mmd_addr];
}

static uint16_t igc_phy_read(IGCCore *core, unsigned reg)
{
    uint16_t *r;

    switch (reg) {
    case PHY_MMD_CTRL:
        return core->mmd_ctrl;
    case PHY_MMD_DATA:
        if (!(core->mmd_ctrl & MMD_FUNC_DATA)) {
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
    case PHY_BMCR:
        if (val & BMCR_RESET) {
            igc_phy_reset(core);
            igc_update_link(core, true);
            return;
        }
        core->phy[PHY_BMCR] = val & ~BMCR_ANRESTART;
        igc_update_link(core, true);
        return;
    case PHY_BMSR:
    case PHY_ID1:
    case PHY_ID2:
    case PHY_ANLPAR:
    case PHY_1000T_STATUS:
        return;                            /* read-only */
    case PHY_MMD_CTRL:
        core->mmd_ctrl = val;
        return;
    case PHY_MMD_DATA:
        if (!(core->mmd_ctrl & MMD_FUNC_DATA)) {
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
    unsigned phy = (val >> MDIC_PHY_SHIFT) & 0x1F;
    unsigned reg = (val >> MDIC_REG_SHIFT) & 0x1F;

    trace_igc_mdic(val);
    val &= ~(MDIC_READY | MDIC_ERROR);
    if (phy != 0) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: MDIC access to PHY address %u (only 0 exists)\n",
                      phy);
        val |= MDIC_ERROR;
    } else if (val & MDIC_OP_READ) {
        val = (val & ~MDIC_DATA_MASK) | igc_phy_read(core, reg);
    } else if (val & MDIC_OP_WRITE) {
        igc_phy_write(core, reg, val & MDIC_DATA_MASK);
    } else {
        qemu_log_mask(LOG_GUEST_ERROR, "igc: MDIC 0x%08x has no opcode\n",
                      val);
        val |= MDIC_ERROR;
    }
    core->mac[index] = val | MDIC_READY;
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
    for (i = 0; i < NVM_CHECKSUM_WORD; i++) {
        sum += core->nvm[i];
    }
    core->nvm[NVM_CHECKSUM_WORD] = NVM_SUM - sum;
}

static void igc_write_eerd(IGCCore *core, int index, uint32_t val)
{
    uint32_t addr = (val >> EERD_ADDR_SHIFT) & 0x3FFF;
    uint16_t data = 0;

    if (!(val & EERD_START)) {
        core->mac[index] = val & ~EERD_DONE;
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
    core->mac[index] = (val & 0xFFFC) | EERD_DONE |
                       ((uint32_t)data << EERD_DATA_SHIFT);
}

static void igc_write_srwr(IGCCore *core, int index, uint32_t val)
{
    uint32_t addr = (val >> EERD_ADDR_SHIFT) & 0x3FFF;

    if (val & EERD_START) {
        if (addr < IGC_NVM_WORDS) {
            core->nvm[addr] = val >> EERD_DATA_SHIFT;
            trace_igc_nvm_write(addr, val >> EERD_DATA_SHIFT);
        } else {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "igc: SRWR write of NVM word 0x%x beyond %u words\n",
                          addr, IGC_NVM_WORDS);
        }
    }
    core->mac[index] = (val & 0xFFFC) | EERD_DONE;
}

/* ---- interrupts ---- */

static void igc_msix_fire(IGCCore *core)
{
    uint32_t pending = core->mac[R(IGC_EICR)] & core->mac[R(IGC_EIMS)];
    int v;

    for (v = 0; v < IGC_MSIX_VECTORS; v++) {
        if (!(pending & BIT(v))) {
            continue;
        }
        if (core->mac[R(IGC_EIAC)] & BIT(v)) {
            core->mac[R(IGC_EICR)] &= ~BIT(v);
        }
        if ((core->mac[R(IGC_GPIE)] & GPIE_EIAME) &&
            (core->mac[R(IGC_EIAM)] & BIT(v))) {
            core->mac[R(IGC_EIMS)] &= ~BIT(v);
        }
        trace_igc_irq_msix(v);
        msix_notify(core->owner, v);
    }
}

static void igc_update_interrupts(IGCCore *core)
{
    uint32_t misc = core->mac[R(IGC_ICR)] & core->mac[R(IGC_IMS)];

    if (msix_enabled(core->owner) &&
        (core->mac[R(IGC_GPIE)] & GPIE_MSIX_MODE)) {
        uint32_t ivar = (core->mac[R(IGC_IVAR_MISC)] >> 8) & 0xFF;

        if (misc && (ivar & IVAR_VALID)) {
            unsigned v = ivar & 0x1F;

            if (v < IGC_MSIX_VECTORS) {
                core->mac[R(IGC_EICR)] |= BIT(v);
            } else {
                qemu_log_mask(LOG_GUEST_ERROR,
                              "igc: IVAR_MISC names vector %u of %u\n",
                              v, IGC_MSIX_VECTORS);
            }
        }
        igc_msix_fire(core);
        return;
    }
    if (msi_enabled(core->owner)) {
        if (misc) {
            trace_igc_irq_msi();
            msi_notify(core->owner, 0);
        }
        return;
    }
    trace_igc_irq_intx(misc != 0);
    pci_set_irq(core->owner, misc != 0);
}

static void igc_write_ics(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_ICR)] |= val;
    igc_update_interrupts(core);
}

static void igc_write_icr(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_ICR)] &= ~val;
    igc_update_interrupts(core);
}

static void igc_write_ims(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_IMS)] |= val;
    igc_update_interrupts(core);
}

static void igc_write_imc(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_IMS)] &= ~val;
    igc_update_interrupts(core);
}

static void igc_write_eics(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_EICR)] |= val & (BIT(IGC_MSIX_VECTORS) - 1);
    igc_update_interrupts(core);
}

static void igc_write_eicr(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_EICR)] &= ~val;
}

static void igc_write_eims(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_EIMS)] |= val & (BIT(IGC_MSIX_VECTORS) - 1);
    igc_update_interrupts(core);
}

static void igc_write_eimc(IGCCore *core, int index, uint32_t val)
{
    core->mac[R(IGC_EIMS)] &= ~val;
}

/* ---- control, semaphores ---- */

static void igc_write_ctrl(IGCCore *core, int index, uint32_t val)
{
    if (val & CTRL_RST) {
        trace_igc_core_reset(true);
        igc_core_reset(core);
        igc_update_interrupts(core);    /* drop a level INTx */
        return;
    }
    if (val & CTRL_PHY_RST) {
        igc_phy_reset(core);
    }
    core->mac[index] = val & ~CTRL_PHY_RST;
    /* GIO master disable completes at once: no DMA is ever in flight */
    if (val & CTRL_GIO_MASTER_DISABLE) {
        core->mac[R(IGC_STATUS)] &= ~STATUS_GIO_MASTER_EN;
    } else {
        core->mac[R(IGC_STATUS)] |= STATUS_GIO_MASTER_EN;
    }
    igc_update_link(core, true);
}

static uint32_t igc_read_swsm(IGCCore *core, int index)
{
    uint32_t val = core->mac[index];

    core->mac[index] |= SWSM_SMBI;      /* read-to-set */
    return val;
}

static void igc_write_ro(IGCCore *core, int index, uint32_t val)
{
    trace_igc_mmio_write_ro((uint64_t)index << 2, val);
}

static void igc_write_rah0(IGCCore *core, int index, uint32_t val)
{
    core->mac[index] = val & 0x900FFFFF;
}

/* ---- register tables ---- */

typedef uint32_t (*igc_reader)(IGCCore *core, int index);
typedef void (*igc_writer)(IGCCore *core, int index, uint32_t val);

static const igc_reader igc_readers[IGC_MAC_SIZE] = {
    [R(IGC_CTRL)]               = igc_reg_read_plain,
    [R(IGC_STATUS)]             = igc_reg_read_plain,
    [R(IGC_EECD)]               = igc_reg_read_plain,
    [R(IGC_CTRL_EXT)]           = igc_reg_read_plain,
    [R(IGC_MDIC)]               = igc_reg_read_plain,
    [R(IGC_PHPM)]               = igc_reg_read_plain,
    [R(IGC_ICR)]                = igc_reg_read_clear,
    [R(IGC_IMS)]                = igc_reg_read_plain,
    [R(IGC_IAM)]                = igc_reg_read_plain,
    [R(IGC_GPIE)]               = igc_reg_read_plain,
    [R(IGC_EIMS)]               = igc_reg_read_plain,
    [R(IGC_EIAC)]               = igc_reg_read_plain,
    [R(IGC_EIAM)]               = igc_reg_read_plain,
    [R(IGC_EICR)]               = igc_reg_read_clear,
    [R(IGC_IVAR_MISC)]          = igc_reg_read_plain,
    [R(IGC_RAL0)]               = igc_reg_read_plain,
    [R(IGC_RAH0)]               = igc_reg_read_plain,
    [R(IGC_MANC)]               = igc_reg_read_plain,
    [R(IGC_SWSM)]               = igc_read_swsm,
    [R(IGC_SW_FW_SYNC)]         = igc_reg_read_plain,
    [R(IGC_EERD)]               = igc_reg_read_plain,
    [R(IGC_SRWR)]               = igc_reg_read_plain,
};

static const igc_writer igc_writers[IGC_MAC_SIZE] = {
    [R(IGC_CTRL)]               = igc_write_ctrl,
    [R(IGC_STATUS)]             = igc_write_ro,
    [R(IGC_EECD)]               = igc_write_ro,
    [R(IGC_CTRL_EXT)]           = igc_reg_write_plain,
    [R(IGC_MDIC)]               = igc_write_mdic,
    [R(IGC_PHPM)]               = igc_write_ro,
    [R(IGC_ICR)]                = igc_write_icr,
    [R(IGC_ICS)]                = igc_write_ics,
    [R(IGC_IMS)]                = igc_write_ims,
    [R(IGC_IMC)]                = igc_write_imc,
    [R(IGC_IAM)]                = igc_reg_write_plain,
    [R(IGC_GPIE)]               = igc_reg_write_plain,
    [R(IGC_EICS)]               = igc_write_eics,
    [R(IGC_EIMS)]               = igc_write_eims,
    [R(IGC_EIMC)]               = igc_write_eimc,
    [R(IGC_EIAC)]               = igc_reg_write_plain,
    [R(IGC_EIAM)]               = igc_reg_write_plain,
    [R(IGC_EICR)]               = igc_write_eicr,
    [R(IGC_IVAR_MISC)]          = igc_reg_write_plain,
    [R(IGC_RAL0)]               = igc_reg_write_plain,
    [R(IGC_RAH0)]               = igc_write_rah0,
    [R(IGC_MANC)]               = igc_reg_write_plain,
    [R(IGC_SWSM)]               = igc_reg_write_plain,
    [R(IGC_SW_FW_SYNC)]         = igc_reg_write_plain,
    [R(IGC_EERD)]               = igc_write_eerd,
    [R(IGC_SRWR)]               = igc_write_srwr,
};

uint64_t igc_core_read(IGCCore *core, hwaddr addr, unsigned size)
{
    int index = addr >> 2;
    uint32_t val;

    if (addr >= IGC_MMIO_SIZE || !igc_readers[index]) {
        trace_igc_mmio_read_unknown(addr);
        return 0;
    }
    val = igc_readers[index](core, index);
    trace_igc_mmio_read(addr, val);
    return val;
}

void igc_core_write(IGCCore *core, hwaddr addr, uint64_t val, unsigned size)
{
    int index = addr >> 2;

    if (addr >= IGC_MMIO_SIZE || !igc_writers[index]) {
        trace_igc_mmio_write_unknown(addr, val);
        return;
    }
    trace_igc_mmio_write(addr, val);
    igc_writers[index](core, index, val);
}

/* ---- reset and link ---- */

void igc_core_reset(IGCCore *core)
{
    const uint8_t *m = core->permanent_mac;

    memset(core->mac, 0, sizeof(core->mac));
    core->mac[R(IGC_EECD)] = EECD_AUTO_RD | EECD_FLASH_DETECTED |
                             EECD_FLUDONE | (4 << EECD_SIZE_EX_SHIFT);
    core->mac[R(IGC_PHPM)] = PHPM_RST_COMPL;
    core->mac[R(IGC_STATUS)] = STATUS_GIO_MASTER_EN;
    core->mac[R(IGC_MDIC)] = MDIC_READY;
    /* the NVM's MAC words land in RA[0] with Address Valid */
    core->mac[R(IGC_RAL0)] = m[0] | m[1] << 8 | m[2] << 16 |
                             (uint32_t)m[3] << 24;
    core->mac[R(IGC_RAH0)] = m[4] | m[5] << 8 | BIT(31);
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
    core->owner = owner;
    core->owner_nic = nic;
    memcpy(core->permanent_mac, macaddr, ETH_ALEN);
    igc_nvm_init(core, macaddr);
    igc_core_reset(core);
}
