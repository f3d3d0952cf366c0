"""ui.centre."""
