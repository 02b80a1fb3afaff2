/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * qtests for nicrig's Intel I225 (igc) model: reset, NVM, PHY over MDIC,
 * the registers igc's ethtool self-test checks, rings, RSS, interrupts,
 * PTP timestamps and bad guest programming, without a guest driver.
 *
 * Copyright (c) 2026 nicrig developers
 */

#include "qemu/osdep.h"
#include "libqtest-single.h"
#include "libqos/pci-pc.h"
#include "qemu/module.h"
#include "qemu/bitops.h"
#include "libqos/libqos-malloc.h"
#include "libqos/igc.h"
#include "libqos/nicrig-net.h"

#ifndef _WIN32

static const uint8_t own_mac[ETH_ALEN] = QIGC_MAC;

typedef struct RxResult {
    uint32_t status;
    uint16_t length;
    uint16_t vlan;
    uint32_t hash;
    uint16_t rss_type;
} RxResult;

static QIGC *node(void *obj)
{
    QOSGraphObject *o = obj;

    return o->get_driver(o, "igc-if");
}

static size_t make_frame(uint8_t *buf, size_t len, uint8_t seed)
{
    return make_frame_to(buf, len, seed, own_mac);
}

/* Send @frame from queue @q as one advanced data descriptor */
static uint64_t tx_frame(QIGC *d, QGuestAllocator *alloc, int q,
                         const uint8_t *frame, size_t len, uint32_t cmd_extra,
                         uint32_t olinfo_extra)
{
    uint64_t buf = guest_alloc(alloc, len);
    uint64_t daddr;

    memwrite(buf, frame, len);
    daddr = qigc_tx_push(d, q, buf, IGC_TXD_CMD_EOP | IGC_TXD_CMD_RS |
                         IGC_TXD_CMD_IFCS | IGC_TXD_CMD_DEXT |
                         IGC_TXD_DTYP_DATA << IGC_TXD_DTYP_SHIFT | len |
                         cmd_extra,
                         len << 14 | olinfo_extra);
    g_assert_true(qigc_wait_status(d, daddr + 12, IGC_TXD_STAT_DD));
    g_assert_cmpuint(qigc_read(d, qigc_q_reg(true, q, IGC_Q_HEAD)), ==,
                     d->tx_tail[q]);
    guest_free(alloc, buf);
    return daddr;
}

static void rx_read_wb(uint64_t daddr, RxResult *r)
{
    uint8_t wb[16];

    memread(daddr, wb, sizeof(wb));
    r->rss_type = lduw_le_p(wb) & 0xF;
    r->hash = ldl_le_p(wb + 4);
    r->status = ldl_le_p(wb + 8);
    r->length = lduw_le_p(wb + 12);
    r->vlan = lduw_le_p(wb + 14);
}

/* Post one buffer on queue @q, deliver @frame from the wire, read it */
static void rx_frame(QIGC *d, int *sockets, QGuestAllocator *alloc, int q,
                     const uint8_t *frame, size_t len, RxResult *r,
                     uint8_t *got)
{
    uint64_t buf = guest_alloc(alloc, QIGC_BUF_SIZE);
    uint64_t daddr = qigc_rx_push(d, q, buf);

    wire_send(sockets, frame, len);
    g_assert_true(qigc_wait_status(d, daddr + 8, IGC_RXD_STAT_DD));
    rx_read_wb(daddr, r);
    g_assert_cmphex(r->status & IGC_RXD_STAT_EOP, ==, IGC_RXD_STAT_EOP);
    memread(buf, got, r->length);
    guest_free(alloc, buf);
}

/* A frame that must not arrive: the descriptor stays untouched */
static void rx_none(QIGC *d, int *sockets, QGuestAllocator *alloc,
                    const uint8_t *frame, size_t len)
{
    uint64_t buf = guest_alloc(alloc, QIGC_BUF_SIZE);
    uint64_t daddr = qigc_rx_push(d, 0, buf);
    uint32_t st;

    wire_send(sockets, frame, len);
    clock_step(1000000);
    memread(daddr + 8, &st, sizeof(st));
    g_assert_cmphex(le32_to_cpu(st) & IGC_RXD_STAT_DD, ==, 0);
    /* take the descriptor back for the next test step */
    qigc_write(d, qigc_q_reg(false, 0, IGC_Q_DCTL), 0);
    qigc_setup_queue(d, 0);
    guest_free(alloc, buf);
}

/* ---- tests ---- */

static void test_init(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint32_t st = qigc_read(d, IGC_STATUS);

    /* link up, full duplex, 2.5 Gb/s (bits 22 and 7, as igc decodes it) */
    g_assert_cmphex(st & (IGC_STATUS_LU | IGC_STATUS_FD |
                          IGC_STATUS_SPEED_1000 | IGC_STATUS_SPEED_2500), ==,
                    IGC_STATUS_LU | IGC_STATUS_FD | IGC_STATUS_SPEED_1000 |
                    IGC_STATUS_SPEED_2500);
    g_assert_cmphex(qigc_read(d, IGC_EECD) & IGC_EECD_FLASH_DETECTED, ==,
                    IGC_EECD_FLASH_DETECTED);
    g_assert_cmphex(qigc_read(d, IGC_RAL0), ==, ldl_le_p(own_mac));
    g_assert_cmphex(qigc_read(d, IGC_RAH0), ==,
                    lduw_le_p(own_mac + 4) | BIT(31));
    g_assert_cmphex(qigc_read(d, IGC_PHPM) & IGC_PHPM_RST_COMPL, ==,
                    IGC_PHPM_RST_COMPL);
}

static void test_reset(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);

    qigc_write(d, IGC_RAL0, 0x12345678);
    qigc_write(d, IGC_MTA + 8, 0xFFFF);
    qigc_write(d, IGC_CTRL, IGC_CTRL_RST);
    g_assert_cmphex(qigc_read(d, IGC_CTRL) & IGC_CTRL_RST, ==, 0);
    g_assert_cmphex(qigc_read(d, IGC_RAL0), ==, ldl_le_p(own_mac));
    g_assert_cmphex(qigc_read(d, IGC_MTA + 8), ==, 0);
    g_assert_cmphex(qigc_read(d, IGC_RCTL), ==, 0);
    g_assert_cmphex(qigc_read(d, qigc_q_reg(false, 0, IGC_Q_DCTL)), ==, 0);
    g_assert_cmphex(qigc_read(d, IGC_RXCSUM), ==,
                    IGC_RXCSUM_IPOFL | IGC_RXCSUM_TUOFL);

    /* semaphores: SMBI is taken by reading it */
    g_assert_cmphex(qigc_read(d, IGC_SWSM) & IGC_SWSM_SMBI, ==, 0);
    g_assert_cmphex(qigc_read(d, IGC_SWSM) & IGC_SWSM_SMBI, ==,
                    IGC_SWSM_SMBI);
    qigc_write(d, IGC_SWSM, 0);
    g_assert_cmphex(qigc_read(d, IGC_SWSM) & IGC_SWSM_SMBI, ==, 0);
}

static void test_nvm(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint16_t sum = 0;
    uint32_t v;
    int i;

    for (i = 0; i <= IGC_NVM_CHECKSUM_WORD; i++) {
        sum += qigc_nvm_read(d, i);
    }
    g_assert_cmphex(sum, ==, IGC_NVM_SUM);
    for (i = 0; i < 3; i++) {
        g_assert_cmphex(qigc_nvm_read(d, i), ==, lduw_le_p(own_mac + 2 * i));
    }
    /* SRWR writes a word EERD then reads */
    qigc_write(d, IGC_SRWR, 0x40 << IGC_EERD_ADDR_SHIFT | IGC_EERD_START |
               0xBEEFu << IGC_EERD_DATA_SHIFT);
    g_assert_cmphex(qigc_read(d, IGC_SRWR) & IGC_EERD_DONE, ==,
                    IGC_EERD_DONE);
    g_assert_cmphex(qigc_nvm_read(d, 0x40), ==, 0xBEEF);
    /* beyond the 1024 words: done, no data, no crash */
    qigc_write(d, IGC_EERD, 0x3FFF << IGC_EERD_ADDR_SHIFT | IGC_EERD_START);
    v = qigc_read(d, IGC_EERD);
    g_assert_cmphex(v, ==, (0x3FFF << IGC_EERD_ADDR_SHIFT | IGC_EERD_DONE) &
                    0xFFFF);
}

static void test_mdic(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint32_t v;

    v = qigc_mdic(d, 0, IGC_PHY_ID1, false, 0);
    g_assert_cmphex(v & IGC_MDIC_DATA_MASK, ==, 0x67C9);
    g_assert_cmphex(qigc_mdic(d, 0, IGC_PHY_BMSR, false, 0) &
                    (IGC_BMSR_LINK | IGC_BMSR_ANEG_COMPLETE), ==,
                    IGC_BMSR_LINK | IGC_BMSR_ANEG_COMPLETE);
    /* only PHY address 0 answers */
    v = qigc_mdic(d, 1, IGC_PHY_ID1, false, 0);
    g_assert_cmphex(v & IGC_MDIC_ERROR, ==, IGC_MDIC_ERROR);

    /* MMD 7.0x20 through registers 13/14: 2.5G advertised, writable */
    qigc_mdic(d, 0, IGC_PHY_MMD_CTRL, true, IGC_MMD_DEV_AN);
    qigc_mdic(d, 0, IGC_PHY_MMD_DATA, true, 0x20);
    qigc_mdic(d, 0, IGC_PHY_MMD_CTRL, true,
              IGC_MMD_FUNC_DATA | IGC_MMD_DEV_AN);
    v = qigc_mdic(d, 0, IGC_PHY_MMD_DATA, false, 0);
    g_assert_cmphex(v & BIT(7), ==, BIT(7));
    qigc_mdic(d, 0, IGC_PHY_MMD_DATA, true, 0);
    v = qigc_mdic(d, 0, IGC_PHY_MMD_DATA, false, 0);
    g_assert_cmphex(v & IGC_MDIC_DATA_MASK, ==, 0);

    /* power-down (BMCR bit 11) takes the link down, and back */
    qigc_mdic(d, 0, IGC_PHY_BMCR, true, 0x1140 | BIT(11));
    g_assert_cmphex(qigc_read(d, IGC_STATUS) & IGC_STATUS_LU, ==, 0);
    qigc_mdic(d, 0, IGC_PHY_BMCR, true, 0x1140);
    g_assert_cmphex(qigc_read(d, IGC_STATUS) & IGC_STATUS_LU, ==,
                    IGC_STATUS_LU);
}

/* What igc_reg_test (igc_diag.c) expects of the registers it pattern-tests */
static void test_reg_masks(void *obj, void *data, QGuestAllocator *alloc)
{
    static const struct {
        uint32_t reg, kept;
    } regs[] = {
        { IGC_FCAL, 0xFFFFFFFF }, { IGC_FCAH, 0xFFFF }, { IGC_FCT, 0xFFFF },
        { IGC_RXQ0 + IGC_Q_BAH, 0xFFFFFFFF },
        { IGC_RXQ0 + IGC_Q_BAL, 0xFFFFFF80 },
        { IGC_RXQ0 + IGC_Q_LEN, 0xFFF80 }, { IGC_RXQ0 + IGC_Q_TAIL, 0xFFFF },
        { IGC_FCRTH, 0x3FFF0 }, { IGC_FCTTV, 0xFFFF },
        { IGC_TIPG, 0x3FFFFFFF }, { IGC_TXQ0 + IGC_Q_BAL, 0xFFFFFF80 },
        { IGC_TXQ0 + IGC_Q_LEN, 0xFFF80 }, { IGC_RAH0 + 8, 0x900FFFFF },
        { IGC_RAL0 + 8, 0xFFFFFFFF }, { IGC_MTA + 4 * 127, 0xFFFFFFFF },
    };
    QIGC *d = node(obj);
    uint32_t st = qigc_read(d, IGC_STATUS);
    int i;

    /* the driver stops the queues before it runs the test */
    qigc_write(d, IGC_RCTL, 0);
    qigc_write(d, IGC_TCTL, 0);
    for (i = 0; i < ARRAY_SIZE(regs); i++) {
        qigc_write(d, regs[i].reg, 0xFFFFFFFF);
        g_assert_cmphex(qigc_read(d, regs[i].reg), ==, regs[i].kept);
        qigc_write(d, regs[i].reg, 0x5A5A5A5A);
        g_assert_cmphex(qigc_read(d, regs[i].reg), ==,
                        0x5A5A5A5A & regs[i].kept);
        qigc_write(d, regs[i].reg, 0);
    }
    /* STATUS ignores writes; RCTL stores what the test writes */
    qigc_write(d, IGC_STATUS, 0x6800D3);
    g_assert_cmphex(qigc_read(d, IGC_STATUS), ==, st);
    qigc_write(d, IGC_RCTL, 0x04CFB2FE);
    g_assert_cmphex(qigc_read(d, IGC_RCTL), ==, 0x04CFB2FE);
    qigc_write(d, IGC_RCTL, 0);
}

static void test_tx(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[64], got[64];
    int q;

    for (q = 0; q < QIGC_QUEUES; q++) {
        make_frame(frame, sizeof(frame), q);
        tx_frame(d, alloc, q, frame, sizeof(frame), 0, 0);
        g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==,
                         sizeof(frame));
        g_assert_false(memcmp(got, frame, sizeof(frame)));
        g_assert_true(qigc_wait_msix(d, QIGC_QUEUE_VECTOR(q)));
    }
    g_assert_cmpuint(qigc_read(d, IGC_GPTC), ==, QIGC_QUEUES);
    g_assert_cmpuint(qigc_read(d, IGC_GPTC), ==, 0);    /* clear on read */
    g_assert_cmpuint(qigc_read(d, IGC_GOTCL), ==, QIGC_QUEUES * (64 + 4));
}

/* UDP/IPv4 with TXSM|IXSM: the model fills both checksums */
static void test_tx_csum(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[14 + 20 + 8 + 32], got[sizeof(frame)];
    uint8_t *ip = frame + 14, *udp = ip + 20;
    uint8_t pseudo[12];
    uint32_t psum = 0;
    int i;

    memset(frame, 0, sizeof(frame));
    make_frame(frame, 14, 0);
    stw_be_p(frame + 12, ETH_P_IP);
    ip[0] = 0x45;
    stw_be_p(ip + 2, 20 + 8 + 32);
    ip[8] = 64;
    ip[9] = IP_PROTO_UDP;
    memcpy(ip + 12, rss_ms_sip, 4);
    memcpy(ip + 16, rss_ms_dip, 4);
    stw_be_p(udp, 1000);
    stw_be_p(udp + 2, 2000);
    stw_be_p(udp + 4, 8 + 32);
    for (i = 0; i < 32; i++) {
        udp[8 + i] = i;
    }
    /* context: MACLEN 14, IPLEN 20, IPv4 UDP */
    qigc_tx_push(d, 0, (uint64_t)(14 << 9 | 20), IGC_TXD_CMD_DEXT |
                 IGC_TXD_DTYP_CTXT << IGC_TXD_DTYP_SHIFT | BIT(10), 0);
    tx_frame(d, alloc, 0, frame, sizeof(frame), 0,
             IGC_TXD_POPTS_TXSM | IGC_TXD_POPTS_IXSM);
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(frame));

    g_assert_cmphex(inet_csum(got + 14, 20, 0), ==, 0);
    memcpy(pseudo, got + 14 + 12, 8);
    pseudo[8] = 0;
    pseudo[9] = IP_PROTO_UDP;
    stw_be_p(pseudo + 10, 8 + 32);
    for (i = 0; i < 12; i += 2) {
        psum += lduw_be_p(pseudo + i);
    }
    g_assert_cmphex(inet_csum(got + 34, 8 + 32, psum), ==, 0);
}

static void test_rx(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[100], got[QIGC_BUF_SIZE];
    RxResult r;

    make_frame(frame, sizeof(frame), 7);
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r, got);
    g_assert_cmpuint(r.length, ==, sizeof(frame));
    g_assert_false(memcmp(got, frame, sizeof(frame)));
    g_assert_true(qigc_wait_msix(d, QIGC_QUEUE_VECTOR(0)));
    g_assert_cmpuint(qigc_read(d, qigc_q_reg(false, 0, IGC_Q_HEAD)), ==, 1);
    g_assert_cmpuint(qigc_read(d, IGC_GPRC), ==, 1);
    g_assert_cmpuint(qigc_read(d, IGC_GORCL), ==, sizeof(frame) + 4);

    /* a short frame is padded to 60 bytes */
    rx_frame(d, data, alloc, 0, frame, 20, &r, got);
    g_assert_cmpuint(r.length, ==, ETH_ZLEN);

    /* without SECRC the FCS is kept */
    qigc_write(d, IGC_RCTL, IGC_RCTL_EN | IGC_RCTL_BAM);
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r, got);
    g_assert_cmpuint(r.length, ==, sizeof(frame) + 4);
    /* the octet counters count each frame's FCS once, kept or stripped */
    g_assert_cmpuint(qigc_read(d, IGC_GORCL), ==,
                     (ETH_ZLEN + 4) + (sizeof(frame) + 4));
}

static void test_rx_multi_buffer(void *obj, void *data,
                                 QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[3000], got[3000];
    uint64_t buf[3], daddr[3];
    RxResult r;
    int i;

    qigc_write(d, IGC_RCTL, IGC_RCTL_EN | IGC_RCTL_SECRC | IGC_RCTL_LPE);
    qigc_write(d, IGC_RLPML, 9018);
    qigc_write(d, qigc_q_reg(false, 0, IGC_Q_SRRCTL),
               IGC_SRRCTL_DESCTYPE_ONEBUF << IGC_SRRCTL_DESCTYPE_SHIFT | 1);
    for (i = 0; i < 3; i++) {
        buf[i] = guest_alloc(alloc, 1024);
        daddr[i] = qigc_rx_push(d, 0, buf[i]);
    }
    make_frame(frame, sizeof(frame), 3);
    wire_send(data, frame, sizeof(frame));
    g_assert_true(qigc_wait_status(d, daddr[2] + 8, IGC_RXD_STAT_DD));
    for (i = 0; i < 3; i++) {
        rx_read_wb(daddr[i], &r);
        g_assert_cmpuint(r.length, ==, i < 2 ? 1024 : 3000 - 2048);
        g_assert_cmphex(r.status & IGC_RXD_STAT_EOP, ==,
                        i < 2 ? 0 : IGC_RXD_STAT_EOP);
        memread(buf[i], got + 1024 * i, r.length);
    }
    g_assert_false(memcmp(got, frame, sizeof(frame)));
}

/* RCTL.LPE with RLPML, or 1518 (1522 tagged) without: longer is ROC */
static void test_rx_max_frame(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[2100], got[QIGC_BUF_SIZE];
    RxResult r;

    make_frame(frame, sizeof(frame), 1);
    rx_frame(d, data, alloc, 0, frame, 1514, &r, got);
    rx_none(d, data, alloc, frame, 1515);
    g_assert_cmpuint(qigc_read(d, IGC_ROC), ==, 1);
    stw_be_p(frame + 12, ETH_P_VLAN);       /* a tag allows 4 bytes more */
    rx_frame(d, data, alloc, 0, frame, 1518, &r, got);
    rx_none(d, data, alloc, frame, 1519);
    stw_be_p(frame + 12, 0x88B5);

    /* igc's own programming at MTU 1500: LPE with RLPML 2032 */
    qigc_write(d, IGC_RCTL, IGC_RCTL_EN | IGC_RCTL_SECRC | IGC_RCTL_LPE);
    qigc_write(d, IGC_RLPML, 2032);
    rx_frame(d, data, alloc, 0, frame, 2028, &r, got);
    g_assert_cmpuint(r.length, ==, 2028);
    rx_none(d, data, alloc, frame, 2029);
    g_assert_cmpuint(qigc_read(d, IGC_ROC), ==, 2);
}

/*
 * fcs-on-wire: the frame's FCS comes from the cable.  Under 64 bytes
 * with it is a runt, dropped and counted in RUC, in RFC (a fragment) when
 * its FCS is bad; 64 is the minimum that passes.
 */
static void test_rx_undersize(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[128], got[QIGC_BUF_SIZE];
    RxResult r;

    make_frame(frame, 59, 31);
    rx_none(d, data, alloc, frame, add_fcs(frame, 59, true));
    g_assert_cmpuint(qigc_read(d, IGC_RUC), ==, 1);
    rx_none(d, data, alloc, frame, add_fcs(frame, 59, false));
    g_assert_cmpuint(qigc_read(d, IGC_RFC), ==, 1);
    g_assert_cmpuint(qigc_read(d, IGC_CRCERRS), ==, 0);
    rx_none(d, data, alloc, frame, add_fcs(frame, 10, true));
    g_assert_cmpuint(qigc_read(d, IGC_RUC), ==, 1);

    make_frame(frame, 60, 31);
    rx_frame(d, data, alloc, 0, frame, add_fcs(frame, 60, true), &r, got);
    g_assert_cmpuint(r.length, ==, 60);
    g_assert_cmpuint(qigc_read(d, IGC_RUC), ==, 0);
    g_assert_cmpuint(qigc_read(d, IGC_GPRC), ==, 1);
}

/*
 * fcs-on-wire: a bad FCS drops the frame and counts CRCERRS; a good one
 * is checked and stripped; with RCTL.SBP the bad frame is stored, flagged
 * RXE (the driver frees it unless NETIF_F_RXALL).
 */
static void test_rx_crc(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[128], got[QIGC_BUF_SIZE];
    RxResult r;

    make_frame(frame, 100, 33);
    rx_none(d, data, alloc, frame, add_fcs(frame, 100, false));
    g_assert_cmpuint(qigc_read(d, IGC_CRCERRS), ==, 1);

    rx_frame(d, data, alloc, 0, frame, add_fcs(frame, 100, true), &r, got);
    g_assert_cmpuint(r.length, ==, 100);
    g_assert_cmphex(r.status & IGC_RXD_ERR_RXE, ==, 0);
    g_assert_false(memcmp(got, frame, 100));
    g_assert_cmpuint(qigc_read(d, IGC_CRCERRS), ==, 0);

    qigc_write(d, IGC_RCTL, qigc_read(d, IGC_RCTL) | IGC_RCTL_SBP);
    rx_frame(d, data, alloc, 0, frame, add_fcs(frame, 100, false), &r, got);
    g_assert_cmphex(r.status & IGC_RXD_ERR_RXE, ==, IGC_RXD_ERR_RXE);
    g_assert_cmpuint(qigc_read(d, IGC_CRCERRS), ==, 1);
}

static void test_rx_filter(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[64], got[QIGC_BUF_SIZE];
    RxResult r;

    make_frame(frame, sizeof(frame), 0);
    frame[0] ^= 0x02;                       /* another unicast address */
    rx_none(d, data, alloc, frame, sizeof(frame));
    qigc_write(d, IGC_RCTL, IGC_RCTL_EN | IGC_RCTL_SECRC | IGC_RCTL_UPE);
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r, got);

    /* a second address in RA[3] */
    qigc_write(d, IGC_RCTL, IGC_RCTL_EN | IGC_RCTL_SECRC);
    qigc_write(d, IGC_RAL0 + 3 * 8, ldl_le_p(frame));
    qigc_write(d, IGC_RAH0 + 3 * 8, lduw_le_p(frame + 4) | BIT(31));
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r, got);

    /* multicast: MTA bit for 01:00:5e:00:00:fb with MO 0, or MPE */
    memcpy(frame, (uint8_t[]){ 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb }, 6);
    rx_none(d, data, alloc, frame, sizeof(frame));
    {
        uint32_t vec = (0x00 >> 4 | 0xfb << 4) & 0xFFF;

        qigc_write(d, IGC_MTA + 4 * (vec >> 5), BIT(vec & 31));
    }
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r, got);

    /* broadcast needs BAM */
    memset(frame, 0xFF, 6);
    rx_none(d, data, alloc, frame, sizeof(frame));
    qigc_write(d, IGC_RCTL, IGC_RCTL_EN | IGC_RCTL_SECRC | IGC_RCTL_BAM);
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r, got);
}

static void test_rx_vlan(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[64], got[QIGC_BUF_SIZE];
    RxResult r;

    make_frame(frame, sizeof(frame), 0);
    stw_be_p(frame + 12, ETH_P_VLAN);
    stw_be_p(frame + 14, 0x2064);           /* PCP 1, VID 100 */
    stw_be_p(frame + 16, 0x88B5);

    /* VFE: only VIDs set in VFTA pass */
    qigc_write(d, IGC_RCTL, IGC_RCTL_EN | IGC_RCTL_SECRC | IGC_RCTL_VFE);
    rx_none(d, data, alloc, frame, sizeof(frame));
    qigc_write(d, IGC_VFTA + 4 * (100 >> 5), BIT(100 & 31));
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r, got);
    g_assert_cmphex(r.status & IGC_RXD_STAT_VP, ==, 0);
    g_assert_cmpuint(r.length, ==, sizeof(frame));

    /* CTRL.VME strips the tag into the descriptor */
    qigc_write(d, IGC_CTRL, IGC_CTRL_VME);
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r, got);
    g_assert_cmphex(r.status & IGC_RXD_STAT_VP, ==, IGC_RXD_STAT_VP);
    g_assert_cmphex(r.vlan, ==, 0x2064);
    g_assert_cmpuint(r.length, ==, sizeof(frame) - 4);
    g_assert_cmphex(lduw_be_p(got + 12), ==, 0x88B5);
}

static void test_rss(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[128], got[QIGC_BUF_SIZE];
    size_t len = make_tcp4_frame_to(frame, own_mac, rss_ms_sip, rss_ms_dip,
                                    RSS_MS_SPORT, RSS_MS_DPORT);
    int i, q;
    RxResult r;

    for (i = 0; i < 10; i++) {
        qigc_write(d, IGC_RSSRK + 4 * i, ldl_le_p(rss_ms_key + 4 * i));
    }
    qigc_write(d, IGC_RXCSUM, qigc_read(d, IGC_RXCSUM) | IGC_RXCSUM_PCSD);
    qigc_write(d, IGC_MRQC, IGC_MRQC_MRQE_RSS | IGC_MRQC_IPV4_TCP |
               IGC_MRQC_IPV4);
    for (q = 1; q < QIGC_QUEUES; q++) {
        for (i = 0; i < 32; i++) {
            qigc_write(d, IGC_RETA + 4 * i, 0);
        }
        i = RSS_MS_HASH & 0x7F;
        qigc_write(d, IGC_RETA + (i & ~3), q << (8 * (i & 3)));
        rx_frame(d, data, alloc, q, frame, len, &r, got);
        g_assert_cmphex(r.hash, ==, RSS_MS_HASH);
        g_assert_cmphex(r.rss_type, ==, IGC_RSSTYPE_TCP_IPV4);
        /* IP checksum good, TCP (zero) bad */
        g_assert_cmphex(r.status & (IGC_RXD_STAT_IPCS | IGC_RXD_ERR_IPE |
                                    IGC_RXD_STAT_TCPCS | IGC_RXD_ERR_L4E),
                        ==, IGC_RXD_STAT_IPCS | IGC_RXD_STAT_TCPCS |
                        IGC_RXD_ERR_L4E);
        g_assert_true(qigc_wait_msix(d, QIGC_QUEUE_VECTOR(q)));
    }
    /* a RETA entry naming a queue beyond 4 falls back to queue 0 */
    i = RSS_MS_HASH & 0x7F;
    qigc_write(d, IGC_RETA + (i & ~3), 9 << (8 * (i & 3)));
    rx_frame(d, data, alloc, 0, frame, len, &r, got);
}

static void test_msix(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);

    /* EICS fires the vector (igc_xsk_wakeup relies on it); EIAC clears */
    qigc_write(d, IGC_EICS, BIT(3));
    g_assert_true(qigc_wait_msix(d, 3));
    g_assert_cmphex(qigc_read(d, IGC_EICR) & BIT(3), ==, 0);

    /* masked: pending in EICR, fires when unmasked */
    qigc_write(d, IGC_EIMC, BIT(2));
    qigc_write(d, IGC_EIAC, 0);
    qigc_write(d, IGC_EICS, BIT(2));
    clock_step(1000000);
    g_assert_false(qpci_msix_pending(&d->pci_dev, 2));
    qigc_write(d, IGC_EIMS, BIT(2));
    g_assert_true(qigc_wait_msix(d, 2));

    /* EIAM with GPIE.EIAME masks the vector as it fires */
    qigc_write(d, IGC_EIAM, BIT(4));
    qigc_write(d, IGC_EICS, BIT(4));
    g_assert_true(qigc_wait_msix(d, 4));
    g_assert_cmphex(qigc_read(d, IGC_EIMS) & BIT(4), ==, 0);

    /* EITR moderation: a second cause within the interval waits for it */
    qigc_write(d, IGC_EITR0 + 4 * 1, 100 << 2);      /* 100 us */
    qigc_write(d, IGC_EIAC, BIT(1));
    qigc_write(d, IGC_EICS, BIT(1));
    g_assert_true(qigc_wait_msix(d, 1));
    g_assert_cmphex(qigc_read(d, IGC_EICR) & BIT(1), ==, 0);
    qigc_write(d, IGC_EICS, BIT(1));
    g_assert_cmphex(qigc_read(d, IGC_EICR) & BIT(1), ==, BIT(1));
    clock_step(150 * 1000);
    g_assert_cmphex(qigc_read(d, IGC_EICR) & BIT(1), ==, 0);

    /* link change: ICR.LSC on the misc vector (IVAR_MISC) */
    wire_set_link(global_qtest, false);
    g_assert_true(qigc_wait_msix(d, QIGC_MISC_VECTOR));
    g_assert_cmphex(qigc_read(d, IGC_ICR) & IGC_ICR_LSC, ==, IGC_ICR_LSC);
    g_assert_cmphex(qigc_read(d, IGC_ICR), ==, 0);      /* read clears */
    g_assert_cmphex(qigc_read(d, IGC_STATUS) & IGC_STATUS_LU, ==, 0);
    wire_set_link(global_qtest, true);
    g_assert_cmphex(qigc_read(d, IGC_STATUS) & IGC_STATUS_LU, ==,
                    IGC_STATUS_LU);
}

static void test_ptp(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[64], got[QIGC_BUF_SIZE];
    uint32_t ns, s, ns2, s2;
    RxResult r;

    /* set the clock, read it back later: seconds carried, monotonic */
    qigc_write(d, IGC_SYSTIML, 999999000);
    qigc_write(d, IGC_SYSTIMH, 1000);
    clock_step(5000);
    ns = qigc_read(d, IGC_SYSTIML);
    s = qigc_read(d, IGC_SYSTIMH);
    g_assert_cmpuint(s, ==, 1001);
    g_assert_cmpuint(ns, <, 1000000);

    /* RX: the timestamp header in front of the frame, TSIP set */
    qigc_write(d, IGC_TSYNCRXCTL, IGC_TSYNCRXCTL_ENABLED);
    qigc_write(d, qigc_q_reg(false, 0, IGC_Q_SRRCTL),
               qigc_read(d, qigc_q_reg(false, 0, IGC_Q_SRRCTL)) |
               IGC_SRRCTL_TIMESTAMP);
    make_frame(frame, sizeof(frame), 0);
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r, got);
    g_assert_cmphex(r.status & IGC_RXD_STAT_TSIP, ==, IGC_RXD_STAT_TSIP);
    g_assert_cmpuint(r.length, ==, IGC_TS_HDR_LEN + sizeof(frame));
    g_assert_false(memcmp(got + IGC_TS_HDR_LEN, frame, sizeof(frame)));
    s2 = ldl_le_p(got + 12);                /* timer 0 seconds */
    ns2 = ldl_le_p(got + 8);
    g_assert_cmpuint(s2, ==, 1001);
    g_assert_cmpuint(ns2, >=, ns);

    /* TX: MAC_TSTAMP latches the time into set 1, TXTT_1, TSICR, ICR.TS */
    qigc_write(d, IGC_TSYNCTXCTL, IGC_TSYNCTXCTL_ENABLED);
    qigc_write(d, IGC_TSIM, IGC_TSICR_TXTS);
    qigc_write(d, IGC_IMS, IGC_ICR_TS);
    tx_frame(d, alloc, 0, frame, sizeof(frame),
             IGC_TXD_MAC_TSTAMP | 1 << IGC_TXD_TSTAMP_REG_SHIFT, 0);
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(frame));
    g_assert_true(qigc_wait_msix(d, QIGC_MISC_VECTOR));
    g_assert_cmphex(qigc_read(d, IGC_ICR) & IGC_ICR_TS, ==, IGC_ICR_TS);
    g_assert_cmphex(qigc_read(d, IGC_TSICR), ==, IGC_TSICR_TXTS);
    g_assert_cmphex(qigc_read(d, IGC_TSICR), ==, 0);
    g_assert_cmphex(qigc_read(d, IGC_TSYNCTXCTL) & 0xF, ==, BIT(1));
    g_assert_cmpuint(qigc_read(d, IGC_TXSTMPL1), >=, ns2);
    g_assert_cmpuint(qigc_read(d, IGC_TXSTMPH1), ==, 1001);
    g_assert_cmphex(qigc_read(d, IGC_TSYNCTXCTL) & 0xF, ==, 0);
}

/* A context descriptor: launch time @offset ns into its cycle, @first */
static void tx_launch_ctx(QIGC *d, int q, uint32_t offset, bool first)
{
    qigc_tx_push(d, q, (uint64_t)offset << 32,
                 IGC_TXD_CMD_DEXT | IGC_TXD_DTYP_CTXT << IGC_TXD_DTYP_SHIFT,
                 first ? IGC_TXC_TSN_FIRST : 0);
}

/* A data descriptor for @frame whose DD the test checks itself */
static uint64_t tx_launch_data(QIGC *d, QGuestAllocator *alloc, int q,
                               const uint8_t *frame, size_t len)
{
    uint64_t buf = guest_alloc(alloc, len);

    memwrite(buf, frame, len);
    return qigc_tx_push(d, q, buf, IGC_TXD_CMD_EOP | IGC_TXD_CMD_RS |
                        IGC_TXD_CMD_IFCS | IGC_TXD_CMD_DEXT |
                        IGC_TXD_DTYP_DATA << IGC_TXD_DTYP_SHIFT | len,
                        len << 14);
}

static bool tx_done(uint64_t daddr)
{
    uint32_t st;

    memread(daddr + 12, &st, sizeof(st));
    return le32_to_cpu(st) & IGC_TXD_STAT_DD;
}

/*
 * Launch time: with TSN mode and LAUNCHT on queue 1, a packet waits for
 * its offset into the cycle (1 ms cycles from BASET on SYSTIM), the next
 * cycle's with FIRST; queue 0, not in launch mode, sends at once.
 */
static void test_launch_time(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[64], got[64];
    uint64_t daddr;

    qigc_write(d, IGC_SYSTIML, 0);
    qigc_write(d, IGC_SYSTIMH, 10);         /* SYSTIM 10.000000000 s */
    qigc_write(d, IGC_QBVCYCLET, 1000000);
    qigc_write(d, IGC_BASET_H, 0);
    qigc_write(d, IGC_BASET_L, 0);
    qigc_write(d, IGC_TXQCTL0 + 4, IGC_TXQCTL_QUEUE_MODE_LAUNCHT);
    qigc_write(d, IGC_TQAVCTRL, IGC_TQAVCTRL_TRANSMIT_MODE_TSN);
    make_frame(frame, sizeof(frame), 1);

    /* 600 us into the current cycle: held until then */
    tx_launch_ctx(d, 1, 600000, false);
    daddr = tx_launch_data(d, alloc, 1, frame, sizeof(frame));
    clock_step(500000);
    g_assert_true(wire_idle(data));
    g_assert_false(tx_done(daddr));
    g_assert_cmpuint(qigc_read(d, qigc_q_reg(true, 1, IGC_Q_HEAD)), ==,
                     (d->tx_tail[1] + QIGC_RING_DESCS - 1) % QIGC_RING_DESCS);
    clock_step(150000);
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(frame));
    g_assert_true(tx_done(daddr));

    /* at 10.00065 s, FIRST and 100 us: the next cycle's, 10.0011 s */
    tx_launch_ctx(d, 1, 100000, true);
    daddr = tx_launch_data(d, alloc, 1, frame, sizeof(frame));
    clock_step(350000);
    g_assert_true(wire_idle(data));
    g_assert_false(tx_done(daddr));
    clock_step(150000);
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(frame));
    g_assert_true(tx_done(daddr));

    /* an offset already past: at once */
    tx_launch_ctx(d, 1, 0, false);
    daddr = tx_launch_data(d, alloc, 1, frame, sizeof(frame));
    clock_step(1000);
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(frame));
    g_assert_true(tx_done(daddr));

    /* queue 0 is not in launch mode: the offset is no wait */
    tx_launch_ctx(d, 0, 900000, false);
    daddr = tx_launch_data(d, alloc, 0, frame, sizeof(frame));
    clock_step(1000);
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(frame));
    g_assert_true(tx_done(daddr));
}

/* INTx (igc without MSI/MSI-X): ICR & IMS as a level on the pc machine */
static void test_intx(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    QPCIDevice *piix = qpci_device_find(d->pci_dev.bus, QPCI_DEVFN(1, 0));
    int pirq = ((d->pci_dev.devfn >> 3) - 1) & 3;   /* slot, pin A */
    const int irq = 11;
    uint8_t frame[64], got[QIGC_BUF_SIZE];
    RxResult r;

    g_assert_nonnull(piix);
    qpci_config_writeb(piix, 0x60 + pirq, irq);        /* PIRQ -> IRQ 11 */
    qtest_irq_intercept_in(global_qtest, "ioapic");

    qpci_msix_disable(&d->pci_dev);
    qigc_write(d, IGC_GPIE, 0);
    qigc_write(d, IGC_IMC, 0xFFFFFFFF);
    qigc_read(d, IGC_ICR);
    g_assert_false(get_irq(irq));

    /* a software cause: masked, no interrupt; unmasked, the level rises */
    qigc_write(d, IGC_ICS, IGC_ICR_LSC);
    g_assert_false(get_irq(irq));
    qigc_write(d, IGC_IMS, IGC_ICR_LSC);
    g_assert_true(get_irq(irq));
    /* reading ICR clears the causes and drops the line */
    g_assert_cmphex(qigc_read(d, IGC_ICR), ==, IGC_ICR_LSC);
    g_assert_false(get_irq(irq));

    /* a received frame is RXT0, a sent one TXDW */
    qigc_write(d, IGC_IMS, IGC_ICR_RXT0 | IGC_ICR_TXDW);
    make_frame(frame, sizeof(frame), 23);
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r, got);
    g_assert_true(get_irq(irq));
    g_assert_cmphex(qigc_read(d, IGC_ICR), ==, IGC_ICR_RXT0);
    tx_frame(d, alloc, 0, frame, sizeof(frame), 0, 0);
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(frame));
    g_assert_true(get_irq(irq));
    g_assert_cmphex(qigc_read(d, IGC_ICR), ==, IGC_ICR_TXDW);
    g_assert_false(get_irq(irq));
    g_free(piix);
}

/* RCTL.LBM = MAC loopback: a sent frame comes back in, none leaves */
static void test_loopback(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[100], got[100];
    uint64_t buf = guest_alloc(alloc, QIGC_BUF_SIZE);
    uint64_t daddr = qigc_rx_push(d, 0, buf);
    RxResult r;

    qigc_write(d, IGC_RCTL, IGC_RCTL_EN | IGC_RCTL_SECRC | 1 << 6);
    make_frame(frame, sizeof(frame), 11);
    tx_frame(d, alloc, 0, frame, sizeof(frame), 0, 0);
    g_assert_true(qigc_wait_status(d, daddr + 8, IGC_RXD_STAT_DD));
    rx_read_wb(daddr, &r);
    g_assert_cmpuint(r.length, ==, sizeof(frame));
    memread(buf, got, sizeof(got));
    g_assert_false(memcmp(got, frame, sizeof(frame)));
    clock_step(1000000);
    g_assert_true(wire_idle(data));
}

static void test_bad_input(void *obj, void *data, QGuestAllocator *alloc)
{
    QIGC *d = node(obj);
    uint8_t frame[64], got[64];
    uint64_t buf = guest_alloc(alloc, 64);

    make_frame(frame, sizeof(frame), 0);
    /* head beyond the ring, length not a multiple of 128: queue ignored */
    qigc_write(d, qigc_q_reg(true, 1, IGC_Q_HEAD), 1000);
    qigc_write(d, qigc_q_reg(true, 1, IGC_Q_TAIL), 5);
    qigc_write(d, qigc_q_reg(false, 1, IGC_Q_LEN), 100);
    qigc_write(d, qigc_q_reg(false, 1, IGC_Q_TAIL), 5);
    /* a descriptor pointing outside guest memory, a zero-length one */
    qigc_tx_push(d, 2, 0xFFFFFFFFF000ull, IGC_TXD_CMD_EOP | IGC_TXD_CMD_RS |
                 IGC_TXD_CMD_DEXT | IGC_TXD_DTYP_DATA << IGC_TXD_DTYP_SHIFT |
                 64, 0);
    qigc_tx_push(d, 2, buf, IGC_TXD_CMD_EOP | IGC_TXD_CMD_DEXT |
                 IGC_TXD_DTYP_DATA << IGC_TXD_DTYP_SHIFT, 0);
    /* an RX ring base outside guest memory */
    qigc_write(d, qigc_q_reg(false, 3, IGC_Q_BAL), 0xFFFFF000);
    qigc_write(d, qigc_q_reg(false, 3, IGC_Q_BAH), 0xFFFF);
    qigc_write(d, qigc_q_reg(false, 3, IGC_Q_TAIL), 8);
    /* IVAR naming a vector that does not exist */
    qigc_write(d, IGC_IVAR0, 0x9F9F9F9F);
    qigc_write(d, IGC_EICS, 0xFFFFFFFF);
    /* accesses to registers that do not exist */
    qigc_write(d, 0x1FFFC, 0xFFFFFFFF);
    g_assert_cmphex(qigc_read(d, 0x1FFFC), ==, 0);
    g_assert_cmphex(qigc_read(d, qigc_q_reg(false, 4, 0)), ==, 0);
    clock_step(1000000);

    /* the device still works after a reset */
    qigc_write(d, IGC_CTRL, IGC_CTRL_RST);
    qigc_setup_queue(d, 0);
    qigc_write(d, IGC_TCTL, IGC_TCTL_EN);
    tx_frame(d, alloc, 0, frame, sizeof(frame), 0, 0);
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(frame));
    guest_free(alloc, buf);
}

/*
 * Random programming: a fixed-seed storm of register writes (biased to the
 * queue banks, interrupt and PTP registers) mixed with wire traffic.  The
 * device must neither crash nor hang.  QTEST_IGC_SEED=n picks another.
 */
static void test_random_programming(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    static const uint32_t hot[] = {
        IGC_RXQ0, IGC_TXQ0, IGC_ICR, IGC_IVAR0, IGC_MRQC, IGC_RETA,
        IGC_SYSTIML, IGC_RCTL, IGC_EERD, IGC_MDIC,
    };
    QIGC *d = node(obj);
    const char *seed_env = g_getenv("QTEST_IGC_SEED");
    GRand *rand = g_rand_new_with_seed(seed_env ? atoi(seed_env) : 0x15F2);
    uint64_t mem = guest_alloc(alloc, 64 * 1024);
    uint8_t frame[2000];
    int i;

    for (i = 0; i < 20000; i++) {
        uint32_t reg, val = g_rand_int(rand);

        if (g_rand_boolean(rand)) {
            reg = hot[g_rand_int_range(rand, 0, ARRAY_SIZE(hot))] +
                  4 * g_rand_int_range(rand, 0, 64);
        } else {
            reg = 4 * g_rand_int_range(rand, 0, 0x20000 / 4);
        }
        if (reg == IGC_CTRL || reg == IGC_GPIE) {
            continue;   /* keep MSI-X mode and avoid constant resets */
        }
        switch (g_rand_int_range(rand, 0, 4)) {
        case 0:
            val = (mem + (val & 0xFF80)) & 0xFFFFFFFF;
            break;
        case 1:
            val &= 0x3FF;
            break;
        default:
            break;
        }
        qigc_write(d, reg, val);
        if (g_rand_int_range(rand, 0, 8) == 0) {
            qigc_read(d, 4 * g_rand_int_range(rand, 0, 0x20000 / 4));
        }
        if (i % 500 == 0) {
            size_t len = g_rand_int_range(rand, 14, sizeof(frame));

            make_frame(frame, len, i);
            frame[0] = g_rand_boolean(rand) ? 0xFF : frame[0];
            wire_send(data, frame, len);
            clock_step(10000);
        }
    }
    g_rand_free(rand);

    qigc_write(d, IGC_CTRL, IGC_CTRL_RST);
    g_assert_cmphex(qigc_read(d, IGC_CTRL) & IGC_CTRL_RST, ==, 0);
    g_assert_cmphex(qigc_read(d, IGC_RAL0), ==, ldl_le_p(own_mac));
}

static void register_igc_test(void)
{
    QOSGraphTestOptions opts = { .before = wire_test_init };
    QOSGraphTestOptions fcs_opts = { .before = wire_test_init };

    qos_add_test("init", "igc", test_init, &opts);
    qos_add_test("reset", "igc", test_reset, &opts);
    qos_add_test("nvm", "igc", test_nvm, &opts);
    qos_add_test("mdic", "igc", test_mdic, &opts);
    qos_add_test("reg_masks", "igc", test_reg_masks, &opts);
    qos_add_test("tx", "igc", test_tx, &opts);
    qos_add_test("tx_csum", "igc", test_tx_csum, &opts);
    qos_add_test("rx", "igc", test_rx, &opts);
    qos_add_test("rx_multi_buffer", "igc", test_rx_multi_buffer, &opts);
    qos_add_test("rx_max_frame", "igc", test_rx_max_frame, &opts);
    qos_add_test("rx_filter", "igc", test_rx_filter, &opts);
    fcs_opts.edge.extra_device_opts = "fcs-on-wire=on";
    qos_add_test("rx_undersize", "igc", test_rx_undersize, &fcs_opts);
    qos_add_test("rx_crc", "igc", test_rx_crc, &fcs_opts);
    qos_add_test("rx_vlan", "igc", test_rx_vlan, &opts);
    qos_add_test("rss", "igc", test_rss, &opts);
    qos_add_test("msix", "igc", test_msix, &opts);
    qos_add_test("ptp", "igc", test_ptp, &opts);
    qos_add_test("launch_time", "igc", test_launch_time, &opts);
    qos_add_test("intx", "igc", test_intx, &opts);
    qos_add_test("loopback", "igc", test_loopback, &opts);
    qos_add_test("bad_input", "igc", test_bad_input, &opts);
    qos_add_test("random_programming", "igc", test_random_programming,
                 &opts);
}

libqos_init(register_igc_test);

#endif
