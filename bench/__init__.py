"""Benchmarks of issue 6 (performance and reliability); ``python -m bench`` runs them all."""
