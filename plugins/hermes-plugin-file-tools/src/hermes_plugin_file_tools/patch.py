"""``patch``: exact find-and-replace with a whitespace-tolerant fallback, several edits
applied all or nothing, answered with a unified diff."""

from __future__ import annotations

from typing import Any

from hermes_core import ToolError

from . import matching
from .diffs import line_stats, unified_diff
from .paths import display, resolve
from .textfile import atomic_write, load_text


def patch(args: dict[str, Any], ctx: Any) -> str:
    """Apply the edits in order to the file's text in memory; write only if all apply."""
    mode = args.get("mode")
    if mode not in (None, "", "replace"):
        raise ToolError(f"mode={mode!r} is not supported: send path, old_string and new_string, "
                        "or path and an 'edits' list")
    path = resolve(ctx, args["path"])
    shown = display(ctx, path)
    edits = _edits(args)
    loaded = load_text(ctx, path, purpose="patch")
    text = loaded.text
    replacements = 0
    notes = []
    for index, edit in enumerate(edits):
        label = f"edits[{index}]: " if len(edits) > 1 else ""
        text, count, strategy = _apply(text, edit, label, shown, after_others=index > 0)
        replacements += count
        if strategy != matching.EXACT:
            notes.append(f"{label}no exact match; matched ignoring {strategy}")
    if text == loaded.text:
        raise ToolError(f"the edits leave {shown} unchanged")
    atomic_write(ctx, loaded.path, loaded.encode(text))
    added, removed = line_stats(loaded.text, text)
    edits_part = f"{len(edits)} edits, " if len(edits) > 1 else ""
    head = (f"Patched {shown}: {edits_part}{replacements} replacement{'s' if replacements != 1 else ''} "
            f"(+{added} -{removed} lines).")
    if notes:
        head += "\nNote: " + "; ".join(notes) + "."
    return head + "\n\n" + unified_diff(loaded.text, text, shown)


def _edits(args: dict[str, Any]) -> list[dict[str, Any]]:
    edits: list[dict[str, Any]] = []
    if "old_string" in args or "new_string" in args:
        if "old_string" not in args:
            raise ToolError("old_string is missing: give the exact text to replace")
        if "new_string" not in args:
            raise ToolError("new_string is missing: give the replacement text ('' deletes old_string)")
        edits.append({k: args[k] for k in ("old_string", "new_string", "replace_all") if k in args})
    edits.extend(args.get("edits") or [])
    if not edits:
        raise ToolError("nothing to do: give old_string and new_string, or an 'edits' list of them")
    for index, edit in enumerate(edits):
        label = f"edits[{index}]: " if len(edits) > 1 else ""
        if not isinstance(edit.get("old_string"), str) or not isinstance(edit.get("new_string"), str):
            raise ToolError(f"{label}old_string and new_string must both be strings")
        if edit["old_string"] == "":
            raise ToolError(f"{label}old_string is empty; it must be text that is in the file "
                            "(use write_file to write a whole file)")
        if edit["old_string"] == edit["new_string"]:
            raise ToolError(f"{label}old_string and new_string are identical; nothing would change")
    return edits


def _apply(text: str, edit: dict[str, Any], label: str, shown: str, *, after_others: bool) -> tuple[str, int, str]:
    old, new = edit["old_string"], edit["new_string"]
    replace_all = bool(edit.get("replace_all"))
    found = matching.find(text, old, new)
    if found is None:
        raise ToolError(_not_found(text, old, label, shown, after_others))
    where = _line_list(found.lines)
    if len(found.matches) > 1:
        if found.strategy != matching.EXACT:
            raise ToolError(f"{label}old_string is not in {shown} exactly; ignoring {found.strategy} it matches "
                            f"{len(found.matches)} places ({where}), so it is ambiguous. Copy the exact text "
                            "from read_file and include more surrounding lines. Nothing was changed")
        if not replace_all:
            raise ToolError(f"{label}old_string matches {len(found.matches)} places in {shown} ({where}). Include "
                            "more surrounding lines so it matches once, or set replace_all=true to change "
                            "all of them. Nothing was changed")
    pieces = []
    pos = 0
    for match in found.matches:
        pieces.append(text[pos:match.start])
        pieces.append(found.replacement(match))
        pos = match.end
    pieces.append(text[pos:])
    return "".join(pieces), len(found.matches), found.strategy


def _line_list(lines: list[int], show: int = 10) -> str:
    listed = ", ".join(str(n) for n in lines[:show])
    more = f" and {len(lines) - show} more" if len(lines) > show else ""
    return f"line{'s' if len(lines) > 1 else ''} {listed}{more}"


def _not_found(text: str, old: str, label: str, shown: str, after_others: bool) -> str:
    message = f"{label}old_string was not found in {shown}"
    if after_others:
        message += " (as changed by the earlier edits of this call)"
    message += ", not even ignoring indentation, trailing spaces or line endings. Nothing was changed."
    if matching.has_line_number_prefixes(old):
        message += " It seems to include read_file's line-number prefixes ('    12|'); leave those out."
    near = matching.closest(text, old)
    if near is not None:
        line, excerpt = near
        message += f" The most similar text starts at line {line}:\n{excerpt}\n"
    return message + " Re-read the file with read_file and copy old_string exactly."
