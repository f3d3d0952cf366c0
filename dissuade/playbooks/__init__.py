"""dissuade.playbooks."""
