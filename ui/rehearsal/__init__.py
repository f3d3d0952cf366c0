"""ui.rehearsal.view."""
