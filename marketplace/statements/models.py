"""Statements keep no rows of their own: they read the ledger."""
