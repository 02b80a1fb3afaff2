/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What nicrig's Intel models (the 82599 in ixgbe_core.c, the I225 in
 * igc_core.c) share: the declarative register table, the "advanced"
 * descriptor rings both inherit from the 82576, and the multicast table
 * lookup.  Each model keeps its registers; these helpers take the values.
 *
 * Copyright (c) 2026 nicrig developers
 */

#ifndef HW_NET_NICRIG_ADV_H
#define HW_NET_NICRIG_ADV_H

#include "qemu/log.h"
#include "hw/pci/pci_device.h"
#include "system/dma.h"
#include "net_tx_pkt.h"

/*
 * Register tables.  A model declares every register it knows once, in an
 * array of its own entry type whose first member is a NicrigRegDecl (so
 * the handlers can take the model's core type), and expands it at class
 * init into a map from register index to entry.  An access to a register
 * that no entry declares is a guest error and reads 0: what the model does
 * and what it merely stores is then written down, not guessed from a
 * default.
 */
typedef enum NicrigRegKind {
    NICRIG_RW,      /* storage: a write keeps the bits of wmask */
    NICRIG_RO,      /* the guest reads it; writes are ignored */
    NICRIG_RC,      /* read-to-clear (statistics); writes are ignored */
    NICRIG_W1C,     /* a write clears the bits of wmask it sets */
} NicrigRegKind;

typedef struct NicrigRegDecl {
    const char *name;
    uint32_t addr;      /* the first register */
    uint16_t count;     /* registers in the array */
    uint16_t stride;    /* bytes from one to the next (0: 4) */
    NicrigRegKind kind;
    uint32_t wmask;     /* NICRIG_RW, NICRIG_W1C: the bits a write affects */
} NicrigRegDecl;

/*
 * Fill @map (one slot per 32-bit register, @map_len of them) with 1 + the
 * index of the entry declaring each register, from @n entries of
 * @entry_size bytes at @table, each starting with its NicrigRegDecl.
 */
static inline void nicrig_reg_map_build(uint16_t *map, size_t map_len,
                                        const void *table, size_t n,
                                        size_t entry_size)
{
    size_t i, j;

    assert(n < UINT16_MAX);
    for (i = 0; i < n; i++) {
        const NicrigRegDecl *d =
            (const NicrigRegDecl *)((const char *)table + i * entry_size);
        unsigned stride = d->stride ? d->stride : 4;

        for (j = 0; j < d->count; j++) {
            size_t index = (d->addr + j * stride) >> 2;

            /* two entries for one register is a bug in the table */
            assert(index < map_len && !map[index]);
            map[index] = i + 1;
        }
    }
}

/* The entry declaring register @index, or NULL. */
static inline const void *nicrig_reg_lookup(const uint16_t *map,
                                            size_t map_len, hwaddr index,
                                            const void *table,
                                            size_t entry_size)
{
    if (index >= map_len || !map[index]) {
        return NULL;
    }
    return (const char *)table + (map[index] - 1) * entry_size;
}

/* What a read of a register without a read handler returns. */
static inline uint32_t nicrig_reg_load(const NicrigRegDecl *d, uint32_t *slot)
{
    uint32_t val = *slot;

    if (d->kind == NICRIG_RC) {
        *slot = 0;
    }
    return val;
}

/*
 * A write to a register without a write handler; false if its kind
 * ignores writes (the caller traces that).
 */
static inline bool nicrig_reg_store(const NicrigRegDecl *d, uint32_t *slot,
                                    uint32_t val)
{
    switch (d->kind) {
    case NICRIG_RW:
        *slot = val & d->wmask;
        return true;
    case NICRIG_W1C:
        *slot &= ~(val & d->wmask);
        return true;
    default:
        return false;
    }
}

static inline void nicrig_reg_unknown(const char *model, hwaddr addr,
                                      bool write, uint64_t val)
{
    if (write) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: write of 0x%08" PRIx64 " to unmodelled register "
                      "0x%05" HWADDR_PRIx "\n", model, val, addr);
    } else {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: read of unmodelled register 0x%05" HWADDR_PRIx
                      "\n", model, addr);
    }
}

#define NICRIG_DESC_SIZE        16      /* every advanced descriptor */
#define NICRIG_RING_ALIGN       128     /* ring lengths come in these */

typedef struct NicrigRing {
    dma_addr_t base;
    uint32_t size;      /* in descriptors */
    uint32_t *head;
    uint32_t *tail;
} NicrigRing;

/*
 * Fill @r from a queue's registers and check them as the guest left them;
 * false (and a guest error naming @model, @what and @q) if the ring is
 * unusable: a length that is zero or not a multiple of 128, or a head or
 * tail beyond it.
 */
static inline bool nicrig_ring_get(NicrigRing *r, const char *model,
                                   const char *what, int q, uint32_t bal,
                                   uint32_t bah, uint32_t len,
                                   uint32_t *head, uint32_t *tail)
{
    r->base = ((uint64_t)bah << 32) | bal;
    r->head = head;
    r->tail = tail;
    r->size = len / NICRIG_DESC_SIZE;

    if (len == 0 || len % NICRIG_RING_ALIGN) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: %s queue %d: bad ring length %u "
                      "(must be a non-zero multiple of 128)\n",
                      model, what, q, len);
        return false;
    }
    if (*head >= r->size || *tail >= r->size) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: %s queue %d: head %u / tail %u beyond ring of "
                      "%u descriptors\n", model, what, q, *head, *tail,
                      r->size);
        return false;
    }
    return true;
}

static inline dma_addr_t nicrig_ring_desc(const NicrigRing *r, uint32_t i)
{
    return r->base + (dma_addr_t)i * NICRIG_DESC_SIZE;
}

/*
 * Write back one advanced RX descriptor after its buffer.  The hardware
 * writes a descriptor back in one PCIe write, and the drivers rely on it:
 * ixgbe and igc poll wb.upper.length (not DD) and, once it is non-zero,
 * read status_error for EOP, so a length visible before its status makes
 * them take the frame for a fragment.  Both "done" fields live in the
 * upper quadword, so that goes last, in one 64-bit store, after the lower
 * quadword (RSS hash, packet type).
 */
static inline void nicrig_rx_desc_writeback(PCIDevice *dev, dma_addr_t daddr,
                                            uint64_t lo, uint64_t hi)
{
    AddressSpace *as = pci_get_address_space(dev);

    address_space_stq_le(as, daddr, lo, MEMTXATTRS_UNSPECIFIED, NULL);
    smp_wmb();  /* pairs with the driver's dma_rmb() after length/DD */
    address_space_stq_le(as, daddr + 8, hi, MEMTXATTRS_UNSPECIFIED, NULL);
}

/*
 * Add one TX data buffer to the packet being gathered; false (and a guest
 * error) if it lies outside guest memory or the packet has too many
 * fragments: the caller drops the packet at EOP.  A zero-length buffer
 * carries nothing and is only logged.
 */
static inline bool nicrig_tx_add_buffer(PCIDevice *dev, struct NetTxPkt *pkt,
                                        const char *model, int q,
                                        uint64_t addr, uint32_t len)
{
    if (len == 0) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: TX queue %d: zero-length data buffer\n", model, q);
        return true;
    }
    if (!dma_memory_valid(pci_get_address_space(dev), addr, len,
                          DMA_DIRECTION_TO_DEVICE, MEMTXATTRS_UNSPECIFIED) ||
        !net_tx_pkt_add_raw_fragment_pci(pkt, dev, addr, len)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "%s: TX queue %d: cannot map buffer 0x%" PRIx64
                      "+%u or too many fragments; dropping packet\n",
                      model, q, addr, len);
        return false;
    }
    return true;
}

/*
 * The multicast table bit of destination address @da: the 12 bits of the
 * address that the MO field (0-3) of the model's control register picks.
 */
static inline uint32_t nicrig_mta_bit(uint32_t mo, const uint8_t *da)
{
    static const uint8_t shift[] = { 4, 3, 2, 0 };

    return ((da[4] >> shift[mo & 3]) |
            ((uint32_t)da[5] << (8 - shift[mo & 3]))) & 0xFFF;
}

#endif
