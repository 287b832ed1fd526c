"""Errors that services raise for interfaces to turn into a clear answer (never a 500)."""


class DependencyUnavailable(Exception):
    """A service the platform needs (database, broker, search, Stripe) did not answer."""
