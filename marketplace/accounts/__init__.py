"""Users and their profiles, reputation, uploads, onboarding, payouts, and places and skills."""
