"""Settings profiles: ``embedded`` (the default run), ``test`` and ``production``; all read ``base``."""
