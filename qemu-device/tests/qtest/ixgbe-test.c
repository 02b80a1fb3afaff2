/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * qtests for nicrig's Intel 82599 (ixgbe) model: registers, EEPROM, rings,
 * RSS, interrupts, link and bad guest programming, without a guest driver.
 *
 * Copyright (c) 2026 nicrig developers
 */

#include "qemu/osdep.h"
#include "libqtest-single.h"
#include "libqos/pci-pc.h"
#include "net/eth.h"
#include "qemu/sockets.h"
#include "qemu/iov.h"
#include "qemu/module.h"
#include "qemu/bitops.h"
#include "qobject/qdict.h"
#include "libqos/libqos-malloc.h"
#include "libqos/ixgbe.h"
#include "libqos/nicrig-net.h"

#ifndef _WIN32

static const uint8_t own_mac[ETH_ALEN] = QIXGBE_MAC;

static size_t make_frame(uint8_t *buf, size_t len, uint8_t seed)
{
    return make_frame_to(buf, len, seed, own_mac);
}

static size_t make_tcp4_frame(uint8_t *buf, const uint8_t src_ip[4],
                              const uint8_t dst_ip[4], uint16_t sport,
                              uint16_t dport)
{
    return make_tcp4_frame_to(buf, own_mac, src_ip, dst_ip, sport, dport);
}

/* ---- helpers on top of the libqos node ---- */

static void tx_frame(QIXGBE *d, int *sockets, QGuestAllocator *alloc, int q,
                     const uint8_t *frame, size_t len)
{
    uint64_t buf = guest_alloc(alloc, len);
    IXGBETxDesc desc = {
        .addr = buf,
        .cmd_type_len = IXGBE_TXD_CMD_EOP | IXGBE_TXD_CMD_RS |
                        IXGBE_TXD_CMD_IFCS | IXGBE_TXD_CMD_DEXT |
                        (IXGBE_TXD_DTYP_DATA << IXGBE_TXD_DTYP_SHIFT) | len,
        .olinfo_status = len << IXGBE_TXD_PAYLEN_SHIFT,
    };
    uint64_t daddr;

    memwrite(buf, frame, len);
    daddr = qixgbe_tx_push(d, q, &desc);
    g_assert_true(qixgbe_wait_status(d, daddr + 12, IXGBE_TXD_STAT_DD));
    g_assert_cmpuint(qixgbe_read(d, qixgbe_txq_reg(q, IXGBE_TXQ_TDH)), ==,
                     d->tx_tail[q]);
    guest_free(alloc, buf);
}

typedef struct RxResult {
    uint32_t status;
    uint16_t length;
    uint16_t vlan;
    uint32_t hash;
    uint16_t pkt_info;
} RxResult;

static void rx_read_wb(uint64_t daddr, RxResult *r)
{
    uint8_t wb[16];

    memread(daddr, wb, sizeof(wb));
    r->pkt_info = lduw_le_p(wb);
    r->hash = ldl_le_p(wb + 4);
    r->status = ldl_le_p(wb + 8);
    r->length = lduw_le_p(wb + 12);
    r->vlan = lduw_le_p(wb + 14);
}

/* Post one buffer on queue @q, deliver @frame from the wire, check it. */
static void rx_frame(QIXGBE *d, int *sockets, QGuestAllocator *alloc, int q,
                     const uint8_t *frame, size_t len, RxResult *r)
{
    uint64_t buf = guest_alloc(alloc, QIXGBE_BUF_SIZE);
    uint8_t got[QIXGBE_BUF_SIZE];
    uint64_t daddr = qixgbe_rx_push(d, q, buf);

    wire_send(sockets, frame, len);
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    rx_read_wb(daddr, r);
    g_assert_cmphex(r->status & IXGBE_RXD_STAT_EOP, ==, IXGBE_RXD_STAT_EOP);
    if (!(r->status & IXGBE_RXD_STAT_VP)) {
        g_assert_cmpuint(r->length, ==, MAX(len, ETH_ZLEN));
        memread(buf, got, len);
        g_assert_false(memcmp(got, frame, len));
    }
    guest_free(alloc, buf);
}

static QIXGBE *node(void *obj)
{
    QOSGraphObject *o = obj;

    return o->get_driver(o, "ixgbe-if");
}

/* ---- tests ---- */

static void test_init(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint32_t ral, rah;

    g_assert_cmphex(qixgbe_read(d, IXGBE_STATUS) & IXGBE_STATUS_GIO, ==,
                    IXGBE_STATUS_GIO);
    g_assert_cmphex(qixgbe_read(d, IXGBE_LINKS) &
                    (IXGBE_LINKS_UP | IXGBE_LINKS_SPEED_10G), ==,
                    IXGBE_LINKS_UP | IXGBE_LINKS_SPEED_10G);
    g_assert_cmphex(qixgbe_read(d, IXGBE_EEC) & IXGBE_EEC_PRES, ==,
                    IXGBE_EEC_PRES);
    g_assert_cmphex(qixgbe_read(d, IXGBE_RDRXCTL) & IXGBE_RDRXCTL_DMAIDONE,
                    ==, IXGBE_RDRXCTL_DMAIDONE);
    ral = qixgbe_read(d, IXGBE_RAL_ALIAS);
    rah = qixgbe_read(d, IXGBE_RAL_ALIAS + 4);
    g_assert_cmphex(ral, ==, ldl_le_p(own_mac));
    g_assert_cmphex(rah, ==, lduw_le_p(own_mac + 4) | IXGBE_RAH_AV);
}

static void test_reset(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);

    qixgbe_write(d, IXGBE_FCTRL, IXGBE_FCTRL_UPE | IXGBE_FCTRL_MPE);
    qixgbe_write(d, IXGBE_RAL_ALIAS, 0x12345678);
    qixgbe_write(d, IXGBE_CTRL, IXGBE_CTRL_LNK_RST);
    g_assert_cmphex(qixgbe_read(d, IXGBE_CTRL) &
                    (IXGBE_CTRL_RST | IXGBE_CTRL_LNK_RST), ==, 0);
    g_assert_cmphex(qixgbe_read(d, IXGBE_FCTRL), ==, 0);
    g_assert_cmphex(qixgbe_read(d, IXGBE_RAL_ALIAS), ==, ldl_le_p(own_mac));
    g_assert_cmphex(qixgbe_read(d, qixgbe_txq_reg(0, IXGBE_TXQ_TXDCTL)) &
                    IXGBE_TXDCTL_ENABLE, ==, 0);

    /* GIO master disable shows in STATUS, as the driver polls for */
    qixgbe_write(d, IXGBE_CTRL, IXGBE_CTRL_GIO_DIS);
    g_assert_cmphex(qixgbe_read(d, IXGBE_STATUS) & IXGBE_STATUS_GIO, ==, 0);

    /* Semaphores: SMBI is taken by reading it */
    g_assert_cmphex(qixgbe_read(d, IXGBE_SWSM) & IXGBE_SWSM_SMBI, ==, 0);
    g_assert_cmphex(qixgbe_read(d, IXGBE_SWSM) & IXGBE_SWSM_SMBI, ==,
                    IXGBE_SWSM_SMBI);
    qixgbe_write(d, IXGBE_SWSM, 0);
    g_assert_cmphex(qixgbe_read(d, IXGBE_SWSM) & IXGBE_SWSM_SMBI, ==, 0);
}

static void test_eeprom(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint16_t sum = 0, ptr, len, w;
    int i, j;

    for (i = 0; i < IXGBE_EEPROM_CHECKSUM; i++) {
        sum += qixgbe_eeprom_read(d, i);
    }
    for (i = IXGBE_EEPROM_ANALOG_PTR; i < IXGBE_EEPROM_FW_PTR; i++) {
        ptr = qixgbe_eeprom_read(d, i);
        if (ptr == 0 || ptr == 0xFFFF) {
            continue;
        }
        len = qixgbe_eeprom_read(d, ptr);
        if (len == 0 || len == 0xFFFF) {
            continue;
        }
        for (j = ptr + 1; j <= ptr + len; j++) {
            sum += qixgbe_eeprom_read(d, j);
        }
    }
    g_assert_cmphex(qixgbe_eeprom_read(d, IXGBE_EEPROM_CHECKSUM), ==,
                    (uint16_t)(IXGBE_EEPROM_SUM - sum));

    /* The MAC address sits in the LAN core 0 section */
    ptr = qixgbe_eeprom_read(d, IXGBE_EEPROM_LAN0_PTR);
    for (i = 0; i < 3; i++) {
        w = qixgbe_eeprom_read(d, ptr + 1 + i);
        g_assert_cmphex(w, ==, lduw_le_p(own_mac + 2 * i));
    }
    /* EEC reports a 512-word EEPROM */
    g_assert_cmpuint((qixgbe_read(d, IXGBE_EEC) >> IXGBE_EEC_SIZE_SHIFT) & 0xF,
                     ==, 3);
}

static void test_tx(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[64], got[64];

    make_frame(frame, sizeof(frame), 1);
    tx_frame(d, data, alloc, 0, frame, sizeof(frame));
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(frame));
    g_assert_false(memcmp(got, frame, sizeof(frame)));
    g_assert_true(qixgbe_wait_msix(d, QIXGBE_TX_VECTOR(0)));

    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPTC), ==, 1);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPTC), ==, 0);    /* clear on read */
    g_assert_cmpuint(qixgbe_read(d, qixgbe_txq_reg(0, IXGBE_TXQ_QPTC)), ==, 1);

    /* Head write-back: the device stores TDH at TDWBAL/TDWBAH */
    {
        uint64_t wb = guest_alloc(alloc, 16);

        qtest_writel(global_qtest, wb, 0xDEADBEEF);
        qixgbe_write(d, qixgbe_txq_reg(0, IXGBE_TXQ_TDWBAH), wb >> 32);
        qixgbe_write(d, qixgbe_txq_reg(0, IXGBE_TXQ_TDWBAL),
                     (uint32_t)wb | IXGBE_TDWBAL_HEAD_WB_EN);
        tx_frame(d, data, alloc, 0, frame, sizeof(frame));
        g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(frame));
        g_assert_cmphex(qtest_readl(global_qtest, wb), ==, d->tx_tail[0]);
    }
}

static void test_tx_many(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[1514], got[1514];
    int i;

    /* Twice around the ring, on two queues, varying sizes */
    for (i = 0; i < 3 * QIXGBE_RING_DESCS; i++) {
        size_t len = 60 + (i * 37) % (sizeof(frame) - 60);
        int q = i & 1;

        make_frame(frame, len, i);
        tx_frame(d, data, alloc, q, frame, len);
        g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, len);
        g_assert_false(memcmp(got, frame, len));
    }
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPTC), ==, 3 * QIXGBE_RING_DESCS);
}

static void test_tx_multi_desc_csum(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    static const uint8_t sip[4] = { 10, 0, 0, 1 }, dip[4] = { 10, 0, 0, 2 };
    QIXGBE *d = node(obj);
    uint8_t frame[128], got[128];
    size_t len = make_tcp4_frame(frame, sip, dip, 1234, 80);
    uint64_t buf = guest_alloc(alloc, len);
    IXGBETxDesc ctx = {
        /* MACLEN 14, IPLEN 20 */
        .addr = (14 << 9) | 20,
        .cmd_type_len = IXGBE_TXD_CMD_DEXT |
                        (IXGBE_TXD_DTYP_CTXT << IXGBE_TXD_DTYP_SHIFT) |
                        IXGBE_TXC_TUCMD_IPV4 | IXGBE_TXC_TUCMD_L4T_TCP,
        .olinfo_status = 20 << 8,
    };
    IXGBETxDesc d1 = {
        .addr = buf,
        .cmd_type_len = IXGBE_TXD_CMD_DEXT |
                        (IXGBE_TXD_DTYP_DATA << IXGBE_TXD_DTYP_SHIFT) | 30,
        .olinfo_status = (len << IXGBE_TXD_PAYLEN_SHIFT) |
                         IXGBE_TXD_POPTS_TXSM | IXGBE_TXD_POPTS_IXSM,
    };
    IXGBETxDesc d2 = {
        .addr = buf + 30,
        .cmd_type_len = IXGBE_TXD_CMD_EOP | IXGBE_TXD_CMD_RS |
                        IXGBE_TXD_CMD_DEXT |
                        (IXGBE_TXD_DTYP_DATA << IXGBE_TXD_DTYP_SHIFT) |
                        (len - 30),
    };
    uint64_t daddr;
    uint8_t *ip = got + 14;

    /* Break both checksums; the device must fill them in */
    stw_be_p(frame + 14 + 10, 0);
    memwrite(buf, frame, len);
    qixgbe_tx_push(d, 0, &ctx);
    qixgbe_tx_push(d, 0, &d1);
    daddr = qixgbe_tx_push(d, 0, &d2);
    g_assert_true(qixgbe_wait_status(d, daddr + 12, IXGBE_TXD_STAT_DD));
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, len);
    g_assert_cmphex(inet_csum(ip, 20, 0), ==, 0);
    /* TCP over the pseudo header: addresses, protocol, length */
    g_assert_cmphex(inet_csum(ip + 20, 20,
                              (uint16_t)~inet_csum(ip + 12, 8, 0) +
                              IP_PROTO_TCP + 20), ==, 0);
    guest_free(alloc, buf);
}

static void test_tx_tso(void *obj, void *data, QGuestAllocator *alloc)
{
    static const uint8_t sip[4] = { 10, 0, 0, 1 }, dip[4] = { 10, 0, 0, 2 };
    const size_t hdr = 14 + 20 + 20, payload = 3000, mss = 1000;
    QIXGBE *d = node(obj);
    uint8_t *frame = g_malloc0(hdr + payload);
    uint8_t got[2048];
    uint64_t buf = guest_alloc(alloc, hdr + payload);
    IXGBETxDesc ctx = {
        .addr = (14 << 9) | 20 | ((uint64_t)0x5A5A << 16),
        .cmd_type_len = IXGBE_TXD_CMD_DEXT |
                        (IXGBE_TXD_DTYP_CTXT << IXGBE_TXD_DTYP_SHIFT) |
                        IXGBE_TXC_TUCMD_IPV4 | IXGBE_TXC_TUCMD_L4T_TCP,
        .olinfo_status = (mss << IXGBE_TXC_MSS_SHIFT) | (20 << 8),
    };
    IXGBETxDesc data_desc = {
        .addr = buf,
        .cmd_type_len = IXGBE_TXD_CMD_EOP | IXGBE_TXD_CMD_RS |
                        IXGBE_TXD_CMD_DEXT | IXGBE_TXD_CMD_TSE |
                        (IXGBE_TXD_DTYP_DATA << IXGBE_TXD_DTYP_SHIFT) |
                        (hdr + payload),
        .olinfo_status = (payload << IXGBE_TXD_PAYLEN_SHIFT) |
                         IXGBE_TXD_POPTS_TXSM | IXGBE_TXD_POPTS_IXSM,
    };
    uint64_t daddr;
    size_t i, seg, len;

    make_tcp4_frame(frame, sip, dip, 4321, 80);
    stw_be_p(frame + 14 + 2, 20 + 20 + payload);
    for (i = 0; i < payload; i++) {
        frame[hdr + i] = i * 7;
    }
    memwrite(buf, frame, hdr + payload);
    qixgbe_tx_push(d, 0, &ctx);
    daddr = qixgbe_tx_push(d, 0, &data_desc);
    g_assert_true(qixgbe_wait_status(d, daddr + 12, IXGBE_TXD_STAT_DD));

    for (seg = 0; seg < payload / mss; seg++) {
        uint8_t *ip = got + 14;

        len = wire_recv(data, got, sizeof(got));
        g_assert_cmpuint(len, ==, hdr + mss);
        g_assert_cmpuint(lduw_be_p(ip + 2), ==, 20 + 20 + mss);
        g_assert_cmphex(inet_csum(ip, 20, 0), ==, 0);
        g_assert_cmphex(inet_csum(ip + 20, 20 + mss,
                                  (uint16_t)~inet_csum(ip + 12, 8, 0) +
                                  IP_PROTO_TCP + 20 + mss), ==, 0);
        g_assert_false(memcmp(got + hdr, frame + hdr + seg * mss, mss));
    }
    guest_free(alloc, buf);
    g_free(frame);
}

static void test_tx_vlan_insert(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[64], got[68];
    uint64_t buf = guest_alloc(alloc, sizeof(frame));
    IXGBETxDesc ctx = {
        .addr = (uint64_t)0x0123 << IXGBE_TXC_VLAN_SHIFT | (14 << 9),
        .cmd_type_len = IXGBE_TXD_CMD_DEXT |
                        (IXGBE_TXD_DTYP_CTXT << IXGBE_TXD_DTYP_SHIFT),
        .olinfo_status = 1 << IXGBE_TXD_IDX_SHIFT,     /* context slot 1 */
    };
    IXGBETxDesc desc = {
        .addr = buf,
        .cmd_type_len = IXGBE_TXD_CMD_EOP | IXGBE_TXD_CMD_RS |
                        IXGBE_TXD_CMD_DEXT | IXGBE_TXD_CMD_VLE |
                        (IXGBE_TXD_DTYP_DATA << IXGBE_TXD_DTYP_SHIFT) |
                        sizeof(frame),
        .olinfo_status = (sizeof(frame) << IXGBE_TXD_PAYLEN_SHIFT) |
                         (1 << IXGBE_TXD_IDX_SHIFT),
    };
    uint64_t daddr;

    make_frame(frame, sizeof(frame), 21);
    memwrite(buf, frame, sizeof(frame));
    qixgbe_tx_push(d, 0, &ctx);
    daddr = qixgbe_tx_push(d, 0, &desc);
    g_assert_true(qixgbe_wait_status(d, daddr + 12, IXGBE_TXD_STAT_DD));
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(got));
    g_assert_false(memcmp(got, frame, 12));
    g_assert_cmphex(lduw_be_p(got + 12), ==, 0x8100);
    g_assert_cmphex(lduw_be_p(got + 14), ==, 0x0123);
    g_assert_false(memcmp(got + 16, frame + 12, sizeof(frame) - 12));
}

/*
 * A data buffer over 16 KiB (the driver's IXGBE_MAX_DATA_PER_TXD): the
 * packet is refused, the descriptor still completes, the queue goes on.
 */
static void test_tx_buffer_limit(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    const size_t big = IXGBE_TXD_MAX_BUF + 1;
    uint64_t buf = guest_alloc(alloc, big);
    uint8_t frame[64], got[64];
    IXGBETxDesc desc = {
        .addr = buf,
        .cmd_type_len = IXGBE_TXD_CMD_EOP | IXGBE_TXD_CMD_RS |
                        IXGBE_TXD_CMD_IFCS | IXGBE_TXD_CMD_DEXT |
                        (IXGBE_TXD_DTYP_DATA << IXGBE_TXD_DTYP_SHIFT) | big,
        .olinfo_status = big << IXGBE_TXD_PAYLEN_SHIFT,
    };
    uint64_t daddr;

    make_frame(frame, sizeof(frame), 41);
    memwrite(buf, frame, sizeof(frame));
    daddr = qixgbe_tx_push(d, 0, &desc);
    g_assert_true(qixgbe_wait_status(d, daddr + 12, IXGBE_TXD_STAT_DD));
    clock_step(1000000);
    g_assert_true(wire_idle(data));
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPTC), ==, 0);

    tx_frame(d, data, alloc, 0, frame, sizeof(frame));
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(frame));
    guest_free(alloc, buf);
}

static void test_rx(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[64];
    RxResult r;

    make_frame(frame, sizeof(frame), 7);
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r);
    g_assert_true(qixgbe_wait_msix(d, QIXGBE_RX_VECTOR(0)));
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPRC), ==, 1);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_TPR), ==, 1);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GORCL), ==, sizeof(frame));
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPRC), ==, 0);
}

static void test_rx_many(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[1514];
    RxResult r;
    int i;

    for (i = 0; i < 3 * QIXGBE_RING_DESCS; i++) {
        size_t len = 60 + (i * 53) % (sizeof(frame) - 60);

        make_frame(frame, len, i);
        rx_frame(d, data, alloc, 0, frame, len, &r);
    }
    g_assert_cmpuint(qixgbe_read(d, qixgbe_rxq_reg(0, IXGBE_RXQ_QPRC)), ==,
                     3 * QIXGBE_RING_DESCS);
}

static void test_rx_multi_buffer(void *obj, void *data,
                                 QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[3000], got[3000];
    uint64_t buf[2], daddr[2];
    RxResult r0, r1;
    int i;

    /* Jumbo frames on, as the driver does for MTU 2982 */
    qixgbe_write(d, IXGBE_HLREG0,
                 qixgbe_read(d, IXGBE_HLREG0) | IXGBE_HLREG0_JUMBOEN);
    qixgbe_write(d, IXGBE_MAXFRS,
                 (sizeof(frame) + 4) << IXGBE_MAXFRS_MFS_SHIFT);
    /* 1 KiB buffers: a 3000-byte frame takes three descriptors */
    qixgbe_write(d, qixgbe_rxq_reg(0, IXGBE_RXQ_SRRCTL),
                 (IXGBE_SRRCTL_DESCTYPE_ADV_ONEBUF <<
                  IXGBE_SRRCTL_DESCTYPE_SHIFT) | 1);
    make_frame(frame, sizeof(frame), 3);
    for (i = 0; i < 2; i++) {
        buf[i] = guest_alloc(alloc, 1024);
        daddr[i] = qixgbe_rx_push(d, 0, buf[i]);
    }
    /* Two buffers are not enough: the frame waits in QEMU's queue */
    wire_send(data, frame, sizeof(frame));
    clock_step(1000000);
    rx_read_wb(daddr[0], &r0);
    g_assert_cmphex(r0.status & IXGBE_RXD_STAT_DD, ==, 0);

    {
        uint64_t b2 = guest_alloc(alloc, 1024);
        uint64_t d2 = qixgbe_rx_push(d, 0, b2);
        RxResult r2;

        g_assert_true(qixgbe_wait_status(d, d2 + 8, IXGBE_RXD_STAT_DD));
        rx_read_wb(daddr[0], &r0);
        rx_read_wb(daddr[1], &r1);
        rx_read_wb(d2, &r2);
        g_assert_cmphex(r0.status & IXGBE_RXD_STAT_EOP, ==, 0);
        g_assert_cmphex(r1.status & IXGBE_RXD_STAT_EOP, ==, 0);
        g_assert_cmphex(r2.status & IXGBE_RXD_STAT_EOP, ==, IXGBE_RXD_STAT_EOP);
        g_assert_cmpuint(r0.length + r1.length + r2.length, ==,
                         sizeof(frame));
        memread(buf[0], got, 1024);
        memread(buf[1], got + 1024, 1024);
        memread(b2, got + 2048, sizeof(frame) - 2048);
        g_assert_false(memcmp(got, frame, sizeof(frame)));
    }
}

static void test_rx_filter(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[64];
    uint64_t buf = guest_alloc(alloc, QIXGBE_BUF_SIZE);
    uint64_t daddr = qixgbe_rx_push(d, 0, buf);
    RxResult r;

    /* Someone else's unicast address is dropped... */
    make_frame(frame, sizeof(frame), 9);
    frame[0] = 0x02;
    wire_send(data, frame, sizeof(frame));
    clock_step(1000000);
    rx_read_wb(daddr, &r);
    g_assert_cmphex(r.status & IXGBE_RXD_STAT_DD, ==, 0);

    /* ...unless the port is promiscuous */
    qixgbe_write(d, IXGBE_FCTRL, IXGBE_FCTRL_UPE | IXGBE_FCTRL_BAM);
    frame[1] = 0x77;
    wire_send(data, frame, sizeof(frame));
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    rx_read_wb(daddr, &r);
    g_assert_cmphex(r.length, ==, sizeof(frame));
}

/* Send @frame; it must be filtered: no descriptor written back. */
static void rx_expect_filtered(int *sockets, uint64_t daddr,
                               const uint8_t *frame, size_t len)
{
    RxResult r;

    wire_send(sockets, frame, len);
    clock_step(1000000);
    rx_read_wb(daddr, &r);
    g_assert_cmphex(r.status & IXGBE_RXD_STAT_DD, ==, 0);
}

/*
 * Broadcast and multicast accept rules: FCTRL.BAM for broadcast, the
 * multicast table (MCSTCTRL.MFE, MO = 0: DA bits 47:36 index MTA) or
 * FCTRL.MPE for multicast; BPRC/MPRC count what was accepted.
 */
static void test_rx_accept(void *obj, void *data, QGuestAllocator *alloc)
{
    static const uint8_t mcast[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0, 0, 0x01 };
    QIXGBE *d = node(obj);
    uint8_t frame[64];
    uint64_t buf = guest_alloc(alloc, QIXGBE_BUF_SIZE);
    uint64_t daddr = qixgbe_rx_push(d, 0, buf);
    RxResult r;

    qixgbe_write(d, IXGBE_FCTRL, 0);
    qixgbe_write(d, IXGBE_MCSTCTRL, 0);
    make_frame(frame, sizeof(frame), 11);

    /* Broadcast: dropped without BAM, accepted and counted with it */
    memset(frame, 0xFF, ETH_ALEN);
    rx_expect_filtered(data, daddr, frame, sizeof(frame));
    g_assert_cmpuint(qixgbe_read(d, IXGBE_BPRC), ==, 0);
    qixgbe_write(d, IXGBE_FCTRL, IXGBE_FCTRL_BAM);
    wire_send(data, frame, sizeof(frame));
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    g_assert_cmpuint(qixgbe_read(d, IXGBE_BPRC), ==, 1);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPRC), ==, 1);

    /* Multicast: BAM does not admit it, nor does an MTA bit while MFE=0 */
    memcpy(frame, mcast, ETH_ALEN);
    daddr = qixgbe_rx_push(d, 0, buf);
    rx_expect_filtered(data, daddr, frame, sizeof(frame));
    /* vector = (DA[4] >> 4) | (DA[5] << 4) = 0x010: MTA[0] bit 16 */
    qixgbe_write(d, IXGBE_MTA0, BIT(16));
    rx_expect_filtered(data, daddr, frame, sizeof(frame));
    /* A neighbouring bit does not match */
    qixgbe_write(d, IXGBE_MCSTCTRL, IXGBE_MCSTCTRL_MFE);
    qixgbe_write(d, IXGBE_MTA0, BIT(17));
    rx_expect_filtered(data, daddr, frame, sizeof(frame));
    g_assert_cmpuint(qixgbe_read(d, IXGBE_MPRC), ==, 0);
    /* The right bit with MFE does */
    qixgbe_write(d, IXGBE_MTA0, BIT(16));
    wire_send(data, frame, sizeof(frame));
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    g_assert_cmpuint(qixgbe_read(d, IXGBE_MPRC), ==, 1);

    /* MPE admits any multicast, table or not */
    qixgbe_write(d, IXGBE_MTA0, 0);
    qixgbe_write(d, IXGBE_MCSTCTRL, 0);
    daddr = qixgbe_rx_push(d, 0, buf);
    rx_expect_filtered(data, daddr, frame, sizeof(frame));
    qixgbe_write(d, IXGBE_FCTRL, IXGBE_FCTRL_MPE);
    frame[5] = 0x77;
    wire_send(data, frame, sizeof(frame));
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    rx_read_wb(daddr, &r);
    g_assert_cmpuint(r.length, ==, sizeof(frame));
    g_assert_cmpuint(qixgbe_read(d, IXGBE_MPRC), ==, 1);
    guest_free(alloc, buf);
}

/* VLAN filter: with VLNCTRL.VFE, a tagged frame passes only if VFTA has its VID. */
static void test_rx_vlan_filter(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[68];
    uint64_t buf = guest_alloc(alloc, QIXGBE_BUF_SIZE);
    uint64_t daddr = qixgbe_rx_push(d, 0, buf);
    RxResult r;

    make_frame(frame, sizeof(frame), 13);
    stw_be_p(frame + 12, 0x8100);
    stw_be_p(frame + 14, 0x0064);               /* VID 100 */
    qixgbe_write(d, IXGBE_VLNCTRL, IXGBE_VLNCTRL_VFE | 0x8100);

    rx_expect_filtered(data, daddr, frame, sizeof(frame));
    /* VID 100 is VFTA[3] bit 4; its neighbour does not admit it */
    qixgbe_write(d, IXGBE_VFTA0 + 3 * 4, BIT(5));
    rx_expect_filtered(data, daddr, frame, sizeof(frame));
    qixgbe_write(d, IXGBE_VFTA0 + 3 * 4, BIT(4));
    wire_send(data, frame, sizeof(frame));
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    rx_read_wb(daddr, &r);
    g_assert_cmpuint(r.length, ==, sizeof(frame));

    /* Untagged frames are not subject to the table */
    make_frame(frame, 64, 14);
    rx_frame(d, data, alloc, 0, frame, 64, &r);
    guest_free(alloc, buf);
}

/* Send @len bytes; dropped: no descriptor used, counted once in @reg. */
static void rx_expect_counted_drop(QIXGBE *d, int *sockets, uint64_t daddr,
                                   const uint8_t *frame, size_t len,
                                   uint32_t reg)
{
    rx_expect_filtered(sockets, daddr, frame, len);
    g_assert_cmpuint(qixgbe_read(d, reg), ==, 1);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPRC), ==, 0);
}

/*
 * MAXFRS.MFS / HLREG0.JUMBOEN: the limit counts the FCS (which the cable
 * does not carry, so frames here are 4 bytes shorter than the limit), is
 * 1518 without JUMBOEN whatever MFS says, and a VLAN-tagged frame may be 4
 * bytes longer.
 */
static void test_rx_max_frame(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[1700];
    uint64_t buf = guest_alloc(alloc, QIXGBE_BUF_SIZE);
    uint64_t daddr;
    RxResult r;

    /* Reset state: JUMBOEN off, 1514 bytes + FCS = 1518 passes */
    g_assert_cmphex(qixgbe_read(d, IXGBE_HLREG0) & IXGBE_HLREG0_JUMBOEN, ==, 0);
    make_frame(frame, sizeof(frame), 3);
    rx_frame(d, data, alloc, 0, frame, 1514, &r);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPRC), ==, 1);

    /* One byte more is dropped and counted, the descriptor stays unused */
    daddr = qixgbe_rx_push(d, 0, buf);
    rx_expect_counted_drop(d, data, daddr, frame, 1515, IXGBE_ROC);

    /* MFS is ignored without JUMBOEN */
    qixgbe_write(d, IXGBE_MAXFRS, 1600 << IXGBE_MAXFRS_MFS_SHIFT);
    rx_expect_counted_drop(d, data, daddr, frame, 1515, IXGBE_ROC);

    /* A VLAN tag (VLNCTRL.VET) buys 4 bytes, no more */
    stw_be_p(frame + 12, 0x8100);
    rx_expect_counted_drop(d, data, daddr, frame, 1519, IXGBE_ROC);
    wire_send(data, frame, 1518);
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    rx_read_wb(daddr, &r);
    g_assert_cmpuint(r.length, ==, 1518);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_ROC), ==, 0);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPRC), ==, 1);
    stw_be_p(frame + 12, 0x88B5);

    /* JUMBOEN: MFS rules, both ways (the driver's MTU 1582 and 1400) */
    qixgbe_write(d, IXGBE_HLREG0,
                 qixgbe_read(d, IXGBE_HLREG0) | IXGBE_HLREG0_JUMBOEN);
    rx_frame(d, data, alloc, 0, frame, 1596, &r);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPRC), ==, 1);
    daddr = qixgbe_rx_push(d, 0, buf);
    rx_expect_counted_drop(d, data, daddr, frame, 1597, IXGBE_ROC);
    qixgbe_write(d, IXGBE_MAXFRS, 1418 << IXGBE_MAXFRS_MFS_SHIFT);
    rx_expect_counted_drop(d, data, daddr, frame, 1415, IXGBE_ROC);
    wire_send(data, frame, 1414);
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    rx_read_wb(daddr, &r);
    g_assert_cmpuint(r.length, ==, 1414);
    guest_free(alloc, buf);
}

/*
 * Undersize (fcs-on-wire): under 64 bytes with the FCS is a runt, dropped
 * and counted in RUC, or in RFC (a fragment) when its FCS is bad; 64 is
 * the minimum that passes.
 */
static void test_rx_undersize(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[128];
    uint64_t buf = guest_alloc(alloc, QIXGBE_BUF_SIZE);
    uint64_t daddr = qixgbe_rx_push(d, 0, buf);
    RxResult r;

    make_frame(frame, 59, 31);
    rx_expect_counted_drop(d, data, daddr, frame, add_fcs(frame, 59, true),
                           IXGBE_RUC);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_RFC), ==, 0);
    rx_expect_counted_drop(d, data, daddr, frame, add_fcs(frame, 59, false),
                           IXGBE_RFC);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_RUC), ==, 0);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_CRCERRS), ==, 0);
    /* shorter than a header: still a runt */
    rx_expect_counted_drop(d, data, daddr, frame, add_fcs(frame, 10, true),
                           IXGBE_RUC);

    make_frame(frame, 60, 31);
    wire_send(data, frame, add_fcs(frame, 60, true));
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    rx_read_wb(daddr, &r);
    g_assert_cmpuint(r.length, ==, 60);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_RUC), ==, 0);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPRC), ==, 1);
    guest_free(alloc, buf);
}

/*
 * CRC (fcs-on-wire): a bad FCS drops the frame and counts CRCERRS; the
 * good one is checked and stripped; with FCTRL.SBP the bad frame is
 * stored, flagged CE (the driver frees it unless NETIF_F_RXALL).
 */
static void test_rx_crc(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[128], got[100];
    uint64_t buf = guest_alloc(alloc, QIXGBE_BUF_SIZE);
    uint64_t daddr = qixgbe_rx_push(d, 0, buf);
    RxResult r;

    make_frame(frame, 100, 33);
    rx_expect_counted_drop(d, data, daddr, frame, add_fcs(frame, 100, false),
                           IXGBE_CRCERRS);

    wire_send(data, frame, add_fcs(frame, 100, true));
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    rx_read_wb(daddr, &r);
    g_assert_cmpuint(r.length, ==, 100);
    g_assert_cmphex(r.status & IXGBE_RXD_ERR_CE, ==, 0);
    memread(buf, got, sizeof(got));
    g_assert_false(memcmp(got, frame, sizeof(got)));
    g_assert_cmpuint(qixgbe_read(d, IXGBE_CRCERRS), ==, 0);

    qixgbe_write(d, IXGBE_FCTRL, IXGBE_FCTRL_BAM | IXGBE_FCTRL_SBP);
    daddr = qixgbe_rx_push(d, 0, buf);
    wire_send(data, frame, add_fcs(frame, 100, false));
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    rx_read_wb(daddr, &r);
    g_assert_cmphex(r.status & IXGBE_RXD_ERR_CE, ==, IXGBE_RXD_ERR_CE);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_CRCERRS), ==, 1);
    guest_free(alloc, buf);
}

/*
 * The 802.3 length field (HLREG0.RXLNGTHERREN, on at reset): a field of
 * 1500 or less must match the bytes after the header, padding allowed in
 * a minimum-size frame; a mismatch is dropped and counted in RLEC.
 */
static void test_rx_length_field(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[128];
    uint64_t buf = guest_alloc(alloc, QIXGBE_BUF_SIZE);
    uint64_t daddr;
    RxResult r;

    qixgbe_write(d, IXGBE_HLREG0, qixgbe_read(d, IXGBE_HLREG0) |
                 IXGBE_HLREG0_RXLNGTHERREN);
    make_frame(frame, 100, 35);
    stw_be_p(frame + 12, 100 - 14);
    rx_frame(d, data, alloc, 0, frame, 100, &r);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_RLEC), ==, 0);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_GPRC), ==, 1);

    daddr = qixgbe_rx_push(d, 0, buf);
    stw_be_p(frame + 12, 50);           /* bytes after the payload */
    rx_expect_counted_drop(d, data, daddr, frame, 100, IXGBE_RLEC);
    stw_be_p(frame + 12, 100 - 13);     /* more than the frame holds */
    rx_expect_counted_drop(d, data, daddr, frame, 100, IXGBE_RLEC);

    /* a 60-byte frame: 10 bytes of payload, 36 of padding */
    stw_be_p(frame + 12, 10);
    wire_send(data, frame, 60);
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    g_assert_cmpuint(qixgbe_read(d, IXGBE_RLEC), ==, 0);

    /* with FCTRL.SBP the bad frame is stored, flagged LE */
    qixgbe_write(d, IXGBE_FCTRL, IXGBE_FCTRL_BAM | IXGBE_FCTRL_SBP);
    daddr = qixgbe_rx_push(d, 0, buf);
    stw_be_p(frame + 12, 50);
    wire_send(data, frame, 100);
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    rx_read_wb(daddr, &r);
    g_assert_cmphex(r.status & IXGBE_RXD_ERR_LE, ==, IXGBE_RXD_ERR_LE);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_RLEC), ==, 1);

    /* RXLNGTHERREN off: not checked */
    qixgbe_write(d, IXGBE_FCTRL, IXGBE_FCTRL_BAM);
    qixgbe_write(d, IXGBE_HLREG0, qixgbe_read(d, IXGBE_HLREG0) &
                 ~IXGBE_HLREG0_RXLNGTHERREN);
    rx_frame(d, data, alloc, 0, frame, 100, &r);
    g_assert_cmpuint(qixgbe_read(d, IXGBE_RLEC), ==, 0);

    /* and it is on after a reset, as the stock driver leaves it */
    qixgbe_write(d, IXGBE_CTRL, IXGBE_CTRL_RST);
    g_assert_cmphex(qixgbe_read(d, IXGBE_HLREG0) & IXGBE_HLREG0_RXLNGTHERREN,
                    ==, IXGBE_HLREG0_RXLNGTHERREN);
    guest_free(alloc, buf);
}

/* ---- receive checksum results on good, bad and malformed headers ---- */

static const uint8_t csum_sip[4] = { 10, 0, 0, 1 };
static const uint8_t csum_dip[4] = { 10, 0, 0, 2 };

/* The TCP/UDP checksum over the pseudo header with @l4_len, and @n bytes */
static uint16_t l4_csum(const uint8_t *ip, const uint8_t *l4, size_t n,
                        uint8_t proto, uint16_t l4_len)
{
    return inet_csum(l4, n, (uint16_t)~inet_csum(ip + 12, 8, 0) + proto +
                     l4_len);
}

static void ip4_fix_csum(uint8_t *ip)
{
    stw_be_p(ip + 10, 0);
    stw_be_p(ip + 10, inet_csum(ip, (ip[0] & 0xF) * 4, 0));
}

/* A TCP SYN (IP total length 40) with both checksums right; 54 bytes */
static size_t make_good_tcp(uint8_t *frame)
{
    size_t len = make_tcp4_frame(frame, csum_sip, csum_dip, 1000, 80);
    uint8_t *ip = frame + 14;

    stw_be_p(ip + 20 + 16, l4_csum(ip, ip + 20, 20, IP_PROTO_TCP, 20));
    return len;
}

/* Receive @frame on queue 0; return the descriptor's status and XEC. */
static uint32_t rx_csum_status(QIXGBE *d, int *sockets, QGuestAllocator *alloc,
                               const uint8_t *frame, size_t len, uint32_t *xec)
{
    RxResult r;

    rx_frame(d, sockets, alloc, 0, frame, len, &r);
    *xec = qixgbe_read(d, IXGBE_XEC);
    return r.status & (IXGBE_RXD_STAT_IPCS | IXGBE_RXD_ERR_IPE |
                       IXGBE_RXD_STAT_L4CS | IXGBE_RXD_STAT_UDPCS |
                       IXGBE_RXD_ERR_TCPE);
}

/* Good checksums are good; a bad TCP checksum is L4E and counted in XEC. */
static void test_rx_csum(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[128];
    size_t len = make_good_tcp(frame);
    uint32_t xec;

    g_assert_cmphex(rx_csum_status(d, data, alloc, frame, len, &xec), ==,
                    IXGBE_RXD_STAT_IPCS | IXGBE_RXD_STAT_L4CS);
    g_assert_cmpuint(xec, ==, 0);
    frame[14 + 20 + 17] ^= 1;
    g_assert_cmphex(rx_csum_status(d, data, alloc, frame, len, &xec), ==,
                    IXGBE_RXD_STAT_IPCS | IXGBE_RXD_STAT_L4CS |
                    IXGBE_RXD_ERR_TCPE);
    g_assert_cmpuint(xec, ==, 1);
}

/* IHL 4: a header shorter than the minimum is IPE, and no L4 result. */
static void test_rx_csum_bad_ihl(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[128];
    size_t len = make_good_tcp(frame);
    uint32_t xec;

    frame[14] = 0x44;
    ip4_fix_csum(frame + 14);
    g_assert_cmphex(rx_csum_status(d, data, alloc, frame, len, &xec), ==,
                    IXGBE_RXD_STAT_IPCS | IXGBE_RXD_ERR_IPE);
    g_assert_cmpuint(xec, ==, 1);
}

/*
 * An IP total length beyond the frame's end: the header is fine (IPCS, no
 * IPE), the payload is not there (L4E), even with a TCP checksum that is
 * right for the bytes that are.
 */
static void test_rx_csum_ip_len_lying(void *obj, void *data,
                                      QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[128];
    size_t len = make_good_tcp(frame);
    uint8_t *ip = frame + 14;
    uint32_t xec;

    stw_be_p(ip + 2, 40 + 100);
    ip4_fix_csum(ip);
    stw_be_p(ip + 20 + 16, 0);
    stw_be_p(ip + 20 + 16, l4_csum(ip, ip + 20, 20, IP_PROTO_TCP, 20 + 100));
    g_assert_cmphex(rx_csum_status(d, data, alloc, frame, len, &xec), ==,
                    IXGBE_RXD_STAT_IPCS | IXGBE_RXD_STAT_L4CS |
                    IXGBE_RXD_ERR_TCPE);
    g_assert_cmpuint(xec, ==, 1);
}

/*
 * L4 headers cut off by the IP length: 10 bytes of TCP header (the rest of
 * the frame is padding), and a UDP length past the IP payload; each summing
 * right over the lengths it claims and the bytes that are there.
 */
static void test_rx_csum_l4_truncated(void *obj, void *data,
                                      QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[128];
    size_t len = make_good_tcp(frame);
    uint8_t *ip = frame + 14, *l4 = ip + 20;
    uint32_t xec;

    stw_be_p(ip + 2, 20 + 10);
    ip4_fix_csum(ip);
    memset(l4 + 4, 0, 16);
    /* the 10 bytes sum right: the complement goes in the sequence number */
    stw_be_p(l4 + 4, l4_csum(ip, l4, 10, IP_PROTO_TCP, 10));
    g_assert_cmphex(rx_csum_status(d, data, alloc, frame, len, &xec), ==,
                    IXGBE_RXD_STAT_IPCS | IXGBE_RXD_STAT_L4CS |
                    IXGBE_RXD_ERR_TCPE);
    g_assert_cmpuint(xec, ==, 1);

    /* UDP: IP payload 20 bytes, UDP length 40 */
    len = make_good_tcp(frame);
    ip[9] = IP_PROTO_UDP;
    ip4_fix_csum(ip);
    memset(l4, 0, 40);      /* what the device pads the frame with */
    stw_be_p(l4, 1000);
    stw_be_p(l4 + 2, 53);
    stw_be_p(l4 + 4, 40);
    stw_be_p(l4 + 6, l4_csum(ip, l4, 40, IP_PROTO_UDP, 40));
    g_assert_cmphex(rx_csum_status(d, data, alloc, frame, len, &xec), ==,
                    IXGBE_RXD_STAT_IPCS | IXGBE_RXD_STAT_L4CS |
                    IXGBE_RXD_STAT_UDPCS | IXGBE_RXD_ERR_TCPE);
    g_assert_cmpuint(xec, ==, 1);
}

static void test_rx_vlan_strip(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[68], plain[64];
    RxResult r;

    make_frame(plain, sizeof(plain), 5);
    memcpy(frame, plain, 12);
    stw_be_p(frame + 12, 0x8100);
    stw_be_p(frame + 14, 0x2064);     /* prio 1, VID 100 */
    memcpy(frame + 16, plain + 12, sizeof(plain) - 12);

    qixgbe_write(d, qixgbe_rxq_reg(0, IXGBE_RXQ_RXDCTL),
                 IXGBE_RXDCTL_ENABLE | IXGBE_RXDCTL_VME);
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r);
    g_assert_cmphex(r.status & IXGBE_RXD_STAT_VP, ==, IXGBE_RXD_STAT_VP);
    g_assert_cmphex(r.vlan, ==, 0x2064);
    g_assert_cmpuint(r.length, ==, sizeof(plain));
}

static void test_rss(void *obj, void *data, QGuestAllocator *alloc)
{
    const uint32_t expect_hash = RSS_MS_HASH;
    QIXGBE *d = node(obj);
    uint8_t frame[128];
    size_t len = make_tcp4_frame(frame, rss_ms_sip, rss_ms_dip, RSS_MS_SPORT,
                                 RSS_MS_DPORT);
    int i, q;
    RxResult r;

    for (i = 0; i < 10; i++) {
        qixgbe_write(d, IXGBE_RSSRK0 + 4 * i, ldl_le_p(rss_ms_key + 4 * i));
    }
    qixgbe_write(d, IXGBE_MRQC, 1 | IXGBE_MRQC_RSS_IPV4_TCP |
                 IXGBE_MRQC_RSS_IPV4);

    for (q = 1; q < QIXGBE_QUEUES; q++) {
        /* Only the RETA entry this hash selects points at queue q */
        for (i = 0; i < 32; i++) {
            qixgbe_write(d, IXGBE_RETA0 + 4 * i, 0);
        }
        i = expect_hash & 0x7F;
        qixgbe_write(d, IXGBE_RETA0 + (i & ~3), q << (8 * (i & 3)));

        rx_frame(d, data, alloc, q, frame, len, &r);
        g_assert_cmphex(r.hash, ==, expect_hash);
        g_assert_cmphex(r.pkt_info & 0xF, ==, IXGBE_RXD_RSSTYPE_IPV4_TCP);
        g_assert_cmphex(r.pkt_info & (IXGBE_RXD_PKTTYPE_IPV4 |
                                      IXGBE_RXD_PKTTYPE_TCP), ==,
                        IXGBE_RXD_PKTTYPE_IPV4 | IXGBE_RXD_PKTTYPE_TCP);
        /* checksums were checked; IP is good, TCP (zero) is not */
        g_assert_cmphex(r.status & (IXGBE_RXD_STAT_IPCS | IXGBE_RXD_ERR_IPE),
                        ==, IXGBE_RXD_STAT_IPCS);
        g_assert_true(qixgbe_wait_msix(d, QIXGBE_RX_VECTOR(q)));
        g_assert_cmpuint(qixgbe_read(d, qixgbe_rxq_reg(q, IXGBE_RXQ_QPRC)),
                         ==, 1);
    }
}

static void test_msix(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);

    /* Software-triggered cause on a vector above 31 */
    g_assert_false(qpci_msix_pending(&d->pci_dev, 40));
    qixgbe_write(d, IXGBE_EICS_EX0 + 4, BIT(40 - 32));
    g_assert_true(qixgbe_wait_msix(d, 40));
    /* vectors above 15 are always auto-cleared */
    g_assert_cmphex(qixgbe_read(d, IXGBE_EICS_EX0 + 4) & BIT(8), ==, 0);

    /* A masked vector does not fire until it is unmasked */
    qixgbe_write(d, IXGBE_EIMC_EX0, BIT(5));
    qixgbe_write(d, IXGBE_EICS_EX0, BIT(5));
    clock_step(1000000);
    g_assert_false(qpci_msix_pending(&d->pci_dev, 5));
    g_assert_cmphex(qixgbe_read(d, IXGBE_EICS) & BIT(5), ==, BIT(5));
    qixgbe_write(d, IXGBE_EIMS_EX0, BIT(5));
    g_assert_true(qixgbe_wait_msix(d, 5));

    /* EITR moderation: a second cause within the interval waits */
    qixgbe_write(d, IXGBE_EITR_LO + 3 * 4, 100 << 3);  /* ~205 us */
    qixgbe_write(d, IXGBE_EICS_EX0, BIT(3));
    g_assert_true(qixgbe_wait_msix(d, 3));
    g_assert_cmphex(qixgbe_read(d, IXGBE_EICS) & BIT(3), ==, 0);
    qixgbe_write(d, IXGBE_EICS_EX0, BIT(3));
    g_assert_cmphex(qixgbe_read(d, IXGBE_EICS) & BIT(3), ==, BIT(3));
    clock_step(300 * 1000);
    g_assert_cmphex(qixgbe_read(d, IXGBE_EICS) & BIT(3), ==, 0);

    /* EICR write-1-to-clear */
    qixgbe_write(d, IXGBE_EIMC_EX0, BIT(6));
    qixgbe_write(d, IXGBE_EICS_EX0, BIT(6));
    g_assert_cmphex(qixgbe_read(d, IXGBE_EICS) & BIT(6), ==, BIT(6));
    qixgbe_write(d, IXGBE_EICR, BIT(6));
    g_assert_cmphex(qixgbe_read(d, IXGBE_EICS) & BIT(6), ==, 0);
}

/* INTx (what the driver falls back to without MSI/MSI-X) on the pc machine */
static void test_intx(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    QPCIDevice *piix = qpci_device_find(d->pci_dev.bus, QPCI_DEVFN(1, 0));
    int pirq = ((d->pci_dev.devfn >> 3) - 1) & 3;   /* slot, pin A */
    const int irq = 11;
    uint8_t frame[64];
    RxResult r;

    g_assert_nonnull(piix);
    qpci_config_writeb(piix, 0x60 + pirq, irq);        /* PIRQ -> IRQ 11 */
    qtest_irq_intercept_in(global_qtest, "ioapic");

    qpci_msix_disable(&d->pci_dev);
    qixgbe_write(d, IXGBE_GPIE, 0);
    qixgbe_write(d, IXGBE_EIMC, 0xFFFFFFFF);
    qixgbe_read(d, IXGBE_EICR);
    g_assert_false(get_irq(irq));

    /* Software cause, masked: no interrupt; unmasked: level goes up */
    qixgbe_write(d, IXGBE_EICS, BIT(2));
    g_assert_false(get_irq(irq));
    qixgbe_write(d, IXGBE_EIMS, BIT(2));
    g_assert_true(get_irq(irq));
    /* Reading EICR clears the causes and drops the line */
    g_assert_cmphex(qixgbe_read(d, IXGBE_EICR), ==, BIT(2));
    g_assert_false(get_irq(irq));

    /* Queue 0 RX cause lands on EICR bit (IVAR & 0xF) = 0 */
    qixgbe_write(d, IXGBE_IVAR0, IXGBE_IVAR_ALLOC_VAL | 0);
    qixgbe_write(d, IXGBE_EIMS, IXGBE_EICR_RTX_QUEUE | IXGBE_EICR_LSC);
    make_frame(frame, sizeof(frame), 23);
    rx_frame(d, data, alloc, 0, frame, sizeof(frame), &r);
    g_assert_true(get_irq(irq));
    g_assert_cmphex(qixgbe_read(d, IXGBE_EICR), ==, BIT(0));
    g_assert_false(get_irq(irq));

    /* Link change raises LSC (and OTHER) */
    wire_set_link(global_qtest, false);
    g_assert_true(get_irq(irq));
    g_assert_cmphex(qixgbe_read(d, IXGBE_EICR) & IXGBE_EICR_LSC, ==,
                    IXGBE_EICR_LSC);
    g_assert_false(get_irq(irq));
    g_free(piix);
}

static void test_link(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);

    g_assert_false(qpci_msix_pending(&d->pci_dev, QIXGBE_MISC_VECTOR));
    wire_set_link(global_qtest, false);
    g_assert_cmphex(qixgbe_read(d, IXGBE_LINKS) & IXGBE_LINKS_UP, ==, 0);
    g_assert_cmphex(qixgbe_read(d, IXGBE_EICS) & IXGBE_EICR_LSC, ==,
                    IXGBE_EICR_LSC);
    g_assert_true(qixgbe_wait_msix(d, QIXGBE_MISC_VECTOR));
    qixgbe_write(d, IXGBE_EICR, IXGBE_EICR_LSC | IXGBE_EICR_OTHER);

    wire_set_link(global_qtest, true);
    g_assert_cmphex(qixgbe_read(d, IXGBE_LINKS) & IXGBE_LINKS_UP, ==,
                    IXGBE_LINKS_UP);
    g_assert_cmphex(qixgbe_read(d, IXGBE_EICS) & IXGBE_EICR_LSC, ==,
                    IXGBE_EICR_LSC);
}

static void test_loopback(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[100], got[100];
    uint64_t buf = guest_alloc(alloc, QIXGBE_BUF_SIZE);
    uint64_t daddr = qixgbe_rx_push(d, 0, buf);
    RxResult r;

    qixgbe_write(d, IXGBE_HLREG0, IXGBE_HLREG0_RXCRCSTRP | IXGBE_HLREG0_LPBK);
    make_frame(frame, sizeof(frame), 11);
    tx_frame(d, data, alloc, 0, frame, sizeof(frame));
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));
    rx_read_wb(daddr, &r);
    g_assert_cmpuint(r.length, ==, sizeof(frame));
    memread(buf, got, sizeof(got));
    g_assert_false(memcmp(got, frame, sizeof(frame)));
    /* and nothing went out on the wire */
    clock_step(1000000);
    g_assert_true(wire_idle(data));
}

static void test_bad_input(void *obj, void *data, QGuestAllocator *alloc)
{
    QIXGBE *d = node(obj);
    uint8_t frame[64], got[64];
    IXGBETxDesc desc = {
        .cmd_type_len = IXGBE_TXD_CMD_EOP | IXGBE_TXD_CMD_RS |
                        IXGBE_TXD_CMD_DEXT |
                        (IXGBE_TXD_DTYP_DATA << IXGBE_TXD_DTYP_SHIFT),
    };
    uint64_t daddr;

    /* Zero-length buffer: completes, sends nothing */
    daddr = qixgbe_tx_push(d, 0, &desc);
    g_assert_true(qixgbe_wait_status(d, daddr + 12, IXGBE_TXD_STAT_DD));
    clock_step(1000000);
    g_assert_true(wire_idle(data));

    /* Buffer in memory that does not exist: completes, dropped */
    desc.addr = 0xFFFFFFF000000000ULL;
    desc.cmd_type_len |= 64;
    daddr = qixgbe_tx_push(d, 0, &desc);
    g_assert_true(qixgbe_wait_status(d, daddr + 12, IXGBE_TXD_STAT_DD));
    clock_step(1000000);
    g_assert_true(wire_idle(data));

    /* TX ring in nonexistent memory: nothing happens, no hang */
    qixgbe_write(d, qixgbe_txq_reg(1, IXGBE_TXQ_TDBAH), 0xFFFFFFF0);
    qixgbe_write(d, qixgbe_txq_reg(1, IXGBE_TXQ_TDT), 5);
    g_assert_cmpuint(qixgbe_read(d, qixgbe_txq_reg(1, IXGBE_TXQ_TDH)), ==, 0);

    /* Head beyond the ring, and a ring length that is not valid */
    qixgbe_write(d, qixgbe_txq_reg(2, IXGBE_TXQ_TDH), 1000);
    qixgbe_write(d, qixgbe_txq_reg(2, IXGBE_TXQ_TDT), 3);
    g_assert_cmpuint(qixgbe_read(d, qixgbe_txq_reg(2, IXGBE_TXQ_TDH)), ==,
                     1000);
    qixgbe_write(d, qixgbe_txq_reg(3, IXGBE_TXQ_TDLEN), 0);
    qixgbe_write(d, qixgbe_txq_reg(3, IXGBE_TXQ_TDT), 1);

    /* RX: ring length 0, then a buffer that does not exist */
    qixgbe_write(d, qixgbe_rxq_reg(0, IXGBE_RXQ_RDLEN), 0);
    qixgbe_write(d, qixgbe_rxq_reg(0, IXGBE_RXQ_RDT), 7);
    qixgbe_write(d, qixgbe_rxq_reg(0, IXGBE_RXQ_SRRCTL),
                 IXGBE_SRRCTL_DROP_EN | 2);
    make_frame(frame, sizeof(frame), 13);
    wire_send(data, frame, sizeof(frame));
    clock_step(1000000);

    qixgbe_write(d, qixgbe_rxq_reg(0, IXGBE_RXQ_RDLEN), QIXGBE_RING_DESCS * 16);
    qixgbe_write(d, qixgbe_rxq_reg(0, IXGBE_RXQ_RDH), 0);
    d->rx_tail[0] = 0;
    daddr = qixgbe_rx_push(d, 0, 0xFFFFFFF000000000ULL);
    wire_send(data, frame, sizeof(frame));
    g_assert_true(qixgbe_wait_status(d, daddr + 8, IXGBE_RXD_STAT_DD));

    /* Zero buffer size in SRRCTL */
    qixgbe_write(d, qixgbe_rxq_reg(0, IXGBE_RXQ_SRRCTL), IXGBE_SRRCTL_DROP_EN);
    qixgbe_rx_push(d, 0, guest_alloc(alloc, QIXGBE_BUF_SIZE));
    wire_send(data, frame, sizeof(frame));
    clock_step(1000000);

    /* The device still works */
    make_frame(frame, sizeof(frame), 17);
    tx_frame(d, data, alloc, 0, frame, sizeof(frame));
    g_assert_cmpuint(wire_recv(data, got, sizeof(got)), ==, sizeof(frame));
    g_assert_false(memcmp(got, frame, sizeof(frame)));
}

/*
 * Random programming: a fixed-seed storm of register writes (biased to the
 * queue banks and interrupt registers) mixed with wire traffic.  The device
 * must neither crash nor hang, and must still answer afterwards.
 * QTEST_IXGBE_SEED=n picks another storm.
 */
static void test_random_programming(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    static const uint32_t hot[] = {
        IXGBE_RXQ_BANK_LO, IXGBE_TXQ_BANK, IXGBE_RXQ_BANK_HI, IXGBE_EICR,
        IXGBE_IVAR0, IXGBE_SRRCTL_ALIAS, IXGBE_MRQC, IXGBE_RETA0,
    };
    QIXGBE *d = node(obj);
    const char *seed_env = g_getenv("QTEST_IXGBE_SEED");
    GRand *rand = g_rand_new_with_seed(seed_env ? atoi(seed_env) : 0x82599);
    uint64_t mem = guest_alloc(alloc, 64 * 1024);
    uint8_t frame[1514];
    int i;

    for (i = 0; i < 20000; i++) {
        uint32_t reg, val = g_rand_int(rand);

        if (g_rand_boolean(rand)) {
            reg = hot[g_rand_int_range(rand, 0, ARRAY_SIZE(hot))] +
                  4 * g_rand_int_range(rand, 0, 1024);
        } else {
            reg = 4 * g_rand_int_range(rand, 0, 0x20000 / 4);
        }
        if (reg == IXGBE_CTRL || reg == IXGBE_GPIE) {
            continue;   /* keep MSI-X mode and avoid constant resets */
        }
        switch (g_rand_int_range(rand, 0, 4)) {
        case 0:
            /* a plausible ring base inside guest memory */
            val = (mem + (val & 0xFF80)) & 0xFFFFFFFF;
            break;
        case 1:
            val &= 0x3FF;       /* small head/tail/length values */
            break;
        default:
            break;
        }
        qixgbe_write(d, reg, val);
        if (g_rand_int_range(rand, 0, 8) == 0) {
            qixgbe_read(d, 4 * g_rand_int_range(rand, 0, 0x20000 / 4));
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

    /* Still alive: a reset brings it back to a known state */
    qixgbe_write(d, IXGBE_CTRL, IXGBE_CTRL_RST);
    g_assert_cmphex(qixgbe_read(d, IXGBE_CTRL) & IXGBE_CTRL_RST, ==, 0);
    g_assert_cmphex(qixgbe_read(d, IXGBE_RAL_ALIAS), ==, ldl_le_p(own_mac));
}

static void register_ixgbe_test(void)
{
    QOSGraphTestOptions opts = { .before = wire_test_init };
    QOSGraphTestOptions fcs_opts = { .before = wire_test_init };

    qos_add_test("init", "ixgbe", test_init, &opts);
    qos_add_test("reset", "ixgbe", test_reset, &opts);
    qos_add_test("eeprom", "ixgbe", test_eeprom, &opts);
    qos_add_test("tx", "ixgbe", test_tx, &opts);
    qos_add_test("tx_many", "ixgbe", test_tx_many, &opts);
    qos_add_test("tx_csum_multi_desc", "ixgbe", test_tx_multi_desc_csum,
                 &opts);
    qos_add_test("tx_tso", "ixgbe", test_tx_tso, &opts);
    qos_add_test("tx_vlan_insert", "ixgbe", test_tx_vlan_insert, &opts);
    qos_add_test("tx_buffer_limit", "ixgbe", test_tx_buffer_limit, &opts);
    qos_add_test("rx", "ixgbe", test_rx, &opts);
    qos_add_test("rx_many", "ixgbe", test_rx_many, &opts);
    qos_add_test("rx_multi_buffer", "ixgbe", test_rx_multi_buffer, &opts);
    qos_add_test("rx_filter", "ixgbe", test_rx_filter, &opts);
    qos_add_test("rx_max_frame", "ixgbe", test_rx_max_frame, &opts);
    qos_add_test("rx_vlan_strip", "ixgbe", test_rx_vlan_strip, &opts);
    qos_add_test("rx_accept", "ixgbe", test_rx_accept, &opts);
    qos_add_test("rx_vlan_filter", "ixgbe", test_rx_vlan_filter, &opts);
    qos_add_test("rx_length_field", "ixgbe", test_rx_length_field, &opts);
    qos_add_test("rx_csum", "ixgbe", test_rx_csum, &opts);
    qos_add_test("rx_csum_bad_ihl", "ixgbe", test_rx_csum_bad_ihl, &opts);
    qos_add_test("rx_csum_ip_len_lying", "ixgbe", test_rx_csum_ip_len_lying,
                 &opts);
    qos_add_test("rx_csum_l4_truncated", "ixgbe", test_rx_csum_l4_truncated,
                 &opts);
    qos_add_test("rss", "ixgbe", test_rss, &opts);
    qos_add_test("msix", "ixgbe", test_msix, &opts);
    qos_add_test("link", "ixgbe", test_link, &opts);
    qos_add_test("intx", "ixgbe", test_intx, &opts);
    qos_add_test("loopback", "ixgbe", test_loopback, &opts);
    qos_add_test("bad_input", "ixgbe", test_bad_input, &opts);
    qos_add_test("random_programming", "ixgbe", test_random_programming,
                 &opts);

    /* a cable that carries the FCS, so runts and bad FCS can be sent */
    fcs_opts.edge.extra_device_opts = "fcs-on-wire=on";
    qos_add_test("rx_undersize", "ixgbe", test_rx_undersize, &fcs_opts);
    qos_add_test("rx_crc", "ixgbe", test_rx_crc, &fcs_opts);
}

libqos_init(register_ixgbe_test);

#endif
