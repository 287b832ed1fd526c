"""Every read of hourly billing, visibility applied."""
