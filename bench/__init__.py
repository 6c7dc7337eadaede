"""Benchmarks: they print tables and assert nothing (run with `python -m bench`)."""
