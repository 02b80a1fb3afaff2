# nicrig-anchor: end

config IXGBE_82599
    bool
    default y if PCI_DEVICES
    depends on PCI_EXPRESS && MSI_NONBROKEN

config IGC_I225
    bool
    default y if PCI_DEVICES
    depends on PCI_EXPRESS && MSI_NONBROKEN
