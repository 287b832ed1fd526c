"""Every write of hourly billing."""
