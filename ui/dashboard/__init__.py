"""ui.dashboard.view."""
