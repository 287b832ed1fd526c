"""Contracts (accepted offers), their milestones and the work handed in; the money moves through escrow."""
