"""Loading the Honcho SDK (``honcho-ai``) on first use, with an actionable error if missing."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Any

from hermes_core.errors import MissingDependency


def honcho_installed() -> bool:
    """Whether the SDK can be imported (checked without importing it)."""
    try:
        return importlib.util.find_spec("honcho") is not None and importlib.util.find_spec("httpx") is not None
    except (ImportError, ValueError):
        return False


@dataclass(frozen=True)
class HonchoSDK:
    """The SDK names the provider uses."""

    Honcho: Any
    MessageCreateParams: Any
    SessionPeerConfig: Any
    HonchoError: type[Exception]
    httpx: Any


def load_sdk() -> HonchoSDK:
    """Import the SDK. Raises :class:`MissingDependency` naming the package to install."""
    try:
        import httpx
        from honcho import Honcho, HonchoError, MessageCreateParams
        from honcho.api_types import SessionPeerConfig
    except ImportError as exc:
        raise MissingDependency("honcho-ai", plugin="honcho", extra="hermes-plugin-honcho") from exc
    return HonchoSDK(Honcho, MessageCreateParams, SessionPeerConfig, HonchoError, httpx)
