"""dissuade.domain."""
