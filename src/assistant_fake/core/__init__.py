"""The shared core: app assembly helpers, spec loading, request validation and error plumbing."""
