#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write generic-fuzz-ixgbe's libFuzzer dictionary and seed input.

    ixgbe-fuzz-gen.py          (run from anywhere; writes next to itself)

Each dictionary entry is one whole generic-fuzz command: opcode 2 (read:
struct { uint8 size; uint8 base; uint32 offset }) or opcode 3 (write),
the command's struct { uint8 size; uint8 base; uint32 offset; uint64 value }
(C layout: 2 bytes of padding after base; size 2 = 32-bit; base 0 = the first
fuzzable region in address order, BAR0), then the "FUZZ" separator.  BAR0
has 131072 dword slots, so a random write almost never hits a ring register;
these entries let mutations stitch together what a driver programs.  The seed
is all of them in order, a driver-like bring-up of loopback, TX and RX ring
0 and interrupts, with a DMA pattern (opcode 7) that makes every descriptor
and buffer the fuzzer's bytes, and a clock step (opcode 9) for EITR.
"""
import os
import struct

REGS = [
    ("CTRL.RST", 0x00000, 0x04000000),
    ("GPIE EIAME|PBA_SUPPORT|MSIX_MODE", 0x00898, 0xC0000010),
    ("IVAR0 RX0->0, TX0->1", 0x00900, 0x00008180),
    ("IVAR_MISC other->2", 0x00A00, 0x00008200),
    ("EITR0 interval", 0x00820, 0x1F8),
    ("EIAC", 0x00810, 0xFFFF),
    ("EIAM", 0x00890, 0xFFFF),
    ("EIMS all", 0x00880, 0x7FFFFFFF),
    ("HLREG0 LPBK|JUMBOEN|TXCRCEN|RXCRCSTRP", 0x04240, 0x0000A407),
    ("MAXFRS 9018", 0x04268, 0x233A0000),
    ("FCTRL UPE|MPE|BAM", 0x05080, 0x00000700),
    ("MCSTCTRL MFE", 0x05090, 0x4),
    ("VLNCTRL VFE", 0x05088, 0x40008100),
    ("MRQC RSS all types", 0x05818, 0x03FF0001),
    ("RETA0", 0x05C00, 0x03020100),
    ("RDBAL0", 0x01000, 0x00100000),
    ("RDBAH0", 0x01004, 0x0),
    ("RDLEN0 8 descs", 0x01008, 0x80),
    ("RDH0", 0x01010, 0x0),
    ("SRRCTL0 adv one buffer, 2 KiB", 0x01014, 0x02000002),
    ("RXDCTL0 enable", 0x01028, 0x02000000),
    ("RDT0", 0x01018, 0x7),
    ("RXCTRL RXEN", 0x03000, 0x1),
    ("DMATXCTL TE", 0x04A80, 0x1),
    ("TDBAL0", 0x06000, 0x00200000),
    ("TDBAH0", 0x06004, 0x0),
    ("TDLEN0 8 descs", 0x06008, 0x80),
    ("TDH0", 0x06010, 0x0),
    ("TDWBAL0 head write-back", 0x06038, 0x00300001),
    ("TXDCTL0 enable", 0x06028, 0x02000000),
    ("TDT0", 0x06018, 0x1),
    ("TDT0 wrap", 0x06018, 0x7),
    # not in the bring-up order: alternatives for mutations
    ("CTRL", 0x00000, 0x0),
    ("EICS all", 0x00808, 0x7FFFFFFF),
    ("SRRCTL0 1 KiB DROP_EN", 0x01014, 0x12000001),
    ("RXDCTL0 enable VME", 0x01028, 0x42000000),
    ("HLREG0 LPBK, no CRC strip", 0x04240, 0x00008000),
    ("TXDCTL1 enable", 0x06068, 0x02000000),
    ("TDT1", 0x06058, 0x3),
    ("SECRXCTRL", 0x08D00, 0x0),
    ("EERD start", 0x10014, 0x00000001),
    # registers the first campaigns never reached (print_coverage)
    ("EIMC all", 0x00888, 0x7FFFFFFF),
    ("EICS_EX0", 0x00A90, 0xFFFFFFFF),
    ("EICS_EX1", 0x00A94, 0xFFFFFFFF),
    ("EIMS_EX0", 0x00AA0, 0xFFFFFFFF),
    ("EIMS_EX1", 0x00AA4, 0xFFFFFFFF),
    ("EIMC_EX0", 0x00AB0, 0xFFFFFFFF),
    ("EIAM_EX1", 0x00AD4, 0xFFFFFFFF),
    ("IVAR1 RX2->40, TX2->63", 0x00904, 0x0000BFA8),
    ("EITR40", 0x12300 + (40 - 24) * 4, 0x10),
    ("MSCA read PHY reg", 0x0425C, 0x2C000000),
    ("AUTOC restart AN", 0x042A0, 0x0000F000 | 0x00001000),
    ("SWSM SMBI", 0x10140, 0x1),
    ("FDIRCTRL", 0x0EE00, 0x00000100),
    ("FDIRCMD", 0x0EE2C, 0x00000001),
    ("FCRTH0 XONE", 0x03260, 0x80007FF0),
    ("FCRTL0", 0x03220, 0x80006000),
    ("PBACL0", 0x11068, 0xFFFFFFFF),
    ("RAL alias 1", 0x05408, 0x12005452),
    ("RAH alias 1 AV", 0x0540C, 0x80005634),
    ("SRRCTL alias 0", 0x02100, 0x02000004),
    ("HLREG0 JUMBOEN only", 0x04240, 0x00000004),
    ("TDLEN0 max", 0x06008, 0x000FFF80),
    ("MTA0 all", 0x05200, 0xFFFFFFFF),
    ("VFTA0 all", 0x0A000, 0xFFFFFFFF),
]
READS = [   # register reads with side effects or computed values
    ("EICR", 0x00800), ("EICS", 0x00808), ("EIMS", 0x00880),
    ("EICS_EX0", 0x00A90), ("EIMS_EX1", 0x00AA4), ("EIAM_EX0", 0x00AD0),
    ("STATUS", 0x00008), ("LINKS", 0x042A4), ("RDRXCTL", 0x02F00),
    ("SWSM", 0x10140), ("FWSM", 0x10148), ("SECRXSTAT", 0x08D04),
    ("SECTXSTAT", 0x08804), ("EEC", 0x10010), ("EERD", 0x10014),
    ("GPRC", 0x04074), ("ROC", 0x040AC), ("QPRC0", 0x01030),
    ("TDH0", 0x06010), ("RAL alias 0", 0x05400),
]
BRINGUP = 32    # the first 32 entries, in order, make the seed
SEP = b"FUZZ"


def write_cmd(off, val):
    return bytes([3]) + struct.pack("<BBxxIQ", 2, 0, off, val) + SEP


def read_cmd(off):
    return bytes([2]) + struct.pack("<BBxxI", 2, 0, off) + SEP


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "ixgbe.dict"), "w") as d:
        d.write("# generic-fuzz-ixgbe dictionary, written by ixgbe-fuzz-gen.py;"
                " do not edit\n\"FUZZ\"\n")
        for name, off, val in REGS:
            d.write("# %s = 0x%x\n" % (name, val))
            d.write('"%s"\n' % "".join("\\x%02x" % c
                                       for c in write_cmd(off, val)))
        for name, off in READS:
            d.write("# read %s\n" % name)
            d.write('"%s"\n' % "".join("\\x%02x" % c for c in read_cmd(off)))
    # DMA pattern: index 0, stride 1, 16 bytes: a TX data descriptor-like
    # shape (buffer address, EOP|IFCS|RS|DEXT|DTYP_DATA, length 60), which
    # the fuzzer mutates from there.
    pattern = bytes([7, 0, 1]) + struct.pack("<QII", 0x00400000,
                                             0x2B300000 | 60, 60 << 14) + SEP
    seed = pattern + b"".join(write_cmd(off, val)
                              for _, off, val in REGS[:BRINGUP])
    seed += bytes([9]) + SEP
    os.makedirs(os.path.join(here, "seeds", "ixgbe"), exist_ok=True)
    with open(os.path.join(here, "seeds", "ixgbe", "bringup"), "wb") as s:
        s.write(seed)


if __name__ == "__main__":
    main()
