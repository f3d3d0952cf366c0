"""The hub's log: one line a record on stderr (the journal under systemd, a rotated file under a
Windows service manager), with nothing in it that identifies a person or opens the hub.

Every record, whoever logs it (the hub, uvicorn, a library) and whatever it carries (a message's
arguments, an exception's text in a traceback), is written with tokens cut to their prefix, the
words after `Bearer` hidden, and every long number masked: bank cards, ID numbers and phones as
the screens show them (6222 **** **** 0123, 1101**********002X, 139 **** 5678). A bug that puts
a request's body into an exception's message therefore leaks nothing into the log.
"""

from __future__ import annotations

import logging
import re
import sys

from dissuade.domain.masking import mask_free_text, mask_numbers

# Long-lived tokens (dsd_) and session tokens (dss_): secrets.token_urlsafe(32) after the prefix.
_TOKEN = re.compile(r"\b(ds[sd]_)[A-Za-z0-9_\-]{6,}")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s\"',;]+")
_PASSWORD = re.compile(r"(?i)([\"']?password[\"']?\s*[:=]\s*)(\"[^\"]*\"|'[^']*'|\S+)")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(text: str) -> str:
    """`text` fit for a log: no token, no password, no card, ID or phone number."""
    text = _TOKEN.sub(r"\1…", text)
    text = _BEARER.sub(r"\1…", text)
    text = _PASSWORD.sub(r"\1…", text)
    return mask_free_text(mask_numbers(text))


class Redact(logging.Filter):
    """Rewrites each record as its redacted text (traceback included), before any handler
    formats it."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_dissuade_redacted", False):
            return True  # a record going through a second handler: done already
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + self._formatter.formatException(record.exc_info)
        elif record.exc_text:
            text += "\n" + record.exc_text
        if record.stack_info:
            text += "\n" + record.stack_info
        record.msg, record.args = redact(text), None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        record.__dict__.pop("color_message", None)  # uvicorn's coloured copy of the message
        record._dissuade_redacted = True
        return True


def install(level: int = logging.INFO) -> None:
    """Send every logger's records to stderr through Redact; uvicorn's own handlers (set up by
    its Config) get the filter too."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(Redact())
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not getattr(h, "_dissuade", False)]
    handler._dissuade = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi"):
        for h in logging.getLogger(name).handlers:
            if not any(isinstance(f, Redact) for f in h.filters):
                h.addFilter(Redact())
