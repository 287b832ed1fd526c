"""Reads of the disputes app: who may see which dispute, the staff queue."""
