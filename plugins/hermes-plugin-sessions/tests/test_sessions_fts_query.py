"""User queries become FTS5 expressions that always parse."""

from __future__ import annotations

import random
import sqlite3

import pytest

from hermes_plugin_sessions._fts import to_match


@pytest.mark.parametrize(("query", "expected"), [
    ("nginx proxy", '"nginx" "proxy"'),
    ('"connection refused"', '"connection refused"'),
    ("kube*", '"kube"*'),
    ("ab*", '"ab"'),  # too short to expand
    ("docker-compose.yml", '"docker-compose.yml"'),
    ("foo OR bar baz", '("foo") OR ("bar" "baz")'),
    ('"unterminated phrase', '"unterminated phrase"'),
    ('say "a ""b"', '"say" "a " "b"'),
    ("AND NOT", '"AND" "NOT"'),
    ("OR", None),
    ("", None),
    ("( ) * ^ :", None),
    ('"quoted"* tail', '"quoted"* "tail"'),
])
def test_translation(query, expected):
    assert to_match(query) == expected


def test_random_input_always_parses():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, b)")
    conn.execute("INSERT INTO t VALUES ('alpha beta gamma', 'terminal ls -la')")
    alphabet = list('"*()^:+-_.,;{}[]\\\'%') + ["AND", "OR", "NOT", "NEAR", " ", " ", "a", "b", "é", "ß", "中文", "\x00", "0"]
    rng = random.Random(5)
    for _ in range(3000):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        match = to_match(query)
        if match is not None:
            conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()
    conn.close()
