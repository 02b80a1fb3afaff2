# nicrig-anchor: after   'igb-test.c',
  'ixgbe-test.c',
  'igc-test.c',
