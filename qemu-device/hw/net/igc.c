/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Intel I225-LM 2.5 GbE controller (8086:15F2) for the Linux igc driver:
 * the PCI/QOM shell.  BAR0 (registers), BAR3 (MSI-X, 5 vectors), PCIe
 * capabilities, the NIC backend and type registration live here; the
 * hardware is in igc_core.c.  No migration state yet: the device is
 * marked unmigratable.
 *
 * Copyright (c) 2026 nicrig developers
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qemu/module.h"
#include "qapi/error.h"
#include "net/net.h"
#include "system/system.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/pcie.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "qom/object.h"

#include "igc_core.h"
#include "trace.h"

#define TYPE_IGC "igc"
OBJECT_DECLARE_SIMPLE_TYPE(IGCState, IGC)

#define IGC_DEV_ID_I225_LM      0x15F2
#define IGC_MMIO_BAR            0
#define IGC_MSIX_BAR            3
#define IGC_MSIX_SIZE           (16 * KiB)
#define IGC_MSIX_PBA_OFFSET     0x2000

#define IGC_CAP_PM              0x40
#define IGC_CAP_MSI             0x50
#define IGC_CAP_MSIX            0x70
#define IGC_CAP_PCIE            0xA0

struct IGCState {
    PCIDevice parent_obj;

    NICState *nic;
    NICConf conf;

    MemoryRegion mmio;
    MemoryRegion msix;

    IGCCore core;
};

static uint64_t igc_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    IGCState *s = opaque;

    return igc_core_read(&s->core, addr, size);
}

static void igc_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    IGCState *s = opaque;

    igc_core_write(&s->core, addr, val, size);
}

static const MemoryRegionOps igc_mmio_ops = {
    .read = igc_mmio_read,
    .write = igc_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

static bool igc_nc_can_receive(NetClientState *nc)
{
    IGCState *s = qemu_get_nic_opaque(nc);

    return igc_core_can_receive(&s->core);
}

static ssize_t igc_nc_receive_iov(NetClientState *nc,
                                  const struct iovec *iov, int iovcnt)
{
    IGCState *s = qemu_get_nic_opaque(nc);

    return igc_core_receive_iov(&s->core, iov, iovcnt);
}

static ssize_t igc_nc_receive(NetClientState *nc, const uint8_t *buf,
                              size_t size)
{
    const struct iovec iov = {
        .iov_base = (uint8_t *)buf,
        .iov_len = size,
    };

    return igc_nc_receive_iov(nc, &iov, 1);
}

static void igc_nc_link_status_changed(NetClientState *nc)
{
    IGCState *s = qemu_get_nic_opaque(nc);

    igc_core_set_link_status(&s->core);
}

static NetClientInfo igc_net_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(NICState),
    .can_receive = igc_nc_can_receive,
    .receive = igc_nc_receive,
    .receive_iov = igc_nc_receive_iov,
    .link_status_changed = igc_nc_link_status_changed,
};

static void igc_pci_realize(PCIDevice *pci_dev, Error **errp)
{
    IGCState *s = IGC(pci_dev);
    DeviceState *dev = DEVICE(pci_dev);
    int i, ret;

    pci_dev->config[PCI_CACHE_LINE_SIZE] = 0x10;
    pci_dev->config[PCI_INTERRUPT_PIN] = 1;

    memory_region_init_io(&s->mmio, OBJECT(s), &igc_mmio_ops, s,
                          "igc-mmio", IGC_MMIO_SIZE);
    pci_register_bar(pci_dev, IGC_MMIO_BAR,
                     PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->mmio);

    memory_region_init(&s->msix, OBJECT(s), "igc-msix", IGC_MSIX_SIZE);
    pci_register_bar(pci_dev, IGC_MSIX_BAR,
                     PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->msix);

    if (pci_pm_init(pci_dev, IGC_CAP_PM, errp) < 0) {
        return;
    }
    ret = msi_init(pci_dev, IGC_CAP_MSI, 1, true, true, NULL);
    if (ret) {
        trace_igc_pci_msi_init_fail(ret);
    }
    if (msix_init(pci_dev, IGC_MSIX_VECTORS, &s->msix, IGC_MSIX_BAR, 0,
                  &s->msix, IGC_MSIX_BAR, IGC_MSIX_PBA_OFFSET,
                  IGC_CAP_MSIX, errp) < 0) {
        goto err_msi;
    }
    for (i = 0; i < IGC_MSIX_VECTORS; i++) {
        msix_vector_use(pci_dev, i);
    }
    if (pcie_endpoint_cap_init(pci_dev, IGC_CAP_PCIE) < 0) {
        error_setg(errp, "igc: failed to add the PCIe capability");
        goto err_msix;
    }

    qemu_macaddr_default_if_unset(&s->conf.macaddr);
    s->nic = qemu_new_nic(&igc_net_info, &s->conf,
                          object_get_typename(OBJECT(s)), dev->id,
                          &dev->mem_reentrancy_guard, s);
    qemu_format_nic_info_str(qemu_get_queue(s->nic), s->conf.macaddr.a);

    igc_core_realize(&s->core, pci_dev, s->nic, s->conf.macaddr.a);
    return;

err_msix:
    msix_unuse_all_vectors(pci_dev);
    msix_uninit(pci_dev, &s->msix, &s->msix);
err_msi:
    msi_uninit(pci_dev);
}

static void igc_pci_uninit(PCIDevice *pci_dev)
{
    IGCState *s = IGC(pci_dev);

    igc_core_unrealize(&s->core);
    qemu_del_nic(s->nic);
    pcie_cap_exit(pci_dev);
    msix_unuse_all_vectors(pci_dev);
    msix_uninit(pci_dev, &s->msix, &s->msix);
    msi_uninit(pci_dev);
}

static void igc_reset_hold(Object *obj, ResetType type)
{
    IGCState *s = IGC(obj);

    igc_core_reset(&s->core);
}

static const VMStateDescription igc_vmstate = {
    .name = "igc",
    .unmigratable = 1,
};

static const Property igc_properties[] = {
    DEFINE_NIC_PROPERTIES(IGCState, conf),
    DEFINE_PROP_BOOL("fcs-on-wire", IGCState, core.fcs_on_wire, false),
};

static void igc_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = igc_pci_realize;
    k->exit = igc_pci_uninit;
    k->vendor_id = PCI_VENDOR_ID_INTEL;
    k->device_id = IGC_DEV_ID_I225_LM;
    k->revision = 3;
    k->subsystem_vendor_id = PCI_VENDOR_ID_INTEL;
    k->subsystem_id = 0x0000;
    k->class_id = PCI_CLASS_NETWORK_ETHERNET;

    rc->phases.hold = igc_reset_hold;
    igc_core_class_init();

    dc->desc = "Intel I225-LM 2.5 Gigabit Ethernet Controller";
    dc->vmsd = &igc_vmstate;
    device_class_set_props(dc, igc_properties);
    set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);
}

static void igc_instance_init(Object *obj)
{
    IGCState *s = IGC(obj);

    device_add_bootindex_property(obj, &s->conf.bootindex, "bootindex",
                                  "/ethernet-phy@0", DEVICE(obj));
}

static const TypeInfo igc_info = {
    .name = TYPE_IGC,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(IGCState),
    .class_init = igc_class_init,
    .instance_init = igc_instance_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void igc_register_types(void)
{
    type_register_static(&igc_info);
}

type_init(igc_register_types)
