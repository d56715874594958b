"""Benchmark of the sqlite session store (hermes-plugin-sessions).

For each size (messages of realistic agent conversations, see ``corpus.py``):

* live ingest: sessions created and messages appended one at a time through the store's
  public async API, each append committed before the next, as a running conversation
  does; the rate is also reported per slice (100k messages) to show whether it stays
  flat as the store grows;
* bulk ingest: the same messages through ``import_sessions`` in batches;
* size: bytes on disk per message against the raw bytes of the messages, and the
  full-text index's share of the file (SQLite's ``dbstat`` table);
* search latency: many different queries through the ``session_search`` tool's own code
  path (the kernel's tool dispatcher, as a model's call runs), p50 and p95.

It prints the numbers, compares them with the previous run saved in
``bench/results/sessions.json`` and updates that file::

    .venv/bin/python bench/sessions/run.py                      # 100k and 1M messages
    .venv/bin/python bench/sessions/run.py --sizes 200000
    .venv/bin/python bench/sessions/run.py --quick              # 20k, a smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import Corpus, raw_bytes  # noqa: E402

DEFAULT_RESULTS = HERE.parent / "results" / "sessions.json"
TARGETS = {"live_rate": 5000, "bulk_rate": 20000, "search_p95_ms_1M": 15.0, "disk_ratio": 2.0, "fts_share": 0.40}


def _store(folder: Path) -> Any:
    from hermes_plugin_sessions.settings import SqliteSettings
    from hermes_plugin_sessions.store import SqliteSessionStore

    folder.mkdir(parents=True, exist_ok=True)
    return SqliteSessionStore(folder / "state.db", SqliteSettings())


def _files_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


async def live_ingest(folder: Path, size: int, seed: int, slice_size: int) -> dict[str, Any]:
    """Append one message at a time; time only the store's calls. Prints each slice's
    rate as it completes (long runs show progress)."""
    store = _store(folder)
    corpus = Corpus(seed)
    spent = 0.0
    slice_spent = 0.0
    slices: list[float] = []
    done = 0
    raw = 0
    sessions = 0
    pc = time.perf_counter
    for conv in corpus.sessions(size):
        t = pc()
        await store.create_session(conv.record)
        dt = pc() - t
        spent += dt
        slice_spent += dt
        sessions += 1
        for message in conv.messages:
            raw += raw_bytes(message)
            t = pc()
            await store.append_messages(conv.record.id, [message])
            dt = pc() - t
            spent += dt
            slice_spent += dt
            done += 1
            if done % slice_size == 0:
                slices.append(slice_size / slice_spent)
                slice_spent = 0.0
                print(f"  {label(done):>6}: {slices[-1]:>7,.0f} msg/s", file=sys.stderr, flush=True)
        t = pc()
        await store.update_session(conv.record.id, title=conv.record.title, ended_at=conv.messages[-1].created_at,
                                   end_reason="exit")
        dt = pc() - t
        spent += dt
        slice_spent += dt
    await store.aclose()
    return {"messages": done, "sessions": sessions, "raw_bytes": raw, "seconds": spent, "rate": done / spent,
            "slice_rates": [round(r) for r in slices]}


async def bulk_ingest(folder: Path, size: int, seed: int, batch: int = 50_000) -> dict[str, Any]:
    """Import in batches of about ``batch`` messages; time only the imports."""
    store = _store(folder)
    corpus = Corpus(seed)
    spent = 0.0
    done = 0
    pending: list[tuple[Any, list[Any]]] = []
    count = 0

    async def flush() -> None:
        nonlocal spent, done, pending, count
        if not pending:
            return
        t = time.perf_counter()
        report = await store.import_sessions(pending)
        spent += time.perf_counter() - t
        done += report.messages
        pending, count = [], 0

    for conv in corpus.sessions(size):
        pending.append((conv.record, conv.messages))
        count += len(conv.messages)
        if count >= batch:
            await flush()
    await flush()
    await store.aclose()
    return {"messages": done, "seconds": spent, "rate": done / spent}


def sizes_of(path: Path, raw: int, messages: int) -> dict[str, Any]:
    """File size (after a checkpoint) and the full-text index's share, from ``dbstat``."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tables = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        free = conn.execute("PRAGMA freelist_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    disk = _files_size(path)
    fts = sum(v for k, v in tables.items() if k.startswith("messages_fts"))
    return {
        "disk_bytes": disk,
        "bytes_per_message": round(disk / messages, 1),
        "raw_bytes_per_message": round(raw / messages, 1),
        "disk_ratio": round(disk / raw, 3),
        "fts_bytes": fts,
        "fts_share": round(fts / disk, 4),
        "messages_table_bytes": tables.get("messages", 0),
        "free_bytes": free,
    }


async def search_latency(folder: Path, queries: list[str], user: str = "local") -> dict[str, Any]:
    """Time ``session_search`` calls by ``user`` through the kernel's dispatcher on a real host."""
    import hermes_plugin_sessions
    from hermes_core.host import Host
    from hermes_core.testing.helpers import acall_tool, make_session

    home = folder / "home"
    home.mkdir(exist_ok=True)
    (home / "config.yaml").write_text(
        "sessions:\n  store: sqlite\n  sqlite:\n    path: " + json.dumps(str(folder / "state.db")) + "\n", encoding="utf-8"
    )
    host = Host(home, env={"HERMES_HOME": str(home)}, autoload=False, cwd=folder)
    host.load()
    host.register(hermes_plugin_sessions, name="sessions")
    session = make_session(host, user_id=user)
    for query in queries[:20]:  # warm the page cache and the host's registries
        await acall_tool(host, "session_search", {"query": query}, session=session)
    times: list[float] = []
    hits = 0
    errors = 0
    for query in queries:
        t = time.perf_counter()
        result = await acall_tool(host, "session_search", {"query": query}, session=session)
        times.append((time.perf_counter() - t) * 1000)
        if result.is_error:
            errors += 1
        elif json.loads(result.content)["count"]:
            hits += 1
    other: dict[str, float] = {}
    for name, args in (("recent_ms", {}), ("newest_ms", {"query": queries[0], "sort": "newest"})):
        t = time.perf_counter()
        await acall_tool(host, "session_search", args, session=session)
        other[name] = round((time.perf_counter() - t) * 1000, 2)
    listing = json.loads((await acall_tool(host, "session_search", {}, session=session)).content)
    if listing["sessions"]:
        t = time.perf_counter()
        await acall_tool(host, "session_search", {"session_id": listing["sessions"][0]["session_id"]}, session=session)
        other["read_session_ms"] = round((time.perf_counter() - t) * 1000, 2)
    await host.aclose()
    times.sort()
    return {
        "queries": len(queries),
        "with_hits": hits,
        "errors": errors,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "max_ms": round(times[-1], 2),
        **other,
    }


def label(size: int) -> str:
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1000}k"


async def run_size(size: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    slice_size = min(100_000, max(size // 5, 1))
    print(f"\n== {label(size)} messages ==", flush=True)
    live_dir, bulk_dir = work / f"live-{size}", work / f"bulk-{size}"
    live = await live_ingest(live_dir, size, args.seed, slice_size)
    print(f"live ingest   {live['rate']:>9,.0f} msg/s  ({live['messages']:,} messages, {live['sessions']:,} sessions, "
          f"{live['seconds']:.1f}s)", flush=True)
    print(f"  per {label(slice_size)} slice: {', '.join(f'{r:,}' for r in live['slice_rates'])}", flush=True)
    bulk = await bulk_ingest(bulk_dir, size, args.seed)
    print(f"bulk ingest   {bulk['rate']:>9,.0f} msg/s  ({bulk['seconds']:.1f}s)", flush=True)
    live_sizes = sizes_of(live_dir / "state.db", live["raw_bytes"], live["messages"])
    bulk_sizes = sizes_of(bulk_dir / "state.db", live["raw_bytes"], live["messages"])
    for name, s in (("live-built", live_sizes), ("bulk-built", bulk_sizes)):
        print(f"size {name:<11} {s['bytes_per_message']:>7,.0f} B/msg on disk, raw {s['raw_bytes_per_message']:,.0f} B/msg "
              f"-> {s['disk_ratio']:.2f}x raw; full-text index {s['fts_share']:.1%} of the file "
              f"({s['disk_bytes'] / 1e6:,.0f} MB)", flush=True)
    queries = Corpus(args.seed).queries(args.queries)
    search = await search_latency(live_dir, queries)
    print(f"search        p50 {search['p50_ms']:.2f} ms, p95 {search['p95_ms']:.2f} ms, max {search['max_ms']:.2f} ms "
          f"({search['queries']} queries, {search['with_hits']} with hits, {search['errors']} errors); "
          f"recent {search.get('recent_ms')} ms, read a session {search.get('read_session_ms')} ms", flush=True)
    # A gateway user holds a sliver of the messages: the store searches only their spans.
    gateway = await search_latency(live_dir, queries[: max(20, len(queries) // 4)], user="tg-7")
    search["gateway_user"] = {k: gateway[k] for k in ("queries", "with_hits", "p50_ms", "p95_ms", "max_ms")}
    print(f"  as a gateway user (tg-7): p50 {gateway['p50_ms']:.2f} ms, p95 {gateway['p95_ms']:.2f} ms "
          f"({gateway['queries']} queries, {gateway['with_hits']} with hits)", flush=True)
    if not args.keep:
        shutil.rmtree(live_dir, ignore_errors=True)
        shutil.rmtree(bulk_dir, ignore_errors=True)
    return {"live": live, "bulk": bulk, "size_live": live_sizes, "size_bulk": bulk_sizes, "search": search}


def compare(previous: dict[str, Any], current: dict[str, Any]) -> None:
    """Print the change of each headline number since the previous run."""
    rows = [
        ("live msg/s", ("live", "rate"), True),
        ("bulk msg/s", ("bulk", "rate"), True),
        ("search p50 ms", ("search", "p50_ms"), False),
        ("search p95 ms", ("search", "p95_ms"), False),
        ("B/msg on disk", ("size_live", "bytes_per_message"), False),
        ("x raw", ("size_live", "disk_ratio"), False),
        ("fts share", ("size_live", "fts_share"), False),
    ]
    for size, now in current.items():
        before = previous.get(size)
        if not before:
            continue
        print(f"\n-- {size}: compared with the previous run ({before.get('when', '?')}) --")
        for name, (group, key), higher_better in rows:
            old, new = before.get(group, {}).get(key), now.get(group, {}).get(key)
            if not old or new is None:
                continue
            change = (new - old) / old
            better = (change > 0) == higher_better
            mark = "" if abs(change) < 0.03 else ("  better" if better else "  worse")
            print(f"  {name:<14} {old:>12,.2f} -> {new:>12,.2f}  ({change:+.1%}){mark}")


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated message counts")
    parser.add_argument("--quick", action="store_true", help="one small size (20k messages), 100 queries")
    parser.add_argument("--queries", type=int, default=400, help="search queries per size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="the JSON file compared with and updated")
    parser.add_argument("--no-save", action="store_true", help="print only; leave the results file alone")
    parser.add_argument("--workdir", type=Path, default=None, help="where the databases go (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args(argv)
    sizes = [20_000] if args.quick else [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.quick:
        args.queries = min(args.queries, 100)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="hermes-bench-sessions-"))
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(f"hermes session store benchmark: sizes {', '.join(label(s) for s in sizes)}; {info['cpus']} CPUs, "
          f"Python {info['python']}, SQLite {info['sqlite']}, load {info['load_before']}")
    current: dict[str, Any] = {}
    try:
        for size in sizes:
            result = asyncio.run(run_size(size, args, work))
            result["when"] = time.strftime("%Y-%m-%d %H:%M")
            result["machine"] = {**info, "load_after": [round(x, 2) for x in os.getloadavg()]}
            current[label(size)] = result
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    previous: dict[str, Any] = {}
    if args.results.exists():
        try:
            previous = json.loads(args.results.read_text(encoding="utf-8")).get("runs", {})
        except (OSError, ValueError):
            previous = {}
    compare(previous, current)
    print("\ntargets: live >= 5,000 msg/s and flat, bulk >= 20,000 msg/s, search p95 <= 15 ms at 1M, "
          "<= 2x raw bytes, full-text index <= 40% of the file")
    if not args.no_save:
        merged = {**previous, **current}
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps({"targets": TARGETS, "runs": merged}, indent=1) + "\n", encoding="utf-8")
        print(f"saved {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
