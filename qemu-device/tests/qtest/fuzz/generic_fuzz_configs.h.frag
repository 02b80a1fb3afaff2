# nicrig-anchor: after const generic_fuzz_config predefined_configs[] = {
    /*
     * nicrig's device models, one entry each, named as the -device; the
     * fuzzer target is generic-fuzz-NAME (`make fuzz FUZZ_MODELS=NAME`).
     * generic-fuzz drives the MMIO/PIO regions and QOM objects matching
     * .objects and answers the device's DMA reads with fuzzer data.  The
     * netdev is a lone hub port: no peer answers, so receive is reached
     * through the model's MAC loopback (ixgbe HLREG0.LPBK, igc RCTL.LBM),
     * which the fuzzer can switch on.  A new model adds one entry here.
     */
    {
        .name = "ixgbe",
        .args = "-M q35 -nodefaults "
        "-device ixgbe,netdev=net0 -netdev hubport,id=net0,hubid=0",
        .objects = "ixgbe*",
    },
    {
        .name = "igc",
        .args = "-M q35 -nodefaults "
        "-device igc,netdev=net0 -netdev hubport,id=net0,hubid=0",
        .objects = "igc*",
    },
