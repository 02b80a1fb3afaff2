/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libqos driver for nicrig's Intel 82599 (ixgbe) model: brings the device
 * up the way the Linux driver does, minus everything a qtest does not need,
 * and offers ring helpers for the tests.
 *
 * Copyright (c) 2026 nicrig developers
 */

#include "qemu/osdep.h"
#include "hw/pci/pci_ids.h"
#include "../libqtest.h"
#include "pci-pc.h"
#include "qemu/module.h"
#include "qemu/bswap.h"
#include "libqos-malloc.h"
#include "qgraph.h"
#include "ixgbe.h"

#define QIXGBE_DEV_ID   0x10F7
#define QIXGBE_TIMEOUT  (5 * G_TIME_SPAN_SECOND)

static QTestState *qixgbe_qts(QIXGBE *d)
{
    return d->pci_dev.bus->qts;
}

uint16_t qixgbe_eeprom_read(QIXGBE *d, uint16_t word)
{
    uint32_t v;
    int i;

    qixgbe_write(d, IXGBE_EERD,
                 ((uint32_t)word << IXGBE_EERD_ADDR_SHIFT) | IXGBE_EERD_START);
    for (i = 0; i < 100; i++) {
        v = qixgbe_read(d, IXGBE_EERD);
        if (v & IXGBE_EERD_DONE) {
            return v >> IXGBE_EERD_DATA_SHIFT;
        }
    }
    g_assert_not_reached();
}

static void qixgbe_set_ivar(QIXGBE *d, int q, bool tx, int vector)
{
    uint32_t reg = IXGBE_IVAR0 + (q >> 1) * 4;
    int shift = 16 * (q & 1) + (tx ? 8 : 0);
    uint32_t v = qixgbe_read(d, reg);

    v &= ~(0xFFu << shift);
    v |= (uint32_t)(vector | IXGBE_IVAR_ALLOC_VAL) << shift;
    qixgbe_write(d, reg, v);
}

void qixgbe_setup_queue(QIXGBE *d, int q)
{
    g_assert(q < QIXGBE_QUEUES);

    qixgbe_write(d, qixgbe_txq_reg(q, IXGBE_TXQ_TDBAL), d->tx_ring[q]);
    qixgbe_write(d, qixgbe_txq_reg(q, IXGBE_TXQ_TDBAH), d->tx_ring[q] >> 32);
    qixgbe_write(d, qixgbe_txq_reg(q, IXGBE_TXQ_TDLEN),
                 QIXGBE_RING_DESCS * 16);
    qixgbe_write(d, qixgbe_txq_reg(q, IXGBE_TXQ_TDH), 0);
    qixgbe_write(d, qixgbe_txq_reg(q, IXGBE_TXQ_TDT), 0);
    qixgbe_write(d, qixgbe_txq_reg(q, IXGBE_TXQ_TXDCTL), IXGBE_TXDCTL_ENABLE);
    g_assert(qixgbe_read(d, qixgbe_txq_reg(q, IXGBE_TXQ_TXDCTL)) &
             IXGBE_TXDCTL_ENABLE);
    d->tx_tail[q] = 0;

    qixgbe_write(d, qixgbe_rxq_reg(q, IXGBE_RXQ_RDBAL), d->rx_ring[q]);
    qixgbe_write(d, qixgbe_rxq_reg(q, IXGBE_RXQ_RDBAH), d->rx_ring[q] >> 32);
    qixgbe_write(d, qixgbe_rxq_reg(q, IXGBE_RXQ_RDLEN),
                 QIXGBE_RING_DESCS * 16);
    qixgbe_write(d, qixgbe_rxq_reg(q, IXGBE_RXQ_SRRCTL),
                 (IXGBE_SRRCTL_DESCTYPE_ADV_ONEBUF <<
                  IXGBE_SRRCTL_DESCTYPE_SHIFT) |
                 (QIXGBE_BUF_SIZE / 1024));
    qixgbe_write(d, qixgbe_rxq_reg(q, IXGBE_RXQ_RDH), 0);
    qixgbe_write(d, qixgbe_rxq_reg(q, IXGBE_RXQ_RDT), 0);
    qixgbe_write(d, qixgbe_rxq_reg(q, IXGBE_RXQ_RXDCTL), IXGBE_RXDCTL_ENABLE);
    g_assert(qixgbe_read(d, qixgbe_rxq_reg(q, IXGBE_RXQ_RXDCTL)) &
             IXGBE_RXDCTL_ENABLE);
    d->rx_tail[q] = 0;

    qixgbe_set_ivar(d, q, false, QIXGBE_RX_VECTOR(q));
    qixgbe_set_ivar(d, q, true, QIXGBE_TX_VECTOR(q));
}

uint64_t qixgbe_tx_push(QIXGBE *d, int q, const IXGBETxDesc *desc)
{
    uint64_t addr = d->tx_ring[q] + d->tx_tail[q] * 16;
    IXGBETxDesc le = {
        .addr = cpu_to_le64(desc->addr),
        .cmd_type_len = cpu_to_le32(desc->cmd_type_len),
        .olinfo_status = cpu_to_le32(desc->olinfo_status),
    };

    qtest_memwrite(qixgbe_qts(d), addr, &le, sizeof(le));
    d->tx_tail[q] = (d->tx_tail[q] + 1) % QIXGBE_RING_DESCS;
    qixgbe_write(d, qixgbe_txq_reg(q, IXGBE_TXQ_TDT), d->tx_tail[q]);
    return addr;
}

uint64_t qixgbe_rx_push(QIXGBE *d, int q, uint64_t buf)
{
    uint64_t addr = d->rx_ring[q] + d->rx_tail[q] * 16;
    IXGBERxDescRead le = {
        .pkt_addr = cpu_to_le64(buf),
        .hdr_addr = 0,
    };

    qtest_memwrite(qixgbe_qts(d), addr, &le, sizeof(le));
    d->rx_tail[q] = (d->rx_tail[q] + 1) % QIXGBE_RING_DESCS;
    qixgbe_write(d, qixgbe_rxq_reg(q, IXGBE_RXQ_RDT), d->rx_tail[q]);
    return addr;
}

bool qixgbe_wait_status(QIXGBE *d, uint64_t addr, uint32_t bit)
{
    gint64 end = g_get_monotonic_time() + QIXGBE_TIMEOUT;
    uint32_t v;

    do {
        qtest_memread(qixgbe_qts(d), addr, &v, sizeof(v));
        if (le32_to_cpu(v) & bit) {
            return true;
        }
        qtest_clock_step(qixgbe_qts(d), 10000);
    } while (g_get_monotonic_time() < end);
    return false;
}

bool qixgbe_wait_msix(QIXGBE *d, uint16_t vector)
{
    gint64 end = g_get_monotonic_time() + QIXGBE_TIMEOUT;

    do {
        if (qpci_msix_pending(&d->pci_dev, vector)) {
            return true;
        }
        qtest_clock_step(qixgbe_qts(d), 10000);
    } while (g_get_monotonic_time() < end);
    return false;
}

static void qixgbe_start_hw(QOSGraphObject *obj)
{
    static const uint8_t mac[] = QIXGBE_MAC;
    QIXGBE *d = (QIXGBE *)obj;
    int q;

    qpci_device_enable(&d->pci_dev);

    /* Reset; the bit must clear by itself. */
    qixgbe_write(d, IXGBE_CTRL, IXGBE_CTRL_RST);
    g_assert_cmphex(qixgbe_read(d, IXGBE_CTRL) & IXGBE_CTRL_RST, ==, 0);
    g_assert_cmphex(qixgbe_read(d, IXGBE_LINKS) & IXGBE_LINKS_UP, ==,
                    IXGBE_LINKS_UP);

    qpci_msix_enable(&d->pci_dev);
    qixgbe_write(d, IXGBE_GPIE, IXGBE_GPIE_MSIX_MODE | IXGBE_GPIE_OCD |
                 IXGBE_GPIE_EIAME | IXGBE_GPIE_PBA_SUPPORT);
    qixgbe_write(d, IXGBE_IVAR_MISC,
                 (QIXGBE_MISC_VECTOR | IXGBE_IVAR_ALLOC_VAL) << 8);
    qixgbe_write(d, IXGBE_EIAC, IXGBE_EICR_RTX_QUEUE);

    qixgbe_write(d, IXGBE_RAL0, mac[0] | mac[1] << 8 | mac[2] << 16 |
                 (uint32_t)mac[3] << 24);
    qixgbe_write(d, IXGBE_RAL0 + 4, mac[4] | mac[5] << 8 | IXGBE_RAH_AV);
    qixgbe_write(d, IXGBE_FCTRL, IXGBE_FCTRL_BAM);
    qixgbe_write(d, IXGBE_HLREG0, IXGBE_HLREG0_RXCRCSTRP);

    qixgbe_write(d, IXGBE_DMATXCTL, IXGBE_DMATXCTL_TE);
    for (q = 0; q < QIXGBE_QUEUES; q++) {
        qixgbe_setup_queue(d, q);
    }
    qixgbe_write(d, IXGBE_RXCTRL, IXGBE_RXCTRL_RXEN);

    qixgbe_write(d, IXGBE_EIMS_EX0, 0xFFFFFFFF);
    qixgbe_write(d, IXGBE_EIMS_EX0 + 4, 0xFFFFFFFF);
    qixgbe_write(d, IXGBE_EIMS, IXGBE_EICR_LSC | IXGBE_EICR_OTHER);
}

static void qixgbe_destructor(QOSGraphObject *obj)
{
    QIXGBE *d = (QIXGBE *)obj;

    qpci_iounmap(&d->pci_dev, d->mmio);
    if (d->pci_dev.msix_enabled) {      /* a test may have turned it off */
        qpci_msix_disable(&d->pci_dev);
    }
}

static void *qixgbe_get_driver(void *obj, const char *interface)
{
    QIXGBE *d = obj;

    if (!g_strcmp0(interface, "ixgbe-if")) {
        return d;
    }
    if (!g_strcmp0(interface, "pci-device")) {
        return &d->pci_dev;
    }
    fprintf(stderr, "%s not present in ixgbe\n", interface);
    g_assert_not_reached();
}

static void qixgbe_foreach_callback(QPCIDevice *dev, int devfn, void *data)
{
    memcpy(data, dev, sizeof(QPCIDevice));
    g_free(dev);
}

static void *qixgbe_create(void *pci_bus, QGuestAllocator *alloc, void *addr)
{
    QIXGBE *d = g_new0(QIXGBE, 1);
    QPCIAddress *address = addr;
    int q;

    qpci_device_foreach(pci_bus, address->vendor_id, address->device_id,
                        qixgbe_foreach_callback, &d->pci_dev);
    d->mmio = qpci_iomap(&d->pci_dev, 0, NULL);
    d->alloc = alloc;
    for (q = 0; q < QIXGBE_QUEUES; q++) {
        d->tx_ring[q] = guest_alloc(alloc, QIXGBE_RING_DESCS * 16);
        d->rx_ring[q] = guest_alloc(alloc, QIXGBE_RING_DESCS * 16);
        g_assert(d->tx_ring[q] && d->rx_ring[q]);
        g_assert(!(d->tx_ring[q] & 127) && !(d->rx_ring[q] & 127));
    }

    d->obj.get_driver = qixgbe_get_driver;
    d->obj.start_hw = qixgbe_start_hw;
    d->obj.destructor = qixgbe_destructor;
    return &d->obj;
}

static void qixgbe_register_nodes(void)
{
    QPCIAddress addr = {
        .vendor_id = PCI_VENDOR_ID_INTEL,
        .device_id = QIXGBE_DEV_ID,
    };
    /* Tests must provide -netdev ...,id=hs0 */
    QOSGraphEdgeOptions opts = {
        .extra_device_opts = "netdev=hs0,mac=52:54:00:12:34:56",
    };

    add_qpci_address(&opts, &addr);
    qos_node_create_driver("ixgbe", qixgbe_create);
    qos_node_consumes("ixgbe", "pci-bus", &opts);
}

libqos_init(qixgbe_register_nodes);
