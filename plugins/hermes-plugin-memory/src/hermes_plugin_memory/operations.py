"""What one ``memory`` tool call does to a file's entries, decided without touching disk.

:func:`plan` takes the entries as read under the lock and returns the entries to write and
the ones pushed out (for the archive), or raises :class:`Refusal` with a message the model
can act on. Nothing is ever dropped: an entry leaves the file only into the archive.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .entries import check_entry, fingerprint, normalise, used_chars
from .layout import FILE_NAMES

RefusalKind = Literal["invalid", "duplicate", "full", "too_long", "not_found", "ambiguous"]


class MemoryOperation(BaseModel):
    """One call of the ``memory`` tool (Hermes Agent's argument names)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["add", "replace", "remove"]
    target: Literal["memory", "user"]
    content: str | None = None
    old_text: str | None = None


class PushedOut(BaseModel):
    """An entry leaving the file, and why."""

    text: str
    reason: Literal["removed", "replaced", "evicted"]
    replaced_by: str | None = None


class Plan(BaseModel):
    """The outcome of a permitted operation."""

    entries: list[str]
    pushed_out: list[PushedOut] = Field(default_factory=list)
    changed: bool = True
    message: str


class Refusal(Exception):
    """The operation was not done; ``message`` says why and what to do instead.

    ``show_entries`` asks the caller to list the current entries with the message (the
    model needs them to consolidate, or to pick an entry unambiguously).
    """

    def __init__(self, kind: RefusalKind, message: str, *, show_entries: bool = False) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.show_entries = show_entries


def usage_label(used: int, limit: int) -> str:
    """``45% — 990/2,200 chars``: how full a file is."""
    percent = round(100 * used / limit) if limit else 100
    return f"{percent}% — {used:,}/{limit:,} chars"


def preview(text: str, limit: int = 80) -> str:
    """One line of an entry, for messages."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def plan(op: MemoryOperation, entries: list[str], *, limit: int, when_full: str = "refuse") -> Plan:
    """Apply ``op`` to ``entries`` (the file as it is now) within ``limit`` characters."""
    name = FILE_NAMES[op.target]
    if op.action == "add":
        return _add(op, entries, limit, when_full, name)
    index = _find(op, entries, name)
    if op.action == "remove":
        kept = entries[:index] + entries[index + 1:]
        return Plan(
            entries=kept,
            pushed_out=[PushedOut(text=entries[index], reason="removed")],
            message=f"Removed the entry from {name} (kept in the archive, still searchable).",
        )
    return _replace(op, entries, index, limit, name)


def _content(op: MemoryOperation) -> str:
    content = normalise(op.content or "")
    if not content:
        raise Refusal("invalid", f"'{op.action}' needs 'content': the full text of the entry.")
    problem = check_entry(content)
    if problem:
        raise Refusal("invalid", f"Cannot store this content: {problem}.")
    return content


def _duplicate_of(content: str, entries: list[str], skip: int | None = None) -> int | None:
    key = fingerprint(content)
    for index, entry in enumerate(entries):
        if index != skip and fingerprint(entry) == key:
            return index
    return None


def _add(op: MemoryOperation, entries: list[str], limit: int, when_full: str, name: str) -> Plan:
    content = _content(op)
    if _duplicate_of(content, entries) is not None:
        raise Refusal("duplicate", f"Not added: {name} already holds this entry. Nothing to do.")
    if len(content) > limit:
        raise Refusal(
            "too_long",
            f"Not added: the entry is {len(content):,} characters but {name} holds at most {limit:,}. "
            "Shorten it to the durable essentials.",
        )
    candidate = [*entries, content]
    if used_chars(candidate) <= limit:
        return Plan(entries=candidate, message=f"Added to {name}.")
    if when_full == "archive_oldest":
        evicted: list[PushedOut] = []
        while used_chars(candidate) > limit:
            evicted.append(PushedOut(text=candidate.pop(0), reason="evicted"))
        return Plan(
            entries=candidate,
            pushed_out=evicted,
            message=(
                f"Added to {name}; to make room the {len(evicted)} oldest "
                f"entr{'y was' if len(evicted) == 1 else 'ies were'} moved to the archive (still searchable)."
            ),
        )
    used = used_chars(entries)
    raise Refusal(
        "full",
        f"Not added: {name} is full ({usage_label(used, limit)}); this entry needs "
        f"{used_chars(candidate) - limit:,} more characters than are free. Nothing was dropped. "
        "Consolidate first: merge related entries into one with action 'replace', or remove stale "
        "ones with 'remove' (removed entries stay searchable in the archive), then add again.",
        show_entries=True,
    )


def _find(op: MemoryOperation, entries: list[str], name: str) -> int:
    needle = normalise(op.old_text or "")
    if not needle:
        raise Refusal(
            "invalid",
            f"'{op.action}' needs 'old_text': a short piece of the entry to {op.action}, unique in {name}.",
            show_entries=bool(entries),
        )
    if not entries:
        raise Refusal("not_found", f"{name} has no entries yet; there is nothing to {op.action}.")
    exact = [i for i, entry in enumerate(entries) if entry == needle]
    if exact:
        return exact[0]
    hits = [i for i, entry in enumerate(entries) if needle in entry]
    if not hits:
        # Forgive differences of case and spacing before giving up.
        key = fingerprint(needle)
        hits = [i for i, entry in enumerate(entries) if key in fingerprint(entry)]
    if not hits:
        raise Refusal(
            "not_found",
            f"No entry in {name} contains {preview(needle, 60)!r}. Use a piece of an entry exactly as it is written.",
            show_entries=True,
        )
    if len(hits) > 1 and len({fingerprint(entries[i]) for i in hits}) > 1:
        listed = "; ".join(f"[{n}] {preview(entries[i], 60)!r}" for n, i in enumerate(hits, 1))
        raise Refusal(
            "ambiguous",
            f"old_text {preview(needle, 60)!r} matches {len(hits)} entries in {name}: {listed}. "
            "Nothing was changed. Give a longer piece that appears in only the entry you mean.",
        )
    return hits[0]


def _replace(op: MemoryOperation, entries: list[str], index: int, limit: int, name: str) -> Plan:
    content = _content(op)
    old = entries[index]
    if fingerprint(content) == fingerprint(old):
        return Plan(entries=list(entries), changed=False, message=f"The entry in {name} already reads like that; nothing changed.")
    other = _duplicate_of(content, entries, skip=index)
    if other is not None:
        raise Refusal(
            "duplicate",
            f"Not replaced: another entry of {name} already says this. Remove the outdated entry instead.",
        )
    updated = list(entries)
    updated[index] = content
    used = used_chars(updated)
    if used > limit:
        raise Refusal(
            "full",
            f"Not replaced: with the new text {name} would hold {used:,} characters, over its "
            f"{limit:,} limit ({usage_label(used_chars(entries), limit)} now). Shorten the new text "
            "or remove other entries first.",
            show_entries=True,
        )
    return Plan(
        entries=updated,
        pushed_out=[PushedOut(text=old, reason="replaced", replaced_by=content)],
        message=f"Replaced the entry in {name} (the old text is kept in the archive).",
    )
