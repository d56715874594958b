"""Snippets cut in Python: the best window, matches in bold, folded like the index."""

from __future__ import annotations

from hermes_plugin_sessions._fts import parse
from hermes_plugin_sessions._snippet import snippet


def test_marks_words_phrases_and_prefixes():
    text = "Restart the Nginx proxy. Connection refused by upstream; nginx restarted fine."
    assert snippet([text], parse("nginx")) == (
        "Restart the **Nginx** proxy. Connection refused by upstream; **nginx** restarted fine.")
    marked = snippet([text], parse('"connection refused"'))
    assert "**Connection** **refused**" in marked and "**Nginx**" not in marked
    assert snippet([text], parse("restart*")).count("**") == 4  # Restart, restarted


def test_picks_the_densest_window_and_elides():
    filler = " ".join(f"word{i}" for i in range(200))
    text = f"{filler} the kubectl rollout restart went fine {filler}"
    cut = snippet([text], parse("kubectl rollout"), size=12)
    assert cut.startswith("… ") and cut.endswith(" …") and "**kubectl** **rollout**" in cut
    assert len(cut.split()) <= 16


def test_folds_case_and_diacritics_and_prefers_the_matching_text():
    assert "**Café**" in snippet(["Un Café au lait"], parse("cafe"))
    tools = 'terminal {"command": "grep -rn frobnicate src"}'
    assert "**frobnicate**" in snippet(["no match here", tools], parse("frobnicate"))


def test_without_a_match_it_shows_the_start():
    assert snippet(["alpha beta gamma"], parse("zeta")) == "alpha beta gamma"
    assert snippet(["", ""], parse("x")) == ""


def test_common_words_are_dropped_unless_alone_or_quoted():
    assert parse("the nginx for staging").match == '"nginx" "staging"'
    assert parse("the").match == '"the"'
    assert parse('"the end" of it').match == '"the end"'
