"""One package per vendor API, each on top of the shared core."""
