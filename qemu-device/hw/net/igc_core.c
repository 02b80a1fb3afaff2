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
 * - MSI-X through IVAR0/IVAR_MISC with EIAC/EIAM, EICS; MSI and INTx;
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
#include "net_tx_pkt.h"
#include "net_rx_pkt.h"
#include "trace.h"

/* Register offsets (byte addresses in BAR0) */
#define IGC_CTRL        0x00000
#define IGC_STATUS      0x00008
#define IGC_EECD        0x00010
#define IGC_CTRL_EXT    0x00018
#define IGC_MDIC        0x00020
#define IGC_FCAL        0x00028
#define IGC_FCAH        0x0002C
#define IGC_FCT         0x00030
#define IGC_CONNSW      0x00034
#define IGC_VET         0x00038
#define IGC_TSSDP       0x0003C
#define IGC_RCTL        0x00100
#define IGC_LTRC        0x001A0
#define IGC_FCTTV       0x00170
#define IGC_TCTL        0x00400
#define IGC_TIPG        0x00410
#define IGC_LEDCTL      0x00E00
#define IGC_EEER        0x00E30
#define IGC_EEE_SU      0x00E34
#define IGC_IPCNFG      0x00E38
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
#define IGC_EITR0       0x01680
#define IGC_IVAR0       0x01700
#define IGC_IVAR_MISC   0x01740
#define IGC_FCRTL       0x02160
#define IGC_FCRTH       0x02168
#define IGC_RXPBS       0x02404
#define IGC_FCRTV       0x02460
#define IGC_GTXOFFSET   0x03310
#define IGC_BASET_L     0x03314
#define IGC_BASET_H     0x03318
#define IGC_QBVCYCLET   0x0331C
#define IGC_QBVCYCLET_S 0x03320
#define IGC_STQT0       0x03324
#define IGC_ENDQT0      0x03334
#define IGC_TXQCTL0     0x03344
#define IGC_TXARB       0x03354
#define IGC_TXPBS       0x03404
#define IGC_DTXMXPKTSZ  0x0355C
#define IGC_TQAVCTRL    0x03570
#define IGC_STATS_FIRST 0x04000     /* CRCERRS .. LENERRS: read-to-clear */
#define IGC_STATS_LAST  0x04150
#define IGC_CRCERRS     0x04000
#define IGC_MPC         0x04010
#define IGC_RLEC        0x04040
#define IGC_PRC64       0x0405C
#define IGC_GPRC        0x04074
#define IGC_BPRC        0x04078
#define IGC_MPRC        0x0407C
#define IGC_GPTC        0x04080
#define IGC_GORCL       0x04088
#define IGC_GORCH       0x0408C
#define IGC_GOTCL       0x04090
#define IGC_GOTCH       0x04094
#define IGC_RNBC        0x040A0
#define IGC_RUC         0x040A4
#define IGC_ROC         0x040AC
#define IGC_TORL        0x040C0
#define IGC_TORH        0x040C4
#define IGC_TOTL        0x040C8
#define IGC_TOTH        0x040CC
#define IGC_TPR         0x040D0
#define IGC_TPT         0x040D4
#define IGC_PTC64       0x040D8
#define IGC_MPTC        0x040F0
#define IGC_BPTC        0x040F4
#define IGC_TSCTC       0x040F8
#define IGC_PRMPTDRCNT  0x04284
#define IGC_PRMEVNTTCNT 0x04298
#define IGC_PRMEVNTRCNT 0x0429C
#define IGC_PRMEXCPRCNT 0x042A0
#define IGC_RXCSUM      0x05000
#define IGC_RLPML       0x05004
#define IGC_RFCTL       0x05008
#define IGC_MTA         0x05200
#define IGC_RAL0        0x05400
#define IGC_RAH0        0x05404
#define IGC_PSRTYPE0    0x05480
#define IGC_VLANPQF     0x055B0
#define IGC_VFTA        0x05600
#define IGC_WUC         0x05800
#define IGC_FHFTSL      0x05804
#define IGC_WUFC        0x05808
#define IGC_WUFC_EXT    0x0580C
#define IGC_WUS         0x05810
#define IGC_MRQC        0x05818
#define IGC_MANC        0x05820
#define IGC_WUPL        0x05900
#define IGC_FTQF0       0x059E0
#define IGC_WUPM        0x05A00
#define IGC_IMIR0       0x05A80
#define IGC_IMIREXT0    0x05AA0
#define IGC_FACTPS      0x05B30
#define IGC_SWSM        0x05B50
#define IGC_FWSM        0x05B54
#define IGC_SW_FW_SYNC  0x05B5C
#define IGC_LTRMINV     0x05BB0
#define IGC_LTRMAXV     0x05BB4
#define IGC_RETA        0x05C00
#define IGC_RSSRK       0x05C80
#define IGC_ETQF0       0x05CB0
#define IGC_TSYNCRXCFG  0x05F50
#define IGC_FHFT        0x09000
#define IGC_FHFT_EXT    0x09A00
#define IGC_UTA         0x0A000
#define IGC_SYSTIML     0x0B600
#define IGC_SYSTIMH     0x0B604
#define IGC_TIMINCA     0x0B608
#define IGC_TIMADJ      0x0B60C
#define IGC_TSYNCTXCTL  0x0B614
#define IGC_TXSTMPL0    0x0B618
#define IGC_TXSTMPH0    0x0B61C
#define IGC_TSYNCRXCTL  0x0B620
#define IGC_TSAUXC      0x0B640
#define IGC_TRGTTIML0   0x0B644
#define IGC_TSICR       0x0B66C
#define IGC_TSIM        0x0B674
#define IGC_SYSTIMR_1   0x0B684
#define IGC_SYSTIML_1   0x0B688
#define IGC_SYSTIMH_1   0x0B68C
#define IGC_TIMINCA_1   0x0B690
#define IGC_TXSTMPL1    0x0B698
#define IGC_TXSTMPH1    0x0B69C
#define IGC_TXSTMPL2    0x0B6B8
#define IGC_TXSTMPH2    0x0B6BC
#define IGC_TXSTMPL3    0x0B6D8
#define IGC_TXSTMPH3    0x0B6DC
#define IGC_SYSTIMR     0x0B6F8
#define IGC_RXQ0        0x0C000     /* + 0x40 per queue */
#define IGC_TXQ0        0x0E000
#define IGC_Q_STRIDE    0x40
#define IGC_EERD        0x12014
#define IGC_SRWR        0x12018
#define IGC_PTM_CTRL    0x12540
#define IGC_PTM_TDELAY  0x12594

/* Queue register offsets within a queue's 0x40 bytes */
#define Q_BAL           0x00
#define Q_BAH           0x04
#define Q_LEN           0x08
#define Q_SRRCTL        0x0C        /* RX only */
#define Q_HEAD          0x10
#define Q_TAIL          0x18
#define Q_DCTL          0x28
#define Q_RQDPC         0x30        /* RX only: drops for want of a descriptor */

#define R(off)          ((off) >> 2)

#define CTRL_GIO_MASTER_DISABLE BIT(2)
#define CTRL_RST                BIT(26)
#define CTRL_VME                BIT(30)
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

#define ICR_TXDW                BIT(0)
#define ICR_LSC                 BIT(2)
#define ICR_RXT0                BIT(7)
#define ICR_TS                  BIT(19)
#define GPIE_MSIX_MODE          BIT(4)
#define GPIE_EIAME              BIT(30)
#define IVAR_VALID              0x80
#define IVAR_VECTOR_MASK        0x1F

#define RCTL_EN                 BIT(1)
#define RCTL_UPE                BIT(3)
#define RCTL_MPE                BIT(4)
#define RCTL_LPE                BIT(5)
#define RCTL_MO_SHIFT           12
#define RCTL_BAM                BIT(15)
#define RCTL_VFE                BIT(18)
#define RCTL_SECRC              BIT(26)
#define TCTL_EN                 BIT(1)

#define DCTL_ENABLE             BIT(25)
#define DCTL_SWFLUSH            BIT(26)

#define SRRCTL_BSIZEPKT_MASK    0x7F        /* 1 KiB units */
#define SRRCTL_DESCTYPE_SHIFT   25
#define SRRCTL_DESCTYPE_MASK    0x7
#define SRRCTL_DESCTYPE_ONEBUF  1
#define SRRCTL_TIMER1SEL_SHIFT  14
#define SRRCTL_TIMER0SEL_SHIFT  17
#define SRRCTL_TIMESTAMP        BIT(30)
#define SRRCTL_DROP_EN          BIT(31)

#define RXCSUM_IPOFL            BIT(8)
#define RXCSUM_TUOFL            BIT(9)
#define RXCSUM_PCSD             BIT(13)

#define MRQC_MRQE_MASK          0x7
#define MRQC_MRQE_RSS           2
#define MRQC_DEF_Q_SHIFT        3
#define MRQC_DEF_Q_MASK         0x7
#define MRQC_IPV4_TCP           BIT(16)
#define MRQC_IPV4               BIT(17)
#define MRQC_IPV6_TCP_EX        BIT(18)
#define MRQC_IPV6               BIT(20)
#define MRQC_IPV6_TCP           BIT(21)
#define MRQC_IPV4_UDP           BIT(22)
#define MRQC_IPV6_UDP           BIT(23)

/* RSS types in the RX descriptor (lo_dword bits 3:0) */
#define RSSTYPE_TCP_IPV4        1
#define RSSTYPE_IPV4            2
#define RSSTYPE_TCP_IPV6        3
#define RSSTYPE_IPV6            5
#define RSSTYPE_UDP_IPV4        7
#define RSSTYPE_UDP_IPV6        8

/* RX descriptor status/error (upper.status_error) */
#define RXD_STAT_DD             BIT(0)
#define RXD_STAT_EOP            BIT(1)
#define RXD_STAT_IXSM           BIT(2)
#define RXD_STAT_VP             BIT(3)
#define RXD_STAT_UDPCS          BIT(4)
#define RXD_STAT_TCPCS          BIT(5)
#define RXD_STAT_IPCS           BIT(6)
#define RXD_STAT_TSIP           BIT(15)
#define RXD_ERR_L4E             BIT(29)
#define RXD_ERR_IPE             BIT(30)

/* TX descriptors */
#define TXD_DTALEN_MASK         0xFFFF
#define TXD_DTYP_SHIFT          20
#define TXD_DTYP_MASK           0xF
#define TXD_DTYP_CTXT           2
#define TXD_DTYP_DATA           3
#define TXD_TSTAMP_REG_SHIFT    16
#define TXD_MAC_TSTAMP          BIT(19)
#define TXD_CMD_EOP             BIT(24)
#define TXD_CMD_IFCS            BIT(25)
#define TXD_CMD_RS              BIT(27)
#define TXD_CMD_DEXT            BIT(29)
#define TXD_CMD_VLE             BIT(30)
#define TXD_CMD_TSE             BIT(31)
#define TXD_STAT_DD             BIT(0)
#define TXD_PTP_TIMER_1         BIT(5)      /* olinfo: timestamp timer 1 */
#define TXD_POPTS_IXSM          BIT(8)
#define TXD_POPTS_TXSM          BIT(9)
#define TXC_VLAN_SHIFT          16
#define TXC_MSS_SHIFT           16
#define IGC_DESC_SIZE           16
#define IGC_RING_ALIGN          128

#define TSYNCTXCTL_TXTT_MASK    0xF
#define TSYNCTXCTL_ENABLED      BIT(4)
#define TSYNCRXCTL_ENABLED      BIT(4)
#define TSICR_TXTS              BIT(1)

#define NVM_CHECKSUM_WORD       0x3F
#define NVM_SUM                 0xBABA
#define IGC_MAX_STD_FRAME       1518    /* with FCS, without a VLAN tag */
#define IGC_VLAN_TAG_LEN        4

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
        igc_raise_misc(core, ICR_LSC);
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

static bool igc_msix_mode(IGCCore *core)
{
    return msix_enabled(core->owner) &&
           (core->mac[R(IGC_GPIE)] & GPIE_MSIX_MODE);
}

/* Send the MSI-X messages of every pending, unmasked vector. */
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

/* An IVAR byte: the vector it names, or -1 if not valid. */
static int igc_ivar_vector(IGCCore *core, uint8_t ivar, const char *what,
                           int q)
{
    unsigned v = ivar & IVAR_VECTOR_MASK;

    if (!(ivar & IVAR_VALID)) {
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
    igc_raise_misc(core, tx ? ICR_TXDW : ICR_RXT0);
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
    int n = (cmd >> TXD_TSTAMP_REG_SHIFT) & 3;
    int t = (olinfo & TXD_PTP_TIMER_1) ? 1 : 0;
    uint32_t ns, s;

    if (!(core->mac[R(IGC_TSYNCTXCTL)] & TSYNCTXCTL_ENABLED)) {
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
    core->mac[R(IGC_TSICR)] |= TSICR_TXTS;
    trace_igc_tx_timestamp(q, n, t, s, ns);
    if (core->mac[R(IGC_TSIM)] & TSICR_TXTS) {
        igc_raise_misc(core, ICR_TS);
    }
}

/* ---- rings ---- */

typedef struct IGCRing {
    dma_addr_t base;
    uint32_t size;      /* in descriptors */
    uint32_t *head;
    uint32_t *tail;
} IGCRing;

/* Validate the guest's programming of a ring; false (and a log) if bad. */
static bool igc_ring_get(IGCCore *core, bool tx, int q, IGCRing *r)
{
    uint32_t len = *igc_q_reg(core, tx, q, Q_LEN);
    const char *what = tx ? "TX" : "RX";

    r->base = ((uint64_t)*igc_q_reg(core, tx, q, Q_BAH) << 32) |
              *igc_q_reg(core, tx, q, Q_BAL);
    r->head = igc_q_reg(core, tx, q, Q_HEAD);
    r->tail = igc_q_reg(core, tx, q, Q_TAIL);
    r->size = len / IGC_DESC_SIZE;

    if (len == 0 || len % IGC_RING_ALIGN) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: %s queue %d: bad ring length %u "
                      "(must be a non-zero multiple of 128)\n", what, q, len);
        return false;
    }
    if (*r->head >= r->size || *r->tail >= r->size) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: %s queue %d: head %u / tail %u beyond ring of "
                      "%u descriptors\n", what, q, *r->head, *r->tail,
                      r->size);
        return false;
    }
    return true;
}

static inline dma_addr_t igc_ring_desc(const IGCRing *r, uint32_t i)
{
    return r->base + (dma_addr_t)i * IGC_DESC_SIZE;
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

    if (cmd & TXD_CMD_TSE) {
        uint32_t mss = txq->ctx.mss_l4len_idx >> TXC_MSS_SHIFT;

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
    if ((olinfo & TXD_POPTS_TXSM) &&
        !net_tx_pkt_build_vheader(pkt, false, true, 0)) {
        return false;
    }
    if (olinfo & TXD_POPTS_IXSM) {
        net_tx_pkt_update_ip_hdr_checksum(pkt);
    }
    return true;
}

static void igc_tx_stats(IGCCore *core, size_t len, eth_pkt_types_e type)
{
    len += ETH_FCS_LEN;
    igc_stat_add(core, IGC_GPTC, 1);
    igc_stat_add(core, IGC_TPT, 1);
    igc_stat_add64(core, IGC_GOTCL, len);
    igc_stat_add64(core, IGC_TOTL, len);
    igc_stat_size(core, IGC_PTC64, len);
    if (type == ETH_PKT_BCAST) {
        igc_stat_add(core, IGC_BPTC, 1);
    } else if (type == ETH_PKT_MCAST) {
        igc_stat_add(core, IGC_MPTC, 1);
    }
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
        if (txq->first_cmd_type_len & TXD_CMD_VLE) {
            net_tx_pkt_setup_vlan_header_ex(pkt,
                txq->ctx.vlan_macip_lens >> TXC_VLAN_SHIFT,
                core->mac[R(IGC_VET)] & 0xFFFF);
        }
        trace_igc_tx_packet(q, net_tx_pkt_get_total_len(pkt), loopback);
        if (loopback) {
            net_tx_pkt_send_custom(pkt, false, igc_tx_loopback_cb, core);
        } else if (igc_link_up(core)) {
            net_tx_pkt_send(pkt, qemu_get_queue(core->owner_nic));
        }
        if (txq->first_cmd_type_len & TXD_MAC_TSTAMP) {
            igc_tx_timestamp(core, q, txq->first_cmd_type_len,
                             txq->first_olinfo_status);
        }
        igc_tx_stats(core, net_tx_pkt_get_total_len(pkt),
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
    uint32_t len = cmd & TXD_DTALEN_MASK;

    if (txq->first) {
        txq->first_cmd_type_len = cmd;
        txq->first_olinfo_status = olinfo;
        txq->first = false;
    }
    if (!txq->skip) {
        if (len == 0) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "igc: TX queue %d: zero-length data buffer\n", q);
        } else if (!dma_memory_valid(pci_get_address_space(core->owner),
                                     addr, len, DMA_DIRECTION_TO_DEVICE,
                                     MEMTXATTRS_UNSPECIFIED) ||
                   !net_tx_pkt_add_raw_fragment_pci(txq->pkt, core->owner,
                                                    addr, len)) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "igc: TX queue %d: cannot map buffer 0x%" PRIx64
                          "+%u or too many fragments; dropping packet\n",
                          q, addr, len);
            txq->skip = true;
        }
    }
    if (cmd & TXD_CMD_EOP) {
        igc_tx_packet_done(core, q);
    }
}

static void igc_tx_ring_kick(IGCCore *core, int q)
{
    IGCRing r;
    uint32_t n;
    bool report = false;

    if (!(core->mac[R(IGC_TCTL)] & TCTL_EN) ||
        !(*igc_q_reg(core, true, q, Q_DCTL) & DCTL_ENABLE) ||
        *igc_q_reg(core, true, q, Q_HEAD) ==
        *igc_q_reg(core, true, q, Q_TAIL) ||
        !igc_ring_get(core, true, q, &r)) {
        return;
    }

    /* Never walk more than one ring's worth, whatever the guest did. */
    for (n = 0; n < r.size && *r.head != *r.tail; n++) {
        dma_addr_t daddr = igc_ring_desc(&r, *r.head);
        uint8_t raw[IGC_DESC_SIZE];
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
        dtyp = (cmd >> TXD_DTYP_SHIFT) & TXD_DTYP_MASK;
        trace_igc_tx_desc(q, *r.head, cmd, olinfo);

        if ((cmd & TXD_CMD_DEXT) && dtyp == TXD_DTYP_CTXT) {
            IGCTxContext *ctx = &core->txq[q].ctx;

            ctx->vlan_macip_lens = addr;
            ctx->launch_time = addr >> 32;
            ctx->type_tucmd_mlhl = cmd;
            ctx->mss_l4len_idx = olinfo;
        } else {
            if (!(cmd & TXD_CMD_DEXT) || dtyp != TXD_DTYP_DATA) {
                qemu_log_mask(LOG_GUEST_ERROR,
                              "igc: TX queue %d: descriptor %u is not an "
                              "advanced data descriptor (DEXT %d, DTYP %u); "
                              "treated as one\n", q, *r.head,
                              !!(cmd & TXD_CMD_DEXT), dtyp);
            }
            igc_tx_data_desc(core, q, addr, cmd, olinfo);
        }

        if (cmd & TXD_CMD_RS) {
            uint32_t sta = cpu_to_le32(TXD_STAT_DD);

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
    static const uint8_t shift[] = { 4, 3, 2, 0 };
    uint32_t mo = (core->mac[R(IGC_RCTL)] >> RCTL_MO_SHIFT) & 3;
    uint32_t vec = ((da[4] >> shift[mo]) |
                    ((uint32_t)da[5] << (8 - shift[mo]))) & 0xFFF;

    return core->mac[R(IGC_MTA) + (vec >> 5)] & BIT(vec & 31);
}

static bool igc_addr_filter(IGCCore *core, const uint8_t *frame,
                            eth_pkt_types_e type)
{
    uint32_t rctl = core->mac[R(IGC_RCTL)];
    int i;

    switch (type) {
    case ETH_PKT_BCAST:
        return rctl & (RCTL_BAM | RCTL_MPE);
    case ETH_PKT_MCAST:
        return (rctl & RCTL_MPE) || igc_mta_match(core, frame);
    default:
        if (rctl & RCTL_UPE) {
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

    if (!(core->mac[R(IGC_RCTL)] & RCTL_VFE) || !igc_is_vlan(core, frame,
                                                              len)) {
        return true;
    }
    vid = lduw_be_p(frame + 14) & 0xFFF;
    return core->mac[R(IGC_VFTA) + (vid >> 5)] & BIT(vid & 31);
}

/*
 * Long frames: with RCTL.LPE the limit is RLPML (FCS included), without
 * it 1518 bytes, 1522 with a VLAN tag.  The cable carries no FCS, so its
 * 4 bytes are added here.  Longer frames are counted in ROC.
 */
static bool igc_rx_oversize(IGCCore *core, const struct iovec *iov,
                            int iovcnt, size_t size)
{
    size_t wire_len = size + ETH_FCS_LEN;
    uint8_t et[2];

    if (core->mac[R(IGC_RCTL)] & RCTL_LPE) {
        return wire_len > (core->mac[R(IGC_RLPML)] & 0x3FFF);
    }
    if (iov_to_buf(iov, iovcnt, 12, et, 2) == 2 &&
        lduw_be_p(et) == (core->mac[R(IGC_VET)] & 0xFFFF)) {
        return wire_len > IGC_MAX_STD_FRAME + IGC_VLAN_TAG_LEN;
    }
    return wire_len > IGC_MAX_STD_FRAME;
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
    int def_q = (mrqc >> MRQC_DEF_Q_SHIFT) & MRQC_DEF_Q_MASK;
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
    if ((mrqc & MRQC_MRQE_MASK) != MRQC_MRQE_RSS) {
        return def_q;
    }
    net_rx_pkt_get_protocols(core->rx_pkt, &ip4, &ip6, &l4);
    if (ip4 && l4 == ETH_L4_HDR_PROTO_TCP && (mrqc & MRQC_IPV4_TCP)) {
        type = NetPktRssIpV4Tcp;
        m->rss_type = RSSTYPE_TCP_IPV4;
    } else if (ip4 && l4 == ETH_L4_HDR_PROTO_UDP && (mrqc & MRQC_IPV4_UDP)) {
        type = NetPktRssIpV4Udp;
        m->rss_type = RSSTYPE_UDP_IPV4;
    } else if (ip4 && (mrqc & MRQC_IPV4)) {
        type = NetPktRssIpV4;
        m->rss_type = RSSTYPE_IPV4;
    } else if (ip6 && l4 == ETH_L4_HDR_PROTO_TCP &&
               (mrqc & (MRQC_IPV6_TCP | MRQC_IPV6_TCP_EX))) {
        type = NetPktRssIpV6Tcp;
        m->rss_type = RSSTYPE_TCP_IPV6;
    } else if (ip6 && l4 == ETH_L4_HDR_PROTO_UDP && (mrqc & MRQC_IPV6_UDP)) {
        type = NetPktRssIpV6Udp;
        m->rss_type = RSSTYPE_UDP_IPV6;
    } else if (ip6 && (mrqc & MRQC_IPV6)) {
        type = NetPktRssIpV6;
        m->rss_type = RSSTYPE_IPV6;
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

    if (!(rxcsum & (RXCSUM_IPOFL | RXCSUM_TUOFL))) {
        m->status |= RXD_STAT_IXSM;
        return;
    }
    net_rx_pkt_get_protocols(core->rx_pkt, &ip4, &ip6, &l4);
    if (ip4 && (rxcsum & RXCSUM_IPOFL) &&
        net_rx_pkt_validate_l3_csum(core->rx_pkt, &valid)) {
        m->status |= RXD_STAT_IPCS;
        if (!valid) {
            m->status |= RXD_ERR_IPE;
        }
    }
    if ((l4 == ETH_L4_HDR_PROTO_TCP || l4 == ETH_L4_HDR_PROTO_UDP) &&
        (rxcsum & RXCSUM_TUOFL) &&
        net_rx_pkt_validate_l4_csum(core->rx_pkt, &valid)) {
        m->status |= l4 == ETH_L4_HDR_PROTO_UDP ? RXD_STAT_UDPCS
                                                : RXD_STAT_TCPCS;
        if (!valid) {
            m->status |= RXD_ERR_L4E;
        }
    }
}

static void igc_rx_stats(IGCCore *core, size_t len, eth_pkt_types_e type)
{
    len += ETH_FCS_LEN;
    igc_stat_add(core, IGC_GPRC, 1);
    igc_stat_add(core, IGC_TPR, 1);
    igc_stat_add64(core, IGC_GORCL, len);
    igc_stat_add64(core, IGC_TORL, len);
    igc_stat_size(core, IGC_PRC64, len);
    if (type == ETH_PKT_BCAST) {
        igc_stat_add(core, IGC_BPRC, 1);
    } else if (type == ETH_PKT_MCAST) {
        igc_stat_add(core, IGC_MPRC, 1);
    }
}

static void igc_rx_no_desc(IGCCore *core, int q)
{
    igc_stat_add(core, IGC_RNBC, 1);
    igc_stat_add(core, IGC_MPC, 1);
    igc_stat_add(core, IGC_RXQ0 + q * IGC_Q_STRIDE + Q_RQDPC, 1);
}

/*
 * Write back one advanced RX descriptor after its buffer.  igc polls
 * wb.upper.length (not DD) and then reads status_error, so the upper
 * quadword goes last, in one 64-bit store, after the lower (RSS).
 */
static void igc_rx_desc_writeback(IGCCore *core, dma_addr_t daddr,
                                  uint64_t lo, uint64_t hi)
{
    AddressSpace *as = pci_get_address_space(core->owner);

    address_space_stq_le(as, daddr, lo, MEMTXATTRS_UNSPECIFIED, NULL);
    smp_wmb();  /* pairs with the driver's dma_rmb() after length */
    address_space_stq_le(as, daddr + 8, hi, MEMTXATTRS_UNSPECIFIED, NULL);
}

/* Write one received frame into queue @q; false if it had no room. */
static bool igc_rx_write(IGCCore *core, int q, const uint8_t *data,
                         size_t len, const IGCRxMeta *m)
{
    uint32_t srrctl = *igc_q_reg(core, false, q, Q_SRRCTL);
    uint32_t bsize = (srrctl & SRRCTL_BSIZEPKT_MASK) * KiB;
    uint32_t avail, need, done = 0;
    IGCRing r;

    if (!bsize) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: RX queue %d: SRRCTL.BSIZEPKT is 0\n", q);
        return false;
    }
    if (((srrctl >> SRRCTL_DESCTYPE_SHIFT) & SRRCTL_DESCTYPE_MASK) !=
        SRRCTL_DESCTYPE_ONEBUF) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: RX queue %d: descriptor type %u not modelled, "
                      "using advanced one-buffer\n", q,
                      (srrctl >> SRRCTL_DESCTYPE_SHIFT) &
                      SRRCTL_DESCTYPE_MASK);
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
        dma_addr_t daddr = igc_ring_desc(&r, *r.head);
        uint32_t chunk = MIN(bsize, len - done);
        uint32_t status = RXD_STAT_DD;
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
            status |= RXD_STAT_EOP | m->status;
        } else {
            status |= m->status & RXD_STAT_TSIP;
        }
        /* pkt_info (RSS type) | RSS hash; status_error | length | VLAN */
        igc_rx_desc_writeback(core, daddr,
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
    int t1 = (srrctl >> SRRCTL_TIMER1SEL_SHIFT) & 3;
    int t0 = (srrctl >> SRRCTL_TIMER0SEL_SHIFT) & 3;
    uint32_t ns, s;

    igc_timestamp(core, t1 < IGC_NUM_TIMERS ? t1 : 0, &ns, &s);
    stl_le_p(hdr, ns);
    stl_le_p(hdr + 4, s);
    igc_timestamp(core, t0 < IGC_NUM_TIMERS ? t0 : 0, &ns, &s);
    stl_le_p(hdr + 8, ns);
    stl_le_p(hdr + 12, s);
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
    size_t len;
    int q;

    if (!(core->mac[R(IGC_RCTL)] & RCTL_EN)) {
        trace_igc_rx_drop(-1, "receiver disabled");
        return size;
    }
    if (!loopback && !igc_link_up(core)) {
        return size;
    }
    if (size > IGC_MAX_RX_FRAME || igc_rx_oversize(core, iov, iovcnt, size)) {
        igc_stat_add(core, IGC_ROC, 1);
        trace_igc_rx_drop(-1, "oversized (ROC)");
        return size;
    }
    len = iov_to_buf(iov, iovcnt, 0, buf, size);
    if (len < ETH_ZLEN) {
        memset(buf + len, 0, ETH_ZLEN - len);
        len = ETH_ZLEN;
    }

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
    if (!(core->mac[R(IGC_RXCSUM)] & RXCSUM_PCSD)) {
        m.hash = 0;     /* the dword carries IP id and checksum instead */
    }

    srrctl = *igc_q_reg(core, false, q, Q_SRRCTL);
    if (!(*igc_q_reg(core, false, q, Q_DCTL) & DCTL_ENABLE)) {
        trace_igc_rx_drop(q, "queue disabled");
        igc_rx_no_desc(core, q);
        return size;
    }

    /* VLAN strip (CTRL.VME), then parse what the guest will see */
    if ((core->mac[R(IGC_CTRL)] & CTRL_VME) && igc_is_vlan(core, buf, len)) {
        m.vlan = lduw_be_p(buf + 14);
        m.status |= RXD_STAT_VP;
        memmove(buf + 12, buf + 16, len - 16);
        len -= IGC_VLAN_TAG_LEN;
        one.iov_len = len;
        net_rx_pkt_set_protocols(core->rx_pkt, &one, 1, 0);
    }
    net_rx_pkt_attach_data(core->rx_pkt, buf, len, false);
    igc_rx_csum(core, &m);

    if (!(core->mac[R(IGC_RCTL)] & RCTL_SECRC)) {
        stl_le_p(buf + len, crc32(0, buf, len));
        len += ETH_FCS_LEN;
    }
    if ((srrctl & SRRCTL_TIMESTAMP) &&
        (core->mac[R(IGC_TSYNCRXCTL)] & TSYNCRXCTL_ENABLED)) {
        start = core->rx_buf;
        igc_rx_ts_header(core, srrctl, start);
        len += IGC_TS_HDR_LEN;
        m.status |= RXD_STAT_TSIP;
    }

    if (!igc_rx_write(core, q, start, len, &m)) {
        if (!loopback && !(srrctl & SRRCTL_DROP_EN)) {
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
    igc_rx_stats(core, len - ((m.status & RXD_STAT_TSIP) ? IGC_TS_HDR_LEN : 0),
                 type);
    igc_raise_queue(core, q, false);
    return size;
}

ssize_t igc_core_receive_iov(IGCCore *core, const struct iovec *iov,
                             int iovcnt)
{
    return igc_rx_frame(core, iov, iovcnt, false);
}

/* ---- queue registers ---- */

static void igc_write_rxq(IGCCore *core, int index, uint32_t val)
{
    uint32_t off = (index << 2) & (IGC_Q_STRIDE - 1);
    uint32_t old = core->mac[index];

    switch (off) {
    case Q_BAL:
        val &= ~(IGC_RING_ALIGN - 1);
        break;
    case Q_LEN:
        val &= 0xFFF80;
        break;
    case Q_HEAD:
    case Q_TAIL:
        val &= 0xFFFF;
        break;
    case Q_DCTL:
        val &= ~DCTL_SWFLUSH;   /* the flush completes at once */
        break;
    }
    core->mac[index] = val;
    if (off == Q_TAIL || (off == Q_DCTL && (val & ~old & DCTL_ENABLE))) {
        igc_rx_flush_held(core);
    }
}

static void igc_write_txq(IGCCore *core, int index, uint32_t val)
{
    uint32_t off = (index << 2) & (IGC_Q_STRIDE - 1);
    int q = ((index << 2) - IGC_TXQ0) / IGC_Q_STRIDE;
    uint32_t old = core->mac[index];

    switch (off) {
    case Q_BAL:
        val &= ~(IGC_RING_ALIGN - 1);
        break;
    case Q_LEN:
        val &= 0xFFF80;
        break;
    case Q_HEAD:
    case Q_TAIL:
        val &= 0xFFFF;
        break;
    case Q_DCTL:
        val &= ~DCTL_SWFLUSH;
        if (!(val & DCTL_ENABLE)) {
            /* a packet half-read when the queue stops is lost */
            net_tx_pkt_reset(core->txq[q].pkt, net_tx_pkt_unmap_frag_pci,
                             core->owner);
            core->txq[q].first = true;
            core->txq[q].skip = false;
        }
        break;
    }
    core->mac[index] = val;
    if (off == Q_TAIL || (off == Q_DCTL && (val & ~old & DCTL_ENABLE))) {
        igc_tx_ring_kick(core, q);
    }
}

static void igc_write_tctl(IGCCore *core, int index, uint32_t val)
{
    uint32_t old = core->mac[index];
    int q;

    core->mac[index] = val;
    if (val & ~old & TCTL_EN) {
        for (q = 0; q < IGC_NUM_QUEUES; q++) {
            igc_tx_ring_kick(core, q);
        }
    }
}

static void igc_write_rctl(IGCCore *core, int index, uint32_t val)
{
    uint32_t old = core->mac[index];

    core->mac[index] = val;
    if (val & ~old & RCTL_EN) {
        igc_rx_flush_held(core);
    }
}

/* ---- control, semaphores ---- */

static void igc_write_ctrl(IGCCore *core, int index, uint32_t val)
{
    if (val & CTRL_RST) {
        trace_igc_core_reset(true);
        igc_core_reset(core);
        igc_legacy_update(core, false);     /* drop a level INTx */
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

static uint32_t igc_read_tsicr(IGCCore *core, int index)
{
    uint32_t val = core->mac[index];

    core->mac[index] = 0;
    return val;
}

/* ---- the register table ---- */

typedef uint32_t (*igc_reader)(IGCCore *core, int index);
typedef void (*igc_writer)(IGCCore *core, int index, uint32_t val);

typedef enum IGCRegKind {
    IGC_RW,         /* storage: a write keeps the bits of wmask */
    IGC_RO,         /* storage the guest reads; writes are ignored */
    IGC_RC,         /* read-to-clear (statistics); writes ignored */
} IGCRegKind;

typedef struct IGCRegInfo {
    const char *name;
    uint32_t addr;      /* the first register */
    uint16_t count;     /* registers in the array */
    uint16_t stride;    /* bytes from one to the next (0: 4) */
    IGCRegKind kind;
    uint32_t wmask;     /* IGC_RW: the bits a write stores */
    igc_reader read;    /* or NULL: the stored value */
    igc_writer write;   /* or NULL: as kind says */
} IGCRegInfo;

#define REG(n, a, k, m)          { n, a, 1, 0, k, m, NULL, NULL }
#define ARR(n, a, c, s, k, m)    { n, a, c, s, k, m, NULL, NULL }
#define FN(n, a, rd, wr)         { n, a, 1, 0, IGC_RW, ~0u, rd, wr }
#define FNRO(n, a, rd)           { n, a, 1, 0, IGC_RO, 0, rd, NULL }
#define ARRFN(n, a, c, s, rd, wr) { n, a, c, s, IGC_RW, ~0u, rd, wr }

static const IGCRegInfo igc_regs[] = {
    /* general */
    FN("CTRL", IGC_CTRL, NULL, igc_write_ctrl),
    REG("STATUS", IGC_STATUS, IGC_RO, 0),
    REG("EECD", IGC_EECD, IGC_RO, 0),
    REG("CTRL_EXT", IGC_CTRL_EXT, IGC_RW, ~0u),
    FN("MDIC", IGC_MDIC, NULL, igc_write_mdic),
    REG("FCAL", IGC_FCAL, IGC_RW, ~0u),
    REG("FCAH", IGC_FCAH, IGC_RW, 0xFFFF),
    REG("FCT", IGC_FCT, IGC_RW, 0xFFFF),
    REG("CONNSW", IGC_CONNSW, IGC_RW, ~0u),
    REG("VET", IGC_VET, IGC_RW, ~0u),
    REG("TSSDP", IGC_TSSDP, IGC_RW, ~0u),
    FN("RCTL", IGC_RCTL, NULL, igc_write_rctl),
    REG("LTRC", IGC_LTRC, IGC_RW, ~0u),
    REG("FCTTV", IGC_FCTTV, IGC_RW, 0xFFFF),
    FN("TCTL", IGC_TCTL, NULL, igc_write_tctl),
    REG("TIPG", IGC_TIPG, IGC_RW, 0x3FFFFFFF),
    REG("LEDCTL", IGC_LEDCTL, IGC_RW, ~0u),
    REG("EEER", IGC_EEER, IGC_RW, ~0u),
    REG("EEE_SU", IGC_EEE_SU, IGC_RW, ~0u),
    REG("IPCNFG", IGC_IPCNFG, IGC_RW, ~0u),
    REG("PHPM", IGC_PHPM, IGC_RO, 0),
    /* interrupts */
    FN("ICR", IGC_ICR, igc_read_icr, igc_write_icr),
    FN("ICS", IGC_ICS, NULL, igc_write_ics),
    FN("IMS", IGC_IMS, NULL, igc_write_ims),
    FN("IMC", IGC_IMC, NULL, igc_write_imc),
    REG("IAM", IGC_IAM, IGC_RW, ~0u),
    REG("GPIE", IGC_GPIE, IGC_RW, ~0u),
    FN("EICS", IGC_EICS, NULL, igc_write_eics),
    FN("EIMS", IGC_EIMS, NULL, igc_write_eims),
    FN("EIMC", IGC_EIMC, NULL, igc_write_eimc),
    REG("EIAC", IGC_EIAC, IGC_RW, BIT(IGC_MSIX_VECTORS) - 1),
    REG("EIAM", IGC_EIAM, IGC_RW, BIT(IGC_MSIX_VECTORS) - 1),
    FN("EICR", IGC_EICR, igc_read_icr, igc_write_eicr),
    ARR("EITR", IGC_EITR0, IGC_MSIX_VECTORS, 4, IGC_RW, ~0u),
    ARR("IVAR0", IGC_IVAR0, IGC_NUM_QUEUES / 2, 4, IGC_RW, 0x9F9F9F9F),
    REG("IVAR_MISC", IGC_IVAR_MISC, IGC_RW, 0x9F00),
    /* packet buffers and flow control */
    REG("FCRTL", IGC_FCRTL, IGC_RW, ~0u),
    REG("FCRTH", IGC_FCRTH, IGC_RW, 0x3FFF0),
    REG("RXPBS", IGC_RXPBS, IGC_RW, ~0u),
    REG("FCRTV", IGC_FCRTV, IGC_RW, ~0u),
    REG("TXPBS", IGC_TXPBS, IGC_RW, ~0u),
    /* TSN: stored, launch time not modelled */
    REG("GTXOFFSET", IGC_GTXOFFSET, IGC_RW, ~0u),
    REG("BASET_L", IGC_BASET_L, IGC_RW, ~0u),
    REG("BASET_H", IGC_BASET_H, IGC_RW, ~0u),
    REG("QBVCYCLET", IGC_QBVCYCLET, IGC_RW, ~0u),
    REG("QBVCYCLET_S", IGC_QBVCYCLET_S, IGC_RW, ~0u),
    ARR("STQT", IGC_STQT0, IGC_NUM_QUEUES, 4, IGC_RW, ~0u),
    ARR("ENDQT", IGC_ENDQT0, IGC_NUM_QUEUES, 4, IGC_RW, ~0u),
    ARR("TXQCTL", IGC_TXQCTL0, IGC_NUM_QUEUES, 4, IGC_RW, ~0u),
    REG("TXARB", IGC_TXARB, IGC_RW, ~0u),
    REG("DTXMXPKTSZ", IGC_DTXMXPKTSZ, IGC_RW, ~0u),
    REG("TQAVCTRL", IGC_TQAVCTRL, IGC_RW, ~0u),
    /* statistics */
    ARR("stats", IGC_STATS_FIRST, (IGC_STATS_LAST - IGC_STATS_FIRST) / 4, 4,
        IGC_RC, 0),
    ARR("PRM counters", IGC_PRMPTDRCNT, (IGC_PRMEXCPRCNT - IGC_PRMPTDRCNT) / 4
        + 1, 4, IGC_RC, 0),
    /* receive filters */
    REG("RXCSUM", IGC_RXCSUM, IGC_RW, ~0u),
    REG("RLPML", IGC_RLPML, IGC_RW, 0x3FFF),
    REG("RFCTL", IGC_RFCTL, IGC_RW, ~0u),
    ARR("MTA", IGC_MTA, 128, 4, IGC_RW, ~0u),
    ARR("RAL", IGC_RAL0, 16, 8, IGC_RW, ~0u),
    ARR("RAH", IGC_RAH0, 16, 8, IGC_RW, 0x900FFFFF),
    ARR("PSRTYPE", IGC_PSRTYPE0, 4, 4, IGC_RW, ~0u),
    REG("VLANPQF", IGC_VLANPQF, IGC_RW, ~0u),
    ARR("VFTA", IGC_VFTA, 128, 4, IGC_RW, ~0u),
    REG("MRQC", IGC_MRQC, IGC_RW, ~0u),
    ARR("RETA", IGC_RETA, 32, 4, IGC_RW, ~0u),
    ARR("RSSRK", IGC_RSSRK, 10, 4, IGC_RW, ~0u),
    ARR("ETQF", IGC_ETQF0, 8, 4, IGC_RW, ~0u),
    ARR("FTQF", IGC_FTQF0, 8, 4, IGC_RW, ~0u),
    ARR("IMIR", IGC_IMIR0, 8, 4, IGC_RW, ~0u),
    ARR("IMIREXT", IGC_IMIREXT0, 8, 4, IGC_RW, ~0u),
    REG("FHFTSL", IGC_FHFTSL, IGC_RW, ~0u),
    ARR("FHFT", IGC_FHFT, 4 * 64, 4, IGC_RW, ~0u),
    ARR("FHFT_EXT", IGC_FHFT_EXT, 4 * 64, 4, IGC_RW, ~0u),
    ARR("UTA", IGC_UTA, 128, 4, IGC_RW, ~0u),
    REG("TSYNCRXCFG", IGC_TSYNCRXCFG, IGC_RW, ~0u),
    /* wake-up, manageability, semaphores */
    REG("WUC", IGC_WUC, IGC_RW, ~0u),
    REG("WUFC", IGC_WUFC, IGC_RW, ~0u),
    REG("WUFC_EXT", IGC_WUFC_EXT, IGC_RW, ~0u),
    REG("WUS", IGC_WUS, IGC_RW, ~0u),
    REG("WUPL", IGC_WUPL, IGC_RW, ~0u),
    ARR("WUPM", IGC_WUPM, 32, 4, IGC_RW, ~0u),
    REG("MANC", IGC_MANC, IGC_RW, ~0u),
    REG("FACTPS", IGC_FACTPS, IGC_RO, 0),
    FN("SWSM", IGC_SWSM, igc_read_swsm, NULL),
    REG("FWSM", IGC_FWSM, IGC_RO, 0),
    REG("SW_FW_SYNC", IGC_SW_FW_SYNC, IGC_RW, ~0u),
    REG("LTRMINV", IGC_LTRMINV, IGC_RW, ~0u),
    REG("LTRMAXV", IGC_LTRMAXV, IGC_RW, ~0u),
    /* time sync */
    FN("SYSTIML", IGC_SYSTIML, igc_read_systiml, igc_write_systiml),
    FN("SYSTIMH", IGC_SYSTIMH, igc_read_systimh, igc_write_systimh),
    REG("TIMINCA", IGC_TIMINCA, IGC_RW, ~0u),
    FN("TIMADJ", IGC_TIMADJ, NULL, igc_write_timadj),
    REG("TSYNCTXCTL", IGC_TSYNCTXCTL, IGC_RW, ~TSYNCTXCTL_TXTT_MASK),
    REG("TXSTMPL_0", IGC_TXSTMPL0, IGC_RO, 0),
    FNRO("TXSTMPH_0", IGC_TXSTMPH0, igc_read_txstmph),
    REG("TSYNCRXCTL", IGC_TSYNCRXCTL, IGC_RW, ~0u),
    REG("TSAUXC", IGC_TSAUXC, IGC_RW, ~0u),
    ARR("TRGTTIM/FREQOUT/AUXSTMP", IGC_TRGTTIML0, 10, 4, IGC_RW, ~0u),
    FNRO("TSICR", IGC_TSICR, igc_read_tsicr),
    REG("TSIM", IGC_TSIM, IGC_RW, ~0u),
    REG("SYSTIMR_1", IGC_SYSTIMR_1, IGC_RO, 0),
    FN("SYSTIML_1", IGC_SYSTIML_1, igc_read_systiml, igc_write_systiml),
    FN("SYSTIMH_1", IGC_SYSTIMH_1, igc_read_systimh, igc_write_systimh),
    REG("TIMINCA_1", IGC_TIMINCA_1, IGC_RW, ~0u),
    REG("TXSTMPL_1", IGC_TXSTMPL1, IGC_RO, 0),
    FNRO("TXSTMPH_1", IGC_TXSTMPH1, igc_read_txstmph),
    REG("TXSTMPL_2", IGC_TXSTMPL2, IGC_RO, 0),
    FNRO("TXSTMPH_2", IGC_TXSTMPH2, igc_read_txstmph),
    REG("TXSTMPL_3", IGC_TXSTMPL3, IGC_RO, 0),
    FNRO("TXSTMPH_3", IGC_TXSTMPH3, igc_read_txstmph),
    REG("SYSTIMR", IGC_SYSTIMR, IGC_RO, 0),
    /* queues: RDBAL .. RQDPC, TDBAL .. TXDCTL */
    ARRFN("RX queue", IGC_RXQ0, IGC_NUM_QUEUES * IGC_Q_STRIDE / 4, 4,
          NULL, igc_write_rxq),
    ARRFN("TX queue", IGC_TXQ0, IGC_NUM_QUEUES * IGC_Q_STRIDE / 4, 4,
          NULL, igc_write_txq),
    /* NVM and PTM */
    FN("EERD", IGC_EERD, NULL, igc_write_eerd),
    FN("SRWR", IGC_SRWR, NULL, igc_write_srwr),
    ARR("PTM", IGC_PTM_CTRL, (IGC_PTM_TDELAY - IGC_PTM_CTRL) / 4 + 1, 4,
        IGC_RW, ~0u),
};

/* register index -> 1 + its igc_regs[] entry, 0 if none */
static uint8_t igc_reg_map[IGC_MAC_SIZE];
QEMU_BUILD_BUG_ON(ARRAY_SIZE(igc_regs) >= UINT8_MAX);

void igc_core_class_init(void)
{
    int i, j;

    for (i = 0; i < ARRAY_SIZE(igc_regs); i++) {
        const IGCRegInfo *ri = &igc_regs[i];
        unsigned stride = ri->stride ? ri->stride : 4;

        for (j = 0; j < ri->count; j++) {
            uint32_t a = ri->addr + j * stride;

            /* two entries for one register is a bug in this file */
            assert(a < IGC_MMIO_SIZE && !igc_reg_map[R(a)]);
            igc_reg_map[R(a)] = i + 1;
        }
    }
}

static const IGCRegInfo *igc_reg(hwaddr addr)
{
    if (addr >= IGC_MMIO_SIZE || !igc_reg_map[addr >> 2]) {
        return NULL;
    }
    return &igc_regs[igc_reg_map[addr >> 2] - 1];
}

uint64_t igc_core_read(IGCCore *core, hwaddr addr, unsigned size)
{
    const IGCRegInfo *ri = igc_reg(addr);
    int index = addr >> 2;
    uint32_t val;

    if (!ri) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: read of unmodelled register 0x%05" HWADDR_PRIx
                      "\n", addr);
        trace_igc_mmio_read_unknown(addr);
        return 0;
    }
    val = ri->read ? ri->read(core, index) : core->mac[index];
    if (ri->kind == IGC_RC) {
        core->mac[index] = 0;
    }
    trace_igc_mmio_read(addr, ri->name, val);
    return val;
}

void igc_core_write(IGCCore *core, hwaddr addr, uint64_t val, unsigned size)
{
    const IGCRegInfo *ri = igc_reg(addr);
    int index = addr >> 2;

    if (!ri) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "igc: write of 0x%08" PRIx64 " to unmodelled register "
                      "0x%05" HWADDR_PRIx "\n", val, addr);
        trace_igc_mmio_write_unknown(addr, val);
        return;
    }
    trace_igc_mmio_write(addr, ri->name, val);
    if (ri->write) {
        ri->write(core, index, val);
    } else if (ri->kind == IGC_RW) {
        core->mac[index] = val & ri->wmask;
    } else {
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
    }
    memset(core->mac, 0, sizeof(core->mac));
    memset(core->timer, 0, sizeof(core->timer));
    core->mac[R(IGC_EECD)] = EECD_AUTO_RD | EECD_FLASH_DETECTED |
                             EECD_FLUDONE | (4 << EECD_SIZE_EX_SHIFT);
    core->mac[R(IGC_PHPM)] = PHPM_RST_COMPL;
    core->mac[R(IGC_STATUS)] = STATUS_GIO_MASTER_EN;
    core->mac[R(IGC_MDIC)] = MDIC_READY;
    core->mac[R(IGC_VET)] = ETH_P_VLAN;
    core->mac[R(IGC_RXCSUM)] = RXCSUM_IPOFL | RXCSUM_TUOFL;
    core->mac[R(IGC_RLPML)] = 0x2600;   /* 9728 */
    for (q = 0; q < IGC_NUM_QUEUES; q++) {
        /* 2 KiB buffers, advanced one-buffer descriptors */
        *igc_q_reg(core, false, q, Q_SRRCTL) =
            2 | SRRCTL_DESCTYPE_ONEBUF << SRRCTL_DESCTYPE_SHIFT;
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
        net_tx_pkt_init(&core->txq[q].pkt, IGC_MAX_TX_FRAGS);
    }
    net_rx_pkt_init(&core->rx_pkt);
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
    }
    net_rx_pkt_uninit(core->rx_pkt);
    core->rx_pkt = NULL;
}
