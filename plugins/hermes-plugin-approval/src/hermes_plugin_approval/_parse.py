"""Text to :class:`~._model.Script`: bashlex first, the fallback parser when it gives up."""

from __future__ import annotations

from ._fallback import parse_fallback
from ._model import Script

#: Longer texts skip bashlex: its parser is not linear enough for megabytes, and the
#: fallback parser is.
BASHLEX_MAX_CHARS = 20_000


def parse(text: str) -> Script:
    """The structure of ``text``. Never raises."""
    if len(text) <= BASHLEX_MAX_CHARS:
        from ._bashlex_adapter import parse_bashlex

        try:
            return parse_bashlex(text)
        except Exception:  # noqa: BLE001 - any bashlex failure means: use the fallback
            pass
    return parse_fallback(text)
