# nicrig-anchor: after system_ss.add(when: 'CONFIG_IGB_PCI_EXPRESS', if_true: files('igb.c', 'igbvf.c', 'igb_core.c'))
system_ss.add(when: 'CONFIG_IXGBE_82599', if_true: files('net_tx_pkt.c', 'net_rx_pkt.c'))
system_ss.add(when: 'CONFIG_IXGBE_82599', if_true: files('ixgbe.c', 'ixgbe_core.c'))
system_ss.add(when: 'CONFIG_IGC_I225', if_true: files('igc.c', 'igc_core.c'))
