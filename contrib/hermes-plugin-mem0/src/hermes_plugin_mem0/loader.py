"""Importing mem0 so that nothing leaves the machine.

mem0 decides at import time whether to send telemetry (PostHog) and where its own folder
is (``MEM0_DIR``, default ``~/.mem0``), so both are settled before the first import:
telemetry off, folder under ``$HERMES_HOME``. With telemetry off mem0 also skips its remote
notice configuration. If mem0 was already imported with telemetry on (by something else in
the process) this refuses to run rather than send anything.

mem0 downloads spaCy's English model on first use when spaCy is installed without it;
that download is turned into "spaCy unavailable" (mem0 then works without lemmas and
entity boosts).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from pathlib import Path
from typing import Any

from hermes_core.errors import HermesError, MissingDependency

#: mem0 logs these at WARNING on every start when optional extras are missing.
_NOISY_LOGGERS = ("mem0.utils.spacy_models", "mem0.vector_stores.qdrant", "mem0.memory.main")


def mem0_installed() -> bool:
    """Whether ``mem0`` can be imported (without importing it: that takes a second)."""
    try:
        return importlib.util.find_spec("mem0") is not None
    except (ImportError, ValueError):
        return False


def import_memory_class(data_dir: Path) -> Any:
    """``mem0.Memory``, imported with telemetry off. Raises an actionable error if missing."""
    already = "mem0.memory.telemetry" in sys.modules
    os.environ["MEM0_TELEMETRY"] = "False"
    os.environ.setdefault("MEM0_DIR", str(data_dir / "mem0-home"))
    try:
        from mem0 import Memory
        from mem0.memory import telemetry
    except ImportError as exc:
        raise MissingDependency("mem0ai", plugin="mem0", extra="hermes-plugin-mem0") from exc
    if telemetry.MEM0_TELEMETRY:
        raise HermesError(
            "mem0 was imported with its telemetry on before hermes could turn it off; "
            "set MEM0_TELEMETRY=False in the environment (or in $HERMES_HOME/.env) and restart"
            + (" (imported by another package)" if already else "")
        )
    _no_model_downloads()
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    return Memory


def _no_model_downloads() -> None:
    try:
        spacy_present = importlib.util.find_spec("spacy") is not None
        model_present = importlib.util.find_spec("en_core_web_sm") is not None
    except (ImportError, ValueError):
        return
    if spacy_present and not model_present:
        from mem0.utils import spacy_models

        # mem0 exposes no switch for this; its own "load failed" flags are the only way
        # to keep it from fetching the model over the network.
        spacy_models._load_failed_full = True
        spacy_models._load_failed_lemma = True
