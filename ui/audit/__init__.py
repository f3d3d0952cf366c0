"""ui.audit."""
