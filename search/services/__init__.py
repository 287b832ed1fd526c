"""Every write of the search app: what the indexes hold (``indexing``)."""
