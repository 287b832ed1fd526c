"""Writes of the disputes app: opening, answering, settling and deciding disputes."""
