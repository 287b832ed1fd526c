"""Escrow's writes. Money primitives in ``holds``; processor calls (three steps each) in
``charges``, ``payouts`` and ``connect``; ``webhooks`` stores and processes events."""
