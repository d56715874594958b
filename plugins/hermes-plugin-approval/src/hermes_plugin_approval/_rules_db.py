"""Rules for database clients: the SQL (or commands) they are given on the command line,
in here-documents and here-strings, or piped in from ``echo``/``printf``."""

from __future__ import annotations

import re

from ._context import RuleContext
from ._options import parse_options
from ._records import Invocation

_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/|#[^\n]*", re.S)
_STRING = re.compile(r"'(?:[^']|'')*'")
_DROP = re.compile(r"^DROP\s+(?:TEMPORARY\s+)?(TABLE|DATABASE|SCHEMA)\s+(?:IF\s+EXISTS\s+)?([^\s,(]+)", re.I)
_ALTER_DROP = re.compile(r"^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?([^\s(]+)\s+DROP\s+(?:COLUMN\s+)?"
                         r"(?:IF\s+EXISTS\s+)?([^\s,;]+)", re.I)
_TRUNCATE = re.compile(r"^TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?([^\s,;(]+)", re.I)
_DELETE = re.compile(r"^DELETE\s+FROM\s+(?:ONLY\s+)?([^\s;(]+)", re.I)
_UPDATE = re.compile(r"^UPDATE\s+(?:ONLY\s+)?([^\s;(]+)\s+(?:AS\s+\S+\s+|\w+\s+)?SET\b", re.I)
_WHERE = re.compile(r"\bWHERE\b", re.I)
_ALWAYS_TRUE = re.compile(r"\bWHERE\s+(1\s*=\s*1|TRUE|1)\s*$", re.I)


def judge_sql(sql: str) -> list[tuple[str, str]]:
    """(rule id, message) for each destructive statement in ``sql``."""
    cleaned = _COMMENT.sub(" ", _STRING.sub("''", sql))
    out: list[tuple[str, str]] = []
    for raw in cleaned.split(";"):
        stmt = " ".join(raw.split())
        if not stmt:
            continue
        if m := _DROP.match(stmt):
            out.append(("sql-drop", f"DROP {m.group(1).upper()} {m.group(2)}"))
        elif m := _ALTER_DROP.match(stmt):
            out.append(("sql-drop", f"ALTER TABLE {m.group(1)} DROP {m.group(2)}"))
        elif m := _TRUNCATE.match(stmt):
            out.append(("sql-truncate", f"TRUNCATE {m.group(1)}"))
        elif m := _DELETE.match(stmt):
            if not _WHERE.search(stmt) or _ALWAYS_TRUE.search(stmt):
                out.append(("sql-unbounded-write", f"DELETE FROM {m.group(1)} without a WHERE clause "
                                                   f"(deletes every row)"))
        elif m := _UPDATE.match(stmt):
            if not _WHERE.search(stmt) or _ALWAYS_TRUE.search(stmt):
                out.append(("sql-unbounded-write", f"UPDATE {m.group(1)} without a WHERE clause "
                                                   f"(changes every row)"))
    return out


# client name -> (options whose value is SQL, options that take some other value,
#                 whether operands after the database are SQL)
_CLIENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "psql": (("-c", "--command"), ("-h", "--host", "-p", "--port", "-U", "--username", "-d", "--dbname", "-f",
                                   "--file", "-v", "--set", "--variable", "-o", "--output", "-L", "--log-file",
                                   "-T", "-F", "-R", "-P", "--pset"), False),
    "mysql": (("-e", "--execute"), ("-h", "--host", "-P", "--port", "-u", "--user", "-D", "--database", "-S",
                                    "--socket", "--default-character-set", "--defaults-file"), False),
    "sqlite3": (("-cmd",), ("-separator", "-nullvalue", "-newline", "-init"), True),
    "duckdb": (("-c", "-s", "-cmd"), ("-init",), True),
    "clickhouse-client": (("-q", "--query"), ("-h", "--host", "--port", "-u", "--user", "-d", "--database"), False),
    "cqlsh": (("-e", "--execute"), ("-u", "--username", "-p", "--password", "-k", "--keyspace"), False),
    "usql": (("-c", "--command"), (), False),
    "snowsql": (("-q", "--query"), ("-a", "--accountname", "-u", "--username", "-d", "--dbname"), False),
}
_ALIASES = {"mariadb": "mysql", "mysqlsh": "mysql"}


def sql_client(inv: Invocation, ctx: RuleContext) -> None:
    """psql, mysql, sqlite3, duckdb, clickhouse, cqlsh...: the SQL they are given."""
    name = _ALIASES.get(inv.name, inv.name)
    args = inv.args
    if name in ("cockroach", "clickhouse"):
        if not args or args[0].text not in ("sql", "client"):
            return
        args = args[1:]
        name = "cqlsh" if inv.name == "cockroach" else "clickhouse-client"
    sql_options, value_options, positional_sql = _CLIENTS[name]
    p = parse_options(args, takes_value=(*sql_options, *value_options))
    texts = p.values(*sql_options)
    if positional_sql:
        texts += [a.text for a in p.operands[1:]]
    if ctx.stdin is not None and ctx.stdin.kind == "text":
        texts.append(ctx.stdin.text())
    for text in texts:
        for rule_id, message in judge_sql(text):
            ctx.emit(rule_id, f"{message} ({inv.name})")


def redis_cli(inv: Invocation, ctx: RuleContext) -> None:
    """redis-cli FLUSHALL / FLUSHDB."""
    words = [a.text.upper() for a in inv.args]
    if ctx.stdin is not None and ctx.stdin.kind == "text":
        words += ctx.stdin.text().upper().split()
    for word in ("FLUSHALL", "FLUSHDB"):
        if word in words:
            ctx.emit("db-flush", f"redis {word} deletes every key")


_MONGO = re.compile(r"\.(dropDatabase)\s*\(|\.(drop)\s*\(\s*\)|\.(deleteMany|remove)\s*\(\s*\{\s*\}\s*\)")


def mongo(inv: Invocation, ctx: RuleContext) -> None:
    """mongo/mongosh ``--eval`` (or input) dropping or emptying collections."""
    p = parse_options(inv.args, takes_value=("--eval", "--host", "--port", "-u", "--username", "-p", "--password",
                                             "--authenticationDatabase", "-f", "--file"))
    texts = p.values("--eval")
    if ctx.stdin is not None and ctx.stdin.kind == "text":
        texts.append(ctx.stdin.text())
    for text in texts:
        for m in _MONGO.finditer(text):
            what = next(g for g in m.groups() if g)
            ctx.emit("db-flush", f"MongoDB {what}() deletes data")


COMMANDS = {
    **{name: (sql_client,) for name in [*_CLIENTS, *_ALIASES, "cockroach", "clickhouse"]},
    "redis-cli": (redis_cli,), "valkey-cli": (redis_cli,), "keydb-cli": (redis_cli,),
    "mongo": (mongo,), "mongosh": (mongo,),
}
