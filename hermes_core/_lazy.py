"""Lazily resolved module attributes (PEP 562), so package ``__init__`` modules that
re-export a public surface import nothing until a name is used."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable


def lazy_attributes(module: str, names: dict[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``module``: ``names`` maps each public name to
    the module defining it; a resolved name is cached in the package's namespace."""

    def __getattr__(name: str) -> object:
        source = names.get(name)
        if source is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source), name)
        setattr(sys.modules[module], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[module])) | set(names))

    return __getattr__, __dir__
