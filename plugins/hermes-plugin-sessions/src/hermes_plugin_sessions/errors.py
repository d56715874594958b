"""Errors of the sqlite session store, each saying what to do."""

from __future__ import annotations

from hermes_core.errors import HermesError


class StoreError(HermesError):
    """The session database failed in a way the user can act on (the message says how)."""


class SchemaError(StoreError):
    """The database file cannot be used: someone else's file, or a newer layout."""
