"""Every write to accounts data goes through a function in this package (see docs/architecture.md)."""
