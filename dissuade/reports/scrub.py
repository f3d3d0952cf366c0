"""A last guard for free text in reports: card, ID and phone numbers typed into it are masked."""

from __future__ import annotations

from dissuade.domain.masking import mask_numbers as scrub

__all__ = ["scrub"]
