/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libqos driver for nicrig's Intel I225 (igc) model: brings the device up
 * the way the Linux igc driver does (reset, MSI-X with IVAR, rings, RCTL,
 * TCTL), and offers ring helpers for the tests.
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
#include "igc.h"

#define QIGC_DEV_ID     0x15F2
#define QIGC_TIMEOUT    (5 * G_TIME_SPAN_SECOND)

static QTestState *qigc_qts(QIGC *d)
{
    return d->pci_dev.bus->qts;
}

uint16_t qigc_nvm_read(QIGC *d, uint16_t word)
{
    uint32_t v;

    qigc_write(d, IGC_EERD, ((uint32_t)word << IGC_EERD_ADDR_SHIFT) |
               IGC_EERD_START);
    v = qigc_read(d, IGC_EERD);
    g_assert_cmphex(v & IGC_EERD_DONE, ==, IGC_EERD_DONE);
    return v >> IGC_EERD_DATA_SHIFT;
}

uint32_t qigc_mdic(QIGC *d, int phy, int reg, bool write, uint16_t val)
{
    uint32_t v = (write ? IGC_MDIC_OP_WRITE | val : IGC_MDIC_OP_READ) |
                 (uint32_t)phy << IGC_MDIC_PHY_SHIFT |
                 (uint32_t)reg << IGC_MDIC_REG_SHIFT;

    qigc_write(d, IGC_MDIC, v);
    v = qigc_read(d, IGC_MDIC);
    g_assert_cmphex(v & IGC_MDIC_READY, ==, IGC_MDIC_READY);
    return v;
}

/* IVAR0[q / 2]: RX in byte 2 * (q & 1), TX in the byte above it */
static void qigc_set_ivar(QIGC *d, int q, bool tx, int vector)
{
    uint32_t reg = IGC_IVAR0 + (q >> 1) * 4;
    int shift = 16 * (q & 1) + (tx ? 8 : 0);
    uint32_t v = qigc_read(d, reg);

    v &= ~(0xFFu << shift);
    v |= (uint32_t)(vector | IGC_IVAR_VALID) << shift;
    qigc_write(d, reg, v);
}

void qigc_setup_queue(QIGC *d, int q)
{
    g_assert(q < QIGC_QUEUES);

    qigc_write(d, qigc_q_reg(true, q, IGC_Q_DCTL), 0);
    qigc_write(d, qigc_q_reg(true, q, IGC_Q_LEN), QIGC_RING_DESCS * 16);
    qigc_write(d, qigc_q_reg(true, q, IGC_Q_BAL), d->tx_ring[q]);
    qigc_write(d, qigc_q_reg(true, q, IGC_Q_BAH), d->tx_ring[q] >> 32);
    qigc_write(d, qigc_q_reg(true, q, IGC_Q_HEAD), 0);
    qigc_write(d, qigc_q_reg(true, q, IGC_Q_TAIL), 0);
    qigc_write(d, qigc_q_reg(true, q, IGC_Q_DCTL), IGC_DCTL_ENABLE);
    d->tx_tail[q] = 0;

    qigc_write(d, qigc_q_reg(false, q, IGC_Q_DCTL), 0);
    qigc_write(d, qigc_q_reg(false, q, IGC_Q_BAL), d->rx_ring[q]);
    qigc_write(d, qigc_q_reg(false, q, IGC_Q_BAH), d->rx_ring[q] >> 32);
    qigc_write(d, qigc_q_reg(false, q, IGC_Q_LEN), QIGC_RING_DESCS * 16);
    qigc_write(d, qigc_q_reg(false, q, IGC_Q_HEAD), 0);
    qigc_write(d, qigc_q_reg(false, q, IGC_Q_TAIL), 0);
    qigc_write(d, qigc_q_reg(false, q, IGC_Q_SRRCTL),
               IGC_SRRCTL_DESCTYPE_ONEBUF << IGC_SRRCTL_DESCTYPE_SHIFT |
               QIGC_BUF_SIZE / 1024);
    qigc_write(d, qigc_q_reg(false, q, IGC_Q_DCTL), IGC_DCTL_ENABLE);
    d->rx_tail[q] = 0;

    qigc_set_ivar(d, q, false, QIGC_QUEUE_VECTOR(q));
    qigc_set_ivar(d, q, true, QIGC_QUEUE_VECTOR(q));
}

uint64_t qigc_tx_push(QIGC *d, int q, uint64_t addr, uint32_t cmd,
                      uint32_t olinfo)
{
    uint64_t daddr = d->tx_ring[q] + d->tx_tail[q] * 16;
    uint8_t desc[16];

    stq_le_p(desc, addr);
    stl_le_p(desc + 8, cmd);
    stl_le_p(desc + 12, olinfo);
    qtest_memwrite(qigc_qts(d), daddr, desc, sizeof(desc));
    d->tx_tail[q] = (d->tx_tail[q] + 1) % QIGC_RING_DESCS;
    qigc_write(d, qigc_q_reg(true, q, IGC_Q_TAIL), d->tx_tail[q]);
    return daddr;
}

uint64_t qigc_rx_push(QIGC *d, int q, uint64_t buf)
{
    uint64_t daddr = d->rx_ring[q] + d->rx_tail[q] * 16;
    uint8_t desc[16] = { 0 };

    stq_le_p(desc, buf);
    qtest_memwrite(qigc_qts(d), daddr, desc, sizeof(desc));
    d->rx_tail[q] = (d->rx_tail[q] + 1) % QIGC_RING_DESCS;
    qigc_write(d, qigc_q_reg(false, q, IGC_Q_TAIL), d->rx_tail[q]);
    return daddr;
}

bool qigc_wait_status(QIGC *d, uint64_t addr, uint32_t bit)
{
    gint64 end = g_get_monotonic_time() + QIGC_TIMEOUT;
    uint32_t v;

    do {
        qtest_memread(qigc_qts(d), addr, &v, sizeof(v));
        if (le32_to_cpu(v) & bit) {
            return true;
        }
        qtest_clock_step(qigc_qts(d), 10000);
    } while (g_get_monotonic_time() < end);
    return false;
}

bool qigc_wait_msix(QIGC *d, uint16_t vector)
{
    gint64 end = g_get_monotonic_time() + QIGC_TIMEOUT;

    do {
        if (qpci_msix_pending(&d->pci_dev, vector)) {
            return true;
        }
        qtest_clock_step(qigc_qts(d), 10000);
    } while (g_get_monotonic_time() < end);
    return false;
}

static void qigc_start_hw(QOSGraphObject *obj)
{
    QIGC *d = (QIGC *)obj;
    int q;

    qpci_device_enable(&d->pci_dev);

    /* igc_reset_hw_base: quiesce, then CTRL.RST, which clears itself */
    qigc_write(d, IGC_CTRL, IGC_CTRL_GIO_MASTER_DISABLE);
    g_assert_cmphex(qigc_read(d, IGC_STATUS) & IGC_STATUS_GIO_MASTER_EN,
                    ==, 0);
    qigc_write(d, IGC_IMC, 0xFFFFFFFF);
    qigc_write(d, IGC_CTRL, IGC_CTRL_RST);
    g_assert_cmphex(qigc_read(d, IGC_CTRL) & IGC_CTRL_RST, ==, 0);
    g_assert_cmphex(qigc_read(d, IGC_EECD) & IGC_EECD_AUTO_RD, ==,
                    IGC_EECD_AUTO_RD);

    qpci_msix_enable(&d->pci_dev);
    qigc_write(d, IGC_GPIE, IGC_GPIE_MSIX_MODE | IGC_GPIE_EIAME | BIT(31) |
               BIT(0));
    qigc_write(d, IGC_IVAR_MISC, (QIGC_MISC_VECTOR | IGC_IVAR_VALID) << 8);

    for (q = 0; q < QIGC_QUEUES; q++) {
        qigc_setup_queue(d, q);
    }
    qigc_write(d, IGC_RCTL, IGC_RCTL_EN | IGC_RCTL_BAM | IGC_RCTL_SECRC);
    qigc_write(d, IGC_TCTL, IGC_TCTL_EN);

    qigc_write(d, IGC_EIAC, BIT(QIGC_VECTORS) - 1);
    qigc_write(d, IGC_EIMS, BIT(QIGC_VECTORS) - 1);
    qigc_write(d, IGC_IMS, IGC_ICR_LSC);
}

static void qigc_destructor(QOSGraphObject *obj)
{
    QIGC *d = (QIGC *)obj;

    qpci_iounmap(&d->pci_dev, d->mmio);
    if (d->pci_dev.msix_enabled) {
        qpci_msix_disable(&d->pci_dev);
    }
}

static void *qigc_get_driver(void *obj, const char *interface)
{
    QIGC *d = obj;

    if (!g_strcmp0(interface, "igc-if")) {
        return d;
    }
    if (!g_strcmp0(interface, "pci-device")) {
        return &d->pci_dev;
    }
    fprintf(stderr, "%s not present in igc\n", interface);
    g_assert_not_reached();
}

static void qigc_foreach_callback(QPCIDevice *dev, int devfn, void *data)
{
    memcpy(data, dev, sizeof(QPCIDevice));
    g_free(dev);
}

static void *qigc_create(void *pci_bus, QGuestAllocator *alloc, void *addr)
{
    QIGC *d = g_new0(QIGC, 1);
    QPCIAddress *address = addr;
    int q;

    qpci_device_foreach(pci_bus, address->vendor_id, address->device_id,
                        qigc_foreach_callback, &d->pci_dev);
    d->mmio = qpci_iomap(&d->pci_dev, 0, NULL);
    d->alloc = alloc;
    for (q = 0; q < QIGC_QUEUES; q++) {
        d->tx_ring[q] = guest_alloc(alloc, QIGC_RING_DESCS * 16);
        d->rx_ring[q] = guest_alloc(alloc, QIGC_RING_DESCS * 16);
        g_assert(d->tx_ring[q] && d->rx_ring[q]);
        g_assert(!(d->tx_ring[q] & 127) && !(d->rx_ring[q] & 127));
    }

    d->obj.get_driver = qigc_get_driver;
    d->obj.start_hw = qigc_start_hw;
    d->obj.destructor = qigc_destructor;
    return &d->obj;
}

static void qigc_register_nodes(void)
{
    QPCIAddress addr = {
        .vendor_id = PCI_VENDOR_ID_INTEL,
        .device_id = QIGC_DEV_ID,
    };
    /* Tests must provide -netdev ...,id=hs0 */
    QOSGraphEdgeOptions opts = {
        .extra_device_opts = "netdev=hs0,mac=52:54:00:12:34:57",
    };

    add_qpci_address(&opts, &addr);
    qos_node_create_driver("igc", qigc_create);
    qos_node_consumes("igc", "pci-bus", &opts);
}

libqos_init(qigc_register_nodes);
