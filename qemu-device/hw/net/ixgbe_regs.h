/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Intel 82599 10 GbE controller: register map, bit fields and descriptor
 * layouts used by the nicrig device model.
 *
 * Offsets are byte offsets into BAR0 as given in the 82599 datasheet
 * (section 8.2); IXGBE_IDX() turns one into an index of IXGBECore.mac[].
 *
 * Copyright (c) 2026 nicrig developers
 */

#ifndef HW_NET_IXGBE_REGS_H
#define HW_NET_IXGBE_REGS_H

#define IXGBE_IDX(off)          ((off) >> 2)

/* General control */
#define IXGBE_CTRL              0x00000
#define IXGBE_STATUS            0x00008
#define IXGBE_CTRL_EXT          0x00018
#define IXGBE_ESDP              0x00020
#define IXGBE_I2CCTL            0x00028
#define IXGBE_LEDCTL            0x00200
#define IXGBE_EEC               0x10010
#define IXGBE_EERD              0x10014
#define IXGBE_EEWR              0x10018
#define IXGBE_FLA               0x1001C
#define IXGBE_GRC               0x10200
#define IXGBE_SWSM              0x10140
#define IXGBE_FWSM              0x10148
#define IXGBE_FACTPS            0x10150
#define IXGBE_GSSR              0x10160
#define IXGBE_GCR_EXT           0x11050
#define IXGBE_PBACL0            0x11068

/* Interrupts */
#define IXGBE_EICR              0x00800
#define IXGBE_EICS              0x00808
#define IXGBE_EIAC              0x00810
#define IXGBE_EITR_LO           0x00820 /* EITR 0..23 */
#define IXGBE_EITR_HI           0x12300 /* EITR 24..127 */
#define IXGBE_EIMS              0x00880
#define IXGBE_EIMC              0x00888
#define IXGBE_EIAM              0x00890
#define IXGBE_EITRSEL           0x00894
#define IXGBE_GPIE              0x00898
#define IXGBE_IVAR0             0x00900 /* 64 of these */
#define IXGBE_IVAR_MISC         0x00A00
#define IXGBE_EICS_EX0          0x00A90 /* 2 of these */
#define IXGBE_EIMS_EX0          0x00AA0
#define IXGBE_EIMC_EX0          0x00AB0
#define IXGBE_EIAM_EX0          0x00AD0

/* Receive */
#define IXGBE_RXQ_BANK_LO       0x01000 /* queues 0..63, 0x40 each */
#define IXGBE_RXQ_BANK_HI       0x0D000 /* queues 64..127 */
#define IXGBE_RXQ_RDBAL         0x00
#define IXGBE_RXQ_RDBAH         0x04
#define IXGBE_RXQ_RDLEN         0x08
#define IXGBE_RXQ_DCA_RXCTRL    0x0C
#define IXGBE_RXQ_RDH           0x10
#define IXGBE_RXQ_SRRCTL        0x14
#define IXGBE_RXQ_RDT           0x18
#define IXGBE_RXQ_RXDCTL        0x28
#define IXGBE_RXQ_RSCCTL        0x2C
#define IXGBE_RXQ_QPRC          0x30    /* queues 0..15 */
#define IXGBE_RXQ_QBRC_L        0x34
#define IXGBE_RXQ_QBRC_H        0x38
#define IXGBE_QPRDC0            0x01430 /* 16 of these, stride 0x40 */
#define IXGBE_SRRCTL_ALIAS      0x02100 /* SRRCTL 0..15 */
#define IXGBE_DCA_RXCTRL_ALIAS  0x02200 /* DCA_RXCTRL 0..15 */
#define IXGBE_RQSMR0            0x02300
#define IXGBE_RDRXCTL           0x02F00
#define IXGBE_RXCTRL            0x03000
#define IXGBE_PFCTOP            0x03008
#define IXGBE_FCTTV0            0x03200
#define IXGBE_FCRTL0            0x03220
#define IXGBE_FCRTH0            0x03260
#define IXGBE_FCRTV             0x032A0
#define IXGBE_RXPBSIZE0         0x03C00
#define IXGBE_TXPBSIZE0         0x0CC00
#define IXGBE_FCCFG             0x03D00
#define IXGBE_RXCSUM            0x05000
#define IXGBE_RFCTL             0x05008
#define IXGBE_FCTRL             0x05080
#define IXGBE_VLNCTRL           0x05088
#define IXGBE_MCSTCTRL          0x05090
#define IXGBE_MTA0              0x05200 /* 128 of these */
#define IXGBE_RAL0              0x0A200 /* 128 RAL/RAH pairs */
#define IXGBE_RAL_ALIAS         0x05400 /* RAL/RAH 0..15 */
#define IXGBE_PSRTYPE0          0x05480
#define IXGBE_MRQC              0x05818
#define IXGBE_RETA0             0x05C00 /* 32 of these */
#define IXGBE_RSSRK0            0x05C80 /* 10 of these */
#define IXGBE_VFTA0             0x0A000 /* 128 of these */
#define IXGBE_SECRXCTRL         0x08D00
#define IXGBE_SECRXSTAT         0x08D04
#define IXGBE_SECTXCTRL         0x08800
#define IXGBE_SECTXSTAT         0x08804
#define IXGBE_FDIRCTRL          0x0EE00
#define IXGBE_FDIRCMD           0x0EE2C

/* Registers the driver programs that the model only stores */
#define IXGBE_RSCDBU            0x03028
#define IXGBE_PCS1GLCTL         0x04208
#define IXGBE_PCS1GANA          0x04218
#define IXGBE_MMNGC             0x042D0
#define IXGBE_LINKS2            0x04324
#define IXGBE_RTTDCS            0x04900
#define IXGBE_RTTDQSEL          0x04904
#define IXGBE_TXPBTHRESH0       0x04950 /* 8 of these */
#define IXGBE_RTTBCNRC          0x04984
#define IXGBE_RXMTRL            0x05120
#define IXGBE_ETQF0             0x05128 /* 8 of these */
#define IXGBE_ETQS0             0x0EC00 /* 8 of these */
#define IXGBE_TSYNCRXCTL        0x05188
#define IXGBE_RXSATRL           0x051A0 /* RXSATRL, RXSTMPH, RXSATRH */
#define IXGBE_VT_CTL            0x051B0
#define IXGBE_RXSTMPL           0x051E8
#define IXGBE_WUC               0x05800
#define IXGBE_WUFC              0x05808
#define IXGBE_WUS               0x05810
#define IXGBE_PFDTXGSWC         0x08220
#define IXGBE_TSYNCTXCTL        0x08C00
#define IXGBE_TXSTMPL           0x08C04 /* TXSTMPL, TXSTMPH */
#define IXGBE_SYSTIML           0x08C0C /* SYSTIML, SYSTIMH, TIMINCA, */
                                        /* TIMADJL, TIMADJH, TSAUXC */
#define IXGBE_MPSAR0            0x0A600 /* 128 LO/HI pairs */
#define IXGBE_FDIRHASH          0x0EE28
#define IXGBE_FDIRHKEY          0x0EE68
#define IXGBE_FDIRSKEY          0x0EE6C
#define IXGBE_VMOLR0            0x0F000 /* 64 of these */
#define IXGBE_VLVF0             0x0F100 /* 64 of these */
#define IXGBE_VLVFB0            0x0F200 /* 128 of these */
#define IXGBE_UTA0              0x0F400 /* 128 of these */
#define IXGBE_HICR              0x15F00
#define IXGBE_FWSTS             0x15F0C
#define IXGBE_PXON2OFFCNT0      0x03240 /* 8 of these */

/* Transmit */
#define IXGBE_TXQ_BANK          0x06000 /* queues 0..127, 0x40 each */
#define IXGBE_TXQ_TDBAL         0x00
#define IXGBE_TXQ_TDBAH         0x04
#define IXGBE_TXQ_TDLEN         0x08
#define IXGBE_TXQ_DCA_TXCTRL    0x0C
#define IXGBE_TXQ_TDH           0x10
#define IXGBE_TXQ_TDT           0x18
#define IXGBE_TXQ_TXDCTL        0x28
#define IXGBE_TXQ_QPTC          0x30    /* queues 0..15 */
#define IXGBE_TXQ_TDWBAL        0x38
#define IXGBE_TXQ_TDWBAH        0x3C
#define IXGBE_DMATXCTL          0x04A80
#define IXGBE_MTQC              0x08120
#define IXGBE_QBTC_L0           0x08700 /* 16 pairs, stride 8 */

/* MAC */
#define IXGBE_PCS1GLSTA         0x0420C
#define IXGBE_HLREG0            0x04240
#define IXGBE_HLREG1            0x04244
#define IXGBE_MSCA              0x0425C
#define IXGBE_MSRWD             0x04260
#define IXGBE_MAXFRS            0x04268
#define IXGBE_MFLCN             0x04294
#define IXGBE_AUTOC             0x042A0
#define IXGBE_LINKS             0x042A4
#define IXGBE_AUTOC2            0x042A8
#define IXGBE_AUTOC3            0x042AC
#define IXGBE_ANLP1             0x042B0
#define IXGBE_ANLP2             0x042B4

/* Statistics (all clear on read) */
#define IXGBE_CRCERRS           0x04000
#define IXGBE_ILLERRC           0x04004
#define IXGBE_ERRBC             0x04008
#define IXGBE_MSPDC             0x04010
#define IXGBE_MLFC              0x04034
#define IXGBE_MRFC              0x04038
#define IXGBE_RLEC              0x04040
#define IXGBE_PRC64             0x0405C
#define IXGBE_PRC127            0x04060
#define IXGBE_PRC255            0x04064
#define IXGBE_PRC511            0x04068
#define IXGBE_PRC1023           0x0406C
#define IXGBE_PRC1522           0x04070
#define IXGBE_GPRC              0x04074
#define IXGBE_BPRC              0x04078
#define IXGBE_MPRC              0x0407C
#define IXGBE_GPTC              0x04080
#define IXGBE_GORCL             0x04088
#define IXGBE_GORCH             0x0408C
#define IXGBE_GOTCL             0x04090
#define IXGBE_GOTCH             0x04094
#define IXGBE_RUC               0x040A4
#define IXGBE_RFC               0x040A8
#define IXGBE_ROC               0x040AC
#define IXGBE_RJC               0x040B0
#define IXGBE_TORL              0x040C0
#define IXGBE_TORH              0x040C4
#define IXGBE_TPR               0x040D0
#define IXGBE_TPT               0x040D4
#define IXGBE_PTC64             0x040D8
#define IXGBE_PTC127            0x040DC
#define IXGBE_PTC255            0x040E0
#define IXGBE_PTC511            0x040E4
#define IXGBE_PTC1023           0x040E8
#define IXGBE_PTC1522           0x040EC
#define IXGBE_MPTC              0x040F0
#define IXGBE_BPTC              0x040F4
#define IXGBE_XEC               0x04120
#define IXGBE_STATS_LO          0x04000 /* MAC statistics block */
#define IXGBE_STATS_HI          0x041FC
#define IXGBE_MPC0              0x03FA0 /* 8 of these */
#define IXGBE_RNBC0             0x03FC0 /* 8 of these */
#define IXGBE_LXONTXC           0x03F60
#define IXGBE_LXOFFTXC          0x03F68
#define IXGBE_PXONTXC0          0x03F00
#define IXGBE_PXOFFTXC0         0x03F20
#define IXGBE_PXONRXC0          0x0CF00
#define IXGBE_PXOFFRXC0         0x0CF20
#define IXGBE_LXONRXC           0x0CF60
#define IXGBE_LXOFFRXC          0x0CF68
#define IXGBE_MNGPTC            0x0CF90
#define IXGBE_RXDGPC            0x02F50
#define IXGBE_RXDGBCL           0x02F54
#define IXGBE_RXDGBCH           0x02F58
#define IXGBE_TXDGPC            0x087A0
#define IXGBE_TXDGBCL           0x087A4
#define IXGBE_TXDGBCH           0x087A8
#define IXGBE_SSVPC             0x08780
#define IXGBE_FCCRC             0x05118
#define IXGBE_FDIRUSTAT         0x0EE50
#define IXGBE_FDIRFSTAT         0x0EE54
#define IXGBE_FDIRMATCH         0x0EE58
#define IXGBE_FDIRMISS          0x0EE5C
#define IXGBE_FDIRLEN           0x0EE4C

/* Size of the register file we keep: everything below 0x20000. */
#define IXGBE_MAC_SIZE          IXGBE_IDX(0x20000)

/* CTRL */
#define IXGBE_CTRL_GIO_DIS      0x00000004
#define IXGBE_CTRL_LNK_RST      0x00000008
#define IXGBE_CTRL_RST          0x04000000

/* STATUS */
#define IXGBE_STATUS_LAN_ID     0x0000000C
#define IXGBE_STATUS_LINKUP     0x00000080
#define IXGBE_STATUS_GIO        0x00080000

/* EEC / EERD */
#define IXGBE_EEC_REQ           0x00000040
#define IXGBE_EEC_GNT           0x00000080
#define IXGBE_EEC_PRES          0x00000100
#define IXGBE_EEC_ARD           0x00000200
#define IXGBE_EEC_SIZE_SHIFT    11
#define IXGBE_EERD_START        0x00000001
#define IXGBE_EERD_DONE         0x00000002
#define IXGBE_EERD_ADDR_SHIFT   2
#define IXGBE_EERD_ADDR_MASK    0x3FFF
#define IXGBE_EERD_DATA_SHIFT   16

/* FWSM: firmware valid, no manageability mode, no errors */
#define IXGBE_FWSM_FW_VAL_BIT   0x00008000

/* SWSM */
#define IXGBE_SWSM_SMBI         0x00000001
#define IXGBE_SWSM_SWESMBI      0x00000002

/* MSCA (MDIO) */
#define IXGBE_MSCA_MDI_COMMAND  0x40000000
#define IXGBE_MSCA_OP_SHIFT     26
#define IXGBE_MSCA_OP_ADDR      0
#define IXGBE_MSCA_OP_WRITE     1
#define IXGBE_MSCA_OP_READ      3   /* READ and READ_INC_ADDR (2) */

/* HLREG0 */
#define IXGBE_HLREG0_RXCRCSTRP  0x00000002
#define IXGBE_HLREG0_JUMBOEN    0x00000004
#define IXGBE_HLREG0_LPBK       0x00008000
#define IXGBE_HLREG0_RXLNGTHERREN 0x08000000    /* 802.3 length check, RLEC */

/* MAXFRS (the driver calls it MHADD): max frame size, FCS included */
#define IXGBE_MAXFRS_MFS_SHIFT  16
#define IXGBE_MAX_STD_FRAME     1518    /* used while HLREG0.JUMBOEN = 0 */
#define IXGBE_VLAN_TAG_LEN      4
#define IXGBE_MAX_LENGTH_FIELD  1500    /* above: an ethertype */

/* AUTOC / LINKS / ANLP1 */
#define IXGBE_AUTOC_KR_SUPP     0x00010000
#define IXGBE_AUTOC_KX4_SUPP    0x80000000
#define IXGBE_AUTOC_KX_SUPP     0x40000000
#define IXGBE_AUTOC_LMS_KX4_KX_KR (0x4 << 13)
#define IXGBE_AUTOC_AN_RESTART  0x00001000
#define IXGBE_AUTOC2_LINK_DISABLE_MASK 0x70000000
#define IXGBE_LINKS_KX_AN_COMP  0x80000000
#define IXGBE_LINKS_UP          0x40000000
#define IXGBE_LINKS_SPEED_10G   0x30000000
#define IXGBE_LINKS_STATUS      0x00000080
#define IXGBE_ANLP1_AN_STATE_ST 0x00010000

/* RXCTRL, FCTRL, VLNCTRL, MCSTCTRL, RXCSUM, RDRXCTL, SECRX */
#define IXGBE_RXCTRL_RXEN       0x00000001
#define IXGBE_FCTRL_SBP         0x00000002
#define IXGBE_FCTRL_MPE         0x00000100
#define IXGBE_FCTRL_UPE         0x00000200
#define IXGBE_FCTRL_BAM         0x00000400
#define IXGBE_VLNCTRL_VFE       0x40000000
#define IXGBE_MCSTCTRL_MFE      0x00000004
#define IXGBE_MCSTCTRL_MO_MASK  0x00000003
#define IXGBE_RXCSUM_PCSD       0x00002000
#define IXGBE_RDRXCTL_DMAIDONE  0x00000008
#define IXGBE_SECRXCTRL_RX_DIS  0x00000002
#define IXGBE_SECRXSTAT_RDY     0x00000001
#define IXGBE_SECTXSTAT_RDY     0x00000001
#define IXGBE_FDIRCTRL_INIT_DONE 0x00000008
#define IXGBE_FDIRCMD_CMD_MASK  0x00000003
#define IXGBE_RAH_AV            0x80000000
#define IXGBE_RAH_WMASK         0x8000FFFF      /* AV, address bits 47:32 */
#define IXGBE_FCRT_WMASK        0x8007FFF0      /* FCRTL/FCRTH: XON, RTL/RTH */

/* Queue control */
#define IXGBE_RXDCTL_ENABLE     0x02000000
#define IXGBE_RXDCTL_SWFLSH     0x04000000
#define IXGBE_RXDCTL_VME        0x40000000
#define IXGBE_TXDCTL_ENABLE     0x02000000
#define IXGBE_TXDCTL_SWFLSH     0x04000000
#define IXGBE_DMATXCTL_TE       0x00000001
#define IXGBE_SRRCTL_BSIZEPKT_MASK 0x0000001F   /* in KiB */
#define IXGBE_SRRCTL_DESCTYPE_SHIFT 25
#define IXGBE_SRRCTL_DESCTYPE_MASK  0x7
#define IXGBE_SRRCTL_DESCTYPE_LEGACY 0
#define IXGBE_SRRCTL_DESCTYPE_ADV_ONEBUF 1
#define IXGBE_SRRCTL_DROP_EN    0x10000000
#define IXGBE_TDWBAL_HEAD_WB_EN 0x00000001

/* MRQC */
#define IXGBE_MRQC_MRQE_MASK    0x0000000F
#define IXGBE_MRQC_RSS_IPV4_TCP 0x00010000
#define IXGBE_MRQC_RSS_IPV4     0x00020000
#define IXGBE_MRQC_RSS_IPV6     0x00100000
#define IXGBE_MRQC_RSS_IPV6_TCP 0x00200000
#define IXGBE_MRQC_RSS_IPV4_UDP 0x00400000
#define IXGBE_MRQC_RSS_IPV6_UDP 0x00800000

/* Interrupt causes (EICR) and GPIE */
#define IXGBE_EICR_RTX_QUEUE    0x0000FFFF
#define IXGBE_EICR_LSC          0x00100000
#define IXGBE_EICR_TCP_TIMER    0x40000000
#define IXGBE_EICR_OTHER        0x80000000
#define IXGBE_EICR_MISC_MASK    0xFFFF0000
/* causes that also raise EICR.OTHER */
#define IXGBE_EICR_OTHER_CAUSES 0x3FFF0000
#define IXGBE_GPIE_MSIX_MODE    0x00000010
#define IXGBE_GPIE_OCD          0x00000020
#define IXGBE_GPIE_EIAME        0x40000000
#define IXGBE_GPIE_PBA_SUPPORT  0x80000000
#define IXGBE_IVAR_ALLOC_VAL    0x80
#define IXGBE_IVAR_VECTOR_MASK  0x3F
#define IXGBE_EITR_INTERVAL_MASK 0x00000FF8
#define IXGBE_EITR_CNT_WDIS     0x80000000

/* EEPROM words */
#define IXGBE_EEPROM_CTRL_2     0x01
#define IXGBE_EEPROM_ANALOG_PTR 0x03
#define IXGBE_EEPROM_LAN0_PTR   0x09
#define IXGBE_EEPROM_FW_PTR     0x0F
#define IXGBE_EEPROM_PBA0       0x15
#define IXGBE_EEPROM_PBA1       0x16
#define IXGBE_EEPROM_ALT_SAN    0x27
#define IXGBE_EEPROM_SAN_MAC    0x28
#define IXGBE_EEPROM_DEV_CAPS   0x2C
#define IXGBE_EEPROM_CHECKSUM   0x3F
#define IXGBE_EEPROM_SUM        0xBABA

/* Advanced receive descriptor */
typedef struct IXGBERxDescRead {
    uint64_t pkt_addr;
    uint64_t hdr_addr;
} IXGBERxDescRead;

#define IXGBE_RXD_STAT_DD       0x00000001
#define IXGBE_RXD_STAT_EOP      0x00000002
#define IXGBE_RXD_STAT_VP       0x00000008
#define IXGBE_RXD_STAT_UDPCS    0x00000010
#define IXGBE_RXD_STAT_L4CS     0x00000020
#define IXGBE_RXD_STAT_IPCS     0x00000040
#define IXGBE_RXD_ERR_CE        0x01000000      /* CRC (FCS) */
#define IXGBE_RXD_ERR_LE        0x02000000      /* length field */
#define IXGBE_RXD_ERR_OSE       0x10000000      /* oversize */
#define IXGBE_RXD_ERR_USE       0x20000000      /* undersize */
#define IXGBE_RXD_ERR_TCPE      0x40000000
#define IXGBE_RXD_ERR_IPE       0x80000000

#define IXGBE_RXD_RSSTYPE_NONE      0x0
#define IXGBE_RXD_RSSTYPE_IPV4_TCP  0x1
#define IXGBE_RXD_RSSTYPE_IPV4      0x2
#define IXGBE_RXD_RSSTYPE_IPV6_TCP  0x3
#define IXGBE_RXD_RSSTYPE_IPV6      0x5
#define IXGBE_RXD_RSSTYPE_IPV4_UDP  0x7
#define IXGBE_RXD_RSSTYPE_IPV6_UDP  0x8
#define IXGBE_RXD_PKTTYPE_IPV4      0x0010
#define IXGBE_RXD_PKTTYPE_IPV6      0x0040
#define IXGBE_RXD_PKTTYPE_TCP       0x0100
#define IXGBE_RXD_PKTTYPE_UDP       0x0200
#define IXGBE_RXD_PKTTYPE_SCTP      0x0400

/* Transmit descriptors (advanced and legacy share the 16-byte slot) */
typedef struct IXGBETxDesc {
    uint64_t addr;          /* data: buffer; context: vlan_macip_lens/seed */
    uint32_t cmd_type_len;  /* context: type_tucmd_mlhl */
    uint32_t olinfo_status; /* context: mss_l4len_idx */
} IXGBETxDesc;

#define IXGBE_TXD_DTALEN_MASK   0x0000FFFF
#define IXGBE_TXD_MAX_BUF       (16 * 1024)     /* bytes per data buffer */
#define IXGBE_TXD_DTYP_SHIFT    20
#define IXGBE_TXD_DTYP_MASK     0xF
#define IXGBE_TXD_DTYP_CTXT     0x2
#define IXGBE_TXD_DTYP_DATA     0x3
#define IXGBE_TXD_CMD_EOP       0x01000000
#define IXGBE_TXD_CMD_IFCS      0x02000000
#define IXGBE_TXD_CMD_RS        0x08000000
#define IXGBE_TXD_CMD_DEXT      0x20000000
#define IXGBE_TXD_CMD_VLE       0x40000000
#define IXGBE_TXD_CMD_TSE       0x80000000
#define IXGBE_TXD_STAT_DD       0x00000001
#define IXGBE_TXD_IDX_SHIFT     4
#define IXGBE_TXD_CC            0x00000080
#define IXGBE_TXD_POPTS_IXSM    0x00000100
#define IXGBE_TXD_POPTS_TXSM    0x00000200
#define IXGBE_TXD_PAYLEN_SHIFT  14
#define IXGBE_TXC_VLAN_SHIFT    16
#define IXGBE_TXC_TUCMD_IPV4    0x00000400
#define IXGBE_TXC_TUCMD_L4T_MASK 0x00001800
#define IXGBE_TXC_TUCMD_L4T_UDP 0x00000000
#define IXGBE_TXC_TUCMD_L4T_TCP 0x00000800
#define IXGBE_TXC_TUCMD_L4T_SCTP 0x00001000
#define IXGBE_TXC_MSS_SHIFT     16
/* legacy descriptor: CSO/CSS/VLAN live in the upper dword */
#define IXGBE_LTXD_LEN_MASK     0x0000FFFF

#endif
