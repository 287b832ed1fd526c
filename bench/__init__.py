"""Benchmarks: `make bench` (python -m bench) prints one table, each figure beside its anchor."""
