"""Demo data (``manage.py seed_demo``): the top layer beside ``marketplace.config``, so it may use
every app's services while no app imports it."""
