/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Intel 82599 10 GbE controller (KX4 backplane, 8086:10F7) for the Linux
 * ixgbe driver: the PCI/QOM shell.  BARs, PCIe capabilities, MSI/MSI-X,
 * the NIC backend, migration state and type registration live here; the
 * hardware itself is in ixgbe_core.c.
 *
 * Copyright (c) 2026 nicrig developers
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qemu/module.h"
#include "qemu/range.h"
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

#include "ixgbe_core.h"
#include "trace.h"

#define TYPE_IXGBE "ixgbe"
OBJECT_DECLARE_SIMPLE_TYPE(IXGBEState, IXGBE)

#define IXGBE_DEV_ID_82599_KX4  0x10F7

#define IXGBE_MMIO_BAR          0
#define IXGBE_MSIX_BAR          4
#define IXGBE_MMIO_SIZE         (512 * KiB)
#define IXGBE_MSIX_SIZE         (16 * KiB)
#define IXGBE_MSIX_PBA_OFFSET   0x2000

/* Capability layout of the real part; the driver reads 0x72 and 0xB2. */
#define IXGBE_CAP_PM            0x40
#define IXGBE_CAP_MSI           0x50
#define IXGBE_CAP_MSIX          0x70
#define IXGBE_CAP_PCIE          0xA0
#define IXGBE_CAP_AER           0x100

struct IXGBEState {
    PCIDevice parent_obj;

    NICState *nic;
    NICConf conf;

    MemoryRegion mmio;
    MemoryRegion msix;

    IXGBECore core;
};

static uint64_t ixgbe_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    IXGBEState *s = opaque;

    return ixgbe_core_read(&s->core, addr, size);
}

static void ixgbe_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    IXGBEState *s = opaque;

    ixgbe_core_write(&s->core, addr, val, size);
}

static const MemoryRegionOps ixgbe_mmio_ops = {
    .read = ixgbe_mmio_read,
    .write = ixgbe_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        /* the driver writes FDIRHASH/FDIRCMD with one 64-bit store */
        .min_access_size = 4,
        .max_access_size = 8,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static bool ixgbe_nc_can_receive(NetClientState *nc)
{
    IXGBEState *s = qemu_get_nic_opaque(nc);

    return ixgbe_core_can_receive(&s->core);
}

static ssize_t ixgbe_nc_receive_iov(NetClientState *nc,
                                    const struct iovec *iov, int iovcnt)
{
    IXGBEState *s = qemu_get_nic_opaque(nc);

    return ixgbe_core_receive_iov(&s->core, iov, iovcnt);
}

static ssize_t ixgbe_nc_receive(NetClientState *nc, const uint8_t *buf,
                                size_t size)
{
    const struct iovec iov = {
        .iov_base = (uint8_t *)buf,
        .iov_len = size,
    };

    return ixgbe_nc_receive_iov(nc, &iov, 1);
}

static void ixgbe_nc_link_status_changed(NetClientState *nc)
{
    IXGBEState *s = qemu_get_nic_opaque(nc);

    ixgbe_core_set_link_status(&s->core);
}

static NetClientInfo ixgbe_net_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(NICState),
    .can_receive = ixgbe_nc_can_receive,
    .receive = ixgbe_nc_receive,
    .receive_iov = ixgbe_nc_receive_iov,
    .link_status_changed = ixgbe_nc_link_status_changed,
};

static void ixgbe_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                               int len)
{
    IXGBEState *s = IXGBE(dev);

    trace_ixgbe_pci_write_config(addr, val, len);
    pci_default_write_config(dev, addr, val, len);
    pcie_cap_flr_write_config(dev, addr, val, len);

    if (range_covers_byte(addr, len, PCI_COMMAND) &&
        (dev->config[PCI_COMMAND] & PCI_COMMAND_MASTER)) {
        ixgbe_core_start_recv(&s->core);
    }
}

static bool ixgbe_init_msix(IXGBEState *s, Error **errp)
{
    PCIDevice *d = PCI_DEVICE(s);
    int i;

    if (msix_init(d, IXGBE_MSIX_VECTORS, &s->msix, IXGBE_MSIX_BAR, 0,
                  &s->msix, IXGBE_MSIX_BAR, IXGBE_MSIX_PBA_OFFSET,
                  IXGBE_CAP_MSIX, errp) < 0) {
        return false;
    }
    for (i = 0; i < IXGBE_MSIX_VECTORS; i++) {
        msix_vector_use(d, i);
    }
    return true;
}

static void ixgbe_pci_realize(PCIDevice *pci_dev, Error **errp)
{
    IXGBEState *s = IXGBE(pci_dev);
    DeviceState *dev = DEVICE(pci_dev);
    int ret;

    pci_dev->config_write = ixgbe_write_config;
    pci_dev->config[PCI_CACHE_LINE_SIZE] = 0x10;
    pci_dev->config[PCI_INTERRUPT_PIN] = 1;

    memory_region_init_io(&s->mmio, OBJECT(s), &ixgbe_mmio_ops, s,
                          "ixgbe-mmio", IXGBE_MMIO_SIZE);
    pci_register_bar(pci_dev, IXGBE_MMIO_BAR,
                     PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->mmio);

    memory_region_init(&s->msix, OBJECT(s), "ixgbe-msix", IXGBE_MSIX_SIZE);
    pci_register_bar(pci_dev, IXGBE_MSIX_BAR,
                     PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->msix);

    if (pci_pm_init(pci_dev, IXGBE_CAP_PM, errp) < 0) {
        return;
    }
    pci_set_word(pci_dev->wmask + IXGBE_CAP_PM + PCI_PM_CTRL,
                 PCI_PM_CTRL_STATE_MASK);

    ret = msi_init(pci_dev, IXGBE_CAP_MSI, 1, true, true, NULL);
    if (ret) {
        /* Machines without MSI still get INTx. */
        trace_ixgbe_pci_msi_init_fail(ret);
    }

    if (!ixgbe_init_msix(s, errp)) {
        goto err_msi;
    }

    if (pcie_endpoint_cap_init(pci_dev, IXGBE_CAP_PCIE) < 0) {
        error_setg(errp, "ixgbe: failed to add the PCIe capability");
        goto err_msix;
    }
    pcie_cap_flr_init(pci_dev);
    if (pcie_aer_init(pci_dev, PCI_ERR_VER, IXGBE_CAP_AER, PCI_ERR_SIZEOF,
                      errp) < 0) {
        goto err_pcie;
    }

    qemu_macaddr_default_if_unset(&s->conf.macaddr);
    s->nic = qemu_new_nic(&ixgbe_net_info, &s->conf,
                          object_get_typename(OBJECT(s)), dev->id,
                          &dev->mem_reentrancy_guard, s);
    qemu_format_nic_info_str(qemu_get_queue(s->nic), s->conf.macaddr.a);

    ixgbe_core_realize(&s->core, pci_dev, s->nic, s->conf.macaddr.a);
    return;

err_pcie:
    pcie_cap_exit(pci_dev);
err_msix:
    msix_unuse_all_vectors(pci_dev);
    msix_uninit(pci_dev, &s->msix, &s->msix);
err_msi:
    msi_uninit(pci_dev);
}

static void ixgbe_pci_uninit(PCIDevice *pci_dev)
{
    IXGBEState *s = IXGBE(pci_dev);

    ixgbe_core_unrealize(&s->core);
    qemu_del_nic(s->nic);
    pcie_aer_exit(pci_dev);
    pcie_cap_exit(pci_dev);
    msix_unuse_all_vectors(pci_dev);
    msix_uninit(pci_dev, &s->msix, &s->msix);
    msi_uninit(pci_dev);
}

static void ixgbe_reset_hold(Object *obj, ResetType type)
{
    IXGBEState *s = IXGBE(obj);

    ixgbe_core_reset(&s->core);
}

static int ixgbe_post_load(void *opaque, int version_id)
{
    IXGBEState *s = opaque;

    return ixgbe_core_post_load(&s->core);
}

static const VMStateDescription ixgbe_vmstate_tx_ctx = {
    .name = "ixgbe-tx-ctx",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(vlan_macip_lens, IXGBETxContext),
        VMSTATE_UINT32(seqnum_seed, IXGBETxContext),
        VMSTATE_UINT32(type_tucmd_mlhl, IXGBETxContext),
        VMSTATE_UINT32(mss_l4len_idx, IXGBETxContext),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription ixgbe_vmstate_txq = {
    .name = "ixgbe-txq",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT_ARRAY(ctx, IXGBETxQueue, 2, 0, ixgbe_vmstate_tx_ctx,
                             IXGBETxContext),
        VMSTATE_UINT32(first_cmd_type_len, IXGBETxQueue),
        VMSTATE_UINT32(first_olinfo_status, IXGBETxQueue),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription ixgbe_vmstate = {
    .name = "ixgbe",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = ixgbe_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, IXGBEState),
        VMSTATE_MSIX(parent_obj, IXGBEState),
        VMSTATE_UINT32_ARRAY(core.mac, IXGBEState, IXGBE_MAC_SIZE),
        VMSTATE_UINT16_ARRAY(core.eeprom, IXGBEState, IXGBE_EEPROM_WORDS),
        VMSTATE_UINT8_ARRAY(core.permanent_mac, IXGBEState, ETH_ALEN),
        VMSTATE_UINT64(core.vec_cause, IXGBEState),
        VMSTATE_UINT64(core.vec_mask, IXGBEState),
        VMSTATE_UINT64(core.vec_automask, IXGBEState),
        VMSTATE_UINT32(core.misc_cause, IXGBEState),
        VMSTATE_UINT32(core.misc_mask, IXGBEState),
        VMSTATE_STRUCT_ARRAY(core.txq, IXGBEState, IXGBE_NUM_QUEUES, 0,
                             ixgbe_vmstate_txq, IXGBETxQueue),
        VMSTATE_END_OF_LIST()
    }
};

static const Property ixgbe_properties[] = {
    DEFINE_NIC_PROPERTIES(IXGBEState, conf),
    DEFINE_PROP_BOOL("fcs-on-wire", IXGBEState, core.fcs_on_wire, false),
};

static void ixgbe_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = ixgbe_pci_realize;
    k->exit = ixgbe_pci_uninit;
    k->vendor_id = PCI_VENDOR_ID_INTEL;
    k->device_id = IXGBE_DEV_ID_82599_KX4;
    k->revision = 1;
    k->subsystem_vendor_id = PCI_VENDOR_ID_INTEL;
    k->subsystem_id = 0x000C;
    k->class_id = PCI_CLASS_NETWORK_ETHERNET;

    rc->phases.hold = ixgbe_reset_hold;

    dc->desc = "Intel 82599 10 Gigabit Ethernet Controller (KX4)";
    dc->vmsd = &ixgbe_vmstate;
    device_class_set_props(dc, ixgbe_properties);
    set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);

    ixgbe_core_class_init();
}

static void ixgbe_instance_init(Object *obj)
{
    IXGBEState *s = IXGBE(obj);

    device_add_bootindex_property(obj, &s->conf.bootindex, "bootindex",
                                  "/ethernet-phy@0", DEVICE(obj));
}

static const TypeInfo ixgbe_info = {
    .name = TYPE_IXGBE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(IXGBEState),
    .class_init = ixgbe_class_init,
    .instance_init = ixgbe_instance_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void ixgbe_register_types(void)
{
    type_register_static(&ixgbe_info);
}

type_init(ixgbe_register_types)
