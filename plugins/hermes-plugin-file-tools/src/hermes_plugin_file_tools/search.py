"""``search_files``: content search and name search, paged, engine-independent output.

Content results print grep-style, ``path:line:text`` for matches and ``path-line-text``
for context lines, ``--`` between separate groups. Paths are relative to the working
directory when inside it, so they can be passed to read_file as they are.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from hermes_core import ToolError, ToolResult

from . import search_py, search_rg
from .config import output_budget, settings
from .globs import FileFilter, compile_glob, has_magic
from .hits import Collector, FileHits
from .paths import display, missing_message, resolve
from .textfile import SNIFF_BYTES, sniff_binary

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
MAX_CONTEXT = 10
#: Shown match lines are cut here.
MAX_SHOWN_LINE = 300


def search_files(args: dict[str, Any], ctx: Any) -> ToolResult:
    """Run one search and return the page of results the arguments ask for."""
    pattern = args["pattern"]
    target = args.get("target") or "content"
    root = resolve(ctx, args.get("path") or ".")
    if not root.exists():
        raise ToolError(missing_message(ctx, root))
    if not (root.is_dir() or root.is_file()):
        raise ToolError(f"{display(ctx, root)} is not a file or folder that can be searched")
    query = _Query(
        pattern=pattern,
        root=root,
        limit=min(max(1, int(args.get("limit") or DEFAULT_LIMIT)), MAX_LIMIT),
        offset=max(0, int(args.get("offset") or 0)),
        mode=args.get("output_mode") or "content",
        context=min(max(0, int(args.get("context") or 0)), MAX_CONTEXT),
        file_filter=FileFilter(args["file_glob"]) if (args.get("file_glob") or "").strip() else None,
    )
    config = settings(ctx)
    rg = shutil.which("rg") if config.ripgrep else None
    engine = "ripgrep" if rg else "python"
    deadline = time.monotonic() + config.search_timeout
    budget = output_budget(ctx, config.max_read_chars)
    if target == "files":
        text = _find_files(ctx, query, rg, deadline, budget)
    else:
        text = _grep(ctx, query, rg, deadline, budget)
    return ToolResult(content=text, metadata={"engine": engine})


class _Query:
    def __init__(self, *, pattern: str, root: Path, limit: int, offset: int, mode: str, context: int,
                 file_filter: FileFilter | None) -> None:
        self.pattern = pattern
        self.root = root
        self.limit = limit
        self.offset = offset
        self.mode = mode
        self.context = context if mode == "content" else 0
        self.file_filter = file_filter

    def where(self, ctx: Any) -> str:
        where = display(ctx, self.root)
        if self.file_filter is not None and self.root.is_dir():
            where += f" (files matching {json.dumps(self.file_filter.glob)}{', excluded' if self.file_filter.negated else ''})"
        return where


# ---------------------------------------------------------------------------------------
# Content search
# ---------------------------------------------------------------------------------------


def _grep(ctx: Any, query: _Query, rg: str | None, deadline: float, budget: int) -> str:
    if query.root.is_file():
        kind = _binary_kind(query.root)
        if kind is not None:
            raise ToolError(f"{display(ctx, query.root)} is a binary file ({kind}); search_files searches text only")
    keep = query.offset + query.limit if query.mode == "content" else 0
    collector = Collector(keep, keep_text=query.mode == "content")
    cancelled = ctx.cancelled
    if rg:
        search_rg.search_content(rg, query.root, query.pattern, file_filter=query.file_filter,
                                 context=query.context, collector=collector, deadline=deadline, cancelled=cancelled)
    else:
        search_py.search_content(query.root, query.pattern, file_filter=query.file_filter,
                                 context=query.context, collector=collector, deadline=deadline, cancelled=cancelled)
    notes = _notes(collector)
    if collector.total == 0:
        return f"No matches for {json.dumps(query.pattern)} in {query.where(ctx)}." + notes
    total = f"{collector.total:,}{'+' if collector.capped else ''}"
    files = f"{len(collector.files):,}{'+' if collector.capped else ''}"
    head = f"{total} match{'es' if collector.total != 1 else ''} in {files} file{'s' if len(collector.files) != 1 else ''}"
    if query.mode == "content":
        body, shown = _content_page(ctx, collector, query, budget)
        unit, count = "matches", collector.total
    else:
        body, shown = _file_page(ctx, collector.files, query, budget)
        unit, count = "files", len(collector.files)
    if shown == 0:
        return f"{head}; offset {query.offset} is past the last of them. Use an offset below {count}." + notes
    footer = _footer(unit, query.offset, shown, count, collector.capped)
    return f"{head}:\n{body}{footer}{notes}"


def _content_page(ctx: Any, collector: Collector, query: _Query, budget: int) -> tuple[str, int]:
    """The page's matches with their context, row by row until the budget is used; the
    count of matches shown decides where the next page starts."""
    flat = [(hits, line) for hits in collector.files for line in hits.matches]
    page = flat[query.offset:query.offset + query.limit]
    out: list[str] = []
    used = 0
    shown = 0
    index = 0
    while index < len(page):
        hits = page[index][0]
        group = [page[index][1]]
        index += 1
        while index < len(page) and page[index][0] is hits:
            group.append(page[index][1])
            index += 1
        wanted = set(group)
        for block in _blocks(hits, group, query.context):
            if out and query.context:
                out.append("--")
                used += 3
            for number, row in zip(block, _rows(ctx, hits, block)):
                if shown and used + len(row) + 1 > budget:
                    while out and out[-1] == "--":
                        out.pop()
                    return "\n".join(out), shown
                out.append(row)
                used += len(row) + 1
                shown += number in wanted
    return "\n".join(out), shown


def _blocks(hits: FileHits, group: list[int], context: int) -> list[list[int]]:
    """The lines to print for ``group``'s matches, as runs of adjacent lines."""
    wanted = sorted({n for m in group for n in range(m - context, m + context + 1) if n in hits.lines})
    blocks: list[list[int]] = []
    for number in wanted:
        if blocks and number == blocks[-1][-1] + 1:
            blocks[-1].append(number)
        else:
            blocks.append([number])
    return blocks


def _rows(ctx: Any, hits: FileHits, block: list[int]) -> list[str]:
    name = display(ctx, hits.path)
    matched = set(hits.matches)
    rows = []
    for number in block:
        text = hits.lines[number]
        if len(text) > MAX_SHOWN_LINE:
            text = text[:MAX_SHOWN_LINE] + " …[line cut]"
        mark = ":" if number in matched else "-"
        rows.append(f"{name}{mark}{number}{mark}{text}")
    return rows


def _file_page(ctx: Any, files: list[FileHits], query: _Query, budget: int) -> tuple[str, int]:
    out: list[str] = []
    used = 0
    for hits in files[query.offset:query.offset + query.limit]:
        row = display(ctx, hits.path) + (f": {hits.count}" if query.mode == "count" else "")
        if out and used + len(row) + 1 > budget:
            break
        out.append(row)
        used += len(row) + 1
    return "\n".join(out), len(out)


def _footer(unit: str, offset: int, shown: int, count: int, capped: bool) -> str:
    end = offset + shown
    if end >= count and not capped:
        return ""
    of = f"{count:,}{'+' if capped else ''}"
    return f"\n[Showing {unit} {offset + 1:,}-{end:,} of {of}. Continue with offset={end}, or narrow the pattern or file_glob.]"


def _notes(collector: Collector) -> str:
    notes = []
    if collector.capped:
        notes.append(f"counting stopped at {collector.cap:,} matches")
    if collector.timed_out:
        notes.append("the search hit its time limit, so results are incomplete")
    if collector.unreadable:
        notes.append(f"{collector.unreadable} file(s) could not be read")
    return ("\n[" + "; ".join(notes) + ".]") if notes else ""


def _binary_kind(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None
    return sniff_binary(head)


# ---------------------------------------------------------------------------------------
# Name search
# ---------------------------------------------------------------------------------------


def _find_files(ctx: Any, query: _Query, rg: str | None, deadline: float, budget: int) -> str:
    glob = query.pattern.strip() if has_magic(query.pattern) else f"*{query.pattern.strip()}*"
    regex, by_path = compile_glob(glob, ignore_case=True)
    if query.root.is_file():
        names, timed_out, base = [query.root.name], False, query.root.parent
    elif rg:
        (names, timed_out), base = search_rg.list_files(rg, query.root, deadline), query.root
    else:
        (names, timed_out), base = search_py.list_files(query.root, deadline), query.root
    found = [n for n in names if regex.match(n if by_path else n.rsplit("/", 1)[-1])]
    note = "\n[the listing hit its time limit, so results are incomplete.]" if timed_out else ""
    if not found:
        return f"No files matching {json.dumps(query.pattern)} in {display(ctx, query.root)}." + note
    dated = sorted(((_mtime(base / n), n) for n in found), key=lambda item: (-item[0], item[1]))
    out: list[str] = []
    used = 0
    for _mtime_value, name in dated[query.offset:query.offset + query.limit]:
        row = display(ctx, base / name)
        if out and used + len(row) + 1 > budget:
            break
        out.append(row)
        used += len(row) + 1
    head = f"{len(found):,} file{'s' if len(found) != 1 else ''} matching {json.dumps(query.pattern)} (newest first)"
    if not out:
        return f"{head}; offset {query.offset} is past the last of them." + note
    return f"{head}:\n" + "\n".join(out) + _footer("files", query.offset, len(out), len(found), False) + note


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0

