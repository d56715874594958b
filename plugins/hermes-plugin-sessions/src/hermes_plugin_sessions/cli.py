"""``hermes sessions list|show|search|export|import|delete|prune|stats``.

The machine's owner runs these, so they see every user's sessions unless ``--user``
narrows them (the ``session_search`` tool, by contrast, is always scoped to one user).
Session ids may be abbreviated to any unique prefix.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from hermes_core.errors import HermesError

from .export import FORMATS, read_jsonl, render

T = TypeVar("T")

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "": 86400}


def parse_duration(text: str) -> float:
    """Seconds in ``30d``, ``12h``, ``2w``, ``90m``, ``45s`` (a bare number means days)."""
    match = _DURATION.match(text or "")
    if not match:
        raise click.BadParameter(f"{text!r} is not a duration; use e.g. 30d, 12h, 2w (a bare number is days)")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _when(timestamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp)) if timestamp else "-"


def _short(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GB"


class _Group(click.Group):
    """Turns errors users can act on into click errors (exit 1, message on stderr)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (HermesError, ValueError, LookupError) as exc:
            raise click.ClickException(str(exc).strip("'\"")) from exc


def _host(ctx: click.Context) -> Any:
    from hermes_core.cli._root import state_of

    return state_of(ctx).host


def _run(ctx: click.Context, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run ``work(store)`` against the configured sqlite store, then close it."""
    from .store import SqliteSessionStore

    host = _host(ctx)
    store = host.session_store()
    if store is None:
        raise click.ClickException(
            f"no session store: {host.session_store_error or 'none installed'} (hermes config set sessions.store sqlite)"
        )
    if not isinstance(store, SqliteSessionStore):
        raise click.ClickException(
            f"sessions.store is '{host.config.sessions.store}'; `hermes sessions` manages the sqlite store "
            "(hermes config set sessions.store sqlite)"
        )

    async def main() -> T:
        try:
            return await work(store)
        finally:
            await host.aclose()

    return asyncio.run(main())


async def _resolve(store: Any, session_id: str) -> str:
    resolved = await store.resolve_id(session_id)
    if resolved is None:
        raise click.ClickException(f"no saved session matches {session_id!r} (see hermes sessions list)")
    return resolved


def _confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise click.ClickException("not a terminal: add --yes to confirm")
    if not click.confirm(question, default=False):
        raise click.ClickException("cancelled; nothing was deleted")


@click.group(cls=_Group)
def sessions() -> None:
    """List, show, search, export, import, delete and prune saved sessions."""


@sessions.command("list")
@click.option("--user", "user_id", default=None, help="Only this user's sessions (default: everyone's).")
@click.option("--platform", default=None, help="Only sessions from this platform (cli, telegram, ...).")
@click.option("-n", "--limit", default=20, show_default=True, help="How many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_(ctx: click.Context, user_id: str | None, platform: str | None, limit: int, as_json: bool) -> None:
    """Recent sessions: id, start, platform and user, messages, title or first message."""
    summaries = _run(ctx, lambda store: store.recent_sessions(user_id, limit=limit, platform=platform))
    if as_json:
        click.echo(json.dumps([{**s.record.model_dump(mode="json"), "preview": s.preview,
                                "last_active": s.last_active} for s in summaries], indent=1, ensure_ascii=False))
        return
    if not summaries:
        click.echo("no saved sessions")
        return
    for summary in summaries:
        record = summary.record
        who = record.platform if record.user_id == "local" else f"{record.platform}:{record.user_id}"
        label = record.title or summary.preview or ""
        click.echo(f"{record.id}  {_when(record.started_at)}  {_short(who, 20):<20} {record.message_count:>5}  "
                   f"{_short(label, 70)}")


@sessions.command("show")
@click.argument("session_id")
@click.option("--full", is_flag=True, help="Do not shorten long messages.")
@click.option("--system", "with_system", is_flag=True, help="Include the system prompt.")
@click.option("--json", "as_json", is_flag=True, help="Print the session as one JSON line (the export format).")
@click.pass_context
def show(ctx: click.Context, session_id: str, full: bool, with_system: bool, as_json: bool) -> None:
    """One session: its details and messages."""

    async def work(store: Any) -> tuple[Any, list[Any]]:
        resolved = await _resolve(store, session_id)
        return await store.get_session(resolved), await store.get_messages(resolved)

    record, messages = _run(ctx, work)
    if as_json:
        click.echo(render("jsonl", record, messages))
        return
    usage = record.usage
    click.echo(f"{record.id}  {record.title or '(untitled)'}")
    click.echo(f"  user {record.user_id} on {record.platform}"
               + (f" (chat {record.chat_id})" if record.chat_id else "")
               + f", model {record.model or '-'}")
    click.echo(f"  started {_when(record.started_at)}, ended {_when(record.ended_at)}"
               + (f" ({record.end_reason})" if record.end_reason else "")
               + f", {record.message_count} messages, {usage.prompt_tokens:,} tokens in / {usage.completion_tokens:,} out")
    if record.parent_id:
        click.echo(f"  continues {record.parent_id}")
    limit = None if full else 600
    for message in messages:
        if message.role == "system" and not with_system:
            continue
        stamp = time.strftime("%H:%M", time.localtime(message.created_at))
        head = f"[{stamp}] {message.role}"
        if message.role == "tool":
            head += f" {message.name or ''}".rstrip()
        text = message.content or ""
        if limit is not None and len(text) > limit:
            text = text[:limit] + f" …[+{len(text) - limit} chars, --full shows all]"
        click.echo(f"\n{head}:" + (f" {text}" if text else ""))
        for call in message.tool_calls:
            click.echo(f"  -> {call.name} {call.arguments if full else _short(call.arguments, 200)}")


@sessions.command("search")
@click.argument("query")
@click.option("--user", "user_id", default=None, help="Only this user's sessions (default: everyone's).")
@click.option("-n", "--limit", default=10, show_default=True)
@click.option("--role", "roles", multiple=True, type=click.Choice(["user", "assistant", "tool"]),
              help="Only messages of this role (repeatable).")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance", show_default=True)
@click.pass_context
def search(ctx: click.Context, query: str, user_id: str | None, limit: int, roles: tuple[str, ...], sort: str) -> None:
    """Full-text search: words, "phrases", prefix* and OR."""
    hits = _run(ctx, lambda store: store.search(query, user_id, limit=limit, roles=roles, sort=sort, context=0))
    if not hits:
        click.echo("no matches")
        return
    for hit in hits:
        click.echo(f"{hit.session_id}  {_when(hit.created_at)}  {_short(hit.session_title, 60)}")
        click.echo(f"  #{hit.message_id} {hit.role}: {_short(hit.snippet, 200)}")


@sessions.command("export")
@click.argument("session_id", required=False)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of standard output.")
@click.option("--user", "user_id", default=None, help="Without ID: only this user's sessions.")
@click.pass_context
def export(ctx: click.Context, session_id: str | None, fmt: str, output: Path | None, user_id: str | None) -> None:
    """One session, or all of them, as JSON Lines or ShareGPT (one session per line)."""

    async def work(store: Any) -> int:
        if session_id:
            ids = [await _resolve(store, session_id)]
        else:
            ids, offset = [], 0
            while True:
                page = await store.list_sessions(user_id, limit=1000, offset=offset)
                ids += [r.id for r in page]
                if len(page) < 1000:
                    break
                offset += 1000
            ids.reverse()  # oldest first: an import recreates them in the same order
        out = output.open("w", encoding="utf-8") if output else None
        try:
            for sid in ids:
                record = await store.get_session(sid)
                if record is None:  # deleted meanwhile
                    continue
                line = render(fmt, record, await store.get_messages(sid))
                if out is not None:
                    out.write(line + "\n")
                else:
                    click.echo(line)
        finally:
            if out is not None:
                out.close()
        return len(ids)

    count = _run(ctx, work)
    if output:
        click.echo(f"exported {count} session(s) to {output}", err=True)


@sessions.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--batch", default=20_000, show_default=True, help="Messages per transaction.")
@click.pass_context
def import_(ctx: click.Context, path: Path, batch: int) -> None:
    """Sessions from a JSON Lines export (sessions already saved are skipped)."""

    async def work(store: Any) -> tuple[int, int, int]:
        sessions_, messages_, skipped = 0, 0, 0
        pending: list[Any] = []
        size = 0

        async def flush() -> None:
            nonlocal pending, size, sessions_, messages_, skipped
            if pending:
                report = await store.import_sessions(pending)
                sessions_ += report.sessions
                messages_ += report.messages
                skipped += len(report.skipped)
            pending, size = [], 0

        with path.open(encoding="utf-8") as lines:
            for record, messages in read_jsonl(lines, str(path)):
                pending.append((record, messages))
                size += len(messages)
                if size >= batch:
                    await flush()
        await flush()
        return sessions_, messages_, skipped

    imported, messages, skipped = _run(ctx, work)
    click.echo(f"imported {imported} session(s), {messages} message(s)"
               + (f"; skipped {skipped} already saved" if skipped else ""))


@sessions.command("delete")
@click.argument("session_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def delete(ctx: click.Context, session_id: str, yes: bool) -> None:
    """Delete one session and its messages."""

    async def find(store: Any) -> Any:
        return await store.get_session(await _resolve(store, session_id))

    record = _run(ctx, find)
    _confirm(f"delete session {record.id} ({_short(record.title, 50) or 'untitled'}, "
             f"{record.message_count} messages)?", yes)
    if _run(ctx, lambda store: store.delete_session(record.id)):
        click.echo(f"deleted {record.id}")
    else:
        click.echo(f"{record.id} was already gone")


@sessions.command("prune")
@click.option("--older-than", "older_than", required=True, help="Last activity before this long ago: 30d, 12h, 2w.")
@click.option("--user", "user_id", default=None, help="Only this user's sessions.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--vacuum", is_flag=True, help="Then give the freed space back to the disk (rewrites the file).")
@click.pass_context
def prune(ctx: click.Context, older_than: str, user_id: str | None, yes: bool, vacuum: bool) -> None:
    """Delete sessions whose last activity is older than a duration."""
    cutoff = time.time() - parse_duration(older_than)
    count, messages = _run(ctx, lambda store: store.count_prunable(cutoff, user_id))
    if count == 0:
        click.echo(f"no sessions last active before {_when(cutoff)}")
        return
    _confirm(f"delete {count} session(s) ({messages} messages) last active before {_when(cutoff)}?", yes)

    async def work(store: Any) -> int:
        deleted = await store.prune(cutoff, user_id)
        if vacuum:
            await store.vacuum()
        return deleted

    click.echo(f"deleted {_run(ctx, work)} session(s)")


@sessions.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Sessions, messages, database size and the full-text index's share."""
    result = _run(ctx, lambda store: store.stats())
    if as_json:
        click.echo(json.dumps({**result.model_dump(), "fts_share": result.fts_share}, indent=1))
        return
    click.echo(f"database   {result.path}")
    click.echo(f"sessions   {result.sessions:,} ({result.users:,} user(s))")
    click.echo(f"messages   {result.messages:,}")
    per = f", {result.db_bytes / result.messages:,.0f} B per message" if result.messages else ""
    click.echo(f"size       {_size(result.db_bytes)} (+ {_size(result.wal_bytes)} WAL, {_size(result.free_bytes)} free){per}")
    if result.fts_share is not None:
        click.echo(f"full-text  {_size(result.fts_bytes or 0)} ({result.fts_share:.1%} of the database)")
