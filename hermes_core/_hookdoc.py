"""Generate ``docs/hooks.md`` from :mod:`hermes_core.hookspecs`.

    python -m hermes_core._hookdoc > docs/hooks.md

A test regenerates it and compares, so the reference can never drift from the contract.
"""

from __future__ import annotations

import inspect
import re
import textwrap

from . import hookspecs

_HEADER = """# Hook reference

<!-- Generated from hermes_core/hookspecs.py by `python -m hermes_core._hookdoc`; do not edit by hand. -->

Every hook a hermes plugin can implement. Implement one by defining a function with the
hook's name, marked with `@hookimpl` (from `hermes_core`); take any subset of its
parameters. See [plugins.md](plugins.md) for a walk-through and
[architecture.md](architecture.md) for where each hook fires in a turn.

"""


def _sections() -> list[tuple[str, list[str]]]:
    """Hook names grouped by the banner comments of hookspecs.py, in file order."""
    source = inspect.getsource(hookspecs)
    groups: list[tuple[str, list[str]]] = []
    for line in source.splitlines():
        banner = re.match(r"^# (Registry hooks|Lifecycle hooks)(.*)$", line)
        if banner:
            groups.append((banner.group(1) + banner.group(2), []))
            continue
        match = re.match(r"^def (hermes_\w+)\(", line)
        if match and groups:
            groups[-1][1].append(match.group(1))
    return groups


def _signature(func: object) -> str:
    sig = inspect.signature(func)  # type: ignore[arg-type]
    return f"{func.__name__}{sig}".replace("'", "")  # type: ignore[attr-defined]


def _literal_blocks(text: str) -> str:
    """reST ``::`` literal blocks (indented) become fenced Python blocks."""

    def fence(match: re.Match[str]) -> str:
        body = textwrap.dedent(match.group(2)).rstrip()
        return f"{match.group(1)}:\n\n```python\n{body}\n```\n\n"

    return re.sub(r"(\S)::\n\n((?:(?: {4}.*)?\n)+)", fence, text)


def _rst_to_md(text: str) -> str:
    text = _literal_blocks(text)
    text = re.sub(r":(?:class|func|mod|meth|attr):`~?([\w.]+)`", lambda m: f"`{m.group(1).split('.')[-1]}`", text)
    text = re.sub(r"(?<!`)``(?!`)", "`", text)
    return text


def render() -> str:
    out = [_HEADER]
    module_doc = _rst_to_md(inspect.cleandoc(hookspecs.__doc__ or ""))
    out.append("## How hooks combine\n\n" + module_doc.split("\n\n", 1)[1].rsplit("\n\n", 1)[0] + "\n\n")
    for title, names in _sections():
        out.append(f"## {title.replace(':', ' -').strip()}\n\n")
        for name in names:
            func = getattr(hookspecs, name)
            opts = getattr(func, hookspecs.PROJECT_NAME + "_spec", {}) or {}
            out.append(f"### `{name}`\n\n")
            out.append(f"```python\n{_signature(func)}\n```\n\n")
            if opts.get("firstresult"):
                out.append("*First result wins.*\n\n")
            doc = _rst_to_md(inspect.cleandoc(func.__doc__ or ""))
            out.append(textwrap.dedent(doc).strip() + "\n\n")
    return "".join(out).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
