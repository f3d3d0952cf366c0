"""dissuade.sources."""
