# nicrig-anchor: end

# ixgbe.c
ixgbe_pci_write_config(uint32_t addr, uint32_t val, int len) "config write 0x%"PRIx32" val 0x%"PRIx32" len %d"
ixgbe_pci_msi_init_fail(int ret) "msi_init failed: %d"

# ixgbe_core.c
ixgbe_mmio_read(uint64_t addr, const char *reg, uint32_t val) "read 0x%05"PRIx64" (%s) -> 0x%08"PRIx32
ixgbe_mmio_write(uint64_t addr, const char *reg, uint64_t val) "write 0x%05"PRIx64" (%s) <- 0x%08"PRIx64
ixgbe_mmio_read_unknown(uint64_t addr) "read of unmodelled register 0x%05"PRIx64
ixgbe_mmio_write_unknown(uint64_t addr, uint64_t val) "write of unmodelled register 0x%05"PRIx64" <- 0x%08"PRIx64
ixgbe_mmio_write_ro(uint64_t addr, uint32_t val) "write to read-only register 0x%05"PRIx64" <- 0x%08"PRIx32" ignored"
ixgbe_core_reset(bool sw) "reset (software %d)"
ixgbe_eeprom_read(uint32_t addr, uint16_t data) "EEPROM[0x%x] -> 0x%04x"
ixgbe_eeprom_write(uint32_t addr, uint16_t data) "EEPROM[0x%x] <- 0x%04x"
ixgbe_mdio_access(uint32_t msca) "MSCA 0x%08"PRIx32" (no PHY)"
ixgbe_link_status(bool up) "link %d"
ixgbe_irq_cause(uint64_t vec, uint32_t misc) "cause vectors 0x%016"PRIx64" other 0x%08"PRIx32
ixgbe_irq_msix(int vector) "MSI-X vector %d"
ixgbe_irq_msi(void) "MSI"
ixgbe_irq_intx(bool level) "INTx level %d"
ixgbe_tx_desc(int q, uint32_t idx, uint32_t cmd_type_len, uint32_t olinfo) "TX queue %d desc %u cmd_type_len 0x%08"PRIx32" olinfo 0x%08"PRIx32
ixgbe_tx_packet(int q, size_t len, bool loopback) "TX queue %d packet of %zu bytes (loopback %d)"
ixgbe_tx_drop(int q, const char *why) "TX queue %d packet dropped: %s"
ixgbe_rx_packet(int q, size_t len, uint32_t hash) "RX queue %d packet of %zu bytes, RSS hash 0x%08"PRIx32
ixgbe_rx_drop(int q, const char *why) "RX queue %d packet dropped: %s"

# igc.c
igc_pci_msi_init_fail(int ret) "msi_init failed: %d"

# igc_core.c
igc_mmio_read(uint64_t addr, const char *reg, uint32_t val) "read 0x%05"PRIx64" (%s) -> 0x%08"PRIx32
igc_mmio_write(uint64_t addr, const char *reg, uint64_t val) "write 0x%05"PRIx64" (%s) <- 0x%08"PRIx64
igc_mmio_read_unknown(uint64_t addr) "read of unmodelled register 0x%05"PRIx64
igc_mmio_write_unknown(uint64_t addr, uint64_t val) "write of unmodelled register 0x%05"PRIx64" <- 0x%08"PRIx64
igc_mmio_write_ro(uint64_t addr, uint32_t val) "write to read-only register 0x%05"PRIx64" <- 0x%08"PRIx32" ignored"
igc_core_reset(bool sw) "reset (software %d)"
igc_nvm_read(uint32_t addr, uint16_t data) "NVM[0x%x] -> 0x%04x"
igc_nvm_write(uint32_t addr, uint16_t data) "NVM[0x%x] <- 0x%04x"
igc_mdic(uint32_t val) "MDIC 0x%08"PRIx32
igc_link_status(bool up) "link %d"
igc_irq_msix(int vector) "MSI-X vector %d"
igc_irq_msi(void) "MSI"
igc_irq_intx(bool level) "INTx level %d"
igc_systim_set(int timer, uint32_t s, uint32_t ns) "timer %d set to %"PRIu32".%09"PRIu32
igc_tx_timestamp(int q, int reg, int timer, uint32_t s, uint32_t ns) "TX queue %d timestamp in register set %d from timer %d: %"PRIu32".%09"PRIu32
igc_tx_timestamp_busy(int q, int reg) "TX queue %d timestamp not taken: register set %d not read yet"
igc_tx_desc(int q, uint32_t idx, uint32_t cmd, uint32_t olinfo) "TX queue %d desc %u cmd_type_len 0x%08"PRIx32" olinfo 0x%08"PRIx32
igc_tx_packet(int q, size_t len, bool loopback) "TX queue %d packet of %zu bytes (loopback %d)"
igc_tx_drop(int q, const char *why) "TX queue %d packet dropped: %s"
igc_tx_launch(int q, uint32_t offset, bool first, int64_t wait) "TX queue %d launch time %"PRIu32" ns into the cycle (first %d): waits %"PRId64" ns"
igc_rx_rss(uint32_t hash, uint32_t type, uint8_t entry) "RSS hash 0x%08"PRIx32" type %"PRIu32" -> RETA queue %u"
igc_rx_packet(int q, size_t len, uint32_t hash) "RX queue %d packet of %zu bytes, RSS hash 0x%08"PRIx32
igc_rx_drop(int q, const char *why) "RX queue %d packet dropped: %s"
