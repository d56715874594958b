"""A logging filter that masks secrets in log records, and its installation on the
``hermes`` loggers.

Python applies a logger's filters only to records created on that very logger, not to
records of its children that propagate through it; handlers' filters see everything they
emit. So :func:`install_log_redaction` puts the filter on the ``hermes`` logger, on every
``hermes.*`` logger that exists, and on every handler attached to them. The plugin calls
it when a session starts (and it is safe to call again: loggers and handlers created
since then are covered, nothing is added twice). Applications that add their own handlers
later can attach a :class:`RedactingFilter` to them directly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from .redactor import Redactor

ROOT_LOGGER = "hermes"


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's message, arguments and formatted traceback.

    The record is rewritten in place (its message becomes the redacted, formatted text
    and its arguments are dropped), so every handler after this one sees masked text.
    """

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the logging module's problem, not ours
            return True
        redacted = self.redactor.redact(message)
        if redacted.changed:
            record.msg = redacted.text
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor.redact(record.exc_text).text
        if record.stack_info:
            record.stack_info = self.redactor.redact(record.stack_info).text
        return True

    def add_values(self, values: Iterable[str]) -> None:
        """Also mask these exact values from now on (secrets of another host's ``.env``)."""
        self.redactor.add_values(values)


_install_lock = threading.Lock()


def install_log_redaction(redactor: Redactor, logger_name: str = ROOT_LOGGER) -> RedactingFilter:
    """Attach one :class:`RedactingFilter` to ``logger_name``, its existing children and
    their handlers; return it. If one is already attached, reuse it (adding ``redactor``'s
    exact values to it) and cover any loggers and handlers created since."""
    with _install_lock:
        loggers = [logging.getLogger(logger_name)]
        prefix = logger_name + "."
        for name, obj in list(logging.Logger.manager.loggerDict.items()):
            if name.startswith(prefix) and isinstance(obj, logging.Logger):
                loggers.append(obj)
        existing = next((f for f in loggers[0].filters if isinstance(f, RedactingFilter)), None)
        if existing is None:
            existing = RedactingFilter(redactor)
        elif existing.redactor is not redactor:
            existing.add_values(redactor.values)
        for logger in loggers:
            _attach(logger, existing)
            for handler in logger.handlers:
                _attach(handler, existing)
        return existing


def _attach(target: logging.Filterer, flt: RedactingFilter) -> None:
    if not any(isinstance(f, RedactingFilter) for f in target.filters):
        target.addFilter(flt)
