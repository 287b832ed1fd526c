"""The money engine: holds, the double-entry ledger, Stripe Connect, payouts and webhooks.

Knows nothing of jobs or contracts; tells the world what happened through signals in events.py.
"""
