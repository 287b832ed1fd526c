"""Statements: a person's or an organisation's money over a date range, read from the ledger, and
the yearly earnings statement."""
