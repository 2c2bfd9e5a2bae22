"""Plain-Python models of each vendor's documented behaviour, independent of the fake."""
