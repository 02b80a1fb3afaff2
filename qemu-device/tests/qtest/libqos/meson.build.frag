# nicrig-anchor: after         'igb.c',
        'ixgbe.c',
        'igc.c',
