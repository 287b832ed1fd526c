"""Every write to organisations data goes through a function in this package (see docs/architecture.md)."""
