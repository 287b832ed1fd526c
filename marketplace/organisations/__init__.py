"""Organisations: their members and roles, invitations, API keys and talent pools."""
