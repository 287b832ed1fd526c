"""Background work of the disputes app: escalating disputes nobody answered in time."""
