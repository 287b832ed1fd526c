"""Reputation arithmetic, without the database: the job success score (``jss``) and the client
scorecard's averages (``scorecard``). ``reviews.services.reputation`` gathers the facts and saves
the results; docs/reputation.md explains both in plain words, with worked examples."""
