"""ui.escalations."""
