/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Intel I225 registers and descriptor fields, as nicrig's igc model and
 * its qtests use them (offsets are byte addresses in BAR0).
 *
 * Copyright (c) 2026 nicrig developers
 */

#ifndef HW_NET_IGC_REGS_H
#define HW_NET_IGC_REGS_H

#include "qemu/bitops.h"

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
/* credit-based shaper, per queue, 0x40 apart: stored, no effect */
#define IGC_TQAVCC0     0x03004
#define IGC_TQAVHC0     0x0300C
#define IGC_STQT0       0x03324
#define IGC_ENDQT0      0x03334
#define IGC_TXQCTL0     0x03344
#define IGC_TXARB       0x03354
#define IGC_TXPBS       0x03404
#define IGC_DTXMXPKTSZ  0x0355C
#define IGC_TQAVCTRL    0x03570
#define IGC_TQAVCTRL_TRANSMIT_MODE_TSN BIT(0)
#define IGC_TXQCTL_QUEUE_MODE_LAUNCHT  BIT(0)
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
#define IGC_RFC         0x040A8
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
#define IGC_Q_BAL           0x00
#define IGC_Q_BAH           0x04
#define IGC_Q_LEN           0x08
#define IGC_Q_SRRCTL        0x0C        /* RX only */
#define IGC_Q_HEAD          0x10
#define IGC_Q_TAIL          0x18
#define IGC_Q_DCTL          0x28
#define IGC_Q_RQDPC         0x30        /* RX only: drops, no descriptor */

#define IGC_CTRL_GIO_MASTER_DISABLE BIT(2)
#define IGC_CTRL_RST                BIT(26)
#define IGC_CTRL_VME                BIT(30)
#define IGC_CTRL_PHY_RST            BIT(31)

#define IGC_STATUS_FD               BIT(0)
#define IGC_STATUS_LU               BIT(1)
#define IGC_STATUS_SPEED_1000       BIT(7)
#define IGC_STATUS_GIO_MASTER_EN    BIT(19)
#define IGC_STATUS_SPEED_2500       BIT(22)

#define IGC_EECD_AUTO_RD            BIT(9)
#define IGC_EECD_SIZE_EX_SHIFT      11
#define IGC_EECD_FLASH_DETECTED     BIT(19)
#define IGC_EECD_FLUDONE            BIT(26)

#define IGC_PHPM_RST_COMPL          BIT(8)

#define IGC_EERD_START              BIT(0)
#define IGC_EERD_DONE               BIT(1)
#define IGC_EERD_ADDR_SHIFT         2
#define IGC_EERD_DATA_SHIFT         16

#define IGC_MDIC_DATA_MASK          0xFFFF
#define IGC_MDIC_REG_SHIFT          16
#define IGC_MDIC_PHY_SHIFT          21
#define IGC_MDIC_OP_WRITE           BIT(26)
#define IGC_MDIC_OP_READ            BIT(27)
#define IGC_MDIC_READY              BIT(28)
#define IGC_MDIC_ERROR              BIT(30)

#define IGC_SWSM_SMBI               BIT(0)

#define IGC_ICR_TXDW                BIT(0)
#define IGC_ICR_LSC                 BIT(2)
#define IGC_ICR_RXT0                BIT(7)
#define IGC_ICR_TS                  BIT(19)
#define IGC_GPIE_MSIX_MODE          BIT(4)
#define IGC_GPIE_EIAME              BIT(30)
#define IGC_IVAR_VALID              0x80
#define IGC_IVAR_VECTOR_MASK        0x1F

#define IGC_RCTL_EN                 BIT(1)
#define IGC_RCTL_UPE                BIT(3)
#define IGC_RCTL_MPE                BIT(4)
#define IGC_RCTL_LPE                BIT(5)
#define IGC_RCTL_MO_SHIFT           12
#define IGC_RCTL_BAM                BIT(15)
#define IGC_RCTL_VFE                BIT(18)
#define IGC_RCTL_SBP                BIT(2)
#define IGC_RCTL_SECRC              BIT(26)
#define IGC_TCTL_EN                 BIT(1)

#define IGC_DCTL_ENABLE             BIT(25)
#define IGC_DCTL_SWFLUSH            BIT(26)

#define IGC_SRRCTL_BSIZEPKT_MASK    0x7F        /* 1 KiB units */
#define IGC_SRRCTL_DESCTYPE_SHIFT   25
#define IGC_SRRCTL_DESCTYPE_MASK    0x7
#define IGC_SRRCTL_DESCTYPE_ONEBUF  1
#define IGC_SRRCTL_TIMER1SEL_SHIFT  14
#define IGC_SRRCTL_TIMER0SEL_SHIFT  17
#define IGC_SRRCTL_TIMESTAMP        BIT(30)
#define IGC_SRRCTL_DROP_EN          BIT(31)

#define IGC_RXCSUM_IPOFL            BIT(8)
#define IGC_RXCSUM_TUOFL            BIT(9)
#define IGC_RXCSUM_PCSD             BIT(13)

#define IGC_MRQC_MRQE_MASK          0x7
#define IGC_MRQC_MRQE_RSS           2
#define IGC_MRQC_DEF_Q_SHIFT        3
#define IGC_MRQC_DEF_Q_MASK         0x7
#define IGC_MRQC_IPV4_TCP           BIT(16)
#define IGC_MRQC_IPV4               BIT(17)
#define IGC_MRQC_IPV6_TCP_EX        BIT(18)
#define IGC_MRQC_IPV6               BIT(20)
#define IGC_MRQC_IPV6_TCP           BIT(21)
#define IGC_MRQC_IPV4_UDP           BIT(22)
#define IGC_MRQC_IPV6_UDP           BIT(23)

/* RSS types in the RX descriptor (lo_dword bits 3:0) */
#define IGC_RSSTYPE_TCP_IPV4        1
#define IGC_RSSTYPE_IPV4            2
#define IGC_RSSTYPE_TCP_IPV6        3
#define IGC_RSSTYPE_IPV6            5
#define IGC_RSSTYPE_UDP_IPV4        7
#define IGC_RSSTYPE_UDP_IPV6        8

/* RX descriptor status/error (upper.status_error) */
#define IGC_RXD_STAT_DD             BIT(0)
#define IGC_RXD_STAT_EOP            BIT(1)
#define IGC_RXD_STAT_IXSM           BIT(2)
#define IGC_RXD_STAT_VP             BIT(3)
#define IGC_RXD_STAT_UDPCS          BIT(4)
#define IGC_RXD_STAT_TCPCS          BIT(5)
#define IGC_RXD_STAT_IPCS           BIT(6)
#define IGC_RXD_STAT_TSIP           BIT(15)
#define IGC_RXD_ERR_RXE             BIT(31)     /* MAC error: bad FCS */
#define IGC_RXD_ERR_L4E             BIT(29)
#define IGC_RXD_ERR_IPE             BIT(30)

/* TX descriptors */
#define IGC_TXD_DTALEN_MASK         0xFFFF
#define IGC_TXD_DTYP_SHIFT          20
#define IGC_TXD_DTYP_MASK           0xF
#define IGC_TXD_DTYP_CTXT           2
#define IGC_TXD_DTYP_DATA           3
#define IGC_TXD_TSTAMP_REG_SHIFT    16
#define IGC_TXD_MAC_TSTAMP          BIT(19)
#define IGC_TXD_CMD_EOP             BIT(24)
#define IGC_TXD_CMD_IFCS            BIT(25)
#define IGC_TXD_CMD_RS              BIT(27)
#define IGC_TXD_CMD_DEXT            BIT(29)
#define IGC_TXD_CMD_VLE             BIT(30)
#define IGC_TXD_CMD_TSE             BIT(31)
#define IGC_TXD_STAT_DD             BIT(0)
#define IGC_TXD_PTP_TIMER_1         BIT(5)      /* olinfo: timestamp timer 1 */
#define IGC_TXD_POPTS_IXSM          BIT(8)
#define IGC_TXD_POPTS_TXSM          BIT(9)
#define IGC_TXC_VLAN_SHIFT          16
#define IGC_TXC_MSS_SHIFT           16
/* mss_l4len_idx: the packet opens the next launch-time cycle */
#define IGC_TXC_TSN_FIRST           BIT(7)
#define IGC_DESC_SIZE           16
#define IGC_RING_ALIGN          128

#define IGC_TSYNCTXCTL_TXTT_MASK    0xF
#define IGC_TSYNCTXCTL_ENABLED      BIT(4)
#define IGC_TSYNCRXCTL_ENABLED      BIT(4)
#define IGC_TSICR_TXTS              BIT(1)

/* RX timestamp header (TSIP): timer 1, timer 0, each ns then s */
#define IGC_TS_HDR_LEN              16

#define IGC_NVM_CHECKSUM_WORD       0x3F
#define IGC_NVM_SUM                 0xBABA
#define IGC_MAX_STD_FRAME       1518    /* with FCS, without a VLAN tag */
#define IGC_VLAN_TAG_LEN        4

/* PHY registers (clause 22) and the MMD window */
#define IGC_PHY_BMCR                0
#define IGC_PHY_BMSR                1
#define IGC_PHY_ID1                 2
#define IGC_PHY_ID2                 3
#define IGC_PHY_ANAR                4
#define IGC_PHY_ANLPAR              5
#define IGC_PHY_1000T_CTRL          9
#define IGC_PHY_1000T_STATUS        10
#define IGC_PHY_MMD_CTRL            13
#define IGC_PHY_MMD_DATA            14

#define IGC_BMCR_ANRESTART          BIT(9)
#define IGC_BMCR_RESET              BIT(15)
#define IGC_BMSR_LINK               BIT(2)
#define IGC_BMSR_ANEG_COMPLETE      BIT(5)
#define IGC_MMD_DEV_AN              7
#define IGC_MMD_FUNC_DATA           0x4000

#endif
