"""Users, profiles, organisations and memberships."""
