"""Real servers started by the test suite on loopback, stopped after."""
