"""The fake's own control area under ``/__fake/``."""
