"""ui.workbench.view."""
