"""ui.review.view."""
