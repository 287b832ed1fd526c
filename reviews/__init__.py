"""Double-blind reviews and reputation scores."""
