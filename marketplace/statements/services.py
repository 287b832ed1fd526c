"""Statements write nothing: they read the ledger (selectors). The module exists for the layers contract."""
