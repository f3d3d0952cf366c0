"""dissuade.feeds."""
